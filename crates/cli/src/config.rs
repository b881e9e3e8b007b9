//! Configuration: defaults, then an optional TOML file, then environment
//! variables, then command-line flags. Every bad value is reported with the
//! name of the setting it came from.

use serde::Deserialize;
use staying_close_store::{AuditKey, DatabaseUrl, DatabaseUrlError};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DEMO_PASSWORD: &str = "close-support-demo";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    ReadFile { path: String, source: std::io::Error },
    #[error("the configuration file {path} is not valid TOML: {message}")]
    ParseFile { path: String, message: String },
    #[error("{setting} is not valid: {reason} (got {value:?})")]
    Invalid { setting: String, value: String, reason: String },
    #[error("{setting} is not valid: {source}")]
    DatabaseUrl { setting: String, source: DatabaseUrlError },
    #[error("{setting} is not set: {reason}")]
    Missing { setting: &'static str, reason: &'static str },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The settings file: every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    database_url: Option<String>,
    data_dir: Option<String>,
    bind: Option<String>,
    log: Option<String>,
    log_format: Option<String>,
    behind_tls: Option<bool>,
    trust_forwarded_for: Option<bool>,
    request_timeout_secs: Option<u64>,
    db_max_connections: Option<u32>,
    demo_password: Option<String>,
    secret_key: Option<String>,
    previous_secret_keys: Option<String>,
    header_timeout_secs: Option<u64>,
    max_connections: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: Option<(String, DatabaseUrl)>,
    pub data_dir: PathBuf,
    pub bind: SocketAddr,
    pub log_filter: String,
    pub log_format: LogFormat,
    pub behind_tls: bool,
    pub trust_forwarded_for: bool,
    pub request_timeout: Duration,
    pub db_max_connections: u32,
    pub demo_password: String,
    /// Signs the audit trail; never stored in the database.
    pub secret_key: Option<AuditKey>,
    /// Keys that signed earlier parts of the trail, for verifying them after a rotation.
    pub previous_secret_keys: Vec<AuditKey>,
    /// How long a client may take to send a request's headers, or sit idle between requests.
    pub header_timeout: Duration,
    /// Connections served at once.
    pub max_connections: u32,
}

/// Where a setting's value came from, named the way the user would write it.
struct Source<'a> {
    value: String,
    setting: &'a str,
}

fn pick<'a>(
    env_name: &'a str,
    file_key: &'a str,
    file_value: Option<String>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<Source<'a>> {
    // An empty variable counts as unset, as most shells and orchestrators mean it.
    if let Some(value) = env(env_name).filter(|v| !v.trim().is_empty()) {
        return Some(Source { value, setting: env_name });
    }
    file_value.map(|value| Source { value, setting: file_key })
}

fn invalid(setting: &str, value: &str, reason: &str) -> ConfigError {
    ConfigError::Invalid { setting: setting.to_owned(), value: value.to_owned(), reason: reason.to_owned() }
}

fn parse_bool(source: &Source) -> Result<bool, ConfigError> {
    match source.value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => Err(invalid(source.setting, &source.value, "use true or false")),
    }
}

fn parse_number<T>(source: &Source, min: T, max: T) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + Copy + std::fmt::Display,
{
    match source.value.trim().parse::<T>() {
        Ok(n) if n >= min && n <= max => Ok(n),
        _ => Err(invalid(source.setting, &source.value, &format!("use a whole number from {min} to {max}"))),
    }
}

pub fn parse_bind(setting: &str, value: &str) -> Result<SocketAddr, ConfigError> {
    value
        .trim()
        .parse()
        .map_err(|_| invalid(setting, value, "use an address and port like 127.0.0.1:8080 or 0.0.0.0:8080"))
}

pub fn parse_database_url(setting: &str, value: &str) -> Result<(String, DatabaseUrl), ConfigError> {
    DatabaseUrl::parse(value)
        .map(|url| (setting.to_owned(), url))
        .map_err(|source| ConfigError::DatabaseUrl { setting: setting.to_owned(), source })
}

