//! A deterministic demo: the same seed and the same "today" always give the
//! same local authorities, team and young people, with care histories dated
//! relative to today so the demo never goes stale.

mod allocations;
mod allowance;
mod casework;
mod celebrations;
mod groups;
mod histories;
mod housing;
mod names;
mod offer;
mod plans;
mod programme;
mod rng;
mod statutory;

use chrono::NaiveDate;
use staying_close_domain::la::{LaCode, LaName, LaSettings};
use staying_close_domain::people::{ChildId, Email, PersonName, Sex};
use staying_close_domain::roles::Role;

pub use rng::SplitMix64;

/// The seed used by `staying-close demo`.
pub const DEFAULT_SEED: u64 = 0x5C_2024;

pub use staying_close_domain::dataset::{
    Dataset, DatasetLa as DemoLa, DatasetStaff as DemoStaff, DatasetYoungPerson as DemoYoungPerson,
};
pub use staying_close_domain::people::CohortStatus;

/// Builds the whole demo for `today`.
pub fn generate(today: NaiveDate, seed: u64) -> Dataset {
    let mut rng = SplitMix64::new(seed);
    let demo_borough = demo_borough(today, &mut rng);
    let second = second_demo(today, &mut rng);
    Dataset {
        las: vec![demo_borough, second],
        national_staff: vec![staff("Priya Raman", "programme.example", Role::NationalViewer)],
    }
}

fn staff(name: &str, domain: &str, role: Role) -> DemoStaff {
    let local = name.to_lowercase().replace(' ', ".").replace('\'', "");
    DemoStaff {
        name: PersonName::parse(name).expect("demo names are valid"),
        email: Email::parse(&format!("{local}@{domain}")).expect("demo emails are valid"),
        role,
    }
}

/// Caseloads for the four personal advisers: one is over the cap of 8.
const CASELOADS: [usize; 4] = [9, 8, 8, 7];

fn demo_borough(today: NaiveDate, rng: &mut SplitMix64) -> DemoLa {
    let domain = "demo-borough.example";
    let team = vec![
        staff("Helen Crossley", domain, Role::TeamManager),
        staff("Daniel Okafor", domain, Role::PersonalAdviser),
        staff("Sarah Whitworth", domain, Role::PersonalAdviser),
        staff("Imran Patel", domain, Role::PersonalAdviser),
        staff("Gemma Doyle", domain, Role::PersonalAdviser),
        staff("Liam Fletcher", domain, Role::EetWorker),
        staff("Niamh Brennan", domain, Role::EmotionalHealth),
        staff("Tom Ashworth", domain, Role::HousingOfficer),
        staff("Grace Mensah", domain, Role::Nurse),
        staff("Kevin Hargreaves", domain, Role::ResidentialStaff),
        staff("Alison Marsh", domain, Role::LaAdmin),
        staff("Robert Lomax", domain, Role::ReadOnly),
    ];
    let mut young_people = Vec::new();
    let mut serial = 0;
    for (pa, &count) in CASELOADS.iter().enumerate() {
        for _ in 0..count {
            serial += 1;
            let story = histories::COHORT_STORIES[serial % histories::COHORT_STORIES.len()];
            young_people.push(young_person(
                rng,
                today,
                &team,
                ("DB", serial),
                casework::HISTORY_DAYS,
                story,
                CohortStatus::Active,
                Some(1 + pa),
            ));
        }
    }
    for story in histories::REFERRAL_STORIES {
        serial += 1;
        young_people.push(young_person(
            rng,
            today,
            &team,
            ("DB", serial),
            casework::HISTORY_DAYS,
            story,
            CohortStatus::Referred,
            None,
        ));
    }
    let lets = housing::lets(&mut young_people, "Demo Borough Homes");
    let events = groups::events(today, young_people.len(), &[1, 2, 5, 9]);
    DemoLa {
        code: LaCode::parse("990").expect("valid"),
        name: LaName::parse("Demo Borough").expect("valid"),
        settings: LaSettings::default(),
        staff: team,
        young_people,
        // The statutory duty is not in force yet: the demo sets a date to show what changes when it is.
        staying_close_duty_from: Some(today - chrono::Duration::days(60)),
        offer: offer::demo_borough(),
        offer_review: Some((today - chrono::Duration::days(200), today + chrono::Duration::days(165), vec![0, 3, 7])),
        festivals: celebrations::festivals(),
        lets,
        events,
        funding: groups::funding(today),
    }
}

