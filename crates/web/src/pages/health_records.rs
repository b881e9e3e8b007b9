//! A young person's health and emotional health (special-category data,
//! behind `view_health`): sessions and nurse contacts, referrals along
//! pathways with their status and outcome, and GP, dentist and health
//! passport. Only `record_health` roles see the forms or may post them.

use crate::components::{choices, Cell, Choice, Heading, Part, SummaryRow, Table};
use crate::forms::{Errors, Fields};
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::young_people::{open, today, Opened};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use staying_close_domain::dates::format_uk;
use staying_close_domain::health::{
    Pathway, ReferralInput, ReferralStatus, RegistrationInput, SessionInput, SessionKind,
};
use staying_close_domain::permissions::Permission;
use staying_close_domain::profile::DateParts;
use staying_close_store::{HealthRecords, StoreError};

#[derive(Template)]
#[template(path = "health.html")]
struct HealthPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    id: i64,
    name: String,
    banner: Option<&'static str>,
    registration: Vec<SummaryRow>,
    sessions: Table,
    referrals: Table,
    can_record: bool,
    session: SessionInput,
    session_kinds: Vec<Choice>,
    referral: ReferralInput,
    editing: Option<(i64, i64)>,
    pathways: Vec<Choice>,
    statuses: Vec<Choice>,
    reg: RegistrationInput,
    reg_version: Option<i64>,
}

#[derive(Deserialize, Default)]
pub struct Shown {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    change: Option<String>,
}

struct Inputs {
    session: SessionInput,
    referral: ReferralInput,
    editing: Option<(i64, i64)>,
    reg: Option<RegistrationInput>,
}

fn blank() -> Inputs {
    let today = DateParts::of(Some(today()));
    Inputs {
        session: SessionInput { on: today.clone(), ..SessionInput::default() },
        referral: ReferralInput { referred_on: today, status: "waiting".into(), ..ReferralInput::default() },
        editing: None,
        reg: None,
    }
}

