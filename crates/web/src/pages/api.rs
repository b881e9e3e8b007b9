//! The JSON API under /api/v1: bearer tokens with their owner's permissions.
//! Every answer is a `Serialize` type below; every error is the shared
//! `{"errors": [...]}` body (see `error.rs`).

use crate::identity::CurrentUser;
use crate::pages::young_people::today;
use crate::{AppError, AppState};
use axum::extract::{Path, State};
use axum::{Extension, Json};
use chrono::NaiveDate;
use serde::Serialize;
use staying_close_domain::eligibility::{assess, CareLeaverStatus, Rules};
use staying_close_domain::people::{ChildId, CohortStatus};
use staying_close_store::YoungPersonId;

/// Dates in the API are ISO 8601 (`yyyy-mm-dd`).
fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[derive(Debug, Serialize)]
pub struct LaSummary {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct Me {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub la: Option<LaSummary>,
}

pub async fn me(Extension(user): Extension<CurrentUser>) -> Json<Me> {
    Json(Me {
        id: user.staff.id.0,
        name: user.staff.display_name.clone(),
        email: user.staff.email.to_string(),
        role: user.staff.role.as_str(),
        la: user.la.as_ref().map(|la| LaSummary { code: la.code.as_str().to_owned(), name: la.name.clone() }),
    })
}

#[derive(Debug, Serialize)]
pub struct YoungPersonSummary {
    pub id: i64,
    pub child_id: ChildId,
    /// `null` when no name is recorded.
    pub name: Option<String>,
    pub date_of_birth: String,
    pub cohort_status: CohortStatus,
    pub personal_adviser: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct YoungPeople {
    pub young_people: Vec<YoungPersonSummary>,
}

pub async fn young_people(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<YoungPeople>, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let rows = state.store.cohort_for(&viewer).await?;
    let ids = rows.iter().map(|r| r.id.0).collect();
    state.store.record_bulk_read(&user.actor(), viewer.la, "young_person", "api", serde_json::json!({}), ids).await?;
    let young_people = rows
        .into_iter()
        .map(|r| YoungPersonSummary {
            id: r.id.0,
            child_id: r.child_id,
            name: r.name,
            date_of_birth: iso(r.date_of_birth),
            cohort_status: r.cohort_status,
            personal_adviser: r.adviser_name,
        })
        .collect();
    Ok(Json(YoungPeople { young_people }))
}

#[derive(Debug, Serialize)]
pub struct Eligibility {
    pub as_at: String,
    pub residential_days_after_14: u32,
    pub looked_after_days_after_14: u32,
    pub staying_close_eligible: bool,
    pub care_leaver_status: CareLeaverStatus,
    pub personal_adviser_until: Option<String>,
    /// What SSDA903 alone cannot settle, for a person to check.
    pub for_review: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct YoungPersonRecord {
    pub id: i64,
    pub child_id: ChildId,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: String,
    pub cohort_status: CohortStatus,
    pub eligibility: Eligibility,
}

pub async fn young_person(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Json<YoungPersonRecord>, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let id = id.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let person = state.store.open_young_person(&viewer, &user.actor(), YoungPersonId(id), "api").await?;
    let episodes = state.store.episodes(viewer.la, person.id).await?;
    let a = assess(person.date_of_birth, &episodes, today(), &Rules::default());
    Ok(Json(YoungPersonRecord {
        id: person.id.0,
        child_id: person.child_id,
        first_name: person.first_name,
        last_name: person.last_name,
        date_of_birth: iso(person.date_of_birth),
        cohort_status: person.cohort_status,
        eligibility: Eligibility {
            as_at: iso(a.as_at),
            residential_days_after_14: a.residential_days_after_14,
            looked_after_days_after_14: a.looked_after_days_after_14,
            staying_close_eligible: a.staying_close_eligible,
            care_leaver_status: a.care_leaver_status,
            personal_adviser_until: a.personal_adviser_until.map(iso),
            for_review: a.for_review.into_iter().map(|r| r.rule).collect(),
        },
    }))
}
