//! The real `staying-close` binary, on SQLite and on PostgreSQL, under
//! clients that hang up half-way and requests that time out: afterwards it
//! must still read, sign in and save, its audit trail must verify, and no
//! database connection may be left inside a transaction (ADR 0005).

mod common;

use common::{bin_with_test_key, serve};
use staying_close_domain::totp;
use staying_close_store::testing::{self, transactions_left_open, TestDb, WriteLock};
use staying_close_store::{Backend, Store};
use std::process::Child;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const PASSWORD: &str = "close-support-demo";
const ADVISER: &str = "daniel.okafor@demo-borough.example";
const ADMIN: &str = "alison.marsh@demo-borough.example";

/// The binary serving a fresh database with the demo loaded.
struct Server {
    child: Child,
    addr: String,
    db: TestDb,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

async fn start(backend: Backend, request_timeout_secs: u64) -> Server {
    // An empty database: the binary applies its own migrations.
    let db = testing::empty(backend).await;
    let url = db.url.expose().to_owned();
    let loaded = bin_with_test_key().args(["demo", "--no-serve", "--database", &url]).output().unwrap();
    assert!(loaded.status.success(), "{}", String::from_utf8_lossy(&loaded.stderr));
    let mut cmd = bin_with_test_key();
    cmd.env("DATABASE_URL", &url).env("STAYING_CLOSE_REQUEST_TIMEOUT_SECS", request_timeout_secs.to_string());
    let (child, addr) = serve(cmd);
    Server { child, addr, db }
}

/// A response: status, headers (lower-case names) and body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "set-cookie")
            .find_map(|(_, v)| v.strip_prefix(&format!("{name}=")))
            .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
            .filter(|v| !v.is_empty())
    }

    fn csrf(&self) -> String {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self.body.find(marker).expect("a CSRF field") + marker.len();
        self.body[start..start + self.body[start..].find('"').unwrap()].to_owned()
    }
}

