//! The pool's last line of defence (ADR 0005): a connection that comes back
//! to the pool inside a transaction is rolled back, or closed when that fails,
//! so the next borrower never runs inside someone else's transaction and an
//! abandoned SQLite write lock is always released.
//!
//! The one write path already runs every transaction to completion in a task
//! of its own; this catches what no code path should leave behind, including
//! a driver that loses track of a `BEGIN` cancelled half-way.

use crate::Backend;
use sqlx::{AnyConnection, Connection, Database, Executor, Row, TransactionManager};
use std::sync::atomic::{AtomicU64, Ordering};

/// Whether the connection may go back into the pool: `true` once it is
/// outside any transaction, `false` to close it.
/// Each rollback is counted in `rolled_back`.
pub(crate) async fn outside_any_transaction(
    conn: &mut AnyConnection,
    backend: Backend,
    rolled_back: &AtomicU64,
) -> bool {
    // A transaction the driver knows about whose guard was lost (a cancelled
    // `begin` whose answer arrived after nobody was waiting for it).
    while conn.is_in_transaction() {
        tracing::warn!("a pooled connection came back inside a transaction; rolling it back");
        rolled_back.fetch_add(1, Ordering::Relaxed);
        if <sqlx::Any as Database>::TransactionManager::rollback(conn).await.is_err() {
            return false;
        }
    }
    // A transaction the driver does not know about.
    match backend {
        Backend::Sqlite => match conn.execute("ROLLBACK").await {
            Ok(_) => {
                tracing::warn!("a pooled connection came back inside a transaction; rolled it back");
                rolled_back.fetch_add(1, Ordering::Relaxed);
                true
            }
            Err(sqlx::Error::Database(db)) if db.message().contains("no transaction is active") => true,
            Err(_) => false,
        },
        Backend::Postgres => {
            // Documented: the two timestamps are equal exactly when the
            // statement is the first of its transaction, which, outside an
            // explicit transaction block, every statement is. Sent as one
            // simple-protocol message: with a prepared statement the
            // transaction starts at the Parse message, before the statement's
            // own clock does.
            let inside = conn
                .fetch_one(sqlx::raw_sql(
                    "SELECT CAST(CASE WHEN transaction_timestamp() = statement_timestamp() THEN 0 ELSE 1 END AS BIGINT)",
                ))
                .await
                .and_then(|row| row.try_get::<i64, _>(0));
            match inside {
                Ok(0) => true,
                // Inside a transaction, or in a failed one that refuses every query.
                _ => {
                    tracing::warn!("a pooled connection came back inside a transaction; rolling it back");
                    rolled_back.fetch_add(1, Ordering::Relaxed);
                    conn.execute("ROLLBACK").await.is_ok()
                }
            }
        }
    }
}
