//! The impact report's figures and the records behind each one.
//!
//! Every counted measure is one SQL source (`source`): the report counts its
//! rows and the drill-down lists the same rows, so a figure and its list
//! cannot disagree. Housing outcomes and the EET rate come from the domain
//! rules over the stays and activities they read.

use crate::contacts::name_of;
use crate::text::{date, parse_date};
use crate::young_people::Viewer;
use crate::{Backend, LaId, Store, StoreError, YoungPersonId};
use chrono::{Months, NaiveDate};
use sqlx::Row;
use staying_close_domain::accommodation::{outcomes, SUSTAINED_MONTHS};
use staying_close_domain::contact_months::net_groups;
use staying_close_domain::eet::{rate_on, Activity};
use staying_close_domain::permissions::RecordScope;
use staying_close_domain::report::{ContactGroup, Figures, Measure, MonthPlan, Period};
use staying_close_domain::statutory::born_after_for_duty;
use staying_close_domain::visits::VisitFrequency;
use std::collections::HashMap;

/// One record behind a figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRecord {
    /// The record's own id (a contact, a stay, a staff member for advisers).
    pub id: i64,
    pub young_person: Option<YoungPersonId>,
    pub name: Option<String>,
    pub child_id: Option<String>,
    pub day: Option<NaiveDate>,
    /// The record's kind or title (a code the web layer puts in words).
    pub detail: String,
    /// Pence for spends, minutes for contacts.
    pub amount: Option<i64>,
}

/// Placeholders: `$1` LA, `$2` viewer's staff id, `$3` first day, `$4` last day.
/// Every source also gives each record's `la_id`.
struct Sql<'a> {
    viewer: &'a Viewer,
    backend: Backend,
    period: Period,
    /// Every LA's records (the national roll-up, which groups by `la_id`), not `$1`'s.
    all_las: bool,
}

const PERSON: &str = "y.first_name, y.preferred_name, y.last_name, y.child_id";

/// The day of the home visit before contact `x` (on an earlier day).
const PREVIOUS_VISIT: &str = "(SELECT MAX(p.occurred_on) FROM contacts p WHERE p.la_id = x.la_id
    AND p.young_person_id = x.young_person_id AND p.kind = 'home_visit' AND p.occurred_on < x.occurred_on)";

/// Whether a home visit whose previous visit was on `previous` was due
/// under a schedule starting `starts_on`: the rule of `contact_months::tally`.
fn visit_due(previous: &str, starts_on: &str) -> String {
    format!("{previous} IS NOT NULL AND {previous} >= {starts_on}")
}

