//! A young person's record as a practitioner keeps it: names, identifiers,
//! how to reach them, what matters to them, and the key dates of their time
//! with the team. [`ProfileInput`] is what was typed (a form or the API);
//! [`ProfileInput::parse`] checks every field at once and names each
//! problem, so a value of [`Profile`] has passed every check.

use crate::identifiers::{NhsNumber, Upn};
use crate::people::{has_forbidden_control, ChildId, PersonName};
use chrono::NaiveDate;
use std::borrow::Cow;
use std::fmt;

/// Problems with what was typed, each against the field it belongs to (the
/// field's id in the form and its name in the API).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(Cow<'static, str>, String)>);

impl FieldErrors {
    /// Adds a message for a field; `field` is the id of the input, fixed
    /// (`"date_of_birth"`) or built for a repeated part of a form (`"goal-2-text"`).
    pub fn add(&mut self, field: impl Into<Cow<'static, str>>, message: impl Into<String>) {
        self.0.push((field.into(), message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
}

/// A date typed as day, month and year (the GOV.UK date input).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateParts {
    pub day: String,
    pub month: String,
    pub year: String,
}

impl DateParts {
    pub fn of(date: Option<NaiveDate>) -> DateParts {
        use chrono::Datelike;
        match date {
            Some(d) => DateParts { day: d.day().to_string(), month: d.month().to_string(), year: d.year().to_string() },
            None => DateParts::default(),
        }
    }

    /// From `yyyy-mm-dd` (the API's form); anything else keeps the text in
    /// `day`, so the check below reports it.
    pub fn from_iso(text: &str) -> DateParts {
        let parts: Vec<&str> = text.trim().split('-').collect();
        match parts.as_slice() {
            [y, m, d] if y.len() == 4 => DateParts { day: d.to_string(), month: m.to_string(), year: y.to_string() },
            _ if text.trim().is_empty() => DateParts::default(),
            _ => DateParts { day: text.to_owned(), month: String::new(), year: String::new() },
        }
    }

    pub fn is_blank(&self) -> bool {
        self.day.trim().is_empty() && self.month.trim().is_empty() && self.year.trim().is_empty()
    }

    /// The date, `None` when left blank; `label` names the field in messages
    /// ("Date of birth must be a real date").
    pub fn parse(&self, label: &str) -> Result<Option<NaiveDate>, String> {
        let (d, m, y) = (self.day.trim(), self.month.trim(), self.year.trim());
        if self.is_blank() {
            return Ok(None);
        }
        let missing: Vec<&str> =
            [("day", d), ("month", m), ("year", y)].iter().filter(|(_, v)| v.is_empty()).map(|(n, _)| *n).collect();
        if !missing.is_empty() {
            return Err(format!("{label} must include a {}", missing.join(" and ")));
        }
        match (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) {
            (Ok(d), Ok(m), Ok(y)) if (1900..=2200).contains(&y) => {
                NaiveDate::from_ymd_opt(y, m, d).map(Some).ok_or_else(|| format!("{label} must be a real date"))
            }
            (_, _, Ok(y)) if !(1900..=2200).contains(&y) => {
                Err(format!("{label} must have a year of 4 digits, like 2007"))
            }
            _ => Err(format!("{label} must be a real date")),
        }
    }
}

/// Festivals and days a young person wants marked. The calendar itself
/// (dates of movable feasts, tasks, budgets) belongs to the celebrations
/// feature; the record keeps the choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Celebration {
    Birthday,
    Christmas,
    Easter,
    EidAlFitr,
    EidAlAdha,
    Diwali,
    Vaisakhi,
    Hanukkah,
    LunarNewYear,
    CareLeaversWeek,
    StayingCloseAnniversary,
}

impl Celebration {
    pub const ALL: [Celebration; 11] = [
        Celebration::Birthday,
        Celebration::Christmas,
        Celebration::Easter,
        Celebration::EidAlFitr,
        Celebration::EidAlAdha,
        Celebration::Diwali,
        Celebration::Vaisakhi,
        Celebration::Hanukkah,
        Celebration::LunarNewYear,
        Celebration::CareLeaversWeek,
        Celebration::StayingCloseAnniversary,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Celebration::Birthday => "birthday",
            Celebration::Christmas => "christmas",
            Celebration::Easter => "easter",
            Celebration::EidAlFitr => "eid_al_fitr",
            Celebration::EidAlAdha => "eid_al_adha",
            Celebration::Diwali => "diwali",
            Celebration::Vaisakhi => "vaisakhi",
            Celebration::Hanukkah => "hanukkah",
            Celebration::LunarNewYear => "lunar_new_year",
            Celebration::CareLeaversWeek => "care_leavers_week",
            Celebration::StayingCloseAnniversary => "staying_close_anniversary",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Celebration::Birthday => "Birthday",
            Celebration::Christmas => "Christmas",
            Celebration::Easter => "Easter",
            Celebration::EidAlFitr => "Eid al-Fitr",
            Celebration::EidAlAdha => "Eid al-Adha",
            Celebration::Diwali => "Diwali",
            Celebration::Vaisakhi => "Vaisakhi",
            Celebration::Hanukkah => "Hanukkah",
            Celebration::LunarNewYear => "Lunar New Year",
            Celebration::CareLeaversWeek => "National Care Leavers' Week",
            Celebration::StayingCloseAnniversary => "Anniversary of starting Staying Close",
        }
    }

