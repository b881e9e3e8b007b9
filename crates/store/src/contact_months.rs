//! Each LA's contacts counted by month (`contact_months`), kept in step with
//! the contacts and visit schedules (ADR 0014).
//!
//! A write that changes a young person's contacts or schedule locks the
//! young person, counts their contacts before and after the change (the
//! rules are `domain::contact_months`) and adds the difference to the LA's
//! rows, in key order, in the same transaction. A dataset load, and the
//! migration that made the table, count an LA's contacts afresh.

use crate::text::parse_date;
use crate::{LaId, Store, StoreError, YoungPersonId};
use sqlx::{AnyConnection, Row};
use staying_close_domain::contact_months::{difference, tally, ContactFact, MonthKey, Tallies, Tally};
use staying_close_domain::report::ContactGroup;
use staying_close_domain::visits::{Schedule, VisitFrequency};
use std::collections::HashMap;

const FACTS: &str = "young_person_id, occurred_on, kind, topics, support_areas, support_forms, duration_minutes";

fn fact_of(r: &sqlx::any::AnyRow) -> Result<(i64, ContactFact), StoreError> {
    Ok((
        r.try_get("young_person_id")?,
        ContactFact {
            on: parse_date(&r.try_get::<String, _>("occurred_on")?)?,
            kind: r.try_get("kind")?,
            topics: r.try_get("topics")?,
            areas: r.try_get("support_areas")?,
            forms: r.try_get("support_forms")?,
            minutes: r.try_get("duration_minutes")?,
        },
    ))
}

fn schedule_of(r: &sqlx::any::AnyRow) -> Result<(i64, Schedule), StoreError> {
    let frequency: String = r.try_get("frequency")?;
    Ok((
        r.try_get("young_person_id")?,
        Schedule {
            frequency: VisitFrequency::parse(&frequency)
                .map_err(|_| StoreError::Corrupt(format!("visit frequency {frequency:?}")))?,
            starts_on: parse_date(&r.try_get::<String, _>("starts_on")?)?,
        },
    ))
}

/// Before a change to a young person's contacts or visit schedule: holds
/// their row until the transaction ends (so two changes to the same young
/// person count one after the other) and counts their contacts.
pub(crate) async fn before_change(
    conn: &mut AnyConnection,
    la: LaId,
    person: YoungPersonId,
) -> Result<Tallies, StoreError> {
    lock_young_person(conn, la, person).await?;
    young_person_tallies(conn, la, person).await
}

/// After the change: adds what it did to the counts to the LA's.
pub(crate) async fn after_change(
    conn: &mut AnyConnection,
    la: LaId,
    person: YoungPersonId,
    before: Tallies,
) -> Result<(), StoreError> {
    let after = young_person_tallies(conn, la, person).await?;
    apply(conn, la, &difference(&before, &after)).await
}

