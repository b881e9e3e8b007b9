//! Who is eligible for Staying Close, and what each young person is entitled
//! to as a care leaver, computed from their SSDA903 episodes as at a date and
//! explained line by line.
//!
//! Day counting: an episode covers the days from its start up to, not
//! including, its end. Open episodes, and ones ending after the as-at date,
//! run up to (not including) the as-at date; episodes starting on or after the
//! as-at date are ignored. Care cannot continue past the 18th birthday, days
//! before the 14th birthday do not count, and overlapping or repeated episodes
//! never count a day twice.

use crate::dates::{age_on, birthday, format_uk, LeapDayRule};
use crate::ssda903::Episode;
use chrono::{Days, Months, NaiveDate};
use serde::Serialize;
use std::fmt;

/// The parts of the rule a local authority may need to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// PLACE codes that count as residential care.
    pub residential_placements: Vec<String>,
    /// LS codes for pre-planned short breaks, which never count.
    pub short_break_statuses: Vec<String>,
    /// Days of care needed (13 weeks).
    pub threshold_days: u32,
    pub leap_day: LeapDayRule,
}

impl Rules {
    pub fn is_short_break(&self, e: &Episode) -> bool {
        self.short_break_statuses.iter().any(|s| e.legal_status == s.as_str())
    }

    pub fn is_residential(&self, e: &Episode) -> bool {
        self.residential_placements.iter().any(|p| e.placement == p.as_str())
    }
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            residential_placements: Episode::RESIDENTIAL_PLACEMENTS.iter().map(|s| s.to_string()).collect(),
            short_break_statuses: Episode::SHORT_BREAK_STATUSES.iter().map(|s| s.to_string()).collect(),
            threshold_days: 91,
            leap_day: LeapDayRule::FirstOfMarch,
        }
    }
}

/// Statutory care-leaver status (Children Act 1989 as amended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CareLeaverStatus {
    Eligible,
    LookedAfter,
    Relevant,
    FormerRelevant,
    Qualifying,
    None,
}

impl CareLeaverStatus {
    pub const ALL: [CareLeaverStatus; 6] = [
        CareLeaverStatus::Eligible,
        CareLeaverStatus::LookedAfter,
        CareLeaverStatus::Relevant,
        CareLeaverStatus::FormerRelevant,
        CareLeaverStatus::Qualifying,
        CareLeaverStatus::None,
    ];

    pub fn parse(code: &str) -> Option<CareLeaverStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CareLeaverStatus::Eligible => "eligible",
            CareLeaverStatus::LookedAfter => "looked_after",
            CareLeaverStatus::Relevant => "relevant",
            CareLeaverStatus::FormerRelevant => "former_relevant",
            CareLeaverStatus::Qualifying => "qualifying",
            CareLeaverStatus::None => "none",
        }
    }

    /// The words practitioners use.
    pub fn label(self) -> &'static str {
        match self {
            CareLeaverStatus::Eligible => "Eligible child",
            CareLeaverStatus::LookedAfter => "Looked after",
            CareLeaverStatus::Relevant => "Relevant child",
            CareLeaverStatus::FormerRelevant => "Former relevant child",
            CareLeaverStatus::Qualifying => "Qualifying care leaver",
            CareLeaverStatus::None => "Not a care leaver",
        }
    }

    /// Statuses that bring a personal adviser to age 25.
    pub fn has_personal_adviser(self) -> bool {
        matches!(self, CareLeaverStatus::Eligible | CareLeaverStatus::Relevant | CareLeaverStatus::FormerRelevant)
    }
}

impl fmt::Display for CareLeaverStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One episode as counted: the part of it inside the counting window and
/// the days it added that no earlier episode had already counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountedPeriod {
    /// The episode as recorded.
    pub decom: NaiveDate,
    pub dec: Option<NaiveDate>,
    pub legal_status: String,
    pub placement: String,
    /// The counted window (start inclusive, end exclusive); `None` when nothing counts.
    pub counted_from: Option<NaiveDate>,
    pub counted_to: Option<NaiveDate>,
    /// Looked-after days this episode adds.
    pub looked_after_days: u32,
    /// Residential days this episode adds.
    pub residential_days: u32,
    /// Why the episode counts as it does, in words.
    pub note: String,
}

/// Why a field has the value it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub field: &'static str,
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub as_at: NaiveDate,
    pub age: u32,
    pub in_care: bool,
    pub residential_days_after_14: u32,
    pub looked_after_days_after_14: u32,
    pub staying_close_eligible: bool,
    pub care_leaver_status: CareLeaverStatus,
    pub personal_adviser_until: Option<NaiveDate>,
    /// When residential days reached the threshold, or will reach it if the
    /// current residential placement continues.
    pub threshold_reached_on: Option<NaiveDate>,
    pub threshold_projected: bool,
    pub periods: Vec<CountedPeriod>,
    pub reasons: Vec<Reason>,
    /// What SSDA903 cannot settle and a person should check, with why.
    pub for_review: Vec<Reason>,
}

/// Half-open date interval [start, end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Span {
    start: NaiveDate,
    end: NaiveDate,
}