impl Sql<'_> {
    /// Keeps the rows of `alias` to the LA, unless the query is for every LA.
    fn la(&self, alias: &str) -> String {
        if self.all_las {
            "($1 = $1)".to_owned()
        } else {
            format!("{alias}.la_id = $1")
        }
    }

    /// Rows of `table x` about a young person, dated by `day` in the period.
    fn dated(&self, table: &str, day: &str, detail: &str, amount: &str, filter: &str) -> String {
        format!(
            "SELECT x.id AS record_id, x.la_id, y.id AS young_person_id, {PERSON}, x.{day} AS day,
                    CAST({detail} AS TEXT) AS detail, CAST({amount} AS BIGINT) AS amount
             FROM {table} x JOIN young_people y ON y.la_id = x.la_id AND y.id = x.young_person_id
             WHERE {la} AND x.{day} >= $3 AND x.{day} <= $4 AND ({filter}) AND {scope}",
            la = self.la("x"),
            scope = self.viewer.clause("$2")
        )
    }

    /// Young people whose Staying Close support overlapped the period.
    fn supported(&self, filter: &str) -> String {
        format!(
            "SELECT y.id AS record_id, y.la_id, y.id AS young_person_id, {PERSON}, y.staying_close_start AS day,
                    CAST('' AS TEXT) AS detail, CAST(NULL AS BIGINT) AS amount
             FROM young_people y
             WHERE {la} AND y.staying_close_start <= $4
                AND (y.staying_close_end IS NULL OR y.staying_close_end >= $3) AND ({filter}) AND {scope}",
            la = self.la("y"),
            scope = self.viewer.clause("$2")
        )
    }

    fn add_days(&self, day: &str, days: &str) -> String {
        match self.backend {
            Backend::Sqlite => format!("date({day}, '+' || ({days}) || ' days')"),
            Backend::Postgres => format!("to_char(CAST({day} AS DATE) + ({days}), 'YYYY-MM-DD')"),
        }
    }

    /// Home visits in the period that followed an earlier visit under the
    /// young person's schedule (rows `v`, with the schedule `s`).
    fn visits_from(&self) -> String {
        format!(
            "FROM (SELECT x.id AS record_id, x.la_id, y.id AS young_person_id, {PERSON}, x.occurred_on AS day,
                          {PREVIOUS_VISIT} AS previous_on
                   FROM contacts x JOIN young_people y ON y.la_id = x.la_id AND y.id = x.young_person_id
                   WHERE {la} AND x.kind = 'home_visit' AND x.occurred_on >= $3 AND x.occurred_on <= $4
                      AND {scope}) v
             JOIN visit_schedules s ON s.la_id = v.la_id AND s.young_person_id = v.young_person_id
             WHERE {due}",
            la = self.la("x"),
            due = visit_due("v.previous_on", "s.starts_on"),
            scope = self.viewer.clause("$2")
        )
    }

    /// A visit of `visits_from` kept to its schedule's interval.
    fn visit_on_time(&self) -> String {
        self.on_time("v.day", "v.previous_on", "s.frequency")
    }

    /// Whether a visit on `day` came within the interval of `frequency` after `previous`.
    fn on_time(&self, day: &str, previous: &str, frequency: &str) -> String {
        let interval = format!(
            "CASE {frequency} {} ELSE 0 END",
            VisitFrequency::ALL
                .iter()
                .map(|f| format!(" WHEN '{}' THEN {}", f.code(), f.interval_days()))
                .collect::<String>()
        );
        format!("{day} <= {}", self.add_days(previous, &interval))
    }

    /// The visits that followed an earlier one; `on_time` keeps those within the interval.
    fn visits(&self, on_time: bool) -> String {
        format!(
            "SELECT v.record_id, v.la_id, v.young_person_id, v.first_name, v.preferred_name, v.last_name, v.child_id, v.day,
                    CAST(s.frequency || ' ' || v.previous_on AS TEXT) AS detail, CAST(NULL AS BIGINT) AS amount
             {} AND {}",
            self.visits_from(),
            if on_time { self.visit_on_time() } else { "1 = 1".into() }
        )
    }

    /// The condition on a contact `x` for the measures that count contacts.
    fn contact_filter(&self, m: Measure) -> Option<String> {
        use Measure::*;
        let like = |column: &str, code: &str| format!("(',' || x.{column} || ',') LIKE '%,{code},%'");
        Some(match m {
            DirectWorkSessions => "x.kind = 'pa_direct_work'".to_owned(),
            DirectWorkTopic(t) => format!("x.kind = 'pa_direct_work' AND {}", like("topics", t.code())),
            Contacts => "1 = 1".to_owned(),
            SupportArea(a) => like("support_areas", a.code()),
            SupportForm(f) => like("support_forms", f.code()),
            _ => return None,
        })
    }

    /// The period's contacts grouped by month, kind, topics and tags, with
    /// the home visits among them that were due and on time: one pass, and a
    /// few hundred rows however many contacts there are. The same counts as
    /// `contact_months` keeps, worked out from the records.
    fn contact_groups(&self) -> String {
        // Each contact, with the schedule and (for a home visit of someone
        // with a schedule) the home visit before it: the rule of `visits_from`.
        let contacts = format!(
            "SELECT SUBSTR(x.occurred_on, 1, 7) AS month, x.kind, x.topics, x.support_areas, x.support_forms,
                    x.duration_minutes, x.occurred_on, s.frequency, s.starts_on,
                    CASE WHEN x.kind = 'home_visit' AND s.young_person_id IS NOT NULL THEN {previous} END AS previous_on
             FROM contacts x JOIN young_people y ON y.la_id = x.la_id AND y.id = x.young_person_id
                LEFT JOIN visit_schedules s ON s.la_id = x.la_id AND s.young_person_id = x.young_person_id
             WHERE {la} AND x.occurred_on >= $3 AND x.occurred_on <= $4 AND {scope}",
            la = self.la("x"),
            previous = PREVIOUS_VISIT,
            scope = self.viewer.clause("$2")
        );
        let due = visit_due("c.previous_on", "c.starts_on");
        format!(
            "SELECT c.month, c.kind, c.topics, c.support_areas, c.support_forms,
                    COUNT(*) AS contacts, CAST(SUM(c.duration_minutes) AS BIGINT) AS minutes,
                    CAST(SUM(CASE WHEN {due} THEN 1 ELSE 0 END) AS BIGINT) AS visits_due,
                    CAST(SUM(CASE WHEN {due} AND {on_time} THEN 1 ELSE 0 END) AS BIGINT) AS visits_on_time
             FROM ({contacts}) c
             GROUP BY c.month, c.kind, c.topics, c.support_areas, c.support_forms",
            on_time = self.on_time("c.occurred_on", "c.previous_on", "c.frequency"),
        )
    }

    fn reviews(&self, on_time: bool) -> String {
        format!(
            "SELECT x.id AS record_id, x.la_id, y.id AS young_person_id, {PERSON}, x.held_on AS day,
                    CAST(b.review_due_on AS TEXT) AS detail, CAST(NULL AS BIGINT) AS amount
             FROM plans x JOIN plans b ON b.la_id = x.la_id AND b.young_person_id = x.young_person_id
                    AND b.number = x.number - 1
                JOIN young_people y ON y.la_id = x.la_id AND y.id = x.young_person_id
             WHERE {la} AND x.held_on >= $3 AND x.held_on <= $4 AND {kept} AND {scope}",
            la = self.la("x"),
            kept = if on_time { "x.held_on <= b.review_due_on" } else { "1 = 1" },
            scope = self.viewer.clause("$2")
        )
    }

    /// Advisers with young people on the last day (`advisers`), or the
    /// young people allocated to them.
    fn caseloads(&self, advisers: bool) -> String {
        let people = format!(
            "FROM young_people y WHERE {} AND y.personal_adviser_id IS NOT NULL
                AND y.staying_close_start <= $4 AND (y.staying_close_end IS NULL OR y.staying_close_end >= $4)
                AND ($3 = $3) AND {}",
            self.la("y"),
            self.viewer.clause("$2")
        );
        if advisers {
            format!(
                "SELECT st.id AS record_id, st.la_id, CAST(NULL AS BIGINT) AS young_person_id,
                        CAST(NULL AS TEXT) AS first_name, CAST(NULL AS TEXT) AS preferred_name,
                        CAST(NULL AS TEXT) AS last_name, CAST(NULL AS TEXT) AS child_id, CAST(NULL AS TEXT) AS day,
                        CAST(st.display_name AS TEXT) AS detail, CAST(c.n AS BIGINT) AS amount
                 FROM staff st
                 JOIN (SELECT y.la_id, y.personal_adviser_id, COUNT(*) AS n {people}
                        GROUP BY y.la_id, y.personal_adviser_id) c
                   ON c.la_id = st.la_id AND c.personal_adviser_id = st.id
                 WHERE {la}",
                la = self.la("st")
            )
        } else {
            format!(
                "SELECT y.id AS record_id, y.la_id, y.id AS young_person_id, {PERSON}, CAST(NULL AS TEXT) AS day,
                        CAST(COALESCE((SELECT st.display_name FROM staff st WHERE st.la_id = y.la_id AND st.id = y.personal_adviser_id), '') AS TEXT) AS detail,
                        CAST(NULL AS BIGINT) AS amount {people}"
            )
        }
    }

    /// One statement counting every measure that is a plain count of its
    /// source (not the contacts and visits, which `contact_groups` counts,
    /// nor the derived ones): rows of `measure`, `la_id`, `n` and `total`.
    fn counts(&self) -> String {
        Measure::all()
            .into_iter()
            .filter(|m| self.contact_filter(*m).is_none() && !matches!(m, Measure::VisitsDue | Measure::VisitsOnTime))
            .filter_map(|m| self.source(m).map(|s| (m, s)))
            .map(|(m, s)| {
                format!(
                    "SELECT CAST('{}' AS TEXT) AS measure, q.la_id, COUNT(*) AS n,
                        CAST(COALESCE(SUM(q.amount), 0) AS BIGINT) AS total FROM ({s}) q GROUP BY q.la_id",
                    m.key()
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ")
    }

    /// The SQL whose rows a measure counts; `None` for measures worked out
    /// by domain rules (housing outcomes, the EET rate).
    fn source(&self, m: Measure) -> Option<String> {
        use Measure::*;
        if let Some(filter) = self.contact_filter(m) {
            let detail = if matches!(m, DirectWorkSessions | DirectWorkTopic(_)) { "x.topics" } else { "x.kind" };
            return Some(self.dated("contacts", "occurred_on", detail, "x.duration_minutes", &filter));
        }
        Some(match m {
            Supported => self.supported("1 = 1"),
            YoungParents => self.supported("y.young_parent = 1"),
            Expecting => self.supported("y.expecting = 1"),
            FormerRelevant => format!(
                "SELECT y.id AS record_id, y.la_id, y.id AS young_person_id, {PERSON}, y.date_of_birth AS day,
                        CAST('' AS TEXT) AS detail, CAST(NULL AS BIGINT) AS amount
                 FROM young_people y WHERE {} AND y.care_leaver_status = 'former_relevant'
                    AND y.date_of_birth > '{}' AND ($3 = $3) AND ($4 = $4) AND {}",
                self.la("y"),
                date(born_after_for_duty(self.period.to)),
                self.viewer.clause("$2")
            ),
            HousingInterventions => self.dated("housing_interventions", "done_on", "x.kind", "NULL", "1 = 1"),
            LetsUsed => format!(
                "SELECT x.id AS record_id, x.la_id, y.id AS young_person_id, {PERSON}, x.starts_on AS day,
                        CAST(l.address AS TEXT) AS detail, CAST(NULL AS BIGINT) AS amount
                 FROM let_occupancies x JOIN ring_fenced_lets l ON l.la_id = x.la_id AND l.id = x.let_id
                    JOIN young_people y ON y.la_id = x.la_id AND y.id = x.young_person_id
                 WHERE {} AND x.starts_on <= $4 AND (x.ends_on IS NULL OR x.ends_on >= $3) AND {}",
                self.la("x"),
                self.viewer.clause("$2")
            ),
            EetInterventions => self.dated("eet_interventions", "done_on", "x.help", "NULL", "1 = 1"),
            EmotionalHealthSessions => {
                self.dated("health_sessions", "held_on", "x.kind", "x.minutes", "x.kind = 'emotional_health'")
            }
            NurseSessions => self.dated("health_sessions", "held_on", "x.kind", "x.minutes", "x.kind = 'nurse'"),
            Referrals(p) => self.dated(
                "health_referrals",
                "referred_on",
                "x.status",
                "NULL",
                &format!("x.pathway = '{}'", p.code()),
            ),
            ParentOutcome(k) => {
                self.dated("parent_outcomes", "happened_on", "x.kind", "NULL", &format!("x.kind = '{}'", k.code()))
            }
            TrustedMatches => self.dated("trusted_matches", "agreed_on", "x.trusted_role", "NULL", "1 = 1"),
            ActivitySpends => self.dated("allowance_spends", "spent_on", "x.category", "x.amount_pence", "1 = 1"),
            Assessed => self.dated("staying_close_assessments", "assessed_on", "x.outcome", "NULL", "1 = 1"),
            SupportRequired => {
                self.dated("staying_close_assessments", "assessed_on", "x.outcome", "NULL", "x.outcome = 'required'")
            }
            GroupEvents => format!(
                "SELECT x.id AS record_id, x.la_id, CAST(NULL AS BIGINT) AS young_person_id,
                        CAST(NULL AS TEXT) AS first_name, CAST(NULL AS TEXT) AS preferred_name,
                        CAST(NULL AS TEXT) AS last_name, CAST(NULL AS TEXT) AS child_id, x.held_on AS day,
                        CAST(x.title AS TEXT) AS detail, CAST(x.cost_pence AS BIGINT) AS amount
                 FROM group_events x WHERE {} AND x.held_on >= $3 AND x.held_on <= $4 AND ($2 = $2)",
                self.la("x")
            ),
            GroupAttendances => format!(
                "SELECT e.id AS record_id, x.la_id, y.id AS young_person_id, {PERSON}, e.held_on AS day,
                        CAST(e.title AS TEXT) AS detail, CAST(NULL AS BIGINT) AS amount
                 FROM group_attendance x JOIN group_events e ON e.la_id = x.la_id AND e.id = x.event_id
                    JOIN young_people y ON y.la_id = x.la_id AND y.id = x.young_person_id
                 WHERE {} AND e.held_on >= $3 AND e.held_on <= $4 AND {}",
                self.la("x"),
                self.viewer.clause("$2")
            ),
            VisitsDue => self.visits(false),
            VisitsOnTime => self.visits(true),
            ReviewsHeld => self.reviews(false),
            ReviewsOnTime => self.reviews(true),
            Advisers => self.caseloads(true),
            Allocated => self.caseloads(false),
            MovesToSemiIndependent
            | ReturnsToFamily
            | TenanciesSustained
            | EetAtStart
            | KnownAtStart
            | EetAtEnd
            | KnownAtEnd => return None,
            // Answered by `contact_filter` above.
            DirectWorkSessions | DirectWorkTopic(_) | Contacts | SupportArea(_) | SupportForm(_) => return None,
        })
    }
}

/// A report query with its four placeholders bound.
fn period_query<'q>(
    sql: &'q str,
    viewer: &Viewer,
    period: Period,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    sqlx::query(sql)
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(date(period.from))
        .bind(date(period.to))
}

fn record_of(r: &sqlx::any::AnyRow) -> Result<ReportRecord, StoreError> {
    let day: Option<String> = r.try_get("day")?;
    let first: Option<String> = r.try_get("first_name")?;
    Ok(ReportRecord {
        id: r.try_get("record_id")?,
        young_person: r.try_get::<Option<i64>, _>("young_person_id")?.map(YoungPersonId),
        name: if first.is_some() { name_of(r)? } else { None },
        child_id: r.try_get("child_id")?,
        day: day.as_deref().filter(|d| !d.is_empty()).map(parse_date).transpose()?,
        detail: r.try_get::<Option<String>, _>("detail")?.unwrap_or_default(),
        amount: r.try_get("amount")?,
    })
}

/// Puts the rows of `Sql::counts` into `figures`: every counted measure,
/// nought when no row came back.
fn add_counts<'r>(figures: &mut Figures, rows: impl Iterator<Item = &'r sqlx::any::AnyRow>) -> Result<(), StoreError> {
    use Measure::*;
    for m in Measure::all() {
        if m.counts_contact("", "", "", "").is_none() {
            figures.counts.entry(m).or_insert(0);
        }
    }
    for r in rows {
        let key: String = r.try_get("measure")?;
        let measure = Measure::parse(&key).ok_or_else(|| StoreError::Invalid(format!("unknown measure {key}")))?;
        figures.counts.insert(measure, r.try_get::<i64, _>("n")?.max(0) as u64);
        if measure == ActivitySpends {
            figures.spend_pence = r.try_get("total")?;
        }
    }
    Ok(())
}

