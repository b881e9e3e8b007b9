//! Funding per financial year, for one LA.

use crate::audit::{Actor, Change};
use crate::text::{date, parse_date};
use crate::write::Written;
use crate::{LaId, Store, StoreError};
use serde_json::json;
use sqlx::Row;
use staying_close_domain::funding::{FinancialYear, Grant, SpendCategory, SpendLine};
use staying_close_domain::money::Pence;

impl Store {
    /// A year's grants and spend lines (spend by date), with row ids.
    pub async fn funding(
        &self,
        la: LaId,
        year: FinancialYear,
    ) -> Result<(Vec<(i64, Grant)>, Vec<(i64, SpendLine)>), StoreError> {
        let grants = sqlx::query(
            "SELECT id, source, amount_pence, note FROM funding_grants WHERE la_id = $1 AND year_start = $2 ORDER BY id",
        )
        .bind(la.0)
        .bind(i64::from(year.0))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                Grant { source: r.try_get("source")?, amount: Pence(r.try_get("amount_pence")?), note: r.try_get("note")? },
            ))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let spend = sqlx::query(
            "SELECT id, spent_on, description, category, amount_pence FROM funding_spend
             WHERE la_id = $1 AND year_start = $2 ORDER BY spent_on, id",
        )
        .bind(la.0)
        .bind(i64::from(year.0))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let category: String = r.try_get("category")?;
            Ok((
                r.try_get("id")?,
                SpendLine {
                    on: parse_date(&r.try_get::<String, _>("spent_on")?)?,
                    description: r.try_get("description")?,
                    category: SpendCategory::parse(&category)
                        .ok_or_else(|| StoreError::Corrupt(format!("spend category {category:?}")))?,
                    amount: Pence(r.try_get("amount_pence")?),
                },
            ))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((grants, spend))
    }

    pub async fn add_grant(
        &self,
        la: LaId,
        year: FinancialYear,
        grant: &Grant,
        by: Option<i64>,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let g = grant.clone();
        self.write(actor, move |tx| {
            Box::pin(async move {
                let row = sqlx::query(
                    "INSERT INTO funding_grants (la_id, year_start, source, amount_pence, note, recorded_by, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(la.0)
                .bind(i64::from(year.0))
                .bind(g.source.clone())
                .bind(g.amount.0)
                .bind(g.note.clone())
                .bind(by)
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = row.try_get("id")?;
                let details = json!({ "year": year.to_string(), "amount_pence": g.amount.0, "source": g.source });
                Ok(Written::new(
                    id,
                    Change {
                        la: Some(la),
                        action: "create",
                        entity_type: "funding_grant",
                        entity_id: Some(id),
                        details,
                    },
                ))
            })
        })
        .await
    }

    /// Adds a spend line; its date must fall within the year.
    pub async fn add_funding_spend(
        &self,
        la: LaId,
        year: FinancialYear,
        line: &SpendLine,
        by: Option<i64>,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        if !year.contains(line.on) {
            return Err(StoreError::Invalid(format!("The date must be in the financial year {year}")));
        }
        let l = line.clone();
        self.write(actor, move |tx| {
            Box::pin(async move {
                let row = sqlx::query(
                    "INSERT INTO funding_spend (la_id, year_start, spent_on, description, category, amount_pence,
                        recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(la.0)
                .bind(i64::from(year.0))
                .bind(date(l.on))
                .bind(l.description.clone())
                .bind(l.category.code())
                .bind(l.amount.0)
                .bind(by)
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = row.try_get("id")?;
                let details =
                    json!({ "year": year.to_string(), "amount_pence": l.amount.0, "category": l.category.code() });
                Ok(Written::new(
                    id,
                    Change {
                        la: Some(la),
                        action: "create",
                        entity_type: "funding_spend",
                        entity_id: Some(id),
                        details,
                    },
                ))
            })
        })
        .await
    }
}
