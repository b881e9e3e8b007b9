//! A member of staff's own account: changing their password, and seeing and
//! ending their sessions.

use crate::components::{Cell, Heading, Part, Table};
use crate::forms::Errors;
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::sign_in::too_many_attempts;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use staying_close_domain::people::Password;
use staying_close_store::Reauthenticated;

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    /// Set once the password has changed: how many other sessions ended.
    changed: Option<u64>,
}

#[derive(Deserialize)]
pub struct Changed {
    #[serde(default)]
    ended: Option<u64>,
}

#[derive(Deserialize)]
pub struct NewPassword {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

fn password_page(user: &CurrentUser, errors: Errors, changed: Option<u64>) -> Result<Response, AppError> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = PasswordPage {
        page: Chrome::for_user(errors.title("Change your password"), user, "/account/tokens"),
        errors,
        csrf_token: user.csrf_token(),
        changed,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show_password(
    Extension(user): Extension<CurrentUser>,
    Query(done): Query<Changed>,
) -> Result<Response, AppError> {
    password_page(&user, Errors::default(), done.ended)
}

pub async fn change_password(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Form(form): Form<NewPassword>,
) -> Result<Response, AppError> {
    let mut errors = Errors::default();
    if form.current.is_empty() {
        errors.add("current", "Enter your current password");
    }
    let new = match Password::parse(&form.password) {
        Ok(p) => Some(p),
        Err(e) => {
            errors.add("password", e.to_string());
            None
        }
    };
    if form.confirm != form.password {
        errors.add("confirm", "The new passwords do not match");
    }
    let (Some(new), true) = (new, errors.is_empty()) else {
        return password_page(&user, errors, None);
    };
    let session = user.session.as_ref().map(|s| s.token.clone()).unwrap_or_default();
    match state
        .store
        .change_password(&user.staff, &session, &form.current, &new, &user.actor(), &user.client_addr)
        .await?
    {
        Reauthenticated::Done(other_sessions_ended) => {
            Ok(Redirect::to(&format!("/account/password?ended={other_sessions_ended}")).into_response())
        }
        Reauthenticated::WrongPassword => {
            errors.add("current", "Your current password is not right");
            password_page(&user, errors, None)
        }
        Reauthenticated::Throttled { retry_after_seconds } => {
            errors.add("current", too_many_attempts(retry_after_seconds));
            password_page(&user, errors, None)
        }
    }
}

#[derive(Template)]
#[template(path = "sessions.html")]
struct SessionsPage {
    page: Chrome,
    errors: Errors,
    sessions: Table,
    others: usize,
    csrf_token: String,
    ended: Option<u64>,
}

#[derive(Deserialize)]
pub struct Ended {
    #[serde(default)]
    ended: Option<u64>,
}

/// "2026-11-23T11:08:35Z" → "23 Nov 2026, 11:08 (UTC)".
fn when(instant: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(instant)
        .map(|t| t.format("%-d %b %Y, %H:%M (UTC)").to_string())
        .unwrap_or_else(|_| instant.to_owned())
}

pub async fn show_sessions(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(done): Query<Ended>,
) -> Result<Response, AppError> {
    sessions_page(&state, &user, Errors::default(), done.ended).await
}

async fn sessions_page(
    state: &AppState,
    user: &CurrentUser,
    errors: Errors,
    ended: Option<u64>,
) -> Result<Response, AppError> {
    let session = user.session.as_ref().map(|s| s.token.as_str()).unwrap_or_default();
    let all = state.store.sessions_of(user.staff.id, session).await?;
    let headings =
        ["Signed in", "Last used", "From"].map(Heading::new).into_iter().chain([Heading::hidden("This one")]);
    let mut sessions = Table::new("Your sessions", headings.collect()).with_visible_caption();
    for s in &all {
        let this = if s.current { Part::tag("This session", "blue").into() } else { Cell::empty() };
        sessions.row(vec![
            Cell::text(when(&s.created_at)),
            Cell::text(when(&s.last_seen_at)),
            Cell::text(s.client_addr.clone().unwrap_or_else(|| "Not known".into())),
            this,
        ]);
    }
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = SessionsPage {
        page: Chrome::for_user(errors.title("Your sessions"), user, "/account/tokens"),
        errors,
        others: all.iter().filter(|s| !s.current).count(),
        sessions,
        csrf_token: user.csrf_token(),
        ended,
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Deserialize)]
pub struct EndOthers {
    #[serde(default)]
    password: String,
}

/// Ends the person's other sessions once they type their password again, so
/// someone at an unlocked screen cannot shut the owner out elsewhere.
pub async fn end_other_sessions(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Form(form): Form<EndOthers>,
) -> Result<Response, AppError> {
    let mut errors = Errors::default();
    if form.password.is_empty() {
        errors.add("password", "Enter your password");
        return sessions_page(&state, &user, errors, None).await;
    }
    let session = user.session.as_ref().map(|s| s.token.clone()).unwrap_or_default();
    match state
        .store
        .end_other_sessions(&user.staff, &session, &form.password, &user.actor(), &user.client_addr)
        .await?
    {
        Reauthenticated::Done(ended) => Ok(Redirect::to(&format!("/account/sessions?ended={ended}")).into_response()),
        Reauthenticated::WrongPassword => {
            errors.add("password", "Your password is not right");
            sessions_page(&state, &user, errors, None).await
        }
        Reauthenticated::Throttled { retry_after_seconds } => {
            errors.add("password", too_many_attempts(retry_after_seconds));
            sessions_page(&state, &user, errors, None).await
        }
    }
}
