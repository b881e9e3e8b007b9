//! Runs the real `staying-close` binary as a user would.

mod common;

use common::{bin, bin_with_test_key, serve};
use staying_close_store::testing;
use staying_close_store::Backend;
use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn text(output: &Output) -> (String, String) {
    (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn assert_clean_failure(output: &Output, code: i32, message: &str) {
    let (_, err) = text(output);
    assert_eq!(output.status.code(), Some(code), "stderr: {err}");
    assert!(err.contains(message), "expected {message:?} in: {err}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"), "not a panic: {err}");
    assert_eq!(err.lines().filter(|l| l.starts_with("staying-close: error:")).count(), 1, "one message: {err}");
}

#[test]
fn help_documents_every_command() {
    let output = bin().arg("--help").output().unwrap();
    let (out, _) = text(&output);
    assert!(output.status.success());
    for command in ["serve", "migrate", "demo", "la", "user", "DATABASE_URL", "STAYING_CLOSE_BIND"] {
        assert!(out.contains(command), "--help mentions {command}");
    }
    let la_help = text(&bin().args(["la", "add", "--help"]).output().unwrap()).0;
    assert!(la_help.contains("--caseload-cap") && la_help.contains("--allowance"));
}

#[test]
fn a_bad_database_url_names_the_setting() {
    let output = bin().env("DATABASE_URL", "mysql://db/sc").args(["migrate"]).output().unwrap();
    assert_clean_failure(&output, 2, "DATABASE_URL is not valid: unsupported database URL scheme \"mysql\"");
}

#[test]
fn a_bad_bind_address_names_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let output = bin().env("STAYING_CLOSE_DATA_DIR", dir.path()).args(["serve", "--bind", "nowhere"]).output().unwrap();
    assert_clean_failure(&output, 2, "--bind is not valid");
}

#[test]
fn an_unreachable_database_is_one_clear_message_without_the_password() {
    let output = bin_with_test_key()
        .env("DATABASE_URL", "postgres://sc:s3cret@127.0.0.1:1/sc")
        .args(["serve", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_clean_failure(&output, 1, "cannot reach the database at postgres://sc:***@127.0.0.1:1/sc");
    assert!(!text(&output).1.contains("s3cret"));
}

#[test]
fn a_port_in_use_is_one_clear_message() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let output = bin().env("STAYING_CLOSE_DATA_DIR", dir.path()).args(["serve", "--bind", &addr]).output().unwrap();
    assert_clean_failure(&output, 1, &format!("cannot listen on {addr}"));
    assert!(text(&output).1.contains("another program is using that port"));
}

#[test]
fn a_bad_config_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sc.toml");
    std::fs::write(&file, "bind = 8080\n").unwrap();
    let output = bin().arg("--config").arg(&file).arg("migrate").output().unwrap();
    assert_clean_failure(&output, 2, "is not valid TOML");
}

fn admin_round_trip(database_url: &str) {
    let run = |args: &[&str]| bin_with_test_key().env("DATABASE_URL", database_url).args(args).output().unwrap();
    let migrated = run(&["migrate"]);
    assert!(migrated.status.success(), "{:?}", text(&migrated));
    assert!(text(&run(&["migrate"])).0.contains("The database is up to date."));
    assert!(text(&run(&["migrate", "--recount-contacts"])).0.contains("Counted every LA's contacts by month afresh."));

    let added = run(&["la", "add", "--code", "350", "--name", "Bolton", "--allowance", "32.50"]);
    assert!(added.status.success(), "{:?}", text(&added));
    assert!(text(&added).0.contains("Added Bolton (LA code 350)."));
    let listed = text(&run(&["la", "list"])).0;
    assert!(listed.contains("350  Bolton") && listed.contains("£32.50 a month"), "{listed}");
    assert_clean_failure(&run(&["la", "add", "--code", "350", "--name", "Again"]), 1, "already exists");
    assert_clean_failure(&run(&["la", "add", "--code", "35", "--name", "Short"]), 1, "three-digit DfE code");

    let user = run(&[
        "user",
        "add",
        "--email",
        "Pat.Adviser@Bolton.example",
        "--name",
        "Pat Adviser",
        "--role",
        "personal_adviser",
        "--la",
        "350",
    ]);
    let (out, err) = text(&user);
    assert!(user.status.success(), "{err}");
    assert!(out.contains("Added Pat Adviser <pat.adviser@bolton.example> as personal adviser."), "{out}");
    assert!(out.contains("Send them this link to choose a password. It works once, within 24 hours:"), "{out}");
    assert!(out.contains("http://127.0.0.1:8080/reset-password/"), "no initial password is printed: {out}");
    assert_clean_failure(
        &run(&["user", "add", "--email", "x@bolton.example", "--name", "X", "--role", "boss", "--la", "350"]),
        1,
        "unknown role",
    );
    assert_clean_failure(
        &run(&["user", "add", "--email", "y@bolton.example", "--name", "Y", "--role", "nurse", "--la", "999"]),
        1,
        "no local authority has code 999",
    );
    let staff = text(&run(&["user", "list", "--la", "350"])).0;
    assert!(staff.contains("pat.adviser@bolton.example"), "{staff}");
}

