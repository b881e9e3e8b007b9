//! Email address and password, with throttling per account and per client address.

use super::{at, parse_at, record_attempt, Attempt, SessionStage};
use crate::audit::{Actor, Change};
use crate::secrets::sha256_hex;
use crate::write::Written;
use crate::{Staff, Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sqlx::Row;
use staying_close_domain::people::{Email, Password};
use staying_close_domain::permissions::totp_required;
use std::sync::OnceLock;

/// Consecutive failures before an account is locked.
pub const ACCOUNT_FAILURES_BEFORE_LOCK: i64 = 5;
/// Failures from one client address within 15 minutes before it is blocked.
pub const CLIENT_FAILURES_BEFORE_BLOCK: i64 = 30;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    Accepted {
        staff: Staff,
        stage: SessionStage,
    },
    /// Wrong email address or password; deliberately says no more.
    Rejected,
    Throttled {
        retry_after_seconds: i64,
    },
}

/// A hash to verify against when the account does not exist, so a wrong
/// email address takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        crate::passwords::hash_password(&Password::parse("no-such-account-placeholder").expect("valid")).expect("hash")
    })
}

async fn verify_off_thread(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || crate::passwords::verify_password(&password, &hash)).await.unwrap_or(false)
}

impl Store {
    /// How long to wait before `account_key` or `client` may try again, if they must.
    pub(crate) async fn throttle(
        &self,
        account_key: &str,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        // Failures in a row, wrong passwords and wrong codes alike: after the
        // last whole sign-in (by insertion order, as several attempts can
        // share a second), within the last 24 hours. A right password with a
        // code still due clears nothing, so codes cannot be guessed between
        // correct passwords.
        let row = sqlx::query(
            "SELECT COUNT(*), MAX(attempted_at) FROM login_attempts
             WHERE account_key = $1 AND succeeded = 0 AND attempted_at > $2
               AND id > COALESCE((SELECT MAX(id) FROM login_attempts
                                  WHERE account_key = $1 AND succeeded = 1 AND kind = 'complete'), 0)",
        )
        .bind(account_key)
        .bind(at(now - Duration::hours(24)))
        .fetch_one(&self.pool)
        .await?;
        let (failures, last): (i64, Option<String>) = (row.try_get(0)?, row.try_get(1)?);
        if failures >= ACCOUNT_FAILURES_BEFORE_LOCK {
            let lock = Duration::minutes(1 << (failures - ACCOUNT_FAILURES_BEFORE_LOCK).min(6)).min(Duration::hours(1));
            let until = parse_at(&last.unwrap_or_default())? + lock;
            if until > now {
                return Ok(Some((until - now).num_seconds().max(1)));
            }
        }
        let window = at(now - Duration::minutes(15));
        let row = sqlx::query(
            "SELECT COUNT(*), MIN(attempted_at) FROM login_attempts WHERE client_addr = $1 AND succeeded = 0 AND attempted_at > $2",
        )
        .bind(client)
        .bind(&window)
        .fetch_one(&self.pool)
        .await?;
        let (from_client, oldest): (i64, Option<String>) = (row.try_get(0)?, row.try_get(1)?);
        if from_client >= CLIENT_FAILURES_BEFORE_BLOCK {
            let until = parse_at(&oldest.unwrap_or_default())? + Duration::minutes(15);
            return Ok(Some((until - now).num_seconds().max(1)));
        }
        Ok(None)
    }

    /// Checks an email address and password, with throttling, and records the attempt.
    pub async fn sign_in(&self, email_typed: &str, password: &str, client: &str) -> Result<SignIn, StoreError> {
        let normalised = email_typed.trim().to_lowercase();
        let account_key = sha256_hex(&normalised);
        let anonymous = Actor::Anonymous { client_addr: client.to_owned() };
        if let Some(retry_after_seconds) = self.throttle(&account_key, client, Utc::now()).await? {
            self.record_event(&anonymous, None, "sign_in_throttled", "staff", None, json!({})).await?;
            return Ok(SignIn::Throttled { retry_after_seconds });
        }
        let found = match Email::parse(&normalised) {
            Ok(email) => self.staff_for_sign_in(&email).await?,
            Err(_) => None,
        };
        let hash = found.as_ref().and_then(|(_, h)| h.clone()).unwrap_or_else(|| dummy_hash().to_owned());
        let password_ok = verify_off_thread(password.to_owned(), hash).await;
        let accepted = match found {
            Some((staff, Some(_))) if password_ok && staff.active => Ok(staff),
            other => Err(other.map(|(s, _)| s)),
        };
        let (result, actor, change) = match accepted {
            Err(known) => {
                let la = known.as_ref().and_then(|s| s.la_id);
                let details = json!({ "account": known.as_ref().map(|s| s.id.0) });
                let change = Change { la, action: "sign_in_failed", entity_type: "staff", entity_id: None, details };
                (SignIn::Rejected, anonymous, change)
            }
            Ok(staff) => {
                let la_requires = match staff.la_id {
                    Some(id) => self.la(id).await?.require_totp_for_all,
                    None => false,
                };
                let stage = if staff.totp_enabled {
                    SessionStage::SecondFactor
                } else if totp_required(staff.role, la_requires) {
                    SessionStage::Enrol
                } else {
                    SessionStage::Active
                };
                let change = Change::about_staff(&staff, "sign_in", json!({ "stage": stage.as_str() }));
                let actor = Actor::staff(staff.id, Some(client.to_owned()));
                (SignIn::Accepted { staff, stage }, actor, change)
            }
        };
        let (la, client) = (change.la.map(|l| l.0), client.to_owned());
        let (kind, succeeded) = match &result {
            SignIn::Accepted { stage: SessionStage::SecondFactor, .. } => (Attempt::Password, true),
            SignIn::Accepted { .. } => (Attempt::Complete, true),
            _ => (Attempt::Password, false),
        };
        self.write(&actor, move |tx| {
            Box::pin(async move {
                record_attempt(tx, la, &account_key, &client, kind, succeeded).await?;
                Ok(Written::new(result, change))
            })
        })
        .await
    }
}
