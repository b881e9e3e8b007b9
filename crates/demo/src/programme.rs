//! Demo records of the programme's other support: Trusted Person matches,
//! education, employment and training.

use crate::rng::SplitMix64;
use chrono::{Duration, Months, NaiveDate};
use staying_close_domain::advocacy::{AdvocacyKind, Referral};
use staying_close_domain::eet::{Activity, EetHelp, EetIntervention, EetOutcome};
use staying_close_domain::health::{HealthReferral, Pathway, ReferralStatus, Registration, Session, SessionKind};
use staying_close_domain::parents::{Child, ParentOutcome, ParentOutcomeKind, ParentSupportKind, SupportGiven};
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

/// What they have been doing since Staying Close began: about two in three
/// in education, employment or training now, one in twenty not known.
pub fn eet(
    rng: &mut SplitMix64,
    today: NaiveDate,
    start: NaiveDate,
    serial: usize,
) -> (Vec<Activity>, Vec<EetIntervention>) {
    if serial % 20 == 13 {
        return (Vec::new(), Vec::new());
    }
    let (code, provider) = match serial % 8 {
        0 | 3 | 5 => ("F2", "Town college"),
        1 | 6 => ("G5", ""),
        2 => ("F5", "Bakery on Market Street"),
        4 => ("F4", "Rail engineering apprenticeship"),
        _ => ("G6", ""),
    };
    let first = Activity {
        code: code.into(),
        provider: (!provider.is_empty()).then(|| provider.into()),
        starts_on: start,
        ends_on: None,
    };
    let mut activities = vec![first];
    let mut helps = Vec::new();
    let days = (today - start).num_days();
    // Half of those not in EET have since started an apprenticeship or course.
    if code == "G5" && serial % 16 == 1 && days > 90 {
        let moved = start + Duration::days(days / 2);
        activities[0].ends_on = Some(moved - Duration::days(1));
        activities.push(Activity {
            code: "F4".into(),
            provider: Some("Council apprenticeship scheme".into()),
            starts_on: moved,
            ends_on: None,
        });
        helps.push(EetIntervention {
            on: moved - Duration::days(30),
            help: EetHelp::Apprenticeship,
            outcome: EetOutcome::Started,
            note: Some("Applied with the EET worker".into()),
        });
    }
    if code == "G5" {
        let on = today - Duration::days(rng.below(40) as i64);
        helps.push(EetIntervention {
            on,
            help: EetHelp::Applications,
            outcome: EetOutcome::Ongoing,
            note: Some("CV and two applications".into()),
        });
    }
    if code == "F2" && rng.below(2) == 0 {
        helps.push(EetIntervention {
            on: start + Duration::days(10).min(Duration::days(days.max(0))),
            help: EetHelp::Costs,
            outcome: EetOutcome::Sustained,
            note: Some("Bus pass and a laptop from the bursary".into()),
        });
    }
    (activities, helps)
}

/// One in six has been referred to advocacy; most referrals have closed.
pub fn advocacy(rng: &mut SplitMix64, today: NaiveDate, start: NaiveDate, serial: usize) -> Vec<Referral> {
    if serial % 6 != 5 {
        return Vec::new();
    }
    let days = (today - start).num_days().max(30);
    let referred_on = start + Duration::days(rng.below(days as u64 - 20) as i64);
    let closed = referred_on + Duration::days(60) < today;
    let (kind, issue) = if serial % 12 == 5 {
        (AdvocacyKind::Instructed, "Wants to challenge the decision on their housing application")
    } else {
        (AdvocacyKind::NonInstructed, "Support to have their views heard at their plan review")
    };
    vec![Referral {
        provider: "Independent advocacy service".into(),
        kind,
        issue: issue.into(),
        referred_on,
        started_on: Some(referred_on + Duration::days(7)).filter(|d| *d <= today),
        closed_on: closed.then(|| referred_on + Duration::days(56)),
        outcome: closed.then(|| "Decision reviewed; they felt listened to".to_owned()),
    }]
}

