//! Loading a checked SSDA903 import: one transaction, idempotent.
//!
//! Children are matched on their CHILD id within the LA. A child's episodes
//! are replaced only when they differ from what is stored, and their OC3
//! outcome only when it changed, so importing the same files twice changes
//! nothing the second time.

use crate::audit::{Actor, Change};
use crate::text::date;
use crate::write::Written;
use crate::young_people::{episode_from_row, insert_episodes, EPISODE_COLUMNS};
use crate::{LaId, Store, StoreError, YoungPersonId};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use staying_close_domain::ssda903::{Code, Episode};
use staying_close_domain::ssda903_files::Import903;
use std::collections::HashMap;
use std::sync::Arc;

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub children_in_files: usize,
    pub young_people_created: usize,
    pub young_people_updated: usize,
    pub episode_histories_replaced: usize,
    pub episodes_written: usize,
    pub outcomes_written: usize,
}

impl ImportSummary {
    pub fn changed_anything(&self) -> bool {
        self.young_people_created + self.young_people_updated + self.episode_histories_replaced + self.outcomes_written
            > 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Apply,
    Preview,
    Spend { hold_id: i64 },
}

struct Stored {
    id: i64,
    sex: Option<String>,
    dob: String,
    ethnicity: Option<String>,
}

impl Store {
    /// Applies a checked import for `la`. Nothing is written unless all of it is.
    pub async fn import_903(
        &self,
        la: LaId,
        import: Arc<Import903>,
        files: &str,
        actor: &Actor,
    ) -> Result<ImportSummary, StoreError> {
        self.apply_903(la, import, files, actor, Mode::Apply).await
    }

    /// What importing `import` into `la` would change, worked out by doing
    /// it in a transaction that is then rolled back: exact, and writes nothing.
    pub async fn preview_903(
        &self,
        la: LaId,
        import: Arc<Import903>,
        actor: &Actor,
    ) -> Result<ImportSummary, StoreError> {
        self.apply_903(la, import, "", actor, Mode::Preview).await
    }

    /// Imports files held by [`Store::hold_import`], in the same transaction
    /// as spending the hold, so a double click imports once.
    pub(crate) async fn import_held_903(
        &self,
        la: LaId,
        import: Arc<Import903>,
        files: &str,
        hold_id: i64,
        actor: &Actor,
    ) -> Result<ImportSummary, StoreError> {
        self.apply_903(la, import, files, actor, Mode::Spend { hold_id }).await
    }

