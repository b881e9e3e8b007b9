//! The visit schedule: how often a young person is visited at home, and
//! when the next visit is due or how long it is overdue.
//!
//! A schedule runs from its start date at a frequency (weekly, fortnightly,
//! or daily while the young person is in crisis). The first visit is due on
//! the start date; after that, each visit is due one interval after the last
//! home visit made on or after the start date. A visit on the due date is on
//! time; the day after, it is one day overdue.

use chrono::{Duration, NaiveDate};
use thiserror::Error;

/// How often a young person is visited at home.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitFrequency {
    Weekly,
    Fortnightly,
    /// While the young person is in crisis.
    Daily,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("choose weekly, fortnightly or daily (while in crisis)")]
pub struct UnknownFrequency;

impl VisitFrequency {
    pub const ALL: [VisitFrequency; 3] = [VisitFrequency::Weekly, VisitFrequency::Fortnightly, VisitFrequency::Daily];

    /// Days between visits.
    pub fn interval_days(self) -> i64 {
        match self {
            VisitFrequency::Weekly => 7,
            VisitFrequency::Fortnightly => 14,
            VisitFrequency::Daily => 1,
        }
    }

    /// The code stored in the database and used in forms and the API.
    pub fn code(self) -> &'static str {
        match self {
            VisitFrequency::Weekly => "weekly",
            VisitFrequency::Fortnightly => "fortnightly",
            VisitFrequency::Daily => "daily",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            VisitFrequency::Weekly => "Every week",
            VisitFrequency::Fortnightly => "Every 2 weeks",
            VisitFrequency::Daily => "Every day (while in crisis)",
        }
    }

    pub fn parse(code: &str) -> Result<Self, UnknownFrequency> {
        Self::ALL.into_iter().find(|f| f.code() == code.trim()).ok_or(UnknownFrequency)
    }
}

/// A young person's visit schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub frequency: VisitFrequency,
    pub starts_on: NaiveDate,
}

/// Where a schedule stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitStatus {
    /// The next visit is due on `due`, after today.
    Upcoming {
        due: NaiveDate,
    },
    DueToday,
    Overdue {
        due: NaiveDate,
        days: u32,
    },
}

impl VisitStatus {
    /// Where a visit due on `due` stands on `today`.
    pub fn of(due: NaiveDate, today: NaiveDate) -> VisitStatus {
        match (today - due).num_days() {
            days if days > 0 => VisitStatus::Overdue { due, days: days as u32 },
            0 => VisitStatus::DueToday,
            _ => VisitStatus::Upcoming { due },
        }
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, VisitStatus::Overdue { .. })
    }
}

impl Schedule {
    /// When the next visit is due, given the latest home visit (if any).
    /// Visits before the schedule started do not count towards it.
    pub fn next_due(&self, last_visit: Option<NaiveDate>) -> NaiveDate {
        match last_visit.filter(|v| *v >= self.starts_on) {
            Some(visit) => visit + Duration::days(self.frequency.interval_days()),
            None => self.starts_on,
        }
    }

    /// Where the schedule stands on `today`.
    pub fn status(&self, last_visit: Option<NaiveDate>, today: NaiveDate) -> VisitStatus {
        VisitStatus::of(self.next_due(last_visit), today)
    }
}

/// The support given in a week, in minutes, against the LA's weekly offer in
/// hours: contact durations are summed, never averaged, so one long session
/// counts as much as several short ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupportHours {
    pub minutes: u32,
    pub offer_hours: u32,
}

impl SupportHours {
    pub fn from_durations(durations_in_minutes: impl IntoIterator<Item = u32>, offer_hours: u32) -> Self {
        let minutes = durations_in_minutes.into_iter().fold(0u32, |total, m| total.saturating_add(m));
        SupportHours { minutes, offer_hours }
    }

    pub fn meets_offer(&self) -> bool {
        self.minutes >= self.offer_hours.saturating_mul(60)
    }

    /// "3 hours 20 minutes of 5 hours", "45 minutes of 5 hours".
    pub fn describe(&self) -> String {
        format!("{} of {}", duration_words(self.minutes), duration_words(self.offer_hours.saturating_mul(60)))
    }
}

