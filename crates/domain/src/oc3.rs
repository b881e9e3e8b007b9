//! The SSDA903 OC3 return: care leavers' outcomes around their 17th to 21st
//! birthdays (DOMAIN.md §3.9), worked out from the contacts, EET activities
//! and accommodation recorded around each birthday.
//!
//! The window is **three months before to one month after** the birthday,
//! the common reading of the DfE guidance (which the reference marks as
//! uncertain). In touch means a contact recorded in the window. A young
//! person with no contact in it is `NO` with activity and accommodation `0`
//! (not known / not in touch), as the code lists give; nothing is guessed.

use crate::accommodation::Stay;
use crate::dates::{birthday, LeapDayRule};
use crate::eet::Activity;
use crate::funding::FinancialYear;
use chrono::{Months, NaiveDate};

/// The birthdays the return covers.
pub const AGES: std::ops::RangeInclusive<u32> = 17..=21;
pub const MONTHS_BEFORE: u32 = 3;
pub const MONTHS_AFTER: u32 = 1;

/// What the return needs to know about one care leaver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Oc3Person {
    pub child_id: String,
    pub date_of_birth: NaiveDate,
    /// Days with a contact, any order.
    pub contacts: Vec<NaiveDate>,
    pub activities: Vec<Activity>,
    pub stays: Vec<Stay>,
    /// When the record was closed because they died.
    pub died_on: Option<NaiveDate>,
    /// Their periods in care (start, end), from the SSDA903 episodes.
    pub care: Vec<(NaiveDate, Option<NaiveDate>)>,
}

/// One line of the OC3 file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Oc3Row {
    pub child_id: String,
    pub date_of_birth: NaiveDate,
    pub birthday: NaiveDate,
    pub age: u32,
    pub in_touch: &'static str,
    pub activity: String,
    pub accommodation: String,
}

/// What the return says about one young person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Oc3Outcome {
    Row(Oc3Row),
    /// No 17th to 21st birthday in the year.
    NotInCohort,
    /// OC3 is not required (still looked after at 17 or 18, or left care after the birthday).
    NotRequired {
        child_id: String,
        reason: &'static str,
    },
    /// In touch, but what they were doing or where they lived around the
    /// birthday is not recorded (or not a valid code for their age).
    NeedsInformation {
        child_id: String,
        birthday: NaiveDate,
        missing: Vec<&'static str>,
    },
}

/// The birthday from 17 to 21 that falls in the collection year, if any.
pub fn birthday_in(dob: NaiveDate, year: FinancialYear, rule: LeapDayRule) -> Option<(u32, NaiveDate)> {
    AGES.map(|age| (age, birthday(dob, age, rule))).find(|(_, day)| year.contains(*day))
}

/// The days around a birthday that count.
pub fn window(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    (day - Months::new(MONTHS_BEFORE), day + Months::new(MONTHS_AFTER))
}

/// Picks the record covering the birthday, or else the latest one that
/// overlaps the window.
fn around<T>(
    items: &[T],
    day: NaiveDate,
    starts: fn(&T) -> NaiveDate,
    ends: fn(&T) -> Option<NaiveDate>,
) -> Option<&T> {
    let (from, to) = window(day);
    let covers = |t: &&T| starts(t) <= day && ends(t).is_none_or(|e| e >= day);
    let overlaps = |t: &&T| starts(t) <= to && ends(t).is_none_or(|e| e >= from);
    items.iter().find(covers).or_else(|| items.iter().filter(overlaps).max_by_key(|t| starts(t)))
}

/// The OC3 line for one young person in a collection year.
pub fn outcome(p: &Oc3Person, year: FinancialYear, rule: LeapDayRule) -> Oc3Outcome {
    let Some((age, day)) = birthday_in(p.date_of_birth, year, rule) else { return Oc3Outcome::NotInCohort };
    if age <= 18 {
        if p.care.iter().any(|(start, end)| *start <= day && end.is_none_or(|e| e > day)) {
            return Oc3Outcome::NotRequired {
                child_id: p.child_id.clone(),
                reason: "still looked after on their birthday",
            };
        }
        // Care that ceased on the birthday ceased "after" it, as the DfE rule reads.
        if p.care.iter().filter_map(|(_, end)| *end).max().is_some_and(|left| left >= day) {
            return Oc3Outcome::NotRequired { child_id: p.child_id.clone(), reason: "left care after their birthday" };
        }
    }
    let (from, to) = window(day);
    let row = |in_touch: &'static str, activity: String, accommodation: String| {
        Oc3Outcome::Row(Oc3Row {
            child_id: p.child_id.clone(),
            date_of_birth: p.date_of_birth,
            birthday: day,
            age,
            in_touch,
            activity,
            accommodation,
        })
    };
    if p.died_on.is_some_and(|d| d <= to) {
        return row("DIED", "0".into(), "0".into());
    }
    if !p.contacts.iter().any(|c| *c >= from && *c <= to) {
        return row("NO", "0".into(), "0".into());
    }
    let activity = around(&p.activities, day, |a| a.starts_on, |a| a.ends_on).map(|a| a.code.clone());
    let stay = around(&p.stays, day, |s| s.starts_on, |s| s.ends_on).map(|s| s.code.clone());
    let mut missing = Vec::new();
    if activity.is_none() {
        missing.push("their main activity");
    }
    match &stay {
        None => missing.push("their accommodation"),
        // Foyers (T) and staying put (Z) are for those 18 and over.
        Some(code) if age < 18 && (code.starts_with('T') || code.starts_with('Z')) => {
            missing.push("accommodation valid at 17 (T and Z codes are for 18 and over)")
        }
        Some(_) => {}
    }
    match (activity, stay) {
        (Some(a), Some(s)) if missing.is_empty() => row("YES", a, s),
        _ => Oc3Outcome::NeedsInformation { child_id: p.child_id.clone(), birthday: day, missing },
    }
}

