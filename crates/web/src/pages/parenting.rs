//! A young parent's page: their children, the support given, and the
//! child-protection plans and entries to care prevented (recorded by a
//! team manager with a note). Three forms, each with its own field names.

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
use staying_close_domain::dates::format_uk;
use staying_close_domain::parents::{ChildInput, OutcomeInput, ParentOutcomeKind, ParentSupportKind, SupportInput};
use staying_close_domain::permissions::Permission;
use staying_close_domain::profile::DateParts;
use staying_close_store::ParentRecord;

#[derive(Template)]
#[template(path = "parenting.html")]
struct ParentingPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    id: i64,
    name: String,
    banner: Option<&'static str>,
    status: String,
    children: Table,
    support: Table,
    outcomes: Table,
    can_record: bool,
    can_record_outcome: bool,
    child: ChildInput,
    lives: Vec<Choice>,
    help: SupportInput,
    help_kinds: Vec<Choice>,
    outcome: OutcomeInput,
    outcome_kinds: Vec<Choice>,
}

#[derive(Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

#[derive(Default)]
struct Inputs {
    child: ChildInput,
    help: SupportInput,
    outcome: OutcomeInput,
}

fn blank() -> Inputs {
    let today = DateParts::of(Some(today()));
    Inputs {
        child: ChildInput::default(),
        help: SupportInput { on: today.clone(), ..SupportInput::default() },
        outcome: OutcomeInput { on: today, ..OutcomeInput::default() },
    }
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
    let (la, person) = (opened.viewer.la, opened.person.id);
    let records = state.store.parent_records(la, person).await?;
    let d = &opened.person.details;
    let status_words = match (d.young_parent, d.expecting) {
        (true, true) => "A parent, and expecting",
        (true, false) => "A parent",
        (false, true) => "Expecting",
        (false, false) => "Not recorded as a parent or expecting (change this on their record)",
    };
    let mut children = Table::new(
        "Children",
        vec![Heading::new("Known as"), Heading::new("Born or due"), Heading::new("Lives with them")],
    );
    for (_, c) in &records.children {
        children.row(vec![
            Cell::text(&c.known_as),
            Cell::text(c.describe()),
            Cell::text(if c.lives_with_parent { "Yes" } else { "No" }),
        ]);
    }
    let mut support = Table::new(
        "Support given",
        vec![Heading::new("Date"), Heading::new("Support"), Heading::new("Note"), Heading::new("Recorded by")],
    );
    for (_, s, by) in &records.support {
        support.row(vec![
            Cell::text(format_uk(s.on)),
            Cell::text(s.kind.label()),
            Cell::text(s.note.clone().unwrap_or_default()),
            Cell::text(by.clone().unwrap_or_default()),
        ]);
    }
    let mut outcomes = Table::new(
        "Child protection and entries to care prevented",
        vec![Heading::new("Date"), Heading::new("What happened"), Heading::new("Note"), Heading::new("Recorded by")],
    );
    for (_, o, by) in &records.outcomes {
        let colour = if o.kind == ParentOutcomeKind::PlanStarted { "red" } else { "green" };
        outcomes.row(vec![
            Cell::text(format_uk(o.on)),
            Cell::parts(vec![Part::tag(o.kind.label(), colour)]),
            Cell::text(&o.note),
            Cell::text(by.clone().unwrap_or_default()),
        ]);
    }
    let audit = serde_json::json!({ "young_person_id": person.0 });
    state.store.record_bulk_read(&user.actor(), la, "parent_record", "parenting", audit, records.ids()).await?;
    let lives = choices([("yes", "Yes"), ("no", "No")], &inputs.child.lives_with_parent);
    let page = ParentingPage {
        page: Chrome::for_user(errors.title(&format!("Parenting for {}", opened.name)), user, "/young-people"),
        errors,
        csrf_token: user.csrf_token(),
        id: person.0,
        name: opened.name.clone(),
        banner,
        status: status_words.to_owned(),
        children,
        support,
        outcomes,
        can_record: user.can(Permission::RecordContact),
        can_record_outcome: user.can(Permission::RecordPrevention),
        lives,
        help_kinds: choices(ParentSupportKind::ALL.iter().map(|k| (k.code(), k.label())), &inputs.help.kind),
        outcome_kinds: choices(ParentOutcomeKind::ALL.iter().map(|k| (k.code(), k.label())), &inputs.outcome.kind),
        child: inputs.child,
        help: inputs.help,
        outcome: inputs.outcome,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "parenting").await?;
    let banner = match q.saved.as_deref() {
        Some("child") => Some("Child added."),
        Some("support") => Some("Support recorded."),
        Some("outcome") => Some("Recorded."),
        _ => None,
    };
    render(&state, &user, &opened, banner, blank(), Errors::default(), StatusCode::OK).await
}

