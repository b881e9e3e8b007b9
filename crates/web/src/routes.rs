//! Every route of the service with its access rule, in one place. The router
//! is built from this list, and the access rule is enforced for each route by
//! one middleware (`enforce`), so a handler never runs for a caller it was
//! not meant for. `docs/security.md` lists the same routes.

use crate::error::{ErrorKind, ErrorPage};
use crate::identity::{bearer, client_addr, cookie, form_cookie_name, is_secure, session_cookie_name, CurrentUser};
use crate::pages;
use crate::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, Request, State};
use axum::handler::Handler;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{on, MethodFilter};
use axum::{Extension, Router};
use staying_close_domain::people::has_forbidden_control;
use staying_close_domain::permissions::{allows, Permission};
use staying_close_store::SessionStage;
use std::net::SocketAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, and nobody's identity is needed: no session lookup at all
    /// (assets and health checks, fetched many times per page).
    Open,
    /// Anyone.
    Public,
    /// A session whose password was accepted and whose second factor is due.
    SecondFactorDue,
    /// Any session, at any stage (sign-out, setting up a second factor).
    AnySession,
    /// A fully signed-in member of staff.
    SignedIn,
    /// A fully signed-in member of staff whose role has the permission.
    Permission(Permission),
    /// A bearer API token, optionally with a permission.
    Api(Option<Permission>),
}

#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    /// The label of the route in the navigation, for pages that have one.
    pub nav: Option<&'static str>,
}

use Access::*;
use Permission::*;

/// Declares every route once, with its method, path, access rule, handler
/// and (for top-level pages) its navigation label. From this one list come
/// [`ROUTES`] (for the access checks, the navigation, the authorization
/// test and docs/security.md) and the router itself.
macro_rules! routes {
    ($( $method:ident $path:literal => $access:expr, $handler:path $(, nav $label:literal)? ; )*) => {
        /// The route table.
        pub const ROUTES: &[RouteSpec] = &[
            $( RouteSpec { method: stringify!($method), path: $path, access: $access, nav: routes!(@nav $($label)?) }, )*
        ];

        pub fn build(state: AppState) -> Router {
            use pages::*;
            let mut router = Router::new();
            $( router = add(router, &state, stringify!($method), $path, $access, $handler); )*
            router.fallback(errors::not_found).with_state(state)
        }
    };
    (@nav) => { None };
    (@nav $label:literal) => { Some($label) };
}

