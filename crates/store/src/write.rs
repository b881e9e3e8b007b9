//! The one write path: every change to the database goes through
//! [`Store::write`], which
//!
//! 1. runs in a task of its own, so a caller that stops waiting (a client
//!    that hangs up, a request timeout) cannot stop it half-way: it commits
//!    or rolls back, and its connection goes back to the pool outside any
//!    transaction (ADR 0005);
//! 2. begins the right kind of transaction for the backend ([`Store::begin_write`]);
//! 3. appends the audit records the change returns, in the same transaction;
//! 4. commits only when there is at least one audit record, so nothing is
//!    ever saved without saying who changed what.

use crate::audit::{self, Actor, Change};
use crate::{Store, StoreError};
use sqlx::AnyConnection;
use std::future::Future;
use std::pin::Pin;

/// A future borrowed from the write transaction.
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a change returns: its value and the audit records that describe it.
pub(crate) struct Written<T> {
    pub value: T,
    pub changes: Vec<Change>,
}

impl<T> Written<T> {
    pub fn new(value: T, change: Change) -> Written<T> {
        Written { value, changes: vec![change] }
    }

    pub fn many(value: T, changes: Vec<Change>) -> Written<T> {
        Written { value, changes }
    }
}

impl Store {
    /// Runs `change` in a write transaction of its own task, records its
    /// audit records as `actor` and commits. A change that returns no audit
    /// record is rolled back; an error rolls everything back.
    pub(crate) async fn write<T, F>(&self, actor: &Actor, change: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<Written<T>, StoreError>> + Send + 'static,
    {
        let store = self.clone();
        let actor = actor.clone();
        let task = tokio::spawn(async move {
            let key = store.audit_key.clone().ok_or(StoreError::NoAuditKey)?;
            let mut tx = store.begin_write().await?;
            let outcome = change(&mut tx).await;
            match outcome {
                Ok(Written { value, changes }) if !changes.is_empty() => {
                    audit::record_many(&mut tx, store.backend, &key, &actor, changes).await?;
                    tx.commit().await?;
                    Ok(value)
                }
                Ok(Written { value, .. }) => {
                    tx.rollback().await?;
                    Ok(value)
                }
                Err(e) => {
                    tx.rollback().await?;
                    Err(e)
                }
            }
        });
        match task.await {
            Ok(result) => result,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Err(StoreError::Interrupted),
        }
    }
}

/// Why an update `WHERE ... AND version = $n` changed nothing: the row is
/// there at another version (a stale form: [`StoreError::Conflict`]) or not
/// there for this LA and, when given, this young person (`NotFound`).
pub(crate) async fn missing_or_stale(
    conn: &mut AnyConnection,
    table: &'static str,
    la: crate::LaId,
    id: i64,
    person: Option<crate::YoungPersonId>,
    (stale, missing): (&'static str, &'static str),
) -> StoreError {
    let person_clause = if person.is_some() { "AND young_person_id = $3" } else { "" };
    let sql = format!("SELECT id FROM {table} WHERE la_id = $1 AND id = $2 {person_clause}");
    let found = sqlx::query(&sql).bind(la.0).bind(id);
    let found = match person {
        Some(p) => found.bind(p.0),
        None => found,
    };
    match found.fetch_optional(&mut *conn).await {
        Ok(Some(_)) => StoreError::Conflict { what: stale },
        Ok(None) => StoreError::NotFound { what: missing },
        Err(e) => e.into(),
    }
}
