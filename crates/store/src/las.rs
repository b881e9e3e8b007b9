//! Local authorities: the tenants.

use crate::audit::{Actor, Change};
use crate::write::Written;
use crate::{Store, StoreError};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;
use staying_close_domain::la::{LaCode, LaName, LaSettings};
use staying_close_domain::money::Pence;
use staying_close_domain::permissions::RecordAccess;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LaId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct La {
    pub id: LaId,
    pub code: LaCode,
    pub name: String,
    pub settings: LaSettings,
    /// Whether practitioners see the whole cohort or their own caseload.
    pub record_access: RecordAccess,
    /// Whether every member of staff must use a second factor.
    pub require_totp_for_all: bool,
    /// When the statutory staying close duty (s.23CZAA) starts for the LA;
    /// `None` until the LA sets it, after commencement.
    pub staying_close_duty_from: Option<chrono::NaiveDate>,
    /// Optimistic-locking version: an update must name the version it read.
    pub version: i64,
}

const COLUMNS: &str =
    "id, code, name, caseload_cap, activities_allowance_pence, weekly_support_hours, visit_frequency_days, \
    record_access, require_totp_for_all, staying_close_duty_from, version";

fn from_row(row: &AnyRow) -> Result<La, StoreError> {
    let code: String = row.try_get("code")?;
    let count = |name: &str| -> Result<u32, StoreError> {
        let v: i64 = row.try_get(name)?;
        u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("{name} = {v}")))
    };
    Ok(La {
        id: LaId(row.try_get("id")?),
        code: LaCode::parse(&code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        name: row.try_get("name")?,
        settings: LaSettings {
            caseload_cap: count("caseload_cap")?,
            activities_allowance: Pence(row.try_get("activities_allowance_pence")?),
            weekly_support_hours: count("weekly_support_hours")?,
            visit_frequency_days: count("visit_frequency_days")?,
        },
        record_access: RecordAccess::parse(&row.try_get::<String, _>("record_access")?)
            .ok_or_else(|| StoreError::Corrupt("record_access".into()))?,
        require_totp_for_all: row.try_get::<i64, _>("require_totp_for_all")? == 1,
        staying_close_duty_from: crate::text::parse_optional_date(row.try_get("staying_close_duty_from")?)?,
        version: row.try_get("version")?,
    })
}

/// Everything an LA administrator can change, flat, for audit before/after.
fn configuration_json(la: &La) -> serde_json::Value {
    let mut all = settings_json(&la.settings);
    all["record_access"] = json!(la.record_access.as_str());
    all["require_totp_for_all"] = json!(la.require_totp_for_all);
    all["staying_close_duty_from"] = json!(la.staying_close_duty_from.map(crate::text::date));
    all
}

/// What an LA administrator saves in one go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaChanges {
    pub settings: LaSettings,
    pub record_access: RecordAccess,
    pub require_totp_for_all: bool,
    pub staying_close_duty_from: Option<chrono::NaiveDate>,
}

fn settings_json(s: &LaSettings) -> serde_json::Value {
    json!({
        "caseload_cap": s.caseload_cap,
        "activities_allowance_pence": s.activities_allowance.0,
        "weekly_support_hours": s.weekly_support_hours,
        "visit_frequency_days": s.visit_frequency_days,
    })
}

impl Store {
    pub async fn create_la(
        &self,
        code: &LaCode,
        name: &LaName,
        settings: &LaSettings,
        actor: &Actor,
    ) -> Result<La, StoreError> {
        settings.validate().map_err(|e| StoreError::Invalid(e.to_string()))?;
        let (code, name, settings) = (code.clone(), name.clone(), settings.clone());
        self.write(actor, move |tx| {
            Box::pin(async move {
                let row = sqlx::query(&format!(
                    "INSERT INTO local_authorities (code, name, caseload_cap, activities_allowance_pence,
                        weekly_support_hours, visit_frequency_days, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {COLUMNS}"
                ))
                .bind(code.as_str())
                .bind(name.as_str())
                .bind(settings.caseload_cap as i64)
                .bind(settings.activities_allowance.0)
                .bind(settings.weekly_support_hours as i64)
                .bind(settings.visit_frequency_days as i64)
                .bind(crate::text::now())
                .fetch_one(&mut *tx)
                .await
                .map_err(StoreError::duplicate_as("A local authority with that code"))?;
                let la = from_row(&row)?;
                let details =
                    json!({ "code": code.as_str(), "name": name.as_str(), "settings": settings_json(&settings) });
                let change = Change {
                    la: Some(la.id),
                    action: "create",
                    entity_type: "local_authority",
                    entity_id: Some(la.id.0),
                    details,
                };
                Ok(Written::new(la, change))
            })
        })
        .await
    }

