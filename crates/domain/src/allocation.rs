//! Who works with a young person: their personal adviser and the other
//! workers allocated to them. Each allocation runs from a date until it ends
//! or someone else takes it on, so the history of who worked with them is
//! kept.

use crate::codes::code_list;
use crate::contacts::text;
use crate::profile::{DateParts, FieldErrors};
use crate::roles::Role;
use chrono::NaiveDate;

code_list! {
    /// The part a worker plays for the young person.
    WorkerRole {
        PersonalAdviser => "personal_adviser", "Personal adviser";
        Eet => "eet", "Education, employment and training worker";
        EmotionalHealth => "emotional_health", "Emotional-health practitioner";
        Housing => "housing", "Housing officer";
        Nurse => "nurse", "Care-leaver nurse";
        Residential => "residential", "Trusted adult from their children's home";
    }
}

impl WorkerRole {
    /// The staff roles that may take this part.
    pub fn staff_roles(self) -> &'static [Role] {
        match self {
            WorkerRole::PersonalAdviser => &[Role::PersonalAdviser, Role::TeamManager],
            WorkerRole::Eet => &[Role::EetWorker],
            WorkerRole::EmotionalHealth => &[Role::EmotionalHealth],
            WorkerRole::Housing => &[Role::HousingOfficer],
            WorkerRole::Nurse => &[Role::Nurse],
            WorkerRole::Residential => &[Role::ResidentialStaff],
        }
    }

    /// The part a member of staff with `role` would usually take.
    pub fn for_staff_role(role: Role) -> Option<WorkerRole> {
        WorkerRole::ALL.iter().copied().find(|w| w.staff_roles().first() == Some(&role))
    }
}

/// The longest reason for a change.
pub const MAX_REASON: usize = 500;

/// An allocation as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllocationInput {
    pub role: String,
    pub staff: String,
    pub from: DateParts,
    pub reason: String,
}

/// A checked allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub role: WorkerRole,
    pub staff: i64,
    pub from: NaiveDate,
    pub reason: Option<String>,
}

/// Who holds a part now, for checking a change against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub staff: i64,
    pub name: String,
    /// `None` when the start was not recorded.
    pub since: Option<NaiveDate>,
}

impl AllocationInput {
    /// Checks the form. `staff` are the LA's active staff (id, name, role);
    /// `current` says who holds the chosen part now, if anyone.
    pub fn parse(
        &self,
        staff: &[(i64, String, Role)],
        current: &dyn Fn(WorkerRole) -> Option<Holder>,
        today: NaiveDate,
    ) -> Result<Allocation, FieldErrors> {
        let mut errors = FieldErrors::default();
        let role = WorkerRole::parse(&self.role);
        if role.is_none() {
            errors.add("role", "Choose what they will do for the young person");
        }
        let holder = role.and_then(current);
        let member = match self.staff.trim() {
            "" => {
                errors.add("staff", "Choose who will take this on");
                None
            }
            id => match staff.iter().find(|(s, _, _)| s.to_string() == id) {
                None => {
                    errors.add("staff", "Choose who will take this on from the list");
                    None
                }
                Some((id, name, staff_role)) => match role {
                    Some(r) if !r.staff_roles().contains(staff_role) => {
                        errors.add(
                            "staff",
                            format!(
                                "{name} cannot be their {}: their role is {}",
                                r.label().to_lowercase(),
                                in_sentence(staff_role.label())
                            ),
                        );
                        None
                    }
                    Some(r) if holder.as_ref().is_some_and(|h| h.staff == *id) => {
                        errors.add("staff", format!("{name} is already their {}", r.label().to_lowercase()));
                        None
                    }
                    _ => Some(*id),
                },
            },
        };
        let from = match self.from.parse("The start date") {
            Ok(None) => {
                errors.add("from", "Enter the date they start");
                None
            }
            Ok(Some(d)) if d > today + chrono::Duration::days(90) => {
                errors.add("from", "The start date must be within the next 3 months");
                None
            }
            Ok(Some(d)) if (today - d).num_days() > 366 => {
                errors.add("from", "The start date must be within the last year");
                None
            }
            Ok(Some(d)) => match holder.as_ref().and_then(|h| h.since.map(|s| (s, &h.name))) {
                Some((since, name)) if d < since => {
                    errors.add(
                        "from",
                        format!(
                            "The start date must be on or after {}, when {name} started",
                            crate::dates::format_uk(since)
                        ),
                    );
                    None
                }
                _ => Some(d),
            },
            Err(message) => {
                errors.add("from", message);
                None
            }
        };
        let reason = text(&mut errors, "reason", "The reason", &self.reason, MAX_REASON);
        match (role, member, from) {
            (Some(role), Some(staff), Some(from)) if errors.is_empty() => Ok(Allocation { role, staff, from, reason }),
            _ => Err(errors),
        }
    }
}

