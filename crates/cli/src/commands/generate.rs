//! `staying-close generate`: synthetic local authorities for benchmarks and
//! load tests: staff (all with the demo password), young people with care
//! histories, visit schedules and years of contacts. Deterministic for a
//! seed and a day.

use crate::config::{parse_database_url, Config};
use staying_close_domain::dataset::Dataset;
use staying_close_domain::people::Password;
use staying_close_store::Actor;
use std::time::Instant;

/// The first synthetic LA's code; the others follow it.
pub const FIRST_CODE: u16 = 100;

pub struct Options {
    pub database: String,
    pub las: u16,
    pub young_people: usize,
    pub years: u32,
    pub seed: u64,
}

/// Rows a dataset writes: LAs, staff, the Local Offer, lets, group events
/// and funding, young people with every kind of record, contacts and who
/// was at each, and plan versions with their areas, goals and actions.
pub fn rows(data: &Dataset) -> usize {
    data.las
        .iter()
        .map(|la| {
            1 + la.staff.len()
                + la.offer.len()
                + la.lets.iter().map(|(_, occupancies)| 1 + occupancies.len()).sum::<usize>()
                + la.events.iter().map(|(_, people, staff)| 1 + people.len() + staff.len()).sum::<usize>()
                + la.funding.iter().map(|(_, grants, spend)| grants.len() + spend.len()).sum::<usize>()
                + la.young_people
                    .iter()
                    .map(|y| {
                        1 + y.episodes.len()
                            + usize::from(y.schedule.is_some())
                            + y.allocations.len()
                            + y.assessments.len()
                            + y.spends.len()
                            + y.celebration_tasks.len()
                            + y.trusted_matches.len()
                            + y.stays.len()
                            + y.housing.len()
                            + y.activities.len()
                            + y.eet_help.len()
                            + y.advocacy.len()
                            + y.parent_children.len()
                            + y.parent_support.len()
                            + y.parent_outcomes.len()
                            + y.health_sessions.len()
                            + y.health_referrals.len()
                            + usize::from(y.registration.is_some())
                            + y.involvements.len()
                            + y.contacts.iter().map(|c| 1 + c.contact.staff.len()).sum::<usize>()
                            + y.plans
                                .iter()
                                .map(|p| {
                                    1 + p
                                        .sections
                                        .iter()
                                        .map(|s| 1 + s.goals.iter().map(|g| 1 + g.actions.len()).sum::<usize>())
                                        .sum::<usize>()
                                })
                                .sum::<usize>()
                    })
                    .sum::<usize>()
        })
        .sum()
}

pub async fn run(config: &Config, options: Options) -> anyhow::Result<()> {
    if options.las == 0 || options.las > 800 {
        anyhow::bail!("--las must be from 1 to 800");
    }
    if options.young_people == 0 || options.young_people > 999_999 {
        anyhow::bail!("--young-people must be from 1 to 999,999 (per LA)");
    }
    if options.years == 0 || options.years > 10 {
        anyhow::bail!("--years must be from 1 to 10");
    }
    let (_, url) = parse_database_url("--database", &options.database)?;
    let store = super::open_store(config, &url).await?;
    let password = Password::parse(&config.demo_password)?;
    let today = staying_close_domain::dates::uk_today();
    let started = Instant::now();
    let mut written = 0;
    for i in 0..options.las {
        let code = FIRST_CODE + i;
        let la = staying_close_demo::synthetic_la(today, options.seed, code, options.young_people, options.years);
        let data = Dataset { las: vec![la], national_staff: Vec::new() };
        let rows = rows(&data);
        let summary = store.load_dataset(&data, &password, &Actor::System("generate")).await?;
        written += rows;
        for la in &summary.las {
            let manager = la.logins.first().map(|(email, _)| email.as_str()).unwrap_or("");
            println!(
                "{} (LA code {}): {} young people, {rows} rows; manager {manager}",
                la.name, la.code, la.young_people
            );
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "Wrote {written} rows in {seconds:.1} s ({:.0} rows a minute) to {} ({}). Every account's password is the demo password.",
        written as f64 / seconds * 60.0,
        url.backend(),
        url.redacted()
    );
    store.close().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_count_every_table_written() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let la = staying_close_demo::synthetic_la(today, 1, 100, 40, 1);
        assert_eq!(la.young_people.len(), 40);
        assert_eq!(la.staff.iter().filter(|s| s.role == staying_close_domain::roles::Role::PersonalAdviser).count(), 5);
        let data = Dataset { las: vec![la], national_staff: Vec::new() };
        assert!(rows(&data) > 40 * 50, "a year of contacts each: {}", rows(&data));
        // Deterministic for a seed and a day.
        let again = staying_close_demo::synthetic_la(today, 1, 100, 40, 1);
        assert_eq!(rows(&Dataset { las: vec![again], national_staff: Vec::new() }), rows(&data));
    }
}