impl Store {
    fn report_sql<'a>(&self, viewer: &'a Viewer, period: Period) -> Sql<'a> {
        Sql { viewer, backend: self.backend(), period, all_las: false }
    }

    /// Every figure of the impact report for `period`, counting only the
    /// young people `viewer` may see.
    pub async fn impact_figures(
        &self,
        viewer: &Viewer,
        period: Period,
        offer_hours: u32,
    ) -> Result<Figures, StoreError> {
        let sql = self.report_sql(viewer, period);
        let mut figures = Figures::for_period(period, offer_hours);
        let rows = period_query(&sql.counts(), viewer, period).fetch_all(&self.pool).await?;
        add_counts(&mut figures, rows.iter())?;
        figures.add_contacts(&self.contact_groups(viewer, period).await?);
        self.add_derived_counts(&mut figures, viewer, period).await?;
        Ok(figures)
    }

    /// The housing outcomes and the EET rate's counts, from the domain rules.
    async fn add_derived_counts(
        &self,
        figures: &mut Figures,
        viewer: &Viewer,
        period: Period,
    ) -> Result<(), StoreError> {
        for (m, list) in self.housing_outcome_records(viewer, period).await? {
            figures.counts.insert(m, list.len() as u64);
        }
        for (m, list) in self.eet_rate_records(viewer, period).await? {
            figures.counts.insert(m, list.len() as u64);
        }
        Ok(())
    }

    /// The period's contacts counted by month, kind, topics and tags. A whole
    /// LA's months come from `contact_months`, with days added or taken away
    /// counted from the records (`Period::month_plan`); the contacts of someone
    /// who sees only some young people are all counted from the records.
    async fn contact_groups(&self, viewer: &Viewer, period: Period) -> Result<Vec<ContactGroup>, StoreError> {
        if viewer.scope != RecordScope::WholeLa {
            return self.counted_contact_groups(viewer, period).await;
        }
        let plan = period.month_plan();
        let kept = match &plan.months {
            Some((first, last)) => self.contact_month_groups(viewer.la, first, last).await?,
            None => Vec::new(),
        };
        self.net_of_records(viewer.la, kept, &plan).await
    }

    /// The kept counts `kept`, with the plan's days counted from the
    /// records added and taken away.
    async fn net_of_records(
        &self,
        la: LaId,
        mut kept: Vec<ContactGroup>,
        plan: &MonthPlan,
    ) -> Result<Vec<ContactGroup>, StoreError> {
        let whole = Viewer::whole_la(la);
        for part in &plan.add {
            kept.extend(self.counted_contact_groups(&whole, *part).await?);
        }
        let mut outside = Vec::new();
        for part in &plan.subtract {
            outside.extend(self.counted_contact_groups(&whole, *part).await?);
        }
        Ok(net_groups(&kept, &outside))
    }

    /// The contacts counted from the records, never from `contact_months`.
    pub async fn counted_contact_groups(
        &self,
        viewer: &Viewer,
        period: Period,
    ) -> Result<Vec<ContactGroup>, StoreError> {
        let sql = self.report_sql(viewer, period).contact_groups();
        let rows = period_query(&sql, viewer, period).fetch_all(&self.pool).await?;
        rows.iter().map(crate::contact_months::group_of).collect()
    }

    /// The records behind one figure, in date order.
    pub async fn impact_records(
        &self,
        viewer: &Viewer,
        period: Period,
        measure: Measure,
    ) -> Result<Vec<ReportRecord>, StoreError> {
        Ok(self.impact_records_page(viewer, period, measure, 0, i64::MAX).await?.0)
    }

    /// One page of the records behind a figure (`limit` from `offset`), and
    /// how many there are in all: a long list is read a page at a time.
    pub async fn impact_records_page(
        &self,
        viewer: &Viewer,
        period: Period,
        measure: Measure,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<ReportRecord>, u64), StoreError> {
        let sql = self.report_sql(viewer, period);
        let Some(source) = sql.source(measure) else {
            let derived = match measure {
                Measure::MovesToSemiIndependent | Measure::ReturnsToFamily | Measure::TenanciesSustained => {
                    self.housing_outcome_records(viewer, period).await?
                }
                _ => self.eet_rate_records(viewer, period).await?,
            };
            let all = derived.into_iter().find(|(m, _)| *m == measure).map(|(_, l)| l).unwrap_or_default();
            let total = all.len() as u64;
            let page = all.into_iter().skip(offset.max(0) as usize).take(limit.max(0) as usize).collect();
            return Ok((page, total));
        };
        let listed = format!(
            "SELECT * FROM ({source}) q ORDER BY day, last_name, first_name, record_id LIMIT {limit} OFFSET {offset}",
            limit = limit.max(0),
            offset = offset.max(0)
        );
        let rows = period_query(&listed, viewer, period).fetch_all(&self.pool).await?;
        let records: Vec<ReportRecord> = rows.iter().map(record_of).collect::<Result<_, _>>()?;
        let total = if offset == 0 && (records.len() as i64) < limit {
            records.len() as u64
        } else {
            let counted = format!("SELECT COUNT(*) AS n FROM ({source}) q");
            period_query(&counted, viewer, period).fetch_one(&self.pool).await?.try_get::<i64, _>("n")? as u64
        };
        Ok((records, total))
    }

    /// Moves into semi-independent living, returns to family and own
    /// tenancies sustained in the period, each with the stays behind it.
    async fn housing_outcome_records(
        &self,
        viewer: &Viewer,
        period: Period,
    ) -> Result<Vec<(Measure, Vec<ReportRecord>)>, StoreError> {
        let stays = self.stays_around(viewer, period.from - Months::new(SUSTAINED_MONTHS), period.to).await?;
        let mut by_person: Vec<(YoungPersonId, Vec<&crate::housing::StoredStay>)> = Vec::new();
        for s in &stays {
            match by_person.last_mut() {
                Some((p, list)) if *p == s.young_person => list.push(s),
                _ => by_person.push((s.young_person, vec![s])),
            }
        }
        let lists: Vec<Vec<_>> = by_person.iter().map(|(_, l)| l.iter().map(|s| s.stay.clone()).collect()).collect();
        let refs: Vec<&[_]> = lists.iter().map(Vec::as_slice).collect();
        let counted = outcomes(&refs, period.from, period.to);
        let names = self.report_names(viewer.la, by_person.iter().map(|(p, _)| *p)).await?;
        let mut out = vec![
            (Measure::MovesToSemiIndependent, Vec::new()),
            (Measure::ReturnsToFamily, Vec::new()),
            (Measure::TenanciesSustained, Vec::new()),
        ];
        for ((person, person_stays), found) in by_person.iter().zip(&counted) {
            let (name, child_id) = names.get(person).cloned().unwrap_or_default();
            let record = |i: usize, day: NaiveDate| ReportRecord {
                id: person_stays[i].id,
                young_person: Some(*person),
                name: name.clone(),
                child_id: Some(child_id.clone()),
                day: Some(day),
                detail: person_stays[i].stay.code.clone(),
                amount: None,
            };
            let starts = |i: usize| person_stays[i].stay.starts_on;
            out[0].1.extend(found.moves_to_semi_independent.iter().map(|i| record(*i, starts(*i))));
            out[1].1.extend(found.returns_to_family.iter().map(|i| record(*i, starts(*i))));
            out[2].1.extend(
                found.tenancies_sustained.iter().map(|i| record(*i, starts(*i) + Months::new(SUSTAINED_MONTHS))),
            );
        }
        for (_, list) in &mut out {
            list.sort_by(|a, b| (a.day, &a.name).cmp(&(b.day, &b.name)));
        }
        Ok(out)
    }

    /// Who was in education, employment or training, and whose activity was
    /// known, on the first and the last day of the period.
    async fn eet_rate_records(
        &self,
        viewer: &Viewer,
        period: Period,
    ) -> Result<Vec<(Measure, Vec<ReportRecord>)>, StoreError> {
        let mut out = Vec::new();
        for (day, eet, known) in [
            (period.from, Measure::EetAtStart, Measure::KnownAtStart),
            (period.to, Measure::EetAtEnd, Measure::KnownAtEnd),
        ] {
            let cohort = self.eet_cohort_on(viewer, day).await?;
            let lists: Vec<(usize, Vec<Activity>)> =
                cohort.iter().enumerate().map(|(i, m)| (i, m.activity.clone().into_iter().collect())).collect();
            let input: Vec<(usize, &[Activity])> = lists.iter().map(|(i, a)| (*i, a.as_slice())).collect();
            let rate = rate_on(&input, day);
            let record = |i: &usize| {
                let m = &cohort[*i];
                ReportRecord {
                    id: m.young_person.0,
                    young_person: Some(m.young_person),
                    name: m.name.clone(),
                    child_id: Some(m.child_id.clone()),
                    day: Some(day),
                    detail: m.activity.as_ref().map(|a| a.code.clone()).unwrap_or_default(),
                    amount: None,
                }
            };
            let in_eet: Vec<ReportRecord> = rate.in_eet.iter().map(record).collect();
            let mut all_known: Vec<ReportRecord> = rate.in_eet.iter().chain(&rate.not_in_eet).map(record).collect();
            all_known.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
            out.push((eet, in_eet));
            out.push((known, all_known));
        }
        Ok(out)
    }

    /// Names and child ids of some young people in an LA.
    async fn report_names(
        &self,
        la: LaId,
        people: impl Iterator<Item = YoungPersonId>,
    ) -> Result<HashMap<YoungPersonId, (Option<String>, String)>, StoreError> {
        let ids: Vec<i64> = people.map(|p| p.0).collect();
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let rows = sqlx::query(&format!(
                "SELECT y.id, {PERSON} FROM young_people y WHERE y.la_id = $1 AND y.id IN ({list})"
            ))
            .bind(la.0)
            .fetch_all(&self.pool)
            .await?;
            for r in &rows {
                out.insert(YoungPersonId(r.try_get("id")?), (name_of(r)?, r.try_get("child_id")?));
            }
        }
        Ok(out)
    }
}

