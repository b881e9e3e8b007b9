//! Shared by the web integration tests: the real server on a random port
//! against a fresh database, and helpers to act as a member of staff.
#![allow(dead_code)]

use staying_close_domain::la::LaCode;
use staying_close_domain::people::Password;
use staying_close_store::testing::{self, TestDb};
use staying_close_store::{Actor, Backend, La, SessionStage, Staff, Store};
use staying_close_web::{AppState, WebConfig};
use std::sync::Arc;

pub const DEMO_PASSWORD: &str = "close-support-demo";

pub struct TestApp {
    pub base: String,
    pub db: TestDb,
    /// Does not follow redirects, so tests see exactly where they lead.
    pub client: reqwest::Client,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, WebConfig::default()).await
}

pub async fn spawn_app_with(backend: Backend, config: WebConfig) -> TestApp {
    let db = testing::fresh(backend).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let config = Arc::new(config);
    let app = staying_close_web::router(AppState { store: db.store.clone(), config: config.clone() });
    tokio::spawn(async move { staying_close_web::serve(listener, app, std::future::pending(), &config).await });
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    TestApp { base, db, client }
}

/// The app with the demo loaded (both LAs, every role).
pub async fn spawn_demo(backend: Backend) -> TestApp {
    let app = spawn_app(backend).await;
    let today = staying_close_domain::dates::uk_today();
    let data = staying_close_demo::generate(today, staying_close_demo::DEFAULT_SEED);
    app.db.store.load_dataset(&data, &Password::parse(DEMO_PASSWORD).unwrap(), &Actor::System("demo")).await.unwrap();
    app
}

impl TestApp {
    pub fn store(&self) -> &Store {
        &self.db.store
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    pub async fn la(&self, code: &str) -> La {
        self.store().la_by_code(&LaCode::parse(code).unwrap()).await.unwrap().unwrap()
    }

    pub async fn staff(&self, email: &str) -> Staff {
        let email = staying_close_domain::people::Email::parse(email).unwrap();
        self.store().staff_for_sign_in(&email).await.unwrap().unwrap().0
    }

    /// A signed-in browser session for `staff`, without going through the forms.
    pub async fn session(&self, staff: &Staff) -> Browser {
        let token = self.store().create_session(staff, SessionStage::Active, Some("127.0.0.1")).await.unwrap();
        let csrf = self.store().session(&token).await.unwrap().unwrap().csrf_token;
        Browser { cookie: format!("sc_session={token}"), csrf }
    }

    /// Signs in through the real forms; returns the browser and where it was sent.
    pub async fn sign_in(&self, email: &str, password: &str) -> (Browser, reqwest::Response) {
        let page = self.get("/sign-in").await;
        let form_cookie = set_cookie_value(&page, "sc_form").expect("form cookie");
        let html = page.text().await.unwrap();
        let csrf = hidden_csrf(&html);
        let response = self
            .client
            .post(self.url("/sign-in"))
            .header("cookie", format!("sc_form={form_cookie}"))
            .form(&[("csrf_token", csrf.as_str()), ("email", email), ("password", password)])
            .send()
            .await
            .unwrap();
        let cookie = set_cookie_value(&response, "sc_session").map(|v| format!("sc_session={v}")).unwrap_or_default();
        let browser = Browser { cookie, csrf: String::new() };
        let csrf = if browser.cookie.is_empty() { String::new() } else { browser.csrf_from(self).await };
        (Browser { csrf, ..browser }, response)
    }
}

/// A cookie and the CSRF token of its session.
#[derive(Clone, Debug)]
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

impl Browser {
    pub async fn get(&self, app: &TestApp, path: &str) -> reqwest::Response {
        app.client.get(app.url(path)).header("cookie", &self.cookie).send().await.unwrap()
    }

    pub async fn post(&self, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut form: Vec<(&str, &str)> = vec![("csrf_token", self.csrf.as_str())];
        form.extend_from_slice(fields);
        app.client.post(app.url(path)).header("cookie", &self.cookie).form(&form).send().await.unwrap()
    }

    async fn csrf_from(&self, app: &TestApp) -> String {
        let token = self.cookie.trim_start_matches("sc_session=");
        app.store().session(token).await.unwrap().map(|s| s.csrf_token).unwrap_or_default()
    }
}

pub fn set_cookie_value(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
        })
        .filter(|v| !v.is_empty())
}

pub fn hidden_csrf(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("a CSRF field") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

pub fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// Writes each test body once, run as `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($( async fn $name:ident($backend:ident) $body:block )*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                async fn body($backend: staying_close_store::Backend) $body
                #[tokio::test]
                async fn sqlite() { body(staying_close_store::Backend::Sqlite).await }
                #[tokio::test]
                async fn postgres() { body(staying_close_store::Backend::Postgres).await }
            }
        )*
    };
}
