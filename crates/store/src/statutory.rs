//! Statutory staying close support (s.23CZAA): assessments of whether a
//! former relevant child needs it, the support contacts gave by the statute's
//! areas and forms, and who is owed an assessment. Who is owed one comes from
//! the derived care-leaver status kept on each record (migration 11), so the
//! lists never read anyone's care episodes.

use crate::audit::{Actor, Change};
use crate::contacts::{name_of, require_visible, Caseload};
use crate::text::{date, parse_date};
use crate::write::Written;
use crate::young_people::{Viewer, YoungPersonId};
use crate::{LaId, Store, StoreError};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::Row;
use staying_close_domain::statutory::{
    born_after_for_duty, split_areas, split_forms, Assessment, AssessmentOutcome, SupportArea, SupportForm,
};

/// An assessment on record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAssessment {
    pub id: i64,
    pub assessed_on: NaiveDate,
    pub assessed_by: String,
    pub outcome: AssessmentOutcome,
    pub reasons: String,
    pub their_view: Option<String>,
}

/// Support given in one area and form: how many contacts, and minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupportGiven {
    pub area: SupportArea,
    pub form: SupportForm,
    pub contacts: u32,
    pub minutes: u32,
}

/// A young person owed an assessment, for My week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentOwed {
    pub young_person: YoungPersonId,
    pub name: Option<String>,
    pub child_id: String,
    pub adviser_name: Option<String>,
    pub date_of_birth: NaiveDate,
}

/// The SQL condition (on `y`) for "owed an assessment and none on record":
/// a former relevant child born after `born_after` (so under 25). `param`
/// is bound to that date.
pub(crate) fn assessment_owed_clause(param: &str) -> String {
    format!(
        "y.care_leaver_status = 'former_relevant' AND y.date_of_birth > {param}
         AND NOT EXISTS (SELECT 1 FROM staying_close_assessments sa
                         WHERE sa.la_id = y.la_id AND sa.young_person_id = y.id)"
    )
}

impl Store {
    /// A young person's assessments, latest first. The caller has checked
    /// the young person is within the viewer's scope.
    pub async fn staying_close_assessments(
        &self,
        la: LaId,
        person: YoungPersonId,
    ) -> Result<Vec<StoredAssessment>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.assessed_on, s.display_name, a.outcome, a.reasons, a.their_view
             FROM staying_close_assessments a JOIN staff s ON s.la_id = a.la_id AND s.id = a.assessed_by
             WHERE a.la_id = $1 AND a.young_person_id = $2 ORDER BY a.assessed_on DESC, a.id DESC",
        )
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let outcome: String = r.try_get("outcome")?;
                Ok(StoredAssessment {
                    id: r.try_get("id")?,
                    assessed_on: parse_date(&r.try_get::<String, _>("assessed_on")?)?,
                    assessed_by: r.try_get("display_name")?,
                    outcome: AssessmentOutcome::parse(&outcome)
                        .ok_or_else(|| StoreError::Corrupt(format!("assessment outcome {outcome:?}")))?,
                    reasons: r.try_get("reasons")?,
                    their_view: r.try_get("their_view")?,
                })
            })
            .collect()
    }

    /// Records an assessment for a young person `viewer` may see.
    pub async fn record_assessment(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        assessment: &Assessment,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (viewer, a, recorded_by) = (*viewer, assessment.clone(), viewer.staff.map(|s| s.0));
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let la = viewer.la;
                let row = sqlx::query(
                    "INSERT INTO staying_close_assessments (la_id, young_person_id, assessed_on, assessed_by, outcome,
                        reasons, their_view, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                     RETURNING id",
                )
                .bind(la.0)
                .bind(person.0)
                .bind(date(a.assessed_on))
                .bind(a.assessed_by)
                .bind(a.outcome.code())
                .bind(a.reasons.clone())
                .bind(a.their_view.clone())
                .bind(recorded_by)
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await
                .map_err(StoreError::foreign_key_as("the assessor must work for the same local authority"))?;
                let id: i64 = row.try_get("id")?;
                let change = Change {
                    la: Some(la),
                    action: "create",
                    entity_type: "staying_close_assessment",
                    entity_id: Some(id),
                    details: json!({
                        "young_person_id": person.0,
                        "assessed_on": date(a.assessed_on),
                        "outcome": a.outcome.code(),
                    }),
                };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    /// Staying close support a young person's contacts gave, by area and
    /// form (a contact in two areas counts in each).
    pub async fn support_given(&self, la: LaId, person: YoungPersonId) -> Result<Vec<SupportGiven>, StoreError> {
        let rows = sqlx::query(
            "SELECT support_areas, support_forms, duration_minutes FROM contacts
             WHERE la_id = $1 AND young_person_id = $2 AND support_areas <> ''",
        )
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<SupportGiven> = Vec::new();
        for r in &rows {
            let minutes = u32::try_from(r.try_get::<i64, _>("duration_minutes")?).unwrap_or(0);
            for area in split_areas(&r.try_get::<String, _>("support_areas")?) {
                for form in split_forms(&r.try_get::<String, _>("support_forms")?) {
                    match out.iter_mut().find(|g| g.area == area && g.form == form) {
                        Some(g) => {
                            g.contacts += 1;
                            g.minutes += minutes;
                        }
                        None => out.push(SupportGiven { area, form, contacts: 1, minutes }),
                    }
                }
            }
        }
        out.sort_by_key(|g| (g.area, g.form));
        Ok(out)
    }

    /// Young people of a caseload owed an assessment on `today` with none on
    /// record, oldest first (the nearest to 25 first).
    pub async fn assessments_owed(
        &self,
        viewer: &Viewer,
        caseload: Caseload,
        today: NaiveDate,
    ) -> Result<Vec<AssessmentOwed>, StoreError> {
        let mine = caseload.condition("y.personal_adviser_id", "$4");
        let rows = sqlx::query(&format!(
            "SELECT y.id, y.child_id, y.first_name, y.preferred_name, y.last_name, y.date_of_birth,
                    s.display_name AS adviser_name
             FROM young_people y LEFT JOIN staff s ON s.la_id = y.la_id AND s.id = y.personal_adviser_id
             WHERE y.la_id = $1 AND y.cohort_status <> 'closed' AND {} AND {} {mine}
             ORDER BY y.date_of_birth, y.id LIMIT 500",
            assessment_owed_clause("$3"),
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(date(born_after_for_duty(today)))
        .bind(caseload.staff_id())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AssessmentOwed {
                    young_person: YoungPersonId(r.try_get("id")?),
                    name: name_of(r)?,
                    child_id: r.try_get("child_id")?,
                    adviser_name: r.try_get("adviser_name")?,
                    date_of_birth: parse_date(&r.try_get::<String, _>("date_of_birth")?)?,
                })
            })
            .collect()
    }
}