/// A label inside a sentence: "Housing officer" → "housing officer", but
/// "LA administrator" keeps its capitals.
fn in_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn staff() -> Vec<(i64, String, Role)> {
        vec![
            (1, "Daniel Okafor".into(), Role::PersonalAdviser),
            (2, "Priya Shah".into(), Role::PersonalAdviser),
            (3, "Tom Ashworth".into(), Role::HousingOfficer),
            (4, "Helen Crossley".into(), Role::TeamManager),
        ]
    }

    fn input(role: &str, staff: &str, from: &str) -> AllocationInput {
        AllocationInput {
            role: role.into(),
            staff: staff.into(),
            from: DateParts::from_iso(from),
            reason: " Moved area ".into(),
        }
    }

    fn daniel(role: WorkerRole) -> Option<Holder> {
        (role == WorkerRole::PersonalAdviser).then(|| Holder {
            staff: 1,
            name: "Daniel Okafor".into(),
            since: Some(d(2026, 6, 1)),
        })
    }

    #[test]
    fn a_reallocation_starts_after_the_current_worker_and_keeps_the_reason() {
        let a = input("personal_adviser", "2", "2026-11-30").parse(&staff(), &daniel, d(2026, 12, 1)).unwrap();
        assert_eq!((a.role, a.staff, a.from), (WorkerRole::PersonalAdviser, 2, d(2026, 11, 30)));
        assert_eq!(a.reason.as_deref(), Some("Moved area"));
        // A team manager may hold a caseload too.
        assert!(input("personal_adviser", "4", "2026-11-30").parse(&staff(), &daniel, d(2026, 12, 1)).is_ok());
        let e = input("personal_adviser", "2", "2026-05-01").parse(&staff(), &daniel, d(2026, 12, 1)).unwrap_err();
        assert_eq!(e.get("from"), Some("The start date must be on or after 1 June 2026, when Daniel Okafor started"));
    }

    #[test]
    fn the_worker_must_suit_the_part_and_not_hold_it_already() {
        let e = input("personal_adviser", "3", "2026-11-30").parse(&staff(), &daniel, d(2026, 12, 1)).unwrap_err();
        assert_eq!(
            e.get("staff"),
            Some("Tom Ashworth cannot be their personal adviser: their role is housing officer")
        );
        let e = input("personal_adviser", "1", "2026-11-30").parse(&staff(), &daniel, d(2026, 12, 1)).unwrap_err();
        assert_eq!(e.get("staff"), Some("Daniel Okafor is already their personal adviser"));
        let e = input("", "99", "").parse(&staff(), &daniel, d(2026, 12, 1)).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_ref()).collect();
        assert_eq!(fields, ["role", "staff", "from"]);
    }

    #[test]
    fn labels_keep_capitals_that_mean_something() {
        assert_eq!(in_sentence("LA administrator"), "LA administrator");
        assert_eq!(in_sentence("Team manager"), "team manager");
    }

    #[test]
    fn each_part_has_the_staff_role_that_usually_takes_it() {
        assert_eq!(WorkerRole::for_staff_role(Role::HousingOfficer), Some(WorkerRole::Housing));
        assert_eq!(WorkerRole::for_staff_role(Role::TeamManager), None);
        assert_eq!(WorkerRole::for_staff_role(Role::PersonalAdviser), Some(WorkerRole::PersonalAdviser));
    }
}
