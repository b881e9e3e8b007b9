//! `staying-close`: the one binary. It reads configuration, then hands over
//! to the storage and web crates; it holds no business rules itself.

mod commands;
mod config;
mod logging;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "staying-close",
    version,
    about = "Staying Close: case management and impact reporting for young people leaving residential care.",
    after_help = "Configuration comes from an optional TOML file, then environment variables, then flags:\n  \
        DATABASE_URL                      sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/NAME\n  \
        STAYING_CLOSE_DATA_DIR            folder for the default SQLite file (default: data)\n  \
        STAYING_CLOSE_BIND                address to listen on (default: 127.0.0.1:8080)\n  \
        STAYING_CLOSE_LOG                 log filter (default: info,sqlx=warn)\n  \
        STAYING_CLOSE_LOG_FORMAT          text or json (default: text)\n  \
        STAYING_CLOSE_BEHIND_TLS          true when users reach the service over HTTPS\n  \
        STAYING_CLOSE_TRUST_FORWARDED_FOR true behind a proxy that sets X-Forwarded-For\n  \
        STAYING_CLOSE_REQUEST_TIMEOUT_SECS  longest request time (default: 30)\n  \
        STAYING_CLOSE_DB_MAX_CONNECTIONS  database pool size (default: 8)\n  \
        STAYING_CLOSE_DEMO_PASSWORD       password for every demo account (default: close-support-demo)\n  \
        STAYING_CLOSE_CONFIG              path of the TOML file (or use --config)"
)]
struct Cli {
    /// A TOML file of settings (keys as the variables above, lower case, without the prefix).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web service (applies any pending migrations first).
    Serve {
        /// Address and port to listen on, like 0.0.0.0:8080.
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
    },
    /// Apply pending database migrations, or list them with --status.
    Migrate {
        /// Show which migrations are applied instead of applying them.
        #[arg(long)]
        status: bool,
        /// Then count every LA's contacts by month afresh (after contacts were changed by hand).
        #[arg(long)]
        recount_contacts: bool,
    },
    /// Create or refresh the demo local authorities, then serve them.
    Demo {
        /// Address and port to listen on.
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
        /// Database for the demo (default: a SQLite file demo.db in the data folder).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
        /// Load the demo data and stop, without serving.
        #[arg(long)]
        no_serve: bool,
    },
    /// Work out Staying Close eligibility and care-leaver status for one child from an SSDA903 Episodes file.
    Eligibility {
        /// Date of birth, YYYY-MM-DD.
        #[arg(long)]
        dob: String,
        /// SSDA903 Episodes CSV for one child (dates dd/mm/yyyy, empty DEC for an open episode).
        #[arg(long, value_name = "FILE.csv")]
        episodes: PathBuf,
        /// The as-at date, YYYY-MM-DD.
        #[arg(long)]
        on: String,
        /// json (for other tools) or text (for people).
        #[arg(long, value_enum, default_value = "json")]
        format: commands::eligibility::Format,
    },
    /// Import SSDA903 Header, Episodes and (optionally) OC3 files into one local authority.
    #[command(name = "import-903")]
    Import903 {
        /// The LA code to import into.
        #[arg(long)]
        la: String,
        /// SSDA903 Header CSV (CHILD, SEX, DOB, ETHNIC, ...).
        #[arg(long, value_name = "FILE.csv")]
        header: PathBuf,
        /// SSDA903 Episodes CSV.
        #[arg(long, value_name = "FILE.csv")]
        episodes: PathBuf,
        /// SSDA903 OC3 CSV (care-leaver outcomes).
        #[arg(long, value_name = "FILE.csv")]
        oc3: Option<PathBuf>,
    },
    /// Write the SSDA903 OC3 file (care leavers' outcomes) for one LA and collection year.
    #[command(name = "export-oc3")]
    ExportOc3 {
        /// The LA code.
        #[arg(long)]
        la: String,
        /// The collection year, like 2025-26 (1 April to 31 March).
        #[arg(long)]
        year: String,
        /// Where to write the OC3 CSV; standard output when left out.
        #[arg(long, value_name = "FILE.csv")]
        out: Option<PathBuf>,
        /// Also write header.csv, episodes.csv and oc3.csv into this folder, for the 903 validator.
        #[arg(long, value_name = "DIR")]
        tables: Option<PathBuf>,
    },
    /// Measure performance (see docs/perf.md).
    #[command(subcommand)]
    Bench(commands::bench::BenchCommand),
    /// Create synthetic local authorities for benchmarks: staff, young people, care histories, schedules and contacts.
    Generate {
        /// Database to write to: sqlite://PATH or a PostgreSQL URL.
        #[arg(long, value_name = "URL")]
        database: String,
        /// How many local authorities (codes from 100).
        #[arg(long, default_value_t = 1)]
        las: u16,
        /// Young people in each local authority.
        #[arg(long, default_value_t = 5000)]
        young_people: usize,
        /// Years of contacts for each young person.
        #[arg(long, default_value_t = 2)]
        years: u32,
        /// Seed: the same seed on the same day gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Check the audit trail.
    #[command(subcommand)]
    Audit(commands::audit::AuditCommand),
    /// Manage local authorities.
    #[command(subcommand)]
    La(commands::la::LaCommand),
    /// Manage staff accounts.
    #[command(subcommand)]
    User(commands::user::UserCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match config::Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => return fail(&anyhow::Error::new(e)),
    };
    logging::init(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(&anyhow::anyhow!("cannot start the async runtime: {e}")),
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve { bind } => commands::serve::run(&config, bind.as_deref()).await,
            Command::Migrate { status, recount_contacts } => {
                commands::migrate::run(&config, status, recount_contacts).await
            }
            Command::Demo { bind, database, no_serve } => {
                commands::demo::run(&config, bind.as_deref(), database.as_deref(), !no_serve).await
            }
            Command::Eligibility { dob, episodes, on, format } => {
                commands::eligibility::run(&dob, &episodes, &on, format)
            }
            Command::Import903 { la, header, episodes, oc3 } => {
                commands::import_903::run(&config, &la, &header, &episodes, oc3.as_deref()).await
            }
            Command::ExportOc3 { la, year, out, tables } => {
                commands::export_oc3::run(&config, &la, &year, out.as_deref(), tables.as_deref()).await
            }
            Command::Bench(cmd) => commands::bench::run(&config, cmd).await,
            Command::Generate { database, las, young_people, years, seed } => {
                let options = commands::generate::Options { database, las, young_people, years, seed };
                commands::generate::run(&config, options).await
            }
            Command::Audit(cmd) => commands::audit::run(&config, cmd).await,
            Command::La(cmd) => commands::la::run(&config, cmd).await,
            Command::User(cmd) => commands::user::run(&config, cmd).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

/// One clear line (plus causes), never a backtrace. Configuration mistakes
/// exit with 2, like usage errors; everything else with 1.
fn fail(error: &anyhow::Error) -> ExitCode {
    eprintln!("staying-close: error: {error:#}");
    if error.downcast_ref::<config::ConfigError>().is_some()
        || error.downcast_ref::<commands::eligibility::BadInput>().is_some()
    {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}
