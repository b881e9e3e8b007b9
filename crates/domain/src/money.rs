//! Money as a whole number of pence, so sums are exact.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pence(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Enter an amount in pounds and pence, like 30 or 30.50")]
pub struct InvalidAmount;

impl Pence {
    pub const fn from_pounds(pounds: i64) -> Self {
        Pence(pounds * 100)
    }

    /// Parses what a person types: "30", "30.5", "30.50", "£30.50", "1,200.00".
    pub fn parse(text: &str) -> Result<Self, InvalidAmount> {
        let cleaned: String = text.trim().trim_start_matches('£').chars().filter(|c| *c != ',').collect();
        let (negative, digits) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        let (pounds, pennies) = match digits.split_once('.') {
            Some((p, f)) => (p, f),
            None => (digits, ""),
        };
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if pounds.is_empty() || !all_digits(pounds) || !all_digits(pennies) || pennies.len() > 2 {
            return Err(InvalidAmount);
        }
        let pounds: i64 = pounds.parse().map_err(|_| InvalidAmount)?;
        let pennies: i64 = match pennies.len() {
            0 => 0,
            1 => pennies.parse::<i64>().map_err(|_| InvalidAmount)? * 10,
            _ => pennies.parse().map_err(|_| InvalidAmount)?,
        };
        let total = pounds.checked_mul(100).and_then(|p| p.checked_add(pennies)).ok_or(InvalidAmount)?;
        Ok(Pence(if negative { -total } else { total }))
    }
}

impl fmt::Display for Pence {
    /// "£30.00", "-£2.50".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let pounds = abs / 100;
        let mut grouped = String::new();
        let digits = pounds.to_string();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}£{grouped}.{:02}", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_pounds_and_pence() {
        assert_eq!(Pence(3000).to_string(), "£30.00");
        assert_eq!(Pence(5).to_string(), "£0.05");
        assert_eq!(Pence(-250).to_string(), "-£2.50");
        assert_eq!(Pence(12_345_678).to_string(), "£123,456.78");
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Pence::parse("30"), Ok(Pence(3000)));
        assert_eq!(Pence::parse("£30.5"), Ok(Pence(3050)));
        assert_eq!(Pence::parse(" 1,200.07 "), Ok(Pence(120007)));
        assert_eq!(Pence::parse("-2.50"), Ok(Pence(-250)));
        for bad in ["", "£", "30.505", "thirty", "3.0.0", "1e3", ".50"] {
            assert_eq!(Pence::parse(bad), Err(InvalidAmount), "{bad:?}");
        }
    }
}
