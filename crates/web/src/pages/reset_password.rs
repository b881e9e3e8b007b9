//! Setting a new password from a one-time link.

use crate::forms::Errors;
use crate::identity::form_token;
use crate::layout::Chrome;
use crate::routes::ClientAddr;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use staying_close_domain::people::Password;
use staying_close_store::Actor;

#[derive(Template)]
#[template(path = "reset_password.html")]
struct ResetPage {
    page: Chrome,
    errors: Errors,
    /// `valid`, `expired` or `disabled`.
    state: &'static str,
    email: String,
    token: String,
    csrf_token: String,
}

#[derive(Deserialize)]
pub struct NewPassword {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

async fn page(state: &AppState, headers: &HeaderMap, token: String, errors: Errors) -> Result<Response, AppError> {
    let staff = state.store.password_reset_for(&token).await?;
    let (form_token, form_cookie) = form_token(state, headers);
    let (status, link, title) = match &staff {
        Some(s) if s.active => (StatusCode::OK, "valid", "Choose a new password"),
        Some(_) => (StatusCode::FORBIDDEN, "disabled", "This account has been disabled"),
        None => (StatusCode::NOT_FOUND, "expired", "This link has expired"),
    };
    let page = ResetPage {
        page: Chrome::new(errors.title(title)),
        errors,
        state: link,
        email: staff.map(|s| s.email.to_string()).unwrap_or_default(),
        token,
        csrf_token: form_token,
    };
    Ok((status, [(header::SET_COOKIE, form_cookie)], Html(page.render()?)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    page(&state, &headers, token, Errors::default()).await
}

pub async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Extension(ClientAddr(client)): Extension<ClientAddr>,
    headers: HeaderMap,
    Form(form): Form<NewPassword>,
) -> Result<Response, AppError> {
    let mut errors = Errors::default();
    let password = match Password::parse(&form.password) {
        Ok(p) => Some(p),
        Err(e) => {
            errors.add("password", e.to_string());
            None
        }
    };
    if form.confirm != form.password {
        errors.add("confirm", "The passwords do not match");
    }
    match (password, errors.is_empty()) {
        (Some(password), true) => {
            let actor = Actor::Anonymous { client_addr: client };
            match state.store.complete_password_reset(&token, &password, &actor).await {
                Ok(_) => Ok(Redirect::to("/sign-in?done=password_set").into_response()),
                Err(
                    staying_close_store::StoreError::NotFound { .. } | staying_close_store::StoreError::AccountDisabled,
                ) => page(&state, &headers, token, Errors::default()).await,
                Err(e) => Err(e.into()),
            }
        }
        _ => page(&state, &headers, token, errors).await,
    }
}