routes! {
    GET "/" => Public, start::show;
    GET "/healthz" => Open, health::live;
    GET "/readyz" => Open, health::ready;
    GET "/assets/{*path}" => Open, crate::assets::serve;
    GET "/sign-in" => Public, sign_in::show;
    POST "/sign-in" => Public, sign_in::submit;
    GET "/sign-in/code" => SecondFactorDue, sign_in::show_code;
    POST "/sign-in/code" => SecondFactorDue, sign_in::submit_code;
    POST "/sign-out" => AnySession, sign_in::sign_out;
    GET "/account/two-factor" => AnySession, two_factor::show;
    POST "/account/two-factor" => AnySession, two_factor::confirm;
    GET "/home" => SignedIn, home::show, nav "Home";
    GET "/my-week" => Permission(ViewCohort), my_week::show, nav "My week";
    GET "/young-people" => Permission(ViewCohort), cohort::list, nav "Young people";
    GET "/young-people/new" => Permission(AddYoungPerson), record::new_form;
    POST "/young-people/new" => Permission(AddYoungPerson), record::create;
    GET "/young-people/{id}" => Permission(ViewYoungPerson), young_people::show;
    GET "/young-people/{id}/edit" => Permission(EditYoungPerson), record::edit_form;
    POST "/young-people/{id}/edit" => Permission(EditYoungPerson), record::update;
    GET "/young-people/{id}/close" => Permission(CloseYoungPerson), record::close_form;
    POST "/young-people/{id}/close" => Permission(CloseYoungPerson), record::close;
    POST "/young-people/{id}/reopen" => Permission(CloseYoungPerson), record::reopen;
    GET "/young-people/{id}/journey" => Permission(ViewYoungPerson), journey::show;
    GET "/young-people/{id}/plan" => Permission(ViewYoungPerson), plan::show;
    GET "/young-people/{id}/plan/versions/{number}" => Permission(ViewYoungPerson), plan::show_version;
    GET "/young-people/{id}/plan/compare" => Permission(ViewYoungPerson), plan::compare_versions;
    GET "/young-people/{id}/plan/meeting" => Permission(EditPlan), plan::meeting_form;
    POST "/young-people/{id}/plan/meeting" => Permission(EditPlan), plan::save_meeting;
    GET "/young-people/{id}/plan/review" => Permission(EditPlan), plan::review_form;
    POST "/young-people/{id}/plan/review" => Permission(EditPlan), plan::review;
    GET "/young-people/{id}/plan/areas/{area}" => Permission(EditPlan), plan::area_form;
    POST "/young-people/{id}/plan/areas/{area}" => Permission(EditPlan), plan::save_area;
    GET "/young-people/{id}/workers" => Permission(ViewYoungPerson), workers::show;
    POST "/young-people/{id}/workers" => Permission(AllocateWorkers), workers::allocate;
    POST "/young-people/{id}/workers/end" => Permission(AllocateWorkers), workers::end;
    GET "/young-people/{id}/staying-close-support" => Permission(ViewYoungPerson), support::show;
    POST "/young-people/{id}/staying-close-support" => Permission(AssessSupport), support::record;
    GET "/young-people/{id}/allowance" => Permission(ViewYoungPerson), allowance::show;
    POST "/young-people/{id}/allowance" => Permission(RecordContact), allowance::record;
    GET "/young-people/{id}/celebrations" => Permission(ViewYoungPerson), celebrations::show;
    POST "/young-people/{id}/celebrations" => Permission(RecordContact), celebrations::add_task;
    POST "/young-people/{id}/celebrations/done" => Permission(RecordContact), celebrations::mark_done;
    GET "/young-people/{id}/trusted-person" => Permission(ViewYoungPerson), trusted_person::show;
    POST "/young-people/{id}/trusted-person" => Permission(RecordContact), trusted_person::save;
    GET "/young-people/{id}/accommodation" => Permission(ViewYoungPerson), accommodation::show;
    POST "/young-people/{id}/accommodation" => Permission(RecordContact), accommodation::add_stay;
    POST "/young-people/{id}/accommodation/interventions" => Permission(RecordContact), accommodation::add_intervention;
    GET "/young-people/{id}/eet" => Permission(ViewYoungPerson), eet::show;
    POST "/young-people/{id}/eet" => Permission(RecordContact), eet::add_activity;
    POST "/young-people/{id}/eet/interventions" => Permission(RecordContact), eet::add_intervention;
    GET "/young-people/{id}/advocacy" => Permission(ViewYoungPerson), advocacy::show;
    POST "/young-people/{id}/advocacy" => Permission(RecordContact), advocacy::save;
    GET "/young-people/{id}/parenting" => Permission(ViewYoungPerson), parenting::show;
    POST "/young-people/{id}/parenting/children" => Permission(RecordContact), parenting::add_child;
    POST "/young-people/{id}/parenting/support" => Permission(RecordContact), parenting::add_support;
    POST "/young-people/{id}/parenting/outcomes" => Permission(RecordPrevention), parenting::add_outcome;
    GET "/young-people/{id}/health" => Permission(ViewHealth), health_records::show;
    POST "/young-people/{id}/health/sessions" => Permission(RecordHealth), health_records::add_session;
    POST "/young-people/{id}/health/referrals" => Permission(RecordHealth), health_records::save_referral;
    POST "/young-people/{id}/health/registration" => Permission(RecordHealth), health_records::save_registration;
    GET "/groups" => Permission(ViewCohort), groups::list, nav "Groups";
    POST "/groups" => Permission(RecordContact), groups::add;
    GET "/groups/{id}" => Permission(ViewCohort), groups::show;
    POST "/groups/{id}" => Permission(RecordContact), groups::save;
    POST "/groups/{id}/attendance" => Permission(RecordContact), groups::attendance;
    GET "/participation" => Permission(ViewCohort), groups::participation;
    POST "/participation" => Permission(RecordContact), groups::add_involvement;
    GET "/funding" => Permission(ManageFunding), funding::show, nav "Funding";
    POST "/funding/grants" => Permission(ManageFunding), funding::add_grant;
    POST "/funding/spend" => Permission(ManageFunding), funding::add_spend;
    GET "/eet-rate" => Permission(ViewCohort), eet::rate;
    GET "/reports/impact" => Permission(ViewReports), reports::impact, nav "Reports";
    GET "/reports/impact/download" => Permission(ViewReports), reports::impact_download;
    GET "/reports/impact/{measure}" => Permission(ViewReports), reports::records;
    GET "/reports/impact/{measure}/download" => Permission(ViewReports), reports::records_download;
    GET "/reports/five-minute-facts" => Permission(ViewReports), reports::five_minute_facts;
    GET "/national" => Permission(ViewNational), national::show, nav "National";
    GET "/national/download" => Permission(ViewNational), national::export;
    GET "/national/{measure}" => Permission(ViewNational), national::measure;
    GET "/lets" => Permission(ViewCohort), lets::list, nav "Lets";
    POST "/lets" => Permission(ManageLets), lets::add;
    GET "/lets/{id}" => Permission(ViewCohort), lets::show;
    POST "/lets/{id}" => Permission(ManageLets), lets::save;
    POST "/lets/{id}/occupancies" => Permission(ManageLets), lets::add_occupancy;
    POST "/lets/{id}/end" => Permission(ManageLets), lets::end_occupancy;
    GET "/young-people/{id}/contacts" => Permission(ViewYoungPerson), contacts::show;
    POST "/young-people/{id}/contacts" => Permission(RecordContact), contacts::create;
    POST "/young-people/{id}/schedule" => Permission(RecordContact), contacts::set_schedule;
    POST "/follow-ups/{id}/done" => Permission(RecordContact), contacts::complete_follow_up;
    GET "/team" => Permission(ViewCohort), team::show, nav "Team";
    POST "/team" => Permission(ManageStaff), team::add;
    GET "/team/{id}" => Permission(ManageStaff), team::edit_form;
    POST "/team/{id}/role" => Permission(ManageStaff), team::change_role;
    POST "/team/{id}/disable" => Permission(ManageStaff), team::disable;
    GET "/offer/{code}" => Open, offer::public;
    GET "/settings/offer" => Permission(ManageSettings), offer::admin;
    POST "/settings/offer" => Permission(ManageSettings), offer::add;
    POST "/settings/offer/review" => Permission(ManageSettings), offer::review;
    GET "/settings/offer/{id}" => Permission(ManageSettings), offer::edit_form;
    POST "/settings/offer/{id}" => Permission(ManageSettings), offer::save;
    POST "/settings/offer/{id}/remove" => Permission(ManageSettings), offer::remove;
    GET "/settings/festivals" => Permission(ManageSettings), celebrations::festivals_page;
    POST "/settings/festivals" => Permission(ManageSettings), celebrations::add_festival;
    POST "/settings/festivals/{id}/remove" => Permission(ManageSettings), celebrations::remove_festival;
    GET "/imports" => Permission(ImportData), imports::show, nav "Imports";
    POST "/imports" => Permission(ImportData), imports::upload;
    POST "/imports/confirm" => Permission(ImportData), imports::confirm;
    GET "/returns/oc3" => Permission(ImportData), returns::show;
    GET "/returns/oc3/download" => Permission(ImportData), returns::download;
    GET "/audit" => Permission(ViewAudit), audit::show, nav "Audit";
    GET "/audit.csv" => Permission(ViewAudit), audit::export;
    GET "/settings" => Permission(ManageSettings), settings::show, nav "Settings";
    POST "/settings" => Permission(ManageSettings), settings::save;
    GET "/account/tokens" => SignedIn, tokens::show, nav "Account";
    POST "/account/tokens" => SignedIn, tokens::create;
    POST "/account/tokens/{id}/revoke" => SignedIn, tokens::revoke;
    POST "/account/calendar" => SignedIn, tokens::create_calendar;
    POST "/account/calendar/revoke" => SignedIn, tokens::revoke_calendar;
    GET "/calendar/{token}" => Public, calendar::feed;
    GET "/account/password" => SignedIn, account::show_password;
    POST "/account/password" => SignedIn, account::change_password;
    GET "/account/sessions" => SignedIn, account::show_sessions;
    POST "/account/sessions/end-others" => SignedIn, account::end_other_sessions;
    GET "/reset-password/{token}" => Public, reset_password::show;
    POST "/reset-password/{token}" => Public, reset_password::submit;
    GET "/api/openapi.json" => Open, api::openapi;
    GET "/api/v1/me" => Api(None), api::me;
    GET "/api/v1/offer" => Api(Some(ViewCohort)), offer::api;
    GET "/api/v1/young-people" => Api(Some(ViewCohort)), api::young_people;
    POST "/api/v1/young-people" => Api(Some(AddYoungPerson)), api::create_young_person;
    GET "/api/v1/young-people/{id}" => Api(Some(ViewYoungPerson)), api::young_person;
    PUT "/api/v1/young-people/{id}" => Api(Some(EditYoungPerson)), api::update_young_person;
    GET "/api/v1/young-people/{id}/contacts" => Api(Some(ViewYoungPerson)), api::contacts;
    POST "/api/v1/young-people/{id}/contacts" => Api(Some(RecordContact)), api::create_contact;
    GET "/api/v1/young-people/{id}/schedule" => Api(Some(ViewYoungPerson)), api::schedule;
    GET "/api/v1/young-people/{id}/plan" => Api(Some(ViewYoungPerson)), api::plan;
    GET "/api/v1/young-people/{id}/allowance" => Api(Some(ViewYoungPerson)), allowance::api;
    GET "/api/v1/young-people/{id}/celebrations" => Api(Some(ViewYoungPerson)), celebrations::api;
    GET "/api/v1/young-people/{id}/trusted-person" => Api(Some(ViewYoungPerson)), trusted_person::api;
    GET "/api/v1/young-people/{id}/accommodation" => Api(Some(ViewYoungPerson)), accommodation::api;
    GET "/api/v1/lets" => Api(Some(ViewCohort)), lets::api;
    GET "/api/v1/young-people/{id}/eet" => Api(Some(ViewYoungPerson)), eet::api;
    GET "/api/v1/eet-rate" => Api(Some(ViewCohort)), eet::api_rate;
    GET "/api/v1/young-people/{id}/advocacy" => Api(Some(ViewYoungPerson)), advocacy::api;
    GET "/api/v1/young-people/{id}/parenting" => Api(Some(ViewYoungPerson)), parenting::api;
    GET "/api/v1/young-people/{id}/health" => Api(Some(ViewHealth)), health_records::api;
    GET "/api/v1/groups" => Api(Some(ViewCohort)), groups::api;
    GET "/api/v1/funding" => Api(Some(ManageFunding)), funding::api;
    GET "/api/v1/reports/impact" => Api(Some(ViewReports)), reports::api;
    GET "/api/v1/young-people/{id}/plan/versions/{number}" => Api(Some(ViewYoungPerson)), api::plan_version;
}

