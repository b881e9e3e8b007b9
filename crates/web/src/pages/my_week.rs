//! My week: what needs doing this week. A practitioner sees their own
//! caseload; a manager sees the whole team, with each item's adviser and
//! the reason it is overdue. Each list is one indexed query.

use crate::components::{Cell, Heading, Part, Table};
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::celebrations::{festivals, task_words};
use crate::pages::contacts::{sees_team, week_start};
use crate::pages::young_people::{today, NAME_NOT_RECORDED};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::Extension;
use chrono::Duration;
use chrono::NaiveDate;
use serde::Deserialize;
use staying_close_domain::allowance::month_start;
use staying_close_domain::celebrations::{occasions, CalendarFacts};
use staying_close_domain::dates::{age_on, format_uk, LeapDayRule};
use staying_close_domain::money::Pence;
use staying_close_domain::permissions::{Permission, RecordScope};
use staying_close_domain::plan::{ReviewStatus, REVIEW_SOON_DAYS};
use staying_close_domain::visits::{SupportHours, VisitStatus};
use staying_close_domain::words::count;
use staying_close_store::{next_birthday, Caseload, YoungPersonId};

#[derive(Template)]
#[template(path = "my_week.html")]
struct MyWeekPage {
    page: Chrome,
    banner: Option<&'static str>,
    team: bool,
    week: String,
    overdue: usize,
    visits: Table,
    follow_ups: Table,
    reviews: Table,
    /// `None` until the LA's statutory duty has started.
    assessments: Option<Table>,
    birthdays: Table,
    /// A practitioner's own young people: what is coming up in the next 30
    /// days and how much of this month's allowance is left.
    coming_up: Option<Table>,
    support: Option<Table>,
    support_summary: String,
    more_visits: usize,
    more_follow_ups: usize,
    more_reviews: usize,
    more_birthdays: usize,
}

/// Most rows each list shows; a team's full lists are on the cohort page.
const MAX_ROWS: usize = 100;

#[derive(Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