    async fn apply_903(
        &self,
        la: LaId,
        import: Arc<Import903>,
        files: &str,
        actor: &Actor,
        mode: Mode,
    ) -> Result<ImportSummary, StoreError> {
        let files = files.to_owned();
        self.write(actor, move |conn| {
            Box::pin(async move {
                if let Mode::Spend { hold_id } = mode {
                    let spent = sqlx::query("DELETE FROM pending_imports WHERE id = $1 AND la_id = $2")
                        .bind(hold_id)
                        .bind(la.0)
                        .execute(&mut *conn)
                        .await?
                        .rows_affected();
                    if spent != 1 {
                        return Err(StoreError::NotFound { what: "checked import" });
                    }
                }
                let now = crate::text::now();
                let mut summary = ImportSummary { children_in_files: import.children.len(), ..Default::default() };
                let mut changes: Vec<Change> = Vec::new();

                let mut stored: HashMap<String, Stored> = HashMap::new();
                for r in sqlx::query("SELECT id, child_id, sex, date_of_birth, ethnicity FROM young_people WHERE la_id = $1")
                    .bind(la.0)
                    .fetch_all(&mut *conn)
                    .await?
                {
                    stored.insert(
                        r.try_get("child_id")?,
                        Stored {
                            id: r.try_get("id")?,
                            sex: r.try_get("sex")?,
                            dob: r.try_get("date_of_birth")?,
                            ethnicity: r.try_get("ethnicity")?,
                        },
                    );
                }

                // Young people from the header: new ones in batches, changed ones one by one.
                let mut ids: HashMap<String, i64> = stored.iter().map(|(child, s)| (child.clone(), s.id)).collect();
                let new_children: Vec<_> = import.children.iter().filter(|c| !stored.contains_key(c.child.as_str())).collect();
                const COLUMNS: usize = 7;
                for chunk in new_children.chunks(crate::batch::rows_per_statement(conn, COLUMNS)) {
                    let sql = format!(
                        "INSERT INTO young_people (la_id, child_id, date_of_birth, sex, ethnicity, created_at, updated_at,
                            first_name, last_name, cohort_status)
                         SELECT v.* , '', '', 'referred' FROM (VALUES {}) AS v
                         RETURNING id, child_id",
                        crate::batch::placeholders(chunk.len(), COLUMNS)
                    );
                    let mut query = sqlx::query(&sql);
                    for child in chunk {
                        query = query
                            .bind(la.0)
                            .bind(child.child.as_str().to_owned())
                            .bind(date(child.dob))
                            .bind(child.sex.code())
                            .bind(child.ethnicity.map(Code::as_str))
                            .bind(now.clone())
                            .bind(now.clone());
                    }
                    for r in query.fetch_all(&mut *conn).await? {
                        let (id, child): (i64, String) = (r.try_get(0)?, r.try_get(1)?);
                        changes.push(Change {
                            la: Some(la),
                            action: "create",
                            entity_type: "young_person",
                            entity_id: Some(id),
                            details: json!({ "child_id": child, "source": "ssda903 import" }),
                        });
                        ids.insert(child, id);
                    }
                    summary.young_people_created += chunk.len();
                }
                for child in &import.children {
                    let Some(s) = stored.get(child.child.as_str()) else { continue };
                    let (sex, dob, ethnicity) = (child.sex.code(), date(child.dob), child.ethnicity.map(Code::as_str));
                    if s.sex.as_deref() == Some(sex) && s.dob == dob && s.ethnicity.as_deref() == ethnicity {
                        continue;
                    }
                    sqlx::query(
                        "UPDATE young_people SET sex = $1, date_of_birth = $2, ethnicity = $3, updated_at = $4,
                            facts_on = NULL, version = version + 1 WHERE la_id = $5 AND id = $6",
                    )
                    .bind(sex)
                    .bind(&dob)
                    .bind(ethnicity)
                    .bind(&now)
                    .bind(la.0)
                    .bind(s.id)
                    .execute(&mut *conn)
                    .await?;
                    changes.push(Change {
                        la: Some(la),
                        action: "update",
                        entity_type: "young_person",
                        entity_id: Some(s.id),
                        details: json!({
                            "before": { "sex": s.sex, "date_of_birth": s.dob, "ethnicity": s.ethnicity },
                            "after": { "sex": sex, "date_of_birth": dob, "ethnicity": ethnicity },
                            "source": "ssda903 import",
                        }),
                    });
                    summary.young_people_updated += 1;
                }

                // Episodes: replace a child's history only when it differs.
                let mut existing: HashMap<i64, Vec<Episode>> = HashMap::new();
                for r in sqlx::query(&format!(
                    "SELECT young_person_id, {EPISODE_COLUMNS} FROM care_episodes WHERE la_id = $1 ORDER BY young_person_id, started_on"
                ))
                .bind(la.0)
                .fetch_all(&mut *conn)
                .await?
                {
                    existing.entry(r.try_get("young_person_id")?).or_default().push(episode_from_row(&r)?);
                }
                let mut incoming: HashMap<i64, Vec<&Episode>> = HashMap::new();
                for row in &import.episodes {
                    let id = *ids
                        .get(row.child.as_str())
                        .ok_or_else(|| StoreError::Invalid(format!("child {} is not in the header", row.child)))?;
                    incoming.entry(id).or_default().push(&row.episode);
                }
                let mut people: Vec<i64> = incoming.keys().copied().collect();
                people.sort_unstable();
                let mut to_insert: Vec<(YoungPersonId, &Episode)> = Vec::new();
                for id in people {
                    let episodes = incoming.get_mut(&id).expect("key from the map");
                    episodes.sort_by_key(|e| e.start);
                    let before = existing.get(&id).map(Vec::as_slice).unwrap_or(&[]);
                    if before.len() == episodes.len() && before.iter().zip(episodes.iter()).all(|(a, b)| a == *b) {
                        continue;
                    }
                    if !before.is_empty() {
                        sqlx::query("DELETE FROM care_episodes WHERE la_id = $1 AND young_person_id = $2")
                            .bind(la.0)
                            .bind(id)
                            .execute(&mut *conn)
                            .await?;
                    }
                    changes.push(Change {
                        la: Some(la),
                        action: "update",
                        entity_type: "care_episode",
                        entity_id: Some(id),
                        details: json!({ "episodes_before": before.len(), "episodes_after": episodes.len(), "source": "ssda903 import" }),
                    });
                    summary.episode_histories_replaced += 1;
                    summary.episodes_written += episodes.len();
                    to_insert.extend(episodes.iter().map(|e| (YoungPersonId(id), *e)));
                }
                insert_episodes(conn, la, &to_insert, &now).await?;

                // OC3 outcomes: write only those that changed.
                let mut outcomes: HashMap<i64, (String, String, String)> = HashMap::new();
                for r in sqlx::query(
                    "SELECT young_person_id, in_touch, activity, accommodation FROM care_leaver_outcomes WHERE la_id = $1",
                )
                .bind(la.0)
                .fetch_all(&mut *conn)
                .await?
                {
                    outcomes.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?));
                }
                let mut changed_outcomes = Vec::new();
                for row in &import.outcomes {
                    let id = *ids
                        .get(row.child.as_str())
                        .ok_or_else(|| StoreError::Invalid(format!("child {} is not in the header", row.child)))?;
                    let after =
                        (row.in_touch.to_string(), row.activity.to_string(), row.accommodation.to_string());
                    let before = outcomes.get(&id);
                    if before == Some(&after) {
                        continue;
                    }
                    changes.push(Change {
                        la: Some(la),
                        action: "update",
                        entity_type: "care_leaver_outcome",
                        entity_id: Some(id),
                        details: json!({ "before": before, "after": after, "source": "ssda903 import" }),
                    });
                    changed_outcomes.push((id, after));
                }
                const OUTCOME_COLUMNS: usize = 6;
                for chunk in changed_outcomes.chunks(crate::batch::rows_per_statement(conn, OUTCOME_COLUMNS)) {
                    let sql = format!(
                        "INSERT INTO care_leaver_outcomes (la_id, young_person_id, in_touch, activity, accommodation, updated_at)
                         VALUES {}
                         ON CONFLICT (la_id, young_person_id) DO UPDATE SET in_touch = excluded.in_touch,
                            activity = excluded.activity, accommodation = excluded.accommodation,
                            updated_at = excluded.updated_at, version = care_leaver_outcomes.version + 1",
                        crate::batch::placeholders(chunk.len(), OUTCOME_COLUMNS)
                    );
                    let mut query = sqlx::query(&sql);
                    for (id, (in_touch, activity, accommodation)) in chunk {
                        query = query
                            .bind(la.0)
                            .bind(*id)
                            .bind(in_touch.clone())
                            .bind(activity.clone())
                            .bind(accommodation.clone())
                            .bind(now.clone());
                    }
                    query.execute(&mut *conn).await?;
                }
                summary.outcomes_written = changed_outcomes.len();

                changes.push(Change {
                    la: Some(la),
                    action: "import",
                    entity_type: "ssda903",
                    entity_id: None,
                    details: json!({ "files": files, "summary": summary }),
                });
                if mode == Mode::Preview {
                    // No audit record: `write` rolls the whole import back.
                    return Ok(Written::many(summary, Vec::new()));
                }
                Ok(Written::many(summary, changes))
            })
        })
        .await
    }
}