fn uk(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// The OC3 table as the return's CSV.
pub fn oc3_csv(rows: &[Oc3Row]) -> String {
    let mut out = String::from("CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n");
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            r.child_id,
            uk(r.date_of_birth),
            r.in_touch,
            r.activity,
            r.accommodation
        ));
    }
    out
}

/// The return for a year: the lines, and who is left out and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Oc3Return {
    pub rows: Vec<Oc3Row>,
    pub not_required: Vec<(String, &'static str)>,
    pub needs_information: Vec<(String, NaiveDate, Vec<&'static str>)>,
}

impl Oc3Return {
    pub fn of<'a>(
        people: impl IntoIterator<Item = &'a Oc3Person>,
        year: FinancialYear,
        rule: LeapDayRule,
    ) -> Oc3Return {
        let mut out = Oc3Return::default();
        for p in people {
            match outcome(p, year, rule) {
                Oc3Outcome::Row(r) => out.rows.push(r),
                Oc3Outcome::NotInCohort => {}
                Oc3Outcome::NotRequired { child_id, reason } => out.not_required.push((child_id, reason)),
                Oc3Outcome::NeedsInformation { child_id, birthday, missing } => {
                    out.needs_information.push((child_id, birthday, missing))
                }
            }
        }
        out
    }

    /// Whether every young person in the cohort has a line.
    pub fn is_complete(&self) -> bool {
        self.needs_information.is_empty()
    }
}

/// One child in the SSDA903 header table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderLine {
    pub child_id: String,
    pub sex: Option<String>,
    pub date_of_birth: NaiveDate,
    pub ethnicity: Option<String>,
    pub upn: Option<String>,
}

/// The header table (CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB); mother
/// details are not held, so they are left blank.
pub fn header_csv(lines: &[HeaderLine]) -> String {
    let mut out = String::from("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n");
    for h in lines {
        out.push_str(&format!(
            "{},{},{},{},{},,\n",
            h.child_id,
            h.sex.as_deref().unwrap_or(""),
            uk(h.date_of_birth),
            h.ethnicity.as_deref().unwrap_or(""),
            h.upn.as_deref().unwrap_or("")
        ));
    }
    out
}

