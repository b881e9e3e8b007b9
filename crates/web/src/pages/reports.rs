//! The impact report for a period: every figure links to the records behind
//! it; charts with their numbers as tables; Five Minute Facts for boards and
//! young people; CSV and Excel downloads, each audited.

use crate::charts::{bars, percent_line, stacked_bars, Chart};
use crate::components::{Cell, Heading, Part, Table};
use crate::error::{ErrorKind, ErrorPage};
use crate::export::{download, refused, FileFormat, Sheet, Value, UNKNOWN_FORMAT};
use crate::forms::Errors;
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::young_people::{today, NAME_NOT_RECORDED};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use serde_json::json;
use staying_close_domain::accommodation::{InterventionKind, Stay};
use staying_close_domain::allowance::SpendCategory;
use staying_close_domain::contacts::{split_topics, ContactKind};
use staying_close_domain::dates::{format_uk, parse_iso};
use staying_close_domain::eet::{Activity, EetHelp};
use staying_close_domain::health::{ReferralStatus, SessionKind};
use staying_close_domain::money::Pence;
use staying_close_domain::parents::ParentOutcomeKind;
use staying_close_domain::permissions::Permission;
use staying_close_domain::profile::DateParts;
use staying_close_domain::report::{tenths, Figures, Measure, Period, Section};
use staying_close_domain::statutory::AssessmentOutcome;
use staying_close_domain::trusted_person::TrustedRole;
use staying_close_domain::visits::VisitFrequency;
use staying_close_domain::words::thousands;
use staying_close_store::{ReportRecord, Viewer};

/// The period as typed: `from`/`to` as `YYYY-MM-DD`, or the date boxes.
#[derive(Deserialize, Default, Debug, Clone)]
pub struct PeriodQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default, rename = "from-day")]
    from_day: String,
    #[serde(default, rename = "from-month")]
    from_month: String,
    #[serde(default, rename = "from-year")]
    from_year: String,
    #[serde(default, rename = "to-day")]
    to_day: String,
    #[serde(default, rename = "to-month")]
    to_month: String,
    #[serde(default, rename = "to-year")]
    to_year: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    page: Option<u32>,
}

/// Records shown on one page of a drill-down list (downloads have them all).
const PAGE_SIZE: u32 = 200;

/// The period asked for, what was typed, and any problems (the report then
/// shows the default period, never a wider one).
struct Asked {
    period: Period,
    from: DateParts,
    to: DateParts,
    errors: Errors,
}

fn asked(q: &PeriodQuery) -> Asked {
    let typed = |iso: &str, day: &str, month: &str, year: &str| {
        if iso.is_empty() {
            DateParts { day: day.into(), month: month.into(), year: year.into() }
        } else {
            DateParts::from_iso(iso)
        }
    };
    let from = typed(&q.from, &q.from_day, &q.from_month, &q.from_year);
    let to = typed(&q.to, &q.to_day, &q.to_month, &q.to_year);
    match Period::parse(&from, &to, today()) {
        Ok(period) => Asked {
            period,
            from: DateParts::of(Some(period.from)),
            to: DateParts::of(Some(period.to)),
            errors: Errors::default(),
        },
        Err(e) => Asked { period: Period::last_complete_year(today()), from, to, errors: e.into() },
    }
}

fn period_words(p: &Period) -> String {
    format!("{} to {}", format_uk(p.from), format_uk(p.to))
}

fn link(measure: Measure, period: &Period) -> String {
    format!("/reports/impact/{}?{}", measure.key(), period.query())
}

/// A figure as a link to its records, or as plain words for those who may
/// not open the records (health records for those without health access).
fn figure(measure: Measure, figures: &Figures, period: &Period, can_open: bool) -> Part {
    let n = thousands(figures.count(measure));
    if can_open {
        Part::Link { text: n, href: link(measure, period), hidden: format!(": {}", measure.label().to_lowercase()) }
    } else {
        Part::text(n)
    }
}

