//! The Local Offer for care leavers (Children and Social Work Act 2017 s.2):
//! what an LA offers, in six categories, each entry a statutory entitlement
//! or something additional the LA chooses to give, with who it is for, how
//! to get it and who to contact. Reviewed about once a year, with young
//! people helping to write it.

use crate::codes::code_list;
use crate::contacts::text;
use crate::profile::{DateParts, FieldErrors};
use chrono::{Months, NaiveDate};

code_list! {
    /// The six categories of the offer.
    OfferCategory {
        Health => "health", "Health and well-being";
        Relationships => "relationships", "Relationships";
        Education => "education", "Education and training";
        Employment => "employment", "Employment";
        Accommodation => "accommodation", "Accommodation";
        Participation => "participation", "Participation in society";
    }
}

code_list! {
    /// Whether an entry is owed by law or chosen by the LA.
    OfferKind {
        Statutory => "statutory", "Statutory entitlement";
        Additional => "additional", "Additional local offer";
    }
}

/// The youngest and oldest ages an entry can be for.
pub const YOUNGEST: u32 = 14;
pub const OLDEST: u32 = 25;

/// One entry of the offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferItem {
    pub category: OfferCategory,
    pub kind: OfferKind,
    pub title: String,
    pub description: String,
    pub age_from: u32,
    pub age_to: u32,
    pub how_to_get: String,
    pub contact: Option<String>,
}

