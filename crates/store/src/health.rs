//! Health records (special-category data), scoped by the viewer. Callers
//! check `view_health` / `record_health`; every read is audited by them.

use crate::audit::{Actor, Change};
use crate::contacts::require_visible;
use crate::text::{date, parse_date};
use crate::write::{missing_or_stale, Written};
use crate::young_people::{Viewer, YoungPersonId};
use crate::{LaId, Store, StoreError};
use serde_json::json;
use sqlx::Row;
use staying_close_domain::health::{HealthReferral, Pathway, ReferralStatus, Registration, Session, SessionKind};

/// A young person's health records: sessions and referrals the latest
/// first (with ids and versions), and their registration (with its version).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HealthRecords {
    pub sessions: Vec<(i64, Session, Option<String>)>,
    pub referrals: Vec<(i64, HealthReferral, i64)>,
    pub registration: Option<(i64, Registration, i64)>,
}

impl HealthRecords {
    pub fn ids(&self) -> Vec<i64> {
        self.sessions
            .iter()
            .map(|s| s.0)
            .chain(self.referrals.iter().map(|r| r.0))
            .chain(self.registration.iter().map(|r| r.0))
            .collect()
    }
}

fn optional_date(r: &sqlx::any::AnyRow, c: &str) -> Result<Option<chrono::NaiveDate>, StoreError> {
    let t: Option<String> = r.try_get(c)?;
    t.as_deref().map(parse_date).transpose()
}

