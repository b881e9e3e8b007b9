//! Front-end assets embedded at build time (see `build.rs`).

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

pub async fn serve(Path(path): Path<String>) -> Response {
    let wanted = format!("/assets/{path}");
    match ASSETS.iter().find(|(url, _, _)| *url == wanted) {
        Some((_, content_type, bytes)) => {
            ([(header::CONTENT_TYPE, *content_type), (header::CACHE_CONTROL, "public, max-age=86400")], *bytes)
                .into_response()
        }
        None => {
            (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "Not found").into_response()
        }
    }
}
