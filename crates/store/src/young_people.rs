//! Young people and their SSDA903 care episodes. Every query is scoped to one LA.

use crate::audit::{Actor, Change};
use crate::text::{date, parse_date, parse_optional_date};
use crate::write::Written;
use crate::{LaId, StaffId, Store, StoreError};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;
use staying_close_domain::identifiers::{NhsNumber, Upn};
use staying_close_domain::people::{ChildId, CohortStatus, PersonName, Sex};
use staying_close_domain::permissions::RecordScope;
use staying_close_domain::profile::{Celebration, ClosureReason};
use staying_close_domain::ssda903::{
    Code, CodeList, Episode, ShortText, CATEGORY_OF_NEED, LEGAL_STATUS, PLACEMENT, PLACEMENT_PROVIDER,
    REASON_EPISODE_CEASED, REASON_NEW_EPISODE, REASON_PLACE_CHANGE,
};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YoungPersonId(pub i64);

#[derive(Debug, Clone)]
pub struct NewYoungPerson {
    pub child_id: ChildId,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub preferred_name: Option<PersonName>,
    pub date_of_birth: NaiveDate,
    pub sex: Option<Sex>,
    pub ethnicity: Option<String>,
    pub cohort_status: CohortStatus,
    pub personal_adviser: Option<StaffId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YoungPerson {
    pub id: YoungPersonId,
    pub la_id: LaId,
    pub child_id: ChildId,
    pub first_name: String,
    pub last_name: String,
    pub preferred_name: Option<String>,
    pub date_of_birth: NaiveDate,
    pub sex: Option<Sex>,
    pub ethnicity: Option<String>,
    pub cohort_status: CohortStatus,
    pub personal_adviser: Option<StaffId>,
    pub details: Details,
    pub version: i64,
}

/// What practitioners record beyond the SSDA903 facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    pub pronouns: Option<String>,
    pub upn: Option<Upn>,
    pub nhs_number: Option<NhsNumber>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub languages: Option<String>,
    pub faith: Option<String>,
    pub celebrations: Vec<Celebration>,
    pub disabilities: Option<String>,
    pub communication_needs: Option<String>,
    pub young_parent: bool,
    pub expecting: bool,
    pub home_left: Option<String>,
    pub home_contact: Option<String>,
    pub care_ended_on: Option<NaiveDate>,
    pub staying_close_start: Option<NaiveDate>,
    pub staying_close_end: Option<NaiveDate>,
    pub closed: Option<Closure>,
}

/// When and why a record was closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub on: NaiveDate,
    pub reason: ClosureReason,
    pub note: Option<String>,
}

/// One line of the cohort list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortRow {
    pub id: YoungPersonId,
    pub child_id: ChildId,
    /// The name to show; `None` when none is recorded (SSDA903 imports carry none).
    pub name: Option<String>,
    pub date_of_birth: NaiveDate,
    pub cohort_status: CohortStatus,
    pub adviser_id: Option<StaffId>,
    pub adviser_name: Option<String>,
}

/// Who is looking, and so which young people they may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub la: LaId,
    /// The member of staff; `None` for the program itself.
    pub staff: Option<StaffId>,
    pub scope: RecordScope,
}

impl Viewer {
    pub fn whole_la(la: LaId) -> Viewer {
        Viewer { la, staff: None, scope: RecordScope::WholeLa }
    }

    /// The SQL condition on `y` (young_people) for this viewer; `param` is
    /// the placeholder bound to the viewer's staff id.
    pub(crate) fn clause(&self, param: &str) -> String {
        let shared = format!(
            "EXISTS (SELECT 1 FROM young_person_shares sh WHERE sh.la_id = y.la_id AND sh.young_person_id = y.id AND sh.staff_id = {param})"
        );
        // Allocated to them now, in any part (a trusted adult from the home too).
        let allocated = format!(
            "EXISTS (SELECT 1 FROM allocations al WHERE al.la_id = y.la_id AND al.staff_id = {param}
                AND al.young_person_id = y.id AND al.ends_on IS NULL)"
        );
        match self.scope {
            RecordScope::WholeLa => format!("({param} = {param})"),
            RecordScope::OwnAndShared => format!("(y.personal_adviser_id = {param} OR {allocated} OR {shared})"),
            RecordScope::SharedOnly => format!("({allocated} OR {shared})"),
        }
    }
}

