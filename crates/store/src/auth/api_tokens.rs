//! Personal API tokens: shown once, stored as hashes, revocable, with an expiry.

use super::at;
use crate::audit::{Actor, Change};
use crate::secrets::{random_token, sha256_hex};
use crate::staff::{columns_of, from_row as staff_from_row};
use crate::write::Written;
use crate::{Staff, StaffId, Store, StoreError};
use chrono::{Duration, Utc};
use serde_json::json;
use sqlx::Row;

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

const COLUMNS: &str = "id, name, prefix, created_at, expires_at, revoked_at, last_used_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<ApiToken, StoreError> {
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

impl Store {
    /// Creates a personal API token; the token itself is returned only now.
    pub async fn create_api_token(
        &self,
        staff: &Staff,
        name: &str,
        days: i64,
        actor: &Actor,
    ) -> Result<(String, ApiToken), StoreError> {
        let name = name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(StoreError::Invalid("Enter a name for the token of 60 characters or fewer".into()));
        }
        if !(1..=365).contains(&days) {
            return Err(StoreError::Invalid("A token must expire within 1 to 365 days".into()));
        }
        let token = format!("sc_{}", random_token());
        let now = Utc::now();
        let staff = staff.clone();
        self.write(actor, move |tx| {
            Box::pin(async move {
                let row = sqlx::query(&format!(
                    "INSERT INTO api_tokens (la_id, staff_id, name, token_hash, prefix, created_at, expires_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
                ))
                .bind(staff.la_id.map(|l| l.0))
                .bind(staff.id.0)
                .bind(&name)
                .bind(sha256_hex(&token))
                .bind(token[..10].to_owned())
                .bind(at(now))
                .bind(at(now + Duration::days(days)))
                .fetch_one(&mut *tx)
                .await?;
                let created = from_row(&row)?;
                let change = Change {
                    la: staff.la_id,
                    action: "create",
                    entity_type: "api_token",
                    entity_id: Some(created.id),
                    details: json!({ "name": name, "expires_at": created.expires_at }),
                };
                Ok(Written::new((token, created), change))
            })
        })
        .await
    }

    pub async fn api_tokens(&self, staff: StaffId) -> Result<Vec<ApiToken>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM api_tokens WHERE staff_id = $1 ORDER BY id DESC"))
            .bind(staff.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// Revokes one of `staff`'s own tokens; another person's token is "not found".
    pub async fn revoke_api_token(&self, staff: &Staff, id: i64, actor: &Actor) -> Result<(), StoreError> {
        let (staff_id, la) = (staff.id, staff.la_id);
        self.write(actor, move |tx| {
            Box::pin(async move {
                let done = sqlx::query(
                    "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND staff_id = $3 AND revoked_at IS NULL",
                )
                .bind(at(Utc::now()))
                .bind(id)
                .bind(staff_id.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if done == 0 {
                    return Err(StoreError::NotFound { what: "API token" });
                }
                let change =
                    Change { la, action: "revoke", entity_type: "api_token", entity_id: Some(id), details: json!({}) };
                Ok(Written::new((), change))
            })
        })
        .await
    }

    /// The active member of staff a bearer token belongs to, if it is live.
    pub async fn staff_by_api_token(&self, token: &str) -> Result<Option<Staff>, StoreError> {
        let now = at(Utc::now());
        let staff_columns = columns_of("st");
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
}
