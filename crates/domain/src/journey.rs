//! The Journey Tracker: one timeline of a young person's care episodes and
//! moves, milestones, contacts and crises, built from what is recorded.

use crate::contacts::{ContactKind, Topic};
use crate::dates::{birthday, format_uk, LeapDayRule};
use crate::ssda903::{Episode, PLACEMENT};
use crate::visits::duration_words;
use chrono::NaiveDate;

/// What kind of thing happened, for filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// Came into care, a move between placements, or left care.
    Care,
    /// A birthday that changes entitlements, Staying Close starting or
    /// ending, the record closing.
    Milestone,
    /// A plan agreed or reviewed.
    Plan,
    Contact,
    Crisis,
    /// Money spent from their activities allowance.
    Allowance,
    /// A celebration task done: a card, a cake, a gift.
    Celebration,
    /// Support from the programme: a trusted person, advocacy, referrals.
    Support,
}

impl EntryKind {
    pub const ALL: [EntryKind; 8] = [
        EntryKind::Care,
        EntryKind::Milestone,
        EntryKind::Plan,
        EntryKind::Contact,
        EntryKind::Crisis,
        EntryKind::Allowance,
        EntryKind::Celebration,
        EntryKind::Support,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Care => "care",
            EntryKind::Milestone => "milestone",
            EntryKind::Plan => "plan",
            EntryKind::Contact => "contact",
            EntryKind::Crisis => "crisis",
            EntryKind::Allowance => "allowance",
            EntryKind::Celebration => "celebration",
            EntryKind::Support => "support",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EntryKind::Care => "Care and moves",
            EntryKind::Milestone => "Milestones",
            EntryKind::Plan => "Plans",
            EntryKind::Contact => "Contacts",
            EntryKind::Crisis => "Crises",
            EntryKind::Allowance => "Allowance",
            EntryKind::Celebration => "Celebrations",
            EntryKind::Support => "Support",
        }
    }

    pub fn parse(code: &str) -> Option<EntryKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One thing on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub on: NaiveDate,
    pub kind: EntryKind,
    pub title: String,
    pub detail: String,
}

fn placement_words(code: &str) -> String {
    PLACEMENT.meaning(code).map(|m| m.to_owned()).unwrap_or_else(|| code.to_owned())
}

/// Coming into care, each move between placements, and leaving care.
pub fn care_entries(episodes: &[Episode]) -> Vec<Entry> {
    let mut sorted: Vec<&Episode> = episodes.iter().collect();
    sorted.sort_by_key(|e| e.start);
    let mut out = Vec::new();
    let mut previous: Option<&Episode> = None;
    for e in sorted {
        let place = placement_words(e.placement.as_str());
        match previous {
            None => out.push(Entry {
                on: e.start,
                kind: EntryKind::Care,
                title: "Came into care".into(),
                detail: format!("Placed in: {place}"),
            }),
            // A gap means they left care and came back.
            Some(p) if p.end.is_some_and(|end| end < e.start) => out.push(Entry {
                on: e.start,
                kind: EntryKind::Care,
                title: "Came back into care".into(),
                detail: format!("Placed in: {place}"),
            }),
            Some(p) if p.placement != e.placement => out.push(Entry {
                on: e.start,
                kind: EntryKind::Care,
                title: "Moved".into(),
                detail: format!("From {} to {place}", placement_words(p.placement.as_str())),
            }),
            Some(_) => {}
        }
        if let (Some(end), Some(reason)) = (e.end, e.reason_ceased) {
            if !reason.as_str().starts_with('X') {
                out.push(Entry {
                    on: end,
                    kind: EntryKind::Care,
                    title: "Left care".into(),
                    detail: format!("Reason recorded: {}", reason.as_str()),
                });
            }
        }
        previous = Some(e);
    }
    out
}

/// Key dates of a young person's time with the team.
#[derive(Debug, Clone, Default)]
pub struct KeyDates {
    pub care_ended_on: Option<NaiveDate>,
    pub staying_close_start: Option<NaiveDate>,
    pub staying_close_end: Option<NaiveDate>,
    /// When the record was closed, and why (in words).
    pub closed: Option<(NaiveDate, String)>,
}

