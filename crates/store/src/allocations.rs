//! Allocations of workers to young people, with their history. Allocating
//! someone to a part ends whoever held it, on the day the new worker starts;
//! a personal adviser's allocation also moves `personal_adviser_id`, in the
//! same transaction. A form carries a stamp of the allocations it showed, so
//! two managers reallocating at once never silently undo each other.

use crate::audit::{Actor, Change};
use crate::contacts::require_visible;
use crate::text::{date, parse_optional_date};
use crate::write::Written;
use crate::young_people::{Viewer, YoungPersonId};
use crate::{LaId, StaffId, Store, StoreError};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::{AnyConnection, Row};
use staying_close_domain::allocation::{Allocation, WorkerRole};

/// One allocation, current or past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAllocation {
    pub id: i64,
    pub role: WorkerRole,
    pub staff: StaffId,
    pub staff_name: String,
    /// `None` when the start was not recorded.
    pub starts_on: Option<NaiveDate>,
    /// `None` while it lasts.
    pub ends_on: Option<NaiveDate>,
    pub reason: Option<String>,
    pub end_reason: Option<String>,
}

/// A young person's allocations, and the stamp a form sends back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocations {
    /// Current ones first (in part order), then past ones, latest first.
    pub list: Vec<StoredAllocation>,
    pub stamp: String,
}

impl Allocations {
    pub fn current(&self) -> impl Iterator<Item = &StoredAllocation> {
        self.list.iter().filter(|a| a.ends_on.is_none())
    }

    pub fn holder(&self, role: WorkerRole) -> Option<&StoredAllocation> {
        self.current().find(|a| a.role == role)
    }
}

