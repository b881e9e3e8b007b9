//! Impact report storage tests on SQLite and on PostgreSQL: every figure
//! equals the length of the list behind it (the contact and visit figures
//! come from the counts kept by month and, for parts of months, from one
//! grouped pass over the contacts, so this checks both against the records
//! they count), the counts kept by month equal the records after every kind
//! of change, and the figures worked out in SQL equal the same rules
//! applied in Rust to the records.

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

/// What `contact_months` holds for the LA equals the same counts worked out
/// from its contacts and visit schedules.
async fn assert_kept_counts_are_the_records(store: &Store, la: LaId) {
    use staying_close_domain::report::ContactGroup;
    type Counts = std::collections::BTreeMap<(String, String, String, String, String), (u64, i64, u64, u64)>;
    fn counts(groups: Vec<ContactGroup>) -> Counts {
        let mut out = Counts::new();
        for g in groups {
            let sum = out.entry((g.month, g.kind, g.topics, g.areas, g.forms)).or_default();
            sum.0 += g.count;
            sum.1 += g.minutes;
            sum.2 += g.visits_due;
            sum.3 += g.visits_on_time;
        }
        out
    }
    let always = Period {
        from: chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2100, 12, 31).unwrap(),
    };
    let kept = counts(store.contact_month_groups(la, "1990-01", "2100-12").await.unwrap());
    let counted = counts(store.counted_contact_groups(&Viewer::whole_la(la), always).await.unwrap());
    assert!(!counted.is_empty());
    assert!(counted.values().any(|c| c.2 > 0 && c.3 < c.2), "some visits were late");
    assert_eq!(kept, counted);
}

/// Periods that read the counts kept by month in every way: whole months,
/// days added, days taken away at both ends, one month less a day either
/// side, and a few days alone.
fn periods_to_check(today: chrono::NaiveDate) -> [Period; 5] {
    let month = chrono::Datelike::with_day(&today, 1).unwrap();
    let day = chrono::Duration::days;
    [
        Period::last_complete_year(today),
        Period { from: today - Months::new(6), to: today },
        Period { from: month - Months::new(4) + day(2), to: month - Months::new(1) + day(20) },
        Period { from: month - Months::new(2) + day(1), to: month - Months::new(2) + day(26) },
        Period { from: month - Months::new(2) + day(3), to: month - Months::new(2) + day(6) },
    ]
}