fn rate_parts(
    rate: Option<u32>,
    numerator: Measure,
    denominator: Measure,
    f: &Figures,
    p: &Period,
    open: bool,
) -> Vec<Part> {
    vec![
        Part::text(rate.map(|r| format!("{r}% (")).unwrap_or_else(|| "Not known (".into())),
        figure(numerator, f, p, open),
        Part::text(" of "),
        figure(denominator, f, p, open),
        Part::text(")"),
    ]
}

/// The derived rows of a section: rates and averages, each linking to the
/// counts they come from.
fn derived(section: Section, f: &Figures, p: &Period) -> Vec<(String, Vec<Part>, Value)> {
    use Measure::*;
    let pct = |r: Option<u32>| r.map(Value::Percent).unwrap_or(Value::Empty);
    match section {
        Section::Eet => vec![
            (
                "EET rate on the first day".into(),
                rate_parts(f.eet_rate_at_start(), EetAtStart, KnownAtStart, f, p, true),
                pct(f.eet_rate_at_start()),
            ),
            (
                "EET rate on the last day".into(),
                rate_parts(f.eet_rate_at_end(), EetAtEnd, KnownAtEnd, f, p, true),
                pct(f.eet_rate_at_end()),
            ),
        ],
        Section::Relationships => vec![(
            "Activities allowance spent".into(),
            vec![Part::link(Pence(f.spend_pence).to_string(), link(ActivitySpends, p))],
            Value::Pence(f.spend_pence),
        )],
        Section::Service => {
            let hours = f.minutes_per_week();
            let offer =
                if f.offer_hours > 0 { format!(" against an offer of {} hours", f.offer_hours) } else { String::new() };
            vec![
                (
                    "Home visits on time".into(),
                    rate_parts(f.visits_on_time(), VisitsOnTime, VisitsDue, f, p, true),
                    pct(f.visits_on_time()),
                ),
                (
                    "Plan reviews on time".into(),
                    rate_parts(f.reviews_on_time(), ReviewsOnTime, ReviewsHeld, f, p, true),
                    pct(f.reviews_on_time()),
                ),
                (
                    "Young people per personal adviser".into(),
                    vec![Part::text(f.caseload_tenths().map(tenths).unwrap_or_else(|| "No advisers".into()))],
                    f.caseload_tenths().map(|t| Value::Text(tenths(t))).unwrap_or(Value::Empty),
                ),
                (
                    "Support per young person per week".into(),
                    vec![
                        Part::text(hours.map(minutes_words).unwrap_or_else(|| "None recorded".into())),
                        Part::text(offer),
                        Part::text(" (from "),
                        Part::link(
                            format!("{} minutes of contacts", thousands(f.contact_minutes.max(0) as u64)),
                            link(Contacts, p),
                        ),
                        Part::text(")"),
                    ],
                    hours.map(|m| Value::Number(m as i64)).unwrap_or(Value::Empty),
                ),
            ]
        }
        _ => Vec::new(),
    }
}

fn minutes_words(minutes: u64) -> String {
    format!("{} hours {} minutes", minutes / 60, minutes % 60)
}

struct ReportSection {
    heading: &'static str,
    table: Table,
}

fn sections(f: &Figures, p: &Period, can_health: bool) -> Vec<ReportSection> {
    Section::ALL
        .iter()
        .map(|s| {
            let mut table =
                Table::new(s.heading(), vec![Heading::new("Measure"), Heading::numeric("Figure")]).with_row_headers();
            for m in Measure::all().into_iter().filter(|m| m.section() == *s) {
                let open = !m.is_health() || can_health;
                table.row(vec![Cell::text(m.label()), Cell { parts: vec![figure(m, f, p, open)], numeric: true }]);
            }
            for (label, parts, _) in derived(*s, f, p) {
                table.row(vec![Cell::text(label), Cell { parts, numeric: true }]);
            }
            ReportSection { heading: s.heading(), table }
        })
        .collect()
}

