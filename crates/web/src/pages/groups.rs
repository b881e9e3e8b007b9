//! Group activities (`/groups`): the LA's events this financial year with
//! their cost and how many came; one event's page with who came (young
//! people by child ID, staff by ticking); and Participation
//! (`/participation`): Care Leavers' Forum meetings and young people's part
//! in recruitment and service design.

use crate::components::{choices, Cell, Choice, Heading, Part, SummaryRow, Table};
use crate::forms::{Errors, Fields};
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::young_people::{today, NAME_NOT_RECORDED};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use staying_close_domain::allowance::financial_year_start;
use staying_close_domain::dates::format_uk;
use staying_close_domain::groups::{child_ids, EventInput, EventKind, InvolvementInput, InvolvementKind};
use staying_close_domain::money::Pence;
use staying_close_domain::permissions::Permission;
use staying_close_domain::profile::DateParts;
use staying_close_store::{Attendee, StaffId, StoreError, StoredEvent, Viewer, YoungPersonId};

#[derive(Template)]
#[template(path = "groups.html")]
struct GroupsPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    banner: Option<&'static str>,
    summary: String,
    table: Table,
    can_record: bool,
    input: EventInput,
    kinds: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    banner: Option<&'static str>,
    id: i64,
    version: i64,
    title: String,
    details: Vec<SummaryRow>,
    people: Table,
    can_record: bool,
    attendees: String,
    staff: Vec<Choice>,
    input: EventInput,
    kinds: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "participation.html")]
struct ParticipationPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    banner: Option<&'static str>,
    meetings: Table,
    involvement: Table,
    can_record: bool,
    input: InvolvementInput,
    kinds: Vec<Choice>,
}

#[derive(Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

fn viewer(user: &CurrentUser) -> Result<Viewer, AppError> {
    user.viewer().ok_or(AppError::NotFound)
}

fn kind_choices(selected: &str) -> Vec<Choice> {
    choices(EventKind::ALL.iter().map(|k| (k.code(), k.label())), selected)
}

fn event_input(fields: &Fields) -> EventInput {
    EventInput {
        title: fields.get("title").to_owned(),
        kind: fields.get("kind").to_owned(),
        on: fields.date("on"),
        cost: fields.get("cost").to_owned(),
        topics: fields.get("topics").to_owned(),
        actions: fields.get("actions").to_owned(),
    }
}

fn events_table(caption: &str, events: &[StoredEvent]) -> Table {
    let mut table = Table::new(
        caption,
        vec![
            Heading::new("Date"),
            Heading::new("Event"),
            Heading::numeric("Young people"),
            Heading::numeric("Staff"),
            Heading::numeric("Cost"),
        ],
    );
    for e in events {
        table.row(vec![
            Cell::text(format_uk(e.event.on)),
            Cell::parts(vec![
                Part::link(&e.event.title, format!("/groups/{}", e.id)),
                Part::Break,
                Part::text(e.event.kind.label()),
            ]),
            Cell::number(e.young_people),
            Cell::number(e.staff),
            Cell::number(e.event.cost),
        ]);
    }
    table
}

