//! The LA's audit trail for managers: filter, read, export as CSV.

use crate::components::{choices, Cell, Choice, Heading, Part, Table};
use crate::error::{ErrorKind, ErrorPage};
use crate::export::csv_field;
use crate::forms::Errors;
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use serde_json::json;
use staying_close_store::{AuditEvent, AuditFilter};
use std::collections::HashMap;

const LIMIT: usize = 200;
const EXPORT_LIMIT: i64 = 100_000;

/// The actions a manager can filter on, with plain-English names.
const ACTIONS: &[(&str, &str)] = &[
    ("sign_in", "Signed in"),
    ("sign_in_failed", "Failed to sign in"),
    ("sign_in_throttled", "Sign-in blocked after too many attempts"),
    ("second_factor_passed", "Second factor accepted"),
    ("second_factor_failed", "Second factor refused"),
    ("sign_out", "Signed out"),
    ("view", "Viewed a record"),
    ("view_list", "Viewed a list of records"),
    ("access_denied", "Refused access"),
    ("form_refused", "Refused a forged or cross-site form"),
    ("second_factor_locked", "Sign-in locked after wrong codes"),
    ("create", "Created"),
    ("update", "Changed"),
    ("delete", "Removed"),
    ("close", "Closed a record"),
    ("reopen", "Reopened a record"),
    ("review", "Reviewed a plan"),
    ("allocate", "Allocated a worker"),
    ("end_allocation", "Ended an allocation"),
    ("import", "Imported SSDA903 files"),
    ("import_checked", "Checked SSDA903 files before importing"),
    ("export", "Exported"),
    ("share", "Shared a record"),
    ("revoke", "Revoked an API token"),
    ("enrol_second_factor", "Set up two-factor authentication"),
    ("reset_second_factor", "Two-factor authentication removed"),
    ("signed_out_by_admin", "Signed out everywhere by an administrator"),
    ("signed_out_everyone", "Everyone signed out by an administrator"),
    ("password_reset_issued", "Password reset link issued"),
    ("password_reset", "Password reset"),
    ("password_changed", "Changed their password"),
    ("password_change_refused", "Password change refused: wrong current password"),
    ("end_other_sessions", "Signed out of other sessions"),
    ("end_other_sessions_refused", "Wrong password when signing out of other sessions"),
    ("dataset_refresh", "Data set loaded or refreshed"),
];

fn action_label(action: &str) -> String {
    ACTIONS.iter().find(|(a, _)| *a == action).map(|(_, l)| (*l).to_owned()).unwrap_or_else(|| action.to_owned())
}

#[derive(Deserialize, Default, Clone)]
pub struct Filter {
    #[serde(default)]
    action: String,
    /// A member of staff's id, as text so a bad value is simply ignored.
    #[serde(default)]
    who: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    page: Chrome,
    errors: Errors,
    la_name: String,
    actions: Vec<Choice>,
    staff: Vec<Choice>,
    from: String,
    to: String,
    query: String,
    shown: usize,
    events: Table,
    limit: usize,
}

/// The table of events, newest first; views of a record link to it.
fn events_table(events: &[AuditEvent], names: &HashMap<String, String>) -> Table {
    let headings = ["When (UTC)", "Who", "What", "Record", "From"].map(Heading::new).to_vec();
    let mut table = Table::new("Audit events, newest first", headings);
    for e in events {
        let record = match (e.entity_type.as_str(), e.entity_id) {
            ("young_person", Some(id)) => Part::link(record(e), format!("/young-people/{id}")),
            _ => Part::text(record(e)),
        };
        table.row(vec![
            Cell::text(when(&e.occurred_at)),
            Cell::text(who(e, names)),
            Cell::text(action_label(&e.action)),
            record.into(),
            Cell::text(e.client_addr.clone().unwrap_or_default()),
        ]);
    }
    table
}

/// Turns the typed filter into a store filter, noting bad dates.
fn to_store_filter(f: &Filter, errors: &mut Errors) -> AuditFilter {
    let mut date = |field: &'static str, text: &str| -> Option<String> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let parts: Vec<&str> = text.split('/').collect();
        let parsed = match parts.as_slice() {
            [d, m, y] => match (d.parse(), m.parse(), y.parse()) {
                (Ok(d), Ok(m), Ok(y)) => chrono::NaiveDate::from_ymd_opt(y, m, d),
                _ => None,
            },
            _ => None,
        };
        match parsed {
            Some(d) => Some(d.format("%Y-%m-%d").to_string()),
            None => {
                errors.add(field, format!("Enter the {field} date as day/month/year, like 1/11/2026"));
                None
            }
        }
    };
    AuditFilter {
        action: ACTIONS.iter().find(|(a, _)| *a == f.action).map(|(a, _)| (*a).to_owned()),
        entity_type: None,
        actor_staff_id: f.who.trim().parse().ok(),
        from: date("from", &f.from),
        to: date("to", &f.to),
    }
}