fn figures_sheet(f: &Figures, p: &Period) -> Sheet {
    let mut sheet = Sheet::new("Figures", &["Section", "Measure", "Figure", "Key"]);
    for s in Section::ALL {
        for m in Measure::all().into_iter().filter(|m| m.section() == s) {
            sheet.rows.push(vec![
                Value::text(s.heading()),
                Value::Text(m.label()),
                Value::Number(f.count(m) as i64),
                Value::Text(m.key()),
            ]);
        }
        for (label, _, value) in derived(s, f, p) {
            sheet.rows.push(vec![Value::text(s.heading()), Value::Text(label), value, Value::Empty]);
        }
    }
    sheet
}

/// The three charts of a period.
async fn charts(state: &AppState, viewer: &Viewer, f: &Figures, p: &Period) -> Result<Vec<Chart>, AppError> {
    let months = state.store.eet_rate_by_month(viewer, *p).await?;
    let points: Vec<(String, Option<u32>, String)> = months
        .iter()
        .map(|m| {
            (
                m.on.format("%b %Y").to_string(),
                staying_close_domain::report::percent(m.in_eet as u64, m.known as u64),
                format!("{} of {} on {}", m.in_eet, m.known, format_uk(m.on)),
            )
        })
        .collect();
    let eet = percent_line(
        "eet-rate",
        "EET rate by month",
        "The share of young people whose activity was known who were in education, employment or training on the last day of each month.",
        &points,
    );
    let labels: Vec<String> = p.months().iter().map(|m| m.format("%b %Y").to_string()).collect();
    let keys: Vec<String> = p.months().iter().map(|m| m.format("%Y-%m").to_string()).collect();
    let counts = &f.contacts_by_month;
    let series: Vec<(String, Vec<u64>)> = ContactKind::ALL
        .iter()
        .map(|k| {
            let values = keys
                .iter()
                .map(|month| {
                    counts.iter().filter(|(m, kind, _)| m == month && kind == k.code()).map(|(_, _, n)| n).sum()
                })
                .collect();
            (k.label().to_owned(), values)
        })
        .filter(|(_, v): &(String, Vec<u64>)| v.iter().any(|n| *n > 0))
        .collect();
    let sessions = stacked_bars(
        "sessions",
        "Sessions by kind by month",
        "How many contacts and pieces of direct work were recorded each month, by kind.",
        &labels,
        &series,
    );
    let housing = bars(
        "housing",
        "Housing outcomes",
        "Moves into semi-independent living, returns to family and own tenancies sustained for 6 months in the period.",
        &[
            (Measure::MovesToSemiIndependent.label(), f.count(Measure::MovesToSemiIndependent)),
            (Measure::ReturnsToFamily.label(), f.count(Measure::ReturnsToFamily)),
            (Measure::TenanciesSustained.label(), f.count(Measure::TenanciesSustained)),
        ],
    );
    Ok(vec![eet, sessions, housing])
}

async fn figures_for(state: &AppState, user: &CurrentUser, period: Period) -> Result<(Viewer, Figures), AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let offer = user.la.as_ref().map(|la| la.settings.weekly_support_hours).unwrap_or(0);
    let figures = state.store.impact_figures(&viewer, period, offer).await?;
    Ok((viewer, figures))
}

#[derive(Template)]
#[template(path = "impact.html")]
struct ImpactPage {
    page: Chrome,
    errors: Errors,
    from: DateParts,
    to: DateParts,
    period: String,
    query: String,
    sections: Vec<ReportSection>,
    charts: Vec<Chart>,
}

