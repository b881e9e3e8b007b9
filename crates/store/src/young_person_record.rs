//! Writing a young person's record by hand: adding someone, editing their
//! record (refused if someone else saved first), and closing it with a
//! reason. Records are never deleted.

use crate::audit::{Actor, Change};
use crate::text::date;
use crate::write::Written;
use crate::young_people::{from_row, Closure, Viewer, YoungPerson, YoungPersonId, COLUMNS};
use crate::{LaId, StaffId, Store, StoreError};
use serde_json::json;
use sqlx::AnyConnection;
use staying_close_domain::profile::{Celebration, DateParts, Profile, ProfileInput};

/// The profile columns in the order [`bind_profile`] binds them.
const PROFILE_COLUMNS: [&str; 23] = [
    "child_id",
    "first_name",
    "last_name",
    "preferred_name",
    "pronouns",
    "date_of_birth",
    "upn",
    "nhs_number",
    "phone",
    "email",
    "address",
    "languages",
    "faith",
    "celebrations",
    "disabilities",
    "communication_needs",
    "young_parent",
    "expecting",
    "home_left",
    "home_contact",
    "care_ended_on",
    "staying_close_start",
    "staying_close_end",
];

fn bind_profile<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    p: &Profile,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(p.child_id.as_str().to_owned())
        .bind(p.first_name.as_str().to_owned())
        .bind(p.last_name.as_str().to_owned())
        .bind(p.preferred_name.as_ref().map(|n| n.as_str().to_owned()))
        .bind(p.pronouns.clone())
        .bind(date(p.date_of_birth))
        .bind(p.upn.map(|u| u.as_str().to_owned()))
        .bind(p.nhs_number.map(|n| n.as_str().to_owned()))
        .bind(p.phone.clone())
        .bind(p.email.clone())
        .bind(p.address.clone())
        .bind(p.languages.clone())
        .bind(p.faith.clone())
        .bind(Celebration::join(&p.celebrations))
        .bind(p.disabilities.clone())
        .bind(p.communication_needs.clone())
        .bind(i64::from(p.young_parent))
        .bind(i64::from(p.expecting))
        .bind(p.home_left.clone())
        .bind(p.home_contact.clone())
        .bind(p.care_ended_on.map(date))
        .bind(p.staying_close_start.map(date))
        .bind(p.staying_close_end.map(date))
}

/// The fields that differ between the stored record and `profile`, by
/// form field name: the audit trail says what changed, not the values.
fn changed_fields(before: &YoungPerson, after: &YoungPerson) -> Vec<&'static str> {
    let (a, b) = (before.profile_input(), after.profile_input());
    let mut out = Vec::new();
    macro_rules! compare {
        ($($field:ident),*) => { $( if a.$field != b.$field { out.push(stringify!($field)); } )* };
    }
    compare!(
        child_id,
        first_name,
        last_name,
        preferred_name,
        pronouns,
        date_of_birth,
        upn,
        nhs_number,
        phone,
        email,
        address,
        languages,
        faith,
        celebrations,
        disabilities,
        communication_needs,
        young_parent,
        expecting,
        home_left,
        home_contact,
        care_ended_on,
        staying_close_start,
        staying_close_end
    );
    out
}

fn map_write_error(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
            StoreError::Invalid("the personal adviser must work for the same local authority".into())
        }
        _ => StoreError::duplicate_as("A young person with that child ID")(e),
    }
}

/// The record as `viewer` may see it, read inside a write.
async fn visible(conn: &mut AnyConnection, viewer: &Viewer, id: YoungPersonId) -> Result<YoungPerson, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM young_people y WHERE y.la_id = $1 AND y.id = $2 AND {}",
        viewer.clause("$3")
    ))
    .bind(viewer.la.0)
    .bind(id.0)
    .bind(viewer.staff.map(|s| s.0).unwrap_or(0))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()?.ok_or(StoreError::NotFound { what: "Young person" })
}

const CONFLICT: StoreError = StoreError::Conflict { what: "This young person's record" };

