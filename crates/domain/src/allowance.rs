//! The activities allowance: a monthly amount per young person (an LA
//! setting, £30.00 by default) for activities with their workers, and what
//! was spent from it. Money is whole pence throughout. A month's balance is
//! that month's allowance less its spending; the year to date runs over the
//! financial year (April to March), a month's allowance for each month so
//! far, less everything spent.

use crate::codes::code_list;
use crate::contacts::text;
use crate::money::Pence;
use crate::profile::{DateParts, FieldErrors};
use chrono::{Datelike, NaiveDate};

code_list! {
    /// What the money was spent on.
    SpendCategory {
        Activity => "activity", "Activity or outing";
        Food => "food", "Food and drink";
        Travel => "travel", "Travel";
        Celebration => "celebration", "Celebration or gift";
        Equipment => "equipment", "Equipment or materials";
        Other => "other", "Something else";
    }
}

/// One amount spent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spend {
    pub on: NaiveDate,
    pub category: SpendCategory,
    pub amount: Pence,
    pub note: Option<String>,
}

/// The first day of the financial year (1 April) holding `day`.
pub fn financial_year_start(day: NaiveDate) -> NaiveDate {
    let year = if day.month() >= 4 { day.year() } else { day.year() - 1 };
    NaiveDate::from_ymd_opt(year, 4, 1).unwrap_or(day)
}

/// The first day of the month holding `day`.
pub fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// How many months of the financial year have begun by `day` (April is 1).
pub fn months_so_far(day: NaiveDate) -> i64 {
    (day.month() as i64 - 4).rem_euclid(12) + 1
}

/// Where a young person's allowance stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Balance {
    pub month_allowance: Pence,
    pub month_spent: Pence,
    pub year_allowance: Pence,
    pub year_spent: Pence,
}

impl Balance {
    /// From the monthly allowance and the spending of the month and of the
    /// financial year so far (both up to `day`).
    pub fn on(day: NaiveDate, monthly: Pence, month_spent: Pence, year_spent: Pence) -> Balance {
        Balance {
            month_allowance: monthly,
            month_spent,
            year_allowance: Pence(monthly.0 * months_so_far(day)),
            year_spent,
        }
    }

    pub fn month_left(&self) -> Pence {
        Pence(self.month_allowance.0 - self.month_spent.0)
    }

    pub fn year_left(&self) -> Pence {
        Pence(self.year_allowance.0 - self.year_spent.0)
    }

    /// More spent this month than the month's allowance.
    pub fn overspent(&self) -> bool {
        self.month_left().0 < 0
    }
}

/// The most one entry may be: ten months' default allowance.
pub const MAX_SPEND: Pence = Pence::from_pounds(300);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpendInput {
    pub on: DateParts,
    pub category: String,
    pub amount: String,
    pub note: String,
}

impl SpendInput {
    pub fn parse(&self, today: NaiveDate) -> Result<Spend, FieldErrors> {
        let mut errors = FieldErrors::default();
        let on = match self.on.parse("The date") {
            Ok(None) => {
                errors.add("on", "Enter the date it was spent");
                None
            }
            Ok(Some(d)) if d > today => {
                errors.add("on", "The date must be today or in the past");
                None
            }
            Ok(Some(d)) if d < financial_year_start(today) - chrono::Duration::days(366) => {
                errors.add("on", "The date must be within this financial year or the last");
                None
            }
            Ok(d) => d,
            Err(m) => {
                errors.add("on", m);
                None
            }
        };
        let category = SpendCategory::parse(&self.category);
        if category.is_none() {
            errors.add("category", "Choose what it was spent on");
        }
        let amount = match Pence::parse(&self.amount) {
            _ if self.amount.trim().is_empty() => {
                errors.add("amount", "Enter the amount spent");
                None
            }
            Ok(p) if p.0 <= 0 => {
                errors.add("amount", "The amount must be more than £0.00");
                None
            }
            Ok(p) if p > MAX_SPEND => {
                errors.add("amount", format!("The amount must be {MAX_SPEND} or less"));
                None
            }
            Ok(p) => Some(p),
            Err(e) => {
                errors.add("amount", e.to_string());
                None
            }
        };
        let note = text(&mut errors, "note", "What it was for", &self.note, 500);
        match (on, category, amount) {
            (Some(on), Some(category), Some(amount)) if errors.is_empty() => Ok(Spend { on, category, amount, note }),
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

    #[test]
    fn the_financial_year_runs_april_to_march() {
        assert_eq!(financial_year_start(d(2026, 12, 1)), d(2026, 4, 1));
        assert_eq!(financial_year_start(d(2027, 3, 31)), d(2026, 4, 1));
        assert_eq!(financial_year_start(d(2027, 4, 1)), d(2027, 4, 1));
        assert_eq!(months_so_far(d(2026, 4, 30)), 1);
        assert_eq!(months_so_far(d(2026, 12, 1)), 9);
        assert_eq!(months_so_far(d(2027, 3, 31)), 12);
    }

    #[test]
    fn balances_across_months_and_years() {
        let monthly = Pence::from_pounds(30);
        // December: £45 spent this month (overspent by £15), £200 since April.
        let b = Balance::on(d(2026, 12, 14), monthly, Pence(4500), Pence(20000));
        assert_eq!(b.month_left(), Pence(-1500));
        assert!(b.overspent());
        assert_eq!(b.year_allowance, Pence(27000), "nine months of £30");
        assert_eq!(b.year_left(), Pence(7000));
        // A new financial year starts afresh: April, nothing spent.
        let april = Balance::on(d(2027, 4, 2), monthly, Pence(0), Pence(0));
        assert_eq!((april.month_left(), april.year_left()), (monthly, monthly));
        assert!(!april.overspent());
        // March closes the year with twelve months' allowance.
        assert_eq!(Balance::on(d(2027, 3, 31), monthly, Pence(0), Pence(36000)).year_left(), Pence(0));
    }

    #[test]
    fn a_spend_is_checked_in_pence() {
        let input = SpendInput {
            on: DateParts::from_iso("2026-11-30"),
            category: "activity".into(),
            amount: "£12.5".into(),
            note: "Bowling".into(),
        };
        assert_eq!(input.parse(d(2026, 12, 1)).unwrap().amount, Pence(1250));
        let e =
            SpendInput { amount: "0".into(), category: "x".into(), ..input.clone() }.parse(d(2026, 12, 1)).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_ref()).collect();
        assert_eq!(fields, ["category", "amount"]);
        assert_eq!(
            SpendInput { amount: "300.01".into(), ..input }.parse(d(2026, 12, 1)).unwrap_err().get("amount"),
            Some("The amount must be £300.00 or less")
        );
    }
}