impl Config {
    /// Loads from the process environment and the optional file.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let file = match file {
            Some(path) => Some(path.to_path_buf()),
            None => std::env::var_os("STAYING_CLOSE_CONFIG").map(PathBuf::from),
        };
        let settings = match &file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|source| ConfigError::ReadFile { path: path.display().to_string(), source })?;
                toml::from_str(&text).map_err(|e| ConfigError::ParseFile {
                    path: path.display().to_string(),
                    message: e.message().to_owned(),
                })?
            }
            None => FileSettings::default(),
        };
        Config::resolve(settings, &|name| std::env::var(name).ok())
    }

    /// Combines file settings and environment (given as a lookup, for tests).
    pub fn resolve(file: FileSettings, env: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let database_url = pick("DATABASE_URL", "database_url", file.database_url, env)
            .map(|s| parse_database_url(s.setting, &s.value))
            .transpose()?;
        let data_dir = pick("STAYING_CLOSE_DATA_DIR", "data_dir", file.data_dir, env)
            .map(|s| {
                if s.value.trim().is_empty() {
                    Err(invalid(s.setting, &s.value, "name a folder"))
                } else {
                    Ok(PathBuf::from(s.value.trim()))
                }
            })
            .transpose()?
            .unwrap_or_else(|| PathBuf::from("data"));
        let bind = match pick("STAYING_CLOSE_BIND", "bind", file.bind, env) {
            Some(s) => parse_bind(s.setting, &s.value)?,
            None => DEFAULT_BIND.parse().expect("valid default"),
        };
        let log_filter = pick("STAYING_CLOSE_LOG", "log", file.log, env)
            .map(|s| s.value)
            .unwrap_or_else(|| "info,sqlx=warn".to_owned());
        let log_format = match pick("STAYING_CLOSE_LOG_FORMAT", "log_format", file.log_format, env) {
            None => LogFormat::Text,
            Some(s) => match s.value.trim() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => return Err(invalid(s.setting, &s.value, "use text or json")),
            },
        };
        let behind_tls =
            match pick("STAYING_CLOSE_BEHIND_TLS", "behind_tls", file.behind_tls.map(|b| b.to_string()), env) {
                Some(s) => parse_bool(&s)?,
                None => false,
            };
        let trust_forwarded_for = match pick(
            "STAYING_CLOSE_TRUST_FORWARDED_FOR",
            "trust_forwarded_for",
            file.trust_forwarded_for.map(|b| b.to_string()),
            env,
        ) {
            Some(s) => parse_bool(&s)?,
            None => false,
        };
        let request_timeout = match pick(
            "STAYING_CLOSE_REQUEST_TIMEOUT_SECS",
            "request_timeout_secs",
            file.request_timeout_secs.map(|n| n.to_string()),
            env,
        ) {
            Some(s) => Duration::from_secs(parse_number(&s, 1u64, 600)?),
            None => Duration::from_secs(30),
        };
        let db_max_connections = match pick(
            "STAYING_CLOSE_DB_MAX_CONNECTIONS",
            "db_max_connections",
            file.db_max_connections.map(|n| n.to_string()),
            env,
        ) {
            Some(s) => parse_number(&s, 1u32, 200)?,
            None => 8,
        };
        let demo_password = match pick("STAYING_CLOSE_DEMO_PASSWORD", "demo_password", file.demo_password, env) {
            Some(s) => {
                staying_close_domain::people::Password::parse(&s.value)
                    .map_err(|e| invalid(s.setting, "(hidden)", &e.to_string()))?;
                s.value
            }
            None => DEFAULT_DEMO_PASSWORD.to_owned(),
        };
        let header_timeout = match pick(
            "STAYING_CLOSE_HEADER_TIMEOUT_SECS",
            "header_timeout_secs",
            file.header_timeout_secs.map(|n| n.to_string()),
            env,
        ) {
            Some(s) => Duration::from_secs(parse_number(&s, 1u64, 300)?),
            None => Duration::from_secs(10),
        };
        let max_connections = match pick(
            "STAYING_CLOSE_MAX_CONNECTIONS",
            "max_connections",
            file.max_connections.map(|n| n.to_string()),
            env,
        ) {
            Some(s) => parse_number(&s, 1u32, 100_000)?,
            None => 1024,
        };
        let secret_key = match pick("STAYING_CLOSE_SECRET_KEY", "secret_key", file.secret_key, env) {
            Some(s) => Some(AuditKey::parse(&s.value).map_err(|e| invalid(s.setting, "(hidden)", &e.to_string()))?),
            None => None,
        };
        let previous_secret_keys =
            match pick("STAYING_CLOSE_PREVIOUS_SECRET_KEYS", "previous_secret_keys", file.previous_secret_keys, env) {
                Some(s) => s
                    .value
                    .split(',')
                    .filter(|k| !k.trim().is_empty())
                    .map(|k| AuditKey::parse(k).map_err(|e| invalid(s.setting, "(hidden)", &e.to_string())))
                    .collect::<Result<_, _>>()?,
                None => Vec::new(),
            };
        Ok(Config {
            database_url,
            data_dir,
            bind,
            log_filter,
            log_format,
            behind_tls,
            trust_forwarded_for,
            request_timeout,
            db_max_connections,
            demo_password,
            secret_key,
            previous_secret_keys,
            header_timeout,
            max_connections,
        })
    }

    /// The database to use: the configured URL, else a SQLite file in the data folder.
    pub fn database(&self, default_file: &str) -> DatabaseUrl {
        match &self.database_url {
            Some((_, url)) => url.clone(),
            None => DatabaseUrl::sqlite_file(&self.data_dir.join(default_file)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn resolve(file: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env: HashMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let file: FileSettings = toml::from_str(file).unwrap();
        Config::resolve(file, &|name| env.get(name).cloned())
    }

    #[test]
    fn defaults_are_a_local_sqlite_service() {
        let c = resolve("", &[]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database("staying-close.db").redacted(), "sqlite://data/staying-close.db");
        assert_eq!(c.demo_password, DEFAULT_DEMO_PASSWORD);
        assert!(!c.behind_tls);
    }

    #[test]
    fn environment_overrides_the_file() {
        let c =
            resolve("bind = \"0.0.0.0:9000\"\nbehind_tls = true", &[("STAYING_CLOSE_BIND", "127.0.0.1:7000")]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:7000");
        assert!(c.behind_tls);
    }

    #[test]
    fn bad_values_name_their_setting() {
        let err = resolve("", &[("STAYING_CLOSE_BIND", "localhost")]).unwrap_err().to_string();
        assert!(err.starts_with("STAYING_CLOSE_BIND is not valid"), "{err}");
        let err = resolve("bind = \"nowhere\"", &[]).unwrap_err().to_string();
        assert!(err.starts_with("bind is not valid"), "{err}");
        let err = resolve("", &[("DATABASE_URL", "mysql://x/y")]).unwrap_err().to_string();
        assert!(err.starts_with("DATABASE_URL is not valid: unsupported database URL scheme \"mysql\""), "{err}");
        let err = resolve("", &[("STAYING_CLOSE_BEHIND_TLS", "maybe")]).unwrap_err().to_string();
        assert!(err.contains("STAYING_CLOSE_BEHIND_TLS"), "{err}");
        let err = resolve("", &[("STAYING_CLOSE_DEMO_PASSWORD", "short")]).unwrap_err().to_string();
        assert!(err.contains("STAYING_CLOSE_DEMO_PASSWORD") && !err.contains("short\""), "{err}");
        let err = resolve("", &[("STAYING_CLOSE_DB_MAX_CONNECTIONS", "0")]).unwrap_err().to_string();
        assert!(err.contains("from 1 to 200"), "{err}");
    }

    #[test]
    fn unknown_file_keys_are_refused() {
        assert!(toml::from_str::<FileSettings>("bnid = \"x\"").is_err());
    }
}
