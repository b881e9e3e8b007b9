//! The LA's ring-fenced lets: every property with its status and occupant,
//! this financial year's housing outcomes, and (for those who manage lets)
//! forms to add or change a property and to record who lives there. An
//! occupancy that overlaps another of the same property is refused with a
//! message naming both.

use crate::components::{choices, Cell, Choice, Heading, Part, SummaryRow, Table};
use crate::forms::{Errors, Fields};
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::young_people::today;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use staying_close_domain::accommodation::outcomes;
use staying_close_domain::allowance::financial_year_start;
use staying_close_domain::dates::format_uk;
use staying_close_domain::lets::{status_on, LetStatus, Occupancy, OccupancyInput, PropertyInput};
use staying_close_domain::permissions::Permission;
use staying_close_domain::profile::DateParts;
use staying_close_domain::words::count;
use staying_close_store::{StoreError, StoredLet, Viewer};

#[derive(Template)]
#[template(path = "lets.html")]
struct LetsPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    banner: Option<&'static str>,
    summary: String,
    outcomes: Vec<SummaryRow>,
    table: Table,
    can_manage: bool,
    input: PropertyInput,
    statuses: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "let.html")]
struct LetPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    banner: Option<&'static str>,
    id: i64,
    version: i64,
    address: String,
    details: Vec<SummaryRow>,
    table: Table,
    can_manage: bool,
    input: PropertyInput,
    statuses: Vec<Choice>,
    occupancy: OccupancyInput,
    /// Who lives there now with no end date, if anyone: the form to end it.
    open_occupant: Option<String>,
    moved_out: DateParts,
}

#[derive(Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

fn viewer(user: &CurrentUser) -> Result<Viewer, AppError> {
    user.viewer().ok_or(AppError::NotFound)
}

fn status_choices(selected: &str) -> Vec<Choice> {
    choices(LetStatus::ALL.iter().filter(|s| **s != LetStatus::Occupied).map(|s| (s.code(), s.label())), selected)
}

fn occupant(o: &staying_close_store::StoredOccupancy) -> Part {
    match &o.occupant {
        Some((id, name)) => Part::link(name, format!("/young-people/{}/accommodation", id.0)),
        None => Part::text("A young person you do not work with"),
    }
}

fn property_input(fields: &Fields) -> PropertyInput {
    PropertyInput {
        address: fields.get("address").to_owned(),
        landlord: fields.get("landlord").to_owned(),
        bedrooms: fields.get("bedrooms").to_owned(),
        status: fields.get("status").to_owned(),
        note: fields.get("note").to_owned(),
    }
}