/// `/reports/impact?from=&to=`: the report for a period.
pub async fn impact(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let a = asked(&q);
    let (viewer, figures) = figures_for(&state, &user, a.period).await?;
    let charts = charts(&state, &viewer, &figures, &a.period).await?;
    let details = json!({ "from": a.period.from.to_string(), "to": a.period.to.to_string() });
    state.store.record_event(&user.actor(), Some(viewer.la), "view", "impact_report", None, details).await?;
    let status = if a.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ImpactPage {
        page: Chrome::for_user(a.errors.title("Impact report"), &user, "/reports/impact"),
        sections: sections(&figures, &a.period, user.can(Permission::ViewHealth)),
        errors: a.errors,
        from: a.from,
        to: a.to,
        period: period_words(&a.period),
        query: a.period.query(),
        charts,
    };
    Ok((status, Html(page.render()?)).into_response())
}

fn file_format(q: &PeriodQuery) -> Option<FileFormat> {
    FileFormat::parse(&q.format)
}

/// `/reports/impact/download?format=csv|xlsx`: the figures (and, in the
/// workbook, the charts' numbers).
pub async fn impact_download(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let a = asked(&q);
    let Some(format) = file_format(&q) else {
        return Ok(refused(UNKNOWN_FORMAT));
    };
    if let Some((field, message)) = a.errors.items().first() {
        return Ok(refused(&format!("{message} (field: {field}). Nothing was downloaded.")));
    }
    let (viewer, figures) = figures_for(&state, &user, a.period).await?;
    let mut sheets = vec![figures_sheet(&figures, &a.period)];
    if format == FileFormat::Xlsx {
        for chart in charts(&state, &viewer, &figures, &a.period).await? {
            let mut sheet =
                Sheet::new(&chart.title, &chart.table.headings.iter().map(|h| h.label.as_str()).collect::<Vec<_>>());
            for row in &chart.table.rows {
                sheet.rows.push(row.iter().map(cell_value).collect());
            }
            sheets.push(sheet);
        }
    }
    let details = json!({ "from": a.period.from.to_string(), "to": a.period.to.to_string(), "format": format.code() });
    state.store.record_event(&user.actor(), Some(viewer.la), "export", "impact_report", None, details).await?;
    let la = user.la.as_ref().map(|la| la.code.to_string()).unwrap_or_default();
    Ok(download(format, &format!("impact-{la}-{}-to-{}", a.period.from, a.period.to), &sheets))
}

/// A chart table's cell as a typed value: whole numbers stay numbers.
fn cell_value(cell: &Cell) -> Value {
    let text: String = cell.parts.iter().map(Part::words).collect();
    match text.replace(',', "").parse::<i64>() {
        Ok(n) => Value::Number(n),
        Err(_) => match text.strip_suffix('%').and_then(|t| t.parse::<u32>().ok()) {
            Some(p) => Value::Percent(p),
            None => Value::Text(text),
        },
    }
}

