//! Demo group activities this financial year and last: a monthly walking
//! group, life-skills sessions, trips, celebration events and Care
//! Leavers' Forum meetings, with who came; and young people helping to
//! recruit staff and design services.

use chrono::{Datelike, Duration, Months, NaiveDate};
use staying_close_domain::allowance::financial_year_start;
use staying_close_domain::celebrations::care_leavers_week;
use staying_close_domain::groups::{Event, EventKind, Involvement, InvolvementKind};
use staying_close_domain::money::Pence;

/// Events with the indices of the young people and staff who came.
pub type DemoEvent = (Event, Vec<usize>, Vec<usize>);

pub fn events(today: NaiveDate, people: usize, staff: &[usize]) -> Vec<DemoEvent> {
    let start = financial_year_start(today) - Months::new(12);
    let mut out = Vec::new();
    let came = |seed: usize, n: usize| -> Vec<usize> {
        (0..n)
            .map(|i| (seed * 7 + i * 5) % people.max(1))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    let mut month = start;
    let mut n = 0;
    while month <= today {
        let walk = month + Duration::days(9);
        if walk <= today {
            out.push((
                Event {
                    title: "Walking group".into(),
                    kind: EventKind::Walking,
                    on: walk,
                    cost: Pence(0),
                    topics: None,
                    actions: None,
                },
                came(n, 4 + n % 3),
                vec![staff[n % staff.len()]],
            ));
        }
        let skills = month + Duration::days(20);
        if skills <= today && n % 2 == 0 {
            let (title, cost) =
                if n % 4 == 0 { ("Cooking on a budget", 3600) } else { ("Bills, budgets and banking", 0) };
            out.push((
                Event {
                    title: title.into(),
                    kind: EventKind::LifeSkills,
                    on: skills,
                    cost: Pence(cost),
                    topics: None,
                    actions: None,
                },
                came(n + 3, 5),
                vec![staff[(n + 1) % staff.len()]],
            ));
        }
        let forum = month + Duration::days(14);
        if forum <= today && n % 2 == 1 {
            out.push((
                Event {
                    title: "Care Leavers' Forum".into(),
                    kind: EventKind::Forum,
                    on: forum,
                    cost: Pence(2500),
                    topics: Some("The Local Offer, bus passes, what to do in Care Leavers' Week".into()),
                    actions: Some(
                        "Team manager to raise bus passes with the council; forum to plan the celebration event".into(),
                    ),
                },
                came(n + 5, 6),
                vec![staff[0]],
            ));
        }
        month = month + Months::new(1);
        n += 1;
    }
    for year in [start.year(), start.year() + 1] {
        let (week, _) = care_leavers_week(year);
        if week >= start && week <= today {
            out.push((
                Event {
                    title: "Care Leavers' Week celebration".into(),
                    kind: EventKind::Celebration,
                    on: week + Duration::days(2),
                    cost: Pence(24000),
                    topics: None,
                    actions: None,
                },
                came(year as usize, 10),
                staff.to_vec(),
            ));
        }
    }
    let trip = today - Duration::days(45);
    out.push((
        Event {
            title: "Day trip to the coast".into(),
            kind: EventKind::Trip,
            on: trip,
            cost: Pence(31500),
            topics: None,
            actions: None,
        },
        came(11, 8),
        vec![staff[0], staff[staff.len() - 1]],
    ));
    out
}

/// One in eight has helped recruit staff or design a service.
pub fn involvement(today: NaiveDate, start: NaiveDate, serial: usize) -> Vec<Involvement> {
    if serial % 8 != 4 {
        return Vec::new();
    }
    let on = (start + Duration::days(120)).min(today);
    let (kind, note) = if serial % 16 == 4 {
        (InvolvementKind::Recruitment, "Sat on the interview panel for a personal adviser")
    } else {
        (InvolvementKind::ServiceDesign, "Helped design the new drop-in")
    };
    vec![Involvement { on, kind, note: Some(note.into()) }]
}

/// Last year's and this year's grants and monthly spending.
pub fn funding(
    today: NaiveDate,
) -> Vec<(
    staying_close_domain::funding::FinancialYear,
    Vec<staying_close_domain::funding::Grant>,
    Vec<staying_close_domain::funding::SpendLine>,
)> {
    use staying_close_domain::funding::{FinancialYear, Grant, SpendCategory, SpendLine};
    let this = FinancialYear::holding(today);
    [this.previous(), this]
        .into_iter()
        .map(|year| {
            let grants = vec![
                Grant { source: "DfE Staying Close grant".into(), amount: Pence::from_pounds(540_000), note: None },
                Grant {
                    source: "Council contribution".into(),
                    amount: Pence::from_pounds(45_000),
                    note: Some("Activities and celebrations".into()),
                },
            ];
            let mut spend = Vec::new();
            let mut month = year.first_day();
            while month <= year.last_day() && month <= today {
                let end = month + Months::new(1) - Duration::days(1);
                let on = end.min(today);
                spend.push(SpendLine {
                    on,
                    description: "Team salaries".into(),
                    category: SpendCategory::Staff,
                    amount: Pence(3_650_000),
                });
                spend.push(SpendLine {
                    on,
                    description: "Staying Close houses: rent and bills".into(),
                    category: SpendCategory::Accommodation,
                    amount: Pence(925_000),
                });
                spend.push(SpendLine {
                    on,
                    description: "Activities allowances".into(),
                    category: SpendCategory::Activities,
                    amount: Pence(96_000),
                });
                month = month + Months::new(1);
            }
            (year, grants, spend)
        })
        .collect()
}
