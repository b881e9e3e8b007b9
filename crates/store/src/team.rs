//! The team page's storage: caseloads for the whole team in one query, and
//! an LA administrator's changes to their own LA's staff.

use crate::audit::{Actor, Change};
use crate::auth::end_everything;
use crate::staff::from_row;
use crate::write::Written;
use crate::{LaId, Staff, StaffId, Store, StoreError};
use serde_json::json;
use sqlx::Row;
use staying_close_domain::roles::Role;
use std::collections::HashMap;

impl Store {
    /// Active young people per personal adviser in an LA.
    pub async fn caseloads(&self, la: LaId) -> Result<HashMap<StaffId, i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT personal_adviser_id, COUNT(*) AS n FROM young_people
             WHERE la_id = $1 AND cohort_status = 'active' AND personal_adviser_id IS NOT NULL
             GROUP BY personal_adviser_id",
        )
        .bind(la.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((StaffId(r.try_get("personal_adviser_id")?), r.try_get("n")?))).collect()
    }

    /// A member of staff of `la`; anyone else is "not found".
    pub async fn staff_in(&self, la: LaId, id: StaffId) -> Result<Staff, StoreError> {
        let staff = self.staff_by_id(id).await?;
        if staff.la_id == Some(la) {
            Ok(staff)
        } else {
            Err(StoreError::NotFound { what: "Member of staff" })
        }
    }

    /// Changes the role of a member of staff of `la` (never to a national
    /// role), ending their sessions so the new permissions apply at once.
    pub async fn change_role(&self, la: LaId, id: StaffId, role: Role, actor: &Actor) -> Result<Staff, StoreError> {
        if !role.belongs_to_an_la() {
            return Err(StoreError::Invalid("choose a role within the local authority".into()));
        }
        let before = self.staff_in(la, id).await?;
        if before.role == role {
            return Ok(before);
        }
        let row = self
            .write(actor, move |tx| {
                Box::pin(async move {
                    let now = crate::text::now();
                    let row = sqlx::query(&format!(
                        "UPDATE staff SET role = $1, updated_at = $2, version = version + 1 WHERE id = $3 AND la_id = $4
                         RETURNING {}",
                        crate::staff::COLUMNS
                    ))
                    .bind(role.as_str())
                    .bind(&now)
                    .bind(id.0)
                    .bind(la.0)
                    .fetch_one(&mut *tx)
                    .await?;
                    let after = from_row(&row)?;
                    end_everything(tx, id, &now).await?;
                    let details =
                        json!({ "before": { "role": before.role.as_str() }, "after": { "role": role.as_str() } });
                    Ok(Written::new(after, Change::about_staff(&before, "update", details)))
                })
            })
            .await?;
        Ok(row)
    }

    /// Disables a member of staff of `la` (their sessions and tokens end).
    pub async fn disable_staff_in(&self, la: LaId, id: StaffId, actor: &Actor) -> Result<Staff, StoreError> {
        let staff = self.staff_in(la, id).await?;
        self.disable_staff(&staff.email, actor).await
    }
}
