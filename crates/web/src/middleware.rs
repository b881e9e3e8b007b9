//! The layers every request passes through, outermost first.

use crate::error::{ErrorKind, ErrorPage};
use crate::layout::Chrome;
use crate::WebConfig;
use askama::Template;
use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use std::any::Any;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// No inline script or style anywhere; nothing may frame the service.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

pub fn wrap(routes: Router, config: &WebConfig) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    let hsts_config = config.clone();
    let hsts = axum::middleware::from_fn(move |req: Request, next: Next| {
        let secure = crate::identity::is_secure(&hsts_config, req.headers());
        async move { strict_transport_security(secure, next.run(req).await) }
    });
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request<Body>| {
            // The route template, never the raw path or query: those can carry personal data.
            let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned());
            let request_id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!(
                "request",
                method = %req.method(),
                route = route.as_deref().unwrap_or("(unmatched)"),
                request_id = %request_id,
            )
        })
        .on_response(DefaultOnResponse::new().level(Level::INFO));

    let layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // Pages, API answers and exports hold personal data: no browser or
        // proxy may keep them (ASVS V8.2.1). Assets set their own caching.
        .layer(header(header::CACHE_CONTROL, "no-store"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(HeaderName::from_static("cross-origin-opener-policy"), "same-origin"))
        .layer(header(HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()"))
        .layer(hsts)
        // Error pages are drawn outside the panic catcher, so a panic gets one too,
        // and inside the header layers, so error pages carry the same headers.
        .layer(axum::middleware::from_fn(render_error_pages))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout))
        // Inside the timeout: when it fires, or the client hangs up, only the
        // wait is dropped and the handler finishes its work (ADR 0005).
        .layer(axum::middleware::from_fn(run_to_completion))
        .layer(axum::extract::DefaultBodyLimit::max(config.max_body_bytes));
    routes.layer(layers)
}

/// Runs the rest of the request (access check, handler, database work) in a
/// task of its own and waits for it. Dropping the wait, as hyper does when a
/// client disconnects and the timeout layer does when time is up, leaves the
/// task to finish, so no request is ever stopped between two statements.
async fn run_to_completion(req: Request, next: Next) -> Response {
    use tracing::Instrument;
    let task = tokio::spawn(next.run(req).in_current_span());
    match task.await {
        Ok(response) => response,
        // Re-raised here, so the panic layer draws the usual error page.
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// HSTS, only on responses to HTTPS requests (directly or via a trusted proxy).
fn strict_transport_security(secure: bool, mut response: Response) -> Response {
    if secure {
        response
            .headers_mut()
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}

fn panic_response(_panic: Box<dyn Any + Send + 'static>) -> Response {
    // The panic message may hold data; it is not logged or shown.
    tracing::error!("request handler panicked");
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.extensions_mut().insert(ErrorPage(StatusCode::INTERNAL_SERVER_ERROR, ErrorKind::ServerError));
    response
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    page: Chrome,
    heading: &'static str,
    paragraphs: Vec<&'static str>,
    reference: Option<String>,
}

pub(crate) fn error_page(status: StatusCode, kind: ErrorKind, reference: Option<String>) -> Response {
    let (heading, paragraphs) = match kind {
        ErrorKind::NotFound => (
            "Page not found",
            vec![
                "If you typed the web address, check it is correct.",
                "If you pasted the web address, check you copied the entire address.",
            ],
        ),
        ErrorKind::Forbidden => (
            "You cannot see this page",
            vec!["Your role does not include this part of the service. If you need it for your work, ask your team manager."],
        ),
        ErrorKind::FormExpired => (
            "Sorry, that form could not be sent",
            vec!["The form was out of date or came from another website. Go back, reload the page and try again."],
        ),
        ErrorKind::TooLarge => ("The file or form is too large", vec!["Go back and send something smaller."]),
        ErrorKind::Unavailable => (
            "Sorry, the service is unavailable",
            vec!["The service cannot reach its database at the moment. Try again in a few minutes.", "Nothing you had saved has been lost."],
        ),
        ErrorKind::ServerError => (
            "Sorry, there is a problem with the service",
            vec!["Try again later.", "If you were saving something, check whether it was saved before you enter it again."],
        ),
    };
    let template = ErrorTemplate { page: Chrome::new(heading), heading, paragraphs, reference };
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, heading).into_response(),
    }
}

/// Replaces the body of responses marked with [`ErrorPage`] by the GOV.UK
/// error page, quoting the request id so support can find the log lines.
async fn render_error_pages(req: Request, next: Next) -> Response {
    let reference = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let response = next.run(req).await;
    match response.extensions().get::<ErrorPage>() {
        Some(ErrorPage(status, kind)) => {
            let reference = status.is_server_error().then_some(reference).flatten();
            error_page(*status, *kind, reference)
        }
        None => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn boom() -> &'static str {
        panic!("handler bug")
    }

    #[tokio::test]
    async fn a_panicking_handler_gets_the_500_page_with_a_reference() {
        let app = wrap(Router::new().route("/boom", get(boom)), &WebConfig::default());
        let request = Request::builder().uri("/boom").header("x-request-id", "ref-42").body(Body::empty()).unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        let html = String::from_utf8(body.to_vec()).unwrap();
        assert!(html.contains("Sorry, there is a problem with the service"));
        assert!(html.contains("<strong>ref-42</strong>"), "the page quotes the request id");
        assert!(!html.contains("handler bug"), "the panic message is never shown");
    }
}
