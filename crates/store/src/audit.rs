//! The audit trail: append-only, one numbered chain per LA, signed with a
//! secret key.
//!
//! Every event stores its number in its LA's chain and the HMAC-SHA-256,
//! under a key the database never holds, of its content and of the MAC of the
//! event before it. An edited, inserted or deleted event breaks the chain,
//! which `verify_audit_chains` finds; a chain cut short at its end, or
//! rewritten by someone who has the key, is found by comparing it with
//! anchors (`audit_heads`) kept outside the database. The database itself
//! refuses to change or delete events (migration 6).

use crate::{AuditKey, Backend, LaId, StaffId, Store, StoreError};
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

/// The fields an event's MAC covers, in a fixed order.
struct Content<'a> {
    chain: i64,
    seq: i64,
    occurred_at: &'a str,
    staff: Option<i64>,
    label: &'a str,
    client: Option<&'a str>,
    action: &'a str,
    entity_type: &'a str,
    entity_id: Option<i64>,
    details: &'a str,
    prev_hash: &'a str,
}

impl Content<'_> {
    /// HMAC-SHA-256 under `key`, over the event's number and content and the
    /// MAC of the event before it.
    fn mac(&self, key: &AuditKey) -> String {
        let canonical = json!([
            self.chain,
            self.seq,
            self.occurred_at,
            self.staff,
            self.label,
            self.client,
            self.action,
            self.entity_type,
            self.entity_id,
            self.details,
            self.prev_hash
        ]);
        key.mac(&canonical.to_string())
    }

    /// The plain SHA-256 of events written before the trail was keyed
    /// (`mac_key = 'sha256'`), which did not cover the number.
    fn legacy_hash(&self) -> String {
        let canonical = json!([
            self.chain,
            self.occurred_at,
            self.staff,
            self.label,
            self.client,
            self.action,
            self.entity_type,
            self.entity_id,
            self.details,
            self.prev_hash
        ]);
        crate::secrets::sha256_hex(&canonical.to_string())
    }
}

/// The MAC every chain starts from.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// `mac_key` of events chained before keys (migration 6).
const LEGACY: &str = "sha256";

/// The number and MAC of a chain's newest event (0 and the genesis value
/// for an empty chain). On PostgreSQL, writers to one chain take turns until
/// they commit; on SQLite the write transaction already serialises them.
async fn chain_head(conn: &mut AnyConnection, backend: Backend, chain: i64) -> Result<(i64, String), StoreError> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(727002, CAST($1 AS INTEGER))")
            .bind(chain)
            .execute(&mut *conn)
            .await?;
    }
    let row = sqlx::query("SELECT seq, hash FROM audit_events WHERE chain = $1 ORDER BY seq DESC LIMIT 1")
        .bind(chain)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(r) => (r.try_get(0)?, r.try_get(1)?),
        None => (0, GENESIS.to_owned()),
    })
}

