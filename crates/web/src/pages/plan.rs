//! A young person's Staying Close plan: the current version area by area,
//! older versions as they were agreed, two versions side by side, and the
//! forms to agree or review a plan and to change one area of it.

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
use staying_close_domain::dates::format_uk;
use staying_close_domain::permissions::Permission;
use staying_close_domain::plan::{
    action_field, all_areas, compare, goal_field, ActionInput, ActionOwner, ActionStatus, GoalInput, MeetingInput,
    PlanArea, ReviewStatus, Section, SectionInput, MAX_ACTIONS, MAX_GOALS,
};
use staying_close_domain::profile::DateParts;
use staying_close_domain::roles::Role;
use staying_close_store::{LaId, Plan, PlanVersion, StoreError};
use std::collections::HashMap;

use crate::pages::young_people::{open as load, Opened as Loaded};

/// The names of the LA's staff, for saying who owns each action.
pub(crate) struct Owners {
    young_person: String,
    staff: HashMap<i64, String>,
}

impl Owners {
    pub(crate) async fn of(state: &AppState, la: LaId, young_person: &str) -> Result<Owners, AppError> {
        let staff = state.store.staff_names_in(la, &Role::ALL).await?;
        Ok(Owners {
            young_person: young_person.to_owned(),
            staff: staff.into_iter().map(|(id, name)| (id.0, name)).collect(),
        })
    }

    pub(crate) fn name(&self, owner: ActionOwner) -> String {
        match owner {
            ActionOwner::YoungPerson => self.young_person.clone(),
            ActionOwner::Staff(id) => self.staff.get(&id).cloned().unwrap_or_else(|| "A former member of staff".into()),
        }
    }

    /// Choices for an action's owner: the young person, then the staff.
    fn choices(&self, selected: &str) -> Vec<Choice> {
        let mut staff: Vec<(&i64, &String)> = self.staff.iter().collect();
        staff.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)));
        let mut list = vec![
            Choice { value: String::new(), label: "Choose who".into(), checked: selected.is_empty() },
            Choice {
                value: "young_person".into(),
                label: format!("{} (the young person)", self.young_person),
                checked: selected == "young_person",
            },
        ];
        list.extend(staff.into_iter().map(|(id, name)| Choice {
            value: id.to_string(),
            label: name.clone(),
            checked: selected == id.to_string(),
        }));
        list
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "Yes"
    } else {
        "No"
    }
}

/// The meeting that agreed a version, as summary rows.
fn meeting_rows(version: &PlanVersion, today: chrono::NaiveDate) -> Vec<SummaryRow> {
    let m = &version.meeting;
    let mut review = vec![Part::text(format_uk(m.review_due_on))];
    if version.is_current {
        let (words, colour) = ReviewStatus::of(m.review_due_on, today).words();
        review.push(Part::tag(words, colour));
    }
    let mut rows = vec![
        SummaryRow::text(
            if version.number == 1 { "Agreed at a meeting on" } else { "Reviewed at a meeting on" },
            format_uk(m.held_on),
        ),
        SummaryRow::parts("Next review", review),
        SummaryRow::text("They took part", yes_no(m.took_part)),
        SummaryRow::text("They agreed the plan", yes_no(m.agreed)),
    ];
    if let Some(view) = &m.their_view {
        rows.push(SummaryRow::text("What they said about the plan", view));
    }
    if let Some(by) = &version.recorded_by {
        rows.push(SummaryRow::text("Recorded by", by));
    }
    rows
}

/// One area as the plan page shows it.
struct AreaView {
    code: &'static str,
    label: &'static str,
    /// Nothing recorded in this area yet.
    empty: bool,
    rows: Vec<SummaryRow>,
    goals: Vec<(String, Table)>,
}

