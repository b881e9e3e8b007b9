//! Staying Close plans: one row per version, with the meeting that agreed
//! it, and its areas, goals and actions. Only the current version changes;
//! a review copies it into a new current version, so older versions stay
//! exactly as they were agreed. Every write checks the version the form
//! showed, so two people editing the same plan never overwrite each other.

use crate::audit::{Actor, Change};
use crate::contacts::{name_of, require_visible, Caseload};
use crate::text::{date, parse_date, parse_optional_date};
use crate::write::Written;
use crate::young_people::{Viewer, YoungPersonId};
use crate::{LaId, Store, StoreError};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use staying_close_domain::plan::{Action, ActionOwner, ActionStatus, Goal, Meeting, PlanArea, Section};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PlanId(pub i64);

/// One version of a young person's plan, without its areas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanVersion {
    pub id: PlanId,
    pub young_person: YoungPersonId,
    /// 1 for the first plan, then one more for each review.
    pub number: i64,
    pub meeting: Meeting,
    pub is_current: bool,
    pub recorded_by: Option<String>,
    /// When it was last changed (RFC 3339, UTC).
    pub updated_at: String,
    /// For optimistic locking of the current version.
    pub version: i64,
}

/// A version with what each area says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub version: PlanVersion,
    /// Only the areas with something recorded, in area order.
    pub sections: Vec<Section>,
}

/// A plan review due, for My week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReview {
    pub young_person: YoungPersonId,
    pub name: Option<String>,
    pub child_id: String,
    pub adviser_name: Option<String>,
    pub review_due_on: NaiveDate,
}

const PLAN_COLUMNS: &str = "p.id, p.young_person_id, p.number, p.held_on, p.review_due_on, p.took_part, p.agreed,
    p.their_view, p.is_current, p.updated_at, p.version, s.display_name AS recorded_by_name";

fn version_from_row(row: &AnyRow) -> Result<PlanVersion, StoreError> {
    Ok(PlanVersion {
        id: PlanId(row.try_get("id")?),
        young_person: YoungPersonId(row.try_get("young_person_id")?),
        number: row.try_get("number")?,
        meeting: Meeting {
            held_on: parse_date(&row.try_get::<String, _>("held_on")?)?,
            review_due_on: parse_date(&row.try_get::<String, _>("review_due_on")?)?,
            took_part: row.try_get::<i64, _>("took_part")? == 1,
            agreed: row.try_get::<i64, _>("agreed")? == 1,
            their_view: row.try_get("their_view")?,
        },
        is_current: row.try_get::<i64, _>("is_current")? == 1,
        recorded_by: row.try_get("recorded_by_name")?,
        updated_at: row.try_get("updated_at")?,
        version: row.try_get("version")?,
    })
}

fn area_of(code: &str) -> Result<PlanArea, StoreError> {
    PlanArea::parse(code).ok_or_else(|| StoreError::Corrupt(format!("plan area {code:?}")))
}

/// The areas, goals and actions of one version (three queries, by its id).
async fn sections_of(conn: &mut AnyConnection, la: LaId, plan: PlanId) -> Result<Vec<Section>, StoreError> {
    let mut sections: Vec<Section> = Vec::new();
    for r in
        sqlx::query("SELECT area, going_well, worries, own_words FROM plan_sections WHERE la_id = $1 AND plan_id = $2")
            .bind(la.0)
            .bind(plan.0)
            .fetch_all(&mut *conn)
            .await?
    {
        sections.push(Section {
            area: area_of(&r.try_get::<String, _>("area")?)?,
            going_well: r.try_get("going_well")?,
            worries: r.try_get("worries")?,
            own_words: r.try_get("own_words")?,
            goals: Vec::new(),
        });
    }
    let mut goal_ids: Vec<(i64, PlanArea)> = Vec::new();
    for r in
        sqlx::query("SELECT id, area, goal FROM plan_goals WHERE la_id = $1 AND plan_id = $2 ORDER BY area, position")
            .bind(la.0)
            .bind(plan.0)
            .fetch_all(&mut *conn)
            .await?
    {
        let area = area_of(&r.try_get::<String, _>("area")?)?;
        let section = sections
            .iter_mut()
            .find(|s| s.area == area)
            .ok_or_else(|| StoreError::Corrupt("plan goal without its area".into()))?;
        section.goals.push(Goal { text: r.try_get("goal")?, actions: Vec::new() });
        goal_ids.push((r.try_get("id")?, area));
    }
    if !goal_ids.is_empty() {
        for r in sqlx::query(
            "SELECT a.goal_id, a.action, a.owner_staff_id, a.due_on, a.status FROM plan_actions a
             JOIN plan_goals g ON g.la_id = a.la_id AND g.id = a.goal_id
             WHERE g.la_id = $1 AND g.plan_id = $2 ORDER BY a.goal_id, a.position",
        )
        .bind(la.0)
        .bind(plan.0)
        .fetch_all(&mut *conn)
        .await?
        {
            let goal_id: i64 = r.try_get("goal_id")?;
            let status: String = r.try_get("status")?;
            let action = Action {
                text: r.try_get("action")?,
                owner: match r.try_get::<Option<i64>, _>("owner_staff_id")? {
                    Some(id) => ActionOwner::Staff(id),
                    None => ActionOwner::YoungPerson,
                },
                due_on: parse_optional_date(r.try_get("due_on")?)?,
                status: ActionStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("action status {status:?}")))?,
            };
            // Goals are numbered within their area in the order read above.
            let index = goal_ids.iter().position(|(id, _)| *id == goal_id);
            let Some(index) = index else { continue };
            let area = goal_ids[index].1;
            let within = goal_ids[..index].iter().filter(|(_, a)| *a == area).count();
            if let Some(goal) = sections.iter_mut().find(|s| s.area == area).and_then(|s| s.goals.get_mut(within)) {
                goal.actions.push(action);
            }
        }
    }
    sections.sort_by_key(|s| s.area);
    sections.retain(|s| !s.is_empty());
    Ok(sections)
}

