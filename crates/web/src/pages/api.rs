//! The JSON API under /api/v1: bearer tokens with their owner's permissions.
//! Every answer is a `Serialize` + `ToSchema` type below, so the OpenAPI
//! document at /api/openapi.json is generated from the same types the
//! handlers return (see [`ApiDoc`]); every error is the shared
//! `{"errors": [...]}` body. Dates are ISO 8601 (`yyyy-mm-dd`).

use crate::error::{ApiErrors, ApiProblem};
use crate::identity::CurrentUser;
use crate::pages::young_people::today;
use crate::{AppError, AppState};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use staying_close_domain::contacts::ContactInput;
use staying_close_domain::eligibility::{assess, Rules};
use staying_close_domain::profile::{DateParts, FieldErrors, ProfileInput};
use staying_close_domain::visits::VisitStatus;
use staying_close_store::{CohortQuery, StoreError, StoredContact, Viewer, VisitSchedule, YoungPerson, YoungPersonId};
use utoipa::{IntoParams, OpenApi, ToSchema};

/// Dates in the API are ISO 8601 (`yyyy-mm-dd`).
fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Most items one page of a list holds.
pub const API_PAGE: i64 = 100;

#[derive(Debug, Serialize, ToSchema)]
pub struct LaSummary {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub la: Option<LaSummary>,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = Me), (status = 401, body = ApiErrors)), security(("bearer" = [])))]
pub async fn me(Extension(user): Extension<CurrentUser>) -> Json<Me> {
    Json(Me {
        id: user.staff.id.0,
        name: user.staff.display_name.clone(),
        email: user.staff.email.to_string(),
        role: user.staff.role.as_str().to_owned(),
        la: user.la.as_ref().map(|la| LaSummary { code: la.code.as_str().to_owned(), name: la.name.clone() }),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct YoungPersonSummary {
    pub id: i64,
    pub child_id: String,
    /// `null` when no name is recorded.
    pub name: Option<String>,
    pub date_of_birth: String,
    /// `referred`, `active` or `closed`.
    pub cohort_status: String,
    pub personal_adviser: Option<String>,
    pub staying_close_eligible: bool,
    pub care_leaver_status: String,
    pub next_home_visit_due: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct YoungPeople {
    pub young_people: Vec<YoungPersonSummary>,
    pub page: i64,
    pub per_page: i64,
    /// How many match in all, across pages.
    pub total: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// 1-based page number.
    pub page: Option<i64>,
    /// Part of a name or a child ID.
    pub q: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/young-people", tag = "young people", params(ListParams),
    responses((status = 200, body = YoungPeople), (status = 401, body = ApiErrors), (status = 403, body = ApiErrors)),
    security(("bearer" = [])))]
pub async fn young_people(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(params): Query<ListParams>,
) -> Result<Json<YoungPeople>, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let today = today();
    state.store.refresh_cohort_facts(viewer.la, today).await?;
    let page = params.page.unwrap_or(1).max(1);
    let query = CohortQuery {
        search: params.q.clone().filter(|q| !q.trim().is_empty()),
        page,
        per_page: API_PAGE,
        ..CohortQuery::default()
    };
    let found = state.store.cohort_page(&viewer, &query, today).await?;
    let ids = found.lines.iter().map(|r| r.id.0).collect();
    let filter = serde_json::json!({ "page": page, "q": params.q.is_some() });
    state.store.record_bulk_read(&user.actor(), viewer.la, "young_person", "api", filter, ids).await?;
    let young_people = found
        .lines
        .into_iter()
        .map(|r| YoungPersonSummary {
            id: r.id.0,
            child_id: r.child_id.to_string(),
            name: r.name,
            date_of_birth: iso(r.date_of_birth),
            cohort_status: r.cohort_status.as_str().to_owned(),
            personal_adviser: r.adviser_name,
            staying_close_eligible: r.eligible,
            care_leaver_status: r.status.as_str().to_owned(),
            next_home_visit_due: r.next_visit_due.map(iso),
        })
        .collect();
    Ok(Json(YoungPeople { young_people, page, per_page: API_PAGE, total: found.matching }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Eligibility {
    pub as_at: String,
    pub residential_days_after_14: u32,
    pub looked_after_days_after_14: u32,
    pub staying_close_eligible: bool,
    pub care_leaver_status: String,
    pub personal_adviser_until: Option<String>,
    /// What SSDA903 alone cannot settle, for a person to check.
    pub for_review: Vec<String>,
}

/// A young person's record as the API reads and writes it. On writes,
/// `id`, `cohort_status`, `eligibility` and `closed` are ignored; `version`
/// must be the version read (optimistic locking).
#[derive(Debug, Serialize, ToSchema)]
pub struct YoungPersonRecord {
    pub id: i64,
    pub version: i64,
    pub child_id: String,
    pub first_name: String,
    pub last_name: String,
    pub preferred_name: Option<String>,
    pub pronouns: Option<String>,
    pub date_of_birth: String,
    pub upn: Option<String>,
    pub nhs_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub languages: Option<String>,
    pub faith: Option<String>,
    /// Codes: birthday, christmas, easter, eid_al_fitr, eid_al_adha, diwali, vaisakhi, hanukkah,
    /// lunar_new_year, care_leavers_week, staying_close_anniversary.
    pub celebrations: Vec<String>,
    pub disabilities: Option<String>,
    pub communication_needs: Option<String>,
    pub young_parent: bool,
    pub expecting: bool,
    pub home_left: Option<String>,
    pub home_contact: Option<String>,
    pub care_ended_on: Option<String>,
    pub staying_close_start: Option<String>,
    pub staying_close_end: Option<String>,
    pub cohort_status: String,
    /// `null` while the record is open.
    pub closed_on: Option<String>,
    pub closed_reason: Option<String>,
    pub eligibility: Eligibility,
}

fn record_of(person: &YoungPerson, a: &staying_close_domain::eligibility::Assessment) -> YoungPersonRecord {
    let d = &person.details;
    YoungPersonRecord {
        id: person.id.0,
        version: person.version,
        child_id: person.child_id.to_string(),
        first_name: person.first_name.clone(),
        last_name: person.last_name.clone(),
        preferred_name: person.preferred_name.clone(),
        pronouns: d.pronouns.clone(),
        date_of_birth: iso(person.date_of_birth),
        upn: d.upn.map(|u| u.to_string()),
        nhs_number: d.nhs_number.map(|n| n.as_str().to_owned()),
        phone: d.phone.clone(),
        email: d.email.clone(),
        address: d.address.clone(),
        languages: d.languages.clone(),
        faith: d.faith.clone(),
        celebrations: d.celebrations.iter().map(|c| c.code().to_owned()).collect(),
        disabilities: d.disabilities.clone(),
        communication_needs: d.communication_needs.clone(),
        young_parent: d.young_parent,
        expecting: d.expecting,
        home_left: d.home_left.clone(),
        home_contact: d.home_contact.clone(),
        care_ended_on: d.care_ended_on.map(iso),
        staying_close_start: d.staying_close_start.map(iso),
        staying_close_end: d.staying_close_end.map(iso),
        cohort_status: person.cohort_status.as_str().to_owned(),
        closed_on: d.closed.as_ref().map(|c| iso(c.on)),
        closed_reason: d.closed.as_ref().map(|c| c.reason.code().to_owned()),
        eligibility: Eligibility {
            as_at: iso(a.as_at),
            residential_days_after_14: a.residential_days_after_14,
            looked_after_days_after_14: a.looked_after_days_after_14,
            staying_close_eligible: a.staying_close_eligible,
            care_leaver_status: a.care_leaver_status.as_str().to_owned(),
            personal_adviser_until: a.personal_adviser_until.map(iso),
            for_review: a.for_review.iter().map(|r| r.rule.clone()).collect(),
        },
    }
}

async fn full_record(
    state: &AppState,
    la: staying_close_store::LaId,
    person: &YoungPerson,
) -> Result<YoungPersonRecord, AppError> {
    let episodes = state.store.episodes(la, person.id).await?;
    let a = assess(person.date_of_birth, &episodes, today(), &Rules::default());
    Ok(record_of(person, &a))
}

fn parse_id(id: &str) -> Result<YoungPersonId, AppError> {
    id.parse::<i64>().map(YoungPersonId).map_err(|_| AppError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/young-people/{id}", tag = "young people",
    params(("id" = i64, Path, description = "The young person's id")),
    responses((status = 200, body = YoungPersonRecord), (status = 404, body = ApiErrors, description = "Unknown, or another LA's, or outside your caseload")),
    security(("bearer" = [])))]
pub async fn young_person(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Json<YoungPersonRecord>, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let person = state.store.open_young_person(&viewer, &user.actor(), parse_id(&id)?, "api").await?;
    Ok(Json(full_record(&state, viewer.la, &person).await?))
}

/// What a client sends to add or change a record.
#[derive(Debug, Deserialize, ToSchema)]
pub struct YoungPersonWrite {
    /// Required when changing a record: the version you read.
    pub version: Option<i64>,
    pub child_id: String,
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub preferred_name: Option<String>,
    #[serde(default)]
    pub pronouns: Option<String>,
    /// `yyyy-mm-dd`.
    pub date_of_birth: String,
    #[serde(default)]
    pub upn: Option<String>,
    #[serde(default)]
    pub nhs_number: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub languages: Option<String>,
    #[serde(default)]
    pub faith: Option<String>,
    #[serde(default)]
    pub celebrations: Vec<String>,
    #[serde(default)]
    pub disabilities: Option<String>,
    #[serde(default)]
    pub communication_needs: Option<String>,
    #[serde(default)]
    pub young_parent: bool,
    #[serde(default)]
    pub expecting: bool,
    #[serde(default)]
    pub home_left: Option<String>,
    #[serde(default)]
    pub home_contact: Option<String>,
    #[serde(default)]
    pub care_ended_on: Option<String>,
    #[serde(default)]
    pub staying_close_start: Option<String>,
    #[serde(default)]
    pub staying_close_end: Option<String>,
    /// Only when adding: the personal adviser's staff id.
    #[serde(default)]
    pub personal_adviser_id: Option<i64>,
}

impl YoungPersonWrite {
    fn input(&self) -> ProfileInput {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        let date = |t: &Option<String>| DateParts::from_iso(t.as_deref().unwrap_or(""));
        ProfileInput {
            child_id: self.child_id.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            preferred_name: text(&self.preferred_name),
            pronouns: text(&self.pronouns),
            date_of_birth: DateParts::from_iso(&self.date_of_birth),
            upn: text(&self.upn),
            nhs_number: text(&self.nhs_number),
            phone: text(&self.phone),
            email: text(&self.email),
            address: text(&self.address),
            languages: text(&self.languages),
            faith: text(&self.faith),
            celebrations: self.celebrations.clone(),
            disabilities: text(&self.disabilities),
            communication_needs: text(&self.communication_needs),
            young_parent: self.young_parent,
            expecting: self.expecting,
            home_left: text(&self.home_left),
            home_contact: text(&self.home_contact),
            care_ended_on: date(&self.care_ended_on),
            staying_close_start: date(&self.staying_close_start),
            staying_close_end: date(&self.staying_close_end),
        }
    }
}

/// Reads a JSON body after the caller's access to the record is settled, so
/// another LA's id is a 404 whatever was sent.
fn json_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    serde_json::from_slice(bytes).map_err(|e| format!("the body is not the JSON this call takes: {e}"))
}

/// 422 naming every bad field.
fn invalid(errors: FieldErrors) -> Response {
    let body = ApiErrors {
        errors: errors
            .0
            .into_iter()
            .map(|(field, message)| ApiProblem { field: Some(field.into_owned()), message })
            .collect(),
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

fn problem(status: StatusCode, field: Option<&str>, message: &str) -> Response {
    let body = ApiErrors { errors: vec![ApiProblem { field: field.map(str::to_owned), message: message.to_owned() }] };
    (status, Json(body)).into_response()
}

#[utoipa::path(post, path = "/api/v1/young-people", tag = "young people", request_body = YoungPersonWrite,
    responses((status = 201, body = YoungPersonRecord), (status = 409, body = ApiErrors, description = "The child ID is taken"),
        (status = 422, body = ApiErrors, description = "Each bad field named")),
    security(("bearer" = [])))]
pub async fn create_young_person(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    bytes: axum::body::Bytes,
) -> Result<Response, AppError> {
    let la = user.la.as_ref().ok_or(AppError::NotFound)?.id;
    let body: YoungPersonWrite = match json_body(&bytes) {
        Ok(body) => body,
        Err(message) => return Ok(problem(StatusCode::UNPROCESSABLE_ENTITY, None, &message)),
    };
    let profile = match body.input().parse(today()) {
        Ok(profile) => profile,
        Err(errors) => return Ok(invalid(errors)),
    };
    let adviser = match body.personal_adviser_id {
        None => None,
        Some(id) => {
            let staff = state.store.list_staff(la).await?;
            match staff.iter().find(|s| s.id.0 == id && s.role == staying_close_domain::roles::Role::PersonalAdviser) {
                Some(s) => Some(s.id),
                None => {
                    return Ok(problem(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        Some("personal_adviser_id"),
                        "must be a personal adviser of your local authority",
                    ))
                }
            }
        }
    };
    match state.store.add_young_person(la, &profile, adviser, &user.actor()).await {
        Ok(person) => Ok((StatusCode::CREATED, Json(full_record(&state, la, &person).await?)).into_response()),
        Err(StoreError::Duplicate { .. }) => {
            Ok(problem(StatusCode::CONFLICT, Some("child_id"), "another young person already has this child ID"))
        }
        Err(e) => Err(e.into()),
    }
}

/// A refused stale write: the problem, and the record as it is now.
#[derive(Debug, Serialize, ToSchema)]
pub struct Conflict {
    pub errors: Vec<ApiProblem>,
    pub current: YoungPersonRecord,
}

#[utoipa::path(put, path = "/api/v1/young-people/{id}", tag = "young people", request_body = YoungPersonWrite,
    params(("id" = i64, Path, description = "The young person's id")),
    responses((status = 200, body = YoungPersonRecord), (status = 404, body = ApiErrors),
        (status = 409, body = Conflict, description = "Someone else saved first: nothing was written"),
        (status = 422, body = ApiErrors, description = "Each bad field named")),
    security(("bearer" = [])))]
pub async fn update_young_person(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    bytes: axum::body::Bytes,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (viewer, current) = crate::pages::record::visible_or_refused(&state, &user, id).await?;
    let body: YoungPersonWrite = match json_body(&bytes) {
        Ok(body) => body,
        Err(message) => return Ok(problem(StatusCode::UNPROCESSABLE_ENTITY, None, &message)),
    };
    let Some(version) = body.version else {
        return Ok(problem(StatusCode::UNPROCESSABLE_ENTITY, Some("version"), "send the version you read"));
    };
    let profile = match body.input().parse(today()) {
        Ok(profile) => profile,
        Err(errors) => return Ok(invalid(errors)),
    };
    match state.store.update_young_person(&viewer, id, version, &profile, &user.actor()).await {
        Ok(person) => Ok(Json(full_record(&state, viewer.la, &person).await?).into_response()),
        Err(StoreError::Conflict { .. }) => {
            let body = Conflict {
                errors: vec![ApiProblem {
                    field: Some("version".into()),
                    message: format!(
                        "someone else saved this record first (version {} is current); nothing was written",
                        current.version
                    ),
                }],
                current: full_record(&state, viewer.la, &current).await?,
            };
            Ok((StatusCode::CONFLICT, Json(body)).into_response())
        }
        Err(StoreError::Duplicate { .. }) => {
            Ok(problem(StatusCode::CONFLICT, Some("child_id"), "another young person already has this child ID"))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactItem {
    pub id: i64,
    pub date: String,
    /// `HH:MM`, when known.
    pub time: Option<String>,
    pub duration_minutes: u32,
    pub kind: String,
    pub topics: Vec<String>,
    pub place: Option<String>,
    pub notes: Option<String>,
    pub crisis: bool,
    pub follow_up: Option<String>,
    pub follow_up_owner_id: Option<i64>,
    pub follow_up_done_on: Option<String>,
    /// Staff ids of who was there.
    pub staff: Vec<i64>,
    /// Statutory staying close support given: its areas and forms (both empty when none).
    pub support_areas: Vec<String>,
    pub support_forms: Vec<String>,
}

fn contact_item(c: &StoredContact) -> ContactItem {
    ContactItem {
        id: c.id.0,
        date: iso(c.on),
        time: c.at.map(|t| t.format("%H:%M").to_string()),
        duration_minutes: c.duration_minutes,
        kind: c.kind.code().to_owned(),
        topics: c.topics.iter().map(|t| t.code().to_owned()).collect(),
        place: c.place.clone(),
        notes: c.notes.clone(),
        crisis: c.crisis,
        follow_up: c.follow_up.as_ref().map(|f| f.action.clone()),
        follow_up_owner_id: c.follow_up.as_ref().map(|f| f.owner),
        follow_up_done_on: c.follow_up_done_on.map(iso),
        staff: c.staff.iter().map(|(id, _)| id.0).collect(),
        support_areas: c.support_areas.iter().map(|a| a.code().to_owned()).collect(),
        support_forms: c.support_forms.iter().map(|f| f.code().to_owned()).collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Contacts {
    pub contacts: Vec<ContactItem>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageParams {
    /// 1-based page number; latest contacts first.
    pub page: Option<i64>,
}

async fn open(state: &AppState, user: &CurrentUser, id: &str, via: &str) -> Result<(Viewer, YoungPerson), AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let person = state.store.open_young_person(&viewer, &user.actor(), parse_id(id)?, via).await?;
    Ok((viewer, person))
}

#[utoipa::path(get, path = "/api/v1/young-people/{id}/contacts", tag = "contacts", params(("id" = i64, Path), PageParams),
    responses((status = 200, body = Contacts), (status = 404, body = ApiErrors)), security(("bearer" = [])))]
pub async fn contacts(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(params): Query<PageParams>,
) -> Result<Json<Contacts>, AppError> {
    let (viewer, person) = open(&state, &user, &id, "api_contacts").await?;
    let page = params.page.unwrap_or(1).max(1);
    let total = state.store.contact_count(viewer.la, person.id).await?;
    let found = state.store.contacts_for(&viewer, person.id, API_PAGE, (page - 1) * API_PAGE).await?;
    let ids = found.iter().map(|c| c.id.0).collect();
    let filter = serde_json::json!({ "young_person_id": person.id.0, "page": page });
    state.store.record_bulk_read(&user.actor(), viewer.la, "contact", "api", filter, ids).await?;
    Ok(Json(Contacts { contacts: found.iter().map(contact_item).collect(), page, per_page: API_PAGE, total }))
}

/// A contact to record.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ContactWrite {
    /// `yyyy-mm-dd`, today or earlier.
    pub date: String,
    /// `HH:MM`, 24-hour.
    #[serde(default)]
    pub time: Option<String>,
    pub duration_minutes: u32,
    /// home_visit, phone_text_video, pa_direct_work, eet, housing, emotional_health, health,
    /// trusted_person, group_activity or crisis_response.
    pub kind: String,
    /// Staff ids of who was there (your LA's).
    pub staff: Vec<i64>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub crisis: bool,
    /// Required with `crisis`.
    #[serde(default)]
    pub follow_up: Option<String>,
    /// Required with `crisis`: a staff id of your LA.
    #[serde(default)]
    pub follow_up_owner_id: Option<i64>,
    /// Statutory staying close support given (s.23CZAA): accommodation, health_wellbeing,
    /// relationships, education_training, employment or participation. Needs `support_forms`.
    #[serde(default)]
    pub support_areas: Vec<String>,
    /// advice or representations. Needs `support_areas`.
    #[serde(default)]
    pub support_forms: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/young-people/{id}/contacts", tag = "contacts", params(("id" = i64, Path)),
    request_body = ContactWrite,
    responses((status = 201, body = ContactItem), (status = 404, body = ApiErrors), (status = 422, body = ApiErrors)),
    security(("bearer" = [])))]
pub async fn create_contact(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    bytes: axum::body::Bytes,
) -> Result<Response, AppError> {
    let (viewer, person) = open(&state, &user, &id, "api_record_contact").await?;
    let body: ContactWrite = match json_body(&bytes) {
        Ok(body) => body,
        Err(message) => return Ok(problem(StatusCode::UNPROCESSABLE_ENTITY, None, &message)),
    };
    let input = ContactInput {
        date: DateParts::from_iso(&body.date),
        time: body.time.clone().unwrap_or_default(),
        duration_minutes: body.duration_minutes.to_string(),
        staff: body.staff.iter().map(i64::to_string).collect(),
        kind: body.kind.clone(),
        topics: body.topics.clone(),
        place: body.place.clone().unwrap_or_default(),
        notes: body.notes.clone().unwrap_or_default(),
        crisis: body.crisis,
        follow_up: body.follow_up.clone().unwrap_or_default(),
        follow_up_owner: body.follow_up_owner_id.map(|i| i.to_string()).unwrap_or_default(),
        support_areas: body.support_areas.clone(),
        support_forms: body.support_forms.clone(),
    };
    let known = state.store.staff_ids(viewer.la).await?;
    let contact = match input.parse(&known, today()) {
        Ok(c) => c,
        Err(errors) => return Ok(invalid(errors)),
    };
    let id = state.store.record_contact(&viewer, person.id, &contact, &user.actor()).await?;
    // The answer is what was written: no need to read the contacts back.
    let stored = StoredContact {
        id,
        young_person: person.id,
        on: contact.on,
        at: contact.at,
        duration_minutes: contact.duration_minutes,
        kind: contact.kind,
        topics: contact.topics.clone(),
        place: contact.place.clone(),
        notes: contact.notes.clone(),
        crisis: contact.crisis,
        follow_up: contact.follow_up.clone(),
        follow_up_done_on: None,
        support_areas: contact.support_areas.clone(),
        support_forms: contact.support_forms.clone(),
        staff: contact.staff.iter().map(|s| (staying_close_store::StaffId(*s), String::new())).collect(),
    };
    Ok((StatusCode::CREATED, Json(contact_item(&stored))).into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleItem {
    /// `weekly`, `fortnightly` or `daily`.
    pub frequency: String,
    pub starts_on: String,
    pub last_home_visit_on: Option<String>,
    pub next_due_on: String,
    /// `upcoming`, `due_today` or `overdue`.
    pub status: String,
    pub days_overdue: u32,
    pub version: i64,
}

fn schedule_item(s: &VisitSchedule) -> ScheduleItem {
    let (status, days) = match VisitStatus::of(s.next_due_on, today()) {
        VisitStatus::Upcoming { .. } => ("upcoming", 0),
        VisitStatus::DueToday => ("due_today", 0),
        VisitStatus::Overdue { days, .. } => ("overdue", days),
    };
    ScheduleItem {
        frequency: s.schedule.frequency.code().to_owned(),
        starts_on: iso(s.schedule.starts_on),
        last_home_visit_on: s.last_home_visit_on.map(iso),
        next_due_on: iso(s.next_due_on),
        status: status.to_owned(),
        days_overdue: days,
        version: s.version,
    }
}

#[utoipa::path(get, path = "/api/v1/young-people/{id}/schedule", tag = "contacts", params(("id" = i64, Path)),
    responses((status = 200, body = ScheduleItem), (status = 404, body = ApiErrors, description = "Unknown young person, or no schedule set")),
    security(("bearer" = [])))]
pub async fn schedule(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Json<ScheduleItem>, AppError> {
    let (viewer, person) = open(&state, &user, &id, "api_schedule").await?;
    let schedule = state.store.visit_schedule(viewer.la, person.id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(schedule_item(&schedule)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanActionItem {
    pub action: String,
    /// `young_person`, or `staff` with `owner_staff_id`.
    pub owner: String,
    pub owner_staff_id: Option<i64>,
    pub owner_name: String,
    pub due_on: Option<String>,
    /// `not_started`, `in_progress`, `done` or `not_needed`.
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanGoalItem {
    pub goal: String,
    pub actions: Vec<PlanActionItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanAreaItem {
    /// `accommodation`, `eet`, `health`, `relationships`, `life_skills`, `identity` or `money`.
    pub area: String,
    pub label: String,
    pub going_well: Option<String>,
    pub worries: Option<String>,
    /// The young person's own words.
    pub own_words: Option<String>,
    pub goals: Vec<PlanGoalItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanVersionSummary {
    pub number: i64,
    pub held_on: String,
    pub review_due_on: String,
    pub current: bool,
}

/// One version of a young person's Staying Close plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanItem {
    pub young_person_id: i64,
    /// 1 for the first plan, one more for each review.
    pub number: i64,
    pub current: bool,
    /// The meeting that agreed this version.
    pub held_on: String,
    pub review_due_on: String,
    /// `upcoming`, `due_soon` (within 28 days) or `overdue`; `null` for an old version.
    pub review_status: Option<String>,
    pub took_part: bool,
    pub agreed: bool,
    pub their_view: Option<String>,
    /// Every area, in order, with or without anything recorded.
    pub areas: Vec<PlanAreaItem>,
    /// Every version, newest first.
    pub versions: Vec<PlanVersionSummary>,
    pub version: i64,
}

async fn plan_item(
    state: &AppState,
    la: staying_close_store::LaId,
    person: &YoungPerson,
    number: Option<i64>,
) -> Result<PlanItem, AppError> {
    use staying_close_domain::plan::{all_areas, ActionOwner, ReviewStatus};
    let plan = state.store.plan(la, person.id, number).await?.ok_or(AppError::NotFound)?;
    let versions = state.store.plan_versions(la, person.id).await?;
    let name = person.display_name().unwrap_or_else(|| "The young person".into());
    let owners = crate::pages::plan::Owners::of(state, la, &name).await?;
    let v = &plan.version;
    let review_status = v.is_current.then(|| match ReviewStatus::of(v.meeting.review_due_on, today()) {
        ReviewStatus::Upcoming { .. } => "upcoming".to_owned(),
        ReviewStatus::DueSoon { .. } => "due_soon".to_owned(),
        ReviewStatus::Overdue { .. } => "overdue".to_owned(),
    });
    Ok(PlanItem {
        young_person_id: person.id.0,
        number: v.number,
        current: v.is_current,
        held_on: iso(v.meeting.held_on),
        review_due_on: iso(v.meeting.review_due_on),
        review_status,
        took_part: v.meeting.took_part,
        agreed: v.meeting.agreed,
        their_view: v.meeting.their_view.clone(),
        areas: all_areas(&plan.sections)
            .into_iter()
            .map(|s| PlanAreaItem {
                area: s.area.code().to_owned(),
                label: s.area.label().to_owned(),
                going_well: s.going_well,
                worries: s.worries,
                own_words: s.own_words,
                goals: s
                    .goals
                    .into_iter()
                    .map(|g| PlanGoalItem {
                        goal: g.text,
                        actions: g
                            .actions
                            .into_iter()
                            .map(|a| PlanActionItem {
                                owner: match a.owner {
                                    ActionOwner::YoungPerson => "young_person".to_owned(),
                                    ActionOwner::Staff(_) => "staff".to_owned(),
                                },
                                owner_staff_id: match a.owner {
                                    ActionOwner::YoungPerson => None,
                                    ActionOwner::Staff(id) => Some(id),
                                },
                                owner_name: owners.name(a.owner),
                                action: a.text,
                                due_on: a.due_on.map(iso),
                                status: a.status.code().to_owned(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        versions: versions
            .iter()
            .map(|v| PlanVersionSummary {
                number: v.number,
                held_on: iso(v.meeting.held_on),
                review_due_on: iso(v.meeting.review_due_on),
                current: v.is_current,
            })
            .collect(),
        version: v.version,
    })
}

#[utoipa::path(get, path = "/api/v1/young-people/{id}/plan", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, body = PlanItem, description = "The current version of the plan"),
        (status = 404, body = ApiErrors, description = "Unknown young person, or no plan yet")),
    security(("bearer" = [])))]
pub async fn plan(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Json<PlanItem>, AppError> {
    let (viewer, person) = open(&state, &user, &id, "api_plan").await?;
    Ok(Json(plan_item(&state, viewer.la, &person, None).await?))
}

#[utoipa::path(get, path = "/api/v1/young-people/{id}/plan/versions/{number}", tag = "plans",
    params(("id" = i64, Path), ("number" = i64, Path, description = "The version's number, from 1")),
    responses((status = 200, body = PlanItem), (status = 404, body = ApiErrors, description = "Unknown young person or version")),
    security(("bearer" = [])))]
pub async fn plan_version(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((id, number)): Path<(String, String)>,
) -> Result<Json<PlanItem>, AppError> {
    let (viewer, person) = open(&state, &user, &id, "api_plan").await?;
    let number = number.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
    Ok(Json(plan_item(&state, viewer.la, &person, Some(number)).await?))
}

/// The OpenAPI 3.1 document, generated from the handlers and types above.
#[derive(OpenApi)]
#[openapi(
    info(title = "Staying Close API", description = "Casework for Staying Close teams. Every call needs an API token (Account page) sent as `Authorization: Bearer TOKEN`; it acts with its owner's role, in their local authority only."),
    paths(me, young_people, young_person, create_young_person, update_young_person, contacts, create_contact, schedule, plan, plan_version, crate::pages::offer::api, crate::pages::allowance::api, crate::pages::celebrations::api, crate::pages::trusted_person::api, crate::pages::accommodation::api, crate::pages::lets::api, crate::pages::eet::api, crate::pages::eet::api_rate, crate::pages::advocacy::api, crate::pages::parenting::api, crate::pages::health_records::api, crate::pages::groups::api, crate::pages::funding::api, crate::pages::reports::api),
    components(schemas(ApiErrors, ApiProblem)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