fn area_view(section: &Section, owners: &Owners) -> AreaView {
    let mut rows = Vec::new();
    let or_none = |text: &Option<String>| text.clone().unwrap_or_else(|| "Nothing recorded yet".into());
    rows.push(SummaryRow::text("Going well", or_none(&section.going_well)));
    rows.push(SummaryRow::text("Worries", or_none(&section.worries)));
    rows.push(SummaryRow::text("In their own words", or_none(&section.own_words)));
    let goals = section
        .goals
        .iter()
        .enumerate()
        .map(|(g, goal)| {
            let mut table = Table::new(
                format!("Actions for goal {}: {}", g + 1, goal.text),
                vec![Heading::new("Action"), Heading::new("Who"), Heading::new("Due"), Heading::new("Status")],
            );
            for action in &goal.actions {
                table.row(vec![
                    Cell::text(&action.text),
                    Cell::text(owners.name(action.owner)),
                    Cell::text(action.due_on.map(format_uk).unwrap_or_else(|| "No date".into())),
                    Part::tag(action.status.label(), action.status.colour()).into(),
                ]);
            }
            (format!("Goal {}: {}", g + 1, goal.text), table)
        })
        .collect();
    AreaView { code: section.area.code(), label: section.area.label(), empty: section.is_empty(), rows, goals }
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    page: Chrome,
    id: i64,
    name: String,
    banner: Option<&'static str>,
    can_edit: bool,
    /// `None` when there is no plan yet.
    number: Option<i64>,
    is_current: bool,
    current_number: i64,
    meeting: Vec<SummaryRow>,
    areas: Vec<AreaView>,
    versions: Table,
    older_choices: Vec<Choice>,
    newer_choices: Vec<Choice>,
}

#[derive(Deserialize, Default)]
pub struct PlanQuery {
    #[serde(default)]
    saved: Option<String>,
}

async fn render_plan(
    state: &AppState,
    user: &CurrentUser,
    loaded: &Loaded,
    number: Option<i64>,
    banner: Option<&'static str>,
) -> Result<Response, AppError> {
    let la = loaded.viewer.la;
    let person = loaded.person.id;
    let versions = state.store.plan_versions(la, person).await?;
    let plan: Option<Plan> = match number {
        None if versions.is_empty() => None,
        _ => Some(state.store.plan(la, person, number).await?.ok_or(AppError::NotFound)?),
    };
    let owners = Owners::of(state, la, &loaded.name).await?;
    let today = today();
    let mut table = Table::new(
        "Versions of the plan",
        vec![
            Heading::numeric("Version"),
            Heading::new("Meeting"),
            Heading::new("Review due"),
            Heading::new("They took part"),
            Heading::new("They agreed"),
            Heading::hidden("View"),
        ],
    );
    for v in &versions {
        let shown = plan.as_ref().is_some_and(|p| p.version.number == v.number);
        let view = if shown {
            Part::text("Shown above")
        } else {
            Part::Link {
                text: "View".into(),
                href: format!("/young-people/{}/plan/versions/{}", person.0, v.number),
                hidden: format!(" version {}", v.number),
            }
        };
        let mut number_cell = Cell::number(v.number);
        if v.is_current {
            number_cell.parts.push(Part::tag("Current", "green"));
        }
        table.row(vec![
            number_cell,
            Cell::text(format_uk(v.meeting.held_on)),
            Cell::text(format_uk(v.meeting.review_due_on)),
            Cell::text(yes_no(v.meeting.took_part)),
            Cell::text(yes_no(v.meeting.agreed)),
            view.into(),
        ]);
    }
    let numbers: Vec<(String, String)> = versions
        .iter()
        .map(|v| (v.number.to_string(), format!("Version {} ({})", v.number, format_uk(v.meeting.held_on))))
        .collect();
    let newest = versions.first().map(|v| v.number).unwrap_or(0);
    let older = if newest > 1 { (newest - 1).to_string() } else { String::new() };
    let title = match &plan {
        Some(p) if !p.version.is_current => format!("Version {} of the plan for {}", p.version.number, loaded.name),
        _ => format!("Staying Close plan for {}", loaded.name),
    };
    let page = PlanPage {
        page: Chrome::for_user(title, user, "/young-people"),
        id: person.0,
        name: loaded.name.clone(),
        banner,
        can_edit: user.can(Permission::EditPlan),
        number: plan.as_ref().map(|p| p.version.number),
        is_current: plan.as_ref().is_some_and(|p| p.version.is_current),
        current_number: newest,
        meeting: plan.as_ref().map(|p| meeting_rows(&p.version, today)).unwrap_or_default(),
        areas: plan
            .as_ref()
            .map(|p| all_areas(&p.sections).iter().map(|s| area_view(s, &owners)).collect())
            .unwrap_or_default(),
        versions: table,
        older_choices: choices(numbers.iter().map(|(a, b)| (a.as_str(), b.as_str())), &older),
        newer_choices: choices(numbers.iter().map(|(a, b)| (a.as_str(), b.as_str())), &newest.to_string()),
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<PlanQuery>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &id, "plan").await?;
    let banner = match q.saved.as_deref() {
        Some("started") => Some("Plan started. Now fill in each area with them."),
        Some("reviewed") => Some("Review recorded. This is the new version of the plan; the last one is kept below."),
        Some("meeting") => Some("Meeting details saved."),
        Some("area") => Some("Plan saved."),
        _ => None,
    };
    render_plan(&state, &user, &loaded, None, banner).await
}

