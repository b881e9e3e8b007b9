//! Advocacy referrals, scoped by the viewer; a change names its version.

use crate::audit::{Actor, Change};
use crate::contacts::require_visible;
use crate::text::{date, parse_date};
use crate::write::{missing_or_stale, Written};
use crate::young_people::{Viewer, YoungPersonId};
use crate::{LaId, Store, StoreError};
use serde_json::json;
use sqlx::Row;
use staying_close_domain::advocacy::{AdvocacyKind, Referral};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReferral {
    pub id: i64,
    pub referral: Referral,
    pub version: i64,
}

impl Store {
    /// A young person's advocacy referrals, the latest first.
    pub async fn advocacy_referrals(&self, la: LaId, person: YoungPersonId) -> Result<Vec<StoredReferral>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, provider, kind, issue, referred_on, started_on, closed_on, outcome, version
             FROM advocacy_referrals WHERE la_id = $1 AND young_person_id = $2 ORDER BY referred_on DESC, id DESC",
        )
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let day = |c: &str| -> Result<Option<chrono::NaiveDate>, StoreError> {
                    let t: Option<String> = r.try_get(c)?;
                    t.as_deref().map(parse_date).transpose()
                };
                Ok(StoredReferral {
                    id: r.try_get("id")?,
                    referral: Referral {
                        provider: r.try_get("provider")?,
                        kind: AdvocacyKind::parse(&kind)
                            .ok_or_else(|| StoreError::Corrupt(format!("advocacy kind {kind:?}")))?,
                        issue: r.try_get("issue")?,
                        referred_on: parse_date(&r.try_get::<String, _>("referred_on")?)?,
                        started_on: day("started_on")?,
                        closed_on: day("closed_on")?,
                        outcome: r.try_get("outcome")?,
                    },
                    version: r.try_get("version")?,
                })
            })
            .collect()
    }

    /// Records a referral (`existing` None) or changes one at its version.
    pub async fn save_advocacy_referral(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        existing: Option<(i64, i64)>,
        referral: &Referral,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (viewer, r) = (*viewer, referral.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let (id, action) = match existing {
                    None => {
                        let row = sqlx::query(
                            "INSERT INTO advocacy_referrals (la_id, young_person_id, provider, kind, issue, referred_on,
                                started_on, closed_on, outcome, recorded_by, created_at)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                        )
                        .bind(viewer.la.0)
                        .bind(person.0)
                        .bind(r.provider.clone())
                        .bind(r.kind.code())
                        .bind(r.issue.clone())
                        .bind(date(r.referred_on))
                        .bind(r.started_on.map(date))
                        .bind(r.closed_on.map(date))
                        .bind(r.outcome.clone())
                        .bind(viewer.staff.map(|s| s.0))
                        .bind(crate::text::now())
                        .fetch_one(&mut *tx)
                        .await?;
                        (row.try_get::<i64, _>("id")?, "create")
                    }
                    Some((id, version)) => {
                        let updated = sqlx::query(
                            "UPDATE advocacy_referrals SET provider = $4, kind = $5, issue = $6, referred_on = $7,
                                started_on = $8, closed_on = $9, outcome = $10, version = version + 1
                             WHERE la_id = $1 AND young_person_id = $2 AND id = $3 AND version = $11",
                        )
                        .bind(viewer.la.0)
                        .bind(person.0)
                        .bind(id)
                        .bind(r.provider.clone())
                        .bind(r.kind.code())
                        .bind(r.issue.clone())
                        .bind(date(r.referred_on))
                        .bind(r.started_on.map(date))
                        .bind(r.closed_on.map(date))
                        .bind(r.outcome.clone())
                        .bind(version)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                        if updated == 0 {
                            let why = ("advocacy referral", "Advocacy referral");
                            return Err(missing_or_stale(tx, "advocacy_referrals", viewer.la, id, Some(person), why).await);
                        }
                        (id, "update")
                    }
                };
                let change = Change {
                    la: Some(viewer.la),
                    action,
                    entity_type: "advocacy_referral",
                    entity_id: Some(id),
                    details: json!({ "young_person_id": person.0, "kind": r.kind.code(), "closed_on": r.closed_on.map(date) }),
                };
                Ok(Written::new(id, change))
            })
        })
        .await
    }
}
