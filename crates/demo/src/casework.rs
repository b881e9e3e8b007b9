//! Believable casework for the demo: a visit schedule, eighteen months of
//! contacts with realistic kinds, topics, durations and notes, and a few
//! crises, some with follow-ups still open, so that My week looks like a
//! real Monday morning.

use crate::rng::SplitMix64;
use chrono::{Duration, NaiveDate, NaiveTime};
use staying_close_domain::contacts::{Contact, ContactKind, FollowUp, Topic};
use staying_close_domain::dataset::{DatasetContact, DatasetStaff};
use staying_close_domain::roles::Role;
use staying_close_domain::statutory::{SupportArea, SupportForm};
use staying_close_domain::visits::{Schedule, VisitFrequency};

/// How far back the demo's contacts go.
pub const HISTORY_DAYS: i64 = 548;

/// What the demo knows of a young person when writing their casework.
pub struct Person<'a> {
    pub first_name: &'a str,
    /// Index of their personal adviser in the LA's staff.
    pub adviser: usize,
    /// Their place in the cohort: decides who is overdue or in crisis, so
    /// the demo tells the same story every day.
    pub serial: usize,
}

/// Direct-work sessions: topics and what was done, in strengths-based words.
const DIRECT_WORK: &[(&[Topic], &str)] = &[
    (
        &[Topic::Cooking, Topic::Budgeting],
        "{} planned the week's meals and shopped for them within budget; cooked a chilli from scratch.",
    ),
    (
        &[Topic::Budgeting, Topic::Benefits],
        "Went through the bills together. {} set up a standing order for gas and electric.",
    ),
    (&[Topic::Cleaning, Topic::TimeManagement], "{} made a cleaning rota for the flat and stuck it on the fridge."),
    (&[Topic::Diy], "Put up shelves and bled the radiators. {} did most of it and was proud of the result."),
    (&[Topic::Confidence], "Talked about the college interview next week. {} practised answers and felt more ready."),
    (
        &[Topic::FamilyRelationships],
        "{} wants to see their younger brother more often; we talked about how to ask their social worker.",
    ),
    (&[Topic::Identity], "Looked at photos from the home together. {} wants to make a memory box."),
    (&[Topic::Cooking], "Baked bread together. {}: \"I didn't know I could do that.\""),
    (&[Topic::Work, Topic::Confidence], "Updated {}'s CV and applied for two jobs at the retail park."),
    (&[Topic::Housing], "Read through the tenancy agreement together; {} knows who to ring about repairs."),
];

const HOME_VISIT_NOTES: &[&str] = &[
    "Flat tidy and warm. {} is settling in and has met a neighbour.",
    "{} seemed tired but in good spirits; talked about the week ahead.",
    "Fridge well stocked. {} showed me the meal plan from last session.",
    "{} had friends round; all fine. Agreed a time for next visit.",
    "{} is enjoying the course and wants help with a bus pass.",
];

const PHONE_NOTES: &[&str] = &[
    "Quick check-in. {} is fine and looking forward to Saturday.",
    "{} rang to ask about a letter from the council; explained it and will look at it on the visit.",
    "Text exchange: {} confirmed the appointment tomorrow.",
];

const CRISES: &[(&str, &str)] = &[
    (
        "{} rang late at night very upset after a row with their partner. Stayed on the phone until they felt safe.",
        "Visit tomorrow and talk through a safety plan",
    ),
    (
        "{} received an eviction warning for rent arrears. Went round straight away and calmed things down.",
        "Ring the housing officer and set up a payment plan",
    ),
    (
        "{} was not answering the phone for two days; found them at home, low in mood.",
        "Book an appointment with the emotional-health practitioner this week",
    ),
];

fn time(rng: &mut SplitMix64) -> Option<NaiveTime> {
    NaiveTime::from_hms_opt(9 + rng.below(8) as u32, [0, 15, 30, 45][rng.below(4) as usize], 0)
}

fn pick<'a, T>(rng: &mut SplitMix64, list: &'a [T]) -> &'a T {
    &list[rng.below(list.len() as u64) as usize]
}

fn index_of(team: &[DatasetStaff], role: Role) -> Option<usize> {
    team.iter().position(|s| s.role == role)
}

fn contact(on: NaiveDate, at: Option<NaiveTime>, minutes: u32, staff: Vec<usize>, kind: ContactKind) -> Contact {
    Contact {
        on,
        at,
        duration_minutes: minutes,
        staff: staff.into_iter().map(|i| i as i64).collect(),
        kind,
        topics: Vec::new(),
        place: None,
        notes: None,
        crisis: false,
        follow_up: None,
        support_areas: Vec::new(),
        support_forms: Vec::new(),
    }
}

