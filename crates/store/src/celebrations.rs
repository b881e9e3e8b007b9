//! Celebrations: the LA's festival dates, and the tasks (card, cake, gift)
//! staff set for a young person's occasions. Reads for a caseload are one
//! query each, limited to the caseload and a window of days.

use crate::audit::{Actor, Change};
use crate::contacts::{name_of, require_visible, Caseload};
use crate::text::{date, parse_date};
use crate::write::{missing_or_stale, Written};
use crate::young_people::{Viewer, YoungPersonId};
use crate::{LaId, Store, StoreError};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;
use staying_close_domain::celebrations::{FestivalDate, Task, TaskKind};
use staying_close_domain::money::Pence;
use staying_close_domain::profile::Celebration;

/// A row of the LA's festival table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFestival {
    pub id: i64,
    pub festival: FestivalDate,
}

/// A task on record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTask {
    pub id: i64,
    pub young_person: YoungPersonId,
    pub task: Task,
    pub done_on: Option<NaiveDate>,
    pub version: i64,
    pub recorded_by: Option<String>,
}

/// What a caseload's calendar is worked out from, per young person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarPerson {
    pub young_person: YoungPersonId,
    pub name: Option<String>,
    pub child_id: String,
    pub date_of_birth: NaiveDate,
    pub celebrations: Vec<Celebration>,
    pub staying_close_start: Option<NaiveDate>,
}

fn celebration(code: &str) -> Result<Celebration, StoreError> {
    Celebration::parse(code).ok_or_else(|| StoreError::Corrupt(format!("celebration {code:?}")))
}

const TASK_COLUMNS: &str = "t.id, t.young_person_id, t.occasion_on, t.celebration, t.kind, t.budget_pence, t.note,
    t.done_on, t.version, s.display_name";

fn task_of(r: &AnyRow) -> Result<StoredTask, StoreError> {
    let kind: String = r.try_get("kind")?;
    let done_on: Option<String> = r.try_get("done_on")?;
    Ok(StoredTask {
        id: r.try_get("id")?,
        young_person: YoungPersonId(r.try_get("young_person_id")?),
        task: Task {
            occasion_on: parse_date(&r.try_get::<String, _>("occasion_on")?)?,
            celebration: celebration(&r.try_get::<String, _>("celebration")?)?,
            kind: TaskKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("task kind {kind:?}")))?,
            budget: Pence(r.try_get("budget_pence")?),
            note: r.try_get("note")?,
        },
        done_on: done_on.as_deref().map(parse_date).transpose()?,
        version: r.try_get("version")?,
        recorded_by: r.try_get("display_name")?,
    })
}

