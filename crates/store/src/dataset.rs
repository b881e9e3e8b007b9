//! Loads a whole dataset (the demo, for one) into the database, creating or
//! refreshing it.
//!
//! Refreshing is an upsert keyed on natural keys (LA code, staff email,
//! child ID), so ids stay stable and the demo's dates move with today.

use crate::audit::{Actor, Change};
use crate::write::Written;
use crate::young_people::insert_episodes;
use crate::{LaId, Store, StoreError, YoungPersonId};
use serde_json::json;
use sqlx::Row;
use staying_close_domain::contacts::{join_topics, ContactKind};
use staying_close_domain::dataset::{Dataset, DatasetLa, DatasetStaff, DatasetYoungPerson};
use staying_close_domain::people::Password;
use staying_close_domain::profile::Celebration;
use staying_close_domain::statutory::{join_codes, SupportArea, SupportForm};

/// What a dataset contains, for printing the logins.
#[derive(Debug, Clone)]
pub struct DatasetSummary {
    pub las: Vec<DatasetLaSummary>,
    pub national_logins: Vec<(String, &'static str)>,
}

#[derive(Debug, Clone)]
pub struct DatasetLaSummary {
    pub code: String,
    pub name: String,
    pub young_people: usize,
    /// (email, role label)
    pub logins: Vec<(String, &'static str)>,
}

fn logins(staff: &[DatasetStaff]) -> Vec<(String, &'static str)> {
    staff.iter().map(|s| (s.email.to_string(), s.role.label())).collect()
}

impl Store {
    /// Creates or refreshes every LA, member of staff and young person of
    /// `data`, all with `password`, recorded in the audit trail as `actor`.
    pub async fn load_dataset(
        &self,
        data: &Dataset,
        password: &Password,
        actor: &Actor,
    ) -> Result<DatasetSummary, StoreError> {
        // One hash for every account: hashing is deliberately slow.
        let hash = crate::passwords::hash_password(password)?;
        let data = data.clone();
        let summary = self.write(actor, move |tx| Box::pin(async move { load(tx, &data, &hash).await })).await?;
        // A large load changes the tables' shape: refresh the planner's statistics
        // so lists keep using the right indexes (SQLite has none until asked).
        self.analyze().await?;
        Ok(summary)
    }