/// What a record's detail code means, in words.
fn detail_words(measure: Measure, r: &ReportRecord) -> String {
    use Measure::*;
    let d = r.detail.as_str();
    let or_code = |label: Option<&'static str>| label.map(str::to_owned).unwrap_or_else(|| d.to_owned());
    match measure {
        HousingInterventions => or_code(InterventionKind::parse(d).map(InterventionKind::label)),
        MovesToSemiIndependent | ReturnsToFamily | TenanciesSustained => Stay {
            code: d.into(),
            address: None,
            provider: None,
            starts_on: r.day.unwrap_or_default(),
            ends_on: None,
            reason_for_move: None,
        }
        .describe()
        .to_owned(),
        DirectWorkSessions | DirectWorkTopic(_) => {
            let topics: Vec<&str> = split_topics(d).iter().map(|t| t.label()).collect();
            if topics.is_empty() {
                "No topic recorded".into()
            } else {
                topics.join(", ")
            }
        }
        Contacts | SupportArea(_) | SupportForm(_) => or_code(ContactKind::parse(d).map(ContactKind::label)),
        EetInterventions => or_code(EetHelp::parse(d).map(EetHelp::label)),
        EetAtStart | EetAtEnd | KnownAtStart | KnownAtEnd => {
            Activity { code: d.into(), provider: None, starts_on: r.day.unwrap_or_default(), ends_on: None }
                .describe()
                .to_owned()
        }
        EmotionalHealthSessions | NurseSessions => or_code(SessionKind::parse(d).map(SessionKind::label)),
        Referrals(_) => {
            format!("Status: {}", or_code(ReferralStatus::parse(d).map(ReferralStatus::label)).to_lowercase())
        }
        ParentOutcome(_) => or_code(ParentOutcomeKind::parse(d).map(ParentOutcomeKind::label)),
        TrustedMatches => or_code(TrustedRole::parse(d).map(TrustedRole::label)),
        ActivitySpends => or_code(SpendCategory::parse(d).map(SpendCategory::label)),
        Assessed | SupportRequired => or_code(AssessmentOutcome::parse(d).map(AssessmentOutcome::label)),
        VisitsDue | VisitsOnTime => match d.split_once(' ') {
            Some((frequency, previous)) => format!(
                "{} visits; the visit before was on {}",
                VisitFrequency::parse(frequency).map(|f| f.label()).unwrap_or(frequency),
                parse_iso(previous).map(format_uk).unwrap_or_else(|| previous.to_owned())
            ),
            None => d.to_owned(),
        },
        ReviewsHeld | ReviewsOnTime => {
            format!("Due by {}", parse_iso(d).map(format_uk).unwrap_or_else(|| d.to_owned()))
        }
        Allocated => format!("Personal adviser: {d}"),
        Advisers => format!("{} young people", r.amount.unwrap_or(0)),
        _ => d.to_owned(),
    }
}

fn amount_heading(measure: Measure) -> Option<&'static str> {
    match measure {
        Measure::ActivitySpends | Measure::GroupEvents => Some("Amount"),
        Measure::Contacts
        | Measure::DirectWorkSessions
        | Measure::DirectWorkTopic(_)
        | Measure::SupportArea(_)
        | Measure::SupportForm(_)
        | Measure::EmotionalHealthSessions
        | Measure::NurseSessions => Some("Minutes"),
        _ => None,
    }
}

fn is_money(measure: Measure) -> bool {
    matches!(measure, Measure::ActivitySpends | Measure::GroupEvents)
}

fn who(r: &ReportRecord) -> Option<String> {
    r.young_person.map(|_| {
        r.name
            .clone()
            .unwrap_or_else(|| format!("{NAME_NOT_RECORDED} (child ID {})", r.child_id.clone().unwrap_or_default()))
    })
}

fn records_table(measure: Measure, records: &[ReportRecord]) -> Table {
    let mut headings = vec![Heading::new("Young person"), Heading::new("Date"), Heading::new("Details")];
    if measure == Measure::Advisers || measure == Measure::GroupEvents {
        headings[0] = Heading::new(if measure == Measure::Advisers { "Personal adviser" } else { "Group activity" });
    }
    if let Some(h) = amount_heading(measure) {
        headings.push(Heading::numeric(h));
    }
    let mut table = Table::new(measure.label(), headings);
    for r in records {
        let first = match (r.young_person, who(r)) {
            (Some(id), Some(name)) => Cell::parts(vec![Part::link(name, format!("/young-people/{}", id.0))]),
            _ => Cell::text(r.detail.clone()),
        };
        let mut row = vec![
            first,
            Cell::text(r.day.map(format_uk).unwrap_or_default()),
            Cell::text(if r.young_person.is_none() && measure != Measure::Advisers {
                String::new()
            } else {
                detail_words(measure, r)
            }),
        ];
        if amount_heading(measure).is_some() {
            let amount = r.amount.unwrap_or(0);
            row.push(Cell::number(if is_money(measure) {
                Pence(amount).to_string()
            } else {
                thousands(amount as u64)
            }));
        }
        table.row(row);
    }
    table
}

