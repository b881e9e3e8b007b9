//! The Local Offer: the public page and JSON for each LA (no sign-in, no
//! session lookup, cacheable), and the LA administrator's pages to keep it
//! up to date and record its yearly review.

use crate::components::{choices, Cell, Choice, Heading, Part, SummaryRow, Table};
use crate::forms::{Errors, Fields};
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::young_people::today;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use serde::{Deserialize, Serialize};
use staying_close_domain::dates::format_uk;
use staying_close_domain::la::LaCode;
use staying_close_domain::offer::{OfferCategory, OfferItemInput, OfferKind, OfferReviewInput};
use staying_close_domain::profile::DateParts;
use staying_close_store::{LaId, LatestOfferReview, StoreError, StoredOfferItem};
use utoipa::ToSchema;

/// How long browsers and caches may keep the public offer.
const PUBLIC_CACHE: &str = "public, max-age=300";

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferEntryJson {
    pub title: String,
    /// `statutory` or `additional`.
    pub kind: String,
    pub description: String,
    pub age_from: u32,
    pub age_to: u32,
    pub how_to_get: String,
    pub contact: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferCategoryJson {
    /// `health`, `relationships`, `education`, `employment`, `accommodation` or `participation`.
    pub category: String,
    pub label: String,
    pub entries: Vec<OfferEntryJson>,
}

/// An LA's Local Offer for care leavers.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferJson {
    pub la_code: String,
    pub la_name: String,
    pub reviewed_on: Option<String>,
    pub next_review_on: Option<String>,
    /// How many young people helped write the latest version.
    pub co_produced_by_young_people: i64,
    pub categories: Vec<OfferCategoryJson>,
}

