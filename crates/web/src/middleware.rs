//! The layers every request passes through, outermost first.

use crate::error::{ApiErrors, ApiProblem, ErrorKind, ErrorPage};
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
        .layer(axum::middleware::from_fn(drop_unsafe_request_id))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // Pages, API answers and exports hold personal data: no browser or
        // proxy may keep them (ASVS V14.3.2). Assets set their own caching.
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

/// Whether a caller's `X-Request-Id` may be kept: at most 64 characters of
/// letters, digits, `.`, `_` and `-`. Anything else could forge log lines or
/// fill them, and is replaced by a new id.
fn safe_request_id(value: &[u8]) -> bool {
    (1..=64).contains(&value.len()) && value.iter().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(b))
}

async fn drop_unsafe_request_id(mut req: Request, next: Next) -> Response {
    if req.headers().get(&REQUEST_ID).is_some_and(|v| !safe_request_id(v.as_bytes())) {
        req.headers_mut().remove(&REQUEST_ID);
    }
    next.run(req).await
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
    ErrorPage::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorKind::ServerError).into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    page: Chrome,
    heading: &'static str,
    detail: Option<String>,
    paragraphs: &'static [&'static str],
    reference: Option<String>,
}

pub(crate) fn error_page(error: &ErrorPage, reference: Option<String>) -> Response {
    let (heading, paragraphs) = error.kind.words();
    let template =
        ErrorTemplate { page: Chrome::new(heading), heading, detail: error.detail.clone(), paragraphs, reference };
    match template.render() {
        Ok(html) => (error.status, Html(html)).into_response(),
        Err(_) => (error.status, heading).into_response(),
    }
}

/// The API's JSON error body for the same error.
fn api_error_body(error: &ErrorPage, reference: Option<String>) -> Response {
    let heading = match error.kind {
        ErrorKind::NotFound => "Not found",
        kind => kind.words().0,
    };
    let mut message = error.detail.clone().unwrap_or_else(|| heading.to_owned());
    if let Some(reference) = reference {
        message.push_str(&format!(" (reference {reference})"));
    }
    let body = ApiErrors { errors: vec![ApiProblem { field: None, message }] };
    (error.status, axum::Json(body)).into_response()
}

/// Replaces the body of responses marked with [`ErrorPage`] (and of the
/// timeout layer's bare 408) by the GOV.UK error page, or by a JSON error
/// under `/api/`, quoting the request id so support can find the log lines.
async fn render_error_pages(req: Request, next: Next) -> Response {
    let reference = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let api = req.uri().path().starts_with("/api/");
    let response = next.run(req).await;
    let marked = match response.extensions().get::<ErrorPage>() {
        Some(page) => page.clone(),
        None if response.status() == StatusCode::REQUEST_TIMEOUT => {
            ErrorPage::new(StatusCode::REQUEST_TIMEOUT, ErrorKind::TimedOut)
        }
        None => return response,
    };
    let reference = marked.status.is_server_error().then_some(reference).flatten();
    if api {
        api_error_body(&marked, reference)
    } else {
        error_page(&marked, reference)
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

    /// A handler that says when it has started, waits to be let go, then
    /// says when it has finished.
    #[derive(Clone, Default)]
    struct Gate {
        started: std::sync::Arc<tokio::sync::Notify>,
        go: std::sync::Arc<tokio::sync::Notify>,
        finished: std::sync::Arc<std::sync::atomic::AtomicBool>,
    }

    fn gated(gate: &Gate, config: &WebConfig) -> Router {
        let g = gate.clone();
        let handler = move || async move {
            g.started.notify_one();
            g.go.notified().await;
            g.finished.store(true, std::sync::atomic::Ordering::SeqCst);
            "done"
        };
        wrap(Router::new().route("/slow", get(handler)), config)
    }

    async fn finishes(gate: &Gate) -> bool {
        for _ in 0..500 {
            if gate.finished.load(std::sync::atomic::Ordering::SeqCst) {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        false
    }

    #[tokio::test]
    async fn a_request_whose_client_hangs_up_still_finishes_its_work() {
        let gate = Gate::default();
        let app = gated(&gate, &WebConfig::default());
        let request = Request::builder().uri("/slow").body(Body::empty()).unwrap();
        let response = tokio::spawn(app.oneshot(request));
        gate.started.notified().await;
        // The client hangs up: hyper drops the request's future.
        response.abort();
        let _ = response.await;
        gate.go.notify_one();
        assert!(finishes(&gate).await, "the handler ran to the end");
    }

    #[tokio::test]
    async fn a_timed_out_request_answers_408_and_still_finishes_its_work() {
        let gate = Gate::default();
        let config = WebConfig { request_timeout: std::time::Duration::from_millis(50), ..WebConfig::default() };
        let app = gated(&gate, &config);
        let request = Request::builder().uri("/slow").body(Body::empty()).unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        assert!(String::from_utf8_lossy(&body).contains("Sorry, that took too long"));
        gate.go.notify_one();
        assert!(finishes(&gate).await, "the handler ran to the end");
    }

    #[tokio::test]
    async fn only_plain_short_request_ids_are_kept() {
        let app = wrap(Router::new().route("/", get(|| async { "ok" })), &WebConfig::default());
        for (sent, kept) in
            [("trace-me_1.2", true), (&*"a".repeat(65), false), ("two words", false), ("<script>", false)]
        {
            let request = Request::builder().uri("/").header("x-request-id", sent).body(Body::empty()).unwrap();
            let response = app.clone().oneshot(request).await.unwrap();
            let answered = response.headers()["x-request-id"].to_str().unwrap();
            assert_eq!(answered == sent, kept, "{sent:?} → {answered:?}");
            assert!(safe_request_id(answered.as_bytes()));
        }
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