fn records_sheet(measure: Measure, records: &[ReportRecord]) -> Sheet {
    let mut headers = vec!["Young person", "Child ID", "Date", "Details", "Record"];
    if let Some(h) = amount_heading(measure) {
        headers.push(h);
    }
    let mut sheet = Sheet::new("Records", &headers);
    for r in records {
        let mut row = vec![
            Value::Text(who(r).unwrap_or_else(|| r.detail.clone())),
            Value::Text(r.child_id.clone().unwrap_or_default()),
            Value::date(r.day),
            Value::Text(detail_words(measure, r)),
            Value::Number(r.id),
        ];
        if amount_heading(measure).is_some() {
            let amount = r.amount.unwrap_or(0);
            row.push(if is_money(measure) { Value::Pence(amount) } else { Value::Number(amount) });
        }
        sheet.rows.push(row);
    }
    sheet
}

/// The measure asked for, refusing health records to those without health
/// access (audited like any refused access).
async fn measure_for(
    state: &AppState,
    user: &CurrentUser,
    key: &str,
    route: &str,
) -> Result<Result<Measure, Response>, AppError> {
    let Some(measure) = Measure::parse(key) else { return Err(AppError::NotFound) };
    if measure.is_health() && !user.can(Permission::ViewHealth) {
        let la = user.la.as_ref().map(|la| la.id);
        state.store.record_refusal(&user.actor(), la, route, Some(key)).await?;
        return Ok(Err(ErrorPage::new(StatusCode::FORBIDDEN, ErrorKind::Forbidden).into_response()));
    }
    Ok(Ok(measure))
}

async fn audit_records(
    state: &AppState,
    user: &CurrentUser,
    viewer: &Viewer,
    measure: Measure,
    period: &Period,
    records: &[ReportRecord],
    format: Option<FileFormat>,
) -> Result<(), AppError> {
    let mut ids: Vec<i64> = records.iter().filter_map(|r| r.young_person.map(|p| p.0)).collect();
    ids.sort_unstable();
    ids.dedup();
    let filter = json!({ "measure": measure.key(), "from": period.from.to_string(), "to": period.to.to_string() });
    match format {
        None => {
            state.store.record_bulk_read(&user.actor(), viewer.la, "young_person", "impact_report", filter, ids).await?
        }
        Some(f) => {
            let details = json!({ "filter": filter, "format": f.code(), "rows": records.len(), "ids": ids });
            state.store.record_event(&user.actor(), Some(viewer.la), "export", "impact_records", None, details).await?
        }
    }
    Ok(())
}

#[derive(Template)]
#[template(path = "impact_records.html")]
struct RecordsPage {
    page: Chrome,
    heading: String,
    period: String,
    count: String,
    key: String,
    query: String,
    table: Table,
    showing: String,
    previous: String,
    next: String,
}

/// `/reports/impact/{measure}`: the records behind one figure.
pub async fn records(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(key): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let measure = match measure_for(&state, &user, &key, "/reports/impact/{measure}").await? {
        Ok(m) => m,
        Err(refused) => return Ok(refused),
    };
    let a = asked(&q);
    if let Some((field, message)) = a.errors.items().first() {
        return Ok(refused(&format!("{message} (field: {field}).")));
    }
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let number = q.page.unwrap_or(1).max(1);
    let offset = i64::from(number - 1) * i64::from(PAGE_SIZE);
    let (list, total) =
        state.store.impact_records_page(&viewer, a.period, measure, offset, i64::from(PAGE_SIZE)).await?;
    if list.is_empty() && number > 1 {
        return Err(AppError::NotFound);
    }
    audit_records(&state, &user, &viewer, measure, &a.period, &list, None).await?;
    let at = |n: u32| format!("/reports/impact/{}?{}&page={n}", measure.key(), a.period.query());
    let shown_to = offset as u64 + list.len() as u64;
    let page = RecordsPage {
        page: Chrome::for_user(measure.label(), &user, "/reports/impact"),
        heading: measure.label(),
        period: period_words(&a.period),
        count: thousands(total),
        key: measure.key(),
        query: a.period.query(),
        table: records_table(measure, &list),
        showing: if total > u64::from(PAGE_SIZE) {
            format!("Showing {} to {} of {}", thousands(offset as u64 + 1), thousands(shown_to), thousands(total))
        } else {
            String::new()
        },
        previous: if number > 1 { at(number - 1) } else { String::new() },
        next: if shown_to < total { at(number + 1) } else { String::new() },
    };
    Ok(Html(page.render()?).into_response())
}