pub async fn show_version(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((id, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &id, "plan_version").await?;
    let number = number.parse::<i64>().map_err(|_| AppError::NotFound)?;
    render_plan(&state, &user, &loaded, Some(number), None).await
}

#[derive(Template)]
#[template(path = "plan_compare.html")]
struct ComparePage {
    page: Chrome,
    id: i64,
    name: String,
    older: String,
    newer: String,
    changed: Vec<(String, Table)>,
    unchanged: Vec<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct CompareQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

pub async fn compare_versions(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<CompareQuery>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &id, "plan_compare").await?;
    let (la, person) = (loaded.viewer.la, loaded.person.id);
    // Without a choice: the current version beside the one before it.
    let newest = state.store.plan_versions(la, person).await?.first().map(|v| v.number).ok_or(AppError::NotFound)?;
    let number = |text: &str, default: i64| match text.trim() {
        "" => Ok(default),
        t => t.parse::<i64>().map_err(|_| AppError::NotFound),
    };
    let (mut a, mut b) = (number(&q.from, (newest - 1).max(1))?, number(&q.to, newest)?);
    if a > b {
        std::mem::swap(&mut a, &mut b);
    }
    let older = state.store.plan(la, person, Some(a)).await?.ok_or(AppError::NotFound)?;
    let newer = state.store.plan(la, person, Some(b)).await?.ok_or(AppError::NotFound)?;
    let owners = Owners::of(&state, la, &loaded.name).await?;
    let label = |p: &Plan| format!("Version {} ({})", p.version.number, format_uk(p.version.meeting.held_on));
    let (older_label, newer_label) = (label(&older), label(&newer));
    let mut changed = Vec::new();
    let mut unchanged = Vec::new();
    // The meeting itself first, then each area.
    let meeting = |p: &Plan| {
        let m = &p.version.meeting;
        vec![
            ("Meeting".to_owned(), format_uk(m.held_on)),
            ("Review due".to_owned(), format_uk(m.review_due_on)),
            ("They took part".to_owned(), yes_no(m.took_part).to_owned()),
            ("They agreed".to_owned(), yes_no(m.agreed).to_owned()),
            ("What they said about the plan".to_owned(), m.their_view.clone().unwrap_or_default()),
        ]
    };
    let side_by_side = |caption: String, lines: Vec<(String, Option<String>, Option<String>)>| {
        let mut table = Table::new(
            caption,
            vec![Heading::new("Part"), Heading::new(older_label.clone()), Heading::new(newer_label.clone())],
        )
        .with_row_headers();
        for (part, was, now) in lines {
            let mut first = vec![Part::text(part)];
            if was != now {
                first.push(Part::tag("Changed", "yellow"));
            }
            let words =
                |t: Option<String>| Cell::text(t.filter(|t| !t.is_empty()).unwrap_or_else(|| "Not recorded".into()));
            table.row(vec![Cell::parts(first), words(was), words(now)]);
        }
        table
    };
    let meeting_lines: Vec<(String, Option<String>, Option<String>)> = meeting(&older)
        .into_iter()
        .zip(meeting(&newer))
        .map(|((label, was), (_, now))| (label, Some(was), Some(now)))
        .collect();
    changed.push(("The meeting".to_owned(), side_by_side("The meeting".into(), meeting_lines)));
    for area in compare(&older.sections, &newer.sections, &|o| owners.name(o)) {
        if area.changed() {
            let lines = area
                .lines
                .into_iter()
                .filter(|l| l.older.is_some() || l.newer.is_some())
                .map(|l| (l.label, l.older, l.newer))
                .collect();
            changed.push((area.area.label().to_owned(), side_by_side(area.area.label().to_owned(), lines)));
        } else {
            unchanged.push(area.area.label());
        }
    }
    let ids: Vec<i64> = vec![older.version.id.0, newer.version.id.0];
    state
        .store
        .record_bulk_read(&user.actor(), la, "plan", "compare", serde_json::json!({ "young_person_id": person.0 }), ids)
        .await?;
    let page = ComparePage {
        page: Chrome::for_user(format!("Compare versions of the plan for {}", loaded.name), &user, "/young-people"),
        id: person.0,
        name: loaded.name.clone(),
        older: older_label,
        newer: newer_label,
        changed,
        unchanged,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "plan_meeting.html")]
struct MeetingPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    id: i64,
    name: String,
    heading: String,
    action: String,
    button: &'static str,
    intro: &'static str,
    input: MeetingInput,
    version: String,
    took_part: Vec<Choice>,
    agreed: Vec<Choice>,
    /// The saved meeting, shown beside the form when someone else changed it.
    theirs: Vec<SummaryRow>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MeetingKind {
    /// The first plan, or a review: a new version.
    Agree,
    /// Correcting the current version's meeting.
    Correct,
}

#[allow(clippy::too_many_arguments)]
fn meeting_page(
    user: &CurrentUser,
    loaded: &Loaded,
    kind: MeetingKind,
    current: Option<&PlanVersion>,
    input: MeetingInput,
    errors: Errors,
    version: String,
    theirs: Vec<SummaryRow>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let id = loaded.person.id.0;
    let (heading, action, button, intro) = match (kind, current) {
        (MeetingKind::Agree, None) => (
            format!("Start the plan for {}", loaded.name),
            format!("/young-people/{id}/plan/review"),
            "Start the plan",
            "Record the meeting where the plan was first agreed. You will fill in each area of the plan next.",
        ),
        (MeetingKind::Agree, Some(_)) => (
            format!("Record a review of the plan for {}", loaded.name),
            format!("/young-people/{id}/plan/review"),
            "Record the review",
            "A review starts a new version of the plan, copied from the current one, for you to update. The current version is kept as it is.",
        ),
        (MeetingKind::Correct, _) => (
            format!("Change the meeting details for {}", loaded.name),
            format!("/young-people/{id}/plan/meeting"),
            "Save meeting details",
            "Correct the details of the meeting that agreed the current version.",
        ),
    };
    let page = MeetingPage {
        page: Chrome::for_user(errors.title(&heading), user, "/young-people"),
        errors,
        csrf_token: user.csrf_token(),
        id,
        name: loaded.name.clone(),
        heading,
        action,
        button,
        intro,
        took_part: choices([("yes", "Yes"), ("no", "No")], &input.took_part),
        agreed: choices([("yes", "Yes"), ("no", "No, not yet")], &input.agreed),
        input,
        version,
        theirs,
    };
    Ok((status, Html(page.render()?)).into_response())
}

fn meeting_input(fields: &Fields) -> MeetingInput {
    MeetingInput {
        held_on: fields.date("held_on"),
        review_on: fields.date("review_on"),
        took_part: fields.get("took_part").to_owned(),
        agreed: fields.get("agreed").to_owned(),
        their_view: fields.get("their_view").to_owned(),
    }
}

fn expected_version(fields: &Fields) -> Option<i64> {
    match fields.get("version").trim() {
        "" => None,
        v => Some(v.parse::<i64>().unwrap_or(-1)),
    }
}

const CONFLICT: &str = "Someone else changed this plan while you were editing it. What they saved is shown below; your changes are still in the form. Check both, then save again.";

pub async fn review_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &id, "plan_review").await?;
    let current = state.store.plan(loaded.viewer.la, loaded.person.id, None).await?;
    let today = today();
    let input = MeetingInput {
        held_on: DateParts::of(Some(today)),
        review_on: DateParts::of(Some(staying_close_domain::plan::latest_review(today))),
        ..MeetingInput::default()
    };
    let version = current.as_ref().map(|p| p.version.version.to_string()).unwrap_or_default();
    let current = current.map(|p| p.version);
    meeting_page(
        &user,
        &loaded,
        MeetingKind::Agree,
        current.as_ref(),
        input,
        Errors::default(),
        version,
        Vec::new(),
        StatusCode::OK,
    )
}

