//! Starts the real server on a random port against a fresh database (one per
//! test, on each backend) and talks to it over HTTP.

use staying_close_domain::la::{LaCode, LaName, LaSettings};
use staying_close_store::testing;
use staying_close_store::{Actor, Backend};
use staying_close_web::{AppState, WebConfig};
use std::sync::Arc;
use std::time::Duration;

mod common;
use common::{spawn_app, TestApp};

macro_rules! http_tests {
    ($( async fn $name:ident($app:ident) $body:block )*) => {
        $(
            mod $name {
                use super::*;
                async fn body($app: TestApp) $body
                #[tokio::test]
                async fn sqlite() { body(spawn_app(Backend::Sqlite).await).await }
                #[tokio::test]
                async fn postgres() { body(spawn_app(Backend::Postgres).await).await }
            }
        )*
    };
}

http_tests! {
    async fn health_and_readiness_answer(app) {
        let live = app.get("/healthz").await;
        assert_eq!(live.status(), 200);
        assert_eq!(live.text().await.unwrap(), "ok");
        let ready = app.get("/readyz").await;
        assert_eq!(ready.status(), 200);
        assert_eq!(ready.text().await.unwrap(), "ready");
    }

    async fn readiness_fails_when_the_database_is_gone(app) {
        app.db.store.close().await;
        let ready = app.get("/readyz").await;
        assert_eq!(ready.status(), 503);
        assert_eq!(app.get("/healthz").await.status(), 200, "the process itself is still alive");
    }

    async fn the_start_page_is_a_gov_uk_page_listing_the_las(app) {
        let empty = app.get("/").await.text().await.unwrap();
        assert!(empty.contains("No local authorities have been set up yet"));
        let code = LaCode::parse("990").unwrap();
        let name = LaName::parse("Demo Borough").unwrap();
        app.db.store.create_la(&code, &name, &LaSettings::default(), &Actor::System("test")).await.unwrap();
        let response = app.get("/").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
        let html = response.text().await.unwrap();
        assert!(html.contains(r#"<html lang="en" class="govuk-template">"#));
        assert!(html.contains(r#"class="govuk-skip-link""#));
        assert!(html.contains("govuk-phase-banner"));
        assert!(html.contains("govuk-footer"));
        assert!(html.contains(r#"<h1 class="govuk-heading-xl">Staying Close</h1>"#));
        assert!(html.contains("Demo Borough"), "the LA is listed");
        assert!(html.contains(r#"<span class="app-generic-header__la">Demo Borough</span>"#), "a one-LA deployment shows its LA in the header");
    }

    async fn pages_carry_no_inline_script_or_style(app) {
        let html = app.get("/").await.text().await.unwrap();
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            assert!(tag.contains(" src="), "inline script: {tag}");
        }
        assert!(!html.contains("<style"), "inline style element");
        assert!(!html.contains(" style="), "inline style attribute");
    }

    async fn security_headers_are_set_on_every_response(app) {
        for path in ["/", "/healthz", "/no-such-page", "/assets/app.css"] {
            let response = app.get(path).await;
            let h = response.headers();
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{path}: {csp}");
            assert!(!csp.contains("unsafe-inline"), "{path}");
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
            assert!(h.get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
            assert_eq!(h["x-request-id"].len(), 36, "{path}: a request id is returned");
        }
    }

    async fn unknown_pages_get_the_gov_uk_404_page(app) {
        let response = app.get("/no-such-section/99999").await;
        assert_eq!(response.status(), 404);
        let html = response.text().await.unwrap();
        assert!(html.contains("<h1 class=\"govuk-heading-l\">Page not found</h1>"));
        assert!(html.contains("govuk-template"));
        let missing_asset = app.get("/assets/nope.css").await;
        assert_eq!(missing_asset.status(), 404);
    }

    async fn assets_are_embedded_and_served_with_types(app) {
        let css = app.get("/assets/app.css").await;
        assert_eq!(css.status(), 200);
        assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
        let body = css.text().await.unwrap();
        assert!(body.contains(".govuk-header") || body.contains(".govuk-generic-header"));
        assert!(!body.contains("GDS Transport"), "council services use Arial, not the GOV.UK typeface");
        for (path, kind) in [
            ("/assets/govuk-frontend.min.js", "text/javascript; charset=utf-8"),
            ("/assets/app.js", "text/javascript; charset=utf-8"),
            ("/assets/images/favicon.svg", "image/svg+xml"),
            ("/assets/manifest.json", "application/manifest+json"),
        ] {
            let r = app.get(path).await;
            assert_eq!(r.status(), 200, "{path}");
            assert_eq!(r.headers()["content-type"], kind, "{path}");
        }
    }
}

#[tokio::test]
async fn a_caller_supplied_request_id_is_kept() {
    let app = spawn_app(Backend::Sqlite).await;
    let response =
        app.client.get(format!("{}/healthz", app.base)).header("x-request-id", "trace-me-123").send().await.unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-me-123");
}

#[tokio::test]
async fn hsts_is_sent_when_served_over_tls() {
    let db = testing::fresh(Backend::Sqlite).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let config = Arc::new(WebConfig { behind_tls: true, ..WebConfig::default() });
    let app = staying_close_web::router(AppState { store: db.store.clone(), config: config.clone() });
    tokio::spawn(async move { staying_close_web::serve(listener, app, std::future::pending(), &config).await });
    let response = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(response.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
}

#[tokio::test]
async fn slow_clients_are_cut_off_and_connections_are_capped() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let config = WebConfig { header_read_timeout: Duration::from_secs(1), max_connections: 2, ..WebConfig::default() };
    let app = common::spawn_app_with(Backend::Sqlite, config).await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    // Two clients send half a request and stall: they fill the limit.
    let mut stalled = Vec::new();
    for _ in 0..2 {
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        stalled.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // A third is closed at once, without an answer.
    let mut third = tokio::net::TcpStream::connect(&addr).await.unwrap();
    third.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.ok();
    let mut reply = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), third.read_to_end(&mut reply)).await;
    assert!(reply.is_empty(), "over the limit: closed unanswered");
    // The stalled ones are cut off once the header timeout passes ...
    for mut stream in stalled {
        let mut rest = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut rest)).await;
        assert!(closed.is_ok(), "the server closed a stalled connection");
        assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));
    }
    // ... and their places are free again.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn over_https_cookies_carry_the_host_prefix() {
    let config = WebConfig { behind_tls: true, ..WebConfig::default() };
    let app = common::spawn_app_with(Backend::Sqlite, config).await;
    let page = app.get("/sign-in").await;
    let set = page.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set.starts_with("__Host-sc_form=") && set.contains("; Secure") && set.contains("Path=/"), "{set}");
    assert!(!set.contains("Domain="), "a __Host- cookie names no domain");
}

#[tokio::test]
async fn hsts_follows_a_trusted_proxy_that_says_https() {
    let config = WebConfig { trust_forwarded_for: true, ..WebConfig::default() };
    let app = common::spawn_app_with(Backend::Sqlite, config).await;
    let plain = app.get("/healthz").await;
    assert!(plain.headers().get("strict-transport-security").is_none());
    let proxied = app.client.get(app.url("/healthz")).header("x-forwarded-proto", "https").send().await.unwrap();
    assert_eq!(proxied.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
}
