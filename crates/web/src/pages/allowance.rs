//! A young person's activities allowance: this month's and this financial
//! year's balance, a warning when the month is overspent, what was spent,
//! and the form to record spending (whole pence throughout).

use crate::components::{choices, Cell, Choice, Heading, Part, SummaryRow, Table};
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
use staying_close_domain::allowance::{financial_year_start, month_start, Balance, SpendCategory, SpendInput};
use staying_close_domain::dates::format_uk;
use staying_close_domain::money::Pence;
use staying_close_domain::permissions::Permission;
use staying_close_domain::profile::DateParts;

#[derive(Template)]
#[template(path = "allowance.html")]
struct AllowancePage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    id: i64,
    name: String,
    banner: Option<&'static str>,
    overspent: Option<String>,
    balance: Vec<SummaryRow>,
    can_record: bool,
    input: SpendInput,
    categories: Vec<Choice>,
    table: Table,
}

#[derive(Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

/// The balance of a young person's allowance on `day`.
pub(crate) async fn balance_on(
    state: &AppState,
    user: &CurrentUser,
    opened: &Opened,
    day: chrono::NaiveDate,
) -> Result<(Balance, Vec<staying_close_store::StoredSpend>), AppError> {
    let monthly = user.la.as_ref().map(|l| l.settings.activities_allowance).unwrap_or(Pence::from_pounds(30));
    let spends = state.store.spends(opened.viewer.la, opened.person.id, financial_year_start(day), day).await?;
    let sum =
        |from: chrono::NaiveDate| Pence(spends.iter().filter(|s| s.spend.on >= from).map(|s| s.spend.amount.0).sum());
    let balance = Balance::on(day, monthly, sum(month_start(day)), sum(financial_year_start(day)));
    Ok((balance, spends))
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    opened: &Opened,
    banner: Option<&'static str>,
    input: SpendInput,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let today = today();
    let (balance, spends) = balance_on(state, user, opened, today).await?;
    let month = today.format("%B %Y").to_string();
    let left = |p: Pence| if p.0 < 0 { format!("{} over", Pence(-p.0)) } else { format!("{p} left") };
    let rows = vec![
        SummaryRow::parts(
            format!("This month ({month})"),
            vec![
                Part::text(format!("{} of {}", left(balance.month_left()), balance.month_allowance)),
                if balance.overspent() {
                    Part::tag("Overspent", "red")
                } else {
                    Part::tag("Within the allowance", "green")
                },
            ],
        ),
        SummaryRow::text(
            format!("This financial year (from {})", format_uk(financial_year_start(today))),
            format!("{} of {} ({} spent)", left(balance.year_left()), balance.year_allowance, balance.year_spent),
        ),
    ];
    let overspent = balance.overspent().then(|| {
        format!(
            "{} has been spent this month, {} more than the monthly allowance of {}.",
            balance.month_spent,
            Pence(-balance.month_left().0),
            balance.month_allowance
        )
    });
    let mut table = Table::new(
        "Spent this financial year",
        vec![
            Heading::new("Date"),
            Heading::new("On"),
            Heading::numeric("Amount"),
            Heading::new("What for"),
            Heading::new("Recorded by"),
        ],
    );
    for s in &spends {
        table.row(vec![
            Cell::text(format_uk(s.spend.on)),
            Cell::text(s.spend.category.label()),
            Cell::number(s.spend.amount),
            Cell::text(s.spend.note.clone().unwrap_or_default()),
            Cell::text(s.recorded_by.clone().unwrap_or_default()),
        ]);
    }
    let ids = spends.iter().map(|s| s.id).collect();
    let audit = serde_json::json!({ "young_person_id": opened.person.id.0 });
    state.store.record_bulk_read(&user.actor(), opened.viewer.la, "allowance_spend", "allowance", audit, ids).await?;
    let page = AllowancePage {
        page: Chrome::for_user(
            errors.title(&format!("Activities allowance for {}", opened.name)),
            user,
            "/young-people",
        ),
        errors,
        csrf_token: user.csrf_token(),
        id: opened.person.id.0,
        name: opened.name.clone(),
        banner,
        overspent,
        balance: rows,
        can_record: user.can(Permission::RecordContact),
        categories: choices(SpendCategory::ALL.iter().map(|c| (c.code(), c.label())), &input.category),
        input,
        table,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "allowance").await?;
    let banner = (q.saved.as_deref() == Some("spend")).then_some("Spending recorded.");
    let input = SpendInput { on: DateParts::of(Some(today())), ..SpendInput::default() };
    render(&state, &user, &opened, banner, input, Errors::default(), StatusCode::OK).await
}

pub async fn record(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, "record_spend").await?;
    let input = SpendInput {
        on: fields.date("on"),
        category: fields.get("category").to_owned(),
        amount: fields.get("amount").to_owned(),
        note: fields.get("note").to_owned(),
    };
    match input.parse(today()) {
        Ok(spend) => {
            state.store.record_spend(&opened.viewer, opened.person.id, &spend, &user.actor()).await?;
            Ok(Redirect::to(&format!("/young-people/{}/allowance?saved=spend", opened.person.id.0)).into_response())
        }
        Err(e) => render(&state, &user, &opened, None, input, e.into(), StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SpendJson {
    pub date: String,
    /// activity, food, travel, celebration, equipment or other.
    pub category: String,
    pub amount_pence: i64,
    pub note: Option<String>,
}

/// A young person's activities allowance on today's date, in pence.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AllowanceJson {
    pub as_at: String,
    pub month_allowance_pence: i64,
    pub month_spent_pence: i64,
    pub month_left_pence: i64,
    /// From 1 April.
    pub year_allowance_pence: i64,
    pub year_spent_pence: i64,
    pub year_left_pence: i64,
    pub overspent: bool,
    /// This financial year, latest first.
    pub spends: Vec<SpendJson>,
}

#[utoipa::path(get, path = "/api/v1/young-people/{id}/allowance", tag = "allowance", params(("id" = i64, Path)),
    responses((status = 200, body = AllowanceJson), (status = 404, body = crate::error::ApiErrors)),
    security(("bearer" = [])))]
pub async fn api(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<axum::Json<AllowanceJson>, AppError> {
    let opened = open(&state, &user, &id, "api_allowance").await?;
    let day = today();
    let (b, spends) = balance_on(&state, &user, &opened, day).await?;
    Ok(axum::Json(AllowanceJson {
        as_at: day.to_string(),
        month_allowance_pence: b.month_allowance.0,
        month_spent_pence: b.month_spent.0,
        month_left_pence: b.month_left().0,
        year_allowance_pence: b.year_allowance.0,
        year_spent_pence: b.year_spent.0,
        year_left_pence: b.year_left().0,
        overspent: b.overspent(),
        spends: spends
            .iter()
            .map(|s| SpendJson {
                date: s.spend.on.to_string(),
                category: s.spend.category.code().to_owned(),
                amount_pence: s.spend.amount.0,
                note: s.spend.note.clone(),
            })
            .collect(),
    }))
}
