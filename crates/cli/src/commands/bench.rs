//! `staying-close bench`: repeatable measurements for docs/perf.md. These
//! print figures; they are never timed assertions in tests.

use crate::config::{parse_database_url, Config};
use clap::Subcommand;
use staying_close_demo::SplitMix64;
use staying_close_domain::eligibility::{assess, Rules};
use staying_close_domain::la::{LaCode, LaName, LaSettings};
use staying_close_domain::ssda903_files::parse_import;
use staying_close_store::{Actor, DatabaseUrl};
use std::fmt::Write as _;
use std::time::Instant;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Generate an SSDA903 import, then time validating it, importing it and importing it again.
    #[command(name = "import-903")]
    Import903 {
        /// How many episodes to generate (about four per child).
        #[arg(long, default_value_t = 100_000)]
        episodes: usize,
        /// Database to import into (default: a new SQLite file in a temporary folder).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
    /// Generate many LAs, then time the national roll-up against one hand-written SQL aggregate over the same tables.
    National {
        /// Local authorities to generate.
        #[arg(long, default_value_t = 20)]
        las: u16,
        /// Young people in each.
        #[arg(long, default_value_t = 200)]
        young_people: usize,
        /// Years of contacts for each.
        #[arg(long, default_value_t = 2)]
        years: u32,
        /// Times each is run.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Database (default: a new SQLite file in a temporary folder); use PostgreSQL for the national figures.
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
    /// Time the cohort page, a young person's pages and the team's week at demo size and at a generated LA.
    Pages {
        /// Young people in the generated LA.
        #[arg(long, default_value_t = 5000)]
        young_people: usize,
        /// Years of contacts for each.
        #[arg(long, default_value_t = 2)]
        years: u32,
        /// Requests timed per page and size.
        #[arg(long, default_value_t = 200)]
        requests: usize,
        /// Database (default: a new SQLite file in a temporary folder).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
}

/// Synthetic but valid Header and Episodes files: `episodes` rows over
/// roughly `episodes / 4` children.
pub fn synthetic_903(episodes: usize, seed: u64) -> (String, String) {
    let mut rng = SplitMix64::new(seed);
    let children = episodes.div_ceil(4).max(1);
    let mut header = String::from("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n");
    let mut eps =
        String::from("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n");
    let base = chrono::NaiveDate::from_ymd_opt(2004, 1, 1).unwrap();
    let mut written = 0;
    for c in 0..children {
        let dob = base + chrono::Days::new(rng.below(365 * 6));
        let sex = if rng.below(2) == 0 { "M" } else { "F" };
        writeln!(header, "B{c:07},{sex},{},WBRI,UN1,,", dob.format("%d/%m/%Y")).unwrap();
        let mut start = dob + chrono::Days::new(365 * 12 + rng.below(700));
        let n = (episodes - written).min(4);
        for i in 0..n {
            let len = 30 + rng.below(400);
            let end = start + chrono::Days::new(len);
            let place = rng.pick(&["K2", "K2", "U6", "U4", "K1", "R5", "K3"]);
            let last = i + 1 == n;
            let (dec, rec) = if last && rng.below(3) == 0 {
                (String::new(), "")
            } else {
                (end.format("%d/%m/%Y").to_string(), if last { "E5" } else { "X1" })
            };
            let urn = if matches!(place, "K1" | "K2") { "SC400001" } else { "" };
            writeln!(
                eps,
                "B{c:07},{},{},C2,N1,{place},PR1,{dec},{rec},,BL3 5AB,BL1 4QR,{urn}",
                start.format("%d/%m/%Y"),
                if i == 0 { "S" } else { "P" }
            )
            .unwrap();
            start = end;
        }
        written += n;
    }
    (header, eps)
}

pub async fn run(config: &Config, command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Pages { young_people, years, requests, database } => {
            let dir = tempfile_dir()?;
            let url = match database {
                Some(value) => parse_database_url("--database", &value)?.1,
                None => DatabaseUrl::sqlite_file(&dir.join("bench.db")),
            };
            let store = super::open_store(config, &url).await?;
            println!("Database: {} ({})", url.backend(), url.redacted());
            let password = staying_close_domain::people::Password::parse(&config.demo_password)?;
            let options = super::bench_pages::Options { young_people, years, requests: requests.max(1) };
            let result = super::bench_pages::run(store, &password, options).await;
            let _ = std::fs::remove_dir_all(&dir);
            result?;
        }
        BenchCommand::National { las, young_people, years, runs, database } => {
            let dir = tempfile_dir()?;
            let url = match database {
                Some(value) => parse_database_url("--database", &value)?.1,
                None => DatabaseUrl::sqlite_file(&dir.join("bench.db")),
            };
            let store = super::open_store(config, &url).await?;
            println!("Database: {} ({})", url.backend(), url.redacted());
            let password = staying_close_domain::people::Password::parse(&config.demo_password)?;
            let result = national(&store, &password, las, young_people, years, runs.max(1)).await;
            store.close().await;
            let _ = std::fs::remove_dir_all(&dir);
            result?;
        }
        BenchCommand::Import903 { episodes, database } => {
            let dir = tempfile_dir()?;
            let url = match database {
                Some(value) => parse_database_url("--database", &value)?.1,
                None => DatabaseUrl::sqlite_file(&dir.join("bench.db")),
            };
            let (header, eps) = synthetic_903(episodes, 903);
            println!(
                "Generated {episodes} episodes ({} KiB) for {} children.",
                eps.len() / 1024,
                header.lines().count() - 1
            );

            // Memory: the first read, from a fresh peak.
            let before = memory::reset_peak();
            let import = std::sync::Arc::new(
                parse_import(&header, &eps, None)
                    .map_err(|e| anyhow::anyhow!("generated data is invalid: {}", e[0]))?,
            );
            let peak = memory::peak();
            // Time: the best of five runs each, taken in turns, so both see the same machine.
            let (mut bare, mut parse) = (std::time::Duration::MAX, std::time::Duration::MAX);
            for _ in 0..5 {
                bare = bare.min(bare_csv_pass(&[&header, &eps])?);
                let t = Instant::now();
                std::hint::black_box(parse_import(&header, &eps, None).is_ok());
                parse = parse.min(t.elapsed());
            }
            println!("Bare CSV pass (csv crate):  {:>8.0} ms (best of 5)", bare.as_secs_f64() * 1000.0);
            println!(
                "Read and validate:          {:>8.0} ms (best of 5; {:.0}% of the bare pass's throughput)",
                parse.as_secs_f64() * 1000.0,
                100.0 * bare.as_secs_f64() / parse.as_secs_f64()
            );
            if let (Some(before), Some(peak)) = (before, peak) {
                let input = (header.len() + eps.len()) as f64 / 1024.0;
                let grew = peak.saturating_sub(before) as f64;
                println!(
                    "Peak memory while reading:  {:>8.1} MiB above the {:.1} MiB of input ({:.2}x the input; {:.2}x counting it)",
                    grew / 1024.0,
                    input / 1024.0,
                    grew / input,
                    (grew + input) / input
                );
            }

            let t = Instant::now();
            let rules = Rules::default();
            let as_at = chrono::NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
            let mut by_child: std::collections::HashMap<&str, Vec<_>> = std::collections::HashMap::new();
            for row in &import.episodes {
                by_child.entry(row.child.as_str()).or_default().push(row.episode.clone());
            }
            let eligible = import
                .children
                .iter()
                .filter(|c| {
                    assess(c.dob, by_child.get(c.child.as_str()).map(Vec::as_slice).unwrap_or(&[]), as_at, &rules)
                        .staying_close_eligible
                })
                .count();
            println!(
                "Assess every child:         {:>8.0} ms ({eligible} eligible)",
                t.elapsed().as_secs_f64() * 1000.0
            );

            let store = super::open_store(config, &url).await?;
            let code = LaCode::parse("999")?;
            if store.la_by_code(&code).await?.is_some() {
                anyhow::bail!("--database already holds benchmark data (LA 999): use an empty database");
            }
            let la = store
                .create_la(&code, &LaName::parse("Benchmark")?, &LaSettings::default(), &Actor::System("bench"))
                .await?;
            let t = Instant::now();
            let first = store.import_903(la.id, import.clone(), "bench", &Actor::System("bench")).await?;
            println!(
                "First import ({}):    {:>8.0} ms ({} episodes written)",
                url.backend(),
                t.elapsed().as_secs_f64() * 1000.0,
                first.episodes_written
            );
            let t = Instant::now();
            let second = store.import_903(la.id, import.clone(), "bench", &Actor::System("bench")).await?;
            println!(
                "Re-import, no changes:      {:>8.0} ms (changed anything: {})",
                t.elapsed().as_secs_f64() * 1000.0,
                second.changed_anything()
            );
            store.close().await;
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    Ok(())
}

/// The csv crate alone reading every record of the files into one reused
/// record, doing nothing with them: the floor for any reader of the same files.
fn bare_csv_pass(files: &[&str]) -> anyhow::Result<std::time::Duration> {
    let t = Instant::now();
    let mut fields = 0usize;
    for text in files {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record)? {
            fields += record.len();
        }
    }
    std::hint::black_box(fields);
    Ok(t.elapsed())
}

/// The process's resident memory from Linux's `/proc/self/status`, in KiB.
mod memory {
    fn status(field: &str) -> Option<u64> {
        let text = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = text.lines().find(|l| l.starts_with(field))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// Starts a new peak; returns resident memory now.
    pub fn reset_peak() -> Option<u64> {
        std::fs::write("/proc/self/clear_refs", "5").ok()?;
        status("VmRSS:")
    }

    /// The highest resident memory since the last reset.
    pub fn peak() -> Option<u64> {
        status("VmHWM:")
    }
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("staying-close-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Loads `las` synthetic LAs (unless already there), then times the roll-up
/// `/national` draws and one hand-written aggregate, each `runs` times.
async fn national(
    store: &staying_close_store::Store,
    password: &staying_close_domain::people::Password,
    las: u16,
    young_people: usize,
    years: u32,
    runs: usize,
) -> anyhow::Result<()> {
    use staying_close_domain::report::{Measure, Period};
    let today = staying_close_domain::dates::uk_today();
    let started = Instant::now();
    let mut written = 0;
    for i in 0..las {
        let code = super::generate::FIRST_CODE + i;
        if store.la_by_code(&LaCode::parse(&format!("{code:03}"))?).await?.is_some() {
            continue;
        }
        let la = staying_close_demo::synthetic_la(today, 1, code, young_people, years);
        let data = staying_close_domain::dataset::Dataset { las: vec![la], national_staff: Vec::new() };
        written += super::generate::rows(&data);
        store.load_dataset(&data, password, &Actor::System("bench")).await?;
    }
    println!(
        "Generated {las} LAs of {young_people} young people: {written} rows in {:.0} s.",
        started.elapsed().as_secs_f64()
    );
    // The last twelve whole months: national viewers see whole years.
    let this_month = chrono::Datelike::with_day(&today, 1).expect("day 1");
    let period = Period { from: this_month - chrono::Months::new(12), to: this_month - chrono::Duration::days(1) };
    let mut rollup = Vec::new();
    let mut aggregate = Vec::new();
    let mut check = (0, 0);
    for _ in 0..runs {
        let t = Instant::now();
        let all = store.national_figures(period).await?;
        let rows: Vec<Vec<u64>> =
            all.iter().map(|(_, f)| Measure::all().iter().map(|m| f.count(*m)).collect()).collect();
        let _published = staying_close_domain::suppression::suppress(&rows);
        rollup.push(t.elapsed());
        check.0 = all.iter().map(|(_, f)| f.count(Measure::Contacts)).sum::<u64>();
        let t = Instant::now();
        let agg = store.contacts_aggregate_by_la(period).await?;
        aggregate.push(t.elapsed());
        check.1 = agg.iter().map(|(_, n, _, _)| *n as u64).sum::<u64>();
    }
    rollup.sort();
    aggregate.sort();
    let (r, a) = (rollup[runs / 2].as_secs_f64() * 1000.0, aggregate[runs / 2].as_secs_f64() * 1000.0);
    println!("Contacts in the year, all LAs: {} by the roll-up, {} by the aggregate.", check.0, check.1);
    println!("| Query | Median of {runs} runs |");
    println!("|---|---:|");
    println!("| National roll-up (every measure of every LA, suppressed) | {r:.0} ms |");
    println!("| One hand-written aggregate (contacts, minutes and direct work by LA) | {a:.0} ms |");
    println!("| Ratio | {:.1}× |", r / a);
    Ok(())
}
