//! Uploading SSDA903 files for the manager's own LA.

use crate::components::{Cell, Heading, SummaryRow, Table};
use crate::forms::Errors;
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use axum::Form;
use serde::Deserialize;
use staying_close_domain::ssda903_files::parse_import;
use staying_close_store::{ImportFiles, ImportSummary};

/// One problem found in the files, for the table of problems.
struct Problem {
    file: String,
    line: usize,
    column: String,
    value: String,
    reason: String,
}

fn problems_table(problems: &[Problem]) -> Table {
    let headings = vec![
        Heading::new("File"),
        Heading::numeric("Line"),
        Heading::new("Column"),
        Heading::new("Value"),
        Heading::new("Problem"),
    ];
    let mut table = Table::new("Problems in the files", headings);
    for p in problems {
        table.row(vec![
            Cell::text(&p.file),
            Cell::number(p.line),
            Cell::text(&p.column),
            Cell::text(&p.value),
            Cell::text(&p.reason),
        ]);
    }
    table
}

struct Done {
    headline: String,
    lines: Vec<String>,
}

/// Files that passed every check, waiting for the uploader to confirm them.
struct Check {
    files: String,
    token: String,
    changes: Vec<SummaryRow>,
    changes_anything: bool,
}

#[derive(Template)]
#[template(path = "imports.html")]
struct ImportsPage {
    page: Chrome,
    errors: Errors,
    la_name: String,
    csrf_token: String,
    problem_count: usize,
    problems: Table,
    summary: Option<Done>,
    check: Option<Check>,
}

fn render(
    user: &CurrentUser,
    errors: Errors,
    problems: Vec<Problem>,
    summary: Option<Done>,
) -> Result<Response, AppError> {
    render_page(user, errors, problems, summary, None)
}

