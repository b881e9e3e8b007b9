//! Emotional health and health: sessions with the emotional-health
//! practitioner and contacts with the care-leaver nurse; referrals along
//! pathways (adult mental health, neurodiversity assessment, other) with
//! their status and outcome; and registration with a GP and a dentist and
//! the health passport. Special-category data: only the roles with
//! `view_health` see it, and only `record_health` roles change it.

use crate::codes::code_list;
use crate::contacts::text;
use crate::fields::{chosen, past_date, required_text};
use crate::profile::{DateParts, FieldErrors};
use chrono::NaiveDate;

code_list! {
    /// Who the session was with.
    SessionKind {
        EmotionalHealth => "emotional_health", "Emotional-health session";
        Nurse => "nurse", "Care-leaver nurse contact";
    }
}

code_list! {
    /// Where a referral goes.
    Pathway {
        AdultMentalHealth => "adult_mental_health", "Adult mental health services";
        Neurodiversity => "neurodiversity", "Neurodiversity assessment";
        Other => "other", "Another service";
    }
}

code_list! {
    /// Where a referral stands.
    ReferralStatus {
        Waiting => "waiting", "Waiting";
        Accepted => "accepted", "Accepted";
        Seen => "seen", "Seen";
        Declined => "declined", "Declined";
        Closed => "closed", "Closed";
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub on: NaiveDate,
    pub kind: SessionKind,
    pub minutes: Option<u32>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthReferral {
    pub pathway: Pathway,
    pub referred_on: NaiveDate,
    pub status: ReferralStatus,
    pub outcome: Option<String>,
}

/// GP, dentist and health passport.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registration {
    pub gp: Option<String>,
    pub dentist: Option<String>,
    pub passport_given_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionInput {
    pub on: DateParts,
    pub kind: String,
    pub minutes: String,
    pub note: String,
}

impl SessionInput {
    pub fn parse(&self, today: NaiveDate) -> Result<Session, FieldErrors> {
        let mut errors = FieldErrors::default();
        let on = past_date(&mut errors, "session-on", "The date", &self.on, today, true);
        let kind =
            chosen(&mut errors, "session-kind", "Choose who the session was with", SessionKind::parse(&self.kind));
        let minutes = match self.minutes.trim() {
            "" => None,
            m => match m.parse::<u32>() {
                Ok(n) if (1..=600).contains(&n) => Some(n),
                _ => {
                    errors.add("session-minutes", "Minutes must be a whole number from 1 to 600");
                    None
                }
            },
        };
        let note = text(&mut errors, "session-note", "The note", &self.note, 2000);
        match (on, kind) {
            (Some(on), Some(kind)) if errors.is_empty() => Ok(Session { on, kind, minutes, note }),
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferralInput {
    pub pathway: String,
    pub referred_on: DateParts,
    pub status: String,
    pub outcome: String,
}

impl ReferralInput {
    pub fn of(r: &HealthReferral) -> ReferralInput {
        ReferralInput {
            pathway: r.pathway.code().to_owned(),
            referred_on: DateParts::of(Some(r.referred_on)),
            status: r.status.code().to_owned(),
            outcome: r.outcome.clone().unwrap_or_default(),
        }
    }

    pub fn parse(&self, today: NaiveDate) -> Result<HealthReferral, FieldErrors> {
        let mut errors = FieldErrors::default();
        let pathway = chosen(&mut errors, "pathway", "Choose the pathway", Pathway::parse(&self.pathway));
        let referred_on = past_date(&mut errors, "referred_on", "The date of referral", &self.referred_on, today, true);
        let status =
            chosen(&mut errors, "status", "Choose where the referral stands", ReferralStatus::parse(&self.status));
        let outcome = if matches!(status, Some(ReferralStatus::Closed | ReferralStatus::Declined)) {
            required_text(&mut errors, "outcome", "The outcome", &self.outcome, 1000)
        } else {
            text(&mut errors, "outcome", "The outcome", &self.outcome, 1000)
        };
        match (pathway, referred_on, status) {
            (Some(pathway), Some(referred_on), Some(status)) if errors.is_empty() => {
                Ok(HealthReferral { pathway, referred_on, status, outcome })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrationInput {
    pub gp: String,
    pub dentist: String,
    pub passport_given_on: DateParts,
}

impl RegistrationInput {
    pub fn of(r: &Registration) -> RegistrationInput {
        RegistrationInput {
            gp: r.gp.clone().unwrap_or_default(),
            dentist: r.dentist.clone().unwrap_or_default(),
            passport_given_on: DateParts::of(r.passport_given_on),
        }
    }

    pub fn parse(&self, today: NaiveDate) -> Result<Registration, FieldErrors> {
        let mut errors = FieldErrors::default();
        let gp = text(&mut errors, "gp", "The GP practice", &self.gp, 200);
        let dentist = text(&mut errors, "dentist", "The dentist", &self.dentist, 200);
        let passport_given_on = past_date(
            &mut errors,
            "passport_given_on",
            "The date the health passport was given",
            &self.passport_given_on,
            today,
            false,
        );
        if errors.is_empty() {
            Ok(Registration { gp, dentist, passport_given_on })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_referral_needs_its_outcome_and_sessions_have_sensible_minutes() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let e = ReferralInput {
            pathway: "neurodiversity".into(),
            referred_on: DateParts::from_iso("2026-06-01"),
            status: "closed".into(),
            outcome: String::new(),
        }
        .parse(today)
        .unwrap_err();
        assert_eq!(e.get("outcome"), Some("Enter the outcome"));
        let e = SessionInput {
            on: DateParts::from_iso("2026-12-02"),
            kind: "x".into(),
            minutes: "0".into(),
            note: String::new(),
        }
        .parse(today)
        .unwrap_err();
        assert_eq!(e.get("session-on"), Some("The date must be today or in the past"));
        assert_eq!(e.get("session-kind"), Some("Choose who the session was with"));
        assert_eq!(e.get("session-minutes"), Some("Minutes must be a whole number from 1 to 600"));
        let r = RegistrationInput { gp: "Bridge Street Surgery".into(), ..RegistrationInput::default() }
            .parse(today)
            .unwrap();
        assert_eq!((r.gp.as_deref(), r.dentist, r.passport_given_on), (Some("Bridge Street Surgery"), None, None));
    }
}
