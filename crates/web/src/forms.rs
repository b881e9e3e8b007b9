//! Form errors the GOV.UK way: an error summary linking to each field, and
//! the message again beside the field. What the user typed is kept.

use std::borrow::Cow;

#[derive(Debug, Clone, Default)]
pub struct Errors(Vec<(Cow<'static, str>, String)>);

impl Errors {
    pub fn add(&mut self, field: impl Into<Cow<'static, str>>, message: impl Into<String>) {
        self.0.push((field.into(), message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for one field, shown beside it.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    /// (field id, message) pairs for the error summary.
    pub fn items(&self) -> &[(Cow<'static, str>, String)] {
        &self.0
    }

    /// The page title, prefixed with "Error: " when there are errors.
    pub fn title(&self, title: &str) -> String {
        if self.is_empty() {
            title.to_owned()
        } else {
            format!("Error: {title}")
        }
    }
}

impl From<staying_close_domain::profile::FieldErrors> for Errors {
    fn from(errors: staying_close_domain::profile::FieldErrors) -> Errors {
        Errors(errors.0)
    }
}

/// A submitted form as name/value pairs, so fields that repeat (checkboxes)
/// keep every value.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, or "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }

    /// Whether a checkbox with this value was ticked.
    pub fn ticked(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && v == value)
    }

    /// The record a change form names by the hidden fields `name` and
    /// `version`: `None` for a new record; a `name` that is not a number is
    /// not found. A missing version reads as 0, which never matches, so the
    /// change is refused as stale rather than applied.
    pub fn existing(&self, name: &str) -> Result<Option<(i64, i64)>, crate::AppError> {
        match self.get(name) {
            "" => Ok(None),
            id => {
                let id = id.parse::<i64>().map_err(|_| crate::AppError::NotFound)?;
                Ok(Some((id, self.get("version").parse::<i64>().unwrap_or(0))))
            }
        }
    }

    /// A GOV.UK date input's three parts (`id-day`, `id-month`, `id-year`).
    pub fn date(&self, id: &str) -> staying_close_domain::profile::DateParts {
        staying_close_domain::profile::DateParts {
            day: self.get(&format!("{id}-day")).to_owned(),
            month: self.get(&format!("{id}-month")).to_owned(),
            year: self.get(&format!("{id}-year")).to_owned(),
        }
    }
}
