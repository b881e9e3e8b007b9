//! The signed-in home page.

use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use axum::Extension;
use staying_close_domain::permissions::Permission;
use staying_close_domain::roles::Role;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Chrome,
    first_name: String,
    role: &'static str,
    caseload: Option<usize>,
    cap: Option<u32>,
    over_cap: bool,
    visible: Option<usize>,
    totp: bool,
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Html<String>, AppError> {
    let (mut caseload, mut visible) = (None, None);
    if let (Some(viewer), true) = (user.viewer(), user.can(Permission::ViewCohort)) {
        let cohort = state.store.cohort_for(&viewer).await?;
        if user.staff.role == Role::PersonalAdviser {
            caseload = Some(
                cohort
                    .iter()
                    .filter(|r| {
                        r.adviser_id == Some(user.staff.id)
                            && r.cohort_status == staying_close_domain::people::CohortStatus::Active
                    })
                    .count(),
            );
        }
        visible = Some(cohort.len());
    }
    let cap = user.la.as_ref().map(|la| la.settings.caseload_cap);
    let page = HomePage {
        page: Chrome::for_user("Home", &user, "/home"),
        first_name: user.staff.display_name.split_whitespace().next().unwrap_or_default().to_owned(),
        role: user.staff.role.label(),
        over_cap: matches!((caseload, cap), (Some(n), Some(c)) if n > c as usize),
        caseload,
        cap: cap.filter(|_| caseload.is_some()),
        visible,
        totp: user.staff.totp_enabled,
    };
    Ok(Html(page.render()?))
}