fn offer_json(code: &str, name: &str, items: &[StoredOfferItem], review: Option<&LatestOfferReview>) -> OfferJson {
    OfferJson {
        la_code: code.to_owned(),
        la_name: name.to_owned(),
        reviewed_on: review.map(|r| r.reviewed_on.to_string()),
        next_review_on: review.map(|r| r.next_review_on.to_string()),
        co_produced_by_young_people: review.map(|r| r.co_producers).unwrap_or(0),
        categories: OfferCategory::ALL
            .iter()
            .map(|c| OfferCategoryJson {
                category: c.code().to_owned(),
                label: c.label().to_owned(),
                entries: items
                    .iter()
                    .filter(|i| i.item.category == *c)
                    .map(|i| OfferEntryJson {
                        title: i.item.title.clone(),
                        kind: i.item.kind.code().to_owned(),
                        description: i.item.description.clone(),
                        age_from: i.item.age_from,
                        age_to: i.item.age_to,
                        how_to_get: i.item.how_to_get.clone(),
                        contact: i.item.contact.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

struct PublicCategory {
    code: &'static str,
    label: &'static str,
    entries: Vec<(String, Vec<SummaryRow>)>,
}

#[derive(Template)]
#[template(path = "offer.html")]
struct PublicPage {
    page: Chrome,
    la_name: String,
    la_code: String,
    categories: Vec<PublicCategory>,
    reviewed: Option<String>,
}

/// `/offer/{code}` and `/offer/{code}.json`: anyone, no session.
pub async fn public(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, AppError> {
    let (code, json) = match file.strip_suffix(".json") {
        Some(code) => (code, true),
        None => (file.as_str(), false),
    };
    let code = LaCode::parse(code).map_err(|_| AppError::NotFound)?;
    let la = state.store.la_by_code(&code).await?.ok_or(AppError::NotFound)?;
    let items = state.store.offer_items(la.id).await?;
    let review = state.store.latest_offer_review(la.id).await?;
    if json {
        let body = offer_json(code.as_str(), &la.name, &items, review.as_ref());
        return Ok(([(header::CACHE_CONTROL, PUBLIC_CACHE)], Json(body)).into_response());
    }
    let categories = OfferCategory::ALL
        .iter()
        .map(|c| PublicCategory {
            code: c.code(),
            label: c.label(),
            entries: items
                .iter()
                .filter(|i| i.item.category == *c)
                .map(|i| {
                    let mut rows = vec![
                        SummaryRow::parts("Type", vec![Part::tag(i.item.kind.label(), kind_colour(i.item.kind))]),
                        SummaryRow::text("What it is", &i.item.description),
                        SummaryRow::text("Who it is for", i.item.ages()),
                        SummaryRow::text("How to get it", &i.item.how_to_get),
                    ];
                    if let Some(contact) = &i.item.contact {
                        rows.push(SummaryRow::text("Contact", contact));
                    }
                    (i.item.title.clone(), rows)
                })
                .collect(),
        })
        .collect();
    let reviewed = review.map(|r| {
        let helped = match r.co_producers {
            0 => String::new(),
            1 => " with the help of 1 young person".to_owned(),
            n => format!(" with the help of {n} young people"),
        };
        format!(
            "Last reviewed on {}{helped}. Next review by {}.",
            format_uk(r.reviewed_on),
            format_uk(r.next_review_on)
        )
    });
    let page = PublicPage {
        page: Chrome::new(format!("Local Offer for care leavers – {}", la.name)),
        la_name: la.name.clone(),
        la_code: code.as_str().to_owned(),
        categories,
        reviewed,
    };
    Ok(([(header::CACHE_CONTROL, PUBLIC_CACHE)], Html(page.render()?)).into_response())
}

fn kind_colour(kind: OfferKind) -> &'static str {
    match kind {
        OfferKind::Statutory => "blue",
        OfferKind::Additional => "green",
    }
}

#[derive(Template)]
#[template(path = "offer_admin.html")]
struct AdminPage {
    page: Chrome,
    errors: Errors,
    review_errors: Errors,
    csrf_token: String,
    banner: Option<&'static str>,
    la_code: String,
    table: Table,
    input: OfferItemInput,
    categories: Vec<Choice>,
    kinds: Vec<Choice>,
    latest: Vec<SummaryRow>,
    review: OfferReviewInput,
    /// The child IDs typed for the young people who helped.
    helpers: String,
}

#[derive(Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

fn la_of(user: &CurrentUser) -> Result<(LaId, String), AppError> {
    let la = user.la.as_ref().ok_or(AppError::NotFound)?;
    Ok((la.id, la.code.as_str().to_owned()))
}

fn category_and_kind_choices(input: &OfferItemInput) -> (Vec<Choice>, Vec<Choice>) {
    (
        choices(OfferCategory::ALL.iter().map(|c| (c.code(), c.label())), &input.category),
        choices(OfferKind::ALL.iter().map(|k| (k.code(), k.label())), &input.kind),
    )
}

/// Whether the offer's review is due: none yet, or the next one within 30 days or past.
pub(crate) fn review_due(latest: Option<&LatestOfferReview>, today: chrono::NaiveDate) -> Option<String> {
    match latest {
        None => Some("The Local Offer has no review on record. Review it with young people and record it.".into()),
        Some(r) if r.next_review_on < today => {
            Some(format!("The Local Offer's review is overdue: it was due by {}.", format_uk(r.next_review_on)))
        }
        Some(r) if (r.next_review_on - today).num_days() <= 30 => {
            Some(format!("The Local Offer is due for review by {}.", format_uk(r.next_review_on)))
        }
        Some(_) => None,
    }
}

#[allow(clippy::too_many_arguments)]
async fn render_admin(
    state: &AppState,
    user: &CurrentUser,
    banner: Option<&'static str>,
    input: OfferItemInput,
    errors: Errors,
    review: OfferReviewInput,
    review_errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (la, code) = la_of(user)?;
    let items = state.store.offer_items(la).await?;
    let mut table = Table::new(
        "Entries of the Local Offer",
        vec![
            Heading::new("Entry"),
            Heading::new("Category"),
            Heading::new("Type"),
            Heading::new("Ages"),
            Heading::hidden("Change"),
        ],
    )
    .with_row_headers();
    for i in &items {
        table.row(vec![
            Cell::text(&i.item.title),
            Cell::text(i.item.category.label()),
            Part::tag(i.item.kind.label(), kind_colour(i.item.kind)).into(),
            Cell::text(i.item.ages()),
            Part::Link {
                text: "Change".into(),
                href: format!("/settings/offer/{}", i.id),
                hidden: format!(" {}", i.item.title),
            }
            .into(),
        ]);
    }
    let latest = state.store.latest_offer_review(la).await?;
    let mut latest_rows = Vec::new();
    if let Some(r) = &latest {
        latest_rows.push(SummaryRow::text("Last reviewed", format_uk(r.reviewed_on)));
        latest_rows.push(SummaryRow::text("Next review by", format_uk(r.next_review_on)));
        latest_rows.push(SummaryRow::text("Young people who helped", r.co_producers.to_string()));
    }
    if let Some(due) = review_due(latest.as_ref(), today()) {
        latest_rows.push(SummaryRow::parts("Review", vec![Part::tag(due, "red")]));
    }
    let (categories, kinds) = category_and_kind_choices(&input);
    let title = if errors.is_empty() && review_errors.is_empty() { "Local Offer" } else { "Error: Local Offer" };
    let page = AdminPage {
        page: Chrome::for_user(title, user, "/settings"),
        errors,
        review_errors,
        csrf_token: user.csrf_token(),
        banner,
        la_code: code,
        table,
        input,
        categories,
        kinds,
        latest: latest_rows,
        helpers: review.co_produced_with.join(", "),
        review,
    };
    Ok((status, Html(page.render()?)).into_response())
}

fn blank_review() -> OfferReviewInput {
    let today = today();
    OfferReviewInput {
        reviewed_on: DateParts::of(Some(today)),
        next_review_on: DateParts::of(today.checked_add_months(chrono::Months::new(12))),
        ..OfferReviewInput::default()
    }
}

fn blank_item() -> OfferItemInput {
    OfferItemInput {
        kind: "additional".into(),
        age_from: "16".into(),
        age_to: "25".into(),
        ..OfferItemInput::default()
    }
}

pub async fn admin(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let banner = match q.saved.as_deref() {
        Some("added") => Some("Entry added to the Local Offer."),
        Some("changed") => Some("Entry saved."),
        Some("removed") => Some("Entry taken out of the Local Offer."),
        Some("review") => Some("Review recorded."),
        _ => None,
    };
    render_admin(
        &state,
        &user,
        banner,
        blank_item(),
        Errors::default(),
        blank_review(),
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

fn item_input(fields: &Fields) -> OfferItemInput {
    OfferItemInput {
        category: fields.get("category").to_owned(),
        kind: fields.get("kind").to_owned(),
        title: fields.get("title").to_owned(),
        description: fields.get("description").to_owned(),
        age_from: fields.get("age_from").to_owned(),
        age_to: fields.get("age_to").to_owned(),
        how_to_get: fields.get("how_to_get").to_owned(),
        contact: fields.get("contact").to_owned(),
    }
}

pub async fn add(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let (la, _) = la_of(&user)?;
    let input = item_input(&fields);
    match input.parse() {
        Ok(item) => {
            state.store.save_offer_item(la, None, &item, &user.actor()).await?;
            Ok(Redirect::to("/settings/offer?saved=added").into_response())
        }
        Err(e) => {
            render_admin(
                &state,
                &user,
                None,
                input,
                e.into(),
                blank_review(),
                Errors::default(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "offer_item.html")]
struct ItemPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    id: i64,
    version: i64,
    input: OfferItemInput,
    categories: Vec<Choice>,
    kinds: Vec<Choice>,
}

fn item_page(
    user: &CurrentUser,
    id: i64,
    version: i64,
    input: OfferItemInput,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (categories, kinds) = category_and_kind_choices(&input);
    let page = ItemPage {
        page: Chrome::for_user(errors.title("Change an entry of the Local Offer"), user, "/settings"),
        errors,
        csrf_token: user.csrf_token(),
        id,
        version,
        input,
        categories,
        kinds,
    };
    Ok((status, Html(page.render()?)).into_response())
}

fn parse_id(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

pub async fn edit_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (la, _) = la_of(&user)?;
    let stored = state.store.offer_item(la, parse_id(&id)?).await?;
    item_page(&user, stored.id, stored.version, OfferItemInput::of(&stored.item), Errors::default(), StatusCode::OK)
}

pub async fn save(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let (la, _) = la_of(&user)?;
    let current = state.store.offer_item(la, parse_id(&id)?).await?;
    let input = item_input(&fields);
    let expected = fields.get("version").trim().parse::<i64>().unwrap_or(-1);
    match input.parse() {
        Ok(item) => match state.store.save_offer_item(la, Some((current.id, expected)), &item, &user.actor()).await {
            Ok(_) => Ok(Redirect::to("/settings/offer?saved=changed").into_response()),
            Err(StoreError::Conflict { .. }) => {
                let mut errors = Errors::default();
                errors.add(
                    "title",
                    format!(
                        "Someone else changed this entry while you were editing it (it is now called “{}”). Your changes are still in the form: save again to keep them.",
                        current.item.title
                    ),
                );
                item_page(&user, current.id, current.version, input, errors, StatusCode::CONFLICT)
            }
            Err(e) => Err(e.into()),
        },
        Err(e) => item_page(&user, current.id, expected, input, e.into(), StatusCode::UNPROCESSABLE_ENTITY),
    }
}

pub async fn remove(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (la, _) = la_of(&user)?;
    state.store.remove_offer_item(la, parse_id(&id)?, &user.actor()).await?;
    Ok(Redirect::to("/settings/offer?saved=removed").into_response())
}

pub async fn review(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let (la, _) = la_of(&user)?;
    // The young people who helped, by child ID (as on their records), separated by commas or spaces.
    let typed: Vec<String> = fields
        .get("co_produced_with")
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    let found = state.store.young_person_ids_by_child_id(la, &typed).await?;
    let mut input = OfferReviewInput {
        reviewed_on: fields.date("reviewed_on"),
        next_review_on: fields.date("next_review_on"),
        note: fields.get("note").to_owned(),
        co_produced_with: found.iter().map(|(_, id)| id.0.to_string()).collect(),
    };
    let unknown: Vec<&str> =
        typed.iter().filter(|t| !found.iter().any(|(c, _)| c.eq_ignore_ascii_case(t))).map(String::as_str).collect();
    let known: Vec<i64> = found.iter().map(|(_, id)| id.0).collect();
    let parsed = input.parse(&known, today());
    match (parsed, unknown.is_empty()) {
        (Ok(review), true) => {
            state.store.record_offer_review(la, &review, &user.actor()).await?;
            Ok(Redirect::to("/settings/offer?saved=review").into_response())
        }
        (parsed, _) => {
            let mut errors: Errors = parsed.err().map(Errors::from).unwrap_or_default();
            if !unknown.is_empty() {
                errors.add("co_produced_with", format!("No young person has the child ID {}", unknown.join(", ")));
            }
            // Keep what was typed.
            input.co_produced_with = typed;
            render_admin(
                &state,
                &user,
                None,
                blank_item(),
                Errors::default(),
                input,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[utoipa::path(get, path = "/api/v1/offer", tag = "offer",
    responses((status = 200, body = OfferJson, description = "The Local Offer of the token owner's LA")),
    security(("bearer" = [])))]
pub async fn api(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Json<OfferJson>, AppError> {
    let la = user.la.as_ref().ok_or(AppError::NotFound)?;
    let items = state.store.offer_items(la.id).await?;
    let review = state.store.latest_offer_review(la.id).await?;
    Ok(Json(offer_json(la.code.as_str(), &la.name, &items, review.as_ref())))
}
