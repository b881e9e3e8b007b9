//! How dates and instants are written to and read from the database.

use crate::StoreError;
use chrono::{NaiveDate, SecondsFormat, Utc};

/// Now, as stored: UTC, RFC 3339, whole seconds (`2026-11-23T11:08:35Z`).
/// Fixed width, so text order is time order on both backends.
pub(crate) fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, StoreError> {
    staying_close_domain::dates::parse_iso(text).ok_or_else(|| StoreError::Corrupt(format!("bad date {text:?}")))
}

pub(crate) fn parse_optional_date(text: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    text.as_deref().map(parse_date).transpose()
}
