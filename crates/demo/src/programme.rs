//! Demo records of the programme's other support: Trusted Person matches.

use crate::rng::SplitMix64;
use chrono::{Duration, Months, NaiveDate};
use staying_close_domain::trusted_person::{EndReason, TrustedMatch, TrustedRole, REVIEW_MONTHS};

const TRUSTED: &[(&str, TrustedRole)] = &[
    ("Kevin Hargreaves", TrustedRole::ResidentialStaff),
    ("Joanne Whitfield", TrustedRole::ResidentialStaff),
    ("Sarah Ndlovu", TrustedRole::SocialWorker),
    ("Peter Grant", TrustedRole::Iro),
    ("Mrs Hollis", TrustedRole::Teacher),
];

/// Two in three have nominated someone; most are matched, some reviews are
/// overdue, one in ten ended.
pub fn trusted_matches(rng: &mut SplitMix64, today: NaiveDate, history_days: i64, serial: usize) -> Vec<TrustedMatch> {
    if serial % 3 == 2 {
        return Vec::new();
    }
    let (name, role) = TRUSTED[serial % TRUSTED.len()];
    let nominated_on = today - Duration::days(rng.below(history_days.clamp(30, 700) as u64) as i64);
    let agreed_on =
        (serial % 7 != 3).then(|| nominated_on + Duration::days(7 + rng.below(21) as i64)).filter(|d| *d <= today);
    let ended = serial % 10 == 4 && agreed_on.is_some_and(|a| a + Duration::days(60) < today);
    let next_review_on = agreed_on.map(|a| {
        // Reviews every 3 months; one in five has slipped past its date.
        let mut review = a + Months::new(REVIEW_MONTHS);
        while review <= today {
            review = review + Months::new(REVIEW_MONTHS);
        }
        let slipped = review - Months::new(REVIEW_MONTHS);
        if serial % 5 == 1 && slipped > a {
            slipped
        } else {
            review
        }
    });
    vec![TrustedMatch {
        name: name.into(),
        role,
        nominated_on,
        agreed_on,
        next_review_on: if ended { None } else { next_review_on },
        ended_on: ended.then(|| today - Duration::days(20)),
        end_reason: ended.then_some(EndReason::NoLongerNeeded),
        note: Some("Nominated at their Staying Close plan meeting".into()),
    }]
}
