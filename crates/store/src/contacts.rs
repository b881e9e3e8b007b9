//! Contacts and direct work, and each young person's visit schedule. Every
//! query is scoped to the viewer's LA and the young people they may see.
//! Recording a home visit moves the schedule's next due date in the same
//! transaction, so overdue lists read one row per young person, never the
//! contacts themselves.

use crate::audit::{Actor, Change};
use crate::contact_months;
use crate::text::{date, parse_date, parse_optional_date};
use crate::write::Written;
use crate::young_people::{display_name, Viewer, YoungPersonId};
use crate::{LaId, StaffId, Store, StoreError};
use chrono::{NaiveDate, NaiveTime};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use staying_close_domain::contacts::{join_topics, split_topics, Contact, ContactKind, FollowUp, Topic};
use staying_close_domain::statutory::{join_codes, split_areas, split_forms, SupportArea, SupportForm};
use staying_close_domain::visits::{Schedule, VisitFrequency};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContactId(pub i64);

/// A recorded contact, with the names of the staff who were there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredContact {
    pub id: ContactId,
    pub young_person: YoungPersonId,
    pub on: NaiveDate,
    pub at: Option<NaiveTime>,
    pub duration_minutes: u32,
    pub kind: ContactKind,
    pub topics: Vec<Topic>,
    pub place: Option<String>,
    pub notes: Option<String>,
    pub crisis: bool,
    pub follow_up: Option<FollowUp>,
    pub follow_up_done_on: Option<NaiveDate>,
    /// Statutory staying close support given (s.23CZAA).
    pub support_areas: Vec<SupportArea>,
    pub support_forms: Vec<SupportForm>,
    /// (id, name) of each member of staff who was there.
    pub staff: Vec<(StaffId, String)>,
}

/// A young person's visit schedule, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitSchedule {
    pub young_person: YoungPersonId,
    pub schedule: Schedule,
    pub last_home_visit_on: Option<NaiveDate>,
    pub next_due_on: NaiveDate,
    pub version: i64,
}

/// A visit due or overdue, for My week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueVisit {
    pub young_person: YoungPersonId,
    pub name: Option<String>,
    pub child_id: String,
    pub adviser_name: Option<String>,
    pub frequency: VisitFrequency,
    pub last_home_visit_on: Option<NaiveDate>,
    pub next_due_on: NaiveDate,
}

/// A crisis follow-up not yet done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenFollowUp {
    pub contact: ContactId,
    pub young_person: YoungPersonId,
    pub name: Option<String>,
    pub child_id: String,
    pub action: String,
    pub owner_name: String,
    pub since: NaiveDate,
}

/// A birthday coming up, for My week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Birthday {
    pub young_person: YoungPersonId,
    pub name: Option<String>,
    pub child_id: String,
    pub date_of_birth: NaiveDate,
}

/// Whose items My week lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caseload {
    /// Young people whose personal adviser is this member of staff (and, for
    /// follow-ups, those this member of staff owns).
    Of(StaffId),
    /// Everyone the viewer may see: a manager's view of the team.
    Team,
}

impl Caseload {
    /// The SQL condition limiting rows to this caseload: `column` compared
    /// with `param`, which is bound to [`Caseload::staff_id`]. For the team
    /// it is always true (and still uses `param`, so the binds line up).
    pub(crate) fn condition(self, column: &str, param: &str) -> String {
        match self {
            Caseload::Of(_) => format!("AND {column} = {param}"),
            Caseload::Team => format!("AND {param} = {param}"),
        }
    }

    pub(crate) fn staff_id(self) -> i64 {
        match self {
            Caseload::Of(s) => s.0,
            Caseload::Team => 0,
        }
    }
}

const CONTACT_COLUMNS: &str = "c.id, c.young_person_id, c.occurred_on, c.occurred_time, c.duration_minutes, c.kind,
    c.topics, c.place, c.notes, c.crisis, c.follow_up, c.follow_up_owner_id, c.follow_up_done_on, c.support_areas,
    c.support_forms";

