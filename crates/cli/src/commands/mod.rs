pub mod audit;
pub mod bench;
pub mod demo;
pub mod eligibility;
pub mod import_903;
pub mod la;
pub mod migrate;
pub mod serve;
pub mod user;

use crate::config::Config;
use anyhow::Context;
use staying_close_store::{ConnectOptions, DatabaseUrl, Store};

/// Opens the database and brings its schema up to date.
pub async fn open_store(config: &Config, url: &DatabaseUrl) -> anyhow::Result<Store> {
    let options = ConnectOptions { max_connections: config.db_max_connections, ..ConnectOptions::default() };
    let store = Store::connect(url, &options).await?;
    store.migrate().await.context("cannot apply database migrations")?;
    Ok(store)
}

/// The database for everyday commands.
pub fn database(config: &Config) -> DatabaseUrl {
    config.database("staying-close.db")
}
