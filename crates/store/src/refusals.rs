//! Reads of many records at once and refused requests, in the audit trail:
//! who saw which records, and who tried what they may not.

use crate::audit::{Actor, Change};
use crate::write::Written;
use crate::{LaId, Store, StoreError};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Repeats of one refusal (same person or address, same route) within this
/// window are counted, not each recorded, so a flood cannot fill the trail.
pub const REFUSAL_WINDOW: Duration = Duration::from_secs(60);

/// Refusals recorded lately: (who, route) → when the window began and how
/// many more came in it.
#[derive(Default)]
pub(crate) struct RecentRefusals(Mutex<HashMap<(String, String), (Instant, u64)>>);

impl RecentRefusals {
    /// `Some(repeats since the last record)` when this refusal should be
    /// recorded now; `None` when it only adds to the count.
    fn note(&self, who: String, route: String, now: Instant) -> Option<u64> {
        let mut recent = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Forget windows long past, so the map stays small.
        recent.retain(|_, (since, _)| now.duration_since(*since) < REFUSAL_WINDOW * 10);
        match recent.get_mut(&(who.clone(), route.clone())) {
            Some((since, repeats)) if now.duration_since(*since) < REFUSAL_WINDOW => {
                *repeats += 1;
                None
            }
            Some((since, repeats)) => {
                let earlier = *repeats;
                *since = now;
                *repeats = 0;
                Some(earlier)
            }
            None => {
                recent.insert((who, route), (now, 0));
                Some(0)
            }
        }
    }
}

impl Store {
    /// Records a read of many records at once: which ones, through what and
    /// with which filter.
    pub async fn record_bulk_read(
        &self,
        actor: &Actor,
        la: LaId,
        entity_type: &'static str,
        via: &str,
        filter: serde_json::Value,
        ids: Vec<i64>,
    ) -> Result<(), StoreError> {
        let details = json!({ "via": via, "filter": filter, "count": ids.len(), "ids": ids });
        let change = Change { la: Some(la), action: "view_list", entity_type, entity_id: None, details };
        self.write(actor, move |_| Box::pin(async move { Ok(Written::new((), change)) })).await
    }

    /// Records a refused request (a forbidden page, another LA's record):
    /// who, the route and the id asked for. Repeats within a minute are
    /// counted into the next record instead of each writing one.
    pub async fn record_refusal(
        &self,
        actor: &Actor,
        la: Option<LaId>,
        route: &str,
        requested: Option<&str>,
    ) -> Result<(), StoreError> {
        let details = json!({ "route": route, "requested": requested });
        self.record_counted(actor, la, route.to_owned(), "access_denied", details).await
    }

    /// Records a form refused because it was forged or sent from another
    /// site (a wrong or missing CSRF token, or a cross-site origin): an
    /// attempt to get round a control, counted like other refusals.
    pub async fn record_refused_form(
        &self,
        actor: &Actor,
        la: Option<LaId>,
        route: &str,
        reason: &'static str,
    ) -> Result<(), StoreError> {
        let details = json!({ "route": route, "reason": reason });
        self.record_counted(actor, la, format!("form:{reason}:{route}"), "form_refused", details).await
    }

    /// Writes `action` unless `actor` had the same refusal (`key`) within the
    /// last minute; the record carries how many repeats went unwritten.
    async fn record_counted(
        &self,
        actor: &Actor,
        la: Option<LaId>,
        key: String,
        action: &'static str,
        mut details: serde_json::Value,
    ) -> Result<(), StoreError> {
        let Some(repeats) = self.refusals.note(actor.label(), key, Instant::now()) else {
            return Ok(());
        };
        details["earlier_repeats"] = json!(repeats);
        let change = Change { la, action, entity_type: "route", entity_id: None, details };
        self.write(actor, move |_| Box::pin(async move { Ok(Written::new((), change)) })).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_within_a_minute_are_counted_into_the_next_record() {
        let recent = RecentRefusals::default();
        let start = Instant::now();
        let note = |at: u64| recent.note("staff:1".into(), "/audit".into(), start + Duration::from_secs(at));
        assert_eq!(note(0), Some(0), "the first is recorded");
        assert_eq!(note(1), None);
        assert_eq!(note(30), None);
        assert_eq!(note(61), Some(2), "the next window's first record carries the count");
        assert_eq!(recent.note("staff:2".into(), "/audit".into(), start), Some(0), "someone else is their own");
    }
}
