//! Probes for orchestrators and load balancers.

use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// Liveness: the process is up and answering.
pub async fn live() -> &'static str {
    "ok"
}

/// Readiness: the database answers too.
pub async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(_) => {
            tracing::warn!("readiness check failed: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
