//! Form errors the GOV.UK way: an error summary linking to each field, and
//! the message again beside the field. What the user typed is kept.

#[derive(Debug, Clone, Default)]
pub struct Errors(Vec<(&'static str, String)>);

impl Errors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for one field, shown beside it.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }

    /// (field id, message) pairs for the error summary.
    pub fn items(&self) -> &[(&'static str, String)] {
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
