//! Setting up a TOTP second factor, with a QR code drawn on the server.

use crate::forms::Errors;
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::sign_in::session_cookie;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use staying_close_domain::permissions::totp_required;
use staying_close_domain::totp;
use staying_close_store::SessionStage;

#[derive(Template)]
#[template(path = "two_factor.html")]
struct TwoFactorPage {
    page: Chrome,
    errors: Errors,
    enrolled: bool,
    required: bool,
    qr_svg: String,
    secret: String,
    csrf_token: String,
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
struct RecoveryCodesPage {
    page: Chrome,
    codes: Vec<String>,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// An SVG QR code (no script, no inline style) for the provisioning URI.
fn qr_svg(uri: &str) -> String {
    let svg = qrcode::QrCode::new(uri.as_bytes())
        .map(|code| code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build())
        .unwrap_or_default();
    match svg.find("<svg") {
        Some(start) => svg[start..].replacen("<svg", "<svg focusable=\"false\" aria-hidden=\"true\"", 1),
        None => svg,
    }
}

/// Groups a base32 secret in fours so it is easier to type.
fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

async fn page(state: &AppState, user: &CurrentUser, errors: Errors) -> Result<Response, AppError> {
    let required = totp_required(user.staff.role, user.la.as_ref().is_some_and(|la| la.require_totp_for_all));
    let (qr, secret) = if user.staff.totp_enabled {
        (String::new(), String::new())
    } else {
        let session = user.session.as_ref().map(|s| s.token.as_str()).unwrap_or_default();
        let secret = match state.store.pending_totp_secret(session).await? {
            Some(secret) => secret,
            None => state.store.start_totp_enrolment(session).await?,
        };
        (
            qr_svg(&totp::provisioning_uri(&secret, "Staying Close", user.staff.email.as_str())),
            grouped(&totp::base32_encode(&secret)),
        )
    };
    let page = TwoFactorPage {
        page: Chrome::for_user(errors.title("Two-factor authentication"), user, "/account/tokens"),
        errors,
        enrolled: user.staff.totp_enabled,
        required,
        qr_svg: qr,
        secret,
        csrf_token: user.csrf_token(),
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Response, AppError> {
    page(&state, &user, Errors::default()).await
}

pub async fn confirm(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    headers: axum::http::HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let mut errors = Errors::default();
    if user.staff.totp_enabled {
        return page(&state, &user, errors).await;
    }
    if form.code.trim().is_empty() {
        errors.add("code", "Enter the 6-digit code from your authenticator app");
        return page(&state, &user, errors).await;
    }
    let now = chrono::Utc::now().timestamp() as u64;
    let session = user.session.as_ref().map(|s| s.token.clone()).unwrap_or_default();
    let Some(codes) = state.store.confirm_totp(&user.staff, &session, &form.code, now, &user.actor()).await? else {
        errors.add("code", "The code is not right. Check the time on your phone is correct, then try the newest code");
        return page(&state, &user, errors).await;
    };
    // Trust has changed: a new session id, now fully signed in.
    let old = user.session.as_ref().map(|s| s.token.clone()).unwrap_or_default();
    let stage = user.session.as_ref().map(|s| s.stage).unwrap_or(SessionStage::Active);
    let new_stage = if stage == SessionStage::Enrol { SessionStage::Active } else { stage };
    let token = state.store.rotate_session(&old, &user.staff, new_stage, Some(&user.client_addr)).await?;
    let shown = match state.store.session(&token).await? {
        Some(session) => CurrentUser::from_session(token.clone(), session, user.client_addr.clone()),
        None => user.clone(),
    };
    let page = RecoveryCodesPage { page: Chrome::for_user("Your recovery codes", &shown, ""), codes };
    let mut response = Html(page.render()?).into_response();
    let (name, value) = session_cookie(&state, &headers, &token);
    response.headers_mut().insert(name, value);
    Ok(response)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_qr_code_is_plain_svg() {
        let svg = super::qr_svg("otpauth://totp/Staying%20Close:a%40b.example?secret=MZXW6YTBOI");
        assert!(svg.starts_with("<svg focusable=\"false\""), "{}", &svg[..60]);
        assert!(!svg.contains("style=") && !svg.contains("<script"));
    }
}
