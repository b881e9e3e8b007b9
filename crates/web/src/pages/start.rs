//! The public start page.

use crate::layout::Chrome;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::response::Html;

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

pub async fn show(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let las = state.store.list_las().await?;
    // A deployment for one LA shows that LA in the header.
    let la_name = (las.len() == 1).then(|| las[0].name.clone());
    let page = StartPage {
        page: Chrome::new("Support for young people leaving children's homes").with_la(la_name),
        las: las.into_iter().map(|la| LaLine { name: la.name, code: la.code.to_string() }).collect(),
    };
    Ok(Html(page.render()?))
}
