//! A young person's advocacy referrals: the list and one form that records
//! a referral or changes one (a stale change is refused with what is saved
//! shown).

use crate::components::{choices, Cell, Choice, Heading, Part, Table};
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
use serde::Deserialize;
use staying_close_domain::advocacy::{AdvocacyKind, ReferralInput};
use staying_close_domain::dates::format_uk;
use staying_close_domain::permissions::Permission;
use staying_close_domain::profile::DateParts;
use staying_close_store::{StoreError, StoredReferral};

#[derive(Template)]
#[template(path = "advocacy.html")]
struct AdvocacyPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    id: i64,
    name: String,
    banner: Option<&'static str>,
    table: Table,
    can_record: bool,
    editing: Option<(i64, i64)>,
    input: ReferralInput,
    kinds: Vec<Choice>,
}

#[derive(Deserialize, Default)]
pub struct Shown {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    change: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    user: &CurrentUser,
    opened: &Opened,
    banner: Option<&'static str>,
    referrals: Vec<StoredReferral>,
    editing: Option<(i64, i64)>,
    input: ReferralInput,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let can_record = user.can(Permission::RecordContact);
    let mut headings = vec![
        Heading::new("Referred"),
        Heading::new("Provider and kind"),
        Heading::new("Issue"),
        Heading::new("Status"),
        Heading::new("Outcome"),
    ];
    if can_record {
        headings.push(Heading::hidden("Action"));
    }
    let mut table = Table::new("Advocacy referrals", headings);
    for r in &referrals {
        let x = &r.referral;
        let (words, colour) = x.status();
        let mut row = vec![
            Cell::text(format_uk(x.referred_on)),
            Cell::parts(vec![Part::text(&x.provider), Part::Break, Part::text(x.kind.label())]),
            Cell::text(&x.issue),
            Cell::parts(vec![Part::tag(words, colour)]),
            Cell::text(x.outcome.clone().unwrap_or_default()),
        ];
        if can_record {
            row.push(Cell::parts(vec![Part::Link {
                text: "Change".into(),
                href: format!("/young-people/{}/advocacy?change={}#referral-form", opened.person.id.0, r.id),
                hidden: format!(" the referral of {}", format_uk(x.referred_on)),
            }]));
        }
        table.row(row);
    }
    let ids = referrals.iter().map(|r| r.id).collect();
    let audit = serde_json::json!({ "young_person_id": opened.person.id.0 });
    state.store.record_bulk_read(&user.actor(), opened.viewer.la, "advocacy_referral", "advocacy", audit, ids).await?;
    let page = AdvocacyPage {
        page: Chrome::for_user(errors.title(&format!("Advocacy for {}", opened.name)), user, "/young-people"),
        errors,
        csrf_token: user.csrf_token(),
        id: opened.person.id.0,
        name: opened.name.clone(),
        banner,
        table,
        can_record,
        editing,
        kinds: choices(AdvocacyKind::ALL.iter().map(|k| (k.code(), k.label())), &input.kind),
        input,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<Shown>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "advocacy").await?;
    let referrals = state.store.advocacy_referrals(opened.viewer.la, opened.person.id).await?;
    let banner = match q.saved.as_deref() {
        Some("referred") => Some("Referral recorded."),
        Some("changed") => Some("Referral saved."),
        _ => None,
    };
    let change = q.change.as_deref().and_then(|c| c.parse::<i64>().ok());
    let (editing, input) = match change.and_then(|c| referrals.iter().find(|r| r.id == c)) {
        Some(r) => (Some((r.id, r.version)), ReferralInput::of(&r.referral)),
        None if change.is_some() => return Err(AppError::NotFound),
        None => (None, ReferralInput { referred_on: DateParts::of(Some(today())), ..ReferralInput::default() }),
    };
    render(&state, &user, &opened, banner, referrals, editing, input, Errors::default(), StatusCode::OK).await
}

pub async fn save(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "save_advocacy_referral").await?;
    let input = ReferralInput {
        provider: fields.get("provider").to_owned(),
        kind: fields.get("kind").to_owned(),
        issue: fields.get("issue").to_owned(),
        referred_on: fields.date("referred_on"),
        started_on: fields.date("started_on"),
        closed_on: fields.date("closed_on"),
        outcome: fields.get("outcome").to_owned(),
    };
    let existing = fields.existing("referral")?;
    let person = opened.person.id;
    let (errors, status) = match input.parse(today()) {
        Ok(r) => match state.store.save_advocacy_referral(&opened.viewer, person, existing, &r, &user.actor()).await {
            Ok(_) => {
                let saved = if existing.is_some() { "changed" } else { "referred" };
                return Ok(Redirect::to(&format!("/young-people/{}/advocacy?saved={saved}", person.0)).into_response());
            }
            Err(StoreError::Conflict { .. }) => {
                let mut errors = Errors::default();
                errors.add("provider", "Someone else changed this referral after you opened it. The table shows what is saved now; check it, then make your change again.");
                (errors, StatusCode::CONFLICT)
            }
            Err(e) => return Err(e.into()),
        },
        Err(e) => (e.into(), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let referrals = state.store.advocacy_referrals(opened.viewer.la, person).await?;
    let editing = existing.and_then(|(id, _)| referrals.iter().find(|r| r.id == id)).map(|r| (r.id, r.version));
    let editing = if status == StatusCode::CONFLICT { editing } else { existing };
    render(&state, &user, &opened, None, referrals, editing, input, errors, status).await
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ReferralJson {
    pub id: i64,
    pub provider: String,
    /// instructed or non_instructed.
    pub kind: String,
    pub issue: String,
    pub referred_on: String,
    pub started_on: Option<String>,
    pub closed_on: Option<String>,
    pub outcome: Option<String>,
    pub version: i64,
}

#[utoipa::path(get, path = "/api/v1/young-people/{id}/advocacy", tag = "advocacy", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ReferralJson>), (status = 404, body = crate::error::ApiErrors)),
    security(("bearer" = [])))]
pub async fn api(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<axum::Json<Vec<ReferralJson>>, AppError> {
    let opened = open(&state, &user, &id, "api_advocacy").await?;
    let referrals = state.store.advocacy_referrals(opened.viewer.la, opened.person.id).await?;
    let ids = referrals.iter().map(|r| r.id).collect();
    let audit = serde_json::json!({ "young_person_id": opened.person.id.0 });
    state.store.record_bulk_read(&user.actor(), opened.viewer.la, "advocacy_referral", "api", audit, ids).await?;
    Ok(axum::Json(
        referrals
            .iter()
            .map(|r| ReferralJson {
                id: r.id,
                provider: r.referral.provider.clone(),
                kind: r.referral.kind.code().to_owned(),
                issue: r.referral.issue.clone(),
                referred_on: r.referral.referred_on.to_string(),
                started_on: r.referral.started_on.map(|d| d.to_string()),
                closed_on: r.referral.closed_on.map(|d| d.to_string()),
                outcome: r.referral.outcome.clone(),
                version: r.version,
            })
            .collect(),
    ))
}