/// Birthdays that change entitlements (up to `until`), and the key dates.
pub fn milestones(dob: NaiveDate, dates: &KeyDates, until: NaiveDate) -> Vec<Entry> {
    let mut out = Vec::new();
    for (years, what) in [
        (16, "Can live more independently; Staying Close support can begin"),
        (18, "Turns 18: care ends and leaving-care support continues"),
        (21, "Turns 21: personal adviser support continues on request"),
        (25, "Turns 25: the end of Staying Close and personal adviser support"),
    ] {
        let on = birthday(dob, years, LeapDayRule::default());
        if on <= until {
            out.push(Entry {
                on,
                kind: EntryKind::Milestone,
                title: format!("{years}th birthday"),
                detail: what.into(),
            });
        }
    }
    let mut add = |on: Option<NaiveDate>, title: &str, detail: String| {
        if let Some(on) = on {
            out.push(Entry { on, kind: EntryKind::Milestone, title: title.into(), detail });
        }
    };
    add(dates.care_ended_on, "Care ended", String::new());
    add(dates.staying_close_start, "Started Staying Close", String::new());
    add(dates.staying_close_end, "Staying Close ended", String::new());
    if let Some((on, why)) = &dates.closed {
        add(Some(*on), "Record closed", why.clone());
    }
    out
}

/// One contact on the timeline: a crisis is its own kind.
pub fn contact_entry(
    on: NaiveDate,
    kind: ContactKind,
    minutes: u32,
    topics: &[Topic],
    follow_up: Option<&str>,
    crisis: bool,
) -> Entry {
    let mut detail = duration_words(minutes);
    if !topics.is_empty() {
        detail.push_str(": ");
        detail.push_str(&topics.iter().map(|t| t.label().to_lowercase()).collect::<Vec<_>>().join(", "));
    }
    if let Some(next) = follow_up {
        detail.push_str(&format!(". Follow-up: {next}"));
    }
    Entry {
        on,
        kind: if crisis { EntryKind::Crisis } else { EntryKind::Contact },
        title: kind.label().to_owned(),
        detail,
    }
}

/// A version of the plan: the first agreed, or a review.
pub fn plan_entry(number: i64, meeting: &crate::plan::Meeting) -> Entry {
    let mut detail = format!("Next review due {}", format_uk(meeting.review_due_on));
    detail.push_str(match (meeting.took_part, meeting.agreed) {
        (true, true) => ". They took part and agreed the plan",
        (true, false) => ". They took part but did not agree the plan",
        (false, true) => ". They did not take part but agreed the plan",
        (false, false) => ". They did not take part or agree the plan",
    });
    Entry {
        on: meeting.held_on,
        kind: EntryKind::Plan,
        title: if number == 1 { "Plan agreed".to_owned() } else { format!("Plan reviewed (version {number})") },
        detail,
    }
}

/// Money spent from the activities allowance.
pub fn spend_entry(spend: &crate::allowance::Spend) -> Entry {
    Entry {
        on: spend.on,
        kind: EntryKind::Allowance,
        title: format!("{} spent: {}", spend.amount, spend.category.label().to_lowercase()),
        detail: spend.note.clone().unwrap_or_default(),
    }
}

/// A celebration task, on the day it was done.
pub fn celebration_entry(task: &crate::celebrations::Task, done_on: NaiveDate) -> Entry {
    let budget = if task.budget.0 > 0 { format!(" (budget {})", task.budget) } else { String::new() };
    Entry {
        on: done_on,
        kind: EntryKind::Celebration,
        title: format!("{} for {}{budget}", task.kind.label(), task.celebration.label()),
        detail: task.note.clone().unwrap_or_default(),
    }
}