async fn render_list(
    state: &AppState,
    user: &CurrentUser,
    banner: Option<&'static str>,
    input: EventInput,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let la = viewer(user)?.la;
    let today = today();
    let from = financial_year_start(today);
    let events = state.store.group_events(la, from, today + chrono::Duration::days(365), false).await?;
    let cost = Pence(events.iter().map(|e| e.event.cost.0).sum());
    let came: i64 = events.iter().map(|e| e.young_people).sum();
    let summary = format!(
        "Since {}: {} events, {} attendances by young people, costing {cost}.",
        format_uk(from),
        events.len(),
        came
    );
    let page = GroupsPage {
        page: Chrome::for_user(errors.title("Group activities"), user, "/groups"),
        errors,
        csrf_token: user.csrf_token(),
        banner,
        summary,
        table: events_table("Events this financial year", &events),
        can_record: user.can(Permission::RecordContact),
        kinds: kind_choices(&input.kind),
        input,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let banner = (q.saved.as_deref() == Some("added")).then_some("Event added. Now record who came.");
    let input = EventInput { on: DateParts::of(Some(today())), ..EventInput::default() };
    render_list(&state, &user, banner, input, Errors::default(), StatusCode::OK).await
}

pub async fn add(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let la = viewer(&user)?.la;
    let input = event_input(&fields);
    match input.parse() {
        Ok(e) => {
            let id = state.store.save_group_event(la, None, &e, Some(user.staff.id), &user.actor()).await?;
            Ok(Redirect::to(&format!("/groups/{id}?saved=added")).into_response())
        }
        Err(e) => render_list(&state, &user, None, input, e.into(), StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

fn person_name(a: &Attendee) -> String {
    a.name.clone().unwrap_or_else(|| format!("{NAME_NOT_RECORDED} (child ID {})", a.child_id))
}

#[allow(clippy::too_many_arguments)]
async fn render_one(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    banner: Option<&'static str>,
    input: Option<EventInput>,
    attendees: Option<String>,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let viewer = viewer(user)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let (event, people, staff_ids) = state.store.group_event(&viewer, id).await?.ok_or(AppError::NotFound)?;
    let e = &event.event;
    let mut details = vec![
        SummaryRow::text("Kind", e.kind.label()),
        SummaryRow::text("Date", format_uk(e.on)),
        SummaryRow::text("Cost", e.cost.to_string()),
    ];
    if let Some(t) = &e.topics {
        details.push(SummaryRow::text("Topics", t));
    }
    if let Some(a) = &e.actions {
        details.push(SummaryRow::text("Actions agreed", a));
    }
    let mut table = Table::new("Young people who came", vec![Heading::new("Young person"), Heading::new("Child ID")]);
    for p in &people {
        let who = if p.visible {
            Part::link(person_name(p), format!("/young-people/{}/journey", p.young_person.0))
        } else {
            Part::text("A young person you do not work with")
        };
        table.row(vec![Cell::parts(vec![who]), Cell::text(&p.child_id)]);
    }
    let team = state.store.list_staff(viewer.la).await?;
    let staff = team
        .iter()
        .filter(|s| s.active)
        .map(|s| Choice {
            value: s.id.0.to_string(),
            label: s.display_name.clone(),
            checked: staff_ids.contains(&s.id),
        })
        .collect();
    let ids = people.iter().filter(|p| p.visible).map(|p| p.young_person.0).collect();
    let audit = serde_json::json!({ "event_id": id });
    state.store.record_bulk_read(&user.actor(), viewer.la, "young_person", "group_event", audit, ids).await?;
    // Only the young people this viewer may see are listed back to them; saving keeps the others.
    let attendees = attendees.unwrap_or_else(|| {
        people.iter().filter(|p| p.visible).map(|p| p.child_id.clone()).collect::<Vec<_>>().join(", ")
    });
    let input = input.unwrap_or_else(|| EventInput::of(e));
    let page = GroupPage {
        page: Chrome::for_user(errors.title(&e.title), user, "/groups"),
        errors,
        csrf_token: user.csrf_token(),
        banner,
        id,
        version: event.version,
        title: e.title.clone(),
        details,
        people: table,
        can_record: user.can(Permission::RecordContact),
        attendees,
        staff,
        kinds: kind_choices(&input.kind),
        input,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let banner = match q.saved.as_deref() {
        Some("added") => Some("Event added. Now record who came."),
        Some("attendance") => Some("Attendance saved."),
        Some("changed") => Some("Event saved."),
        _ => None,
    };
    render_one(&state, &user, &id, banner, None, None, Errors::default(), StatusCode::OK).await
}

fn stale() -> Errors {
    let mut errors = Errors::default();
    errors.add("attendees", "Someone else changed this event after you opened it. What is saved now is shown; check it, then make your change again.");
    errors
}

pub async fn save(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let viewer = viewer(&user)?;
    let event_id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let version: i64 = fields.get("version").parse().unwrap_or(0);
    let input = event_input(&fields);
    match input.parse() {
        Ok(e) => {
            match state.store.save_group_event(viewer.la, Some((event_id, version)), &e, None, &user.actor()).await {
                Ok(_) => Ok(Redirect::to(&format!("/groups/{event_id}?saved=changed")).into_response()),
                Err(StoreError::Conflict { .. }) => {
                    render_one(&state, &user, &id, None, None, None, stale(), StatusCode::CONFLICT).await
                }
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => {
            render_one(&state, &user, &id, None, Some(input), None, e.into(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn attendance(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let viewer = viewer(&user)?;
    let event_id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    state.store.group_event(&viewer, event_id).await?.ok_or(AppError::NotFound)?;
    let version: i64 = fields.get("version").parse().unwrap_or(0);
    let typed = fields.get("attendees").to_owned();
    let wanted = child_ids(&typed);
    let found = state.store.young_person_ids_by_child_id(viewer.la, &wanted).await?;
    let unknown: Vec<&str> =
        wanted.iter().filter(|w| !found.iter().any(|(c, _)| c.eq_ignore_ascii_case(w))).map(String::as_str).collect();
    let staff: Vec<StaffId> = fields.all("staff").iter().filter_map(|s| s.parse::<i64>().ok()).map(StaffId).collect();
    let mut errors = Errors::default();
    if !unknown.is_empty() {
        errors.add("attendees", format!("No young person has the child ID {}", unknown.join(", ")));
        return render_one(&state, &user, &id, None, None, Some(typed), errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let people: Vec<YoungPersonId> = found.iter().map(|(_, p)| *p).collect();
    match state.store.set_attendance(&viewer, event_id, version, &people, &staff, &user.actor()).await {
        Ok(()) => Ok(Redirect::to(&format!("/groups/{event_id}?saved=attendance")).into_response()),
        Err(StoreError::Conflict { .. }) => {
            render_one(&state, &user, &id, None, None, None, stale(), StatusCode::CONFLICT).await
        }
        Err(StoreError::NotFound { what: "Young person" }) => {
            errors.add("attendees", "You can only add young people you work with");
            render_one(&state, &user, &id, None, None, Some(typed), errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(StoreError::Invalid(message)) => {
            errors.add("staff", message);
            render_one(&state, &user, &id, None, None, Some(typed), errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn render_participation(
    state: &AppState,
    user: &CurrentUser,
    banner: Option<&'static str>,
    input: InvolvementInput,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let viewer = viewer(user)?;
    let today = today();
    let from = financial_year_start(today) - chrono::Months::new(12);
    let meetings = state.store.group_events(viewer.la, from, today + chrono::Duration::days(365), true).await?;
    let mut meeting_table = Table::new(
        "Care Leavers' Forum meetings",
        vec![
            Heading::new("Date"),
            Heading::numeric("Young people"),
            Heading::new("Topics"),
            Heading::new("Actions agreed"),
        ],
    );
    for m in &meetings {
        meeting_table.row(vec![
            Cell::parts(vec![Part::link(format_uk(m.event.on), format!("/groups/{}", m.id))]),
            Cell::number(m.young_people),
            Cell::text(m.event.topics.clone().unwrap_or_default()),
            Cell::text(m.event.actions.clone().unwrap_or_default()),
        ]);
    }
    let involved = state.store.involvements(&viewer, from, today).await?;
    let mut table = Table::new(
        "Young people helping to run the service",
        vec![
            Heading::new("Date"),
            Heading::new("Young person"),
            Heading::new("How they took part"),
            Heading::new("Note"),
        ],
    );
    for (_, who, i) in &involved {
        table.row(vec![
            Cell::text(format_uk(i.on)),
            Cell::parts(vec![Part::link(person_name(who), format!("/young-people/{}", who.young_person.0))]),
            Cell::text(i.kind.label()),
            Cell::text(i.note.clone().unwrap_or_default()),
        ]);
    }
    let ids = involved.iter().map(|(_, who, _)| who.young_person.0).collect();
    let audit = serde_json::json!({ "from": from.to_string() });
    state.store.record_bulk_read(&user.actor(), viewer.la, "young_person", "participation", audit, ids).await?;
    let page = ParticipationPage {
        page: Chrome::for_user(errors.title("Participation"), user, "/groups"),
        errors,
        csrf_token: user.csrf_token(),
        banner,
        meetings: meeting_table,
        involvement: table,
        can_record: user.can(Permission::RecordContact),
        kinds: choices(InvolvementKind::ALL.iter().map(|k| (k.code(), k.label())), &input.kind),
        input,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn participation(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let banner = (q.saved.as_deref() == Some("involvement")).then_some("Recorded.");
    let input = InvolvementInput { on: DateParts::of(Some(today())), ..InvolvementInput::default() };
    render_participation(&state, &user, banner, input, Errors::default(), StatusCode::OK).await
}

pub async fn add_involvement(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let viewer = viewer(&user)?;
    let input = InvolvementInput {
        child_id: fields.get("child_id").to_owned(),
        on: fields.date("involved_on"),
        kind: fields.get("involvement").to_owned(),
        note: fields.get("involvement_note").to_owned(),
    };
    let mut errors = match input.parse(today()) {
        Ok((child_id, involvement)) => {
            let found = state.store.young_person_ids_by_child_id(viewer.la, std::slice::from_ref(&child_id)).await?;
            let saved = match found.first() {
                Some((_, person)) => state.store.add_involvement(&viewer, *person, &involvement, &user.actor()).await,
                None => Err(StoreError::NotFound { what: "Young person" }),
            };
            match saved {
                Ok(_) => return Ok(Redirect::to("/participation?saved=involvement").into_response()),
                Err(StoreError::NotFound { .. }) => {
                    let mut errors = Errors::default();
                    errors.add("child_id", format!("No young person you work with has the child ID {child_id}"));
                    errors
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(e) => e.into(),
    };
    if errors.is_empty() {
        errors.add("child_id", "Enter the young person's child ID");
    }
    render_participation(&state, &user, None, input, errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct EventJson {
    pub id: i64,
    pub title: String,
    /// trip, walking, life_skills, celebration, forum or other.
    pub kind: String,
    pub date: String,
    pub cost_pence: i64,
    pub young_people: i64,
    pub staff: i64,
}

#[utoipa::path(get, path = "/api/v1/groups", tag = "groups",
    responses((status = 200, body = Vec<EventJson>)), security(("bearer" = [])))]
pub async fn api(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<axum::Json<Vec<EventJson>>, AppError> {
    let la = viewer(&user)?.la;
    let today = today();
    let events =
        state.store.group_events(la, financial_year_start(today), today + chrono::Duration::days(365), false).await?;
    Ok(axum::Json(
        events
            .iter()
            .map(|e| EventJson {
                id: e.id,
                title: e.event.title.clone(),
                kind: e.event.kind.code().to_owned(),
                date: e.event.on.to_string(),
                cost_pence: e.event.cost.0,
                young_people: e.young_people,
                staff: e.staff,
            })
            .collect(),
    ))
}
