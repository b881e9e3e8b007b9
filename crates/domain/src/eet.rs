//! Education, employment and training: each young person's activity
//! history (SSDA903 OC3 ACTIV codes, provider, dates), the help given
//! (EET interventions and outcomes), and the cohort's EET rate on a day:
//! of the young people whose activity that day is known, the share in
//! education, employment or training, with the list behind each number.

use crate::codes::code_list;
use crate::contacts::text;
use crate::dates::format_uk;
use crate::fields::{chosen, past_date};
use crate::periods::{place, Period};
use crate::profile::{DateParts, FieldErrors};
use crate::ssda903::ACTIVITY;
use chrono::NaiveDate;

/// An OC3 ACTIV code counts as EET when it is education, an apprenticeship,
/// training or employment; G4, G5 and G6 are not (NEET); `0` is not known.
pub fn is_eet(code: &str) -> Option<bool> {
    match code {
        "F1" | "P1" | "F2" | "P2" | "F3" | "P3" | "F4" | "P4" | "F5" | "P5" => Some(true),
        "G4" | "G5" | "G6" => Some(false),
        _ => None,
    }
}

/// What a young person was doing for a while.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// An OC3 ACTIV code other than `0`.
    pub code: String,
    pub provider: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl Activity {
    pub fn describe(&self) -> &'static str {
        ACTIVITY.meaning(&self.code).unwrap_or("Unknown activity")
    }

    pub fn covers(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && self.ends_on.is_none_or(|e| e >= day)
    }
}

/// The EET rate on a day, with who is behind each number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EetRate<T> {
    pub in_eet: Vec<T>,
    pub not_in_eet: Vec<T>,
    /// In the cohort that day, with no activity on record for it.
    pub not_known: Vec<T>,
}

impl<T> EetRate<T> {
    /// Those whose activity is known: the denominator.
    pub fn known(&self) -> usize {
        self.in_eet.len() + self.not_in_eet.len()
    }

    /// Whole per cent, rounded half up; `None` when nobody's activity is known.
    pub fn percent(&self) -> Option<u32> {
        let known = self.known() as u64;
        (known > 0).then(|| ((self.in_eet.len() as u64 * 200 + known) / (2 * known)) as u32)
    }
}

/// The rate on `day` for the cohort: each member with their activities.
pub fn rate_on<T: Clone>(cohort: &[(T, &[Activity])], day: NaiveDate) -> EetRate<T> {
    let mut rate = EetRate { in_eet: Vec::new(), not_in_eet: Vec::new(), not_known: Vec::new() };
    for (who, activities) in cohort {
        match activities.iter().filter(|a| a.covers(day)).find_map(|a| is_eet(&a.code)) {
            Some(true) => rate.in_eet.push(who.clone()),
            Some(false) => rate.not_in_eet.push(who.clone()),
            None => rate.not_known.push(who.clone()),
        }
    }
    rate
}

/// An activity as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityInput {
    pub code: String,
    pub provider: String,
    pub starts_on: DateParts,
    pub ends_on: DateParts,
}

impl ActivityInput {
    pub fn parse(&self, today: NaiveDate) -> Result<Activity, FieldErrors> {
        let mut errors = FieldErrors::default();
        let code = self.code.trim();
        let code = is_eet(code).map(|_| code.to_owned());
        let code = chosen(&mut errors, "code", "Choose what they are doing", code);
        let starts_on = past_date(&mut errors, "starts_on", "The start date", &self.starts_on, today, true);
        let ends_on = past_date(&mut errors, "ends_on", "The end date", &self.ends_on, today, false);
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                errors.add("ends_on", "The end date must be on or after the start date");
            }
        }
        let provider = text(&mut errors, "provider", "The provider or employer", &self.provider, 200);
        match (code, starts_on) {
            (Some(code), Some(starts_on)) if errors.is_empty() => Ok(Activity { code, provider, starts_on, ends_on }),
            _ => Err(errors),
        }
    }
}

/// Where a new activity goes: the open one ends the day before; any other
/// overlap is refused, naming it.
pub fn place_activity(existing: &[(i64, Activity)], new: &Activity) -> Result<Option<(i64, NaiveDate)>, String> {
    let periods: Vec<Period> =
        existing.iter().map(|(id, a)| Period { id: *id, starts_on: a.starts_on, ends_on: a.ends_on }).collect();
    place(&periods, new.starts_on, new.ends_on).map_err(|id| {
        let a = existing.iter().find(|(i, _)| *i == id).map(|(_, a)| a).expect("place names a period given");
        let until = a.ends_on.map(format_uk).unwrap_or_else(|| "now".into());
        format!("These dates overlap {} from {} to {}", a.describe().to_lowercase(), format_uk(a.starts_on), until)
    })
}

