//! A young person's Trusted Person: who they nominated, whether the match
//! is agreed, when it is next reviewed, and how it ended. One form records
//! a nomination or changes one (optimistic locking: a stale change is
//! refused with the saved match shown).

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
use staying_close_domain::dates::format_uk;
use staying_close_domain::permissions::Permission;
use staying_close_domain::trusted_person::{EndReason, MatchInput, TrustedRole};
use staying_close_store::{StoreError, StoredMatch};

#[derive(Template)]
#[template(path = "trusted_person.html")]
struct TrustedPersonPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    id: i64,
    name: String,
    banner: Option<&'static str>,
    table: Table,
    can_record: bool,
    /// The match being changed, with the version the form was drawn from.
    editing: Option<(i64, i64, String)>,
    input: MatchInput,
    roles: Vec<Choice>,
    reasons: Vec<Choice>,
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
    matches: Vec<StoredMatch>,
    editing: Option<(i64, i64)>,
    input: MatchInput,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let today = today();
    let can_record = user.can(Permission::RecordContact);
    let mut headings = vec![
        Heading::new("Trusted person"),
        Heading::new("Nominated"),
        Heading::new("Agreed"),
        Heading::new("Next review"),
        Heading::new("Status"),
    ];
    if can_record {
        headings.push(Heading::hidden("Action"));
    }
    let mut table = Table::new("Nominations and matches", headings);
    for m in &matches {
        let t = &m.trusted;
        let (words, colour) = t.status(today).words();
        let mut status = vec![Part::tag(words, colour)];
        if let (Some(end), Some(reason)) = (t.ended_on, t.end_reason) {
            status.push(Part::text(format!("{}: {}", format_uk(end), reason.label())));
        }
        let mut row = vec![
            Cell::parts(vec![Part::text(&t.name), Part::Break, Part::text(t.role.label())]),
            Cell::text(format_uk(t.nominated_on)),
            Cell::text(t.agreed_on.map(format_uk).unwrap_or_else(|| "Not yet".into())),
            Cell::text(if t.ended_on.is_some() {
                String::new()
            } else {
                t.next_review_on.map(format_uk).unwrap_or_default()
            }),
            Cell::parts(status),
        ];
        if can_record {
            row.push(Cell::parts(vec![Part::Link {
                text: "Change".into(),
                href: format!("/young-people/{}/trusted-person?change={}#match-form", opened.person.id.0, m.id),
                hidden: format!(" the match with {}", t.name),
            }]));
        }
        table.row(row);
    }
    let ids = matches.iter().map(|m| m.id).collect();
    let audit = serde_json::json!({ "young_person_id": opened.person.id.0 });
    state
        .store
        .record_bulk_read(&user.actor(), opened.viewer.la, "trusted_match", "trusted_person", audit, ids)
        .await?;
    let editing = editing.map(|(id, version)| {
        let name = matches.iter().find(|m| m.id == id).map(|m| m.trusted.name.clone()).unwrap_or_default();
        (id, version, name)
    });
    let mut reasons =
        vec![Choice { value: String::new(), label: "Not ended".into(), checked: input.end_reason.is_empty() }];
    reasons.extend(choices(EndReason::ALL.iter().map(|r| (r.code(), r.label())), &input.end_reason));
    let page = TrustedPersonPage {
        page: Chrome::for_user(errors.title(&format!("Trusted person for {}", opened.name)), user, "/young-people"),
        errors,
        csrf_token: user.csrf_token(),
        id: opened.person.id.0,
        name: opened.name.clone(),
        banner,
        table,
        can_record,
        editing,
        roles: choices(TrustedRole::ALL.iter().map(|r| (r.code(), r.label())), &input.role),
        reasons,
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
    let opened = open(&state, &user, &id, "trusted_person").await?;
    let matches = state.store.trusted_matches(opened.viewer.la, opened.person.id).await?;
    let banner = match q.saved.as_deref() {
        Some("nominated") => Some("Nomination recorded."),
        Some("changed") => Some("Match saved."),
        _ => None,
    };
    let change = q.change.as_deref().and_then(|c| c.parse::<i64>().ok());
    let (editing, input) = match change.and_then(|c| matches.iter().find(|m| m.id == c)) {
        Some(m) => (Some((m.id, m.version)), MatchInput::of(&m.trusted)),
        None if change.is_some() => return Err(AppError::NotFound),
        None => (
            None,
            MatchInput {
                nominated_on: staying_close_domain::profile::DateParts::of(Some(today())),
                ..MatchInput::default()
            },
        ),
    };
    render(&state, &user, &opened, banner, matches, editing, input, Errors::default(), StatusCode::OK).await
}

