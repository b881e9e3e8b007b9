//! The audit trail: append-only, one hash chain per LA.
//!
//! Every record stores the SHA-256 of its own content together with the hash
//! of the record before it in the same chain, so an edited, inserted or
//! deleted record breaks the chain, which `verify_audit_chains` finds.

use crate::{Backend, LaId, StaffId, Store, StoreError};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;
use std::collections::HashMap;

/// Who made a change, and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in member of staff.
    Staff { id: StaffId, client_addr: Option<String> },
    /// Someone not signed in (for example a failed sign-in).
    Anonymous { client_addr: String },
    /// The program itself, named by what ran (for example `cli:la-add`, `demo`).
    System(&'static str),
}

impl Actor {
    pub fn staff(id: StaffId, client_addr: Option<String>) -> Actor {
        Actor::Staff { id, client_addr }
    }

    /// Who, in a word: `staff:12`, `anonymous@10.0.0.7` or the program's name.
    pub fn label(&self) -> String {
        match self {
            Actor::Staff { id, .. } => format!("staff:{}", id.0),
            Actor::Anonymous { client_addr } => format!("anonymous@{client_addr}"),
            Actor::System(what) => (*what).to_owned(),
        }
    }

    fn columns(&self) -> (Option<i64>, String, Option<String>) {
        match self {
            Actor::Staff { id, client_addr } => (Some(id.0), format!("staff:{}", id.0), client_addr.clone()),
            Actor::Anonymous { client_addr } => (None, "anonymous".to_owned(), Some(client_addr.clone())),
            Actor::System(what) => (None, (*what).to_owned(), None),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub id: i64,
    pub la_id: Option<LaId>,
    pub occurred_at: String,
    pub actor_staff_id: Option<i64>,
    pub actor_label: String,
    pub client_addr: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<i64>,
    pub details: serde_json::Value,
}

/// What changed, recorded inside the caller's transaction so the change and
/// its record stand or fall together.
pub(crate) struct Change {
    pub la: Option<LaId>,
    pub action: &'static str,
    pub entity_type: &'static str,
    pub entity_id: Option<i64>,
    pub details: serde_json::Value,
}

impl Change {
    /// A change to a member of staff's account.
    pub(crate) fn about_staff(staff: &crate::Staff, action: &'static str, details: serde_json::Value) -> Change {
        Change { la: staff.la_id, action, entity_type: "staff", entity_id: Some(staff.id.0), details }
    }
}

/// The fields a record's hash covers, in a fixed order.
#[allow(clippy::too_many_arguments)]
fn content_hash(
    chain: i64,
    occurred_at: &str,
    staff: Option<i64>,
    label: &str,
    client: Option<&str>,
    action: &str,
    entity_type: &str,
    entity_id: Option<i64>,
    details: &str,
    prev_hash: &str,
) -> String {
    let canonical =
        json!([chain, occurred_at, staff, label, client, action, entity_type, entity_id, details, prev_hash]);
    crate::secrets::sha256_hex(&canonical.to_string())
}

/// The hash every chain starts from.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

async fn last_hash(conn: &mut AnyConnection, backend: Backend, chain: i64) -> Result<String, StoreError> {
    if backend == Backend::Postgres {
        // Writers to one chain take turns until they commit.
        sqlx::query("SELECT pg_advisory_xact_lock(727002, CAST($1 AS INTEGER))")
            .bind(chain)
            .execute(&mut *conn)
            .await?;
    }
    let row =
        sqlx::query("SELECT hash FROM audit_events WHERE chain = $1 AND hash IS NOT NULL ORDER BY id DESC LIMIT 1")
            .bind(chain)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(match row {
        Some(r) => r.try_get(0)?,
        None => GENESIS.to_owned(),
    })
}

/// Records many changes, in order, with a few multi-row statements.
pub(crate) async fn record_many(
    conn: &mut AnyConnection,
    backend: Backend,
    actor: &Actor,
    changes: Vec<Change>,
) -> Result<(), StoreError> {
    const COLUMNS: usize = 12;
    let (staff_id, label, client) = actor.columns();
    let now = crate::text::now();
    let mut heads: HashMap<i64, String> = HashMap::new();
    let mut rows = Vec::with_capacity(changes.len());
    for change in &changes {
        let chain = change.la.map(|l| l.0).unwrap_or(0);
        let prev = match heads.get(&chain) {
            Some(head) => head.clone(),
            None => last_hash(conn, backend, chain).await?,
        };
        let details = change.details.to_string();
        let hash = content_hash(
            chain,
            &now,
            staff_id,
            &label,
            client.as_deref(),
            change.action,
            change.entity_type,
            change.entity_id,
            &details,
            &prev,
        );
        heads.insert(chain, hash.clone());
        rows.push((chain, change, details, prev, hash));
    }
    for chunk in rows.chunks(crate::batch::rows_per_statement(conn, COLUMNS)) {
        let sql = format!(
            "INSERT INTO audit_events (la_id, chain, occurred_at, actor_staff_id, actor_label, client_addr, action,
                entity_type, entity_id, details, prev_hash, hash) VALUES {}",
            crate::batch::placeholders(chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(&sql);
        for (chain, change, details, prev, hash) in chunk {
            query = query
                .bind(change.la.map(|l| l.0))
                .bind(*chain)
                .bind(now.clone())
                .bind(staff_id)
                .bind(label.clone())
                .bind(client.clone())
                .bind(change.action.to_owned())
                .bind(change.entity_type.to_owned())
                .bind(change.entity_id)
                .bind(details.clone())
                .bind(prev.clone())
                .bind(hash.clone());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

const EVENT_COLUMNS: &str =
    "id, la_id, chain, occurred_at, actor_staff_id, actor_label, client_addr, action, entity_type, entity_id, details, prev_hash, hash";

fn event_from_row(r: &AnyRow) -> Result<AuditEvent, StoreError> {
    let details: String = r.try_get("details")?;
    Ok(AuditEvent {
        id: r.try_get("id")?,
        la_id: r.try_get::<Option<i64>, _>("la_id")?.map(LaId),
        occurred_at: r.try_get("occurred_at")?,
        actor_staff_id: r.try_get("actor_staff_id")?,
        actor_label: r.try_get("actor_label")?,
        client_addr: r.try_get("client_addr")?,
        action: r.try_get("action")?,
        entity_type: r.try_get("entity_type")?,
        entity_id: r.try_get("entity_id")?,
        details: serde_json::from_str(&details).map_err(|e| StoreError::Corrupt(e.to_string()))?,
    })
}

/// Narrows an LA's audit trail.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub entity_type: Option<String>,
    pub actor_staff_id: Option<i64>,
    /// Inclusive, `yyyy-mm-dd`.
    pub from: Option<String>,
    /// Inclusive, `yyyy-mm-dd`.
    pub to: Option<String>,
}

/// A break in a chain found by [`Store::verify_audit_chains`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    pub chain: i64,
    pub event_id: i64,
    pub problem: String,
}

/// What verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub chains: usize,
    pub events: usize,
    pub breaks: Vec<ChainBreak>,
}

impl Store {
    /// Records one event outside any other change (sign-ins, views, exports).
    pub async fn record_event(
        &self,
        actor: &Actor,
        la: Option<LaId>,
        action: &'static str,
        entity_type: &'static str,
        entity_id: Option<i64>,
        details: serde_json::Value,
    ) -> Result<(), StoreError> {
        let change = Change { la, action, entity_type, entity_id, details };
        self.write(actor, move |_| Box::pin(async move { Ok(crate::write::Written::new((), change)) })).await
    }

    /// The most recent audit events for one LA, newest first.
    pub async fn audit_events(&self, la: LaId, limit: i64) -> Result<Vec<AuditEvent>, StoreError> {
        self.audit_search(la, &AuditFilter::default(), limit).await
    }

    /// An LA's audit events matching `filter`, newest first.
    pub async fn audit_search(
        &self,
        la: LaId,
        filter: &AuditFilter,
        limit: i64,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let mut sql = format!("SELECT {EVENT_COLUMNS} FROM audit_events WHERE la_id = $1");
        let mut binds: Vec<String> = Vec::new();
        let mut add = |clause: &str, value: String| {
            binds.push(value);
            sql.push_str(&format!(" AND {clause} ${}", binds.len() + 1));
        };
        if let Some(a) = &filter.action {
            add("action =", a.clone());
        }
        if let Some(e) = &filter.entity_type {
            add("entity_type =", e.clone());
        }
        if let Some(from) = &filter.from {
            add("occurred_at >=", format!("{from}T00:00:00Z"));
        }
        if let Some(to) = &filter.to {
            add("occurred_at <=", format!("{to}T23:59:59Z"));
        }
        if let Some(staff) = filter.actor_staff_id {
            add("actor_label =", format!("staff:{staff}"));
        }
        sql.push_str(&format!(" ORDER BY id DESC LIMIT ${}", binds.len() + 2));
        let mut query = sqlx::query(&sql).bind(la.0);
        for b in binds {
            query = query.bind(b);
        }
        let rows = query.bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(event_from_row).collect()
    }

    /// Re-computes every chain and lists every break.
    pub async fn verify_audit_chains(&self) -> Result<ChainReport, StoreError> {
        let rows = sqlx::query(&format!("SELECT {EVENT_COLUMNS} FROM audit_events ORDER BY chain, id"))
            .fetch_all(&self.pool)
            .await?;
        let mut report = ChainReport { chains: 0, events: rows.len(), breaks: Vec::new() };
        let mut current: Option<(i64, String)> = None;
        for r in &rows {
            let chain: i64 = r.try_get("chain")?;
            let id: i64 = r.try_get("id")?;
            let prev_hash: Option<String> = r.try_get("prev_hash")?;
            let hash: Option<String> = r.try_get("hash")?;
            if current.as_ref().map(|(c, _)| *c) != Some(chain) {
                report.chains += 1;
                current = Some((chain, GENESIS.to_owned()));
            }
            let expected_prev = current.as_ref().map(|(_, h)| h.clone()).unwrap_or_default();
            let (Some(prev_hash), Some(hash)) = (prev_hash, hash) else {
                report.breaks.push(ChainBreak { chain, event_id: id, problem: "the record has no hash".into() });
                continue;
            };
            if prev_hash != expected_prev {
                report.breaks.push(ChainBreak {
                    chain,
                    event_id: id,
                    problem: "the record before it is missing or was changed".into(),
                });
            }
            let details: String = r.try_get("details")?;
            let client: Option<String> = r.try_get("client_addr")?;
            let recomputed = content_hash(
                chain,
                &r.try_get::<String, _>("occurred_at")?,
                r.try_get("actor_staff_id")?,
                &r.try_get::<String, _>("actor_label")?,
                client.as_deref(),
                &r.try_get::<String, _>("action")?,
                &r.try_get::<String, _>("entity_type")?,
                r.try_get("entity_id")?,
                &details,
                &prev_hash,
            );
            if recomputed != hash {
                report.breaks.push(ChainBreak {
                    chain,
                    event_id: id,
                    problem: "the record was changed after it was written".into(),
                });
            }
            current = Some((chain, hash));
        }
        Ok(report)
    }
}
