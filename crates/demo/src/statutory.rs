//! Statutory staying close assessments for the demo (s.23CZAA).

use crate::rng::SplitMix64;
use chrono::{Duration, NaiveDate};
use staying_close_domain::dataset::DatasetAssessment;
use staying_close_domain::statutory::AssessmentOutcome;

const REQUIRED: &[(&str, &str)] = &[
    (
        "{} is managing the tenancy but wants help with letters from the council and the landlord.",
        "\"I'm fine mostly, I just want someone to ring when it goes wrong.\"",
    ),
    (
        "{} has started college and asked for advice on bursaries and speaking up for them with student finance.",
        "\"Can you come to the meeting with me?\"",
    ),
    ("{} feels isolated since moving and wants help joining groups nearby.", "\"I want to meet people my age.\""),
];

const NOT_REQUIRED: &[&str] = &[
    "{} is settled in work and a shared house, with family support close by, and does not want staying close support now. Told them how to ask for it later.",
];

/// An assessment in the last few months by their personal adviser.
pub fn assessment(rng: &mut SplitMix64, today: NaiveDate, adviser: usize, first_name: &str) -> DatasetAssessment {
    let words = |t: &str| t.replace("{}", first_name);
    let assessed_on = today - Duration::days(7 + rng.below(50) as i64);
    if rng.below(4) == 0 {
        let reasons = NOT_REQUIRED[rng.below(NOT_REQUIRED.len() as u64) as usize];
        DatasetAssessment {
            assessed_on,
            assessed_by: adviser,
            outcome: AssessmentOutcome::NotRequired,
            reasons: words(reasons),
            their_view: Some("\"I'm good for now, thanks.\"".into()),
        }
    } else {
        let (reasons, view) = REQUIRED[rng.below(REQUIRED.len() as u64) as usize];
        DatasetAssessment {
            assessed_on,
            assessed_by: adviser,
            outcome: AssessmentOutcome::Required,
            reasons: words(reasons),
            their_view: Some(view.to_owned()),
        }
    }
}