/// Routes that take file uploads, with the larger body limit.
const UPLOAD_ROUTES: &[&str] = &["/imports"];

/// Adds one route, guarded by its access rule.
fn add<H, T>(
    router: Router<AppState>,
    state: &AppState,
    method: &'static str,
    path: &'static str,
    access: Access,
    handler: H,
) -> Router<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = match method {
        "GET" => MethodFilter::GET,
        "POST" => MethodFilter::POST,
        "PUT" => MethodFilter::PUT,
        other => panic!("unsupported method {other}"),
    };
    let mut method_router = on(filter, handler);
    if method == "POST" && UPLOAD_ROUTES.contains(&path) {
        method_router = method_router.layer(axum::extract::DefaultBodyLimit::max(state.config.max_upload_bytes));
    }
    let guarded = method_router.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        move |State(state): State<AppState>, req: Request, next: Next| enforce(state, access, path, req, next),
    ));
    router.route(path, guarded)
}

/// The client's address, for throttling and the audit trail.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

/// Whoever is signed in, if anyone, for pages open to all.
#[derive(Debug, Clone, Default)]
pub struct MaybeUser(pub Option<CurrentUser>);

fn error(status: StatusCode, kind: ErrorKind) -> Response {
    ErrorPage::new(status, kind).into_response()
}