/// What the allocations look like now: how many, how many ended, and the
/// latest, with the personal adviser. Any change alters it.
async fn stamp(conn: &mut AnyConnection, la: LaId, person: YoungPersonId) -> Result<String, StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, COALESCE(MAX(a.id), 0) AS latest,
                CAST(COALESCE(SUM(CASE WHEN a.ends_on IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT) AS ended,
                (SELECT COALESCE(y.personal_adviser_id, 0) FROM young_people y WHERE y.la_id = $1 AND y.id = $2) AS pa
         FROM allocations a WHERE a.la_id = $1 AND a.young_person_id = $2",
    )
    .bind(la.0)
    .bind(person.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(format!(
        "{}-{}-{}-{}",
        row.try_get::<i64, _>("n")?,
        row.try_get::<i64, _>("latest")?,
        row.try_get::<i64, _>("ended")?,
        row.try_get::<Option<i64>, _>("pa")?.unwrap_or(0)
    ))
}

async fn list(conn: &mut AnyConnection, la: LaId, person: YoungPersonId) -> Result<Allocations, StoreError> {
    let rows = sqlx::query(
        "SELECT a.id, a.worker_role, a.staff_id, s.display_name, a.starts_on, a.ends_on, a.reason, a.end_reason
         FROM allocations a JOIN staff s ON s.la_id = a.la_id AND s.id = a.staff_id
         WHERE a.la_id = $1 AND a.young_person_id = $2",
    )
    .bind(la.0)
    .bind(person.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut list = rows
        .iter()
        .map(|r| {
            let role: String = r.try_get("worker_role")?;
            Ok(StoredAllocation {
                id: r.try_get("id")?,
                role: WorkerRole::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("worker role {role:?}")))?,
                staff: StaffId(r.try_get("staff_id")?),
                staff_name: r.try_get("display_name")?,
                starts_on: parse_optional_date(r.try_get("starts_on")?)?,
                ends_on: parse_optional_date(r.try_get("ends_on")?)?,
                reason: r.try_get("reason")?,
                end_reason: r.try_get("end_reason")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    list.sort_by(|a, b| {
        (a.ends_on.is_some(), a.ends_on.is_none().then_some(a.role))
            .cmp(&(b.ends_on.is_some(), b.ends_on.is_none().then_some(b.role)))
            .then(b.ends_on.cmp(&a.ends_on))
            .then(b.id.cmp(&a.id))
    });
    Ok(Allocations { list, stamp: stamp(conn, la, person).await? })
}

fn staff_of_la(e: sqlx::Error) -> StoreError {
    StoreError::foreign_key_as("the worker must work for the same local authority")(e)
}

/// Ends the open allocation of `role` on `on`; a personal adviser recorded
/// only on the record (from before allocations were kept) gets a row that
/// ends the same way. Returns who it was.
async fn end_open(
    conn: &mut AnyConnection,
    la: LaId,
    person: YoungPersonId,
    role: WorkerRole,
    on: NaiveDate,
    reason: Option<&str>,
    now: &str,
) -> Result<Option<i64>, StoreError> {
    let open = sqlx::query(
        "SELECT id, staff_id, starts_on FROM allocations
         WHERE la_id = $1 AND young_person_id = $2 AND worker_role = $3 AND ends_on IS NULL",
    )
    .bind(la.0)
    .bind(person.0)
    .bind(role.code())
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = open {
        if parse_optional_date(row.try_get("starts_on")?)?.is_some_and(|s| on < s) {
            return Err(StoreError::Invalid("a change cannot come before the current worker started".into()));
        }
        sqlx::query("UPDATE allocations SET ends_on = $3, end_reason = $4 WHERE la_id = $1 AND id = $2")
            .bind(la.0)
            .bind(row.try_get::<i64, _>("id")?)
            .bind(date(on))
            .bind(reason.map(str::to_owned))
            .execute(&mut *conn)
            .await?;
        return Ok(Some(row.try_get("staff_id")?));
    }
    if role != WorkerRole::PersonalAdviser {
        return Ok(None);
    }
    let pa: Option<i64> = sqlx::query("SELECT personal_adviser_id FROM young_people WHERE la_id = $1 AND id = $2")
        .bind(la.0)
        .bind(person.0)
        .fetch_one(&mut *conn)
        .await?
        .try_get("personal_adviser_id")?;
    if let Some(pa) = pa {
        sqlx::query(
            "INSERT INTO allocations (la_id, young_person_id, worker_role, staff_id, starts_on, ends_on, end_reason, created_at)
             VALUES ($1, $2, 'personal_adviser', $3, NULL, $4, $5, $6)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(pa)
        .bind(date(on))
        .bind(reason.map(str::to_owned))
        .bind(now.to_owned())
        .execute(&mut *conn)
        .await?;
    }
    Ok(pa)
}

async fn set_adviser(
    conn: &mut AnyConnection,
    la: LaId,
    person: YoungPersonId,
    adviser: Option<i64>,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE young_people SET personal_adviser_id = $3, updated_at = $4, version = version + 1
         WHERE la_id = $1 AND id = $2",
    )
    .bind(la.0)
    .bind(person.0)
    .bind(adviser)
    .bind(now.to_owned())
    .execute(&mut *conn)
    .await
    .map_err(staff_of_la)?;
    Ok(())
}

async fn check_stamp(
    conn: &mut AnyConnection,
    la: LaId,
    person: YoungPersonId,
    expected: &str,
) -> Result<(), StoreError> {
    if stamp(conn, la, person).await? != expected {
        return Err(StoreError::Conflict { what: "Who works with them" });
    }
    Ok(())
}

impl Store {
    /// A young person's allocations, current and past. The caller has
    /// checked the young person is within the viewer's scope.
    pub async fn allocations(&self, la: LaId, person: YoungPersonId) -> Result<Allocations, StoreError> {
        let mut conn = self.pool.acquire().await?;
        list(&mut conn, la, person).await
    }

    /// Allocates a worker to a part, ending whoever held it on the day the
    /// new worker starts. `expected_stamp` is the stamp the form showed.
    pub async fn allocate(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        expected_stamp: &str,
        allocation: &Allocation,
        actor: &Actor,
    ) -> Result<Allocations, StoreError> {
        let (viewer, allocation, expected) = (*viewer, allocation.clone(), expected_stamp.to_owned());
        let recorded_by = viewer.staff.map(|s| s.0);
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let la = viewer.la;
                check_stamp(tx, la, person, &expected).await?;
                let now = crate::text::now();
                let reason = allocation.reason.as_deref();
                let before = end_open(tx, la, person, allocation.role, allocation.from, reason, &now).await?;
                sqlx::query(
                    "INSERT INTO allocations (la_id, young_person_id, worker_role, staff_id, starts_on, reason,
                        recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(la.0)
                .bind(person.0)
                .bind(allocation.role.code())
                .bind(allocation.staff)
                .bind(date(allocation.from))
                .bind(allocation.reason.clone())
                .bind(recorded_by)
                .bind(now.clone())
                .execute(&mut *tx)
                .await
                .map_err(staff_of_la)?;
                if allocation.role == WorkerRole::PersonalAdviser {
                    set_adviser(tx, la, person, Some(allocation.staff), &now).await?;
                }
                let saved = list(tx, la, person).await?;
                let change = Change {
                    la: Some(la),
                    action: "allocate",
                    entity_type: "young_person",
                    entity_id: Some(person.0),
                    details: json!({
                        "role": allocation.role.code(),
                        "staff_id": allocation.staff,
                        "from": date(allocation.from),
                        "previous_staff_id": before,
                    }),
                };
                Ok(Written::new(saved, change))
            })
        })
        .await
    }

    /// Ends the allocation of a part without anyone taking it on.
    #[allow(clippy::too_many_arguments)]
    pub async fn end_allocation(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        expected_stamp: &str,
        role: WorkerRole,
        on: NaiveDate,
        reason: Option<String>,
        actor: &Actor,
    ) -> Result<Allocations, StoreError> {
        let (viewer, expected) = (*viewer, expected_stamp.to_owned());
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let la = viewer.la;
                check_stamp(tx, la, person, &expected).await?;
                let now = crate::text::now();
                let ended = end_open(tx, la, person, role, on, reason.as_deref(), &now)
                    .await?
                    .ok_or(StoreError::NotFound { what: "Allocation" })?;
                if role == WorkerRole::PersonalAdviser {
                    set_adviser(tx, la, person, None, &now).await?;
                }
                let saved = list(tx, la, person).await?;
                let change = Change {
                    la: Some(la),
                    action: "end_allocation",
                    entity_type: "young_person",
                    entity_id: Some(person.0),
                    details: json!({ "role": role.code(), "staff_id": ended, "on": date(on) }),
                };
                Ok(Written::new(saved, change))
            })
        })
        .await
    }

    /// How many young people each member of staff works with in a part
    /// other than personal adviser (open allocations), for the team page.
    pub async fn other_allocation_counts(&self, la: LaId) -> Result<Vec<(StaffId, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.staff_id, COUNT(*) AS n FROM allocations a
             JOIN young_people y ON y.la_id = a.la_id AND y.id = a.young_person_id
             WHERE a.la_id = $1 AND a.ends_on IS NULL AND a.worker_role <> 'personal_adviser'
               AND y.cohort_status = 'active'
             GROUP BY a.staff_id",
        )
        .bind(la.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((StaffId(r.try_get("staff_id")?), r.try_get("n")?))).collect()
    }
}
