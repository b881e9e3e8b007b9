//! The LA administrator's settings page, with optimistic locking: a save
//! based on an old version is refused and both versions are shown.

use crate::components::{choices, Cell, Choice, Heading, Table};
use crate::forms::Errors;
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use staying_close_domain::dates::format_uk;
use staying_close_domain::la::LaSettings;
use staying_close_domain::money::Pence;
use staying_close_domain::permissions::RecordAccess;
use staying_close_domain::profile::DateParts;
use staying_close_store::{La, LaChanges, StoreError};

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    page: Chrome,
    errors: Errors,
    saved: bool,
    la_name: String,
    csrf_token: String,
    version: i64,
    /// What the form shows: as saved, or as typed.
    form: SettingsForm,
    record_access_choices: Vec<Choice>,
    two_factor_choices: Vec<Choice>,
    /// Their saved settings and yours, when someone else saved first.
    conflict: Option<Table>,
}

#[derive(Deserialize, Default, Clone)]
pub struct SettingsForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    caseload_cap: String,
    #[serde(default)]
    allowance: String,
    #[serde(default)]
    weekly_hours: String,
    #[serde(default)]
    visit_frequency_days: String,
    #[serde(default)]
    record_access: String,
    #[serde(default)]
    require_two_factor: String,
    #[serde(default, rename = "duty_from-day")]
    duty_day: String,
    #[serde(default, rename = "duty_from-month")]
    duty_month: String,
    #[serde(default, rename = "duty_from-year")]
    duty_year: String,
}

impl SettingsForm {
    fn duty_from(&self) -> DateParts {
        DateParts { day: self.duty_day.clone(), month: self.duty_month.clone(), year: self.duty_year.clone() }
    }
}

#[derive(Deserialize)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

fn form_of(la: &La) -> SettingsForm {
    let duty = DateParts::of(la.staying_close_duty_from);
    SettingsForm {
        version: la.version.to_string(),
        caseload_cap: la.settings.caseload_cap.to_string(),
        allowance: format!("{:.2}", la.settings.activities_allowance.0 as f64 / 100.0),
        weekly_hours: la.settings.weekly_support_hours.to_string(),
        visit_frequency_days: la.settings.visit_frequency_days.to_string(),
        record_access: la.record_access.as_str().to_owned(),
        require_two_factor: if la.require_totp_for_all { "yes" } else { "no" }.to_owned(),
        duty_day: duty.day,
        duty_month: duty.month,
        duty_year: duty.year,
    }
}

/// Checks every field, naming each problem; returns the changes when all are fine.
fn parse(form: &SettingsForm, errors: &mut Errors) -> Option<LaChanges> {
    let mut whole = |id: &'static str, label: &str, min: u32, max: u32| -> Option<u32> {
        match form_value(form, id).trim().parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                errors.add(id, format!("{label} must be a whole number from {min} to {max}"));
                None
            }
        }
    };
    let caseload_cap = whole("caseload_cap", "Caseload cap", 1, 100);
    let weekly = whole("weekly_hours", "Weekly support hours", 0, 40);
    let visits = whole("visit_frequency_days", "Days between visits", 1, 90);
    let allowance = match Pence::parse(&form.allowance) {
        Ok(p) if (0..=100_000).contains(&p.0) => Some(p),
        Ok(_) => {
            errors.add("allowance", "Monthly activities allowance must be between £0 and £1,000");
            None
        }
        Err(_) => {
            errors.add("allowance", "Enter the monthly activities allowance in pounds and pence, like 30 or 30.50");
            None
        }
    };
    // Only the values the form offers: anything else is refused, never guessed.
    let record_access = RecordAccess::parse(&form.record_access);
    if record_access.is_none() {
        errors.add("record_access", "Choose which young people practitioners see");
    }
    let require_totp_for_all = match form.require_two_factor.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.add("require_two_factor", "Choose whether everyone needs two-factor authentication");
            None
        }
    };
    // Blank until the duty is in force; the date comes from the commencement order.
    let duty_from = match form.duty_from().parse("The date the duty starts") {
        Ok(None) => Some(None),
        Ok(Some(d)) if d < chrono::NaiveDate::from_ymd_opt(2026, 4, 29).unwrap_or(d) => {
            errors.add(
                "duty_from",
                "The date the duty starts must be on or after 29 April 2026, when the Act was passed",
            );
            None
        }
        Ok(Some(d)) => Some(Some(d)),
        Err(message) => {
            errors.add("duty_from", message);
            None
        }
    };
    Some(LaChanges {
        settings: LaSettings {
            caseload_cap: caseload_cap?,
            activities_allowance: allowance?,
            weekly_support_hours: weekly?,
            visit_frequency_days: visits?,
        },
        record_access: record_access?,
        require_totp_for_all: require_totp_for_all?,
        staying_close_duty_from: duty_from?,
    })
}

