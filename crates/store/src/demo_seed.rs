//! Loads the generated demo into the database, creating or refreshing it.
//!
//! Refreshing is an upsert keyed on natural keys (LA code, staff email,
//! child ID), so ids stay stable and the dates move with today.

use crate::audit::{self, Actor, Change};
use crate::young_people::insert_episode;
use crate::{LaId, Store, StoreError, YoungPersonId};
use serde_json::json;
use sqlx::Row;
use staying_close_demo::{Dataset, DemoStaff};
use staying_close_domain::people::Password;

/// What the demo contains, for printing the logins.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub las: Vec<DemoLaSummary>,
    pub national_logins: Vec<(String, &'static str)>,
}

#[derive(Debug, Clone)]
pub struct DemoLaSummary {
    pub code: String,
    pub name: String,
    pub young_people: usize,
    /// (email, role label)
    pub logins: Vec<(String, &'static str)>,
}

fn logins(staff: &[DemoStaff]) -> Vec<(String, &'static str)> {
    staff.iter().map(|s| (s.email.to_string(), s.role.label())).collect()
}

impl Store {
    pub async fn seed_demo(&self, data: &Dataset, password: &Password) -> Result<DemoSummary, StoreError> {
        // One hash for every demo account: hashing is deliberately slow.
        let hash = crate::passwords::hash_password(password)?;
        let actor = Actor::System("demo");
        let now = crate::text::now();
        let mut tx = self.begin_write().await?;
        let mut summary = DemoSummary { las: Vec::new(), national_logins: logins(&data.national_staff) };

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
                staff_ids.push(upsert_staff(&mut tx, Some(la_id), member, &hash, &now).await?);
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
                    .bind(i64::from(person.sex))
                    .bind(person.ethnicity)
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
                for episode in &person.episodes {
                    insert_episode(&mut tx, la_id, id, episode, &now).await?;
                }
            }

            let details = json!({ "staff": la.staff.len(), "young_people": la.young_people.len() });
            audit::record(
                &mut tx,
                self.backend,
                &actor,
                Change {
                    la: Some(la_id),
                    action: "demo_refresh",
                    entity_type: "local_authority",
                    entity_id: Some(la_id.0),
                    details,
                },
            )
            .await?;
            summary.las.push(DemoLaSummary {
                code: la.code.to_string(),
                name: la.name.as_str().to_owned(),
                young_people: la.young_people.len(),
                logins: logins(&la.staff),
            });
        }
        for member in &data.national_staff {
            upsert_staff(&mut tx, None, member, &hash, &now).await?;
        }
        tx.commit().await?;
        Ok(summary)
    }
}

async fn upsert_staff(
    conn: &mut sqlx::AnyConnection,
    la: Option<LaId>,
    member: &DemoStaff,
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
