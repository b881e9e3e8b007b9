//! A young person's celebrations: the next 12 months of the days they want
//! marked (from their record and the LA's festival table), the tasks for
//! those days with their budgets, and the form to add a task or mark one
//! done. The LA administrator keeps the festival dates at
//! `/settings/festivals`.

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
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use staying_close_domain::celebrations::{
    is_dated_by_table, missing_festival_dates, occasion_key, occasions, CalendarFacts, FestivalDate, FestivalInput,
    Occasion, TaskInput, TaskKind,
};
use staying_close_domain::dates::format_uk;
use staying_close_domain::permissions::Permission;
use staying_close_domain::profile::Celebration;
use staying_close_store::StoredTask;

/// How far ahead the calendar looks.
pub const CALENDAR_DAYS: i64 = 365;
/// How far back done and undone tasks stay on the page.
const TASKS_KEPT_DAYS: i64 = 30;

#[derive(Template)]
#[template(path = "celebrations.html")]
struct CelebrationsPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    id: i64,
    name: String,
    banner: Option<&'static str>,
    chosen: Vec<SummaryRow>,
    missing: Option<String>,
    calendar: Table,
    tasks: Table,
    can_record: bool,
    input: TaskInput,
    occasions: Vec<Choice>,
    kinds: Vec<Choice>,
}

#[derive(Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

