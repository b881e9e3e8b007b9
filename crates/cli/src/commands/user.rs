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
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the staff of a local authority.
    List {
        /// The LA code.
        #[arg(long)]
        la: String,
    },
}

pub async fn run(config: &Config, command: UserCommand) -> anyhow::Result<()> {
    let store = super::open_store(config, &super::database(config)).await?;
    match command {
        UserCommand::Add { email, name, role, la, password_stdin } => {
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
            let (password, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
                (Password::parse(line.trim_end_matches(['\r', '\n'])).context("password")?, false)
            } else {
                (staying_close_store::generate_password(), true)
            };
            let staff = store
                .create_staff(
                    &NewStaff { la: la_id, email, name, role, password: Some(password.clone()) },
                    &Actor::System("cli:user-add"),
                )
                .await?;
            println!("Added {} <{}> as {}.", staff.display_name, staff.email, staff.role.label().to_lowercase());
            if generated {
                println!("Their password, shown only now: {}", password.expose());
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
