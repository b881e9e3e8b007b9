//! Group events and forum meetings with who came, and young people's
//! involvement in running the service; scoped by the viewer's LA. An
//! attendee the viewer may not see is counted but not named.

use crate::audit::{Actor, Change};
use crate::contacts::{name_of, require_visible};
use crate::text::{date, parse_date};
use crate::write::{missing_or_stale, Written};
use crate::young_people::{Viewer, YoungPersonId};
use crate::{LaId, StaffId, Store, StoreError};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;
use staying_close_domain::groups::{Event, EventKind, Involvement, InvolvementKind};
use staying_close_domain::money::Pence;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub id: i64,
    pub event: Event,
    pub version: i64,
    pub young_people: i64,
    pub staff: i64,
}

/// Someone who came: their record if the viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub young_person: YoungPersonId,
    pub child_id: String,
    /// `None` when no name is recorded, or the viewer may not see who it is.
    pub name: Option<String>,
    /// Whether the viewer may see this young person's record.
    pub visible: bool,
}

fn event_of(r: &AnyRow) -> Result<StoredEvent, StoreError> {
    let kind: String = r.try_get("kind")?;
    Ok(StoredEvent {
        id: r.try_get("id")?,
        event: Event {
            title: r.try_get("title")?,
            kind: EventKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("event kind {kind:?}")))?,
            on: parse_date(&r.try_get::<String, _>("held_on")?)?,
            cost: Pence(r.try_get("cost_pence")?),
            topics: r.try_get("topics")?,
            actions: r.try_get("actions")?,
        },
        version: r.try_get("version")?,
        young_people: r.try_get("young_people")?,
        staff: r.try_get("staff_count")?,
    })
}

const EVENT_COLUMNS: &str = "e.id, e.title, e.kind, e.held_on, e.cost_pence, e.topics, e.actions, e.version,
    (SELECT COUNT(*) FROM group_attendance a WHERE a.la_id = e.la_id AND a.event_id = e.id) AS young_people,
    (SELECT COUNT(*) FROM group_staff s WHERE s.la_id = e.la_id AND s.event_id = e.id) AS staff_count";

