//! Where a young person lives: a history of stays coded with the SSDA903
//! OC3 accommodation codes (type and suitability), with address, provider
//! and why they moved; housing interventions and their outcomes; and the
//! outcomes counted for a period: moves to semi-independent living,
//! returns to family, and own tenancies sustained for 6 months or more.

use crate::codes::code_list;
use crate::contacts::text;
use crate::dates::format_uk;
use crate::fields::{chosen, past_date};
use crate::periods::{place, Period};
use crate::profile::{DateParts, FieldErrors};
use crate::ssda903::ACCOMMODATION;
use chrono::{Months, NaiveDate};

/// A stay somewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stay {
    /// An OC3 ACCOM code other than `0`, like `U1`.
    pub code: String,
    pub address: Option<String>,
    pub provider: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub reason_for_move: Option<String>,
}

impl Stay {
    /// The code's second character: 1 suitable, 2 not suitable.
    pub fn suitable(&self) -> bool {
        self.code.ends_with('1')
    }

    pub fn describe(&self) -> &'static str {
        ACCOMMODATION.meaning(&self.code).unwrap_or("Unknown accommodation")
    }

    /// The kind of accommodation without its suitability, like "Independent living".
    pub fn kind_label(&self) -> &'static str {
        self.describe().split(", ").next().unwrap_or("")
    }

    fn letter(&self) -> char {
        self.code.chars().next().unwrap_or('?')
    }

    /// Semi-independent or supported accommodation.
    pub fn is_semi_independent(&self) -> bool {
        self.letter() == 'D'
    }

    /// With parents or relatives.
    pub fn is_family(&self) -> bool {
        self.letter() == 'B'
    }

    /// Their own tenancy: independent living.
    pub fn is_own_tenancy(&self) -> bool {
        self.letter() == 'U'
    }

    pub fn covers(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && self.ends_on.is_none_or(|e| e >= day)
    }
}

/// How long a tenancy must last to count as sustained.
pub const SUSTAINED_MONTHS: u32 = 6;

/// Housing outcomes in a period, each with the stays behind it (indices
/// into the list given).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HousingOutcomes {
    pub moves_to_semi_independent: Vec<usize>,
    pub returns_to_family: Vec<usize>,
    pub tenancies_sustained: Vec<usize>,
}

/// Counts outcomes from `from` to `to` inclusive: a move into
/// semi-independent living or back to family counts on the day it starts
/// (not a change of address within the same kind); an own tenancy counts on
/// the day it reaches 6 months, if it had not ended before then. `stays`
/// are one young person's, or several people's each with their own list.
pub fn outcomes(people: &[&[Stay]], from: NaiveDate, to: NaiveDate) -> Vec<HousingOutcomes> {
    people
        .iter()
        .map(|stays| {
            let mut sorted: Vec<(usize, &Stay)> = stays.iter().enumerate().collect();
            sorted.sort_by_key(|(_, s)| s.starts_on);
            let mut out = HousingOutcomes::default();
            for (n, (i, s)) in sorted.iter().enumerate() {
                let previous = n.checked_sub(1).map(|p| sorted[p].1);
                let in_period = s.starts_on >= from && s.starts_on <= to;
                if in_period && s.is_semi_independent() && !previous.is_some_and(Stay::is_semi_independent) {
                    out.moves_to_semi_independent.push(*i);
                }
                if in_period && s.is_family() && !previous.is_some_and(Stay::is_family) {
                    out.returns_to_family.push(*i);
                }
                if s.is_own_tenancy() {
                    let sustained_on = s.starts_on + Months::new(SUSTAINED_MONTHS);
                    let lasted = s.ends_on.is_none_or(|e| e >= sustained_on);
                    if lasted && sustained_on >= from && sustained_on <= to {
                        out.tenancies_sustained.push(*i);
                    }
                }
            }
            out
        })
        .collect()
}

/// A stay as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StayInput {
    pub code: String,
    pub address: String,
    pub provider: String,
    pub starts_on: DateParts,
    pub ends_on: DateParts,
    pub reason_for_move: String,
}

impl StayInput {
    pub fn parse(&self, today: NaiveDate) -> Result<Stay, FieldErrors> {
        let mut errors = FieldErrors::default();
        let code = self.code.trim();
        let code = (code != "0" && ACCOMMODATION.contains(code)).then(|| code.to_owned());
        let code = chosen(&mut errors, "code", "Choose the kind of accommodation and whether it is suitable", code);
        let starts_on = past_date(&mut errors, "starts_on", "The date they moved in", &self.starts_on, today, true);
        let ends_on = past_date(&mut errors, "ends_on", "The date they moved out", &self.ends_on, today, false);
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                errors.add("ends_on", "The date they moved out must be on or after the date they moved in");
            }
        }
        let address = text(&mut errors, "address", "The address", &self.address, 300);
        let provider = text(&mut errors, "provider", "The provider or landlord", &self.provider, 200);
        let reason_for_move =
            text(&mut errors, "reason_for_move", "The reason for the move", &self.reason_for_move, 500);
        match (code, starts_on) {
            (Some(code), Some(starts_on)) if errors.is_empty() => {
                Ok(Stay { code, address, provider, starts_on, ends_on, reason_for_move })
            }
            _ => Err(errors),
        }
    }
}

