//! Sign-in, throttling, sessions, second factor, API tokens, password resets.
//! The rules are in `docs/security.md`.

use crate::audit::{self, Actor, Change};
use crate::secrets::{random_bytes, random_token, sha256_hex};
use crate::staff::{from_row as staff_from_row, COLUMNS as STAFF_COLUMNS};
use crate::{La, LaId, Staff, StaffId, Store, StoreError};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::json;
use sqlx::Row;
use staying_close_domain::people::{Email, Password};
use staying_close_domain::permissions::totp_required;
use staying_close_domain::totp;
use std::sync::OnceLock;

pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// Consecutive failures before an account is locked.
pub const ACCOUNT_FAILURES_BEFORE_LOCK: i64 = 5;
/// Failures from one client address within 15 minutes before it is blocked.
pub const CLIENT_FAILURES_BEFORE_BLOCK: i64 = 30;
pub const RESET_LINK_LIFETIME: Duration = Duration::hours(24);

fn at(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_at(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("bad instant {text:?}")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    /// Password accepted; a second-factor code is due.
    SecondFactor,
    /// Password accepted; a second factor must be set up before anything else.
    Enrol,
    /// Fully signed in.
    Active,
}

impl SessionStage {
    fn as_str(self) -> &'static str {
        match self {
            SessionStage::SecondFactor => "second_factor",
            SessionStage::Enrol => "enrol",
            SessionStage::Active => "active",
        }
    }

    fn parse(text: &str) -> Result<Self, StoreError> {
        match text {
            "second_factor" => Ok(SessionStage::SecondFactor),
            "enrol" => Ok(SessionStage::Enrol),
            "active" => Ok(SessionStage::Active),
            other => Err(StoreError::Corrupt(format!("session stage {other}"))),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id: i64,
    pub staff: Staff,
    /// The member of staff's LA (none for national viewers).
    pub la: Option<La>,
    pub stage: SessionStage,
    pub csrf_token: String,
}

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    /// The first characters of the token, to tell tokens apart.
    pub prefix: String,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
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
    async fn throttle(&self, account_key: &str, client: &str, now: DateTime<Utc>) -> Result<Option<i64>, StoreError> {
        // Failures in a row: after the last success (by insertion order, as
        // several attempts can share a second), within the last 24 hours.
        let row = sqlx::query(
            "SELECT COUNT(*), MAX(attempted_at) FROM login_attempts
             WHERE account_key = $1 AND succeeded = 0 AND attempted_at > $2
               AND id > COALESCE((SELECT MAX(id) FROM login_attempts WHERE account_key = $1 AND succeeded = 1), 0)",
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
        let now = Utc::now();
        let normalised = email_typed.trim().to_lowercase();
        let account_key = sha256_hex(&normalised);
        let anonymous = Actor::Anonymous { client_addr: client.to_owned() };
        if let Some(retry_after_seconds) = self.throttle(&account_key, client, now).await? {
            self.record_event(&anonymous, None, "sign_in_throttled", "staff", None, json!({})).await?;
            return Ok(SignIn::Throttled { retry_after_seconds });
        }
        let found = match Email::parse(&normalised) {
            Ok(email) => self.staff_for_sign_in(&email).await?,
            Err(_) => None,
        };
        let hash = found.as_ref().and_then(|(_, h)| h.clone()).unwrap_or_else(|| dummy_hash().to_owned());
        let password_ok = verify_off_thread(password.to_owned(), hash).await;
        let accepted = match &found {
            Some((staff, Some(_))) if password_ok && staff.active => Some(staff.clone()),
            _ => None,
        };
        let la = found.as_ref().and_then(|(s, _)| s.la_id);
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO login_attempts (la_id, account_key, client_addr, attempted_at, succeeded) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(la.map(|l| l.0))
        .bind(&account_key)
        .bind(client)
        .bind(at(now))
        .bind(i64::from(accepted.is_some()))
        .execute(&mut *tx)
        .await?;
        let result = match accepted {
            None => {
                let details = json!({ "account": found.as_ref().map(|(s, _)| s.id.0) });
                audit::record(
                    &mut tx,
                    self.backend,
                    &anonymous,
                    Change { la, action: "sign_in_failed", entity_type: "staff", entity_id: None, details },
                )
                .await?;
                SignIn::Rejected
            }
            Some(staff) => {
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
                audit::record(
                    &mut tx,
                    self.backend,
                    &Actor::staff(staff.id, Some(client.to_owned())),
                    Change {
                        la,
                        action: "sign_in",
                        entity_type: "staff",
                        entity_id: Some(staff.id.0),
                        details: json!({ "stage": stage.as_str() }),
                    },
                )
                .await?;
                SignIn::Accepted { staff, stage }
            }
        };
        tx.commit().await?;
        Ok(result)
    }

    /// Starts a session; returns the token for the cookie (never stored).
    pub async fn create_session(
        &self,
        staff: &Staff,
        stage: SessionStage,
        client: Option<&str>,
    ) -> Result<String, StoreError> {
        let token = random_token();
        let now = Utc::now();
        sqlx::query(
            "INSERT INTO sessions (la_id, staff_id, token_hash, stage, csrf_token, client_addr, created_at, last_seen_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)",
        )
        .bind(staff.la_id.map(|l| l.0))
        .bind(staff.id.0)
        .bind(sha256_hex(&token))
        .bind(stage.as_str())
        .bind(random_token())
        .bind(client.map(str::to_owned))
        .bind(at(now))
        .bind(at(now + ABSOLUTE_TIMEOUT))
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// The live session for a cookie token, if any; ends expired ones.
    pub async fn session(&self, token: &str) -> Result<Option<Session>, StoreError> {
        let now = Utc::now();
        let staff_columns = staff_columns_of("st");
        let row = sqlx::query(&format!(
            "SELECT s.id AS session_id, s.stage, s.csrf_token, s.last_seen_at, s.expires_at, {staff_columns}
             FROM sessions s JOIN staff st ON st.id = s.staff_id WHERE s.token_hash = $1"
        ))
        .bind(sha256_hex(token))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let session_id: i64 = row.try_get("session_id")?;
        let staff = staff_from_row(&row)?;
        let last_seen = parse_at(&row.try_get::<String, _>("last_seen_at")?)?;
        let expires = parse_at(&row.try_get::<String, _>("expires_at")?)?;
        if !staff.active || now >= expires || now - last_seen >= IDLE_TIMEOUT {
            sqlx::query("DELETE FROM sessions WHERE id = $1").bind(session_id).execute(&self.pool).await?;
            return Ok(None);
        }
        if now - last_seen >= Duration::seconds(60) {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
                .bind(at(now))
                .bind(session_id)
                .execute(&self.pool)
                .await?;
        }
        let la = match staff.la_id {
            Some(id) => Some(self.la(id).await?),
            None => None,
        };
        Ok(Some(Session {
            id: session_id,
            staff,
            la,
            stage: SessionStage::parse(&row.try_get::<String, _>("stage")?)?,
            csrf_token: row.try_get("csrf_token")?,
        }))
    }

    /// Ends a session and starts a new one at `stage`, so the id changes
    /// whenever the level of trust does.
    pub async fn rotate_session(
        &self,
        token: &str,
        staff: &Staff,
        stage: SessionStage,
        client: Option<&str>,
    ) -> Result<String, StoreError> {
        self.end_session(token).await?;
        self.create_session(staff, stage, client).await
    }

    pub async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(sha256_hex(token)).execute(&self.pool).await?;
        Ok(())
    }

    /// Moves a session's clock back, for tests of the timeouts.
    #[cfg(any(test, feature = "testing"))]
    pub async fn age_sessions(&self, staff: StaffId, idle: Duration, since_start: Duration) -> Result<(), StoreError> {
        let now = Utc::now();
        sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE staff_id = $3")
            .bind(at(now - idle))
            .bind(at(now - since_start + ABSOLUTE_TIMEOUT))
            .bind(staff.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn staff_by_id(&self, id: StaffId) -> Result<Staff, StoreError> {
        let row = sqlx::query(&format!("SELECT {STAFF_COLUMNS} FROM staff WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(staff_from_row).transpose()?.ok_or(StoreError::NotFound { what: "Member of staff" })
    }

    /// A new secret for enrolment, kept until the first code confirms it.
    pub async fn start_totp_enrolment(&self, staff: StaffId) -> Result<Vec<u8>, StoreError> {
        let secret = random_bytes::<20>().to_vec();
        sqlx::query("UPDATE staff SET totp_secret = $1 WHERE id = $2 AND totp_enabled_at IS NULL")
            .bind(totp::base32_encode(&secret))
            .bind(staff.0)
            .execute(&self.pool)
            .await?;
        Ok(secret)
    }

    /// The secret being enrolled, if enrolment has started and not finished.
    pub async fn pending_totp_secret(&self, staff: StaffId) -> Result<Option<Vec<u8>>, StoreError> {
        let row = sqlx::query("SELECT totp_secret FROM staff WHERE id = $1 AND totp_enabled_at IS NULL")
            .bind(staff.0)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.and_then(|r| r.try_get::<Option<String>, _>(0).ok().flatten()).and_then(|s| totp::base32_decode(&s)))
    }

    /// Finishes enrolment when `code` matches; returns ten recovery codes,
    /// shown once and stored only as hashes.
    pub async fn confirm_totp(
        &self,
        staff: &Staff,
        code: &str,
        unix_now: u64,
        actor: &Actor,
    ) -> Result<Option<Vec<String>>, StoreError> {
        let Some(secret) = self.pending_totp_secret(staff.id).await? else { return Ok(None) };
        let Some(step) = totp::verify(&secret, code, unix_now, None) else { return Ok(None) };
        let codes: Vec<String> = (0..10)
            .map(|_| {
                let raw = totp::base32_encode(&random_bytes::<5>()).to_lowercase();
                format!("{}-{}", &raw[..4], &raw[4..])
            })
            .collect();
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE staff SET totp_enabled_at = $1, totp_last_step = $2, version = version + 1 WHERE id = $3")
            .bind(at(Utc::now()))
            .bind(step as i64)
            .bind(staff.id.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE staff_id = $1").bind(staff.id.0).execute(&mut *tx).await?;
        for code in &codes {
            sqlx::query("INSERT INTO recovery_codes (la_id, staff_id, code_hash) VALUES ($1, $2, $3)")
                .bind(staff.la_id.map(|l| l.0))
                .bind(staff.id.0)
                .bind(sha256_hex(code))
                .execute(&mut *tx)
                .await?;
        }
        audit::record(&mut tx, self.backend, actor, Change::about_staff(staff, "enrol_second_factor", json!({})))
            .await?;
        tx.commit().await?;
        Ok(Some(codes))
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
        let account_key = sha256_hex(&staff.email);
        if let Some(retry_after_seconds) = self.throttle(&account_key, client, Utc::now()).await? {
            return Ok(SecondFactorCheck::Throttled { retry_after_seconds });
        }
        let mut tx = self.begin_write().await?;
        let row =
            sqlx::query("SELECT totp_secret, totp_last_step FROM staff WHERE id = $1 AND totp_enabled_at IS NOT NULL")
                .bind(staff.id.0)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(row) = row else { return Ok(SecondFactorCheck::Failed) };
        let secret = row.try_get::<Option<String>, _>(0)?.and_then(|s| totp::base32_decode(&s)).unwrap_or_default();
        let last: Option<i64> = row.try_get(1)?;
        let mut how = None;
        if let Some(step) = totp::verify(&secret, code, unix_now, last.map(|l| l as u64)) {
            sqlx::query("UPDATE staff SET totp_last_step = $1 WHERE id = $2")
                .bind(step as i64)
                .bind(staff.id.0)
                .execute(&mut *tx)
                .await?;
            how = Some("authenticator app");
        } else {
            let typed = code.trim().to_lowercase();
            let used = sqlx::query(
                "UPDATE recovery_codes SET used_at = $1 WHERE staff_id = $2 AND code_hash = $3 AND used_at IS NULL",
            )
            .bind(at(Utc::now()))
            .bind(staff.id.0)
            .bind(sha256_hex(&typed))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if used == 1 {
                how = Some("recovery code");
            }
        }
        let action = if how.is_some() { "second_factor_passed" } else { "second_factor_failed" };
        sqlx::query(
            "INSERT INTO login_attempts (la_id, account_key, client_addr, attempted_at, succeeded) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(staff.la_id.map(|l| l.0))
        .bind(&account_key)
        .bind(client)
        .bind(at(Utc::now()))
        .bind(i64::from(how.is_some()))
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, self.backend, actor, Change::about_staff(staff, action, json!({ "method": how })))
            .await?;
        tx.commit().await?;
        Ok(if how.is_some() { SecondFactorCheck::Passed } else { SecondFactorCheck::Failed })
    }

    /// Creates a personal API token; the token itself is returned only now.
    pub async fn create_api_token(
        &self,
        staff: &Staff,
        name: &str,
        days: i64,
        actor: &Actor,
    ) -> Result<(String, ApiToken), StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(StoreError::Invalid("Enter a name for the token of 60 characters or fewer".into()));
        }
        if !(1..=365).contains(&days) {
            return Err(StoreError::Invalid("A token must expire within 1 to 365 days".into()));
        }
        let token = format!("sc_{}", random_token());
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO api_tokens (la_id, staff_id, name, token_hash, prefix, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, name, prefix, created_at, expires_at, revoked_at, last_used_at",
        )
        .bind(staff.la_id.map(|l| l.0))
        .bind(staff.id.0)
        .bind(name)
        .bind(sha256_hex(&token))
        .bind(token[..10].to_owned())
        .bind(at(now))
        .bind(at(now + Duration::days(days)))
        .fetch_one(&mut *tx)
        .await?;
        let created = api_token_from_row(&row)?;
        audit::record(
            &mut tx,
            self.backend,
            actor,
            Change {
                la: staff.la_id,
                action: "create",
                entity_type: "api_token",
                entity_id: Some(created.id),
                details: json!({ "name": name, "expires_at": created.expires_at }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((token, created))
    }

    pub async fn api_tokens(&self, staff: StaffId) -> Result<Vec<ApiToken>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, prefix, created_at, expires_at, revoked_at, last_used_at FROM api_tokens WHERE staff_id = $1 ORDER BY id DESC",
        )
        .bind(staff.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(api_token_from_row).collect()
    }

    /// Revokes one of `staff`'s own tokens; another person's token is "not found".
    pub async fn revoke_api_token(&self, staff: &Staff, id: i64, actor: &Actor) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done =
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND staff_id = $3 AND revoked_at IS NULL")
                .bind(at(Utc::now()))
                .bind(id)
                .bind(staff.id.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if done == 0 {
            return Err(StoreError::NotFound { what: "API token" });
        }
        audit::record(
            &mut tx,
            self.backend,
            actor,
            Change {
                la: staff.la_id,
                action: "revoke",
                entity_type: "api_token",
                entity_id: Some(id),
                details: json!({}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The active member of staff a bearer token belongs to, if it is live.
    pub async fn staff_by_api_token(&self, token: &str) -> Result<Option<Staff>, StoreError> {
        let now = at(Utc::now());
        let staff_columns = staff_columns_of("st");
        let row = sqlx::query(&format!(
            "SELECT t.id AS token_id, {staff_columns} FROM api_tokens t JOIN staff st ON st.id = t.staff_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND st.status = 'active'"
        ))
        .bind(sha256_hex(token))
        .bind(&now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let token_id: i64 = row.try_get("token_id")?;
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(&now)
            .bind(token_id)
            .execute(&self.pool)
            .await?;
        Ok(Some(staff_from_row(&row)?))
    }

    /// A one-time link token, valid for 24 hours, to set a new password.
    pub async fn create_password_reset(&self, email: &Email, actor: &Actor) -> Result<String, StoreError> {
        let staff = self.staff_by_email(email).await?;
        let token = random_token();
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE password_resets SET used_at = $1 WHERE staff_id = $2 AND used_at IS NULL")
            .bind(at(now))
            .bind(staff.id.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO password_resets (la_id, staff_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(staff.la_id.map(|l| l.0))
            .bind(staff.id.0)
            .bind(sha256_hex(&token))
            .bind(at(now))
            .bind(at(now + RESET_LINK_LIFETIME))
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, self.backend, actor, Change::about_staff(&staff, "password_reset_issued", json!({})))
            .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The member of staff a reset link is for, while it is unused and in date.
    pub async fn password_reset_for(&self, token: &str) -> Result<Option<Staff>, StoreError> {
        let staff_columns = staff_columns_of("st");
        let row = sqlx::query(&format!(
            "SELECT {staff_columns} FROM password_resets r JOIN staff st ON st.id = r.staff_id
             WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2"
        ))
        .bind(sha256_hex(token))
        .bind(at(Utc::now()))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(staff_from_row).transpose()
    }

    /// Sets a new password from a reset link, ends every session and API
    /// token of that person, and spends the link.
    pub async fn complete_password_reset(
        &self,
        token: &str,
        password: &Password,
        actor: &Actor,
    ) -> Result<Staff, StoreError> {
        let staff =
            self.password_reset_for(token).await?.ok_or(StoreError::NotFound { what: "Password reset link" })?;
        let hash = crate::passwords::hash_password(password)?;
        let now = at(Utc::now());
        let mut tx = self.begin_write().await?;
        let spent = sqlx::query("UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
            .bind(&now)
            .bind(sha256_hex(token))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if spent != 1 {
            return Err(StoreError::NotFound { what: "Password reset link" });
        }
        sqlx::query("UPDATE staff SET password_hash = $1, status = 'active', updated_at = $2, version = version + 1 WHERE id = $3")
            .bind(hash)
            .bind(&now)
            .bind(staff.id.0)
            .execute(&mut *tx)
            .await?;
        end_everything(&mut tx, staff.id, &now).await?;
        audit::record(&mut tx, self.backend, actor, Change::about_staff(&staff, "password_reset", json!({}))).await?;
        tx.commit().await?;
        Ok(staff)
    }

    /// Disables an account and ends all its sessions and API tokens.
    pub async fn disable_staff(&self, email: &Email, actor: &Actor) -> Result<Staff, StoreError> {
        let staff = self.staff_by_email(email).await?;
        let now = at(Utc::now());
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE staff SET status = 'disabled', updated_at = $1, version = version + 1 WHERE id = $2")
            .bind(&now)
            .bind(staff.id.0)
            .execute(&mut *tx)
            .await?;
        end_everything(&mut tx, staff.id, &now).await?;
        audit::record(
            &mut tx,
            self.backend,
            actor,
            Change::about_staff(
                &staff,
                "update",
                json!({ "before": { "status": "active" }, "after": { "status": "disabled" } }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.staff_by_id(staff.id).await
    }

    /// Removes a member of staff's second factor (lost phone and recovery
    /// codes) and ends their sessions; they set one up again at next sign-in.
    pub async fn reset_second_factor(&self, email: &Email, actor: &Actor) -> Result<Staff, StoreError> {
        let staff = self.staff_by_email(email).await?;
        let now = at(Utc::now());
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE staff SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, updated_at = $1,
                version = version + 1 WHERE id = $2",
        )
        .bind(&now)
        .bind(staff.id.0)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE staff_id = $1").bind(staff.id.0).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM sessions WHERE staff_id = $1").bind(staff.id.0).execute(&mut *tx).await?;
        audit::record(&mut tx, self.backend, actor, Change::about_staff(&staff, "reset_second_factor", json!({})))
            .await?;
        tx.commit().await?;
        self.staff_by_id(staff.id).await
    }

    /// Shares a young person's record with a member of staff of the same LA.
    pub async fn share_young_person(
        &self,
        la: LaId,
        person: crate::YoungPersonId,
        with: StaffId,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO young_person_shares (la_id, young_person_id, staff_id, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(with.0)
        .bind(at(Utc::now()))
        .execute(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                StoreError::NotFound { what: "Young person or member of staff" }
            }
            _ => StoreError::duplicate_as("That share")(e),
        })?;
        audit::record(
            &mut tx,
            self.backend,
            actor,
            Change {
                la: Some(la),
                action: "share",
                entity_type: "young_person",
                entity_id: Some(person.0),
                details: json!({ "with_staff": with.0 }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn end_everything(conn: &mut sqlx::AnyConnection, staff: StaffId, now: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE staff_id = $1").bind(staff.0).execute(&mut *conn).await?;
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE staff_id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(staff.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// A member of staff by email address, or "not found".
    async fn staff_by_email(&self, email: &Email) -> Result<Staff, StoreError> {
        Ok(self.staff_for_sign_in(email).await?.ok_or(StoreError::NotFound { what: "Member of staff" })?.0)
    }
}

/// The staff columns, qualified with a table alias for joins.
fn staff_columns_of(alias: &str) -> String {
    STAFF_COLUMNS.split(", ").map(|c| format!("{alias}.{c}")).collect::<Vec<_>>().join(", ")
}

fn api_token_from_row(r: &sqlx::any::AnyRow) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        prefix: r.try_get("prefix")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
        last_used_at: r.try_get("last_used_at")?,
    })
}
