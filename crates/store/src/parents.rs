//! Young parents' records, scoped by the viewer: children, support given,
//! and outcomes recorded by managers.

use crate::audit::{Actor, Change};
use crate::contacts::require_visible;
use crate::text::{date, parse_date};
use crate::write::Written;
use crate::young_people::{Viewer, YoungPersonId};
use crate::{LaId, Store, StoreError};
use serde_json::json;
use sqlx::Row;
use staying_close_domain::parents::{Child, ParentOutcome, ParentOutcomeKind, ParentSupportKind, SupportGiven};

/// Everything on record for a young parent, each list the latest first,
/// with row ids (for the audit of the read).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParentRecords {
    pub children: Vec<(i64, Child)>,
    pub support: Vec<(i64, SupportGiven, Option<String>)>,
    pub outcomes: Vec<(i64, ParentOutcome, Option<String>)>,
}

impl ParentRecords {
    pub fn ids(&self) -> Vec<i64> {
        self.children
            .iter()
            .map(|c| c.0)
            .chain(self.support.iter().map(|s| s.0))
            .chain(self.outcomes.iter().map(|o| o.0))
            .collect()
    }
}

/// One record to add.
#[derive(Debug, Clone)]
pub enum ParentRecord {
    Child(Child),
    Support(SupportGiven),
    Outcome(ParentOutcome),
}

fn optional_date(r: &sqlx::any::AnyRow, c: &str) -> Result<Option<chrono::NaiveDate>, StoreError> {
    let t: Option<String> = r.try_get(c)?;
    t.as_deref().map(parse_date).transpose()
}

impl Store {
    pub async fn parent_records(&self, la: LaId, person: YoungPersonId) -> Result<ParentRecords, StoreError> {
        let mut out = ParentRecords::default();
        let rows = sqlx::query(
            "SELECT id, known_as, born_on, due_on, lives_with_parent FROM parent_children
             WHERE la_id = $1 AND young_person_id = $2 ORDER BY id",
        )
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            out.children.push((
                r.try_get("id")?,
                Child {
                    known_as: r.try_get("known_as")?,
                    born_on: optional_date(r, "born_on")?,
                    due_on: optional_date(r, "due_on")?,
                    lives_with_parent: r.try_get::<i64, _>("lives_with_parent")? == 1,
                },
            ));
        }
        let rows = sqlx::query(
            "SELECT p.id, p.given_on, p.kind, p.note, s.display_name FROM parent_support p
             LEFT JOIN staff s ON s.la_id = p.la_id AND s.id = p.recorded_by
             WHERE p.la_id = $1 AND p.young_person_id = $2 ORDER BY p.given_on DESC, p.id DESC",
        )
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            let kind: String = r.try_get("kind")?;
            out.support.push((
                r.try_get("id")?,
                SupportGiven {
                    on: parse_date(&r.try_get::<String, _>("given_on")?)?,
                    kind: ParentSupportKind::parse(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("parent support {kind:?}")))?,
                    note: r.try_get("note")?,
                },
                r.try_get("display_name")?,
            ));
        }
        let rows = sqlx::query(
            "SELECT p.id, p.happened_on, p.kind, p.note, s.display_name FROM parent_outcomes p
             LEFT JOIN staff s ON s.la_id = p.la_id AND s.id = p.recorded_by
             WHERE p.la_id = $1 AND p.young_person_id = $2 ORDER BY p.happened_on DESC, p.id DESC",
        )
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            let kind: String = r.try_get("kind")?;
            out.outcomes.push((
                r.try_get("id")?,
                ParentOutcome {
                    on: parse_date(&r.try_get::<String, _>("happened_on")?)?,
                    kind: ParentOutcomeKind::parse(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("parent outcome {kind:?}")))?,
                    note: r.try_get("note")?,
                },
                r.try_get("display_name")?,
            ));
        }
        Ok(out)
    }

    /// Adds a child, support given, or a manager's outcome.
    pub async fn add_parent_record(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        record: &ParentRecord,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (viewer, record) = (*viewer, record.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let by = viewer.staff.map(|s| s.0);
                let now = crate::text::now();
                let (entity, sql, details) = match &record {
                    ParentRecord::Child(_) => (
                        "parent_child",
                        "INSERT INTO parent_children (la_id, young_person_id, known_as, born_on, due_on, lives_with_parent,
                            recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                        json!({ "young_person_id": person.0 }),
                    ),
                    ParentRecord::Support(s) => (
                        "parent_support",
                        "INSERT INTO parent_support (la_id, young_person_id, given_on, kind, note, recorded_by, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                        json!({ "young_person_id": person.0, "kind": s.kind.code() }),
                    ),
                    ParentRecord::Outcome(o) => (
                        "parent_outcome",
                        "INSERT INTO parent_outcomes (la_id, young_person_id, happened_on, kind, note, recorded_by,
                            created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                        json!({ "young_person_id": person.0, "kind": o.kind.code(), "on": date(o.on) }),
                    ),
                };
                let query = sqlx::query(sql).bind(viewer.la.0).bind(person.0);
                let query = match &record {
                    ParentRecord::Child(c) => query
                        .bind(c.known_as.clone())
                        .bind(c.born_on.map(date))
                        .bind(c.due_on.map(date))
                        .bind(i64::from(c.lives_with_parent)),
                    ParentRecord::Support(s) => query.bind(date(s.on)).bind(s.kind.code()).bind(s.note.clone()),
                    ParentRecord::Outcome(o) => query.bind(date(o.on)).bind(o.kind.code()).bind(o.note.clone()),
                };
                let row = query.bind(by).bind(now).fetch_one(&mut *tx).await?;
                let id: i64 = row.try_get("id")?;
                let change =
                    Change { la: Some(viewer.la), action: "create", entity_type: entity, entity_id: Some(id), details };
                Ok(Written::new(id, change))
            })
        })
        .await
    }
}