code_list! {
    /// Help towards education, employment or training.
    EetHelp {
        Careers => "careers", "Careers advice and guidance";
        Applications => "applications", "CV, applications or interview practice";
        College => "college", "Help to start college or university";
        Apprenticeship => "apprenticeship", "Apprenticeship or traineeship search";
        WorkExperience => "work_experience", "Work experience or volunteering";
        Course => "course", "Short course or qualification";
        Costs => "costs", "Travel, equipment or bursary costs";
        Other => "other", "Something else";
    }
}

code_list! {
    /// What came of it.
    EetOutcome {
        Ongoing => "ongoing", "Still in progress";
        Started => "started", "Started education, employment or training";
        Sustained => "sustained", "Kept their place or job";
        NotYet => "not_yet", "Not yet";
    }
}

/// An EET intervention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EetIntervention {
    pub on: NaiveDate,
    pub help: EetHelp,
    pub outcome: EetOutcome,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EetInterventionInput {
    pub on: DateParts,
    pub help: String,
    pub outcome: String,
    pub note: String,
}

impl EetInterventionInput {
    pub fn parse(&self, today: NaiveDate) -> Result<EetIntervention, FieldErrors> {
        let mut errors = FieldErrors::default();
        let on = past_date(&mut errors, "on", "The date", &self.on, today, true);
        let help = chosen(&mut errors, "help", "Choose the help given", EetHelp::parse(&self.help));
        let outcome = chosen(&mut errors, "outcome", "Choose the outcome", EetOutcome::parse(&self.outcome));
        let note = text(&mut errors, "note", "The note", &self.note, 1000);
        match (on, help, outcome) {
            (Some(on), Some(help), Some(outcome)) if errors.is_empty() => {
                Ok(EetIntervention { on, help, outcome, note })
            }
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

    fn act(code: &str, from: &str, to: Option<&str>) -> Activity {
        Activity { code: code.into(), provider: None, starts_on: d(from), ends_on: to.map(d) }
    }

    #[test]
    fn the_eet_rate_on_a_day_counts_only_known_activities() {
        let college = [act("F2", "2025-09-01", Some("2026-06-30")), act("G5", "2026-07-01", None)];
        let apprentice = [act("F4", "2026-03-01", None)];
        let parent = [act("G6", "2025-01-01", None)];
        let unknown: [Activity; 0] = [];
        let cohort: Vec<(&str, &[Activity])> =
            vec![("Ava", &college), ("Ben", &apprentice), ("Cal", &parent), ("Dee", &unknown)];
        let june = rate_on(&cohort, d("2026-06-30"));
        assert_eq!(
            (june.in_eet.clone(), june.not_in_eet.clone(), june.not_known.clone()),
            (vec!["Ava", "Ben"], vec!["Cal"], vec!["Dee"])
        );
        assert_eq!((june.known(), june.percent()), (3, Some(67)), "2 of 3 known, rounded");
        let july = rate_on(&cohort, d("2026-07-01"));
        assert_eq!((july.in_eet.len(), july.known(), july.percent()), (1, 3, Some(33)));
        let before = rate_on(&cohort, d("2024-06-01"));
        assert_eq!((before.known(), before.percent(), before.not_known.len()), (0, None, 4));
        assert_eq!(is_eet("0"), None);
    }

    #[test]
    fn an_activity_needs_a_known_code_and_closes_the_open_one() {
        let e = ActivityInput { code: "0".into(), ..ActivityInput::default() }.parse(d("2026-12-01")).unwrap_err();
        assert_eq!(e.get("code"), Some("Choose what they are doing"));
        assert_eq!(e.get("starts_on"), Some("Enter the start date"));
        let existing = vec![(7, act("F2", "2025-09-01", None))];
        assert_eq!(place_activity(&existing, &act("F5", "2026-09-01", None)), Ok(Some((7, d("2026-08-31")))));
        assert_eq!(
            place_activity(&[(8, act("F2", "2025-09-01", Some("2026-06-30")))], &act("G5", "2026-06-01", None)),
            Err("These dates overlap other education, full time from 1 September 2025 to 30 June 2026".into())
        );
    }
}
