//! The JSON API under /api/v1: bearer tokens with their owner's permissions.

use crate::identity::CurrentUser;
use crate::pages::young_people::today;
use crate::{AppError, AppState};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};
use staying_close_domain::eligibility::{assess, Rules};
use staying_close_store::YoungPersonId;

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub async fn me(Extension(user): Extension<CurrentUser>) -> Json<Value> {
    Json(json!({
        "id": user.staff.id.0,
        "name": user.staff.display_name,
        "email": user.staff.email,
        "role": user.staff.role.as_str(),
        "la": user.la.as_ref().map(|la| json!({ "code": la.code.as_str(), "name": la.name })),
    }))
}

pub async fn young_people(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Response, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let rows = state.store.cohort_for(&viewer).await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id.0,
                "child_id": r.child_id,
                "name": r.name,
                "date_of_birth": iso(r.date_of_birth),
                "cohort_status": r.cohort_status,
                "personal_adviser": r.adviser_name,
            })
        })
        .collect();
    Ok(Json(json!({ "young_people": items })).into_response())
}

pub async fn young_person(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let not_found = || (axum::http::StatusCode::NOT_FOUND, Json(json!({ "error": "not found" }))).into_response();
    let Some(viewer) = user.viewer() else { return Ok(not_found()) };
    let Ok(id) = id.parse::<i64>() else { return Ok(not_found()) };
    let person = match state.store.open_young_person(&viewer, &user.actor(), YoungPersonId(id), "api").await {
        Ok(p) => p,
        Err(staying_close_store::StoreError::NotFound { .. }) => return Ok(not_found()),
        Err(e) => return Err(e.into()),
    };
    let episodes = state.store.episodes(viewer.la, person.id).await?;
    let a = assess(person.date_of_birth, &episodes, today(), &Rules::default());
    Ok(Json(json!({
        "id": person.id.0,
        "child_id": person.child_id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": iso(person.date_of_birth),
        "cohort_status": person.cohort_status,
        "eligibility": {
            "as_at": iso(a.as_at),
            "residential_days_after_14": a.residential_days_after_14,
            "looked_after_days_after_14": a.looked_after_days_after_14,
            "staying_close_eligible": a.staying_close_eligible,
            "care_leaver_status": a.care_leaver_status.as_str(),
            "personal_adviser_until": a.personal_adviser_until.map(iso),
        },
    }))
    .into_response())
}
