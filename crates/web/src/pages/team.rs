//! The team (`/team`): the LA's staff with their roles and caseloads against
//! the cap; an LA administrator adds staff (who choose their own password
//! from a one-time link), changes roles and disables accounts here.

use crate::components::{choices, Cell, Choice, Heading, Part, Table};
use crate::forms::{Errors, Fields};
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use staying_close_domain::people::{Email, PersonName};
use staying_close_domain::permissions::Permission;
use staying_close_domain::roles::Role;
use staying_close_store::{NewStaff, Staff, StaffId, StoreError};

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    table: Table,
    over_cap: usize,
    over_cap_text: String,
    can_manage: bool,
    name: String,
    email: String,
    roles: Vec<Choice>,
    /// The one-time link for someone just added.
    added: Option<(String, String)>,
    /// The team's activities allowance spending this month, in words.
    allowance: String,
    /// Trusted Person matches this financial year and reviews due, in words.
    trusted: String,
}

fn la_roles(selected: &str) -> Vec<Choice> {
    choices(Role::ALL.iter().filter(|r| r.belongs_to_an_la()).map(|r| (r.as_str(), r.label())), selected)
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    errors: Errors,
    typed: (String, String, String),
    added: Option<(String, String)>,
) -> Result<Response, AppError> {
    let la = user.la.as_ref().ok_or(AppError::NotFound)?;
    let can_manage = user.can(Permission::ManageStaff);
    let cap = la.settings.caseload_cap;
    let caseloads = state.store.caseloads(la.id).await?;
    let others: std::collections::HashMap<_, _> =
        state.store.other_allocation_counts(la.id).await?.into_iter().collect();
    let mut headings = vec![
        Heading::new("Name"),
        Heading::new("Role"),
        Heading::numeric("Young people"),
        Heading::new("Caseload"),
        Heading::new("Account"),
    ];
    if can_manage {
        headings.push(Heading::hidden("Action"));
    }
    let mut table = Table::new("Staff", headings).with_row_headers();
    let mut over_cap = 0;
    for s in state.store.list_staff(la.id).await? {
        let count = caseloads.get(&s.id).copied().unwrap_or(0);
        let load = if s.role != Role::PersonalAdviser {
            Cell::text("")
        } else if count > i64::from(cap) {
            over_cap += 1;
            Cell::parts(vec![Part::tag(format!("Over the cap of {cap}"), "red")])
        } else {
            Cell::text(format!("Within the cap of {cap}"))
        };
        let status = if s.active { Part::tag("Active", "green") } else { Part::tag("Disabled", "grey") };
        let mut row = vec![
            Cell::text(&s.display_name),
            Cell::text(s.role.label()),
            // Everyone they work with: as personal adviser, or in another part (EET, housing, ...).
            Cell::number(match count + others.get(&s.id).copied().unwrap_or(0) {
                0 if s.role != Role::PersonalAdviser => String::new(),
                n => n.to_string(),
            }),
            load,
            status.into(),
        ];
        if can_manage {
            row.push(if s.active && s.id != user.staff.id {
                Cell::parts(vec![Part::Link {
                    text: "Change".into(),
                    href: format!("/team/{}", s.id.0),
                    hidden: format!(" {}", s.display_name),
                }])
            } else {
                Cell::empty()
            });
        }
        table.row(row);
    }
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let allowance = match user.viewer() {
        Some(viewer) => {
            use staying_close_domain::allowance::month_start;
            let today = crate::pages::young_people::today();
            let (spent, people) = state.store.team_spending(&viewer, month_start(today), today).await?;
            let everyone = staying_close_store::CohortQuery { per_page: 0, ..Default::default() };
            let active = state.store.cohort_page(&viewer, &everyone, today).await?.matching;
            let budget = staying_close_domain::money::Pence(la.settings.activities_allowance.0 * active);
            format!(
                "Activities allowance in {}: {spent} spent on {} so far, of {budget} for {} ({} each).",
                today.format("%B %Y"),
                staying_close_domain::words::count(people as u64, "young person", "young people"),
                staying_close_domain::words::count(active as u64, "young person", "young people"),
                la.settings.activities_allowance
            )
        }
        None => String::new(),
    };
    let trusted = match user.viewer() {
        Some(viewer) => {
            use staying_close_domain::allowance::financial_year_start;
            let today = crate::pages::young_people::today();
            let start = financial_year_start(today);
            let (agreed, due) = state.store.trusted_match_counts(&viewer, start, today, today).await?;
            format!(
                "Trusted Person scheme: {} agreed since {}; {} due a review.",
                staying_close_domain::words::count(agreed as u64, "match", "matches"),
                staying_close_domain::dates::format_uk(start),
                staying_close_domain::words::count(due as u64, "match", "matches"),
            )
        }
        None => String::new(),
    };
    let page = TeamPage {
        allowance,
        trusted,
        page: Chrome::for_user(errors.title("Team"), user, "/team"),
        errors,
        csrf_token: user.csrf_token(),
        table,
        over_cap,
        over_cap_text: format!(
            "{} over the caseload cap of {cap}.",
            staying_close_domain::words::count(over_cap as u64, "personal adviser is", "personal advisers are")
        ),
        can_manage,
        name: typed.0,
        email: typed.1,
        roles: la_roles(&typed.2),
        added,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Response, AppError> {
    render(&state, &user, Errors::default(), Default::default(), None).await
}

/// Adds a member of staff to the administrator's own LA, with no password:
/// they choose one from a one-time link, shown here once.
pub async fn add(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let la = user.la.as_ref().ok_or(AppError::NotFound)?.id;
    let typed = (fields.get("name").to_owned(), fields.get("email").to_owned(), fields.get("role").to_owned());
    let mut errors = Errors::default();
    let name = PersonName::parse(&typed.0).map_err(|_| errors.add("name", "Enter their full name")).ok();
    let email = Email::parse(&typed.1)
        .map_err(|_| errors.add("email", "Enter an email address in the correct format, like name@example.gov.uk"))
        .ok();
    let role = Role::parse(&typed.2).ok().filter(|r| r.belongs_to_an_la());
    if role.is_none() {
        errors.add("role", "Choose their role");
    }
    let (Some(name), Some(email), Some(role), true) = (name, email, role, errors.is_empty()) else {
        return render(&state, &user, errors, typed, None).await;
    };
    let new = NewStaff { la: Some(la), email: email.clone(), name, role, password: None };
    match state.store.create_staff(&new, &user.actor()).await {
        Ok(staff) => {
            let token = state.store.create_password_reset(&email, &user.actor()).await?;
            let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            let scheme = if crate::identity::is_secure(&state.config, &headers) { "https" } else { "http" };
            let link = format!("{scheme}://{host}/reset-password/{token}");
            render(&state, &user, Errors::default(), Default::default(), Some((staff.display_name, link))).await
        }
        Err(StoreError::Duplicate { .. }) => {
            errors.add("email", "Someone already has an account with this email address");
            render(&state, &user, errors, typed, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "team_member.html")]
struct MemberPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    id: i64,
    name: String,
    roles: Vec<Choice>,
}

async fn member(state: &AppState, user: &CurrentUser, id: &str) -> Result<Staff, AppError> {
    let la = user.la.as_ref().ok_or(AppError::NotFound)?.id;
    let id = StaffId(id.parse().map_err(|_| AppError::NotFound)?);
    match state.store.staff_in(la, id).await {
        Ok(s) => Ok(s),
        Err(e @ StoreError::NotFound { .. }) => {
            state.store.record_refusal(&user.actor(), Some(la), "staff", Some(&id.0.to_string())).await?;
            Err(e.into())
        }
        Err(e) => Err(e.into()),
    }
}

fn member_page(user: &CurrentUser, staff: &Staff, role: &str, errors: Errors) -> Result<Response, AppError> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = MemberPage {
        page: Chrome::for_user(errors.title(&staff.display_name), user, "/team"),
        errors,
        csrf_token: user.csrf_token(),
        id: staff.id.0,
        name: staff.display_name.clone(),
        roles: la_roles(role),
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn edit_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let staff = member(&state, &user, &id).await?;
    member_page(&user, &staff, staff.role.as_str(), Errors::default())
}

pub async fn change_role(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let staff = member(&state, &user, &id).await?;
    let mut errors = Errors::default();
    let role = Role::parse(fields.get("role")).ok().filter(|r| r.belongs_to_an_la());
    if role.is_none() {
        errors.add("role", "Choose their role");
    }
    if staff.id == user.staff.id {
        errors.add("role", "You cannot change your own role: ask another administrator");
    }
    match role {
        Some(role) if errors.is_empty() => {
            state.store.change_role(staff.la_id.ok_or(AppError::NotFound)?, staff.id, role, &user.actor()).await?;
            Ok(Redirect::to("/team").into_response())
        }
        _ => member_page(&user, &staff, fields.get("role"), errors),
    }
}

pub async fn disable(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let staff = member(&state, &user, &id).await?;
    if staff.id == user.staff.id {
        let mut errors = Errors::default();
        errors.add("role", "You cannot disable your own account: ask another administrator");
        return member_page(&user, &staff, staff.role.as_str(), errors);
    }
    state.store.disable_staff_in(staff.la_id.ok_or(AppError::NotFound)?, staff.id, &user.actor()).await?;
    Ok(Redirect::to("/team").into_response())
}
