//! One error type for handlers, and one mapping from every error to a
//! response: a GOV.UK error page for people, a JSON body for `/api/v1`
//! (drawn by `middleware::render_error_pages` from the [`ErrorPage`] marker).
//! Details go to the log (never personal data); users see a plain page with
//! a reference.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
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

/// Marks a response whose body should be replaced by the error page (or the
/// API's JSON error); the middleware draws it with the request's reference.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub kind: ErrorKind,
    /// What went wrong, in words safe to show the person who asked.
    pub detail: Option<String>,
}

impl ErrorPage {
    pub fn new(status: StatusCode, kind: ErrorKind) -> ErrorPage {
        ErrorPage { status, kind, detail: None }
    }

    /// A response carrying this marker.
    pub fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// Which error page to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    Unauthorized,
    Forbidden,
    FormExpired,
    TooLarge,
    /// Someone else saved first, or the thing already exists.
    Conflict,
    /// The request was understood but its content cannot be accepted.
    Invalid,
    TimedOut,
    Unavailable,
    ServerError,
}

impl ErrorKind {
    /// The heading of the page and its paragraphs.
    pub fn words(self) -> (&'static str, &'static [&'static str]) {
        match self {
            ErrorKind::NotFound => (
                "Page not found",
                &[
                    "If you typed the web address, check it is correct.",
                    "If you pasted the web address, check you copied the entire address.",
                ],
            ),
            ErrorKind::Unauthorized => ("Sign in to continue", &["Sign in, then try again."]),
            ErrorKind::Forbidden => (
                "You cannot see this page",
                &["Your role does not include this part of the service. If you need it for your work, ask your team manager."],
            ),
            ErrorKind::FormExpired => (
                "Sorry, that form could not be sent",
                &["The form was out of date or came from another website. Go back, reload the page and try again."],
            ),
            ErrorKind::TooLarge => ("The file or form is too large", &["Go back and send something smaller."]),
            ErrorKind::Conflict => (
                "Someone else changed this first",
                &["Nothing you entered was saved. Go back, reload the page to see the latest version, then make your change again."],
            ),
            ErrorKind::Invalid => ("There is a problem with what was sent", &["Go back, correct it and try again."]),
            ErrorKind::TimedOut => (
                "Sorry, that took too long",
                &["The service is busy. Check whether what you were saving was saved before you try again."],
            ),
            ErrorKind::Unavailable => (
                "Sorry, the service is unavailable",
                &["The service cannot reach its database at the moment. Try again in a few minutes.", "Nothing you had saved has been lost."],
            ),
            ErrorKind::ServerError => (
                "Sorry, there is a problem with the service",
                &["Try again later.", "If you were saving something, check whether it was saved before you enter it again."],
            ),
        }
    }
}

/// One problem in the API's error body.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiProblem {
    /// The field at fault, when there is one.
    pub field: Option<String>,
    pub message: String,
}

/// The API's error body: `{"errors": [{"field": ..., "message": ...}]}`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiErrors {
    pub errors: Vec<ApiProblem>,
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

    /// The status, page and words for this error.
    fn page(&self) -> ErrorPage {
        use StoreError as S;
        let (status, kind, detail) = match self {
            AppError::NotFound | AppError::Store(S::NotFound { .. }) => {
                (StatusCode::NOT_FOUND, ErrorKind::NotFound, None)
            }
            AppError::Store(e @ (S::Conflict { .. } | S::Duplicate { .. })) => {
                (StatusCode::CONFLICT, ErrorKind::Conflict, Some(e.to_string()))
            }
            AppError::Store(e @ S::AccountDisabled) => {
                (StatusCode::FORBIDDEN, ErrorKind::Forbidden, Some(e.to_string()))
            }
            AppError::Store(S::Invalid(message)) => {
                (StatusCode::UNPROCESSABLE_ENTITY, ErrorKind::Invalid, Some(message.clone()))
            }
            AppError::Store(
                S::Unavailable { .. }
                | S::CannotWrite(_)
                | S::Interrupted
                | S::Database(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed),
            ) => (StatusCode::SERVICE_UNAVAILABLE, ErrorKind::Unavailable, None),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, ErrorKind::ServerError, None),
        };
        ErrorPage { status, kind, detail }
    }
}

fn kind_of(e: &sqlx::Error) -> &'static str {
    match e {
        sqlx::Error::PoolTimedOut => "pool timed out",
        sqlx::Error::PoolClosed => "pool closed",
        sqlx::Error::Io(_) => "i/o",
        sqlx::Error::RowNotFound => "row not found",
        sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => "decode",
        sqlx::Error::BeginFailed => "begin failed",
        sqlx::Error::Protocol(_) => "protocol",
        sqlx::Error::WorkerCrashed => "worker crashed",
        _ => "other",
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let page = self.page();
        if page.status.is_server_error() {
            tracing::error!(error = %self.loggable(), "request failed");
        }
        page.into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_map_to_the_status_a_client_can_act_on() {
        let status = |e: StoreError| AppError::from(e).page().status;
        assert_eq!(status(StoreError::Conflict { what: "The settings" }), StatusCode::CONFLICT);
        assert_eq!(status(StoreError::Duplicate { what: "That share" }), StatusCode::CONFLICT);
        assert_eq!(status(StoreError::Invalid("Enter a name".into())), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(status(StoreError::NotFound { what: "Young person" }), StatusCode::NOT_FOUND);
        assert_eq!(status(StoreError::CannotWrite("locked")), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(status(StoreError::Interrupted), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(status(StoreError::Corrupt("x".into())), StatusCode::INTERNAL_SERVER_ERROR);
        let conflict = AppError::from(StoreError::Conflict { what: "The settings" }).page();
        assert_eq!(conflict.detail.as_deref(), Some("The settings: someone else saved a change since you opened this"));
    }
}