staying_close_store::backend_tests! {
    async fn every_figure_is_the_length_of_its_list(store: Store) {
        let la = demo(&store).await;
        let team = Viewer::whole_la(la.id);
        let today = staying_close_domain::dates::uk_today();
        for period in periods_to_check(today) {
            let figures = store.impact_figures(&team, period, 5).await.unwrap();
            for m in Measure::all() {
                let list = store.impact_records(&team, period, m).await.unwrap();
                assert_eq!(list.len() as u64, figures.count(m), "{m:?} in {period:?}");
            }
            let spends = store.impact_records(&team, period, Measure::ActivitySpends).await.unwrap();
            assert_eq!(spends.iter().map(|r| r.amount.unwrap()).sum::<i64>(), figures.spend_pence);
            let contacts = store.impact_records(&team, period, Measure::Contacts).await.unwrap();
            assert_eq!(contacts.iter().map(|r| r.amount.unwrap()).sum::<i64>(), figures.contact_minutes);
            // Each adviser's caseload, added up, is every young person allocated.
            let advisers = store.impact_records(&team, period, Measure::Advisers).await.unwrap();
            let caseloads = advisers.iter().map(|r| r.amount.unwrap()).sum::<i64>();
            assert_eq!(caseloads as u64, figures.count(Measure::Allocated), "{period:?}");
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

    async fn the_counts_kept_by_month_equal_the_records_after_every_change(store: Store) {
        let la = demo(&store).await;
        let team = Viewer::whole_la(la.id);
        let other = store.la_by_code(&LaCode::parse("991").unwrap()).await.unwrap().unwrap();
        assert_kept_counts_are_the_records(&store, la.id).await;
        assert_kept_counts_are_the_records(&store, other.id).await;
        let today = staying_close_domain::dates::uk_today();
        let period = Period { from: today - Months::new(12), to: today };
        let due = store.impact_records(&team, period, Measure::VisitsDue).await.unwrap();
        let late = due.iter().find(|r| {
            let (frequency, previous) = r.detail.split_once(' ').unwrap();
            let previous = chrono::NaiveDate::parse_from_str(previous, "%Y-%m-%d").unwrap();
            !visit_on_time(previous, r.day.unwrap(), VisitFrequency::parse(frequency).unwrap())
        });
        let visit = late.or(due.first()).expect("the demo has visits");
        let person = visit.young_person.unwrap();
        let before = store.impact_figures(&team, period, 5).await.unwrap();
        // A home visit recorded after later ones: the visit after it now follows it.
        let actor = Actor::System("test");
        let contact = |on, kind| staying_close_domain::contacts::Contact {
            on, at: None, duration_minutes: 50, staff: vec![], kind, topics: vec![staying_close_domain::contacts::Topic::Cooking],
            place: None, notes: None, crisis: false, follow_up: None, support_areas: vec![], support_forms: vec![],
        };
        let home_visit = staying_close_domain::contacts::ContactKind::HomeVisit;
        store.record_contact(&team, person, &contact(visit.day.unwrap() - chrono::Duration::days(1), home_visit), &actor).await.unwrap();
        assert_kept_counts_are_the_records(&store, la.id).await;
        store.record_contact(&team, person, &contact(today, staying_close_domain::contacts::ContactKind::DirectWork), &actor).await.unwrap();
        assert_kept_counts_are_the_records(&store, la.id).await;
        let after = store.impact_figures(&team, period, 5).await.unwrap();
        assert_eq!(after.count(Measure::Contacts), before.count(Measure::Contacts) + 2);
        assert_eq!(after.count(Measure::DirectWorkSessions), before.count(Measure::DirectWorkSessions) + 1);
        assert_eq!(after.count(Measure::VisitsDue), before.count(Measure::VisitsDue) + 1);
        // A new schedule changes which visits were on time.
        let schedule = store.visit_schedule(la.id, person).await.unwrap().expect("a schedule");
        let frequency = if schedule.schedule.frequency == VisitFrequency::Weekly { VisitFrequency::Fortnightly } else { VisitFrequency::Weekly };
        let earlier = staying_close_domain::visits::Schedule { frequency, starts_on: schedule.schedule.starts_on - Months::new(24) };
        store.set_visit_schedule(&team, person, Some(schedule.version), earlier, &actor).await.unwrap();
        assert_kept_counts_are_the_records(&store, la.id).await;
        let changed = store.impact_figures(&team, period, 5).await.unwrap();
        assert!(changed.count(Measure::VisitsDue) >= after.count(Measure::VisitsDue));
        assert_ne!(changed.count(Measure::VisitsOnTime), after.count(Measure::VisitsOnTime));
        assert_kept_counts_are_the_records(&store, other.id).await;
        // Counting afresh gives the same counts.
        store.recount_contact_months().await.unwrap();
        assert_kept_counts_are_the_records(&store, la.id).await;
        assert_eq!(store.impact_figures(&team, period, 5).await.unwrap(), changed);
    }

    async fn the_national_roll_up_gives_each_la_the_figures_of_its_own_report(store: Store) {
        demo(&store).await;
        let today = staying_close_domain::dates::uk_today();
        for period in periods_to_check(today) {
            let national = store.national_figures(period).await.unwrap();
            assert!(national.len() >= 2);
            for (la, figures) in &national {
                let own = store.impact_figures(&Viewer::whole_la(la.id), period, la.settings.weekly_support_hours).await.unwrap();
                assert_eq!(figures, &own, "LA {}", la.code.as_str());
            }
            assert!(national.iter().filter(|(_, f)| f.count(Measure::Contacts) > 0 && f.count(Measure::Supported) > 0).count() >= 2);
        }
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

mod oc3 {
    use super::*;
    use chrono::NaiveDate;
    use staying_close_domain::accommodation::Stay;
    use staying_close_domain::contacts::{Contact, ContactKind};
    use staying_close_domain::dates::LeapDayRule;
    use staying_close_domain::eet::Activity;
    use staying_close_domain::funding::FinancialYear;
    use staying_close_domain::oc3::{outcome, Oc3Outcome};
    use staying_close_domain::people::{ChildId, CohortStatus, PersonName, Sex};
    use staying_close_domain::ssda903::{
        Episode, ShortText, CATEGORY_OF_NEED, LEGAL_STATUS, PLACEMENT, PLACEMENT_PROVIDER, REASON_EPISODE_CEASED,
        REASON_NEW_EPISODE,
    };

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const CLI: Actor = Actor::System("test");

    staying_close_store::backend_tests! {
        async fn a_care_leaver_with_no_contact_around_their_birthday_is_not_in_touch(store: Store) {
            let la = demo(&store).await;
            let new = NewYoungPerson {
                child_id: ChildId::parse("OC3NO").unwrap(),
                first_name: PersonName::parse("Remi").unwrap(),
                last_name: PersonName::parse("Adeyemi").unwrap(),
                preferred_name: None,
                date_of_birth: d(2006, 1, 15), // 20 on 15 January 2026
                sex: Some(Sex::Female),
                ethnicity: Some("BAFR".into()),
                cohort_status: CohortStatus::Active,
                personal_adviser: None,
            };
            let person = store.create_young_person(la.id, &new, &CLI).await.unwrap();
            let episode = Episode {
                start: d(2020, 3, 1),
                end: Some(d(2024, 1, 15)),
                reason_new: REASON_NEW_EPISODE.must("S"),
                legal_status: LEGAL_STATUS.must("C2"),
                category_of_need: CATEGORY_OF_NEED.must("N1"),
                placement: PLACEMENT.must("K2"),
                provider: Some(PLACEMENT_PROVIDER.must("PR1")),
                reason_ceased: Some(REASON_EPISODE_CEASED.must("E8")),
                reason_place_change: None,
                home_postcode: ShortText::new("BL3"),
                placement_postcode: None,
                urn: ShortText::new("SC400001"),
            };
            store.add_episodes(la.id, person.id, &[episode], &CLI).await.unwrap();
            let year = FinancialYear(2025);
            let find = |sources: Vec<Oc3Source>| sources.into_iter().find(|s| s.person.child_id == "OC3NO").expect("in the cohort");
            let source = find(store.oc3_sources(la.id, year).await.unwrap());
            let Oc3Outcome::Row(row) = outcome(&source.person, year, LeapDayRule::default()) else { panic!("a line") };
            assert_eq!((row.in_touch, row.activity.as_str(), row.accommodation.as_str()), ("NO", "0", "0"));

            // A contact a month before the birthday, with what they were doing and where they lived.
            let team = Viewer::whole_la(la.id);
            let contact = Contact {
                on: d(2025, 12, 15), at: None, duration_minutes: 45, staff: vec![], kind: ContactKind::PhoneTextVideo,
                topics: vec![], place: None, notes: None, crisis: false, follow_up: None, support_areas: vec![], support_forms: vec![],
            };
            store.record_contact(&team, person.id, &contact, &CLI).await.unwrap();
            store.add_activity(&team, person.id, &Activity { code: "P5".into(), provider: None, starts_on: d(2025, 9, 1), ends_on: None }, &CLI).await.unwrap();
            store.add_stay(&team, person.id, &Stay { code: "U1".into(), address: None, provider: None, starts_on: d(2024, 6, 1), ends_on: None, reason_for_move: None }, &CLI).await.unwrap();
            let source = find(store.oc3_sources(la.id, year).await.unwrap());
            let Oc3Outcome::Row(row) = outcome(&source.person, year, LeapDayRule::default()) else { panic!("a line") };
            assert_eq!((row.in_touch, row.activity.as_str(), row.accommodation.as_str()), ("YES", "P5", "U1"));
            assert_eq!(source.episodes.len(), 1);
            // Another LA's care leavers are never in this LA's return.
            let other = store.la_by_code(&LaCode::parse("991").unwrap()).await.unwrap().unwrap();
            assert!(store.oc3_sources(other.id, year).await.unwrap().iter().all(|s| s.person.child_id != "OC3NO"));
        }
    }
}
