//! Fresh, migrated databases for tests, on either backend.
//!
//! PostgreSQL tests need `STAYING_CLOSE_TEST_POSTGRES_URL`, a URL for a role
//! that may create databases (`make test` sets it). Each test gets its own
//! new database, so tests never see each other's rows.

use crate::{Backend, ConnectOptions, DatabaseUrl, Store};
use sqlx::{Connection, Executor};

pub const POSTGRES_URL_VAR: &str = "STAYING_CLOSE_TEST_POSTGRES_URL";

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
    let store = Store::connect(&url, &ConnectOptions::default()).await.expect("connect to the test database");
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
