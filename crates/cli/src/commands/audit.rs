//! `staying-close audit`: verify the trail, print its anchors.

use crate::config::Config;
use anyhow::Context;
use clap::Subcommand;
use staying_close_store::AuditHead;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Re-compute every LA's audit chain with the secret key and report any event that was changed, added or removed.
    Verify {
        /// Anchors kept outside the database (lines from `audit head` or the server's log): the check also fails when
        /// a chain is shorter than, or disagrees with, any of them.
        #[arg(long, value_name = "FILE")]
        head: Option<PathBuf>,
    },
    /// Print each LA's newest audit event: its number and MAC, one line per LA. Keep these lines somewhere the
    /// database cannot reach; `audit verify --head` checks the trail against them.
    Head,
}

/// A broken chain: exit code 1 with the list of breaks.
#[derive(Debug, thiserror::Error)]
#[error("the audit trail has been tampered with:\n{0}")]
pub struct Tampered(String);

pub async fn run(config: &Config, command: AuditCommand) -> anyhow::Result<()> {
    let url = super::database(config);
    let store = super::open_store(config, &url).await?;
    match command {
        AuditCommand::Head => {
            for head in store.audit_heads().await? {
                println!("{}", head.line());
            }
            store.close().await;
        }
        AuditCommand::Verify { head } => {
            let anchors = match &head {
                Some(file) => {
                    let text = std::fs::read_to_string(file)
                        .with_context(|| format!("cannot read the anchors in {}", file.display()))?;
                    AuditHead::parse_all(&text)
                }
                None => Vec::new(),
            };
            let mut keys = vec![super::audit_key(config, &url)?];
            keys.extend(config.previous_secret_keys.iter().cloned());
            let report = store.verify_audit_chains(&keys, &anchors).await?;
            store.close().await;
            if report.breaks.is_empty() {
                println!(
                    "The audit trail is intact: {} events in {} chains{}.",
                    report.events,
                    report.chains,
                    if anchors.is_empty() {
                        String::new()
                    } else {
                        format!(", agreeing with {} anchors", anchors.len())
                    }
                );
            } else {
                let lines: Vec<String> = report
                    .breaks
                    .iter()
                    .map(|b| format!("  chain {} (LA id), event number {}: {}", b.chain, b.seq, b.problem))
                    .collect();
                return Err(Tampered(lines.join("\n")).into());
            }
        }
    }
    Ok(())
}
