//! Statutory staying close support: Children Act 1989 s.23CZAA (inserted by
//! the Children's Wellbeing and Schools Act 2026 s.7, prospective). Once the
//! duty starts (an LA setting, set when the commencement order is made), the
//! LA must assess every former relevant child under 25 to whom it has or had
//! s.23C duties — care leavers from foster care too — and, where support is
//! required for their welfare, give it: advice or information, and
//! representations on their behalf, in the areas the Act lists.
//!
//! This is kept apart from the programme's eligibility rule (13 weeks in
//! residential care after 14, see [`crate::eligibility`]): a young person can
//! be in either, both or neither.

use crate::codes::code_list;
use crate::contacts::text;
use crate::dates::{age_on, LeapDayRule};
use crate::eligibility::CareLeaverStatus;
use crate::profile::{DateParts, FieldErrors};
use chrono::NaiveDate;

/// The age the duty ends at.
pub const DUTY_ENDS_AT: u32 = 25;

code_list! {
    /// The areas the Act names for staying close support.
    SupportArea {
        Accommodation => "accommodation", "Finding and keeping suitable accommodation";
        HealthWellbeing => "health_wellbeing", "Health and wellbeing";
        Relationships => "relationships", "Relationships";
        EducationTraining => "education_training", "Education and training";
        Employment => "employment", "Employment";
        Participation => "participation", "Participation in society";
    }
}

code_list! {
    /// The forms the Act gives support.
    SupportForm {
        Advice => "advice", "Advice or information";
        Representations => "representations", "Representations made on their behalf";
    }
}

code_list! {
    /// What an assessment found.
    AssessmentOutcome {
        Required => "required", "Staying close support is required";
        NotRequired => "not_required", "Staying close support is not required now";
    }
}

/// Whether the duty is owed to a young person on `today`, and why (or why not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duty {
    /// The LA has not set the date the duty starts.
    NotStarted,
    /// The duty starts on this date, later than today.
    StartsOn(NaiveDate),
    NotFormerRelevant,
    /// They are 25 or over.
    TooOld,
    Owed,
}

impl Duty {
    pub fn of(
        status: CareLeaverStatus,
        date_of_birth: NaiveDate,
        today: NaiveDate,
        duty_start: Option<NaiveDate>,
    ) -> Duty {
        match duty_start {
            None => Duty::NotStarted,
            Some(start) if start > today => Duty::StartsOn(start),
            Some(_) if status != CareLeaverStatus::FormerRelevant => Duty::NotFormerRelevant,
            Some(_) if age_on(date_of_birth, today, LeapDayRule::default()) >= DUTY_ENDS_AT => Duty::TooOld,
            Some(_) => Duty::Owed,
        }
    }

    pub fn is_owed(self) -> bool {
        self == Duty::Owed
    }

    /// In plain words, for the young person's page.
    pub fn words(self) -> String {
        match self {
            Duty::NotStarted => "The statutory duty has not started: your LA administrator sets its start date once it is in force.".into(),
            Duty::StartsOn(d) => format!("The statutory duty starts on {}.", crate::dates::format_uk(d)),
            Duty::NotFormerRelevant => "Not owed: they are not a former relevant child.".into(),
            Duty::TooOld => "Not owed: they are 25 or over.".into(),
            Duty::Owed => "Owed: they are a former relevant child under 25, so the LA must assess whether they need staying close support.".into(),
        }
    }
}

/// The earliest date of birth of someone still under 25 on `today`: those
/// born after it are under 25 (for database filters).
pub fn born_after_for_duty(today: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    // Someone born on this day in the year 25 years ago turns 25 today.
    NaiveDate::from_ymd_opt(today.year() - DUTY_ENDS_AT as i32, today.month(), today.day())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year() - DUTY_ENDS_AT as i32, 2, 28).unwrap_or(today))
}

/// The longest reasons or view.
pub const MAX_WORDS: usize = 4000;

/// An assessment as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssessmentInput {
    pub assessed_on: DateParts,
    pub assessed_by: String,
    pub outcome: String,
    pub reasons: String,
    pub their_view: String,
}

/// A checked assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub assessed_on: NaiveDate,
    pub assessed_by: i64,
    pub outcome: AssessmentOutcome,
    pub reasons: String,
    pub their_view: Option<String>,
}

