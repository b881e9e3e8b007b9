//! `staying-close export-oc3`: the SSDA903 OC3 file (care leavers' outcomes
//! around their 17th to 21st birthdays) for one LA and collection year, with
//! the Header and Episodes tables beside it when asked, so the return can be
//! checked by the DfE rules. Who is left out, and why, goes to stderr.

use super::eligibility::BadInput;
use crate::config::Config;
use anyhow::Context;
use serde_json::json;
use staying_close_domain::dates::{format_uk, LeapDayRule};
use staying_close_domain::funding::FinancialYear;
use staying_close_domain::la::LaCode;
use staying_close_domain::oc3::{episodes_csv, header_csv, oc3_csv, HeaderLine, Oc3Return};
use staying_close_store::Actor;
use std::path::Path;

pub async fn run(
    config: &Config,
    la: &str,
    year: &str,
    out: Option<&Path>,
    tables: Option<&Path>,
) -> anyhow::Result<()> {
    let code = LaCode::parse(la).context("--la")?;
    let year = FinancialYear::parse(year)
        .ok_or_else(|| BadInput(format!("--year: {year:?} is not a collection year like 2025-26")))?;
    let store = super::open_store(config, &super::database(config)).await?;
    let la = store.la_by_code(&code).await?.with_context(|| format!("--la: no local authority has code {code}"))?;
    let sources = store.oc3_sources(la.id, year).await?;
    let ret = Oc3Return::of(sources.iter().map(|s| &s.person), year, LeapDayRule::default());
    let file = oc3_csv(&ret.rows);
    match out {
        Some(path) => std::fs::write(path, &file).with_context(|| format!("--out: cannot write {}", path.display()))?,
        None => print!("{file}"),
    }
    if let Some(dir) = tables {
        std::fs::create_dir_all(dir).with_context(|| format!("--tables: cannot create {}", dir.display()))?;
        let in_file: std::collections::HashSet<&str> = ret.rows.iter().map(|r| r.child_id.as_str()).collect();
        let chosen: Vec<_> = sources.iter().filter(|s| in_file.contains(s.person.child_id.as_str())).collect();
        let header: Vec<HeaderLine> = chosen
            .iter()
            .map(|s| HeaderLine {
                child_id: s.person.child_id.clone(),
                sex: s.sex.clone(),
                date_of_birth: s.person.date_of_birth,
                ethnicity: s.ethnicity.clone(),
                upn: s.upn.clone(),
            })
            .collect();
        let episodes: Vec<(String, Vec<_>)> =
            chosen.iter().map(|s| (s.person.child_id.clone(), s.episodes.clone())).collect();
        std::fs::write(dir.join("header.csv"), header_csv(&header))?;
        std::fs::write(dir.join("episodes.csv"), episodes_csv(&episodes))?;
        std::fs::write(dir.join("oc3.csv"), &file)?;
    }
    let details =
        json!({ "year": year.to_string(), "rows": ret.rows.len(), "needs_information": ret.needs_information.len() });
    store.record_event(&Actor::System("cli:export-oc3"), Some(la.id), "export", "oc3_return", None, details).await?;
    eprintln!("OC3 {year} for {}: {} young people.", la.name, ret.rows.len());
    for (child, reason) in &ret.not_required {
        eprintln!("  not required: {child}: {reason}");
    }
    for (child, birthday, missing) in &ret.needs_information {
        eprintln!("  needs information: {child} (birthday {}): record {}", format_uk(*birthday), missing.join(" and "));
    }
    if !ret.is_complete() {
        let who = staying_close_domain::words::count(
            ret.needs_information.len() as u64,
            "young person is",
            "young people are",
        );
        eprintln!("{who} left out until that is recorded.");
    }
    store.close().await;
    Ok(())
}
