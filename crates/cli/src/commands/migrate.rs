use crate::config::Config;
use staying_close_store::{ConnectOptions, Store};

pub async fn run(config: &Config, status_only: bool, recount_contacts: bool) -> anyhow::Result<()> {
    let url = super::database(config);
    let store = Store::connect(&url, &ConnectOptions::default()).await?;
    if !status_only {
        let applied = store.migrate().await?;
        if applied.is_empty() {
            println!("The database is up to date.");
        } else {
            let applied_words = staying_close_domain::words::count(applied.len() as u64, "migration", "migrations");
            println!("Applied {applied_words}: {applied:?}");
        }
        if recount_contacts {
            store.recount_contact_months().await?;
            println!("Counted every LA's contacts by month afresh.");
        }
    }
    for (version, description, applied) in store.migration_status().await? {
        println!("{version:>4}  {description:<30} {}", if applied { "applied" } else { "pending" });
    }
    store.close().await;
    Ok(())
}
