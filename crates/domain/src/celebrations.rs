//! Celebrations: the days a young person wants marked, worked out from their
//! date of birth, the celebrations on their record, the start of their
//! Staying Close support, fixed and computed dates (Christmas, Easter,
//! National Care Leavers' Week) and the LA's own table of dated festivals
//! (Eid, Diwali and others move with their calendars, so an administrator
//! keeps their dates). Tasks (card, cake, gift) hang off an occasion.

use crate::codes::code_list;
use crate::contacts::text;
use crate::money::Pence;
use crate::profile::{Celebration, DateParts, FieldErrors};
use chrono::{Datelike, NaiveDate};

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian
/// algorithm, also known as Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("the algorithm gives a real date")
}

/// National Care Leavers' Week: from 25 October to 1 November each year.
pub fn care_leavers_week(year: i32) -> (NaiveDate, NaiveDate) {
    let start = NaiveDate::from_ymd_opt(year, 10, 25).expect("a real date");
    let end = NaiveDate::from_ymd_opt(year, 11, 1).expect("a real date");
    (start, end)
}

/// Celebrations whose dates follow a lunar or lunisolar calendar: the LA's
/// festival table holds their dates.
pub fn is_dated_by_table(c: Celebration) -> bool {
    matches!(
        c,
        Celebration::EidAlFitr
            | Celebration::EidAlAdha
            | Celebration::Diwali
            | Celebration::Vaisakhi
            | Celebration::Hanukkah
            | Celebration::LunarNewYear
    )
}

/// One row of an LA's festival table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FestivalDate {
    pub celebration: Celebration,
    pub on: NaiveDate,
}

/// A day to mark.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Occasion {
    pub on: NaiveDate,
    pub celebration: Celebration,
    /// Words for the day, like "18th birthday" or "Easter Sunday".
    pub label: String,
}

/// What the calendar is worked out from.
#[derive(Debug, Clone, Copy)]
pub struct CalendarFacts<'a> {
    pub date_of_birth: NaiveDate,
    pub chosen: &'a [Celebration],
    pub staying_close_start: Option<NaiveDate>,
    pub festivals: &'a [FestivalDate],
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A month and day in `year`; 29 February falls on 28 February in other years.
fn in_year(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day)
        .or_else(|| NaiveDate::from_ymd_opt(year, month, day - 1))
        .expect("a real date")
}