fn form_value<'a>(form: &'a SettingsForm, id: &str) -> &'a str {
    match id {
        "caseload_cap" => &form.caseload_cap,
        "weekly_hours" => &form.weekly_hours,
        "visit_frequency_days" => &form.visit_frequency_days,
        _ => &form.allowance,
    }
}

fn render(
    user: &CurrentUser,
    la: &La,
    form: SettingsForm,
    errors: Errors,
    saved: bool,
    conflict: Option<Vec<(&'static str, String, String)>>,
) -> Result<Response, AppError> {
    let title = if conflict.is_some() { "Error: Settings".to_owned() } else { errors.title("Settings") };
    let status = match (&conflict, errors.is_empty()) {
        (Some(_), _) => StatusCode::CONFLICT,
        (None, false) => StatusCode::UNPROCESSABLE_ENTITY,
        (None, true) => StatusCode::OK,
    };
    let conflict = conflict.map(|rows| {
        let headings = ["Setting", "Saved now", "Yours (in the form below)"].map(Heading::new).to_vec();
        let mut table =
            Table::new("Their saved settings and yours", headings).with_visible_caption().with_row_headers();
        for (label, saved_value, yours) in rows {
            table.row(vec![Cell::text(label), Cell::text(saved_value), Cell::text(yours)]);
        }
        table
    });
    let record_access_choices = choices(
        [
            ("team", "The whole Staying Close cohort (suits small teams)"),
            ("caseload", "Only their own caseload and young people shared with them"),
        ],
        &form.record_access,
    );
    let two_factor_choices =
        choices([("yes", "Required for everyone"), ("no", "Optional for practitioners")], &form.require_two_factor);
    let page = SettingsPage {
        page: Chrome::for_user(title, user, "/settings"),
        errors,
        saved,
        la_name: la.name.clone(),
        csrf_token: user.csrf_token(),
        version: la.version,
        form,
        record_access_choices,
        two_factor_choices,
        conflict,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let la_id = user.la.as_ref().ok_or(AppError::NotFound)?.id;
    let la = state.store.la(la_id).await?;
    render(&user, &la, form_of(&la), Errors::default(), saved.saved.is_some(), None)
}

pub async fn save(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    let la_id = user.la.as_ref().ok_or(AppError::NotFound)?.id;
    let current = state.store.la(la_id).await?;
    let mut errors = Errors::default();
    let Some(changes) = parse(&form, &mut errors) else {
        return render(&user, &current, form, errors, false, None);
    };
    let expected: i64 = form.version.trim().parse().unwrap_or(-1);
    match state.store.update_la(la_id, expected, &changes, &user.actor()).await {
        Ok(_) => Ok(Redirect::to("/settings?saved=1").into_response()),
        Err(StoreError::Conflict { .. }) => {
            let theirs = form_of(&current);
            let rows = vec![
                ("Caseload cap", theirs.caseload_cap, form.caseload_cap.clone()),
                (
                    "Monthly activities allowance",
                    format!("£{}", theirs.allowance),
                    format!("£{}", form.allowance.trim()),
                ),
                ("Weekly support hours", theirs.weekly_hours, form.weekly_hours.clone()),
                ("Days between visits", theirs.visit_frequency_days, form.visit_frequency_days.clone()),
                ("Which young people practitioners see", theirs.record_access, form.record_access.clone()),
                (
                    "Two-factor authentication required for everyone",
                    theirs.require_two_factor,
                    form.require_two_factor.clone(),
                ),
                (
                    "Statutory staying close duty starts on",
                    current.staying_close_duty_from.map(format_uk).unwrap_or_else(|| "Not set".into()),
                    form.duty_from().parse("").ok().flatten().map(format_uk).unwrap_or_else(|| "Not set".into()),
                ),
            ];
            // The form keeps what this user typed, and now carries the latest version.
            render(&user, &current, form, errors, false, Some(rows))
        }
        Err(e) => Err(e.into()),
    }
}
