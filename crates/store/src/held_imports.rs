//! SSDA903 files that passed every check, held for an hour while the person
//! who uploaded them reads what the import will change and confirms it.
//!
//! A hold belongs to one member of staff in one LA: nobody else, even in the
//! same LA, can see or confirm it. Confirming spends the hold in the import's
//! own transaction.

use crate::audit::{Actor, Change};
use crate::import_903::ImportSummary;
use crate::secrets::{random_token, sha256_hex};
use crate::write::Written;
use crate::{LaId, Staff, Store, StoreError};
use chrono::{Duration, Utc};
use serde_json::json;
use sqlx::Row;
use staying_close_domain::ssda903_files::parse_import;
use std::sync::Arc;

pub const HOLD_LIFETIME: Duration = Duration::hours(1);

/// The text of the files of one upload, and the names they were uploaded as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFiles {
    pub names: String,
    pub header: String,
    pub episodes: String,
    pub oc3: Option<String>,
}

impl Store {
    /// Holds checked files for `staff` to confirm; returns the token that
    /// names the hold (only its hash is stored). Recorded in the audit trail
    /// with what the import would change.
    pub async fn hold_import(
        &self,
        la: LaId,
        staff: &Staff,
        files: ImportFiles,
        preview: &ImportSummary,
        actor: &Actor,
    ) -> Result<String, StoreError> {
        let token = random_token();
        let (hash, staff_id, now) = (sha256_hex(&token), staff.id.0, Utc::now());
        let details = json!({ "files": files.names, "would_change": preview });
        self.write(actor, move |tx| {
            Box::pin(async move {
                // One hold per person: a new upload replaces the last. Holds
                // past their hour go too: they hold personal data.
                sqlx::query("DELETE FROM pending_imports WHERE staff_id = $1 OR (la_id = $2 AND expires_at <= $3)")
                    .bind(staff_id)
                    .bind(la.0)
                    .bind(crate::auth::at(now))
                    .execute(&mut *tx)
                    .await?;
                let row = sqlx::query(
                    "INSERT INTO pending_imports
                        (la_id, staff_id, token_hash, file_names, header_csv, episodes_csv, oc3_csv, created_at, expires_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(la.0)
                .bind(staff_id)
                .bind(&hash)
                .bind(&files.names)
                .bind(&files.header)
                .bind(&files.episodes)
                .bind(&files.oc3)
                .bind(crate::auth::at(now))
                .bind(crate::auth::at(now + HOLD_LIFETIME))
                .fetch_one(&mut *tx)
                .await?;
                let change = Change {
                    la: Some(la),
                    action: "import_checked",
                    entity_type: "pending_import",
                    entity_id: Some(row.try_get(0)?),
                    details,
                };
                Ok(Written::new(token, change))
            })
        })
        .await
    }

    /// The files `staff` holds under `token` in `la`, while the hold lasts.
    pub async fn held_import(&self, la: LaId, staff: &Staff, token: &str) -> Result<Option<ImportFiles>, StoreError> {
        Ok(self.held(la, staff, token).await?.map(|(_, files)| files))
    }

    async fn held(&self, la: LaId, staff: &Staff, token: &str) -> Result<Option<(i64, ImportFiles)>, StoreError> {
        let row = sqlx::query(
            "SELECT id, file_names, header_csv, episodes_csv, oc3_csv FROM pending_imports
             WHERE token_hash = $1 AND la_id = $2 AND staff_id = $3 AND expires_at > $4",
        )
        .bind(sha256_hex(token))
        .bind(la.0)
        .bind(staff.id.0)
        .bind(crate::auth::at(Utc::now()))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok((
                r.try_get("id")?,
                ImportFiles {
                    names: r.try_get("file_names")?,
                    header: r.try_get("header_csv")?,
                    episodes: r.try_get("episodes_csv")?,
                    oc3: r.try_get("oc3_csv")?,
                },
            ))
        })
        .transpose()
        .map_err(|e: sqlx::Error| e.into())
    }

    /// Imports the files held under `token`, spending the hold. `None` when
    /// there is no such hold for this person (expired, already confirmed, or
    /// someone else's).
    pub async fn confirm_held_import(
        &self,
        la: LaId,
        staff: &Staff,
        token: &str,
        actor: &Actor,
    ) -> Result<Option<ImportSummary>, StoreError> {
        let Some((id, files)) = self.held(la, staff, token).await? else { return Ok(None) };
        let import = parse_import(&files.header, &files.episodes, files.oc3.as_deref()).map_err(|problems| {
            StoreError::Invalid(format!("the held files no longer pass {} checks", problems.len()))
        })?;
        match self.import_held_903(la, Arc::new(import), &files.names, id, actor).await {
            Ok(summary) => Ok(Some(summary)),
            Err(StoreError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
