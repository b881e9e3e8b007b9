//! The cohort list and a young person's record, with eligibility explained.

use crate::components::{Cell, Heading, Part, SummaryRow, Table};
use crate::forms::Errors;
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::Extension;
use chrono::NaiveDate;
use serde::Deserialize;
use staying_close_domain::dates::{age_on, format_uk, LeapDayRule};
use staying_close_domain::eligibility::{assess, CountedPeriod, Rules};
use staying_close_domain::ssda903::{LEGAL_STATUS, PLACEMENT};
use staying_close_store::YoungPersonId;

/// What pages say for a young person whose name is not recorded.
pub const NAME_NOT_RECORDED: &str = "Name not recorded";

/// A young person opened for one of their pages: the read is audited as
/// `via`, and someone outside the viewer's scope gets a 404 (also audited).
pub(crate) struct Opened {
    pub viewer: staying_close_store::Viewer,
    pub person: staying_close_store::YoungPerson,
    /// Their name, or "child ID …" when none is recorded.
    pub name: String,
}

pub(crate) async fn open(state: &crate::AppState, user: &CurrentUser, id: &str, via: &str) -> Result<Opened, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let id = id.parse().map(YoungPersonId).map_err(|_| AppError::NotFound)?;
    let person = state.store.open_young_person(&viewer, &user.actor(), id, via).await?;
    let name = person.display_name().unwrap_or_else(|| format!("child ID {}", person.child_id));
    Ok(Opened { viewer, person, name })
}

pub fn today() -> NaiveDate {
    staying_close_domain::dates::uk_today()
}

#[derive(Template)]
#[template(path = "young_person.html")]
struct RecordPage {
    page: Chrome,
    errors: Errors,
    id: i64,
    /// `None` when no name is recorded.
    name: Option<String>,
    details: Vec<SummaryRow>,
    about: Vec<SummaryRow>,
    banner: Option<&'static str>,
    closed: Option<String>,
    can_edit: bool,
    /// Health records are special-category data: linked only for roles that may see them.
    can_view_health: bool,
    can_close: bool,
    /// Where the visit schedule stands, in words and tag colour.
    visits: Option<(String, &'static str)>,
    csrf_token: String,
    version: i64,
    on_day: String,
    on_month: String,
    on_year: String,
    eligibility: Vec<SummaryRow>,
    reasons: Vec<String>,
    for_review: Vec<String>,
    periods: Table,
}

/// Each episode, what it counts and why.
fn periods_table(periods: &[CountedPeriod]) -> Table {
    let headings = vec![
        Heading::new("From"),
        Heading::new("To"),
        Heading::new("Placement"),
        Heading::new("Legal status"),
        Heading::numeric("Looked-after days"),
        Heading::numeric("Residential days"),
        Heading::new("How it counts"),
    ];
    let code = |list: &staying_close_domain::ssda903::CodeList, c: &str| match list.meaning(c) {
        Some(m) => format!("{c} {m}"),
        None => c.to_owned(),
    };
    let mut table = Table::new("Care episodes and the days each counts", headings);
    for p in periods {
        table.row(vec![
            Cell::text(format_uk(p.decom)),
            Cell::text(p.dec.map(format_uk).unwrap_or_else(|| "Open".into())),
            Cell::text(code(&PLACEMENT, &p.placement)),
            Cell::text(code(&LEGAL_STATUS, &p.legal_status)),
            Cell::number(p.looked_after_days),
            Cell::number(p.residential_days),
            Cell::text(capitalise(p.note.clone())),
        ]);
    }
    table
}

#[derive(Deserialize, Default)]
pub struct AsAt {
    /// What was just saved, for the success banner.
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    day: String,
    #[serde(default)]
    month: String,
    #[serde(default)]
    year: String,
}

/// Reads the GOV.UK date input; blank means today.
fn as_at_date(q: &AsAt) -> Result<Option<NaiveDate>, &'static str> {
    let (d, m, y) = (q.day.trim(), q.month.trim(), q.year.trim());
    if d.is_empty() && m.is_empty() && y.is_empty() {
        return Ok(None);
    }
    if d.is_empty() || m.is_empty() || y.is_empty() {
        return Err("The as-at date must include a day, month and year");
    }
    let parsed = (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>());
    match parsed {
        (Ok(d), Ok(m), Ok(y)) if (1900..=2200).contains(&y) => {
            NaiveDate::from_ymd_opt(y, m, d).map(Some).ok_or("The as-at date must be a real date")
        }
        _ => Err("The as-at date must be a real date"),
    }
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<AsAt>,
) -> Result<Html<String>, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let id = YoungPersonId(id.parse().map_err(|_| AppError::NotFound)?);
    let person = state.store.open_young_person(&viewer, &user.actor(), id, "page").await?;
    let mut errors = Errors::default();
    let as_at = match as_at_date(&q) {
        Ok(date) => date.unwrap_or_else(today),
        Err(message) => {
            errors.add("on-day", message);
            today()
        }
    };
    let episodes = state.store.episodes(viewer.la, person.id).await?;
    let a = assess(person.date_of_birth, &episodes, as_at, &Rules::default());
    let adviser = match person.personal_adviser {
        Some(staff) => {
            state.store.staff_by_id(staff).await.map(|s| s.display_name).unwrap_or_else(|_| "Unknown".into())
        }
        None => "Not allocated".into(),
    };
    let name = person.display_name();
    let details = vec![
        SummaryRow::text("Child ID", person.child_id.to_string()),
        SummaryRow::text("Sex", person.sex.map(|s| s.label()).unwrap_or("Not recorded")),
        SummaryRow::text(
            "Date of birth",
            format!(
                "{} (aged {})",
                format_uk(person.date_of_birth),
                age_on(person.date_of_birth, today(), LeapDayRule::default())
            ),
        ),
        SummaryRow::text("Personal adviser", adviser),
        SummaryRow::text("With the team", person.cohort_status.label()),
    ];
    let eligible =
        if a.staying_close_eligible { Part::tag("Eligible", "green") } else { Part::tag("Not eligible", "grey") };
    let eligibility = vec![
        SummaryRow::parts("Staying Close", vec![eligible, Part::text(format!("as at {}", format_uk(as_at)))]),
        SummaryRow::text("Residential days after 14", format!("{} (13 weeks is 91)", a.residential_days_after_14)),
        SummaryRow::text("Looked-after days after 14", a.looked_after_days_after_14.to_string()),
        SummaryRow::text("Care-leaver status", a.care_leaver_status.label()),
        SummaryRow::text(
            "Personal adviser until",
            a.personal_adviser_until.map(format_uk).unwrap_or_else(|| "No personal adviser duty".into()),
        ),
    ];
    let banner = match q.saved.as_deref() {
        Some("added") => Some("Young person added."),
        Some("record") => Some("Record saved."),
        Some("closed") => Some("Record closed. It stays here, and you can reopen it."),
        Some("reopened") => Some("Record reopened."),
        _ => None,
    };
    let closed = person.details.closed.as_ref().map(|c| {
        let note = c.note.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
        format!("Closed on {}: {}.{note}", format_uk(c.on), c.reason.label().to_lowercase())
    });
    let (can_edit, can_close) = crate::pages::record::record_actions(&user);
    let visits = state
        .store
        .visit_schedule(viewer.la, person.id)
        .await?
        .map(|s| crate::pages::contacts::visit_status_words(s.schedule.status(s.last_home_visit_on, today())));
    let page = RecordPage {
        page: Chrome::for_user(errors.title(name.as_deref().unwrap_or(NAME_NOT_RECORDED)), &user, "/young-people"),
        errors,
        id: person.id.0,
        name,
        details,
        about: about_rows(&person),
        banner,
        closed,
        can_edit,
        can_view_health: user.can(staying_close_domain::permissions::Permission::ViewHealth),
        can_close,
        visits,
        csrf_token: user.csrf_token(),
        version: person.version,
        on_day: q.day.trim().to_owned(),
        on_month: q.month.trim().to_owned(),
        on_year: q.year.trim().to_owned(),
        eligibility,
        reasons: a.reasons.iter().map(|r| r.rule.clone()).map(capitalise).collect(),
        for_review: a.for_review.iter().map(|r| r.rule.clone()).map(capitalise).collect(),
        periods: periods_table(&a.periods),
    };
    Ok(Html(page.render()?))
}

