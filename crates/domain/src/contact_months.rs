//! Contacts counted by month, kind, topics and statutory support tags, with
//! the home visits among them that followed an earlier visit and those on
//! time: what the impact report and the national roll-up read for whole
//! months instead of every contact (ADR 0014).
//!
//! The store keeps one LA's counts up to date by working out a young
//! person's counts before and after a change and applying the difference,
//! so the rules live here once, with no I/O.

use crate::report::{visit_on_time, ContactGroup};
use crate::visits::Schedule;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What the counts need to know about one contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactFact {
    pub on: NaiveDate,
    pub kind: String,
    /// Comma-joined codes, as stored.
    pub topics: String,
    pub areas: String,
    pub forms: String,
    pub minutes: i64,
}

/// The contacts counted together: one month's with the same kind, topics and tags.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthKey {
    /// `YYYY-MM`.
    pub month: String,
    pub kind: String,
    pub topics: String,
    pub areas: String,
    pub forms: String,
}

/// The counts under one key. A difference between two sets of counts has
/// the same shape, and may be negative.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub contacts: i64,
    pub minutes: i64,
    /// Home visits that followed an earlier home visit made under the schedule.
    pub visits_due: i64,
    /// Of those, the ones no later than the schedule's interval after it.
    pub visits_on_time: i64,
}

impl Tally {
    /// Adds `other` (`sign` 1) or takes it away (`sign` -1).
    pub fn add(&mut self, other: Tally, sign: i64) {
        self.contacts += sign * other.contacts;
        self.minutes += sign * other.minutes;
        self.visits_due += sign * other.visits_due;
        self.visits_on_time += sign * other.visits_on_time;
    }

    pub fn is_zero(&self) -> bool {
        *self == Tally::default()
    }
}

pub type Tallies = BTreeMap<MonthKey, Tally>;

/// The home visit kind's stored code.
pub const HOME_VISIT: &str = "home_visit";

/// One young person's contacts counted by month, kind, topics and tags,
/// with their home visits checked against their visit schedule: a visit is
/// due when an earlier visit (on an earlier day) was made on or after the
/// schedule started, and on time when it came within the interval.
pub fn tally(contacts: &[ContactFact], schedule: Option<Schedule>) -> Tallies {
    let mut visit_days: Vec<NaiveDate> = contacts.iter().filter(|c| c.kind == HOME_VISIT).map(|c| c.on).collect();
    visit_days.sort_unstable();
    let mut out = Tallies::new();
    for c in contacts {
        let key = MonthKey {
            month: c.on.format("%Y-%m").to_string(),
            kind: c.kind.clone(),
            topics: c.topics.clone(),
            areas: c.areas.clone(),
            forms: c.forms.clone(),
        };
        let mut counted = Tally { contacts: 1, minutes: c.minutes, ..Tally::default() };
        if c.kind == HOME_VISIT {
            // The latest visit on an earlier day.
            let earlier = visit_days.partition_point(|d| *d < c.on);
            let previous = earlier.checked_sub(1).map(|i| visit_days[i]);
            if let (Some(previous), Some(schedule)) = (previous, schedule) {
                if previous >= schedule.starts_on {
                    counted.visits_due = 1;
                    counted.visits_on_time = i64::from(visit_on_time(previous, c.on, schedule.frequency));
                }
            }
        }
        out.entry(key).or_default().add(counted, 1);
    }
    out
}

/// What turns `before` into `after`, key by key in key order (so every
/// writer updates shared rows in the same order), leaving out keys that
/// did not change.
pub fn difference(before: &Tallies, after: &Tallies) -> Vec<(MonthKey, Tally)> {
    let mut change: Tallies = after.clone();
    for (key, was) in before {
        change.entry(key.clone()).or_default().add(*was, -1);
    }
    change.into_iter().filter(|(_, t)| !t.is_zero()).collect()
}

/// The groups of `add` less those of `subtract`, key by key, leaving out
/// keys with no contacts. While the kept counts equal the records (a test
/// checks they do), nothing goes below nought.
pub fn net_groups(add: &[ContactGroup], subtract: &[ContactGroup]) -> Vec<ContactGroup> {
    let mut net = Tallies::new();
    for (list, sign) in [(add, 1), (subtract, -1)] {
        for g in list {
            let key = MonthKey {
                month: g.month.clone(),
                kind: g.kind.clone(),
                topics: g.topics.clone(),
                areas: g.areas.clone(),
                forms: g.forms.clone(),
            };
            let counts = Tally {
                contacts: g.count as i64,
                minutes: g.minutes,
                visits_due: g.visits_due as i64,
                visits_on_time: g.visits_on_time as i64,
            };
            net.entry(key).or_default().add(counts, sign);
        }
    }
    net.retain(|_, t| t.contacts > 0);
    groups(&net)
}