/// Every occasion from `from` to `to` inclusive, in date order.
pub fn occasions(facts: CalendarFacts<'_>, from: NaiveDate, to: NaiveDate) -> Vec<Occasion> {
    let mut out = Vec::new();
    let mut add = |on: NaiveDate, celebration: Celebration, label: String| {
        if on >= from && on <= to {
            out.push(Occasion { on, celebration, label });
        }
    };
    for &c in facts.chosen {
        for year in from.year()..=to.year() {
            match c {
                Celebration::Birthday => {
                    let dob = facts.date_of_birth;
                    let on = in_year(year, dob.month(), dob.day());
                    // The birthday being celebrated, whichever day a leap-day birthday is kept on.
                    let age = year - dob.year();
                    if age > 0 {
                        add(on, c, format!("{} birthday", ordinal(age as u32)));
                    }
                }
                Celebration::Christmas => add(in_year(year, 12, 25), c, "Christmas Day".into()),
                Celebration::Easter => add(easter_sunday(year), c, "Easter Sunday".into()),
                Celebration::CareLeaversWeek => {
                    let (start, _) = care_leavers_week(year);
                    add(start, c, "National Care Leavers' Week begins (to 1 November)".into());
                }
                Celebration::StayingCloseAnniversary => {
                    if let Some(start) = facts.staying_close_start {
                        let years = year - start.year();
                        if years > 0 {
                            let on = in_year(year, start.month(), start.day());
                            let label = if years == 1 {
                                "1 year of Staying Close".to_owned()
                            } else {
                                format!("{years} years of Staying Close")
                            };
                            add(on, c, label);
                        }
                    }
                }
                _ => {}
            }
        }
        if is_dated_by_table(c) {
            for f in facts.festivals.iter().filter(|f| f.celebration == c) {
                add(f.on, c, c.label().to_owned());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Chosen festivals with no date in the LA's table between `from` and `to`:
/// the calendar cannot show them, so the page says so.
pub fn missing_festival_dates(facts: CalendarFacts<'_>, from: NaiveDate, to: NaiveDate) -> Vec<Celebration> {
    facts
        .chosen
        .iter()
        .copied()
        .filter(|&c| is_dated_by_table(c))
        .filter(|&c| !facts.festivals.iter().any(|f| f.celebration == c && f.on >= from && f.on <= to))
        .collect()
}

code_list! {
    /// Something to do for an occasion.
    TaskKind {
        Card => "card", "Card";
        Cake => "cake", "Cake";
        Gift => "gift", "Gift";
        Meal => "meal", "Meal or outing";
        Other => "other", "Something else";
    }
}

/// A task for an occasion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub occasion_on: NaiveDate,
    pub celebration: Celebration,
    pub kind: TaskKind,
    pub budget: Pence,
    pub note: Option<String>,
}

/// The most a task's budget may be.
pub const MAX_BUDGET: Pence = Pence::from_pounds(200);

/// A task as typed: the occasion is `YYYY-MM-DD:code`, one of the choices
/// the page offered from the calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskInput {
    pub occasion: String,
    pub kind: String,
    pub budget: String,
    pub note: String,
}

impl TaskInput {
    /// Checks the task against the occasions the page offered.
    pub fn parse(&self, offered: &[Occasion]) -> Result<Task, FieldErrors> {
        let mut errors = FieldErrors::default();
        let occasion = offered.iter().find(|o| occasion_key(o) == self.occasion.trim());
        if occasion.is_none() {
            errors.add("occasion", "Choose the occasion the task is for");
        }
        let kind = TaskKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", "Choose what the task is");
        }
        let budget = if self.budget.trim().is_empty() {
            Some(Pence(0))
        } else {
            match Pence::parse(&self.budget) {
                Ok(p) if p.0 < 0 => {
                    errors.add("budget", "The budget cannot be less than £0.00");
                    None
                }
                Ok(p) if p > MAX_BUDGET => {
                    errors.add("budget", format!("The budget must be {MAX_BUDGET} or less"));
                    None
                }
                Ok(p) => Some(p),
                Err(e) => {
                    errors.add("budget", e.to_string());
                    None
                }
            }
        };
        let note = text(&mut errors, "note", "The note", &self.note, 300);
        match (occasion, kind, budget) {
            (Some(o), Some(kind), Some(budget)) if errors.is_empty() => {
                Ok(Task { occasion_on: o.on, celebration: o.celebration, kind, budget, note })
            }
            _ => Err(errors),
        }
    }
}

/// How an occasion is named in a form: its date and celebration code.
pub fn occasion_key(o: &Occasion) -> String {
    format!("{}:{}", o.on, o.celebration.code())
}

/// A festival date as typed by the LA administrator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FestivalInput {
    pub celebration: String,
    pub on: DateParts,
}

