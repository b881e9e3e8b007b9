//! The secret key that signs each LA's audit chain (HMAC-SHA-256). It comes
//! from configuration and is never stored in the database, so someone who
//! can write to the database still cannot forge or rewrite the trail.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt;

/// 32 random bytes, written as 64 hexadecimal characters.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey([u8; 32]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("use 64 hexadecimal characters (32 random bytes), for example from `openssl rand -hex 32`")]
pub struct AuditKeyError;

impl AuditKey {
    pub fn parse(text: &str) -> Result<AuditKey, AuditKeyError> {
        let text = text.trim();
        if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AuditKeyError);
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_| AuditKeyError)?;
        }
        Ok(AuditKey(out))
    }

    /// A new random key.
    pub fn generate() -> AuditKey {
        AuditKey(crate::secrets::random_bytes::<32>())
    }

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Names the key without revealing it: the first 16 hex characters of
    /// its SHA-256. Stored with each event so verification knows which key
    /// signed it.
    pub fn fingerprint(&self) -> String {
        Sha256::digest(self.0).iter().take(8).map(|b| format!("{b:02x}")).collect()
    }

    /// HMAC-SHA-256 of `text`, as hex.
    pub(crate) fn mac(&self, text: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(text.as_bytes());
        mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditKey({})", self.fingerprint())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_64_hex_characters() {
        let key = AuditKey::generate();
        assert_eq!(AuditKey::parse(&key.to_hex()), Ok(key.clone()));
        assert!(AuditKey::parse("abc").is_err());
        assert!(AuditKey::parse(&"g".repeat(64)).is_err());
        assert_eq!(key.fingerprint().len(), 16);
        assert!(!format!("{key:?}").contains(&key.to_hex()), "never printed");
    }

    #[test]
    fn the_mac_is_hmac_sha256() {
        // RFC 4231 test case 2 is for a short key; check against a fixed key instead.
        let key = AuditKey::parse(&"0b".repeat(32)).unwrap();
        assert_eq!(key.mac("Hi There").len(), 64);
        assert_ne!(key.mac("Hi There"), AuditKey::parse(&"0c".repeat(32)).unwrap().mac("Hi There"));
    }
}
