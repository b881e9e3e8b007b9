//! Young parents: expecting and parenting young people, their children
//! (only what the work needs: what they are called, born or due, whether
//! they live with the young person), the support given, and the
//! child-protection plans and entries to care prevented, which a manager
//! records with a note.

use crate::codes::code_list;
use crate::contacts::text;
use crate::fields::{chosen, date, past_date, required_text};
use crate::profile::{DateParts, FieldErrors};
use chrono::NaiveDate;

/// A young person's child, or a baby on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Child {
    /// A first name or initials.
    pub known_as: String,
    pub born_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub lives_with_parent: bool,
}

impl Child {
    pub fn describe(&self) -> String {
        match (self.born_on, self.due_on) {
            (Some(b), _) => format!("Born {}", crate::dates::format_uk(b)),
            (None, Some(d)) => format!("Due {}", crate::dates::format_uk(d)),
            (None, None) => String::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChildInput {
    pub known_as: String,
    pub born_on: DateParts,
    pub due_on: DateParts,
    pub lives_with_parent: String,
}

impl ChildInput {
    pub fn parse(&self, today: NaiveDate) -> Result<Child, FieldErrors> {
        let mut errors = FieldErrors::default();
        let known_as = required_text(&mut errors, "known_as", "What the child is called", &self.known_as, 40);
        let born_on = past_date(&mut errors, "born_on", "The date of birth", &self.born_on, today, false);
        let due_on = date(&mut errors, "due_on", "The due date", &self.due_on, false);
        if born_on.is_none() && due_on.is_none() && self.born_on.is_blank() && self.due_on.is_blank() {
            errors.add("born_on", "Enter the date of birth, or the due date if the baby is not born yet");
        }
        let lives_with_parent = match self.lives_with_parent.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        };
        let lives_with_parent =
            chosen(&mut errors, "lives_with_parent", "Choose whether the child lives with them", lives_with_parent);
        match (known_as, lives_with_parent) {
            (Some(known_as), Some(lives_with_parent)) if errors.is_empty() => {
                Ok(Child { known_as, born_on, due_on, lives_with_parent })
            }
            _ => Err(errors),
        }
    }
}

code_list! {
    /// Support for a young parent.
    ParentSupportKind {
        Antenatal => "antenatal", "Antenatal appointments";
        ParentingCourse => "parenting_course", "Parenting course or group";
        HealthVisitor => "health_visitor", "Work with the health visitor or midwife";
        Childcare => "childcare", "Childcare or nursery place";
        Equipment => "equipment", "Baby equipment";
        Home => "home", "A home for the family";
        Other => "other", "Something else";
    }
}

code_list! {
    /// What a manager records for a young parent's child.
    ParentOutcomeKind {
        PlanStarted => "cp_plan_started", "Child protection plan started";
        PlanEnded => "cp_plan_ended", "Child protection plan ended";
        EntryPrevented => "entry_prevented", "Entry to care prevented";
    }
}

/// Support given, or an outcome recorded by a manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportGiven {
    pub on: NaiveDate,
    pub kind: ParentSupportKind,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentOutcome {
    pub on: NaiveDate,
    pub kind: ParentOutcomeKind,
    /// The note is required: what happened and why.
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SupportInput {
    pub on: DateParts,
    pub kind: String,
    pub note: String,
}

impl SupportInput {
    pub fn parse(&self, today: NaiveDate) -> Result<SupportGiven, FieldErrors> {
        let mut errors = FieldErrors::default();
        let on = past_date(&mut errors, "support-on", "The date", &self.on, today, true);
        let kind =
            chosen(&mut errors, "support-kind", "Choose the support given", ParentSupportKind::parse(&self.kind));
        let note = text(&mut errors, "support-note", "The note", &self.note, 1000);
        match (on, kind) {
            (Some(on), Some(kind)) if errors.is_empty() => Ok(SupportGiven { on, kind, note }),
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutcomeInput {
    pub on: DateParts,
    pub kind: String,
    pub note: String,
}

impl OutcomeInput {
    pub fn parse(&self, today: NaiveDate) -> Result<ParentOutcome, FieldErrors> {
        let mut errors = FieldErrors::default();
        let on = past_date(&mut errors, "outcome-on", "The date", &self.on, today, true);
        let kind = chosen(&mut errors, "outcome-kind", "Choose what happened", ParentOutcomeKind::parse(&self.kind));
        let note = required_text(&mut errors, "outcome-note", "A note of what happened and why", &self.note, 2000);
        match (on, kind, note) {
            (Some(on), Some(kind), Some(note)) if errors.is_empty() => Ok(ParentOutcome { on, kind, note }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_needs_a_name_and_a_birth_or_due_date() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let e = ChildInput::default().parse(today).unwrap_err();
        assert_eq!(e.get("known_as"), Some("Enter what the child is called"));
        assert_eq!(e.get("born_on"), Some("Enter the date of birth, or the due date if the baby is not born yet"));
        assert_eq!(e.get("lives_with_parent"), Some("Choose whether the child lives with them"));
        let due = ChildInput {
            known_as: "Baby".into(),
            due_on: DateParts::from_iso("2027-03-01"),
            lives_with_parent: "yes".into(),
            ..ChildInput::default()
        }
        .parse(today)
        .unwrap();
        assert_eq!(due.describe(), "Due 1 March 2027");
    }

    #[test]
    fn a_manager_must_say_what_happened() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let e =
            OutcomeInput { on: DateParts::from_iso("2026-11-01"), kind: "entry_prevented".into(), note: " ".into() }
                .parse(today)
                .unwrap_err();
        assert_eq!(e.get("outcome-note"), Some("Enter a note of what happened and why"));
    }
}
