//! Loads a whole dataset (the demo, for one) into the database, creating or
//! refreshing it.
//!
//! Refreshing is an upsert keyed on natural keys (LA code, staff email,
//! child ID), so ids stay stable and the demo's dates move with today.

use crate::audit::{Actor, Change};
use crate::write::Written;
use crate::young_people::insert_episodes;
use crate::{LaId, Store, StoreError, YoungPersonId};
use serde_json::json;
use sqlx::Row;
use staying_close_domain::dataset::{Dataset, DatasetStaff};
use staying_close_domain::people::Password;

/// What a dataset contains, for printing the logins.
#[derive(Debug, Clone)]
pub struct DatasetSummary {
    pub las: Vec<DatasetLaSummary>,
    pub national_logins: Vec<(String, &'static str)>,
}

#[derive(Debug, Clone)]
pub struct DatasetLaSummary {
    pub code: String,
    pub name: String,
    pub young_people: usize,
    /// (email, role label)
    pub logins: Vec<(String, &'static str)>,
}

fn logins(staff: &[DatasetStaff]) -> Vec<(String, &'static str)> {
    staff.iter().map(|s| (s.email.to_string(), s.role.label())).collect()
}

impl Store {
    /// Creates or refreshes every LA, member of staff and young person of
    /// `data`, all with `password`, recorded in the audit trail as `actor`.
    pub async fn load_dataset(
        &self,
        data: &Dataset,
        password: &Password,
        actor: &Actor,
    ) -> Result<DatasetSummary, StoreError> {
        // One hash for every account: hashing is deliberately slow.
        let hash = crate::passwords::hash_password(password)?;
        let data = data.clone();
        self.write(actor, move |tx| Box::pin(async move { load(tx, &data, &hash).await })).await
    }
}

async fn load(tx: &mut sqlx::AnyConnection, data: &Dataset, hash: &str) -> Result<Written<DatasetSummary>, StoreError> {
    let now = crate::text::now();
    let mut changes = Vec::new();
    let mut summary = DatasetSummary { las: Vec::new(), national_logins: logins(&data.national_staff) };

    for la in &data.las {
        let la_id = LaId(
            sqlx::query(
                "INSERT INTO local_authorities (code, name, caseload_cap, activities_allowance_pence,
                        weekly_support_hours, visit_frequency_days, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, caseload_cap = excluded.caseload_cap,
                        activities_allowance_pence = excluded.activities_allowance_pence,
                        weekly_support_hours = excluded.weekly_support_hours,
                        visit_frequency_days = excluded.visit_frequency_days,
                        updated_at = excluded.updated_at, version = local_authorities.version + 1
                     RETURNING id",
            )
            .bind(la.code.as_str())
            .bind(la.name.as_str())
            .bind(la.settings.caseload_cap as i64)
            .bind(la.settings.activities_allowance.0)
            .bind(la.settings.weekly_support_hours as i64)
            .bind(la.settings.visit_frequency_days as i64)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?,
        );

        let mut staff_ids = Vec::with_capacity(la.staff.len());
        for member in &la.staff {
            staff_ids.push(upsert_staff(tx, Some(la_id), member, hash, &now).await?);
        }

        for person in &la.young_people {
            let adviser = person.adviser.map(|i| staff_ids[i]);
            let id = YoungPersonId(
                sqlx::query(
                    "INSERT INTO young_people (la_id, child_id, first_name, last_name, date_of_birth, sex, ethnicity,
                            cohort_status, personal_adviser_id, created_at, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
                         ON CONFLICT (la_id, child_id) DO UPDATE SET first_name = excluded.first_name,
                            last_name = excluded.last_name, date_of_birth = excluded.date_of_birth, sex = excluded.sex,
                            ethnicity = excluded.ethnicity, cohort_status = excluded.cohort_status,
                            personal_adviser_id = excluded.personal_adviser_id, updated_at = excluded.updated_at,
                            version = young_people.version + 1
                         RETURNING id",
                )
                .bind(la_id.0)
                .bind(person.child_id.as_str())
                .bind(person.first_name.as_str())
                .bind(person.last_name.as_str())
                .bind(crate::text::date(person.date_of_birth))
                .bind(person.sex.code())
                .bind(person.ethnicity.clone())
                .bind(person.cohort.as_str())
                .bind(adviser)
                .bind(&now)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?,
            );
            sqlx::query("DELETE FROM care_episodes WHERE la_id = $1 AND young_person_id = $2")
                .bind(la_id.0)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            let episodes: Vec<_> = person.episodes.iter().map(|e| (id, e)).collect();
            insert_episodes(tx, la_id, &episodes, &now).await?;
        }

        let details = json!({ "staff": la.staff.len(), "young_people": la.young_people.len() });
        changes.push(Change {
            la: Some(la_id),
            action: "dataset_refresh",
            entity_type: "local_authority",
            entity_id: Some(la_id.0),
            details,
        });
        summary.las.push(DatasetLaSummary {
            code: la.code.to_string(),
            name: la.name.as_str().to_owned(),
            young_people: la.young_people.len(),
            logins: logins(&la.staff),
        });
    }
    for member in &data.national_staff {
        upsert_staff(tx, None, member, hash, &now).await?;
    }
    Ok(Written::many(summary, changes))
}

async fn upsert_staff(
    conn: &mut sqlx::AnyConnection,
    la: Option<LaId>,
    member: &DatasetStaff,
    hash: &str,
    now: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO staff (la_id, email, display_name, role, password_hash, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $6)
         ON CONFLICT (email) DO UPDATE SET la_id = excluded.la_id, display_name = excluded.display_name,
            role = excluded.role, password_hash = excluded.password_hash, status = 'active',
            updated_at = excluded.updated_at, version = staff.version + 1
         RETURNING id",
    )
    .bind(la.map(|l| l.0))
    .bind(member.email.as_str())
    .bind(member.name.as_str())
    .bind(member.role.as_str())
    .bind(hash)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get(0)?)
}