impl Span {
    fn days(self) -> u32 {
        (self.end - self.start).num_days().max(0) as u32
    }

    fn clip(self, from: NaiveDate, to: NaiveDate) -> Option<Span> {
        let s = Span { start: self.start.max(from), end: self.end.min(to) };
        (s.start < s.end).then_some(s)
    }
}

/// The union of spans as disjoint spans in date order (order and repetition
/// of the input do not matter).
fn merged(spans: &[Span]) -> Vec<Span> {
    let mut sorted = spans.to_vec();
    sorted.sort();
    let mut out: Vec<Span> = Vec::with_capacity(sorted.len());
    for s in sorted {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Days covered by the union of spans.
fn union_days(spans: &[Span]) -> u32 {
    merged(spans).iter().map(|s| s.days()).sum()
}

/// The day on which the union of `spans` reaches `threshold` days (the first
/// as-at date on which the count equals the threshold).
fn threshold_date(spans: &[Span], threshold: u32) -> Option<NaiveDate> {
    let mut total = 0u32;
    for s in merged(spans) {
        if total + s.days() >= threshold {
            return Some(s.start + Days::new((threshold - total) as u64));
        }
        total += s.days();
    }
    None
}

/// A date in explanations, the GOV.UK way: "6 July 2020".
fn d(date: NaiveDate) -> String {
    crate::dates::format_uk(date)
}

/// "1 day", "91 days".
fn days(n: u32) -> String {
    crate::words::count(n.into(), "day", "days")
}

/// "1 residential day", "91 residential days".
fn residential_days_words(n: u32) -> String {
    crate::words::count(n.into(), "residential day", "residential days")
}

/// The birthdays that matter and the counting window: from the 14th
/// birthday up to the earlier of the as-at date and the 18th birthday.
struct Window {
    as_at: NaiveDate,
    b14: NaiveDate,
    b16: NaiveDate,
    b18: NaiveDate,
    b25: NaiveDate,
    end: NaiveDate,
}

impl Window {
    fn new(dob: NaiveDate, as_at: NaiveDate, rules: &Rules) -> Window {
        let b18 = birthday(dob, 18, rules.leap_day);
        Window {
            as_at,
            b14: birthday(dob, 14, rules.leap_day),
            b16: birthday(dob, 16, rules.leap_day),
            b18,
            b25: birthday(dob, 25, rules.leap_day),
            end: as_at.min(b18),
        }
    }
}

/// An episode with the end the engine uses: its DEC, or, for an episode
/// left open although a later one starts, the start of that later episode.
struct Dated<'a> {
    episode: &'a Episode,
    end: Option<NaiveDate>,
    /// Set when an open episode was ended by the next one's start.
    ended_by_next: bool,
}

/// Episodes in date order, each open one ended where the next one starts
/// (an open episode can only be the last; a file that says otherwise is
/// wrong, and counting it to the as-at date would invent care time).
fn in_date_order(episodes: &[Episode]) -> Vec<Dated<'_>> {
    let mut order: Vec<&Episode> = episodes.iter().collect();
    order.sort_by(|a, b| {
        (a.start, a.end.is_none(), a.end, a.legal_status, a.placement).cmp(&(
            b.start,
            b.end.is_none(),
            b.end,
            b.legal_status,
            b.placement,
        ))
    });
    order
        .iter()
        .map(|e| {
            let next_start = match e.end {
                None => order.iter().map(|o| o.start).find(|s| *s > e.start),
                Some(_) => None,
            };
            Dated { episode: e, end: e.end.or(next_start), ended_by_next: next_start.is_some() }
        })
        .collect()
}

/// What counting found: each episode's part, and the spans behind the totals.
struct Counted {
    periods: Vec<CountedPeriod>,
    looked_after: Vec<Span>,
    residential: Vec<Span>,
    after_16: Vec<Span>,
}