pub async fn save(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "save_trusted_match").await?;
    let input = MatchInput {
        name: fields.get("name").to_owned(),
        role: fields.get("role").to_owned(),
        nominated_on: fields.date("nominated_on"),
        agreed_on: fields.date("agreed_on"),
        next_review_on: fields.date("next_review_on"),
        ended_on: fields.date("ended_on"),
        end_reason: fields.get("end_reason").to_owned(),
        note: fields.get("note").to_owned(),
    };
    let existing = fields.existing("match")?;
    let person = opened.person.id;
    match input.parse(today()) {
        Ok(m) => match state.store.save_trusted_match(&opened.viewer, person, existing, &m, &user.actor()).await {
            Ok(_) => {
                let saved = if existing.is_some() { "changed" } else { "nominated" };
                Ok(Redirect::to(&format!("/young-people/{}/trusted-person?saved={saved}", person.0)).into_response())
            }
            Err(StoreError::Conflict { .. }) => {
                let matches = state.store.trusted_matches(opened.viewer.la, person).await?;
                let current =
                    existing.and_then(|(id, _)| matches.iter().find(|m| m.id == id)).map(|m| (m.id, m.version));
                let mut errors = Errors::default();
                errors.add("name", "Someone else changed this match after you opened it. The table shows what is saved now; check it, then make your change again.");
                render(&state, &user, &opened, None, matches, current, input, errors, StatusCode::CONFLICT).await
            }
            Err(e) => Err(e.into()),
        },
        Err(e) => {
            let matches = state.store.trusted_matches(opened.viewer.la, person).await?;
            render(&state, &user, &opened, None, matches, existing, input, e.into(), StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
    }
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TrustedMatchJson {
    pub id: i64,
    pub name: String,
    /// residential, social_worker, iro, nurse, teacher or other.
    pub role: String,
    pub nominated_on: String,
    pub agreed_on: Option<String>,
    pub next_review_on: Option<String>,
    pub ended_on: Option<String>,
    pub end_reason: Option<String>,
    /// nominated, matched, review_due or ended.
    pub status: String,
    pub version: i64,
}

#[utoipa::path(get, path = "/api/v1/young-people/{id}/trusted-person", tag = "trusted person", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<TrustedMatchJson>), (status = 404, body = crate::error::ApiErrors)),
    security(("bearer" = [])))]
pub async fn api(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<axum::Json<Vec<TrustedMatchJson>>, AppError> {
    use staying_close_domain::trusted_person::MatchStatus;
    let opened = open(&state, &user, &id, "api_trusted_person").await?;
    let matches = state.store.trusted_matches(opened.viewer.la, opened.person.id).await?;
    let ids = matches.iter().map(|m| m.id).collect();
    let audit = serde_json::json!({ "young_person_id": opened.person.id.0 });
    state.store.record_bulk_read(&user.actor(), opened.viewer.la, "trusted_match", "api", audit, ids).await?;
    let today = today();
    Ok(axum::Json(
        matches
            .iter()
            .map(|m| {
                let t = &m.trusted;
                TrustedMatchJson {
                    id: m.id,
                    name: t.name.clone(),
                    role: t.role.code().to_owned(),
                    nominated_on: t.nominated_on.to_string(),
                    agreed_on: t.agreed_on.map(|d| d.to_string()),
                    next_review_on: t.next_review_on.map(|d| d.to_string()),
                    ended_on: t.ended_on.map(|d| d.to_string()),
                    end_reason: t.end_reason.map(|r| r.code().to_owned()),
                    status: match t.status(today) {
                        MatchStatus::Nominated => "nominated",
                        MatchStatus::Matched => "matched",
                        MatchStatus::ReviewDue => "review_due",
                        MatchStatus::Ended => "ended",
                    }
                    .to_owned(),
                    version: m.version,
                }
            })
            .collect(),
    ))
}
