//! The personal calendar feed (`/calendar/{token}.ics`): home visits due and
//! overdue for the owner's young people (the team's, for a manager), as
//! RFC 5545 all-day events. No session: the secret link is the key, so the
//! owner must still be an active member of staff, and each read is audited
//! as theirs. Names are cut to a first name and initial, since calendar apps
//! keep copies outside the service.

use crate::pages::contacts::sees_team;
use crate::pages::young_people::today;
use crate::routes::ClientAddr;
use crate::{AppError, AppState};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::Duration;
use staying_close_domain::dates::format_uk;
use staying_close_domain::ics::{calendar, AllDayEvent};
use staying_close_domain::permissions::record_scope;
use staying_close_store::{Actor, Caseload, Viewer};

/// How far ahead the feed looks, and the most events it holds.
const DAYS_AHEAD: i64 = 60;
const MOST_EVENTS: usize = 500;

/// "Jordan Ellis" → "Jordan E."
fn short_name(name: Option<&str>, child_id: &str) -> String {
    match name.map(|n| n.split_whitespace().collect::<Vec<_>>()) {
        Some(parts) if parts.len() >= 2 => {
            let last = parts[parts.len() - 1].chars().next().map(|c| format!(" {c}.")).unwrap_or_default();
            format!("{}{last}", parts[0])
        }
        Some(parts) if parts.len() == 1 => parts[0].to_owned(),
        _ => format!("child ID {child_id}"),
    }
}

pub async fn feed(
    State(state): State<AppState>,
    Extension(client): Extension<ClientAddr>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let staff = state.store.staff_by_calendar_token(token).await?.ok_or(AppError::NotFound)?;
    let la = state.store.la(staff.la_id.ok_or(AppError::NotFound)?).await?;
    let viewer = Viewer { la: la.id, staff: Some(staff.id), scope: record_scope(staff.role, la.record_access) };
    let caseload = if sees_team(staff.role) { Caseload::Team } else { Caseload::Of(staff.id) };
    let today = today();
    let mut due = state.store.visits_due(&viewer, caseload, today + Duration::days(DAYS_AHEAD)).await?;
    due.truncate(MOST_EVENTS);
    let events: Vec<AllDayEvent> = due
        .iter()
        .map(|v| {
            let who = short_name(v.name.as_deref(), &v.child_id);
            // An overdue visit sits on today, so it is seen.
            let (on, summary) = if v.next_due_on < today {
                (today, format!("Home visit overdue: {who}"))
            } else {
                (v.next_due_on, format!("Home visit due: {who}"))
            };
            AllDayEvent {
                uid: format!("visit-{}-{}-{}@staying-close", la.code.as_str(), v.young_person.0, v.next_due_on),
                on,
                summary,
                description: format!(
                    "Due {}; visits {}.",
                    format_uk(v.next_due_on),
                    v.frequency.label().to_lowercase()
                ),
            }
        })
        .collect();
    // Plan reviews due in the same window, on their due date (or today when overdue).
    let mut reviews = state.store.plan_reviews_due(&viewer, caseload, today + Duration::days(DAYS_AHEAD)).await?;
    reviews.truncate(MOST_EVENTS);
    let mut events = events;
    events.extend(reviews.iter().map(|r| {
        let who = short_name(r.name.as_deref(), &r.child_id);
        let (on, summary) = if r.review_due_on < today {
            (today, format!("Plan review overdue: {who}"))
        } else {
            (r.review_due_on, format!("Plan review due: {who}"))
        };
        AllDayEvent {
            uid: format!("review-{}-{}-{}@staying-close", la.code.as_str(), r.young_person.0, r.review_due_on),
            on,
            summary,
            description: format!("The Staying Close plan is due for review on {}.", format_uk(r.review_due_on)),
        }
    }));
    let actor = Actor::staff(staff.id, Some(client.0));
    let ids = due.iter().map(|v| v.young_person.0).chain(reviews.iter().map(|r| r.young_person.0)).collect();
    let filter = serde_json::json!({ "days_ahead": DAYS_AHEAD });
    state.store.record_bulk_read(&actor, la.id, "young_person", "calendar", filter, ids).await?;
    let body =
        calendar(&format!("Staying Close visits and reviews ({})", staff.display_name), &events, chrono::Utc::now());
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "private, no-store")], body)
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_cut_to_a_first_name_and_initial() {
        assert_eq!(super::short_name(Some("Jordan Ellis"), "X1"), "Jordan E.");
        assert_eq!(super::short_name(Some("Ami"), "X1"), "Ami");
        assert_eq!(super::short_name(None, "X1"), "child ID X1");
    }
}