impl AssessmentInput {
    /// Checks the form; `staff` are the ids of staff who may have assessed.
    pub fn parse(&self, staff: &[i64], today: NaiveDate) -> Result<Assessment, FieldErrors> {
        let mut errors = FieldErrors::default();
        let assessed_on = match self.assessed_on.parse("The date of the assessment") {
            Ok(None) => {
                errors.add("assessed_on", "Enter the date of the assessment");
                None
            }
            Ok(Some(d)) if d > today => {
                errors.add("assessed_on", "The date of the assessment must be today or in the past");
                None
            }
            Ok(Some(d)) if (today - d).num_days() > 366 => {
                errors.add("assessed_on", "The date of the assessment must be within the last year");
                None
            }
            Ok(d) => d,
            Err(message) => {
                errors.add("assessed_on", message);
                None
            }
        };
        let assessed_by = match self.assessed_by.trim().parse::<i64>() {
            Ok(id) if staff.contains(&id) => Some(id),
            _ => {
                errors.add("assessed_by", "Choose who assessed them");
                None
            }
        };
        let outcome = AssessmentOutcome::parse(&self.outcome);
        if outcome.is_none() {
            errors.add("outcome", "Choose whether staying close support is required");
        }
        let reasons = text(&mut errors, "reasons", "The reasons", &self.reasons, MAX_WORDS);
        if reasons.is_none() && errors.get("reasons").is_none() {
            errors.add("reasons", "Enter the reasons for the decision, in words");
        }
        let their_view = text(&mut errors, "their_view", "Their view", &self.their_view, MAX_WORDS);
        match (assessed_on, assessed_by, outcome, reasons) {
            (Some(assessed_on), Some(assessed_by), Some(outcome), Some(reasons)) if errors.is_empty() => {
                Ok(Assessment { assessed_on, assessed_by, outcome, reasons, their_view })
            }
            _ => Err(errors),
        }
    }
}

/// Codes joined for storage (`accommodation,employment`), and back.
pub fn join_codes<T: Copy>(items: &[T], code: fn(T) -> &'static str) -> String {
    items.iter().map(|i| code(*i)).collect::<Vec<_>>().join(",")
}

pub fn split_areas(text: &str) -> Vec<SupportArea> {
    text.split(',').filter_map(SupportArea::parse).collect()
}

pub fn split_forms(text: &str) -> Vec<SupportForm> {
    text.split(',').filter_map(SupportForm::parse).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_duty_is_owed_to_former_relevant_children_under_25_once_it_starts() {
        let dob = d(2004, 3, 10);
        let today = d(2026, 12, 1);
        let former = CareLeaverStatus::FormerRelevant;
        assert_eq!(Duty::of(former, dob, today, None), Duty::NotStarted);
        assert_eq!(Duty::of(former, dob, today, Some(d(2027, 4, 1))), Duty::StartsOn(d(2027, 4, 1)));
        assert_eq!(Duty::of(former, dob, today, Some(d(2026, 10, 1))), Duty::Owed);
        assert_eq!(Duty::of(CareLeaverStatus::Relevant, dob, today, Some(d(2026, 10, 1))), Duty::NotFormerRelevant);
        // The day before their 25th birthday they are owed it; on the day, not.
        let turning = d(2001, 12, 2);
        assert_eq!(Duty::of(former, turning, today, Some(d(2026, 10, 1))), Duty::Owed);
        assert_eq!(Duty::of(former, d(2001, 12, 1), today, Some(d(2026, 10, 1))), Duty::TooOld);
        assert_eq!(born_after_for_duty(today), d(2001, 12, 1));
    }

    #[test]
    fn an_assessment_needs_its_reasons_in_words() {
        let input = AssessmentInput {
            assessed_on: DateParts::from_iso("2026-11-30"),
            assessed_by: "7".into(),
            outcome: "required".into(),
            reasons: "  Wants help keeping the tenancy  ".into(),
            their_view: "I'd like someone to ring the council with me".into(),
        };
        let a = input.parse(&[7], d(2026, 12, 1)).unwrap();
        assert_eq!((a.outcome, a.reasons.as_str()), (AssessmentOutcome::Required, "Wants help keeping the tenancy"));
        let e = AssessmentInput::default().parse(&[7], d(2026, 12, 1)).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_ref()).collect();
        assert_eq!(fields, ["assessed_on", "assessed_by", "outcome", "reasons"]);
    }

    #[test]
    fn codes_round_trip() {
        let areas = [SupportArea::Accommodation, SupportArea::Employment];
        assert_eq!(join_codes(&areas, SupportArea::code), "accommodation,employment");
        assert_eq!(split_areas("accommodation,employment,nonsense"), areas);
        assert_eq!(split_forms("representations"), [SupportForm::Representations]);
    }
}