/// An API refusal in words; drawn as the API's JSON error body.
fn api_error(status: StatusCode, message: &str) -> Response {
    let kind = if status == StatusCode::UNAUTHORIZED { ErrorKind::Unauthorized } else { ErrorKind::Forbidden };
    ErrorPage { status, kind, detail: Some(message.to_owned()) }.into_response()
}

fn same_bytes(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Refuses requests a browser marks as coming from another site.
fn cross_site(req: &Request) -> bool {
    let headers = req.headers();
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).is_some_and(|v| v == "cross-site") {
        return true;
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => {
            let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
            origin != "null" && origin_host != host
        }
        (Some("null"), None) => true,
        _ => false,
    }
}

/// The first field of `pairs` holding a control character no field may
/// store (NUL and the like): refused before any handler or database sees it.
fn field_with_control_character(pairs: &[(String, String)]) -> Option<Response> {
    let (name, _) = pairs.iter().find(|(k, v)| has_forbidden_control(k) || has_forbidden_control(v))?;
    let name: String = name.chars().filter(|c| !c.is_control()).take(40).collect();
    let detail =
        format!("The field {name} contains a control character, which cannot be stored. Remove it and try again.");
    Some(
        ErrorPage { status: StatusCode::UNPROCESSABLE_ENTITY, kind: ErrorKind::Invalid, detail: Some(detail) }
            .into_response(),
    )
}