/// The EET rate on the last day of one month (or of the period).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthRate {
    pub on: NaiveDate,
    pub in_eet: usize,
    pub known: usize,
}

impl Store {
    /// The EET rate on the last day of each month of the period, from one
    /// read of the cohort's activities in the period.
    pub async fn eet_rate_by_month(&self, viewer: &Viewer, period: Period) -> Result<Vec<MonthRate>, StoreError> {
        let sql = format!(
            "SELECT y.id, y.staying_close_start, y.staying_close_end, a.activ_code, a.provider, a.starts_on, a.ends_on
             FROM young_people y
             LEFT JOIN eet_activities a ON a.la_id = y.la_id AND a.young_person_id = y.id
                AND a.starts_on <= $4 AND (a.ends_on IS NULL OR a.ends_on >= $3)
             WHERE y.la_id = $1 AND y.staying_close_start <= $4
                AND (y.staying_close_end IS NULL OR y.staying_close_end >= $3) AND {}
             ORDER BY y.id",
            viewer.clause("$2")
        );
        let rows = period_query(&sql, viewer, period).fetch_all(&self.pool).await?;
        // Each young person's support dates and activities.
        let mut people: Vec<(i64, NaiveDate, Option<NaiveDate>, Vec<Activity>)> = Vec::new();
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            if people.last().is_none_or(|p| p.0 != id) {
                let start = parse_date(&r.try_get::<String, _>("staying_close_start")?)?;
                let end: Option<String> = r.try_get("staying_close_end")?;
                people.push((id, start, end.as_deref().map(parse_date).transpose()?, Vec::new()));
            }
            let code: Option<String> = r.try_get("activ_code")?;
            if let (Some(code), Some(person)) = (code, people.last_mut()) {
                let ends: Option<String> = r.try_get("ends_on")?;
                person.3.push(Activity {
                    code,
                    provider: r.try_get("provider")?,
                    starts_on: parse_date(&r.try_get::<String, _>("starts_on")?)?,
                    ends_on: ends.as_deref().map(parse_date).transpose()?,
                });
            }
        }
        Ok(period
            .months()
            .into_iter()
            .map(|month| {
                let on = period.month_end(month);
                let cohort: Vec<(i64, &[Activity])> = people
                    .iter()
                    .filter(|(_, start, end, _)| *start <= on && end.is_none_or(|e| e >= on))
                    .map(|(id, _, _, activities)| (*id, activities.as_slice()))
                    .collect();
                let rate = rate_on(&cohort, on);
                MonthRate { on, in_eet: rate.in_eet.len(), known: rate.known() }
            })
            .collect())
    }
}

