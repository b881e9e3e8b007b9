//! Advocacy: referrals to an independent advocacy provider, instructed (the
//! young person tells the advocate what they want) or non-instructed, with
//! the issue, dates and outcome.

use crate::codes::code_list;
use crate::contacts::text;
use crate::fields::{chosen, past_date, required_text};
use crate::profile::{DateParts, FieldErrors};
use chrono::NaiveDate;

code_list! {
    /// Whether the young person instructs the advocate.
    AdvocacyKind {
        Instructed => "instructed", "Instructed";
        NonInstructed => "non_instructed", "Non-instructed";
    }
}

/// A referral to advocacy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub provider: String,
    pub kind: AdvocacyKind,
    pub issue: String,
    pub referred_on: NaiveDate,
    pub started_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub outcome: Option<String>,
}

impl Referral {
    /// Words and colour for where the referral stands.
    pub fn status(&self) -> (&'static str, &'static str) {
        match (self.started_on, self.closed_on) {
            (_, Some(_)) => ("Closed", "grey"),
            (Some(_), None) => ("With an advocate", "green"),
            (None, None) => ("Referred", "blue"),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferralInput {
    pub provider: String,
    pub kind: String,
    pub issue: String,
    pub referred_on: DateParts,
    pub started_on: DateParts,
    pub closed_on: DateParts,
    pub outcome: String,
}

impl ReferralInput {
    pub fn of(r: &Referral) -> ReferralInput {
        ReferralInput {
            provider: r.provider.clone(),
            kind: r.kind.code().to_owned(),
            issue: r.issue.clone(),
            referred_on: DateParts::of(Some(r.referred_on)),
            started_on: DateParts::of(r.started_on),
            closed_on: DateParts::of(r.closed_on),
            outcome: r.outcome.clone().unwrap_or_default(),
        }
    }

    pub fn parse(&self, today: NaiveDate) -> Result<Referral, FieldErrors> {
        let mut errors = FieldErrors::default();
        let provider = required_text(&mut errors, "provider", "The advocacy provider", &self.provider, 200);
        let kind = chosen(&mut errors, "kind", "Choose instructed or non-instructed", AdvocacyKind::parse(&self.kind));
        let issue = required_text(&mut errors, "issue", "The issue", &self.issue, 1000);
        let referred_on = past_date(&mut errors, "referred_on", "The date of referral", &self.referred_on, today, true);
        let started_on =
            past_date(&mut errors, "started_on", "The date the advocate started", &self.started_on, today, false);
        let closed_on = past_date(&mut errors, "closed_on", "The date it closed", &self.closed_on, today, false);
        for (field, day, label) in [
            ("started_on", started_on, "The date the advocate started"),
            ("closed_on", closed_on, "The date it closed"),
        ] {
            if let (Some(r), Some(d)) = (referred_on, day) {
                if d < r {
                    errors.add(field, format!("{label} must be on or after the date of referral"));
                }
            }
        }
        let outcome = text(&mut errors, "outcome", "The outcome", &self.outcome, 1000);
        if closed_on.is_some() && outcome.is_none() && self.outcome.trim().is_empty() {
            errors.add("outcome", "Enter the outcome of a closed referral");
        }
        match (provider, kind, issue, referred_on) {
            (Some(provider), Some(kind), Some(issue), Some(referred_on)) if errors.is_empty() => {
                Ok(Referral { provider, kind, issue, referred_on, started_on, closed_on, outcome })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_referral_is_checked_field_by_field() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let ok = ReferralInput {
            provider: "Coram Voice".into(),
            kind: "instructed".into(),
            issue: "Wants to challenge a decision about their pathway plan".into(),
            referred_on: DateParts::from_iso("2026-10-01"),
            started_on: DateParts::from_iso("2026-10-08"),
            ..ReferralInput::default()
        };
        let r = ok.parse(today).unwrap();
        assert_eq!(r.status(), ("With an advocate", "green"));
        let e = ReferralInput {
            kind: "x".into(),
            started_on: DateParts::from_iso("2026-09-01"),
            closed_on: DateParts::from_iso("2026-11-01"),
            ..ok
        }
        .parse(today)
        .unwrap_err();
        assert_eq!(e.get("kind"), Some("Choose instructed or non-instructed"));
        assert_eq!(e.get("started_on"), Some("The date the advocate started must be on or after the date of referral"));
        assert_eq!(e.get("outcome"), Some("Enter the outcome of a closed referral"));
    }
}
