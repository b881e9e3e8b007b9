//! The Trusted Person scheme: a young person nominates a professional they
//! already know; once both agree, the match is reviewed regularly until it
//! ends, with a reason. Matches are counted by the financial year of their
//! agreement (Bolton's first-year target was 20).

use crate::allowance::financial_year_start;
use crate::codes::code_list;
use crate::contacts::text;
use crate::fields::{chosen, date, past_date, required_text};
use crate::profile::{DateParts, FieldErrors};
use chrono::{Months, NaiveDate};

code_list! {
    /// Who the trusted person is to the young person.
    TrustedRole {
        ResidentialStaff => "residential", "Former residential staff";
        SocialWorker => "social_worker", "Social worker";
        Iro => "iro", "Independent reviewing officer";
        Nurse => "nurse", "Nurse";
        Teacher => "teacher", "Teacher";
        Other => "other", "Someone else they know";
    }
}

code_list! {
    /// Why a match ended.
    EndReason {
        YoungPersonChose => "young_person_chose", "The young person chose to end it";
        TrustedPersonLeft => "trusted_person_left", "The trusted person could no longer do it";
        NoLongerNeeded => "no_longer_needed", "No longer needed";
        Safeguarding => "safeguarding", "A safeguarding concern";
        Other => "other", "Another reason";
    }
}

/// How often a match is reviewed, by default.
pub const REVIEW_MONTHS: u32 = 3;

/// A nomination or match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedMatch {
    pub name: String,
    pub role: TrustedRole,
    pub nominated_on: NaiveDate,
    /// When the young person, the trusted person and the LA agreed the match.
    pub agreed_on: Option<NaiveDate>,
    pub next_review_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<EndReason>,
    pub note: Option<String>,
}

/// Where a match stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchStatus {
    Nominated,
    Matched,
    /// Matched and the review date has come.
    ReviewDue,
    Ended,
}

impl MatchStatus {
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            MatchStatus::Nominated => ("Nominated", "blue"),
            MatchStatus::Matched => ("Matched", "green"),
            MatchStatus::ReviewDue => ("Review due", "red"),
            MatchStatus::Ended => ("Ended", "grey"),
        }
    }
}

impl TrustedMatch {
    pub fn status(&self, today: NaiveDate) -> MatchStatus {
        match (self.ended_on, self.agreed_on, self.next_review_on) {
            (Some(end), _, _) if end <= today => MatchStatus::Ended,
            (_, None, _) => MatchStatus::Nominated,
            (_, Some(_), Some(review)) if review <= today => MatchStatus::ReviewDue,
            _ => MatchStatus::Matched,
        }
    }
}

/// Matches agreed in the financial year (April to March) holding `day`.
pub fn matches_in_year(matches: &[TrustedMatch], day: NaiveDate) -> usize {
    let start = financial_year_start(day);
    let end = start + Months::new(12);
    matches.iter().filter(|m| m.agreed_on.is_some_and(|a| a >= start && a < end)).count()
}

/// The form, for a new nomination or a change to one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchInput {
    pub name: String,
    pub role: String,
    pub nominated_on: DateParts,
    pub agreed_on: DateParts,
    pub next_review_on: DateParts,
    pub ended_on: DateParts,
    pub end_reason: String,
    pub note: String,
}

impl MatchInput {
    pub fn of(m: &TrustedMatch) -> MatchInput {
        MatchInput {
            name: m.name.clone(),
            role: m.role.code().to_owned(),
            nominated_on: DateParts::of(Some(m.nominated_on)),
            agreed_on: DateParts::of(m.agreed_on),
            next_review_on: DateParts::of(m.next_review_on),
            ended_on: DateParts::of(m.ended_on),
            end_reason: m.end_reason.map(|r| r.code().to_owned()).unwrap_or_default(),
            note: m.note.clone().unwrap_or_default(),
        }
    }

