//! Contacts and direct work: each time a worker sees, speaks with or does a
//! piece of work with a young person. [`ContactInput`] is what was typed;
//! [`ContactInput::parse`] names every problem at once.

use crate::codes::code_list;
use crate::people::has_forbidden_control;
use crate::profile::{DateParts, FieldErrors};
use crate::statutory::{SupportArea, SupportForm};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

code_list! {
    /// What kind of contact it was.
    ContactKind {
        HomeVisit => "home_visit", "Home visit";
        PhoneTextVideo => "phone_text_video", "Phone, text or video call";
        DirectWork => "pa_direct_work", "Direct work with their personal adviser";
        Eet => "eet", "Education, employment or training";
        Housing => "housing", "Housing";
        EmotionalHealth => "emotional_health", "Emotional health";
        Health => "health", "Health or the care-leaver nurse";
        TrustedPerson => "trusted_person", "Time with their trusted person";
        GroupActivity => "group_activity", "Group activity";
        CrisisResponse => "crisis_response", "Crisis response";
    }
}

code_list! {
    /// What the time was spent on.
    Topic {
        Cooking => "cooking", "Cooking";
        Cleaning => "cleaning", "Cleaning";
        Diy => "diy", "DIY and repairs";
        Budgeting => "budgeting", "Budgeting and money";
        TimeManagement => "time_management", "Time management";
        Confidence => "confidence", "Confidence and self-esteem";
        FamilyRelationships => "family_relationships", "Family relationships";
        Friendships => "friendships", "Friendships and relationships";
        Education => "education", "Education and training";
        Work => "work", "Work and job-seeking";
        Housing => "housing", "Housing and tenancy";
        Health => "health", "Physical health";
        EmotionalWellbeing => "emotional_wellbeing", "Emotional wellbeing";
        Identity => "identity", "Identity and culture";
        Benefits => "benefits", "Benefits and bills";
        Parenting => "parenting", "Parenting";
    }
}

/// A contact as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactInput {
    pub date: DateParts,
    /// `HH:MM`, 24-hour; blank when the time is not known.
    pub time: String,
    pub duration_minutes: String,
    /// Staff ids as typed; each must be one of `known_staff` when parsed.
    pub staff: Vec<String>,
    pub kind: String,
    pub topics: Vec<String>,
    pub place: String,
    pub notes: String,
    pub crisis: bool,
    pub follow_up: String,
    pub follow_up_owner: String,
    /// Statutory staying close support given (codes), if any.
    pub support_areas: Vec<String>,
    pub support_forms: Vec<String>,
}

/// A follow-up action after a crisis, with whoever owns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub action: String,
    pub owner: i64,
}

/// A checked contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub on: NaiveDate,
    pub at: Option<NaiveTime>,
    pub duration_minutes: u32,
    pub staff: Vec<i64>,
    pub kind: ContactKind,
    pub topics: Vec<Topic>,
    pub place: Option<String>,
    pub notes: Option<String>,
    pub crisis: bool,
    pub follow_up: Option<FollowUp>,
    /// The statute's areas and forms of staying close support this contact
    /// gave (s.23CZAA); both empty when it gave none.
    pub support_areas: Vec<SupportArea>,
    pub support_forms: Vec<SupportForm>,
}

impl Contact {
    /// When it happened, at midnight when the time is not known.
    pub fn starts(&self) -> NaiveDateTime {
        self.on.and_time(self.at.unwrap_or(NaiveTime::MIN))
    }
}

/// The longest contact that can be recorded in one go: a 12-hour day.
pub const MAX_DURATION_MINUTES: u32 = 12 * 60;

/// Optional free text: trimmed, `None` when blank; control characters and
/// text longer than `max` characters are refused with a message for `field`.
pub(crate) fn text(
    errors: &mut FieldErrors,
    field: impl Into<std::borrow::Cow<'static, str>>,
    label: &str,
    value: &str,
    max: usize,
) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        None
    } else if has_forbidden_control(value) {
        errors.add(field, format!("{label} cannot contain control characters"));
        None
    } else if value.chars().count() > max {
        errors.add(field, format!("{label} must be {} characters or fewer", crate::words::thousands(max as u64)));
        None
    } else {
        Some(value.to_owned())
    }
}