/// Counts each episode's looked-after and residential days inside the
/// window, explaining each; days already counted are not counted again.
fn count_episodes(dated: &[Dated], window: &Window, rules: &Rules) -> Counted {
    let as_at = window.as_at;
    let mut counted =
        Counted { periods: Vec::new(), looked_after: Vec::new(), residential: Vec::new(), after_16: Vec::new() };
    let (mut la_covered, mut resi_covered): (Option<NaiveDate>, Option<NaiveDate>) = (None, None);
    for item in dated {
        let e = item.episode;
        let raw_end = item.end.unwrap_or(as_at).min(as_at);
        let raw = Span { start: e.start, end: raw_end.max(e.start) };
        let span = raw.clip(window.b14, window.end);
        let short_break = rules.is_short_break(e);
        let mut note = Vec::new();
        let (mut la_days, mut resi_days) = (0, 0);
        if e.start >= as_at {
            note.push(format!("starts on or after the as-at date ({}), so ignored", d(as_at)));
        } else if short_break {
            note.push(format!("legal status {} is a pre-planned short break, so never counts", e.legal_status));
        } else if let Some(span) = span {
            let fresh = |covered: &mut Option<NaiveDate>| {
                let from = covered.map_or(span.start, |c| c.max(span.start));
                *covered = Some(covered.map_or(span.end, |c| c.max(span.end)));
                Span { start: from, end: span.end.max(from) }.days()
            };
            la_days = fresh(&mut la_covered);
            counted.looked_after.push(span);
            if let Some(s16) = span.clip(window.b16, window.end) {
                counted.after_16.push(s16);
            }
            if rules.is_residential(e) {
                resi_days = fresh(&mut resi_covered);
                counted.residential.push(span);
                note.push(format!("placement {} is residential care", e.placement));
            } else {
                note.push(format!("placement {} is not residential care", e.placement));
            }
            if e.start < window.b14 {
                note.push(format!("counted from the 14th birthday ({})", d(window.b14)));
            }
            if item.ended_by_next {
                note.push(format!(
                    "no end date is recorded, but a later episode starts on {}: counted up to then",
                    d(item.end.unwrap_or(as_at))
                ));
            }
            if item.end.is_none_or(|end| end > window.end) {
                if window.end == window.b18 && as_at > window.b18 {
                    note.push(format!("care cannot continue past the 18th birthday ({})", d(window.b18)));
                } else {
                    note.push(format!("counted up to, not including, the as-at date ({})", d(as_at)));
                }
            }
            if la_days < span.days() {
                note.push(format!("{} already counted by another episode", days(span.days() - la_days)));
            }
        } else if raw.end <= window.b14 {
            note.push(format!("ended before the 14th birthday ({})", d(window.b14)));
        } else {
            note.push(format!("began on or after the 18th birthday ({})", d(window.b18)));
        }
        let shown = span.filter(|_| e.start < as_at && !short_break);
        counted.periods.push(CountedPeriod {
            decom: e.start,
            dec: e.end,
            legal_status: e.legal_status.to_string(),
            placement: e.placement.to_string(),
            counted_from: shown.map(|s| s.start),
            counted_to: shown.map(|s| s.end),
            looked_after_days: la_days,
            residential_days: resi_days,
            note: note.join("; "),
        });
    }
    counted
}

/// When the residential threshold was reached, or will be if the current
/// residential placement continues (`true` when projected).
fn residential_threshold(
    counted: &Counted,
    dated: &[Dated],
    window: &Window,
    rules: &Rules,
) -> (Option<NaiveDate>, bool) {
    if let Some(date) = threshold_date(&counted.residential, rules.threshold_days) {
        return (Some(date), false);
    }
    let as_at = window.as_at;
    let open_residential = dated
        .iter()
        .filter(|i| {
            !rules.is_short_break(i.episode)
                && rules.is_residential(i.episode)
                && i.episode.start < as_at
                && i.end.is_none_or(|end| end > as_at)
        })
        .filter_map(|i| {
            Span { start: i.episode.start, end: i.end.unwrap_or(window.b18).min(window.b18) }
                .clip(window.b14, window.b18)
        });
    let mut projected = counted.residential.clone();
    projected.extend(open_residential);
    match threshold_date(&projected, rules.threshold_days) {
        Some(date) if date > as_at => (Some(date), true),
        _ => (None, false),
    }
}

/// Legal statuses of a care order: a child on one is "in the care of" the LA.
const CARE_ORDERS: [&str; 2] = ["C1", "C2"];
/// Reasons an episode ceased that mean the child was adopted.
const ADOPTED: [&str; 2] = ["E11", "E12"];

/// The totals the statutory status is decided on.
struct Totals {
    age: u32,
    in_care: bool,
    looked_after_days: u32,
    days_after_16: u32,
    adopted: bool,
}

/// Statutory care-leaver status, first rule that applies, with the reason.
fn care_leaver_status(t: &Totals, window: &Window, threshold: u32) -> (CareLeaverStatus, String) {
    let Totals { age, in_care, looked_after_days, days_after_16, adopted } = *t;
    if adopted && !in_care {
        return (
            CareLeaverStatus::None,
            "adopted (the last episode ended with REC E11 or E12): adopted children are not care leavers".to_owned(),
        );
    }
    if in_care && (16..18).contains(&age) && looked_after_days >= threshold {
        (
            CareLeaverStatus::Eligible,
            format!(
                "in care, aged {age}, and looked after for {} after 14 (at least {threshold})",
                days(looked_after_days)
            ),
        )
    } else if in_care {
        (
            CareLeaverStatus::LookedAfter,
            format!(
                "in care on {} but not an eligible child (aged {age}, {} looked after after 14)",
                d(window.as_at),
                days(looked_after_days)
            ),
        )
    } else if (16..18).contains(&age) && looked_after_days >= threshold && days_after_16 >= 1 {
        (
            CareLeaverStatus::Relevant,
            format!(
                "aged {age}, no longer in care, looked after {} after 14 including {} after the 16th birthday",
                days(looked_after_days),
                days(days_after_16)
            ),
        )
    } else if (18..25).contains(&age) && looked_after_days >= threshold && days_after_16 >= 1 {
        (
            CareLeaverStatus::FormerRelevant,
            format!(
                "aged {age}, looked after {} between the 14th and 18th birthdays including {} after the 16th birthday",
                days(looked_after_days),
                days(days_after_16)
            ),
        )
    } else if (16..21).contains(&age) && days_after_16 >= 1 {
        (
            CareLeaverStatus::Qualifying,
            format!(
                "aged {age} and looked after for {} after the 16th birthday, but not {threshold} days after 14",
                days(days_after_16)
            ),
        )
    } else {
        (
            CareLeaverStatus::None,
            format!(
                "aged {age}; {} looked after after 14 and {} after 16: no care-leaver status applies",
                days(looked_after_days),
                days(days_after_16)
            ),
        )
    }
}