fn second_demo(today: NaiveDate, rng: &mut SplitMix64) -> DemoLa {
    let domain = "second-demo.example";
    let team = vec![
        staff("Maureen Kaye", domain, Role::TeamManager),
        staff("Owen Pritchard", domain, Role::PersonalAdviser),
        staff("Zara Hussain", domain, Role::LaAdmin),
        staff("Bethan Lloyd", domain, Role::EetWorker),
        staff("Marcus Reid", domain, Role::EmotionalHealth),
        staff("Joanne Platt", domain, Role::HousingOfficer),
        staff("Femi Adebayo", domain, Role::Nurse),
        staff("Carl Buckley", domain, Role::ResidentialStaff),
        staff("Sheila Moss", domain, Role::ReadOnly),
    ];
    let mut young_people: Vec<DemoYoungPerson> = (1..=4)
        .map(|serial| {
            let story = histories::COHORT_STORIES[(serial * 3) % histories::COHORT_STORIES.len()];
            young_person(
                rng,
                today,
                &team,
                ("SD", serial),
                casework::HISTORY_DAYS,
                story,
                CohortStatus::Active,
                Some(1),
            )
        })
        .collect();
    let lets = housing::lets(&mut young_people, "Second Demo Homes");
    let events = groups::events(today, young_people.len(), &[0, 1, 3]);
    DemoLa {
        code: LaCode::parse("991").expect("valid"),
        name: LaName::parse("Second Demo").expect("valid"),
        settings: LaSettings { caseload_cap: 10, visit_frequency_days: 7, ..LaSettings::default() },
        staff: team,
        young_people,
        staying_close_duty_from: None,
        offer: offer::second_demo(),
        // Its review has run past its date: the administrator is reminded.
        offer_review: Some((today - chrono::Duration::days(380), today - chrono::Duration::days(15), Vec::new())),
        festivals: celebrations::festivals(),
        lets,
        events,
        funding: groups::funding(today),
    }
}

/// A synthetic LA for benchmarks: `young_people` young people (1 in 20 a
/// referral), a personal adviser for every 8, one of each other role, and
/// `years` of casework each. Deterministic for `seed` and `today`.
pub fn synthetic_la(today: NaiveDate, seed: u64, code: u16, young_people: usize, years: u32) -> DemoLa {
    let mut rng = SplitMix64::new(seed ^ u64::from(code));
    let domain = format!("la{code}.example");
    let advisers = young_people.div_ceil(8).max(1);
    let mut team = vec![staff(&format!("Manager {code}"), &domain, Role::TeamManager)];
    for i in 0..advisers {
        team.push(staff(&format!("Adviser {i} Of {code}"), &domain, Role::PersonalAdviser));
    }
    for (name, role) in [
        ("Eet", Role::EetWorker),
        ("Wellbeing", Role::EmotionalHealth),
        ("Housing", Role::HousingOfficer),
        ("Nurse", Role::Nurse),
        ("Keyworker", Role::ResidentialStaff),
        ("Admin", Role::LaAdmin),
        ("Reader", Role::ReadOnly),
    ] {
        team.push(staff(&format!("{name} Of {code}"), &domain, role));
    }
    let history_days = i64::from(years.max(1)) * 365;
    let people = (1..=young_people)
        .map(|serial| {
            let referral = serial % 20 == 0;
            let (story, cohort, adviser) = if referral {
                let story = histories::REFERRAL_STORIES[serial % histories::REFERRAL_STORIES.len()];
                (story, CohortStatus::Referred, None)
            } else {
                let story = histories::COHORT_STORIES[serial % histories::COHORT_STORIES.len()];
                (story, CohortStatus::Active, Some(1 + (serial - 1) % advisers))
            };
            young_person(&mut rng, today, &team, ("S", serial), history_days, story, cohort, adviser)
        })
        .collect::<Vec<_>>();
    // LA-wide records too, so every report figure has data at scale.
    let mut people = people;
    let lets = housing::lets(&mut people, &format!("Synthetic Homes {code}"));
    let events = groups::events(today, people.len(), &[1, 2, 3.min(advisers)]);
    DemoLa {
        code: LaCode::parse(&format!("{code:03}")).expect("three digits"),
        name: LaName::parse(&format!("Synthetic Borough {code}")).expect("valid"),
        settings: LaSettings::default(),
        staff: team,
        young_people: people,
        staying_close_duty_from: Some(today - chrono::Duration::days(60)),
        offer: offer::demo_borough(),
        offer_review: None,
        festivals: celebrations::festivals(),
        lets,
        events,
        funding: groups::funding(today),
    }
}