fn person_link(id: YoungPersonId, name: &Option<String>, child_id: &str, to: &str) -> Part {
    let href = format!("/young-people/{}{to}", id.0);
    match name {
        Some(name) => Part::link(name, href),
        None => Part::Link { text: NAME_NOT_RECORDED.to_owned(), href, hidden: format!(", child ID {child_id}") },
    }
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<Saved>,
) -> Result<Html<String>, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let team = sees_team(user.staff.role);
    let caseload = if team { Caseload::Team } else { Caseload::Of(user.staff.id) };
    let today = today();
    let monday = week_start(today);
    let sunday = monday + Duration::days(6);
    let can_record = user.can(Permission::RecordContact);

    let mut due = state.store.visits_due(&viewer, caseload, sunday).await?;
    // A large team's list is shown a screenful at a time; the cohort page has the rest.
    let more_visits = due.len().saturating_sub(MAX_ROWS);
    due.truncate(MAX_ROWS);
    let mut headings = vec![Heading::new("Young person"), Heading::new("Home visit")];
    if team {
        headings.push(Heading::new("Personal adviser"));
    }
    headings.push(Heading::new("Why"));
    let mut visits = Table::new("Home visits due or overdue this week", headings);
    let mut overdue = 0;
    for v in &due {
        let status = VisitStatus::of(v.next_due_on, today);
        if status.is_overdue() {
            overdue += 1;
        }
        let (words, colour) = match status {
            VisitStatus::Overdue { days, .. } => (format!("Overdue by {}", count(days.into(), "day", "days")), "red"),
            VisitStatus::DueToday => ("Due today".to_owned(), "yellow"),
            VisitStatus::Upcoming { due } => (format!("Due {}", format_uk(due)), "blue"),
        };
        let why = match v.last_home_visit_on {
            Some(last) => format!("Last home visit {}; visits {}", format_uk(last), v.frequency.label().to_lowercase()),
            None => format!("No home visit since the schedule started; visits {}", v.frequency.label().to_lowercase()),
        };
        let mut row = vec![
            Cell::parts(vec![person_link(v.young_person, &v.name, &v.child_id, "/contacts")]),
            Cell::parts(vec![Part::tag(words, colour)]),
        ];
        if team {
            row.push(Cell::text(v.adviser_name.clone().unwrap_or_else(|| "Not allocated".into())));
        }
        row.push(Cell::text(why));
        visits.row(row);
    }

    let mut open = state.store.open_follow_ups(&viewer, caseload).await?;
    let more_follow_ups = open.len().saturating_sub(MAX_ROWS);
    open.truncate(MAX_ROWS);
    let mut headings = vec![Heading::new("Young person"), Heading::new("Follow-up"), Heading::new("Since")];
    if team {
        headings.push(Heading::new("Owner"));
    }
    if can_record {
        headings.push(Heading::hidden("Action"));
    }
    let mut follow_ups = Table::new("Crisis follow-ups still open", headings);
    for f in &open {
        let mut row = vec![
            Cell::parts(vec![person_link(f.young_person, &f.name, &f.child_id, "/contacts")]),
            Cell::text(&f.action),
            Cell::text(format_uk(f.since)),
        ];
        if team {
            row.push(Cell::text(&f.owner_name));
        }
        if can_record {
            row.push(Cell::parts(vec![Part::Button {
                action: format!("/follow-ups/{}/done", f.contact.0),
                label: "Mark as done",
                hidden: format!("for {}", f.name.as_deref().unwrap_or(&f.child_id)),
                csrf_token: user.csrf_token(),
            }]));
        }
        follow_ups.row(row);
    }

    // Plan reviews due within the next four weeks, and overdue ones.
    let mut due_reviews =
        state.store.plan_reviews_due(&viewer, caseload, today + Duration::days(REVIEW_SOON_DAYS)).await?;
    let more_reviews = due_reviews.len().saturating_sub(MAX_ROWS);
    due_reviews.truncate(MAX_ROWS);
    let mut headings = vec![Heading::new("Young person"), Heading::new("Plan review")];
    if team {
        headings.push(Heading::new("Personal adviser"));
    }
    let mut reviews = Table::new("Plan reviews due in the next 4 weeks or overdue", headings);
    for r in &due_reviews {
        let (words, colour) = ReviewStatus::of(r.review_due_on, today).words();
        let mut row = vec![
            Cell::parts(vec![person_link(r.young_person, &r.name, &r.child_id, "/plan")]),
            Cell::parts(vec![Part::tag(words, colour)]),
        ];
        if team {
            row.push(Cell::text(r.adviser_name.clone().unwrap_or_else(|| "Not allocated".into())));
        }
        reviews.row(row);
    }

    // Statutory staying close assessments owed, once the LA's duty has started.
    let duty_started = user.la.as_ref().and_then(|l| l.staying_close_duty_from).is_some_and(|from| from <= today);
    let owed = if duty_started {
        // Who is owed one follows care-leaver status: bring it up to today first (cheap when nothing changed).
        state.store.refresh_cohort_facts(viewer.la, today).await?;
        let mut owed = state.store.assessments_owed(&viewer, caseload, today).await?;
        owed.truncate(MAX_ROWS);
        owed
    } else {
        Vec::new()
    };
    let assessments = duty_started.then(|| {
        let mut headings = vec![Heading::new("Young person"), Heading::numeric("Age")];
        if team {
            headings.push(Heading::new("Personal adviser"));
        }
        let mut table = Table::new("Statutory staying close assessments owed", headings);
        for o in &owed {
            let mut row = vec![
                Cell::parts(vec![person_link(o.young_person, &o.name, &o.child_id, "/staying-close-support")]),
                Cell::number(age_on(o.date_of_birth, today, LeapDayRule::default())),
            ];
            if team {
                row.push(Cell::text(o.adviser_name.clone().unwrap_or_else(|| "Not allocated".into())));
            }
            table.row(row);
        }
        table
    });

    let (coming_up, coming_up_ids) = if team {
        (None, Vec::new())
    } else {
        let (table, ids) = coming_up(&state, &user, &viewer, caseload, today).await?;
        (Some(table), ids)
    };

    let mut coming = if team { state.store.birthdays(&viewer, caseload, today, 30).await? } else { Vec::new() };
    let more_birthdays = coming.len().saturating_sub(MAX_ROWS);
    coming.truncate(MAX_ROWS);
    let mut birthdays = Table::new(
        "Birthdays in the next 30 days",
        vec![Heading::new("Young person"), Heading::new("Birthday"), Heading::numeric("Turning")],
    );
    for b in &coming {
        let on = next_birthday(b.date_of_birth, today);
        let turning = age_on(b.date_of_birth, on, LeapDayRule::default());
        let when = if on == today { "Today".to_owned() } else { format!("{} {}", on.format("%A"), format_uk(on)) };
        birthdays.row(vec![
            Cell::parts(vec![person_link(b.young_person, &b.name, &b.child_id, "")]),
            Cell::text(when),
            Cell::number(turning),
        ]);
    }

    // Support hours this week against the LA's offer, per young person of a caseload.
    let offer = user.la.as_ref().map(|l| l.settings.weekly_support_hours).unwrap_or(5);
    let minutes = state.store.contact_minutes_by_young_person(&viewer, caseload, monday, sunday).await?;
    let met = minutes.iter().filter(|(_, m)| SupportHours { minutes: *m, offer_hours: offer }.meets_offer()).count();
    let support_summary = format!(
        "{} had {} or more of support so far this week (from {}).",
        count(met as u64, "young person", "young people"),
        count(offer.into(), "hour", "hours"),
        format_uk(monday)
    );
    let support = if team {
        None
    } else {
        // Only their own caseload: never the whole LA's list to draw a few rows.
        let own = staying_close_store::Viewer { scope: RecordScope::OwnAndShared, ..viewer };
        let people = state.store.cohort_for(&own).await?;
        let mut table = Table::new(
            "Support this week",
            vec![Heading::new("Young person"), Heading::new("Support so far"), Heading::hidden("Against the offer")],
        );
        for p in people.iter().filter(|p| p.adviser_id == Some(user.staff.id)) {
            let m = minutes.iter().find(|(id, _)| *id == p.id).map(|(_, m)| *m).unwrap_or(0);
            let hours = SupportHours { minutes: m, offer_hours: offer };
            let tag = if hours.meets_offer() { Part::tag("Offer met", "green") } else { Part::tag("Below", "grey") };
            table.row(vec![
                Cell::parts(vec![person_link(p.id, &p.name, p.child_id.as_str(), "/contacts")]),
                Cell::text(hours.describe()),
                Cell::parts(vec![tag]),
            ]);
        }
        Some(table)
    };

    let ids: Vec<i64> = due
        .iter()
        .map(|v| v.young_person.0)
        .chain(open.iter().map(|f| f.young_person.0))
        .chain(due_reviews.iter().map(|r| r.young_person.0))
        .chain(owed.iter().map(|o| o.young_person.0))
        .chain(coming.iter().map(|b| b.young_person.0))
        .chain(coming_up_ids)
        .collect();
    let filter = serde_json::json!({ "week_from": monday.to_string(), "team": team });
    state.store.record_bulk_read(&user.actor(), viewer.la, "young_person", "my_week", filter, ids).await?;

    let page = MyWeekPage {
        page: Chrome::for_user(if team { "Team week" } else { "My week" }, &user, "/my-week"),
        banner: (q.saved.as_deref() == Some("follow_up")).then_some("Follow-up marked as done."),
        team,
        week: format!("{} to {}", format_uk(monday), format_uk(sunday)),
        overdue,
        visits,
        follow_ups,
        reviews,
        assessments,
        birthdays,
        coming_up,
        support,
        support_summary,
        more_visits,
        more_follow_ups,
        more_reviews,
        more_birthdays,
    };
    Ok(Html(page.render()?))
}

