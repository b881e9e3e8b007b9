//! A young person's accommodation: where they have lived (OC3 codes with
//! suitability), the help they had with housing, and the forms to record
//! a move or a housing intervention. A move ends the open stay the day
//! before; any other overlap is refused with the stay it overlaps named.

use crate::components::{choices, Cell, Choice, Heading, Part, Table};
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
use staying_close_domain::accommodation::{InterventionInput, InterventionKind, InterventionOutcome, StayInput};
use staying_close_domain::dates::format_uk;
use staying_close_domain::permissions::Permission;
use staying_close_domain::profile::DateParts;
use staying_close_domain::ssda903::ACCOMMODATION;
use staying_close_store::StoreError;

#[derive(Template)]
#[template(path = "accommodation.html")]
struct AccommodationPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    id: i64,
    name: String,
    banner: Option<&'static str>,
    stays: Table,
    interventions: Table,
    can_record: bool,
    stay: StayInput,
    codes: Vec<Choice>,
    help: InterventionInput,
    kinds: Vec<Choice>,
    outcomes: Vec<Choice>,
}

#[derive(Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    opened: &Opened,
    banner: Option<&'static str>,
    (stay, help): (StayInput, InterventionInput),
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (la, person) = (opened.viewer.la, opened.person.id);
    let stays = state.store.accommodation_stays(la, person).await?;
    let helps = state.store.housing_interventions(la, person).await?;
    let mut table = Table::new(
        "Where they have lived",
        vec![
            Heading::new("From"),
            Heading::new("To"),
            Heading::new("Accommodation"),
            Heading::new("Address and provider"),
            Heading::new("Reason for the move"),
        ],
    );
    for s in &stays {
        let st = &s.stay;
        let suitability = if st.suitable() { Part::tag("Suitable", "green") } else { Part::tag("Not suitable", "red") };
        let kind = st.kind_label();
        table.row(vec![
            Cell::text(format_uk(st.starts_on)),
            Cell::text(st.ends_on.map(format_uk).unwrap_or_else(|| "Now".into())),
            Cell::parts(vec![Part::text(format!("{kind} ({})", st.code)), suitability]),
            Cell::parts(vec![
                Part::text(st.address.clone().unwrap_or_default()),
                Part::Break,
                Part::text(st.provider.clone().unwrap_or_default()),
            ]),
            Cell::text(st.reason_for_move.clone().unwrap_or_default()),
        ]);
    }
    let mut interventions = Table::new(
        "Help with housing",
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
            Cell::text(i.kind.label()),
            Cell::text(i.outcome.label()),
            Cell::text(i.note.clone().unwrap_or_default()),
            Cell::text(h.recorded_by.clone().unwrap_or_default()),
        ]);
    }
    let ids = stays.iter().map(|s| s.id).chain(helps.iter().map(|h| h.id)).collect();
    let audit = serde_json::json!({ "young_person_id": person.0 });
    state.store.record_bulk_read(&user.actor(), la, "accommodation", "accommodation", audit, ids).await?;
    let codes = ACCOMMODATION.codes.iter().filter(|(c, _)| *c != "0").map(|(c, m)| (*c, format!("{m} ({c})")));
    let mut code_choices =
        vec![Choice { value: String::new(), label: "Choose the accommodation".into(), checked: false }];
    code_choices.extend(choices(codes, &stay.code));
    let page = AccommodationPage {
        page: Chrome::for_user(errors.title(&format!("Accommodation for {}", opened.name)), user, "/young-people"),
        errors,
        csrf_token: user.csrf_token(),
        id: person.0,
        name: opened.name.clone(),
        banner,
        stays: table,
        interventions,
        can_record: user.can(Permission::RecordContact),
        codes: code_choices,
        kinds: choices(InterventionKind::ALL.iter().map(|k| (k.code(), k.label())), &help.kind),
        outcomes: choices(InterventionOutcome::ALL.iter().map(|k| (k.code(), k.label())), &help.outcome),
        stay,
        help,
    };
    Ok((status, Html(page.render()?)).into_response())
}

