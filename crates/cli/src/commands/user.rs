use crate::config::Config;
use anyhow::Context;
use clap::Subcommand;
use staying_close_domain::la::LaCode;
use staying_close_domain::people::{Email, Password, PersonName};
use staying_close_domain::roles::Role;
use staying_close_store::{Actor, NewStaff};
use std::io::BufRead;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a member of staff.
    Add {
        /// Their work email address, used to sign in.
        #[arg(long)]
        email: String,
        /// Their full name.
        #[arg(long)]
        name: String,
        /// One of: la_admin, team_manager, personal_adviser, eet_worker, emotional_health,
        /// housing_officer, nurse, residential_staff, read_only, national_viewer.
        #[arg(long)]
        role: String,
        /// The LA code they work for (every role except national_viewer).
        #[arg(long)]
        la: Option<String>,
        /// Read the password from the first line of standard input. Without it
        /// the account has no password yet: a one-time link (valid 24 hours) to
        /// choose one is printed instead, so no initial password outlives its first use.
        #[arg(long)]
        password_stdin: bool,
        /// The address users reach the service at, for the link.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        base_url: String,
    },
    /// Issue a one-time link, valid for 24 hours, to set a new password.
    /// Every session and API token of the account ends when it is used.
    ResetPassword {
        /// Their email address.
        #[arg(long)]
        email: String,
        /// The address users reach the service at, for the link.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        base_url: String,
    },
    /// Remove an account's two-factor authentication (lost phone and recovery codes);
    /// they set it up again at their next sign-in.
    ResetTwoFactor {
        /// Their email address.
        #[arg(long)]
        email: String,
    },
    /// Disable an account and end all its sessions and API tokens.
    Disable {
        /// Their email address.
        #[arg(long)]
        email: String,
    },
    /// Sign people out everywhere: one member of staff (--email), everyone in
    /// an LA (--la), or everyone (--everyone). API tokens are not touched.
    SignOut {
        /// One member of staff's email address.
        #[arg(long, group = "who")]
        email: Option<String>,
        /// Everyone working for the LA with this code.
        #[arg(long, group = "who")]
        la: Option<String>,
        /// Everyone in every LA, and the national viewers.
        #[arg(long, group = "who")]
        everyone: bool,
    },
    /// List the staff of a local authority.
    List {
        /// The LA code.
        #[arg(long)]
        la: String,
    },
}

/// "1 session", "3 sessions".
fn sessions(n: u64) -> String {
    staying_close_domain::words::count(n, "session", "sessions")
}

pub async fn run(config: &Config, command: UserCommand) -> anyhow::Result<()> {
    let store = super::open_store(config, &super::database(config)).await?;
    match command {
        UserCommand::Add { email, name, role, la, password_stdin, base_url } => {
            let email = Email::parse(&email).context("--email")?;
            let name = PersonName::parse(&name).context("--name")?;
            let role = Role::parse(&role).context("--role")?;
            let la_id = match la {
                Some(code) => {
                    let code = LaCode::parse(&code).context("--la")?;
                    Some(
                        store
                            .la_by_code(&code)
                            .await?
                            .with_context(|| format!("--la: no local authority has code {code}"))?
                            .id,
                    )
                }
                None => None,
            };
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
                Some(Password::parse(line.trim_end_matches(['\r', '\n'])).context("password")?)
            } else {
                None
            };
            let chosen = password.is_some();
            let actor = Actor::System("cli:user-add");
            let staff = store.create_staff(&NewStaff { la: la_id, email, name, role, password }, &actor).await?;
            println!("Added {} <{}> as {}.", staff.display_name, staff.email, staff.role.label().to_lowercase());
            if !chosen {
                let token = store.create_password_reset(&staff.email, &actor).await?;
                println!("Send them this link to choose a password. It works once, within 24 hours:");
                println!("{}/reset-password/{token}", base_url.trim_end_matches('/'));
            }
        }
        UserCommand::ResetPassword { email, base_url } => {
            let email = Email::parse(&email).context("--email")?;
            let token = store
                .create_password_reset(&email, &Actor::System("cli:user-reset-password"))
                .await
                .with_context(|| format!("--email: no member of staff has the email address {email}"))?;
            println!("Send this link to {email}. It works once, within 24 hours:");
            println!("{}/reset-password/{token}", base_url.trim_end_matches('/'));
        }
        UserCommand::ResetTwoFactor { email } => {
            let email = Email::parse(&email).context("--email")?;
            let staff = store
                .reset_second_factor(&email, &Actor::System("cli:user-reset-two-factor"))
                .await
                .with_context(|| format!("--email: no member of staff has the email address {email}"))?;
            println!(
                "Removed two-factor authentication for {} <{}>; they will set it up again when they next sign in.",
                staff.display_name, staff.email
            );
        }
        UserCommand::Disable { email } => {
            let email = Email::parse(&email).context("--email")?;
            let staff = store
                .disable_staff(&email, &Actor::System("cli:user-disable"))
                .await
                .with_context(|| format!("--email: no member of staff has the email address {email}"))?;
            println!("Disabled {} <{}>; their sessions and API tokens have ended.", staff.display_name, staff.email);
        }
        UserCommand::SignOut { email, la, everyone } => {
            let actor = Actor::System("cli:user-sign-out");
            if let Some(email) = email {
                let email = Email::parse(&email).context("--email")?;
                let (staff, ended) = store
                    .sign_out_staff(&email, &actor)
                    .await
                    .with_context(|| format!("--email: no member of staff has the email address {email}"))?;
                println!("Signed {} <{}> out: {} ended.", staff.display_name, staff.email, sessions(ended));
            } else if let Some(la) = la {
                let code = LaCode::parse(&la).context("--la")?;
                let la = store
                    .la_by_code(&code)
                    .await?
                    .with_context(|| format!("--la: no local authority has code {code}"))?;
                let ended = store.sign_out_everyone(Some(la.id), &actor).await?;
                println!("Signed everyone in {} out: {} ended.", la.name, sessions(ended));
            } else if everyone {
                let mut ended = store.sign_out_everyone(None, &actor).await?;
                for la in store.list_las().await? {
                    ended += store.sign_out_everyone(Some(la.id), &actor).await?;
                }
                println!("Signed everyone out: {} ended.", sessions(ended));
            } else {
                anyhow::bail!("say who to sign out: --email, --la or --everyone");
            }
        }
        UserCommand::List { la } => {
            let code = LaCode::parse(&la).context("--la")?;
            let la =
                store.la_by_code(&code).await?.with_context(|| format!("--la: no local authority has code {code}"))?;
            for s in store.list_staff(la.id).await? {
                println!(
                    "{:<42} {:<32} {}{}",
                    s.email,
                    s.display_name,
                    s.role.label(),
                    if s.active { "" } else { " (disabled)" }
                );
            }
        }
    }
    store.close().await;
    Ok(())
}