#[test]
fn admin_commands_work_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    admin_round_trip(&format!("sqlite://{}", dir.path().join("sc.db").display()));
}

#[tokio::test]
async fn admin_commands_work_on_postgres() {
    let db = testing::empty(Backend::Postgres).await;
    let url = db.url.expose().to_owned();
    tokio::task::spawn_blocking(move || admin_round_trip(&url)).await.unwrap();
}

#[test]
fn demo_loads_and_prints_the_logins_with_the_chosen_password() {
    let dir = tempfile::tempdir().unwrap();
    let output = bin()
        .env("STAYING_CLOSE_DATA_DIR", dir.path())
        .env("STAYING_CLOSE_DEMO_PASSWORD", "river-lantern-oak")
        .args(["demo", "--no-serve"])
        .output()
        .unwrap();
    let (out, err) = text(&output);
    assert!(output.status.success(), "{err}");
    assert!(out.contains("every account's password is: river-lantern-oak"));
    assert!(out.contains("Demo Borough (LA code 990), 35 young people"), "{out}");
    assert!(out.contains("helen.crossley@demo-borough.example") && out.contains("Team manager"));
    assert!(out.contains("Second Demo (LA code 991)"));
    assert!(out.contains("National programme viewer"));
    assert!(dir.path().join("demo.db").exists(), "the demo uses its own SQLite file in the data folder");
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = bin();
    cmd.env("STAYING_CLOSE_DATA_DIR", dir.path());
    let (mut child, addr) = serve(cmd);
    // The server answers.
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    use std::io::{Read, Write};
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exits cleanly: {status:?}");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn import_903_reports_every_problem_and_changes_nothing_until_the_files_are_right() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("sc.db").display());
    let run = |args: &[&str]| bin().env("DATABASE_URL", &db).current_dir(dir.path()).args(args).output().unwrap();
    assert!(run(&["la", "add", "--code", "350", "--name", "Bolton"]).status.success());
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("header.csv", "\u{feff}CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\nDB1,1,10/06/2007,WBRI,,,\r\nDB2,2,20/01/2009,WBRI,,,\r\n\r\n");
    write(
        "bad.csv",
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
         DB1,01/03/2021,S,C2,N1,K2,PR1,31/09/2021,X1,,,,SC400001\n\
         DB2,01/06/2023,S,V9,N1,K2,PR1,,,,,,SC400002\n",
    );
    let bad = run(&["import-903", "--la", "350", "--header", "header.csv", "--episodes", "bad.csv"]);
    let (_, err) = text(&bad);
    assert_eq!(bad.status.code(), Some(2), "{err}");
    assert!(err.contains("2 problems found; nothing was imported."), "{err}");
    assert!(err.contains("bad.csv") && err.contains("DEC") && err.contains("\"31/09/2021\""), "{err}");
    assert!(err.contains("LS") && err.contains("\"V9\"") && err.contains("not a valid LS code"), "{err}");
    let (summary, _) = text(&run(&["user", "list", "--la", "350"]));
    assert!(summary.is_empty());

    write(
        "episodes.csv",
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
         DB1,01/03/2021,S,C2,N1,K2,PR1,01/10/2021,E5,,,,SC400001\n\
         DB2,01/06/2023,S,V2,N1,K2,PR1,,,,,,SC400002\n",
    );
    write("oc3.csv", "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nDB1,10/06/2007,YES,F5,U1\n");
    let args =
        ["import-903", "--la", "350", "--header", "header.csv", "--episodes", "episodes.csv", "--oc3", "oc3.csv"];
    let first = run(&args);
    let (out, err) = text(&first);
    assert!(first.status.success(), "{err}");
    assert!(out.contains("young people added:           2"), "{out}");
    assert!(out.contains("care-leaver outcomes updated: 1"), "{out}");
    let second = text(&run(&args)).0;
    assert!(second.contains("nothing had changed since the last import"), "{second}");
}