/// The counts as the groups the report adds up.
pub fn groups(tallies: &Tallies) -> Vec<ContactGroup> {
    tallies
        .iter()
        .map(|(k, t)| ContactGroup {
            month: k.month.clone(),
            kind: k.kind.clone(),
            topics: k.topics.clone(),
            areas: k.areas.clone(),
            forms: k.forms.clone(),
            count: t.contacts.max(0) as u64,
            minutes: t.minutes,
            visits_due: t.visits_due.max(0) as u64,
            visits_on_time: t.visits_on_time.max(0) as u64,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::visits::VisitFrequency;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn contact(on: NaiveDate, kind: &str, minutes: i64) -> ContactFact {
        ContactFact {
            on,
            kind: kind.into(),
            topics: String::new(),
            areas: String::new(),
            forms: String::new(),
            minutes,
        }
    }

    fn month(tallies: &Tallies, month: &str, kind: &str) -> Tally {
        tallies.iter().filter(|(k, _)| k.month == month && k.kind == kind).fold(Tally::default(), |mut sum, (_, t)| {
            sum.add(*t, 1);
            sum
        })
    }

    #[test]
    fn contacts_count_by_month_kind_and_tags() {
        let mut work = contact(d(2026, 1, 5), "pa_direct_work", 60);
        work.topics = "cooking".into();
        let tallies =
            tally(&[work.clone(), work, contact(d(2026, 1, 9), "eet", 30), contact(d(2026, 2, 1), "eet", 45)], None);
        assert_eq!(tallies.len(), 3);
        assert_eq!(
            month(&tallies, "2026-01", "pa_direct_work"),
            Tally { contacts: 2, minutes: 120, ..Tally::default() }
        );
        assert_eq!(month(&tallies, "2026-02", "eet").minutes, 45);
    }

    #[test]
    fn a_visit_is_due_after_an_earlier_one_under_the_schedule() {
        let weekly = Schedule { frequency: VisitFrequency::Weekly, starts_on: d(2026, 1, 2) };
        let visits = [
            contact(d(2026, 1, 1), HOME_VISIT, 60), // before the schedule: not counted as a previous visit
            contact(d(2026, 1, 3), HOME_VISIT, 60), // previous 1 Jan is before the schedule started
            contact(d(2026, 1, 10), HOME_VISIT, 60), // 7 days after 3 Jan: on time
            contact(d(2026, 1, 10), HOME_VISIT, 30), // same day: its previous is still 3 Jan
            contact(d(2026, 1, 20), HOME_VISIT, 60), // 10 days after 10 Jan: late
        ];
        let t = month(&tally(&visits, Some(weekly)), "2026-01", HOME_VISIT);
        assert_eq!(t.contacts, 5);
        assert_eq!(t.visits_due, 3);
        assert_eq!(t.visits_on_time, 2);
        let unscheduled = month(&tally(&visits, None), "2026-01", HOME_VISIT);
        assert_eq!(unscheduled.visits_due, 0, "no schedule, nothing due");
        // The order the contacts come in does not matter.
        let mut reversed = visits.to_vec();
        reversed.reverse();
        assert_eq!(tally(&reversed, Some(weekly)), tally(&visits, Some(weekly)));
    }

    #[test]
    fn the_difference_applied_to_before_gives_after() {
        let weekly = Schedule { frequency: VisitFrequency::Weekly, starts_on: d(2026, 1, 1) };
        let mut visits = vec![contact(d(2026, 1, 1), HOME_VISIT, 60), contact(d(2026, 1, 20), HOME_VISIT, 60)];
        let before = tally(&visits, Some(weekly));
        // A visit recorded afterwards, between the two: it is late (13 days
        // after 1 January) and makes the 20 January visit on time (6 days).
        visits.push(contact(d(2026, 1, 14), HOME_VISIT, 60));
        let after = tally(&visits, Some(weekly));
        let change = difference(&before, &after);
        assert_eq!(change.len(), 1);
        assert_eq!(change[0].1, Tally { contacts: 1, minutes: 60, visits_due: 1, visits_on_time: 1 });
        let mut applied = before.clone();
        for (key, delta) in &change {
            applied.entry(key.clone()).or_default().add(*delta, 1);
        }
        applied.retain(|_, t| !t.is_zero());
        assert_eq!(applied, after);
        assert!(difference(&after, &after).is_empty());
        // A schedule change alone moves only the visit counts: fortnightly,
        // 14 January is on time too.
        let fortnightly = Schedule { frequency: VisitFrequency::Fortnightly, ..weekly };
        let change = difference(&after, &tally(&visits, Some(fortnightly)));
        assert_eq!(change.len(), 1);
        assert_eq!(change[0].1, Tally { visits_on_time: 1, ..Tally::default() });
    }

    #[test]
    fn groups_less_groups_are_taken_away_key_by_key() {
        let g = |month: &str, count: u64, minutes: i64, due: u64| ContactGroup {
            month: month.into(),
            kind: "home_visit".into(),
            topics: String::new(),
            areas: String::new(),
            forms: String::new(),
            count,
            minutes,
            visits_due: due,
            visits_on_time: due,
        };
        let net = net_groups(
            &[g("2026-01", 5, 300, 2), g("2026-02", 3, 90, 1)],
            &[g("2026-01", 2, 60, 1), g("2026-02", 3, 90, 1)],
        );
        assert_eq!(net, vec![g("2026-01", 3, 240, 1)]);
    }
}