/// Minutes in words with real plurals: "1 hour", "2 hours 5 minutes", "0 minutes".
pub fn duration_words(minutes: u32) -> String {
    use crate::words::count;
    let (hours, rest) = (minutes / 60, minutes % 60);
    match (hours, rest) {
        (0, m) => count(m.into(), "minute", "minutes"),
        (h, 0) => count(h.into(), "hour", "hours"),
        (h, m) => format!("{} {}", count(h.into(), "hour", "hours"), count(m.into(), "minute", "minutes")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn fortnightly_from(start: &str) -> Schedule {
        Schedule { frequency: VisitFrequency::Fortnightly, starts_on: day(start) }
    }

    #[test]
    fn the_first_visit_is_due_on_the_start_date() {
        let s = fortnightly_from("2026-11-02");
        assert_eq!(s.next_due(None), day("2026-11-02"));
        assert_eq!(s.status(None, day("2026-11-01")), VisitStatus::Upcoming { due: day("2026-11-02") });
        assert_eq!(s.status(None, day("2026-11-02")), VisitStatus::DueToday);
        assert_eq!(s.status(None, day("2026-11-03")), VisitStatus::Overdue { due: day("2026-11-02"), days: 1 });
    }

    #[test]
    fn each_visit_is_due_one_interval_after_the_last() {
        let s = fortnightly_from("2026-11-02");
        let visited = Some(day("2026-11-04"));
        assert_eq!(s.next_due(visited), day("2026-11-18"));
        assert_eq!(s.status(visited, day("2026-11-18")), VisitStatus::DueToday);
        assert_eq!(s.status(visited, day("2026-12-01")), VisitStatus::Overdue { due: day("2026-11-18"), days: 13 });
        let weekly = Schedule { frequency: VisitFrequency::Weekly, ..s };
        assert_eq!(weekly.next_due(visited), day("2026-11-11"));
    }

    #[test]
    fn visits_before_the_schedule_started_do_not_count() {
        let s = fortnightly_from("2026-11-02");
        assert_eq!(s.next_due(Some(day("2026-10-30"))), day("2026-11-02"));
    }

    #[test]
    fn in_crisis_a_visit_is_due_every_day() {
        let s = Schedule { frequency: VisitFrequency::Daily, starts_on: day("2026-11-30") };
        assert_eq!(s.status(Some(day("2026-11-30")), day("2026-12-01")), VisitStatus::DueToday);
        assert!(s.status(Some(day("2026-11-29")), day("2026-12-01")).is_overdue());
    }

    #[test]
    fn months_and_leap_years_are_counted_in_days() {
        let s = Schedule { frequency: VisitFrequency::Weekly, starts_on: day("2028-02-01") };
        assert_eq!(s.next_due(Some(day("2028-02-25"))), day("2028-03-03"), "29 February 2028 is counted");
    }

    #[test]
    fn frequencies_round_trip_through_their_codes() {
        for f in VisitFrequency::ALL {
            assert_eq!(VisitFrequency::parse(f.code()), Ok(f));
        }
        assert_eq!(VisitFrequency::parse("monthly"), Err(UnknownFrequency));
    }

    #[test]
    fn support_hours_sum_durations_against_the_offer() {
        let week = SupportHours::from_durations([90, 60, 50], 5);
        assert_eq!(week.minutes, 200);
        assert!(!week.meets_offer());
        assert_eq!(week.describe(), "3 hours 20 minutes of 5 hours");
        assert!(SupportHours::from_durations([300], 5).meets_offer());
        assert!(SupportHours::from_durations([], 0).meets_offer(), "no offer is always met");
        assert_eq!(SupportHours::from_durations([u32::MAX, 10], 5).minutes, u32::MAX, "never wraps round");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_words(0), "0 minutes");
        assert_eq!(duration_words(1), "1 minute");
        assert_eq!(duration_words(60), "1 hour");
        assert_eq!(duration_words(125), "2 hours 5 minutes");
        assert_eq!(duration_words(61), "1 hour 1 minute");
    }
}