fn render_page(
    user: &CurrentUser,
    errors: Errors,
    problems: Vec<Problem>,
    summary: Option<Done>,
    check: Option<Check>,
) -> Result<Response, AppError> {
    let title = match (&check, problems.is_empty()) {
        (Some(_), _) => "Check what the import will change".to_owned(),
        (None, true) => errors.title("Import SSDA903 data"),
        (None, false) => "Error: Import SSDA903 data".to_owned(),
    };
    let page = ImportsPage {
        page: Chrome::for_user(title, user, "/imports"),
        errors,
        la_name: user.la.as_ref().map(|la| la.name.clone()).unwrap_or_default(),
        csrf_token: user.csrf_token(),
        problem_count: problems.len(),
        problems: problems_table(&problems),
        summary,
        check,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn show(Extension(user): Extension<CurrentUser>) -> Result<Response, AppError> {
    render(&user, Errors::default(), Vec::new(), None)
}

/// "1 child", "2 children".
fn children(n: usize) -> String {
    count(n, "child", "children")
}

fn count(n: usize, one: &str, many: &str) -> String {
    staying_close_domain::words::count(n as u64, one, many)
}

fn done(summary: &ImportSummary) -> Done {
    if !summary.changed_anything() {
        return Done {
            headline: format!(
                "{} checked: nothing had changed since the last import",
                children(summary.children_in_files)
            ),
            lines: Vec::new(),
        };
    }
    Done {
        headline: format!("{} imported", children(summary.children_in_files)),
        lines: vec![
            format!("Young people added: {}", summary.young_people_created),
            format!("Young people updated: {}", summary.young_people_updated),
            format!(
                "Care histories replaced: {} ({} episodes)",
                summary.episode_histories_replaced, summary.episodes_written
            ),
            format!("Care-leaver outcomes updated: {}", summary.outcomes_written),
        ],
    }
}

pub async fn upload(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let la = user.la.clone().ok_or(AppError::NotFound)?;
    let (mut header, mut episodes, mut oc3) = (None, None, None);
    let mut names = (String::from("Header file"), String::from("Episodes file"), String::from("OC3 file"));
    let mut errors = Errors::default();
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().filter(|f| !f.is_empty()).map(str::to_owned);
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(_) => {
                errors.add("header", "The upload did not finish. Try again");
                break;
            }
        };
        if bytes.is_empty() {
            continue;
        }
        let text = match String::from_utf8(bytes.to_vec()) {
            Ok(t) => t,
            Err(_) => {
                let field_id = match name.as_str() {
                    "episodes" => "episodes",
                    _ => "header",
                };
                errors.add(field_id, "The file must be a CSV file saved as UTF-8 text");
                continue;
            }
        };
        match name.as_str() {
            "header" => {
                header = Some(text);
                names.0 = file_name.unwrap_or(names.0);
            }
            "episodes" => {
                episodes = Some(text);
                names.1 = file_name.unwrap_or(names.1);
            }
            "oc3" => {
                oc3 = Some(text);
                names.2 = file_name.unwrap_or(names.2);
            }
            _ => {}
        }
    }
    if header.is_none() && errors.get("header").is_none() {
        errors.add("header", "Choose the Header file");
    }
    if episodes.is_none() && errors.get("episodes").is_none() {
        errors.add("episodes", "Choose the Episodes file");
    }
    let (Some(header), Some(episodes), true) = (header, episodes, errors.is_empty()) else {
        return render(&user, errors, Vec::new(), None);
    };
    match parse_import(&header, &episodes, oc3.as_deref()) {
        Err(found) => {
            let problems = found
                .into_iter()
                .map(|e| Problem {
                    file: match e.file {
                        "header" => names.0.clone(),
                        "episodes" => names.1.clone(),
                        _ => names.2.clone(),
                    },
                    line: e.error.line,
                    column: e.error.column,
                    value: e.error.value,
                    reason: e.error.reason,
                })
                .collect();
            render(&user, errors, problems, None)
        }
        Ok(import) => {
            let files = [Some(&names.0), Some(&names.1), oc3.as_ref().map(|_| &names.2)]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            // Nothing is imported yet: show what would change and hold the files.
            let preview = state.store.preview_903(la.id, std::sync::Arc::new(import), &user.actor()).await?;
            let held = ImportFiles { names: files.clone(), header, episodes, oc3 };
            let token = state.store.hold_import(la.id, &user.staff, held, &preview, &user.actor()).await?;
            render_page(&user, errors, Vec::new(), None, Some(check(files, token, &preview)))
        }
    }
}

fn check(files: String, token: String, preview: &ImportSummary) -> Check {
    let changes = vec![
        SummaryRow::text("Children in the files", children(preview.children_in_files)),
        SummaryRow::text("Young people to add", count(preview.young_people_created, "young person", "young people")),
        SummaryRow::text(
            "Young people whose details change",
            count(preview.young_people_updated, "young person", "young people"),
        ),
        SummaryRow::text(
            "Care histories to replace",
            format!(
                "{} ({})",
                count(preview.episode_histories_replaced, "history", "histories"),
                count(preview.episodes_written, "episode", "episodes")
            ),
        ),
        SummaryRow::text("Care-leaver outcomes to update", count(preview.outcomes_written, "outcome", "outcomes")),
    ];
    Check { files, token, changes, changes_anything: preview.changed_anything() }
}

#[derive(Deserialize)]
pub struct Confirm {
    #[serde(default)]
    token: String,
}

/// Imports the files this person checked a moment ago.
pub async fn confirm(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Form(form): Form<Confirm>,
) -> Result<Response, AppError> {
    let la = user.la.clone().ok_or(AppError::NotFound)?;
    match state.store.confirm_held_import(la.id, &user.staff, &form.token, &user.actor()).await? {
        Some(summary) => render(&user, Errors::default(), Vec::new(), Some(done(&summary))),
        None => {
            let mut errors = Errors::default();
            errors.add(
                "header",
                "The checked files were imported already or are more than an hour old. Upload them again to check them",
            );
            render(&user, errors, Vec::new(), None)
        }
    }
}