fn query_pairs(req: &Request) -> Vec<(String, String)> {
    req.uri().query().and_then(|q| serde_urlencoded::from_str(q).ok()).unwrap_or_default()
}

/// Takes `csrf_token` from a URL-encoded body (then puts the body back) or
/// from the query string (for file uploads); refuses a body with a field
/// holding a control character.
async fn provided_csrf(req: Request, limit: usize) -> Result<(Request, Option<String>), Response> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let from_query = req.uri().query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()
            .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "csrf_token").map(|(_, v)| v))
    });
    if !is_form {
        return Ok((req, from_query));
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, limit).await.map_err(|_| error(StatusCode::PAYLOAD_TOO_LARGE, ErrorKind::TooLarge))?;
    let pairs = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes).unwrap_or_default();
    if let Some(refusal) = field_with_control_character(&pairs) {
        return Err(refusal);
    }
    let token = pairs.into_iter().find(|(k, _)| k == "csrf_token").map(|(_, v)| v);
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

/// Records a refused request in the audit trail (repeats within a minute are
/// counted), then answers with `refusal`.
async fn refuse(state: &AppState, user: &CurrentUser, route: &str, path: String, refusal: Response) -> Response {
    let la = user.la.as_ref().map(|la| la.id);
    if let Err(e) = state.store.record_refusal(&user.actor(), la, route, Some(&path)).await {
        return crate::AppError::from(e).into_response();
    }
    refusal
}

/// Refuses a forged or cross-site form; with a session, the attempt goes in
/// the audit trail (repeats within a minute counted) for the person whose
/// session it rode on.
async fn refuse_form(state: &AppState, user: Option<&CurrentUser>, route: &str, reason: &'static str) -> Response {
    if let Some(user) = user {
        let la = user.la.as_ref().map(|la| la.id);
        if let Err(e) = state.store.record_refused_form(&user.actor(), la, route, reason).await {
            return crate::AppError::from(e).into_response();
        }
    }
    error(StatusCode::FORBIDDEN, ErrorKind::FormExpired)
}

