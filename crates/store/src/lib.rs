//! Storage for Staying Close: one repository layer over SQLite and PostgreSQL.
//!
//! The backend is chosen from the database URL at start-up. Every query is
//! written once in portable SQL and runs through sqlx's `Any` driver, so both
//! backends share one code path (see `docs/adr/0002-storage.md`).
//! Every tenant-owned query takes the caller's [`LaId`] and filters on it.

mod advocacy;
mod allocations;
mod allowance;
mod audit;
mod audit_key;
mod auth;
mod batch;
mod celebrations;
mod cohort;
mod contact_months;
mod contacts;
mod database_url;
mod dataset;
mod eet;
mod error;
mod funding;
mod groups;
mod health;
mod held_imports;
mod housing;
mod import_903;
mod las;
mod migrations;
mod oc3;
mod offer;
mod parents;
mod passwords;
mod periods;
mod plans;
mod pool_guard;
mod refusals;
mod reports;
mod secrets;
mod sharing;
mod staff;
mod statutory;
mod team;
mod text;
mod trusted_person;
mod write;
mod young_people;
mod young_person_record;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use advocacy::StoredReferral;
pub use allocations::{Allocations, StoredAllocation};
pub use allowance::StoredSpend;
pub use audit::{Actor, AuditEvent, AuditFilter, AuditHead, ChainBreak, ChainReport};
pub use audit_key::{AuditKey, AuditKeyError};
pub use auth::{
    ApiToken, Reauthenticated, SecondFactorCheck, Session, SessionStage, SessionSummary, SignIn, ABSOLUTE_TIMEOUT,
    IDLE_TIMEOUT, MAX_SESSIONS,
};
pub use celebrations::{CalendarPerson, StoredFestival, StoredTask};
pub use cohort::{AdviserFilter, CohortLine, CohortPage, CohortQuery, CohortSort};
pub use contacts::{
    next_birthday, Birthday, Caseload, ContactId, DueVisit, OpenFollowUp, StoredContact, VisitSchedule,
};
pub use database_url::{Backend, DatabaseUrl, DatabaseUrlError};
pub use dataset::{DatasetLaSummary, DatasetSummary};
pub use eet::{EetCohortMember, StoredActivity, StoredEetIntervention};
pub use error::StoreError;
pub use groups::{Attendee, StoredEvent};
pub use health::HealthRecords;
pub use held_imports::{ImportFiles, HOLD_LIFETIME};
pub use housing::{StoredIntervention, StoredLet, StoredOccupancy, StoredStay};
pub use import_903::ImportSummary;
pub use las::{La, LaChanges, LaId};
pub use oc3::Oc3Source;
pub use offer::{LatestOfferReview, StoredOfferItem};
pub use parents::{ParentRecord, ParentRecords};
pub use passwords::verify_password;
pub use plans::{DueReview, Plan, PlanId, PlanVersion};
pub use refusals::REFUSAL_WINDOW;
pub use reports::{MonthRate, ReportRecord};
pub use secrets::sha256_hex;
pub use staff::{NewStaff, Staff, StaffId};
pub use statutory::{AssessmentOwed, StoredAssessment, SupportGiven};
pub use trusted_person::StoredMatch;
pub use young_people::{display_name, Closure, CohortRow, Details, NewYoungPerson, Viewer, YoungPerson, YoungPersonId};

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use sqlx::Executor;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How long an SQLite statement waits for another connection's write lock.
const BUSY_TIMEOUT_MS: u64 = 5000;

/// A handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Connections that came back to the pool inside a transaction (ADR 0005).
    rolled_back_on_release: Arc<AtomicU64>,
    /// Refused requests lately, so repeats are counted rather than each recorded.
    refusals: Arc<refusals::RecentRefusals>,
    /// The key that signs the audit trail; nothing is written without it.
    audit_key: Option<Arc<AuditKey>>,
}

/// How to open the database.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub max_connections: u32,
    /// How long to wait for the database before giving up.
    pub connect_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions { max_connections: 8, connect_timeout: Duration::from_secs(5) }
    }
}