    pub fn parse(code: &str) -> Option<Celebration> {
        Self::ALL.into_iter().find(|c| c.code() == code.trim())
    }

    /// Stored as a comma-separated list of codes.
    pub fn join(list: &[Celebration]) -> String {
        list.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")
    }

    /// Reads a stored list, skipping codes this version does not know.
    pub fn split(text: &str) -> Vec<Celebration> {
        text.split(',').filter_map(Celebration::parse).collect()
    }
}

/// Why a young person's time with the team ended. Records are closed, never deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosureReason {
    /// Reached 25, or the end of their entitlement.
    EntitlementEnded,
    /// Chose to stop, knowing they can come back.
    ChoseToStop,
    MovedAway,
    /// Recorded by mistake or twice.
    RecordedInError,
    Died,
    Other,
}

impl ClosureReason {
    pub const ALL: [ClosureReason; 6] = [
        ClosureReason::EntitlementEnded,
        ClosureReason::ChoseToStop,
        ClosureReason::MovedAway,
        ClosureReason::RecordedInError,
        ClosureReason::Died,
        ClosureReason::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ClosureReason::EntitlementEnded => "entitlement_ended",
            ClosureReason::ChoseToStop => "chose_to_stop",
            ClosureReason::MovedAway => "moved_away",
            ClosureReason::RecordedInError => "recorded_in_error",
            ClosureReason::Died => "died",
            ClosureReason::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClosureReason::EntitlementEnded => "Support has come to its planned end (for example, they turned 25)",
            ClosureReason::ChoseToStop => "They chose to stop (they can come back at any time)",
            ClosureReason::MovedAway => "They moved to another area",
            ClosureReason::RecordedInError => "The record was made by mistake or twice",
            ClosureReason::Died => "They died",
            ClosureReason::Other => "Another reason",
        }
    }

    pub fn parse(code: &str) -> Option<ClosureReason> {
        Self::ALL.into_iter().find(|c| c.code() == code.trim())
    }
}

impl fmt::Display for ClosureReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The record as typed: every field as text, as a form or the API sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileInput {
    pub child_id: String,
    pub first_name: String,
    pub last_name: String,
    pub preferred_name: String,
    pub pronouns: String,
    pub date_of_birth: DateParts,
    pub upn: String,
    pub nhs_number: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub languages: String,
    pub faith: String,
    pub celebrations: Vec<String>,
    pub disabilities: String,
    pub communication_needs: String,
    pub young_parent: bool,
    pub expecting: bool,
    pub home_left: String,
    pub home_contact: String,
    pub care_ended_on: DateParts,
    pub staying_close_start: DateParts,
    pub staying_close_end: DateParts,
}

