//! The cohort page: search, filters, server-side sort and pages. The
//! database does the work (see `staying_close_store::CohortQuery`), so a page
//! reads one page of rows whatever the size of the LA, and works without
//! JavaScript: every filter is a GET form, every sort a link.

use crate::components::{choices, Cell, Choice, Heading, Part, Table};
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::young_people::{today, NAME_NOT_RECORDED};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::Extension;
use serde::Deserialize;
use staying_close_domain::dates::{age_on, format_uk_short, LeapDayRule};
use staying_close_domain::eligibility::CareLeaverStatus;
use staying_close_domain::permissions::Permission;
use staying_close_domain::roles::Role;
use staying_close_domain::visits::VisitStatus;
use staying_close_domain::words::thousands;
use staying_close_store::{AdviserFilter, CohortLine, CohortQuery, CohortSort, StaffId};

pub const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    adviser: String,
    #[serde(default)]
    show: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    crisis: String,
    #[serde(default)]
    review: String,
    #[serde(default)]
    assessment: String,
    #[serde(default)]
    closed: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    order: String,
    #[serde(default)]
    page: String,
}

const SORTABLE: [(&str, &str, CohortSort); 6] = [
    ("name", "Name", CohortSort::Name),
    ("age", "Age", CohortSort::Age),
    ("adviser", "Personal adviser", CohortSort::Adviser),
    ("eligible", "Staying Close", CohortSort::Eligible),
    ("status", "Care-leaver status", CohortSort::Status),
    ("visit", "Next home visit", CohortSort::NextVisit),
];

#[derive(Template)]
#[template(path = "young_people.html")]
struct ListPage {
    page: Chrome,
    search: String,
    advisers: Vec<Choice>,
    show_choices: Vec<Choice>,
    statuses: Vec<Choice>,
    flags: Vec<Choice>,
    sort: String,
    order: String,
    summary: String,
    table: Table,
    previous: String,
    next: String,
    as_at: String,
    can_add: bool,
}

/// The query string for these filters, with `sort`, `order` and `page` as given.
fn link(q: &ListQuery, sort: &str, order: &str, page: i64) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for (key, value) in [
        ("q", &q.q),
        ("adviser", &q.adviser),
        ("show", &q.show),
        ("status", &q.status),
        ("overdue", &q.overdue),
        ("crisis", &q.crisis),
        ("review", &q.review),
        ("assessment", &q.assessment),
        ("closed", &q.closed),
    ] {
        if !value.trim().is_empty() {
            pairs.push((key, value.trim().to_owned()));
        }
    }
    pairs.push(("sort", sort.to_owned()));
    pairs.push(("order", order.to_owned()));
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    format!("/young-people?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
}

fn row(line: &CohortLine, today: chrono::NaiveDate) -> Vec<Cell> {
    let href = format!("/young-people/{}", line.id.0);
    let mut name = vec![match &line.name {
        Some(name) => Part::link(name, href),
        None => {
            Part::Link { text: NAME_NOT_RECORDED.to_owned(), href, hidden: format!(", child ID {}", line.child_id) }
        }
    }];
    match line.cohort_status {
        staying_close_domain::people::CohortStatus::Referred => name.push(Part::tag("Referred", "grey")),
        staying_close_domain::people::CohortStatus::Closed => name.push(Part::tag("Closed", "grey")),
        staying_close_domain::people::CohortStatus::Active => {}
    }
    if line.open_follow_ups > 0 {
        name.push(Part::tag("In crisis", "red"));
    }
    let eligible = if line.eligible { Part::tag("Eligible", "green") } else { Part::tag("Not eligible", "grey") };
    let visit = match line.next_visit_due {
        None => Cell::text("No schedule"),
        Some(due) => match VisitStatus::of(due, today) {
            VisitStatus::Overdue { .. } => {
                Cell::parts(vec![Part::tag(format!("Overdue {}", format_uk_short(due)), "red")])
            }
            VisitStatus::DueToday => Cell::parts(vec![Part::tag("Today", "yellow")]),
            VisitStatus::Upcoming { due } => Cell::text(format_uk_short(due)),
        },
    };
    vec![
        Cell::parts(name),
        Cell::text(line.child_id.as_str()),
        Cell::number(age_on(line.date_of_birth, today, LeapDayRule::default())),
        Cell::text(line.adviser_name.clone().unwrap_or_else(|| "Not allocated".into())),
        eligible.into(),
        Cell::text(line.status.label()),
        visit,
    ]
}

pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let today = today();
    let duty_started = user.la.as_ref().and_then(|l| l.staying_close_duty_from).is_some_and(|from| from <= today);
    // Only records whose episodes changed, or the first request of a day, do any work here.
    state.store.refresh_cohort_facts(viewer.la, today).await?;

    let advisers = state.store.staff_names(viewer.la, Role::PersonalAdviser).await?;
    let adviser = match q.adviser.trim() {
        "none" => AdviserFilter::Unallocated,
        id => match id.parse::<i64>() {
            Ok(id) if advisers.iter().any(|(s, _)| s.0 == id) => AdviserFilter::Staff(StaffId(id)),
            _ => AdviserFilter::Anyone,
        },
    };
    let show = match q.show.as_str() {
        "eligible" => "eligible",
        "not_eligible" => "not_eligible",
        _ => "all",
    };
    let status = CareLeaverStatus::parse(q.status.trim());
    let (sort_key, _, sort) = SORTABLE.iter().find(|(k, _, _)| *k == q.sort).copied().unwrap_or(SORTABLE[0]);
    let descending = q.order == "descending";
    let page_number = q.page.trim().parse::<i64>().ok().filter(|p| *p >= 1).unwrap_or(1);
    let query = CohortQuery {
        search: Some(q.q.trim().to_owned()).filter(|s| !s.is_empty()),
        adviser,
        eligible: match show {
            "eligible" => Some(true),
            "not_eligible" => Some(false),
            _ => None,
        },
        status,
        visit_overdue: q.overdue == "yes",
        in_crisis: q.crisis == "yes",
        plan_review_due: q.review == "yes",
        // Only once the LA's statutory duty has started.
        assessment_due: q.assessment == "yes" && duty_started,
        include_closed: q.closed == "yes",
        sort,
        descending,
        page: page_number,
        per_page: PER_PAGE,
    };
    let found = state.store.cohort_page(&viewer, &query, today).await?;
    let unfiltered = CohortQuery {
        sort: query.sort,
        descending: query.descending,
        page: query.page,
        per_page: PER_PAGE,
        ..CohortQuery::default()
    };
    let total = if query == unfiltered {
        found.matching
    } else {
        state.store.cohort_page(&viewer, &CohortQuery { per_page: 0, ..CohortQuery::default() }, today).await?.matching
    };

    let order = if descending { "descending" } else { "ascending" };
    let headings: Vec<Heading> = SORTABLE
        .iter()
        .map(|(key, label, _)| {
            let current = *key == sort_key;
            let next = if current && !descending { "descending" } else { "ascending" };
            let aria_sort = match (current, descending) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            };
            let mut heading = Heading::sortable(*label, aria_sort, link(&q, key, next, 1));
            heading.numeric = *key == "age";
            heading
        })
        .collect();
    let mut headings = headings;
    headings.insert(1, Heading::new("Child ID"));
    let mut table = Table::new("Young people", headings);
    for line in &found.lines {
        table.row(row(line, today));
    }
    let first = (page_number - 1) * PER_PAGE + 1;
    let shown = found.lines.len() as i64;
    let summary = if found.matching <= PER_PAGE && page_number == 1 {
        format!(
            "Showing {} of {} young {}",
            thousands(found.matching as u64),
            thousands(total as u64),
            if total == 1 { "person" } else { "people" }
        )
    } else if shown == 0 {
        format!("No young people on page {page_number}; {} match", thousands(found.matching as u64))
    } else {
        format!(
            "Showing {} to {} of {} matching ({} in all)",
            thousands(first as u64),
            thousands((first + shown - 1) as u64),
            thousands(found.matching as u64),
            thousands(total as u64)
        )
    };
    let previous = if page_number > 1 { link(&q, sort_key, order, page_number - 1) } else { String::new() };
    let next = if page_number * PER_PAGE < found.matching {
        link(&q, sort_key, order, page_number + 1)
    } else {
        String::new()
    };

    let filter = serde_json::json!({
        "q": !q.q.trim().is_empty(), "adviser": q.adviser, "show": show, "status": q.status, "overdue": query.visit_overdue,
        "crisis": query.in_crisis, "review": query.plan_review_due, "assessment": query.assessment_due, "closed": query.include_closed, "sort": sort_key, "order": order, "page": page_number,
    });
    let ids = found.lines.iter().map(|l| l.id.0).collect();
    state.store.record_bulk_read(&user.actor(), viewer.la, "young_person", "page", filter, ids).await?;

    let mut adviser_choices = vec![Choice { value: String::new(), label: "Anyone".into(), checked: false }];
    adviser_choices.push(Choice { value: "none".into(), label: "Not allocated".into(), checked: false });
    adviser_choices.extend(advisers.iter().map(|(id, name)| Choice {
        value: id.0.to_string(),
        label: name.clone(),
        checked: false,
    }));
    for c in &mut adviser_choices {
        c.checked = c.value == q.adviser.trim();
    }
    let mut statuses = vec![Choice { value: String::new(), label: "Any".into(), checked: status.is_none() }];
    statuses.extend(CareLeaverStatus::ALL.iter().map(|s| Choice {
        value: s.as_str().to_owned(),
        label: s.label().to_owned(),
        checked: Some(*s) == status,
    }));
    let flags = vec![
        Choice { value: "overdue".into(), label: "Home visit overdue".into(), checked: query.visit_overdue },
        Choice { value: "crisis".into(), label: "In crisis (a follow-up is open)".into(), checked: query.in_crisis },
        Choice {
            value: "review".into(),
            label: "Plan review due in 4 weeks, overdue, or no plan yet".into(),
            checked: query.plan_review_due,
        },
        Choice { value: "closed".into(), label: "Include closed records".into(), checked: query.include_closed },
    ];
    let mut flags = flags;
    if duty_started {
        flags.insert(
            3,
            Choice {
                value: "assessment".into(),
                label: "Statutory staying close assessment due".into(),
                checked: query.assessment_due,
            },
        );
    }
    let page = ListPage {
        page: Chrome::for_user("Young people", &user, "/young-people"),
        search: q.q.clone(),
        advisers: adviser_choices,
        show_choices: choices(
            [("all", "Everyone"), ("eligible", "Staying Close eligible"), ("not_eligible", "Not eligible")],
            show,
        ),
        statuses,
        flags,
        sort: sort_key.to_owned(),
        order: order.to_owned(),
        summary,
        table,
        previous,
        next,
        as_at: staying_close_domain::dates::format_uk(today),
        can_add: user.can(Permission::AddYoungPerson),
    };
    Ok(Html(page.render()?))
}
