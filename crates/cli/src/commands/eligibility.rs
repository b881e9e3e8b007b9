//! `staying-close eligibility`: the eligibility engine for one child, from files.
//! Bad input exits with code 2 and names the file, line, column and value.

use chrono::NaiveDate;
use serde_json::{json, Value};
use staying_close_domain::dates::{format_uk, parse_iso};
use staying_close_domain::eligibility::{assess, Assessment, Rules};
use staying_close_domain::ssda903_files::parse_episodes;
use std::path::Path;

/// Input the user must fix: reported as is, exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Text,
}

fn date_flag(flag: &str, value: &str) -> Result<NaiveDate, BadInput> {
    parse_iso(value).ok_or_else(|| BadInput(format!("{flag}: {value:?} is not a real date in the form YYYY-MM-DD")))
}

pub fn run(dob: &str, episodes: &Path, on: &str, format: Format) -> anyhow::Result<()> {
    let dob = date_flag("--dob", dob)?;
    let as_at = date_flag("--on", on)?;
    let name = episodes.display();
    let text = std::fs::read(episodes).map_err(|e| BadInput(format!("{name}: cannot read the file: {e}")))?;
    let text = String::from_utf8(text).map_err(|_| BadInput(format!("{name}: the file is not UTF-8 text")))?;
    let rows = parse_episodes(&text)
        .map_err(|errors| BadInput(errors.iter().map(|e| format!("{name}: {e}")).collect::<Vec<_>>().join("\n")))?;
    if let Some(first) = rows.first() {
        if let Some(other) = rows.iter().find(|r| r.child != first.child) {
            return Err(BadInput(format!(
                "{name}: line {}, column CHILD, value {:?}: all rows must belong to one child (line {} is {})",
                other.line,
                other.child.as_str(),
                first.line,
                first.child
            ))
            .into());
        }
    }
    let episodes: Vec<_> = rows.into_iter().map(|r| r.episode).collect();
    let assessment = assess(dob, &episodes, as_at, &Rules::default());
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&to_json(&assessment))?),
        Format::Text => print!("{}", to_text(&assessment)),
    }
    Ok(())
}

fn iso(date: Option<NaiveDate>) -> Value {
    date.map(|d| Value::String(d.format("%Y-%m-%d").to_string())).unwrap_or(Value::Null)
}

/// The JSON contract: exactly these six keys.
pub fn to_json(a: &Assessment) -> Value {
    let mut explanation: Vec<Value> = a
        .periods
        .iter()
        .map(|p| {
            json!({
                "kind": "period",
                "decom": iso(Some(p.decom)),
                "dec": iso(p.dec),
                "legal_status": p.legal_status,
                "placement": p.placement,
                "counted_from": iso(p.counted_from),
                "counted_to": iso(p.counted_to),
                "looked_after_days": p.looked_after_days,
                "residential_days": p.residential_days,
                "note": p.note,
            })
        })
        .collect();
    explanation.extend(a.reasons.iter().map(|r| json!({ "kind": "rule", "field": r.field, "rule": r.rule })));
    explanation.extend(a.for_review.iter().map(|r| json!({ "kind": "review", "field": r.field, "rule": r.rule })));
    json!({
        "residential_days_after_14": a.residential_days_after_14,
        "looked_after_days_after_14": a.looked_after_days_after_14,
        "staying_close_eligible": a.staying_close_eligible,
        "care_leaver_status": a.care_leaver_status.as_str(),
        "personal_adviser_until": iso(a.personal_adviser_until),
        "explanation": explanation,
    })
}

pub fn to_text(a: &Assessment) -> String {
    let mut out = String::new();
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    out.push_str(&format!("As at {} (aged {})\n\n", format_uk(a.as_at), a.age));
    out.push_str(&format!("Staying Close eligible:      {}\n", yes_no(a.staying_close_eligible)));
    out.push_str(&format!("Residential days after 14:   {}\n", a.residential_days_after_14));
    out.push_str(&format!("Looked-after days after 14:  {}\n", a.looked_after_days_after_14));
    out.push_str(&format!(
        "Care-leaver status:          {} ({})\n",
        a.care_leaver_status.label(),
        a.care_leaver_status
    ));
    out.push_str(&format!(
        "Personal adviser until:      {}\n",
        a.personal_adviser_until.map(format_uk).unwrap_or_else(|| "not applicable".into())
    ));
    out.push_str("\nEpisodes counted\n");
    for p in &a.periods {
        out.push_str(&format!(
            "  {} to {}  {} {}  looked after {:>4}  residential {:>4}  {}\n",
            p.decom.format("%d/%m/%Y"),
            p.dec.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_else(|| "open      ".into()),
            p.legal_status,
            p.placement,
            p.looked_after_days,
            p.residential_days,
            p.note
        ));
    }
    out.push_str("\nWhy\n");
    for r in &a.reasons {
        out.push_str(&format!("  {}: {}\n", r.field, r.rule));
    }
    if !a.for_review.is_empty() {
        out.push_str("\nFor someone to check\n");
        for r in &a.for_review {
            out.push_str(&format!("  {}: {}\n", r.field, r.rule));
        }
    }
    out
}