    pub fn parse(&self, today: NaiveDate) -> Result<TrustedMatch, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = required_text(&mut errors, "name", "The trusted person's name", &self.name, 120);
        let role =
            chosen(&mut errors, "role", "Choose who they are to the young person", TrustedRole::parse(&self.role));
        let nominated_on =
            past_date(&mut errors, "nominated_on", "The date of nomination", &self.nominated_on, today, true);
        let agreed_on = past_date(&mut errors, "agreed_on", "The date of agreement", &self.agreed_on, today, false);
        let mut next_review_on =
            date(&mut errors, "next_review_on", "The next review date", &self.next_review_on, false);
        let ended_on = past_date(&mut errors, "ended_on", "The end date", &self.ended_on, today, false);
        let end_reason = match self.end_reason.trim() {
            "" => None,
            code => chosen(&mut errors, "end_reason", "Choose why the match ended", EndReason::parse(code)),
        };
        if let (Some(n), Some(a)) = (nominated_on, agreed_on) {
            if a < n {
                errors.add("agreed_on", "The date of agreement must be on or after the date of nomination");
            }
        }
        if let (Some(n), Some(e)) = (nominated_on, ended_on) {
            if e < n {
                errors.add("ended_on", "The end date must be on or after the date of nomination");
            }
        }
        if ended_on.is_some() && end_reason.is_none() && self.end_reason.trim().is_empty() {
            errors.add("end_reason", "Choose why the match ended");
        }
        if ended_on.is_none() && end_reason.is_some() && self.ended_on.is_blank() {
            errors.add("ended_on", "Enter the end date, or leave the reason blank");
        }
        if let (Some(a), Some(r)) = (agreed_on, next_review_on) {
            if r <= a {
                errors.add("next_review_on", "The next review date must be after the date of agreement");
            }
        }
        // A new match is reviewed three months after agreement unless a date is given.
        if next_review_on.is_none() && self.next_review_on.is_blank() && ended_on.is_none() {
            next_review_on = agreed_on.map(|a| a + Months::new(REVIEW_MONTHS));
        }
        let note = text(&mut errors, "note", "The note", &self.note, 1000);
        match (name, role, nominated_on) {
            (Some(name), Some(role), Some(nominated_on)) if errors.is_empty() => {
                Ok(TrustedMatch { name, role, nominated_on, agreed_on, next_review_on, ended_on, end_reason, note })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn input() -> MatchInput {
        MatchInput {
            name: "Sam Okoro".into(),
            role: "residential".into(),
            nominated_on: DateParts::from_iso("2026-09-01"),
            agreed_on: DateParts::from_iso("2026-09-20"),
            ..MatchInput::default()
        }
    }

    #[test]
    fn an_agreed_match_is_reviewed_three_months_on_until_it_ends() {
        let today = d(2026, 12, 1);
        let m = input().parse(today).unwrap();
        assert_eq!(m.next_review_on, Some(d(2026, 12, 20)));
        assert_eq!(m.status(today), MatchStatus::Matched);
        assert_eq!(m.status(d(2026, 12, 20)), MatchStatus::ReviewDue);
        let nominated = MatchInput { agreed_on: DateParts::default(), ..input() }.parse(today).unwrap();
        assert_eq!((nominated.status(today), nominated.next_review_on), (MatchStatus::Nominated, None));
        let ended = MatchInput {
            ended_on: DateParts::from_iso("2026-11-30"),
            end_reason: "no_longer_needed".into(),
            ..input()
        }
        .parse(today)
        .unwrap();
        assert_eq!(ended.status(today), MatchStatus::Ended);
    }

    #[test]
    fn each_bad_field_is_named() {
        let e = MatchInput {
            name: String::new(),
            role: "friend".into(),
            agreed_on: DateParts::from_iso("2026-08-01"),
            ended_on: DateParts::from_iso("2026-11-01"),
            ..input()
        }
        .parse(d(2026, 12, 1))
        .unwrap_err();
        assert_eq!(e.get("name"), Some("Enter the trusted person's name"));
        assert_eq!(e.get("role"), Some("Choose who they are to the young person"));
        assert_eq!(e.get("agreed_on"), Some("The date of agreement must be on or after the date of nomination"));
        assert_eq!(e.get("end_reason"), Some("Choose why the match ended"));
    }

    #[test]
    fn matches_are_counted_by_the_financial_year_of_agreement() {
        let today = d(2026, 12, 1);
        let at = |agreed: &str| {
            MatchInput {
                nominated_on: DateParts::from_iso("2025-01-01"),
                agreed_on: DateParts::from_iso(agreed),
                ..input()
            }
            .parse(today)
            .unwrap()
        };
        let list = [
            at("2026-03-31"),
            at("2026-04-01"),
            at("2026-11-30"),
            MatchInput { agreed_on: DateParts::default(), ..input() }.parse(today).unwrap(),
        ];
        assert_eq!(matches_in_year(&list, today), 2, "1 April 2026 onwards; a nomination is not a match");
        assert_eq!(matches_in_year(&list, d(2026, 3, 1)), 1);
    }
}