/// What happens to the stays on record when `new` is added: the open stay
/// that began before it ends the day before it starts. Any other overlap is
/// refused, naming the stay it overlaps.
pub fn place_stay(existing: &[(i64, Stay)], new: &Stay) -> Result<Option<(i64, NaiveDate)>, String> {
    let periods: Vec<Period> =
        existing.iter().map(|(id, s)| Period { id: *id, starts_on: s.starts_on, ends_on: s.ends_on }).collect();
    place(&periods, new.starts_on, new.ends_on).map_err(|id| {
        let s = existing.iter().find(|(i, _)| *i == id).map(|(_, s)| s).expect("place names a period given");
        let until = s.ends_on.map(format_uk).unwrap_or_else(|| "now".into());
        format!(
            "These dates overlap the stay in {} from {} to {}",
            s.describe().to_lowercase(),
            format_uk(s.starts_on),
            until
        )
    })
}

code_list! {
    /// Help with housing.
    InterventionKind {
        TenancySustainment => "tenancy_sustainment", "Help to keep a tenancy";
        HomelessnessPrevention => "homelessness_prevention", "Homelessness prevention";
        Application => "application", "Housing application or bidding";
        MoveSupport => "move_support", "Help to move";
        RentArrears => "rent_arrears", "Rent, arrears or housing benefit";
        SettingUpHome => "setting_up_home", "Furniture and setting up home";
        Other => "other", "Something else";
    }
}

code_list! {
    /// What came of it.
    InterventionOutcome {
        Ongoing => "ongoing", "Still in progress";
        TenancyKept => "tenancy_kept", "Tenancy kept";
        Moved => "moved", "Moved to suitable accommodation";
        NotResolved => "not_resolved", "Not resolved";
        Other => "other", "Other outcome";
    }
}

/// A housing intervention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intervention {
    pub on: NaiveDate,
    pub kind: InterventionKind,
    pub outcome: InterventionOutcome,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InterventionInput {
    pub on: DateParts,
    pub kind: String,
    pub outcome: String,
    pub note: String,
}

impl InterventionInput {
    pub fn parse(&self, today: NaiveDate) -> Result<Intervention, FieldErrors> {
        let mut errors = FieldErrors::default();
        let on = past_date(&mut errors, "on", "The date", &self.on, today, true);
        let kind = chosen(&mut errors, "kind", "Choose the kind of help", InterventionKind::parse(&self.kind));
        let outcome = chosen(&mut errors, "outcome", "Choose the outcome", InterventionOutcome::parse(&self.outcome));
        let note = text(&mut errors, "note", "The note", &self.note, 1000);
        match (on, kind, outcome) {
            (Some(on), Some(kind), Some(outcome)) if errors.is_empty() => Ok(Intervention { on, kind, outcome, note }),
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

    fn stay(code: &str, from: &str, to: Option<&str>) -> Stay {
        Stay {
            code: code.into(),
            address: None,
            provider: None,
            starts_on: d(from),
            ends_on: to.map(d),
            reason_for_move: None,
        }
    }

    #[test]
    fn outcomes_count_moves_returns_and_tenancies_sustained_six_months() {
        let moves = [
            stay("C1", "2024-01-01", Some("2025-05-31")),
            stay("D1", "2025-06-01", Some("2025-08-31")),
            stay("D1", "2025-09-01", Some("2026-01-31")), // a new address, same kind: not a move
            stay("U1", "2026-02-01", None),
        ];
        let family = [stay("D2", "2025-01-01", Some("2025-04-30")), stay("B1", "2025-05-01", None)];
        let short = [stay("U2", "2025-04-01", Some("2025-08-15"))]; // ended before 6 months
        let o = outcomes(&[&moves, &family, &short], d("2025-04-01"), d("2026-03-31"));
        assert_eq!(o[0].moves_to_semi_independent, vec![1]);
        assert!(o[0].tenancies_sustained.is_empty(), "sustained on 1 August 2026, after the period");
        assert_eq!(o[1].returns_to_family, vec![1]);
        assert!(o[2].tenancies_sustained.is_empty());
        let next = outcomes(&[&moves], d("2026-04-01"), d("2027-03-31"));
        assert_eq!(next[0].tenancies_sustained, vec![3]);
        assert!(moves[3].suitable() && !short[0].suitable());
    }

    #[test]
    fn a_new_stay_closes_the_open_one_and_refuses_other_overlaps() {
        let existing = vec![(1, stay("C1", "2024-01-01", Some("2025-05-31"))), (2, stay("D1", "2025-06-01", None))];
        let moved = stay("U1", "2026-02-01", None);
        assert_eq!(place_stay(&existing, &moved), Ok(Some((2, d("2026-01-31")))));
        let back_in_time = stay("B1", "2025-05-01", Some("2025-06-10"));
        assert_eq!(
            place_stay(&existing, &back_in_time),
            Err("These dates overlap the stay in community home or other residential care, suitable from 1 January 2024 to 31 May 2025".into())
        );
    }

    #[test]
    fn a_stay_needs_a_real_code_and_dates_in_order() {
        let e = StayInput {
            code: "0".into(),
            starts_on: DateParts::from_iso("2026-06-01"),
            ends_on: DateParts::from_iso("2026-05-01"),
            ..StayInput::default()
        }
        .parse(d("2026-12-01"))
        .unwrap_err();
        assert_eq!(e.get("code"), Some("Choose the kind of accommodation and whether it is suitable"));
        assert_eq!(e.get("ends_on"), Some("The date they moved out must be on or after the date they moved in"));
    }
}
