//! Signing in (password, then second factor) and out.

use crate::forms::Errors;
use crate::identity::{
    clear_cookie, form_cookie_name, form_token, is_secure, session_cookie_name, set_cookie, CurrentUser,
};
use crate::layout::Chrome;
use crate::routes::{ClientAddr, MaybeUser};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use staying_close_store::{SecondFactorCheck, SessionStage, SignIn, ABSOLUTE_TIMEOUT};

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    page: Chrome,
    errors: Errors,
    email: String,
    csrf_token: String,
    notice: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "code.html")]
pub(crate) struct CodePage {
    pub page: Chrome,
    pub errors: Errors,
    pub csrf_token: String,
    pub action: &'static str,
    pub heading: &'static str,
    pub hint: &'static str,
}

#[derive(Deserialize)]
pub struct SignInQuery {
    #[serde(default)]
    done: Option<String>,
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

fn where_next(stage: SessionStage) -> &'static str {
    match stage {
        SessionStage::Active => "/home",
        SessionStage::SecondFactor => "/sign-in/code",
        SessionStage::Enrol => "/account/two-factor",
    }
}

pub(crate) fn session_cookie(
    state: &AppState,
    headers: &HeaderMap,
    token: &str,
) -> (header::HeaderName, axum::http::HeaderValue) {
    let secure = is_secure(&state.config, headers);
    (header::SET_COOKIE, set_cookie(session_cookie_name(secure), token, ABSOLUTE_TIMEOUT.num_seconds(), secure))
}

/// The sign-in form. A random form cookie, echoed in the form, protects it
/// from cross-site posting before any session exists.
fn sign_in_page(
    state: &AppState,
    headers: &HeaderMap,
    errors: Errors,
    email: String,
    notice: Option<&'static str>,
) -> Result<Response, AppError> {
    let (token, cookie) = form_token(state, headers);
    let page = SignInPage { page: Chrome::new(errors.title("Sign in")), errors, email, csrf_token: token, notice };
    Ok(([(header::SET_COOKIE, cookie)], Html(page.render()?)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<MaybeUser>,
    Query(query): Query<SignInQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(stage) = user.0.as_ref().and_then(|u| u.session.as_ref()).map(|s| s.stage) {
        return Ok(Redirect::to(where_next(stage)).into_response());
    }
    let notice = match query.done.as_deref() {
        Some("signed_out") => Some("You have signed out."),
        Some("password_set") => Some("Your new password is set. Sign in with it now."),
        _ => None,
    };
    sign_in_page(&state, &headers, Errors::default(), String::new(), notice)
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(user): Extension<MaybeUser>,
    Extension(ClientAddr(client)): Extension<ClientAddr>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let mut errors = Errors::default();
    if form.email.trim().is_empty() {
        errors.add("email", "Enter your email address");
    }
    if form.password.is_empty() {
        errors.add("password", "Enter your password");
    }
    if errors.is_empty() {
        match state.store.sign_in(&form.email, &form.password, &client).await? {
            SignIn::Accepted { staff, stage } => {
                // A new session id at every sign-in.
                if let Some(old) = user.0.as_ref().and_then(|u| u.session.as_ref()) {
                    state.store.end_session(&old.token).await?;
                }
                let token = state.store.create_session(&staff, stage, Some(&client)).await?;
                // Two Set-Cookie headers: appended, never replacing each other.
                return Ok((
                    AppendHeaders([
                        session_cookie(&state, &headers, &token),
                        (header::SET_COOKIE, {
                            let secure = is_secure(&state.config, &headers);
                            clear_cookie(form_cookie_name(secure), secure)
                        }),
                    ]),
                    Redirect::to(where_next(stage)),
                )
                    .into_response());
            }
            SignIn::Rejected => errors.add("email", "Enter a correct email address and password"),
            SignIn::Throttled { retry_after_seconds } => errors.add("email", too_many_attempts(retry_after_seconds)),
        }
    }
    sign_in_page(&state, &headers, errors, form.email.trim().to_owned(), None)
}

pub(crate) fn too_many_attempts(retry_after_seconds: i64) -> String {
    let minutes = ((retry_after_seconds + 59) / 60).max(0) as u64;
    let wait = staying_close_domain::words::count(minutes, "minute", "minutes");
    format!("There have been too many attempts to sign in. Wait {wait}, then try again")
}

fn code_page(user: &CurrentUser, errors: Errors) -> Result<Response, AppError> {
    let page = CodePage {
        page: Chrome::for_user(errors.title("Enter your security code"), user, ""),
        errors,
        csrf_token: user.csrf_token(),
        action: "/sign-in/code",
        heading: "Enter your security code",
        hint: "Use the 6-digit code from your authenticator app, or one of your recovery codes.",
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn show_code(Extension(user): Extension<CurrentUser>) -> Result<Response, AppError> {
    code_page(&user, Errors::default())
}

pub async fn submit_code(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let mut errors = Errors::default();
    if form.code.trim().is_empty() {
        errors.add("code", "Enter your security code");
        return code_page(&user, errors);
    }
    let now = chrono::Utc::now().timestamp() as u64;
    let session = user.session.as_ref().map(|s| s.token.clone()).unwrap_or_default();
    match state.store.check_second_factor(&user.staff, &form.code, now, &user.actor(), &user.client_addr).await? {
        SecondFactorCheck::Passed => {
            let token = state
                .store
                .rotate_session(&session, &user.staff, SessionStage::Active, Some(&user.client_addr))
                .await?;
            Ok(([session_cookie(&state, &headers, &token)], Redirect::to("/home")).into_response())
        }
        SecondFactorCheck::Failed => {
            errors.add("code", "The security code is not right. Check your authenticator app and try again");
            code_page(&user, errors)
        }
        SecondFactorCheck::Throttled { retry_after_seconds } => {
            // Start again from the password, which is throttled too.
            state.store.end_session(&session).await?;
            errors.add("email", too_many_attempts(retry_after_seconds));
            let mut response = sign_in_page(&state, &headers, errors, user.staff.email.to_string(), None)?;
            response.headers_mut().append(header::SET_COOKIE, {
                let secure = is_secure(&state.config, &headers);
                clear_cookie(session_cookie_name(secure), secure)
            });
            Ok(response)
        }
    }
}

pub async fn sign_out(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(session) = &user.session {
        state.store.end_session(&session.token).await?;
    }
    state
        .store
        .record_event(
            &user.actor(),
            user.staff.la_id,
            "sign_out",
            "staff",
            Some(user.staff.id.0),
            serde_json::json!({}),
        )
        .await?;
    Ok((
        [(header::SET_COOKIE, {
            let secure = is_secure(&state.config, &headers);
            clear_cookie(session_cookie_name(secure), secure)
        })],
        Redirect::to("/sign-in?done=signed_out"),
    )
        .into_response())
}
