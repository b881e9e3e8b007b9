use crate::config::Config;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Re-compute every LA's audit hash chain and report any record that was changed, added or removed.
    Verify,
}

/// A broken chain: exit code 1 with the list of breaks.
#[derive(Debug, thiserror::Error)]
#[error("the audit trail has been tampered with:\n{0}")]
pub struct Tampered(String);

pub async fn run(config: &Config, command: AuditCommand) -> anyhow::Result<()> {
    let store = super::open_store(config, &super::database(config)).await?;
    match command {
        AuditCommand::Verify => {
            let report = store.verify_audit_chains().await?;
            store.close().await;
            if report.breaks.is_empty() {
                println!("The audit trail is intact: {} events in {} chains.", report.events, report.chains);
            } else {
                let lines: Vec<String> = report
                    .breaks
                    .iter()
                    .map(|b| format!("  chain {} (LA id), event {}: {}", b.chain, b.event_id, b.problem))
                    .collect();
                return Err(Tampered(lines.join("\n")).into());
            }
        }
    }
    Ok(())
}
