//! A young person's contacts and direct work: the quick-add form (made for a
//! phone), the visit schedule and where it stands, support hours this week,
//! and the contacts on record, latest first, a page at a time.

use crate::components::{choices, Choice, Part, SummaryRow};
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
use chrono::{Datelike, Duration, NaiveDate};
use serde::Deserialize;
use staying_close_domain::contacts::{ContactInput, ContactKind, Topic};
use staying_close_domain::dates::format_uk;
use staying_close_domain::permissions::Permission;
use staying_close_domain::profile::DateParts;
use staying_close_domain::roles::Role;
use staying_close_domain::statutory::{SupportArea, SupportForm};
use staying_close_domain::visits::{duration_words, Schedule, SupportHours, VisitFrequency, VisitStatus};
use staying_close_domain::words::count;
use staying_close_store::{ContactId, StoreError, StoredContact, Viewer, VisitSchedule, YoungPerson, YoungPersonId};

const PER_PAGE: i64 = 20;

/// Monday of the week holding `day`.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// Where a schedule stands, in words: "Due 27 November 2026", "Overdue by 4 days (due 27 November 2026)".
pub fn visit_status_words(status: VisitStatus) -> (String, &'static str) {
    match status {
        VisitStatus::Upcoming { due } => (format!("Next home visit due {}", format_uk(due)), "blue"),
        VisitStatus::DueToday => ("Home visit due today".to_owned(), "yellow"),
        VisitStatus::Overdue { due, days } => {
            (format!("Home visit overdue by {} (due {})", count(days.into(), "day", "days"), format_uk(due)), "red")
        }
    }
}

#[derive(Template)]
#[template(path = "contacts.html")]
struct ContactsPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    id: i64,
    name: String,
    banner: Option<&'static str>,
    can_record: bool,
    status: Vec<SummaryRow>,
    input: ContactInput,
    kinds: Vec<Choice>,
    staff: Vec<Choice>,
    other_staff: Vec<Choice>,
    topics: Vec<Choice>,
    owners: Vec<Choice>,
    crisis: Vec<Choice>,
    /// Whether the form offers statutory support tags (the LA's duty has a start date).
    show_support: bool,
    support_areas: Vec<Choice>,
    support_forms: Vec<Choice>,
    frequency: Vec<Choice>,
    schedule_start: DateParts,
    schedule_version: String,
    schedule_errors: Errors,
    cards: Vec<(String, Vec<SummaryRow>)>,
    previous: String,
    next: String,
    total: i64,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<String>,
    #[serde(default)]
    saved: Option<String>,
}

fn parse_id(id: &str) -> Result<YoungPersonId, AppError> {
    id.parse().map(YoungPersonId).map_err(|_| AppError::NotFound)
}

/// Who the quick-add form offers: checkboxes for the people who usually
/// work with this young person (you, their personal adviser, whoever was at
/// their recent contacts, and anyone already ticked), and everyone else who
/// records contacts in a list, so a large LA's form stays short.
struct StaffChoices {
    familiar: Vec<Choice>,
    others: Vec<Choice>,
}

async fn staff_choices(
    state: &AppState,
    user: &CurrentUser,
    person: &YoungPerson,
    ticked: &[String],
) -> Result<StaffChoices, AppError> {
    let la = user.la.as_ref().ok_or(AppError::NotFound)?.id;
    let recording: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| staying_close_domain::permissions::allows(*r, Permission::RecordContact))
        .collect();
    let everyone = state.store.staff_names_in(la, &recording).await?;
    let mut familiar_ids = vec![user.staff.id.0];
    familiar_ids.extend(person.personal_adviser.map(|s| s.0));
    familiar_ids.extend(state.store.recent_contact_staff(la, person.id).await?.into_iter().map(|(id, _)| id.0));
    familiar_ids.extend(ticked.iter().filter_map(|t| t.parse::<i64>().ok()));
    let mut seen = std::collections::HashSet::new();
    familiar_ids.retain(|id| seen.insert(*id));
    let name = |id: i64| everyone.iter().find(|(s, _)| s.0 == id).map(|(_, n)| n.clone());
    let familiar = familiar_ids
        .iter()
        .filter_map(|id| {
            let label = name(*id)?;
            Some(Choice {
                checked: ticked.contains(&id.to_string()),
                label: if *id == user.staff.id.0 { format!("{label} (you)") } else { label },
                value: id.to_string(),
            })
        })
        .collect();
    let mut others = vec![Choice { value: String::new(), label: "No one else".into(), checked: false }];
    others.extend(everyone.iter().filter(|(id, _)| !familiar_ids.contains(&id.0)).map(|(id, n)| Choice {
        value: id.0.to_string(),
        label: n.clone(),
        checked: false,
    }));
    Ok(StaffChoices { familiar, others })
}

