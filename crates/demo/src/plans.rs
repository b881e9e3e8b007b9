//! Believable Staying Close plans for the demo: a first plan agreed soon
//! after a young person moved on, then a review about every six months, each
//! version moving goals along. About one in five has a review overdue.

use crate::rng::SplitMix64;
use chrono::{Duration, NaiveDate};
use staying_close_domain::dataset::{DatasetPlan, DatasetStaff};
use staying_close_domain::plan::{latest_review, Action, ActionOwner, ActionStatus, Goal, Meeting, PlanArea, Section};
use staying_close_domain::roles::Role;

/// Who owns an action in the words below.
#[derive(Clone, Copy)]
enum Who {
    YoungPerson,
    Adviser,
    Specialist(Role),
}

/// One area: going well, worries, their words ({} is their first name),
/// and goals with their actions.
struct AreaText {
    area: PlanArea,
    going_well: &'static str,
    worries: &'static str,
    own_words: &'static str,
    goals: &'static [(&'static str, &'static [(&'static str, Who)])],
}

const AREAS: &[AreaText] = &[
    AreaText {
        area: PlanArea::Accommodation,
        going_well: "{} has made the flat their own and knows the neighbours. Rent is paid on time.",
        worries: "The tenancy is for 12 months; {} worries about where to go next.",
        own_words: "\"It feels like mine now. I want to stay round here, near the home.\"",
        goals: &[
            (
                "Be ready to hold a tenancy of their own",
                &[
                    ("Go through the tenancy-ready course together", Who::Specialist(Role::HousingOfficer)),
                    ("Keep a record of rent paid for the reference", Who::YoungPerson),
                ],
            ),
            ("Know who to ring about repairs", &[("Put the landlord's number in the phone", Who::YoungPerson)]),
        ],
    },
    AreaText {
        area: PlanArea::Eet,
        going_well: "{} goes to college three days a week and gets on with the tutor.",
        worries: "Getting up for 9 o'clock starts is hard, and bus fares add up.",
        own_words: "\"I want to finish the course and get a job in a kitchen.\"",
        goals: &[
            (
                "Finish the level 2 catering course",
                &[
                    ("Apply for the college bursary for bus fares", Who::Specialist(Role::EetWorker)),
                    ("Set two alarms on college days", Who::YoungPerson),
                ],
            ),
            ("Find weekend work", &[("Update the CV and apply for two jobs", Who::Specialist(Role::EetWorker))]),
        ],
    },
    AreaText {
        area: PlanArea::Health,
        going_well: "{} is registered with a GP and a dentist, and sleeps better than last year.",
        worries: "Low mood in the winter months; {} does not always say when things are hard.",
        own_words: "\"Talking to someone helps, but not every week.\"",
        goals: &[(
            "Look after their emotional wellbeing",
            &[
                ("Meet the emotional-health practitioner once a month", Who::Specialist(Role::EmotionalHealth)),
                ("Book a dental check-up", Who::YoungPerson),
            ],
        )],
    },
    AreaText {
        area: PlanArea::Relationships,
        going_well: "{} still sees staff from the home and has a trusted person they rely on.",
        worries: "Contact with family is on and off, and can be upsetting.",
        own_words: "\"I want to see my little brother more.\"",
        goals: &[(
            "See their brother regularly",
            &[("Ask the brother's social worker about monthly visits", Who::Adviser)],
        )],
    },
    AreaText {
        area: PlanArea::LifeSkills,
        going_well: "{} cooks most evenings and keeps the flat clean and tidy.",
        worries: "Budgeting for food runs out before payday.",
        own_words: "\"I can cook loads now. Money is the hard bit.\"",
        goals: &[
            (
                "Cook three new meals on a budget",
                &[
                    ("Plan a week of meals and shop for them together", Who::Adviser),
                    ("Try one new recipe a week", Who::YoungPerson),
                ],
            ),
            ("Keep on top of cleaning", &[("Stick to the cleaning rota", Who::YoungPerson)]),
        ],
    },
    AreaText {
        area: PlanArea::Identity,
        going_well: "{} goes to the Care Leavers' Forum and helped interview new staff.",
        worries: "{} sometimes feels different from friends who live with family.",
        own_words: "\"The forum is good. People there get it.\"",
        goals: &[("Keep going to the forum", &[("Go to the next forum meeting", Who::YoungPerson)])],
    },
    AreaText {
        area: PlanArea::Money,
        going_well: "{} has a bank account and a standing order for the bills.",
        worries: "A phone contract went unpaid last winter.",
        own_words: "\"I want to save for a holiday.\"",
        goals: &[(
            "Save a little every month",
            &[("Set up a savings pot", Who::YoungPerson), ("Check the benefits they are owed", Who::Adviser)],
        )],
    },
];

fn owner(who: Who, adviser: usize, team: &[DatasetStaff]) -> ActionOwner {
    match who {
        Who::YoungPerson => ActionOwner::YoungPerson,
        Who::Adviser => ActionOwner::Staff(adviser as i64),
        Who::Specialist(role) => match team.iter().position(|s| s.role == role) {
            Some(i) => ActionOwner::Staff(i as i64),
            None => ActionOwner::Staff(adviser as i64),
        },
    }
}