fn form(fields: &[(&str, &str)]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    fields.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

fn request_text(method: &str, path: &str, cookie: &str, body: Option<&str>) -> String {
    request(method, path, cookie, body, "close")
}

fn request(method: &str, path: &str, cookie: &str, body: Option<&str>, connection: &str) -> String {
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: {connection}\r\n");
    if !cookie.is_empty() {
        text.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if let Some(body) = body {
        text.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
        text.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    } else {
        text.push_str("\r\n");
    }
    text
}

async fn send(addr: &str, method: &str, path: &str, cookie: &str, body: Option<&str>) -> Reply {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request_text(method, path, cookie, body).as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    if let Err(e) = stream.read_to_end(&mut raw).await {
        panic!("{method} {path}: {e}; read so far: {}", String::from_utf8_lossy(&raw));
    }
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let mut lines = head.lines();
    let status = lines.next().unwrap_or_default().split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Reply { status, headers, body: body.to_owned() }
}

/// Signs in through the real forms (with a recovery code when a second
/// factor is due); returns the session cookie.
async fn sign_in(addr: &str, email: &str, recovery_code: Option<&str>) -> String {
    let page = send(addr, "GET", "/sign-in", "", None).await;
    let form_cookie = format!("sc_form={}", page.cookie("sc_form").expect("form cookie"));
    let body = form(&[("csrf_token", &page.csrf()), ("email", email), ("password", PASSWORD)]);
    let reply = send(addr, "POST", "/sign-in", &form_cookie, Some(&body)).await;
    assert_eq!(reply.status, 303, "sign-in: {}", reply.body);
    let cookie = format!("sc_session={}", reply.cookie("sc_session").expect("a session"));
    let Some(code) = recovery_code else {
        assert_eq!(reply.header("location"), Some("/home"));
        return cookie;
    };
    assert_eq!(reply.header("location"), Some("/sign-in/code"));
    let page = send(addr, "GET", "/sign-in/code", &cookie, None).await;
    let body = form(&[("csrf_token", &page.csrf()), ("code", code)]);
    let reply = send(addr, "POST", "/sign-in/code", &cookie, Some(&body)).await;
    assert_eq!(reply.header("location"), Some("/home"), "second factor: {}", reply.body);
    format!("sc_session={}", reply.cookie("sc_session").expect("a new session"))
}

/// Sets up the LA administrator's authenticator app; returns a recovery code.
async fn enrol_admin(store: &Store) -> String {
    let email = staying_close_domain::people::Email::parse(ADMIN).unwrap();
    let admin = store.staff_for_sign_in(&email).await.unwrap().unwrap().0;
    let session = store.create_session(&admin, staying_close_store::SessionStage::Enrol, None).await.unwrap();
    let secret = store.start_totp_enrolment(&session).await.unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let code = format!("{:06}", totp::code_at_step(&secret, totp::step_of(now)));
    let actor = staying_close_store::Actor::System("test");
    let codes = store.confirm_totp(&admin, &session, &code, now, &actor).await.unwrap().expect("enrolled");
    codes[0].clone()
}

/// Reads one HTTP/1.1 response (headers and a `Content-Length` body).
async fn read_response(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buffer.len() >= end + 4 + length {
                buffer.drain(..end + 4 + length);
                return true;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Keeps `connections` clients busy for `seconds`, each sending record
/// views and sign-ins (both write) one after another on a kept-alive
/// connection, then resets every connection with its last request half
/// done, as a load tool does when its time is up.
async fn burst(addr: &str, cookie: &str, record: &str, connections: usize, seconds: u64) {
    // One real sign-in form, whose token every sign-in of the burst reuses.
    let page = send(addr, "GET", "/sign-in", "", None).await;
    let form_cookie = format!("sc_form={}", page.cookie("sc_form").expect("form cookie"));
    let sign_in = form(&[
        ("csrf_token", &page.csrf()),
        ("email", "sarah.whitworth@demo-borough.example"),
        ("password", PASSWORD),
    ]);
    let view = request("GET", record, cookie, None, "keep-alive");
    let post = request("POST", "/sign-in", &form_cookie, Some(&sign_in), "keep-alive");
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for i in 0..connections {
        let (addr, view, post) = (addr.to_owned(), view.clone(), post.clone());
        tasks.push(tokio::spawn(async move {
            let Ok(mut stream) = TcpStream::connect(&addr).await else { return };
            let mut buffer = Vec::new();
            let mut n = i;
            loop {
                n += 1;
                let request = if n % 20 == 0 { &post } else { &view };
                if stream.write_all(request.as_bytes()).await.is_err() {
                    return;
                }
                if Instant::now() >= until {
                    break;
                }
                if !read_response(&mut stream, &mut buffer).await {
                    return;
                }
            }
            // Linger zero: closing sends a reset, as a client that gives up does.
            stream.set_zero_linger().ok();
            drop(stream);
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

/// Waits until the service says it can write again (all abandoned work has
/// finished or been rolled back), within a generous bound.
async fn until_ready(addr: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if send(addr, "GET", "/readyz", "", None).await.status == 200 {
            return;
        }
        assert!(Instant::now() < deadline, "the service never became ready again");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// After whatever happened: reading a record, signing in and saving settings
/// all work, the audit trail verifies, and no transaction is left open.
async fn still_works(server: &Server, adviser: &str, record: &str, admin_code: &str) {
    let addr = &server.addr;
    until_ready(addr).await;
    let page = send(addr, "GET", record, adviser, None).await;
    assert_eq!(page.status, 200, "record view: {}", page.body);
    assert_eq!(page.header("cache-control"), Some("no-store"));
    sign_in(addr, ADVISER, None).await;
    let admin = sign_in(addr, ADMIN, Some(admin_code)).await;
    let settings = send(addr, "GET", "/settings", &admin, None).await;
    assert_eq!(settings.status, 200);
    let version = {
        let marker = "name=\"version\" value=\"";
        let start = settings.body.find(marker).unwrap() + marker.len();
        settings.body[start..start + settings.body[start..].find('"').unwrap()].to_owned()
    };
    let body = form(&[
        ("csrf_token", &settings.csrf()),
        ("version", &version),
        ("caseload_cap", "9"),
        ("allowance", "30.00"),
        ("weekly_hours", "5"),
        ("visit_frequency_days", "14"),
        ("record_access", "team"),
        ("require_two_factor", "no"),
    ]);
    let saved = send(addr, "POST", "/settings", &admin, Some(&body)).await;
    assert_eq!(saved.header("location"), Some("/settings?saved=1"), "settings: {}", saved.body);

    let verify =
        bin_with_test_key().env("DATABASE_URL", server.db.url.expose()).args(["audit", "verify"]).output().unwrap();
    assert!(verify.status.success(), "audit verify: {}", String::from_utf8_lossy(&verify.stderr));
    // Connections go back to the pool a moment after their request ends.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let open = transactions_left_open(&server.db.url).await;
        if open == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{open} connection(s) left inside a transaction");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn a_record_to_view(server: &Server) -> String {
    let la =
        server.db.store.la_by_code(&staying_close_domain::la::LaCode::parse("990").unwrap()).await.unwrap().unwrap();
    let person = server.db.store.cohort(la.id).await.unwrap()[0].id;
    format!("/young-people/{}", person.0)
}

async fn hang_ups_never_stop_the_service_writing(backend: Backend) {
    let server = start(backend, 30).await;
    let admin_code = enrol_admin(&server.db.store).await;
    let adviser = sign_in(&server.addr, ADVISER, None).await;
    let record = a_record_to_view(&server).await;
    for _ in 0..3 {
        burst(&server.addr, &adviser, &record, 300, 1).await;
    }
    still_works(&server, &adviser, &record, &admin_code).await;
}

async fn a_timed_out_request_leaves_no_transaction_open(backend: Backend) {
    let server = start(backend, 1).await;
    let admin_code = enrol_admin(&server.db.store).await;
    let adviser = sign_in(&server.addr, ADVISER, None).await;
    let record = a_record_to_view(&server).await;
    // Another process holds the write lock, so the view's audit record waits
    // past the one-second timeout.
    let lock = WriteLock::take(&server.db.url).await;
    let slow = send(&server.addr, "GET", &record, &adviser, None).await;
    assert_eq!(slow.status, 408, "{}", slow.body);
    lock.release().await;
    still_works(&server, &adviser, &record, &admin_code).await;
}

async fn readiness_fails_while_the_write_lock_is_held(backend: Backend) {
    let server = start(backend, 30).await;
    assert_eq!(send(&server.addr, "GET", "/readyz", "", None).await.status, 200);
    let lock = WriteLock::take(&server.db.url).await;
    let reply = send(&server.addr, "GET", "/readyz", "", None).await;
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert_eq!(send(&server.addr, "GET", "/healthz", "", None).await.status, 200, "still alive, just not ready");
    lock.release().await;
    until_ready(&server.addr).await;
}

macro_rules! on_both_backends {
    ($($name:ident),*) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(staying_close_store::Backend::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(staying_close_store::Backend::Postgres).await
                }
            }
        )*
    };
}

on_both_backends!(
    hang_ups_never_stop_the_service_writing,
    a_timed_out_request_leaves_no_transaction_open,
    readiness_fails_while_the_write_lock_is_held
);
