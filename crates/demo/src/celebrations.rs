//! Demo festival dates and celebration tasks: a card and a cake for
//! birthdays, a gift for other occasions in the next six weeks, some done.

use crate::rng::SplitMix64;
use chrono::{Duration, NaiveDate};
use staying_close_domain::celebrations::{occasions, CalendarFacts, FestivalDate, Task, TaskKind};
use staying_close_domain::dataset::DatasetYoungPerson;
use staying_close_domain::money::Pence;
use staying_close_domain::profile::Celebration;

/// First days of festivals that move, 2025 to 2030 (as observed in the UK;
/// an LA administrator corrects them if their communities keep other days).
const FESTIVALS: &[(Celebration, [&str; 6])] = &[
    (Celebration::EidAlFitr, ["2025-03-30", "2026-03-20", "2027-03-10", "2028-02-27", "2029-02-14", "2030-02-04"]),
    (Celebration::EidAlAdha, ["2025-06-06", "2026-05-27", "2027-05-16", "2028-05-05", "2029-04-24", "2030-04-13"]),
    (Celebration::Diwali, ["2025-10-20", "2026-11-08", "2027-10-29", "2028-10-17", "2029-11-05", "2030-10-26"]),
    (Celebration::Vaisakhi, ["2025-04-14", "2026-04-14", "2027-04-14", "2028-04-13", "2029-04-14", "2030-04-14"]),
    (Celebration::Hanukkah, ["2025-12-15", "2026-12-05", "2027-12-25", "2028-12-13", "2029-12-02", "2030-12-21"]),
    (Celebration::LunarNewYear, ["2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03"]),
];

pub fn festivals() -> Vec<FestivalDate> {
    FESTIVALS
        .iter()
        .flat_map(|(celebration, days)| {
            days.iter().filter_map(move |d| d.parse().ok().map(|on| FestivalDate { celebration: *celebration, on }))
        })
        .collect()
}

pub fn tasks(rng: &mut SplitMix64, today: NaiveDate, person: &DatasetYoungPerson) -> Vec<(Task, Option<NaiveDate>)> {
    let festivals = festivals();
    let facts = CalendarFacts {
        date_of_birth: person.date_of_birth,
        chosen: &person.celebrations,
        staying_close_start: person.staying_close_start,
        festivals: &festivals,
    };
    let mut out = Vec::new();
    for o in occasions(facts, today, today + Duration::days(42)) {
        let kinds: &[(TaskKind, i64, &str)] = match o.celebration {
            Celebration::Birthday => {
                &[(TaskKind::Card, 0, "Signed by the team"), (TaskKind::Cake, 1500, "Their favourite: chocolate")]
            }
            Celebration::StayingCloseAnniversary => &[(TaskKind::Meal, 2000, "Lunch with their trusted adult")],
            Celebration::CareLeaversWeek => &[(TaskKind::Other, 0, "Invite to the forum's celebration event")],
            _ => &[(TaskKind::Gift, 2000, "Ask what they would like")],
        };
        for &(kind, budget, note) in kinds {
            // Cards and gifts for the next fortnight are usually sorted already.
            let done = (o.on - today).num_days() < 14 && rng.below(2) == 0;
            let task = Task {
                occasion_on: o.on,
                celebration: o.celebration,
                kind,
                budget: Pence(budget),
                note: Some(note.into()),
            };
            out.push((task, done.then(|| today - Duration::days(rng.below(3) as i64))));
        }
    }
    out
}
