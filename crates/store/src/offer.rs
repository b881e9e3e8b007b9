//! The Local Offer: each LA's entries and reviews. Entries are public (no
//! personal data); the young people named on a review are not, and are only
//! ever counted on the public page.

use crate::audit::{Actor, Change};
use crate::text::{date, parse_date};
use crate::write::Written;
use crate::{LaId, Store, StoreError};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use staying_close_domain::offer::{OfferCategory, OfferItem, OfferKind, OfferReview};

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOfferItem {
    pub id: i64,
    pub item: OfferItem,
    pub version: i64,
}

/// The latest review of an LA's offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestOfferReview {
    pub reviewed_on: NaiveDate,
    pub next_review_on: NaiveDate,
    pub note: Option<String>,
    /// How many young people helped write it.
    pub co_producers: i64,
}

fn item_from_row(r: &AnyRow) -> Result<StoredOfferItem, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(what.to_owned());
    let age = |column: &str| -> Result<u32, StoreError> {
        u32::try_from(r.try_get::<i64, _>(column)?).map_err(|_| corrupt("offer age"))
    };
    Ok(StoredOfferItem {
        id: r.try_get("id")?,
        item: OfferItem {
            category: OfferCategory::parse(&r.try_get::<String, _>("category")?)
                .ok_or_else(|| corrupt("offer category"))?,
            kind: OfferKind::parse(&r.try_get::<String, _>("kind")?).ok_or_else(|| corrupt("offer kind"))?,
            title: r.try_get("title")?,
            description: r.try_get("description")?,
            age_from: age("age_from")?,
            age_to: age("age_to")?,
            how_to_get: r.try_get("how_to_get")?,
            contact: r.try_get("contact")?,
        },
        version: r.try_get("version")?,
    })
}

/// Adds an entry to an LA's offer; returns its id.
pub(crate) async fn insert_offer_item(
    conn: &mut AnyConnection,
    la: LaId,
    item: &OfferItem,
    now: &str,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO offer_items (la_id, category, kind, title, description, age_from, age_to, how_to_get, contact,
            created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(la.0)
    .bind(item.category.code())
    .bind(item.kind.code())
    .bind(item.title.clone())
    .bind(item.description.clone())
    .bind(i64::from(item.age_from))
    .bind(i64::from(item.age_to))
    .bind(item.how_to_get.clone())
    .bind(item.contact.clone())
    .bind(now.to_owned())
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("id")?)
}

const ITEM_COLUMNS: &str = "id, category, kind, title, description, age_from, age_to, how_to_get, contact, version";