pub async fn review(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &id, "plan_review").await?;
    let (la, person) = (loaded.viewer.la, loaded.person.id);
    let current = state.store.plan(la, person, None).await?.map(|p| p.version);
    let input = meeting_input(&fields);
    let expected = expected_version(&fields);
    let mut errors = Errors::default();
    let mut theirs = Vec::new();
    let mut conflict = false;
    match input.parse(current.as_ref().map(|c| c.meeting.held_on), today()) {
        Ok(meeting) => match state.store.agree_plan(&loaded.viewer, person, expected, &meeting, &user.actor()).await {
            Ok(saved) => {
                let saved_as = if saved.number == 1 { "started" } else { "reviewed" };
                return Ok(Redirect::to(&format!("/young-people/{}/plan?saved={saved_as}", person.0)).into_response());
            }
            Err(StoreError::Conflict { .. }) => {
                conflict = true;
                errors.add("held_on", CONFLICT);
                theirs = current.as_ref().map(|c| meeting_rows(c, today())).unwrap_or_default();
            }
            Err(e) => return Err(e.into()),
        },
        Err(e) => errors = e.into(),
    }
    let status = if conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
    let version = current.as_ref().map(|c| c.version.to_string()).unwrap_or_default();
    meeting_page(&user, &loaded, MeetingKind::Agree, current.as_ref(), input, errors, version, theirs, status)
}