async fn save(
    state: &AppState,
    user: &CurrentUser,
    opened: &Opened,
    parsed: Result<ParentRecord, Errors>,
    inputs: Inputs,
    saved: &str,
) -> Result<Response, AppError> {
    match parsed {
        Ok(record) => {
            state.store.add_parent_record(&opened.viewer, opened.person.id, &record, &user.actor()).await?;
            Ok(Redirect::to(&format!("/young-people/{}/parenting?saved={saved}", opened.person.id.0)).into_response())
        }
        Err(errors) => render(state, user, opened, None, inputs, errors, StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

pub async fn add_child(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "add_parent_child").await?;
    let child = ChildInput {
        known_as: fields.get("known_as").to_owned(),
        born_on: fields.date("born_on"),
        due_on: fields.date("due_on"),
        lives_with_parent: fields.get("lives_with_parent").to_owned(),
    };
    let parsed = child.parse(today()).map(ParentRecord::Child).map_err(Errors::from);
    save(&state, &user, &opened, parsed, Inputs { child, ..blank() }, "child").await
}

pub async fn add_support(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "add_parent_support").await?;
    let help = SupportInput {
        on: fields.date("support-on"),
        kind: fields.get("support-kind").to_owned(),
        note: fields.get("support-note").to_owned(),
    };
    let parsed = help.parse(today()).map(ParentRecord::Support).map_err(Errors::from);
    save(&state, &user, &opened, parsed, Inputs { help, ..blank() }, "support").await
}

pub async fn add_outcome(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "add_parent_outcome").await?;
    let outcome = OutcomeInput {
        on: fields.date("outcome-on"),
        kind: fields.get("outcome-kind").to_owned(),
        note: fields.get("outcome-note").to_owned(),
    };
    let parsed = outcome.parse(today()).map(ParentRecord::Outcome).map_err(Errors::from);
    save(&state, &user, &opened, parsed, Inputs { outcome, ..blank() }, "outcome").await
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ParentingJson {
    pub young_parent: bool,
    pub expecting: bool,
    pub children: Vec<ChildJson>,
    pub support: Vec<DatedJson>,
    /// cp_plan_started, cp_plan_ended or entry_prevented, each with a manager's note.
    pub outcomes: Vec<DatedJson>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ChildJson {
    pub known_as: String,
    pub born_on: Option<String>,
    pub due_on: Option<String>,
    pub lives_with_parent: bool,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DatedJson {
    pub date: String,
    pub kind: String,
    pub note: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/young-people/{id}/parenting", tag = "young parents", params(("id" = i64, Path)),
    responses((status = 200, body = ParentingJson), (status = 404, body = crate::error::ApiErrors)),
    security(("bearer" = [])))]
pub async fn api(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<axum::Json<ParentingJson>, AppError> {
    let opened = open(&state, &user, &id, "api_parenting").await?;
    let (la, person) = (opened.viewer.la, opened.person.id);
    let r = state.store.parent_records(la, person).await?;
    let audit = serde_json::json!({ "young_person_id": person.0 });
    state.store.record_bulk_read(&user.actor(), la, "parent_record", "api", audit, r.ids()).await?;
    Ok(axum::Json(ParentingJson {
        young_parent: opened.person.details.young_parent,
        expecting: opened.person.details.expecting,
        children: r
            .children
            .iter()
            .map(|(_, c)| ChildJson {
                known_as: c.known_as.clone(),
                born_on: c.born_on.map(|d| d.to_string()),
                due_on: c.due_on.map(|d| d.to_string()),
                lives_with_parent: c.lives_with_parent,
            })
            .collect(),
        support: r
            .support
            .iter()
            .map(|(_, s, _)| DatedJson { date: s.on.to_string(), kind: s.kind.code().to_owned(), note: s.note.clone() })
            .collect(),
        outcomes: r
            .outcomes
            .iter()
            .map(|(_, o, _)| DatedJson {
                date: o.on.to_string(),
                kind: o.kind.code().to_owned(),
                note: Some(o.note.clone()),
            })
            .collect(),
    }))
}
