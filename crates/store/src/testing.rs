//! Fresh, migrated databases for tests, on either backend.
//!
//! PostgreSQL tests need `STAYING_CLOSE_TEST_POSTGRES_URL`, a URL for a role
//! that may create databases (`make test` sets it). Each test gets its own
//! new database, so tests never see each other's rows.

use crate::{AuditKey, Backend, ChainReport, ConnectOptions, DatabaseUrl, Store};
use sqlx::{Connection, Executor};

pub const POSTGRES_URL_VAR: &str = "STAYING_CLOSE_TEST_POSTGRES_URL";

/// The audit key of every test database: tests that run the binary hand it
/// over as `STAYING_CLOSE_SECRET_KEY`, so both sign one chain.
pub const AUDIT_KEY_HEX: &str = "5c0ffee05c0ffee05c0ffee05c0ffee05c0ffee05c0ffee05c0ffee05c0ffee0";

pub fn audit_key() -> AuditKey {
    AuditKey::parse(AUDIT_KEY_HEX).expect("a valid test key")
}

/// Verifies every chain with the test key and no anchors.
pub async fn verify(store: &Store) -> ChainReport {
    store.verify_audit_chains(&[audit_key()], &[]).await.expect("verify the audit trail")
}

/// A migrated, empty database that lives as long as this value.
pub struct TestDb {
    pub store: Store,
    pub url: DatabaseUrl,
    _dir: Option<tempfile::TempDir>,
}

pub async fn fresh(backend: Backend) -> TestDb {
    let db = empty(backend).await;
    db.store.migrate().await.expect("migrations apply to a fresh database");
    db
}

/// A fresh database with no migrations applied.
pub async fn empty(backend: Backend) -> TestDb {
    let (url, dir) = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temporary folder");
            (DatabaseUrl::sqlite_file(&dir.path().join("test.db")), Some(dir))
        }
        Backend::Postgres => (new_postgres_database().await, None),
    };
    let store = Store::connect(&url, &ConnectOptions::default())
        .await
        .expect("connect to the test database")
        .with_audit_key(audit_key());
    TestDb { store, url, _dir: dir }
}

/// The admin URL for PostgreSQL tests; fails loudly when it is missing, so a
/// run can never pass by skipping a backend.
pub fn postgres_admin_url() -> String {
    std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
        panic!("{POSTGRES_URL_VAR} is not set: run `make test`, which starts PostgreSQL and sets it")
    })
}

async fn new_postgres_database() -> DatabaseUrl {
    sqlx::any::install_default_drivers();
    let admin = postgres_admin_url();
    let name = format!("sc_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::AnyConnection::connect(&admin).await.expect("connect to PostgreSQL as the test admin");
    conn.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create a test database");
    conn.close().await.ok();
    let (base, query) = match admin.split_once('?') {
        Some((b, q)) => (b.to_owned(), format!("?{q}")),
        None => (admin.clone(), String::new()),
    };
    let (server, _db) = base.rsplit_once('/').expect("the admin URL names a database");
    DatabaseUrl::parse(&format!("{server}/{name}{query}")).expect("valid test URL")
}

/// Holds the database's write lock from a connection of its own (another
/// process's, as far as the service can tell) until [`WriteLock::release`]:
/// on SQLite `BEGIN IMMEDIATE`; on PostgreSQL an `EXCLUSIVE` lock on the
/// audit trail, which every change writes to.
pub struct WriteLock {
    conn: sqlx::AnyConnection,
}

impl WriteLock {
    pub async fn take(url: &DatabaseUrl) -> WriteLock {
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&url.connection_string()).await.expect("connect");
        match url.backend() {
            Backend::Sqlite => {
                conn.execute("PRAGMA busy_timeout = 10000").await.expect("busy timeout");
                conn.execute("BEGIN IMMEDIATE").await.expect("take the write lock");
            }
            Backend::Postgres => {
                conn.execute("BEGIN").await.expect("begin");
                conn.execute("LOCK TABLE audit_events IN EXCLUSIVE MODE").await.expect("lock the audit trail");
            }
        }
        WriteLock { conn }
    }

    pub async fn release(mut self) {
        self.conn.execute("ROLLBACK").await.expect("release the write lock");
        self.conn.close().await.ok();
    }
}

/// How many of the database's connections, other than the caller's, sit
/// inside a transaction. PostgreSQL says so itself; on SQLite a connection
/// inside a write transaction holds the write lock, so this is 1 when the
/// lock cannot be had within a second and 0 when it can.
pub async fn transactions_left_open(url: &DatabaseUrl) -> i64 {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&url.connection_string()).await.expect("connect");
    let open = match url.backend() {
        Backend::Sqlite => {
            conn.execute("PRAGMA busy_timeout = 1000").await.expect("busy timeout");
            match conn.execute("BEGIN IMMEDIATE").await {
                Ok(_) => {
                    conn.execute("ROLLBACK").await.expect("rollback");
                    0
                }
                Err(_) => 1,
            }
        }
        Backend::Postgres => {
            let row = sqlx::query(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
                   AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'",
            )
            .fetch_one(&mut conn)
            .await
            .expect("count transactions");
            sqlx::Row::try_get::<i64, _>(&row, 0).expect("a count")
        }
    };
    conn.close().await.ok();
    open
}

/// Writes each test body once and runs it on both backends, as
/// `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! backend_tests {
    ($( $(#[$meta:meta])* async fn $name:ident($store:ident : Store) $body:block )*) => {
        $(
            $(#[$meta])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn body($store: $crate::Store) $body

                #[tokio::test]
                async fn sqlite() {
                    let db = $crate::testing::fresh($crate::Backend::Sqlite).await;
                    body(db.store.clone()).await;
                }

                #[tokio::test]
                async fn postgres() {
                    let db = $crate::testing::fresh($crate::Backend::Postgres).await;
                    body(db.store.clone()).await;
                }
            }
        )*
    };
}