async fn lock_young_person(conn: &mut AnyConnection, la: LaId, person: YoungPersonId) -> Result<(), StoreError> {
    sqlx::query("UPDATE young_people SET version = version WHERE la_id = $1 AND id = $2")
        .bind(la.0)
        .bind(person.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// One young person's contacts counted by month, as they stand in `conn`'s transaction.
async fn young_person_tallies(
    conn: &mut AnyConnection,
    la: LaId,
    person: YoungPersonId,
) -> Result<Tallies, StoreError> {
    let facts: Vec<ContactFact> =
        sqlx::query(&format!("SELECT {FACTS} FROM contacts WHERE la_id = $1 AND young_person_id = $2"))
            .bind(la.0)
            .bind(person.0)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| fact_of(r).map(|(_, f)| f))
            .collect::<Result<_, _>>()?;
    let schedule = sqlx::query(
        "SELECT young_person_id, frequency, starts_on FROM visit_schedules WHERE la_id = $1 AND young_person_id = $2",
    )
    .bind(la.0)
    .bind(person.0)
    .fetch_optional(&mut *conn)
    .await?
    .as_ref()
    .map(schedule_of)
    .transpose()?
    .map(|(_, s)| s);
    Ok(tally(&facts, schedule))
}

/// Adds `change` to the LA's counts.
pub(crate) async fn apply(conn: &mut AnyConnection, la: LaId, change: &[(MonthKey, Tally)]) -> Result<(), StoreError> {
    const COLUMNS: usize = 10;
    for chunk in change.chunks(crate::batch::rows_per_statement(conn, COLUMNS)) {
        let sql = format!(
            "INSERT INTO contact_months (la_id, month, kind, topics, support_areas, support_forms, contacts, minutes,
                visits_due, visits_on_time) VALUES {}
             ON CONFLICT (la_id, month, kind, topics, support_areas, support_forms) DO UPDATE SET
                contacts = contact_months.contacts + excluded.contacts,
                minutes = contact_months.minutes + excluded.minutes,
                visits_due = contact_months.visits_due + excluded.visits_due,
                visits_on_time = contact_months.visits_on_time + excluded.visits_on_time",
            crate::batch::placeholders(chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(&sql);
        for (key, t) in chunk {
            query = query
                .bind(la.0)
                .bind(key.month.clone())
                .bind(key.kind.clone())
                .bind(key.topics.clone())
                .bind(key.areas.clone())
                .bind(key.forms.clone())
                .bind(t.contacts)
                .bind(t.minutes)
                .bind(t.visits_due)
                .bind(t.visits_on_time);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Counts the LA's contacts afresh, young person by young person.
pub(crate) async fn recount_la(conn: &mut AnyConnection, la: LaId) -> Result<(), StoreError> {
    let schedules: HashMap<i64, Schedule> =
        sqlx::query("SELECT young_person_id, frequency, starts_on FROM visit_schedules WHERE la_id = $1")
            .bind(la.0)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(schedule_of)
            .collect::<Result<_, _>>()?;
    let rows = sqlx::query(&format!("SELECT {FACTS} FROM contacts WHERE la_id = $1 ORDER BY young_person_id"))
        .bind(la.0)
        .fetch_all(&mut *conn)
        .await?;
    let mut totals = Tallies::new();
    let mut person: Option<i64> = None;
    let mut facts: Vec<ContactFact> = Vec::new();
    let mut add = |person: Option<i64>, facts: &mut Vec<ContactFact>| {
        if let Some(p) = person {
            for (key, t) in tally(facts, schedules.get(&p).copied()) {
                totals.entry(key).or_default().add(t, 1);
            }
        }
        facts.clear();
    };
    for r in &rows {
        let (p, fact) = fact_of(r)?;
        if person != Some(p) {
            add(person, &mut facts);
            person = Some(p);
        }
        facts.push(fact);
    }
    add(person, &mut facts);
    sqlx::query("DELETE FROM contact_months WHERE la_id = $1").bind(la.0).execute(&mut *conn).await?;
    let counted: Vec<(MonthKey, Tally)> = totals.into_iter().collect();
    apply(conn, la, &counted).await
}

/// A row of `contact_months`, or of the same counts worked out from the records.
pub(crate) fn group_of(r: &sqlx::any::AnyRow) -> Result<ContactGroup, StoreError> {
    let count = |column: &str| -> Result<u64, StoreError> { Ok(r.try_get::<i64, _>(column)?.max(0) as u64) };
    Ok(ContactGroup {
        month: r.try_get("month")?,
        kind: r.try_get("kind")?,
        topics: r.try_get("topics")?,
        areas: r.try_get("support_areas")?,
        forms: r.try_get("support_forms")?,
        count: count("contacts")?,
        minutes: r.try_get("minutes")?,
        visits_due: count("visits_due")?,
        visits_on_time: count("visits_on_time")?,
    })
}

const GROUP_COLUMNS: &str =
    "month, kind, topics, support_areas, support_forms, contacts, minutes, visits_due, visits_on_time";

impl Store {
    /// Counts every LA's contacts afresh: after the migration that made the
    /// table, and for anyone who wants to check the counts.
    pub async fn recount_contact_months(&self) -> Result<(), StoreError> {
        let las: Vec<i64> = sqlx::query("SELECT id FROM local_authorities ORDER BY id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("id"))
            .collect::<Result<_, _>>()?;
        for la in las {
            let store = self.clone();
            // In a task of its own: the transaction ends here whatever the caller does.
            tokio::spawn(async move {
                let mut tx = store.begin_write().await?;
                recount_la(&mut tx, LaId(la)).await?;
                tx.commit().await?;
                Ok::<_, StoreError>(())
            })
            .await
            .map_err(|_| StoreError::Interrupted)??;
        }
        Ok(())
    }

    /// The LA's counted contacts for the months `first` to `last` (`YYYY-MM`).
    pub async fn contact_month_groups(
        &self,
        la: LaId,
        first: &str,
        last: &str,
    ) -> Result<Vec<ContactGroup>, StoreError> {
        sqlx::query(&format!(
            "SELECT {GROUP_COLUMNS} FROM contact_months WHERE la_id = $1 AND month >= $2 AND month <= $3 AND contacts > 0"
        ))
        .bind(la.0)
        .bind(first)
        .bind(last)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(group_of)
        .collect()
    }

    /// Every LA's counted contacts for the months `first` to `last`, in one read.
    pub(crate) async fn contact_month_groups_by_la(
        &self,
        first: &str,
        last: &str,
    ) -> Result<HashMap<LaId, Vec<ContactGroup>>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT la_id, {GROUP_COLUMNS} FROM contact_months WHERE month >= $1 AND month <= $2 AND contacts > 0"
        ))
        .bind(first)
        .bind(last)
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<LaId, Vec<ContactGroup>> = HashMap::new();
        for r in &rows {
            out.entry(LaId(r.try_get("la_id")?)).or_default().push(group_of(r)?);
        }
        Ok(out)
    }
}
