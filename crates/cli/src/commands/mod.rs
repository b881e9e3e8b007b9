pub mod audit;
pub mod bench;
pub mod bench_pages;
pub mod demo;
pub mod eligibility;
pub mod export_oc3;
pub mod generate;
pub mod import_903;
pub mod la;
pub mod migrate;
pub mod serve;
pub mod user;

use crate::config::{Config, ConfigError};
use anyhow::Context;
use staying_close_store::{AuditKey, ConnectOptions, DatabaseUrl, Store};
use std::path::PathBuf;

/// Opens the database, brings its schema up to date and signs its audit
/// trail with the configured key ([`audit_key`]).
pub async fn open_store(config: &Config, url: &DatabaseUrl) -> anyhow::Result<Store> {
    let key = audit_key(config, url)?;
    let options = ConnectOptions { max_connections: config.db_max_connections, ..ConnectOptions::default() };
    let store = Store::connect(url, &options).await?;
    store.migrate().await.context("cannot apply database migrations")?;
    Ok(store.with_audit_key(key))
}

/// The file beside a SQLite database that holds its audit key when none is
/// configured: `demo.db` → `demo.db.key`.
pub fn key_file(url: &DatabaseUrl) -> Option<PathBuf> {
    url.sqlite_path().map(|path| {
        let mut name = path.into_os_string();
        name.push(".key");
        PathBuf::from(name)
    })
}

/// The key that signs the audit trail: `STAYING_CLOSE_SECRET_KEY`; else, for
/// a SQLite file, the key kept beside it (made on first use, readable by its
/// owner only), so later commands on that database find it. PostgreSQL
/// serves several instances and LAs: its key must be configured.
pub fn audit_key(config: &Config, url: &DatabaseUrl) -> anyhow::Result<AuditKey> {
    if let Some(key) = &config.secret_key {
        return Ok(key.clone());
    }
    let Some(file) = key_file(url) else {
        return Err(ConfigError::Missing {
            setting: "STAYING_CLOSE_SECRET_KEY",
            reason: "PostgreSQL needs the audit key in configuration: 64 hexadecimal characters, for example from `openssl rand -hex 32`",
        }
        .into());
    };
    if let Ok(text) = std::fs::read_to_string(&file) {
        return AuditKey::parse(&text).with_context(|| format!("the audit key file {} is not valid", file.display()));
    }
    let key = AuditKey::generate();
    if let Some(folder) = file.parent().filter(|f| !f.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).with_context(|| format!("cannot create {}", folder.display()))?;
    }
    write_private(&file, &key.to_hex())
        .with_context(|| format!("cannot write the audit key file {}", file.display()))?;
    tracing::info!(file = %file.display(), "made a new audit key beside the SQLite database");
    Ok(key)
}

/// Writes a file only its owner can read.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

/// The database for everyday commands.
pub fn database(config: &Config) -> DatabaseUrl {
    config.database("staying-close.db")
}