async fn render_list(
    state: &AppState,
    user: &CurrentUser,
    banner: Option<&'static str>,
    input: PropertyInput,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let viewer = viewer(user)?;
    let today = today();
    let lets = state.store.lets(&viewer).await?;
    let mut table = Table::new(
        "Ring-fenced lets",
        vec![
            Heading::new("Property"),
            Heading::numeric("Bedrooms"),
            Heading::new("Status"),
            Heading::new("Living there now"),
        ],
    );
    let mut occupied = 0;
    let mut available = 0;
    for l in &lets {
        let occupancies: Vec<Occupancy> = l.occupancies.iter().map(|o| o.occupancy).collect();
        let s = status_on(&l.property, &occupancies, today);
        occupied += usize::from(s == LetStatus::Occupied);
        available += usize::from(s == LetStatus::Available);
        let now = l.occupancies.iter().find(|o| o.occupancy.covers(today));
        table.row(vec![
            Cell::parts(vec![
                Part::link(&l.property.address, format!("/lets/{}", l.id)),
                Part::Break,
                Part::text(&l.property.landlord),
            ]),
            Cell::number(l.property.bedrooms),
            Cell::parts(vec![Part::tag(s.label(), s.colour())]),
            Cell::parts(vec![now.map(occupant).unwrap_or_else(|| Part::text("No one"))]),
        ]);
    }
    let summary = format!(
        "{}: {} occupied, {} available.",
        count(lets.len() as u64, "ring-fenced let", "ring-fenced lets"),
        occupied,
        available
    );
    // Housing outcomes this financial year, from the stays of the young people the viewer may see.
    let from = financial_year_start(today);
    let stays = state.store.stays_around(&viewer, from - chrono::Months::new(6), today).await?;
    let mut people: Vec<Vec<staying_close_domain::accommodation::Stay>> = Vec::new();
    let mut last = None;
    for s in &stays {
        if last != Some(s.young_person) {
            people.push(Vec::new());
            last = Some(s.young_person);
        }
        people.last_mut().expect("pushed above").push(s.stay.clone());
    }
    let refs: Vec<&[staying_close_domain::accommodation::Stay]> = people.iter().map(Vec::as_slice).collect();
    let counted = outcomes(&refs, from, today);
    let sum =
        |f: fn(&staying_close_domain::accommodation::HousingOutcomes) -> usize| counted.iter().map(f).sum::<usize>();
    let outcome_rows = vec![
        SummaryRow::text("Moves to semi-independent living", sum(|o| o.moves_to_semi_independent.len()).to_string()),
        SummaryRow::text("Returns to family", sum(|o| o.returns_to_family.len()).to_string()),
        SummaryRow::text("Own tenancies sustained 6 months or more", sum(|o| o.tenancies_sustained.len()).to_string()),
    ];
    // The outcomes read these young people's stays; the table names the current occupants.
    let occupants =
        lets.iter().flat_map(|l| l.occupancies.iter().filter_map(|o| o.occupant.as_ref().map(|(id, _)| id.0)));
    let ids = stays.iter().map(|s| s.young_person.0).chain(occupants).collect();
    let audit = serde_json::json!({ "from": from.to_string() });
    state.store.record_bulk_read(&user.actor(), viewer.la, "young_person", "lets", audit, ids).await?;
    let page = LetsPage {
        page: Chrome::for_user(errors.title("Ring-fenced lets"), user, "/lets"),
        errors,
        csrf_token: user.csrf_token(),
        banner,
        summary,
        outcomes: outcome_rows,
        table,
        can_manage: user.can(Permission::ManageLets),
        statuses: status_choices(&input.status),
        input,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let banner = (q.saved.as_deref() == Some("added")).then_some("Property added.");
    let input = PropertyInput { status: "available".into(), ..PropertyInput::default() };
    render_list(&state, &user, banner, input, Errors::default(), StatusCode::OK).await
}

pub async fn add(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let la = viewer(&user)?.la;
    let input = property_input(&fields);
    let errors = match input.parse() {
        Ok(p) => match state.store.save_let(la, None, &p, &user.actor()).await {
            Ok(_) => return Ok(Redirect::to("/lets?saved=added").into_response()),
            Err(StoreError::Duplicate { .. }) => {
                let mut errors = Errors::default();
                errors.add("address", "There is already a ring-fenced let at that address");
                errors
            }
            Err(e) => return Err(e.into()),
        },
        Err(e) => e.into(),
    };
    render_list(&state, &user, None, input, errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

async fn find(state: &AppState, user: &CurrentUser, id: &str) -> Result<(Viewer, StoredLet), AppError> {
    let viewer = viewer(user)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let found = state.store.lets(&viewer).await?.into_iter().find(|l| l.id == id).ok_or(AppError::NotFound)?;
    Ok((viewer, found))
}

#[allow(clippy::too_many_arguments)]
async fn render_one(
    state: &AppState,
    user: &CurrentUser,
    viewer: &Viewer,
    l: StoredLet,
    banner: Option<&'static str>,
    input: PropertyInput,
    occupancy: OccupancyInput,
    moved_out: Option<DateParts>,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let today = today();
    let occupancies: Vec<Occupancy> = l.occupancies.iter().map(|o| o.occupancy).collect();
    let s = status_on(&l.property, &occupancies, today);
    let details = vec![
        SummaryRow::text("Landlord or provider", &l.property.landlord),
        SummaryRow::text("Bedrooms", l.property.bedrooms.to_string()),
        SummaryRow::parts("Status", vec![Part::tag(s.label(), s.colour())]),
        SummaryRow::text("Note", l.property.note.clone().unwrap_or_default()),
    ];
    let mut table =
        Table::new("Who has lived there", vec![Heading::new("Young person"), Heading::new("From"), Heading::new("To")]);
    for o in &l.occupancies {
        table.row(vec![
            Cell::parts(vec![occupant(o)]),
            Cell::text(format_uk(o.occupancy.starts_on)),
            Cell::text(o.occupancy.ends_on.map(format_uk).unwrap_or_else(|| "Now".into())),
        ]);
    }
    let open_occupant = l
        .occupancies
        .iter()
        .find(|o| o.occupancy.ends_on.is_none())
        .map(|o| o.occupant.as_ref().map(|(_, name)| name.clone()).unwrap_or_else(|| "The young person".into()));
    let ids = l.occupancies.iter().filter_map(|o| o.occupant.as_ref().map(|(id, _)| id.0)).collect();
    let audit = serde_json::json!({ "let_id": l.id });
    state.store.record_bulk_read(&user.actor(), viewer.la, "young_person", "let", audit, ids).await?;
    let page = LetPage {
        page: Chrome::for_user(errors.title(&l.property.address), user, "/lets"),
        errors,
        csrf_token: user.csrf_token(),
        banner,
        id: l.id,
        version: l.version,
        address: l.property.address.clone(),
        details,
        table,
        can_manage: user.can(Permission::ManageLets),
        statuses: status_choices(&input.status),
        input,
        occupancy,
        open_occupant,
        moved_out: moved_out.unwrap_or_else(|| DateParts::of(Some(today))),
    };
    Ok((status, Html(page.render()?)).into_response())
}

fn input_of(l: &StoredLet) -> PropertyInput {
    PropertyInput {
        address: l.property.address.clone(),
        landlord: l.property.landlord.clone(),
        bedrooms: l.property.bedrooms.to_string(),
        status: l.property.status.code().to_owned(),
        note: l.property.note.clone().unwrap_or_default(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let (viewer, l) = find(&state, &user, &id).await?;
    let banner = match q.saved.as_deref() {
        Some("changed") => Some("Property saved."),
        Some("occupancy") => Some("Occupancy recorded."),
        Some("ended") => Some("Occupancy ended."),
        _ => None,
    };
    let input = input_of(&l);
    let occupancy = OccupancyInput { starts_on: DateParts::of(Some(today())), ..OccupancyInput::default() };
    render_one(&state, &user, &viewer, l, banner, input, occupancy, None, Errors::default(), StatusCode::OK).await
}

pub async fn save(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let (viewer, l) = find(&state, &user, &id).await?;
    let input = property_input(&fields);
    let version: i64 = fields.get("version").parse().unwrap_or(0);
    let (errors, status) = match input.parse() {
        Ok(p) => match state.store.save_let(viewer.la, Some((l.id, version)), &p, &user.actor()).await {
            Ok(_) => return Ok(Redirect::to(&format!("/lets/{}?saved=changed", l.id)).into_response()),
            Err(StoreError::Conflict { .. }) => {
                let mut errors = Errors::default();
                errors.add("address", "Someone else changed this property after you opened it. What is saved now is shown above; check it, then make your change again.");
                (errors, StatusCode::CONFLICT)
            }
            Err(StoreError::Duplicate { .. }) => {
                let mut errors = Errors::default();
                errors.add("address", "There is already a ring-fenced let at that address");
                (errors, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(e) => return Err(e.into()),
        },
        Err(e) => (e.into(), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let (_, l) = find(&state, &user, &id).await?;
    let occupancy = OccupancyInput { starts_on: DateParts::of(Some(today())), ..OccupancyInput::default() };
    render_one(&state, &user, &viewer, l, None, input, occupancy, None, errors, status).await
}

pub async fn add_occupancy(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let (viewer, l) = find(&state, &user, &id).await?;
    let occupancy = OccupancyInput {
        child_id: fields.get("child_id").to_owned(),
        starts_on: fields.date("starts_on"),
        ends_on: fields.date("ends_on"),
    };
    let errors = match occupancy.parse(today()) {
        Ok((child_id, o)) => {
            let found = state.store.young_person_ids_by_child_id(viewer.la, std::slice::from_ref(&child_id)).await?;
            match found.first() {
                None => {
                    let mut errors = Errors::default();
                    errors.add("child_id", format!("No young person has the child ID {child_id}"));
                    errors
                }
                Some((_, person)) => {
                    match state.store.record_occupancy(&viewer, l.id, *person, o, &user.actor()).await {
                        Ok(_) => return Ok(Redirect::to(&format!("/lets/{}?saved=occupancy", l.id)).into_response()),
                        Err(StoreError::Invalid(message)) => {
                            let mut errors = Errors::default();
                            errors.add("starts_on", message);
                            errors
                        }
                        Err(StoreError::NotFound { what: "Young person" }) => {
                            let mut errors = Errors::default();
                            errors.add("child_id", format!("No young person has the child ID {child_id}"));
                            errors
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
            }
        }
        Err(e) => e.into(),
    };
    let input = input_of(&l);
    render_one(&state, &user, &viewer, l, None, input, occupancy, None, errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// Ends the open occupancy on the day they moved out.
pub async fn end_occupancy(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let (viewer, l) = find(&state, &user, &id).await?;
    let moved_out = fields.date("moved_out");
    let version: i64 = fields.get("version").parse().unwrap_or(0);
    let mut errors = Errors::default();
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    match moved_out.parse("The date they moved out") {
        Ok(Some(on)) if on > today() => errors.add("moved_out", "The date they moved out must be today or in the past"),
        Ok(Some(on)) => match state.store.end_occupancy(&viewer, l.id, version, on, &user.actor()).await {
            Ok(()) => return Ok(Redirect::to(&format!("/lets/{}?saved=ended", l.id)).into_response()),
            Err(StoreError::Invalid(message)) => errors.add("moved_out", message),
            Err(StoreError::Conflict { .. }) => {
                errors.add("moved_out", "Someone else changed this property after you opened it. Check who lives there now, then try again.");
                status = StatusCode::CONFLICT;
            }
            Err(StoreError::NotFound { what: "Young person" }) => {
                errors.add("moved_out", "You can only end the occupancy of a young person you work with")
            }
            Err(e) => return Err(e.into()),
        },
        Ok(None) => errors.add("moved_out", "Enter the date they moved out"),
        Err(m) => errors.add("moved_out", m),
    }
    let (_, l) = find(&state, &user, &id).await?;
    let input = input_of(&l);
    let occupancy = OccupancyInput { starts_on: DateParts::of(Some(today())), ..OccupancyInput::default() };
    render_one(&state, &user, &viewer, l, None, input, occupancy, Some(moved_out), errors, status).await
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct LetJson {
    pub id: i64,
    pub address: String,
    pub landlord: String,
    pub bedrooms: u8,
    /// available, offered, occupied or void, today.
    pub status: String,
    pub version: i64,
}

#[utoipa::path(get, path = "/api/v1/lets", tag = "lets",
    responses((status = 200, body = Vec<LetJson>)), security(("bearer" = [])))]
pub async fn api(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<axum::Json<Vec<LetJson>>, AppError> {
    let viewer = viewer(&user)?;
    let today = today();
    let lets = state.store.lets(&viewer).await?;
    Ok(axum::Json(
        lets.iter()
            .map(|l| {
                let occupancies: Vec<Occupancy> = l.occupancies.iter().map(|o| o.occupancy).collect();
                LetJson {
                    id: l.id,
                    address: l.property.address.clone(),
                    landlord: l.property.landlord.clone(),
                    bedrooms: l.property.bedrooms,
                    status: status_on(&l.property, &occupancies, today).code().to_owned(),
                    version: l.version,
                }
            })
            .collect(),
    ))
}