pub(crate) const COLUMNS: &str =
    "id, la_id, child_id, first_name, last_name, preferred_name, date_of_birth, sex, ethnicity,
    cohort_status, personal_adviser_id, version, pronouns, upn, nhs_number, phone, email, address, languages, faith,
    celebrations, disabilities, communication_needs, young_parent, expecting, home_left, home_contact, care_ended_on,
    staying_close_start, staying_close_end, closed_on, closed_reason, closed_note";

fn details_from_row(row: &AnyRow) -> Result<Details, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(what.to_owned());
    let date = |column: &str| -> Result<Option<NaiveDate>, StoreError> { parse_optional_date(row.try_get(column)?) };
    let closed = match date("closed_on")? {
        Some(on) => {
            let reason: Option<String> = row.try_get("closed_reason")?;
            let reason = reason.as_deref().and_then(ClosureReason::parse).ok_or_else(|| corrupt("closure reason"))?;
            Some(Closure { on, reason, note: row.try_get("closed_note")? })
        }
        None => None,
    };
    Ok(Details {
        pronouns: row.try_get("pronouns")?,
        upn: row
            .try_get::<Option<String>, _>("upn")?
            .map(|t| Upn::parse(&t).map_err(|_| corrupt("UPN")))
            .transpose()?,
        nhs_number: row
            .try_get::<Option<String>, _>("nhs_number")?
            .map(|t| NhsNumber::parse(&t).map_err(|_| corrupt("NHS number")))
            .transpose()?,
        phone: row.try_get("phone")?,
        email: row.try_get("email")?,
        address: row.try_get("address")?,
        languages: row.try_get("languages")?,
        faith: row.try_get("faith")?,
        celebrations: Celebration::split(&row.try_get::<String, _>("celebrations")?),
        disabilities: row.try_get("disabilities")?,
        communication_needs: row.try_get("communication_needs")?,
        young_parent: row.try_get::<i64, _>("young_parent")? == 1,
        expecting: row.try_get::<i64, _>("expecting")? == 1,
        home_left: row.try_get("home_left")?,
        home_contact: row.try_get("home_contact")?,
        care_ended_on: date("care_ended_on")?,
        staying_close_start: date("staying_close_start")?,
        staying_close_end: date("staying_close_end")?,
        closed,
    })
}

pub(crate) fn from_row(row: &AnyRow) -> Result<YoungPerson, StoreError> {
    let dob: String = row.try_get("date_of_birth")?;
    Ok(YoungPerson {
        id: YoungPersonId(row.try_get("id")?),
        la_id: LaId(row.try_get("la_id")?),
        child_id: child_id_from(&row.try_get::<String, _>("child_id")?)?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        preferred_name: row.try_get("preferred_name")?,
        date_of_birth: parse_date(&dob)?,
        sex: row.try_get::<Option<String>, _>("sex")?.as_deref().map(sex_from).transpose()?,
        ethnicity: row.try_get("ethnicity")?,
        cohort_status: cohort_status_from(&row.try_get::<String, _>("cohort_status")?)?,
        personal_adviser: row.try_get::<Option<i64>, _>("personal_adviser_id")?.map(StaffId),
        details: details_from_row(row)?,
        version: row.try_get("version")?,
    })
}

pub(crate) fn child_id_from(text: &str) -> Result<ChildId, StoreError> {
    ChildId::parse(text).map_err(|_| StoreError::Corrupt(format!("child ID {text:?}")))
}

pub(crate) fn sex_from(code: &str) -> Result<Sex, StoreError> {
    Sex::from_ssda903(code).ok_or_else(|| StoreError::Corrupt(format!("sex {code:?}")))
}

