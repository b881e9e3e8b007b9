//! National identifiers with check characters: the NHS number (modulus 11)
//! and the unique pupil number (UPN, a check letter modulo 23). Each is
//! parsed once at the edge; a value of the type has passed its check.

use serde::{Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    #[error("Enter an NHS number of 10 digits, like 943 476 5919")]
    NhsNumberShape,
    #[error("Enter a real NHS number: the last digit does not match the others")]
    NhsNumberCheck,
    #[error("Enter a UPN of 13 characters: a letter, then 12 digits (or 11 digits and a letter)")]
    UpnShape,
    #[error("Enter a real UPN: the first letter does not match the rest")]
    UpnCheck,
}

/// A 10-digit NHS number whose last digit is its modulus-11 check digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NhsNumber([u8; 10]);

impl NhsNumber {
    /// Reads an NHS number, ignoring spaces (`943 476 5919`).
    pub fn parse(text: &str) -> Result<NhsNumber, IdentifierError> {
        let digits: Vec<u8> = text.chars().filter(|c| *c != ' ').map(|c| c as u8).collect();
        if digits.len() != 10 || !digits.iter().all(u8::is_ascii_digit) {
            return Err(IdentifierError::NhsNumberShape);
        }
        let value = |i: usize| u32::from(digits[i] - b'0');
        let sum: u32 = (0..9).map(|i| value(i) * (10 - i as u32)).sum();
        let check = match 11 - sum % 11 {
            11 => 0,
            10 => return Err(IdentifierError::NhsNumberCheck),
            n => n,
        };
        if check != value(9) {
            return Err(IdentifierError::NhsNumberCheck);
        }
        let mut out = [0u8; 10];
        out.copy_from_slice(&digits);
        Ok(NhsNumber(out))
    }

    /// The ten digits, without spaces.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Written as people write it: `943 476 5919`.
    pub fn spaced(&self) -> String {
        let s = self.as_str();
        format!("{} {} {}", &s[..3], &s[3..6], &s[6..])
    }
}

impl fmt::Display for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spaced())
    }
}

impl Serialize for NhsNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The check-letter alphabet: A-Z without I, O and S.
const UPN_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

/// A unique pupil number: a check letter, a 3-digit LA code, a 4-digit
/// establishment number, a 2-digit year and a 3-digit serial (a temporary
/// UPN has a letter in place of the last serial digit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Upn([u8; 13]);

impl Upn {
    pub fn parse(text: &str) -> Result<Upn, IdentifierError> {
        let text = text.trim().as_bytes();
        if text.len() != 13
            || !UPN_LETTERS.contains(&text[0])
            || !text[1..12].iter().all(u8::is_ascii_digit)
            || !(text[12].is_ascii_digit() || UPN_LETTERS.contains(&text[12]))
        {
            return Err(IdentifierError::UpnShape);
        }
        let value = |c: u8| -> u32 {
            if c.is_ascii_digit() {
                u32::from(c - b'0')
            } else {
                UPN_LETTERS.iter().position(|l| *l == c).unwrap_or(0) as u32
            }
        };
        let sum: u32 = (1..13).map(|i| value(text[i]) * (i as u32 + 1)).sum();
        if UPN_LETTERS[(sum % 23) as usize] != text[0] {
            return Err(IdentifierError::UpnCheck);
        }
        let mut out = [0u8; 13];
        out.copy_from_slice(text);
        Ok(Upn(out))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Whether this is a temporary UPN (a letter in the last place).
    pub fn is_temporary(&self) -> bool {
        self.0[12].is_ascii_alphabetic()
    }
}

impl fmt::Display for Upn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Upn {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The SSDA903 codes for a child with no UPN (each gives the reason).
pub const UNKNOWN_UPN_CODES: [&str; 5] = ["UN1", "UN2", "UN3", "UN4", "UN5"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers_follow_modulus_11() {
        assert_eq!(NhsNumber::parse("9434765919").unwrap().spaced(), "943 476 5919");
        assert!(NhsNumber::parse("943 476 5919").is_ok(), "spaces are not part of it");
        assert_eq!(NhsNumber::parse("9434765918"), Err(IdentifierError::NhsNumberCheck));
        assert!(NhsNumber::parse("9434765870").is_ok(), "a remainder of 0 gives check digit 0");
        assert!(NhsNumber::parse("9990000018").is_ok());
        for last in 0..10 {
            let number = format!("999000000{last}");
            assert_eq!(
                NhsNumber::parse(&number),
                Err(IdentifierError::NhsNumberCheck),
                "{number}: the check would be 10"
            );
        }
        for bad in ["", "943476591", "94347659190", "94347659a9"] {
            assert_eq!(NhsNumber::parse(bad), Err(IdentifierError::NhsNumberShape), "{bad}");
        }
    }

    #[test]
    fn upns_carry_their_check_letter() {
        for good in ["B801200005001", "H801200001001", "A950000178301", "H243278544154"] {
            assert!(Upn::parse(good).is_ok(), "{good}");
        }
        assert_eq!(Upn::parse("C801200005001"), Err(IdentifierError::UpnCheck));
        // The rule, not a support page's worked example: the sum is 266, remainder 13, letter P.
        assert!(Upn::parse("P207000016049").is_ok());
        assert_eq!(Upn::parse("Q207000016049"), Err(IdentifierError::UpnCheck));
        for bad in ["", "B80120000500", "I801200005001", "B8012000050011", "UN1"] {
            assert_eq!(Upn::parse(bad), Err(IdentifierError::UpnShape), "{bad}");
        }
    }

    #[test]
    fn temporary_upns_count_their_last_letter() {
        // Find the check letter for a temporary UPN by the rule and check it round-trips.
        let body = "80120000500A";
        let sum: u32 = body
            .bytes()
            .enumerate()
            .map(|(i, c)| {
                let v = if c.is_ascii_digit() { u32::from(c - b'0') } else { 0 };
                v * (i as u32 + 2)
            })
            .sum();
        let letter = UPN_LETTERS[(sum % 23) as usize] as char;
        let upn = Upn::parse(&format!("{letter}{body}")).unwrap();
        assert!(upn.is_temporary());
    }
}
