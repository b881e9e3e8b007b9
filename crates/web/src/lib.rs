//! The web layer: axum handlers, GOV.UK templates, embedded assets and the
//! HTTP middleware (request ids, tracing, security headers, limits).

mod assets;
mod charts;
mod components;
mod error;
mod export;
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
    /// How long a connection may take to send a request's headers, and how
    /// long a kept-alive connection may sit idle before its next request.
    pub header_read_timeout: Duration,
    /// Connections served at once; more are closed as soon as they arrive.
    pub max_connections: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            behind_tls: false,
            request_timeout: Duration::from_secs(30),
            max_body_bytes: 2 * 1024 * 1024,
            max_upload_bytes: 50 * 1024 * 1024,
            trust_forwarded_for: false,
            header_read_timeout: Duration::from_secs(10),
            max_connections: 1024,
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

/// Serves HTTP/1.1 until `shutdown` completes, then finishes in-flight
/// requests. Slow clients cannot hold the server: a connection must send its
/// request headers (or its next request, when kept alive) within
/// `header_read_timeout`, and at most `max_connections` are served at once.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    config: &WebConfig,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    use std::net::SocketAddr;
    use tower::Service;

    let mut make = app.into_make_service_with_connect_info::<SocketAddr>();
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let permits = Arc::new(tokio::sync::Semaphore::new(config.max_connections));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(config.header_read_timeout).keep_alive(true);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, addr) = tokio::select! {
            // The shutdown signal first, every time round.
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait, then go on.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            tracing::warn!("connection limit reached; closing a new connection");
            continue;
        };
        let service = match make.call(addr).await {
            Ok(service) => TowerToHyperService::new(service),
            Err(never) => match never {},
        };
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM. The handlers are installed when this is
/// called, not when the future is first polled, so a signal that arrives
/// while the server is busy accepting its first connections is never missed
/// (which would kill the process instead of stopping it gracefully).
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let (mut terminate, mut interrupt) = {
        use tokio::signal::unix::{signal, SignalKind};
        (signal(SignalKind::terminate()).ok(), signal(SignalKind::interrupt()).ok())
    };
    async move {
        #[cfg(unix)]
        {
            let term = async {
                match terminate.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let int = async {
                match interrupt.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = term => {},
                _ = int => {},
            }
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await.ok();
        }
        tracing::info!("shutdown signal received; finishing in-flight requests");
    }
}