/// A trusted person nominated, the match agreed, and its end.
pub fn trusted_entries(m: &crate::trusted_person::TrustedMatch) -> Vec<Entry> {
    let who = format!("{} ({})", m.name, m.role.label().to_lowercase());
    let mut out = vec![Entry {
        on: m.nominated_on,
        kind: EntryKind::Support,
        title: "Trusted person nominated".into(),
        detail: who.clone(),
    }];
    if let Some(on) = m.agreed_on {
        out.push(Entry {
            on,
            kind: EntryKind::Support,
            title: "Trusted person match agreed".into(),
            detail: who.clone(),
        });
    }
    if let Some(on) = m.ended_on {
        let why = m.end_reason.map(|r| format!(": {}", r.label().to_lowercase())).unwrap_or_default();
        out.push(Entry {
            on,
            kind: EntryKind::Support,
            title: "Trusted person match ended".into(),
            detail: format!("{who}{why}"),
        });
    }
    out
}

/// A move into new accommodation.
pub fn stay_entry(s: &crate::accommodation::Stay) -> Entry {
    let suitable = if s.suitable() { "suitable" } else { "not suitable" };
    let kind = s.kind_label();
    let mut detail = s.reason_for_move.clone().unwrap_or_default();
    if let Some(provider) = &s.provider {
        detail = if detail.is_empty() { provider.clone() } else { format!("{detail}. {provider}") };
    }
    Entry {
        on: s.starts_on,
        kind: EntryKind::Care,
        title: format!("Moved: {} ({suitable})", kind.to_lowercase()),
        detail,
    }
}

/// Starting an activity: education, work, training, or not.
pub fn activity_entry(a: &crate::eet::Activity) -> Entry {
    let title = match crate::eet::is_eet(&a.code) {
        Some(true) => format!("Started: {}", a.describe().to_lowercase()),
        _ => format!(
            "Not in education, employment or training ({})",
            a.describe().trim_start_matches("Not in EET: ").to_lowercase()
        ),
    };
    Entry { on: a.starts_on, kind: EntryKind::Support, title, detail: a.provider.clone().unwrap_or_default() }
}

/// Help towards education, employment or training.
pub fn eet_help_entry(e: &crate::eet::EetIntervention) -> Entry {
    Entry {
        on: e.on,
        kind: EntryKind::Support,
        title: format!("EET help: {}", e.help.label().to_lowercase()),
        detail: format!("{}{}", e.outcome.label(), e.note.as_ref().map(|n| format!(". {n}")).unwrap_or_default()),
    }
}

/// A referral to advocacy and its close.
pub fn advocacy_entries(r: &crate::advocacy::Referral) -> Vec<Entry> {
    let mut out = vec![Entry {
        on: r.referred_on,
        kind: EntryKind::Support,
        title: format!("Referred for {} advocacy", r.kind.label().to_lowercase()),
        detail: format!("{}: {}", r.provider, r.issue),
    }];
    if let Some(on) = r.closed_on {
        out.push(Entry {
            on,
            kind: EntryKind::Support,
            title: "Advocacy closed".into(),
            detail: r.outcome.clone().unwrap_or_default(),
        });
    }
    out
}

/// Support given, dated, with an optional note: parenting support, a manager's record, a health session.
pub fn support_entry(on: NaiveDate, title: &str, note: Option<&str>) -> Entry {
    Entry { on, kind: EntryKind::Support, title: title.to_owned(), detail: note.unwrap_or_default().to_owned() }
}

/// Help with housing.
pub fn housing_entry(h: &crate::accommodation::Intervention) -> Entry {
    Entry {
        on: h.on,
        kind: EntryKind::Support,
        title: format!("Housing help: {}", h.kind.label().to_lowercase()),
        detail: format!("{}{}", h.outcome.label(), h.note.as_ref().map(|n| format!(". {n}")).unwrap_or_default()),
    }
}

/// Newest first; on the same day, milestones and care before contacts.
pub fn in_order(mut entries: Vec<Entry>) -> Vec<Entry> {
    let rank = |k: EntryKind| match k {
        EntryKind::Milestone => 0,
        EntryKind::Care => 1,
        EntryKind::Plan => 2,
        EntryKind::Crisis => 3,
        EntryKind::Contact => 4,
        EntryKind::Allowance => 5,
        EntryKind::Celebration => 6,
        EntryKind::Support => 7,
    };
    entries.sort_by(|a, b| b.on.cmp(&a.on).then(rank(a.kind).cmp(&rank(b.kind))));
    entries
}

