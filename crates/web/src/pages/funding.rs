//! Funding (`/funding?year=2026-27`): a financial year's grant allocations
//! and spend lines, in pence, with what is left; forms to add either.

use crate::components::{choices, Cell, Choice, Heading, SummaryRow, Table};
use crate::forms::{Errors, Fields};
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::young_people::today;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use staying_close_domain::dates::format_uk;
use staying_close_domain::funding::{balance, FinancialYear, GrantInput, SpendCategory, SpendInput};
use staying_close_domain::money::Pence;
use staying_close_store::LaId;

#[derive(Template)]
#[template(path = "funding.html")]
struct FundingPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    banner: Option<&'static str>,
    year: String,
    previous: String,
    next: String,
    summary: Vec<SummaryRow>,
    overspent: Option<String>,
    grants: Table,
    spend: Table,
    grant: GrantInput,
    line: SpendInput,
    categories: Vec<Choice>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<String>,
    #[serde(default)]
    saved: Option<String>,
}

fn la(user: &CurrentUser) -> Result<LaId, AppError> {
    Ok(user.viewer().ok_or(AppError::NotFound)?.la)
}

fn year_of(text: Option<&str>) -> Result<FinancialYear, AppError> {
    match text {
        None | Some("") => Ok(FinancialYear::holding(today())),
        Some(t) => FinancialYear::parse(t).ok_or(AppError::NotFound),
    }
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    year: FinancialYear,
    banner: Option<&'static str>,
    (grant, line): (GrantInput, SpendInput),
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (grants, spend) = state.store.funding(la(user)?, year).await?;
    let g: Vec<_> = grants.iter().map(|(_, g)| g.clone()).collect();
    let s: Vec<_> = spend.iter().map(|(_, s)| s.clone()).collect();
    let (allocated, spent, left) = balance(&g, &s);
    let summary = vec![
        SummaryRow::text("Allocated", allocated.to_string()),
        SummaryRow::text("Spent", spent.to_string()),
        SummaryRow::text(
            "Remaining",
            if left.0 < 0 { format!("{} overspent", Pence(-left.0)) } else { left.to_string() },
        ),
    ];
    let overspent =
        (left.0 < 0).then(|| format!("Spending is {} more than the allocations for {year}.", Pence(-left.0)));
    let mut grant_table =
        Table::new("Grant allocations", vec![Heading::new("From"), Heading::new("Note"), Heading::numeric("Amount")]);
    for (_, x) in &grants {
        grant_table.row(vec![
            Cell::text(&x.source),
            Cell::text(x.note.clone().unwrap_or_default()),
            Cell::number(x.amount),
        ]);
    }
    let mut spend_table = Table::new(
        "Spending",
        vec![Heading::new("Date"), Heading::new("What for"), Heading::new("Category"), Heading::numeric("Amount")],
    );
    for (_, x) in &spend {
        spend_table.row(vec![
            Cell::text(format_uk(x.on)),
            Cell::text(&x.description),
            Cell::text(x.category.label()),
            Cell::number(x.amount),
        ]);
    }
    let page = FundingPage {
        page: Chrome::for_user(errors.title(&format!("Funding {year}")), user, "/funding"),
        errors,
        csrf_token: user.csrf_token(),
        banner,
        year: year.to_string(),
        previous: year.previous().to_string(),
        next: year.next().to_string(),
        summary,
        overspent,
        grants: grant_table,
        spend: spend_table,
        categories: choices(SpendCategory::ALL.iter().map(|c| (c.code(), c.label())), &line.category),
        grant,
        line,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = year_of(q.year.as_deref())?;
    let banner = match q.saved.as_deref() {
        Some("grant") => Some("Grant added."),
        Some("spend") => Some("Spending added."),
        _ => None,
    };
    render(
        &state,
        &user,
        year,
        banner,
        (GrantInput::default(), SpendInput::default()),
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn add_grant(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<YearQuery>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let year = year_of(q.year.as_deref())?;
    let input = GrantInput {
        source: fields.get("source").to_owned(),
        amount: fields.get("grant-amount").to_owned(),
        note: fields.get("grant-note").to_owned(),
    };
    match input.parse() {
        Ok(g) => {
            state.store.add_grant(la(&user)?, year, &g, Some(user.staff.id.0), &user.actor()).await?;
            Ok(Redirect::to(&format!("/funding?year={year}&saved=grant")).into_response())
        }
        Err(e) => {
            render(
                &state,
                &user,
                year,
                None,
                (input, SpendInput::default()),
                e.into(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn add_spend(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<YearQuery>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let year = year_of(q.year.as_deref())?;
    let input = SpendInput {
        on: fields.date("spent_on"),
        description: fields.get("description").to_owned(),
        category: fields.get("category").to_owned(),
        amount: fields.get("spend-amount").to_owned(),
    };
    match input.parse(year) {
        Ok(s) => {
            state.store.add_funding_spend(la(&user)?, year, &s, Some(user.staff.id.0), &user.actor()).await?;
            Ok(Redirect::to(&format!("/funding?year={year}&saved=spend")).into_response())
        }
        Err(e) => {
            render(
                &state,
                &user,
                year,
                None,
                (GrantInput::default(), input),
                e.into(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FundingJson {
    /// Like 2026-27.
    pub year: String,
    pub allocated_pence: i64,
    pub spent_pence: i64,
    pub remaining_pence: i64,
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct ApiYear {
    /// Like 2026-27; this financial year when left out.
    #[serde(default)]
    year: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/funding", tag = "funding", params(ApiYear),
    responses((status = 200, body = FundingJson), (status = 404, body = crate::error::ApiErrors)), security(("bearer" = [])))]
pub async fn api(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<ApiYear>,
) -> Result<axum::Json<FundingJson>, AppError> {
    let year = year_of(q.year.as_deref())?;
    let (grants, spend) = state.store.funding(la(&user)?, year).await?;
    let g: Vec<_> = grants.into_iter().map(|(_, g)| g).collect();
    let s: Vec<_> = spend.into_iter().map(|(_, s)| s).collect();
    let (allocated, spent, left) = balance(&g, &s);
    Ok(axum::Json(FundingJson {
        year: year.to_string(),
        allocated_pence: allocated.0,
        spent_pence: spent.0,
        remaining_pence: left.0,
    }))
}
