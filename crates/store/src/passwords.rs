//! Password hashing with Argon2id (OWASP parameters: 19 MiB, 2 passes).

use crate::StoreError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use staying_close_domain::people::Password;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub(crate) fn hash_password(password: &Password) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Invalid(format!("cannot hash password: {e}")))
}

/// Hashes a recovery code (40 random bits) with salted Argon2id, as ASVS
/// 6.5.2 asks for any lookup secret shorter than 112 bits.
pub(crate) fn hash_recovery_code(code: &str) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(code.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Invalid(format!("cannot hash recovery code: {e}")))
}

/// True when `code` matches a stored recovery-code hash: salted Argon2id,
/// or the plain SHA-256 written before recovery codes were salted.
pub(crate) fn recovery_code_matches(code: &str, stored_hash: &str) -> bool {
    if stored_hash.starts_with("$argon2") {
        verify_password(code, stored_hash)
    } else {
        crate::secrets::sha256_hex(code) == stored_hash
    }
}

/// True when `password` matches the stored PHC-format hash.
pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let password = Password::parse("kettle-orbit-meadow").unwrap();
        let hash = hash_password(&password).unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password("kettle-orbit-meadow", &hash));
        assert!(!verify_password("kettle-orbit-meadoW", &hash));
        assert!(!verify_password("kettle-orbit-meadow", "not a hash"));
    }

    #[test]
    fn recovery_codes_are_salted_and_older_sha256_hashes_still_match() {
        let first = hash_recovery_code("ab3d-7kq2").unwrap();
        let second = hash_recovery_code("ab3d-7kq2").unwrap();
        assert!(first.starts_with("$argon2id$"), "{first}");
        assert_ne!(first, second, "each code has its own salt");
        assert!(recovery_code_matches("ab3d-7kq2", &first));
        assert!(!recovery_code_matches("ab3d-7kq3", &first));
        let older = crate::secrets::sha256_hex("ab3d-7kq2");
        assert!(recovery_code_matches("ab3d-7kq2", &older));
        assert!(!recovery_code_matches("ab3d-7kq3", &older));
    }
}
