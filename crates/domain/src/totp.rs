//! Time-based one-time passwords (RFC 6238, HMAC-SHA1, 6 digits, 30 seconds),
//! as used by authenticator apps, and the base32 text they share secrets in.

use hmac::{Hmac, Mac};
use sha1::Sha1;

pub const STEP_SECONDS: u64 = 30;
pub const DIGITS: u32 = 6;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | b as u32;
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Decodes base32, ignoring spaces, hyphens, padding and case.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !matches!(c, ' ' | '-' | '=')) {
        let value = ALPHABET.iter().position(|&a| a as char == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            out.push((buffer >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    Some(out)
}

/// The code for one 30-second step.
pub fn code_at_step(secret: &[u8], step: u64) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let value = u32::from_be_bytes([digest[offset] & 0x7f, digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
    value % 10u32.pow(DIGITS)
}

/// The step a Unix time falls in.
pub fn step_of(unix_seconds: u64) -> u64 {
    unix_seconds / STEP_SECONDS
}

/// Checks a typed code against the current step and one step either side
/// (for clock drift). Returns the matching step, which the caller stores so
/// the same code cannot be used twice; steps at or before `last_used_step`
/// are refused.
pub fn verify(secret: &[u8], typed: &str, unix_seconds: u64, last_used_step: Option<u64>) -> Option<u64> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != DIGITS as usize || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let typed: u32 = digits.parse().ok()?;
    let now = step_of(unix_seconds);
    [now.saturating_sub(1), now, now + 1]
        .into_iter()
        .filter(|step| last_used_step.is_none_or(|last| *step > last))
        .find(|step| code_at_step(secret, *step) == typed)
}

/// The `otpauth://` URI authenticator apps read from a QR code.
pub fn provisioning_uri(secret: &[u8], issuer: &str, account: &str) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        enc(issuer),
        enc(account),
        base32_encode(secret),
        enc(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SHA-1 test vectors of RFC 6238, appendix B (8-digit codes; we keep the last 6).
    #[test]
    fn matches_rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, eight_digits) in [
            (59u64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
        ] {
            assert_eq!(code_at_step(secret, step_of(time)), eight_digits % 1_000_000, "time {time}");
        }
    }

    #[test]
    fn base32_round_trips_rfc_4648_examples() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("mzxw 6ytb-oi======").unwrap(), b"foobar");
        assert!(base32_decode("not base32!").is_none());
        let secret = [7u8; 20];
        assert_eq!(base32_decode(&base32_encode(&secret)).unwrap(), secret);
    }

    #[test]
    fn accepts_one_step_of_drift_and_never_a_reused_code() {
        let secret = b"12345678901234567890";
        let now = 1_700_000_000;
        let code = format!("{:06}", code_at_step(secret, step_of(now) - 1));
        let step = verify(secret, &code, now, None).expect("previous step accepted");
        assert_eq!(verify(secret, &code, now, Some(step)), None, "the same code cannot be used twice");
        let old = format!("{:06}", code_at_step(secret, step_of(now) - 3));
        assert_eq!(verify(secret, &old, now, None), None);
        assert_eq!(verify(secret, "12345", now, None), None);
        assert_eq!(verify(secret, "abcdef", now, None), None);
    }

    #[test]
    fn provisioning_uri_escapes_names() {
        let uri = provisioning_uri(b"foobar", "Staying Close", "ann@demo.example");
        assert!(uri
            .starts_with("otpauth://totp/Staying%20Close:ann%40demo.example?secret=MZXW6YTBOI&issuer=Staying%20Close"));
    }
}
