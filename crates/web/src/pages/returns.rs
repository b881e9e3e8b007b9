//! The SSDA903 OC3 return page: who is in the year's care-leaver cohort,
//! the line each gets, who is left out and why, and the file to download.

use crate::components::{choices, Cell, Choice, Heading, Part, Table};
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::young_people::today;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use serde_json::json;
use staying_close_domain::dates::{format_uk, LeapDayRule};
use staying_close_domain::funding::FinancialYear;
use staying_close_domain::oc3::{oc3_csv, Oc3Return};
use staying_close_domain::words::count;
use std::collections::HashMap;

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: String,
}

/// The collection year asked for; the last one that has ended by default.
fn year_of(q: &YearQuery) -> Result<FinancialYear, AppError> {
    if q.year.is_empty() {
        return Ok(FinancialYear::holding(today()).previous());
    }
    FinancialYear::parse(&q.year).ok_or(AppError::NotFound)
}

async fn build(
    state: &AppState,
    user: &CurrentUser,
    year: FinancialYear,
) -> Result<(Oc3Return, HashMap<String, i64>), AppError> {
    let la = user.la.as_ref().ok_or(AppError::NotFound)?;
    let sources = state.store.oc3_sources(la.id, year).await?;
    let ids = sources.iter().map(|s| (s.person.child_id.clone(), s.id.0)).collect();
    Ok((Oc3Return::of(sources.iter().map(|s| &s.person), year, LeapDayRule::default()), ids))
}

#[derive(Template)]
#[template(path = "oc3.html")]
struct Oc3Page {
    page: Chrome,
    year: String,
    year_choices: Vec<Choice>,
    summary: String,
    lines: Table,
    not_required: Table,
    needs: Table,
}

fn person_link(child: &str, ids: &HashMap<String, i64>, page: &str) -> Cell {
    match ids.get(child) {
        Some(id) => Cell::parts(vec![Part::link(child.to_owned(), format!("/young-people/{id}{page}"))]),
        None => Cell::text(child.to_owned()),
    }
}

/// `/returns/oc3?year=2025-26`.
pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = year_of(&q)?;
    let (ret, ids) = build(&state, &user, year).await?;
    let mut lines = Table::new(
        "Lines of the OC3 file",
        vec![
            Heading::new("Child ID"),
            Heading::new("Birthday"),
            Heading::new("In touch"),
            Heading::new("Activity"),
            Heading::new("Accommodation"),
        ],
    );
    for r in &ret.rows {
        lines.row(vec![
            person_link(&r.child_id, &ids, ""),
            Cell::text(format!("{} ({})", format_uk(r.birthday), r.age)),
            Cell::text(r.in_touch),
            Cell::text(r.activity.clone()),
            Cell::text(r.accommodation.clone()),
        ]);
    }
    let mut not_required = Table::new("Not required", vec![Heading::new("Child ID"), Heading::new("Why")]);
    for (child, why) in &ret.not_required {
        not_required.row(vec![person_link(child, &ids, ""), Cell::text(*why)]);
    }
    let mut needs = Table::new(
        "Needs information",
        vec![Heading::new("Child ID"), Heading::new("Birthday"), Heading::new("Record")],
    );
    for (child, birthday, missing) in &ret.needs_information {
        needs.row(vec![
            person_link(child, &ids, "/eet"),
            Cell::text(format_uk(*birthday)),
            Cell::text(missing.join(" and ")),
        ]);
    }
    let la = user.la.as_ref().ok_or(AppError::NotFound)?;
    let listed: Vec<i64> = ids.values().copied().collect();
    let filter = json!({ "year": year.to_string() });
    state.store.record_bulk_read(&user.actor(), la.id, "young_person", "oc3_return", filter, listed).await?;
    let year_text = year.to_string();
    let last = FinancialYear::holding(today());
    let page = Oc3Page {
        page: Chrome::for_user("OC3 return", &user, "/imports"),
        year_choices: choices(
            (2015..=last.0).rev().map(|y| (FinancialYear(y).to_string(), FinancialYear(y).to_string())),
            &year_text,
        ),
        year: year_text,
        summary: count(ret.rows.len() as u64, "young person", "young people"),
        lines,
        not_required,
        needs,
    };
    Ok(Html(page.render()?).into_response())
}

/// `/returns/oc3/download?year=`: the OC3 CSV, audited.
pub async fn download(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = year_of(&q)?;
    let (ret, ids) = build(&state, &user, year).await?;
    let la = user.la.as_ref().ok_or(AppError::NotFound)?;
    let in_file: Vec<i64> = ret.rows.iter().filter_map(|r| ids.get(&r.child_id).copied()).collect();
    let details = json!({ "year": year.to_string(), "rows": ret.rows.len(), "ids": in_file });
    state.store.record_event(&user.actor(), Some(la.id), "export", "oc3_return", None, details).await?;
    let disposition = format!("attachment; filename=\"oc3-{}-{year}.csv\"", la.code);
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        oc3_csv(&ret.rows),
    )
        .into_response())
}
