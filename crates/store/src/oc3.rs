//! What the SSDA903 OC3 return reads for one LA and collection year: the
//! care leavers with a 17th to 21st birthday in the year, and their
//! contacts, activities, homes and episodes (one query each, never the whole
//! LA's history).

use crate::eet::activity_of;
use crate::housing::{stay_of, STAY_COLUMNS};
use crate::text::{date, parse_date};
use crate::young_people::{episode_from_row, EPISODE_COLUMNS};
use crate::{LaId, Store, StoreError};
use chrono::Months;
use sqlx::Row;
use staying_close_domain::funding::FinancialYear;
use staying_close_domain::oc3::{Oc3Person, AGES, MONTHS_AFTER, MONTHS_BEFORE};
use staying_close_domain::ssda903::Episode;
use std::collections::HashMap;

/// One care leaver for the return, with their SSDA903 header and episodes.
#[derive(Debug, Clone)]
pub struct Oc3Source {
    pub id: crate::YoungPersonId,
    pub person: Oc3Person,
    pub sex: Option<String>,
    pub ethnicity: Option<String>,
    pub upn: Option<String>,
    pub episodes: Vec<Episode>,
}

type Args = (i64, String, String, String, String);

/// `$1` LA, `$2`/`$3` the dates of birth, `$4`/`$5` the days read.
fn bound<'q>(sql: &'q str, a: &Args) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    sqlx::query(sql).bind(a.0).bind(a.1.clone()).bind(a.2.clone()).bind(a.3.clone()).bind(a.4.clone())
}

impl Store {
    /// The care leavers whose 17th to 21st birthday falls in `year`, with
    /// what the return reads about each.
    pub async fn oc3_sources(&self, la: LaId, year: FinancialYear) -> Result<Vec<Oc3Source>, StoreError> {
        // Care-leaver statuses are worked out from the episodes; bring them up to date first.
        self.refresh_cohort_facts(la, staying_close_domain::dates::uk_today()).await?;
        // Born so that some birthday from 17 to 21 can fall in the year.
        let born_after = year.first_day() - Months::new(12 * (AGES.end() + 1));
        let born_by = year.last_day() - Months::new(12 * AGES.start());
        let cohort = "SELECT y.id FROM young_people y WHERE y.la_id = $1
            AND y.care_leaver_status IN ('relevant', 'former_relevant')
            AND y.date_of_birth > $2 AND y.date_of_birth <= $3";
        let from = date(year.first_day() - Months::new(MONTHS_BEFORE));
        let to = date(year.last_day() + Months::new(MONTHS_AFTER));
        let args = (la.0, date(born_after), date(born_by), from, to);
        let people = bound(
            &format!(
                "SELECT y.id, y.child_id, y.date_of_birth, y.sex, y.ethnicity, y.upn, y.closed_reason, y.closed_on
             FROM young_people y WHERE y.id IN ({cohort}) AND y.la_id = $1 AND ($4 = $4) AND ($5 = $5)
             ORDER BY y.child_id"
            ),
            &args,
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<Oc3Source> = Vec::with_capacity(people.len());
        let mut index: HashMap<i64, usize> = HashMap::new();
        for r in &people {
            let closed: Option<String> = r.try_get("closed_on")?;
            let reason: Option<String> = r.try_get("closed_reason")?;
            index.insert(r.try_get("id")?, out.len());
            out.push(Oc3Source {
                id: crate::YoungPersonId(r.try_get("id")?),
                person: Oc3Person {
                    child_id: r.try_get("child_id")?,
                    date_of_birth: parse_date(&r.try_get::<String, _>("date_of_birth")?)?,
                    contacts: Vec::new(),
                    activities: Vec::new(),
                    stays: Vec::new(),
                    died_on: if reason.as_deref() == Some("died") {
                        closed.as_deref().map(parse_date).transpose()?
                    } else {
                        None
                    },
                    care: Vec::new(),
                },
                sex: r.try_get("sex")?,
                ethnicity: r.try_get("ethnicity")?,
                upn: r.try_get("upn")?,
                episodes: Vec::new(),
            });
        }
        let contacts = bound(
            &format!(
                "SELECT DISTINCT young_person_id, occurred_on FROM contacts
             WHERE la_id = $1 AND occurred_on >= $4 AND occurred_on <= $5 AND young_person_id IN ({cohort})"
            ),
            &args,
        )
        .fetch_all(&self.pool)
        .await?;
        for r in &contacts {
            if let Some(i) = index.get(&r.try_get::<i64, _>("young_person_id")?) {
                out[*i].person.contacts.push(parse_date(&r.try_get::<String, _>("occurred_on")?)?);
            }
        }
        let activities = bound(&format!(
            "SELECT id, young_person_id, activ_code, provider, starts_on, ends_on FROM eet_activities
             WHERE la_id = $1 AND starts_on <= $5 AND (ends_on IS NULL OR ends_on >= $4) AND young_person_id IN ({cohort})
             ORDER BY starts_on"
        ), &args)
        .fetch_all(&self.pool)
        .await?;
        for r in &activities {
            if let Some(i) = index.get(&r.try_get::<i64, _>("young_person_id")?) {
                out[*i].person.activities.push(activity_of(r)?.activity);
            }
        }
        let stays = bound(&format!(
            "SELECT {STAY_COLUMNS} FROM accommodation_stays
             WHERE la_id = $1 AND starts_on <= $5 AND (ends_on IS NULL OR ends_on >= $4) AND young_person_id IN ({cohort})
             ORDER BY starts_on"
        ), &args)
        .fetch_all(&self.pool)
        .await?;
        for r in &stays {
            let stay = stay_of(r)?;
            if let Some(i) = index.get(&stay.young_person.0) {
                out[*i].person.stays.push(stay.stay);
            }
        }
        let episodes = bound(
            &format!(
                "SELECT young_person_id, {EPISODE_COLUMNS} FROM care_episodes e
             WHERE e.la_id = $1 AND e.young_person_id IN ({cohort}) AND ($4 = $4) AND ($5 = $5)
             ORDER BY e.young_person_id, e.started_on"
            ),
            &args,
        )
        .fetch_all(&self.pool)
        .await?;
        for r in &episodes {
            if let Some(i) = index.get(&r.try_get::<i64, _>("young_person_id")?) {
                let episode = episode_from_row(r)?;
                out[*i].person.care.push((episode.start, episode.end));
                out[*i].episodes.push(episode);
            }
        }
        Ok(out)
    }
}