fn contact_from_row(row: &AnyRow) -> Result<StoredContact, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(what.to_owned());
    let kind: String = row.try_get("kind")?;
    let time: Option<String> = row.try_get("occurred_time")?;
    let follow_up =
        match (row.try_get::<Option<String>, _>("follow_up")?, row.try_get::<Option<i64>, _>("follow_up_owner_id")?) {
            (Some(action), Some(owner)) => Some(FollowUp { action, owner }),
            _ => None,
        };
    Ok(StoredContact {
        id: ContactId(row.try_get("id")?),
        young_person: YoungPersonId(row.try_get("young_person_id")?),
        on: parse_date(&row.try_get::<String, _>("occurred_on")?)?,
        at: time.map(|t| NaiveTime::parse_from_str(&t, "%H:%M").map_err(|_| corrupt("contact time"))).transpose()?,
        duration_minutes: u32::try_from(row.try_get::<i64, _>("duration_minutes")?)
            .map_err(|_| corrupt("contact duration"))?,
        kind: ContactKind::parse(&kind).ok_or_else(|| corrupt("contact kind"))?,
        topics: split_topics(&row.try_get::<String, _>("topics")?),
        place: row.try_get("place")?,
        notes: row.try_get("notes")?,
        crisis: row.try_get::<i64, _>("crisis")? == 1,
        follow_up,
        follow_up_done_on: parse_optional_date(row.try_get("follow_up_done_on")?)?,
        support_areas: split_areas(&row.try_get::<String, _>("support_areas")?),
        support_forms: split_forms(&row.try_get::<String, _>("support_forms")?),
        staff: Vec::new(),
    })
}

fn schedule_from_row(row: &AnyRow) -> Result<VisitSchedule, StoreError> {
    let frequency: String = row.try_get("frequency")?;
    Ok(VisitSchedule {
        young_person: YoungPersonId(row.try_get("young_person_id")?),
        schedule: Schedule {
            frequency: VisitFrequency::parse(&frequency)
                .map_err(|_| StoreError::Corrupt(format!("visit frequency {frequency:?}")))?,
            starts_on: parse_date(&row.try_get::<String, _>("starts_on")?)?,
        },
        last_home_visit_on: parse_optional_date(row.try_get("last_home_visit_on")?)?,
        next_due_on: parse_date(&row.try_get::<String, _>("next_due_on")?)?,
        version: row.try_get("version")?,
    })
}

/// Checks, inside a write, that `viewer` may see the young person.
pub(crate) async fn require_visible(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    person: YoungPersonId,
) -> Result<(), StoreError> {
    let found = sqlx::query(&format!(
        "SELECT y.id FROM young_people y WHERE y.la_id = $1 AND y.id = $2 AND {}",
        viewer.clause("$3")
    ))
    .bind(viewer.la.0)
    .bind(person.0)
    .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
    .fetch_optional(&mut *conn)
    .await?;
    found.map(|_| ()).ok_or(StoreError::NotFound { what: "Young person" })
}

/// The latest home visit on record for a young person.
async fn last_home_visit(
    conn: &mut AnyConnection,
    la: LaId,
    person: YoungPersonId,
) -> Result<Option<NaiveDate>, StoreError> {
    let row = sqlx::query(
        "SELECT MAX(occurred_on) AS last FROM contacts WHERE la_id = $1 AND young_person_id = $2 AND kind = 'home_visit'",
    )
    .bind(la.0)
    .bind(person.0)
    .fetch_one(&mut *conn)
    .await?;
    parse_optional_date(row.try_get("last")?)
}

const SCHEDULE_COLUMNS: &str = "young_person_id, frequency, starts_on, last_home_visit_on, next_due_on, version";