impl FestivalInput {
    pub fn parse(&self) -> Result<FestivalDate, FieldErrors> {
        let mut errors = FieldErrors::default();
        let celebration = Celebration::parse(&self.celebration).filter(|&c| is_dated_by_table(c));
        if celebration.is_none() {
            errors.add("celebration", "Choose the festival");
        }
        let on = match self.on.parse("The date") {
            Ok(Some(d)) if !(2000..=2100).contains(&d.year()) => {
                errors.add("on", "The date must be between 2000 and 2100");
                None
            }
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.add("on", "Enter the date of the festival");
                None
            }
            Err(m) => {
                errors.add("on", m);
                None
            }
        };
        match (celebration, on) {
            (Some(celebration), Some(on)) => Ok(FestivalDate { celebration, on }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Western Easter Sunday, 2000 to 2040, as published in the Church of
    /// England's and the US Naval Observatory's tables.
    const EASTER: [(i32, u32, u32); 41] = [
        (2000, 4, 23),
        (2001, 4, 15),
        (2002, 3, 31),
        (2003, 4, 20),
        (2004, 4, 11),
        (2005, 3, 27),
        (2006, 4, 16),
        (2007, 4, 8),
        (2008, 3, 23),
        (2009, 4, 12),
        (2010, 4, 4),
        (2011, 4, 24),
        (2012, 4, 8),
        (2013, 3, 31),
        (2014, 4, 20),
        (2015, 4, 5),
        (2016, 3, 27),
        (2017, 4, 16),
        (2018, 4, 1),
        (2019, 4, 21),
        (2020, 4, 12),
        (2021, 4, 4),
        (2022, 4, 17),
        (2023, 4, 9),
        (2024, 3, 31),
        (2025, 4, 20),
        (2026, 4, 5),
        (2027, 3, 28),
        (2028, 4, 16),
        (2029, 4, 1),
        (2030, 4, 21),
        (2031, 4, 13),
        (2032, 3, 28),
        (2033, 4, 17),
        (2034, 4, 9),
        (2035, 3, 25),
        (2036, 4, 13),
        (2037, 4, 5),
        (2038, 4, 25),
        (2039, 4, 10),
        (2040, 4, 1),
    ];

    #[test]
    fn easter_matches_the_published_table_from_2000_to_2040() {
        for (y, m, day) in EASTER {
            assert_eq!(easter_sunday(y), d(y, m, day), "Easter {y}");
            assert_eq!(easter_sunday(y).weekday(), chrono::Weekday::Sun);
        }
    }

    #[test]
    fn care_leavers_week_runs_to_the_first_of_november() {
        assert_eq!(care_leavers_week(2026), (d(2026, 10, 25), d(2026, 11, 1)));
        assert_eq!(care_leavers_week(2027), (d(2027, 10, 25), d(2027, 11, 1)));
        let (start, end) = care_leavers_week(2024);
        assert_eq!((end - start).num_days(), 7, "eight days, 25 October to 1 November inclusive");
    }

    #[test]
    fn a_calendar_from_the_record_and_the_festival_table() {
        let festivals = [
            FestivalDate { celebration: Celebration::Diwali, on: d(2026, 11, 8) },
            FestivalDate { celebration: Celebration::Diwali, on: d(2027, 10, 29) },
            FestivalDate { celebration: Celebration::EidAlFitr, on: d(2027, 3, 10) },
        ];
        let chosen = [
            Celebration::Birthday,
            Celebration::Christmas,
            Celebration::Easter,
            Celebration::Diwali,
            Celebration::CareLeaversWeek,
            Celebration::StayingCloseAnniversary,
            Celebration::Hanukkah,
        ];
        let facts = CalendarFacts {
            date_of_birth: d(2008, 1, 14),
            chosen: &chosen,
            staying_close_start: Some(d(2025, 12, 20)),
            festivals: &festivals,
        };
        let got: Vec<(NaiveDate, String)> =
            occasions(facts, d(2026, 11, 1), d(2027, 4, 30)).into_iter().map(|o| (o.on, o.label)).collect();
        assert_eq!(
            got,
            vec![
                (d(2026, 11, 8), "Diwali".to_owned()),
                (d(2026, 12, 20), "1 year of Staying Close".to_owned()),
                (d(2026, 12, 25), "Christmas Day".to_owned()),
                (d(2027, 1, 14), "19th birthday".to_owned()),
                (d(2027, 3, 28), "Easter Sunday".to_owned()),
            ],
            "Eid al-Fitr is not chosen; Care Leavers' Week began before the window"
        );
        assert_eq!(missing_festival_dates(facts, d(2026, 12, 1), d(2027, 11, 30)), vec![Celebration::Hanukkah]);
    }

    #[test]
    fn a_leap_day_birthday_falls_on_28_february_in_other_years() {
        let chosen = [Celebration::Birthday];
        let facts =
            CalendarFacts { date_of_birth: d(2008, 2, 29), chosen: &chosen, staying_close_start: None, festivals: &[] };
        let got = occasions(facts, d(2027, 1, 1), d(2028, 12, 31));
        assert_eq!(got[0].on, d(2027, 2, 28));
        assert_eq!(got[0].label, "19th birthday");
        assert_eq!(got[1].on, d(2028, 2, 29));
        assert_eq!(ordinal(21), "21st");
        assert_eq!(ordinal(22), "22nd");
        assert_eq!(ordinal(13), "13th");
    }

    #[test]
    fn a_task_must_be_for_an_offered_occasion() {
        let offered =
            [Occasion { on: d(2026, 12, 25), celebration: Celebration::Christmas, label: "Christmas Day".into() }];
        let input = TaskInput {
            occasion: "2026-12-25:christmas".into(),
            kind: "gift".into(),
            budget: "15".into(),
            note: String::new(),
        };
        let task = input.parse(&offered).unwrap();
        assert_eq!((task.kind, task.budget), (TaskKind::Gift, Pence(1500)));
        let e = TaskInput { occasion: "2026-12-26:christmas".into(), budget: "£900".into(), ..input }
            .parse(&offered)
            .unwrap_err();
        assert_eq!(e.get("occasion"), Some("Choose the occasion the task is for"));
        assert_eq!(e.get("budget"), Some("The budget must be £200.00 or less"));
    }

    #[test]
    fn only_moving_festivals_go_in_the_table() {
        let input = FestivalInput { celebration: "christmas".into(), on: DateParts::from_iso("2026-12-25") };
        assert_eq!(input.parse().unwrap_err().get("celebration"), Some("Choose the festival"));
        let ok = FestivalInput { celebration: "diwali".into(), on: DateParts::from_iso("2026-11-08") };
        assert_eq!(ok.parse().unwrap(), FestivalDate { celebration: Celebration::Diwali, on: d(2026, 11, 8) });
    }
}