async fn records(state: &AppState, user: &CurrentUser, opened: &Opened) -> Result<HealthRecords, AppError> {
    let r = state.store.health_records(opened.viewer.la, opened.person.id).await?;
    let audit = serde_json::json!({ "young_person_id": opened.person.id.0, "special_category": true });
    state.store.record_bulk_read(&user.actor(), opened.viewer.la, "health", "health", audit, r.ids()).await?;
    Ok(r)
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    opened: &Opened,
    banner: Option<&'static str>,
    inputs: Inputs,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let r = records(state, user, opened).await?;
    let reg = r.registration.as_ref().map(|(_, reg, _)| reg.clone()).unwrap_or_default();
    let yes_no = |v: &Option<String>| match v {
        Some(name) => vec![Part::tag("Registered", "green"), Part::text(name)],
        None => vec![Part::tag("Not registered", "red")],
    };
    let registration = vec![
        SummaryRow::parts("GP", yes_no(&reg.gp)),
        SummaryRow::parts("Dentist", yes_no(&reg.dentist)),
        SummaryRow::text(
            "Health passport",
            reg.passport_given_on.map(|d| format!("Given {}", format_uk(d))).unwrap_or_else(|| "Not given yet".into()),
        ),
    ];
    let mut sessions = Table::new(
        "Sessions and contacts",
        vec![
            Heading::new("Date"),
            Heading::new("With"),
            Heading::numeric("Minutes"),
            Heading::new("Note"),
            Heading::new("Recorded by"),
        ],
    );
    for (_, s, by) in &r.sessions {
        sessions.row(vec![
            Cell::text(format_uk(s.on)),
            Cell::text(s.kind.label()),
            Cell::text(s.minutes.map(|m| m.to_string()).unwrap_or_default()),
            Cell::text(s.note.clone().unwrap_or_default()),
            Cell::text(by.clone().unwrap_or_default()),
        ]);
    }
    let can_record = user.can(Permission::RecordHealth);
    let mut headings =
        vec![Heading::new("Referred"), Heading::new("Pathway"), Heading::new("Status"), Heading::new("Outcome")];
    if can_record {
        headings.push(Heading::hidden("Action"));
    }
    let mut referrals = Table::new("Referrals", headings);
    for (id, x, _) in &r.referrals {
        let colour = match x.status {
            ReferralStatus::Waiting => "yellow",
            ReferralStatus::Accepted | ReferralStatus::Seen => "green",
            ReferralStatus::Declined => "red",
            ReferralStatus::Closed => "grey",
        };
        let mut row = vec![
            Cell::text(format_uk(x.referred_on)),
            Cell::text(x.pathway.label()),
            Cell::parts(vec![Part::tag(x.status.label(), colour)]),
            Cell::text(x.outcome.clone().unwrap_or_default()),
        ];
        if can_record {
            row.push(Cell::parts(vec![Part::Link {
                text: "Change".into(),
                href: format!("/young-people/{}/health?change={id}#referral", opened.person.id.0),
                hidden: format!(" the referral to {}", x.pathway.label().to_lowercase()),
            }]));
        }
        referrals.row(row);
    }
    let reg_input = inputs.reg.unwrap_or_else(|| RegistrationInput::of(&reg));
    let page = HealthPage {
        page: Chrome::for_user(errors.title(&format!("Health for {}", opened.name)), user, "/young-people"),
        errors,
        csrf_token: user.csrf_token(),
        id: opened.person.id.0,
        name: opened.name.clone(),
        banner,
        registration,
        sessions,
        referrals,
        can_record,
        session_kinds: choices(SessionKind::ALL.iter().map(|k| (k.code(), k.label())), &inputs.session.kind),
        pathways: choices(Pathway::ALL.iter().map(|k| (k.code(), k.label())), &inputs.referral.pathway),
        statuses: choices(ReferralStatus::ALL.iter().map(|k| (k.code(), k.label())), &inputs.referral.status),
        session: inputs.session,
        referral: inputs.referral,
        editing: inputs.editing,
        reg: reg_input,
        reg_version: r.registration.as_ref().map(|(_, _, v)| *v),
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<Shown>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "health").await?;
    let banner = match q.saved.as_deref() {
        Some("session") => Some("Session recorded."),
        Some("referral") => Some("Referral saved."),
        Some("registration") => Some("GP, dentist and passport saved."),
        _ => None,
    };
    let mut inputs = blank();
    if let Some(change) = q.change.as_deref().and_then(|c| c.parse::<i64>().ok()) {
        let r = state.store.health_records(opened.viewer.la, opened.person.id).await?;
        let (rid, referral, version) =
            r.referrals.iter().find(|(rid, _, _)| *rid == change).ok_or(AppError::NotFound)?;
        inputs.referral = ReferralInput::of(referral);
        inputs.editing = Some((*rid, *version));
    }
    render(&state, &user, &opened, banner, inputs, Errors::default(), StatusCode::OK).await
}

fn saved(opened: &Opened, what: &str) -> Response {
    Redirect::to(&format!("/young-people/{}/health?saved={what}", opened.person.id.0)).into_response()
}

fn conflict(field: &'static str) -> (Errors, StatusCode) {
    let mut errors = Errors::default();
    errors.add(field, "Someone else changed this after you opened it. What is saved now is shown; check it, then make your change again.");
    (errors, StatusCode::CONFLICT)
}

