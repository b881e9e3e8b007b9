//! The second factor: TOTP codes from an authenticator app, and recovery codes.

use super::{at, record_attempt, Attempt};
use crate::audit::{Actor, Change};
use crate::secrets::{random_bytes, sha256_hex};
use crate::write::Written;
use crate::{Staff, Store, StoreError};
use chrono::Utc;
use serde_json::json;
use sqlx::Row;
use staying_close_domain::totp;

/// The result of checking a second-factor code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactorCheck {
    Passed,
    Failed,
    /// Too many wrong codes or passwords: the account is locked for now.
    Throttled {
        retry_after_seconds: i64,
    },
}

impl Store {
    /// A new secret for the session with cookie token `session`, kept with
    /// that session (and no other) until the first code confirms it.
    pub async fn start_totp_enrolment(&self, session: &str) -> Result<Vec<u8>, StoreError> {
        let secret = random_bytes::<20>().to_vec();
        let done = sqlx::query("UPDATE sessions SET pending_totp_secret = $1 WHERE token_hash = $2")
            .bind(totp::base32_encode(&secret))
            .bind(sha256_hex(session))
            .execute(&self.pool)
            .await?
            .rows_affected();
        if done != 1 {
            return Err(StoreError::NotFound { what: "Session" });
        }
        Ok(secret)
    }