async fn names(state: &AppState, user: &CurrentUser) -> Result<HashMap<String, String>, AppError> {
    let mut map = HashMap::new();
    if let Some(la) = &user.la {
        for s in state.store.list_staff(la.id).await? {
            map.insert(format!("staff:{}", s.id.0), s.display_name);
        }
    }
    Ok(map)
}

/// The events matching a filter, with the names of the staff who appear.
struct Found {
    la: staying_close_store::La,
    errors: Errors,
    events: Vec<AuditEvent>,
    names: HashMap<String, String>,
}

async fn find(state: &AppState, user: &CurrentUser, filter: &Filter, limit: i64) -> Result<Found, AppError> {
    let la = user.la.clone().ok_or(AppError::NotFound)?;
    let mut errors = Errors::default();
    let store_filter = to_store_filter(filter, &mut errors);
    let events = state.store.audit_search(la.id, &store_filter, limit).await?;
    let names = names(state, user).await?;
    Ok(Found { la, errors, events, names })
}

fn who(e: &AuditEvent, names: &HashMap<String, String>) -> String {
    names.get(&e.actor_label).cloned().unwrap_or_else(|| match e.actor_label.as_str() {
        "anonymous" => "Someone not signed in".to_owned(),
        other => other.to_owned(),
    })
}

/// "2026-11-23T12:04:43Z" → "23 Nov 2026, 12:04:43".
fn when(instant: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(instant)
        .map(|t| t.format("%-d %b %Y, %H:%M:%S").to_string())
        .unwrap_or_else(|_| instant.to_owned())
}

fn record(e: &AuditEvent) -> String {
    let kind = e.entity_type.replace('_', " ");
    match e.entity_id {
        Some(id) => format!("{kind} {id}"),
        None => kind,
    }
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(filter): Query<Filter>,
) -> Result<Response, AppError> {
    let Found { la, errors, events, names } = find(&state, &user, &filter, LIMIT as i64).await?;
    let query = serde_urlencoded::to_string([
        ("action", &filter.action),
        ("who", &filter.who),
        ("from", &filter.from),
        ("to", &filter.to),
    ])
    .unwrap_or_default();
    let page = AuditPage {
        page: Chrome::for_user(errors.title("Audit trail"), &user, "/audit"),
        errors,
        la_name: la.name.clone(),
        actions: choices(std::iter::once(&("", "Anything")).chain(ACTIONS).copied(), &filter.action),
        staff: {
            let mut staff: Vec<(String, String)> = names
                .iter()
                .map(|(label, name)| (label.trim_start_matches("staff:").to_owned(), name.clone()))
                .collect();
            staff.sort_by(|a, b| a.1.cmp(&b.1));
            staff.insert(0, (String::new(), "Anyone".to_owned()));
            choices(staff, filter.who.trim())
        },
        from: filter.from.clone(),
        to: filter.to.clone(),
        query,
        shown: events.len(),
        events: events_table(&events, &names),
        limit: LIMIT,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn export(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(filter): Query<Filter>,
) -> Result<Response, AppError> {
    let Found { la, events, names, errors } = find(&state, &user, &filter, EXPORT_LIMIT).await?;
    if let Some((field, message)) = errors.items().first() {
        // A date it cannot read must not widen the export to everything.
        let detail = format!("{message} (field: {field}). Nothing was exported.");
        return Ok(ErrorPage {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            kind: ErrorKind::Invalid,
            detail: Some(detail),
        }
        .into_response());
    }
    let mut out = String::from("id,occurred_at,who,actor,client_address,action,record_type,record_id,details\r\n");
    for e in &events {
        let fields = [
            e.id.to_string(),
            e.occurred_at.clone(),
            who(e, &names),
            e.actor_label.clone(),
            e.client_addr.clone().unwrap_or_default(),
            e.action.clone(),
            e.entity_type.clone(),
            e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
            e.details.to_string(),
        ];
        out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    state
        .store
        .record_event(
            &user.actor(),
            Some(la.id),
            "export",
            "audit_trail",
            None,
            json!({
                "rows": events.len(),
                "ids": { "from": events.last().map(|e| e.id), "to": events.first().map(|e| e.id) },
                "filter": { "action": filter.action, "who": filter.who, "from": filter.from, "to": filter.to },
            }),
        )
        .await?;
    let file = format!("attachment; filename=\"audit-{}-{}.csv\"", la.code, chrono::Utc::now().format("%Y-%m-%d"));
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, file)], out)
        .into_response())
}