/// The checked record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub child_id: ChildId,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub preferred_name: Option<PersonName>,
    pub pronouns: Option<String>,
    pub date_of_birth: NaiveDate,
    pub upn: Option<Upn>,
    pub nhs_number: Option<NhsNumber>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub languages: Option<String>,
    pub faith: Option<String>,
    pub celebrations: Vec<Celebration>,
    pub disabilities: Option<String>,
    pub communication_needs: Option<String>,
    pub young_parent: bool,
    pub expecting: bool,
    pub home_left: Option<String>,
    pub home_contact: Option<String>,
    pub care_ended_on: Option<NaiveDate>,
    pub staying_close_start: Option<NaiveDate>,
    pub staying_close_end: Option<NaiveDate>,
}

/// Optional free text of at most `max` characters; blank is `None`.
fn optional_text(errors: &mut FieldErrors, field: &'static str, label: &str, text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if has_forbidden_control(text) {
        errors.add(field, format!("{label} cannot contain control characters"));
        return None;
    }
    if text.chars().count() > max {
        errors.add(field, format!("{label} must be {max} characters or fewer"));
        return None;
    }
    Some(text.to_owned())
}

fn phone(errors: &mut FieldErrors, text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let allowed = text.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-'));
    if !allowed || !(10..=15).contains(&digits) {
        errors.add("phone", "Enter a phone number, like 07700 900 982 or +44 7700 900 982");
        return None;
    }
    Some(text.to_owned())
}

fn email(errors: &mut FieldErrors, text: &str) -> Option<String> {
    if text.trim().is_empty() {
        return None;
    }
    match crate::people::Email::parse(text) {
        Ok(e) => Some(e.as_str().to_owned()),
        Err(_) => {
            errors.add("email", "Enter an email address in the correct format, like name@example.com");
            None
        }
    }
}

impl ProfileInput {
    /// What the form shows for a stored record.
    pub fn of(p: &Profile) -> ProfileInput {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        ProfileInput {
            child_id: p.child_id.to_string(),
            first_name: p.first_name.to_string(),
            last_name: p.last_name.to_string(),
            preferred_name: p.preferred_name.as_ref().map(|n| n.to_string()).unwrap_or_default(),
            pronouns: text(&p.pronouns),
            date_of_birth: DateParts::of(Some(p.date_of_birth)),
            upn: p.upn.map(|u| u.to_string()).unwrap_or_default(),
            nhs_number: p.nhs_number.map(|n| n.spaced()).unwrap_or_default(),
            phone: text(&p.phone),
            email: text(&p.email),
            address: text(&p.address),
            languages: text(&p.languages),
            faith: text(&p.faith),
            celebrations: p.celebrations.iter().map(|c| c.code().to_owned()).collect(),
            disabilities: text(&p.disabilities),
            communication_needs: text(&p.communication_needs),
            young_parent: p.young_parent,
            expecting: p.expecting,
            home_left: text(&p.home_left),
            home_contact: text(&p.home_contact),
            care_ended_on: DateParts::of(p.care_ended_on),
            staying_close_start: DateParts::of(p.staying_close_start),
            staying_close_end: DateParts::of(p.staying_close_end),
        }
    }

