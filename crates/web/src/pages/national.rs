//! The national roll-up for the programme: every LA's figures for a
//! financial year, as aggregates only, with small numbers suppressed
//! (`docs/reporting.md`). Nothing here reads or shows a young person's
//! name, id or record.

use crate::components::{choices, Cell, Choice, Heading, Part, Table};
use crate::export::{download, refused, FileFormat, Sheet, Value, UNKNOWN_FORMAT};
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::young_people::today;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use serde_json::json;
use staying_close_domain::funding::FinancialYear;
use staying_close_domain::report::{Measure, Period, Section};
use staying_close_domain::suppression::{published_percent, suppress, Published, Shown};
use staying_close_store::La;

/// The first year the programme reports.
const FIRST_YEAR: i32 = 2023;

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    format: String,
}

/// The years a national viewer may choose: whole financial years that have
/// ended, so one period can never be differenced against another
/// overlapping one to uncover a small count.
fn years() -> Vec<FinancialYear> {
    let last = FinancialYear::holding(today()).previous();
    (FIRST_YEAR..=last.0).rev().map(FinancialYear).collect()
}

fn year_asked(q: &YearQuery) -> Option<FinancialYear> {
    if q.year.is_empty() {
        return years().first().copied();
    }
    FinancialYear::parse(&q.year).filter(|y| years().contains(y))
}

/// Every LA's counts for the year, suppressed as one table.
struct Rollup {
    las: Vec<La>,
    measures: Vec<Measure>,
    published: Published,
}

async fn rollup(state: &AppState, year: FinancialYear) -> Result<Rollup, AppError> {
    let all = state.store.national_figures(Period::of_year(year)).await?;
    let measures = Measure::all();
    let rows: Vec<Vec<u64>> = all.iter().map(|(_, f)| measures.iter().map(|m| f.count(*m)).collect()).collect();
    Ok(Rollup { published: suppress(&rows), las: all.into_iter().map(|(la, _)| la).collect(), measures })
}

impl Rollup {
    fn column(&self, m: Measure) -> usize {
        self.measures.iter().position(|x| *x == m).expect("every measure is a column")
    }

    fn total(&self, m: Measure) -> Shown {
        self.published.totals[self.column(m)]
    }
}

fn shown_cell(shown: Shown) -> Cell {
    Cell::number(shown.words())
}

fn shown_value(shown: Shown) -> Value {
    match shown.value() {
        Some(v) => Value::Number(v as i64),
        None => Value::Text(shown.words()),
    }
}

struct NationalSection {
    heading: &'static str,
    table: Table,
}

#[derive(Template)]
#[template(path = "national.html")]
struct NationalPage {
    page: Chrome,
    year: String,
    year_choices: Vec<Choice>,
    la_count: usize,
    rates: Vec<(String, String)>,
    sections: Vec<NationalSection>,
}

fn rate_words(r: &Rollup, numerator: Measure, denominator: Measure) -> String {
    match published_percent(r.total(numerator), r.total(denominator)) {
        Some(p) => format!("{p}% ({} of {})", r.total(numerator).words(), r.total(denominator).words()),
        None => "Not published (a count behind it is low or hidden)".into(),
    }
}

