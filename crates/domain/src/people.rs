//! Values describing people: names, email addresses, SSDA903 child ids, passwords.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonError {
    #[error("Names cannot contain control characters")]
    ControlCharacter,
    #[error("Enter a name")]
    EmptyName,
    #[error("Name must be 100 characters or fewer")]
    NameTooLong,
    #[error("Enter an email address in the correct format, like name@example.gov.uk")]
    BadEmail,
    #[error("Child ID must be 1 to 10 letters or digits, as in the SSDA903 return; got {0:?}")]
    BadChildId(String),
    #[error("Password must be at least {min} characters long", min = MIN_PASSWORD_CHARS)]
    PasswordTooShort,
    #[error("Password is too common; choose a phrase of three or more random words")]
    PasswordTooCommon,
    #[error("Password must be {max} characters or fewer", max = MAX_PASSWORD_CHARS)]
    PasswordTooLong,
    #[error("Password is too easy to guess: {0} Choose a phrase of three or more random words")]
    PasswordGuessable(String),
}

/// Whether `text` holds a control character that has no place in a stored
/// field (NUL, escape, …); tabs and line breaks are allowed, for notes.
pub fn has_forbidden_control(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// A person's name as typed, trimmed, non-empty and of sensible length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(text: &str) -> Result<Self, PersonError> {
        let text = text.trim();
        if text.is_empty() {
            Err(PersonError::EmptyName)
        } else if text.chars().any(char::is_control) {
            Err(PersonError::ControlCharacter)
        } else if text.chars().count() > 100 {
            Err(PersonError::NameTooLong)
        } else {
            Ok(PersonName(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An email address, lower-cased so that sign-in is case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Self, PersonError> {
        let text = text.trim().to_lowercase();
        let (local, domain) = text.split_once('@').ok_or(PersonError::BadEmail)?;
        let ok = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && text.len() <= 254
            && !text.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok {
            Ok(Email(text))
        } else {
            Err(PersonError::BadEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The SSDA903 `CHILD` identifier: the LA's own id for a child, 1-10
/// alphanumerics. Held inline (no allocation): imports carry one per row.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChildId {
    len: u8,
    bytes: [u8; ChildId::MAX],
}

impl ChildId {
    pub const MAX: usize = 10;

    pub fn parse(text: &str) -> Result<Self, PersonError> {
        let text = text.trim();
        if !text.is_empty() && text.len() <= Self::MAX && text.bytes().all(|c| c.is_ascii_alphanumeric()) {
            let mut bytes = [0u8; Self::MAX];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            Ok(ChildId { len: text.len() as u8, bytes })
        } else {
            Err(PersonError::BadChildId(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters and digits get in, so this is always UTF-8.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or_default()
    }
}

impl fmt::Display for ChildId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Ord for ChildId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for ChildId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Debug for ChildId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChildId({})", self.as_str())
    }
}

impl Serialize for ChildId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ChildId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ChildId::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Sex as recorded in the SSDA903 Header: `M`, `F` or `U` (unknown or
/// indeterminate) from the 2024-25 return; older returns used `1` and `2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    Male,
    Female,
    Unknown,
}

impl Sex {
    /// Reads an SSDA903 SEX value, old (`1`, `2`) or current (`M`, `F`, `U`).
    pub fn from_ssda903(code: &str) -> Option<Sex> {
        match code {
            "M" | "1" => Some(Sex::Male),
            "F" | "2" => Some(Sex::Female),
            "U" => Some(Sex::Unknown),
            _ => None,
        }
    }

    /// The current SSDA903 code, as stored.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "M",
            Sex::Female => "F",
            Sex::Unknown => "U",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "Male",
            Sex::Female => "Female",
            Sex::Unknown => "Not known or indeterminate",
        }
    }
}

/// Where a young person is with the Staying Close team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CohortStatus {
    /// Referred (or imported) and awaiting a decision.
    Referred,
    /// Supported by the team.
    Active,
    /// No longer supported; the record is kept.
    Closed,
}

impl CohortStatus {
    pub const ALL: [CohortStatus; 3] = [CohortStatus::Referred, CohortStatus::Active, CohortStatus::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            CohortStatus::Referred => "referred",
            CohortStatus::Active => "active",
            CohortStatus::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<CohortStatus> {
        CohortStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The words practitioners use.
    pub fn label(self) -> &'static str {
        match self {
            CohortStatus::Referred => "Referred",
            CohortStatus::Active => "Supported by the team",
            CohortStatus::Closed => "Closed",
        }
    }
}

pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longer passwords are refused before anything else, hashing above all.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A few of the most used passwords of 12 characters or more; anything
/// containing one of these (ignoring case) is refused.
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "123456789012",
    "qwertyuiop",
    "letmein",
    "iloveyou",
    "welcome",
    "changeme",
    "abc123",
    "football",
    "monkey",
    "dragon",
    "sunshine",
    "princess",
    "starwars",
    "trustno1",
    "passw0rd",
    "administrator",
    "1q2w3e4r5t",
    "qwerty123",
    "aaaaaaaaaaaa",
];

/// A password that meets the NCSC-style policy: long enough and not common.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

impl Password {
    /// Checks length first (a long text is refused before any work), then a
    /// short list of the commonest passwords, then zxcvbn's dictionaries of
    /// common and breached passwords, words, names and patterns: anything it
    /// scores below 3 of 4 is refused, with its reason in words.
    pub fn parse(text: &str) -> Result<Self, PersonError> {
        if text.len() > MAX_PASSWORD_CHARS * 4 || text.chars().count() > MAX_PASSWORD_CHARS {
            return Err(PersonError::PasswordTooLong);
        }
        if text.chars().count() < MIN_PASSWORD_CHARS {
            return Err(PersonError::PasswordTooShort);
        }
        let lower = text.to_lowercase();
        let distinct = {
            let mut chars: Vec<char> = lower.chars().collect();
            chars.sort_unstable();
            chars.dedup();
            chars.len()
        };
        if distinct < 4 || COMMON_PASSWORDS.iter().any(|c| lower.contains(c)) {
            return Err(PersonError::PasswordTooCommon);
        }
        let estimate = zxcvbn::zxcvbn(text, &["staying", "close", "staying close"]);
        if (estimate.score() as u8) < 3 {
            let why = estimate
                .feedback()
                .and_then(|f| f.warning())
                .map(|w| w.to_string())
                .unwrap_or_else(|| "it follows a pattern that is quick to guess.".to_owned());
            return Err(PersonError::PasswordGuessable(why));
        }
        Ok(Password(text.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(Email::parse(" Ann.Smith@Demo.GOV.uk ").unwrap().as_str(), "ann.smith@demo.gov.uk");
        for bad in ["", "ann", "ann@", "@x.uk", "ann@localhost", "a b@x.uk", "ann@x.uk."] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(PersonName::parse("Kai\0"), Err(PersonError::ControlCharacter));
        assert!(Email::parse("kai\0@x.uk").is_err());
        assert!(has_forbidden_control("a\u{1b}b"));
        assert!(!has_forbidden_control("line one\r\nline two\tend"));
    }

    #[test]
    fn child_ids_follow_ssda903() {
        assert!(ChildId::parse("DB000123").is_ok());
        assert!(ChildId::parse("DB-1").is_err());
        assert!(ChildId::parse("12345678901").is_err());
    }

    #[test]
    fn passwords_must_be_long_and_uncommon() {
        assert_eq!(Password::parse("short"), Err(PersonError::PasswordTooShort));
        assert_eq!(Password::parse("MyPassword123"), Err(PersonError::PasswordTooCommon));
        assert_eq!(Password::parse("aaaaaaaaaaaaaaa"), Err(PersonError::PasswordTooCommon));
        assert_eq!(Password::parse(&"x".repeat(257)), Err(PersonError::PasswordTooLong));
        assert_eq!(
            Password::parse(&"ab".repeat(1_000_000)),
            Err(PersonError::PasswordTooLong),
            "refused before any work"
        );
        assert!(
            matches!(Password::parse("Liverpool1234"), Err(PersonError::PasswordGuessable(_))),
            "a name and a sequence"
        );
        assert!(Password::parse("lantern-river-oak-7").is_ok());
        assert!(Password::parse("kettle-orbit-meadow").is_ok());
        assert_eq!(format!("{:?}", Password::parse("kettle-orbit-meadow").unwrap()), "Password(…)");
    }

    #[test]
    fn sex_reads_current_and_older_ssda903_codes() {
        assert_eq!(Sex::from_ssda903("M"), Some(Sex::Male));
        assert_eq!(Sex::from_ssda903("F"), Some(Sex::Female));
        assert_eq!(Sex::from_ssda903("U"), Some(Sex::Unknown));
        assert_eq!(Sex::from_ssda903("1"), Some(Sex::Male));
        assert_eq!(Sex::from_ssda903("2"), Some(Sex::Female));
        for bad in ["", "m", "3", "X", "0"] {
            assert_eq!(Sex::from_ssda903(bad), None, "{bad}");
        }
        assert_eq!(Sex::from_ssda903("2").map(Sex::code), Some("F"));
    }

    #[test]
    fn cohort_statuses_round_trip() {
        for status in CohortStatus::ALL {
            assert_eq!(CohortStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(CohortStatus::parse("Active"), None);
    }
}
