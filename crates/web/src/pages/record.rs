//! Adding, editing, closing and reopening a young person's record. Every
//! field is checked at once and each problem is named; a save based on an
//! old version is refused and both versions are shown, keeping what was typed.

use crate::components::{choices, Cell, Choice, Heading, Table};
use crate::forms::{Errors, Fields};
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::young_people::today;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use staying_close_domain::permissions::Permission;
use staying_close_domain::profile::{Celebration, ClosureReason, DateParts, ProfileInput};
use staying_close_domain::roles::Role;
use staying_close_store::{Closure, StaffId, StoreError, Viewer, YoungPerson, YoungPersonId};

/// Each field of the record with the words the form uses for it, in form order.
const FIELDS: [(&str, &str); 23] = [
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("preferred_name", "Preferred name"),
    ("pronouns", "Pronouns"),
    ("date_of_birth", "Date of birth"),
    ("child_id", "Child ID"),
    ("upn", "Unique pupil number (UPN)"),
    ("nhs_number", "NHS number"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("address", "Address"),
    ("languages", "Languages"),
    ("faith", "Faith"),
    ("celebrations", "Celebrations to mark"),
    ("disabilities", "Disabilities"),
    ("communication_needs", "Communication needs"),
    ("young_parent", "Young parent"),
    ("expecting", "Expecting a baby"),
    ("home_left", "Children's home they left"),
    ("home_contact", "Contact at the home"),
    ("care_ended_on", "Date care ended"),
    ("staying_close_start", "Staying Close start date"),
    ("staying_close_end", "Staying Close end date"),
];

/// One field as text, for showing two versions side by side.
fn shown(input: &ProfileInput, field: &str) -> String {
    let date = |d: &DateParts| {
        d.parse("").ok().flatten().map(staying_close_domain::dates::format_uk).unwrap_or_else(|| {
            if d.is_blank() {
                String::new()
            } else {
                format!("{} {} {}", d.day, d.month, d.year)
            }
        })
    };
    let yes_no = |b: bool| if b { "Yes" } else { "No" }.to_owned();
    match field {
        "first_name" => input.first_name.clone(),
        "last_name" => input.last_name.clone(),
        "preferred_name" => input.preferred_name.clone(),
        "pronouns" => input.pronouns.clone(),
        "date_of_birth" => date(&input.date_of_birth),
        "child_id" => input.child_id.clone(),
        "upn" => input.upn.clone(),
        "nhs_number" => input.nhs_number.clone(),
        "phone" => input.phone.clone(),
        "email" => input.email.clone(),
        "address" => input.address.clone(),
        "languages" => input.languages.clone(),
        "faith" => input.faith.clone(),
        "celebrations" => input
            .celebrations
            .iter()
            .map(|c| Celebration::parse(c).map(Celebration::label).unwrap_or(c.as_str()).to_owned())
            .collect::<Vec<_>>()
            .join(", "),
        "disabilities" => input.disabilities.clone(),
        "communication_needs" => input.communication_needs.clone(),
        "young_parent" => yes_no(input.young_parent),
        "expecting" => yes_no(input.expecting),
        "home_left" => input.home_left.clone(),
        "home_contact" => input.home_contact.clone(),
        "care_ended_on" => date(&input.care_ended_on),
        "staying_close_start" => date(&input.staying_close_start),
        _ => date(&input.staying_close_end),
    }
}

/// What was typed into the record form.
fn input_of(fields: &Fields) -> ProfileInput {
    let text = |name: &str| fields.get(name).to_owned();
    ProfileInput {
        child_id: text("child_id"),
        first_name: text("first_name"),
        last_name: text("last_name"),
        preferred_name: text("preferred_name"),
        pronouns: text("pronouns"),
        date_of_birth: fields.date("date_of_birth"),
        upn: text("upn"),
        nhs_number: text("nhs_number"),
        phone: text("phone"),
        email: text("email"),
        address: text("address"),
        languages: text("languages"),
        faith: text("faith"),
        celebrations: fields.all("celebrations"),
        disabilities: text("disabilities"),
        communication_needs: text("communication_needs"),
        young_parent: fields.ticked("flags", "young_parent"),
        expecting: fields.ticked("flags", "expecting"),
        home_left: text("home_left"),
        home_contact: text("home_contact"),
        care_ended_on: fields.date("care_ended_on"),
        staying_close_start: fields.date("staying_close_start"),
        staying_close_end: fields.date("staying_close_end"),
    }
}

/// Errors in the order the fields appear on the form.
fn in_form_order(errors: Errors) -> Errors {
    let mut sorted = Errors::default();
    for (field, _) in FIELDS {
        if let Some(message) = errors.get(field) {
            sorted.add(field, message);
        }
    }
    for (field, message) in errors.items() {
        if sorted.get(field).is_none() {
            sorted.add(field.clone(), message.clone());
        }
    }
    sorted
}

#[derive(Template)]
#[template(path = "record_form.html")]
struct RecordFormPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    heading: String,
    action: String,
    back: String,
    button: &'static str,
    version: Option<i64>,
    input: ProfileInput,
    celebrations: Vec<Choice>,
    flags: Vec<Choice>,
    /// Personal advisers to choose from, when adding someone.
    advisers: Option<Vec<Choice>>,
    adviser_error: Option<String>,
    conflict: Option<Table>,
}

