//! The cohort list: search, filters, sort and pages, worked out in the
//! database so that a page of 50 reads 50 rows whatever the size of the LA.
//!
//! Eligibility and care-leaver status depend on a young person's care
//! episodes and on the day, so they are kept as derived facts beside each
//! record (migration 11) and worked out again only for records whose facts
//! are stale: episodes changed since, or worked out on an earlier day. So a
//! request reads the episodes of changed records only, and the first request
//! of a day re-reads the LA's episodes once, in batches.

use crate::text::{date, parse_date};
use crate::young_people::{child_id_from, display_name, episode_from_row, Viewer, YoungPersonId, EPISODE_COLUMNS};
use crate::{LaId, StaffId, Store, StoreError};
use chrono::NaiveDate;
use sqlx::{AnyConnection, Row};
use staying_close_domain::eligibility::{assess, CareLeaverStatus, Rules};
use staying_close_domain::people::{ChildId, CohortStatus};
use staying_close_domain::plan::REVIEW_SOON_DAYS;
use std::collections::HashMap;

/// How many stale records are worked out per batch.
const FACTS_BATCH: i64 = 500;

/// Which young people the cohort page lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CohortQuery {
    /// Part of a name or a child ID.
    pub search: Option<String>,
    pub adviser: AdviserFilter,
    pub eligible: Option<bool>,
    pub status: Option<CareLeaverStatus>,
    /// Only those whose home visit is overdue on `today`.
    pub visit_overdue: bool,
    /// Only those with a crisis follow-up still open.
    pub in_crisis: bool,
    /// Only those with no plan yet, or whose plan review is due within
    /// [`REVIEW_SOON_DAYS`] of `today` or overdue.
    pub plan_review_due: bool,
    /// Only former relevant children under 25 with no statutory staying
    /// close assessment on record (offer it once the LA's duty has started).
    pub assessment_due: bool,
    /// Closed records too (they are left out unless asked for).
    pub include_closed: bool,
    pub sort: CohortSort,
    pub descending: bool,
    /// 1-based.
    pub page: i64,
    /// 0 counts without reading any rows.
    pub per_page: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AdviserFilter {
    #[default]
    Anyone,
    Unallocated,
    Staff(StaffId),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CohortSort {
    #[default]
    Name,
    Age,
    Adviser,
    Eligible,
    Status,
    NextVisit,
}

/// One line of the cohort page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortLine {
    pub id: YoungPersonId,
    pub child_id: ChildId,
    pub name: Option<String>,
    pub date_of_birth: NaiveDate,
    pub cohort_status: CohortStatus,
    pub adviser_name: Option<String>,
    pub eligible: bool,
    pub status: CareLeaverStatus,
    pub next_visit_due: Option<NaiveDate>,
    pub open_follow_ups: i64,
}

/// A page of the cohort and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortPage {
    pub lines: Vec<CohortLine>,
    pub matching: i64,
}