/// The record as `viewer` may see it, if it is still at `expected_version`
/// (someone else's save in between is a conflict, and nothing is written).
async fn at_version(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: YoungPersonId,
    expected_version: i64,
) -> Result<YoungPerson, StoreError> {
    let current = visible(conn, viewer, id).await?;
    if current.version == expected_version {
        Ok(current)
    } else {
        Err(CONFLICT)
    }
}

/// The row an `UPDATE … WHERE version = $n RETURNING` gave back; none means
/// someone else saved in between.
fn saved(row: Option<sqlx::any::AnyRow>) -> Result<YoungPerson, StoreError> {
    from_row(&row.ok_or(CONFLICT)?)
}

impl YoungPerson {
    /// The record as the edit form shows it.
    pub fn profile_input(&self) -> ProfileInput {
        let d = &self.details;
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        ProfileInput {
            child_id: self.child_id.to_string(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            preferred_name: text(&self.preferred_name),
            pronouns: text(&d.pronouns),
            date_of_birth: DateParts::of(Some(self.date_of_birth)),
            upn: d.upn.map(|u| u.to_string()).unwrap_or_default(),
            nhs_number: d.nhs_number.map(|n| n.spaced()).unwrap_or_default(),
            phone: text(&d.phone),
            email: text(&d.email),
            address: text(&d.address),
            languages: text(&d.languages),
            faith: text(&d.faith),
            celebrations: d.celebrations.iter().map(|c| c.code().to_owned()).collect(),
            disabilities: text(&d.disabilities),
            communication_needs: text(&d.communication_needs),
            young_parent: d.young_parent,
            expecting: d.expecting,
            home_left: text(&d.home_left),
            home_contact: text(&d.home_contact),
            care_ended_on: DateParts::of(d.care_ended_on),
            staying_close_start: DateParts::of(d.staying_close_start),
            staying_close_end: DateParts::of(d.staying_close_end),
        }
    }
}

impl Store {
    /// Adds a young person by hand, with their personal adviser if chosen.
    pub async fn add_young_person(
        &self,
        la: LaId,
        profile: &Profile,
        adviser: Option<StaffId>,
        actor: &Actor,
    ) -> Result<YoungPerson, StoreError> {
        let profile = profile.clone();
        self.write(actor, move |tx| {
            Box::pin(async move {
                let columns = PROFILE_COLUMNS.join(", ");
                let binds: Vec<String> = (4..PROFILE_COLUMNS.len() + 4).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "INSERT INTO young_people (la_id, personal_adviser_id, created_at, updated_at, cohort_status,
                        {columns})
                     VALUES ($1, $2, $3, $3, 'active', {}) RETURNING {COLUMNS}",
                    binds.join(", ")
                );
                let query = sqlx::query(&sql).bind(la.0).bind(adviser.map(|s| s.0)).bind(crate::text::now());
                let row = bind_profile(query, &profile).fetch_one(&mut *tx).await.map_err(map_write_error)?;
                let person = from_row(&row)?;
                if let Some(adviser) = adviser {
                    // Their adviser's allocation starts today, so its history begins with them.
                    sqlx::query(
                        "INSERT INTO allocations (la_id, young_person_id, worker_role, staff_id, starts_on, created_at)
                         VALUES ($1, $2, 'personal_adviser', $3, $4, $5)",
                    )
                    .bind(la.0)
                    .bind(person.id.0)
                    .bind(adviser.0)
                    .bind(crate::text::date(staying_close_domain::dates::uk_today()))
                    .bind(crate::text::now())
                    .execute(&mut *tx)
                    .await?;
                }
                let change = Change {
                    la: Some(la),
                    action: "create",
                    entity_type: "young_person",
                    entity_id: Some(person.id.0),
                    details: json!({ "child_id": person.child_id.as_str(), "via": "form" }),
                };
                Ok(Written::new(person, change))
            })
        })
        .await
    }

    /// Saves an edited record, only if it is still at `expected_version`:
    /// otherwise [`StoreError::Conflict`] and nothing is written.
    pub async fn update_young_person(
        &self,
        viewer: &Viewer,
        id: YoungPersonId,
        expected_version: i64,
        profile: &Profile,
        actor: &Actor,
    ) -> Result<YoungPerson, StoreError> {
        let (viewer, profile) = (*viewer, profile.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                let before = at_version(tx, &viewer, id, expected_version).await?;
                let sets: Vec<String> =
                    PROFILE_COLUMNS.iter().enumerate().map(|(i, c)| format!("{c} = ${}", i + 5)).collect();
                let sql = format!(
                    "UPDATE young_people SET {}, updated_at = $4, facts_on = NULL, version = version + 1
                     WHERE la_id = $1 AND id = $2 AND version = $3 RETURNING {COLUMNS}",
                    sets.join(", ")
                );
                let query =
                    sqlx::query(&sql).bind(viewer.la.0).bind(id.0).bind(expected_version).bind(crate::text::now());
                let row = bind_profile(query, &profile).fetch_optional(&mut *tx).await.map_err(map_write_error)?;
                let after = saved(row)?;
                let change = Change {
                    la: Some(viewer.la),
                    action: "update",
                    entity_type: "young_person",
                    entity_id: Some(id.0),
                    details: json!({ "fields": changed_fields(&before, &after), "version": after.version }),
                };
                Ok(Written::new(after, change))
            })
        })
        .await
    }

    /// Closes a record with a reason; it stays readable, and can be reopened.
    pub async fn close_young_person(
        &self,
        viewer: &Viewer,
        id: YoungPersonId,
        expected_version: i64,
        closure: &Closure,
        actor: &Actor,
    ) -> Result<YoungPerson, StoreError> {
        let (viewer, closure) = (*viewer, closure.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                let before = at_version(tx, &viewer, id, expected_version).await?;
                if before.details.closed.is_some() {
                    return Err(StoreError::Invalid("this record is already closed".into()));
                }
                let row = sqlx::query(&format!(
                    "UPDATE young_people SET cohort_status = 'closed', closed_on = $4, closed_reason = $5,
                        closed_note = $6, updated_at = $7, version = version + 1
                     WHERE la_id = $1 AND id = $2 AND version = $3 RETURNING {COLUMNS}"
                ))
                .bind(viewer.la.0)
                .bind(id.0)
                .bind(expected_version)
                .bind(date(closure.on))
                .bind(closure.reason.code())
                .bind(closure.note.clone())
                .bind(crate::text::now())
                .fetch_optional(&mut *tx)
                .await?;
                let after = saved(row)?;
                let change = Change {
                    la: Some(viewer.la),
                    action: "close",
                    entity_type: "young_person",
                    entity_id: Some(id.0),
                    details: json!({ "reason": closure.reason.code(), "closed_on": date(closure.on) }),
                };
                Ok(Written::new(after, change))
            })
        })
        .await
    }

    /// Reopens a closed record (a young person can come back to the team).
    pub async fn reopen_young_person(
        &self,
        viewer: &Viewer,
        id: YoungPersonId,
        expected_version: i64,
        actor: &Actor,
    ) -> Result<YoungPerson, StoreError> {
        let viewer = *viewer;
        self.write(actor, move |tx| {
            Box::pin(async move {
                at_version(tx, &viewer, id, expected_version).await?;
                let row = sqlx::query(&format!(
                    "UPDATE young_people SET cohort_status = 'active', closed_on = NULL, closed_reason = NULL,
                        closed_note = NULL, updated_at = $4, version = version + 1
                     WHERE la_id = $1 AND id = $2 AND version = $3 RETURNING {COLUMNS}"
                ))
                .bind(viewer.la.0)
                .bind(id.0)
                .bind(expected_version)
                .bind(crate::text::now())
                .fetch_optional(&mut *tx)
                .await?;
                let after = saved(row)?;
                let change = Change {
                    la: Some(viewer.la),
                    action: "reopen",
                    entity_type: "young_person",
                    entity_id: Some(id.0),
                    details: json!({}),
                };
                Ok(Written::new(after, change))
            })
        })
        .await
    }
}