    /// Refreshes the planner's statistics for the application's tables. A bare
    /// `ANALYZE` on PostgreSQL also visits the shared catalogues, which only a
    /// superuser may analyse, and the server answers with a notice per catalogue.
    async fn analyze(&self) -> Result<(), StoreError> {
        if self.backend == crate::Backend::Sqlite {
            sqlx::query("ANALYZE").execute(&self.pool).await?;
            return Ok(());
        }
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables
              WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
        )
        .fetch_all(&self.pool)
        .await?;
        // Names come from the catalogue, quoted as identifiers all the same.
        let list: Vec<String> = tables.iter().map(|t| format!("\"{}\"", t.replace('"', "\"\""))).collect();
        if !list.is_empty() {
            sqlx::query(&format!("ANALYZE {}", list.join(", "))).execute(&self.pool).await?;
        }
        Ok(())
    }
}

async fn load(tx: &mut sqlx::AnyConnection, data: &Dataset, hash: &str) -> Result<Written<DatasetSummary>, StoreError> {
    let now = crate::text::now();
    let mut changes = Vec::new();
    let mut summary = DatasetSummary { las: Vec::new(), national_logins: logins(&data.national_staff) };

    for la in &data.las {
        let la_id = LaId(
            sqlx::query(
                "INSERT INTO local_authorities (code, name, caseload_cap, activities_allowance_pence,
                        weekly_support_hours, visit_frequency_days, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, caseload_cap = excluded.caseload_cap,
                        activities_allowance_pence = excluded.activities_allowance_pence,
                        weekly_support_hours = excluded.weekly_support_hours,
                        visit_frequency_days = excluded.visit_frequency_days,
                        updated_at = excluded.updated_at, version = local_authorities.version + 1
                     RETURNING id",
            )
            .bind(la.code.as_str())
            .bind(la.name.as_str())
            .bind(la.settings.caseload_cap as i64)
            .bind(la.settings.activities_allowance.0)
            .bind(la.settings.weekly_support_hours as i64)
            .bind(la.settings.visit_frequency_days as i64)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?,
        );

        // The duty's start date, unless the LA has set one already.
        sqlx::query(
            "UPDATE local_authorities SET staying_close_duty_from = COALESCE(staying_close_duty_from, $2) WHERE id = $1",
        )
        .bind(la_id.0)
        .bind(la.staying_close_duty_from.map(crate::text::date))
        .execute(&mut *tx)
        .await?;
        load_offer(tx, la_id, la, &now).await?;
        load_festivals(tx, la_id, la, &now).await?;
        let mut staff_ids = Vec::with_capacity(la.staff.len());
        for member in &la.staff {
            staff_ids.push(upsert_staff(tx, Some(la_id), member, hash, &now).await?);
        }

        // Whether this LA already has contacts: if not, nothing is replaced.
        let refresh = sqlx::query("SELECT id FROM contacts WHERE la_id = $1 LIMIT 1")
            .bind(la_id.0)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        let mut person_ids = Vec::with_capacity(la.young_people.len());
        for person in &la.young_people {
            let adviser = person.adviser.map(|i| staff_ids[i]);
            let id = YoungPersonId(
                sqlx::query(
                    "INSERT INTO young_people (la_id, child_id, first_name, last_name, date_of_birth, sex, ethnicity,
                            cohort_status, personal_adviser_id, created_at, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
                         ON CONFLICT (la_id, child_id) DO UPDATE SET first_name = excluded.first_name,
                            last_name = excluded.last_name, date_of_birth = excluded.date_of_birth, sex = excluded.sex,
                            ethnicity = excluded.ethnicity, cohort_status = excluded.cohort_status,
                            personal_adviser_id = excluded.personal_adviser_id, updated_at = excluded.updated_at,
                            version = young_people.version + 1
                         RETURNING id",
                )
                .bind(la_id.0)
                .bind(person.child_id.as_str())
                .bind(person.first_name.as_str())
                .bind(person.last_name.as_str())
                .bind(crate::text::date(person.date_of_birth))
                .bind(person.sex.code())
                .bind(person.ethnicity.clone())
                .bind(person.cohort.as_str())
                .bind(adviser)
                .bind(&now)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?,
            );
            sqlx::query("DELETE FROM care_episodes WHERE la_id = $1 AND young_person_id = $2")
                .bind(la_id.0)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            let episodes: Vec<_> = person.episodes.iter().map(|e| (id, e)).collect();
            insert_episodes(tx, la_id, &episodes, &now).await?;
            sqlx::query(
                "UPDATE young_people SET preferred_name = $3, pronouns = $4, home_left = $5, celebrations = $6,
                    staying_close_start = $7, young_parent = $8, expecting = $9 WHERE la_id = $1 AND id = $2",
            )
            .bind(la_id.0)
            .bind(id.0)
            .bind(person.preferred_name.as_ref().map(|n| n.as_str().to_owned()))
            .bind(person.pronouns.clone())
            .bind(person.home_left.clone())
            .bind(Celebration::join(&person.celebrations))
            .bind(person.staying_close_start.map(crate::text::date))
            .bind(i64::from(person.young_parent))
            .bind(i64::from(person.expecting))
            .execute(&mut *tx)
            .await?;
            load_casework(tx, la_id, id, person, &staff_ids, &now, refresh).await?;
            load_plans(tx, la_id, id, person, &staff_ids, &now, refresh).await?;
            load_allocations(tx, la_id, id, person, &staff_ids, &now, refresh).await?;
            load_assessments(tx, la_id, id, person, &staff_ids, &now, refresh).await?;
            load_spends(tx, la_id, id, person, &now, refresh).await?;
            load_celebration_tasks(tx, la_id, id, person, &now, refresh).await?;
            load_trusted_matches(tx, la_id, id, person, &now, refresh).await?;
            load_housing(tx, la_id, id, person, &now, refresh).await?;
            load_eet(tx, la_id, id, person, &now, refresh).await?;
            load_advocacy(tx, la_id, id, person, &now, refresh).await?;
            load_parenting(tx, la_id, id, person, &now, refresh).await?;
            load_health(tx, la_id, id, person, &now, refresh).await?;
            load_involvements(tx, la_id, id, person, &now, refresh).await?;
            person_ids.push(id);
        }

        load_offer_review(tx, la_id, la, &now).await?;
        load_lets(tx, la_id, la, &person_ids, &now).await?;
        load_events(tx, la_id, la, &person_ids, &staff_ids, &now).await?;
        load_funding(tx, la_id, la, &now).await?;
        crate::contact_months::recount_la(tx, la_id).await?;
        let details = json!({ "staff": la.staff.len(), "young_people": la.young_people.len() });
        changes.push(Change {
            la: Some(la_id),
            action: "dataset_refresh",
            entity_type: "local_authority",
            entity_id: Some(la_id.0),
            details,
        });
        summary.las.push(DatasetLaSummary {
            code: la.code.to_string(),
            name: la.name.as_str().to_owned(),
            young_people: la.young_people.len(),
            logins: logins(&la.staff),
        });
    }
    for member in &data.national_staff {
        upsert_staff(tx, None, member, hash, &now).await?;
    }
    Ok(Written::many(summary, changes))
}

/// The database id of the dataset's `index`th member of staff.
fn staff_id(staff_ids: &[i64], index: usize) -> Result<i64, StoreError> {
    staff_ids.get(index).copied().ok_or_else(|| StoreError::Invalid("dataset staff index".into()))
}

/// Replaces the dataset's own contacts (never those staff recorded) and sets
/// the visit schedule from them.
async fn load_casework(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    person: YoungPersonId,
    data: &DatasetYoungPerson,
    staff_ids: &[i64],
    now: &str,
    refresh: bool,
) -> Result<(), StoreError> {
    let made_here = "la_id = $1 AND young_person_id = $2 AND recorded_by IS NULL";
    // The old ones' ids first (an index lookup), then delete by id: the
    // planner never weighs a scan of every contact of the LA, and a first
    // load, with nothing to replace, deletes nothing.
    // A first load (an LA with no contacts yet) has nothing to replace, and
    // never asks the database about contacts person by person: with the
    // table growing inside one transaction, PostgreSQL's plan for such a
    // query is made on the empty table's statistics and scans.
    if refresh {
        let old: Vec<i64> = sqlx::query(&format!("SELECT id FROM contacts WHERE {made_here}"))
            .bind(la.0)
            .bind(person.0)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("id"))
            .collect::<Result<_, _>>()?;
        for chunk in old.chunks(500) {
            let ids: Vec<String> = chunk.iter().map(i64::to_string).collect();
            let list = ids.join(", ");
            sqlx::query(&format!("DELETE FROM contact_staff WHERE contact_id IN ({list})")).execute(&mut *tx).await?;
            sqlx::query(&format!("DELETE FROM contacts WHERE id IN ({list})")).execute(&mut *tx).await?;
        }
    }
    const COLUMNS: usize = 16;
    let staff = |i: i64| staff_id(staff_ids, i as usize);
    let mut new_ids: Vec<i64> = Vec::with_capacity(data.contacts.len());
    for chunk in data.contacts.chunks(crate::batch::rows_per_statement(tx, COLUMNS)) {
        let sql = format!(
            "INSERT INTO contacts (la_id, young_person_id, occurred_on, occurred_time, duration_minutes, kind, topics,
                place, notes, crisis, follow_up, follow_up_owner_id, follow_up_done_on, created_at, support_areas,
                support_forms) VALUES {} RETURNING id",
            crate::batch::placeholders(chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(&sql);
        for c in chunk {
            let contact = &c.contact;
            query = query
                .bind(la.0)
                .bind(person.0)
                .bind(crate::text::date(contact.on))
                .bind(contact.at.map(|t| t.format("%H:%M").to_string()))
                .bind(i64::from(contact.duration_minutes))
                .bind(contact.kind.code())
                .bind(join_topics(&contact.topics))
                .bind(contact.place.clone())
                .bind(contact.notes.clone())
                .bind(i64::from(contact.crisis))
                .bind(contact.follow_up.as_ref().map(|f| f.action.clone()))
                .bind(contact.follow_up.as_ref().map(|f| staff(f.owner)).transpose()?)
                .bind(c.follow_up_done_on.map(crate::text::date))
                .bind(now.to_owned())
                .bind(join_codes(&contact.support_areas, SupportArea::code))
                .bind(join_codes(&contact.support_forms, SupportForm::code));
        }
        for row in query.fetch_all(&mut *tx).await? {
            new_ids.push(row.try_get::<i64, _>(0)?);
        }
    }
    if !new_ids.is_empty() {
        // Ids follow the order the rows were inserted in (one statement at a
        // time, in order), whatever order RETURNING gave them back in.
        new_ids.sort_unstable();
        let mut pairs = Vec::new();
        for (contact_id, c) in new_ids.iter().copied().zip(&data.contacts) {
            for s in &c.contact.staff {
                pairs.push((contact_id, staff(*s)?));
            }
        }
        for chunk in pairs.chunks(crate::batch::rows_per_statement(tx, 3)) {
            let sql = format!(
                "INSERT INTO contact_staff (la_id, contact_id, staff_id) VALUES {}",
                crate::batch::placeholders(chunk.len(), 3)
            );
            let mut query = sqlx::query(&sql);
            for (contact, member) in chunk {
                query = query.bind(la.0).bind(*contact).bind(*member);
            }
            query.execute(&mut *tx).await?;
        }
    }
    sqlx::query("DELETE FROM visit_schedules WHERE la_id = $1 AND young_person_id = $2")
        .bind(la.0)
        .bind(person.0)
        .execute(&mut *tx)
        .await?;
    if let Some(schedule) = data.schedule {
        // The latest home visit: the dataset's own, or (when refreshing) any recorded since.
        let mut last =
            data.contacts.iter().filter(|c| c.contact.kind == ContactKind::HomeVisit).map(|c| c.contact.on).max();
        if refresh {
            let row = sqlx::query(
                "SELECT MAX(occurred_on) AS last FROM contacts WHERE la_id = $1 AND young_person_id = $2 AND kind = 'home_visit'",
            )
            .bind(la.0)
            .bind(person.0)
            .fetch_one(&mut *tx)
            .await?;
            last = last.max(crate::text::parse_optional_date(row.try_get("last")?)?);
        }
        sqlx::query(
            "INSERT INTO visit_schedules (la_id, young_person_id, frequency, starts_on, last_home_visit_on, next_due_on,
                updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(schedule.frequency.code())
        .bind(crate::text::date(schedule.starts_on))
        .bind(last.map(crate::text::date))
        .bind(crate::text::date(schedule.next_due(last)))
        .bind(now.to_owned())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Replaces the dataset's own plans, unless staff have recorded a plan
/// version for the young person since (then theirs stands). Sections, goals
/// and actions go in a few statements per version.
async fn load_plans(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    person: YoungPersonId,
    data: &DatasetYoungPerson,
    staff_ids: &[i64],
    now: &str,
    refresh: bool,
) -> Result<(), StoreError> {
    use staying_close_domain::plan::ActionOwner;
    if refresh {
        let rows = sqlx::query("SELECT id, recorded_by FROM plans WHERE la_id = $1 AND young_person_id = $2")
            .bind(la.0)
            .bind(person.0)
            .fetch_all(&mut *tx)
            .await?;
        if rows.iter().any(|r| r.try_get::<Option<i64>, _>("recorded_by").ok().flatten().is_some()) {
            return Ok(());
        }
        let ids: Vec<String> =
            rows.iter().map(|r| r.try_get::<i64, _>("id").map(|i| i.to_string())).collect::<Result<_, _>>()?;
        if !ids.is_empty() {
            let list = ids.join(", ");
            for sql in [
                format!(
                    "DELETE FROM plan_actions WHERE goal_id IN (SELECT id FROM plan_goals WHERE plan_id IN ({list}))"
                ),
                format!("DELETE FROM plan_goals WHERE plan_id IN ({list})"),
                format!("DELETE FROM plan_sections WHERE plan_id IN ({list})"),
                format!("DELETE FROM plans WHERE id IN ({list})"),
            ] {
                sqlx::query(&sql).execute(&mut *tx).await?;
            }
        }
    }
    let staff = |i: i64| staff_id(staff_ids, i as usize);
    let last = data.plans.len();
    for (n, plan) in data.plans.iter().enumerate() {
        let m = &plan.meeting;
        let plan_id: i64 = sqlx::query(
            "INSERT INTO plans (la_id, young_person_id, number, held_on, review_due_on, took_part, agreed, their_view,
                is_current, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(n as i64 + 1)
        .bind(crate::text::date(m.held_on))
        .bind(crate::text::date(m.review_due_on))
        .bind(i64::from(m.took_part))
        .bind(i64::from(m.agreed))
        .bind(m.their_view.clone())
        .bind(i64::from(n + 1 == last))
        .bind(now.to_owned())
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        if plan.sections.is_empty() {
            continue;
        }
        let sql = format!(
            "INSERT INTO plan_sections (la_id, plan_id, area, going_well, worries, own_words) VALUES {}",
            crate::batch::placeholders(plan.sections.len(), 6)
        );
        let mut query = sqlx::query(&sql);
        for section in &plan.sections {
            query = query
                .bind(la.0)
                .bind(plan_id)
                .bind(section.area.code())
                .bind(section.going_well.clone())
                .bind(section.worries.clone())
                .bind(section.own_words.clone());
        }
        query.execute(&mut *tx).await?;
        let goals: Vec<(&str, usize, &staying_close_domain::plan::Goal)> = plan
            .sections
            .iter()
            .flat_map(|s| s.goals.iter().enumerate().map(move |(i, g)| (s.area.code(), i, g)))
            .collect();
        if goals.is_empty() {
            continue;
        }
        let sql = format!(
            "INSERT INTO plan_goals (la_id, plan_id, area, position, goal) VALUES {} RETURNING id",
            crate::batch::placeholders(goals.len(), 5)
        );
        let mut query = sqlx::query(&sql);
        for (area, position, goal) in &goals {
            query = query.bind(la.0).bind(plan_id).bind(*area).bind(*position as i64).bind(goal.text.clone());
        }
        let mut goal_ids: Vec<i64> =
            query.fetch_all(&mut *tx).await?.iter().map(|r| r.try_get::<i64, _>(0)).collect::<Result<_, _>>()?;
        // Ids follow the order the rows were inserted in, whatever order RETURNING gave.
        goal_ids.sort_unstable();
        let mut actions = Vec::new();
        for (goal_id, (_, _, goal)) in goal_ids.iter().zip(&goals) {
            for (position, action) in goal.actions.iter().enumerate() {
                let owner = match action.owner {
                    ActionOwner::YoungPerson => None,
                    ActionOwner::Staff(i) => Some(staff(i)?),
                };
                actions.push((*goal_id, position as i64, action, owner));
            }
        }
        for chunk in actions.chunks(crate::batch::rows_per_statement(tx, 7)) {
            let sql = format!(
                "INSERT INTO plan_actions (la_id, goal_id, position, action, owner_staff_id, due_on, status) VALUES {}",
                crate::batch::placeholders(chunk.len(), 7)
            );
            let mut query = sqlx::query(&sql);
            for (goal_id, position, action, owner) in chunk {
                query = query
                    .bind(la.0)
                    .bind(*goal_id)
                    .bind(*position)
                    .bind(action.text.clone())
                    .bind(*owner)
                    .bind(action.due_on.map(crate::text::date))
                    .bind(action.status.code());
            }
            query.execute(&mut *tx).await?;
        }
    }
    Ok(())
}

/// Replaces the dataset's own allocations, unless staff have allocated
/// anyone to the young person since (then theirs stand).
async fn load_allocations(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    person: YoungPersonId,
    data: &DatasetYoungPerson,
    staff_ids: &[i64],
    now: &str,
    refresh: bool,
) -> Result<(), StoreError> {
    if refresh {
        let by_staff = sqlx::query(
            "SELECT id FROM allocations WHERE la_id = $1 AND young_person_id = $2 AND recorded_by IS NOT NULL LIMIT 1",
        )
        .bind(la.0)
        .bind(person.0)
        .fetch_optional(&mut *tx)
        .await?;
        if by_staff.is_some() {
            // Theirs stand, and so does the adviser they allocated (the row above was just set from the dataset).
            sqlx::query(
                "UPDATE young_people SET personal_adviser_id = (SELECT a.staff_id FROM allocations a
                    WHERE a.la_id = $1 AND a.young_person_id = $2 AND a.worker_role = 'personal_adviser'
                      AND a.ends_on IS NULL)
                 WHERE la_id = $1 AND id = $2",
            )
            .bind(la.0)
            .bind(person.0)
            .execute(&mut *tx)
            .await?;
            return Ok(());
        }
        // Any before (the dataset's own, or the adviser a migration recorded).
        sqlx::query("DELETE FROM allocations WHERE la_id = $1 AND young_person_id = $2")
            .bind(la.0)
            .bind(person.0)
            .execute(&mut *tx)
            .await?;
    }
    if data.allocations.is_empty() {
        return Ok(());
    }
    let staff = |i: usize| staff_id(staff_ids, i);
    let sql = format!(
        "INSERT INTO allocations (la_id, young_person_id, worker_role, staff_id, starts_on, ends_on, reason, created_at)
         VALUES {}",
        crate::batch::placeholders(data.allocations.len(), 8)
    );
    let mut query = sqlx::query(&sql);
    for a in &data.allocations {
        query = query
            .bind(la.0)
            .bind(person.0)
            .bind(a.role.code())
            .bind(staff(a.staff)?)
            .bind(crate::text::date(a.from))
            .bind(a.to.map(crate::text::date))
            .bind(a.reason.clone())
            .bind(now.to_owned());
    }
    query.execute(&mut *tx).await?;
    Ok(())
}

/// Replaces the dataset's own assessments (never those staff recorded).
async fn load_assessments(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    person: YoungPersonId,
    data: &DatasetYoungPerson,
    staff_ids: &[i64],
    now: &str,
    refresh: bool,
) -> Result<(), StoreError> {
    if refresh {
        sqlx::query(
            "DELETE FROM staying_close_assessments WHERE la_id = $1 AND young_person_id = $2 AND recorded_by IS NULL",
        )
        .bind(la.0)
        .bind(person.0)
        .execute(&mut *tx)
        .await?;
    }
    for a in &data.assessments {
        let by = staff_id(staff_ids, a.assessed_by)?;
        sqlx::query(
            "INSERT INTO staying_close_assessments (la_id, young_person_id, assessed_on, assessed_by, outcome, reasons,
                their_view, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(crate::text::date(a.assessed_on))
        .bind(by)
        .bind(a.outcome.code())
        .bind(a.reasons.clone())
        .bind(a.their_view.clone())
        .bind(now.to_owned())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// The Local Offer's entries, only into an LA that has none (never over what
/// an administrator has written).
async fn load_offer(tx: &mut sqlx::AnyConnection, la: LaId, data: &DatasetLa, now: &str) -> Result<(), StoreError> {
    let any =
        sqlx::query("SELECT id FROM offer_items WHERE la_id = $1 LIMIT 1").bind(la.0).fetch_optional(&mut *tx).await?;
    if any.is_some() {
        return Ok(());
    }
    for item in &data.offer {
        crate::offer::insert_offer_item(tx, la, item, now).await?;
    }
    Ok(())
}

/// The Local Offer's review, only into an LA with none on record; the young
/// people who helped are found by their child IDs.
async fn load_offer_review(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    data: &DatasetLa,
    now: &str,
) -> Result<(), StoreError> {
    let Some((reviewed_on, next_review_on, helpers)) = &data.offer_review else {
        return Ok(());
    };
    let any = sqlx::query("SELECT id FROM offer_reviews WHERE la_id = $1 LIMIT 1")
        .bind(la.0)
        .fetch_optional(&mut *tx)
        .await?;
    if any.is_some() {
        return Ok(());
    }
    let id: i64 = sqlx::query(
        "INSERT INTO offer_reviews (la_id, reviewed_on, next_review_on, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(la.0)
    .bind(crate::text::date(*reviewed_on))
    .bind(crate::text::date(*next_review_on))
    .bind(now.to_owned())
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    for index in helpers {
        let Some(person) = data.young_people.get(*index) else { continue };
        sqlx::query(
            "INSERT INTO offer_review_young_people (la_id, review_id, young_person_id)
             SELECT $1, $2, id FROM young_people WHERE la_id = $1 AND child_id = $3",
        )
        .bind(la.0)
        .bind(id)
        .bind(person.child_id.as_str())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Deletes what the dataset loaded for a young person into `tables` last
/// time (rows no member of staff recorded), before loading it afresh.
async fn forget_dataset_rows(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    person: YoungPersonId,
    tables: &[&str],
) -> Result<(), StoreError> {
    for table in tables {
        sqlx::query(&format!("DELETE FROM {table} WHERE la_id = $1 AND young_person_id = $2 AND recorded_by IS NULL"))
            .bind(la.0)
            .bind(person.0)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Festival dates, into an LA that has none yet.
async fn load_festivals(tx: &mut sqlx::AnyConnection, la: LaId, data: &DatasetLa, now: &str) -> Result<(), StoreError> {
    let any = sqlx::query("SELECT id FROM festival_dates WHERE la_id = $1 LIMIT 1")
        .bind(la.0)
        .fetch_optional(&mut *tx)
        .await?;
    if any.is_some() {
        return Ok(());
    }
    for f in &data.festivals {
        sqlx::query("INSERT INTO festival_dates (la_id, celebration, occurs_on, created_at) VALUES ($1, $2, $3, $4)")
            .bind(la.0)
            .bind(f.celebration.code())
            .bind(crate::text::date(f.on))
            .bind(now.to_owned())
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Replaces the dataset's own celebration tasks (never what staff recorded).
async fn load_celebration_tasks(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    person: YoungPersonId,
    data: &DatasetYoungPerson,
    now: &str,
    refresh: bool,
) -> Result<(), StoreError> {
    if refresh {
        forget_dataset_rows(tx, la, person, &["celebration_tasks"]).await?;
    }
    for chunk in data.celebration_tasks.chunks(crate::batch::rows_per_statement(tx, 9)) {
        let sql = format!(
            "INSERT INTO celebration_tasks (la_id, young_person_id, occasion_on, celebration, kind, budget_pence, note,
                done_on, created_at) VALUES {}",
            crate::batch::placeholders(chunk.len(), 9)
        );
        let mut query = sqlx::query(&sql);
        for (t, done) in chunk {
            query = query
                .bind(la.0)
                .bind(person.0)
                .bind(crate::text::date(t.occasion_on))
                .bind(t.celebration.code())
                .bind(t.kind.code())
                .bind(t.budget.0)
                .bind(t.note.clone())
                .bind(done.map(crate::text::date))
                .bind(now.to_owned());
        }
        query.execute(&mut *tx).await?;
    }
    Ok(())
}

/// Replaces the dataset's own Trusted Person matches (never what staff recorded).
async fn load_trusted_matches(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    person: YoungPersonId,
    data: &DatasetYoungPerson,
    now: &str,
    refresh: bool,
) -> Result<(), StoreError> {
    if refresh {
        forget_dataset_rows(tx, la, person, &["trusted_matches"]).await?;
    }
    for m in &data.trusted_matches {
        sqlx::query(
            "INSERT INTO trusted_matches (la_id, young_person_id, trusted_name, trusted_role, nominated_on, agreed_on,
                next_review_on, ended_on, end_reason, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(m.name.clone())
        .bind(m.role.code())
        .bind(crate::text::date(m.nominated_on))
        .bind(m.agreed_on.map(crate::text::date))
        .bind(m.next_review_on.map(crate::text::date))
        .bind(m.ended_on.map(crate::text::date))
        .bind(m.end_reason.map(|r| r.code()))
        .bind(m.note.clone())
        .bind(now.to_owned())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Replaces the dataset's own stays and housing help (never what staff recorded).
async fn load_housing(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    person: YoungPersonId,
    data: &DatasetYoungPerson,
    now: &str,
    refresh: bool,
) -> Result<(), StoreError> {
    if refresh {
        forget_dataset_rows(tx, la, person, &["accommodation_stays", "housing_interventions"]).await?;
    }
    for s in &data.stays {
        sqlx::query(
            "INSERT INTO accommodation_stays (la_id, young_person_id, accom_code, address, provider, starts_on, ends_on,
                reason_for_move, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(s.code.clone())
        .bind(s.address.clone())
        .bind(s.provider.clone())
        .bind(crate::text::date(s.starts_on))
        .bind(s.ends_on.map(crate::text::date))
        .bind(s.reason_for_move.clone())
        .bind(now.to_owned())
        .execute(&mut *tx)
        .await?;
    }
    for h in &data.housing {
        sqlx::query(
            "INSERT INTO housing_interventions (la_id, young_person_id, done_on, kind, outcome, note, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(crate::text::date(h.on))
        .bind(h.kind.code())
        .bind(h.outcome.code())
        .bind(h.note.clone())
        .bind(now.to_owned())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Replaces the dataset's own activities and EET help (never what staff recorded).
async fn load_eet(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    person: YoungPersonId,
    data: &DatasetYoungPerson,
    now: &str,
    refresh: bool,
) -> Result<(), StoreError> {
    if refresh {
        forget_dataset_rows(tx, la, person, &["eet_activities", "eet_interventions"]).await?;
    }
    for a in &data.activities {
        sqlx::query(
            "INSERT INTO eet_activities (la_id, young_person_id, activ_code, provider, starts_on, ends_on, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(a.code.clone())
        .bind(a.provider.clone())
        .bind(crate::text::date(a.starts_on))
        .bind(a.ends_on.map(crate::text::date))
        .bind(now.to_owned())
        .execute(&mut *tx)
        .await?;
    }
    for e in &data.eet_help {
        sqlx::query(
            "INSERT INTO eet_interventions (la_id, young_person_id, done_on, help, outcome, note, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(crate::text::date(e.on))
        .bind(e.help.code())
        .bind(e.outcome.code())
        .bind(e.note.clone())
        .bind(now.to_owned())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Replaces the dataset's own advocacy referrals (never what staff recorded).
async fn load_advocacy(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    person: YoungPersonId,
    data: &DatasetYoungPerson,
    now: &str,
    refresh: bool,
) -> Result<(), StoreError> {
    if refresh {
        forget_dataset_rows(tx, la, person, &["advocacy_referrals"]).await?;
    }
    for r in &data.advocacy {
        sqlx::query(
            "INSERT INTO advocacy_referrals (la_id, young_person_id, provider, kind, issue, referred_on, started_on,
                closed_on, outcome, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(r.provider.clone())
        .bind(r.kind.code())
        .bind(r.issue.clone())
        .bind(crate::text::date(r.referred_on))
        .bind(r.started_on.map(crate::text::date))
        .bind(r.closed_on.map(crate::text::date))
        .bind(r.outcome.clone())
        .bind(now.to_owned())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Replaces the dataset's own young-parent records (never what staff recorded).
async fn load_parenting(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    person: YoungPersonId,
    data: &DatasetYoungPerson,
    now: &str,
    refresh: bool,
) -> Result<(), StoreError> {
    if refresh {
        forget_dataset_rows(tx, la, person, &["parent_children", "parent_support", "parent_outcomes"]).await?;
    }
    for c in &data.parent_children {
        sqlx::query(
            "INSERT INTO parent_children (la_id, young_person_id, known_as, born_on, due_on, lives_with_parent, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(c.known_as.clone())
        .bind(c.born_on.map(crate::text::date))
        .bind(c.due_on.map(crate::text::date))
        .bind(i64::from(c.lives_with_parent))
        .bind(now.to_owned())
        .execute(&mut *tx)
        .await?;
    }
    for s in &data.parent_support {
        sqlx::query(
            "INSERT INTO parent_support (la_id, young_person_id, given_on, kind, note, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(crate::text::date(s.on))
        .bind(s.kind.code())
        .bind(s.note.clone())
        .bind(now.to_owned())
        .execute(&mut *tx)
        .await?;
    }
    for o in &data.parent_outcomes {
        sqlx::query(
            "INSERT INTO parent_outcomes (la_id, young_person_id, happened_on, kind, note, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(crate::text::date(o.on))
        .bind(o.kind.code())
        .bind(o.note.clone())
        .bind(now.to_owned())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Replaces the dataset's own health records (never what staff recorded).
async fn load_health(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    person: YoungPersonId,
    data: &DatasetYoungPerson,
    now: &str,
    refresh: bool,
) -> Result<(), StoreError> {
    if refresh {
        forget_dataset_rows(tx, la, person, &["health_sessions", "health_referrals", "health_registrations"]).await?;
    }
    for s in &data.health_sessions {
        sqlx::query(
            "INSERT INTO health_sessions (la_id, young_person_id, held_on, kind, minutes, note, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(crate::text::date(s.on))
        .bind(s.kind.code())
        .bind(s.minutes.map(i64::from))
        .bind(s.note.clone())
        .bind(now.to_owned())
        .execute(&mut *tx)
        .await?;
    }
    for r in &data.health_referrals {
        sqlx::query(
            "INSERT INTO health_referrals (la_id, young_person_id, pathway, referred_on, status, outcome, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(r.pathway.code())
        .bind(crate::text::date(r.referred_on))
        .bind(r.status.code())
        .bind(r.outcome.clone())
        .bind(now.to_owned())
        .execute(&mut *tx)
        .await?;
    }
    if let Some(r) = &data.registration {
        // Staff may have saved one already: theirs is kept.
        let kept = sqlx::query("SELECT id FROM health_registrations WHERE la_id = $1 AND young_person_id = $2")
            .bind(la.0)
            .bind(person.0)
            .fetch_optional(&mut *tx)
            .await?;
        if kept.is_none() {
            sqlx::query(
                "INSERT INTO health_registrations (la_id, young_person_id, gp, dentist, passport_given_on, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(la.0)
            .bind(person.0)
            .bind(r.gp.clone())
            .bind(r.dentist.clone())
            .bind(r.passport_given_on.map(crate::text::date))
            .bind(now.to_owned())
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

/// Replaces the dataset's own involvement records (never what staff recorded).
async fn load_involvements(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    person: YoungPersonId,
    data: &DatasetYoungPerson,
    now: &str,
    refresh: bool,
) -> Result<(), StoreError> {
    if refresh {
        forget_dataset_rows(tx, la, person, &["involvements"]).await?;
    }
    for i in &data.involvements {
        sqlx::query(
            "INSERT INTO involvements (la_id, young_person_id, involved_on, kind, note, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(la.0)
        .bind(person.0)
        .bind(crate::text::date(i.on))
        .bind(i.kind.code())
        .bind(i.note.clone())
        .bind(now.to_owned())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Grants and spending, into an LA that has none yet.
async fn load_funding(tx: &mut sqlx::AnyConnection, la: LaId, data: &DatasetLa, now: &str) -> Result<(), StoreError> {
    let any = sqlx::query("SELECT id FROM funding_grants WHERE la_id = $1 LIMIT 1")
        .bind(la.0)
        .fetch_optional(&mut *tx)
        .await?;
    if any.is_some() {
        return Ok(());
    }
    for (year, grants, spend) in &data.funding {
        for g in grants {
            sqlx::query(
                "INSERT INTO funding_grants (la_id, year_start, source, amount_pence, note, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(la.0)
            .bind(i64::from(year.0))
            .bind(g.source.clone())
            .bind(g.amount.0)
            .bind(g.note.clone())
            .bind(now.to_owned())
            .execute(&mut *tx)
            .await?;
        }
        for s in spend {
            sqlx::query(
                "INSERT INTO funding_spend (la_id, year_start, spent_on, description, category, amount_pence, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(la.0)
            .bind(i64::from(year.0))
            .bind(crate::text::date(s.on))
            .bind(s.description.clone())
            .bind(s.category.code())
            .bind(s.amount.0)
            .bind(now.to_owned())
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

/// Group events and who came, into an LA that has none yet.
async fn load_events(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    data: &DatasetLa,
    people: &[YoungPersonId],
    staff: &[i64],
    now: &str,
) -> Result<(), StoreError> {
    let any =
        sqlx::query("SELECT id FROM group_events WHERE la_id = $1 LIMIT 1").bind(la.0).fetch_optional(&mut *tx).await?;
    if any.is_some() {
        return Ok(());
    }
    for (e, came, with) in &data.events {
        let row = sqlx::query(
            "INSERT INTO group_events (la_id, title, kind, held_on, cost_pence, topics, actions, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(la.0)
        .bind(e.title.clone())
        .bind(e.kind.code())
        .bind(crate::text::date(e.on))
        .bind(e.cost.0)
        .bind(e.topics.clone())
        .bind(e.actions.clone())
        .bind(now.to_owned())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        for i in came {
            sqlx::query("INSERT INTO group_attendance (la_id, event_id, young_person_id) VALUES ($1, $2, $3)")
                .bind(la.0)
                .bind(id)
                .bind(people[*i].0)
                .execute(&mut *tx)
                .await?;
        }
        for s in with {
            sqlx::query("INSERT INTO group_staff (la_id, event_id, staff_id) VALUES ($1, $2, $3)")
                .bind(la.0)
                .bind(id)
                .bind(staff[*s])
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}

/// Ring-fenced lets and who lives in them, into an LA that has none yet.
async fn load_lets(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    data: &DatasetLa,
    people: &[YoungPersonId],
    now: &str,
) -> Result<(), StoreError> {
    let any = sqlx::query("SELECT id FROM ring_fenced_lets WHERE la_id = $1 LIMIT 1")
        .bind(la.0)
        .fetch_optional(&mut *tx)
        .await?;
    if any.is_some() {
        return Ok(());
    }
    for (p, occupancies) in &data.lets {
        let row = sqlx::query(
            "INSERT INTO ring_fenced_lets (la_id, address, landlord, bedrooms, status, note, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(la.0)
        .bind(p.address.clone())
        .bind(p.landlord.clone())
        .bind(i64::from(p.bedrooms))
        .bind(p.status.code())
        .bind(p.note.clone())
        .bind(now.to_owned())
        .fetch_one(&mut *tx)
        .await?;
        let let_id: i64 = row.try_get("id")?;
        for (i, o) in occupancies {
            sqlx::query(
                "INSERT INTO let_occupancies (la_id, let_id, young_person_id, starts_on, ends_on, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(la.0)
            .bind(let_id)
            .bind(people[*i].0)
            .bind(crate::text::date(o.starts_on))
            .bind(o.ends_on.map(crate::text::date))
            .bind(now.to_owned())
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

/// Replaces the dataset's own allowance spending (never what staff recorded).
async fn load_spends(
    tx: &mut sqlx::AnyConnection,
    la: LaId,
    person: YoungPersonId,
    data: &DatasetYoungPerson,
    now: &str,
    refresh: bool,
) -> Result<(), StoreError> {
    if refresh {
        forget_dataset_rows(tx, la, person, &["allowance_spends"]).await?;
    }
    for chunk in data.spends.chunks(crate::batch::rows_per_statement(tx, 7)) {
        let sql = format!(
            "INSERT INTO allowance_spends (la_id, young_person_id, spent_on, category, amount_pence, note, created_at)
             VALUES {}",
            crate::batch::placeholders(chunk.len(), 7)
        );
        let mut query = sqlx::query(&sql);
        for s in chunk {
            query = query
                .bind(la.0)
                .bind(person.0)
                .bind(crate::text::date(s.on))
                .bind(s.category.code())
                .bind(s.amount.0)
                .bind(s.note.clone())
                .bind(now.to_owned());
        }
        query.execute(&mut *tx).await?;
    }
    Ok(())
}

async fn upsert_staff(
    conn: &mut sqlx::AnyConnection,
    la: Option<LaId>,
    member: &DatasetStaff,
    hash: &str,
    now: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO staff (la_id, email, display_name, role, password_hash, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $6)
         ON CONFLICT (email) DO UPDATE SET la_id = excluded.la_id, display_name = excluded.display_name,
            role = excluded.role, password_hash = excluded.password_hash, status = 'active',
            updated_at = excluded.updated_at, version = staff.version + 1
         RETURNING id",
    )
    .bind(la.map(|l| l.0))
    .bind(member.email.as_str())
    .bind(member.name.as_str())
    .bind(member.role.as_str())
    .bind(hash)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get(0)?)
}
