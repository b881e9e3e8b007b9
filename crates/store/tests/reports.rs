//! Impact report storage tests on SQLite and on PostgreSQL: every figure
//! equals the length of the list behind it, and the figures worked out in
//! SQL equal the same rules applied in Rust to the records.

use chrono::Months;
use staying_close_domain::la::LaCode;
use staying_close_domain::people::Password;
use staying_close_domain::report::{visit_on_time, Measure, Period};
use staying_close_domain::visits::VisitFrequency;
use staying_close_store::*;

async fn demo(store: &Store) -> La {
    let today = staying_close_domain::dates::uk_today();
    let data = staying_close_demo::generate(today, staying_close_demo::DEFAULT_SEED);
    let password = Password::parse("kettle-orbit-meadow").unwrap();
    store.load_dataset(&data, &password, &Actor::System("demo")).await.unwrap();
    store.la_by_code(&LaCode::parse("990").unwrap()).await.unwrap().unwrap()
}

staying_close_store::backend_tests! {
    async fn every_figure_is_the_length_of_its_list(store: Store) {
        let la = demo(&store).await;
        let team = Viewer::whole_la(la.id);
        let today = staying_close_domain::dates::uk_today();
        for period in [Period::last_complete_year(today), Period { from: today - Months::new(6), to: today }] {
            let figures = store.impact_figures(&team, period, 5).await.unwrap();
            for m in Measure::all() {
                let list = store.impact_records(&team, period, m).await.unwrap();
                assert_eq!(list.len() as u64, figures.count(m), "{m:?} in {period:?}");
            }
            let spends = store.impact_records(&team, period, Measure::ActivitySpends).await.unwrap();
            assert_eq!(spends.iter().map(|r| r.amount.unwrap()).sum::<i64>(), figures.spend_pence);
            let contacts = store.impact_records(&team, period, Measure::Contacts).await.unwrap();
            assert_eq!(contacts.iter().map(|r| r.amount.unwrap()).sum::<i64>(), figures.contact_minutes);
        }
        // The demo's year has the shape of a Staying Close year.
        let year = store.impact_figures(&team, Period { from: today - Months::new(12), to: today }, 5).await.unwrap();
        for m in [Measure::Supported, Measure::HousingInterventions, Measure::DirectWorkSessions, Measure::EetInterventions,
                  Measure::EmotionalHealthSessions, Measure::TrustedMatches, Measure::ActivitySpends, Measure::GroupEvents,
                  Measure::VisitsDue, Measure::ReviewsHeld, Measure::Advisers] {
            assert!(year.count(m) > 0, "the demo has {m:?}");
        }
    }

    async fn visits_on_time_in_sql_follow_the_domain_rule(store: Store) {
        let la = demo(&store).await;
        let team = Viewer::whole_la(la.id);
        let today = staying_close_domain::dates::uk_today();
        let period = Period { from: today - Months::new(12), to: today };
        let due = store.impact_records(&team, period, Measure::VisitsDue).await.unwrap();
        let on_time = store.impact_records(&team, period, Measure::VisitsOnTime).await.unwrap();
        // The due list's detail carries the schedule and the visit before.
        let by_rule: Vec<i64> = due
            .iter()
            .filter(|r| {
                let (frequency, previous) = r.detail.split_once(' ').unwrap();
                let previous = chrono::NaiveDate::parse_from_str(previous, "%Y-%m-%d").unwrap();
                visit_on_time(previous, r.day.unwrap(), VisitFrequency::parse(frequency).unwrap())
            })
            .map(|r| r.id)
            .collect();
        let mut from_sql: Vec<i64> = on_time.iter().map(|r| r.id).collect();
        let mut by_rule = by_rule;
        from_sql.sort();
        by_rule.sort();
        assert!(!due.is_empty());
        assert!(on_time.len() < due.len() || due.len() == on_time.len());
        assert_eq!(from_sql, by_rule);
    }

    async fn another_las_records_are_never_counted(store: Store) {
        let la = demo(&store).await;
        let other = store.la_by_code(&LaCode::parse("991").unwrap()).await.unwrap().unwrap();
        let today = staying_close_domain::dates::uk_today();
        let period = Period { from: today - Months::new(12), to: today };
        let ours = store.impact_records(&Viewer::whole_la(la.id), period, Measure::Supported).await.unwrap();
        let theirs = store.impact_records(&Viewer::whole_la(other.id), period, Measure::Supported).await.unwrap();
        let ours_ids: std::collections::HashSet<_> = ours.iter().map(|r| r.young_person).collect();
        assert!(theirs.iter().all(|r| !ours_ids.contains(&r.young_person)));
        assert!(!ours.is_empty() && !theirs.is_empty());
    }
}