fn card(contact: &StoredContact) -> (String, Vec<SummaryRow>) {
    let when = match contact.at {
        Some(t) => format!("{} at {}", format_uk(contact.on), t.format("%H:%M")),
        None => format_uk(contact.on),
    };
    let mut rows = vec![
        SummaryRow::text("Kind", contact.kind.label()),
        SummaryRow::text("How long", duration_words(contact.duration_minutes)),
        SummaryRow::text("Who was there", contact.staff.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")),
    ];
    if !contact.topics.is_empty() {
        rows.push(SummaryRow::text("Topics", contact.topics.iter().map(|t| t.label()).collect::<Vec<_>>().join(", ")));
    }
    if let Some(place) = &contact.place {
        rows.push(SummaryRow::text("Place", place));
    }
    if let Some(notes) = &contact.notes {
        rows.push(SummaryRow::text("Notes", notes));
    }
    if !contact.support_areas.is_empty() {
        let areas: Vec<&str> = contact.support_areas.iter().map(|a| a.label()).collect();
        let forms: Vec<&str> = contact.support_forms.iter().map(|f| f.label()).collect();
        rows.push(SummaryRow::text(
            "Staying close support",
            format!("{} ({})", areas.join(", "), forms.join(", ").to_lowercase()),
        ));
    }
    if let Some(follow_up) = &contact.follow_up {
        let state = match contact.follow_up_done_on {
            Some(done) => Part::tag(format!("Done {}", format_uk(done)), "green"),
            None => Part::tag("Open", "red"),
        };
        rows.push(SummaryRow::parts("Crisis follow-up", vec![Part::text(&follow_up.action), state]));
    }
    (format!("{when}: {}", contact.kind.label()), rows)
}

struct Loaded {
    viewer: Viewer,
    person: YoungPerson,
}

async fn load(state: &AppState, user: &CurrentUser, id: &str, via: &str) -> Result<Loaded, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let person = state.store.open_young_person(&viewer, &user.actor(), parse_id(id)?, via).await?;
    Ok(Loaded { viewer, person })
}