/// The episodes table, one line per episode, as imported.
pub fn episodes_csv(children: &[(String, Vec<crate::ssda903::Episode>)]) -> String {
    let mut out =
        String::from("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n");
    let text = |t: &Option<crate::ssda903::ShortText>| t.as_ref().map(|t| t.as_str().to_owned()).unwrap_or_default();
    let code = |c: &Option<crate::ssda903::Code>| c.map(|c| c.as_str().to_owned()).unwrap_or_default();
    for (child, episodes) in children {
        for e in episodes {
            out.push_str(&format!(
                "{child},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                uk(e.start),
                e.reason_new.as_str(),
                e.legal_status.as_str(),
                e.category_of_need.as_str(),
                e.placement.as_str(),
                code(&e.provider),
                e.end.map(uk).unwrap_or_default(),
                code(&e.reason_ceased),
                code(&e.reason_place_change),
                text(&e.home_postcode),
                text(&e.placement_postcode),
                text(&e.urn),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn person() -> Oc3Person {
        Oc3Person {
            child_id: "C1".into(),
            date_of_birth: d(2007, 6, 10),
            contacts: vec![d(2025, 5, 1)],
            activities: vec![Activity { code: "F2".into(), provider: None, starts_on: d(2024, 9, 1), ends_on: None }],
            stays: vec![Stay {
                code: "D1".into(),
                address: None,
                provider: None,
                starts_on: d(2024, 1, 1),
                ends_on: None,
                reason_for_move: None,
            }],
            died_on: None,
            care: vec![(d(2021, 6, 1), Some(d(2024, 1, 1)))],
        }
    }

    const YEAR: FinancialYear = FinancialYear(2025);

    #[test]
    fn the_cohort_is_those_with_a_17th_to_21st_birthday_in_the_year() {
        assert_eq!(birthday_in(d(2007, 6, 10), YEAR, LeapDayRule::default()), Some((18, d(2025, 6, 10))));
        assert_eq!(birthday_in(d(2004, 4, 1), YEAR, LeapDayRule::default()), Some((21, d(2025, 4, 1))));
        assert_eq!(birthday_in(d(2003, 4, 1), YEAR, LeapDayRule::default()), None, "22 in the year");
        assert_eq!(birthday_in(d(2009, 3, 31), YEAR, LeapDayRule::default()), Some((17, d(2026, 3, 31))));
        assert_eq!(birthday_in(d(2009, 4, 1), YEAR, LeapDayRule::default()), None, "17 the day after the year ends");
        // 29 February: the 1 March rule by default.
        assert_eq!(birthday_in(d(2008, 2, 29), YEAR, LeapDayRule::FirstOfMarch), Some((18, d(2026, 3, 1))));
    }

    #[test]
    fn in_touch_uses_the_activity_and_home_around_the_birthday() {
        let Oc3Outcome::Row(r) = outcome(&person(), YEAR, LeapDayRule::default()) else { panic!() };
        assert_eq!((r.in_touch, r.activity.as_str(), r.accommodation.as_str()), ("YES", "F2", "D1"));
        assert_eq!(oc3_csv(&[r]), "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nC1,10/06/2007,YES,F2,D1\n");
    }

    #[test]
    fn no_contact_in_the_window_is_not_in_touch_with_zeros_not_a_guess() {
        let mut p = person();
        p.contacts = vec![d(2025, 2, 9), d(2025, 7, 11)]; // a day outside each end of 10 Mar – 10 Jul
        let Oc3Outcome::Row(r) = outcome(&p, YEAR, LeapDayRule::default()) else { panic!() };
        assert_eq!((r.in_touch, r.activity.as_str(), r.accommodation.as_str()), ("NO", "0", "0"));
        p.contacts = vec![d(2025, 3, 10)];
        assert!(matches!(outcome(&p, YEAR, LeapDayRule::default()), Oc3Outcome::Row(Oc3Row { in_touch: "YES", .. })));
    }

    #[test]
    fn died_gives_zeros_and_missing_facts_are_asked_for() {
        let mut p = person();
        p.died_on = Some(d(2025, 1, 5));
        let Oc3Outcome::Row(r) = outcome(&p, YEAR, LeapDayRule::default()) else { panic!() };
        assert_eq!((r.in_touch, r.activity.as_str(), r.accommodation.as_str()), ("DIED", "0", "0"));
        let mut p = person();
        p.activities.clear();
        assert_eq!(
            outcome(&p, YEAR, LeapDayRule::default()),
            Oc3Outcome::NeedsInformation {
                child_id: "C1".into(),
                birthday: d(2025, 6, 10),
                missing: vec!["their main activity"]
            }
        );
    }

    #[test]
    fn seventeen_and_eighteen_year_olds_still_in_care_are_not_required() {
        let mut p = person();
        p.care = vec![(d(2021, 6, 1), None)];
        assert!(matches!(
            outcome(&p, YEAR, LeapDayRule::default()),
            Oc3Outcome::NotRequired { reason: "still looked after on their birthday", .. }
        ));
        p.care = vec![(d(2021, 6, 1), Some(d(2024, 1, 1))), (d(2025, 7, 1), Some(d(2025, 8, 1)))]; // back in care after the birthday
        assert!(matches!(
            outcome(&p, YEAR, LeapDayRule::default()),
            Oc3Outcome::NotRequired { reason: "left care after their birthday", .. }
        ));
        p.care = vec![(d(2021, 6, 1), Some(d(2025, 6, 10)))]; // left care on the 18th birthday itself
        assert!(matches!(
            outcome(&p, YEAR, LeapDayRule::default()),
            Oc3Outcome::NotRequired { reason: "left care after their birthday", .. }
        ));
        p.date_of_birth = d(2005, 6, 10); // 20 in the year: required whatever
        assert!(matches!(outcome(&p, YEAR, LeapDayRule::default()), Oc3Outcome::Row(_)));
    }

    #[test]
    fn foyers_and_staying_put_are_not_valid_at_17() {
        let mut p = person();
        p.date_of_birth = d(2008, 6, 10);
        p.care = vec![(d(2022, 6, 1), Some(d(2024, 1, 1)))];
        p.stays[0].code = "Z1".into();
        assert!(matches!(outcome(&p, YEAR, LeapDayRule::default()), Oc3Outcome::NeedsInformation { .. }));
    }
}
