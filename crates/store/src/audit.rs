//! The audit trail: one append-only record for every change.

use crate::{LaId, StaffId, Store, StoreError};
use sqlx::AnyConnection;
use sqlx::Row;

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in member of staff.
    Staff(StaffId),
    /// The program itself, named by what ran (for example `cli:la-add`, `demo`).
    System(&'static str),
}

impl Actor {
    fn columns(&self) -> (Option<i64>, String) {
        match self {
            Actor::Staff(id) => (Some(id.0), format!("staff:{}", id.0)),
            Actor::System(what) => (None, (*what).to_owned()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub id: i64,
    pub la_id: Option<LaId>,
    pub occurred_at: String,
    pub actor_label: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<i64>,
    pub details: serde_json::Value,
}

/// What changed, recorded inside the caller's transaction so the change and
/// its record stand or fall together.
pub(crate) struct Change<'a> {
    pub la: Option<LaId>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<i64>,
    pub details: serde_json::Value,
}

pub(crate) async fn record(conn: &mut AnyConnection, actor: &Actor, change: Change<'_>) -> Result<(), StoreError> {
    record_many(conn, actor, vec![change]).await
}

/// Records many changes with a few multi-row statements, in order.
pub(crate) async fn record_many(
    conn: &mut AnyConnection,
    actor: &Actor,
    changes: Vec<Change<'_>>,
) -> Result<(), StoreError> {
    const COLUMNS: usize = 8;
    let (staff_id, label) = actor.columns();
    let now = crate::text::now();
    for chunk in changes.chunks(crate::batch::rows_per_statement(COLUMNS)) {
        let sql = format!(
            "INSERT INTO audit_events (la_id, occurred_at, actor_staff_id, actor_label, action, entity_type, entity_id, details)
             VALUES {}",
            crate::batch::placeholders(chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(&sql);
        for change in chunk {
            query = query
                .bind(change.la.map(|l| l.0))
                .bind(now.clone())
                .bind(staff_id)
                .bind(label.clone())
                .bind(change.action.to_owned())
                .bind(change.entity_type.to_owned())
                .bind(change.entity_id)
                .bind(change.details.to_string());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

impl Store {
    /// The most recent audit events for one LA, newest first.
    pub async fn audit_events(&self, la: LaId, limit: i64) -> Result<Vec<AuditEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, la_id, occurred_at, actor_label, action, entity_type, entity_id, details
             FROM audit_events WHERE la_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(la.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let details: String = r.try_get("details")?;
                Ok(AuditEvent {
                    id: r.try_get("id")?,
                    la_id: r.try_get::<Option<i64>, _>("la_id")?.map(LaId),
                    occurred_at: r.try_get("occurred_at")?,
                    actor_label: r.try_get("actor_label")?,
                    action: r.try_get("action")?,
                    entity_type: r.try_get("entity_type")?,
                    entity_id: r.try_get("entity_id")?,
                    details: serde_json::from_str(&details).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                })
            })
            .collect()
    }
}