/// `/national?year=2025-26`: the totals across every LA.
pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let Some(year) = year_asked(&q) else { return Err(AppError::NotFound) };
    let r = rollup(&state, year).await?;
    state
        .store
        .record_event(&user.actor(), None, "view", "national_report", None, json!({ "year": year.to_string() }))
        .await?;
    let sections = Section::ALL
        .iter()
        .map(|s| {
            let mut table = Table::new(
                s.heading(),
                vec![Heading::new("Measure"), Heading::numeric("All LAs"), Heading::hidden("By LA")],
            )
            .with_row_headers();
            for m in r.measures.iter().filter(|m| m.section() == *s) {
                table.row(vec![
                    Cell::text(m.label()),
                    shown_cell(r.total(*m)),
                    Cell::parts(vec![Part::Link {
                        text: "By LA".into(),
                        href: format!("/national/{}?year={year}", m.key()),
                        hidden: format!(": {}", m.label().to_lowercase()),
                    }]),
                ]);
            }
            NationalSection { heading: s.heading(), table }
        })
        .collect();
    let rates = vec![
        ("EET rate on 1 April".to_owned(), rate_words(&r, Measure::EetAtStart, Measure::KnownAtStart)),
        ("EET rate on 31 March".to_owned(), rate_words(&r, Measure::EetAtEnd, Measure::KnownAtEnd)),
        ("Home visits on time".to_owned(), rate_words(&r, Measure::VisitsOnTime, Measure::VisitsDue)),
        ("Plan reviews on time".to_owned(), rate_words(&r, Measure::ReviewsOnTime, Measure::ReviewsHeld)),
    ];
    let year_text = year.to_string();
    let page = NationalPage {
        page: Chrome::for_user("National roll-up", &user, "/national"),
        year_choices: choices(years().iter().map(|y| (y.to_string(), y.to_string())), &year_text),
        year: year_text,
        la_count: r.las.len(),
        rates,
        sections,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "national_measure.html")]
struct MeasurePage {
    page: Chrome,
    year: String,
    heading: String,
    table: Table,
}

/// `/national/{measure}?year=`: one measure for each LA, suppressed.
pub async fn measure(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(key): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let (Some(m), Some(year)) = (Measure::parse(&key), year_asked(&q)) else { return Err(AppError::NotFound) };
    let r = rollup(&state, year).await?;
    let details = json!({ "year": year.to_string(), "measure": m.key() });
    state.store.record_event(&user.actor(), None, "view", "national_report", None, details).await?;
    let c = r.column(m);
    let mut table =
        Table::new(m.label(), vec![Heading::new("Local authority"), Heading::numeric("Figure")]).with_row_headers();
    for (i, la) in r.las.iter().enumerate() {
        table.row(vec![Cell::text(la.name.clone()), shown_cell(r.published.rows[i][c])]);
    }
    table.row(vec![Cell::text("All LAs"), shown_cell(r.published.totals[c])]);
    let page = MeasurePage {
        page: Chrome::for_user(m.label(), &user, "/national"),
        year: year.to_string(),
        heading: m.label(),
        table,
    };
    Ok(Html(page.render()?).into_response())
}

/// The published table: one row per LA and a total row, one column per measure.
fn sheet(r: &Rollup) -> Sheet {
    let mut headers = vec!["Local authority".to_owned(), "LA code".to_owned()];
    headers.extend(r.measures.iter().map(|m| m.label()));
    let mut sheet = Sheet { name: "National roll-up".into(), headers, rows: Vec::new() };
    for (i, la) in r.las.iter().enumerate() {
        let mut row = vec![Value::Text(la.name.clone()), Value::Text(la.code.to_string())];
        row.extend(r.published.rows[i].iter().map(|s| shown_value(*s)));
        sheet.rows.push(row);
    }
    let mut total = vec![Value::text("All LAs"), Value::Empty];
    total.extend(r.published.totals.iter().map(|s| shown_value(*s)));
    sheet.rows.push(total);
    sheet
}

/// `/national/download?year=&format=csv|xlsx`.
pub async fn export(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let Some(year) = year_asked(&q) else { return Err(AppError::NotFound) };
    let Some(format) = FileFormat::parse(&q.format) else {
        return Ok(refused(UNKNOWN_FORMAT));
    };
    let r = rollup(&state, year).await?;
    let details = json!({ "year": year.to_string(), "format": format.code(), "las": r.las.len() });
    state.store.record_event(&user.actor(), None, "export", "national_report", None, details).await?;
    Ok(download(format, &format!("staying-close-national-{year}"), &[sheet(&r)]))
}