/// Marks young people's derived facts as needing to be worked out again.
pub(crate) async fn mark_facts_stale(conn: &mut AnyConnection, la: LaId, people: &[i64]) -> Result<(), StoreError> {
    for chunk in people.chunks(500) {
        let ids: Vec<String> = chunk.iter().map(i64::to_string).collect();
        sqlx::query(&format!(
            "UPDATE young_people SET facts_on = NULL WHERE la_id = $1 AND id IN ({})",
            ids.join(", ")
        ))
        .bind(la.0)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A value bound to a filter's placeholder.
enum Arg {
    Text(String),
    Int(i64),
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

impl Arg {
    fn bind<'q>(&self, query: AnyQuery<'q>) -> AnyQuery<'q> {
        match self {
            Arg::Text(t) => query.bind(t.clone()),
            Arg::Int(i) => query.bind(*i),
        }
    }
}

/// Escapes `%`, `_` and `\` for a LIKE pattern.
fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl Store {
    /// Works out the derived facts of every record of `la` whose facts are
    /// stale on `today`, in batches; returns how many were worked out.
    pub async fn refresh_cohort_facts(&self, la: LaId, today: NaiveDate) -> Result<usize, StoreError> {
        let pool = self.pool.clone();
        // On its own task: a client hanging up never leaves a batch half done.
        tokio::spawn(async move {
            let mut done = 0;
            let rules = Rules::default();
            loop {
                let mut tx = pool.begin().await?;
                let rows = sqlx::query(
                    "SELECT id, date_of_birth FROM young_people
                     WHERE la_id = $1 AND (facts_on IS NULL OR facts_on < $2 OR facts_on > $2) ORDER BY id LIMIT $3",
                )
                .bind(la.0)
                .bind(date(today))
                .bind(FACTS_BATCH)
                .fetch_all(&mut *tx)
                .await?;
                if rows.is_empty() {
                    tx.commit().await?;
                    return Ok(done);
                }
                let mut births = Vec::with_capacity(rows.len());
                for r in &rows {
                    births.push((r.try_get::<i64, _>("id")?, parse_date(&r.try_get::<String, _>("date_of_birth")?)?));
                }
                let ids: Vec<String> = births.iter().map(|(id, _)| id.to_string()).collect();
                let mut episodes: HashMap<i64, Vec<_>> = HashMap::new();
                for r in sqlx::query(&format!(
                    "SELECT young_person_id, {EPISODE_COLUMNS} FROM care_episodes
                     WHERE la_id = $1 AND young_person_id IN ({}) ORDER BY young_person_id, started_on",
                    ids.join(", ")
                ))
                .bind(la.0)
                .fetch_all(&mut *tx)
                .await?
                {
                    episodes.entry(r.try_get("young_person_id")?).or_default().push(episode_from_row(&r)?);
                }
                for (id, dob) in &births {
                    let a = assess(*dob, episodes.get(id).map(Vec::as_slice).unwrap_or(&[]), today, &rules);
                    sqlx::query(
                        "UPDATE young_people SET sc_eligible = $3, care_leaver_status = $4, facts_on = $5
                         WHERE la_id = $1 AND id = $2",
                    )
                    .bind(la.0)
                    .bind(*id)
                    .bind(i64::from(a.staying_close_eligible))
                    .bind(a.care_leaver_status.as_str())
                    .bind(date(today))
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                done += births.len();
            }
        })
        .await
        .map_err(|e| StoreError::Invalid(format!("working out cohort facts stopped: {e}")))?
    }

    /// How many active young people have `staff` as their personal adviser.
    pub async fn caseload_count(&self, la: LaId, staff: StaffId) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM young_people WHERE la_id = $1 AND personal_adviser_id = $2 AND cohort_status = 'active'",
        )
        .bind(la.0)
        .bind(staff.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("n")?)
    }

    /// One page of the cohort for `viewer`, with how many match in all.
    /// Call [`Store::refresh_cohort_facts`] first so the facts are today's.
    pub async fn cohort_page(
        &self,
        viewer: &Viewer,
        query: &CohortQuery,
        today: NaiveDate,
    ) -> Result<CohortPage, StoreError> {
        // $1 LA, $2 viewer's staff id, $3 today; filters bind from $4.
        let mut conditions = vec!["y.la_id = $1".to_owned(), viewer.clause("$2")];
        let mut binds: Vec<Arg> = Vec::new();
        let next = |value: Arg, binds: &mut Vec<Arg>| {
            binds.push(value);
            format!("${}", binds.len() + 3)
        };
        if let Some(search) = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let p = next(Arg::Text(like_pattern(search)), &mut binds);
            conditions.push(format!(
                "(lower(y.first_name) LIKE {p} ESCAPE '\\' OR lower(y.last_name) LIKE {p} ESCAPE '\\'
                  OR lower(COALESCE(y.preferred_name, '')) LIKE {p} ESCAPE '\\'
                  OR lower(y.first_name || ' ' || y.last_name) LIKE {p} ESCAPE '\\'
                  OR lower(y.child_id) LIKE {p} ESCAPE '\\')"
            ));
        }
        match query.adviser {
            AdviserFilter::Anyone => {}
            AdviserFilter::Unallocated => conditions.push("y.personal_adviser_id IS NULL".into()),
            AdviserFilter::Staff(s) => {
                let p = next(Arg::Int(s.0), &mut binds);
                conditions.push(format!("y.personal_adviser_id = {p}"));
            }
        }
        if let Some(eligible) = query.eligible {
            conditions.push(format!("y.sc_eligible = {}", i64::from(eligible)));
        }
        if let Some(status) = query.status {
            let p = next(Arg::Text(status.as_str().to_owned()), &mut binds);
            conditions.push(format!("y.care_leaver_status = {p}"));
        }
        if query.visit_overdue {
            conditions.push("v.next_due_on < $3".into());
        }
        if query.in_crisis {
            conditions.push(
                "EXISTS (SELECT 1 FROM contacts c WHERE c.la_id = y.la_id AND c.young_person_id = y.id
                    AND c.crisis = 1 AND c.follow_up_done_on IS NULL)"
                    .into(),
            );
        }
        if query.plan_review_due {
            let soon = today + chrono::Duration::days(REVIEW_SOON_DAYS);
            let p = next(Arg::Text(date(soon)), &mut binds);
            conditions.push(format!(
                "NOT EXISTS (SELECT 1 FROM plans p WHERE p.la_id = y.la_id AND p.young_person_id = y.id
                    AND p.is_current = 1 AND p.review_due_on > {p})"
            ));
        }
        if query.assessment_due {
            let p = next(Arg::Text(date(staying_close_domain::statutory::born_after_for_duty(today))), &mut binds);
            conditions.push(crate::statutory::assessment_owed_clause(&p));
        }
        if !query.include_closed {
            conditions.push("y.cohort_status <> 'closed'".into());
        }
        // Join only what the filter and sort need: the count and the page's
        // ids touch young_people alone unless asked otherwise.
        let needs_visits = query.visit_overdue || query.sort == CohortSort::NextVisit;
        let needs_staff = query.sort == CohortSort::Adviser;
        let mut from = String::from("FROM young_people y");
        if needs_staff {
            from.push_str(" LEFT JOIN staff s ON s.la_id = y.la_id AND s.id = y.personal_adviser_id");
        }
        if needs_visits {
            from.push_str(" LEFT JOIN visit_schedules v ON v.la_id = y.la_id AND v.young_person_id = y.id");
        }
        let filter = conditions.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) AS n {from} WHERE {filter}");
        let mut count =
            sqlx::query(&count_sql).bind(viewer.la.0).bind(viewer.staff.map(|s| s.0).unwrap_or(0)).bind(date(today));
        for b in &binds {
            count = b.bind(count);
        }
        let matching: i64 = count.fetch_one(&self.pool).await?.try_get("n")?;
        if query.per_page == 0 {
            return Ok(CohortPage { lines: Vec::new(), matching });
        }

        let direction = if query.descending { "DESC" } else { "ASC" };
        // Records without a name come after the named ones, whichever way.
        let unnamed = "CASE WHEN y.first_name = '' AND y.last_name = '' THEN 1 ELSE 0 END";
        let order = match query.sort {
            CohortSort::Name => format!("{unnamed}, lower(y.last_name) {direction}, lower(y.first_name) {direction}"),
            // Older first when ascending by age: earlier birth dates.
            CohortSort::Age => format!(
                "y.date_of_birth {}, {unnamed}, lower(y.last_name)",
                if query.descending { "ASC" } else { "DESC" }
            ),
            CohortSort::Adviser => format!(
                "CASE WHEN s.display_name IS NULL THEN 1 ELSE 0 END, s.display_name {direction}, {unnamed}, lower(y.last_name)"
            ),
            CohortSort::Eligible => format!(
                "y.sc_eligible {}, {unnamed}, lower(y.last_name)",
                if query.descending { "ASC" } else { "DESC" }
            ),
            CohortSort::Status => format!("y.care_leaver_status {direction}, {unnamed}, lower(y.last_name)"),
            CohortSort::NextVisit => format!(
                "CASE WHEN v.next_due_on IS NULL THEN 1 ELSE 0 END, v.next_due_on {direction}, {unnamed}, lower(y.last_name)"
            ),
        };
        let per_page = query.per_page.clamp(1, 500);
        let offset = (query.page.max(1) - 1) * per_page;
        // First the page's ids, sorted on the narrow columns; then their details.
        let ids_sql =
            format!("SELECT y.id {from} WHERE {filter} ORDER BY {order}, y.id LIMIT {per_page} OFFSET {offset}");
        let mut ids_query =
            sqlx::query(&ids_sql).bind(viewer.la.0).bind(viewer.staff.map(|s| s.0).unwrap_or(0)).bind(date(today));
        for b in &binds {
            ids_query = b.bind(ids_query);
        }
        let ids: Vec<i64> = ids_query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("id"))
            .collect::<Result<_, _>>()?;
        if ids.is_empty() {
            return Ok(CohortPage { lines: Vec::new(), matching });
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT y.id, y.child_id, y.first_name, y.preferred_name, y.last_name, y.date_of_birth, y.cohort_status,
                    s.display_name AS adviser_name, y.sc_eligible, y.care_leaver_status, v.next_due_on,
                    (SELECT COUNT(*) FROM contacts c WHERE c.la_id = y.la_id AND c.young_person_id = y.id
                        AND c.crisis = 1 AND c.follow_up_done_on IS NULL) AS open_follow_ups
             FROM young_people y
             LEFT JOIN staff s ON s.la_id = y.la_id AND s.id = y.personal_adviser_id
             LEFT JOIN visit_schedules v ON v.la_id = y.la_id AND v.young_person_id = y.id
             WHERE y.la_id = $1 AND y.id IN ({})",
            list.join(", ")
        );
        let page = sqlx::query(&sql).bind(viewer.la.0);
        let rows = page.fetch_all(&self.pool).await?;
        let lines = rows
            .iter()
            .map(|r| {
                let first: String = r.try_get("first_name")?;
                let preferred: Option<String> = r.try_get("preferred_name")?;
                let last: String = r.try_get("last_name")?;
                let status: Option<String> = r.try_get("care_leaver_status")?;
                let next: Option<String> = r.try_get("next_due_on")?;
                Ok(CohortLine {
                    id: YoungPersonId(r.try_get("id")?),
                    child_id: child_id_from(&r.try_get::<String, _>("child_id")?)?,
                    name: display_name(&first, preferred.as_deref(), &last),
                    date_of_birth: parse_date(&r.try_get::<String, _>("date_of_birth")?)?,
                    cohort_status: CohortStatus::parse(&r.try_get::<String, _>("cohort_status")?)
                        .ok_or_else(|| StoreError::Corrupt("cohort status".into()))?,
                    adviser_name: r.try_get("adviser_name")?,
                    eligible: r.try_get::<Option<i64>, _>("sc_eligible")? == Some(1),
                    status: status.as_deref().and_then(CareLeaverStatus::parse).unwrap_or(CareLeaverStatus::None),
                    next_visit_due: next.map(|n| parse_date(&n)).transpose()?,
                    open_follow_ups: r.try_get("open_follow_ups")?,
                })
            })
            .collect::<Result<Vec<CohortLine>, StoreError>>()?;
        // Back into the page's order.
        let mut lines = lines;
        lines.sort_by_key(|l| ids.iter().position(|id| *id == l.id.0));
        Ok(CohortPage { lines, matching })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(super::like_pattern(" Ann_%\\ "), "%ann\\_\\%\\\\%");
    }
}