async fn enforce(state: AppState, access: Access, route: &'static str, req: Request, next: Next) -> Response {
    let client =
        client_addr(req.headers(), req.extensions().get::<ConnectInfo<SocketAddr>>(), state.config.trust_forwarded_for);
    match access {
        Api(permission) => return enforce_api(state, permission, route, client, req, next).await,
        Open => return next.run(req).await,
        _ => {}
    }
    if let Some(refusal) = field_with_control_character(&query_pairs(&req)) {
        return refusal;
    }
    let secure = is_secure(&state.config, req.headers());
    let session = match cookie(req.headers(), session_cookie_name(secure)) {
        Some(token) => match state.store.session(&token).await {
            Ok(found) => found.map(|s| (token, s)),
            Err(e) => return crate::AppError::from(e).into_response(),
        },
        None => None,
    };
    let user = session.map(|(token, s)| CurrentUser::from_session(token, s, client.clone()));

    let mut req = req;
    if req.method() != Method::GET && req.method() != Method::HEAD {
        if cross_site(&req) {
            return refuse_form(&state, user.as_ref(), route, "cross_site").await;
        }
        let expected = match &user {
            Some(u) => Some(u.csrf_token()),
            // The form must carry the MAC of the cookie's nonce, not merely the same value.
            None => cookie(req.headers(), form_cookie_name(secure)).map(|nonce| state.store.bind_form_nonce(&nonce)),
        };
        let (rebuilt, provided) = match provided_csrf(req, state.config.max_body_bytes).await {
            Ok(pair) => pair,
            Err(response) => return response,
        };
        req = rebuilt;
        let ok = matches!((&expected, &provided), (Some(e), Some(p)) if !e.is_empty() && same_bytes(e, p));
        if !ok {
            tracing::warn!("request refused: missing or wrong CSRF token");
            return refuse_form(&state, user.as_ref(), route, "csrf_token").await;
        }
    }

    let stage = user.as_ref().and_then(|u| u.session.as_ref()).map(|s| s.stage);
    match access {
        Public => {}
        SecondFactorDue => {
            if stage != Some(SessionStage::SecondFactor) {
                return Redirect::to(if stage.is_some() { "/home" } else { "/sign-in" }).into_response();
            }
        }
        AnySession => {
            if stage.is_none() {
                return Redirect::to("/sign-in").into_response();
            }
        }
        SignedIn | Permission(_) => match stage {
            None => return Redirect::to("/sign-in").into_response(),
            Some(SessionStage::SecondFactor) => return Redirect::to("/sign-in/code").into_response(),
            Some(SessionStage::Enrol) => return Redirect::to("/account/two-factor").into_response(),
            Some(SessionStage::Active) => {
                if let (Permission(p), Some(u)) = (access, &user) {
                    if !allows(u.staff.role, p) {
                        let refusal = error(StatusCode::FORBIDDEN, ErrorKind::Forbidden);
                        return refuse(&state, u, route, req.uri().path().to_owned(), refusal).await;
                    }
                }
            }
        },
        Api(_) | Open => {}
    }
    req.extensions_mut().insert(ClientAddr(client));
    req.extensions_mut().insert(MaybeUser(user.clone()));
    if let Some(user) = user {
        req.extensions_mut().insert(user);
    }
    next.run(req).await
}

async fn enforce_api(
    state: AppState,
    permission: Option<Permission>,
    route: &'static str,
    client: String,
    mut req: Request,
    next: Next,
) -> Response {
    let Some(token) = bearer(req.headers()) else {
        return api_error(StatusCode::UNAUTHORIZED, "send an API token as: Authorization: Bearer TOKEN");
    };
    let staff = match state.store.staff_by_api_token(&token).await {
        Ok(Some(staff)) => staff,
        Ok(None) => {
            return api_error(StatusCode::UNAUTHORIZED, "the API token is not valid, has expired or was revoked")
        }
        Err(e) => return crate::AppError::from(e).into_response(),
    };
    let la = match staff.la_id {
        Some(id) => match state.store.la(id).await {
            Ok(la) => Some(la),
            Err(e) => return crate::AppError::from(e).into_response(),
        },
        None => None,
    };
    let user = CurrentUser { staff, la, session: None, client_addr: client };
    if let Some(p) = permission {
        if !allows(user.staff.role, p) {
            let refusal = api_error(StatusCode::FORBIDDEN, "your role does not allow this");
            return refuse(&state, &user, route, req.uri().path().to_owned(), refusal).await;
        }
    }
    req.extensions_mut().insert(user);
    next.run(req).await
}

/// For handlers: the signed-in user (present on every non-public route).
pub type User = Extension<CurrentUser>;
