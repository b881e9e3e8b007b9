//! Spending from the activities allowance, scoped by the viewer's LA and the
//! young people they may see. Sums are whole pence, added up by the database
//! (`CAST(... AS BIGINT)` so both backends return an integer).

use crate::audit::{Actor, Change};
use crate::contacts::require_visible;
use crate::text::{date, parse_date};
use crate::write::Written;
use crate::young_people::{Viewer, YoungPersonId};
use crate::{LaId, Store, StoreError};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::Row;
use staying_close_domain::allowance::{Spend, SpendCategory};
use staying_close_domain::money::Pence;

/// A spend on record, with who recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSpend {
    pub id: i64,
    pub spend: Spend,
    pub recorded_by: Option<String>,
}

impl Store {
    /// Records money spent from a young person's allowance.
    pub async fn record_spend(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        spend: &Spend,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (viewer, spend, recorded_by) = (*viewer, spend.clone(), viewer.staff.map(|s| s.0));
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let row = sqlx::query(
                    "INSERT INTO allowance_spends (la_id, young_person_id, spent_on, category, amount_pence, note,
                        recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(viewer.la.0)
                .bind(person.0)
                .bind(date(spend.on))
                .bind(spend.category.code())
                .bind(spend.amount.0)
                .bind(spend.note.clone())
                .bind(recorded_by)
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = row.try_get("id")?;
                let change = Change {
                    la: Some(viewer.la),
                    action: "create",
                    entity_type: "allowance_spend",
                    entity_id: Some(id),
                    details: json!({
                        "young_person_id": person.0,
                        "spent_on": date(spend.on),
                        "amount_pence": spend.amount.0,
                        "category": spend.category.code(),
                    }),
                };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    /// A young person's spending from `from` to `to` inclusive, latest first.
    pub async fn spends(
        &self,
        la: LaId,
        person: YoungPersonId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<StoredSpend>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.spent_on, a.category, a.amount_pence, a.note, s.display_name FROM allowance_spends a
             LEFT JOIN staff s ON s.la_id = a.la_id AND s.id = a.recorded_by
             WHERE a.la_id = $1 AND a.young_person_id = $2 AND a.spent_on >= $3 AND a.spent_on <= $4
             ORDER BY a.spent_on DESC, a.id DESC",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(date(from))
        .bind(date(to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let category: String = r.try_get("category")?;
                Ok(StoredSpend {
                    id: r.try_get("id")?,
                    spend: Spend {
                        on: parse_date(&r.try_get::<String, _>("spent_on")?)?,
                        category: SpendCategory::parse(&category)
                            .ok_or_else(|| StoreError::Corrupt(format!("spend category {category:?}")))?,
                        amount: Pence(r.try_get("amount_pence")?),
                        note: r.try_get("note")?,
                    },
                    recorded_by: r.try_get("display_name")?,
                })
            })
            .collect()
    }

    /// What the team spent from `from` to `to`, and on how many young people,
    /// for the young people `viewer` may see.
    pub async fn team_spending(
        &self,
        viewer: &Viewer,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Pence, i64), StoreError> {
        let row = sqlx::query(&format!(
            "SELECT CAST(COALESCE(SUM(a.amount_pence), 0) AS BIGINT) AS spent,
                    COUNT(DISTINCT a.young_person_id) AS people
             FROM allowance_spends a JOIN young_people y ON y.la_id = a.la_id AND y.id = a.young_person_id
             WHERE a.la_id = $1 AND a.spent_on >= $3 AND a.spent_on <= $4 AND {}",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(date(from))
        .bind(date(to))
        .fetch_one(&self.pool)
        .await?;
        Ok((Pence(row.try_get("spent")?), row.try_get("people")?))
    }
}