pub async fn meeting_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &id, "plan_meeting").await?;
    let Some(current) = state.store.plan(loaded.viewer.la, loaded.person.id, None).await? else {
        return Ok(Redirect::to(&format!("/young-people/{}/plan/review", loaded.person.id.0)).into_response());
    };
    let input = MeetingInput::of(&current.version.meeting);
    let version = current.version.version.to_string();
    meeting_page(
        &user,
        &loaded,
        MeetingKind::Correct,
        Some(&current.version),
        input,
        Errors::default(),
        version,
        Vec::new(),
        StatusCode::OK,
    )
}

pub async fn save_meeting(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &id, "plan_meeting").await?;
    let (la, person) = (loaded.viewer.la, loaded.person.id);
    let versions = state.store.plan_versions(la, person).await?;
    let current = versions.first().cloned().ok_or(AppError::NotFound)?;
    let previous = versions.get(1).map(|v| v.meeting.held_on);
    let input = meeting_input(&fields);
    let expected = expected_version(&fields).unwrap_or(-1);
    let mut errors = Errors::default();
    let mut theirs = Vec::new();
    match input.parse(previous, today()) {
        Ok(meeting) => {
            match state.store.update_plan_meeting(&loaded.viewer, person, expected, &meeting, &user.actor()).await {
                Ok(_) => {
                    return Ok(Redirect::to(&format!("/young-people/{}/plan?saved=meeting", person.0)).into_response())
                }
                Err(StoreError::Conflict { .. }) => {
                    errors.add("held_on", CONFLICT);
                    theirs = meeting_rows(&current, today());
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(e) => errors = e.into(),
    }
    let status = if theirs.is_empty() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::CONFLICT };
    let version = current.version.to_string();
    meeting_page(&user, &loaded, MeetingKind::Correct, Some(&current), input, errors, version, theirs, status)
}

/// An action's fields in the area form.
struct ActionSlot {
    number: usize,
    field: String,
    input: ActionInput,
    owners: Vec<Choice>,
    statuses: Vec<Choice>,
}

/// A goal's fields in the area form.
struct GoalSlot {
    number: usize,
    field: String,
    text: String,
    actions: Vec<ActionSlot>,
    action_count: usize,
}

#[derive(Template)]
#[template(path = "plan_area.html")]
struct AreaPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    id: i64,
    name: String,
    area: &'static str,
    label: &'static str,
    hint: &'static str,
    input: SectionInput,
    goals: Vec<GoalSlot>,
    goal_count: usize,
    version: String,
    theirs: Option<AreaView>,
}

