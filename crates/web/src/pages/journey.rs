//! The Journey Tracker: one printable timeline of a young person's care,
//! moves, milestones, plan versions, contacts, crises and allowance spending,
//! filterable by kind.

use crate::components::{choices, Choice};
use crate::identity::CurrentUser;
use crate::layout::Chrome;
use crate::pages::young_people::today;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::Extension;
use serde::Deserialize;
use staying_close_domain::journey::{
    activity_entry, advocacy_entries, care_entries, celebration_entry, contact_entry, eet_help_entry, housing_entry,
    in_order, milestones, plan_entry, spend_entry, stay_entry, support_entry, trusted_entries, when, EntryKind,
    KeyDates,
};
use staying_close_store::YoungPersonId;

/// Most contacts the timeline reads: ten years of weekly contact.
const MOST_CONTACTS: i64 = 600;

#[derive(Deserialize, Default)]
pub struct JourneyQuery {
    #[serde(default)]
    show: String,
}

struct Line {
    when: String,
    kind: &'static str,
    colour: &'static str,
    title: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "journey.html")]
struct JourneyPage {
    page: Chrome,
    id: i64,
    name: String,
    show: Vec<Choice>,
    lines: Vec<Line>,
    shown_kind: String,
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(q): Query<JourneyQuery>,
) -> Result<Html<String>, AppError> {
    let viewer = user.viewer().ok_or(AppError::NotFound)?;
    let id = YoungPersonId(id.parse().map_err(|_| AppError::NotFound)?);
    let person = state.store.open_young_person(&viewer, &user.actor(), id, "journey").await?;
    let filter = EntryKind::parse(&q.show);
    let mut entries = Vec::new();
    if filter.is_none_or(|k| k == EntryKind::Care) {
        entries.extend(care_entries(&state.store.episodes(viewer.la, person.id).await?));
    }
    if filter.is_none_or(|k| k == EntryKind::Milestone) {
        let d = &person.details;
        let dates = KeyDates {
            care_ended_on: d.care_ended_on,
            staying_close_start: d.staying_close_start,
            staying_close_end: d.staying_close_end,
            closed: d.closed.as_ref().map(|c| (c.on, c.reason.label().to_owned())),
        };
        entries.extend(milestones(person.date_of_birth, &dates, today()));
    }
    if filter.is_none_or(|k| k == EntryKind::Plan) {
        let versions = state.store.plan_versions(viewer.la, person.id).await?;
        entries.extend(versions.iter().map(|v| plan_entry(v.number, &v.meeting)));
    }
    if filter.is_none_or(|k| k == EntryKind::Allowance) {
        // Everything spent from their allowance, since Staying Close began for them (or ever).
        let since = person.details.staying_close_start.unwrap_or(person.date_of_birth);
        let spends = state.store.spends(viewer.la, person.id, since, today()).await?;
        entries.extend(spends.iter().map(|s| spend_entry(&s.spend)));
    }
    if filter.is_none_or(|k| k == EntryKind::Support) {
        for m in state.store.trusted_matches(viewer.la, person.id).await? {
            entries.extend(trusted_entries(&m.trusted));
        }
        let helps = state.store.housing_interventions(viewer.la, person.id).await?;
        entries.extend(helps.iter().map(|h| housing_entry(&h.intervention)));
        for r in state.store.advocacy_referrals(viewer.la, person.id).await? {
            entries.extend(advocacy_entries(&r.referral));
        }
        let parenting = state.store.parent_records(viewer.la, person.id).await?;
        for (_, s, _) in &parenting.support {
            entries.push(support_entry(
                s.on,
                &format!("Parenting support: {}", s.kind.label().to_lowercase()),
                s.note.as_deref(),
            ));
        }
        for (_, o, _) in &parenting.outcomes {
            entries.push(support_entry(o.on, o.kind.label(), Some(&o.note)));
        }
        // Special-category data: only for those who may see health records.
        if user.can(staying_close_domain::permissions::Permission::ViewHealth) {
            let health = state.store.health_records(viewer.la, person.id).await?;
            for (_, s, _) in &health.sessions {
                entries.push(support_entry(s.on, s.kind.label(), None));
            }
            for (_, r, _) in &health.referrals {
                let title = format!("Referred to {}", r.pathway.label().to_lowercase());
                entries.push(support_entry(r.referred_on, &title, Some(r.status.label())));
            }
            let audit = serde_json::json!({ "young_person_id": person.id.0, "special_category": true });
            state.store.record_bulk_read(&user.actor(), viewer.la, "health", "journey", audit, health.ids()).await?;
        }
        for (_, e) in state.store.events_attended(viewer.la, person.id).await? {
            entries.push(support_entry(e.on, &format!("Came to {}", e.title), Some(e.kind.label())));
        }
        for i in state.store.involvements_of(viewer.la, person.id).await? {
            entries.push(support_entry(i.on, i.kind.label(), i.note.as_deref()));
        }
        let activities = state.store.eet_activities(viewer.la, person.id).await?;
        entries.extend(activities.iter().map(|a| activity_entry(&a.activity)));
        let eet_help = state.store.eet_interventions(viewer.la, person.id).await?;
        entries.extend(eet_help.iter().map(|e| eet_help_entry(&e.intervention)));
    }
    if filter.is_none_or(|k| k == EntryKind::Care) {
        let stays = state.store.accommodation_stays(viewer.la, person.id).await?;
        entries.extend(stays.iter().map(|s| stay_entry(&s.stay)));
    }
    if filter.is_none_or(|k| k == EntryKind::Celebration) {
        let since = person.details.staying_close_start.unwrap_or(person.date_of_birth);
        let tasks = state.store.celebration_tasks(viewer.la, person.id, since).await?;
        entries.extend(tasks.iter().filter_map(|t| t.done_on.map(|on| celebration_entry(&t.task, on))));
    }
    if filter.is_none_or(|k| matches!(k, EntryKind::Contact | EntryKind::Crisis)) {
        let contacts = state.store.contacts_for(&viewer, person.id, MOST_CONTACTS, 0).await?;
        let ids = contacts.iter().map(|c| c.id.0).collect();
        let audit = serde_json::json!({ "young_person_id": person.id.0, "via": "journey" });
        state.store.record_bulk_read(&user.actor(), viewer.la, "contact", "journey", audit, ids).await?;
        entries.extend(contacts.iter().map(|c| {
            let follow_up = c.follow_up.as_ref().map(|f| f.action.as_str());
            contact_entry(c.on, c.kind, c.duration_minutes, &c.topics, follow_up, c.crisis)
        }));
    }
    let lines = in_order(entries)
        .into_iter()
        .filter(|e| filter.is_none_or(|k| k == e.kind))
        .map(|e| Line {
            when: when(e.on),
            kind: e.kind.label(),
            colour: match e.kind {
                EntryKind::Care => "blue",
                EntryKind::Milestone => "purple",
                EntryKind::Plan => "green",
                EntryKind::Allowance => "yellow",
                EntryKind::Celebration => "pink",
                EntryKind::Support => "turquoise",
                EntryKind::Contact => "grey",
                EntryKind::Crisis => "red",
            },
            title: e.title,
            detail: e.detail,
        })
        .collect();
    let selected = filter.map(EntryKind::code).unwrap_or("all");
    let mut options = vec![("all", "Everything")];
    options.extend(EntryKind::ALL.iter().map(|k| (k.code(), k.label())));
    let name = person.display_name().unwrap_or_else(|| format!("child ID {}", person.child_id));
    let page = JourneyPage {
        page: Chrome::for_user(format!("Journey of {name}"), &user, "/young-people"),
        id: person.id.0,
        name,
        show: choices(options, selected),
        lines,
        shown_kind: filter.map(|k| k.label().to_lowercase()).unwrap_or_default(),
    };
    Ok(Html(page.render()?))
}
