use crate::config::{parse_bind, parse_database_url, Config};
use staying_close_domain::people::Password;
use staying_close_store::{Actor, DatasetSummary};

pub async fn run(config: &Config, bind: Option<&str>, database: Option<&str>, serve: bool) -> anyhow::Result<()> {
    let url = match database {
        Some(value) => parse_database_url("--database", value)?.1,
        None => config.database("demo.db"),
    };
    let addr = match bind {
        Some(value) => parse_bind("--bind", value)?,
        None => config.bind,
    };
    let listener = if serve { Some(super::serve::listen(addr).await?) } else { None };
    let store = super::open_store(config, &url).await?;
    let today = staying_close_domain::dates::uk_today();
    let data = staying_close_demo::generate(today, staying_close_demo::DEFAULT_SEED);
    let password = Password::parse(&config.demo_password)?;
    let summary = store.load_dataset(&data, &password, &Actor::System("demo")).await?;
    println!("Demo data loaded into {} ({}) for {}.", url.backend(), url.redacted(), today.format("%-d %B %Y"));
    print_logins(&summary, &config.demo_password);
    match listener {
        Some(listener) => {
            println!();
            println!("Staying Close demo is running at http://{}", listener.local_addr()?);
            println!("Press Ctrl-C to stop.");
            super::serve::serve(config, listener, store).await
        }
        None => {
            store.close().await;
            Ok(())
        }
    }
}

fn print_logins(summary: &DatasetSummary, password: &str) {
    println!();
    println!("Demo logins (every account's password is: {password})");
    for la in &summary.las {
        println!();
        println!("  {} (LA code {}), {} young people", la.name, la.code, la.young_people);
        for (email, role) in &la.logins {
            println!("    {email:<42} {role}");
        }
    }
    println!();
    println!("  National programme");
    for (email, role) in &summary.national_logins {
        println!("    {email:<42} {role}");
    }
}
