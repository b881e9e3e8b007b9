//! Accommodation history, housing interventions and ring-fenced lets,
//! scoped by the viewer's LA. Overlaps are checked inside the write's
//! transaction, after locking the property (or the young person's stays),
//! so two people saving at once cannot both pass the check.

use crate::audit::{Actor, Change};
use crate::contacts::{name_of, require_visible};
use crate::periods::{close_period, lock_history};
use crate::text::{date, parse_date};
use crate::write::{missing_or_stale, Written};
use crate::young_people::{Viewer, YoungPersonId};
use crate::{LaId, Store, StoreError};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;
use staying_close_domain::accommodation::{place_stay, Intervention, InterventionKind, InterventionOutcome, Stay};
use staying_close_domain::lets::{check_overlap, LetStatus, Occupancy, Property};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredStay {
    pub id: i64,
    pub young_person: YoungPersonId,
    pub stay: Stay,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredIntervention {
    pub id: i64,
    pub intervention: Intervention,
    pub recorded_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLet {
    pub id: i64,
    pub property: Property,
    pub version: i64,
    /// Occupancies, the latest first, with the occupant's record if the
    /// viewer may see it (id, name or child ID).
    pub occupancies: Vec<StoredOccupancy>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOccupancy {
    pub id: i64,
    pub occupancy: Occupancy,
    /// `None` when the viewer may not see who it is.
    pub occupant: Option<(YoungPersonId, String)>,
}

fn optional_date(r: &AnyRow, column: &str) -> Result<Option<NaiveDate>, StoreError> {
    let text: Option<String> = r.try_get(column)?;
    text.as_deref().map(parse_date).transpose()
}

pub(crate) fn stay_of(r: &AnyRow) -> Result<StoredStay, StoreError> {
    Ok(StoredStay {
        id: r.try_get("id")?,
        young_person: YoungPersonId(r.try_get("young_person_id")?),
        stay: Stay {
            code: r.try_get("accom_code")?,
            address: r.try_get("address")?,
            provider: r.try_get("provider")?,
            starts_on: parse_date(&r.try_get::<String, _>("starts_on")?)?,
            ends_on: optional_date(r, "ends_on")?,
            reason_for_move: r.try_get("reason_for_move")?,
        },
    })
}

pub(crate) const STAY_COLUMNS: &str =
    "id, young_person_id, accom_code, address, provider, starts_on, ends_on, reason_for_move";

impl Store {
    /// A young person's stays, the latest first.
    pub async fn accommodation_stays(&self, la: LaId, person: YoungPersonId) -> Result<Vec<StoredStay>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {STAY_COLUMNS} FROM accommodation_stays WHERE la_id = $1 AND young_person_id = $2
             ORDER BY starts_on DESC, id DESC"
        ))
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(stay_of).collect()
    }

    /// Stays of the young people `viewer` may see that started from `from`
    /// to `to`, or were open on `from`: what a period's outcomes need.
    pub async fn stays_around(
        &self,
        viewer: &Viewer,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<StoredStay>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT a.id, a.young_person_id, a.accom_code, a.address, a.provider, a.starts_on, a.ends_on,
                    a.reason_for_move
             FROM accommodation_stays a JOIN young_people y ON y.la_id = a.la_id AND y.id = a.young_person_id
             WHERE a.la_id = $1 AND a.starts_on <= $4 AND (a.ends_on IS NULL OR a.ends_on >= $3) AND {}
             ORDER BY a.young_person_id, a.starts_on",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .bind(date(from))
        .bind(date(to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(stay_of).collect()
    }

    /// Records a stay. The open stay that began before it ends the day
    /// before; any other overlap is refused with `StoreError::Invalid`.
    pub async fn add_stay(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        stay: &Stay,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (viewer, stay) = (*viewer, stay.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                lock_history(tx, &viewer, person).await?;
                let rows = sqlx::query(&format!(
                    "SELECT {STAY_COLUMNS} FROM accommodation_stays WHERE la_id = $1 AND young_person_id = $2"
                ))
                .bind(viewer.la.0)
                .bind(person.0)
                .fetch_all(&mut *tx)
                .await?;
                let existing: Vec<(i64, Stay)> =
                    rows.iter().map(stay_of).map(|s| s.map(|s| (s.id, s.stay))).collect::<Result<_, _>>()?;
                let close = place_stay(&existing, &stay).map_err(StoreError::Invalid)?;
                close_period(tx, "accommodation_stays", &viewer, close).await?;
                let row = sqlx::query(
                    "INSERT INTO accommodation_stays (la_id, young_person_id, accom_code, address, provider, starts_on,
                        ends_on, reason_for_move, recorded_by, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(viewer.la.0)
                .bind(person.0)
                .bind(stay.code.clone())
                .bind(stay.address.clone())
                .bind(stay.provider.clone())
                .bind(date(stay.starts_on))
                .bind(stay.ends_on.map(date))
                .bind(stay.reason_for_move.clone())
                .bind(viewer.staff.map(|s| s.0))
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = row.try_get("id")?;
                let change = Change {
                    la: Some(viewer.la),
                    action: "create",
                    entity_type: "accommodation_stay",
                    entity_id: Some(id),
                    details: json!({
                        "young_person_id": person.0,
                        "accom_code": stay.code,
                        "starts_on": date(stay.starts_on),
                        "closed_stay": close.map(|(id, end)| json!({ "id": id, "ends_on": date(end) })),
                    }),
                };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    /// A young person's housing interventions, the latest first.
    pub async fn housing_interventions(
        &self,
        la: LaId,
        person: YoungPersonId,
    ) -> Result<Vec<StoredIntervention>, StoreError> {
        let rows = sqlx::query(
            "SELECT h.id, h.done_on, h.kind, h.outcome, h.note, s.display_name FROM housing_interventions h
             LEFT JOIN staff s ON s.la_id = h.la_id AND s.id = h.recorded_by
             WHERE h.la_id = $1 AND h.young_person_id = $2 ORDER BY h.done_on DESC, h.id DESC",
        )
        .bind(la.0)
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let outcome: String = r.try_get("outcome")?;
                Ok(StoredIntervention {
                    id: r.try_get("id")?,
                    intervention: Intervention {
                        on: parse_date(&r.try_get::<String, _>("done_on")?)?,
                        kind: InterventionKind::parse(&kind)
                            .ok_or_else(|| StoreError::Corrupt(format!("intervention kind {kind:?}")))?,
                        outcome: InterventionOutcome::parse(&outcome)
                            .ok_or_else(|| StoreError::Corrupt(format!("intervention outcome {outcome:?}")))?,
                        note: r.try_get("note")?,
                    },
                    recorded_by: r.try_get("display_name")?,
                })
            })
            .collect()
    }

    pub async fn add_housing_intervention(
        &self,
        viewer: &Viewer,
        person: YoungPersonId,
        intervention: &Intervention,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (viewer, h) = (*viewer, intervention.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                let row = sqlx::query(
                    "INSERT INTO housing_interventions (la_id, young_person_id, done_on, kind, outcome, note,
                        recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(viewer.la.0)
                .bind(person.0)
                .bind(date(h.on))
                .bind(h.kind.code())
                .bind(h.outcome.code())
                .bind(h.note.clone())
                .bind(viewer.staff.map(|s| s.0))
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = row.try_get("id")?;
                let change = Change {
                    la: Some(viewer.la),
                    action: "create",
                    entity_type: "housing_intervention",
                    entity_id: Some(id),
                    details: json!({ "young_person_id": person.0, "kind": h.kind.code(), "outcome": h.outcome.code() }),
                };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    /// The LA's ring-fenced lets with their occupancies; occupants the
    /// viewer may not see are shown without a name.
    pub async fn lets(&self, viewer: &Viewer) -> Result<Vec<StoredLet>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, address, landlord, bedrooms, status, note, version FROM ring_fenced_lets WHERE la_id = $1
             ORDER BY address",
        )
        .bind(viewer.la.0)
        .fetch_all(&self.pool)
        .await?;
        let occupancies = sqlx::query(&format!(
            "SELECT o.id, o.let_id, o.starts_on, o.ends_on, y.id AS young_person_id, y.child_id, y.first_name,
                    y.preferred_name, y.last_name, CASE WHEN {} THEN 1 ELSE 0 END AS visible
             FROM let_occupancies o JOIN young_people y ON y.la_id = o.la_id AND y.id = o.young_person_id
             WHERE o.la_id = $1 ORDER BY o.starts_on DESC, o.id DESC",
            viewer.clause("$2")
        ))
        .bind(viewer.la.0)
        .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
        .fetch_all(&self.pool)
        .await?;
        let mut all = Vec::new();
        for o in &occupancies {
            let visible: i64 = o.try_get::<i32, _>("visible").map(i64::from).or_else(|_| o.try_get("visible"))?;
            let child_id: String = o.try_get("child_id")?;
            let occupant = (visible == 1).then(|| -> Result<_, StoreError> {
                let name = name_of(o)?.unwrap_or_else(|| format!("Child ID {child_id}"));
                Ok((YoungPersonId(o.try_get("young_person_id")?), name))
            });
            all.push((
                o.try_get::<i64, _>("let_id")?,
                StoredOccupancy {
                    id: o.try_get("id")?,
                    occupancy: Occupancy {
                        starts_on: parse_date(&o.try_get::<String, _>("starts_on")?)?,
                        ends_on: optional_date(o, "ends_on")?,
                    },
                    occupant: occupant.transpose()?,
                },
            ));
        }
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let status: String = r.try_get("status")?;
                Ok(StoredLet {
                    id,
                    property: Property {
                        address: r.try_get("address")?,
                        landlord: r.try_get("landlord")?,
                        bedrooms: u8::try_from(r.try_get::<i64, _>("bedrooms")?).unwrap_or(0),
                        status: LetStatus::parse(&status)
                            .ok_or_else(|| StoreError::Corrupt(format!("let status {status:?}")))?,
                        note: r.try_get("note")?,
                    },
                    version: r.try_get("version")?,
                    occupancies: all.iter().filter(|(l, _)| *l == id).map(|(_, o)| o.clone()).collect(),
                })
            })
            .collect()
    }

    /// Adds a property (`existing` None) or changes one at its version.
    pub async fn save_let(
        &self,
        la: LaId,
        existing: Option<(i64, i64)>,
        property: &Property,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let p = property.clone();
        self.write(actor, move |tx| {
            Box::pin(async move {
                let (id, action) = match existing {
                    None => {
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
                        .bind(crate::text::now())
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(StoreError::duplicate_as("property at that address"))?;
                        (row.try_get::<i64, _>("id")?, "create")
                    }
                    Some((id, version)) => {
                        let updated = sqlx::query(
                            "UPDATE ring_fenced_lets SET address = $3, landlord = $4, bedrooms = $5, status = $6,
                                note = $7, version = version + 1 WHERE la_id = $1 AND id = $2 AND version = $8",
                        )
                        .bind(la.0)
                        .bind(id)
                        .bind(p.address.clone())
                        .bind(p.landlord.clone())
                        .bind(i64::from(p.bedrooms))
                        .bind(p.status.code())
                        .bind(p.note.clone())
                        .bind(version)
                        .execute(&mut *tx)
                        .await
                        .map_err(StoreError::duplicate_as("property at that address"))?
                        .rows_affected();
                        if updated == 0 {
                            return Err(missing_or_stale(
                                tx,
                                "ring_fenced_lets",
                                la,
                                id,
                                None,
                                ("property", "Property"),
                            )
                            .await);
                        }
                        (id, "update")
                    }
                };
                let change = Change {
                    la: Some(la),
                    action,
                    entity_type: "ring_fenced_let",
                    entity_id: Some(id),
                    details: json!({ "status": p.status.code(), "bedrooms": p.bedrooms }),
                };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    /// Records who lives in a property. An occupancy that overlaps another of
    /// the same property is refused (`StoreError::Invalid`, naming both).
    pub async fn record_occupancy(
        &self,
        viewer: &Viewer,
        let_id: i64,
        person: YoungPersonId,
        occupancy: Occupancy,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let viewer = *viewer;
        self.write(actor, move |tx| {
            Box::pin(async move {
                require_visible(tx, &viewer, person).await?;
                // Locks the property: occupancies of one property are checked one at a time.
                let locked = sqlx::query("UPDATE ring_fenced_lets SET version = version + 1 WHERE la_id = $1 AND id = $2")
                    .bind(viewer.la.0)
                    .bind(let_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if locked == 0 {
                    return Err(StoreError::NotFound { what: "Property" });
                }
                let rows = sqlx::query(
                    "SELECT o.starts_on, o.ends_on, y.child_id, y.first_name, y.preferred_name, y.last_name
                     FROM let_occupancies o JOIN young_people y ON y.la_id = o.la_id AND y.id = o.young_person_id
                     WHERE o.la_id = $1 AND o.let_id = $2",
                )
                .bind(viewer.la.0)
                .bind(let_id)
                .fetch_all(&mut *tx)
                .await?;
                let mut existing = Vec::new();
                for r in &rows {
                    let child_id: String = r.try_get("child_id")?;
                    let who = name_of(r)?.unwrap_or_else(|| format!("child ID {child_id}"));
                    let o = Occupancy {
                        starts_on: parse_date(&r.try_get::<String, _>("starts_on")?)?,
                        ends_on: optional_date(r, "ends_on")?,
                    };
                    existing.push((who, o));
                }
                let me = sqlx::query(
                    "SELECT child_id, first_name, preferred_name, last_name FROM young_people WHERE la_id = $1 AND id = $2",
                )
                .bind(viewer.la.0)
                .bind(person.0)
                .fetch_one(&mut *tx)
                .await?;
                let child_id: String = me.try_get("child_id")?;
                let who = name_of(&me)?.unwrap_or_else(|| format!("child ID {child_id}"));
                check_overlap(&existing, &who, &occupancy).map_err(StoreError::Invalid)?;
                let row = sqlx::query(
                    "INSERT INTO let_occupancies (la_id, let_id, young_person_id, starts_on, ends_on, recorded_by,
                        created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(viewer.la.0)
                .bind(let_id)
                .bind(person.0)
                .bind(date(occupancy.starts_on))
                .bind(occupancy.ends_on.map(date))
                .bind(viewer.staff.map(|s| s.0))
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = row.try_get("id")?;
                let change = Change {
                    la: Some(viewer.la),
                    action: "create",
                    entity_type: "let_occupancy",
                    entity_id: Some(id),
                    details: json!({
                        "let_id": let_id,
                        "young_person_id": person.0,
                        "starts_on": date(occupancy.starts_on),
                        "ends_on": occupancy.ends_on.map(date),
                    }),
                };
                Ok(Written::new(id, change))
            })
        })
        .await
    }

    /// Ends the property's open occupancy on `on` (the day they moved out),
    /// from the property's version shown.
    pub async fn end_occupancy(
        &self,
        viewer: &Viewer,
        let_id: i64,
        version: i64,
        on: NaiveDate,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let viewer = *viewer;
        self.write(actor, move |tx| {
            Box::pin(async move {
                let locked = sqlx::query(
                    "UPDATE ring_fenced_lets SET version = version + 1 WHERE la_id = $1 AND id = $2 AND version = $3",
                )
                .bind(viewer.la.0)
                .bind(let_id)
                .bind(version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if locked == 0 {
                    return Err(missing_or_stale(
                        tx,
                        "ring_fenced_lets",
                        viewer.la,
                        let_id,
                        None,
                        ("property", "Property"),
                    )
                    .await);
                }
                let open = sqlx::query(
                    "SELECT id, young_person_id, starts_on FROM let_occupancies
                     WHERE la_id = $1 AND let_id = $2 AND ends_on IS NULL",
                )
                .bind(viewer.la.0)
                .bind(let_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::Invalid("No one is living there with no end date".into()))?;
                let person = YoungPersonId(open.try_get("young_person_id")?);
                require_visible(tx, &viewer, person).await?;
                let starts_on = parse_date(&open.try_get::<String, _>("starts_on")?)?;
                if on < starts_on {
                    return Err(StoreError::Invalid(format!(
                        "The date they moved out must be on or after the date they moved in, {}",
                        staying_close_domain::dates::format_uk(starts_on)
                    )));
                }
                let id: i64 = open.try_get("id")?;
                sqlx::query("UPDATE let_occupancies SET ends_on = $3 WHERE la_id = $1 AND id = $2")
                    .bind(viewer.la.0)
                    .bind(id)
                    .bind(date(on))
                    .execute(&mut *tx)
                    .await?;
                let details = json!({ "let_id": let_id, "young_person_id": person.0, "ends_on": date(on) });
                let change = Change {
                    la: Some(viewer.la),
                    action: "update",
                    entity_type: "let_occupancy",
                    entity_id: Some(id),
                    details,
                };
                Ok(Written::new((), change))
            })
        })
        .await
    }
}
