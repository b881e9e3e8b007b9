use crate::config::Config;
use clap::Subcommand;
use staying_close_domain::la::{LaCode, LaName, LaSettings};
use staying_close_domain::money::Pence;
use staying_close_store::Actor;

#[derive(Debug, Subcommand)]
pub enum LaCommand {
    /// Add a local authority.
    Add {
        /// The three-digit DfE LA code, like 350.
        #[arg(long)]
        code: String,
        /// The LA's name, like "Bolton".
        #[arg(long)]
        name: String,
        /// Young people per personal adviser before the caseload is over the cap.
        #[arg(long, default_value_t = 8)]
        caseload_cap: u32,
        /// Monthly activities allowance per young person, in pounds (like 30 or 30.00).
        #[arg(long, default_value = "30.00")]
        allowance: String,
        /// Weekly hours of tailored support offered once independent.
        #[arg(long, default_value_t = 5)]
        weekly_hours: u32,
        /// Default days between visits before a visit is overdue.
        #[arg(long, default_value_t = 14)]
        visit_frequency_days: u32,
    },
    /// List local authorities.
    List,
}

pub async fn run(config: &Config, command: LaCommand) -> anyhow::Result<()> {
    let store = super::open_store(config, &super::database(config)).await?;
    match command {
        LaCommand::Add { code, name, caseload_cap, allowance, weekly_hours, visit_frequency_days } => {
            let code = LaCode::parse(&code)?;
            let name = LaName::parse(&name)?;
            let activities_allowance =
                Pence::parse(&allowance).map_err(|e| anyhow::anyhow!("--allowance {allowance:?}: {e}"))?;
            let settings = LaSettings {
                caseload_cap,
                activities_allowance,
                weekly_support_hours: weekly_hours,
                visit_frequency_days,
            };
            settings.validate()?;
            let la = store.create_la(&code, &name, &settings, &Actor::System("cli:la-add")).await?;
            println!("Added {} (LA code {}).", la.name, la.code);
        }
        LaCommand::List => {
            for la in store.list_las().await? {
                let s = &la.settings;
                println!(
                    "{}  {:<30} caseload cap {}, allowance {} a month, {} hours a week, visits every {} days",
                    la.code,
                    la.name,
                    s.caseload_cap,
                    s.activities_allowance,
                    s.weekly_support_hours,
                    s.visit_frequency_days
                );
            }
        }
    }
    store.close().await;
    Ok(())
}
