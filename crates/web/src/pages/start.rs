//! The public start page.

use crate::layout::Chrome;
use crate::routes::MaybeUser;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use axum::Extension;

struct LaLine {
    name: String,
    code: String,
}

#[derive(Template)]
#[template(path = "start.html")]
struct StartPage {
    page: Chrome,
    las: Vec<LaLine>,
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<MaybeUser>,
) -> Result<Html<String>, AppError> {
    let las = state.store.list_las().await?;
    let title = "Support for young people leaving children's homes";
    let page = match &user.0 {
        Some(_) => Chrome::for_maybe(title, &user, "/"),
        // A deployment for one LA shows that LA in the header.
        None => Chrome::new(title).with_la((las.len() == 1).then(|| las[0].name.clone())),
    };
    let page = StartPage {
        page,
        las: las.into_iter().map(|la| LaLine { name: la.name, code: la.code.to_string() }).collect(),
    };
    Ok(Html(page.render()?))
}