/// Young parents: about one in seven is a parent and one in thirteen is
/// expecting, with support, and (for two) a manager's record of a child
/// protection plan or an entry to care prevented.
pub struct Parenting {
    pub young_parent: bool,
    pub expecting: bool,
    pub children: Vec<Child>,
    pub support: Vec<SupportGiven>,
    pub outcomes: Vec<ParentOutcome>,
}

pub fn parenting(rng: &mut SplitMix64, today: NaiveDate, start: NaiveDate, serial: usize) -> Parenting {
    let young_parent = serial % 7 == 3;
    let expecting = serial % 13 == 6;
    let mut p = Parenting { young_parent, expecting, children: Vec::new(), support: Vec::new(), outcomes: Vec::new() };
    let days = (today - start).num_days().max(60);
    if young_parent {
        let born_on = start + Duration::days(rng.below(days as u64 / 2) as i64);
        p.children.push(Child {
            known_as: "Baby M".into(),
            born_on: Some(born_on),
            due_on: None,
            lives_with_parent: serial % 14 != 10,
        });
        p.support.push(SupportGiven {
            on: born_on + Duration::days(21),
            kind: ParentSupportKind::HealthVisitor,
            note: Some("Joint visit with the health visitor".into()),
        });
        p.support.push(SupportGiven {
            on: (born_on + Duration::days(90)).min(today),
            kind: ParentSupportKind::ParentingCourse,
            note: Some("Weekly group at the family hub".into()),
        });
        if serial % 14 == 3 {
            p.outcomes.push(ParentOutcome {
                on: (born_on + Duration::days(120)).min(today),
                kind: ParentOutcomeKind::EntryPrevented,
                note: "Pre-birth assessment had pointed to care proceedings; with daily support from the team and their trusted adult, the baby stayed at home and the plan was stepped down.".into(),
            });
        }
    }
    if expecting {
        p.children.push(Child {
            known_as: "Baby".into(),
            born_on: None,
            due_on: Some(today + Duration::days(40 + rng.below(120) as i64)),
            lives_with_parent: true,
        });
        p.support.push(SupportGiven {
            on: today - Duration::days(rng.below(30) as i64),
            kind: ParentSupportKind::Antenatal,
            note: Some("Went with them to the scan".into()),
        });
    }
    p
}

/// Health: most are registered with a GP, fewer with a dentist; one in
/// four sees the emotional-health practitioner, some with a referral on.
pub fn health(
    rng: &mut SplitMix64,
    today: NaiveDate,
    start: NaiveDate,
    serial: usize,
) -> (Vec<Session>, Vec<HealthReferral>, Option<Registration>) {
    let registration = Registration {
        gp: (serial % 10 != 7).then(|| "Bridge Street Medical Centre".to_owned()),
        dentist: (serial % 5 < 3).then(|| "Market Square Dental".to_owned()),
        passport_given_on: (serial % 3 != 1).then(|| start + Duration::days(14)).filter(|d| *d <= today),
    };
    let mut sessions = Vec::new();
    let mut referrals = Vec::new();
    if serial % 4 == 2 {
        let mut on = start + Duration::days(20);
        while on <= today {
            sessions.push(Session { on, kind: SessionKind::EmotionalHealth, minutes: Some(50), note: None });
            on += Duration::days(14 + rng.below(14) as i64);
        }
        let pathway = if serial % 8 == 2 { Pathway::Neurodiversity } else { Pathway::AdultMentalHealth };
        let referred_on = (start + Duration::days(45)).min(today);
        let waiting = referred_on + Duration::days(120) > today;
        referrals.push(HealthReferral {
            pathway,
            referred_on,
            status: if waiting { ReferralStatus::Waiting } else { ReferralStatus::Seen },
            outcome: (!waiting).then(|| "Assessment completed; follow-up in the community".to_owned()),
        });
    }
    if serial % 6 == 1 {
        sessions.push(Session {
            on: (start + Duration::days(30)).min(today),
            kind: SessionKind::Nurse,
            minutes: Some(40),
            note: None,
        });
    }
    (sessions, referrals, Some(registration))
}