/// Short breaks in any 12 months beyond which the short-break exemption
/// cannot apply (England, CPPCR 2010 reg. 48).
pub const SHORT_BREAK_DAYS_IN_12_MONTHS: u32 = 75;
/// The longest single short break the exemption allows, as made.
pub const SHORT_BREAK_LONGEST_DAYS: u32 = 17;

/// What the engine cannot decide from SSDA903 alone and a person should check.
fn for_review(
    dated: &[Dated],
    window: &Window,
    counted: &Counted,
    status: CareLeaverStatus,
    rules: &Rules,
) -> Vec<Reason> {
    let mut out = Vec::new();
    // Short breaks are never counted, but only while they meet reg. 48.
    let breaks: Vec<(Span, &Episode)> = dated
        .iter()
        .filter(|i| rules.is_short_break(i.episode))
        .filter_map(|i| {
            Span { start: i.episode.start, end: i.end.unwrap_or(window.as_at).min(window.as_at) }
                .clip(window.b14, window.end)
                .map(|s| (s, i.episode))
        })
        .collect();
    if let Some((span, e)) = breaks.iter().find(|(s, e)| e.legal_status == "V3" && s.days() > SHORT_BREAK_LONGEST_DAYS)
    {
        out.push(Reason {
            field: "short_breaks",
            rule: format!(
                "a short break ({}) from {} lasted {} days, more than {SHORT_BREAK_LONGEST_DAYS}: check it was a pre-planned short break and not care that counts",
                e.legal_status,
                d(span.start),
                span.days()
            ),
        });
    }
    let spans: Vec<Span> = breaks.iter().map(|(s, _)| *s).collect();
    let year_from = |start: NaiveDate| Span { start, end: start.checked_add_months(Months::new(12)).unwrap_or(start) };
    let year_to = |end: NaiveDate| Span { start: end.checked_sub_months(Months::new(12)).unwrap_or(end), end };
    // The busiest 12 months start on a break's first day or end on one's
    // last; the first such window with the most days is named.
    let busiest = spans
        .iter()
        .map(|s| year_from(s.start))
        .chain(spans.iter().map(|s| year_to(s.end)))
        .map(|year| {
            let inside: Vec<Span> = spans.iter().filter_map(|s| s.clip(year.start, year.end)).collect();
            (union_days(&inside), year)
        })
        .reduce(|best, next| if next.0 > best.0 { next } else { best });
    if let Some((days, year)) = busiest.filter(|(days, _)| *days > SHORT_BREAK_DAYS_IN_12_MONTHS) {
        out.push(Reason {
            field: "short_breaks",
            rule: format!(
                "{days} days of short breaks in the 12 months from {}, more than {SHORT_BREAK_DAYS_IN_12_MONTHS}: they may count as care (CPPCR 2010 reg. 48); check by hand",
                d(year.start)
            ),
        });
    }
    // An episode ending on the 16th birthday counts no day after 16.
    let days_after_16 = union_days(&counted.after_16);
    if days_after_16 == 0
        && dated
            .iter()
            .any(|i| !rules.is_short_break(i.episode) && i.end == Some(window.b16) && window.as_at >= window.b16)
    {
        out.push(Reason {
            field: "ended_on_16th_birthday",
            rule: format!(
                "care ended on the 16th birthday ({}): counted as no day looked after after 16, though the young person turned 16 at the start of that day; check whether they are a relevant child",
                d(window.b16)
            ),
        });
    }
    // Detained on the 16th birthday after care ended (Care Leavers (England) Regulations 2010, reg. 3(2)).
    let last = dated.iter().rev().find(|i| !rules.is_short_break(i.episode));
    if let Some(last) = last {
        let e = last.episode;
        let looked_after = union_days(&counted.looked_after);
        if !status.has_personal_adviser()
            && window.as_at >= window.b16
            && e.reason_ceased.is_some_and(|r| r == "E9")
            && last.end.is_some_and(|end| end <= window.b16)
            && !CARE_ORDERS.contains(&e.legal_status.as_str())
            && looked_after >= rules.threshold_days
        {
            out.push(Reason {
                field: "detention_on_16th_birthday",
                rule: format!(
                    "left care on {} sentenced to custody (REC E9), not on a care order, after {} looked after since 14: if still detained on the 16th birthday ({}), a relevant child (Care Leavers (England) Regulations 2010, reg. 3(2)); check youth justice records",
                    d(last.end.unwrap_or(window.b16)),
                    days(looked_after),
                    d(window.b16)
                ),
            });
        }
    }
    out
}

