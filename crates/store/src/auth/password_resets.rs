//! One-time links to set a new password, valid for 24 hours.

use super::{at, end_everything};
use crate::audit::{Actor, Change};
use crate::secrets::{random_token, sha256_hex};
use crate::staff::{columns_of, from_row as staff_from_row};
use crate::write::Written;
use crate::{Staff, Store, StoreError};
use chrono::{Duration, Utc};
use serde_json::json;
use staying_close_domain::people::{Email, Password};

pub const RESET_LINK_LIFETIME: Duration = Duration::hours(24);

/// What became of an action that needs the person's password typed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reauthenticated<T> {
    Done(T),
    WrongPassword,
    Throttled { retry_after_seconds: i64 },
}

impl Reauthenticated<()> {
    /// Why the action cannot go ahead, or `None` when the password was right.
    pub(crate) fn refusal<T>(self) -> Option<Reauthenticated<T>> {
        match self {
            Reauthenticated::Done(()) => None,
            Reauthenticated::WrongPassword => Some(Reauthenticated::WrongPassword),
            Reauthenticated::Throttled { retry_after_seconds } => {
                Some(Reauthenticated::Throttled { retry_after_seconds })
            }
        }
    }
}

impl Store {
    /// Checks a signed-in person's password once more before a sensitive
    /// action. Wrong passwords count against the account like wrong sign-ins
    /// and are audited as `refused_action`.
    pub(crate) async fn check_password_again(
        &self,
        staff: &Staff,
        typed: &str,
        actor: &Actor,
        client: &str,
        refused_action: &'static str,
    ) -> Result<Reauthenticated<()>, StoreError> {
        let account_key = sha256_hex(staff.email.as_str());
        if let Some(retry_after_seconds) = self.throttle(&account_key, client, Utc::now()).await? {
            return Ok(Reauthenticated::Throttled { retry_after_seconds });
        }
        let hash = self.staff_for_sign_in(&staff.email).await?.and_then(|(_, h)| h).unwrap_or_default();
        let (typed, stored) = (typed.to_owned(), hash);
        let right = tokio::task::spawn_blocking(move || crate::passwords::verify_password(&typed, &stored))
            .await
            .unwrap_or(false);
        if right {
            return Ok(Reauthenticated::Done(()));
        }
        let change = Change::about_staff(staff, refused_action, json!({}));
        let (la, client) = (staff.la_id.map(|l| l.0), client.to_owned());
        self.write(actor, move |tx| {
            Box::pin(async move {
                super::record_attempt(tx, la, &account_key, &client, super::Attempt::Password, false).await?;
                Ok(Written::new((), change))
            })
        })
        .await?;
        Ok(Reauthenticated::WrongPassword)
    }

    /// Changes a member of staff's own password, given the current one: every
    /// other session, API token and reset link of the account ends. Wrong
    /// current passwords count against the account like wrong sign-ins.
    pub async fn change_password(
        &self,
        staff: &Staff,
        current_session: &str,
        current_password: &str,
        new: &Password,
        actor: &Actor,
        client: &str,
    ) -> Result<Reauthenticated<u64>, StoreError> {
        let check = self.check_password_again(staff, current_password, actor, client, "password_change_refused");
        if let Some(refused) = check.await?.refusal() {
            return Ok(refused);
        }
        let (staff, session_hash) = (staff.clone(), sha256_hex(current_session));
        let new_hash = crate::passwords::hash_password(new)?;
        self.write(actor, move |tx| {
            Box::pin(async move {
                let now = at(Utc::now());
                sqlx::query(
                    "UPDATE staff SET password_hash = $1, updated_at = $2, version = version + 1 WHERE id = $3",
                )
                .bind(new_hash)
                .bind(&now)
                .bind(staff.id.0)
                .execute(&mut *tx)
                .await?;
                // Every other session ends; this one stays signed in.
                let ended = sqlx::query("DELETE FROM sessions WHERE staff_id = $1 AND token_hash <> $2")
                    .bind(staff.id.0)
                    .bind(&session_hash)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE staff_id = $2 AND revoked_at IS NULL")
                    .bind(&now)
                    .bind(staff.id.0)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE password_resets SET used_at = $1 WHERE staff_id = $2 AND used_at IS NULL")
                    .bind(&now)
                    .bind(staff.id.0)
                    .execute(&mut *tx)
                    .await?;
                let change = Change::about_staff(&staff, "password_changed", json!({ "other_sessions_ended": ended }));
                Ok(Written::new(Reauthenticated::Done(ended), change))
            })
        })
        .await
    }

    /// A one-time link token, valid for 24 hours, to set a new password.
    pub async fn create_password_reset(&self, email: &Email, actor: &Actor) -> Result<String, StoreError> {
        let staff = self.staff_by_email(email).await?;
        if !staff.active {
            return Err(StoreError::Invalid(format!(
                "the account of {email} is disabled: a reset link cannot revive it"
            )));
        }
        let token = random_token();
        let now = Utc::now();
        self.write(actor, move |tx| {
            Box::pin(async move {
                sqlx::query("UPDATE password_resets SET used_at = $1 WHERE staff_id = $2 AND used_at IS NULL")
                    .bind(at(now))
                    .bind(staff.id.0)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO password_resets (la_id, staff_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(staff.la_id.map(|l| l.0))
                .bind(staff.id.0)
                .bind(sha256_hex(&token))
                .bind(at(now))
                .bind(at(now + RESET_LINK_LIFETIME))
                .execute(&mut *tx)
                .await?;
                let change = Change::about_staff(&staff, "password_reset_issued", json!({}));
                Ok(Written::new(token, change))
            })
        })
        .await
    }

    /// The member of staff a reset link is for, while it is unused and in date
    /// (disabled accounts too, so the page can say why it refuses).
    pub async fn password_reset_for(&self, token: &str) -> Result<Option<Staff>, StoreError> {
        let staff_columns = columns_of("st");
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
    /// token of that person, and spends the link. A disabled account's link
    /// is refused, and the account's status never changes here.
    pub async fn complete_password_reset(
        &self,
        token: &str,
        password: &Password,
        actor: &Actor,
    ) -> Result<Staff, StoreError> {
        let staff =
            self.password_reset_for(token).await?.ok_or(StoreError::NotFound { what: "Password reset link" })?;
        if !staff.active {
            return Err(StoreError::AccountDisabled);
        }
        let hash = crate::passwords::hash_password(password)?;
        let token_hash = sha256_hex(token);
        self.write(actor, move |tx| {
            Box::pin(async move {
                let now = at(Utc::now());
                let spent =
                    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
                        .bind(&now)
                        .bind(&token_hash)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                if spent != 1 {
                    return Err(StoreError::NotFound { what: "Password reset link" });
                }
                let changed = sqlx::query(
                    "UPDATE staff SET password_hash = $1, updated_at = $2, version = version + 1
                     WHERE id = $3 AND status = 'active'",
                )
                .bind(hash)
                .bind(&now)
                .bind(staff.id.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed != 1 {
                    return Err(StoreError::AccountDisabled);
                }
                end_everything(tx, staff.id, &now).await?;
                let change = Change::about_staff(&staff, "password_reset", json!({}));
                Ok(Written::new(staff, change))
            })
        })
        .await
    }
}