impl Store {
    /// The LA's events from `from` to `to`, the latest first; only forum
    /// meetings when `forum`.
    pub async fn group_events(
        &self,
        la: LaId,
        from: NaiveDate,
        to: NaiveDate,
        forum: bool,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let only = if forum { "AND e.kind = 'forum'" } else { "" };
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM group_events e WHERE e.la_id = $1 AND e.held_on >= $2 AND e.held_on <= $3 {only}
             ORDER BY e.held_on DESC, e.id DESC"
        ))
        .bind(la.0)
        .bind(date(from))
        .bind(date(to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_of).collect()
    }

    /// One event with who came.
    pub async fn group_event(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<Option<(StoredEvent, Vec<Attendee>, Vec<StaffId>)>, StoreError> {
        let Some(row) =
            sqlx::query(&format!("SELECT {EVENT_COLUMNS} FROM group_events e WHERE e.la_id = $1 AND e.id = $2"))
                .bind(viewer.la.0)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
        else {
            return Ok(None);
        };
        let event = event_of(&row)?;
        let rows = sqlx::query(&format!(
            "SELECT y.id, y.child_id, y.first_name, y.preferred_name, y.last_name,
                    CASE WHEN {} THEN 1 ELSE 0 END AS visible
             FROM group_attendance a JOIN young_people y ON y.la_id = a.la_id AND y.id = a.young_person_id
             WHERE a.la_id = $1 AND a.event_id = $3 ORDER BY y.last_name, y.first_name, y.id",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut people = Vec::new();
        for r in &rows {
            let visible: i64 = r.try_get::<i32, _>("visible").map(i64::from).or_else(|_| r.try_get("visible"))?;
            people.push(Attendee {
                young_person: YoungPersonId(r.try_get("id")?),
                child_id: if visible == 1 { r.try_get("child_id")? } else { String::new() },
                name: if visible == 1 { name_of(r)? } else { None },
                visible: visible == 1,
            });
        }
        let staff =
            sqlx::query("SELECT staff_id FROM group_staff WHERE la_id = $1 AND event_id = $2 ORDER BY staff_id")
                .bind(viewer.la.0)
                .bind(id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| r.try_get("staff_id").map(StaffId))
                .collect::<Result<_, _>>()?;
        Ok(Some((event, people, staff)))
    }

    /// Adds an event (`existing` None) or changes one at its version.
    pub async fn save_group_event(
        &self,
        la: LaId,
        existing: Option<(i64, i64)>,
        event: &Event,
        recorded_by: Option<StaffId>,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let e = event.clone();
        self.write(actor, move |tx| {
            Box::pin(async move {
                let (id, action) = match existing {
                    None => {
                        let row = sqlx::query(
                            "INSERT INTO group_events (la_id, title, kind, held_on, cost_pence, topics, actions, recorded_by,
                                created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                        )
                        .bind(la.0)
                        .bind(e.title.clone())
                        .bind(e.kind.code())
                        .bind(date(e.on))
                        .bind(e.cost.0)
                        .bind(e.topics.clone())
                        .bind(e.actions.clone())
                        .bind(recorded_by.map(|s| s.0))
                        .bind(crate::text::now())
                        .fetch_one(&mut *tx)
                        .await?;
                        (row.try_get::<i64, _>("id")?, "create")
                    }
                    Some((id, version)) => {
                        let updated = sqlx::query(
                            "UPDATE group_events SET title = $3, kind = $4, held_on = $5, cost_pence = $6, topics = $7,
                                actions = $8, version = version + 1 WHERE la_id = $1 AND id = $2 AND version = $9",
                        )
                        .bind(la.0)
                        .bind(id)
                        .bind(e.title.clone())
                        .bind(e.kind.code())
                        .bind(date(e.on))
                        .bind(e.cost.0)
                        .bind(e.topics.clone())
                        .bind(e.actions.clone())
                        .bind(version)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                        if updated == 0 {
                            return Err(missing_or_stale(tx, "group_events", la, id, None, ("event", "Event")).await);
                        }
                        (id, "update")
                    }
                };
                let details = json!({ "kind": e.kind.code(), "held_on": date(e.on), "cost_pence": e.cost.0 });
                let change = Change { la: Some(la), action, entity_type: "group_event", entity_id: Some(id), details };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    /// Replaces who came to an event, from the version shown. Every young
    /// person must be one the viewer may see; those they may not see stay
    /// as they were. Staff must be of the LA.
    pub async fn set_attendance(
        &self,
        viewer: &Viewer,
        event: i64,
        version: i64,
        people: &[YoungPersonId],
        staff: &[StaffId],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let (viewer, people, staff) = (*viewer, people.to_vec(), staff.to_vec());
        self.write(actor, move |tx| {
            Box::pin(async move {
                let bumped = sqlx::query(
                    "UPDATE group_events SET version = version + 1 WHERE la_id = $1 AND id = $2 AND version = $3",
                )
                .bind(viewer.la.0)
                .bind(event)
                .bind(version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if bumped == 0 {
                    return Err(missing_or_stale(tx, "group_events", viewer.la, event, None, ("event", "Event")).await);
                }
                for p in &people {
                    require_visible(tx, &viewer, *p).await?;
                }
                sqlx::query(&format!(
                    "DELETE FROM group_attendance WHERE la_id = $1 AND event_id = $3 AND young_person_id IN
                        (SELECT y.id FROM young_people y WHERE y.la_id = $1 AND {})",
                    viewer.clause("$2")
                ))
                .bind(viewer.la.0)
                .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
                .bind(event)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM group_staff WHERE la_id = $1 AND event_id = $2")
                    .bind(viewer.la.0)
                    .bind(event)
                    .execute(&mut *tx)
                    .await?;
                for p in &people {
                    sqlx::query("INSERT INTO group_attendance (la_id, event_id, young_person_id) VALUES ($1, $2, $3)")
                        .bind(viewer.la.0)
                        .bind(event)
                        .bind(p.0)
                        .execute(&mut *tx)
                        .await?;
                }
                for s in &staff {
                    sqlx::query("INSERT INTO group_staff (la_id, event_id, staff_id) VALUES ($1, $2, $3)")
                        .bind(viewer.la.0)
                        .bind(event)
                        .bind(s.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(StoreError::foreign_key_as("Choose staff from your own team"))?;
                }
                let details = json!({
                    "young_people": people.iter().map(|p| p.0).collect::<Vec<_>>(),
                    "staff": staff.iter().map(|s| s.0).collect::<Vec<_>>(),
                });
                let change = Change {
                    la: Some(viewer.la),
                    action: "update",
                    entity_type: "group_attendance",
                    entity_id: Some(event),
                    details,
                };
                Ok(Written::new((), change))
            })
        })
        .await
    }

    /// The events a young person came to, the latest first.
    pub async fn events_attended(&self, la: LaId, person: YoungPersonId) -> Result<Vec<(i64, Event)>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM group_events e JOIN group_attendance a ON a.la_id = e.la_id AND a.event_id = e.id
             WHERE e.la_id = $1 AND a.young_person_id = $2 ORDER BY e.held_on DESC, e.id DESC"
        ))
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| event_of(r).map(|e| (e.id, e.event))).collect()
    }

    pub async fn add_involvement(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        involvement: &Involvement,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (viewer, i) = (*viewer, involvement.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let row = sqlx::query(
                    "INSERT INTO involvements (la_id, young_person_id, involved_on, kind, note, recorded_by, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(viewer.la.0)
                .bind(person.0)
                .bind(date(i.on))
                .bind(i.kind.code())
                .bind(i.note.clone())
                .bind(viewer.staff.map(|s| s.0))
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = row.try_get("id")?;
                let details = json!({ "young_person_id": person.0, "kind": i.kind.code() });
                let change = Change {
                    la: Some(viewer.la),
                    action: "create",
                    entity_type: "involvement",
                    entity_id: Some(id),
                    details,
                };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    /// One young person's involvement, the latest first.
    pub async fn involvements_of(&self, la: LaId, person: YoungPersonId) -> Result<Vec<Involvement>, StoreError> {
        let rows = sqlx::query(
            "SELECT involved_on, kind, note FROM involvements WHERE la_id = $1 AND young_person_id = $2
             ORDER BY involved_on DESC, id DESC",
        )
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(Involvement {
                    on: parse_date(&r.try_get::<String, _>("involved_on")?)?,
                    kind: InvolvementKind::parse(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("involvement {kind:?}")))?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    /// Involvement of the young people the viewer may see, from `from` to
    /// `to`, the latest first, with who it was.
    pub async fn involvements(
        &self,
        viewer: &Viewer,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, Attendee, Involvement)>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT i.id, i.involved_on, i.kind, i.note, y.id AS young_person_id, y.child_id, y.first_name,
                    y.preferred_name, y.last_name
             FROM involvements i JOIN young_people y ON y.la_id = i.la_id AND y.id = i.young_person_id
             WHERE i.la_id = $1 AND i.involved_on >= $3 AND i.involved_on <= $4 AND {}
             ORDER BY i.involved_on DESC, i.id DESC",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(date(from))
        .bind(date(to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok((
                    r.try_get("id")?,
                    Attendee {
                        young_person: YoungPersonId(r.try_get("young_person_id")?),
                        child_id: r.try_get("child_id")?,
                        name: name_of(r)?,
                        visible: true,
                    },
                    Involvement {
                        on: parse_date(&r.try_get::<String, _>("involved_on")?)?,
                        kind: InvolvementKind::parse(&kind)
                            .ok_or_else(|| StoreError::Corrupt(format!("involvement {kind:?}")))?,
                        note: r.try_get("note")?,
                    },
                ))
            })
            .collect()
    }
}