impl ContactInput {
    /// Checks every field; `known_staff` are the ids of the LA's staff who
    /// may be named, and `today` bounds the date (contacts are recorded
    /// after they happen).
    pub fn parse(&self, known_staff: &[i64], today: NaiveDate) -> Result<Contact, FieldErrors> {
        let mut errors = FieldErrors::default();
        let on = match self.date.parse("Date of the contact") {
            Ok(Some(d)) if d > today => {
                errors.add("date", "Date of the contact must be today or in the past");
                None
            }
            Ok(Some(d)) if (today - d).num_days() > 366 * 3 => {
                errors.add("date", "Date of the contact must be within the last 3 years");
                None
            }
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.add("date", "Enter the date of the contact");
                None
            }
            Err(message) => {
                errors.add("date", message);
                None
            }
        };
        let at = match self.time.trim() {
            "" => Some(None),
            t => match NaiveTime::parse_from_str(t, "%H:%M") {
                Ok(time) => Some(Some(time)),
                Err(_) => {
                    errors.add("time", "Enter the time in 24-hour form, like 09:30 or 14:05");
                    None
                }
            },
        };
        let duration = match self.duration_minutes.trim().parse::<u32>() {
            Ok(m) if (1..=MAX_DURATION_MINUTES).contains(&m) => Some(m),
            Ok(_) => {
                errors.add("duration", "Duration must be between 1 and 720 minutes (12 hours)");
                None
            }
            Err(_) if self.duration_minutes.trim().is_empty() => {
                errors.add("duration", "Enter how long the contact lasted, in minutes");
                None
            }
            Err(_) => {
                errors.add("duration", "Duration must be a whole number of minutes, like 45");
                None
            }
        };
        let mut staff = Vec::new();
        for typed in &self.staff {
            match typed.trim().parse::<i64>() {
                Ok(id) if known_staff.contains(&id) => {
                    if !staff.contains(&id) {
                        staff.push(id);
                    }
                }
                _ => {
                    errors.add("staff", "Choose who was there from the list");
                    break;
                }
            }
        }
        if staff.is_empty() && errors.get("staff").is_none() {
            errors.add("staff", "Choose at least one member of staff who was there");
        }
        let kind = ContactKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", "Choose what kind of contact it was");
        }
        let mut topics = Vec::new();
        for code in &self.topics {
            match Topic::parse(code) {
                Some(t) if !topics.contains(&t) => topics.push(t),
                Some(_) => {}
                None => errors.add("topics", "Choose topics from the list"),
            }
        }
        topics.sort();
        let place = text(&mut errors, "place", "Place", &self.place, 200);
        let notes = text(&mut errors, "notes", "Notes", &self.notes, 5000);
        let action = text(&mut errors, "follow_up", "Follow-up action", &self.follow_up, 500);
        let follow_up = if self.crisis {
            let owner = self.follow_up_owner.trim().parse::<i64>().ok().filter(|id| known_staff.contains(id));
            match (action, owner) {
                (Some(action), Some(owner)) => Some(FollowUp { action, owner }),
                (None, _) => {
                    if errors.get("follow_up").is_none() {
                        errors.add("follow_up", "Say what will happen next after the crisis");
                    }
                    if owner.is_none() {
                        errors.add("follow_up_owner", "Choose who will make sure the follow-up happens");
                    }
                    None
                }
                (Some(_), None) => {
                    errors.add("follow_up_owner", "Choose who will make sure the follow-up happens");
                    None
                }
            }
        } else {
            None
        };
        let mut support_areas = Vec::new();
        for code in &self.support_areas {
            match SupportArea::parse(code) {
                Some(a) if !support_areas.contains(&a) => support_areas.push(a),
                Some(_) => {}
                None => errors.add("support_areas", "Choose the areas of support from the list"),
            }
        }
        let mut support_forms = Vec::new();
        for code in &self.support_forms {
            match SupportForm::parse(code) {
                Some(f) if !support_forms.contains(&f) => support_forms.push(f),
                Some(_) => {}
                None => errors.add("support_forms", "Choose the forms of support from the list"),
            }
        }
        support_areas.sort();
        support_forms.sort();
        match (support_areas.is_empty(), support_forms.is_empty()) {
            (false, true) if errors.get("support_forms").is_none() => {
                errors.add("support_forms", "Choose the form the staying close support took")
            }
            (true, false) if errors.get("support_areas").is_none() => {
                errors.add("support_areas", "Choose the areas the staying close support was for")
            }
            _ => {}
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let checked = "checked above";
        Ok(Contact {
            on: on.expect(checked),
            at: at.expect(checked),
            duration_minutes: duration.expect(checked),
            staff,
            kind: kind.expect(checked),
            topics,
            place,
            notes,
            crisis: self.crisis,
            follow_up,
            support_areas,
            support_forms,
        })
    }
}

