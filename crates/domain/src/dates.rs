//! Civil (calendar) dates as used in England: ages, birthdays and UK formats.

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// How a person born on 29 February reaches an age in a non-leap year.
///
/// English law has no explicit rule; the common convention (and the default
/// here) is 1 March. Some date libraries, including ones behind the DfE 903
/// validator, roll back to 28 February instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeapDayRule {
    #[default]
    FirstOfMarch,
    TwentyEighthOfFebruary,
}

/// The date on which someone born on `dob` attains `years` of age.
pub fn birthday(dob: NaiveDate, years: u32, rule: LeapDayRule) -> NaiveDate {
    let year = dob.year() + years as i32;
    NaiveDate::from_ymd_opt(year, dob.month(), dob.day()).unwrap_or_else(|| {
        // Only 29 February can be missing from a year.
        match rule {
            LeapDayRule::FirstOfMarch => NaiveDate::from_ymd_opt(year, 3, 1),
            LeapDayRule::TwentyEighthOfFebruary => NaiveDate::from_ymd_opt(year, 2, 28),
        }
        .expect("1 March and 28 February exist in every year")
    })
}

/// Age in whole years on `on` (a person attains an age at the start of the
/// anniversary of their birth). Zero before birth.
pub fn age_on(dob: NaiveDate, on: NaiveDate, rule: LeapDayRule) -> u32 {
    if on < dob {
        return 0;
    }
    let mut years = (on.year() - dob.year()).max(0) as u32;
    while years > 0 && birthday(dob, years, rule) > on {
        years -= 1;
    }
    years
}

/// The last Sunday of a month.
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) }
            .expect("valid month");
    let mut day = first_of_next.pred_opt().expect("a day before");
    while day.weekday() != Weekday::Sun {
        day = day.pred_opt().expect("a day before");
    }
    day
}

/// The civil date in the UK at an instant: British Summer Time (UTC+1) runs
/// from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
/// Sunday of October; otherwise the UK is on UTC.
pub fn uk_date(now: DateTime<Utc>) -> NaiveDate {
    let year = now.year();
    let starts = last_sunday(year, 3).and_hms_opt(1, 0, 0).expect("valid").and_utc();
    let ends = last_sunday(year, 10).and_hms_opt(1, 0, 0).expect("valid").and_utc();
    let offset = if now >= starts && now < ends { chrono::Duration::hours(1) } else { chrono::Duration::zero() };
    (now + offset).date_naive()
}

/// Today's date in the UK.
pub fn uk_today() -> NaiveDate {
    uk_date(Utc::now())
}

/// "3 March 2025", the GOV.UK style for dates.
pub fn format_uk(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// "3 Mar 2025", for tables where space is short.
pub fn format_uk_short(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

/// Parses a `dd/mm/yyyy` date as used in SSDA903 files.
pub fn parse_ddmmyyyy(text: &str) -> Option<NaiveDate> {
    // Read byte by byte: SSDA903 files carry several dates on each of
    // hundreds of thousands of rows.
    let b = text.trim().as_bytes();
    if b.len() != 10 || b[2] != b'/' || b[5] != b'/' {
        return None;
    }
    let number = |digits: &[u8]| -> Option<u32> {
        digits.iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    NaiveDate::from_ymd_opt(number(&b[6..10])? as i32, number(&b[3..5])?, number(&b[0..2])?)
}

/// Parses an ISO 8601 calendar date (`yyyy-mm-dd`).
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn leap_day_births_reach_ages_on_first_of_march_by_default() {
        let dob = d(2008, 2, 29);
        assert_eq!(birthday(dob, 14, LeapDayRule::FirstOfMarch), d(2022, 3, 1));
        assert_eq!(birthday(dob, 14, LeapDayRule::TwentyEighthOfFebruary), d(2022, 2, 28));
        assert_eq!(birthday(dob, 16, LeapDayRule::FirstOfMarch), d(2024, 2, 29));
        assert_eq!(age_on(dob, d(2022, 2, 28), LeapDayRule::FirstOfMarch), 13);
        assert_eq!(age_on(dob, d(2022, 3, 1), LeapDayRule::FirstOfMarch), 14);
        assert_eq!(age_on(dob, d(2022, 2, 28), LeapDayRule::TwentyEighthOfFebruary), 14);
    }

    #[test]
    fn age_changes_on_the_birthday_itself() {
        let dob = d(2007, 6, 10);
        let rule = LeapDayRule::default();
        assert_eq!(age_on(dob, d(2025, 6, 9), rule), 17);
        assert_eq!(age_on(dob, d(2025, 6, 10), rule), 18);
        assert_eq!(age_on(dob, d(2000, 1, 1), rule), 0);
    }

    #[test]
    fn uk_dates_follow_british_summer_time() {
        let at = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc);
        // Summer: 23:30 UTC is already tomorrow in the UK.
        assert_eq!(uk_date(at("2026-06-30T23:30:00Z")), d(2026, 7, 1));
        // Winter: UTC is UK time.
        assert_eq!(uk_date(at("2026-11-23T23:30:00Z")), d(2026, 11, 23));
        // The changes: 29 March 2026 and 25 October 2026 at 01:00 UTC.
        assert_eq!(last_sunday(2026, 3), d(2026, 3, 29));
        assert_eq!(last_sunday(2026, 10), d(2026, 10, 25));
        assert_eq!(uk_date(at("2026-03-28T23:30:00Z")), d(2026, 3, 28), "still GMT");
        assert_eq!(uk_date(at("2026-03-29T23:30:00Z")), d(2026, 3, 30), "BST has begun");
        assert_eq!(uk_date(at("2026-10-25T23:30:00Z")), d(2026, 10, 25), "GMT again");
        assert_eq!(last_sunday(2027, 12), d(2027, 12, 26));
    }

    #[test]
    fn formats_dates_the_gov_uk_way() {
        assert_eq!(format_uk(d(2025, 3, 3)), "3 March 2025");
        assert_eq!(format_uk_short(d(2025, 3, 13)), "13 Mar 2025");
    }

    #[test]
    fn parses_ssda903_dates_strictly() {
        assert_eq!(parse_ddmmyyyy("01/10/2021"), Some(d(2021, 10, 1)));
        assert_eq!(parse_ddmmyyyy(" 29/02/2024 "), Some(d(2024, 2, 29)));
        assert_eq!(parse_ddmmyyyy("29/02/2023"), None);
        assert_eq!(parse_ddmmyyyy("1/10/2021"), None);
        assert_eq!(parse_ddmmyyyy("2021-10-01"), None);
        assert_eq!(parse_iso("2021-10-01"), Some(d(2021, 10, 1)));
        assert_eq!(parse_iso("2021-13-01"), None);
    }
}
