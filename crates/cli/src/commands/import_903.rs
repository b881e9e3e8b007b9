//! `staying-close import-903`: load SSDA903 Header, Episodes and OC3 files
//! into one LA. Every problem in every file is listed; a file with any
//! problem changes nothing.

use super::eligibility::BadInput;
use crate::config::Config;
use anyhow::Context;
use staying_close_domain::la::LaCode;
use staying_close_domain::ssda903_files::{parse_import, ImportError};
use staying_close_store::{Actor, ImportSummary};
use std::path::Path;

fn read(path: &Path) -> Result<String, BadInput> {
    let bytes = std::fs::read(path).map_err(|e| BadInput(format!("{}: cannot read the file: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|_| BadInput(format!("{}: the file is not UTF-8 text", path.display())))
}

/// The errors as a table a person can work through.
pub fn error_table(errors: &[ImportError], file_names: &dyn Fn(&str) -> String) -> String {
    let problems = staying_close_domain::words::count(errors.len() as u64, "problem", "problems");
    let mut out = format!("{problems} found; nothing was imported.\n\n");
    out.push_str(&format!("{:<28} {:>5}  {:<20} {:<14} {}\n", "File", "Line", "Column", "Value", "Problem"));
    for e in errors {
        out.push_str(&format!(
            "{:<28} {:>5}  {:<20} {:<14} {}\n",
            file_names(e.file),
            e.error.line,
            e.error.column,
            format!("{:?}", e.error.value),
            e.error.reason
        ));
    }
    out
}

pub fn print_summary(s: &ImportSummary) {
    if !s.changed_anything() {
        println!("Imported {} children: nothing had changed since the last import.", s.children_in_files);
        return;
    }
    println!("Imported {} children.", s.children_in_files);
    println!("  young people added:           {}", s.young_people_created);
    println!("  young people updated:         {}", s.young_people_updated);
    println!("  care histories replaced:      {} ({} episodes)", s.episode_histories_replaced, s.episodes_written);
    println!("  care-leaver outcomes updated: {}", s.outcomes_written);
}

pub async fn run(config: &Config, la: &str, header: &Path, episodes: &Path, oc3: Option<&Path>) -> anyhow::Result<()> {
    let code = LaCode::parse(la).context("--la")?;
    let (header_text, episodes_text) = (read(header)?, read(episodes)?);
    let oc3_text = oc3.map(read).transpose()?;
    let names = |file: &str| {
        match file {
            "header" => header,
            "episodes" => episodes,
            _ => oc3.unwrap_or(Path::new("oc3")),
        }
        .display()
        .to_string()
    };
    let import = parse_import(&header_text, &episodes_text, oc3_text.as_deref())
        .map_err(|errors| BadInput(error_table(&errors, &names).trim_end().to_owned()))?;
    let store = super::open_store(config, &super::database(config)).await?;
    let la = store.la_by_code(&code).await?.with_context(|| format!("--la: no local authority has code {code}"))?;
    let files = [Some(header), Some(episodes), oc3]
        .iter()
        .flatten()
        .map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(", ");
    let summary =
        store.import_903(la.id, std::sync::Arc::new(import), &files, &Actor::System("cli:import-903")).await?;
    print_summary(&summary);
    store.close().await;
    Ok(())
}
