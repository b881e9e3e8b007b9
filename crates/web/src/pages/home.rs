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
    /// For the LA administrator: the Local Offer's review, when due.
    offer_review: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Html<String>, AppError> {
    let (mut caseload, mut visible) = (None, None);
    if let (Some(viewer), true) = (user.viewer(), user.can(Permission::ViewCohort)) {
        // Counts only: never the whole list to draw two numbers.
        if user.staff.role == Role::PersonalAdviser {
            caseload = Some(state.store.caseload_count(viewer.la, user.staff.id).await? as usize);
        }
        let everyone = staying_close_store::CohortQuery { per_page: 0, ..Default::default() };
        visible = Some(
            state.store.cohort_page(&viewer, &everyone, crate::pages::young_people::today()).await?.matching as usize,
        );
    }
    let cap = user.la.as_ref().map(|la| la.settings.caseload_cap);
    let offer_review = match (&user.la, user.can(Permission::ManageSettings)) {
        (Some(la), true) => crate::pages::offer::review_due(
            state.store.latest_offer_review(la.id).await?.as_ref(),
            crate::pages::young_people::today(),
        ),
        _ => None,
    };
    let page = HomePage {
        page: Chrome::for_user("Home", &user, "/home"),
        first_name: user.staff.display_name.split_whitespace().next().unwrap_or_default().to_owned(),
        role: user.staff.role.label(),
        over_cap: matches!((caseload, cap), (Some(n), Some(c)) if n > c as usize),
        caseload,
        cap: cap.filter(|_| caseload.is_some()),
        visible,
        totp: user.staff.totp_enabled,
        offer_review,
    };
    Ok(Html(page.render()?))
}