impl Store {
    /// The LA's festival dates from `from` to `to`, in date order.
    pub async fn festival_dates(
        &self,
        la: LaId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<StoredFestival>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, celebration, occurs_on FROM festival_dates
             WHERE la_id = $1 AND occurs_on >= $2 AND occurs_on <= $3 ORDER BY occurs_on, celebration",
        )
        .bind(la.0)
        .bind(date(from))
        .bind(date(to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredFestival {
                    id: r.try_get("id")?,
                    festival: FestivalDate {
                        celebration: celebration(&r.try_get::<String, _>("celebration")?)?,
                        on: parse_date(&r.try_get::<String, _>("occurs_on")?)?,
                    },
                })
            })
            .collect()
    }

    /// Adds a festival date to the LA's table.
    pub async fn add_festival_date(&self, la: LaId, festival: FestivalDate, actor: &Actor) -> Result<i64, StoreError> {
        self.write(actor, move |tx| {
            Box::pin(async move {
                let row = sqlx::query(
                    "INSERT INTO festival_dates (la_id, celebration, occurs_on, created_at) VALUES ($1, $2, $3, $4)
                     RETURNING id",
                )
                .bind(la.0)
                .bind(festival.celebration.code())
                .bind(date(festival.on))
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await
                .map_err(StoreError::duplicate_as("festival date"))?;
                let id: i64 = row.try_get("id")?;
                let change = Change {
                    la: Some(la),
                    action: "create",
                    entity_type: "festival_date",
                    entity_id: Some(id),
                    details: json!({ "celebration": festival.celebration.code(), "occurs_on": date(festival.on) }),
                };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    /// Removes a festival date from the LA's table.
    pub async fn remove_festival_date(&self, la: LaId, id: i64, actor: &Actor) -> Result<(), StoreError> {
        self.write(actor, move |tx| {
            Box::pin(async move {
                let row = sqlx::query(
                    "DELETE FROM festival_dates WHERE la_id = $1 AND id = $2 RETURNING celebration, occurs_on",
                )
                .bind(la.0)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound { what: "Festival date" })?;
                let change = Change {
                    la: Some(la),
                    action: "delete",
                    entity_type: "festival_date",
                    entity_id: Some(id),
                    details: json!({
                        "celebration": row.try_get::<String, _>("celebration")?,
                        "occurs_on": row.try_get::<String, _>("occurs_on")?,
                    }),
                };
                Ok(Written::new((), change))
            })
        })
        .await
    }

    /// Adds a task for one of a young person's occasions.
    pub async fn add_celebration_task(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        task: &Task,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (viewer, task) = (*viewer, task.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let row = sqlx::query(
                    "INSERT INTO celebration_tasks (la_id, young_person_id, occasion_on, celebration, kind, budget_pence,
                        note, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(viewer.la.0)
                .bind(person.0)
                .bind(date(task.occasion_on))
                .bind(task.celebration.code())
                .bind(task.kind.code())
                .bind(task.budget.0)
                .bind(task.note.clone())
                .bind(viewer.staff.map(|s| s.0))
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = row.try_get("id")?;
                let change = Change {
                    la: Some(viewer.la),
                    action: "create",
                    entity_type: "celebration_task",
                    entity_id: Some(id),
                    details: json!({
                        "young_person_id": person.0,
                        "occasion_on": date(task.occasion_on),
                        "celebration": task.celebration.code(),
                        "kind": task.kind.code(),
                        "budget_pence": task.budget.0,
                    }),
                };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    /// Marks a task done on `done_on` (or not done, with `None`), if it is
    /// still at `version`: a stale form is refused, never applied.
    pub async fn set_celebration_task_done(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        task: i64,
        version: i64,
        done_on: Option<NaiveDate>,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let viewer = *viewer;
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let updated = sqlx::query(
                    "UPDATE celebration_tasks SET done_on = $4, version = version + 1
                     WHERE la_id = $1 AND young_person_id = $2 AND id = $3 AND version = $5",
                )
                .bind(viewer.la.0)
                .bind(person.0)
                .bind(task)
                .bind(done_on.map(date))
                .bind(version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if updated == 0 {
                    let why = ("celebration task", "Celebration task");
                    return Err(missing_or_stale(tx, "celebration_tasks", viewer.la, task, Some(person), why).await);
                }
                let change = Change {
                    la: Some(viewer.la),
                    action: "update",
                    entity_type: "celebration_task",
                    entity_id: Some(task),
                    details: json!({ "young_person_id": person.0, "done_on": done_on.map(date) }),
                };
                Ok(Written::new((), change))
            })
        })
        .await
    }

    /// A young person's tasks for occasions from `from` on, in date order.
    pub async fn celebration_tasks(
        &self,
        la: LaId,
        person: YoungPersonId,
        from: NaiveDate,
    ) -> Result<Vec<StoredTask>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {TASK_COLUMNS} FROM celebration_tasks t
             LEFT JOIN staff s ON s.la_id = t.la_id AND s.id = t.recorded_by
             WHERE t.la_id = $1 AND t.young_person_id = $2 AND t.occasion_on >= $3 ORDER BY t.occasion_on, t.id"
        ))
        .bind(la.0)
        .bind(person.0)
        .bind(date(from))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(task_of).collect()
    }

    /// A caseload's tasks for occasions from `from` to `to`, in date order.
    pub async fn caseload_celebration_tasks(
        &self,
        viewer: &Viewer,
        caseload: Caseload,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<StoredTask>, StoreError> {
        let mine = caseload.condition("y.personal_adviser_id", "$5");
        let rows = sqlx::query(&format!(
            "SELECT {TASK_COLUMNS} FROM celebration_tasks t
             JOIN young_people y ON y.la_id = t.la_id AND y.id = t.young_person_id
             LEFT JOIN staff s ON s.la_id = t.la_id AND s.id = t.recorded_by
             WHERE t.la_id = $1 AND t.occasion_on >= $3 AND t.occasion_on <= $4 AND {} {mine}
             ORDER BY t.occasion_on, t.id",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(date(from))
        .bind(date(to))
        .bind(caseload.staff_id())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(task_of).collect()
    }

    /// What a caseload's calendars are worked out from: the open records of
    /// the young people whose personal adviser this is.
    pub async fn calendar_people(
        &self,
        viewer: &Viewer,
        caseload: Caseload,
    ) -> Result<Vec<CalendarPerson>, StoreError> {
        let mine = caseload.condition("y.personal_adviser_id", "$3");
        let rows = sqlx::query(&format!(
            "SELECT y.id, y.child_id, y.first_name, y.preferred_name, y.last_name, y.date_of_birth, y.celebrations,
                    y.staying_close_start
             FROM young_people y WHERE y.la_id = $1 AND y.cohort_status <> 'closed' AND {} {mine}
             ORDER BY y.last_name, y.first_name, y.id",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(caseload.staff_id())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let start: Option<String> = r.try_get("staying_close_start")?;
                Ok(CalendarPerson {
                    young_person: YoungPersonId(r.try_get("id")?),
                    name: name_of(r)?,
                    child_id: r.try_get("child_id")?,
                    date_of_birth: parse_date(&r.try_get::<String, _>("date_of_birth")?)?,
                    celebrations: Celebration::split(&r.try_get::<String, _>("celebrations")?),
                    staying_close_start: start.as_deref().map(parse_date).transpose()?,
                })
            })
            .collect()
    }

    /// Allowance spending from `from` to `to` per young person of a caseload.
    pub async fn caseload_spending(
        &self,
        viewer: &Viewer,
        caseload: Caseload,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(YoungPersonId, Pence)>, StoreError> {
        let mine = caseload.condition("y.personal_adviser_id", "$5");
        let rows = sqlx::query(&format!(
            "SELECT a.young_person_id, CAST(SUM(a.amount_pence) AS BIGINT) AS spent
             FROM allowance_spends a JOIN young_people y ON y.la_id = a.la_id AND y.id = a.young_person_id
             WHERE a.la_id = $1 AND a.spent_on >= $3 AND a.spent_on <= $4 AND {} {mine}
             GROUP BY a.young_person_id",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(date(from))
        .bind(date(to))
        .bind(caseload.staff_id())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((YoungPersonId(r.try_get("young_person_id")?), Pence(r.try_get("spent")?)))).collect()
    }
}
