//! Signing in and staying signed in: one module each for sign-in with its
//! throttling, sessions, the second factor, API tokens and password resets.
//! The rules are in `docs/security.md`.

mod api_tokens;
mod calendar_feeds;
mod password_resets;
mod second_factor;
mod sessions;
mod sign_in;

pub use api_tokens::ApiToken;
pub use password_resets::Reauthenticated;
pub use second_factor::SecondFactorCheck;
pub use sessions::{Session, SessionStage, SessionSummary, ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, MAX_SESSIONS};
pub use sign_in::SignIn;

use crate::{StaffId, StoreError};
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::AnyConnection;

/// An instant as stored: UTC, RFC 3339, whole seconds.
pub(crate) fn at(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn parse_at(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("bad instant {text:?}")))
}

/// Ends every session, API token and unused password-reset link of a member of staff.
pub(crate) async fn end_everything(conn: &mut AnyConnection, staff: StaffId, now: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE staff_id = $1").bind(staff.0).execute(&mut *conn).await?;
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE staff_id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(staff.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE staff_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(staff.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What a sign-in attempt was, for throttling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// A wrong password, or a right one with a second factor still due.
    Password,
    /// A second-factor code or recovery code that was refused.
    SecondFactor,
    /// A whole sign-in succeeded: the only thing that clears the count of failures.
    Complete,
}

impl Attempt {
    fn as_str(self) -> &'static str {
        match self {
            Attempt::Password => "password",
            Attempt::SecondFactor => "second_factor",
            Attempt::Complete => "complete",
        }
    }
}

/// Records one sign-in attempt for throttling.
pub(crate) async fn record_attempt(
    conn: &mut AnyConnection,
    la: Option<i64>,
    account_key: &str,
    client: &str,
    kind: Attempt,
    succeeded: bool,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO login_attempts (la_id, account_key, client_addr, attempted_at, kind, succeeded)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(la)
    .bind(account_key)
    .bind(client)
    .bind(at(Utc::now()))
    .bind(kind.as_str())
    .bind(i64::from(succeeded))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