/// The festival dates of the viewer's LA in a window, as the domain wants them.
pub(crate) async fn festivals(
    state: &AppState,
    la: staying_close_store::LaId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<FestivalDate>, AppError> {
    Ok(state.store.festival_dates(la, from, to).await?.into_iter().map(|f| f.festival).collect())
}

/// Words for a task, like "Gift, £15.00 (wrapped by Tuesday)".
pub(crate) fn task_words(t: &StoredTask) -> String {
    let mut words = t.task.kind.label().to_owned();
    if t.task.budget.0 > 0 {
        words.push_str(&format!(", {}", t.task.budget));
    }
    if let Some(note) = &t.task.note {
        words.push_str(&format!(" ({note})"));
    }
    words
}

async fn calendar(state: &AppState, opened: &Opened, today: NaiveDate) -> Result<Vec<Occasion>, AppError> {
    let to = today + Duration::days(CALENDAR_DAYS);
    let festivals = festivals(state, opened.viewer.la, today, to).await?;
    let p = &opened.person;
    let facts = CalendarFacts {
        date_of_birth: p.date_of_birth,
        chosen: &p.details.celebrations,
        staying_close_start: p.details.staying_close_start,
        festivals: &festivals,
    };
    Ok(occasions(facts, today, to))
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    user: &CurrentUser,
    opened: &Opened,
    banner: Option<&'static str>,
    input: TaskInput,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let today = today();
    let p = &opened.person;
    let days = calendar(state, opened, today).await?;
    let festivals = festivals(state, opened.viewer.la, today, today + Duration::days(CALENDAR_DAYS)).await?;
    let facts = CalendarFacts {
        date_of_birth: p.date_of_birth,
        chosen: &p.details.celebrations,
        staying_close_start: p.details.staying_close_start,
        festivals: &festivals,
    };
    let missing = missing_festival_dates(facts, today, today + Duration::days(CALENDAR_DAYS));
    let missing = (!missing.is_empty()).then(|| {
        let names: Vec<&str> = missing.iter().map(|c| c.label()).collect();
        format!(
            "The calendar has no date for {} in the next 12 months. Ask your LA administrator to add it to the festival dates.",
            names.join(" or ")
        )
    });
    let anniversary_unknown = p.details.celebrations.contains(&Celebration::StayingCloseAnniversary)
        && p.details.staying_close_start.is_none();

    let can_edit = user.can(Permission::EditYoungPerson);
    let mut chosen_parts: Vec<Part> = if p.details.celebrations.is_empty() {
        vec![Part::text("None chosen yet")]
    } else {
        vec![Part::text(p.details.celebrations.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "))]
    };
    if can_edit {
        chosen_parts.push(Part::Link {
            text: "Change".into(),
            href: format!("/young-people/{}/edit#celebrations", p.id.0),
            hidden: " the celebrations they want marked".into(),
        });
    }
    let mut chosen = vec![SummaryRow::parts("Celebrations they want marked", chosen_parts)];
    if anniversary_unknown {
        chosen.push(SummaryRow::text(
            "Anniversary of starting Staying Close",
            "Not shown: the record has no Staying Close start date",
        ));
    }

    let tasks = state.store.celebration_tasks(opened.viewer.la, p.id, today - Duration::days(TASKS_KEPT_DAYS)).await?;
    let mut calendar = Table::new(
        "Coming up in the next 12 months",
        vec![Heading::new("Date"), Heading::new("Occasion"), Heading::new("Tasks")],
    );
    for o in &days {
        let theirs: Vec<&StoredTask> =
            tasks.iter().filter(|t| t.task.occasion_on == o.on && t.task.celebration == o.celebration).collect();
        let task_parts = if theirs.is_empty() {
            vec![Part::text("None yet")]
        } else {
            let done = theirs.iter().filter(|t| t.done_on.is_some()).count();
            vec![Part::text(format!("{} of {} done", done, theirs.len()))]
        };
        let when =
            if o.on == today { "Today".to_owned() } else { format!("{} {}", o.on.format("%A"), format_uk(o.on)) };
        calendar.row(vec![Cell::text(when), Cell::text(&o.label), Cell::parts(task_parts)]);
    }

    let can_record = user.can(Permission::RecordContact);
    let mut headings =
        vec![Heading::new("Occasion"), Heading::new("Task"), Heading::numeric("Budget"), Heading::new("Status")];
    if can_record {
        headings.push(Heading::hidden("Action"));
    }
    let mut task_table = Table::new("Tasks", headings);
    for t in &tasks {
        let occasion = days
            .iter()
            .find(|o| o.on == t.task.occasion_on && o.celebration == t.task.celebration)
            .map(|o| o.label.clone())
            .unwrap_or_else(|| t.task.celebration.label().to_owned());
        let status = match t.done_on {
            Some(d) => Part::tag(format!("Done {}", format_uk(d)), "green"),
            None if t.task.occasion_on < today => Part::tag("Not done", "red"),
            None => Part::tag("To do", "grey"),
        };
        let mut row = vec![
            Cell::text(format!("{}, {}", occasion, format_uk(t.task.occasion_on))),
            Cell::text(format!(
                "{}{}",
                t.task.kind.label(),
                t.task.note.as_ref().map(|n| format!(": {n}")).unwrap_or_default()
            )),
            Cell::number(t.task.budget),
            Cell::parts(vec![status]),
        ];
        if can_record {
            let (label, done) = if t.done_on.is_some() { ("Mark as not done", "no") } else { ("Mark as done", "yes") };
            row.push(Cell::parts(vec![Part::Button {
                action: format!(
                    "/young-people/{}/celebrations/done?task={}&version={}&done={done}",
                    p.id.0, t.id, t.version
                ),
                label,
                hidden: format!("{} for {}", t.task.kind.label().to_lowercase(), occasion),
                csrf_token: user.csrf_token(),
            }]));
        }
        task_table.row(row);
    }

    let ids = tasks.iter().map(|t| t.id).collect();
    let audit = serde_json::json!({ "young_person_id": p.id.0 });
    state
        .store
        .record_bulk_read(&user.actor(), opened.viewer.la, "celebration_task", "celebrations", audit, ids)
        .await?;

    let mut occasion_choices =
        vec![Choice { value: String::new(), label: "Choose an occasion".into(), checked: false }];
    occasion_choices.extend(choices(
        days.iter().map(|o| (occasion_key(o), format!("{}: {}", format_uk(o.on), o.label))),
        &input.occasion,
    ));
    let page = CelebrationsPage {
        page: Chrome::for_user(errors.title(&format!("Celebrations for {}", opened.name)), user, "/young-people"),
        errors,
        csrf_token: user.csrf_token(),
        id: p.id.0,
        name: opened.name.clone(),
        banner,
        chosen,
        missing,
        calendar,
        tasks: task_table,
        can_record: can_record && !days.is_empty(),
        kinds: choices(TaskKind::ALL.iter().map(|k| (k.code(), k.label())), &input.kind),
        occasions: occasion_choices,
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
    let opened = open(&state, &user, &id, "celebrations").await?;
    let banner = match q.saved.as_deref() {
        Some("task") => Some("Task added."),
        Some("done") => Some("Task updated."),
        _ => None,
    };
    render(&state, &user, &opened, banner, TaskInput::default(), Errors::default(), StatusCode::OK).await
}

pub async fn add_task(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "add_celebration_task").await?;
    let input = TaskInput {
        occasion: fields.get("occasion").to_owned(),
        kind: fields.get("kind").to_owned(),
        budget: fields.get("budget").to_owned(),
        note: fields.get("note").to_owned(),
    };
    let days = calendar(&state, &opened, today()).await?;
    match input.parse(&days) {
        Ok(task) => {
            state.store.add_celebration_task(&opened.viewer, opened.person.id, &task, &user.actor()).await?;
            Ok(Redirect::to(&format!("/young-people/{}/celebrations?saved=task", opened.person.id.0)).into_response())
        }
        Err(e) => render(&state, &user, &opened, None, input, e.into(), StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    task: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

pub async fn mark_done(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "mark_celebration_task").await?;
    let task = q.task.as_deref().and_then(|t| t.parse::<i64>().ok());
    let version = q.version.as_deref().and_then(|v| v.parse::<i64>().ok());
    let done = match q.done.as_deref() {
        Some("yes") => Some(true),
        Some("no") => Some(false),
        _ => None,
    };
    let (Some(task), Some(version), Some(done)) = (task, version, done) else {
        let mut errors = Errors::default();
        errors.add("occasion", "Choose a task from the list to mark as done or not done");
        return render(&state, &user, &opened, None, TaskInput::default(), errors, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    };
    let on = done.then(today);
    state.store.set_celebration_task_done(&opened.viewer, opened.person.id, task, version, on, &user.actor()).await?;
    Ok(Redirect::to(&format!("/young-people/{}/celebrations?saved=done", opened.person.id.0)).into_response())
}

#[derive(Template)]
#[template(path = "festivals.html")]
struct FestivalsPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    banner: Option<&'static str>,
    table: Table,
    input: FestivalInput,
    festivals: Vec<Choice>,
}

async fn render_festivals(
    state: &AppState,
    user: &CurrentUser,
    banner: Option<&'static str>,
    input: FestivalInput,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let la = user.viewer().ok_or(AppError::NotFound)?.la;
    let from = today() - Duration::days(CALENDAR_DAYS);
    let rows = state.store.festival_dates(la, from, today() + Duration::days(3 * CALENDAR_DAYS)).await?;
    let mut table =
        Table::new("Festival dates", vec![Heading::new("Date"), Heading::new("Festival"), Heading::hidden("Action")]);
    for f in &rows {
        table.row(vec![
            Cell::text(format!("{} {}", f.festival.on.format("%A"), format_uk(f.festival.on))),
            Cell::text(f.festival.celebration.label()),
            Cell::parts(vec![Part::Button {
                action: format!("/settings/festivals/{}/remove", f.id),
                label: "Remove",
                hidden: format!("{} on {}", f.festival.celebration.label(), format_uk(f.festival.on)),
                csrf_token: user.csrf_token(),
            }]),
        ]);
    }
    let page = FestivalsPage {
        page: Chrome::for_user(errors.title("Festival dates"), user, "/settings"),
        errors,
        csrf_token: user.csrf_token(),
        banner,
        table,
        festivals: choices(
            Celebration::ALL.iter().filter(|&&c| is_dated_by_table(c)).map(|c| (c.code(), c.label())),
            &input.celebration,
        ),
        input,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn festivals_page(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let banner = match q.saved.as_deref() {
        Some("added") => Some("Festival date added."),
        Some("removed") => Some("Festival date removed."),
        _ => None,
    };
    render_festivals(&state, &user, banner, FestivalInput::default(), Errors::default(), StatusCode::OK).await
}

pub async fn add_festival(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let la = user.viewer().ok_or(AppError::NotFound)?.la;
    let input = FestivalInput { celebration: fields.get("celebration").to_owned(), on: fields.date("on") };
    match input.parse() {
        Ok(f) => match state.store.add_festival_date(la, f, &user.actor()).await {
            Ok(_) => Ok(Redirect::to("/settings/festivals?saved=added").into_response()),
            Err(staying_close_store::StoreError::Duplicate { .. }) => {
                let mut errors = Errors::default();
                errors.add("on", format!("{} is already on {}", f.celebration.label(), format_uk(f.on)));
                render_festivals(&state, &user, None, input, errors, StatusCode::UNPROCESSABLE_ENTITY).await
            }
            Err(e) => Err(e.into()),
        },
        Err(e) => render_festivals(&state, &user, None, input, e.into(), StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

pub async fn remove_festival(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let la = user.viewer().ok_or(AppError::NotFound)?.la;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    state.store.remove_festival_date(la, id, &user.actor()).await?;
    Ok(Redirect::to("/settings/festivals?saved=removed").into_response())
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OccasionJson {
    pub date: String,
    /// birthday, christmas, easter, eid_al_fitr, diwali, care_leavers_week and so on.
    pub celebration: String,
    pub label: String,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TaskJson {
    pub id: i64,
    pub occasion_date: String,
    pub celebration: String,
    /// card, cake, gift, meal or other.
    pub kind: String,
    pub budget_pence: i64,
    pub note: Option<String>,
    pub done_on: Option<String>,
}

/// A young person's celebrations over the next 12 months and their tasks.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CelebrationsJson {
    pub chosen: Vec<String>,
    pub occasions: Vec<OccasionJson>,
    pub tasks: Vec<TaskJson>,
}

#[utoipa::path(get, path = "/api/v1/young-people/{id}/celebrations", tag = "celebrations", params(("id" = i64, Path)),
    responses((status = 200, body = CelebrationsJson), (status = 404, body = crate::error::ApiErrors)),
    security(("bearer" = [])))]
pub async fn api(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<axum::Json<CelebrationsJson>, AppError> {
    let opened = open(&state, &user, &id, "api_celebrations").await?;
    let today = today();
    let days = calendar(&state, &opened, today).await?;
    let tasks = state
        .store
        .celebration_tasks(opened.viewer.la, opened.person.id, today - Duration::days(TASKS_KEPT_DAYS))
        .await?;
    let ids = tasks.iter().map(|t| t.id).collect();
    let audit = serde_json::json!({ "young_person_id": opened.person.id.0 });
    state.store.record_bulk_read(&user.actor(), opened.viewer.la, "celebration_task", "api", audit, ids).await?;
    Ok(axum::Json(CelebrationsJson {
        chosen: opened.person.details.celebrations.iter().map(|c| c.code().to_owned()).collect(),
        occasions: days
            .iter()
            .map(|o| OccasionJson {
                date: o.on.to_string(),
                celebration: o.celebration.code().to_owned(),
                label: o.label.clone(),
            })
            .collect(),
        tasks: tasks
            .iter()
            .map(|t| TaskJson {
                id: t.id,
                occasion_date: t.task.occasion_on.to_string(),
                celebration: t.task.celebration.code().to_owned(),
                kind: t.task.kind.code().to_owned(),
                budget_pence: t.task.budget.0,
                note: t.task.note.clone(),
                done_on: t.done_on.map(|d| d.to_string()),
            })
            .collect(),
    }))
}