/// The visit schedule and contacts for one young person, as of `today`.
pub fn casework(
    rng: &mut SplitMix64,
    today: NaiveDate,
    team: &[DatasetStaff],
    person: &Person,
    history_days: i64,
) -> (Schedule, Vec<DatasetContact>) {
    let name = person.first_name;
    let words = |text: &str| text.replace("{}", name);
    let start = today - Duration::days(history_days);
    // Every third young person is visited weekly; the rest fortnightly.
    let frequency = if person.serial.is_multiple_of(3) { VisitFrequency::Weekly } else { VisitFrequency::Fortnightly };
    let in_crisis = person.serial % 11 == 4;
    // About one in four is overdue today, by a few days to a fortnight.
    let overdue_by = if person.serial % 4 == 1 { 2 + (person.serial % 12) as i64 } else { 0 };
    let mut out = Vec::new();

    // Home visits on schedule, a day or two either way, counted back from the
    // latest: within the last interval, or longer ago for those overdue.
    let interval = frequency.interval_days();
    let latest = if overdue_by > 0 {
        today - Duration::days(interval + overdue_by)
    } else {
        today - Duration::days(1 + rng.below(interval as u64 - 1) as i64)
    };
    let mut visits = Vec::new();
    let mut day = latest;
    while day >= start {
        visits.push(day);
        day -= Duration::days(interval + rng.below(3) as i64 - 1);
    }
    if in_crisis {
        visits.push(today - Duration::days(1));
    }
    for on in visits {
        let mut c = contact(on, time(rng), 45 + 15 * rng.below(4) as u32, vec![person.adviser], ContactKind::HomeVisit);
        c.place = Some("Their flat".into());
        let note: &&str = pick(rng, HOME_VISIT_NOTES);
        c.notes = Some(words(note));
        if rng.below(3) == 0 {
            c.topics = vec![*pick(rng, &[Topic::Budgeting, Topic::Housing, Topic::Cleaning, Topic::Cooking])];
        }
        out.push(DatasetContact { contact: c, follow_up_done_on: None });
    }

    // Between visits: calls and texts, direct work, and the specialists.
    let eet = index_of(team, Role::EetWorker);
    let emotional = index_of(team, Role::EmotionalHealth);
    let housing = index_of(team, Role::HousingOfficer);
    let nurse = index_of(team, Role::Nurse);
    let residential = index_of(team, Role::ResidentialStaff);
    let mut week = start + Duration::days(3);
    while week < today {
        let on = week + Duration::days(rng.below(4) as i64);
        if on < today {
            match rng.below(6) {
                0 | 1 => {
                    let mut c = contact(
                        on,
                        time(rng),
                        10 + 5 * rng.below(3) as u32,
                        vec![person.adviser],
                        ContactKind::PhoneTextVideo,
                    );
                    let note: &&str = pick(rng, PHONE_NOTES);
                    c.notes = Some(words(note));
                    out.push(DatasetContact { contact: c, follow_up_done_on: None });
                }
                2 | 3 => {
                    let (topics, note) = pick(rng, DIRECT_WORK);
                    let mut c = contact(
                        on,
                        time(rng),
                        60 + 30 * rng.below(3) as u32,
                        vec![person.adviser],
                        ContactKind::DirectWork,
                    );
                    c.topics = topics.to_vec();
                    c.notes = Some(words(note));
                    c.place = Some(pick(rng, &["Their flat", "The team base", "A café in town"]).to_string());
                    out.push(DatasetContact { contact: c, follow_up_done_on: None });
                }
                _ => {
                    let options: Vec<(Option<usize>, ContactKind, Topic, &str)> = vec![
                        (
                            eet,
                            ContactKind::Eet,
                            Topic::Education,
                            "Looked at college courses starting in September with {}.",
                        ),
                        (
                            emotional,
                            ContactKind::EmotionalHealth,
                            Topic::EmotionalWellbeing,
                            "Session with {}: talked about sleep and worries; agreed two things to try.",
                        ),
                        (
                            housing,
                            ContactKind::Housing,
                            Topic::Housing,
                            "Went through {}'s housing options for when the tenancy ends.",
                        ),
                        (nurse, ContactKind::Health, Topic::Health, "Health check with {}; registered with a dentist."),
                        (
                            residential,
                            ContactKind::TrustedPerson,
                            Topic::Confidence,
                            "Coffee with {}, who wanted to catch up on news from the home.",
                        ),
                    ];
                    let (who, kind, topic, note) = *pick(rng, &options);
                    if let Some(who) = who {
                        let mut c = contact(on, time(rng), 45 + 15 * rng.below(3) as u32, vec![who], kind);
                        c.topics = vec![topic];
                        c.notes = Some(words(note));
                        // The statute's areas and forms of staying close support it gave.
                        let area = match kind {
                            ContactKind::Eet => Some(SupportArea::EducationTraining),
                            ContactKind::Housing => Some(SupportArea::Accommodation),
                            ContactKind::EmotionalHealth | ContactKind::Health => Some(SupportArea::HealthWellbeing),
                            _ => None,
                        };
                        if let Some(area) = area {
                            c.support_areas = vec![area];
                            c.support_forms = if rng.below(3) == 0 {
                                vec![SupportForm::Advice, SupportForm::Representations]
                            } else {
                                vec![SupportForm::Advice]
                            };
                        }
                        out.push(DatasetContact { contact: c, follow_up_done_on: None });
                    }
                }
            }
        }
        week += Duration::days(7);
    }

    // Crises: one earlier in the year for some; a recent one still open for a few.
    if person.serial % 5 == 2 {
        let on = start + Duration::days(100 + rng.below(200) as i64);
        out.push(crisis(rng, on, person.adviser, &words, Some(on + Duration::days(2))));
    }
    if in_crisis {
        let on = today - Duration::days(1 + rng.below(3) as i64);
        out.push(crisis(rng, on, person.adviser, &words, None));
    }
    out.sort_by_key(|c| c.contact.starts());
    let schedule = if in_crisis {
        Schedule { frequency: VisitFrequency::Daily, starts_on: today - Duration::days(1) }
    } else {
        Schedule { frequency, starts_on: start }
    };
    (schedule, out)
}

