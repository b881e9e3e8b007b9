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
use chrono::{Days, NaiveDate};
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

fn d(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Assesses a young person as at `as_at`.
pub fn assess(dob: NaiveDate, episodes: &[Episode], as_at: NaiveDate, rules: &Rules) -> Assessment {
    let b14 = birthday(dob, 14, rules.leap_day);
    let b16 = birthday(dob, 16, rules.leap_day);
    let b18 = birthday(dob, 18, rules.leap_day);
    let b25 = birthday(dob, 25, rules.leap_day);
    let age = age_on(dob, as_at, rules.leap_day);
    let short_break = |e: &Episode| rules.short_break_statuses.contains(&e.legal_status);
    let residential = |e: &Episode| rules.residential_placements.contains(&e.placement);
    // The counting window: from the 14th birthday up to the earlier of the as-at date and the 18th birthday.
    let window_end = as_at.min(b18);

    let mut order: Vec<&Episode> = episodes.iter().collect();
    order.sort_by(|a, b| {
        (a.start, a.end.is_none(), a.end, &a.legal_status, &a.placement).cmp(&(
            b.start,
            b.end.is_none(),
            b.end,
            &b.legal_status,
            &b.placement,
        ))
    });

    let mut looked_after: Vec<Span> = Vec::new();
    let mut resi: Vec<Span> = Vec::new();
    let mut after_16: Vec<Span> = Vec::new();
    let mut periods = Vec::new();
    let (mut la_covered, mut resi_covered): (Option<NaiveDate>, Option<NaiveDate>) = (None, None);
    for e in order {
        let raw_end = e.end.unwrap_or(as_at).min(as_at);
        let raw = Span { start: e.start, end: raw_end.max(e.start) };
        let counted = raw.clip(b14, window_end);
        let mut note = Vec::new();
        let (mut la_days, mut resi_days) = (0, 0);
        if e.start >= as_at {
            note.push(format!("starts on or after the as-at date ({}), so ignored", d(as_at)));
        } else if short_break(e) {
            note.push(format!("legal status {} is a pre-planned short break, so never counts", e.legal_status));
        } else if let Some(span) = counted {
            let fresh = |covered: &mut Option<NaiveDate>| {
                let from = covered.map_or(span.start, |c| c.max(span.start));
                *covered = Some(covered.map_or(span.end, |c| c.max(span.end)));
                Span { start: from, end: span.end.max(from) }.days()
            };
            la_days = fresh(&mut la_covered);
            looked_after.push(span);
            if let Some(s16) = span.clip(b16, window_end) {
                after_16.push(s16);
            }
            if residential(e) {
                resi_days = fresh(&mut resi_covered);
                resi.push(span);
                note.push(format!("placement {} is residential care", e.placement));
            } else {
                note.push(format!("placement {} is not residential care", e.placement));
            }
            if e.start < b14 {
                note.push(format!("counted from the 14th birthday ({})", d(b14)));
            }
            if e.end.is_none_or(|end| end > window_end) {
                if window_end == b18 && as_at > b18 {
                    note.push(format!("care cannot continue past the 18th birthday ({})", d(b18)));
                } else {
                    note.push(format!("counted up to, not including, the as-at date ({})", d(as_at)));
                }
            }
            if la_days < span.days() {
                note.push(format!("{} day(s) already counted by another episode", span.days() - la_days));
            }
        } else if raw.end <= b14 {
            note.push(format!("ended before the 14th birthday ({})", d(b14)));
        } else {
            note.push(format!("began on or after the 18th birthday ({})", d(b18)));
        }
        periods.push(CountedPeriod {
            decom: e.start,
            dec: e.end,
            legal_status: e.legal_status.clone(),
            placement: e.placement.clone(),
            counted_from: counted.filter(|_| e.start < as_at && !short_break(e)).map(|s| s.start),
            counted_to: counted.filter(|_| e.start < as_at && !short_break(e)).map(|s| s.end),
            looked_after_days: la_days,
            residential_days: resi_days,
            note: note.join("; "),
        });
    }

    let looked_after_days = union_days(&looked_after);
    let residential_days = union_days(&resi);
    let days_after_16 = union_days(&after_16);
    let threshold = rules.threshold_days;

    let in_care = as_at < b18
        && episodes.iter().any(|e| !short_break(e) && e.start <= as_at && e.end.is_none_or(|end| end > as_at));

    // When the residential threshold is (or will be) reached.
    let (threshold_reached_on, threshold_projected) = match threshold_date(&resi, threshold) {
        Some(date) => (Some(date), false),
        None => {
            // Project forward if a residential, non-short-break placement is open now.
            let open_residential: Vec<Span> = episodes
                .iter()
                .filter(|e| !short_break(e) && residential(e) && e.start < as_at && e.end.is_none_or(|end| end > as_at))
                .filter_map(|e| Span { start: e.start, end: e.end.unwrap_or(b18).min(b18) }.clip(b14, b18))
                .collect();
            let mut projected = resi.clone();
            projected.extend(open_residential);
            match threshold_date(&projected, threshold) {
                Some(date) if date > as_at => (Some(date), true),
                _ => (None, false),
            }
        }
    };

    let mut reasons = Vec::new();
    reasons.push(Reason {
        field: "looked_after_days_after_14",
        rule: format!(
            "{looked_after_days} day(s) looked after from the 14th birthday ({}) up to {}, excluding short breaks and counting overlaps once",
            d(b14),
            if window_end == b18 { format!("the 18th birthday ({})", d(b18)) } else { format!("the as-at date ({})", d(as_at)) }
        ),
    });
    reasons.push(Reason {
        field: "residential_days_after_14",
        rule: format!(
            "{residential_days} of those day(s) in residential care (placements {})",
            rules.residential_placements.join(", ")
        ),
    });

    let eligible = residential_days >= threshold && (16..25).contains(&age);
    reasons.push(Reason {
        field: "staying_close_eligible",
        rule: if eligible {
            format!("{residential_days} residential day(s) after 14 is at least {threshold}, and aged {age} (16 to 24)")
        } else if residential_days < threshold {
            format!("{residential_days} residential day(s) after 14 is fewer than {threshold} (13 weeks)")
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

    let (status, why) = if in_care && (16..18).contains(&age) && looked_after_days >= threshold {
        (
            CareLeaverStatus::Eligible,
            format!(
                "in care, aged {age}, and looked after for {looked_after_days} day(s) after 14 (at least {threshold})"
            ),
        )
    } else if in_care {
        (CareLeaverStatus::LookedAfter, format!("in care on {} but not an eligible child (aged {age}, {looked_after_days} day(s) looked after after 14)", d(as_at)))
    } else if (16..18).contains(&age) && looked_after_days >= threshold && days_after_16 >= 1 {
        (CareLeaverStatus::Relevant, format!("aged {age}, no longer in care, looked after {looked_after_days} day(s) after 14 including {days_after_16} day(s) after the 16th birthday"))
    } else if (18..25).contains(&age) && looked_after_days >= threshold && days_after_16 >= 1 {
        (CareLeaverStatus::FormerRelevant, format!("aged {age}, looked after {looked_after_days} day(s) between the 14th and 18th birthdays including {days_after_16} day(s) after the 16th birthday"))
    } else if (16..21).contains(&age) && days_after_16 >= 1 {
        (CareLeaverStatus::Qualifying, format!("aged {age} and looked after for {days_after_16} day(s) after the 16th birthday, but not {threshold} days after 14"))
    } else {
        (CareLeaverStatus::None, format!("aged {age}; {looked_after_days} day(s) looked after after 14 and {days_after_16} after 16: no care-leaver status applies"))
    };
    reasons.push(Reason { field: "care_leaver_status", rule: why });

    let personal_adviser_until =
        status.has_personal_adviser().then(|| b25.pred_opt().expect("a day before the 25th birthday"));
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
        periods,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        crate::dates::parse_ddmmyyyy(s).unwrap()
    }

    fn ep(start: &str, end: Option<&str>, ls: &str, place: &str) -> Episode {
        Episode {
            start: date(start),
            end: end.map(date),
            reason_new: "S".into(),
            legal_status: ls.into(),
            category_of_need: "N1".into(),
            placement: place.into(),
            provider: None,
            reason_ceased: end.map(|_| "X1".into()),
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
    fn example_1_counts_only_from_the_14th_birthday() {
        let eps = [ep("01/03/2021", Some("01/10/2021"), "C2", "K2"), ep("01/10/2021", Some("01/09/2023"), "C2", "U6")];
        let a = run("10/06/2007", &eps, "01/01/2024");
        assert_eq!(a.residential_days_after_14, 113);
        assert!(a.staying_close_eligible);
        assert_eq!(a.care_leaver_status, CareLeaverStatus::Relevant);
        assert_eq!(a.personal_adviser_until, Some(date("09/06/2032")));
        assert!(a.periods[0].note.contains("counted from the 14th birthday (10/06/2021)"), "{}", a.periods[0].note);
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
                        legal_status: ["C2", "V2", "V3", "J1"][ls].into(),
                        placement: ["K2", "K1", "R5", "U6", "K3"][place].into(),
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
