//! Ring-fenced lets: tenancies a housing partner keeps for Staying Close
//! young people. Each property has a status (available, offered, void) and
//! occupancies; a property is occupied while an occupancy covers the day.
//! Two occupancies of one property may not overlap.

use crate::codes::code_list;
use crate::contacts::text;
use crate::dates::format_uk;
use crate::fields::{chosen, past_date, required_text};
use crate::profile::{DateParts, FieldErrors};
use chrono::NaiveDate;

code_list! {
    /// A property's status when nobody lives there.
    LetStatus {
        Available => "available", "Available";
        Offered => "offered", "Offered";
        Occupied => "occupied", "Occupied";
        Void => "void", "Void (not lettable)";
    }
}

impl LetStatus {
    pub fn colour(self) -> &'static str {
        match self {
            LetStatus::Available => "green",
            LetStatus::Offered => "yellow",
            LetStatus::Occupied => "blue",
            LetStatus::Void => "grey",
        }
    }
}

/// A ring-fenced property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub address: String,
    pub landlord: String,
    pub bedrooms: u8,
    /// Available, offered or void; occupied comes from the occupancies.
    pub status: LetStatus,
    pub note: Option<String>,
}

/// A young person living in a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occupancy {
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl Occupancy {
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && self.ends_on.is_none_or(|e| e >= day)
    }

    /// Both include their first and last days; an open end runs on.
    pub fn overlaps(&self, other: &Occupancy) -> bool {
        let (a_end, b_end) = (self.ends_on.unwrap_or(NaiveDate::MAX), other.ends_on.unwrap_or(NaiveDate::MAX));
        self.starts_on <= b_end && other.starts_on <= a_end
    }

    pub fn describe(&self) -> String {
        match self.ends_on {
            Some(end) => format!("from {} to {}", format_uk(self.starts_on), format_uk(end)),
            None => format!("from {} with no end date", format_uk(self.starts_on)),
        }
    }
}

/// The property's status on `day`: occupied while an occupancy covers it.
pub fn status_on(property: &Property, occupancies: &[Occupancy], day: NaiveDate) -> LetStatus {
    if occupancies.iter().any(|o| o.covers(day)) {
        LetStatus::Occupied
    } else if property.status == LetStatus::Occupied {
        LetStatus::Available
    } else {
        property.status
    }
}

/// Refuses an occupancy that overlaps one already recorded for the
/// property, naming both. `existing` pairs each occupancy with whose it is.
pub fn check_overlap(existing: &[(String, Occupancy)], who: &str, new: &Occupancy) -> Result<(), String> {
    match existing.iter().find(|(_, o)| o.overlaps(new)) {
        Some((other, o)) => Err(format!(
            "{who}'s occupancy {} overlaps {other}'s {}. End one before the other starts.",
            new.describe(),
            o.describe()
        )),
        None => Ok(()),
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PropertyInput {
    pub address: String,
    pub landlord: String,
    pub bedrooms: String,
    pub status: String,
    pub note: String,
}

impl PropertyInput {
    pub fn parse(&self) -> Result<Property, FieldErrors> {
        let mut errors = FieldErrors::default();
        let address = required_text(&mut errors, "address", "The address", &self.address, 300);
        let landlord = required_text(&mut errors, "landlord", "The landlord or provider", &self.landlord, 200);
        let bedrooms = match self.bedrooms.trim().parse::<u8>() {
            Ok(n) if (1..=10).contains(&n) => Some(n),
            _ if self.bedrooms.trim().is_empty() => {
                errors.add("bedrooms", "Enter the number of bedrooms");
                None
            }
            _ => {
                errors.add("bedrooms", "The number of bedrooms must be a whole number from 1 to 10");
                None
            }
        };
        let status = LetStatus::parse(&self.status).filter(|s| *s != LetStatus::Occupied);
        let status = chosen(&mut errors, "status", "Choose available, offered or void", status);
        let note = text(&mut errors, "note", "The note", &self.note, 1000);
        match (address, landlord, bedrooms, status) {
            (Some(address), Some(landlord), Some(bedrooms), Some(status)) if errors.is_empty() => {
                Ok(Property { address, landlord, bedrooms, status, note })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OccupancyInput {
    pub child_id: String,
    pub starts_on: DateParts,
    pub ends_on: DateParts,
}

impl OccupancyInput {
    /// The child ID (checked against the LA's records by the caller) and the dates.
    pub fn parse(&self, today: NaiveDate) -> Result<(String, Occupancy), FieldErrors> {
        let mut errors = FieldErrors::default();
        let child_id = required_text(&mut errors, "child_id", "The young person's child ID", &self.child_id, 10);
        let starts_on = crate::fields::date(&mut errors, "starts_on", "The date they move in", &self.starts_on, true);
        let ends_on = past_date(&mut errors, "ends_on", "The date they moved out", &self.ends_on, today, false);
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                errors.add("ends_on", "The date they moved out must be on or after the date they moved in");
            }
        }
        match (child_id, starts_on) {
            (Some(c), Some(starts_on)) if errors.is_empty() => Ok((c, Occupancy { starts_on, ends_on })),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn occ(from: &str, to: Option<&str>) -> Occupancy {
        Occupancy { starts_on: d(from), ends_on: to.map(d) }
    }

    #[test]
    fn occupancies_of_one_property_may_not_overlap() {
        let jordan = ("Jordan".to_owned(), occ("2026-01-01", Some("2026-06-30")));
        let casey = ("Casey".to_owned(), occ("2026-09-01", None));
        let existing = [jordan, casey];
        assert_eq!(
            check_overlap(&existing, "Riley", &occ("2026-07-01", Some("2026-08-31"))),
            Ok(()),
            "between the two"
        );
        assert_eq!(
            check_overlap(&existing, "Riley", &occ("2026-06-30", Some("2026-07-10"))),
            Err("Riley's occupancy from 30 June 2026 to 10 July 2026 overlaps Jordan's from 1 January 2026 to 30 June 2026. End one before the other starts.".into()),
            "the last day counts"
        );
        let open = check_overlap(&existing, "Riley", &occ("2027-01-01", None)).unwrap_err();
        assert!(open.contains("Casey's from 1 September 2026 with no end date"));
        assert!(check_overlap(&existing, "Riley", &occ("2025-01-01", None)).is_err(), "an open end runs on");
    }

    #[test]
    fn a_property_is_occupied_while_someone_lives_there() {
        let p = Property {
            address: "1 Mill Lane".into(),
            landlord: "Bolton at Home".into(),
            bedrooms: 1,
            status: LetStatus::Offered,
            note: None,
        };
        let o = [occ("2026-01-01", Some("2026-06-30"))];
        assert_eq!(status_on(&p, &o, d("2026-03-01")), LetStatus::Occupied);
        assert_eq!(status_on(&p, &o, d("2026-07-01")), LetStatus::Offered);
    }

    #[test]
    fn a_property_form_names_each_field() {
        let e = PropertyInput { bedrooms: "lots".into(), status: "occupied".into(), ..PropertyInput::default() }
            .parse()
            .unwrap_err();
        assert_eq!(e.get("address"), Some("Enter the address"));
        assert_eq!(e.get("bedrooms"), Some("The number of bedrooms must be a whole number from 1 to 10"));
        assert_eq!(e.get("status"), Some("Choose available, offered or void"));
    }
}
