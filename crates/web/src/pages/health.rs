//! Probes for orchestrators and load balancers.

use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use staying_close_store::StoreError;
use std::time::Duration;

/// Liveness: the process is up and answering.
pub async fn live() -> &'static str {
    "ok"
}

/// How long readiness waits to be able to write.
const WRITE_PROBE: Duration = Duration::from_secs(1);

/// Readiness: the database answers and takes writes (on SQLite, the write
/// lock can be had within a second), so an orchestrator drains or restarts
/// an instance that could not save anything.
pub async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store.can_write(WRITE_PROBE).await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            let why = match e {
                StoreError::CannotWrite(why) => why,
                _ => "database unavailable",
            };
            tracing::warn!(reason = why, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, why)
        }
    }
}
