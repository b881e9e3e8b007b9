//! Spending from the demo young people's activities allowance this
//! financial year and last (so last year's impact report has it): a few
//! activities a month, and one overspent this month.

use crate::rng::SplitMix64;
use chrono::{Datelike, Duration, NaiveDate};
use staying_close_domain::allowance::{financial_year_start, Spend, SpendCategory};
use staying_close_domain::money::Pence;

const WHAT: &[(SpendCategory, &str)] = &[
    (SpendCategory::Activity, "Bowling with their trusted person"),
    (SpendCategory::Food, "Lunch out after the college interview"),
    (SpendCategory::Travel, "Bus fares to the climbing wall"),
    (SpendCategory::Activity, "Cinema trip"),
    (SpendCategory::Equipment, "Ingredients for the cooking session"),
    (SpendCategory::Celebration, "Birthday cake"),
];

pub fn spends(rng: &mut SplitMix64, today: NaiveDate, serial: usize) -> Vec<Spend> {
    let mut out = Vec::new();
    let mut month = financial_year_start(financial_year_start(today) - Duration::days(1));
    while month <= today {
        for _ in 0..1 + rng.below(2) {
            let day = month + Duration::days(rng.below(27) as i64);
            if day <= today {
                let (category, note) = WHAT[rng.below(WHAT.len() as u64) as usize];
                let amount = Pence(500 + 50 * rng.below(21) as i64);
                out.push(Spend { on: day, category, amount, note: Some(note.into()) });
            }
        }
        month = NaiveDate::from_ymd_opt(month.year() + i32::from(month.month() == 12), month.month() % 12 + 1, 1)
            .unwrap_or(today);
    }
    // One in nine went over this month: a trip that cost more than the month's £30.
    if serial % 9 == 5 {
        out.push(Spend {
            on: today.with_day(1).unwrap_or(today),
            category: SpendCategory::Activity,
            amount: Pence(3500),
            note: Some("Day trip to the coast with the group".into()),
        });
    }
    out.sort_by_key(|s| s.on);
    out
}
