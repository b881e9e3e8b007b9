//! Who works with a young person: their personal adviser and other workers
//! now, who did before and why it changed, and (for managers) the forms to
//! allocate someone or end an allocation.

use crate::components::{choices, Cell, Choice, Heading, Part, Table};
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
use staying_close_domain::allocation::{AllocationInput, Holder, WorkerRole, MAX_REASON};
use staying_close_domain::dates::format_uk;
use staying_close_domain::permissions::Permission;
use staying_close_domain::profile::DateParts;
use staying_close_domain::roles::Role;
use staying_close_store::{Allocations, StoreError};

#[derive(Template)]
#[template(path = "workers.html")]
struct WorkersPage {
    page: Chrome,
    errors: Errors,
    end_errors: Errors,
    csrf_token: String,
    id: i64,
    name: String,
    banner: Option<&'static str>,
    can_allocate: bool,
    current: Table,
    history: Table,
    stamp: String,
    input: AllocationInput,
    roles: Vec<Choice>,
    staff: Vec<Choice>,
    /// The parts someone holds now, for the end form.
    held: Vec<Choice>,
    end_on: DateParts,
    end_reason: String,
}

#[derive(Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

use crate::pages::young_people::{open as load, Opened as Loaded};

/// The LA's active staff who can take some part, with their roles.
async fn candidates(state: &AppState, user: &CurrentUser) -> Result<Vec<(i64, String, Role)>, AppError> {
    let la = user.la.as_ref().ok_or(AppError::NotFound)?.id;
    let staff = state.store.list_staff(la).await?;
    Ok(staff
        .into_iter()
        .filter(|s| s.active && WorkerRole::ALL.iter().any(|w| w.staff_roles().contains(&s.role)))
        .map(|s| (s.id.0, s.display_name, s.role))
        .collect())
}

fn since(on: Option<chrono::NaiveDate>) -> String {
    on.map(format_uk).unwrap_or_else(|| "Not recorded".into())
}

fn tables(allocations: &Allocations) -> (Table, Table) {
    let mut current =
        Table::new("Working with them now", vec![Heading::new("Part"), Heading::new("Who"), Heading::new("Since")])
            .with_row_headers();
    for a in allocations.current() {
        current.row(vec![Cell::text(a.role.label()), Cell::text(&a.staff_name), Cell::text(since(a.starts_on))]);
    }
    let mut history = Table::new(
        "Who worked with them before",
        vec![
            Heading::new("Part"),
            Heading::new("Who"),
            Heading::new("From"),
            Heading::new("To"),
            Heading::new("Why it changed"),
        ],
    );
    for a in allocations.list.iter().filter(|a| a.ends_on.is_some()) {
        // Why it changed: the reason given when it ended, or when the next one started.
        let why = a
            .end_reason
            .clone()
            .or_else(|| {
                allocations
                    .list
                    .iter()
                    .find(|n| n.role == a.role && n.starts_on == a.ends_on && n.id != a.id)
                    .and_then(|n| n.reason.clone())
            })
            .unwrap_or_else(|| "Not recorded".into());
        history.row(vec![
            Cell::text(a.role.label()),
            Cell::text(&a.staff_name),
            Cell::text(since(a.starts_on)),
            Cell::text(since(a.ends_on)),
            Cell::parts(vec![Part::text(why)]),
        ]);
    }
    (current, history)
}

struct FormState {
    input: AllocationInput,
    errors: Errors,
    end_errors: Errors,
    end_on: DateParts,
    end_reason: String,
}

