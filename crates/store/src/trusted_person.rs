//! Trusted Person nominations and matches, scoped by the viewer. A change
//! names the version it was made from; a stale one is refused.

use crate::audit::{Actor, Change};
use crate::contacts::require_visible;
use crate::text::{date, parse_date};
use crate::write::{missing_or_stale, Written};
use crate::young_people::{Viewer, YoungPersonId};
use crate::{LaId, Store, StoreError};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::Row;
use staying_close_domain::trusted_person::{EndReason, TrustedMatch, TrustedRole};

/// A match on record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMatch {
    pub id: i64,
    pub young_person: YoungPersonId,
    pub trusted: TrustedMatch,
    pub version: i64,
}

fn optional_date(r: &sqlx::any::AnyRow, column: &str) -> Result<Option<NaiveDate>, StoreError> {
    let text: Option<String> = r.try_get(column)?;
    text.as_deref().map(parse_date).transpose()
}

fn match_of(r: &sqlx::any::AnyRow) -> Result<StoredMatch, StoreError> {
    let role: String = r.try_get("trusted_role")?;
    let reason: Option<String> = r.try_get("end_reason")?;
    Ok(StoredMatch {
        id: r.try_get("id")?,
        young_person: YoungPersonId(r.try_get("young_person_id")?),
        trusted: TrustedMatch {
            name: r.try_get("trusted_name")?,
            role: TrustedRole::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("trusted role {role:?}")))?,
            nominated_on: parse_date(&r.try_get::<String, _>("nominated_on")?)?,
            agreed_on: optional_date(r, "agreed_on")?,
            next_review_on: optional_date(r, "next_review_on")?,
            ended_on: optional_date(r, "ended_on")?,
            end_reason: reason.as_deref().and_then(EndReason::parse),
            note: r.try_get("note")?,
        },
        version: r.try_get("version")?,
    })
}

const COLUMNS: &str = "id, young_person_id, trusted_name, trusted_role, nominated_on, agreed_on, next_review_on,
    ended_on, end_reason, note, version";

impl Store {
    /// A young person's nominations and matches, the latest first.
    pub async fn trusted_matches(&self, la: LaId, person: YoungPersonId) -> Result<Vec<StoredMatch>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM trusted_matches WHERE la_id = $1 AND young_person_id = $2
             ORDER BY nominated_on DESC, id DESC"
        ))
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(match_of).collect()
    }

    /// Records a nomination (`existing` None) or changes one at its version.
    pub async fn save_trusted_match(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        existing: Option<(i64, i64)>,
        m: &TrustedMatch,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (viewer, m) = (*viewer, m.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let values = (
                    m.name.clone(),
                    m.role.code(),
                    date(m.nominated_on),
                    m.agreed_on.map(date),
                    m.next_review_on.map(date),
                    m.ended_on.map(date),
                    m.end_reason.map(|r| r.code()),
                    m.note.clone(),
                );
                let (id, action) = match existing {
                    None => {
                        let row = sqlx::query(
                            "INSERT INTO trusted_matches (la_id, young_person_id, trusted_name, trusted_role, nominated_on,
                                agreed_on, next_review_on, ended_on, end_reason, note, recorded_by, created_at)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                        )
                        .bind(viewer.la.0)
                        .bind(person.0)
                        .bind(values.0)
                        .bind(values.1)
                        .bind(values.2)
                        .bind(values.3)
                        .bind(values.4)
                        .bind(values.5)
                        .bind(values.6)
                        .bind(values.7)
                        .bind(viewer.staff.map(|s| s.0))
                        .bind(crate::text::now())
                        .fetch_one(&mut *tx)
                        .await?;
                        (row.try_get::<i64, _>("id")?, "create")
                    }
                    Some((id, version)) => {
                        let updated = sqlx::query(
                            "UPDATE trusted_matches SET trusted_name = $4, trusted_role = $5, nominated_on = $6,
                                agreed_on = $7, next_review_on = $8, ended_on = $9, end_reason = $10, note = $11,
                                version = version + 1
                             WHERE la_id = $1 AND young_person_id = $2 AND id = $3 AND version = $12",
                        )
                        .bind(viewer.la.0)
                        .bind(person.0)
                        .bind(id)
                        .bind(values.0)
                        .bind(values.1)
                        .bind(values.2)
                        .bind(values.3)
                        .bind(values.4)
                        .bind(values.5)
                        .bind(values.6)
                        .bind(values.7)
                        .bind(version)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                        if updated == 0 {
                            let why = ("trusted person match", "Trusted person match");
                            return Err(missing_or_stale(tx, "trusted_matches", viewer.la, id, Some(person), why).await);
                        }
                        (id, "update")
                    }
                };
                let change = Change {
                    la: Some(viewer.la),
                    action,
                    entity_type: "trusted_match",
                    entity_id: Some(id),
                    details: json!({
                        "young_person_id": person.0,
                        "role": m.role.code(),
                        "agreed_on": m.agreed_on.map(date),
                        "ended_on": m.ended_on.map(date),
                    }),
                };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    /// How many matches were agreed from `from` to `to` for the young
    /// people `viewer` may see, and how many are open today with a review due.
    pub async fn trusted_match_counts(
        &self,
        viewer: &Viewer,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<(i64, i64), StoreError> {
        let row = sqlx::query(&format!(
            "SELECT
                COUNT(CASE WHEN t.agreed_on >= $3 AND t.agreed_on <= $4 THEN 1 END) AS agreed,
                COUNT(CASE WHEN t.agreed_on IS NOT NULL AND (t.ended_on IS NULL OR t.ended_on > $5)
                    AND t.next_review_on <= $5 THEN 1 END) AS review_due
             FROM trusted_matches t JOIN young_people y ON y.la_id = t.la_id AND y.id = t.young_person_id
             WHERE t.la_id = $1 AND {}",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(date(from))
        .bind(date(to))
        .bind(date(today))
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("agreed")?, row.try_get("review_due")?))
    }
}
