//! Education, employment and training: a young person's activity history
//! and the help they had, and the cohort's EET rate on any day with the
//! young people behind the numerator, the rest of the denominator, and
//! those whose activity is not known.

use crate::components::{choices, Cell, Choice, Heading, Part, SummaryRow, Table};
use crate::forms::{Errors, Fields};
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::young_people::{open, today, Opened, NAME_NOT_RECORDED};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use staying_close_domain::dates::format_uk;
use staying_close_domain::eet::{is_eet, rate_on, Activity, ActivityInput, EetHelp, EetInterventionInput, EetOutcome};
use staying_close_domain::permissions::Permission;
use staying_close_domain::profile::DateParts;
use staying_close_domain::ssda903::ACTIVITY;
use staying_close_store::{EetCohortMember, StoreError};

#[derive(Template)]
#[template(path = "eet.html")]
struct EetPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    id: i64,
    name: String,
    banner: Option<&'static str>,
    activities: Table,
    interventions: Table,
    can_record: bool,
    activity: ActivityInput,
    codes: Vec<Choice>,
    help: EetInterventionInput,
    helps: Vec<Choice>,
    outcomes: Vec<Choice>,
}

#[derive(Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

fn eet_tag(code: &str) -> Part {
    match is_eet(code) {
        Some(true) => Part::tag("EET", "green"),
        Some(false) => Part::tag("NEET", "red"),
        None => Part::tag("Not known", "grey"),
    }
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    opened: &Opened,
    banner: Option<&'static str>,
    (activity, help): (ActivityInput, EetInterventionInput),
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (la, person) = (opened.viewer.la, opened.person.id);
    let activities = state.store.eet_activities(la, person).await?;
    let helps = state.store.eet_interventions(la, person).await?;
    let mut table = Table::new(
        "What they have been doing",
        vec![Heading::new("From"), Heading::new("To"), Heading::new("Activity"), Heading::new("Provider or employer")],
    );
    for a in &activities {
        let x = &a.activity;
        table.row(vec![
            Cell::text(format_uk(x.starts_on)),
            Cell::text(x.ends_on.map(format_uk).unwrap_or_else(|| "Now".into())),
            Cell::parts(vec![Part::text(format!("{} ({})", x.describe(), x.code)), eet_tag(&x.code)]),
            Cell::text(x.provider.clone().unwrap_or_default()),
        ]);
    }
    let mut interventions = Table::new(
        "Help towards education, employment and training",
        vec![
            Heading::new("Date"),
            Heading::new("Help"),
            Heading::new("Outcome"),
            Heading::new("Note"),
            Heading::new("Recorded by"),
        ],
    );
    for h in &helps {
        let i = &h.intervention;
        interventions.row(vec![
            Cell::text(format_uk(i.on)),
            Cell::text(i.help.label()),
            Cell::text(i.outcome.label()),
            Cell::text(i.note.clone().unwrap_or_default()),
            Cell::text(h.recorded_by.clone().unwrap_or_default()),
        ]);
    }
    let ids = activities.iter().map(|a| a.id).chain(helps.iter().map(|h| h.id)).collect();
    let audit = serde_json::json!({ "young_person_id": person.0 });
    state.store.record_bulk_read(&user.actor(), la, "eet", "eet", audit, ids).await?;
    let codes = ACTIVITY.codes.iter().filter(|(c, _)| is_eet(c).is_some()).map(|(c, m)| (*c, format!("{m} ({c})")));
    let mut code_choices = vec![Choice { value: String::new(), label: "Choose the activity".into(), checked: false }];
    code_choices.extend(choices(codes, &activity.code));
    let page = EetPage {
        page: Chrome::for_user(
            errors.title(&format!("Education, employment and training for {}", opened.name)),
            user,
            "/young-people",
        ),
        errors,
        csrf_token: user.csrf_token(),
        id: person.0,
        name: opened.name.clone(),
        banner,
        activities: table,
        interventions,
        can_record: user.can(Permission::RecordContact),
        codes: code_choices,
        helps: choices(EetHelp::ALL.iter().map(|k| (k.code(), k.label())), &help.help),
        outcomes: choices(EetOutcome::ALL.iter().map(|k| (k.code(), k.label())), &help.outcome),
        activity,
        help,
    };
    Ok((status, Html(page.render()?)).into_response())
}

fn blank() -> (ActivityInput, EetInterventionInput) {
    let today = DateParts::of(Some(today()));
    (
        ActivityInput { starts_on: today.clone(), ..ActivityInput::default() },
        EetInterventionInput { on: today, ..EetInterventionInput::default() },
    )
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "eet").await?;
    let banner = match q.saved.as_deref() {
        Some("activity") => Some("Activity recorded."),
        Some("help") => Some("Help recorded."),
        _ => None,
    };
    render(&state, &user, &opened, banner, blank(), Errors::default(), StatusCode::OK).await
}