fn cohort_status_from(text: &str) -> Result<CohortStatus, StoreError> {
    CohortStatus::parse(text).ok_or_else(|| StoreError::Corrupt(format!("cohort status {text:?}")))
}

/// The care-episode columns [`episode_from_row`] reads.
pub(crate) const EPISODE_COLUMNS: &str =
    "started_on, ended_on, reason_new, legal_status, category_of_need, placement, \
    provider, reason_ceased, reason_place_change, home_postcode, placement_postcode, urn";

pub(crate) fn episode_from_row(row: &AnyRow) -> Result<Episode, StoreError> {
    let start: String = row.try_get("started_on")?;
    let code = |column: &str, list: &CodeList| -> Result<Code, StoreError> {
        let text: String = row.try_get(column)?;
        list.code(&text).ok_or_else(|| StoreError::Corrupt(format!("{column} {text:?}")))
    };
    let optional_code = |column: &str, list: &CodeList| -> Result<Option<Code>, StoreError> {
        let text: Option<String> = row.try_get(column)?;
        text.map(|t| list.code(&t).ok_or_else(|| StoreError::Corrupt(format!("{column} {t:?}")))).transpose()
    };
    let text = |column: &str| -> Result<Option<ShortText>, StoreError> {
        let text: Option<String> = row.try_get(column)?;
        text.map(|t| ShortText::new(&t).ok_or_else(|| StoreError::Corrupt(format!("{column} is too long")))).transpose()
    };
    Ok(Episode {
        start: parse_date(&start)?,
        end: parse_optional_date(row.try_get("ended_on")?)?,
        reason_new: code("reason_new", &REASON_NEW_EPISODE)?,
        legal_status: code("legal_status", &LEGAL_STATUS)?,
        category_of_need: code("category_of_need", &CATEGORY_OF_NEED)?,
        placement: code("placement", &PLACEMENT)?,
        provider: optional_code("provider", &PLACEMENT_PROVIDER)?,
        reason_ceased: optional_code("reason_ceased", &REASON_EPISODE_CEASED)?,
        reason_place_change: optional_code("reason_place_change", &REASON_PLACE_CHANGE)?,
        home_postcode: text("home_postcode")?,
        placement_postcode: text("placement_postcode")?,
        urn: text("urn")?,
    })
}