impl Store {
    /// Opens the database named by `url` and checks that it answers.
    /// SQLite files (and their folder) are created when missing.
    pub async fn connect(url: &DatabaseUrl, options: &ConnectOptions) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = url.backend();
        if let Some(folder) = url.sqlite_folder() {
            std::fs::create_dir_all(&folder)
                .map_err(|source| StoreError::DataFolder { folder: folder.display().to_string(), source })?;
        }
        let unavailable = |source: sqlx::Error| StoreError::Unavailable { url: url.redacted(), source };
        let max = if backend == Backend::Sqlite { options.max_connections.min(4) } else { options.max_connections };
        let rolled_back_on_release = Arc::new(AtomicU64::new(0));
        let counter = rolled_back_on_release.clone();
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(options.connect_timeout)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            format!(
                                "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                                 PRAGMA synchronous = FULL; PRAGMA busy_timeout = {BUSY_TIMEOUT_MS};"
                            )
                            .as_str(),
                        )
                        .await?;
                    } else {
                        // The service's queries are short: compiling one with
                        // JIT (on by default when a plan looks costly) took
                        // longer than running it, 210 ms of a 314 ms report
                        // statement (docs/perf.md).
                        conn.execute("SET jit = off").await?;
                    }
                    Ok(())
                })
            })
            .after_release(move |conn, _meta| {
                let counter = counter.clone();
                Box::pin(async move { Ok(pool_guard::outside_any_transaction(conn, backend, &counter).await) })
            })
            .connect(&url.connection_string())
            .await
            .map_err(unavailable)?;
        let store = Store { pool, backend, rolled_back_on_release, refusals: Arc::default(), audit_key: None };
        store.ping().await.map_err(|e| match e {
            StoreError::Database(source) => unavailable(source),
            other => other,
        })?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The token a pre-session form carries for the form cookie's `nonce`:
    /// its MAC under the service's secret key (empty without a key, which
    /// matches nothing).
    pub fn bind_form_nonce(&self, nonce: &str) -> String {
        match &self.audit_key {
            Some(key) => key.mac(&format!("pre-session form token:{nonce}")),
            None => String::new(),
        }
    }

    /// This store, signing the audit trail with `key` (ADR 0003).
    pub fn with_audit_key(mut self, key: AuditKey) -> Store {
        self.audit_key = Some(Arc::new(key));
        self
    }

    /// How many connections have come back to the pool inside a transaction
    /// and been rolled back since start-up: always 0 unless something went
    /// wrong (ADR 0005).
    pub fn connections_rolled_back(&self) -> u64 {
        self.rolled_back_on_release.load(Ordering::Relaxed)
    }

    /// Applies any migrations not yet applied. Safe to run from several
    /// instances at once on PostgreSQL (they queue on an advisory lock).
    pub async fn migrate(&self) -> Result<Vec<i64>, StoreError> {
        let applied = migrations::run(&self.pool, self.backend).await?;
        if applied.contains(&migrations::CONTACT_MONTHS) {
            // The table starts empty: count the contacts already recorded.
            self.recount_contact_months().await?;
        }
        Ok(applied)
    }

    /// The versions of the migrations this build knows about, with whether each is applied.
    pub async fn migration_status(&self) -> Result<Vec<(i64, &'static str, bool)>, StoreError> {
        migrations::status(&self.pool).await
    }

    /// Starts a transaction that will write. On SQLite it takes the write
    /// lock at once (`BEGIN IMMEDIATE`), so a transaction that reads before it
    /// writes can never fail part-way because another connection wrote first.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Whether the database takes writes now: whether the lock every change
    /// needs (SQLite's write lock; on PostgreSQL the audit trail's, which a
    /// read-only server refuses) can be had within `within`. Runs in a task
    /// of its own, so giving up waiting never leaves a transaction open.
    pub async fn can_write(&self, within: Duration) -> Result<(), StoreError> {
        let store = self.clone();
        let probe = tokio::spawn(async move { store.write_probe(within).await });
        match tokio::time::timeout(within, probe).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(StoreError::Interrupted),
            Err(_) => Err(StoreError::CannotWrite("no answer in time")),
        }
    }

    async fn write_probe(&self, within: Duration) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        match self.backend {
            Backend::Sqlite => {
                let wait = within.as_millis().clamp(1, 60_000);
                conn.execute(format!("PRAGMA busy_timeout = {wait}").as_str()).await?;
                let locked = conn.execute("BEGIN IMMEDIATE").await;
                let released = match locked {
                    Ok(_) => conn.execute("ROLLBACK").await.map(|_| ()),
                    Err(_) => Ok(()),
                };
                // The connection goes back to the pool with its usual patience.
                conn.execute(format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}").as_str()).await?;
                released?;
                locked.map(|_| ()).map_err(|_| StoreError::CannotWrite("another connection holds the write lock"))
            }
            Backend::Postgres => {
                // The lock every change takes to write its audit record; it
                // fails at once on a read-only server.
                let wait = within.as_millis().clamp(1, 60_000);
                conn.execute("BEGIN").await?;
                let locked = async {
                    conn.execute(format!("SET LOCAL lock_timeout = {wait}").as_str()).await?;
                    conn.execute("LOCK TABLE audit_events IN ROW EXCLUSIVE MODE").await
                }
                .await;
                conn.execute("ROLLBACK").await?;
                locked.map(|_| ()).map_err(|_| StoreError::CannotWrite("the audit trail cannot be written to"))
            }
        }
    }

    /// Reads an integer SQLite pragma on one of the pool's connections.
    pub async fn pragma(&self, name: &str) -> Result<i64, StoreError> {
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(StoreError::Invalid(format!("not a pragma name: {name}")));
        }
        let row = sqlx::query(&format!("PRAGMA {name}")).fetch_one(&self.pool).await?;
        Ok(sqlx::Row::try_get(&row, 0)?)
    }

    /// Drops the triggers that keep the audit trail append-only, as an
    /// attacker with the database's owner account could, for tests of what
    /// verification then finds.
    #[cfg(any(test, feature = "testing"))]
    pub async fn drop_audit_guards(&self) -> Result<(), StoreError> {
        let sql = match self.backend {
            Backend::Sqlite => "DROP TRIGGER audit_events_are_not_changed; DROP TRIGGER audit_events_are_not_deleted;",
            Backend::Postgres => {
                "DROP TRIGGER audit_events_append_only ON audit_events; \
                 DROP TRIGGER audit_events_not_truncated ON audit_events;"
            }
        };
        sqlx::raw_sql(sql).execute(&self.pool).await?;
        Ok(())
    }

    /// Runs raw SQL, for tests that must tamper with stored data.
    #[cfg(any(test, feature = "testing"))]
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        Ok(sqlx::query(sql).execute(&self.pool).await?.rows_affected())
    }

    /// Leaves a transaction open on a pooled connection holding the write
    /// lock, as a cancelled `begin` can: `tracked` as the driver's own
    /// transaction whose guard was lost, else one the driver never saw.
    #[cfg(any(test, feature = "testing"))]
    pub async fn leak_transaction(&self, tracked: bool) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        let lock = match self.backend {
            Backend::Sqlite => "INSERT INTO schema_migrations (version, description, checksum, applied_at) SELECT -1, 'x', 'x', 'x' WHERE 0",
            Backend::Postgres => "LOCK TABLE audit_events IN EXCLUSIVE MODE",
        };
        if tracked {
            let begin = match self.backend {
                Backend::Sqlite => "BEGIN IMMEDIATE",
                Backend::Postgres => "BEGIN",
            };
            let mut tx = sqlx::Connection::begin_with(&mut *conn, begin).await?;
            sqlx::query(lock).execute(&mut *tx).await?;
            std::mem::forget(tx);
        } else {
            let begin = match self.backend {
                Backend::Sqlite => "BEGIN IMMEDIATE",
                Backend::Postgres => "BEGIN",
            };
            conn.execute(begin).await?;
            conn.execute(lock).await?;
        }
        Ok(())
    }

    /// Waits for in-flight queries and closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
