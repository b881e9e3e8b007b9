//! The database URL: which backend, and how to show it without its password.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DatabaseUrlError {
    #[error("the database URL is empty")]
    Empty,
    #[error("unsupported database URL scheme {0:?}: use sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/NAME")]
    UnsupportedScheme(String),
    #[error("the database URL {0:?} has no path or host after the scheme")]
    Incomplete(String),
}

/// A validated database URL.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
    raw: String,
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

impl DatabaseUrl {
    pub fn parse(text: &str) -> Result<DatabaseUrl, DatabaseUrlError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(DatabaseUrlError::Empty);
        }
        let (scheme, rest) =
            text.split_once(':').ok_or_else(|| DatabaseUrlError::UnsupportedScheme(text.chars().take(20).collect()))?;
        let backend = match scheme {
            "sqlite" => Backend::Sqlite,
            "postgres" | "postgresql" => Backend::Postgres,
            other => return Err(DatabaseUrlError::UnsupportedScheme(other.to_owned())),
        };
        let body = rest.trim_start_matches("//");
        let body = body.split(['?', '#']).next().unwrap_or_default();
        if body.is_empty() {
            return Err(DatabaseUrlError::Incomplete(redact(text)));
        }
        Ok(DatabaseUrl { backend, raw: text.to_owned() })
    }

    /// A SQLite database file at `path`.
    pub fn sqlite_file(path: &std::path::Path) -> DatabaseUrl {
        DatabaseUrl { backend: Backend::Sqlite, raw: format!("sqlite://{}", path.display()) }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL as given, password included: only for handing to another
    /// process's configuration, never for display.
    pub fn expose(&self) -> &str {
        &self.raw
    }

    /// The URL with any password replaced, safe for messages and logs.
    pub fn redacted(&self) -> String {
        redact(&self.raw)
    }

    /// The folder a SQLite file lives in, so it can be created.
    pub(crate) fn sqlite_folder(&self) -> Option<PathBuf> {
        let path = self.sqlite_path()?;
        let parent = path.parent()?;
        (!parent.as_os_str().is_empty()).then(|| parent.to_path_buf())
    }

    /// The file of a SQLite database (`None` for PostgreSQL or in memory).
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        if self.backend != Backend::Sqlite {
            return None;
        }
        let body = self.raw.trim_start_matches("sqlite:").trim_start_matches("//");
        let path = body.split('?').next()?;
        (path != ":memory:" && !path.is_empty()).then(|| PathBuf::from(path))
    }

    /// The string handed to the driver: SQLite files are created when missing.
    pub(crate) fn connection_string(&self) -> String {
        match self.backend {
            Backend::Sqlite if !self.raw.contains("mode=") => {
                let sep = if self.raw.contains('?') { '&' } else { '?' };
                format!("{}{sep}mode=rwc", self.raw)
            }
            _ => self.raw.clone(),
        }
    }
}

fn redact(url: &str) -> String {
    // scheme://user:password@host → scheme://user:***@host
    if let Some((scheme, rest)) = url.split_once("://") {
        if let Some((credentials, host)) = rest.split_once('@') {
            if let Some((user, _password)) = credentials.split_once(':') {
                return format!("{scheme}://{user}:***@{host}");
            }
        }
    }
    url.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chooses_the_backend_from_the_scheme() {
        assert_eq!(DatabaseUrl::parse("sqlite://data/sc.db").unwrap().backend(), Backend::Sqlite);
        assert_eq!(DatabaseUrl::parse("sqlite:sc.db").unwrap().backend(), Backend::Sqlite);
        assert_eq!(DatabaseUrl::parse("postgres://u:p@localhost/sc").unwrap().backend(), Backend::Postgres);
        assert_eq!(DatabaseUrl::parse("postgresql://localhost/sc").unwrap().backend(), Backend::Postgres);
    }

    #[test]
    fn rejects_what_it_cannot_use() {
        assert_eq!(DatabaseUrl::parse(""), Err(DatabaseUrlError::Empty));
        assert!(
            matches!(DatabaseUrl::parse("mysql://x/y"), Err(DatabaseUrlError::UnsupportedScheme(s)) if s == "mysql")
        );
        assert!(matches!(DatabaseUrl::parse("just-a-file.db"), Err(DatabaseUrlError::UnsupportedScheme(_))));
        assert!(matches!(DatabaseUrl::parse("postgres://"), Err(DatabaseUrlError::Incomplete(_))));
    }

    #[test]
    fn never_shows_the_password() {
        let url = DatabaseUrl::parse("postgres://sc:s3cret@db.internal:5432/sc").unwrap();
        assert_eq!(url.redacted(), "postgres://sc:***@db.internal:5432/sc");
        assert!(!format!("{url:?}").contains("s3cret"));
    }

    #[test]
    fn sqlite_files_are_created_in_their_folder() {
        let url = DatabaseUrl::parse("sqlite://data/dir/sc.db").unwrap();
        assert_eq!(url.sqlite_folder(), Some(PathBuf::from("data/dir")));
        assert_eq!(url.connection_string(), "sqlite://data/dir/sc.db?mode=rwc");
        let absolute = DatabaseUrl::parse("sqlite:///var/lib/sc/sc.db").unwrap();
        assert_eq!(absolute.sqlite_folder(), Some(PathBuf::from("/var/lib/sc")));
    }
}