/// Inserts many episodes with a few multi-row statements.
pub(crate) async fn insert_episodes(
    conn: &mut AnyConnection,
    la: LaId,
    episodes: &[(YoungPersonId, &Episode)],
    now: &str,
) -> Result<(), StoreError> {
    const COLUMNS: usize = 15;
    for chunk in episodes.chunks(crate::batch::rows_per_statement(conn, COLUMNS)) {
        let sql = format!(
            "INSERT INTO care_episodes (la_id, young_person_id, started_on, ended_on, reason_new, legal_status,
                category_of_need, placement, provider, reason_ceased, reason_place_change, home_postcode,
                placement_postcode, urn, created_at) VALUES {}",
            crate::batch::placeholders(chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(&sql);
        for (person, e) in chunk {
            query = query
                .bind(la.0)
                .bind(person.0)
                .bind(date(e.start))
                .bind(e.end.map(date))
                .bind(e.reason_new.as_str())
                .bind(e.legal_status.as_str())
                .bind(e.category_of_need.as_str())
                .bind(e.placement.as_str())
                .bind(e.provider.map(Code::as_str))
                .bind(e.reason_ceased.map(Code::as_str))
                .bind(e.reason_place_change.map(Code::as_str))
                .bind(e.home_postcode.map(|t| t.as_str().to_owned()))
                .bind(e.placement_postcode.map(|t| t.as_str().to_owned()))
                .bind(e.urn.map(|t| t.as_str().to_owned()))
                .bind(now.to_owned());
        }
        query.execute(&mut *conn).await.map_err(StoreError::duplicate_as("An episode starting on that date"))?;
    }
    let mut people: Vec<i64> = episodes.iter().map(|(p, _)| p.0).collect();
    people.sort_unstable();
    people.dedup();
    crate::cohort::mark_facts_stale(conn, la, &people).await
}

/// How a young person is named on screen: preferred or first name and
/// surname; `None` when no name is recorded (children imported from SSDA903,
/// which carries none), so pages can say so and ask for one.
pub fn display_name(first: &str, preferred: Option<&str>, last: &str) -> Option<String> {
    let given = preferred.filter(|p| !p.is_empty()).unwrap_or(first);
    match (given.is_empty(), last.is_empty()) {
        (true, true) => None,
        (false, true) => Some(given.to_owned()),
        (true, false) => Some(last.to_owned()),
        (false, false) => Some(format!("{given} {last}")),
    }
}

impl YoungPerson {
    /// The name to show, if one is recorded.
    pub fn display_name(&self) -> Option<String> {
        display_name(&self.first_name, self.preferred_name.as_deref(), &self.last_name)
    }
}

impl Store {
    pub async fn create_young_person(
        &self,
        la: LaId,
        new: &NewYoungPerson,
        actor: &Actor,
    ) -> Result<YoungPerson, StoreError> {
        let new = new.clone();
        self.write(actor, move |tx| {
            Box::pin(async move {
                let row = sqlx::query(&format!(
                    "INSERT INTO young_people (la_id, child_id, first_name, last_name, preferred_name, date_of_birth,
                        sex, ethnicity, cohort_status, personal_adviser_id, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING {COLUMNS}"
                ))
                .bind(la.0)
                .bind(new.child_id.as_str())
                .bind(new.first_name.as_str())
                .bind(new.last_name.as_str())
                .bind(new.preferred_name.as_ref().map(|n| n.as_str().to_owned()))
                .bind(date(new.date_of_birth))
                .bind(new.sex.map(Sex::code))
                .bind(new.ethnicity.clone())
                .bind(new.cohort_status.as_str())
                .bind(new.personal_adviser.map(|s| s.0))
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| match &e {
                    sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                        StoreError::Invalid("the personal adviser must work for the same local authority".into())
                    }
                    _ => StoreError::duplicate_as("A young person with that child ID")(e),
                })?;
                let person = from_row(&row)?;
                let details =
                    json!({ "child_id": person.child_id.as_str(), "cohort_status": person.cohort_status.as_str() });
                let change = Change {
                    la: Some(la),
                    action: "create",
                    entity_type: "young_person",
                    entity_id: Some(person.id.0),
                    details,
                };
                Ok(Written::new(person, change))
            })
        })
        .await
    }

    /// One young person, only if they belong to `la`.
    pub async fn young_person(&self, la: LaId, id: YoungPersonId) -> Result<YoungPerson, StoreError> {
        self.young_person_for(&Viewer::whole_la(la), id).await
    }

    /// One young person, only if `viewer` may see them; anyone else's is "not found".
    pub async fn young_person_for(&self, viewer: &Viewer, id: YoungPersonId) -> Result<YoungPerson, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM young_people y WHERE y.la_id = $1 AND y.id = $2 AND {}",
            viewer.clause("$3")
        ))
        .bind(viewer.la.0)
        .bind(id.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(from_row).transpose()?.ok_or(StoreError::NotFound { what: "Young person" })
    }

    /// Opens a young person's record for `viewer` and records the view in
    /// the audit trail: every read of a record goes through here.
    pub async fn open_young_person(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: YoungPersonId,
        via: &str,
    ) -> Result<YoungPerson, StoreError> {
        let person = match self.young_person_for(viewer, id).await {
            Ok(person) => person,
            Err(e @ StoreError::NotFound { .. }) => {
                // Another LA's record, or one outside this person's scope: refused and recorded.
                self.record_refusal(actor, Some(viewer.la), "young_person", Some(&id.0.to_string())).await?;
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        self.record_event(actor, Some(viewer.la), "view", "young_person", Some(person.id.0), json!({ "via": via }))
            .await?;
        Ok(person)
    }

    /// Every young person's episodes in one LA, for cohort-wide rules.
    pub async fn episodes_by_young_person(&self, la: LaId) -> Result<HashMap<YoungPersonId, Vec<Episode>>, StoreError> {
        self.episodes_for(&Viewer::whole_la(la)).await
    }

    /// The episodes of the young people `viewer` may see, and no others.
    pub async fn episodes_for(&self, viewer: &Viewer) -> Result<HashMap<YoungPersonId, Vec<Episode>>, StoreError> {
        let mut out: HashMap<YoungPersonId, Vec<Episode>> = HashMap::new();
        let rows = sqlx::query(&format!(
            "SELECT young_person_id, {EPISODE_COLUMNS} FROM care_episodes e
             JOIN young_people y ON y.la_id = e.la_id AND y.id = e.young_person_id
             WHERE e.la_id = $1 AND {}
             ORDER BY e.young_person_id, e.started_on",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            out.entry(YoungPersonId(r.try_get("young_person_id")?)).or_default().push(episode_from_row(&r)?);
        }
        Ok(out)
    }

    /// Everyone known to the LA's Staying Close team, by surname.
    pub async fn cohort(&self, la: LaId) -> Result<Vec<CohortRow>, StoreError> {
        self.cohort_for(&Viewer::whole_la(la)).await
    }

    /// The young people `viewer` may see, by surname.
    pub async fn cohort_for(&self, viewer: &Viewer) -> Result<Vec<CohortRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT y.id, y.child_id, y.first_name, y.last_name, y.preferred_name, y.date_of_birth, y.cohort_status,
                    y.personal_adviser_id, s.display_name AS adviser_name
             FROM young_people y
             LEFT JOIN staff s ON s.la_id = y.la_id AND s.id = y.personal_adviser_id
             WHERE y.la_id = $1 AND {}
             ORDER BY y.last_name, y.first_name, y.id",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let first: String = r.try_get("first_name")?;
                let preferred: Option<String> = r.try_get("preferred_name")?;
                let last: String = r.try_get("last_name")?;
                let dob: String = r.try_get("date_of_birth")?;
                Ok(CohortRow {
                    id: YoungPersonId(r.try_get("id")?),
                    name: display_name(&first, preferred.as_deref(), &last),
                    child_id: child_id_from(&r.try_get::<String, _>("child_id")?)?,
                    date_of_birth: parse_date(&dob)?,
                    cohort_status: cohort_status_from(&r.try_get::<String, _>("cohort_status")?)?,
                    adviser_id: r.try_get::<Option<i64>, _>("personal_adviser_id")?.map(StaffId),
                    adviser_name: r.try_get("adviser_name")?,
                })
            })
            .collect()
    }

    /// Records care episodes for a young person of `la`.
    pub async fn add_episodes(
        &self,
        la: LaId,
        person: YoungPersonId,
        episodes: &[Episode],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let episodes = episodes.to_vec();
        self.write(actor, move |tx| {
            Box::pin(async move {
                // Refuse ids from another LA before touching anything.
                let owned = sqlx::query("SELECT id FROM young_people WHERE la_id = $1 AND id = $2")
                    .bind(la.0)
                    .bind(person.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                if owned.is_none() {
                    return Err(StoreError::NotFound { what: "Young person" });
                }
                let rows: Vec<(YoungPersonId, &Episode)> = episodes.iter().map(|e| (person, e)).collect();
                insert_episodes(tx, la, &rows, &crate::text::now()).await?;
                let change = Change {
                    la: Some(la),
                    action: "create",
                    entity_type: "care_episode",
                    entity_id: Some(person.0),
                    details: json!({ "episodes_added": episodes.len() }),
                };
                Ok(Written::new((), change))
            })
        })
        .await
    }

    /// A young person's care episodes in date order.
    pub async fn episodes(&self, la: LaId, person: YoungPersonId) -> Result<Vec<Episode>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {EPISODE_COLUMNS} FROM care_episodes WHERE la_id = $1 AND young_person_id = $2 ORDER BY started_on"
        ))
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(episode_from_row).collect()
    }
}