/// Writes one area of a version (its row, goals and actions), replacing
/// what was there.
async fn write_section(conn: &mut AnyConnection, la: LaId, plan: PlanId, section: &Section) -> Result<(), StoreError> {
    let area = section.area.code();
    sqlx::query(
        "DELETE FROM plan_actions WHERE la_id = $1 AND goal_id IN
            (SELECT id FROM plan_goals WHERE la_id = $1 AND plan_id = $2 AND area = $3)",
    )
    .bind(la.0)
    .bind(plan.0)
    .bind(area)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM plan_goals WHERE la_id = $1 AND plan_id = $2 AND area = $3")
        .bind(la.0)
        .bind(plan.0)
        .bind(area)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM plan_sections WHERE la_id = $1 AND plan_id = $2 AND area = $3")
        .bind(la.0)
        .bind(plan.0)
        .bind(area)
        .execute(&mut *conn)
        .await?;
    if section.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO plan_sections (la_id, plan_id, area, going_well, worries, own_words) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(la.0)
    .bind(plan.0)
    .bind(area)
    .bind(section.going_well.clone())
    .bind(section.worries.clone())
    .bind(section.own_words.clone())
    .execute(&mut *conn)
    .await?;
    for (g, goal) in section.goals.iter().enumerate() {
        let row = sqlx::query(
            "INSERT INTO plan_goals (la_id, plan_id, area, position, goal) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(la.0)
        .bind(plan.0)
        .bind(area)
        .bind(g as i64)
        .bind(goal.text.clone())
        .fetch_one(&mut *conn)
        .await?;
        let goal_id: i64 = row.try_get("id")?;
        for (a, action) in goal.actions.iter().enumerate() {
            sqlx::query(
                "INSERT INTO plan_actions (la_id, goal_id, position, action, owner_staff_id, due_on, status)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(la.0)
            .bind(goal_id)
            .bind(a as i64)
            .bind(action.text.clone())
            .bind(match action.owner {
                ActionOwner::Staff(id) => Some(id),
                ActionOwner::YoungPerson => None,
            })
            .bind(action.due_on.map(date))
            .bind(action.status.code())
            .execute(&mut *conn)
            .await
            .map_err(StoreError::foreign_key_as("an action's owner must work for the same local authority"))?;
        }
    }
    Ok(())
}

async fn version_by(
    conn: &mut AnyConnection,
    la: LaId,
    person: YoungPersonId,
    number: Option<i64>,
) -> Result<Option<PlanVersion>, StoreError> {
    let which = if number.is_some() { "p.number = $3" } else { "p.is_current = 1 AND $3 = $3" };
    let row = sqlx::query(&format!(
        "SELECT {PLAN_COLUMNS} FROM plans p LEFT JOIN staff s ON s.la_id = p.la_id AND s.id = p.recorded_by
         WHERE p.la_id = $1 AND p.young_person_id = $2 AND {which}"
    ))
    .bind(la.0)
    .bind(person.0)
    .bind(number.unwrap_or(0))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(version_from_row).transpose()
}

/// The current version, checked against the version the form showed.
async fn current_checked(
    conn: &mut AnyConnection,
    la: LaId,
    person: YoungPersonId,
    expected: Option<i64>,
) -> Result<Option<PlanVersion>, StoreError> {
    let current = version_by(conn, la, person, None).await?;
    if current.as_ref().map(|c| c.version) != expected {
        return Err(StoreError::Conflict { what: "The plan" });
    }
    Ok(current)
}

/// The current version, for a change: the young person must be within the
/// viewer's scope and the version the one the form showed.
async fn editable_current(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    person: YoungPersonId,
    expected: i64,
) -> Result<PlanVersion, StoreError> {
    require_visible(conn, viewer, person).await?;
    current_checked(conn, viewer.la, person, Some(expected)).await?.ok_or(StoreError::NotFound { what: "Plan" })
}

/// Marks the current version changed (a new optimistic-locking version) and reads it back.
async fn touched(
    conn: &mut AnyConnection,
    la: LaId,
    person: YoungPersonId,
    plan: PlanId,
) -> Result<PlanVersion, StoreError> {
    sqlx::query("UPDATE plans SET version = version + 1, updated_at = $3 WHERE la_id = $1 AND id = $2")
        .bind(la.0)
        .bind(plan.0)
        .bind(crate::text::now())
        .execute(&mut *conn)
        .await?;
    version_by(conn, la, person, None).await?.ok_or_else(|| StoreError::Corrupt("plan not found after saving".into()))
}

impl Store {
    /// Every version of a young person's plan, newest first, without areas.
    pub async fn plan_versions(&self, la: LaId, person: YoungPersonId) -> Result<Vec<PlanVersion>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {PLAN_COLUMNS} FROM plans p LEFT JOIN staff s ON s.la_id = p.la_id AND s.id = p.recorded_by
             WHERE p.la_id = $1 AND p.young_person_id = $2 ORDER BY p.number DESC"
        ))
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(version_from_row).collect()
    }

    /// One version of a young person's plan with its areas: the current one,
    /// or the one with `number`. The caller has checked the young person is
    /// within the viewer's scope.
    pub async fn plan(&self, la: LaId, person: YoungPersonId, number: Option<i64>) -> Result<Option<Plan>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let Some(version) = version_by(&mut conn, la, person, number).await? else {
            return Ok(None);
        };
        let sections = sections_of(&mut conn, la, version.id).await?;
        Ok(Some(Plan { version, sections }))
    }

    /// Agrees a plan at a meeting: the first version when there is none,
    /// otherwise a review that copies the current version into a new one.
    /// `expected_version` is the current version the form showed (`None`
    /// when there was no plan).
    pub async fn agree_plan(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        expected_version: Option<i64>,
        meeting: &Meeting,
        actor: &Actor,
    ) -> Result<PlanVersion, StoreError> {
        let (viewer, meeting, recorded_by) = (*viewer, meeting.clone(), viewer.staff.map(|s| s.0));
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let la = viewer.la;
                let current = current_checked(tx, la, person, expected_version).await?;
                if let Some(c) = &current {
                    if meeting.held_on < c.meeting.held_on {
                        return Err(StoreError::Invalid("a review cannot come before the plan it reviews".into()));
                    }
                    sqlx::query("UPDATE plans SET is_current = 0 WHERE la_id = $1 AND id = $2")
                        .bind(la.0)
                        .bind(c.id.0)
                        .execute(&mut *tx)
                        .await?;
                }
                let number = current.as_ref().map(|c| c.number + 1).unwrap_or(1);
                let now = crate::text::now();
                let row = sqlx::query(
                    "INSERT INTO plans (la_id, young_person_id, number, held_on, review_due_on, took_part, agreed,
                        their_view, is_current, recorded_by, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $10) RETURNING id",
                )
                .bind(la.0)
                .bind(person.0)
                .bind(number)
                .bind(date(meeting.held_on))
                .bind(date(meeting.review_due_on))
                .bind(i64::from(meeting.took_part))
                .bind(i64::from(meeting.agreed))
                .bind(meeting.their_view.clone())
                .bind(recorded_by)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                let id = PlanId(row.try_get("id")?);
                if let Some(c) = &current {
                    for section in sections_of(tx, la, c.id).await? {
                        write_section(tx, la, id, &section).await?;
                    }
                }
                let saved = version_by(tx, la, person, Some(number))
                    .await?
                    .ok_or_else(|| StoreError::Corrupt("plan not found after saving".into()))?;
                let change = Change {
                    la: Some(la),
                    action: if current.is_some() { "review" } else { "create" },
                    entity_type: "plan",
                    entity_id: Some(id.0),
                    details: json!({
                        "young_person_id": person.0,
                        "number": number,
                        "held_on": date(meeting.held_on),
                        "review_due_on": date(meeting.review_due_on),
                    }),
                };
                Ok(Written::new(saved, change))
            })
        })
        .await
    }

    /// Corrects the meeting details of the current version.
    pub async fn update_plan_meeting(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        expected_version: i64,
        meeting: &Meeting,
        actor: &Actor,
    ) -> Result<PlanVersion, StoreError> {
        let (viewer, meeting) = (*viewer, meeting.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                let la = viewer.la;
                let current = editable_current(tx, &viewer, person, expected_version).await?;
                let before = version_by(tx, la, person, Some(current.number - 1)).await?;
                if before.is_some_and(|b| meeting.held_on < b.meeting.held_on) {
                    return Err(StoreError::Invalid("a review cannot come before the plan it reviews".into()));
                }
                sqlx::query(
                    "UPDATE plans SET held_on = $3, review_due_on = $4, took_part = $5, agreed = $6, their_view = $7
                     WHERE la_id = $1 AND id = $2",
                )
                .bind(la.0)
                .bind(current.id.0)
                .bind(date(meeting.held_on))
                .bind(date(meeting.review_due_on))
                .bind(i64::from(meeting.took_part))
                .bind(i64::from(meeting.agreed))
                .bind(meeting.their_view.clone())
                .execute(&mut *tx)
                .await?;
                let saved = touched(tx, la, person, current.id).await?;
                let change = Change {
                    la: Some(la),
                    action: "update",
                    entity_type: "plan",
                    entity_id: Some(current.id.0),
                    details: json!({
                        "young_person_id": person.0,
                        "number": current.number,
                        "held_on": date(meeting.held_on),
                        "review_due_on": date(meeting.review_due_on),
                        "took_part": meeting.took_part,
                        "agreed": meeting.agreed,
                    }),
                };
                Ok(Written::new(saved, change))
            })
        })
        .await
    }

    /// Saves one area of the current version.
    pub async fn save_plan_section(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        expected_version: i64,
        section: &Section,
        actor: &Actor,
    ) -> Result<PlanVersion, StoreError> {
        let (viewer, section) = (*viewer, section.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                let la = viewer.la;
                let current = editable_current(tx, &viewer, person, expected_version).await?;
                write_section(tx, la, current.id, &section).await?;
                let saved = touched(tx, la, person, current.id).await?;
                let change = Change {
                    la: Some(la),
                    action: "update",
                    entity_type: "plan",
                    entity_id: Some(current.id.0),
                    details: json!({
                        "young_person_id": person.0,
                        "number": current.number,
                        "area": section.area.code(),
                        "goals": section.goals.len(),
                        "actions": section.goals.iter().map(|g| g.actions.len()).sum::<usize>(),
                    }),
                };
                Ok(Written::new(saved, change))
            })
        })
        .await
    }

    /// Current plans whose review is due on or before `until` (so overdue
    /// ones too), earliest first.
    pub async fn plan_reviews_due(
        &self,
        viewer: &Viewer,
        caseload: Caseload,
        until: NaiveDate,
    ) -> Result<Vec<DueReview>, StoreError> {
        let mine = caseload.condition("y.personal_adviser_id", "$4");
        let rows = sqlx::query(&format!(
            "SELECT p.young_person_id, p.review_due_on, y.child_id, y.first_name, y.preferred_name, y.last_name,
                    s.display_name AS adviser_name
             FROM plans p
             JOIN young_people y ON y.la_id = p.la_id AND y.id = p.young_person_id
             LEFT JOIN staff s ON s.la_id = y.la_id AND s.id = y.personal_adviser_id
             WHERE p.la_id = $1 AND p.is_current = 1 AND p.review_due_on <= $3 AND y.cohort_status <> 'closed'
               AND {} {mine}
             ORDER BY p.review_due_on, y.last_name, y.id LIMIT 500",
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
                Ok(DueReview {
                    young_person: YoungPersonId(r.try_get("young_person_id")?),
                    name: name_of(r)?,
                    child_id: r.try_get("child_id")?,
                    adviser_name: r.try_get("adviser_name")?,
                    review_due_on: parse_date(&r.try_get::<String, _>("review_due_on")?)?,
                })
            })
            .collect()
    }
}