pub async fn add_activity(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "add_eet_activity").await?;
    let input = ActivityInput {
        code: fields.get("code").to_owned(),
        provider: fields.get("provider").to_owned(),
        starts_on: fields.date("starts_on"),
        ends_on: fields.date("ends_on"),
    };
    let errors = match input.parse(today()) {
        Ok(a) => match state.store.add_activity(&opened.viewer, opened.person.id, &a, &user.actor()).await {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/young-people/{}/eet?saved=activity", opened.person.id.0)).into_response()
                )
            }
            Err(StoreError::Invalid(message)) => {
                let mut errors = Errors::default();
                errors.add("starts_on", message);
                errors
            }
            Err(e) => return Err(e.into()),
        },
        Err(e) => e.into(),
    };
    let (_, help) = blank();
    render(&state, &user, &opened, None, (input, help), errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub async fn add_intervention(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "add_eet_intervention").await?;
    let input = EetInterventionInput {
        on: fields.date("on"),
        help: fields.get("help").to_owned(),
        outcome: fields.get("outcome").to_owned(),
        note: fields.get("note").to_owned(),
    };
    match input.parse(today()) {
        Ok(h) => {
            state.store.add_eet_intervention(&opened.viewer, opened.person.id, &h, &user.actor()).await?;
            Ok(Redirect::to(&format!("/young-people/{}/eet?saved=help", opened.person.id.0)).into_response())
        }
        Err(e) => {
            let (activity, _) = blank();
            render(&state, &user, &opened, None, (activity, input), e.into(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

#[derive(Template)]
#[template(path = "eet_rate.html")]
struct EetRatePage {
    page: Chrome,
    errors: Errors,
    on: DateParts,
    day: String,
    headline: String,
    summary: Vec<SummaryRow>,
    in_eet: Table,
    not_in_eet: Table,
    not_known: Table,
}

#[derive(Deserialize, Default)]
pub struct OnQuery {
    #[serde(default, rename = "on-day")]
    day: String,
    #[serde(default, rename = "on-month")]
    month: String,
    #[serde(default, rename = "on-year")]
    year: String,
    #[serde(default)]
    on: String,
}

fn people_table(caption: &str, members: &[&EetCohortMember]) -> Table {
    let mut table = Table::new(caption, vec![Heading::new("Young person"), Heading::new("Activity that day")]);
    for m in members {
        let name = m.name.clone().unwrap_or_else(|| format!("{NAME_NOT_RECORDED} (child ID {})", m.child_id));
        let activity = m
            .activity
            .as_ref()
            .map(|a: &Activity| {
                format!("{}{}", a.describe(), a.provider.as_ref().map(|p| format!(", {p}")).unwrap_or_default())
            })
            .unwrap_or_else(|| "Nothing recorded".into());
        table.row(vec![
            Cell::parts(vec![Part::link(name, format!("/young-people/{}/eet", m.young_person.0))]),
            Cell::text(activity),
        ]);
    }
    table
}

/// The EET rate page: `?on=YYYY-MM-DD` or the date boxes; today by default.
pub async fn rate(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<OnQuery>,
) -> Result<Response, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let typed = if q.on.is_empty() {
        DateParts { day: q.day, month: q.month, year: q.year }
    } else {
        DateParts::from_iso(&q.on)
    };
    let mut errors = Errors::default();
    let day = if typed.is_blank() {
        today()
    } else {
        match typed.parse("The date") {
            Ok(Some(d)) => d,
            Ok(None) => today(),
            Err(m) => {
                errors.add("on", m);
                today()
            }
        }
    };
    let on = if typed.is_blank() { DateParts::of(Some(day)) } else { typed };
    let cohort = state.store.eet_cohort_on(&viewer, day).await?;
    let lists: Vec<(&EetCohortMember, Vec<Activity>)> =
        cohort.iter().map(|m| (m, m.activity.clone().into_iter().collect())).collect();
    let input: Vec<(&EetCohortMember, &[Activity])> = lists.iter().map(|(m, a)| (*m, a.as_slice())).collect();
    let rate = rate_on(&input, day);
    let headline = match rate.percent() {
        Some(p) => format!("{p}% in education, employment or training"),
        None => "No one's activity is known for this date".to_owned(),
    };
    let summary = vec![
        SummaryRow::text("In education, employment or training (numerator)", rate.in_eet.len().to_string()),
        SummaryRow::text("Activity known (denominator)", rate.known().to_string()),
        SummaryRow::text("Not in education, employment or training", rate.not_in_eet.len().to_string()),
        SummaryRow::text("Activity not known (not counted)", rate.not_known.len().to_string()),
    ];
    let ids = cohort.iter().map(|m| m.young_person.0).collect();
    let audit = serde_json::json!({ "on": day.to_string() });
    state.store.record_bulk_read(&user.actor(), viewer.la, "young_person", "eet_rate", audit, ids).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = EetRatePage {
        page: Chrome::for_user(errors.title("EET rate"), &user, "/young-people"),
        errors,
        on,
        day: format_uk(day),
        headline,
        summary,
        in_eet: people_table("In education, employment or training", &rate.in_eet),
        not_in_eet: people_table("Not in education, employment or training", &rate.not_in_eet),
        not_known: people_table("Activity not known", &rate.not_known),
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct EetRateJson {
    pub on: String,
    pub in_eet: usize,
    pub known: usize,
    pub not_known: usize,
    /// Whole per cent; null when no one's activity is known.
    pub percent: Option<u32>,
    /// Young people ids behind the numerator.
    pub in_eet_ids: Vec<i64>,
    pub not_in_eet_ids: Vec<i64>,
    pub not_known_ids: Vec<i64>,
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct ApiOn {
    /// YYYY-MM-DD; today when left out.
    #[serde(default)]
    on: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/eet-rate", tag = "eet", params(ApiOn),
    responses((status = 200, body = EetRateJson), (status = 422, body = crate::error::ApiErrors)), security(("bearer" = [])))]
pub async fn api_rate(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<ApiOn>,
) -> Result<axum::Json<EetRateJson>, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let day = match q.on.as_deref() {
        None | Some("") => today(),
        Some(text) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| AppError::Store(StoreError::Invalid("on must be a date like 2026-03-31".into())))?,
    };
    let cohort = state.store.eet_cohort_on(&viewer, day).await?;
    let lists: Vec<(i64, Vec<Activity>)> =
        cohort.iter().map(|m| (m.young_person.0, m.activity.clone().into_iter().collect())).collect();
    let input: Vec<(i64, &[Activity])> = lists.iter().map(|(id, a)| (*id, a.as_slice())).collect();
    let rate = rate_on(&input, day);
    let audit = serde_json::json!({ "on": day.to_string() });
    let ids = cohort.iter().map(|m| m.young_person.0).collect();
    state.store.record_bulk_read(&user.actor(), viewer.la, "young_person", "api_eet_rate", audit, ids).await?;
    Ok(axum::Json(EetRateJson {
        on: day.to_string(),
        in_eet: rate.in_eet.len(),
        known: rate.known(),
        not_known: rate.not_known.len(),
        percent: rate.percent(),
        in_eet_ids: rate.in_eet.clone(),
        not_in_eet_ids: rate.not_in_eet.clone(),
        not_known_ids: rate.not_known.clone(),
    }))
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ActivityJson {
    /// OC3 ACTIV code, like F2 (other education, full time).
    pub activ_code: String,
    /// true for education, employment or training; false for NEET.
    pub eet: bool,
    pub provider: Option<String>,
    pub starts_on: String,
    pub ends_on: Option<String>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct EetInterventionJson {
    pub date: String,
    pub help: String,
    pub outcome: String,
    pub note: Option<String>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct EetJson {
    /// The latest first.
    pub activities: Vec<ActivityJson>,
    pub interventions: Vec<EetInterventionJson>,
}

#[utoipa::path(get, path = "/api/v1/young-people/{id}/eet", tag = "eet", params(("id" = i64, Path)),
    responses((status = 200, body = EetJson), (status = 404, body = crate::error::ApiErrors)),
    security(("bearer" = [])))]
pub async fn api(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<axum::Json<EetJson>, AppError> {
    let opened = open(&state, &user, &id, "api_eet").await?;
    let (la, person) = (opened.viewer.la, opened.person.id);
    let activities = state.store.eet_activities(la, person).await?;
    let helps = state.store.eet_interventions(la, person).await?;
    let ids = activities.iter().map(|a| a.id).chain(helps.iter().map(|h| h.id)).collect();
    let audit = serde_json::json!({ "young_person_id": person.0 });
    state.store.record_bulk_read(&user.actor(), la, "eet", "api", audit, ids).await?;
    Ok(axum::Json(EetJson {
        activities: activities
            .iter()
            .map(|a| ActivityJson {
                activ_code: a.activity.code.clone(),
                eet: is_eet(&a.activity.code) == Some(true),
                provider: a.activity.provider.clone(),
                starts_on: a.activity.starts_on.to_string(),
                ends_on: a.activity.ends_on.map(|d| d.to_string()),
            })
            .collect(),
        interventions: helps
            .iter()
            .map(|h| EetInterventionJson {
                date: h.intervention.on.to_string(),
                help: h.intervention.help.code().to_owned(),
                outcome: h.intervention.outcome.code().to_owned(),
                note: h.intervention.note.clone(),
            })
            .collect(),
    }))
}