struct Form2 {
    input: ContactInput,
    errors: Errors,
    schedule_errors: Errors,
    schedule_frequency: String,
    schedule_start: DateParts,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    loaded: &Loaded,
    page_number: i64,
    banner: Option<&'static str>,
    form: Form2,
    status_code: StatusCode,
) -> Result<Response, AppError> {
    let (viewer, person) = (&loaded.viewer, &loaded.person);
    let la = viewer.la;
    let today = today();
    let schedule = state.store.visit_schedule(la, person.id).await?;
    let week = week_start(today);
    let minutes = state.store.contact_minutes(la, person.id, week, week + Duration::days(6)).await?;
    let offer = user.la.as_ref().map(|l| l.settings.weekly_support_hours).unwrap_or(5);
    let hours = SupportHours { minutes, offer_hours: offer };
    let mut status = Vec::new();
    match &schedule {
        Some(s) => {
            let (words, colour) = visit_status_words(s.schedule.status(s.last_home_visit_on, today));
            status.push(SummaryRow::parts("Home visits", vec![Part::tag(words, colour)]));
            status.push(SummaryRow::text(
                "Schedule",
                format!("{}, from {}", s.schedule.frequency.label(), format_uk(s.schedule.starts_on)),
            ));
            status.push(SummaryRow::text(
                "Last home visit",
                s.last_home_visit_on
                    .map(format_uk)
                    .unwrap_or_else(|| "None recorded since the schedule started".into()),
            ));
        }
        None => status.push(SummaryRow::text("Home visits", "No visit schedule set yet")),
    }
    let met = if hours.meets_offer() { Part::tag("Offer met", "green") } else { Part::tag("Below the offer", "grey") };
    status.push(SummaryRow::parts(
        format!("Support this week (from {})", format_uk(week)),
        vec![Part::text(hours.describe()), met],
    ));

    let total = state.store.contact_count(la, person.id).await?;
    let contacts = state.store.contacts_for(viewer, person.id, PER_PAGE, (page_number - 1) * PER_PAGE).await?;
    let ids = contacts.iter().map(|c| c.id.0).collect();
    state
        .store
        .record_bulk_read(
            &user.actor(),
            la,
            "contact",
            "page",
            serde_json::json!({ "young_person_id": person.id.0, "page": page_number }),
            ids,
        )
        .await?;
    let base = format!("/young-people/{}/contacts", person.id.0);
    let previous = if page_number > 1 { format!("{base}?page={}", page_number - 1) } else { String::new() };
    let next = if page_number * PER_PAGE < total { format!("{base}?page={}", page_number + 1) } else { String::new() };

    let input = form.input;
    let kinds = choices(ContactKind::ALL.iter().map(|k| (k.code(), k.label())), &input.kind);
    let StaffChoices { familiar: staff, others: other_staff } =
        staff_choices(state, user, person, &input.staff).await?;
    let owners = {
        let mut owners = vec![Choice { value: String::new(), label: "Choose who".into(), checked: false }];
        owners.extend(staff.iter().chain(other_staff.iter().skip(1)).map(|c| Choice {
            checked: c.value == input.follow_up_owner,
            value: c.value.clone(),
            label: c.label.clone(),
        }));
        owners
    };
    let topics = Topic::ALL
        .iter()
        .map(|t| Choice {
            value: t.code().to_owned(),
            label: t.label().to_owned(),
            checked: input.topics.iter().any(|c| c == t.code()),
        })
        .collect();
    let crisis = vec![Choice { value: "yes".into(), label: "This was a crisis".into(), checked: input.crisis }];
    let ticked = |list: &[String], code: &str| list.iter().any(|c| c == code);
    let support_areas = SupportArea::ALL
        .iter()
        .map(|a| Choice {
            value: a.code().to_owned(),
            label: a.label().to_owned(),
            checked: ticked(&input.support_areas, a.code()),
        })
        .collect();
    let support_forms = SupportForm::ALL
        .iter()
        .map(|f| Choice {
            value: f.code().to_owned(),
            label: f.label().to_owned(),
            checked: ticked(&input.support_forms, f.code()),
        })
        .collect();
    let show_support = user.la.as_ref().is_some_and(|l| l.staying_close_duty_from.is_some());
    let frequency = choices(VisitFrequency::ALL.iter().map(|f| (f.code(), f.label())), &form.schedule_frequency);
    let name = person.display_name().unwrap_or_else(|| format!("child ID {}", person.child_id));
    let title = if form.errors.is_empty() && form.schedule_errors.is_empty() {
        format!("Contacts with {name}")
    } else {
        format!("Error: Contacts with {name}")
    };
    let page = ContactsPage {
        page: Chrome::for_user(title, user, "/young-people"),
        errors: form.errors,
        csrf_token: user.csrf_token(),
        id: person.id.0,
        name,
        banner,
        can_record: user.can(Permission::RecordContact),
        status,
        input,
        kinds,
        staff,
        other_staff,
        topics,
        owners,
        crisis,
        show_support,
        support_areas,
        support_forms,
        frequency,
        schedule_start: form.schedule_start,
        schedule_version: schedule.as_ref().map(|s| s.version.to_string()).unwrap_or_default(),
        schedule_errors: form.schedule_errors,
        cards: contacts.iter().map(card).collect(),
        previous,
        next,
        total,
    };
    Ok((status_code, Html(page.render()?)).into_response())
}

fn blank_form(user: &CurrentUser, schedule: Option<&VisitSchedule>) -> Form2 {
    Form2 {
        input: ContactInput {
            date: DateParts::of(Some(today())),
            staff: vec![user.staff.id.0.to_string()],
            kind: "home_visit".into(),
            ..ContactInput::default()
        },
        errors: Errors::default(),
        schedule_errors: Errors::default(),
        schedule_frequency: schedule.map(|s| s.schedule.frequency.code()).unwrap_or("fortnightly").to_owned(),
        schedule_start: DateParts::of(Some(schedule.map(|s| s.schedule.starts_on).unwrap_or_else(today))),
    }
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &id, "contacts").await?;
    let page_number = q.page.as_deref().and_then(|p| p.parse::<i64>().ok()).filter(|p| *p >= 1).unwrap_or(1);
    let banner = match q.saved.as_deref() {
        Some("contact") => Some("Contact recorded."),
        Some("schedule") => Some("Visit schedule saved."),
        Some("follow_up") => Some("Follow-up marked as done."),
        _ => None,
    };
    let schedule = state.store.visit_schedule(loaded.viewer.la, loaded.person.id).await?;
    let form = blank_form(&user, schedule.as_ref());
    render(&state, &user, &loaded, page_number, banner, form, StatusCode::OK).await
}