/// "4 March 2025", for the timeline's dates.
pub fn when(on: NaiveDate) -> String {
    format_uk(on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssda903::{CATEGORY_OF_NEED, LEGAL_STATUS, REASON_EPISODE_CEASED, REASON_NEW_EPISODE};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn episode(start: NaiveDate, end: Option<NaiveDate>, place: &str, rec: Option<&str>) -> Episode {
        Episode {
            start,
            end,
            reason_new: REASON_NEW_EPISODE.must("S"),
            legal_status: LEGAL_STATUS.must("C2"),
            category_of_need: CATEGORY_OF_NEED.must("N1"),
            placement: PLACEMENT.must(place),
            provider: None,
            reason_ceased: rec.map(|r| REASON_EPISODE_CEASED.must(r)),
            reason_place_change: None,
            home_postcode: None,
            placement_postcode: None,
            urn: None,
        }
    }

    #[test]
    fn moves_are_changes_of_placement_and_leaving_is_the_last_end() {
        let episodes = vec![
            episode(d(2021, 5, 1), Some(d(2022, 1, 1)), "U4", Some("X1")),
            episode(d(2022, 1, 1), Some(d(2022, 6, 1)), "K2", Some("X1")),
            episode(d(2022, 6, 1), Some(d(2025, 3, 4)), "K2", Some("E5")),
        ];
        let entries = care_entries(&episodes);
        let titles: Vec<&str> = entries.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Came into care", "Moved", "Left care"], "a new episode in the same home is not a move");
        assert_eq!(entries[2].on, d(2025, 3, 4));
        assert!(entries[1].detail.starts_with("From "));
    }

    #[test]
    fn milestones_stop_at_the_horizon_and_order_is_newest_first() {
        let dates = KeyDates { staying_close_start: Some(d(2025, 6, 2)), ..KeyDates::default() };
        let entries = milestones(d(2007, 3, 4), &dates, d(2026, 12, 1));
        let titles: Vec<&str> = entries.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["16th birthday", "18th birthday", "Started Staying Close"]);
        let contact = contact_entry(d(2025, 6, 2), ContactKind::HomeVisit, 90, &[Topic::Cooking], None, false);
        let ordered = in_order([entries, vec![contact]].concat());
        assert_eq!(ordered[0].title, "Started Staying Close", "milestones first on the same day");
        assert_eq!(ordered[1].detail, "1 hour 30 minutes: cooking");
        assert_eq!(ordered.last().unwrap().title, "16th birthday");
    }

    #[test]
    fn plan_versions_say_whether_they_took_part_and_agreed() {
        let meeting = crate::plan::Meeting {
            held_on: d(2026, 6, 1),
            review_due_on: d(2026, 12, 1),
            took_part: true,
            agreed: false,
            their_view: None,
        };
        let e = plan_entry(2, &meeting);
        assert_eq!(e.title, "Plan reviewed (version 2)");
        assert_eq!(e.detail, "Next review due 1 December 2026. They took part but did not agree the plan");
        assert_eq!(plan_entry(1, &meeting).title, "Plan agreed");
    }

    #[test]
    fn allowance_spending_says_how_much_and_on_what() {
        let spend = crate::allowance::Spend {
            on: d(2026, 11, 30),
            category: crate::allowance::SpendCategory::Travel,
            amount: crate::money::Pence(750),
            note: Some("Bus to the climbing wall".into()),
        };
        let e = spend_entry(&spend);
        assert_eq!((e.kind, e.title.as_str()), (EntryKind::Allowance, "£7.50 spent: travel"));
    }

    #[test]
    fn crises_are_their_own_kind_with_their_follow_up() {
        let e = contact_entry(d(2026, 11, 30), ContactKind::CrisisResponse, 120, &[], Some("Ring the GP"), true);
        assert_eq!(e.kind, EntryKind::Crisis);
        assert_eq!(e.detail, "2 hours. Follow-up: Ring the GP");
    }
}