fn crisis(
    rng: &mut SplitMix64,
    on: NaiveDate,
    adviser: usize,
    words: &dyn Fn(&str) -> String,
    done: Option<NaiveDate>,
) -> DatasetContact {
    let (note, action) = pick(rng, CRISES);
    let mut c = contact(on, NaiveTime::from_hms_opt(21, 30, 0), 120, vec![adviser], ContactKind::CrisisResponse);
    c.notes = Some(words(note));
    c.crisis = true;
    c.follow_up = Some(FollowUp { action: action.to_string(), owner: adviser as i64 });
    DatasetContact { contact: c, follow_up_done_on: done }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    fn team() -> Vec<DatasetStaff> {
        crate::generate(today(), crate::DEFAULT_SEED).las[0].staff.clone()
    }

    #[test]
    fn eighteen_months_of_contacts_all_in_the_past_and_in_order() {
        let mut rng = SplitMix64::new(7);
        let person = Person { first_name: "Jordan", adviser: 1, serial: 2 };
        let (_, contacts) = casework(&mut rng, today(), &team(), &person, HISTORY_DAYS);
        assert!(contacts.len() > 80, "{} contacts", contacts.len());
        assert!(contacts
            .iter()
            .all(|c| c.contact.on < today() && c.contact.on >= today() - Duration::days(HISTORY_DAYS)));
        assert!(contacts.windows(2).all(|w| w[0].contact.starts() <= w[1].contact.starts()));
        assert!(contacts.iter().any(|c| c.contact.kind == ContactKind::DirectWork && !c.contact.topics.is_empty()));
    }

    #[test]
    fn some_are_overdue_and_some_are_in_crisis() {
        let team = team();
        let mut overdue = 0;
        let mut open_crises = 0;
        for serial in 1..=32 {
            let mut rng = SplitMix64::new(serial as u64);
            let person = Person { first_name: "Sam", adviser: 1, serial };
            let (schedule, contacts) = casework(&mut rng, today(), &team, &person, HISTORY_DAYS);
            let last = contacts.iter().filter(|c| c.contact.kind == ContactKind::HomeVisit).map(|c| c.contact.on).max();
            if schedule.status(last, today()).is_overdue() {
                overdue += 1;
            }
            open_crises += contacts.iter().filter(|c| c.contact.crisis && c.follow_up_done_on.is_none()).count();
        }
        assert!((5..=14).contains(&overdue), "{overdue} overdue");
        assert!((1..=5).contains(&open_crises), "{open_crises} open crises");
    }
}