fn parse_area(code: &str) -> Result<PlanArea, AppError> {
    PlanArea::parse(code).ok_or(AppError::NotFound)
}

/// The form's slots: every goal typed or saved and one blank goal, each
/// with its actions and one blank action (two for the blank goal).
fn slots(input: &SectionInput, owners: &Owners) -> Vec<GoalSlot> {
    // Blank slots at the end (from a form sent back with errors) are offered
    // afresh below, not twice; those in the middle keep their numbers.
    let mut goals = input.goals.clone();
    while goals.last().is_some_and(GoalInput::is_blank) {
        goals.pop();
    }
    for goal in &mut goals {
        while goal.actions.last().is_some_and(ActionInput::is_blank) {
            goal.actions.pop();
        }
    }
    if goals.len() < MAX_GOALS {
        goals.push(GoalInput { text: String::new(), actions: vec![ActionInput::default()] });
    }
    goals
        .iter()
        .enumerate()
        .map(|(g, goal)| {
            let number = g + 1;
            let mut actions = goal.actions.clone();
            if actions.len() < MAX_ACTIONS {
                actions.push(ActionInput::default());
            }
            let actions: Vec<ActionSlot> = actions
                .into_iter()
                .enumerate()
                .map(|(a, input)| {
                    let status = if input.status.is_empty() { "not_started".to_owned() } else { input.status.clone() };
                    ActionSlot {
                        number: a + 1,
                        field: action_field(number, a + 1, ""),
                        owners: owners.choices(input.owner.trim()),
                        statuses: choices(ActionStatus::ALL.iter().map(|s| (s.code(), s.label())), &status),
                        input,
                    }
                })
                .collect();
            GoalSlot {
                number,
                field: goal_field(number),
                text: goal.text.clone(),
                action_count: actions.len(),
                actions,
            }
        })
        .collect()
}

