//! Shared by the tests that run the real `staying-close` binary.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The binary, with a clean configuration whatever the caller's shell has set.
pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_staying-close"));
    for var in ["DATABASE_URL", "STAYING_CLOSE_BIND", "STAYING_CLOSE_CONFIG", "STAYING_CLOSE_DEMO_PASSWORD"] {
        cmd.env_remove(var);
    }
    cmd.env("STAYING_CLOSE_LOG", "warn");
    cmd.env_remove("STAYING_CLOSE_SECRET_KEY");
    cmd.env_remove("STAYING_CLOSE_PREVIOUS_SECRET_KEYS");
    cmd
}

/// The binary with the tests' audit key, for databases the tests also write to.
pub fn bin_with_test_key() -> Command {
    let mut cmd = bin();
    cmd.env("STAYING_CLOSE_SECRET_KEY", staying_close_store::testing::AUDIT_KEY_HEX);
    cmd
}

/// Starts `staying-close serve` on a random port; returns the process and
/// its address once it says it is running. What it prints later is read
/// and dropped, as a terminal would.
pub fn serve(mut cmd: Command) -> (Child, String) {
    let mut child =
        cmd.args(["serve", "--bind", "127.0.0.1:0"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first.strip_prefix("Staying Close is running at http://").expect(&first).to_owned();
    std::thread::spawn(move || lines.for_each(drop));
    (child, addr)
}