/// What was typed into the quick-add form.
fn contact_input(fields: &Fields) -> ContactInput {
    ContactInput {
        date: fields.date("date"),
        time: fields.get("time").to_owned(),
        duration_minutes: fields.get("duration").to_owned(),
        // The ticked boxes, and whoever was picked from the list ("No one else" is empty).
        staff: fields
            .all("staff")
            .into_iter()
            .chain(std::iter::once(fields.get("staff-other").to_owned()))
            .filter(|v| !v.trim().is_empty())
            .collect(),
        kind: fields.get("kind").to_owned(),
        topics: fields.all("topics"),
        place: fields.get("place").to_owned(),
        notes: fields.get("notes").to_owned(),
        crisis: fields.ticked("crisis", "yes"),
        follow_up: fields.get("follow_up").to_owned(),
        follow_up_owner: fields.get("follow_up_owner").to_owned(),
        support_areas: fields.all("support_areas"),
        support_forms: fields.all("support_forms"),
    }
}

pub async fn create(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &id, "record_contact").await?;
    let known = state.store.staff_ids(loaded.viewer.la).await?;
    let input = contact_input(&fields);
    match input.parse(&known, today()) {
        Ok(contact) => {
            state.store.record_contact(&loaded.viewer, loaded.person.id, &contact, &user.actor()).await?;
            Ok(Redirect::to(&format!("/young-people/{}/contacts?saved=contact", loaded.person.id.0)).into_response())
        }
        Err(errors) => {
            let schedule = state.store.visit_schedule(loaded.viewer.la, loaded.person.id).await?;
            let mut form = blank_form(&user, schedule.as_ref());
            form.input = input;
            form.errors = errors.into();
            render(&state, &user, &loaded, 1, None, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn set_schedule(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &id, "visit_schedule").await?;
    let current = state.store.visit_schedule(loaded.viewer.la, loaded.person.id).await?;
    let mut errors = Errors::default();
    let frequency = VisitFrequency::parse(fields.get("frequency"))
        .map_err(|_| errors.add("frequency", "Choose how often they are visited at home"))
        .ok();
    let start_parts = fields.date("starts_on");
    let starts_on = match start_parts.parse("Start date") {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.add("starts_on", "Enter the date the schedule starts");
            None
        }
        Err(message) => {
            errors.add("starts_on", message);
            None
        }
    };
    let expected = match fields.get("version").trim() {
        "" => None,
        v => Some(v.parse::<i64>().unwrap_or(-1)),
    };
    if let (Some(frequency), Some(starts_on)) = (frequency, starts_on) {
        let schedule = Schedule { frequency, starts_on };
        match state.store.set_visit_schedule(&loaded.viewer, loaded.person.id, expected, schedule, &user.actor()).await {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/young-people/{}/contacts?saved=schedule", loaded.person.id.0))
                    .into_response())
            }
            Err(StoreError::Conflict { .. }) => errors.add(
                "frequency",
                "Someone else changed the visit schedule while you were editing it. Check the schedule above, then save again.",
            ),
            Err(e) => return Err(e.into()),
        }
    }
    let mut form = blank_form(&user, current.as_ref());
    form.schedule_frequency = fields.get("frequency").to_owned();
    form.schedule_start = start_parts;
    let status = if errors.get("frequency").is_some_and(|m| m.starts_with("Someone")) {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    form.schedule_errors = errors;
    render(&state, &user, &loaded, 1, None, form, status).await
}

pub async fn complete_follow_up(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let contact = ContactId(id.parse().map_err(|_| AppError::NotFound)?);
    match state.store.complete_follow_up(&viewer, contact, today(), &user.actor()).await {
        Ok(()) => {}
        Err(e @ StoreError::NotFound { .. }) => {
            state.store.record_refusal(&user.actor(), Some(viewer.la), "follow_up", Some(&id)).await?;
            return Err(e.into());
        }
        Err(e) => return Err(e.into()),
    }
    // Back to where the button was: My week, unless the form says otherwise.
    let back = match (fields.get("back"), fields.get("young_person").trim().parse::<i64>()) {
        ("contacts", Ok(person)) => format!("/young-people/{person}/contacts?saved=follow_up"),
        _ => "/my-week?saved=follow_up".to_owned(),
    };
    Ok(Redirect::to(&back).into_response())
}

/// Whether a role's My week shows the whole team rather than a caseload.
pub fn sees_team(role: Role) -> bool {
    matches!(role, Role::LaAdmin | Role::TeamManager | Role::ReadOnly)
}
