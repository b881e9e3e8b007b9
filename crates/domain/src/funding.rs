//! Funding: grant allocations and spend lines per financial year (1 April
//! to 31 March), in pence, with the balance left.

use crate::codes::code_list;
use crate::contacts::text;
use crate::fields::{chosen, date, required_text};
use crate::money::Pence;
use crate::profile::{DateParts, FieldErrors};
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A financial year, named by the year it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FinancialYear(pub i32);

impl FinancialYear {
    pub fn holding(day: NaiveDate) -> FinancialYear {
        FinancialYear(if day.month() >= 4 { day.year() } else { day.year() - 1 })
    }

    /// Reads "2026-27".
    pub fn parse(text: &str) -> Option<FinancialYear> {
        let (start, end) = text.trim().split_once('-')?;
        let start: i32 = start.parse().ok()?;
        let end: i32 = end.parse().ok()?;
        ((2000..=2100).contains(&start) && end == (start + 1) % 100 && start.to_string().len() == 4)
            .then_some(FinancialYear(start))
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 4, 1).expect("a real date")
    }

    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31).expect("a real date")
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        day >= self.first_day() && day <= self.last_day()
    }

    pub fn previous(self) -> FinancialYear {
        FinancialYear(self.0 - 1)
    }

    pub fn next(self) -> FinancialYear {
        FinancialYear(self.0 + 1)
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.0, (self.0 + 1) % 100)
    }
}

code_list! {
    /// What the money went on.
    SpendCategory {
        Staff => "staff", "Staff";
        Accommodation => "accommodation", "Accommodation";
        Activities => "activities", "Activities and allowances";
        Celebrations => "celebrations", "Celebrations";
        Training => "training", "Training";
        Other => "other", "Other";
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub source: String,
    pub amount: Pence,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendLine {
    pub on: NaiveDate,
    pub description: String,
    pub category: SpendCategory,
    pub amount: Pence,
}

/// Allocated, spent and what is left, in pence.
pub fn balance(grants: &[Grant], spend: &[SpendLine]) -> (Pence, Pence, Pence) {
    let allocated: i64 = grants.iter().map(|g| g.amount.0).sum();
    let spent: i64 = spend.iter().map(|s| s.amount.0).sum();
    (Pence(allocated), Pence(spent), Pence(allocated - spent))
}

/// The most one line may be: £10 million.
const MAX_AMOUNT: Pence = Pence::from_pounds(10_000_000);

fn amount(errors: &mut FieldErrors, field: &'static str, typed: &str) -> Option<Pence> {
    match Pence::parse(typed) {
        _ if typed.trim().is_empty() => {
            errors.add(field, "Enter the amount");
            None
        }
        Ok(p) if p.0 <= 0 => {
            errors.add(field, "The amount must be more than £0.00");
            None
        }
        Ok(p) if p > MAX_AMOUNT => {
            errors.add(field, format!("The amount must be {MAX_AMOUNT} or less"));
            None
        }
        Ok(p) => Some(p),
        Err(e) => {
            errors.add(field, e.to_string());
            None
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrantInput {
    pub source: String,
    pub amount: String,
    pub note: String,
}

impl GrantInput {
    pub fn parse(&self) -> Result<Grant, FieldErrors> {
        let mut errors = FieldErrors::default();
        let source = required_text(&mut errors, "source", "Where the money comes from", &self.source, 200);
        let amount = amount(&mut errors, "grant-amount", &self.amount);
        let note = text(&mut errors, "grant-note", "The note", &self.note, 500);
        match (source, amount) {
            (Some(source), Some(amount)) if errors.is_empty() => Ok(Grant { source, amount, note }),
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpendInput {
    pub on: DateParts,
    pub description: String,
    pub category: String,
    pub amount: String,
}

impl SpendInput {
    pub fn parse(&self, year: FinancialYear) -> Result<SpendLine, FieldErrors> {
        let mut errors = FieldErrors::default();
        let on = match date(&mut errors, "spent_on", "The date", &self.on, true) {
            Some(d) if !year.contains(d) => {
                errors.add(
                    "spent_on",
                    format!(
                        "The date must be in the financial year {year}, from {} to {}",
                        crate::dates::format_uk(year.first_day()),
                        crate::dates::format_uk(year.last_day())
                    ),
                );
                None
            }
            d => d,
        };
        let description = required_text(&mut errors, "description", "What it was for", &self.description, 300);
        let category =
            chosen(&mut errors, "category", "Choose what the money went on", SpendCategory::parse(&self.category));
        let amount = amount(&mut errors, "spend-amount", &self.amount);
        match (on, description, category, amount) {
            (Some(on), Some(description), Some(category), Some(amount)) if errors.is_empty() => {
                Ok(SpendLine { on, description, category, amount })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn financial_years_run_april_to_march() {
        let y = FinancialYear::parse("2026-27").unwrap();
        assert_eq!(
            (y.first_day().to_string(), y.last_day().to_string(), y.to_string()),
            ("2026-04-01".into(), "2027-03-31".into(), "2026-27".into())
        );
        assert_eq!(FinancialYear::parse("2026-28"), None);
        assert_eq!(FinancialYear::parse("1999-00"), None);
        assert_eq!(FinancialYear::parse("2099-00"), Some(FinancialYear(2099)));
        assert_eq!(FinancialYear::holding(NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()), y);
        assert_eq!(FinancialYear::holding(NaiveDate::from_ymd_opt(2027, 4, 1).unwrap()), y.next());
    }

    #[test]
    fn the_balance_is_allocations_less_spend_in_pence() {
        let grants = [
            Grant { source: "DfE".into(), amount: Pence(50_000_000), note: None },
            Grant { source: "LA".into(), amount: Pence(1), note: None },
        ];
        let y = FinancialYear(2026);
        let line = SpendInput {
            on: DateParts::from_iso("2026-05-01"),
            description: "PA salaries".into(),
            category: "staff".into(),
            amount: "12500.99".into(),
        }
        .parse(y)
        .unwrap();
        assert_eq!(balance(&grants, &[line.clone(), line]), (Pence(50_000_001), Pence(2_500_198), Pence(47_499_803)));
        let e = SpendInput { on: DateParts::from_iso("2027-04-01"), amount: "0".into(), ..SpendInput::default() }
            .parse(y)
            .unwrap_err();
        assert_eq!(
            e.get("spent_on"),
            Some("The date must be in the financial year 2026-27, from 1 April 2026 to 31 March 2027")
        );
        assert_eq!(e.get("spend-amount"), Some("The amount must be more than £0.00"));
    }
}
