//! Local authorities (the tenants of the service) and their settings.

use crate::money::Pence;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A DfE local-authority code: three digits, for example `350` (Bolton).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LaCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LaError {
    #[error("LA code must be the three-digit DfE code, like 350; got {0:?}")]
    BadCode(String),
    #[error("LA name must not be empty")]
    EmptyName,
    #[error("{field} must be between {min} and {max}; got {value}")]
    OutOfRange { field: &'static str, min: i64, max: i64, value: i64 },
}

impl LaCode {
    pub fn parse(text: &str) -> Result<Self, LaError> {
        let text = text.trim();
        if text.len() == 3 && text.chars().all(|c| c.is_ascii_digit()) {
            Ok(LaCode(text.to_owned()))
        } else {
            Err(LaError::BadCode(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LaCode {
    type Error = LaError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        LaCode::parse(&value)
    }
}

impl From<LaCode> for String {
    fn from(code: LaCode) -> String {
        code.0
    }
}

impl fmt::Display for LaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The display name of an LA, trimmed and never empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaName(String);

impl LaName {
    pub fn parse(text: &str) -> Result<Self, LaError> {
        let text = text.trim();
        if text.is_empty() {
            Err(LaError::EmptyName)
        } else {
            Ok(LaName(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Settings each LA chooses for its own Staying Close model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaSettings {
    /// Young people per personal adviser before the caseload counts as over the cap.
    pub caseload_cap: u32,
    /// Monthly activities allowance per young person.
    pub activities_allowance: Pence,
    /// Hours a week of tailored support offered once a young person is independent.
    pub weekly_support_hours: u32,
    /// Default days between visits before a visit is overdue.
    pub visit_frequency_days: u32,
}

impl Default for LaSettings {
    fn default() -> Self {
        LaSettings {
            caseload_cap: 8,
            activities_allowance: Pence::from_pounds(30),
            weekly_support_hours: 5,
            visit_frequency_days: 14,
        }
    }
}

impl LaSettings {
    /// Checks every field is within the range a real service would use.
    pub fn validate(&self) -> Result<(), LaError> {
        check("caseload_cap", self.caseload_cap as i64, 1, 100)?;
        check("activities_allowance", self.activities_allowance.0, 0, 100_000)?;
        check("weekly_support_hours", self.weekly_support_hours as i64, 0, 40)?;
        check("visit_frequency_days", self.visit_frequency_days as i64, 1, 90)?;
        Ok(())
    }
}

fn check(field: &'static str, value: i64, min: i64, max: i64) -> Result<(), LaError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(LaError::OutOfRange { field, min, max, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn la_codes_are_three_digits() {
        assert_eq!(LaCode::parse(" 350 ").unwrap().as_str(), "350");
        for bad in ["35", "3500", "ABC", ""] {
            assert!(LaCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn default_settings_follow_the_bolton_model() {
        let s = LaSettings::default();
        assert_eq!(s.caseload_cap, 8);
        assert_eq!(s.activities_allowance, Pence(3000));
        assert_eq!(s.weekly_support_hours, 5);
        assert!(s.validate().is_ok());
    }

    #[test]
    fn out_of_range_settings_name_the_field() {
        let s = LaSettings { caseload_cap: 0, ..LaSettings::default() };
        let err = s.validate().unwrap_err();
        assert!(err.to_string().starts_with("caseload_cap"), "{err}");
    }
}