impl OfferItem {
    /// "Ages 18 to 25", or "Age 18" for one year.
    pub fn ages(&self) -> String {
        if self.age_from == self.age_to {
            format!("Age {}", self.age_from)
        } else {
            format!("Ages {} to {}", self.age_from, self.age_to)
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferItemInput {
    pub category: String,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub age_from: String,
    pub age_to: String,
    pub how_to_get: String,
    pub contact: String,
}

impl OfferItemInput {
    pub fn of(item: &OfferItem) -> OfferItemInput {
        OfferItemInput {
            category: item.category.code().into(),
            kind: item.kind.code().into(),
            title: item.title.clone(),
            description: item.description.clone(),
            age_from: item.age_from.to_string(),
            age_to: item.age_to.to_string(),
            how_to_get: item.how_to_get.clone(),
            contact: item.contact.clone().unwrap_or_default(),
        }
    }

    pub fn parse(&self) -> Result<OfferItem, FieldErrors> {
        let mut errors = FieldErrors::default();
        let category = OfferCategory::parse(&self.category);
        if category.is_none() {
            errors.add("category", "Choose the category it belongs in");
        }
        let kind = OfferKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", "Choose whether it is a statutory entitlement or additional");
        }
        let required = |errors: &mut FieldErrors, field: &'static str, label: &str, value: &str, max: usize| {
            let t = text(errors, field, label, value, max);
            if t.is_none() && errors.get(field).is_none() {
                errors.add(field, format!("Enter {}", label.to_lowercase()));
            }
            t
        };
        let title = required(&mut errors, "title", "The name of the entitlement or service", &self.title, 120);
        let description = required(&mut errors, "description", "What it is", &self.description, 2000);
        let age =
            |errors: &mut FieldErrors, field: &'static str, label: &str, value: &str| match value.trim().parse::<u32>()
            {
                Ok(n) if (YOUNGEST..=OLDEST).contains(&n) => Some(n),
                _ => {
                    errors.add(field, format!("{label} must be a whole number from {YOUNGEST} to {OLDEST}"));
                    None
                }
            };
        let age_from = age(&mut errors, "age_from", "The youngest age", &self.age_from);
        let age_to = age(&mut errors, "age_to", "The oldest age", &self.age_to);
        if let (Some(from), Some(to)) = (age_from, age_to) {
            if from > to {
                errors.add("age_to", "The oldest age must be the same as the youngest age or older");
            }
        }
        let how_to_get = required(&mut errors, "how_to_get", "How to get it", &self.how_to_get, 1000);
        let contact = text(&mut errors, "contact", "Contact", &self.contact, 300);
        match (category, kind, title, description, age_from, age_to, how_to_get) {
            (
                Some(category),
                Some(kind),
                Some(title),
                Some(description),
                Some(age_from),
                Some(age_to),
                Some(how_to_get),
            ) if errors.is_empty() => {
                Ok(OfferItem { category, kind, title, description, age_from, age_to, how_to_get, contact })
            }
            _ => Err(errors),
        }
    }
}

/// The longest between reviews of the offer.
pub const REVIEW_MONTHS: u32 = 12;

/// A review of the offer: when, the next one, and the young people who
/// helped write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferReview {
    pub reviewed_on: NaiveDate,
    pub next_review_on: NaiveDate,
    pub note: Option<String>,
    /// Ids of the young people who co-produced it.
    pub co_produced_with: Vec<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferReviewInput {
    pub reviewed_on: DateParts,
    pub next_review_on: DateParts,
    pub note: String,
    pub co_produced_with: Vec<String>,
}

impl OfferReviewInput {
    /// `young_people` are the ids of the LA's young people who may be named.
    pub fn parse(&self, young_people: &[i64], today: NaiveDate) -> Result<OfferReview, FieldErrors> {
        let mut errors = FieldErrors::default();
        let reviewed_on = match self.reviewed_on.parse("The date of the review") {
            Ok(None) => {
                errors.add("reviewed_on", "Enter the date of the review");
                None
            }
            Ok(Some(d)) if d > today => {
                errors.add("reviewed_on", "The date of the review must be today or in the past");
                None
            }
            Ok(d) => d,
            Err(m) => {
                errors.add("reviewed_on", m);
                None
            }
        };
        let next_review_on = match (self.next_review_on.parse("The date of the next review"), reviewed_on) {
            (Ok(None), _) => {
                errors.add("next_review_on", "Enter the date of the next review");
                None
            }
            (Ok(Some(n)), Some(r)) if n <= r => {
                errors.add("next_review_on", "The next review must be after this one");
                None
            }
            (Ok(Some(n)), Some(r)) if n > r.checked_add_months(Months::new(REVIEW_MONTHS)).unwrap_or(r) => {
                errors.add("next_review_on", "The next review must be within 12 months of this one");
                None
            }
            (Ok(n), _) => n,
            (Err(m), _) => {
                errors.add("next_review_on", m);
                None
            }
        };
        let note = text(&mut errors, "note", "What changed", &self.note, 2000);
        let mut co_produced_with = Vec::new();
        for typed in &self.co_produced_with {
            match typed.trim().parse::<i64>() {
                Ok(id) if young_people.contains(&id) => {
                    if !co_produced_with.contains(&id) {
                        co_produced_with.push(id)
                    }
                }
                _ => {
                    errors.add("co_produced_with", "Choose the young people from the list");
                    break;
                }
            }
        }
        match (reviewed_on, next_review_on) {
            (Some(reviewed_on), Some(next_review_on)) if errors.is_empty() => {
                Ok(OfferReview { reviewed_on, next_review_on, note, co_produced_with })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> OfferItemInput {
        OfferItemInput {
            category: "accommodation".into(),
            kind: "additional".into(),
            title: "Setting-up-home allowance".into(),
            description: "Up to £3,000 towards furniture and kitchen things for your first home".into(),
            age_from: "16".into(),
            age_to: "25".into(),
            how_to_get: "Ask your personal adviser".into(),
            contact: String::new(),
        }
    }

    #[test]
    fn an_entry_needs_its_words_and_a_sensible_age_range() {
        let parsed = item().parse().unwrap();
        assert_eq!(parsed.ages(), "Ages 16 to 25");
        assert_eq!(OfferItemInput::of(&parsed).parse().unwrap(), parsed);
        let e = OfferItemInput { age_from: "21".into(), age_to: "18".into(), title: " ".into(), ..item() }
            .parse()
            .unwrap_err();
        assert_eq!(e.get("title"), Some("Enter the name of the entitlement or service"));
        assert_eq!(e.get("age_to"), Some("The oldest age must be the same as the youngest age or older"));
        let e = OfferItemInput { age_from: "12".into(), category: "x".into(), ..item() }.parse().unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_ref()).collect();
        assert_eq!(fields, ["category", "age_from"]);
    }

    #[test]
    fn a_review_is_due_again_within_a_year_and_names_who_helped() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let input = OfferReviewInput {
            reviewed_on: DateParts::from_iso("2026-10-01"),
            next_review_on: DateParts::from_iso("2027-10-01"),
            note: String::new(),
            co_produced_with: vec!["4".into(), "4".into(), "9".into()],
        };
        let r = input.parse(&[4, 9], d(2026, 12, 1)).unwrap();
        assert_eq!(r.co_produced_with, [4, 9]);
        let late = OfferReviewInput { next_review_on: DateParts::from_iso("2027-10-02"), ..input.clone() };
        assert_eq!(
            late.parse(&[4, 9], d(2026, 12, 1)).unwrap_err().get("next_review_on"),
            Some("The next review must be within 12 months of this one")
        );
        let stranger = OfferReviewInput { co_produced_with: vec!["77".into()], ..input };
        assert!(stranger.parse(&[4, 9], d(2026, 12, 1)).unwrap_err().get("co_produced_with").is_some());
    }
}
