//! The web layer: axum handlers, GOV.UK templates, embedded assets and the
//! HTTP middleware (request ids, tracing, security headers, limits).

mod assets;
mod error;
mod layout;
mod middleware;
mod pages;

pub use error::AppError;

use axum::routing::get;
use axum::Router;
use staying_close_store::Store;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// Settings for the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// True when users reach the service over HTTPS (directly or through a
    /// proxy): turns on HSTS and `Secure` cookies.
    pub behind_tls: bool,
    /// Longest time a request may take before it is answered with 408.
    pub request_timeout: Duration,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig { behind_tls: false, request_timeout: Duration::from_secs(30), max_body_bytes: 2 * 1024 * 1024 }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
}

/// Every route of the service, in one place.
pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let routes = Router::new()
        .route("/", get(pages::start::show))
        .route("/healthz", get(pages::health::live))
        .route("/readyz", get(pages::health::ready))
        .route("/assets/{*path}", get(assets::serve))
        .fallback(pages::errors::not_found)
        .with_state(state);
    middleware::wrap(routes, &config)
}

/// Serves until `shutdown` completes, then finishes in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