impl Store {
    /// Every LA's figures for a period, from the same SQL and rules as each
    /// LA's own report: the counts of every LA in one statement grouped by
    /// LA, the contacts from the counts kept by month in one read, and the
    /// housing outcomes and EET rates (domain rules over each LA's stays and
    /// activities) a few LAs at a time.
    pub async fn national_figures(&self, period: Period) -> Result<Vec<(crate::La, Figures)>, StoreError> {
        let las = self.list_las().await?;
        let mut figures: HashMap<LaId, Figures> =
            las.iter().map(|la| (la.id, Figures::for_period(period, la.settings.weekly_support_hours))).collect();
        let everyone = Viewer::whole_la(LaId(0));
        let sql = Sql { viewer: &everyone, backend: self.backend(), period, all_las: true };
        let rows = period_query(&sql.counts(), &everyone, period).fetch_all(&self.pool).await?;
        let mut rows_by_la: HashMap<LaId, Vec<&sqlx::any::AnyRow>> = HashMap::new();
        for r in &rows {
            rows_by_la.entry(LaId(r.try_get("la_id")?)).or_default().push(r);
        }
        for (la, f) in figures.iter_mut() {
            add_counts(f, rows_by_la.remove(la).unwrap_or_default().into_iter())?;
        }
        let plan = period.month_plan();
        let mut groups = match &plan.months {
            Some((first, last)) => self.contact_month_groups_by_la(first, last).await?,
            None => HashMap::new(),
        };
        for la in &las {
            let mine = self.net_of_records(la.id, groups.remove(&la.id).unwrap_or_default(), &plan).await?;
            if let Some(f) = figures.get_mut(&la.id) {
                f.add_contacts(&mine);
            }
        }
        const AT_ONCE: usize = 4;
        let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
        // Dropping this (a client that hangs up) aborts the tasks; they only read.
        let mut tasks = tokio::task::JoinSet::new();
        for la in &las {
            let (store, permits, la) = (self.clone(), permits.clone(), la.id);
            let mut mine = figures.remove(&la).unwrap_or_default();
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await.map_err(|_| StoreError::Interrupted)?;
                store.add_derived_counts(&mut mine, &Viewer::whole_la(la), period).await?;
                Ok::<_, StoreError>((la, mine))
            });
        }
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok(result) => {
                    let (la, mine) = result?;
                    figures.insert(la, mine);
                }
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                Err(_) => return Err(StoreError::Interrupted),
            }
        }
        Ok(las
            .into_iter()
            .map(|la| {
                let f = figures.remove(&la.id).unwrap_or_default();
                (la, f)
            })
            .collect())
    }

    /// For benchmarks: one hand-written aggregate over the same tables, every
    /// LA's contacts in the period with their minutes and direct-work
    /// sessions, grouped in one pass.
    pub async fn contacts_aggregate_by_la(&self, period: Period) -> Result<Vec<(LaId, i64, i64, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.la_id, COUNT(*) AS n, CAST(SUM(c.duration_minutes) AS BIGINT) AS minutes,
                    CAST(SUM(CASE WHEN c.kind = 'pa_direct_work' THEN 1 ELSE 0 END) AS BIGINT) AS direct
             FROM contacts c JOIN young_people y ON y.la_id = c.la_id AND y.id = c.young_person_id
             WHERE c.occurred_on >= $1 AND c.occurred_on <= $2
             GROUP BY c.la_id",
        )
        .bind(date(period.from))
        .bind(date(period.to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((LaId(r.try_get("la_id")?), r.try_get("n")?, r.try_get("minutes")?, r.try_get("direct")?)))
            .collect()
    }
}
