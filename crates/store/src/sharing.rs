//! Sharing one young person's record with a member of staff of the same LA.

use crate::audit::{Actor, Change};
use crate::write::Written;
use crate::{LaId, StaffId, Store, StoreError, YoungPersonId};
use serde_json::json;

impl Store {
    /// Shares a young person's record with a member of staff of the same LA.
    pub async fn share_young_person(
        &self,
        la: LaId,
        person: YoungPersonId,
        with: StaffId,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        self.write(actor, move |tx| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO young_person_shares (la_id, young_person_id, staff_id, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(la.0)
                .bind(person.0)
                .bind(with.0)
                .bind(crate::text::now())
                .execute(&mut *tx)
                .await
                .map_err(|e| match &e {
                    sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                        StoreError::NotFound { what: "Young person or member of staff" }
                    }
                    _ => StoreError::duplicate_as("That share")(e),
                })?;
                let change = Change {
                    la: Some(la),
                    action: "share",
                    entity_type: "young_person",
                    entity_id: Some(person.0),
                    details: json!({ "with_staff": with.0 }),
                };
                Ok(Written::new((), change))
            })
        })
        .await
    }
}
