//! Staff accounts. Everyone but national programme viewers belongs to one LA.

use crate::audit::{Actor, Change};
use crate::auth::end_everything;
use crate::write::Written;
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
    pub email: Email,
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

/// The staff columns, qualified with a table alias for joins.
pub(crate) fn columns_of(alias: &str) -> String {
    COLUMNS.split(", ").map(|c| format!("{alias}.{c}")).collect::<Vec<_>>().join(", ")
}

pub(crate) fn from_row(row: &AnyRow) -> Result<Staff, StoreError> {
    let role: String = row.try_get("role")?;
    let status: String = row.try_get("status")?;
    Ok(Staff {
        id: StaffId(row.try_get("id")?),
        la_id: row.try_get::<Option<i64>, _>("la_id")?.map(LaId),
        email: Email::parse(&row.try_get::<String, _>("email")?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
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
        let new = new.clone();
        self.write(actor, move |tx| {
            Box::pin(async move {
                let row = sqlx::query(&format!(
                    "INSERT INTO staff (la_id, email, display_name, role, password_hash, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {COLUMNS}"
                ))
                .bind(new.la.map(|l| l.0))
                .bind(new.email.as_str())
                .bind(new.name.as_str())
                .bind(new.role.as_str())
                .bind(hash)
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await
                .map_err(StoreError::duplicate_as("A member of staff with that email address"))?;
                let staff = from_row(&row)?;
                let details =
                    json!({ "email": staff.email.as_str(), "display_name": staff.display_name, "role": staff.role.as_str() });
                let change =
                    Change { la: new.la, action: "create", entity_type: "staff", entity_id: Some(staff.id.0), details };
                Ok(Written::new(staff, change))
            })
        })
        .await
    }

    /// The ids and names of the LA's active staff in one role, by name:
    /// for choosing someone, without reading whole accounts.
    pub async fn staff_names(&self, la: LaId, role: Role) -> Result<Vec<(StaffId, String)>, StoreError> {
        self.staff_names_in(la, &[role]).await
    }

    /// The same for staff in any of `roles`.
    pub async fn staff_names_in(&self, la: LaId, roles: &[Role]) -> Result<Vec<(StaffId, String)>, StoreError> {
        // Role codes are fixed words from the code, never user input.
        let list: Vec<String> = roles.iter().map(|r| format!("'{}'", r.as_str())).collect();
        let rows = sqlx::query(&format!(
            "SELECT id, display_name FROM staff WHERE la_id = $1 AND role IN ({}) AND status = 'active'
             ORDER BY display_name, id",
            list.join(", ")
        ))
        .bind(la.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((StaffId(r.try_get("id")?), r.try_get("display_name")?))).collect()
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

    pub async fn staff_by_id(&self, id: StaffId) -> Result<Staff, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM staff WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()?.ok_or(StoreError::NotFound { what: "Member of staff" })
    }

    /// A member of staff by email address, or "not found".
    pub(crate) async fn staff_by_email(&self, email: &Email) -> Result<Staff, StoreError> {
        Ok(self.staff_for_sign_in(email).await?.ok_or(StoreError::NotFound { what: "Member of staff" })?.0)
    }

    /// Disables an account and ends all its sessions and API tokens.
    pub async fn disable_staff(&self, email: &Email, actor: &Actor) -> Result<Staff, StoreError> {
        let staff = self.staff_by_email(email).await?;
        let id = staff.id;
        self.write(actor, move |tx| {
            Box::pin(async move {
                let now = crate::text::now();
                sqlx::query(
                    "UPDATE staff SET status = 'disabled', updated_at = $1, version = version + 1 WHERE id = $2",
                )
                .bind(&now)
                .bind(staff.id.0)
                .execute(&mut *tx)
                .await?;
                end_everything(tx, staff.id, &now).await?;
                let details = json!({ "before": { "status": "active" }, "after": { "status": "disabled" } });
                Ok(Written::new((), Change::about_staff(&staff, "update", details)))
            })
        })
        .await?;
        self.staff_by_id(id).await
    }

    /// Removes a member of staff's second factor (lost phone and recovery
    /// codes) and ends their sessions; they set one up again at next sign-in.
    pub async fn reset_second_factor(&self, email: &Email, actor: &Actor) -> Result<Staff, StoreError> {
        let staff = self.staff_by_email(email).await?;
        let id = staff.id;
        self.write(actor, move |tx| {
            Box::pin(async move {
                sqlx::query(
                    "UPDATE staff SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, updated_at = $1,
                        version = version + 1 WHERE id = $2",
                )
                .bind(crate::text::now())
                .bind(staff.id.0)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM recovery_codes WHERE staff_id = $1").bind(staff.id.0).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM sessions WHERE staff_id = $1").bind(staff.id.0).execute(&mut *tx).await?;
                Ok(Written::new((), Change::about_staff(&staff, "reset_second_factor", json!({}))))
            })
        })
        .await?;
        self.staff_by_id(id).await
    }
}