/// `/reports/impact/{measure}/download?format=csv|xlsx`.
pub async fn records_download(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(key): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let measure = match measure_for(&state, &user, &key, "/reports/impact/{measure}/download").await? {
        Ok(m) => m,
        Err(refused) => return Ok(refused),
    };
    let a = asked(&q);
    let Some(format) = file_format(&q) else {
        return Ok(refused(UNKNOWN_FORMAT));
    };
    if let Some((field, message)) = a.errors.items().first() {
        return Ok(refused(&format!("{message} (field: {field}). Nothing was downloaded.")));
    }
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let list = state.store.impact_records(&viewer, a.period, measure).await?;
    audit_records(&state, &user, &viewer, measure, &a.period, &list, Some(format)).await?;
    Ok(download(
        format,
        &format!("{}-{}-to-{}", measure.key(), a.period.from, a.period.to),
        &[records_sheet(measure, &list)],
    ))
}

/// One headline of Five Minute Facts.
struct Fact {
    number: String,
    words: String,
    href: String,
}

#[derive(Template)]
#[template(path = "five_minute_facts.html")]
struct FactsPage {
    page: Chrome,
    la_name: String,
    period: String,
    query: String,
    facts: Vec<Fact>,
    sentences: Vec<String>,
    charts: Vec<Chart>,
}

/// `/reports/five-minute-facts`: one printable page in plain English.
pub async fn five_minute_facts(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let a = asked(&q);
    if let Some((field, message)) = a.errors.items().first() {
        return Ok(refused(&format!("{message} (field: {field}).")));
    }
    let (viewer, f) = figures_for(&state, &user, a.period).await?;
    let p = a.period;
    let can_health = user.can(Permission::ViewHealth);
    let fact = |m: Measure, words: &str| Fact {
        number: thousands(f.count(m)),
        words: words.into(),
        // Health records only for those who may see them.
        href: if m.is_health() && !can_health { String::new() } else { link(m, &p) },
    };
    let facts = vec![
        fact(Measure::Supported, "young people supported"),
        fact(Measure::HousingInterventions, "times we helped someone find or keep a home"),
        fact(Measure::DirectWorkSessions, "direct-work sessions with personal advisers"),
        fact(Measure::EetInterventions, "times we helped with education, training or work"),
        fact(Measure::EmotionalHealthSessions, "emotional-health sessions"),
        fact(Measure::TrustedMatches, "young people matched with a trusted person"),
    ];
    let mut sentences = Vec::new();
    match (f.eet_rate_at_start(), f.eet_rate_at_end()) {
        (Some(a), Some(b)) => sentences.push(format!(
            "{a}% of young people were in education, employment or training at the start, and {b}% at the end."
        )),
        (_, Some(b)) => {
            sentences.push(format!("{b}% of young people were in education, employment or training at the end."))
        }
        _ => {}
    }
    let moves = f.count(Measure::MovesToSemiIndependent);
    let family = f.count(Measure::ReturnsToFamily);
    let tenancies = f.count(Measure::TenanciesSustained);
    sentences.push(format!(
        "{} moved into semi-independent living, {} went back to live with family and {} kept their own tenancy for 6 months.",
        people(moves),
        people(family),
        people(tenancies)
    ));
    let parents = f.count(Measure::YoungParents);
    let expecting = f.count(Measure::Expecting);
    sentences.push(format!(
        "We supported {} and {} expecting a baby.",
        count_words(parents, "young parent", "young parents"),
        people(expecting)
    ));
    let prevented = f.count(Measure::ParentOutcome(ParentOutcomeKind::EntryPrevented));
    if prevented > 0 {
        sentences.push(format!(
            "Support helped {} stay with their parents instead of coming into care.",
            count_words(prevented, "child", "children")
        ));
    }
    sentences.push(format!(
        "We ran {} and spent {} from the activities allowance.",
        count_words(f.count(Measure::GroupEvents), "group activity", "group activities"),
        Pence(f.spend_pence)
    ));
    if let Some(v) = f.visits_on_time() {
        sentences.push(format!("{v}% of home visits happened on time."));
    }
    let charts = charts(&state, &viewer, &f, &p).await?;
    let details = json!({ "from": p.from.to_string(), "to": p.to.to_string() });
    state.store.record_event(&user.actor(), Some(viewer.la), "view", "five_minute_facts", None, details).await?;
    let page = FactsPage {
        page: Chrome::for_user("Five Minute Facts", &user, "/reports/impact"),
        la_name: user.la.as_ref().map(|la| la.name.to_string()).unwrap_or_default(),
        period: period_words(&p),
        query: p.query(),
        facts,
        sentences,
        charts,
    };
    Ok(Html(page.render()?).into_response())
}