/// Days ahead the "coming up" list looks.
const COMING_UP_DAYS: i64 = 30;

/// For each young person of a practitioner's caseload: their occasions in
/// the next 30 days with the tasks for each, and this month's allowance
/// left. Four queries, each limited to the caseload.
async fn coming_up(
    state: &AppState,
    user: &CurrentUser,
    viewer: &staying_close_store::Viewer,
    caseload: Caseload,
    today: NaiveDate,
) -> Result<(Table, Vec<i64>), AppError> {
    let to = today + Duration::days(COMING_UP_DAYS);
    let people = state.store.calendar_people(viewer, caseload).await?;
    let festivals = festivals(state, viewer.la, today, to).await?;
    let tasks = state.store.caseload_celebration_tasks(viewer, caseload, today, to).await?;
    let spent = state.store.caseload_spending(viewer, caseload, month_start(today), today).await?;
    let monthly = user.la.as_ref().map(|l| l.settings.activities_allowance).unwrap_or(Pence::from_pounds(30));
    let mut table = Table::new(
        format!("Your young people: the next {COMING_UP_DAYS} days and this month's allowance"),
        vec![
            Heading::new("Young person"),
            Heading::new(format!("Coming up by {}", format_uk(to))),
            Heading::new(format!("Allowance left in {}", today.format("%B"))),
        ],
    );
    for p in &people {
        let facts = CalendarFacts {
            date_of_birth: p.date_of_birth,
            chosen: &p.celebrations,
            staying_close_start: p.staying_close_start,
            festivals: &festivals,
        };
        let mut parts = Vec::new();
        for o in occasions(facts, today, to) {
            if !parts.is_empty() {
                parts.push(Part::Break);
            }
            let when =
                if o.on == today { "Today".to_owned() } else { format!("{} {}", o.on.format("%a"), format_uk(o.on)) };
            parts.push(Part::text(format!("{when}: {}", o.label)));
            for t in tasks.iter().filter(|t| t.young_person == p.young_person && t.task.occasion_on == o.on) {
                let colour = if t.done_on.is_some() { "green" } else { "grey" };
                let state = if t.done_on.is_some() { "done" } else { "to do" };
                parts.push(Part::tag(format!("{} {state}", task_words(t)), colour));
            }
        }
        if parts.is_empty() {
            parts.push(Part::text("Nothing to mark"));
        }
        let spent = spent.iter().find(|(id, _)| *id == p.young_person).map(|(_, s)| *s).unwrap_or(Pence(0));
        let left = Pence(monthly.0 - spent.0);
        let allowance = if left.0 < 0 {
            vec![
                Part::link(format!("{} over", Pence(-left.0)), format!("/young-people/{}/allowance", p.young_person.0)),
                Part::tag("Overspent", "red"),
            ]
        } else {
            vec![Part::Link {
                text: format!("{left} of {monthly}"),
                href: format!("/young-people/{}/allowance", p.young_person.0),
                hidden: format!(" left for {}", p.name.as_deref().unwrap_or(&p.child_id)),
            }]
        };
        table.row(vec![
            Cell::parts(vec![person_link(p.young_person, &p.name, &p.child_id, "/celebrations")]),
            Cell::parts(parts),
            Cell::parts(allowance),
        ]);
    }
    Ok((table, people.iter().map(|p| p.young_person.0).collect()))
}
