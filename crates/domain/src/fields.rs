//! Checks shared by the forms of the programme features: dates that must be
//! given or may be blank, dates not in the future, a chosen code. Each adds
//! a message for its field and returns `None` when the value is refused.

use crate::profile::{DateParts, FieldErrors};
use chrono::NaiveDate;
use std::borrow::Cow;

/// A date from its three boxes. Blank is `None`, refused when `required`.
pub fn date(
    errors: &mut FieldErrors,
    field: impl Into<Cow<'static, str>>,
    label: &str,
    parts: &DateParts,
    required: bool,
) -> Option<NaiveDate> {
    let field = field.into();
    match parts.parse(label) {
        Ok(None) if required => {
            errors.add(field, format!("Enter {}", lower_first(label)));
            None
        }
        Ok(d) => d,
        Err(m) => {
            errors.add(field, m);
            None
        }
    }
}

/// A date that must be today or earlier.
pub fn past_date(
    errors: &mut FieldErrors,
    field: impl Into<Cow<'static, str>>,
    label: &str,
    parts: &DateParts,
    today: NaiveDate,
    required: bool,
) -> Option<NaiveDate> {
    let field = field.into();
    let d = date(errors, field.clone(), label, parts, required)?;
    if d > today {
        errors.add(field, format!("{label} must be today or in the past"));
        return None;
    }
    Some(d)
}

/// A chosen value, with `message` when nothing (or something unknown) was chosen.
pub fn chosen<T>(errors: &mut FieldErrors, field: &'static str, message: &str, value: Option<T>) -> Option<T> {
    if value.is_none() {
        errors.add(field, message.to_owned());
    }
    value
}

/// Required text of at most `max` characters.
pub fn required_text(
    errors: &mut FieldErrors,
    field: &'static str,
    label: &str,
    value: &str,
    max: usize,
) -> Option<String> {
    let text = crate::contacts::text(errors, field, label, value, max);
    if text.is_none() && value.trim().is_empty() {
        errors.add(field, format!("Enter {}", lower_first(label)));
    }
    text
}

fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_named_by_their_field() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let mut errors = FieldErrors::default();
        assert_eq!(past_date(&mut errors, "on", "The date", &DateParts::from_iso("2026-12-02"), today, true), None);
        assert_eq!(date(&mut errors, "from", "The start date", &DateParts::default(), true), None);
        assert_eq!(date(&mut errors, "to", "The end date", &DateParts::default(), false), None);
        assert_eq!(required_text(&mut errors, "name", "Their name", "  ", 10), None);
        assert_eq!(errors.get("on"), Some("The date must be today or in the past"));
        assert_eq!(errors.get("from"), Some("Enter the start date"));
        assert_eq!(errors.get("to"), None, "an optional date may be blank");
        assert_eq!(errors.get("name"), Some("Enter their name"));
    }
}