#[tokio::test]
async fn audit_verify_finds_tampering_and_reset_and_disable_work() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("sc.db");
    let db = format!("sqlite://{}", db_path.display());
    let run = |args: &[&str]| bin().env("DATABASE_URL", &db).args(args).output().unwrap();
    assert!(run(&["la", "add", "--code", "350", "--name", "Bolton"]).status.success());
    assert!(run(&[
        "user",
        "add",
        "--email",
        "pat@bolton.example",
        "--name",
        "Pat Adviser",
        "--role",
        "personal_adviser",
        "--la",
        "350"
    ])
    .status
    .success());

    let reset =
        run(&["user", "reset-password", "--email", "pat@bolton.example", "--base-url", "https://sc.bolton.example"]);
    let (out, err) = text(&reset);
    assert!(reset.status.success(), "{err}");
    assert!(out.contains("https://sc.bolton.example/reset-password/"), "{out}");
    assert_clean_failure(
        &run(&["user", "reset-password", "--email", "nobody@bolton.example"]),
        1,
        "no member of staff has the email address",
    );

    let reset_2fa = run(&["user", "reset-two-factor", "--email", "pat@bolton.example"]);
    assert!(text(&reset_2fa).0.contains("Removed two-factor authentication for Pat Adviser"), "{:?}", text(&reset_2fa));

    // An administrator signs one person, one LA or everyone out.
    {
        let url = staying_close_store::DatabaseUrl::parse(&db).unwrap();
        let store = staying_close_store::Store::connect(&url, &Default::default()).await.unwrap();
        let email = staying_close_domain::people::Email::parse("pat@bolton.example").unwrap();
        let pat = store.staff_for_sign_in(&email).await.unwrap().expect("Pat exists").0;
        let active = staying_close_store::SessionStage::Active;
        let (first, second) = (
            store.create_session(&pat, active, None).await.unwrap(),
            store.create_session(&pat, active, None).await.unwrap(),
        );
        let out = run(&["user", "sign-out", "--email", "pat@bolton.example"]);
        assert!(
            text(&out).0.contains("Signed Pat Adviser <pat@bolton.example> out: 2 sessions ended."),
            "{:?}",
            text(&out)
        );
        assert!(store.session(&first).await.unwrap().is_none() && store.session(&second).await.unwrap().is_none());
        let third = store.create_session(&pat, active, None).await.unwrap();
        let out = run(&["user", "sign-out", "--la", "350"]);
        assert!(text(&out).0.contains("Signed everyone in Bolton out: 1 session ended."), "{:?}", text(&out));
        assert!(store.session(&third).await.unwrap().is_none());
        let out = run(&["user", "sign-out", "--everyone"]);
        assert!(text(&out).0.contains("Signed everyone out: 0 sessions ended."), "{:?}", text(&out));
        assert_clean_failure(&run(&["user", "sign-out"]), 1, "say who to sign out");
        store.close().await;
    }

    let disabled = run(&["user", "disable", "--email", "pat@bolton.example"]);
    assert!(text(&disabled).0.contains("Disabled Pat Adviser"), "{:?}", text(&disabled));
    assert!(text(&run(&["user", "list", "--la", "350"])).0.contains("(disabled)"));

    let verify = run(&["audit", "verify"]);
    let (out, err) = text(&verify);
    assert!(verify.status.success(), "{err}");
    assert!(out.contains("The audit trail is intact"), "{out}");
    assert!(dir.path().join("sc.db.key").exists(), "the key made on first use is kept beside the database");

    // Anchors, kept outside the database.
    let heads = text(&run(&["audit", "head"])).0;
    assert!(heads.lines().any(|l| l.starts_with("audit-head chain=") && l.contains(" la=350 ")), "{heads}");
    let anchors = dir.path().join("anchors.txt");
    std::fs::write(&anchors, &heads).unwrap();
    let anchored = run(&["audit", "verify", "--head", anchors.to_str().unwrap()]);
    assert!(text(&anchored).0.contains("agreeing with"), "{:?}", text(&anchored));

    let url = staying_close_store::DatabaseUrl::parse(&db).unwrap();
    let store = staying_close_store::Store::connect(&url, &Default::default()).await.unwrap();
    assert!(store.execute_raw("DELETE FROM audit_events").await.is_err(), "the database refuses deletes");
    // Someone with the database drops the guards, removes the newest event and edits the second.
    store.drop_audit_guards().await.unwrap();
    assert_eq!(
        store.execute_raw("DELETE FROM audit_events WHERE id = (SELECT MAX(id) FROM audit_events)").await.unwrap(),
        1
    );
    assert!(run(&["audit", "verify"]).status.success(), "cutting the end is invisible without anchors");
    let cut = run(&["audit", "verify", "--head", anchors.to_str().unwrap()]);
    assert_clean_failure(&cut, 1, "the audit trail has been tampered with");
    assert!(text(&cut).1.contains("no longer reaches the anchor"), "{:?}", text(&cut));
    assert_eq!(store.execute_raw("UPDATE audit_events SET action = 'nothing' WHERE id = 2").await.unwrap(), 1);
    store.close().await;
    let tampered = run(&["audit", "verify"]);
    assert_clean_failure(&tampered, 1, "the audit trail has been tampered with");
    assert!(
        text(&tampered).1.contains("event number 2: the event was changed after it was written"),
        "{:?}",
        text(&tampered)
    );
}