    /// Checks every field against `today`, collecting every problem.
    pub fn parse(&self, today: NaiveDate) -> Result<Profile, FieldErrors> {
        let mut errors = FieldErrors::default();
        let child_id = ChildId::parse(&self.child_id)
            .map_err(|_| {
                errors.add("child_id", "Enter the child ID from the SSDA903 return: 1 to 10 letters or digits")
            })
            .ok();
        let mut name = |field: &'static str, label: &str, text: &str| {
            PersonName::parse(text)
                .map_err(|e| {
                    let message = match e {
                        crate::people::PersonError::EmptyName => format!("Enter the young person's {label}"),
                        crate::people::PersonError::NameTooLong => {
                            format!("{} must be 100 characters or fewer", capitalised(label))
                        }
                        _ => format!("{} cannot contain control characters", capitalised(label)),
                    };
                    errors.add(field, message)
                })
                .ok()
        };
        let first_name = name("first_name", "first name", &self.first_name);
        let last_name = name("last_name", "last name", &self.last_name);
        let preferred_name = if self.preferred_name.trim().is_empty() {
            Some(None)
        } else {
            name("preferred_name", "preferred name", &self.preferred_name).map(Some)
        };
        let pronouns = optional_text(&mut errors, "pronouns", "Pronouns", &self.pronouns, 40);
        let mut date = |field: &'static str, label: &str, parts: &DateParts| match parts.parse(label) {
            Ok(d) => Some(d),
            Err(message) => {
                errors.add(field, message);
                None
            }
        };
        let dob = date("date_of_birth", "Date of birth", &self.date_of_birth);
        let care_ended_on = date("care_ended_on", "Date care ended", &self.care_ended_on);
        let sc_start = date("staying_close_start", "Staying Close start date", &self.staying_close_start);
        let sc_end = date("staying_close_end", "Staying Close end date", &self.staying_close_end);
        let date_of_birth = match dob {
            Some(None) => {
                errors.add("date_of_birth", "Enter the young person's date of birth");
                None
            }
            Some(Some(d)) if d > today => {
                errors.add("date_of_birth", "Date of birth must be in the past");
                None
            }
            Some(Some(d)) if d < today - chrono::Duration::days(365 * 30) => {
                errors.add("date_of_birth", "Date of birth must be within the last 30 years: Staying Close ends at 25");
                None
            }
            Some(Some(d)) => Some(d),
            None => None,
        };
        if let (Some(Some(birth)), Some(Some(ended))) = (Some(date_of_birth), care_ended_on) {
            if ended < birth {
                errors.add("care_ended_on", "Date care ended must be after the date of birth");
            }
        }
        if let (Some(Some(start)), Some(Some(end))) = (sc_start, sc_end) {
            if end < start {
                errors.add("staying_close_end", "Staying Close end date must be the same as or after the start date");
            }
        }
        let upn = match self.upn.trim() {
            "" => Some(None),
            text => Upn::parse(text).map(Some).map_err(|e| errors.add("upn", e.to_string())).ok(),
        };
        let nhs_number = match self.nhs_number.trim() {
            "" => Some(None),
            text => NhsNumber::parse(text).map(Some).map_err(|e| errors.add("nhs_number", e.to_string())).ok(),
        };
        let phone = phone(&mut errors, &self.phone);
        let email = email(&mut errors, &self.email);
        let address = optional_text(&mut errors, "address", "Address", &self.address, 500);
        let languages = optional_text(&mut errors, "languages", "Languages", &self.languages, 200);
        let faith = optional_text(&mut errors, "faith", "Faith", &self.faith, 100);
        let mut celebrations = Vec::new();
        for code in &self.celebrations {
            match Celebration::parse(code) {
                Some(c) if !celebrations.contains(&c) => celebrations.push(c),
                Some(_) => {}
                None => errors.add("celebrations", "Choose celebrations from the list"),
            }
        }
        celebrations.sort();
        let disabilities = optional_text(&mut errors, "disabilities", "Disabilities", &self.disabilities, 1000);
        let communication_needs =
            optional_text(&mut errors, "communication_needs", "Communication needs", &self.communication_needs, 1000);
        let home_left = optional_text(&mut errors, "home_left", "Children's home", &self.home_left, 200);
        let home_contact = optional_text(&mut errors, "home_contact", "Contact at the home", &self.home_contact, 200);
        if !errors.is_empty() {
            return Err(errors);
        }
        // Every field parsed, so every Option below is Some.
        let required = "checked above";
        Ok(Profile {
            child_id: child_id.expect(required),
            first_name: first_name.expect(required),
            last_name: last_name.expect(required),
            preferred_name: preferred_name.expect(required),
            pronouns,
            date_of_birth: date_of_birth.expect(required),
            upn: upn.expect(required),
            nhs_number: nhs_number.expect(required),
            phone,
            email,
            address,
            languages,
            faith,
            celebrations,
            disabilities,
            communication_needs,
            young_parent: self.young_parent,
            expecting: self.expecting,
            home_left,
            home_contact,
            care_ended_on: care_ended_on.expect(required),
            staying_close_start: sc_start.expect(required),
            staying_close_end: sc_end.expect(required),
        })
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn good() -> ProfileInput {
        ProfileInput {
            child_id: "SC1001".into(),
            first_name: "Jordan".into(),
            last_name: "Ellis".into(),
            preferred_name: "Jojo".into(),
            date_of_birth: DateParts { day: "4".into(), month: "3".into(), year: "2007".into() },
            nhs_number: "943 476 5919".into(),
            upn: String::new(),
            celebrations: vec!["birthday".into(), "diwali".into(), "birthday".into()],
            staying_close_start: DateParts::from_iso("2025-06-02"),
            ..ProfileInput::default()
        }
    }

    #[test]
    fn a_complete_record_parses_and_round_trips_through_the_form() {
        let profile = good().parse(today()).unwrap();
        assert_eq!(profile.date_of_birth, NaiveDate::from_ymd_opt(2007, 3, 4).unwrap());
        assert_eq!(profile.nhs_number.unwrap().as_str(), "9434765919");
        assert_eq!(profile.celebrations, vec![Celebration::Birthday, Celebration::Diwali]);
        assert_eq!(profile.staying_close_start, NaiveDate::from_ymd_opt(2025, 6, 2));
        let again = ProfileInput::of(&profile).parse(today()).unwrap();
        assert_eq!(again, profile);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let input = ProfileInput {
            first_name: " ".into(),
            nhs_number: "943 476 5918".into(),
            upn: "C801200005001".into(),
            phone: "call me".into(),
            email: "jordan@".into(),
            date_of_birth: DateParts { day: "31".into(), month: "2".into(), year: "2007".into() },
            staying_close_start: DateParts::from_iso("2026-01-10"),
            staying_close_end: DateParts::from_iso("2025-01-10"),
            celebrations: vec!["halloween".into()],
            ..good()
        };
        let errors = input.parse(today()).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|(f, _)| f.as_ref()).collect();
        assert_eq!(
            fields,
            ["first_name", "date_of_birth", "staying_close_end", "upn", "nhs_number", "phone", "email", "celebrations"]
        );
        assert_eq!(errors.get("first_name"), Some("Enter the young person's first name"));
        assert_eq!(errors.get("date_of_birth"), Some("Date of birth must be a real date"));
        assert!(errors.get("nhs_number").unwrap().contains("last digit"));
        assert!(errors.get("upn").unwrap().contains("first letter"));
    }

    #[test]
    fn dates_say_what_is_missing() {
        let parts = DateParts { day: "4".into(), month: String::new(), year: String::new() };
        assert_eq!(parts.parse("Date of birth"), Err("Date of birth must include a month and year".into()));
        let parts = DateParts { day: "4".into(), month: "3".into(), year: "07".into() };
        assert_eq!(parts.parse("Date of birth"), Err("Date of birth must have a year of 4 digits, like 2007".into()));
        assert_eq!(DateParts::from_iso("").parse("x"), Ok(None));
        assert!(DateParts::from_iso("4 March").parse("x").is_err());
    }

    #[test]
    fn a_birth_date_in_the_future_or_too_long_ago_is_refused() {
        let future = ProfileInput { date_of_birth: DateParts::from_iso("2027-01-01"), ..good() };
        assert_eq!(future.parse(today()).unwrap_err().get("date_of_birth"), Some("Date of birth must be in the past"));
        let old = ProfileInput { date_of_birth: DateParts::from_iso("1980-01-01"), ..good() };
        assert!(old.parse(today()).is_err());
    }

    #[test]
    fn stored_celebrations_skip_unknown_codes() {
        assert_eq!(
            Celebration::split("birthday,,unknown,eid_al_fitr"),
            [Celebration::Birthday, Celebration::EidAlFitr]
        );
        assert_eq!(Celebration::join(&[Celebration::Christmas, Celebration::Easter]), "christmas,easter");
        assert_eq!(Celebration::split(""), []);
    }

    #[test]
    fn closure_reasons_round_trip() {
        for reason in ClosureReason::ALL {
            assert_eq!(ClosureReason::parse(reason.code()), Some(reason));
        }
        assert_eq!(ClosureReason::parse("deleted"), None);
    }
}
