//! Histories of periods (where someone lived, what they were doing): each
//! runs from a start date to an end date or on. A new period that starts
//! after the open one closes it the day before; any other overlap is
//! refused, naming the period it overlaps.

use chrono::{Duration, NaiveDate};

/// A period on record: its id and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// What to do to add a period from `starts_on` to `ends_on`: `Ok(Some((id,
/// day)))` ends the open period `id` on `day` first; `Err(id)` names the
/// period it would overlap.
pub fn place(
    existing: &[Period],
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
) -> Result<Option<(i64, NaiveDate)>, i64> {
    let new_end = ends_on.unwrap_or(NaiveDate::MAX);
    let mut close = None;
    for p in existing {
        if p.ends_on.is_none() && p.starts_on < starts_on {
            close = Some((p.id, starts_on - Duration::days(1)));
            continue;
        }
        if p.starts_on <= new_end && starts_on <= p.ends_on.unwrap_or(NaiveDate::MAX) {
            return Err(p.id);
        }
    }
    Ok(close)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_open_period_closes_and_other_overlaps_are_refused() {
        let existing = [
            Period { id: 1, starts_on: d("2025-01-01"), ends_on: Some(d("2025-12-31")) },
            Period { id: 2, starts_on: d("2026-01-01"), ends_on: None },
        ];
        assert_eq!(place(&existing, d("2026-06-01"), None), Ok(Some((2, d("2026-05-31")))));
        assert_eq!(place(&existing, d("2025-12-31"), Some(d("2025-12-31"))), Err(1), "the last day counts");
        assert_eq!(place(&existing, d("2024-01-01"), Some(d("2024-12-31"))), Ok(None), "before everything");
        assert_eq!(place(&existing, d("2024-01-01"), None), Err(1), "an open end runs on");
    }
}
