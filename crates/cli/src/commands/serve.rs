use crate::config::{parse_bind, Config};
use staying_close_store::Store;
use staying_close_web::{AppState, WebConfig};
use std::net::SocketAddr;
use std::sync::Arc;

pub async fn run(config: &Config, bind: Option<&str>) -> anyhow::Result<()> {
    let addr = match bind {
        Some(value) => parse_bind("--bind", value)?,
        None => config.bind,
    };
    // Bind first: a busy port is reported before any database work.
    let listener = listen(addr).await?;
    let url = super::database(config);
    let store = super::open_store(config, &url).await?;
    // Not `println!`: a closed standard output must not stop the service.
    use std::io::Write;
    let mut out = std::io::stdout();
    writeln!(out, "Staying Close is running at http://{}", listener.local_addr()?).ok();
    writeln!(out, "Database: {} ({})", url.backend(), url.redacted()).ok();
    serve(config, listener, store).await
}

pub async fn listen(addr: SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
            "; another program is using that port: stop it or choose another with --bind or STAYING_CLOSE_BIND"
        } else {
            ""
        };
        anyhow::anyhow!("cannot listen on {addr}: {e}{hint}")
    })
}

pub async fn serve(config: &Config, listener: tokio::net::TcpListener, store: Store) -> anyhow::Result<()> {
    let web = WebConfig {
        behind_tls: config.behind_tls,
        trust_forwarded_for: config.trust_forwarded_for,
        request_timeout: config.request_timeout,
        header_read_timeout: config.header_timeout,
        max_connections: config.max_connections as usize,
        ..WebConfig::default()
    };
    let web = Arc::new(web);
    let app = staying_close_web::router(AppState { store: store.clone(), config: web.clone() });
    tracing::info!(address = %listener.local_addr()?, "listening");
    let anchors = tokio::spawn(log_audit_heads_every(store.clone(), ANCHOR_EVERY));
    staying_close_web::serve(listener, app, staying_close_web::shutdown_signal(), &web).await?;
    anchors.abort();
    log_audit_heads(&store).await;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// How often the server writes the audit chains' anchors to its log.
const ANCHOR_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Writes each chain's newest number and MAC to the log, which lives outside
/// the database: `audit verify --head LOGFILE` checks the trail against them.
async fn log_audit_heads(store: &Store) {
    match store.audit_heads().await {
        Ok(heads) => {
            for head in heads {
                tracing::info!(target: "staying_close::audit_anchor", "{}", head.line());
            }
        }
        Err(e) => tracing::warn!(error = %e, "cannot read the audit chains' heads"),
    }
}

async fn log_audit_heads_every(store: Store, every: std::time::Duration) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        log_audit_heads(&store).await;
    }
}