/// How far along an action is at the `version`th version (from 0) of `of`.
fn status(version: usize, of: usize, rng: &mut SplitMix64) -> ActionStatus {
    let left = of - 1 - version;
    match (left, rng.below(4)) {
        (0, 0) => ActionStatus::NotStarted,
        (0, _) => ActionStatus::InProgress,
        (1, 0) => ActionStatus::InProgress,
        (_, 3) => ActionStatus::NotNeeded,
        _ => ActionStatus::Done,
    }
}

/// Plan versions for a young person who started Staying Close on `start`.
pub fn plans(
    rng: &mut SplitMix64,
    today: NaiveDate,
    start: NaiveDate,
    first_name: &str,
    adviser: usize,
    team: &[DatasetStaff],
    serial: usize,
) -> Vec<DatasetPlan> {
    let overdue = serial % 5 == 3;
    // Meetings counted back from the latest, about every 5½ months, to two
    // weeks after they started. For those overdue, the latest meeting's
    // review date passed a few days to a few weeks ago.
    let overdue_by = Duration::days(5 + (serial % 35) as i64);
    let latest = if overdue {
        today - overdue_by - Duration::days(170)
    } else {
        today - Duration::days(7 + rng.below(150) as i64)
    };
    let first = start + Duration::days(14);
    let mut meetings = vec![latest.max(first.min(today - Duration::days(7)))];
    loop {
        let earlier = *meetings.last().expect("one meeting") - Duration::days(165 + rng.below(10) as i64);
        if earlier < first {
            break;
        }
        meetings.push(earlier);
    }
    meetings.reverse();
    // Each young person's plan covers the areas that matter to them: five of seven.
    let first_skipped = serial % AREAS.len();
    let skip = [first_skipped, (first_skipped + 1 + serial % 5) % AREAS.len()];
    let count = meetings.len();
    meetings
        .iter()
        .enumerate()
        .map(|(v, held_on)| {
            let review_due_on = if v + 1 < count {
                meetings[v + 1] - Duration::days(rng.below(10) as i64)
            } else if overdue {
                (today - overdue_by).min(latest_review(*held_on)).max(*held_on + Duration::days(1))
            } else {
                latest_review(*held_on) - Duration::days(rng.below(14) as i64)
            };
            let words = |text: &str| text.replace("{}", first_name);
            let sections = AREAS
                .iter()
                .enumerate()
                .filter(|(i, _)| !skip.contains(i))
                .map(|(_, a)| Section {
                    area: a.area,
                    going_well: Some(words(a.going_well)),
                    worries: Some(words(a.worries)),
                    own_words: (v % 2 == 0 || rng.below(2) == 0).then(|| words(a.own_words)),
                    // A goal joins the plan one version after the first.
                    goals: a
                        .goals
                        .iter()
                        .enumerate()
                        .filter(|(g, _)| *g == 0 || v > 0 || count == 1)
                        .map(|(_, (goal, actions))| Goal {
                            text: goal.to_string(),
                            actions: actions
                                .iter()
                                .map(|(action, who)| Action {
                                    text: action.to_string(),
                                    owner: owner(*who, adviser, team),
                                    due_on: Some(review_due_on - Duration::days(30 + rng.below(30) as i64)),
                                    status: status(v, count, rng),
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect();
            DatasetPlan {
                meeting: Meeting {
                    held_on: *held_on,
                    review_due_on,
                    took_part: rng.below(8) != 0,
                    agreed: rng.below(6) != 0,
                    their_view: (rng.below(2) == 0).then(|| pick_view(rng).to_owned()),
                },
                sections,
            }
        })
        .collect()
}

fn pick_view(rng: &mut SplitMix64) -> &'static str {
    const VIEWS: &[&str] = &[
        "It's a good plan. I want to do the cooking bit first.",
        "I don't want to move again, that's the main thing.",
        "Happy with it. Can we meet at the café next time?",
        "I didn't agree with the money bit but the rest is fine.",
    ];
    VIEWS[rng.below(VIEWS.len() as u64) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    #[test]
    fn versions_every_six_months_with_a_valid_review_date_and_some_overdue() {
        let team = crate::generate(today(), crate::DEFAULT_SEED).las[0].staff.clone();
        let mut overdue = 0;
        for serial in 1..=20 {
            let mut rng = SplitMix64::new(serial as u64);
            let list = plans(&mut rng, today(), today() - Duration::days(548), "Sam", 1, &team, serial);
            assert!(!list.is_empty());
            for (a, b) in list.iter().zip(list.iter().skip(1)) {
                assert!(a.meeting.held_on < b.meeting.held_on);
            }
            for p in &list {
                assert!(p.meeting.review_due_on > p.meeting.held_on);
                assert!(p.meeting.review_due_on <= latest_review(p.meeting.held_on), "at most 6 months ahead");
                assert!(p.meeting.held_on <= today());
                assert_eq!(p.sections.len(), 5);
            }
            if list.last().unwrap().meeting.review_due_on < today() {
                overdue += 1;
            }
        }
        assert!((2..=8).contains(&overdue), "{overdue} overdue of 20");
        let mut rng = SplitMix64::new(3);
        let late = plans(&mut rng, today(), today() - Duration::days(548), "Sam", 1, &team, 3);
        let by = (today() - late.last().unwrap().meeting.review_due_on).num_days();
        assert!((1..=45).contains(&by), "overdue by days or weeks, not months: {by}");
    }
}
