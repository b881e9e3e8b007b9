//! Personal API tokens: create (shown once), list, revoke.

use crate::components::{Cell, Heading, Part, Table};
use crate::forms::Errors;
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use staying_close_store::StoreError;

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    page: Chrome,
    errors: Errors,
    tokens: Table,
    new_token: Option<String>,
    name: String,
    days: String,
    csrf_token: String,
    /// When the calendar link was made, if there is one.
    calendar_created: Option<String>,
    /// The new calendar link, shown once.
    new_calendar: Option<String>,
    can_have_calendar: bool,
}

#[derive(Deserialize)]
pub struct NewToken {
    #[serde(default)]
    name: String,
    #[serde(default)]
    days: String,
}

/// "2026-11-23T11:08:35Z" → "23 Nov 2026".
fn day(instant: &str) -> String {
    staying_close_domain::dates::parse_iso(instant.get(..10).unwrap_or_default())
        .map(staying_close_domain::dates::format_uk_short)
        .unwrap_or_default()
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    errors: Errors,
    new_token: Option<String>,
    form: NewToken,
) -> Result<Response, AppError> {
    page_with_calendar(state, user, errors, new_token, form, None).await
}

async fn page_with_calendar(
    state: &AppState,
    user: &CurrentUser,
    errors: Errors,
    new_token: Option<String>,
    form: NewToken,
    new_calendar: Option<String>,
) -> Result<Response, AppError> {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let headings = ["Name", "Starts with", "Created", "Expires", "Status"].map(Heading::new);
    let mut tokens = Table::new("Your tokens", headings.into_iter().chain([Heading::hidden("Action")]).collect())
        .with_visible_caption();
    for t in state.store.api_tokens(user.staff.id).await? {
        let expired = t.expires_at <= now;
        let live = t.revoked_at.is_none() && !expired;
        let status = match (&t.revoked_at, expired) {
            (Some(_), _) => Part::tag("Revoked", "grey"),
            (None, true) => Part::tag("Expired", "grey"),
            (None, false) => Part::tag("Active", "green"),
        };
        let action = if live {
            Cell::from(Part::Button {
                action: format!("/account/tokens/{}/revoke", t.id),
                label: "Revoke",
                hidden: t.name.clone(),
                csrf_token: user.csrf_token(),
            })
        } else {
            Cell::empty()
        };
        tokens.row(vec![
            Cell::text(&t.name),
            Part::Code(t.prefix).into(),
            Cell::text(day(&t.created_at)),
            Cell::text(day(&t.expires_at)),
            status.into(),
            action,
        ]);
    }
    let page = TokensPage {
        page: Chrome::for_user(errors.title("Your account"), user, "/account/tokens"),
        errors,
        tokens,
        new_token,
        name: form.name,
        days: form.days,
        csrf_token: user.csrf_token(),
        calendar_created: state.store.calendar_feed_created(&user.staff).await?.map(|c| day(&c)),
        new_calendar,
        can_have_calendar: user.la.is_some(),
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Response, AppError> {
    page(&state, &user, Errors::default(), None, NewToken { name: String::new(), days: "90".into() }).await
}

pub async fn create(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Form(form): Form<NewToken>,
) -> Result<Response, AppError> {
    let mut errors = Errors::default();
    if form.name.trim().is_empty() {
        errors.add("name", "Enter what the token is for");
    } else if form.name.trim().chars().count() > 60 {
        errors.add("name", "What the token is for must be 60 characters or fewer");
    }
    let days = form.days.trim().parse::<i64>().ok().filter(|d| (1..=365).contains(d));
    if days.is_none() {
        errors.add("days", "Enter a whole number of days from 1 to 365");
    }
    if !errors.is_empty() {
        return page(&state, &user, errors, None, form).await;
    }
    match state.store.create_api_token(&user.staff, &form.name, days.unwrap_or(90), &user.actor()).await {
        Ok((token, _)) => {
            page(&state, &user, errors, Some(token), NewToken { name: String::new(), days: "90".into() }).await
        }
        Err(StoreError::Invalid(message)) => {
            errors.add("name", message);
            page(&state, &user, errors, None, form).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    state.store.revoke_api_token(&user.staff, id, &user.actor()).await?;
    Ok(Redirect::to("/account/tokens").into_response())
}

/// Makes (or replaces) the signed-in person's calendar link and shows it once.
pub async fn create_calendar(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let token = state.store.create_calendar_feed(&user.staff, &user.actor()).await?;
    // Shown only to its owner, on this page; calendar apps need the whole address.
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if crate::identity::is_secure(&state.config, &headers) { "https" } else { "http" };
    let link = format!("{scheme}://{host}/calendar/{token}.ics");
    let form = NewToken { name: String::new(), days: "90".into() };
    page_with_calendar(&state, &user, Errors::default(), None, form, Some(link)).await
}

/// Ends the signed-in person's calendar link.
pub async fn revoke_calendar(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Response, AppError> {
    match state.store.revoke_calendar_feed(&user.staff, &user.actor()).await {
        Ok(()) | Err(StoreError::NotFound { .. }) => Ok(Redirect::to("/account/tokens").into_response()),
        Err(e) => Err(e.into()),
    }
}