struct FormView {
    heading: String,
    action: String,
    back: String,
    version: Option<i64>,
    advisers: Option<Vec<Choice>>,
}

fn render_form(
    user: &CurrentUser,
    view: FormView,
    input: ProfileInput,
    errors: Errors,
    conflict: Option<Table>,
) -> Result<Response, AppError> {
    let status = match (&conflict, errors.is_empty()) {
        (Some(_), _) => StatusCode::CONFLICT,
        (None, false) => StatusCode::UNPROCESSABLE_ENTITY,
        (None, true) => StatusCode::OK,
    };
    let title = if conflict.is_some() { format!("Error: {}", view.heading) } else { errors.title(&view.heading) };
    let celebrations = Celebration::ALL
        .iter()
        .map(|c| Choice {
            value: c.code().to_owned(),
            label: c.label().to_owned(),
            checked: input.celebrations.iter().any(|chosen| chosen == c.code()),
        })
        .collect();
    let flags = vec![
        Choice { value: "young_parent".into(), label: "Is a parent".into(), checked: input.young_parent },
        Choice { value: "expecting".into(), label: "Is expecting a baby".into(), checked: input.expecting },
    ];
    let adviser_error = errors.get("adviser").map(str::to_owned);
    let page = RecordFormPage {
        page: Chrome::for_user(title, user, "/young-people"),
        errors: in_form_order(errors),
        csrf_token: user.csrf_token(),
        heading: view.heading,
        action: view.action,
        back: view.back,
        button: if view.version.is_some() { "Save changes" } else { "Add young person" },
        version: view.version,
        input,
        celebrations,
        flags,
        advisers: view.advisers,
        adviser_error,
        conflict,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// The LA's active personal advisers, with `chosen` selected ("" for none).
async fn adviser_choices(state: &AppState, user: &CurrentUser, chosen: &str) -> Result<Vec<Choice>, AppError> {
    let la = user.la.as_ref().ok_or(AppError::NotFound)?.id;
    let mut pairs = vec![(String::new(), "Not allocated yet".to_owned())];
    for s in state.store.list_staff(la).await? {
        if s.role == Role::PersonalAdviser && s.active {
            pairs.push((s.id.0.to_string(), s.display_name.clone()));
        }
    }
    Ok(choices(pairs, chosen))
}

pub async fn new_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Response, AppError> {
    let me = if user.staff.role == Role::PersonalAdviser { user.staff.id.0.to_string() } else { String::new() };
    let view = FormView {
        heading: "Add a young person".into(),
        action: "/young-people/new".into(),
        back: "/young-people".into(),
        version: None,
        advisers: Some(adviser_choices(&state, &user, &me).await?),
    };
    render_form(&user, view, ProfileInput::default(), Errors::default(), None)
}

pub async fn create(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let la = user.la.as_ref().ok_or(AppError::NotFound)?.id;
    let input = input_of(&fields);
    let chosen = fields.get("adviser").trim().to_owned();
    let advisers = adviser_choices(&state, &user, &chosen).await?;
    let mut errors = Errors::default();
    let adviser = match chosen.as_str() {
        "" => None,
        id => match advisers.iter().find(|c| c.value == id) {
            Some(_) => id.parse().ok().map(StaffId),
            None => {
                errors.add("adviser", "Choose a personal adviser from the list");
                None
            }
        },
    };
    let view = |advisers| FormView {
        heading: "Add a young person".into(),
        action: "/young-people/new".into(),
        back: "/young-people".into(),
        version: None,
        advisers: Some(advisers),
    };
    let profile = match input.parse(today()) {
        Ok(profile) if errors.is_empty() => profile,
        Ok(_) => return render_form(&user, view(advisers), input, errors, None),
        Err(field_errors) => {
            let mut all: Errors = field_errors.into();
            for (field, message) in errors.items() {
                all.add(field.clone(), message.clone());
            }
            return render_form(&user, view(advisers), input, all, None);
        }
    };
    match state.store.add_young_person(la, &profile, adviser, &user.actor()).await {
        Ok(person) => Ok(Redirect::to(&format!("/young-people/{}?saved=added", person.id.0)).into_response()),
        Err(StoreError::Duplicate { .. }) => {
            errors
                .add("child_id", "Another young person already has this child ID: check it against the SSDA903 return");
            render_form(&user, view(advisers), input, errors, None)
        }
        Err(e) => Err(e.into()),
    }
}

/// The record, if `user` may see it; a refusal (another LA's id, or one
/// outside their caseload) is recorded in the audit trail and answered 404.
pub(crate) async fn visible_or_refused(
    state: &AppState,
    user: &CurrentUser,
    id: YoungPersonId,
) -> Result<(Viewer, YoungPerson), AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    match state.store.young_person_for(&viewer, id).await {
        Ok(person) => Ok((viewer, person)),
        Err(e @ StoreError::NotFound { .. }) => {
            state.store.record_refusal(&user.actor(), Some(viewer.la), "young_person", Some(&id.0.to_string())).await?;
            Err(e.into())
        }
        Err(e) => Err(e.into()),
    }
}

fn parse_id(id: &str) -> Result<YoungPersonId, AppError> {
    id.parse().map(YoungPersonId).map_err(|_| AppError::NotFound)
}

fn edit_view(person: &YoungPerson) -> FormView {
    let name = person.display_name().unwrap_or_else(|| format!("child ID {}", person.child_id));
    FormView {
        heading: format!("Edit the record of {name}"),
        action: format!("/young-people/{}/edit", person.id.0),
        back: format!("/young-people/{}", person.id.0),
        version: Some(person.version),
        advisers: None,
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let person = state.store.open_young_person(&viewer, &user.actor(), parse_id(&id)?, "edit").await?;
    render_form(&user, edit_view(&person), person.profile_input(), Errors::default(), None)
}

/// Their saved record beside what this user typed, for the fields that differ.
fn conflict_table(theirs: &ProfileInput, yours: &ProfileInput) -> Table {
    let headings = ["Field", "Saved now", "Yours (in the form below)"].map(Heading::new).to_vec();
    let mut table = Table::new("The saved record and your changes", headings).with_visible_caption().with_row_headers();
    for (field, label) in FIELDS {
        let (saved, typed) = (shown(theirs, field), shown(yours, field));
        if saved != typed {
            table.row(vec![Cell::text(label), Cell::text(saved), Cell::text(typed)]);
        }
    }
    table
}

pub async fn update(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (viewer, current) = visible_or_refused(&state, &user, id).await?;
    let input = input_of(&fields);
    let profile = match input.parse(today()) {
        Ok(profile) => profile,
        Err(errors) => {
            let mut view = edit_view(&current);
            // Keep the version the user started from: a later save by someone else still counts as a conflict.
            view.version = fields.get("version").trim().parse().ok().or(view.version);
            return render_form(&user, view, input, errors.into(), None);
        }
    };
    let expected: i64 = fields.get("version").trim().parse().unwrap_or(-1);
    match state.store.update_young_person(&viewer, id, expected, &profile, &user.actor()).await {
        Ok(person) => Ok(Redirect::to(&format!("/young-people/{}?saved=record", person.id.0)).into_response()),
        Err(StoreError::Conflict { .. }) => {
            let table = conflict_table(&current.profile_input(), &input);
            // The form keeps what this user typed, and now carries the latest version.
            render_form(&user, edit_view(&current), input, Errors::default(), Some(table))
        }
        Err(StoreError::Duplicate { .. }) => {
            let mut errors = Errors::default();
            errors
                .add("child_id", "Another young person already has this child ID: check it against the SSDA903 return");
            let mut view = edit_view(&current);
            view.version = Some(expected);
            render_form(&user, view, input, errors, None)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "close_record.html")]
struct ClosePage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    id: i64,
    name: String,
    version: i64,
    reasons: Vec<Choice>,
    on: DateParts,
    note: String,
}

fn person_name(person: &YoungPerson) -> String {
    person.display_name().unwrap_or_else(|| format!("child ID {}", person.child_id))
}

fn render_close(
    user: &CurrentUser,
    person: &YoungPerson,
    reason: &str,
    on: DateParts,
    note: String,
    errors: Errors,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ClosePage {
        page: Chrome::for_user(errors.title("Close this record"), user, "/young-people"),
        errors,
        csrf_token: user.csrf_token(),
        id: person.id.0,
        name: person_name(person),
        version: person.version,
        reasons: choices(ClosureReason::ALL.map(|r| (r.code(), r.label())), reason),
        on,
        note,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn close_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let person = state.store.open_young_person(&viewer, &user.actor(), parse_id(&id)?, "close").await?;
    if person.details.closed.is_some() {
        return Ok(Redirect::to(&format!("/young-people/{}", person.id.0)).into_response());
    }
    render_close(&user, &person, "", DateParts::of(Some(today())), String::new(), Errors::default())
}

pub async fn close(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let (viewer, person) = visible_or_refused(&state, &user, parse_id(&id)?).await?;
    let mut errors = Errors::default();
    let reason = ClosureReason::parse(fields.get("reason"));
    if reason.is_none() {
        errors.add("reason", "Choose why the record is being closed");
    }
    let on_parts = fields.date("closed_on");
    let on = match on_parts.parse("Date of closing") {
        Ok(Some(d)) if d > today() => {
            errors.add("closed_on", "Date of closing must be today or in the past");
            None
        }
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.add("closed_on", "Enter the date of closing");
            None
        }
        Err(message) => {
            errors.add("closed_on", message);
            None
        }
    };
    let note = fields.get("note").trim().to_owned();
    if note.chars().count() > 1000 {
        errors.add("note", "Note must be 1,000 characters or fewer");
    }
    if reason == Some(ClosureReason::Other) && note.is_empty() {
        errors.add("note", "Say why the record is being closed");
    }
    let (Some(reason), Some(on), true) = (reason, on, errors.is_empty()) else {
        return render_close(&user, &person, fields.get("reason"), on_parts, note, errors);
    };
    let closure = Closure { on, reason, note: (!note.is_empty()).then_some(note) };
    let expected: i64 = fields.get("version").trim().parse().unwrap_or(-1);
    state.store.close_young_person(&viewer, person.id, expected, &closure, &user.actor()).await?;
    Ok(Redirect::to(&format!("/young-people/{}?saved=closed", person.id.0)).into_response())
}

pub async fn reopen(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let (viewer, person) = visible_or_refused(&state, &user, parse_id(&id)?).await?;
    let expected: i64 = fields.get("version").trim().parse().unwrap_or(-1);
    let person = state.store.reopen_young_person(&viewer, person.id, expected, &user.actor()).await?;
    Ok(Redirect::to(&format!("/young-people/{}?saved=reopened", person.id.0)).into_response())
}

/// Whether `user` may use the record's edit links (the routes check again).
pub fn record_actions(user: &CurrentUser) -> (bool, bool) {
    (user.can(Permission::EditYoungPerson), user.can(Permission::CloseYoungPerson))
}
