//! Runs the real `staying-close` binary as a user would.

use staying_close_store::testing;
use staying_close_store::Backend;
use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_staying-close"));
    // Start from a clean configuration whatever the caller's shell has set.
    for var in ["DATABASE_URL", "STAYING_CLOSE_BIND", "STAYING_CLOSE_CONFIG", "STAYING_CLOSE_DEMO_PASSWORD"] {
        cmd.env_remove(var);
    }
    cmd.env("STAYING_CLOSE_LOG", "warn");
    cmd
}

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
    let output = bin()
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
    let run = |args: &[&str]| bin().env("DATABASE_URL", database_url).args(args).output().unwrap();
    let migrated = run(&["migrate"]);
    assert!(migrated.status.success(), "{:?}", text(&migrated));
    assert!(text(&run(&["migrate"])).0.contains("The database is up to date."));

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
    assert!(out.contains("Their password, shown only now: "));
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
    let mut child = bin()
        .env("STAYING_CLOSE_DATA_DIR", dir.path())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first.strip_prefix("Staying Close is running at http://").expect(&first).to_owned();
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
         DB1,01/03/2021,S,C2,N1,K2,PR1,31/09/2021,X1,,,,\n\
         DB2,01/06/2023,S,V9,N1,K2,PR1,,,,,,\n",
    );
    let bad = run(&["import-903", "--la", "350", "--header", "header.csv", "--episodes", "bad.csv"]);
    let (_, err) = text(&bad);
    assert_eq!(bad.status.code(), Some(2), "{err}");
    assert!(err.contains("2 problem(s) found; nothing was imported."), "{err}");
    assert!(err.contains("bad.csv") && err.contains("DEC") && err.contains("\"31/09/2021\""), "{err}");
    assert!(err.contains("LS") && err.contains("\"V9\"") && err.contains("not a valid LS code"), "{err}");
    let (summary, _) = text(&run(&["user", "list", "--la", "350"]));
    assert!(summary.is_empty());

    write(
        "episodes.csv",
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
         DB1,01/03/2021,S,C2,N1,K2,PR1,01/10/2021,E5,,,,\n\
         DB2,01/06/2023,S,V2,N1,K2,PR1,,,,,,\n",
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