/// What practitioners have recorded, leaving out what is not recorded.
fn about_rows(person: &staying_close_store::YoungPerson) -> Vec<SummaryRow> {
    let d = &person.details;
    let mut rows = Vec::new();
    let mut text = |key: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            rows.push(SummaryRow::text(key, value));
        }
    };
    text("Preferred name", person.preferred_name.clone());
    text("Legal name", Some(format!("{} {}", person.first_name, person.last_name)).filter(|n| n.trim() != ""));
    text("Pronouns", d.pronouns.clone());
    text("Unique pupil number", d.upn.map(|u| u.to_string()));
    text("NHS number", d.nhs_number.map(|n| n.spaced()));
    text("Phone", d.phone.clone());
    text("Email", d.email.clone());
    text("Address", d.address.clone());
    text("Languages", d.languages.clone());
    text("Faith", d.faith.clone());
    let celebrations: Vec<&str> = d.celebrations.iter().map(|c| c.label()).collect();
    text("Celebrations to mark", Some(celebrations.join(", ")));
    text("Disabilities", d.disabilities.clone());
    text("Communication needs", d.communication_needs.clone());
    let family = match (d.young_parent, d.expecting) {
        (true, true) => Some("A parent, and expecting a baby"),
        (true, false) => Some("A parent"),
        (false, true) => Some("Expecting a baby"),
        (false, false) => None,
    };
    text("Parenthood", family.map(str::to_owned));
    text("Children's home they left", d.home_left.clone());
    text("Contact at the home", d.home_contact.clone());
    text("Care ended", d.care_ended_on.map(format_uk));
    let staying_close = match (d.staying_close_start, d.staying_close_end) {
        (Some(start), Some(end)) => Some(format!("{} to {}", format_uk(start), format_uk(end))),
        (Some(start), None) => Some(format!("Since {}", format_uk(start))),
        (None, Some(end)) => Some(format!("Until {}", format_uk(end))),
        (None, None) => None,
    };
    text("Staying Close", staying_close);
    rows
}

fn capitalise(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}
