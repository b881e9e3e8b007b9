use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot reach the database at {url}: {source}")]
    Unavailable {
        url: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("cannot create the data folder {folder}: {source}")]
    DataFolder {
        folder: String,
        #[source]
        source: std::io::Error,
    },
    #[error("migration {version} ({description}) has changed since it was applied to this database")]
    MigrationChanged { version: i64, description: &'static str },
    #[error("this database has migration {0}, which this version of Staying Close does not know; upgrade the program")]
    MigrationUnknown(i64),
    #[error("{what}: someone else saved a change since you opened this")]
    Conflict { what: &'static str },
    #[error("{what} already exists")]
    Duplicate { what: &'static str },
    #[error("{what} was not found")]
    NotFound { what: &'static str },
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("the database work was stopped because the service is shutting down")]
    Interrupted,
    #[error("the database cannot take writes: {0}")]
    CannotWrite(&'static str),
    #[error("this account has been disabled")]
    AccountDisabled,
    #[error("no audit key is configured: set STAYING_CLOSE_SECRET_KEY")]
    NoAuditKey,
}

impl StoreError {
    /// Turns a unique-constraint violation into [`StoreError::Duplicate`].
    pub(crate) fn duplicate_as(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |e| match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate { what },
            _ => StoreError::Database(e),
        }
    }

    /// Turns a foreign-key violation (someone named from another LA, where
    /// composite keys carry the LA) into [`StoreError::Invalid`] with `message`.
    pub(crate) fn foreign_key_as(message: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
        move |e| match &e {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::Invalid(message.into()),
            _ => StoreError::Database(e),
        }
    }
}