    /// The secret this session is setting up, if it has started.
    pub async fn pending_totp_secret(&self, session: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let row = sqlx::query("SELECT pending_totp_secret FROM sessions WHERE token_hash = $1")
            .bind(sha256_hex(session))
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.and_then(|r| r.try_get::<Option<String>, _>(0).ok().flatten()).and_then(|s| totp::base32_decode(&s)))
    }

    /// Finishes the enrolment this session started when `code` matches;
    /// returns ten recovery codes, shown once and stored only as hashes.
    pub async fn confirm_totp(
        &self,
        staff: &Staff,
        session: &str,
        code: &str,
        unix_now: u64,
        actor: &Actor,
    ) -> Result<Option<Vec<String>>, StoreError> {
        let Some(secret) = self.pending_totp_secret(session).await? else { return Ok(None) };
        let Some(step) = totp::verify(&secret, code, unix_now, None) else { return Ok(None) };
        let codes: Vec<String> = (0..10)
            .map(|_| {
                let raw = totp::base32_encode(&random_bytes::<5>()).to_lowercase();
                format!("{}-{}", &raw[..4], &raw[4..])
            })
            .collect();
        let hashes = {
            let codes = codes.clone();
            tokio::task::spawn_blocking(move || {
                codes.iter().map(|c| crate::passwords::hash_recovery_code(c)).collect::<Result<Vec<_>, _>>()
            })
            .await
            .map_err(|e| StoreError::Invalid(format!("cannot hash recovery codes: {e}")))??
        };
        let (staff, session_hash) = (staff.clone(), sha256_hex(session));
        self.write(actor, move |tx| {
            Box::pin(async move {
                let enrolled = sqlx::query(
                    "UPDATE staff SET totp_secret = $1, totp_enabled_at = $2, totp_last_step = $3, version = version + 1
                     WHERE id = $4 AND totp_enabled_at IS NULL",
                )
                .bind(totp::base32_encode(&secret))
                .bind(at(Utc::now()))
                .bind(step as i64)
                .bind(staff.id.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if enrolled != 1 {
                    // Another session finished first: nothing to do here.
                    return Ok(Written::many(None, Vec::new()));
                }
                sqlx::query("UPDATE sessions SET pending_totp_secret = NULL WHERE token_hash = $1")
                    .bind(&session_hash)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM recovery_codes WHERE staff_id = $1")
                    .bind(staff.id.0)
                    .execute(&mut *tx)
                    .await?;
                for hash in &hashes {
                    sqlx::query("INSERT INTO recovery_codes (la_id, staff_id, code_hash) VALUES ($1, $2, $3)")
                        .bind(staff.la_id.map(|l| l.0))
                        .bind(staff.id.0)
                        .bind(hash)
                        .execute(&mut *tx)
                        .await?;
                }
                let change = Change::about_staff(&staff, "enrol_second_factor", json!({}));
                Ok(Written::new(Some(codes), change))
            })
        })
        .await
    }

    /// Checks a TOTP code or an unused recovery code; each works only once.
    pub async fn check_second_factor(
        &self,
        staff: &Staff,
        code: &str,
        unix_now: u64,
        actor: &Actor,
        client: &str,
    ) -> Result<SecondFactorCheck, StoreError> {
        // Wrong codes count against the account like wrong passwords, so
        // codes cannot be guessed one after another.
        let account_key = sha256_hex(staff.email.as_str());
        if let Some(retry_after_seconds) = self.throttle(&account_key, client, Utc::now()).await? {
            let details = json!({ "retry_after_seconds": retry_after_seconds });
            let change = Change::about_staff(staff, "second_factor_locked", details);
            self.write(actor, move |_| Box::pin(async move { Ok(Written::new((), change)) })).await?;
            return Ok(SecondFactorCheck::Throttled { retry_after_seconds });
        }
        let recovery_code = self.matching_recovery_code(staff, code).await?;
        let (staff, code, client) = (staff.clone(), code.to_owned(), client.to_owned());
        self.write(actor, move |tx| {
            Box::pin(async move {
                let row = sqlx::query(
                    "SELECT totp_secret, totp_last_step FROM staff WHERE id = $1 AND totp_enabled_at IS NOT NULL",
                )
                .bind(staff.id.0)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else { return Ok(Written::many(SecondFactorCheck::Failed, Vec::new())) };
                let secret =
                    row.try_get::<Option<String>, _>(0)?.and_then(|s| totp::base32_decode(&s)).unwrap_or_default();
                let last: Option<i64> = row.try_get(1)?;
                let mut how = None;
                if let Some(step) = totp::verify(&secret, &code, unix_now, last.map(|l| l as u64)) {
                    sqlx::query("UPDATE staff SET totp_last_step = $1 WHERE id = $2")
                        .bind(step as i64)
                        .bind(staff.id.0)
                        .execute(&mut *tx)
                        .await?;
                    how = Some("authenticator app");
                } else if let Some(id) = recovery_code {
                    // Spent only if no other request spent it first.
                    let used = sqlx::query(
                        "UPDATE recovery_codes SET used_at = $1 WHERE id = $2 AND staff_id = $3 AND used_at IS NULL",
                    )
                    .bind(at(Utc::now()))
                    .bind(id)
                    .bind(staff.id.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if used == 1 {
                        how = Some("recovery code");
                    }
                }
                let passed = how.is_some();
                let kind = if passed { Attempt::Complete } else { Attempt::SecondFactor };
                record_attempt(tx, staff.la_id.map(|l| l.0), &account_key, &client, kind, passed).await?;
                let action = if passed { "second_factor_passed" } else { "second_factor_failed" };
                let change = Change::about_staff(&staff, action, json!({ "method": how }));
                let result = if passed { SecondFactorCheck::Passed } else { SecondFactorCheck::Failed };
                Ok(Written::new(result, change))
            })
        })
        .await
    }

    /// The id of the unused recovery code `typed` matches, if any. Codes are
    /// salted Argon2id hashes, so each is checked in turn, off the async
    /// threads and outside any transaction; only text shaped like a recovery
    /// code (`xxxx-xxxx`) is checked at all.
    async fn matching_recovery_code(&self, staff: &Staff, typed: &str) -> Result<Option<i64>, StoreError> {
        let typed = typed.trim().to_lowercase();
        let shaped = typed.len() == 9 && typed.as_bytes()[4] == b'-';
        if !shaped {
            return Ok(None);
        }
        let rows = sqlx::query("SELECT id, code_hash FROM recovery_codes WHERE staff_id = $1 AND used_at IS NULL")
            .bind(staff.id.0)
            .fetch_all(&self.pool)
            .await?;
        let stored = rows
            .iter()
            .map(|r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?)))
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let found = tokio::task::spawn_blocking(move || {
            stored.into_iter().find(|(_, hash)| crate::passwords::recovery_code_matches(&typed, hash)).map(|(id, _)| id)
        })
        .await
        .unwrap_or(None);
        Ok(found)
    }
}