    pub async fn list_las(&self) -> Result<Vec<La>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM local_authorities ORDER BY name"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn la_by_code(&self, code: &LaCode) -> Result<Option<La>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM local_authorities WHERE code = $1"))
            .bind(code.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn la(&self, id: LaId) -> Result<La, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM local_authorities WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()?.ok_or(StoreError::NotFound { what: "Local authority" })
    }

    /// Chooses how practitioners see records and whether everyone needs a second factor.
    pub async fn update_la_access(
        &self,
        id: LaId,
        expected_version: i64,
        record_access: RecordAccess,
        require_totp_for_all: bool,
        actor: &Actor,
    ) -> Result<La, StoreError> {
        let current = self.la(id).await?;
        let changes = LaChanges {
            settings: current.settings,
            record_access,
            require_totp_for_all,
            staying_close_duty_from: current.staying_close_duty_from,
        };
        self.update_la(id, expected_version, &changes, actor).await
    }

    /// Saves new settings if nobody else has changed them since `expected_version` was read.
    pub async fn update_la_settings(
        &self,
        id: LaId,
        expected_version: i64,
        settings: &LaSettings,
        actor: &Actor,
    ) -> Result<La, StoreError> {
        let current = self.la(id).await?;
        let changes = LaChanges {
            settings: settings.clone(),
            record_access: current.record_access,
            require_totp_for_all: current.require_totp_for_all,
            staying_close_duty_from: current.staying_close_duty_from,
        };
        self.update_la(id, expected_version, &changes, actor).await
    }

    /// Saves an LA's whole configuration if nobody else has changed it since
    /// `expected_version` was read; the audit record holds the fields that
    /// changed, before and after.
    pub async fn update_la(
        &self,
        id: LaId,
        expected_version: i64,
        changes: &LaChanges,
        actor: &Actor,
    ) -> Result<La, StoreError> {
        changes.settings.validate().map_err(|e| StoreError::Invalid(e.to_string()))?;
        let changes = changes.clone();
        self.write(actor, move |tx| {
            Box::pin(async move {
                let before = sqlx::query(&format!("SELECT {COLUMNS} FROM local_authorities WHERE id = $1"))
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await?
                    .as_ref()
                    .map(from_row)
                    .transpose()?
                    .ok_or(StoreError::NotFound { what: "Local authority" })?;
                let s = &changes.settings;
                let row = sqlx::query(&format!(
                    "UPDATE local_authorities SET caseload_cap = $1, activities_allowance_pence = $2,
                        weekly_support_hours = $3, visit_frequency_days = $4, record_access = $5,
                        require_totp_for_all = $6, updated_at = $7, version = version + 1, staying_close_duty_from = $10
                     WHERE id = $8 AND version = $9 RETURNING {COLUMNS}"
                ))
                .bind(s.caseload_cap as i64)
                .bind(s.activities_allowance.0)
                .bind(s.weekly_support_hours as i64)
                .bind(s.visit_frequency_days as i64)
                .bind(changes.record_access.as_str())
                .bind(i64::from(changes.require_totp_for_all))
                .bind(crate::text::now())
                .bind(id.0)
                .bind(expected_version)
                .bind(changes.staying_close_duty_from.map(crate::text::date))
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::Conflict { what: "The local authority's settings" })?;
                let after = from_row(&row)?;
                let details = changed_fields(&configuration_json(&before), &configuration_json(&after));
                let change = Change {
                    la: Some(id),
                    action: "update",
                    entity_type: "local_authority",
                    entity_id: Some(id.0),
                    details,
                };
                Ok(Written::new(after, change))
            })
        })
        .await
    }
}

/// The fields that differ between two flat JSON objects, before and after.
fn changed_fields(old: &serde_json::Value, new: &serde_json::Value) -> serde_json::Value {
    let changed: Vec<&String> =
        new.as_object().into_iter().flatten().filter(|(k, v)| old.get(*k) != Some(v)).map(|(k, _)| k).collect();
    let pick = |all: &serde_json::Value| -> serde_json::Value {
        changed.iter().map(|k| ((*k).clone(), all[k.as_str()].clone())).collect::<serde_json::Map<_, _>>().into()
    };
    json!({ "before": pick(old), "after": pick(new) })
}