impl Store {
    /// An LA's offer, in category order then by name.
    pub async fn offer_items(&self, la: LaId) -> Result<Vec<StoredOfferItem>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {ITEM_COLUMNS} FROM offer_items WHERE la_id = $1"))
            .bind(la.0)
            .fetch_all(&self.pool)
            .await?;
        let mut items: Vec<StoredOfferItem> = rows.iter().map(item_from_row).collect::<Result<_, _>>()?;
        items.sort_by(|a, b| {
            (a.item.category, a.item.kind, a.item.title.to_lowercase()).cmp(&(
                b.item.category,
                b.item.kind,
                b.item.title.to_lowercase(),
            ))
        });
        Ok(items)
    }

    pub async fn offer_item(&self, la: LaId, id: i64) -> Result<StoredOfferItem, StoreError> {
        let row = sqlx::query(&format!("SELECT {ITEM_COLUMNS} FROM offer_items WHERE la_id = $1 AND id = $2"))
            .bind(la.0)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound { what: "Offer entry" })?;
        item_from_row(&row)
    }

    /// Adds an entry (`id` None) or changes one at `expected_version`.
    pub async fn save_offer_item(
        &self,
        la: LaId,
        id: Option<(i64, i64)>,
        item: &OfferItem,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let item = item.clone();
        self.write(actor, move |tx| {
            Box::pin(async move {
                let now = crate::text::now();
                let (saved, action) = match id {
                    None => (insert_offer_item(tx, la, &item, &now).await?, "create"),
                    Some((id, expected)) => {
                        let done = sqlx::query(
                            "UPDATE offer_items SET category = $3, kind = $4, title = $5, description = $6,
                                age_from = $7, age_to = $8, how_to_get = $9, contact = $10, updated_at = $11,
                                version = version + 1
                             WHERE la_id = $1 AND id = $2 AND version = $12",
                        )
                        .bind(la.0)
                        .bind(id)
                        .bind(item.category.code())
                        .bind(item.kind.code())
                        .bind(item.title.clone())
                        .bind(item.description.clone())
                        .bind(i64::from(item.age_from))
                        .bind(i64::from(item.age_to))
                        .bind(item.how_to_get.clone())
                        .bind(item.contact.clone())
                        .bind(now)
                        .bind(expected)
                        .execute(&mut *tx)
                        .await?;
                        if done.rows_affected() == 0 {
                            let exists = sqlx::query("SELECT id FROM offer_items WHERE la_id = $1 AND id = $2")
                                .bind(la.0)
                                .bind(id)
                                .fetch_optional(&mut *tx)
                                .await?;
                            return Err(match exists {
                                Some(_) => StoreError::Conflict { what: "The offer entry" },
                                None => StoreError::NotFound { what: "Offer entry" },
                            });
                        }
                        (id, "update")
                    }
                };
                let change = Change {
                    la: Some(la),
                    action,
                    entity_type: "offer_item",
                    entity_id: Some(saved),
                    details: json!({ "category": item.category.code(), "title": item.title }),
                };
                Ok(Written::new(saved, change))
            })
        })
        .await
    }

    /// Takes an entry out of the offer.
    pub async fn remove_offer_item(&self, la: LaId, id: i64, actor: &Actor) -> Result<(), StoreError> {
        self.write(actor, move |tx| {
            Box::pin(async move {
                let row = sqlx::query("DELETE FROM offer_items WHERE la_id = $1 AND id = $2 RETURNING title")
                    .bind(la.0)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound { what: "Offer entry" })?;
                let title: String = row.try_get("title")?;
                let change = Change {
                    la: Some(la),
                    action: "delete",
                    entity_type: "offer_item",
                    entity_id: Some(id),
                    details: json!({ "title": title }),
                };
                Ok(Written::new((), change))
            })
        })
        .await
    }

    /// Records a review of the offer and who helped write it.
    pub async fn record_offer_review(&self, la: LaId, review: &OfferReview, actor: &Actor) -> Result<(), StoreError> {
        let review = review.clone();
        let recorded_by = match actor {
            Actor::Staff { id, .. } => Some(id.0),
            _ => None,
        };
        self.write(actor, move |tx| {
            Box::pin(async move {
                let row = sqlx::query(
                    "INSERT INTO offer_reviews (la_id, reviewed_on, next_review_on, note, recorded_by, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(la.0)
                .bind(date(review.reviewed_on))
                .bind(date(review.next_review_on))
                .bind(review.note.clone())
                .bind(recorded_by)
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = row.try_get("id")?;
                for person in &review.co_produced_with {
                    sqlx::query(
                        "INSERT INTO offer_review_young_people (la_id, review_id, young_person_id) VALUES ($1, $2, $3)",
                    )
                    .bind(la.0)
                    .bind(id)
                    .bind(*person)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::foreign_key_as(
                        "the young people named must be of the same local authority",
                    ))?;
                }
                let change = Change {
                    la: Some(la),
                    action: "create",
                    entity_type: "offer_review",
                    entity_id: Some(id),
                    details: json!({
                        "reviewed_on": date(review.reviewed_on),
                        "next_review_on": date(review.next_review_on),
                        "co_produced_with": review.co_produced_with,
                    }),
                };
                Ok(Written::new((), change))
            })
        })
        .await
    }

    /// The ids of an LA's young people with these child IDs (as typed, any
    /// case), with the child ID each was found by. At most 200 are looked up.
    pub async fn young_person_ids_by_child_id(
        &self,
        la: LaId,
        child_ids: &[String],
    ) -> Result<Vec<(String, crate::YoungPersonId)>, StoreError> {
        let mut out = Vec::new();
        for chunk in child_ids.chunks(200).take(1) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("upper(${})", i + 2)).collect();
            let sql = format!(
                "SELECT id, child_id FROM young_people WHERE la_id = $1 AND upper(child_id) IN ({})",
                marks.join(", ")
            );
            let mut query = sqlx::query(&sql).bind(la.0);
            for c in chunk {
                query = query.bind(c.trim().to_owned());
            }
            for r in query.fetch_all(&self.pool).await? {
                out.push((r.try_get::<String, _>("child_id")?, crate::YoungPersonId(r.try_get("id")?)));
            }
        }
        Ok(out)
    }

    /// The latest review of an LA's offer, if any.
    pub async fn latest_offer_review(&self, la: LaId) -> Result<Option<LatestOfferReview>, StoreError> {
        let row = sqlx::query(
            "SELECT r.reviewed_on, r.next_review_on, r.note,
                    (SELECT COUNT(*) FROM offer_review_young_people p WHERE p.review_id = r.id) AS co_producers
             FROM offer_reviews r WHERE r.la_id = $1 ORDER BY r.reviewed_on DESC, r.id DESC LIMIT 1",
        )
        .bind(la.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(LatestOfferReview {
                reviewed_on: parse_date(&r.try_get::<String, _>("reviewed_on")?)?,
                next_review_on: parse_date(&r.try_get::<String, _>("next_review_on")?)?,
                note: r.try_get("note")?,
                co_producers: r.try_get("co_producers")?,
            })
        })
        .transpose()
    }
}