pub async fn add_session(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "add_health_session").await?;
    let session = SessionInput {
        on: fields.date("session-on"),
        kind: fields.get("session-kind").to_owned(),
        minutes: fields.get("session-minutes").to_owned(),
        note: fields.get("session-note").to_owned(),
    };
    match session.parse(today()) {
        Ok(s) => {
            state.store.add_health_session(&opened.viewer, opened.person.id, &s, &user.actor()).await?;
            Ok(saved(&opened, "session"))
        }
        Err(e) => {
            let inputs = Inputs { session, ..blank() };
            render(&state, &user, &opened, None, inputs, e.into(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn save_referral(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "save_health_referral").await?;
    let referral = ReferralInput {
        pathway: fields.get("pathway").to_owned(),
        referred_on: fields.date("referred_on"),
        status: fields.get("status").to_owned(),
        outcome: fields.get("outcome").to_owned(),
    };
    let existing = fields.existing("referral")?;
    let (errors, status) = match referral.parse(today()) {
        Ok(r) => {
            match state.store.save_health_referral(&opened.viewer, opened.person.id, existing, &r, &user.actor()).await
            {
                Ok(_) => return Ok(saved(&opened, "referral")),
                Err(StoreError::Conflict { .. }) => conflict("pathway"),
                Err(e) => return Err(e.into()),
            }
        }
        Err(e) => (e.into(), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let mut editing = existing;
    if status == StatusCode::CONFLICT {
        let r = state.store.health_records(opened.viewer.la, opened.person.id).await?;
        editing = existing.and_then(|(id, _)| r.referrals.iter().find(|x| x.0 == id)).map(|x| (x.0, x.2));
    }
    let inputs = Inputs { referral, editing, ..blank() };
    render(&state, &user, &opened, None, inputs, errors, status).await
}

pub async fn save_registration(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "save_health_registration").await?;
    let reg = RegistrationInput {
        gp: fields.get("gp").to_owned(),
        dentist: fields.get("dentist").to_owned(),
        passport_given_on: fields.date("passport_given_on"),
    };
    let version = fields.get("version").parse::<i64>().ok();
    let (errors, status) = match reg.parse(today()) {
        Ok(r) => {
            match state.store.save_registration(&opened.viewer, opened.person.id, version, &r, &user.actor()).await {
                Ok(()) => return Ok(saved(&opened, "registration")),
                Err(StoreError::Conflict { .. }) => conflict("gp"),
                Err(e) => return Err(e.into()),
            }
        }
        Err(e) => (e.into(), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let inputs = Inputs { reg: (status != StatusCode::CONFLICT).then_some(reg), ..blank() };
    render(&state, &user, &opened, None, inputs, errors, status).await
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct HealthJson {
    pub gp: Option<String>,
    pub dentist: Option<String>,
    pub passport_given_on: Option<String>,
    pub sessions: Vec<HealthSessionJson>,
    pub referrals: Vec<HealthReferralJson>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct HealthSessionJson {
    pub date: String,
    /// emotional_health or nurse.
    pub kind: String,
    pub minutes: Option<u32>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct HealthReferralJson {
    pub id: i64,
    /// adult_mental_health, neurodiversity or other.
    pub pathway: String,
    pub referred_on: String,
    pub status: String,
    pub outcome: Option<String>,
    pub version: i64,
}

#[utoipa::path(get, path = "/api/v1/young-people/{id}/health", tag = "health", params(("id" = i64, Path)),
    responses((status = 200, body = HealthJson), (status = 404, body = crate::error::ApiErrors)),
    security(("bearer" = [])))]
pub async fn api(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<axum::Json<HealthJson>, AppError> {
    let opened = open(&state, &user, &id, "api_health").await?;
    let r = records(&state, &user, &opened).await?;
    let reg = r.registration.map(|(_, reg, _)| reg).unwrap_or_default();
    Ok(axum::Json(HealthJson {
        gp: reg.gp,
        dentist: reg.dentist,
        passport_given_on: reg.passport_given_on.map(|d| d.to_string()),
        sessions: r
            .sessions
            .iter()
            .map(|(_, s, _)| HealthSessionJson {
                date: s.on.to_string(),
                kind: s.kind.code().to_owned(),
                minutes: s.minutes,
            })
            .collect(),
        referrals: r
            .referrals
            .iter()
            .map(|(id, x, v)| HealthReferralJson {
                id: *id,
                pathway: x.pathway.code().to_owned(),
                referred_on: x.referred_on.to_string(),
                status: x.status.code().to_owned(),
                outcome: x.outcome.clone(),
                version: *v,
            })
            .collect(),
    }))
}