fn blank() -> (StayInput, InterventionInput) {
    let today = DateParts::of(Some(today()));
    (
        StayInput { starts_on: today.clone(), ..StayInput::default() },
        InterventionInput { on: today, ..InterventionInput::default() },
    )
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "accommodation").await?;
    let banner = match q.saved.as_deref() {
        Some("stay") => Some("Move recorded."),
        Some("help") => Some("Housing help recorded."),
        _ => None,
    };
    render(&state, &user, &opened, banner, blank(), Errors::default(), StatusCode::OK).await
}

pub async fn add_stay(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "add_stay").await?;
    let input = StayInput {
        code: fields.get("code").to_owned(),
        address: fields.get("address").to_owned(),
        provider: fields.get("provider").to_owned(),
        starts_on: fields.date("starts_on"),
        ends_on: fields.date("ends_on"),
        reason_for_move: fields.get("reason_for_move").to_owned(),
    };
    let (_, help) = blank();
    let errors = match input.parse(today()) {
        Ok(stay) => match state.store.add_stay(&opened.viewer, opened.person.id, &stay, &user.actor()).await {
            Ok(_) => {
                let to = format!("/young-people/{}/accommodation?saved=stay", opened.person.id.0);
                return Ok(Redirect::to(&to).into_response());
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
    render(&state, &user, &opened, None, (input, help), errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub async fn add_intervention(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "add_housing_intervention").await?;
    let input = InterventionInput {
        on: fields.date("on"),
        kind: fields.get("kind").to_owned(),
        outcome: fields.get("outcome").to_owned(),
        note: fields.get("note").to_owned(),
    };
    match input.parse(today()) {
        Ok(h) => {
            state.store.add_housing_intervention(&opened.viewer, opened.person.id, &h, &user.actor()).await?;
            Ok(Redirect::to(&format!("/young-people/{}/accommodation?saved=help", opened.person.id.0)).into_response())
        }
        Err(e) => {
            let (stay, _) = blank();
            render(&state, &user, &opened, None, (stay, input), e.into(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct StayJson {
    /// OC3 ACCOM code, like U1 (independent living, suitable).
    pub accom_code: String,
    pub suitable: bool,
    pub address: Option<String>,
    pub provider: Option<String>,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub reason_for_move: Option<String>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct InterventionJson {
    pub date: String,
    pub kind: String,
    pub outcome: String,
    pub note: Option<String>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AccommodationJson {
    /// The latest first.
    pub stays: Vec<StayJson>,
    pub interventions: Vec<InterventionJson>,
}

#[utoipa::path(get, path = "/api/v1/young-people/{id}/accommodation", tag = "accommodation", params(("id" = i64, Path)),
    responses((status = 200, body = AccommodationJson), (status = 404, body = crate::error::ApiErrors)),
    security(("bearer" = [])))]
pub async fn api(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<axum::Json<AccommodationJson>, AppError> {
    let opened = open(&state, &user, &id, "api_accommodation").await?;
    let (la, person) = (opened.viewer.la, opened.person.id);
    let stays = state.store.accommodation_stays(la, person).await?;
    let helps = state.store.housing_interventions(la, person).await?;
    let ids = stays.iter().map(|s| s.id).chain(helps.iter().map(|h| h.id)).collect();
    let audit = serde_json::json!({ "young_person_id": person.0 });
    state.store.record_bulk_read(&user.actor(), la, "accommodation", "api", audit, ids).await?;
    Ok(axum::Json(AccommodationJson {
        stays: stays
            .iter()
            .map(|s| StayJson {
                accom_code: s.stay.code.clone(),
                suitable: s.stay.suitable(),
                address: s.stay.address.clone(),
                provider: s.stay.provider.clone(),
                starts_on: s.stay.starts_on.to_string(),
                ends_on: s.stay.ends_on.map(|d| d.to_string()),
                reason_for_move: s.stay.reason_for_move.clone(),
            })
            .collect(),
        interventions: helps
            .iter()
            .map(|h| InterventionJson {
                date: h.intervention.on.to_string(),
                kind: h.intervention.kind.code().to_owned(),
                outcome: h.intervention.outcome.code().to_owned(),
                note: h.intervention.note.clone(),
            })
            .collect(),
    }))
}
