//! Staff accounts. Everyone but national programme viewers belongs to one LA.

use crate::audit::{self, Actor, Change};
use crate::{LaId, Store, StoreError};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;
use staying_close_domain::people::{Email, Password, PersonName};
use staying_close_domain::roles::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StaffId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: StaffId,
    pub la_id: Option<LaId>,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// Whether a second factor (TOTP) is set up.
    pub totp_enabled: bool,
    pub version: i64,
}

#[derive(Debug, Clone)]
pub struct NewStaff {
    pub la: Option<LaId>,
    pub email: Email,
    pub name: PersonName,
    pub role: Role,
    /// `None` creates an account that cannot sign in until a password is set.
    pub password: Option<Password>,
}

pub(crate) const COLUMNS: &str = "id, la_id, email, display_name, role, status, totp_enabled_at, version";

pub(crate) fn from_row(row: &AnyRow) -> Result<Staff, StoreError> {
    let role: String = row.try_get("role")?;
    let status: String = row.try_get("status")?;
    Ok(Staff {
        id: StaffId(row.try_get("id")?),
        la_id: row.try_get::<Option<i64>, _>("la_id")?.map(LaId),
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: Role::parse(&role).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        active: status == "active",
        totp_enabled: row.try_get::<Option<String>, _>("totp_enabled_at")?.is_some(),
        version: row.try_get("version")?,
    })
}

impl Store {
    pub async fn create_staff(&self, new: &NewStaff, actor: &Actor) -> Result<Staff, StoreError> {
        let hash = new.password.as_ref().map(crate::passwords::hash_password).transpose()?;
        self.insert_staff(new, hash, actor).await
    }

    pub(crate) async fn insert_staff(
        &self,
        new: &NewStaff,
        hash: Option<String>,
        actor: &Actor,
    ) -> Result<Staff, StoreError> {
        if new.role.belongs_to_an_la() != new.la.is_some() {
            return Err(StoreError::Invalid(if new.la.is_some() {
                "national programme viewers do not belong to a local authority".into()
            } else {
                format!("a {} must belong to a local authority", new.role.label().to_lowercase())
            }));
        }
        let mut tx = self.begin_write().await?;
        let now = crate::text::now();
        let row = sqlx::query(&format!(
            "INSERT INTO staff (la_id, email, display_name, role, password_hash, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {COLUMNS}"
        ))
        .bind(new.la.map(|l| l.0))
        .bind(new.email.as_str())
        .bind(new.name.as_str())
        .bind(new.role.as_str())
        .bind(hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::duplicate_as("A member of staff with that email address"))?;
        let staff = from_row(&row)?;
        let details = json!({ "email": staff.email, "display_name": staff.display_name, "role": staff.role.as_str() });
        audit::record(
            &mut tx,
            self.backend,
            actor,
            Change { la: new.la, action: "create", entity_type: "staff", entity_id: Some(staff.id.0), details },
        )
        .await?;
        tx.commit().await?;
        Ok(staff)
    }

    /// Staff of one LA, by name.
    pub async fn list_staff(&self, la: LaId) -> Result<Vec<Staff>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM staff WHERE la_id = $1 ORDER BY display_name"))
            .bind(la.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// A member of staff and their password hash, for signing in.
    pub async fn staff_for_sign_in(&self, email: &Email) -> Result<Option<(Staff, Option<String>)>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS}, password_hash FROM staff WHERE email = $1"))
            .bind(email.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((from_row(&r)?, r.try_get("password_hash")?))).transpose()
    }
}