/// Joins codes for storage (`cooking,budgeting`).
pub fn join_topics(topics: &[Topic]) -> String {
    topics.iter().map(|t| t.code()).collect::<Vec<_>>().join(",")
}

/// Reads stored topic codes, skipping any this version does not know.
pub fn split_topics(text: &str) -> Vec<Topic> {
    text.split(',').filter_map(Topic::parse).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn visit() -> ContactInput {
        ContactInput {
            date: DateParts::from_iso("2026-11-30"),
            time: "14:30".into(),
            duration_minutes: "90".into(),
            staff: vec!["7".into(), "7".into(), "9".into()],
            kind: "home_visit".into(),
            topics: vec!["cooking".into(), "budgeting".into()],
            place: "Their flat".into(),
            notes: "Made a curry together; planned the weekly shop".into(),
            ..ContactInput::default()
        }
    }

    #[test]
    fn a_home_visit_parses_with_its_staff_once_each() {
        let c = visit().parse(&[7, 9], today()).unwrap();
        assert_eq!(c.kind, ContactKind::HomeVisit);
        assert_eq!(c.staff, [7, 9]);
        assert_eq!(c.topics, [Topic::Cooking, Topic::Budgeting]);
        assert_eq!(c.starts().to_string(), "2026-11-30 14:30:00");
        assert_eq!(c.follow_up, None);
    }

    #[test]
    fn every_problem_is_named() {
        let input = ContactInput {
            date: DateParts::from_iso("2026-12-02"),
            time: "2.30pm".into(),
            duration_minutes: "0".into(),
            staff: vec!["8".into()],
            kind: "coffee".into(),
            topics: vec!["astrology".into()],
            ..visit()
        };
        let errors = input.parse(&[7, 9], today()).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|(f, _)| f.as_ref()).collect();
        assert_eq!(fields, ["date", "time", "duration", "staff", "kind", "topics"]);
        assert_eq!(errors.get("date"), Some("Date of the contact must be today or in the past"));
    }

    #[test]
    fn a_crisis_needs_a_follow_up_and_its_owner() {
        let crisis = ContactInput { crisis: true, kind: "crisis_response".into(), ..visit() };
        let errors = crisis.parse(&[7, 9], today()).unwrap_err();
        assert!(errors.get("follow_up").is_some() && errors.get("follow_up_owner").is_some());
        let crisis = ContactInput { follow_up: "Call the GP tomorrow".into(), follow_up_owner: "9".into(), ..crisis };
        let c = crisis.parse(&[7, 9], today()).unwrap();
        assert_eq!(c.follow_up, Some(FollowUp { action: "Call the GP tomorrow".into(), owner: 9 }));
        let outsider = ContactInput { follow_up_owner: "5".into(), ..crisis_with_follow_up() };
        assert!(outsider.parse(&[7, 9], today()).unwrap_err().get("follow_up_owner").is_some());
    }

    fn crisis_with_follow_up() -> ContactInput {
        ContactInput { crisis: true, follow_up: "Check in tomorrow".into(), follow_up_owner: "7".into(), ..visit() }
    }

    #[test]
    fn durations_are_whole_minutes_up_to_twelve_hours() {
        for (typed, ok) in [("1", true), ("720", true), ("721", false), ("45.5", false), ("", false), ("-5", false)] {
            let input = ContactInput { duration_minutes: typed.into(), ..visit() };
            assert_eq!(input.parse(&[7, 9], today()).is_ok(), ok, "{typed:?}");
        }
    }

    #[test]
    fn topics_round_trip_through_storage() {
        let topics = [Topic::Diy, Topic::Confidence];
        assert_eq!(split_topics(&join_topics(&topics)), topics);
        assert_eq!(split_topics("cooking,unknown"), [Topic::Cooking]);
        for kind in ContactKind::ALL {
            assert_eq!(ContactKind::parse(kind.code()), Some(*kind));
        }
    }
}
