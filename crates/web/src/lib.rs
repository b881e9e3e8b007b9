//! The web layer: axum handlers, GOV.UK templates, embedded assets and the
//! HTTP middleware (request ids, tracing, security headers, limits).

mod assets;
mod components;
mod error;
mod forms;
mod identity;
mod layout;
mod middleware;
mod pages;
pub mod routes;

pub use error::AppError;

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
    /// Largest file upload (SSDA903 imports), in bytes.
    pub max_upload_bytes: usize,
    /// Take the client address from the last `X-Forwarded-For` entry (only
    /// behind a proxy that sets it).
    pub trust_forwarded_for: bool,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            behind_tls: false,
            request_timeout: Duration::from_secs(30),
            max_body_bytes: 2 * 1024 * 1024,
            max_upload_bytes: 50 * 1024 * 1024,
            trust_forwarded_for: false,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
}

/// The whole service: every route from [`routes::ROUTES`], wrapped in the
/// common middleware.
pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    middleware::wrap(routes::build(state), &config)
}

/// Serves until `shutdown` completes, then finishes in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
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