#[allow(clippy::too_many_arguments)]
fn young_person(
    rng: &mut SplitMix64,
    today: NaiveDate,
    team: &[DemoStaff],
    (prefix, serial): (&str, usize),
    history_days: i64,
    story: histories::Story,
    cohort: CohortStatus,
    adviser: Option<usize>,
) -> DemoYoungPerson {
    let sex = if rng.below(2) == 0 { Sex::Male } else { Sex::Female };
    let first = names::first_name(rng, sex);
    let last = names::surname(rng);
    let dob = histories::date_of_birth(rng, today, story);
    // Casework comes from its own stream, seeded from who the young person
    // is, so it never changes the names and histories drawn from `rng`.
    let mut work_rng =
        SplitMix64::new((chrono::Datelike::num_days_from_ce(&dob) as u64) << 16 ^ serial as u64 ^ prefix.len() as u64);
    let (schedule, contacts, plans, allocations) = match adviser {
        Some(adviser) if cohort == CohortStatus::Active => {
            let person = casework::Person { first_name: first, adviser, serial };
            let (schedule, contacts) = casework::casework(&mut work_rng, today, team, &person, history_days);
            let start = today - chrono::Duration::days(history_days);
            let plans = plans::plans(&mut work_rng, today, start, first, adviser, team, serial);
            (Some(schedule), contacts, plans, allocations::allocations(start, adviser, team, serial))
        }
        _ => (None, Vec::new(), Vec::new(), Vec::new()),
    };
    let celebrations = {
        use staying_close_domain::profile::Celebration;
        let extra = [
            Celebration::Christmas,
            Celebration::EidAlFitr,
            Celebration::Diwali,
            Celebration::Christmas,
            Celebration::Hanukkah,
            Celebration::Christmas,
            Celebration::LunarNewYear,
            Celebration::Easter,
        ];
        let mut list = vec![Celebration::Birthday, extra[serial % extra.len()]];
        if serial % 2 == 0 {
            list.push(Celebration::CareLeaversWeek);
        }
        if cohort == CohortStatus::Active {
            list.push(Celebration::StayingCloseAnniversary);
        }
        list.sort();
        list.dedup();
        list
    };
    let mut person = DemoYoungPerson {
        preferred_name: None,
        pronouns: None,
        home_left: Some(["Oak Lodge", "Beech House", "The Willows"][serial % 3].to_owned()),
        celebrations,
        staying_close_start: (cohort == CohortStatus::Active).then(|| today - chrono::Duration::days(history_days)),
        schedule,
        contacts,
        plans,
        allocations,
        child_id: ChildId::parse(&format!("{prefix}{serial:06}")).expect("valid"),
        first_name: PersonName::parse(first).expect("valid"),
        last_name: PersonName::parse(last).expect("valid"),
        date_of_birth: dob,
        sex,
        ethnicity: names::ethnicity(rng).to_owned(),
        cohort,
        adviser,
        episodes: histories::episodes(rng, today, dob, story),
        assessments: Vec::new(),
        spends: Vec::new(),
        celebration_tasks: Vec::new(),
        trusted_matches: Vec::new(),
        stays: Vec::new(),
        housing: Vec::new(),
        activities: Vec::new(),
        eet_help: Vec::new(),
        advocacy: Vec::new(),
        young_parent: false,
        expecting: false,
        parent_children: Vec::new(),
        parent_support: Vec::new(),
        parent_outcomes: Vec::new(),
        health_sessions: Vec::new(),
        health_referrals: Vec::new(),
        registration: None,
        involvements: Vec::new(),
    };
    if cohort == CohortStatus::Active && adviser.is_some() {
        person.spends = allowance::spends(&mut work_rng, today, serial);
        person.celebration_tasks = celebrations::tasks(&mut work_rng, today, &person);
        person.trusted_matches = programme::trusted_matches(&mut work_rng, today, history_days, serial);
        if let Some(start) = person.staying_close_start {
            person.stays = housing::stays(&mut work_rng, today, start, serial);
            person.housing = housing::interventions(&mut work_rng, today, &person.stays);
            (person.activities, person.eet_help) = programme::eet(&mut work_rng, today, start, serial);
            person.advocacy = programme::advocacy(&mut work_rng, today, start, serial);
            let p = programme::parenting(&mut work_rng, today, start, serial);
            (person.young_parent, person.expecting) = (p.young_parent, p.expecting);
            (person.parent_children, person.parent_support, person.parent_outcomes) =
                (p.children, p.support, p.outcomes);
            (person.health_sessions, person.health_referrals, person.registration) =
                programme::health(&mut work_rng, today, start, serial);
            person.involvements = groups::involvement(today, start, serial);
        }
    }
    // Two in three former relevant children under 25 have had their
    // statutory assessment; the rest are owed one.
    let facts = staying_close_domain::eligibility::assess(
        dob,
        &person.episodes,
        today,
        &staying_close_domain::eligibility::Rules::default(),
    );
    let owed = staying_close_domain::statutory::Duty::of(facts.care_leaver_status, dob, today, Some(today)).is_owed();
    if let (true, Some(adviser), false) = (owed, adviser, serial.is_multiple_of(3)) {
        person.assessments.push(statutory::assessment(&mut work_rng, today, adviser, first));
    }
    person
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn the_same_seed_and_day_give_the_same_demo() {
        let a = generate(today(), DEFAULT_SEED);
        let b = generate(today(), DEFAULT_SEED);
        let names = |d: &Dataset| {
            d.las[0]
                .young_people
                .iter()
                .map(|y| (y.first_name.to_string(), y.date_of_birth, y.episodes.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(&b));
        assert_ne!(names(&a), names(&generate(today(), DEFAULT_SEED + 1)));
    }

    #[test]
    fn demo_borough_has_the_bolton_shaped_team() {
        let d = generate(today(), DEFAULT_SEED);
        let la = &d.las[0];
        let count = |role| la.staff.iter().filter(|s| s.role == role).count();
        assert_eq!(count(Role::TeamManager), 1);
        assert_eq!(count(Role::PersonalAdviser), 4);
        assert_eq!(count(Role::EetWorker), 1);
        assert_eq!(count(Role::EmotionalHealth), 1);
        assert_eq!(count(Role::HousingOfficer), 1);
        let active: Vec<_> = la.young_people.iter().filter(|y| y.cohort == CohortStatus::Active).collect();
        assert_eq!(active.len(), 32);
        let over_cap = (1..=4)
            .filter(|pa| active.iter().filter(|y| y.adviser == Some(*pa)).count() > la.settings.caseload_cap as usize)
            .count();
        assert_eq!(over_cap, 1, "exactly one adviser is over the cap");
        assert!(la.young_people.iter().any(|y| y.cohort == CohortStatus::Referred));
        assert_eq!(d.las[1].name.as_str(), "Second Demo");
    }

    #[test]
    fn both_las_have_an_account_for_every_la_role() {
        let d = generate(today(), DEFAULT_SEED);
        for la in &d.las {
            for role in Role::ALL.into_iter().filter(|r| r.belongs_to_an_la()) {
                assert!(la.staff.iter().any(|s| s.role == role), "{} has no {}", la.name.as_str(), role.as_str());
            }
        }
        assert!(d.national_staff.iter().all(|s| s.role == Role::NationalViewer));
    }

    #[test]
    fn the_cohort_is_eligible_and_the_referrals_are_not() {
        use staying_close_domain::eligibility::{assess, Rules};
        // Whatever day the demo is generated, its stories stay true.
        for day in
            [today(), NaiveDate::from_ymd_opt(2027, 2, 28).unwrap(), NaiveDate::from_ymd_opt(2030, 7, 1).unwrap()]
        {
            let d = generate(day, DEFAULT_SEED);
            for la in &d.las {
                for y in &la.young_people {
                    let a = assess(y.date_of_birth, &y.episodes, day, &Rules::default());
                    let expected = y.cohort == CohortStatus::Active;
                    assert_eq!(a.staying_close_eligible, expected, "{} on {day}: {:?}", y.child_id, a.reasons);
                    if expected {
                        // Everyone the team supports is a care leaver (or an eligible child still in care).
                        assert!(
                            a.personal_adviser_until.is_some(),
                            "{} on {day}: {:?}",
                            y.child_id,
                            a.care_leaver_status
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_demo_account_has_a_unique_email() {
        let d = generate(today(), DEFAULT_SEED);
        let mut emails: Vec<_> = d
            .las
            .iter()
            .flat_map(|la| la.staff.iter())
            .chain(d.national_staff.iter())
            .map(|s| s.email.to_string())
            .collect();
        let n = emails.len();
        emails.sort();
        emails.dedup();
        assert_eq!(n, emails.len());
    }
}
