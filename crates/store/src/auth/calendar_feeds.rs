//! Personal calendar feeds: a secret link per member of staff (only its
//! SHA-256 is kept), shown once, revocable; a new link replaces the old.

use super::at;
use crate::audit::{Actor, Change};
use crate::secrets::{random_token, sha256_hex};
use crate::staff::{columns_of, from_row as staff_from_row};
use crate::write::Written;
use crate::{Staff, Store, StoreError};
use chrono::Utc;
use serde_json::json;
use sqlx::Row;

impl Store {
    /// Creates `staff`'s calendar link, replacing any earlier one; the token
    /// is returned only now.
    pub async fn create_calendar_feed(&self, staff: &Staff, actor: &Actor) -> Result<String, StoreError> {
        let la = staff.la_id.ok_or(StoreError::Invalid("national viewers have no casework calendar".into()))?;
        let token = format!("cal_{}", random_token());
        let (staff_id, hash) = (staff.id, sha256_hex(&token));
        let made = token.clone();
        self.write(actor, move |tx| {
            Box::pin(async move {
                let replaced = sqlx::query("DELETE FROM calendar_feeds WHERE staff_id = $1")
                    .bind(staff_id.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                sqlx::query(
                    "INSERT INTO calendar_feeds (la_id, staff_id, token_hash, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(la.0)
                .bind(staff_id.0)
                .bind(&hash)
                .bind(at(Utc::now()))
                .execute(&mut *tx)
                .await?;
                let change = Change {
                    la: Some(la),
                    action: "create",
                    entity_type: "calendar_feed",
                    entity_id: Some(staff_id.0),
                    details: json!({ "replaced": replaced > 0 }),
                };
                Ok(Written::new(made, change))
            })
        })
        .await
    }

    /// When `staff`'s calendar link was made, if they have one.
    pub async fn calendar_feed_created(&self, staff: &Staff) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT created_at FROM calendar_feeds WHERE staff_id = $1")
            .bind(staff.id.0)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("created_at")).transpose()?)
    }

    /// Ends `staff`'s calendar link; a calendar app using it gets "not found".
    pub async fn revoke_calendar_feed(&self, staff: &Staff, actor: &Actor) -> Result<(), StoreError> {
        let (staff_id, la) = (staff.id, staff.la_id);
        self.write(actor, move |tx| {
            Box::pin(async move {
                let done = sqlx::query("DELETE FROM calendar_feeds WHERE staff_id = $1")
                    .bind(staff_id.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if done == 0 {
                    return Err(StoreError::NotFound { what: "Calendar link" });
                }
                let change = Change {
                    la,
                    action: "revoke",
                    entity_type: "calendar_feed",
                    entity_id: Some(staff_id.0),
                    details: json!({}),
                };
                Ok(Written::new((), change))
            })
        })
        .await
    }

    /// The active member of staff whose calendar link this is.
    pub async fn staff_by_calendar_token(&self, token: &str) -> Result<Option<Staff>, StoreError> {
        let staff_columns = columns_of("st");
        let row = sqlx::query(&format!(
            "SELECT f.id AS feed_id, {staff_columns} FROM calendar_feeds f JOIN staff st ON st.id = f.staff_id
             WHERE f.token_hash = $1 AND st.status = 'active'"
        ))
        .bind(sha256_hex(token))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        sqlx::query("UPDATE calendar_feeds SET last_used_at = $1 WHERE id = $2")
            .bind(at(Utc::now()))
            .bind(row.try_get::<i64, _>("feed_id")?)
            .execute(&self.pool)
            .await?;
        Ok(Some(staff_from_row(&row)?))
    }
}