/// Assesses a young person as at `as_at`.
pub fn assess(dob: NaiveDate, episodes: &[Episode], as_at: NaiveDate, rules: &Rules) -> Assessment {
    let window = Window::new(dob, as_at, rules);
    let age = age_on(dob, as_at, rules.leap_day);
    let dated = in_date_order(episodes);
    let counted = count_episodes(&dated, &window, rules);
    let looked_after_days = union_days(&counted.looked_after);
    let residential_days = union_days(&counted.residential);
    let days_after_16 = union_days(&counted.after_16);
    let threshold = rules.threshold_days;
    let in_care = as_at < window.b18
        && dated.iter().any(|i| {
            !rules.is_short_break(i.episode) && i.episode.start <= as_at && i.end.is_none_or(|end| end > as_at)
        });
    let adopted = dated
        .iter()
        .rev()
        .find(|i| !rules.is_short_break(i.episode) && i.episode.start < as_at)
        .is_some_and(|i| i.episode.reason_ceased.is_some_and(|r| ADOPTED.contains(&r.as_str())));
    let (threshold_reached_on, threshold_projected) = residential_threshold(&counted, &dated, &window, rules);

    let mut reasons = Vec::new();
    reasons.push(Reason {
        field: "looked_after_days_after_14",
        rule: format!(
            "{} looked after from the 14th birthday ({}) up to {}, excluding short breaks and counting overlaps once",
            days(looked_after_days),
            d(window.b14),
            if window.end == window.b18 {
                format!("the 18th birthday ({})", d(window.b18))
            } else {
                format!("the as-at date ({})", d(as_at))
            }
        ),
    });
    reasons.push(Reason {
        field: "residential_days_after_14",
        rule: format!(
            "{} of those in residential care (placements {})",
            residential_days,
            rules.residential_placements.join(", ")
        ),
    });

    let eligible = residential_days >= threshold && (16..25).contains(&age);
    reasons.push(Reason {
        field: "staying_close_eligible",
        rule: if eligible {
            format!(
                "{} after 14 is at least {threshold}, and aged {age} (16 to 24)",
                residential_days_words(residential_days)
            )
        } else if residential_days < threshold {
            format!("{} after 14 is fewer than {threshold} (13 weeks)", residential_days_words(residential_days))
        } else {
            format!("aged {age}: Staying Close is for ages 16 to 24")
        },
    });
    if let Some(date) = threshold_reached_on {
        reasons.push(Reason {
            field: "threshold_reached_on",
            rule: if threshold_projected {
                format!(
                    "{threshold} residential days will be reached on {} if the current placement continues",
                    d(date)
                )
            } else {
                format!("{threshold} residential days were reached on {}", d(date))
            },
        });
    }

    let totals = Totals { age, in_care, looked_after_days, days_after_16, adopted };
    let (status, why) = care_leaver_status(&totals, &window, threshold);
    reasons.push(Reason { field: "care_leaver_status", rule: why });

    let personal_adviser_until =
        status.has_personal_adviser().then(|| window.b25.pred_opt().expect("a day before the 25th birthday"));
    reasons.push(Reason {
        field: "personal_adviser_until",
        rule: match personal_adviser_until {
            Some(until) => format!(
                "{} status brings a personal adviser up to the day before the 25th birthday ({})",
                status.label(),
                format_uk(until)
            ),
            None => format!("{} status brings no personal adviser duty", status.label()),
        },
    });
    let for_review = for_review(&dated, &window, &counted, status, rules);

    Assessment {
        as_at,
        age,
        in_care,
        residential_days_after_14: residential_days,
        looked_after_days_after_14: looked_after_days,
        staying_close_eligible: eligible,
        care_leaver_status: status,
        personal_adviser_until,
        threshold_reached_on,
        threshold_projected,
        periods: counted.periods,
        reasons,
        for_review,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        crate::dates::parse_ddmmyyyy(s).unwrap()
    }

    fn ep(start: &str, end: Option<&str>, ls: &str, place: &str) -> Episode {
        use crate::ssda903::{CATEGORY_OF_NEED, LEGAL_STATUS, PLACEMENT, REASON_EPISODE_CEASED, REASON_NEW_EPISODE};
        Episode {
            start: date(start),
            end: end.map(date),
            reason_new: REASON_NEW_EPISODE.must("S"),
            legal_status: LEGAL_STATUS.must(ls),
            category_of_need: CATEGORY_OF_NEED.must("N1"),
            placement: PLACEMENT.must(place),
            provider: None,
            reason_ceased: end.map(|_| REASON_EPISODE_CEASED.must("X1")),
            reason_place_change: None,
            home_postcode: None,
            placement_postcode: None,
            urn: None,
        }
    }

    fn run(dob: &str, eps: &[Episode], as_at: &str) -> Assessment {
        assess(date(dob), eps, date(as_at), &Rules::default())
    }

    #[test]
    fn counts_of_days_have_real_plurals() {
        assert_eq!(days(1), "1 day");
        assert_eq!(days(0), "0 days");
        assert_eq!(residential_days_words(91), "91 residential days");
        assert_eq!(residential_days_words(1), "1 residential day");
    }

    #[test]
    fn explanations_use_gov_uk_dates_and_plurals() {
        // Overlapping episodes, one of them a single day, so every kind of sentence appears.
        let eps = [
            ep("01/03/2021", Some("01/10/2021"), "C2", "K2"),
            ep("30/09/2021", Some("01/10/2021"), "C2", "U1"),
            ep("01/10/2021", Some("01/09/2023"), "C2", "U6"),
        ];
        let a = run("10/06/2007", &eps, "01/01/2024");
        let text: Vec<&str> =
            a.reasons.iter().map(|r| r.rule.as_str()).chain(a.periods.iter().map(|p| p.note.as_str())).collect();
        for line in &text {
            assert!(!line.contains("(s)"), "no 'day(s)': {line}");
            let numeric_date = line.as_bytes().windows(10).any(|w| {
                w.iter().enumerate().all(|(i, b)| if i == 2 || i == 5 { *b == b'/' } else { b.is_ascii_digit() })
            });
            assert!(!numeric_date, "dates are written out: {line}");
        }
        assert!(text.iter().any(|l| l.contains("1 day already counted by another episode")), "{text:?}");
        assert!(text.iter().any(|l| l.contains("from the 14th birthday (10 June 2021)")), "{text:?}");
    }

    #[test]
    fn example_1_counts_only_from_the_14th_birthday() {
        let eps = [ep("01/03/2021", Some("01/10/2021"), "C2", "K2"), ep("01/10/2021", Some("01/09/2023"), "C2", "U6")];
        let a = run("10/06/2007", &eps, "01/01/2024");
        assert_eq!(a.residential_days_after_14, 113);
        assert!(a.staying_close_eligible);
        assert_eq!(a.care_leaver_status, CareLeaverStatus::Relevant);
        assert_eq!(a.personal_adviser_until, Some(date("09/06/2032")));
        assert!(a.periods[0].note.contains("counted from the 14th birthday (10 June 2021)"), "{}", a.periods[0].note);
        let later = run("10/06/2007", &eps, "01/07/2025");
        assert_eq!(later.care_leaver_status, CareLeaverStatus::FormerRelevant);
    }

    #[test]
    fn example_2_short_breaks_never_count() {
        let eps = [
            ep("03/02/2023", Some("17/02/2023"), "V3", "K2"),
            ep("03/03/2023", Some("17/03/2023"), "V3", "K2"),
            ep("07/04/2023", Some("21/04/2023"), "V3", "K2"),
            ep("01/06/2023", Some("20/08/2023"), "V2", "K2"),
        ];
        let a = run("20/01/2009", &eps, "01/01/2026");
        assert_eq!(a.residential_days_after_14, 80);
        assert_eq!(a.looked_after_days_after_14, 80);
        assert!(!a.staying_close_eligible);
        assert!(a.periods[0].note.contains("short break"));
    }

    #[test]
    fn example_3_custody_counts_as_residential() {
        let eps = [ep("10/01/2022", Some("14/03/2022"), "J1", "R5"), ep("14/03/2022", Some("25/04/2022"), "C2", "K2")];
        let a = run("05/11/2007", &eps, "01/01/2025");
        assert_eq!(a.residential_days_after_14, 105);
        assert_eq!(a.periods[0].residential_days, 63);
        assert_eq!(a.periods[1].residential_days, 42);
        assert!(a.staying_close_eligible);
    }

    #[test]
    fn example_4_open_episodes_run_to_the_day_before_the_as_at_date() {
        let eps = [ep("08/01/2024", None, "C2", "K2")];
        let on = run("15/08/2009", &eps, "08/04/2024");
        assert_eq!(on.residential_days_after_14, 91);
        assert_eq!(on.threshold_reached_on, Some(date("08/04/2024")));
        assert!(!on.threshold_projected);
        let before = run("15/08/2009", &eps, "07/04/2024");
        assert_eq!(before.residential_days_after_14, 90);
        assert_eq!(before.threshold_reached_on, Some(date("08/04/2024")), "projected while the placement continues");
        assert!(before.threshold_projected);
        assert!(before.in_care);
        assert_eq!(before.care_leaver_status, CareLeaverStatus::LookedAfter);
        assert!(!on.staying_close_eligible, "aged 14: too young for Staying Close");
    }

    #[test]
    fn example_5_one_day_short() {
        let eps = [
            ep("03/10/2022", Some("14/11/2022"), "C2", "K2"),
            ep("14/11/2022", Some("09/01/2023"), "C2", "U6"),
            ep("09/01/2023", Some("26/02/2023"), "C2", "K2"),
        ];
        let a = run("30/09/2008", &eps, "01/10/2024");
        assert_eq!(a.residential_days_after_14, 90);
        assert!(!a.staying_close_eligible);
        assert!(a.reasons.iter().any(|r| r.field == "staying_close_eligible" && r.rule.contains("fewer than 91")));
    }

    #[test]
    fn example_6_leap_day_births_follow_the_configured_rule() {
        let eps = [ep("01/01/2022", Some("30/05/2022"), "C2", "K1")];
        let march = run("29/02/2008", &eps, "01/06/2024");
        assert_eq!(march.residential_days_after_14, 90);
        let feb = assess(
            date("29/02/2008"),
            &eps,
            date("01/06/2024"),
            &Rules { leap_day: LeapDayRule::TwentyEighthOfFebruary, ..Rules::default() },
        );
        assert_eq!(feb.residential_days_after_14, 91);
    }

    #[test]
    fn care_is_cut_at_the_18th_birthday() {
        let eps = [ep("01/01/2020", None, "C2", "K2")];
        let a = run("01/03/2004", &eps, "01/03/2025");
        // 14th birthday 01/03/2018, so counting runs 01/01/2020 to 01/03/2022.
        assert_eq!(a.residential_days_after_14, 790);
        assert!(!a.in_care);
        assert_eq!(a.care_leaver_status, CareLeaverStatus::FormerRelevant);
        assert!(a.periods[0].note.contains("past the 18th birthday"));
    }

    #[test]
    fn episodes_starting_on_or_after_the_as_at_date_are_ignored() {
        let eps = [ep("01/06/2024", None, "C2", "K2")];
        let a = run("01/01/2007", &eps, "01/06/2024");
        assert_eq!(a.looked_after_days_after_14, 0);
        assert!(a.in_care, "starting on the as-at date still means in care that day");
        assert_eq!(a.care_leaver_status, CareLeaverStatus::LookedAfter);
    }

    #[test]
    fn overlaps_count_once() {
        let eps = [ep("01/01/2022", Some("01/04/2022"), "C2", "K2"), ep("01/03/2022", Some("01/05/2022"), "C2", "K2")];
        let a = run("01/01/2006", &eps, "01/01/2025");
        assert_eq!(a.residential_days_after_14, 120);
        assert_eq!(a.periods.iter().map(|p| p.residential_days).sum::<u32>(), 120, "periods add up to the total");
    }

    #[test]
    fn statuses_follow_the_first_rule_that_applies() {
        // In care at 17 with a year in a children's home: eligible child.
        let open = [ep("01/01/2024", None, "C2", "K2")];
        assert_eq!(run("01/06/2008", &open, "01/06/2025").care_leaver_status, CareLeaverStatus::Eligible);
        // Looked after for 30 days from 16, left: qualifying.
        let short = [ep("01/07/2024", Some("31/07/2024"), "V2", "U6")];
        let q = run("01/06/2008", &short, "01/06/2025");
        assert_eq!(q.care_leaver_status, CareLeaverStatus::Qualifying);
        assert_eq!(q.personal_adviser_until, None);
        // Care only before 16 and not 13 weeks: none.
        let young = [ep("01/07/2022", Some("31/07/2022"), "V2", "U6")];
        assert_eq!(run("01/06/2008", &young, "01/06/2025").care_leaver_status, CareLeaverStatus::None);
        // Qualifying stops at 21.
        assert_eq!(run("01/06/2008", &short, "01/06/2029").care_leaver_status, CareLeaverStatus::None);
    }

    fn ceased(mut e: Episode, rec: &str) -> Episode {
        e.reason_ceased = Some(crate::ssda903::REASON_EPISODE_CEASED.must(rec));
        e
    }

    #[test]
    fn an_open_episode_ends_where_the_next_one_starts() {
        // 31 days in a children's home left open, then foster care: 31 residential days, not 516.
        let eps = [ep("01/03/2023", None, "C2", "K2"), ep("01/04/2023", Some("01/09/2023"), "C2", "U6")];
        let a = run("10/06/2007", &eps, "01/08/2024");
        assert_eq!(a.residential_days_after_14, 31);
        assert!(!a.staying_close_eligible);
        assert!(!a.in_care, "the open episode ended when the next began");
        assert!(a.periods[0].note.contains("a later episode starts on 1 April 2023"), "{}", a.periods[0].note);
    }

    #[test]
    fn short_breaks_beyond_the_regulations_are_flagged_for_review() {
        // Four 20-day V3 breaks in one year: 80 days (over 75), and each over 17 days.
        let eps = [
            ep("01/01/2024", Some("21/01/2024"), "V3", "K2"),
            ep("01/03/2024", Some("21/03/2024"), "V3", "K2"),
            ep("01/05/2024", Some("21/05/2024"), "V3", "K2"),
            ep("01/07/2024", Some("21/07/2024"), "V3", "K2"),
        ];
        let a = run("01/01/2009", &eps, "01/01/2025");
        assert_eq!(a.looked_after_days_after_14, 0, "still never counted");
        let rules: Vec<&str> = a.for_review.iter().map(|r| r.rule.as_str()).collect();
        assert!(rules.iter().any(|r| r.contains("lasted 20 days, more than 17")), "{rules:?}");
        assert!(
            rules.iter().any(|r| r.contains("80 days of short breaks in the 12 months from 1 January 2024")),
            "{rules:?}"
        );
        // Three 14-day breaks (example 2) stay within the rule: nothing to review.
        let fine = [
            ep("03/02/2023", Some("17/02/2023"), "V3", "K2"),
            ep("03/03/2023", Some("17/03/2023"), "V3", "K2"),
            ep("07/04/2023", Some("21/04/2023"), "V3", "K2"),
        ];
        assert!(run("20/01/2009", &fine, "01/01/2026").for_review.is_empty());
    }

    #[test]
    fn care_ending_on_the_16th_birthday_is_flagged_for_review() {
        let eps = [ep("01/01/2022", Some("01/06/2024"), "C2", "K2")];
        let a = run("01/06/2008", &eps, "01/01/2025");
        assert_eq!(a.care_leaver_status, CareLeaverStatus::None, "the validator's arithmetic: no day after 16");
        assert_eq!(a.for_review.len(), 1);
        assert_eq!(a.for_review[0].field, "ended_on_16th_birthday");
        // A day later and there is nothing to review.
        let later = [ep("01/01/2022", Some("02/06/2024"), "C2", "K2")];
        let b = run("01/06/2008", &later, "01/01/2025");
        assert_eq!(b.care_leaver_status, CareLeaverStatus::Relevant);
        assert!(b.for_review.is_empty());
    }

    #[test]
    fn custody_before_16_without_a_care_order_is_flagged_for_the_detention_clause() {
        // Remanded and accommodated under s.20 (not a care order) for 200 days, sentenced to custody at 15.
        let eps = [ceased(ep("01/01/2023", Some("20/07/2023"), "V2", "K2"), "E9")];
        let a = run("01/03/2008", &eps, "01/06/2024");
        assert_eq!(a.care_leaver_status, CareLeaverStatus::None);
        let flag = a.for_review.iter().find(|r| r.field == "detention_on_16th_birthday").expect("flagged");
        assert!(flag.rule.contains("if still detained on the 16th birthday (1 March 2024)"), "{}", flag.rule);
        // On a care order the clause does not apply.
        let on_order = [ceased(ep("01/01/2023", Some("20/07/2023"), "C2", "K2"), "E9")];
        assert!(run("01/03/2008", &on_order, "01/06/2024").for_review.is_empty());
        // Nor when care did not last 13 weeks.
        let short = [ceased(ep("01/06/2023", Some("20/07/2023"), "V2", "K2"), "E9")];
        assert!(run("01/03/2008", &short, "01/06/2024").for_review.is_empty());
    }

    #[test]
    fn adopted_children_are_not_care_leavers() {
        let eps = [ceased(ep("01/01/2022", Some("01/12/2024"), "E1", "U4"), "E11")];
        let a = run("01/06/2008", &eps, "01/06/2025");
        assert_eq!(a.care_leaver_status, CareLeaverStatus::None);
        assert!(a.reasons.iter().any(|r| r.rule.contains("adopted")));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn episode() -> impl Strategy<Value = Episode> {
            let base = date("01/01/2015");
            (0u64..4000, proptest::option::of(1u64..900), 0usize..4, 0usize..5).prop_map(
                move |(start, len, ls, place)| {
                    let s = base + Days::new(start);
                    Episode {
                        end: len.map(|l| s + Days::new(l)),
                        legal_status: crate::ssda903::LEGAL_STATUS.must(["C2", "V2", "V3", "J1"][ls]),
                        placement: crate::ssda903::PLACEMENT.must(["K2", "K1", "R5", "U6", "K3"][place]),
                        ..ep("01/01/2015", None, "C2", "K2")
                    }
                    .with_start(s)
                },
            )
        }

        impl Episode {
            fn with_start(mut self, start: NaiveDate) -> Episode {
                self.start = start;
                self
            }
        }

        proptest! {
            #[test]
            fn counting_ignores_order_and_duplicates(eps in proptest::collection::vec(episode(), 0..8), as_at in 0u64..5000, rot in 0usize..8) {
                let dob = date("10/05/2004");
                let as_at = date("01/01/2015") + Days::new(as_at);
                let a = assess(dob, &eps, as_at, &Rules::default());
                let mut shuffled = eps.clone();
                if !shuffled.is_empty() {
                    let k = rot % shuffled.len();
                    shuffled.rotate_left(k);
                    shuffled.reverse();
                }
                let mut doubled = eps.clone();
                doubled.extend(eps.iter().cloned());
                for other in [shuffled, doubled] {
                    let b = assess(dob, &other, as_at, &Rules::default());
                    prop_assert_eq!(a.residential_days_after_14, b.residential_days_after_14);
                    prop_assert_eq!(a.looked_after_days_after_14, b.looked_after_days_after_14);
                    prop_assert_eq!(a.care_leaver_status, b.care_leaver_status);
                    prop_assert_eq!(a.staying_close_eligible, b.staying_close_eligible);
                }
            }

            #[test]
            fn residential_never_exceeds_looked_after(eps in proptest::collection::vec(episode(), 0..8), as_at in 0u64..5000) {
                let a = assess(date("10/05/2004"), &eps, date("01/01/2015") + Days::new(as_at), &Rules::default());
                prop_assert!(a.residential_days_after_14 <= a.looked_after_days_after_14);
                prop_assert_eq!(a.periods.iter().map(|p| p.looked_after_days).sum::<u32>(), a.looked_after_days_after_14);
                prop_assert_eq!(a.periods.iter().map(|p| p.residential_days).sum::<u32>(), a.residential_days_after_14);
            }
        }
    }
}