#[tokio::test]
async fn postgres_needs_a_configured_audit_key() {
    let db = testing::empty(Backend::Postgres).await;
    let output = bin().env("DATABASE_URL", db.url.expose()).args(["serve", "--bind", "127.0.0.1:0"]).output().unwrap();
    assert_clean_failure(&output, 2, "STAYING_CLOSE_SECRET_KEY is not set");
    let bad = bin()
        .env("DATABASE_URL", db.url.expose())
        .env("STAYING_CLOSE_SECRET_KEY", "not-a-key")
        .args(["migrate"])
        .output()
        .unwrap();
    assert_clean_failure(&bad, 2, "STAYING_CLOSE_SECRET_KEY is not valid");
    assert!(!text(&bad).1.contains("not-a-key"), "the value is never printed");
}

#[test]
fn logs_hold_no_personal_data() {
    // Drive the real binary through sign-in, the cohort, records and the API
    // with verbose logs, then look for any demo name, email or date of birth.
    let dir = tempfile::tempdir().unwrap();
    let mut child = bin()
        .env("STAYING_CLOSE_DATA_DIR", dir.path())
        .env("STAYING_CLOSE_LOG", "debug")
        .args(["demo", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut all = String::new();
        use std::io::Read;
        BufReader::new(stderr).read_to_string(&mut all).ok();
        all
    });
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines.next().expect("the demo printed its address").unwrap();
        if let Some(rest) = line.strip_prefix("Staying Close demo is running at http://") {
            break rest.to_owned();
        }
    };
    let http = |request: String| -> String {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        reply
    };
    let get = |path: &str, cookie: &str| {
        http(format!("GET {path} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"))
    };
    let cookie_of = |reply: &str, name: &str| -> String {
        reply
            .lines()
            .filter_map(|l| l.strip_prefix("set-cookie: "))
            .find(|l| l.starts_with(&format!("{name}=")))
            .map(|l| l.split(';').next().unwrap().to_owned())
            .unwrap_or_default()
    };
    let form = get("/sign-in", "");
    let form_cookie = cookie_of(&form, "sc_form");
    let marker = "name=\"csrf_token\" value=\"";
    let start = form.find(marker).expect("a CSRF field") + marker.len();
    let csrf = form[start..start + form[start..].find('"').unwrap()].to_owned();
    let body = format!("csrf_token={csrf}&email=daniel.okafor%40demo-borough.example&password=close-support-demo");
    let signed_in = http(format!(
        "POST /sign-in HTTP/1.1\r\nHost: x\r\nCookie: {form_cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    let session = cookie_of(&signed_in, "sc_session");
    assert!(!session.is_empty(), "signed in: {signed_in}");
    let list = get("/young-people", &session);
    assert!(list.starts_with("HTTP/1.1 200"));
    for id in list.match_indices("href=\"/young-people/").take(5).map(|(i, _)| {
        let rest = &list[i + 20..];
        rest[..rest.find('"').unwrap()].to_owned()
    }) {
        assert!(get(&format!("/young-people/{id}?day=1&month=1&year=2025"), &session).starts_with("HTTP/1.1 200"));
    }
    // A failed sign-in with a typed email address.
    let bad = "csrf_token=x&email=someone.private%40example.org&password=wrong-password-here";
    http(format!(
        "POST /sign-in HTTP/1.1\r\nHost: x\r\nCookie: sc_form=x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{bad}",
        bad.len()
    ));

    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    child.wait().unwrap();
    let logs = log.join().unwrap();
    assert!(
        logs.contains("route=\"/young-people/{id}\""),
        "the log has request lines: {}",
        &logs[..logs.len().min(2000)]
    );

    let today = staying_close_domain::dates::uk_today();
    let data = staying_close_demo::generate(today, staying_close_demo::DEFAULT_SEED);
    let mut secrets: Vec<String> = vec!["someone.private@example.org".into(), "someone.private%40example.org".into()];
    for la in &data.las {
        for s in &la.staff {
            secrets.push(s.email.to_string());
            secrets.push(s.name.to_string());
        }
        for y in &la.young_people {
            secrets.push(format!("{} {}", y.first_name, y.last_name));
            secrets.push(y.date_of_birth.format("%Y-%m-%d").to_string());
            secrets.push(y.child_id.to_string());
        }
    }
    let leaks: Vec<&String> = secrets.iter().filter(|s| logs.contains(s.as_str())).collect();
    assert!(leaks.is_empty(), "personal data in the logs: {leaks:?}");
}