/// Records many changes, in order, with a few multi-row statements, each
/// numbered in its LA's chain and signed with `key`.
pub(crate) async fn record_many(
    conn: &mut AnyConnection,
    backend: Backend,
    key: &AuditKey,
    actor: &Actor,
    changes: Vec<Change>,
) -> Result<(), StoreError> {
    const COLUMNS: usize = 14;
    let (staff_id, label, client) = actor.columns();
    let now = crate::text::now();
    let fingerprint = key.fingerprint();
    let mut heads: HashMap<i64, (i64, String)> = HashMap::new();
    let mut rows = Vec::with_capacity(changes.len());
    for change in &changes {
        let chain = change.la.map(|l| l.0).unwrap_or(0);
        let (last_seq, prev) = match heads.get(&chain) {
            Some(head) => head.clone(),
            None => chain_head(conn, backend, chain).await?,
        };
        let seq = last_seq + 1;
        let details = change.details.to_string();
        let mac = Content {
            chain,
            seq,
            occurred_at: &now,
            staff: staff_id,
            label: &label,
            client: client.as_deref(),
            action: change.action,
            entity_type: change.entity_type,
            entity_id: change.entity_id,
            details: &details,
            prev_hash: &prev,
        }
        .mac(key);
        heads.insert(chain, (seq, mac.clone()));
        rows.push((chain, seq, change, details, prev, mac));
    }
    for chunk in rows.chunks(crate::batch::rows_per_statement(conn, COLUMNS)) {
        let sql = format!(
            "INSERT INTO audit_events (la_id, chain, seq, occurred_at, actor_staff_id, actor_label, client_addr, action,
                entity_type, entity_id, details, prev_hash, hash, mac_key) VALUES {}",
            crate::batch::placeholders(chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(&sql);
        for (chain, seq, change, details, prev, mac) in chunk {
            query = query
                .bind(change.la.map(|l| l.0))
                .bind(*chain)
                .bind(*seq)
                .bind(now.clone())
                .bind(staff_id)
                .bind(label.clone())
                .bind(client.clone())
                .bind(change.action.to_owned())
                .bind(change.entity_type.to_owned())
                .bind(change.entity_id)
                .bind(details.clone())
                .bind(prev.clone())
                .bind(mac.clone())
                .bind(fingerprint.clone());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

const EVENT_COLUMNS: &str = "id, la_id, chain, seq, occurred_at, actor_staff_id, actor_label, client_addr, action, \
    entity_type, entity_id, details, prev_hash, hash, mac_key";

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
    /// The event's row id (0 for an anchor the chain no longer has).
    pub event_id: i64,
    /// The event's number in its chain.
    pub seq: i64,
    pub problem: String,
}

/// The newest event of one chain, for anchoring it outside the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    /// The LA's id (0 for events of no LA).
    pub chain: i64,
    /// The LA's code, when the chain is an LA's.
    pub la_code: Option<String>,
    pub seq: i64,
    pub mac: String,
}

impl AuditHead {
    /// One line: `audit-head chain=3 la=990 seq=5012 mac=…`, as `audit head`
    /// prints and the server logs.
    pub fn line(&self) -> String {
        format!(
            "audit-head chain={} la={} seq={} mac={}",
            self.chain,
            self.la_code.as_deref().unwrap_or("-"),
            self.seq,
            self.mac
        )
    }

    /// Every anchor in `text` (lines from `audit head` or from the server's
    /// log, which may carry other words around them); the latest per chain
    /// need not be last, as all are checked.
    pub fn parse_all(text: &str) -> Vec<AuditHead> {
        text.lines()
            .filter_map(|line| {
                let start = line.find("audit-head ")?;
                let mut head = AuditHead { chain: -1, la_code: None, seq: -1, mac: String::new() };
                // Values end at the first character that cannot be part of
                // them, so quotes and braces around a JSON log line do no harm.
                let word_of =
                    |v: &str| -> String { v.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect() };
                for word in line[start..].split_whitespace() {
                    match word.split_once('=') {
                        Some(("chain", v)) => head.chain = word_of(v).parse().ok()?,
                        Some(("la", v)) => head.la_code = Some(word_of(v)).filter(|v| v != "-"),
                        Some(("seq", v)) => head.seq = word_of(v).parse().ok()?,
                        Some(("mac", v)) => head.mac = word_of(v),
                        _ => {}
                    }
                }
                (head.chain >= 0 && head.seq > 0 && head.mac.len() == 64).then_some(head)
            })
            .collect()
    }
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

    /// The newest event of every chain: its LA, number and MAC. Written
    /// somewhere the database cannot reach, these anchor the chains, so a
    /// trail cut short or rewritten from the end shows.
    pub async fn audit_heads(&self) -> Result<Vec<AuditHead>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.chain, a.seq, a.hash, l.code FROM audit_events a
             LEFT JOIN local_authorities l ON l.id = a.chain
             WHERE a.seq = (SELECT MAX(seq) FROM audit_events b WHERE b.chain = a.chain)
             ORDER BY a.chain",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditHead { chain: r.try_get(0)?, seq: r.try_get(1)?, mac: r.try_get(2)?, la_code: r.try_get(3)? })
            })
            .collect()
    }

    /// Re-computes every chain with `keys` (the current key first, then any
    /// earlier ones) and lists every break, and every anchor the chains no
    /// longer reach or no longer agree with.
    pub async fn verify_audit_chains(
        &self,
        keys: &[AuditKey],
        anchors: &[AuditHead],
    ) -> Result<ChainReport, StoreError> {
        let rows = sqlx::query(&format!("SELECT {EVENT_COLUMNS} FROM audit_events ORDER BY chain, seq"))
            .fetch_all(&self.pool)
            .await?;
        let by_fingerprint: HashMap<String, &AuditKey> = keys.iter().map(|k| (k.fingerprint(), k)).collect();
        let mut report = ChainReport { chains: 0, events: rows.len(), breaks: Vec::new() };
        // Per chain: (last seq, last MAC, whether a keyed event has been seen).
        let mut current: Option<(i64, i64, String, bool)> = None;
        let mut seen: HashMap<(i64, i64), String> = HashMap::new();
        for r in &rows {
            let chain: i64 = r.try_get("chain")?;
            let id: i64 = r.try_get("id")?;
            let seq: i64 = r.try_get::<Option<i64>, _>("seq")?.unwrap_or(0);
            let prev_hash: Option<String> = r.try_get("prev_hash")?;
            let hash: Option<String> = r.try_get("hash")?;
            let mac_key: String = r.try_get::<Option<String>, _>("mac_key")?.unwrap_or_default();
            let mut broken = |problem: String| report.breaks.push(ChainBreak { chain, event_id: id, seq, problem });
            let (Some(prev_hash), Some(hash)) = (prev_hash, hash) else {
                broken("the event has no MAC".into());
                continue;
            };
            if current.as_ref().map(|(c, ..)| *c) != Some(chain) {
                report.chains += 1;
                current = Some((chain, 0, GENESIS.to_owned(), false));
            }
            let (_, last_seq, last_mac, keyed) = current.clone().expect("set above");
            if seq != last_seq + 1 {
                broken(format!("event {} is missing", last_seq + 1));
            }
            if prev_hash != last_mac {
                broken("the event before it is missing or was changed".into());
            }
            let details: String = r.try_get("details")?;
            let client: Option<String> = r.try_get("client_addr")?;
            let (occurred_at, label, action, entity_type): (String, String, String, String) =
                (r.try_get("occurred_at")?, r.try_get("actor_label")?, r.try_get("action")?, r.try_get("entity_type")?);
            let content = Content {
                chain,
                seq,
                occurred_at: &occurred_at,
                staff: r.try_get("actor_staff_id")?,
                label: &label,
                client: client.as_deref(),
                action: &action,
                entity_type: &entity_type,
                entity_id: r.try_get("entity_id")?,
                details: &details,
                prev_hash: &prev_hash,
            };
            let now_keyed = if mac_key == LEGACY {
                if keyed {
                    broken("an unkeyed event after keyed ones: it was written or rewritten without the key".into());
                } else if content.legacy_hash() != hash {
                    broken("the event was changed after it was written".into());
                }
                keyed
            } else {
                match by_fingerprint.get(&mac_key) {
                    Some(key) if content.mac(key) == hash => {}
                    Some(_) => broken("the event was changed after it was written".into()),
                    None => broken(format!("signed with a key this check was not given (fingerprint {mac_key})")),
                }
                true
            };
            seen.insert((chain, seq), hash.clone());
            current = Some((chain, seq, hash, now_keyed));
        }
        for anchor in anchors {
            match seen.get(&(anchor.chain, anchor.seq)) {
                Some(mac) if *mac == anchor.mac => {}
                Some(_) => report.breaks.push(ChainBreak {
                    chain: anchor.chain,
                    event_id: 0,
                    seq: anchor.seq,
                    problem: "the event disagrees with the anchor taken earlier: the chain was rewritten".into(),
                }),
                None => report.breaks.push(ChainBreak {
                    chain: anchor.chain,
                    event_id: 0,
                    seq: anchor.seq,
                    problem: "the chain no longer reaches the anchor taken earlier: events were removed".into(),
                }),
            }
        }
        Ok(report)
    }
}
