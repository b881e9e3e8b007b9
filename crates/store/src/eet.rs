//! EET activity histories, EET interventions, and the cohort on a day with
//! the activity covering it: one query, for the EET rate.

use crate::audit::{Actor, Change};
use crate::contacts::{name_of, require_visible};
use crate::periods::{close_period, lock_history};
use crate::text::{date, parse_date};
use crate::write::Written;
use crate::young_people::{Viewer, YoungPersonId};
use crate::{LaId, Store, StoreError};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;
use staying_close_domain::eet::{place_activity, Activity, EetHelp, EetIntervention, EetOutcome};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredActivity {
    pub id: i64,
    pub activity: Activity,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEetIntervention {
    pub id: i64,
    pub intervention: EetIntervention,
    pub recorded_by: Option<String>,
}

/// A member of the cohort on a day, with what they were doing that day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EetCohortMember {
    pub young_person: YoungPersonId,
    pub name: Option<String>,
    pub child_id: String,
    pub activity: Option<Activity>,
}

pub(crate) fn activity_of(r: &AnyRow) -> Result<StoredActivity, StoreError> {
    let ends: Option<String> = r.try_get("ends_on")?;
    Ok(StoredActivity {
        id: r.try_get("id")?,
        activity: Activity {
            code: r.try_get("activ_code")?,
            provider: r.try_get("provider")?,
            starts_on: parse_date(&r.try_get::<String, _>("starts_on")?)?,
            ends_on: ends.as_deref().map(parse_date).transpose()?,
        },
    })
}

impl Store {
    /// A young person's activities, the latest first.
    pub async fn eet_activities(&self, la: LaId, person: YoungPersonId) -> Result<Vec<StoredActivity>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, activ_code, provider, starts_on, ends_on FROM eet_activities
             WHERE la_id = $1 AND young_person_id = $2 ORDER BY starts_on DESC, id DESC",
        )
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(activity_of).collect()
    }

    /// Records an activity; the open one that began before it ends the day
    /// before, and any other overlap is refused (`StoreError::Invalid`).
    pub async fn add_activity(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        activity: &Activity,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (viewer, a) = (*viewer, activity.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                lock_history(tx, &viewer, person).await?;
                let rows = sqlx::query(
                    "SELECT id, activ_code, provider, starts_on, ends_on FROM eet_activities
                     WHERE la_id = $1 AND young_person_id = $2",
                )
                .bind(viewer.la.0)
                .bind(person.0)
                .fetch_all(&mut *tx)
                .await?;
                let existing: Vec<(i64, Activity)> =
                    rows.iter().map(|r| activity_of(r).map(|s| (s.id, s.activity))).collect::<Result<_, _>>()?;
                let close = place_activity(&existing, &a).map_err(StoreError::Invalid)?;
                close_period(tx, "eet_activities", &viewer, close).await?;
                let row = sqlx::query(
                    "INSERT INTO eet_activities (la_id, young_person_id, activ_code, provider, starts_on, ends_on,
                        recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(viewer.la.0)
                .bind(person.0)
                .bind(a.code.clone())
                .bind(a.provider.clone())
                .bind(date(a.starts_on))
                .bind(a.ends_on.map(date))
                .bind(viewer.staff.map(|s| s.0))
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = row.try_get("id")?;
                let change = Change {
                    la: Some(viewer.la),
                    action: "create",
                    entity_type: "eet_activity",
                    entity_id: Some(id),
                    details: json!({
                        "young_person_id": person.0,
                        "activ_code": a.code,
                        "starts_on": date(a.starts_on),
                        "closed_activity": close.map(|(id, end)| json!({ "id": id, "ends_on": date(end) })),
                    }),
                };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    pub async fn eet_interventions(
        &self,
        la: LaId,
        person: YoungPersonId,
    ) -> Result<Vec<StoredEetIntervention>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.id, e.done_on, e.help, e.outcome, e.note, s.display_name FROM eet_interventions e
             LEFT JOIN staff s ON s.la_id = e.la_id AND s.id = e.recorded_by
             WHERE e.la_id = $1 AND e.young_person_id = $2 ORDER BY e.done_on DESC, e.id DESC",
        )
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let help: String = r.try_get("help")?;
                let outcome: String = r.try_get("outcome")?;
                Ok(StoredEetIntervention {
                    id: r.try_get("id")?,
                    intervention: EetIntervention {
                        on: parse_date(&r.try_get::<String, _>("done_on")?)?,
                        help: EetHelp::parse(&help).ok_or_else(|| StoreError::Corrupt(format!("EET help {help:?}")))?,
                        outcome: EetOutcome::parse(&outcome)
                            .ok_or_else(|| StoreError::Corrupt(format!("EET outcome {outcome:?}")))?,
                        note: r.try_get("note")?,
                    },
                    recorded_by: r.try_get("display_name")?,
                })
            })
            .collect()
    }

    pub async fn add_eet_intervention(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        intervention: &EetIntervention,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (viewer, e) = (*viewer, intervention.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let row = sqlx::query(
                    "INSERT INTO eet_interventions (la_id, young_person_id, done_on, help, outcome, note, recorded_by,
                        created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(viewer.la.0)
                .bind(person.0)
                .bind(date(e.on))
                .bind(e.help.code())
                .bind(e.outcome.code())
                .bind(e.note.clone())
                .bind(viewer.staff.map(|s| s.0))
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = row.try_get("id")?;
                let change = Change {
                    la: Some(viewer.la),
                    action: "create",
                    entity_type: "eet_intervention",
                    entity_id: Some(id),
                    details: json!({ "young_person_id": person.0, "help": e.help.code(), "outcome": e.outcome.code() }),
                };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    /// The young people `viewer` may see whose Staying Close support covered
    /// `day` (it had started and not ended), each with the activity that
    /// covered the day, if any.
    pub async fn eet_cohort_on(&self, viewer: &Viewer, day: NaiveDate) -> Result<Vec<EetCohortMember>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT y.id, y.child_id, y.first_name, y.preferred_name, y.last_name,
                    a.id AS activity_id, a.activ_code, a.provider, a.starts_on, a.ends_on
             FROM young_people y
             LEFT JOIN eet_activities a ON a.la_id = y.la_id AND a.young_person_id = y.id
                AND a.starts_on <= $3 AND (a.ends_on IS NULL OR a.ends_on >= $3)
             WHERE y.la_id = $1 AND y.staying_close_start <= $3
                AND (y.staying_close_end IS NULL OR y.staying_close_end >= $3) AND {}
             ORDER BY y.last_name, y.first_name, y.id",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(date(day))
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<EetCohortMember> = Vec::with_capacity(rows.len());
        for r in &rows {
            let person = YoungPersonId(r.try_get("id")?);
            if out.last().is_some_and(|m| m.young_person == person) {
                continue; // overlapping activities never happen; the first one counts if they do
            }
            let activity_id: Option<i64> = r.try_get("activity_id")?;
            let activity = match activity_id {
                Some(_) => {
                    let ends: Option<String> = r.try_get("ends_on")?;
                    Some(Activity {
                        code: r.try_get("activ_code")?,
                        provider: r.try_get("provider")?,
                        starts_on: parse_date(&r.try_get::<String, _>("starts_on")?)?,
                        ends_on: ends.as_deref().map(parse_date).transpose()?,
                    })
                }
                None => None,
            };
            out.push(EetCohortMember {
                young_person: person,
                name: name_of(r)?,
                child_id: r.try_get("child_id")?,
                activity,
            });
        }
        Ok(out)
    }
}