impl FormState {
    fn blank() -> FormState {
        FormState {
            input: AllocationInput { from: DateParts::of(Some(today())), ..AllocationInput::default() },
            errors: Errors::default(),
            end_errors: Errors::default(),
            end_on: DateParts::of(Some(today())),
            end_reason: String::new(),
        }
    }
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    loaded: &Loaded,
    allocations: &Allocations,
    banner: Option<&'static str>,
    form: FormState,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (current, history) = tables(allocations);
    let staff = candidates(state, user).await?;
    let mut staff_choices = vec![Choice { value: String::new(), label: "Choose who".into(), checked: false }];
    staff_choices.extend(staff.iter().map(|(id, name, role)| Choice {
        value: id.to_string(),
        label: format!("{name} ({})", role.label()),
        checked: form.input.staff.trim() == id.to_string(),
    }));
    let held = allocations
        .current()
        .map(|a| Choice {
            value: a.role.code().to_owned(),
            label: format!("{}: {}", a.role.label(), a.staff_name),
            checked: false,
        })
        .collect();
    let title = if form.errors.is_empty() && form.end_errors.is_empty() {
        format!("Who works with {}", loaded.name)
    } else {
        format!("Error: Who works with {}", loaded.name)
    };
    let page = WorkersPage {
        page: Chrome::for_user(title, user, "/young-people"),
        errors: form.errors,
        end_errors: form.end_errors,
        csrf_token: user.csrf_token(),
        id: loaded.person.id.0,
        name: loaded.name.clone(),
        banner,
        can_allocate: user.can(Permission::AllocateWorkers),
        current,
        history,
        stamp: allocations.stamp.clone(),
        roles: choices(WorkerRole::ALL.iter().map(|r| (r.code(), r.label())), form.input.role.trim()),
        input: form.input,
        staff: staff_choices,
        held,
        end_on: form.end_on,
        end_reason: form.end_reason,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &id, "workers").await?;
    let allocations = state.store.allocations(loaded.viewer.la, loaded.person.id).await?;
    let banner = match q.saved.as_deref() {
        Some("allocated") => Some("Allocation saved."),
        Some("ended") => Some("Allocation ended."),
        _ => None,
    };
    render(&state, &user, &loaded, &allocations, banner, FormState::blank(), StatusCode::OK).await
}

const CONFLICT: &str =
    "Someone else changed who works with them while you were looking. Check the tables above, then try again.";

pub async fn allocate(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &id, "allocate").await?;
    let (la, person) = (loaded.viewer.la, loaded.person.id);
    let allocations = state.store.allocations(la, person).await?;
    let staff = candidates(&state, &user).await?;
    let input = AllocationInput {
        role: fields.get("role").to_owned(),
        staff: fields.get("staff").to_owned(),
        from: fields.date("from"),
        reason: fields.get("reason").to_owned(),
    };
    let holder = |role: WorkerRole| {
        allocations.holder(role).map(|a| Holder { staff: a.staff.0, name: a.staff_name.clone(), since: a.starts_on })
    };
    let mut form = FormState::blank();
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    match input.parse(&staff, &holder, today()) {
        Ok(allocation) => {
            match state.store.allocate(&loaded.viewer, person, fields.get("stamp"), &allocation, &user.actor()).await {
                Ok(_) => {
                    return Ok(
                        Redirect::to(&format!("/young-people/{}/workers?saved=allocated", person.0)).into_response()
                    )
                }
                Err(StoreError::Conflict { .. }) => {
                    form.errors.add("role", CONFLICT);
                    status = StatusCode::CONFLICT;
                }
                Err(StoreError::Invalid(message)) => form.errors.add("from", capitalised(&message)),
                Err(e) => return Err(e.into()),
            }
        }
        Err(e) => form.errors = e.into(),
    }
    form.input = input;
    render(&state, &user, &loaded, &allocations, None, form, status).await
}

fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

pub async fn end(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &id, "end_allocation").await?;
    let (la, person) = (loaded.viewer.la, loaded.person.id);
    let allocations = state.store.allocations(la, person).await?;
    let mut form = FormState::blank();
    form.end_on = fields.date("end_on");
    form.end_reason = fields.get("end_reason").to_owned();
    let role = WorkerRole::parse(fields.get("part")).filter(|r| allocations.holder(*r).is_some());
    if role.is_none() {
        form.end_errors.add("part", "Choose which allocation ends");
    }
    let on = match form.end_on.parse("The end date") {
        Ok(Some(d)) if d > today() => {
            form.end_errors.add("end_on", "The end date must be today or in the past");
            None
        }
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            form.end_errors.add("end_on", "Enter the date it ends");
            None
        }
        Err(message) => {
            form.end_errors.add("end_on", message);
            None
        }
    };
    let reason = form.end_reason.trim().to_owned();
    if reason.chars().count() > MAX_REASON {
        form.end_errors.add("end_reason", format!("The reason must be {MAX_REASON} characters or fewer"));
    }
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if let (Some(role), Some(on), true) = (role, on, form.end_errors.is_empty()) {
        let reason = Some(reason).filter(|r| !r.is_empty());
        match state
            .store
            .end_allocation(&loaded.viewer, person, fields.get("stamp"), role, on, reason, &user.actor())
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/young-people/{}/workers?saved=ended", person.0)).into_response())
            }
            Err(StoreError::Conflict { .. }) => {
                form.end_errors.add("part", CONFLICT);
                status = StatusCode::CONFLICT;
            }
            Err(StoreError::Invalid(message)) => form.end_errors.add("end_on", capitalised(&message)),
            Err(e) => return Err(e.into()),
        }
    }
    render(&state, &user, &loaded, &allocations, None, form, status).await
}