fn count_words(n: u64, one: &str, many: &str) -> String {
    staying_close_domain::words::count(n, one, many)
}

fn people(n: u64) -> String {
    match n {
        0 => "no one".into(),
        1 => "1 young person".into(),
        n => format!("{} young people", thousands(n)),
    }
}

/// The period for the API: both dates, or neither for the last complete
/// financial year.
#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct ApiPeriod {
    /// First day, `YYYY-MM-DD`.
    #[serde(default)]
    from: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    #[serde(default)]
    to: Option<String>,
}

/// The impact report's figures.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ImpactJson {
    pub from: String,
    pub to: String,
    /// Every measure by its key (as in `/reports/impact/{key}`): a count of records.
    pub figures: std::collections::BTreeMap<String, u64>,
    pub activities_spend_pence: i64,
    pub contact_minutes: i64,
    pub eet_rate_at_start_percent: Option<u32>,
    pub eet_rate_at_end_percent: Option<u32>,
    pub visits_on_time_percent: Option<u32>,
    pub reviews_on_time_percent: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/reports/impact", tag = "reports", params(ApiPeriod),
    responses((status = 200, body = ImpactJson), (status = 422, body = crate::error::ApiErrors)), security(("bearer" = [])))]
pub async fn api(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<ApiPeriod>,
) -> Result<Response, AppError> {
    let query = PeriodQuery { from: q.from.unwrap_or_default(), to: q.to.unwrap_or_default(), ..Default::default() };
    let a = asked(&query);
    if !a.errors.is_empty() {
        let errors = a
            .errors
            .items()
            .iter()
            .map(|(field, message)| crate::error::ApiProblem {
                field: Some(field.to_string()),
                message: message.clone(),
            })
            .collect();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, axum::Json(crate::error::ApiErrors { errors })).into_response());
    }
    let (viewer, f) = figures_for(&state, &user, a.period).await?;
    let details = json!({ "from": a.period.from.to_string(), "to": a.period.to.to_string(), "via": "api" });
    state.store.record_event(&user.actor(), Some(viewer.la), "view", "impact_report", None, details).await?;
    Ok(axum::Json(ImpactJson {
        from: a.period.from.to_string(),
        to: a.period.to.to_string(),
        figures: Measure::all().into_iter().map(|m| (m.key(), f.count(m))).collect(),
        activities_spend_pence: f.spend_pence,
        contact_minutes: f.contact_minutes,
        eet_rate_at_start_percent: f.eet_rate_at_start(),
        eet_rate_at_end_percent: f.eet_rate_at_end(),
        visits_on_time_percent: f.visits_on_time(),
        reviews_on_time_percent: f.reviews_on_time(),
    })
    .into_response())
}
