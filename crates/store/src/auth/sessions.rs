//! Server-side sessions: only a hash of the cookie's token is stored.

use super::password_resets::Reauthenticated;
use super::{at, parse_at};
use crate::audit::{Actor, Change};
use crate::secrets::{random_token, sha256_hex};
use crate::staff::{columns_of, from_row as staff_from_row};
use crate::write::Written;
use crate::{La, LaId, Staff, StaffId, Store, StoreError};
use chrono::{Duration, Utc};
use serde_json::json;
use sqlx::Row;
use staying_close_domain::people::Email;

pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// Sessions an account may hold at once; a new one ends the oldest.
pub const MAX_SESSIONS: i64 = 5;

/// One of a member of staff's sessions, for their sessions page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    pub id: i64,
    pub created_at: String,
    pub last_seen_at: String,
    pub client_addr: Option<String>,
    /// The session asking.
    pub current: bool,
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
    pub(crate) fn as_str(self) -> &'static str {
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

impl Store {
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
        // At most MAX_SESSIONS at once: the oldest go.
        sqlx::query(
            "DELETE FROM sessions WHERE staff_id = $1 AND id NOT IN
                (SELECT id FROM sessions WHERE staff_id = $1 ORDER BY id DESC LIMIT $2)",
        )
        .bind(staff.id.0)
        .bind(MAX_SESSIONS)
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// A member of staff's sessions, newest first, marking the one with `current` token.
    pub async fn sessions_of(&self, staff: StaffId, current: &str) -> Result<Vec<SessionSummary>, StoreError> {
        let current = sha256_hex(current);
        let rows = sqlx::query(
            "SELECT id, token_hash, created_at, last_seen_at, client_addr FROM sessions WHERE staff_id = $1 ORDER BY id DESC",
        )
        .bind(staff.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SessionSummary {
                    id: r.try_get("id")?,
                    current: r.try_get::<String, _>("token_hash")? == current,
                    created_at: r.try_get("created_at")?,
                    last_seen_at: r.try_get("last_seen_at")?,
                    client_addr: r.try_get("client_addr")?,
                })
            })
            .collect()
    }

    /// Ends every session of `staff` but the one with `current` token, once
    /// their password is typed again (ASVS 7.5.2); says how many ended.
    pub async fn end_other_sessions(
        &self,
        staff: &Staff,
        current: &str,
        password: &str,
        actor: &Actor,
        client: &str,
    ) -> Result<Reauthenticated<u64>, StoreError> {
        let check = self.check_password_again(staff, password, actor, client, "end_other_sessions_refused");
        if let Some(refused) = check.await?.refusal() {
            return Ok(refused);
        }
        let (staff, current) = (staff.clone(), sha256_hex(current));
        self.write(actor, move |tx| {
            Box::pin(async move {
                let ended = sqlx::query("DELETE FROM sessions WHERE staff_id = $1 AND token_hash <> $2")
                    .bind(staff.id.0)
                    .bind(&current)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                let change = Change::about_staff(&staff, "end_other_sessions", json!({ "ended": ended }));
                Ok(Written::new(Reauthenticated::Done(ended), change))
            })
        })
        .await
    }

    /// An administrator signs one member of staff out everywhere (a lost
    /// laptop, a suspected stolen password); their API tokens stay. Says how
    /// many sessions ended.
    pub async fn sign_out_staff(&self, email: &Email, actor: &Actor) -> Result<(Staff, u64), StoreError> {
        let staff = self.staff_by_email(email).await?;
        let target = staff.clone();
        let ended = self
            .write(actor, move |tx| {
                Box::pin(async move {
                    let ended = sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
                        .bind(target.id.0)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    let change = Change::about_staff(&target, "signed_out_by_admin", json!({ "ended": ended }));
                    Ok(Written::new(ended, change))
                })
            })
            .await?;
        Ok((staff, ended))
    }

    /// Signs everyone out of one LA (or, with `None`, the national viewers,
    /// who belong to none); says how many sessions ended.
    pub async fn sign_out_everyone(&self, la: Option<LaId>, actor: &Actor) -> Result<u64, StoreError> {
        self.write(actor, move |tx| {
            Box::pin(async move {
                let ended = match la {
                    Some(la) => {
                        sqlx::query("DELETE FROM sessions WHERE la_id = $1").bind(la.0).execute(&mut *tx).await?
                    }
                    None => sqlx::query("DELETE FROM sessions WHERE la_id IS NULL").execute(&mut *tx).await?,
                }
                .rows_affected();
                let details = json!({ "ended": ended });
                let change = Change {
                    la,
                    action: "signed_out_everyone",
                    entity_type: "la",
                    entity_id: la.map(|l| l.0),
                    details,
                };
                Ok(Written::new(ended, change))
            })
        })
        .await
    }

    /// The live session for a cookie token, if any; ends expired ones.
    pub async fn session(&self, token: &str) -> Result<Option<Session>, StoreError> {
        let now = Utc::now();
        let staff_columns = columns_of("st");
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
}