impl Store {
    pub async fn health_records(&self, la: LaId, person: YoungPersonId) -> Result<HealthRecords, StoreError> {
        let mut out = HealthRecords::default();
        let rows = sqlx::query(
            "SELECT h.id, h.held_on, h.kind, h.minutes, h.note, s.display_name FROM health_sessions h
             LEFT JOIN staff s ON s.la_id = h.la_id AND s.id = h.recorded_by
             WHERE h.la_id = $1 AND h.young_person_id = $2 ORDER BY h.held_on DESC, h.id DESC",
        )
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            let kind: String = r.try_get("kind")?;
            let minutes: Option<i64> = r.try_get("minutes")?;
            out.sessions.push((
                r.try_get("id")?,
                Session {
                    on: parse_date(&r.try_get::<String, _>("held_on")?)?,
                    kind: SessionKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("session {kind:?}")))?,
                    minutes: minutes.and_then(|m| u32::try_from(m).ok()),
                    note: r.try_get("note")?,
                },
                r.try_get("display_name")?,
            ));
        }
        let rows = sqlx::query(
            "SELECT id, pathway, referred_on, status, outcome, version FROM health_referrals
             WHERE la_id = $1 AND young_person_id = $2 ORDER BY referred_on DESC, id DESC",
        )
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            let pathway: String = r.try_get("pathway")?;
            let status: String = r.try_get("status")?;
            out.referrals.push((
                r.try_get("id")?,
                HealthReferral {
                    pathway: Pathway::parse(&pathway)
                        .ok_or_else(|| StoreError::Corrupt(format!("pathway {pathway:?}")))?,
                    referred_on: parse_date(&r.try_get::<String, _>("referred_on")?)?,
                    status: ReferralStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("referral status {status:?}")))?,
                    outcome: r.try_get("outcome")?,
                },
                r.try_get("version")?,
            ));
        }
        let row = sqlx::query(
            "SELECT id, gp, dentist, passport_given_on, version FROM health_registrations
             WHERE la_id = $1 AND young_person_id = $2",
        )
        .bind(la.0)
        .bind(person.0)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(r) = row {
            out.registration = Some((
                r.try_get("id")?,
                Registration {
                    gp: r.try_get("gp")?,
                    dentist: r.try_get("dentist")?,
                    passport_given_on: optional_date(&r, "passport_given_on")?,
                },
                r.try_get("version")?,
            ));
        }
        Ok(out)
    }

    pub async fn add_health_session(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        session: &Session,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (viewer, s) = (*viewer, session.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let row = sqlx::query(
                    "INSERT INTO health_sessions (la_id, young_person_id, held_on, kind, minutes, note, recorded_by,
                        created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(viewer.la.0)
                .bind(person.0)
                .bind(date(s.on))
                .bind(s.kind.code())
                .bind(s.minutes.map(i64::from))
                .bind(s.note.clone())
                .bind(viewer.staff.map(|s| s.0))
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = row.try_get("id")?;
                // No note or clinical detail in the audit trail: kind and date only.
                let details = json!({ "young_person_id": person.0, "kind": s.kind.code(), "on": date(s.on) });
                let change = Change {
                    la: Some(viewer.la),
                    action: "create",
                    entity_type: "health_session",
                    entity_id: Some(id),
                    details,
                };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    /// Records a referral (`existing` None) or changes one at its version.
    pub async fn save_health_referral(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        existing: Option<(i64, i64)>,
        referral: &HealthReferral,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (viewer, r) = (*viewer, referral.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let (id, action) = match existing {
                    None => {
                        let row = sqlx::query(
                            "INSERT INTO health_referrals (la_id, young_person_id, pathway, referred_on, status, outcome,
                                recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                        )
                        .bind(viewer.la.0)
                        .bind(person.0)
                        .bind(r.pathway.code())
                        .bind(date(r.referred_on))
                        .bind(r.status.code())
                        .bind(r.outcome.clone())
                        .bind(viewer.staff.map(|s| s.0))
                        .bind(crate::text::now())
                        .fetch_one(&mut *tx)
                        .await?;
                        (row.try_get::<i64, _>("id")?, "create")
                    }
                    Some((id, version)) => {
                        let updated = sqlx::query(
                            "UPDATE health_referrals SET pathway = $4, referred_on = $5, status = $6, outcome = $7,
                                version = version + 1 WHERE la_id = $1 AND young_person_id = $2 AND id = $3 AND version = $8",
                        )
                        .bind(viewer.la.0)
                        .bind(person.0)
                        .bind(id)
                        .bind(r.pathway.code())
                        .bind(date(r.referred_on))
                        .bind(r.status.code())
                        .bind(r.outcome.clone())
                        .bind(version)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                        if updated == 0 {
                            let why = ("health referral", "Health referral");
                            return Err(missing_or_stale(tx, "health_referrals", viewer.la, id, Some(person), why).await);
                        }
                        (id, "update")
                    }
                };
                let details = json!({ "young_person_id": person.0, "pathway": r.pathway.code(), "status": r.status.code() });
                let change =
                    Change { la: Some(viewer.la), action, entity_type: "health_referral", entity_id: Some(id), details };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    /// Saves GP, dentist and passport: the first time, or from `version`.
    pub async fn save_registration(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        version: Option<i64>,
        registration: &Registration,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let (viewer, r) = (*viewer, registration.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let done = match version {
                    None => sqlx::query(
                        "INSERT INTO health_registrations (la_id, young_person_id, gp, dentist, passport_given_on,
                            recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(viewer.la.0)
                    .bind(person.0)
                    .bind(r.gp.clone())
                    .bind(r.dentist.clone())
                    .bind(r.passport_given_on.map(date))
                    .bind(viewer.staff.map(|s| s.0))
                    .bind(crate::text::now())
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| match StoreError::duplicate_as("registration")(e) {
                        StoreError::Duplicate { .. } => StoreError::Conflict { what: "registration" },
                        other => other,
                    })?
                    .rows_affected(),
                    Some(v) => sqlx::query(
                        "UPDATE health_registrations SET gp = $3, dentist = $4, passport_given_on = $5,
                            version = version + 1 WHERE la_id = $1 AND young_person_id = $2 AND version = $6",
                    )
                    .bind(viewer.la.0)
                    .bind(person.0)
                    .bind(r.gp.clone())
                    .bind(r.dentist.clone())
                    .bind(r.passport_given_on.map(date))
                    .bind(v)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected(),
                };
                if done == 0 {
                    return Err(StoreError::Conflict { what: "registration" });
                }
                let details = json!({
                    "young_person_id": person.0,
                    "gp_registered": r.gp.is_some(),
                    "dentist_registered": r.dentist.is_some(),
                    "passport_given": r.passport_given_on.is_some(),
                });
                let change = Change {
                    la: Some(viewer.la),
                    action: "update",
                    entity_type: "health_registration",
                    entity_id: Some(person.0),
                    details,
                };
                Ok(Written::new((), change))
            })
        })
        .await
    }
}
