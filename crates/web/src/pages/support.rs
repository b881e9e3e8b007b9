//! Statutory staying close support for one young person (s.23CZAA): whether
//! the duty is owed — shown apart from the programme's own eligibility —
//! the assessments on record, the support their contacts gave by the
//! statute's areas and forms, and the form to record an assessment.

use crate::components::{choices, Cell, Choice, Heading, SummaryRow, Table};
use crate::forms::{Errors, Fields};
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::young_people::today;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use staying_close_domain::dates::format_uk;
use staying_close_domain::eligibility::{assess, Rules};
use staying_close_domain::permissions::Permission;
use staying_close_domain::profile::DateParts;
use staying_close_domain::roles::Role;
use staying_close_domain::statutory::{AssessmentInput, AssessmentOutcome, Duty};
use staying_close_domain::visits::duration_words;

#[derive(Template)]
#[template(path = "support.html")]
struct SupportPage {
    page: Chrome,
    errors: Errors,
    csrf_token: String,
    id: i64,
    name: String,
    banner: Option<&'static str>,
    status: Vec<SummaryRow>,
    duty_set: bool,
    can_assess: bool,
    cards: Vec<(String, Vec<SummaryRow>)>,
    given: Table,
    input: AssessmentInput,
    assessors: Vec<Choice>,
    outcomes: Vec<Choice>,
}

#[derive(Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

use crate::pages::young_people::{open as load, Opened as Loaded};

/// Staff who may have assessed: those who can record an assessment.
async fn assessors(state: &AppState, user: &CurrentUser) -> Result<Vec<(i64, String)>, AppError> {
    let la = user.la.as_ref().ok_or(AppError::NotFound)?.id;
    let roles: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| staying_close_domain::permissions::allows(*r, Permission::AssessSupport))
        .collect();
    Ok(state.store.staff_names_in(la, &roles).await?.into_iter().map(|(id, n)| (id.0, n)).collect())
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    loaded: &Loaded,
    banner: Option<&'static str>,
    input: AssessmentInput,
    errors: Errors,
    status_code: StatusCode,
) -> Result<Response, AppError> {
    let (la, person) = (loaded.viewer.la, &loaded.person);
    let today = today();
    let duty_from = user.la.as_ref().and_then(|l| l.staying_close_duty_from);
    let episodes = state.store.episodes(la, person.id).await?;
    let facts = assess(person.date_of_birth, &episodes, today, &Rules::default());
    let duty = Duty::of(facts.care_leaver_status, person.date_of_birth, today, duty_from);
    let status = vec![
        SummaryRow::text("Statutory staying close support", duty.words()),
        SummaryRow::text("Care-leaver status", facts.care_leaver_status.label()),
        SummaryRow::text(
            "Staying Close programme",
            if facts.staying_close_eligible {
                "Eligible for the programme (13 weeks in residential care after their 14th birthday). This is separate from the statutory duty."
            } else {
                "Not eligible for the programme (it needs 13 weeks in residential care after their 14th birthday). This is separate from the statutory duty."
            },
        ),
    ];
    let assessments = state.store.staying_close_assessments(la, person.id).await?;
    let cards = assessments
        .iter()
        .map(|a| {
            let mut rows = vec![
                SummaryRow::text("Decision", a.outcome.label()),
                SummaryRow::text("Assessed by", &a.assessed_by),
                SummaryRow::text("Reasons", &a.reasons),
            ];
            if let Some(view) = &a.their_view {
                rows.push(SummaryRow::text("Their view", view));
            }
            (format!("Assessment on {}", format_uk(a.assessed_on)), rows)
        })
        .collect();
    let mut given = Table::new(
        "Staying close support given, from contacts",
        vec![Heading::new("Area"), Heading::new("Form"), Heading::numeric("Contacts"), Heading::new("Time")],
    );
    for g in state.store.support_given(la, person.id).await? {
        given.row(vec![
            Cell::text(g.area.label()),
            Cell::text(g.form.label()),
            Cell::number(g.contacts),
            Cell::text(duration_words(g.minutes)),
        ]);
    }
    let staff = assessors(state, user).await?;
    let mut assessor_choices = vec![Choice { value: String::new(), label: "Choose who".into(), checked: false }];
    assessor_choices.extend(staff.iter().map(|(id, n)| Choice {
        value: id.to_string(),
        label: n.clone(),
        checked: input.assessed_by.trim() == id.to_string(),
    }));
    let outcomes = choices(AssessmentOutcome::ALL.iter().map(|o| (o.code(), o.label())), input.outcome.trim());
    let page = SupportPage {
        page: Chrome::for_user(
            errors.title(&format!("Staying close support for {}", loaded.name)),
            user,
            "/young-people",
        ),
        errors,
        csrf_token: user.csrf_token(),
        id: person.id.0,
        name: loaded.name.clone(),
        banner,
        status,
        duty_set: duty_from.is_some(),
        can_assess: user.can(Permission::AssessSupport),
        cards,
        given,
        input,
        assessors: assessor_choices,
        outcomes,
    };
    Ok((status_code, Html(page.render()?)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &id, "staying_close_support").await?;
    let banner = (q.saved.as_deref() == Some("assessment")).then_some("Assessment recorded.");
    let input = AssessmentInput {
        assessed_on: DateParts::of(Some(today())),
        assessed_by: user.staff.id.0.to_string(),
        ..AssessmentInput::default()
    };
    render(&state, &user, &loaded, banner, input, Errors::default(), StatusCode::OK).await
}

pub async fn record(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &id, "record_assessment").await?;
    let input = AssessmentInput {
        assessed_on: fields.date("assessed_on"),
        assessed_by: fields.get("assessed_by").to_owned(),
        outcome: fields.get("outcome").to_owned(),
        reasons: fields.get("reasons").to_owned(),
        their_view: fields.get("their_view").to_owned(),
    };
    if user.la.as_ref().and_then(|l| l.staying_close_duty_from).is_none() {
        // No duty yet: nothing to assess against (the form is not offered either).
        let mut errors = Errors::default();
        errors.add(
            "assessed_on",
            "The statutory duty has not started for your local authority, so there is nothing to assess yet",
        );
        return render(&state, &user, &loaded, None, input, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let known: Vec<i64> = assessors(&state, &user).await?.into_iter().map(|(id, _)| id).collect();
    match input.parse(&known, today()) {
        Ok(assessment) => {
            state.store.record_assessment(&loaded.viewer, loaded.person.id, &assessment, &user.actor()).await?;
            Ok(Redirect::to(&format!("/young-people/{}/staying-close-support?saved=assessment", loaded.person.id.0))
                .into_response())
        }
        Err(errors) => {
            render(&state, &user, &loaded, None, input, errors.into(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
