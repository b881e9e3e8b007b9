//! The worked examples of the domain reference, run through the
//! `staying-close eligibility` command exactly as other tools call it.

use serde_json::Value;
use std::process::Command;

const HEAD: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN";

/// (DECOM, DEC, LS, PLACE) rows for child C1.
fn csv(rows: &[(&str, &str, &str, &str)]) -> String {
    let mut out = format!("{HEAD}\n");
    for (i, (decom, dec, ls, place)) in rows.iter().enumerate() {
        let rne = if i == 0 { "S" } else { "P" };
        let rec = if dec.is_empty() {
            ""
        } else if i + 1 < rows.len() {
            "X1"
        } else {
            "E5"
        };
        let urn = if matches!(*place, "K1" | "K2") { "SC400001" } else { "" };
        out.push_str(&format!("C1,{decom},{rne},{ls},N1,{place},PR1,{dec},{rec},,,,{urn}\n"));
    }
    out
}

fn run_raw(dob: &str, file_text: &str, on: &str, format: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("episodes.csv");
    std::fs::write(&path, file_text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_staying-close"))
        .args(["eligibility", "--dob", dob, "--episodes"])
        .arg(&path)
        .args(["--on", on, "--format", format])
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn run(dob: &str, rows: &[(&str, &str, &str, &str)], on: &str) -> Value {
    let (code, out, err) = run_raw(dob, &csv(rows), on, "json");
    assert_eq!(code, 0, "{err}");
    let value: Value = serde_json::from_str(&out).unwrap();
    let mut keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "care_leaver_status",
            "explanation",
            "looked_after_days_after_14",
            "personal_adviser_until",
            "residential_days_after_14",
            "staying_close_eligible"
        ]
    );
    value
}

#[test]
fn example_1_spans_the_14th_birthday() {
    let rows = [("01/03/2021", "01/10/2021", "C2", "K2"), ("01/10/2021", "01/09/2023", "C2", "U6")];
    let v = run("2007-06-10", &rows, "2024-01-01");
    assert_eq!(v["residential_days_after_14"], 113);
    assert_eq!(v["staying_close_eligible"], true);
    assert_eq!(v["care_leaver_status"], "relevant");
    assert_eq!(v["personal_adviser_until"], "2032-06-09");
    assert!(v["explanation"].as_array().unwrap().len() >= 4);
    let later = run("2007-06-10", &rows, "2025-07-01");
    assert_eq!(later["care_leaver_status"], "former_relevant");
}

#[test]
fn example_2_short_breaks_are_excluded() {
    let rows = [
        ("03/02/2023", "17/02/2023", "V3", "K2"),
        ("03/03/2023", "17/03/2023", "V3", "K2"),
        ("07/04/2023", "21/04/2023", "V3", "K2"),
        ("01/06/2023", "20/08/2023", "V2", "K2"),
    ];
    let v = run("2009-01-20", &rows, "2025-06-01");
    assert_eq!(v["residential_days_after_14"], 80);
    assert_eq!(v["staying_close_eligible"], false);
}

#[test]
fn example_3_custody_counts() {
    let rows = [("10/01/2022", "14/03/2022", "J1", "R5"), ("14/03/2022", "25/04/2022", "C2", "K2")];
    let v = run("2007-11-05", &rows, "2024-01-01");
    assert_eq!(v["residential_days_after_14"], 105);
    assert_eq!(v["staying_close_eligible"], true);
}

#[test]
fn example_4_open_episode_meets_the_threshold_on_the_day() {
    let rows = [("08/01/2024", "", "C2", "K2")];
    assert_eq!(run("2009-08-15", &rows, "2024-04-08")["residential_days_after_14"], 91);
    let before = run("2009-08-15", &rows, "2024-04-07");
    assert_eq!(before["residential_days_after_14"], 90);
    assert_eq!(before["care_leaver_status"], "looked_after");
    assert_eq!(before["personal_adviser_until"], Value::Null);
}

#[test]
fn example_5_is_one_day_short() {
    let rows = [
        ("03/10/2022", "14/11/2022", "C2", "K2"),
        ("14/11/2022", "09/01/2023", "C2", "U6"),
        ("09/01/2023", "26/02/2023", "C2", "K2"),
    ];
    let v = run("2008-09-30", &rows, "2025-01-01");
    assert_eq!(v["residential_days_after_14"], 90);
    assert_eq!(v["staying_close_eligible"], false);
}

#[test]
fn example_6_leap_day_birth_uses_first_of_march() {
    let v = run("2008-02-29", &[("01/01/2022", "30/05/2022", "C2", "K1")], "2024-06-01");
    assert_eq!(v["residential_days_after_14"], 90);
}

#[test]
fn text_format_is_for_people() {
    let rows = [("01/03/2021", "01/10/2021", "C2", "K2"), ("01/10/2021", "01/09/2023", "C2", "U6")];
    let (code, out, _) = run_raw("2007-06-10", &csv(&rows), "2024-01-01", "text");
    assert_eq!(code, 0);
    assert!(out.contains("Staying Close eligible:      yes"), "{out}");
    assert!(out.contains("Care-leaver status:          Relevant child (relevant)"), "{out}");
    assert!(out.contains("Personal adviser until:      9 June 2032"), "{out}");
}

fn assert_bad(text: &str, expected: &[&str]) {
    let (code, out, err) = run_raw("2007-06-10", text, "2024-01-01", "json");
    assert_eq!(code, 2, "stderr: {err}");
    assert!(out.is_empty());
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("episodes.csv: "), "names the file: {err}");
    for part in expected {
        assert!(err.contains(part), "expected {part:?} in {err}");
    }
}

#[test]
fn bad_input_names_file_line_column_and_value() {
    assert_bad(
        "CHILD,DECOM,RNE,LS,CIN,PLACE\nC1,01/01/2021,S,C2,N1,K2\n",
        &["line 1, column DEC", "required column DEC is missing"],
    );
    assert_bad(
        &format!("{HEAD}\nC1,32/01/2021,S,C2,N1,K2,PR1,,,,,,SC400001\n"),
        &["line 2, column DECOM, value \"32/01/2021\""],
    );
    assert_bad(
        &format!("{HEAD}\nC1,01/03/2021,S,C2,N1,K2,PR1,01/02/2021,X1,,,,SC400001\n"),
        &["line 2, column DEC, value \"01/02/2021\": DEC is before DECOM"],
    );
    assert_bad(
        &format!("{HEAD}\nC1,01/03/2021,S,C2,N1,K7,PR1,,,,,,\n"),
        &["line 2, column PLACE, value \"K7\": not a valid PLACE code"],
    );
    assert_bad(
        &format!("{HEAD}\nC1,01/03/2021,S,C2,N1,K2,PR1,01/04/2021,X1,,,,SC400001\nC2,01/04/2021,P,C2,N1,K2,PR1,,,,,,SC400001\n"),
        &["line 3, column CHILD, value \"C2\": all rows must belong to one child"],
    );
    let (code, _, err) = run_raw("10/06/2007", &csv(&[]), "2024-01-01", "json");
    assert_eq!(code, 2);
    assert!(err.contains("--dob"), "{err}");
}