impl Store {
    /// The LA's staff ids, for checking who a form names.
    pub async fn staff_ids(&self, la: LaId) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query("SELECT id FROM staff WHERE la_id = $1 AND status = 'active' ORDER BY id")
            .bind(la.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get::<i64, _>("id")?)).collect()
    }

    /// Records a contact for a young person `viewer` may see. A home visit
    /// moves their visit schedule on.
    pub async fn record_contact(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        contact: &Contact,
        actor: &Actor,
    ) -> Result<ContactId, StoreError> {
        let (viewer, contact, recorded_by) = (*viewer, contact.clone(), viewer.staff.map(|s| s.0));
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let la = viewer.la;
                let counted = contact_months::before_change(tx, la, person).await?;
                let row = sqlx::query(
                    "INSERT INTO contacts (la_id, young_person_id, occurred_on, occurred_time, duration_minutes, kind,
                        topics, place, notes, crisis, follow_up, follow_up_owner_id, recorded_by, created_at,
                        support_areas, support_forms)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
                )
                .bind(la.0)
                .bind(person.0)
                .bind(date(contact.on))
                .bind(contact.at.map(|t| t.format("%H:%M").to_string()))
                .bind(i64::from(contact.duration_minutes))
                .bind(contact.kind.code())
                .bind(join_topics(&contact.topics))
                .bind(contact.place.clone())
                .bind(contact.notes.clone())
                .bind(i64::from(contact.crisis))
                .bind(contact.follow_up.as_ref().map(|f| f.action.clone()))
                .bind(contact.follow_up.as_ref().map(|f| f.owner))
                .bind(recorded_by)
                .bind(crate::text::now())
                .bind(join_codes(&contact.support_areas, SupportArea::code))
                .bind(join_codes(&contact.support_forms, SupportForm::code))
                .fetch_one(&mut *tx)
                .await
                .map_err(StoreError::foreign_key_as("everyone named must work for the same local authority"))?;
                let id = ContactId(row.try_get("id")?);
                for staff in &contact.staff {
                    sqlx::query("INSERT INTO contact_staff (la_id, contact_id, staff_id) VALUES ($1, $2, $3)")
                        .bind(la.0)
                        .bind(id.0)
                        .bind(*staff)
                        .execute(&mut *tx)
                        .await
                        .map_err(StoreError::foreign_key_as("everyone named must work for the same local authority"))?;
                }
                if contact.kind == ContactKind::HomeVisit {
                    refresh_schedule(tx, la, person).await?;
                }
                contact_months::after_change(tx, la, person, counted).await?;
                let change = Change {
                    la: Some(la),
                    action: "create",
                    entity_type: "contact",
                    entity_id: Some(id.0),
                    details: json!({
                        "young_person_id": person.0,
                        "kind": contact.kind.code(),
                        "duration_minutes": contact.duration_minutes,
                        "crisis": contact.crisis,
                        "support_areas": join_codes(&contact.support_areas, SupportArea::code),
                    }),
                };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    /// A young person's contacts, latest first, a page at a time.
    pub async fn contacts_for(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<StoredContact>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts c
             JOIN young_people y ON y.la_id = c.la_id AND y.id = c.young_person_id
             WHERE c.la_id = $1 AND c.young_person_id = $2 AND {}
             ORDER BY c.occurred_on DESC, c.occurred_time DESC, c.id DESC LIMIT $4 OFFSET $5",
            viewer.clause("$3")
        ))
        .bind(viewer.la.0)
        .bind(person.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        let mut contacts: Vec<StoredContact> = rows.iter().map(contact_from_row).collect::<Result<_, _>>()?;
        if contacts.is_empty() {
            return Ok(contacts);
        }
        // Who was there, for this page only.
        let ids: Vec<String> = contacts.iter().map(|c| c.id.0.to_string()).collect();
        let rows = sqlx::query(&format!(
            // By contact id (the primary key): these contacts were found in the viewer's scope above.
            "SELECT cs.contact_id, s.id, s.display_name FROM contact_staff cs
             JOIN staff s ON s.id = cs.staff_id AND s.la_id = $1
             WHERE cs.contact_id IN ({}) ORDER BY s.display_name",
            ids.join(", ")
        ))
        .bind(viewer.la.0)
        .fetch_all(&self.pool)
        .await?;
        for row in rows {
            let contact = ContactId(row.try_get("contact_id")?);
            if let Some(c) = contacts.iter_mut().find(|c| c.id == contact) {
                c.staff.push((StaffId(row.try_get("id")?), row.try_get("display_name")?));
            }
        }
        Ok(contacts)
    }

    /// Staff who worked with a young person most recently (from their last
    /// 50 contacts), newest first: the people a quick-add form offers.
    pub async fn recent_contact_staff(
        &self,
        la: LaId,
        person: YoungPersonId,
    ) -> Result<Vec<(StaffId, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.id, s.display_name, MAX(c.occurred_on) AS last FROM contacts c
             JOIN contact_staff cs ON cs.contact_id = c.id
             JOIN staff s ON s.id = cs.staff_id AND s.la_id = c.la_id
             WHERE c.id IN (SELECT id FROM contacts WHERE la_id = $1 AND young_person_id = $2
                            ORDER BY occurred_on DESC LIMIT 50)
               AND s.status = 'active'
             GROUP BY s.id, s.display_name ORDER BY last DESC, s.display_name",
        )
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((StaffId(r.try_get("id")?), r.try_get("display_name")?))).collect()
    }

    /// How many contacts a young person has on record.
    pub async fn contact_count(&self, la: LaId, person: YoungPersonId) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM contacts WHERE la_id = $1 AND young_person_id = $2")
            .bind(la.0)
            .bind(person.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Minutes of contact with a young person from `from` to `to` inclusive.
    pub async fn contact_minutes(
        &self,
        la: LaId,
        person: YoungPersonId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32, StoreError> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(duration_minutes), 0) AS BIGINT) AS minutes FROM contacts
             WHERE la_id = $1 AND young_person_id = $2 AND occurred_on >= $3 AND occurred_on <= $4",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(date(from))
        .bind(date(to))
        .fetch_one(&self.pool)
        .await?;
        let minutes: i64 = row.try_get("minutes")?;
        Ok(u32::try_from(minutes).unwrap_or(u32::MAX))
    }

    /// Minutes of contact per young person from `from` to `to`, for the
    /// young people of `caseload` (one grouped query).
    pub async fn contact_minutes_by_young_person(
        &self,
        viewer: &Viewer,
        caseload: Caseload,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(YoungPersonId, u32)>, StoreError> {
        let mine = caseload.condition("y.personal_adviser_id", "$5");
        let rows = sqlx::query(&format!(
            "SELECT c.young_person_id, CAST(SUM(c.duration_minutes) AS BIGINT) AS minutes FROM contacts c
             JOIN young_people y ON y.la_id = c.la_id AND y.id = c.young_person_id
             WHERE c.la_id = $1 AND c.occurred_on >= $3 AND c.occurred_on <= $4 AND {} {mine}
             GROUP BY c.young_person_id",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(date(from))
        .bind(date(to))
        .bind(caseload.staff_id())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let minutes: i64 = r.try_get("minutes")?;
                Ok((YoungPersonId(r.try_get("young_person_id")?), u32::try_from(minutes).unwrap_or(u32::MAX)))
            })
            .collect()
    }

    /// A young person's visit schedule, if one is set.
    pub async fn visit_schedule(&self, la: LaId, person: YoungPersonId) -> Result<Option<VisitSchedule>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {SCHEDULE_COLUMNS} FROM visit_schedules WHERE la_id = $1 AND young_person_id = $2"
        ))
        .bind(la.0)
        .bind(person.0)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(schedule_from_row).transpose()
    }

    /// Sets (or changes) a young person's visit schedule. `expected_version`
    /// is the version the form showed, `None` when there was no schedule.
    pub async fn set_visit_schedule(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        expected_version: Option<i64>,
        schedule: Schedule,
        actor: &Actor,
    ) -> Result<VisitSchedule, StoreError> {
        let viewer = *viewer;
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let la = viewer.la;
                let current = sqlx::query("SELECT version FROM visit_schedules WHERE la_id = $1 AND young_person_id = $2")
                    .bind(la.0)
                    .bind(person.0)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r| r.try_get::<i64, _>("version"))
                    .transpose()?;
                if current != expected_version {
                    return Err(StoreError::Conflict { what: "The visit schedule" });
                }
                let counted = contact_months::before_change(tx, la, person).await?;
                let last = last_home_visit(tx, la, person).await?;
                let next = schedule.next_due(last);
                let now = crate::text::now();
                let sql = if current.is_some() {
                    "UPDATE visit_schedules SET frequency = $3, starts_on = $4, last_home_visit_on = $5, next_due_on = $6,
                        updated_at = $7, version = version + 1 WHERE la_id = $1 AND young_person_id = $2"
                } else {
                    "INSERT INTO visit_schedules (la_id, young_person_id, frequency, starts_on, last_home_visit_on,
                        next_due_on, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                };
                sqlx::query(sql)
                    .bind(la.0)
                    .bind(person.0)
                    .bind(schedule.frequency.code())
                    .bind(date(schedule.starts_on))
                    .bind(last.map(date))
                    .bind(date(next))
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                let row = sqlx::query(&format!(
                    "SELECT {SCHEDULE_COLUMNS} FROM visit_schedules WHERE la_id = $1 AND young_person_id = $2"
                ))
                .bind(la.0)
                .bind(person.0)
                .fetch_one(&mut *tx)
                .await?;
                let saved = schedule_from_row(&row)?;
                contact_months::after_change(tx, la, person, counted).await?;
                let change = Change {
                    la: Some(la),
                    action: if current.is_some() { "update" } else { "create" },
                    entity_type: "visit_schedule",
                    entity_id: Some(person.0),
                    details: json!({ "frequency": schedule.frequency.code(), "starts_on": date(schedule.starts_on) }),
                };
                Ok(Written::new(saved, change))
            })
        })
        .await
    }

    /// Home visits due on or before `until` (so overdue ones too), earliest first.
    pub async fn visits_due(
        &self,
        viewer: &Viewer,
        caseload: Caseload,
        until: NaiveDate,
    ) -> Result<Vec<DueVisit>, StoreError> {
        let mine = caseload.condition("y.personal_adviser_id", "$4");
        let rows = sqlx::query(&format!(
            "SELECT v.young_person_id, v.frequency, v.last_home_visit_on, v.next_due_on, y.child_id, y.first_name,
                    y.preferred_name, y.last_name, s.display_name AS adviser_name
             FROM visit_schedules v
             JOIN young_people y ON y.la_id = v.la_id AND y.id = v.young_person_id
             LEFT JOIN staff s ON s.la_id = y.la_id AND s.id = y.personal_adviser_id
             WHERE v.la_id = $1 AND v.next_due_on <= $3 AND y.cohort_status <> 'closed' AND {} {mine}
             ORDER BY v.next_due_on, y.last_name, y.id",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(date(until))
        .bind(caseload.staff_id())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let frequency: String = r.try_get("frequency")?;
                Ok(DueVisit {
                    young_person: YoungPersonId(r.try_get("young_person_id")?),
                    name: name_of(r)?,
                    child_id: r.try_get("child_id")?,
                    adviser_name: r.try_get("adviser_name")?,
                    frequency: VisitFrequency::parse(&frequency)
                        .map_err(|_| StoreError::Corrupt(format!("visit frequency {frequency:?}")))?,
                    last_home_visit_on: parse_optional_date(r.try_get("last_home_visit_on")?)?,
                    next_due_on: parse_date(&r.try_get::<String, _>("next_due_on")?)?,
                })
            })
            .collect()
    }

    /// Crisis follow-ups not yet done: those a member of staff owns, or the team's.
    pub async fn open_follow_ups(&self, viewer: &Viewer, caseload: Caseload) -> Result<Vec<OpenFollowUp>, StoreError> {
        let mine = caseload.condition("c.follow_up_owner_id", "$3");
        let rows = sqlx::query(&format!(
            "SELECT c.id, c.young_person_id, c.follow_up, c.occurred_on, y.child_id, y.first_name, y.preferred_name,
                    y.last_name, s.display_name AS owner_name
             FROM contacts c
             JOIN young_people y ON y.la_id = c.la_id AND y.id = c.young_person_id
             JOIN staff s ON s.la_id = c.la_id AND s.id = c.follow_up_owner_id
             WHERE c.la_id = $1 AND c.crisis = 1 AND c.follow_up_done_on IS NULL AND {} {mine}
             ORDER BY c.occurred_on, c.id",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(caseload.staff_id())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OpenFollowUp {
                    contact: ContactId(r.try_get("id")?),
                    young_person: YoungPersonId(r.try_get("young_person_id")?),
                    name: name_of(r)?,
                    child_id: r.try_get("child_id")?,
                    action: r.try_get("follow_up")?,
                    owner_name: r.try_get("owner_name")?,
                    since: parse_date(&r.try_get::<String, _>("occurred_on")?)?,
                })
            })
            .collect()
    }

    /// Marks a crisis follow-up as done.
    pub async fn complete_follow_up(
        &self,
        viewer: &Viewer,
        contact: ContactId,
        on: NaiveDate,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let viewer = *viewer;
        self.write(actor, move |tx| {
            Box::pin(async move {
                let row =
                    sqlx::query("SELECT young_person_id FROM contacts WHERE la_id = $1 AND id = $2 AND crisis = 1")
                        .bind(viewer.la.0)
                        .bind(contact.0)
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(StoreError::NotFound { what: "Follow-up" })?;
                let person = YoungPersonId(row.try_get("young_person_id")?);
                require_visible(tx, &viewer, person).await.map_err(|_| StoreError::NotFound { what: "Follow-up" })?;
                sqlx::query(
                    "UPDATE contacts SET follow_up_done_on = $3, version = version + 1
                     WHERE la_id = $1 AND id = $2 AND follow_up_done_on IS NULL",
                )
                .bind(viewer.la.0)
                .bind(contact.0)
                .bind(date(on))
                .execute(&mut *tx)
                .await?;
                let change = Change {
                    la: Some(viewer.la),
                    action: "update",
                    entity_type: "contact",
                    entity_id: Some(contact.0),
                    details: json!({ "follow_up_done_on": date(on), "young_person_id": person.0 }),
                };
                Ok(Written::new((), change))
            })
        })
        .await
    }

    /// Birthdays from `from` for `days` days (at most a year), in date order.
    pub async fn birthdays(
        &self,
        viewer: &Viewer,
        caseload: Caseload,
        from: NaiveDate,
        days: i64,
    ) -> Result<Vec<Birthday>, StoreError> {
        let to = from + chrono::Duration::days(days.clamp(0, 365));
        let (a, b) = (from.format("%m-%d").to_string(), to.format("%m-%d").to_string());
        // The window may cross the new year: then it is "after a or before b".
        let window = if a <= b {
            "substr(y.date_of_birth, 6, 5) >= $3 AND substr(y.date_of_birth, 6, 5) <= $4"
        } else {
            "(substr(y.date_of_birth, 6, 5) >= $3 OR substr(y.date_of_birth, 6, 5) <= $4)"
        };
        let mine = caseload.condition("y.personal_adviser_id", "$5");
        let rows = sqlx::query(&format!(
            "SELECT y.id, y.child_id, y.first_name, y.preferred_name, y.last_name, y.date_of_birth FROM young_people y
             WHERE y.la_id = $1 AND y.cohort_status <> 'closed' AND {window} AND {} {mine}",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(a)
        .bind(b)
        .bind(caseload.staff_id())
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<Birthday> = rows
            .iter()
            .map(|r| {
                Ok(Birthday {
                    young_person: YoungPersonId(r.try_get("id")?),
                    name: name_of(r)?,
                    child_id: r.try_get("child_id")?,
                    date_of_birth: parse_date(&r.try_get::<String, _>("date_of_birth")?)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        out.sort_by_key(|b| next_birthday(b.date_of_birth, from));
        Ok(out)
    }
}

/// The first birthday on or after `from` (29 February counts on 28 February
/// in other years, as the leap-day rule for ages does).
pub fn next_birthday(dob: NaiveDate, from: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let on = |year: i32| {
        NaiveDate::from_ymd_opt(year, dob.month(), dob.day())
            .or_else(|| NaiveDate::from_ymd_opt(year, dob.month(), dob.day() - 1))
            .unwrap_or(from)
    };
    let this_year = on(from.year());
    if this_year >= from {
        this_year
    } else {
        on(from.year() + 1)
    }
}

pub(crate) fn name_of(r: &AnyRow) -> Result<Option<String>, StoreError> {
    let first: String = r.try_get("first_name")?;
    let preferred: Option<String> = r.try_get("preferred_name")?;
    let last: String = r.try_get("last_name")?;
    Ok(display_name(&first, preferred.as_deref(), &last))
}

/// Recomputes a schedule's latest visit and next due date after a home visit.
async fn refresh_schedule(conn: &mut AnyConnection, la: LaId, person: YoungPersonId) -> Result<(), StoreError> {
    let Some(row) = sqlx::query(&format!(
        "SELECT {SCHEDULE_COLUMNS} FROM visit_schedules WHERE la_id = $1 AND young_person_id = $2"
    ))
    .bind(la.0)
    .bind(person.0)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    let current = schedule_from_row(&row)?;
    let last = last_home_visit(conn, la, person).await?;
    let next = current.schedule.next_due(last);
    sqlx::query(
        "UPDATE visit_schedules SET last_home_visit_on = $3, next_due_on = $4 WHERE la_id = $1 AND young_person_id = $2",
    )
    .bind(la.0)
    .bind(person.0)
    .bind(last.map(date))
    .bind(date(next))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