/// What was typed into an area form; counts come from hidden fields and
/// are capped, so a crafted form cannot make the server loop for long.
fn section_input(fields: &Fields) -> SectionInput {
    let count = |name: &str, max: usize| fields.get(name).trim().parse::<usize>().unwrap_or(0).min(max + 1);
    let goals = (1..=count("goal_count", MAX_GOALS))
        .map(|g| GoalInput {
            text: fields.get(&goal_field(g)).to_owned(),
            actions: (1..=count(&format!("{}-action_count", goal_field(g)), MAX_ACTIONS))
                .map(|a| ActionInput {
                    text: fields.get(&action_field(g, a, "")).to_owned(),
                    owner: fields.get(&action_field(g, a, "owner")).to_owned(),
                    due: fields.date(&action_field(g, a, "due")),
                    status: fields.get(&action_field(g, a, "status")).to_owned(),
                })
                .collect(),
        })
        .collect();
    SectionInput {
        going_well: fields.get("going_well").to_owned(),
        worries: fields.get("worries").to_owned(),
        own_words: fields.get("own_words").to_owned(),
        goals,
    }
}

#[allow(clippy::too_many_arguments)]
fn area_page(
    user: &CurrentUser,
    loaded: &Loaded,
    area: PlanArea,
    input: SectionInput,
    owners: &Owners,
    errors: Errors,
    version: String,
    theirs: Option<AreaView>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let goals = slots(&input, owners);
    let page = AreaPage {
        page: Chrome::for_user(
            errors.title(&format!("{} – plan for {}", area.label(), loaded.name)),
            user,
            "/young-people",
        ),
        errors,
        csrf_token: user.csrf_token(),
        id: loaded.person.id.0,
        name: loaded.name.clone(),
        area: area.code(),
        label: area.label(),
        hint: area.hint(),
        input,
        goal_count: goals.len(),
        goals,
        version,
        theirs,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn area_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((id, area)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let area = parse_area(&area)?;
    let loaded = load(&state, &user, &id, "plan_area").await?;
    let Some(plan) = state.store.plan(loaded.viewer.la, loaded.person.id, None).await? else {
        return Ok(Redirect::to(&format!("/young-people/{}/plan/review", loaded.person.id.0)).into_response());
    };
    let section = plan.sections.iter().find(|s| s.area == area).cloned().unwrap_or_else(|| Section::empty(area));
    let owners = Owners::of(&state, loaded.viewer.la, &loaded.name).await?;
    let version = plan.version.version.to_string();
    area_page(
        &user,
        &loaded,
        area,
        SectionInput::of(&section),
        &owners,
        Errors::default(),
        version,
        None,
        StatusCode::OK,
    )
}

pub async fn save_area(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((id, area)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let area = parse_area(&area)?;
    let loaded = load(&state, &user, &id, "plan_area").await?;
    let (la, person) = (loaded.viewer.la, loaded.person.id);
    let owners = Owners::of(&state, la, &loaded.name).await?;
    let input = section_input(&fields);
    let known: Vec<i64> = owners.staff.keys().copied().collect();
    let expected = expected_version(&fields).unwrap_or(-1);
    let (errors, status, theirs) = match input.parse(area, &known) {
        Ok(section) => {
            match state.store.save_plan_section(&loaded.viewer, person, expected, &section, &user.actor()).await {
                Ok(_) => {
                    return Ok(Redirect::to(&format!("/young-people/{}/plan?saved=area#{}", person.0, area.code()))
                        .into_response())
                }
                Err(StoreError::Conflict { .. }) => {
                    let mut errors = Errors::default();
                    errors.add("going_well", CONFLICT);
                    let saved = state.store.plan(la, person, None).await?.ok_or(AppError::NotFound)?;
                    let section =
                        saved.sections.iter().find(|s| s.area == area).cloned().unwrap_or_else(|| Section::empty(area));
                    (errors, StatusCode::CONFLICT, Some(area_view(&section, &owners)))
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(e) => (e.into(), StatusCode::UNPROCESSABLE_ENTITY, None),
    };
    // After a conflict the form carries the saved version, so saving again is a choice made having seen it.
    let version = match &theirs {
        Some(_) => state.store.plan(la, person, None).await?.map(|p| p.version.version.to_string()).unwrap_or_default(),
        None => fields.get("version").to_owned(),
    };
    area_page(&user, &loaded, area, input, &owners, errors, version, theirs, status)
}
