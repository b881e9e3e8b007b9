//! One error type for handlers. Details go to the log (never personal
//! data); users see a plain GOV.UK-style page with a reference.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use staying_close_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
}

/// Marks a response whose body should be replaced by the error page; the
/// error-page middleware renders it with the request's reference.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage(pub StatusCode, pub ErrorKind);

/// Which error page to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    Forbidden,
    FormExpired,
    TooLarge,
    Unavailable,
    ServerError,
}

impl AppError {
    /// A description safe for logs: database messages can quote the values
    /// that broke a constraint, so only their code and constraint are kept.
    fn loggable(&self) -> String {
        match self {
            AppError::Store(StoreError::Database(sqlx::Error::Database(db))) => format!(
                "database error code {} constraint {}",
                db.code().unwrap_or_default(),
                db.constraint().unwrap_or("-")
            ),
            AppError::Store(StoreError::Database(other)) => {
                format!("database error: {}", kind_of(other))
            }
            other => other.to_string(),
        }
    }
}

fn kind_of(e: &sqlx::Error) -> &'static str {
    match e {
        sqlx::Error::PoolTimedOut => "pool timed out",
        sqlx::Error::PoolClosed => "pool closed",
        sqlx::Error::Io(_) => "i/o",
        sqlx::Error::RowNotFound => "row not found",
        sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => "decode",
        _ => "other",
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, kind) = match &self {
            AppError::NotFound | AppError::Store(StoreError::NotFound { .. }) => {
                (StatusCode::NOT_FOUND, ErrorKind::NotFound)
            }
            AppError::Store(StoreError::Unavailable { .. })
            | AppError::Store(StoreError::Database(sqlx::Error::PoolTimedOut)) => {
                (StatusCode::SERVICE_UNAVAILABLE, ErrorKind::Unavailable)
            }
            _ => (StatusCode::INTERNAL_SERVER_ERROR, ErrorKind::ServerError),
        };
        if status.is_server_error() {
            tracing::error!(error = %self.loggable(), "request failed");
        }
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage(status, kind));
        response
    }
}
