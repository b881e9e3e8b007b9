//! Storage tests: each body runs on SQLite and on PostgreSQL.

use chrono::NaiveDate;
use staying_close_domain::la::{LaCode, LaName, LaSettings};
use staying_close_domain::money::Pence;
use staying_close_domain::people::{ChildId, CohortStatus, Email, Password, PersonName, Sex};
use staying_close_domain::roles::Role;
use staying_close_domain::ssda903::{
    Episode, ShortText, CATEGORY_OF_NEED, LEGAL_STATUS, PLACEMENT, PLACEMENT_PROVIDER, REASON_EPISODE_CEASED,
    REASON_NEW_EPISODE,
};
use staying_close_store::testing::{self, TestDb};
use staying_close_store::*;
use std::sync::Arc;

const CLI: Actor = Actor::System("test");

async fn la(store: &Store, code: &str, name: &str) -> La {
    store
        .create_la(&LaCode::parse(code).unwrap(), &LaName::parse(name).unwrap(), &LaSettings::default(), &CLI)
        .await
        .unwrap()
}

fn new_staff(la: Option<LaId>, email: &str, role: Role) -> NewStaff {
    NewStaff {
        la,
        email: Email::parse(email).unwrap(),
        name: PersonName::parse("Sam Adviser").unwrap(),
        role,
        password: Some(Password::parse("kettle-orbit-meadow").unwrap()),
    }
}

fn new_person(child: &str, adviser: Option<StaffId>) -> NewYoungPerson {
    NewYoungPerson {
        child_id: ChildId::parse(child).unwrap(),
        first_name: PersonName::parse("Kai").unwrap(),
        last_name: PersonName::parse("Walsh").unwrap(),
        preferred_name: None,
        date_of_birth: NaiveDate::from_ymd_opt(2007, 6, 10).unwrap(),
        sex: Some(Sex::Male),
        ethnicity: Some("WBRI".into()),
        cohort_status: CohortStatus::Active,
        personal_adviser: adviser,
    }
}

fn episode(start: (i32, u32, u32), end: Option<(i32, u32, u32)>, place: &str) -> Episode {
    let d = |(y, m, day): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    Episode {
        start: d(start),
        end: end.map(d),
        reason_new: REASON_NEW_EPISODE.must("S"),
        legal_status: LEGAL_STATUS.must("C2"),
        category_of_need: CATEGORY_OF_NEED.must("N1"),
        placement: PLACEMENT.must(place),
        provider: Some(PLACEMENT_PROVIDER.must("PR1")),
        reason_ceased: end.map(|_| REASON_EPISODE_CEASED.must("X1")),
        reason_place_change: None,
        home_postcode: ShortText::new("BL3"),
        placement_postcode: None,
        urn: ShortText::new("SC400001"),
    }
}

staying_close_store::backend_tests! {
    async fn migrations_are_idempotent(store: Store) {
        assert!(store.migrate().await.unwrap().is_empty(), "a second run applies nothing");
        let status = store.migration_status().await.unwrap();
        assert!(status.iter().all(|(_, _, applied)| *applied));
        store.ping().await.unwrap();
        assert_eq!(store.connections_rolled_back(), 0, "checking a migration leaves no transaction open");
    }

    async fn local_authorities_round_trip_with_default_settings(store: Store) {
        let created = la(&store, "990", "Demo Borough").await;
        assert_eq!(created.settings.caseload_cap, 8);
        assert_eq!(created.settings.activities_allowance, Pence(3000));
        assert_eq!(created.settings.weekly_support_hours, 5);
        let found = store.la_by_code(&LaCode::parse("990").unwrap()).await.unwrap().unwrap();
        assert_eq!(found, created);
        assert_eq!(store.list_las().await.unwrap(), vec![created]);
    }

    async fn duplicate_la_codes_are_refused_without_losing_the_first(store: Store) {
        la(&store, "990", "Demo Borough").await;
        let err = store
            .create_la(&LaCode::parse("990").unwrap(), &LaName::parse("Other").unwrap(), &LaSettings::default(), &CLI)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Duplicate { .. }), "{err:?}");
        assert_eq!(store.list_las().await.unwrap()[0].name, "Demo Borough");
    }

    async fn stale_settings_updates_are_refused(store: Store) {
        let created = la(&store, "990", "Demo Borough").await;
        let first = LaSettings { caseload_cap: 9, ..created.settings.clone() };
        let updated = store.update_la_settings(created.id, created.version, &first, &CLI).await.unwrap();
        assert_eq!(updated.version, created.version + 1);
        // A second editor who read the old version must not overwrite the first.
        let second = LaSettings { caseload_cap: 6, ..created.settings.clone() };
        let err = store.update_la_settings(created.id, created.version, &second, &CLI).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
        assert_eq!(store.la(created.id).await.unwrap().settings.caseload_cap, 9);
        let trail = store.audit_events(created.id, 10).await.unwrap();
        assert_eq!(trail[0].action, "update");
        assert_eq!(trail[0].details["before"]["caseload_cap"], 8);
        assert_eq!(trail[0].details["after"]["caseload_cap"], 9);
    }

    async fn staff_emails_are_unique_and_sign_in_hashes_verify(store: Store) {
        let demo = la(&store, "990", "Demo Borough").await;
        let staff = store.create_staff(&new_staff(Some(demo.id), "sam@demo.example", Role::PersonalAdviser), &CLI).await.unwrap();
        assert_eq!(staff.role, Role::PersonalAdviser);
        let again = store.create_staff(&new_staff(Some(demo.id), "SAM@demo.example", Role::Nurse), &CLI).await;
        assert!(matches!(again, Err(StoreError::Duplicate { .. })));
        let (found, hash) = store.staff_for_sign_in(&Email::parse("sam@demo.example").unwrap()).await.unwrap().unwrap();
        assert_eq!(found.id, staff.id);
        assert!(verify_password("kettle-orbit-meadow", &hash.unwrap()));
    }

    async fn only_national_viewers_have_no_la(store: Store) {
        let demo = la(&store, "990", "Demo Borough").await;
        let err = store.create_staff(&new_staff(None, "pa@demo.example", Role::PersonalAdviser), &CLI).await.unwrap_err();
        assert!(err.to_string().contains("must belong to a local authority"), "{err}");
        let err = store.create_staff(&new_staff(Some(demo.id), "nv@x.example", Role::NationalViewer), &CLI).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)));
        store.create_staff(&new_staff(None, "nv@x.example", Role::NationalViewer), &CLI).await.unwrap();
    }

    async fn young_people_are_invisible_to_other_las(store: Store) {
        let demo = la(&store, "990", "Demo Borough").await;
        let other = la(&store, "991", "Second Demo").await;
        let person = store.create_young_person(demo.id, &new_person("DB1", None), &CLI).await.unwrap();
        assert_eq!(store.young_person(demo.id, person.id).await.unwrap().child_id.as_str(), "DB1");
        let foreign = store.young_person(other.id, person.id).await;
        assert!(matches!(foreign, Err(StoreError::NotFound { .. })), "{foreign:?}");
        assert!(store.cohort(other.id).await.unwrap().is_empty());
        let write = store.add_episodes(other.id, person.id, &[episode((2021, 6, 10), None, "K2")], &CLI).await;
        assert!(matches!(write, Err(StoreError::NotFound { .. })));
        assert!(store.episodes(demo.id, person.id).await.unwrap().is_empty());
    }

    async fn an_adviser_must_work_for_the_same_la(store: Store) {
        let demo = la(&store, "990", "Demo Borough").await;
        let other = la(&store, "991", "Second Demo").await;
        let outsider = store.create_staff(&new_staff(Some(other.id), "o@second.example", Role::PersonalAdviser), &CLI).await.unwrap();
        let err = store.create_young_person(demo.id, &new_person("DB1", Some(outsider.id)), &CLI).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
        assert!(store.cohort(demo.id).await.unwrap().is_empty());
    }

    async fn episodes_come_back_in_date_order_with_open_ends(store: Store) {
        let demo = la(&store, "990", "Demo Borough").await;
        let person = store.create_young_person(demo.id, &new_person("DB1", None), &CLI).await.unwrap();
        let later = episode((2022, 1, 5), None, "K2");
        let earlier = episode((2021, 3, 1), Some((2022, 1, 5)), "U6");
        store.add_episodes(demo.id, person.id, &[later.clone(), earlier.clone()], &CLI).await.unwrap();
        assert_eq!(store.episodes(demo.id, person.id).await.unwrap(), vec![earlier, later]);
        let trail = store.audit_events(demo.id, 10).await.unwrap();
        assert!(trail.iter().any(|e| e.entity_type == "care_episode"));
        assert!(trail.iter().any(|e| e.entity_type == "young_person" && e.action == "create"));
    }

    async fn demo_seed_is_repeatable_and_keeps_ids(store: Store) {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let data = staying_close_demo::generate(today, staying_close_demo::DEFAULT_SEED);
        let password = Password::parse("kettle-orbit-meadow").unwrap();
        let summary = store.load_dataset(&data, &password, &Actor::System("demo")).await.unwrap();
        assert_eq!(summary.las.len(), 2);
        let demo = store.la_by_code(&LaCode::parse("990").unwrap()).await.unwrap().unwrap();
        let first = store.cohort(demo.id).await.unwrap();
        assert_eq!(first.iter().filter(|r| r.cohort_status == CohortStatus::Active).count(), 32);
        store.load_dataset(&data, &password, &Actor::System("demo")).await.unwrap();
        let second = store.cohort(demo.id).await.unwrap();
        assert_eq!(first, second, "refreshing changes nothing for the same day");
        let person = &first[0];
        let eps = store.episodes(demo.id, person.id).await.unwrap();
        let generated = data.las[0].young_people.iter().find(|y| y.child_id == person.child_id).unwrap();
        assert_eq!(eps, generated.episodes);
    }
}

#[tokio::test]
async fn sqlite_files_use_wal_foreign_keys_and_full_sync() {
    use sqlx::Row;
    let db = testing::fresh(Backend::Sqlite).await;
    let _ = db.store.ping().await;
    let raw = db.url.clone();
    let pool = sqlx::AnyPool::connect(&format!("{}?mode=rw", raw.redacted())).await.unwrap();
    let mode: String = sqlx::query("PRAGMA journal_mode").fetch_one(&pool).await.unwrap().get(0);
    assert_eq!(mode, "wal", "WAL is a property of the file, so a new connection sees it");
    // Per-connection settings are checked through the store's own pool.
    let TestDb { store, .. } = db;
    assert_eq!(store.pragma("foreign_keys").await.unwrap(), 1);
    assert_eq!(store.pragma("synchronous").await.unwrap(), 2, "2 means FULL");
}

#[tokio::test]
async fn an_unreachable_database_is_reported_with_the_url_but_not_the_password() {
    let url = DatabaseUrl::parse("postgres://sc:s3cret@127.0.0.1:1/sc").unwrap();
    let options = ConnectOptions { connect_timeout: std::time::Duration::from_secs(2), ..Default::default() };
    let err = Store::connect(&url, &options).await.err().expect("port 1 has no database");
    let message = err.to_string();
    assert!(message.contains("cannot reach the database at postgres://sc:***@127.0.0.1:1/sc"), "{message}");
    assert!(!message.contains("s3cret"));
}

mod import_903 {
    use super::*;
    use staying_close_domain::ssda903_files::parse_import;

    const HEADER: &str = "CHILD,SEX,DOB,ETHNIC\nDB1,1,10/06/2007,WBRI\nDB2,2,20/01/2009,APKN\n";
    const EPISODES: &str =
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
        DB1,01/03/2021,S,C2,N1,K2,PR1,01/10/2021,X1,CARPL,BL3,BL1,SC400001\n\
        DB1,01/10/2021,P,C2,N1,U6,PR4,01/09/2023,E5,,BL3,,\n\
        DB2,01/06/2023,S,V2,N1,K2,PR1,20/08/2023,E4A,,BL3,,SC400002\n";
    const OC3: &str = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nDB1,10/06/2007,YES,F5,U1\n";

    staying_close_store::backend_tests! {
        async fn importing_twice_changes_nothing_the_second_time(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let import = Arc::new(parse_import(HEADER, EPISODES, Some(OC3)).unwrap());
            let first = store.import_903(demo.id, import.clone(), "test", &CLI).await.unwrap();
            assert_eq!(first.young_people_created, 2);
            assert_eq!(first.episodes_written, 3);
            assert_eq!(first.outcomes_written, 1);
            let audit_before = store.audit_events(demo.id, 1000).await.unwrap().len();
            let second = store.import_903(demo.id, import, "test", &CLI).await.unwrap();
            assert!(!second.changed_anything(), "{second:?}");
            let cohort = store.cohort(demo.id).await.unwrap();
            assert_eq!(cohort.len(), 2);
            assert_eq!(cohort[0].name, None, "imported children have no name recorded");
            assert_eq!(cohort[0].child_id.as_str(), "DB1");
            assert_eq!(store.episodes(demo.id, cohort[0].id).await.unwrap().len(), 2);
            // Only the import itself is recorded the second time.
            assert_eq!(store.audit_events(demo.id, 1000).await.unwrap().len(), audit_before + 1);
        }

        async fn a_preview_writes_nothing_and_a_hold_is_its_owners_once(store: Store) {
            use staying_close_store::ImportFiles;
            let demo = la(&store, "990", "Demo Borough").await;
            let owner = store.create_staff(&new_staff(Some(demo.id), "m@demo.example", Role::TeamManager), &CLI).await.unwrap();
            let other = store.create_staff(&new_staff(Some(demo.id), "a@demo.example", Role::LaAdmin), &CLI).await.unwrap();
            let import = Arc::new(parse_import(HEADER, EPISODES, Some(OC3)).unwrap());
            let audit_before = store.audit_events(demo.id, 1000).await.unwrap().len();
            let preview = store.preview_903(demo.id, import, &CLI).await.unwrap();
            assert_eq!(preview.young_people_created, 2);
            assert!(store.cohort(demo.id).await.unwrap().is_empty(), "the preview was rolled back");
            assert_eq!(store.audit_events(demo.id, 1000).await.unwrap().len(), audit_before, "and left no record");

            let files = ImportFiles { names: "h, e, o".into(), header: HEADER.into(), episodes: EPISODES.into(), oc3: Some(OC3.into()) };
            // An expired hold of someone else's in the LA is cleared by the next hold.
            store.execute_raw(&format!(
                "INSERT INTO pending_imports (la_id, staff_id, token_hash, file_names, header_csv, episodes_csv, created_at, expires_at)
                 VALUES ({}, {}, 'old', 'x', 'x', 'x', '2020-01-01T00:00:00Z', '2020-01-01T01:00:00Z')", demo.id.0, other.id.0)).await.unwrap();
            let token = store.hold_import(demo.id, &owner, files.clone(), &preview, &CLI).await.unwrap();
            assert_eq!(store.execute_raw("DELETE FROM pending_imports WHERE token_hash = 'old'").await.unwrap(), 0, "expired hold purged");
            assert_eq!(store.held_import(demo.id, &owner, &token).await.unwrap(), Some(files));
            assert_eq!(store.held_import(demo.id, &other, &token).await.unwrap(), None, "not a colleague's");
            assert_eq!(store.confirm_held_import(demo.id, &other, &token, &CLI).await.unwrap(), None);
            let done = store.confirm_held_import(demo.id, &owner, &token, &CLI).await.unwrap().expect("imported");
            assert_eq!(done.young_people_created, 2);
            assert_eq!(store.confirm_held_import(demo.id, &owner, &token, &CLI).await.unwrap(), None, "only once");
        }

        async fn a_changed_history_replaces_only_that_child(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            store.import_903(demo.id, Arc::new(parse_import(HEADER, EPISODES, None).unwrap()), "test", &CLI).await.unwrap();
            let changed = EPISODES.replace("20/08/2023,E4A", "30/09/2023,E4A");
            let summary = store.import_903(demo.id, Arc::new(parse_import(HEADER, &changed, None).unwrap()), "test", &CLI).await.unwrap();
            assert_eq!(summary.episode_histories_replaced, 1);
            assert_eq!(summary.young_people_created, 0);
            let all = store.episodes_by_young_person(demo.id).await.unwrap();
            let ends: Vec<_> = all.values().flatten().filter_map(|e| e.end).map(|d| d.to_string()).collect();
            assert!(ends.contains(&"2023-09-30".to_owned()));
            assert_eq!(all.values().map(Vec::len).sum::<usize>(), 3);
        }

        async fn imports_stay_inside_their_la(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let other = la(&store, "991", "Second Demo").await;
            let import = Arc::new(parse_import(HEADER, EPISODES, None).unwrap());
            store.import_903(demo.id, import.clone(), "test", &CLI).await.unwrap();
            let again = store.import_903(other.id, import, "test", &CLI).await.unwrap();
            assert_eq!(again.young_people_created, 2, "the same child ids are different children in another LA");
            assert_eq!(store.cohort(demo.id).await.unwrap().len(), 2);
            assert_eq!(store.episodes_by_young_person(other.id).await.unwrap().values().map(Vec::len).sum::<usize>(), 3);
        }
    }
}

mod audit_chain {
    use super::*;

    staying_close_store::backend_tests! {
        async fn an_untouched_trail_verifies_and_every_kind_of_tampering_is_found(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let other = la(&store, "991", "Second Demo").await;
            for i in 0..6 {
                store.record_event(&CLI, Some(demo.id), "view", "young_person", Some(i), serde_json::json!({ "i": i })).await.unwrap();
            }
            store.record_event(&CLI, Some(other.id), "view", "young_person", Some(9), serde_json::json!({})).await.unwrap();
            let report = testing::verify(&store).await;
            assert!(report.breaks.is_empty(), "{:?}", report.breaks);
            assert_eq!(report.chains, 2);
            let anchors = store.audit_heads().await.unwrap();
            let demo_head = anchors.iter().find(|h| h.chain == demo.id.0).unwrap().clone();
            assert_eq!(demo_head.la_code.as_deref(), Some("990"));
            assert_eq!(demo_head.seq, 7, "creating the LA, then six views");
            assert_eq!(AuditHead::parse_all(&format!("INFO something {}\n", demo_head.line())), vec![demo_head.clone()]);

            // The database itself refuses to change or delete events.
            assert!(store.execute_raw("UPDATE audit_events SET action = 'nothing'").await.is_err());
            assert!(store.execute_raw("DELETE FROM audit_events").await.is_err());

            // Someone with the database's owner account drops the guards.
            store.drop_audit_guards().await.unwrap();
            let events = store.audit_events(demo.id, 10).await.unwrap();
            let (newest, middle) = (events[0].id, events[3].id);
            // Edit one event's content: its MAC no longer matches.
            store.execute_raw(&format!("UPDATE audit_events SET details = '{{\"i\": 99}}' WHERE id = {middle}")).await.unwrap();
            let report = testing::verify(&store).await;
            assert_eq!(report.breaks.len(), 1, "{:?}", report.breaks);
            assert_eq!(report.breaks[0].event_id, middle);
            assert!(report.breaks[0].problem.contains("changed after it was written"));

            // Delete the newest two events: the chain still links, and only the anchor shows it.
            store.execute_raw(&format!("DELETE FROM audit_events WHERE id >= {}", events[1].id)).await.unwrap();
            assert_eq!(testing::verify(&store).await.breaks.len(), 1, "only the edit: the cut end is invisible without anchors");
            let report = store.verify_audit_chains(&[testing::audit_key()], &anchors).await.unwrap();
            let cut = report.breaks.iter().find(|b| b.seq == demo_head.seq).expect("the anchor is missed");
            assert_eq!(cut.chain, demo.id.0);
            assert!(cut.problem.contains("no longer reaches the anchor"), "{}", cut.problem);
            assert!(newest > middle);

            // Delete a middle event: the next one no longer follows.
            store.execute_raw(&format!("DELETE FROM audit_events WHERE id = {middle}")).await.unwrap();
            let report = testing::verify(&store).await;
            assert!(report.breaks.iter().any(|b| b.problem.contains("is missing")), "{:?}", report.breaks);
            assert!(report.breaks.iter().all(|b| b.chain == demo.id.0), "the other LA's chain is unaffected");
        }

        async fn a_chain_rewritten_without_the_key_is_found(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            for i in 0..3 {
                store.record_event(&CLI, Some(demo.id), "view", "young_person", Some(i), serde_json::json!({})).await.unwrap();
            }
            store.drop_audit_guards().await.unwrap();
            // Recompute one event's MAC with plain SHA-256 (the algorithm is public) and call it unkeyed.
            let events = store.audit_events(demo.id, 10).await.unwrap();
            store.execute_raw(&format!("UPDATE audit_events SET action = 'nothing', mac_key = 'sha256' WHERE id = {}", events[0].id)).await.unwrap();
            let report = testing::verify(&store).await;
            assert_eq!(report.breaks.len(), 1, "{:?}", report.breaks);
            assert!(report.breaks[0].problem.contains("without the key"), "{}", report.breaks[0].problem);
            // Signed with another key: refused unless that key is given.
            let other = AuditKey::generate();
            let signed_elsewhere = store.clone().with_audit_key(other.clone());
            signed_elsewhere.record_event(&CLI, Some(demo.id), "view", "young_person", Some(7), serde_json::json!({})).await.unwrap();
            let report = store.verify_audit_chains(&[testing::audit_key()], &[]).await.unwrap();
            assert!(report.breaks.iter().any(|b| b.problem.contains("not given")), "{:?}", report.breaks);
            let report = store.verify_audit_chains(&[testing::audit_key(), other], &[]).await.unwrap();
            assert_eq!(report.breaks.len(), 1, "only the rewritten event: {:?}", report.breaks);
        }

        async fn second_factor_codes_work_once(store: Store) {
            use staying_close_domain::totp;
            let demo = la(&store, "990", "Demo Borough").await;
            let staff = store.create_staff(&new_staff(Some(demo.id), "m@demo.example", Role::TeamManager), &CLI).await.unwrap();
            let session = store.create_session(&staff, SessionStage::Enrol, None).await.unwrap();
            let other_session = store.create_session(&staff, SessionStage::Enrol, None).await.unwrap();
            let secret = store.start_totp_enrolment(&session).await.unwrap();
            assert_eq!(store.pending_totp_secret(&session).await.unwrap(), Some(secret.clone()), "enrolment survives a reload");
            assert_eq!(store.pending_totp_secret(&other_session).await.unwrap(), None, "another session cannot read it");
            let now = 1_900_000_000u64;
            let right = totp::code_at_step(&secret, totp::step_of(now));
            let wrong = format!("{:06}", (right + 1) % 1_000_000);
            assert!(store.confirm_totp(&staff, &session, &wrong, now, &CLI).await.unwrap().is_none(), "a wrong code does not enrol");
            let code = format!("{right:06}");
            assert!(store.confirm_totp(&staff, &other_session, &code, now, &CLI).await.unwrap().is_none(), "nor another session");
            let recovery = store.confirm_totp(&staff, &session, &code, now, &CLI).await.unwrap().expect("enrolled");
            assert_eq!(recovery.len(), 10);
            let staff = store.staff_by_id(staff.id).await.unwrap();
            assert!(staff.totp_enabled);
            let check = |code: String, at: u64| {
                let (store, staff) = (store.clone(), staff.clone());
                async move { store.check_second_factor(&staff, &code, at, &CLI, "10.0.0.1").await.unwrap() }
            };
            assert_eq!(check(code.clone(), now).await, SecondFactorCheck::Failed, "the enrolment code cannot be replayed");
            let next = format!("{:06}", totp::code_at_step(&secret, totp::step_of(now) + 1));
            assert_eq!(check(next, now + 30).await, SecondFactorCheck::Passed);
            assert_eq!(check(format!(" {} ", recovery[3].to_uppercase()), now + 60).await, SecondFactorCheck::Passed, "as typed");
            assert_eq!(check(recovery[3].clone(), now + 90).await, SecondFactorCheck::Failed, "recovery codes work once");
            // Guessing is throttled: after five wrong codes even a right one is refused for now.
            for _ in 0..4 {
                assert_eq!(check("123456".into(), now + 120).await, SecondFactorCheck::Failed);
            }
            let right = format!("{:06}", totp::code_at_step(&secret, totp::step_of(now + 150)));
            assert!(matches!(check(right, now + 150).await, SecondFactorCheck::Throttled { .. }));
            let trail = store.audit_events(demo.id, 20).await.unwrap();
            assert!(trail.iter().any(|e| e.action == "second_factor_failed"));
            assert!(trail.iter().any(|e| e.action == "enrol_second_factor"));
        }
    }
}

mod scopes {
    use super::*;
    use staying_close_domain::permissions::RecordScope;

    staying_close_store::backend_tests! {
        async fn a_caseload_viewer_reads_only_their_young_peoples_episodes(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let pa = store.create_staff(&new_staff(Some(demo.id), "pa@demo.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let mine = store.create_young_person(demo.id, &new_person("DB1", Some(pa.id)), &CLI).await.unwrap();
            let other = store.create_young_person(demo.id, &new_person("DB2", None), &CLI).await.unwrap();
            for person in [mine.id, other.id] {
                store.add_episodes(demo.id, person, &[episode((2021, 6, 10), None, "K2")], &CLI).await.unwrap();
            }
            let viewer = Viewer { la: demo.id, staff: Some(pa.id), scope: RecordScope::OwnAndShared };
            let seen = store.episodes_for(&viewer).await.unwrap();
            assert_eq!(seen.keys().copied().collect::<Vec<_>>(), vec![mine.id]);
            assert_eq!(store.cohort_for(&viewer).await.unwrap().len(), 1);
            assert!(matches!(store.young_person_for(&viewer, other.id).await, Err(StoreError::NotFound { .. })));
            let shared_only = Viewer { scope: RecordScope::SharedOnly, ..viewer };
            assert!(store.episodes_for(&shared_only).await.unwrap().is_empty());
            store.share_young_person(demo.id, other.id, pa.id, &CLI).await.unwrap();
            assert_eq!(store.episodes_for(&shared_only).await.unwrap().keys().copied().collect::<Vec<_>>(), vec![other.id]);
            assert_eq!(store.episodes_by_young_person(demo.id).await.unwrap().len(), 2);
        }
    }
}

/// The pool's last line of defence (ADR 0005): a connection handed back
/// inside a transaction that holds the write lock, whether the driver knows
/// about that transaction or not, is rolled back before anyone else gets it.
mod abandoned_transactions {
    use super::*;
    use staying_close_store::testing::transactions_left_open;
    use std::time::Duration;

    async fn are_rolled_back(backend: Backend) {
        let db = testing::fresh(backend).await;
        // Ordinary work never looks like an abandoned transaction.
        for i in 0..20 {
            db.store.record_event(&CLI, None, "view", "test", Some(i), serde_json::json!({})).await.unwrap();
            db.store.list_las().await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(db.store.connections_rolled_back(), 0, "no false alarms");
        for tracked in [true, false] {
            db.store.leak_transaction(tracked).await.unwrap();
            // Without the rollback this write would wait for the lock: on SQLite
            // until its busy timeout fails it, on PostgreSQL for ever.
            let write = db.store.record_event(&CLI, None, "view", "test", None, serde_json::json!({}));
            tokio::time::timeout(Duration::from_secs(30), write)
                .await
                .expect("the write lock was released")
                .unwrap_or_else(|e| panic!("tracked {tracked}: {e}"));
            assert_eq!(transactions_left_open(&db.url).await, 0, "tracked {tracked}");
        }
        assert_eq!(db.store.connections_rolled_back(), 2, "each abandoned transaction was caught once");
        // Every pooled connection still works for writes.
        for i in 0..8 {
            db.store.record_event(&CLI, None, "view", "test", Some(i), serde_json::json!({})).await.unwrap();
        }
        assert!(testing::verify(&db.store).await.breaks.is_empty());
    }

    #[tokio::test]
    async fn sqlite() {
        are_rolled_back(Backend::Sqlite).await
    }

    #[tokio::test]
    async fn postgres() {
        are_rolled_back(Backend::Postgres).await
    }
}

mod sign_in_security {
    use super::*;
    use staying_close_domain::totp;

    const PASSWORD: &str = "kettle-orbit-meadow";

    fn unix_now() -> u64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
    }

    /// A team manager with an authenticator app set up.
    async fn enrolled_manager(store: &Store) -> Staff {
        let demo = la(store, "990", "Demo Borough").await;
        let staff =
            store.create_staff(&new_staff(Some(demo.id), "tm@demo.example", Role::TeamManager), &CLI).await.unwrap();
        let session = store.create_session(&staff, SessionStage::Enrol, None).await.unwrap();
        let secret = store.start_totp_enrolment(&session).await.unwrap();
        let code = format!("{:06}", totp::code_at_step(&secret, totp::step_of(unix_now())));
        store.confirm_totp(&staff, &session, &code, unix_now(), &CLI).await.unwrap().expect("enrolled");
        store.staff_by_id(staff.id).await.unwrap()
    }

    staying_close_store::backend_tests! {
        async fn wrong_codes_between_right_passwords_still_lock_the_account(store: Store) {
            let staff = enrolled_manager(&store).await;
            // Any six digits but the codes of this step and the steps either side.
            let guess = "000001";
            let mut wrong_codes = 0;
            let mut locked = false;
            for _ in 0..4 {
                match store.sign_in("tm@demo.example", PASSWORD, "10.0.0.7").await.unwrap() {
                    SignIn::Accepted { stage, .. } => assert_eq!(stage, SessionStage::SecondFactor),
                    SignIn::Throttled { .. } => { locked = true; break; }
                    SignIn::Rejected => panic!("the password is right"),
                }
                for _ in 0..2 {
                    match store.check_second_factor(&staff, guess, unix_now(), &CLI, "10.0.0.7").await.unwrap() {
                        SecondFactorCheck::Failed => wrong_codes += 1,
                        SecondFactorCheck::Throttled { .. } => { locked = true; break; }
                        SecondFactorCheck::Passed => panic!("a guess passed"),
                    }
                }
                if locked { break; }
            }
            assert!(locked, "locked after {wrong_codes} wrong codes");
            assert_eq!(wrong_codes, 5, "the sixth code is refused without being tried");
            assert!(matches!(store.sign_in("tm@demo.example", PASSWORD, "10.0.0.7").await.unwrap(), SignIn::Throttled { .. }), "even the right password waits");
            let trail = store.audit_search(staff.la_id.unwrap(), &AuditFilter { action: Some("second_factor_locked".into()), ..Default::default() }, 10).await.unwrap();
            assert!(!trail.is_empty(), "the lock is in the audit trail");
        }

        async fn a_reset_link_issued_before_disabling_is_refused_and_the_account_stays_disabled(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let staff = store.create_staff(&new_staff(Some(demo.id), "leaver@demo.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let email = Email::parse("leaver@demo.example").unwrap();
            let link = store.create_password_reset(&email, &CLI).await.unwrap();
            store.disable_staff(&email, &CLI).await.unwrap();
            let new_password = Password::parse("lantern-river-oak-7").unwrap();
            assert!(matches!(store.complete_password_reset(&link, &new_password, &CLI).await, Err(StoreError::NotFound { .. })), "disabling spent the link");
            assert!(!store.staff_by_id(staff.id).await.unwrap().active, "still disabled");
            assert!(matches!(store.create_password_reset(&email, &CLI).await, Err(StoreError::Invalid(_))), "no new link for a disabled account");
            // A link still unused for an account disabled some other way is refused too, and changes nothing.
            let other = store.create_staff(&new_staff(Some(demo.id), "other@demo.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let link = store.create_password_reset(&Email::parse("other@demo.example").unwrap(), &CLI).await.unwrap();
            store.execute_raw(&format!("UPDATE staff SET status = 'disabled' WHERE id = {}", other.id.0)).await.unwrap();
            assert!(matches!(store.complete_password_reset(&link, &new_password, &CLI).await, Err(StoreError::AccountDisabled)));
            assert!(!store.staff_by_id(other.id).await.unwrap().active);
            assert!(store.password_reset_for(&link).await.unwrap().is_some_and(|s| !s.active), "the page can say why");
        }
    }
}

mod young_person_record {
    use super::*;
    use staying_close_domain::permissions::RecordScope;
    use staying_close_domain::profile::{ClosureReason, DateParts, ProfileInput};

    fn profile(child: &str) -> staying_close_domain::profile::Profile {
        ProfileInput {
            child_id: child.into(),
            first_name: "Jordan".into(),
            last_name: "Ellis".into(),
            pronouns: "they/them".into(),
            date_of_birth: DateParts::from_iso("2007-03-04"),
            nhs_number: "9434765919".into(),
            upn: "B801200005001".into(),
            celebrations: vec!["birthday".into(), "diwali".into()],
            young_parent: true,
            staying_close_start: DateParts::from_iso("2025-06-02"),
            ..ProfileInput::default()
        }
        .parse(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
        .unwrap()
    }

    staying_close_store::backend_tests! {
        async fn a_record_is_added_edited_with_locking_and_closed_never_deleted(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let other = la(&store, "991", "Other Borough").await;
            let added = store.add_young_person(demo.id, &profile("SC1"), None, &CLI).await.unwrap();
            assert_eq!(added.details.nhs_number.unwrap().as_str(), "9434765919");
            assert_eq!(added.details.celebrations.len(), 2);
            assert!(added.details.young_parent);
            assert_eq!(added.profile_input().pronouns, "they/them");
            assert_eq!(added.cohort_status, CohortStatus::Active);

            let viewer = Viewer::whole_la(demo.id);
            let mut edited = profile("SC1");
            edited.phone = Some("07700 900982".into());
            let saved = store.update_young_person(&viewer, added.id, added.version, &edited, &CLI).await.unwrap();
            assert_eq!(saved.version, added.version + 1);
            assert_eq!(saved.details.phone.as_deref(), Some("07700 900982"));
            // A second save from the same old form is refused and changes nothing.
            let mut stale = profile("SC1");
            stale.faith = Some("Hindu".into());
            let refused = store.update_young_person(&viewer, added.id, added.version, &stale, &CLI).await;
            assert!(matches!(refused, Err(StoreError::Conflict { .. })), "{refused:?}");
            let now = store.young_person(demo.id, added.id).await.unwrap();
            assert_eq!((now.details.faith.clone(), now.version), (None, saved.version));
            // Another LA cannot edit it, whatever version it sends.
            let foreign = store.update_young_person(&Viewer::whole_la(other.id), added.id, saved.version, &stale, &CLI).await;
            assert!(matches!(foreign, Err(StoreError::NotFound { .. })));
            // Nor can a practitioner outside their caseload.
            let pa = store.create_staff(&new_staff(Some(demo.id), "pa@demo.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let caseload = Viewer { la: demo.id, staff: Some(pa.id), scope: RecordScope::OwnAndShared };
            let outside = store.update_young_person(&caseload, added.id, saved.version, &stale, &CLI).await;
            assert!(matches!(outside, Err(StoreError::NotFound { .. })));
            // A duplicate child ID is refused by name.
            let twin = store.add_young_person(demo.id, &profile("SC1"), None, &CLI).await;
            assert!(matches!(twin, Err(StoreError::Duplicate { .. })), "{twin:?}");

            let closure = Closure {
                on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
                reason: ClosureReason::ChoseToStop,
                note: Some("Wants a break; knows the door is open".into()),
            };
            let closed = store.close_young_person(&viewer, added.id, saved.version, &closure, &CLI).await.unwrap();
            assert_eq!(closed.cohort_status, CohortStatus::Closed);
            assert_eq!(closed.details.closed, Some(closure.clone()));
            assert!(store.young_person(demo.id, added.id).await.is_ok(), "closed records stay readable");
            let reopened = store.reopen_young_person(&viewer, added.id, closed.version, &CLI).await.unwrap();
            assert_eq!((reopened.cohort_status, reopened.details.closed), (CohortStatus::Active, None));

            let trail = store.audit_events(demo.id, 20).await.unwrap();
            let update = trail.iter().find(|e| e.action == "update" && e.entity_type == "young_person").unwrap();
            assert_eq!(update.details["fields"], serde_json::json!(["phone"]));
            assert!(!update.details.to_string().contains("07700"), "values stay out of the trail: {}", update.details);
            for action in ["create", "close", "reopen"] {
                assert!(trail.iter().any(|e| e.action == action && e.entity_type == "young_person"), "{action}");
            }
        }
    }
}

mod contacts_and_visits {
    use super::*;
    use staying_close_domain::contacts::ContactInput;
    use staying_close_domain::permissions::RecordScope;
    use staying_close_domain::profile::DateParts;
    use staying_close_domain::visits::{Schedule, VisitFrequency};

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn contact(on: &str, kind: &str, minutes: &str, staff: i64) -> staying_close_domain::contacts::Contact {
        ContactInput {
            date: DateParts::from_iso(on),
            duration_minutes: minutes.into(),
            staff: vec![staff.to_string()],
            kind: kind.into(),
            topics: vec!["cooking".into()],
            notes: "Cooked pasta together".into(),
            ..ContactInput::default()
        }
        .parse(&[staff], d("2026-12-01"))
        .unwrap()
    }

    staying_close_store::backend_tests! {
        async fn home_visits_move_the_schedule_and_lists_read_one_row_each(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let other = la(&store, "991", "Other Borough").await;
            let pa = store.create_staff(&new_staff(Some(demo.id), "pa@demo.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let mine = store.create_young_person(demo.id, &new_person("DB1", Some(pa.id)), &CLI).await.unwrap();
            let theirs = store.create_young_person(demo.id, &new_person("DB2", None), &CLI).await.unwrap();
            let team = Viewer::whole_la(demo.id);
            let schedule = Schedule { frequency: VisitFrequency::Weekly, starts_on: d("2026-11-02") };
            let set = store.set_visit_schedule(&team, mine.id, None, schedule, &CLI).await.unwrap();
            assert_eq!(set.next_due_on, d("2026-11-02"));
            // A second "first" schedule from an old form is a conflict.
            let stale = store.set_visit_schedule(&team, mine.id, None, schedule, &CLI).await;
            assert!(matches!(stale, Err(StoreError::Conflict { .. })));

            store.record_contact(&team, mine.id, &contact("2026-11-20", "home_visit", "60", pa.id.0), &CLI).await.unwrap();
            store.record_contact(&team, mine.id, &contact("2026-11-25", "phone_text_video", "15", pa.id.0), &CLI).await.unwrap();
            let now = store.visit_schedule(demo.id, mine.id).await.unwrap().unwrap();
            assert_eq!((now.last_home_visit_on, now.next_due_on), (Some(d("2026-11-20")), d("2026-11-27")), "phone calls do not count as visits");

            let due = store.visits_due(&team, Caseload::Of(pa.id), d("2026-12-01")).await.unwrap();
            assert_eq!(due.iter().map(|v| v.young_person).collect::<Vec<_>>(), vec![mine.id]);
            assert!(store.visits_due(&team, Caseload::Of(pa.id), d("2026-11-26")).await.unwrap().is_empty());
            assert!(store.visits_due(&Viewer::whole_la(other.id), Caseload::Team, d("2027-01-01")).await.unwrap().is_empty());

            assert_eq!(store.contact_minutes(demo.id, mine.id, d("2026-11-16"), d("2026-11-30")).await.unwrap(), 75);
            let by_person = store.contact_minutes_by_young_person(&team, Caseload::Team, d("2026-11-23"), d("2026-11-29")).await.unwrap();
            assert_eq!(by_person, vec![(mine.id, 15)]);
            let page = store.contacts_for(&team, mine.id, 1, 0).await.unwrap();
            assert_eq!(page.len(), 1);
            assert_eq!(page[0].on, d("2026-11-25"), "latest first");
            assert_eq!(page[0].staff, vec![(pa.id, "Sam Adviser".to_owned())]);
            assert_eq!(store.contact_count(demo.id, mine.id).await.unwrap(), 2);

            // Another LA, or a practitioner outside their caseload, can neither read nor write.
            let foreign = Viewer::whole_la(other.id);
            assert!(store.contacts_for(&foreign, mine.id, 10, 0).await.unwrap().is_empty());
            let refused = store.record_contact(&foreign, mine.id, &contact("2026-11-26", "home_visit", "30", pa.id.0), &CLI).await;
            assert!(matches!(refused, Err(StoreError::NotFound { .. })), "{refused:?}");
            let caseload = Viewer { la: demo.id, staff: Some(pa.id), scope: RecordScope::OwnAndShared };
            let refused = store.record_contact(&caseload, theirs.id, &contact("2026-11-26", "home_visit", "30", pa.id.0), &CLI).await;
            assert!(matches!(refused, Err(StoreError::NotFound { .. })));
            // Naming another LA's member of staff is refused by the database too.
            let outsider = store.create_staff(&new_staff(Some(other.id), "x@other.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let refused = store.record_contact(&team, mine.id, &contact("2026-11-26", "home_visit", "30", outsider.id.0), &CLI).await;
            assert!(matches!(refused, Err(StoreError::Invalid(_))), "{refused:?}");
            assert_eq!(store.contact_count(demo.id, mine.id).await.unwrap(), 2, "nothing half-written");
        }

        async fn crisis_follow_ups_stay_open_until_done(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let pa = store.create_staff(&new_staff(Some(demo.id), "pa@demo.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let person = store.create_young_person(demo.id, &new_person("DB1", Some(pa.id)), &CLI).await.unwrap();
            let team = Viewer::whole_la(demo.id);
            let mut crisis = contact("2026-11-29", "crisis_response", "120", pa.id.0);
            crisis.crisis = true;
            crisis.follow_up = Some(staying_close_domain::contacts::FollowUp { action: "Ring the housing officer".into(), owner: pa.id.0 });
            let id = store.record_contact(&team, person.id, &crisis, &CLI).await.unwrap();
            let open = store.open_follow_ups(&team, Caseload::Of(pa.id)).await.unwrap();
            assert_eq!(open.len(), 1);
            assert_eq!(open[0].action, "Ring the housing officer");
            store.complete_follow_up(&team, id, d("2026-11-30"), &CLI).await.unwrap();
            assert!(store.open_follow_ups(&team, Caseload::Team).await.unwrap().is_empty());
            let trail = store.audit_events(demo.id, 10).await.unwrap();
            let created = trail.iter().find(|e| e.entity_type == "contact" && e.action == "create").unwrap();
            assert!(!created.details.to_string().contains("housing officer"), "notes stay out of the trail");
        }

        async fn birthdays_are_found_across_the_new_year(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let mut dec = new_person("DB1", None);
            dec.date_of_birth = d("2007-12-30");
            let mut jan = new_person("DB2", None);
            jan.date_of_birth = d("2008-01-05");
            let mut jun = new_person("DB3", None);
            jun.date_of_birth = d("2008-06-05");
            for p in [&dec, &jan, &jun] {
                store.create_young_person(demo.id, p, &CLI).await.unwrap();
            }
            let team = Viewer::whole_la(demo.id);
            let soon = store.birthdays(&team, Caseload::Team, d("2026-12-20"), 30).await.unwrap();
            let found: Vec<NaiveDate> = soon.iter().map(|b| b.date_of_birth).collect();
            assert_eq!(found, vec![d("2007-12-30"), d("2008-01-05")]);
        }
    }
}

mod cohort_page {
    use super::*;
    use staying_close_domain::eligibility::CareLeaverStatus;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    staying_close_store::backend_tests! {
        async fn facts_follow_episode_changes_and_pages_filter_in_the_database(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let pa = store.create_staff(&new_staff(Some(demo.id), "pa@demo.example", Role::PersonalAdviser), &CLI).await.unwrap();
            for i in 0..60 {
                let mut p = new_person(&format!("C{i:03}"), if i % 2 == 0 { Some(pa.id) } else { None });
                p.last_name = PersonName::parse(&format!("Surname{i:03}")).unwrap();
                store.create_young_person(demo.id, &p, &CLI).await.unwrap();
            }
            let today = d("2026-12-01");
            assert_eq!(store.refresh_cohort_facts(demo.id, today).await.unwrap(), 60);
            assert_eq!(store.refresh_cohort_facts(demo.id, today).await.unwrap(), 0, "nothing stale: no episodes read");
            let team = Viewer::whole_la(demo.id);
            let page = |q: CohortQuery| {
                let store = store.clone();
                async move { store.cohort_page(&team, &q, today).await.unwrap() }
            };
            let all = page(CohortQuery { per_page: 50, page: 2, ..CohortQuery::default() }).await;
            assert_eq!((all.matching, all.lines.len()), (60, 10));
            assert_eq!(all.lines[0].name.as_deref(), Some("Kai Surname050"), "sorted by surname");
            let mine = page(CohortQuery { adviser: AdviserFilter::Staff(pa.id), per_page: 50, page: 1, ..CohortQuery::default() }).await;
            assert_eq!(mine.matching, 30);
            let search = page(CohortQuery { search: Some("surname01".into()), per_page: 50, page: 1, ..CohortQuery::default() }).await;
            assert_eq!(search.matching, 10);
            let by_id = page(CohortQuery { search: Some("c059".into()), per_page: 50, page: 1, ..CohortQuery::default() }).await;
            assert_eq!(by_id.lines.iter().map(|l| l.child_id.as_str().to_owned()).collect::<Vec<_>>(), vec!["C059".to_owned()]);
            let wildcard = page(CohortQuery { search: Some("%".into()), per_page: 50, page: 1, ..CohortQuery::default() }).await;
            assert_eq!(wildcard.matching, 0, "a % is a character to find, not a wildcard");
            assert_eq!(page(CohortQuery { eligible: Some(true), per_page: 50, page: 1, ..CohortQuery::default() }).await.matching, 0);

            // A residential history makes one eligible; only that record's facts are worked out again.
            let first = store.cohort(demo.id).await.unwrap()[0].id;
            store.add_episodes(demo.id, first, &[episode((2021, 6, 10), Some((2025, 6, 10)), "K2")], &CLI).await.unwrap();
            assert_eq!(store.refresh_cohort_facts(demo.id, today).await.unwrap(), 1);
            let eligible = page(CohortQuery { eligible: Some(true), per_page: 50, page: 1, ..CohortQuery::default() }).await;
            assert_eq!(eligible.lines.iter().map(|l| l.id).collect::<Vec<_>>(), vec![first]);
            assert_eq!(eligible.lines[0].status, CareLeaverStatus::FormerRelevant);
            // A new day works everyone out again, once.
            assert_eq!(store.refresh_cohort_facts(demo.id, d("2026-12-02")).await.unwrap(), 60);

            // Another LA sees none of them.
            let other = la(&store, "991", "Other Borough").await;
            let foreign = store.cohort_page(&Viewer::whole_la(other.id), &CohortQuery { per_page: 50, page: 1, ..CohortQuery::default() }, today).await.unwrap();
            assert_eq!(foreign.matching, 0);
        }
    }
}

mod plans {
    use super::*;
    use staying_close_domain::permissions::RecordScope;
    use staying_close_domain::plan::{Action, ActionOwner, ActionStatus, Goal, Meeting, PlanArea, Section};
    use staying_close_store::Caseload;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn meeting(held: &str, review: &str) -> Meeting {
        Meeting { held_on: d(held), review_due_on: d(review), took_part: true, agreed: true, their_view: None }
    }

    fn section(going_well: &str, owner: ActionOwner) -> Section {
        Section {
            going_well: Some(going_well.into()),
            goals: vec![
                Goal {
                    text: "Cook three meals".into(),
                    actions: vec![
                        Action {
                            text: "Choose recipes".into(),
                            owner: ActionOwner::YoungPerson,
                            due_on: Some(d("2027-01-10")),
                            status: ActionStatus::InProgress,
                        },
                        Action { text: "Shop together".into(), owner, due_on: None, status: ActionStatus::NotStarted },
                    ],
                },
                Goal { text: "Keep the flat tidy".into(), actions: Vec::new() },
            ],
            ..Section::empty(PlanArea::LifeSkills)
        }
    }

    staying_close_store::backend_tests! {
        async fn a_review_keeps_the_old_version_as_it_was_and_stale_saves_are_refused(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let pa = store.create_staff(&new_staff(Some(demo.id), "pa@demo.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let person = store.create_young_person(demo.id, &new_person("PL1", Some(pa.id)), &CLI).await.unwrap();
            let team = Viewer::whole_la(demo.id);
            assert!(store.plan(demo.id, person.id, None).await.unwrap().is_none());
            let v1 = store.agree_plan(&team, person.id, None, &meeting("2026-06-01", "2026-12-01"), &CLI).await.unwrap();
            assert_eq!((v1.number, v1.is_current), (1, true));
            // Starting again from a form that saw no plan is a conflict, not a second plan.
            let again = store.agree_plan(&team, person.id, None, &meeting("2026-06-02", "2026-12-01"), &CLI).await;
            assert!(matches!(again, Err(StoreError::Conflict { .. })), "{again:?}");

            let saved = store.save_plan_section(&team, person.id, v1.version, &section("Cooks twice a week", ActionOwner::Staff(pa.id.0)), &CLI).await.unwrap();
            assert_eq!(saved.version, v1.version + 1);
            let stale = store.save_plan_section(&team, person.id, v1.version, &section("Overwritten", ActionOwner::YoungPerson), &CLI).await;
            assert!(matches!(stale, Err(StoreError::Conflict { .. })));
            let first = store.plan(demo.id, person.id, None).await.unwrap().unwrap();
            assert_eq!(first.sections, vec![section("Cooks twice a week", ActionOwner::Staff(pa.id.0))], "read back exactly, in order");

            let v2 = store.agree_plan(&team, person.id, Some(saved.version), &meeting("2026-11-20", "2027-05-01"), &CLI).await.unwrap();
            assert_eq!(v2.number, 2);
            store.save_plan_section(&team, person.id, v2.version, &section("Cooks most days", ActionOwner::YoungPerson), &CLI).await.unwrap();
            let old = store.plan(demo.id, person.id, Some(1)).await.unwrap().unwrap();
            assert!(!old.version.is_current);
            assert_eq!(old.sections, first.sections, "version 1 unchanged by changes to version 2");
            let versions = store.plan_versions(demo.id, person.id).await.unwrap();
            assert_eq!(versions.iter().map(|v| (v.number, v.is_current)).collect::<Vec<_>>(), vec![(2, true), (1, false)]);
            // A review cannot come before the plan it reviews.
            let early = store.agree_plan(&team, person.id, Some(versions[0].version), &meeting("2026-11-01", "2027-01-01"), &CLI).await;
            assert!(matches!(early, Err(StoreError::Invalid(_))), "{early:?}");
            // Clearing an area removes it.
            let current = store.plan(demo.id, person.id, None).await.unwrap().unwrap();
            store.save_plan_section(&team, person.id, current.version.version, &Section::empty(PlanArea::LifeSkills), &CLI).await.unwrap();
            assert!(store.plan(demo.id, person.id, None).await.unwrap().unwrap().sections.is_empty());
        }

        async fn plans_stay_inside_their_la_and_caseload(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let other = la(&store, "991", "Other Borough").await;
            let pa = store.create_staff(&new_staff(Some(demo.id), "pa@demo.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let mine = store.create_young_person(demo.id, &new_person("PL1", Some(pa.id)), &CLI).await.unwrap();
            let theirs = store.create_young_person(demo.id, &new_person("PL2", None), &CLI).await.unwrap();
            let team = Viewer::whole_la(demo.id);
            store.agree_plan(&team, mine.id, None, &meeting("2026-06-01", "2026-12-01"), &CLI).await.unwrap();
            store.agree_plan(&team, theirs.id, None, &meeting("2026-10-01", "2027-03-01"), &CLI).await.unwrap();
            let foreign = Viewer::whole_la(other.id);
            let refused = store.agree_plan(&foreign, mine.id, Some(1), &meeting("2026-11-01", "2027-01-01"), &CLI).await;
            assert!(matches!(refused, Err(StoreError::NotFound { .. })), "{refused:?}");
            assert!(store.plan(other.id, mine.id, None).await.unwrap().is_none(), "another LA reads nothing");
            let caseload = Viewer { la: demo.id, staff: Some(pa.id), scope: RecordScope::OwnAndShared };
            let refused = store.save_plan_section(&caseload, theirs.id, 1, &Section::empty(PlanArea::Money), &CLI).await;
            assert!(matches!(refused, Err(StoreError::NotFound { .. })));
            // An action owned by another LA's staff is refused by the database.
            let outsider = store.create_staff(&new_staff(Some(other.id), "x@other.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let refused = store.save_plan_section(&team, mine.id, 1, &section("x", ActionOwner::Staff(outsider.id.0)), &CLI).await;
            assert!(matches!(refused, Err(StoreError::Invalid(_))), "{refused:?}");
            assert!(store.plan(demo.id, mine.id, None).await.unwrap().unwrap().sections.is_empty(), "nothing half-written");

            let due = store.plan_reviews_due(&team, Caseload::Of(pa.id), d("2026-12-01")).await.unwrap();
            assert_eq!(due.iter().map(|r| r.young_person).collect::<Vec<_>>(), vec![mine.id]);
            let due = store.plan_reviews_due(&team, Caseload::Team, d("2027-03-01")).await.unwrap();
            assert_eq!(due.len(), 2);
            assert!(store.plan_reviews_due(&foreign, Caseload::Team, d("2030-01-01")).await.unwrap().is_empty());
            let filtered = store
                .cohort_page(&team, &CohortQuery { plan_review_due: true, per_page: 50, ..CohortQuery::default() }, d("2026-11-10"))
                .await
                .unwrap();
            assert_eq!(filtered.lines.iter().map(|l| l.id).collect::<Vec<_>>(), vec![mine.id], "due within 4 weeks of 10 November");
        }
    }
}

mod allocations {
    use super::*;
    use staying_close_domain::allocation::{Allocation, WorkerRole};
    use staying_close_domain::permissions::RecordScope;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    staying_close_store::backend_tests! {
        async fn an_allocation_opens_the_record_to_its_worker_until_it_ends(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let pa = store.create_staff(&new_staff(Some(demo.id), "pa@demo.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let eet = store.create_staff(&new_staff(Some(demo.id), "eet@demo.example", Role::EetWorker), &CLI).await.unwrap();
            let person = store.create_young_person(demo.id, &new_person("AL1", Some(pa.id)), &CLI).await.unwrap();
            let team = Viewer::whole_la(demo.id);
            let theirs = Viewer { la: demo.id, staff: Some(eet.id), scope: RecordScope::OwnAndShared };
            assert!(store.young_person_for(&theirs, person.id).await.is_err(), "not theirs yet");
            let before = store.allocations(demo.id, person.id).await.unwrap();
            let allocation = Allocation { role: WorkerRole::Eet, staff: eet.id.0, from: d("2026-11-01"), reason: None };
            let after = store.allocate(&team, person.id, &before.stamp, &allocation, &CLI).await.unwrap();
            assert_ne!(after.stamp, before.stamp);
            assert!(store.young_person_for(&theirs, person.id).await.is_ok(), "allocated: they see the record");
            let stale = store.allocate(&team, person.id, &before.stamp, &allocation, &CLI).await;
            assert!(matches!(stale, Err(StoreError::Conflict { .. })), "{stale:?}");
            let early = store.end_allocation(&team, person.id, &after.stamp, WorkerRole::Eet, d("2026-10-01"), None, &CLI).await;
            assert!(matches!(early, Err(StoreError::Invalid(_))), "cannot end before it began: {early:?}");
            store.end_allocation(&team, person.id, &after.stamp, WorkerRole::Eet, d("2026-11-20"), Some("Started work".into()), &CLI).await.unwrap();
            assert!(store.young_person_for(&theirs, person.id).await.is_err(), "ended: the record closes to them again");
            let list = store.allocations(demo.id, person.id).await.unwrap();
            let ended = list.list.iter().find(|a| a.role == WorkerRole::Eet).unwrap();
            assert_eq!((ended.starts_on, ended.ends_on, ended.end_reason.as_deref()), (Some(d("2026-11-01")), Some(d("2026-11-20")), Some("Started work")));

            // Ending the personal adviser, set before allocations were kept, leaves the record unallocated with their history.
            let list = store.allocations(demo.id, person.id).await.unwrap();
            store.end_allocation(&team, person.id, &list.stamp, WorkerRole::PersonalAdviser, d("2026-11-25"), None, &CLI).await.unwrap();
            let record = store.young_person_for(&team, person.id).await.unwrap();
            assert_eq!(record.personal_adviser, None);
            let list = store.allocations(demo.id, person.id).await.unwrap();
            assert!(list.list.iter().any(|a| a.role == WorkerRole::PersonalAdviser && a.staff == pa.id && a.ends_on == Some(d("2026-11-25"))));
            // Another LA cannot allocate.
            let other = la(&store, "991", "Other Borough").await;
            let refused = store.allocate(&Viewer::whole_la(other.id), person.id, &list.stamp, &allocation, &CLI).await;
            assert!(matches!(refused, Err(StoreError::NotFound { .. })));
        }

        async fn reloading_the_demo_keeps_what_staff_changed(store: Store) {
            use staying_close_domain::plan::Meeting;
            let today = staying_close_domain::dates::uk_today();
            let data = staying_close_demo::generate(today, staying_close_demo::DEFAULT_SEED);
            let password = Password::parse("kettle-orbit-meadow").unwrap();
            store.load_dataset(&data, &password, &Actor::System("demo")).await.unwrap();
            let demo = store.la_by_code(&LaCode::parse("990").unwrap()).await.unwrap().unwrap();
            let line = store.cohort(demo.id).await.unwrap().into_iter().find(|r| r.adviser_id.is_some()).unwrap();
            let manager = store.list_staff(demo.id).await.unwrap().into_iter().find(|s| s.role == Role::TeamManager).unwrap();
            let team = Viewer { la: demo.id, staff: Some(manager.id), scope: RecordScope::WholeLa };
            let list = store.allocations(demo.id, line.id).await.unwrap();
            let allocation = Allocation { role: WorkerRole::PersonalAdviser, staff: manager.id.0, from: today, reason: Some("Cover".into()) };
            store.allocate(&team, line.id, &list.stamp, &allocation, &CLI).await.unwrap();
            let plan = store.plan(demo.id, line.id, None).await.unwrap().unwrap();
            let meeting = Meeting { held_on: today, review_due_on: today + chrono::Duration::days(90), took_part: true, agreed: true, their_view: None };
            let reviewed = store.agree_plan(&team, line.id, Some(plan.version.version), &meeting, &CLI).await.unwrap();
            store.load_dataset(&data, &password, &Actor::System("demo")).await.unwrap();
            let record = store.young_person_for(&team, line.id).await.unwrap();
            assert_eq!(record.personal_adviser, Some(manager.id), "the staff's reallocation stands");
            assert_eq!(store.plan(demo.id, line.id, None).await.unwrap().unwrap().version.number, reviewed.number, "the staff's review stands");
        }
    }
}

mod local_offer {
    use super::*;
    use staying_close_domain::offer::{OfferCategory, OfferItem, OfferKind, OfferReview};

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn item(title: &str) -> OfferItem {
        OfferItem {
            category: OfferCategory::Accommodation,
            kind: OfferKind::Additional,
            title: title.into(),
            description: "Help".into(),
            age_from: 18,
            age_to: 25,
            how_to_get: "Ask".into(),
            contact: None,
        }
    }

    staying_close_store::backend_tests! {
        async fn entries_stay_in_their_la_and_stale_saves_are_refused(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let other = la(&store, "991", "Other Borough").await;
            let id = store.save_offer_item(demo.id, None, &item("Council tax exemption"), &CLI).await.unwrap();
            store.save_offer_item(other.id, None, &item("Bus pass"), &CLI).await.unwrap();
            assert_eq!(store.offer_items(demo.id).await.unwrap().len(), 1);
            store.save_offer_item(demo.id, Some((id, 1)), &item("Council tax help"), &CLI).await.unwrap();
            let stale = store.save_offer_item(demo.id, Some((id, 1)), &item("Overwritten"), &CLI).await;
            assert!(matches!(stale, Err(StoreError::Conflict { .. })), "{stale:?}");
            let foreign = store.save_offer_item(other.id, Some((id, 2)), &item("Taken"), &CLI).await;
            assert!(matches!(foreign, Err(StoreError::NotFound { .. })), "another LA cannot change it: {foreign:?}");
            assert!(matches!(store.remove_offer_item(other.id, id, &CLI).await, Err(StoreError::NotFound { .. })));
            assert_eq!(store.offer_item(demo.id, id).await.unwrap().item.title, "Council tax help");

            let theirs = store.create_young_person(other.id, &new_person("OF1", None), &CLI).await.unwrap();
            let mine = store.create_young_person(demo.id, &new_person("OF2", None), &CLI).await.unwrap();
            let review = |who: Vec<i64>| OfferReview { reviewed_on: d("2026-11-01"), next_review_on: d("2027-11-01"), note: None, co_produced_with: who };
            let refused = store.record_offer_review(demo.id, &review(vec![theirs.id.0]), &CLI).await;
            assert!(matches!(refused, Err(StoreError::Invalid(_))), "another LA's young person: {refused:?}");
            assert!(store.latest_offer_review(demo.id).await.unwrap().is_none(), "nothing half-written");
            store.record_offer_review(demo.id, &review(vec![mine.id.0]), &CLI).await.unwrap();
            let latest = store.latest_offer_review(demo.id).await.unwrap().unwrap();
            assert_eq!((latest.next_review_on, latest.co_producers), (d("2027-11-01"), 1));
            let found = store.young_person_ids_by_child_id(demo.id, &["of2".into(), "OF1".into()]).await.unwrap();
            assert_eq!(found.iter().map(|(_, id)| *id).collect::<Vec<_>>(), vec![mine.id], "by child ID, any case, own LA only");
        }
    }
}

mod activities_allowance {
    use super::*;
    use staying_close_domain::allowance::{Spend, SpendCategory};
    use staying_close_domain::money::Pence;
    use staying_close_domain::permissions::RecordScope;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn spend(on: &str, pence: i64) -> Spend {
        Spend { on: d(on), category: SpendCategory::Activity, amount: Pence(pence), note: Some("Bowling".into()) }
    }

    staying_close_store::backend_tests! {
        async fn spending_is_summed_in_pence_within_the_viewers_scope(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let other = la(&store, "991", "Other Borough").await;
            let pa = store.create_staff(&new_staff(Some(demo.id), "pa@demo.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let mine = store.create_young_person(demo.id, &new_person("AW1", Some(pa.id)), &CLI).await.unwrap();
            let theirs = store.create_young_person(demo.id, &new_person("AW2", None), &CLI).await.unwrap();
            let team = Viewer::whole_la(demo.id);
            for (on, pence) in [("2026-03-31", 999), ("2026-04-01", 1250), ("2026-11-30", 1), ("2026-12-01", 3001)] {
                store.record_spend(&team, mine.id, &spend(on, pence), &CLI).await.unwrap();
            }
            store.record_spend(&team, theirs.id, &spend("2026-12-01", 500), &CLI).await.unwrap();
            let year = store.spends(demo.id, mine.id, d("2026-04-01"), d("2026-12-31")).await.unwrap();
            assert_eq!(year.iter().map(|s| s.spend.amount.0).sum::<i64>(), 4252, "the financial year from 1 April only");
            assert_eq!(year[0].spend.on, d("2026-12-01"), "latest first");
            let (spent, people) = store.team_spending(&team, d("2026-12-01"), d("2026-12-31")).await.unwrap();
            assert_eq!((spent, people), (Pence(3501), 2));
            let caseload = Viewer { la: demo.id, staff: Some(pa.id), scope: RecordScope::OwnAndShared };
            assert_eq!(store.team_spending(&caseload, d("2026-12-01"), d("2026-12-31")).await.unwrap(), (Pence(3001), 1));
            let refused = store.record_spend(&caseload, theirs.id, &spend("2026-12-01", 100), &CLI).await;
            assert!(matches!(refused, Err(StoreError::NotFound { .. })));
            let refused = store.record_spend(&Viewer::whole_la(other.id), mine.id, &spend("2026-12-01", 100), &CLI).await;
            assert!(matches!(refused, Err(StoreError::NotFound { .. })));
            assert!(store.spends(other.id, mine.id, d("2020-01-01"), d("2030-01-01")).await.unwrap().is_empty());
        }
    }
}

mod celebrations {
    use super::*;
    use staying_close_domain::allowance::{Spend, SpendCategory};
    use staying_close_domain::celebrations::{FestivalDate, Task, TaskKind};
    use staying_close_domain::money::Pence;
    use staying_close_domain::profile::Celebration;
    use staying_close_store::Caseload;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn task(on: &str) -> Task {
        Task {
            occasion_on: d(on),
            celebration: Celebration::Christmas,
            kind: TaskKind::Gift,
            budget: Pence(2000),
            note: None,
        }
    }

    staying_close_store::backend_tests! {
        async fn tasks_festivals_and_spending_stay_within_the_caseload_and_the_la(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let other = la(&store, "991", "Other Borough").await;
            let pa = store.create_staff(&new_staff(Some(demo.id), "pa@demo.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let mine = store.create_young_person(demo.id, &new_person("CW1", Some(pa.id)), &CLI).await.unwrap();
            let theirs = store.create_young_person(demo.id, &new_person("CW2", None), &CLI).await.unwrap();
            let team = Viewer::whole_la(demo.id);

            let diwali = FestivalDate { celebration: Celebration::Diwali, on: d("2026-11-08") };
            store.add_festival_date(demo.id, diwali, &CLI).await.unwrap();
            assert!(matches!(store.add_festival_date(demo.id, diwali, &CLI).await, Err(StoreError::Duplicate { .. })));
            store.add_festival_date(other.id, diwali, &CLI).await.unwrap();
            let listed = store.festival_dates(demo.id, d("2026-01-01"), d("2026-12-31")).await.unwrap();
            assert_eq!(listed.iter().map(|f| f.festival).collect::<Vec<_>>(), vec![diwali], "one LA's table only");
            assert!(matches!(store.remove_festival_date(other.id, listed[0].id, &CLI).await, Err(StoreError::NotFound { .. })));

            let t1 = store.add_celebration_task(&team, mine.id, &task("2026-12-25"), &CLI).await.unwrap();
            store.add_celebration_task(&team, theirs.id, &task("2026-12-25"), &CLI).await.unwrap();
            store.add_celebration_task(&team, mine.id, &task("2027-12-25"), &CLI).await.unwrap();
            let refused = store.add_celebration_task(&Viewer::whole_la(other.id), mine.id, &task("2026-12-25"), &CLI).await;
            assert!(matches!(refused, Err(StoreError::NotFound { .. })));

            let window = (d("2026-12-01"), d("2026-12-31"));
            let own = store.caseload_celebration_tasks(&team, Caseload::Of(pa.id), window.0, window.1).await.unwrap();
            assert_eq!(own.iter().map(|t| t.id).collect::<Vec<_>>(), vec![t1], "their caseload, within the window");
            assert_eq!(store.caseload_celebration_tasks(&team, Caseload::Team, window.0, window.1).await.unwrap().len(), 2);

            store.set_celebration_task_done(&team, mine.id, t1, 1, Some(d("2026-12-20")), &CLI).await.unwrap();
            let stale = store.set_celebration_task_done(&team, mine.id, t1, 1, None, &CLI).await;
            assert!(matches!(stale, Err(StoreError::Conflict { .. })), "a stale version never overwrites");
            let wrong_person = store.set_celebration_task_done(&team, theirs.id, t1, 2, None, &CLI).await;
            assert!(matches!(wrong_person, Err(StoreError::NotFound { .. })));
            let tasks = store.celebration_tasks(demo.id, mine.id, window.0).await.unwrap();
            assert_eq!((tasks[0].done_on, tasks[0].version), (Some(d("2026-12-20")), 2));

            let people = store.calendar_people(&team, Caseload::Of(pa.id)).await.unwrap();
            assert_eq!(people.iter().map(|p| p.young_person).collect::<Vec<_>>(), vec![mine.id]);

            for (who, pence) in [(mine.id, 1250), (mine.id, 1), (theirs.id, 500)] {
                let spend = Spend { on: d("2026-12-02"), category: SpendCategory::Food, amount: Pence(pence), note: None };
                store.record_spend(&team, who, &spend, &CLI).await.unwrap();
            }
            let spent = store.caseload_spending(&team, Caseload::Of(pa.id), window.0, window.1).await.unwrap();
            assert_eq!(spent, vec![(mine.id, Pence(1251))]);
        }
    }
}

mod trusted_person {
    use super::*;
    use staying_close_domain::trusted_person::{TrustedMatch, TrustedRole};

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn matched(agreed: &str, review: &str) -> TrustedMatch {
        TrustedMatch {
            name: "Sam Okoro".into(),
            role: TrustedRole::ResidentialStaff,
            nominated_on: d("2026-01-05"),
            agreed_on: Some(d(agreed)),
            next_review_on: Some(d(review)),
            ended_on: None,
            end_reason: None,
            note: None,
        }
    }

    staying_close_store::backend_tests! {
        async fn matches_are_counted_within_scope_and_changed_only_from_their_version(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let other = la(&store, "991", "Other Borough").await;
            let pa = store.create_staff(&new_staff(Some(demo.id), "pa@demo.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let mine = store.create_young_person(demo.id, &new_person("TP1", Some(pa.id)), &CLI).await.unwrap();
            let theirs = store.create_young_person(demo.id, &new_person("TP2", None), &CLI).await.unwrap();
            let team = Viewer::whole_la(demo.id);
            let id = store.save_trusted_match(&team, mine.id, None, &matched("2026-04-01", "2026-07-01"), &CLI).await.unwrap();
            store.save_trusted_match(&team, theirs.id, None, &matched("2026-03-31", "2027-01-01"), &CLI).await.unwrap();
            let refused = store.save_trusted_match(&Viewer::whole_la(other.id), mine.id, None, &matched("2026-04-01", "2026-07-01"), &CLI).await;
            assert!(matches!(refused, Err(StoreError::NotFound { .. })));

            let year = (d("2026-04-01"), d("2027-03-31"));
            assert_eq!(store.trusted_match_counts(&team, year.0, year.1, d("2026-12-01")).await.unwrap(), (1, 1), "agreed this year; one review due");
            let caseload = Viewer { la: demo.id, staff: Some(pa.id), scope: staying_close_domain::permissions::RecordScope::OwnAndShared };
            assert_eq!(store.trusted_match_counts(&caseload, d("2026-01-01"), year.1, d("2026-12-01")).await.unwrap(), (1, 1));

            let mut ended = matched("2026-04-01", "2026-07-01");
            ended.ended_on = Some(d("2026-11-01"));
            store.save_trusted_match(&team, mine.id, Some((id, 1)), &ended, &CLI).await.unwrap();
            let stale = store.save_trusted_match(&team, mine.id, Some((id, 1)), &matched("2026-04-01", "2026-07-01"), &CLI).await;
            assert!(matches!(stale, Err(StoreError::Conflict { .. })));
            let wrong = store.save_trusted_match(&team, theirs.id, Some((id, 2)), &ended, &CLI).await;
            assert!(matches!(wrong, Err(StoreError::NotFound { .. })), "a match belongs to one young person");
            let saved = store.trusted_matches(demo.id, mine.id).await.unwrap();
            assert_eq!((saved[0].trusted.ended_on, saved[0].version), (Some(d("2026-11-01")), 2));
            assert_eq!(store.trusted_match_counts(&team, year.0, year.1, d("2026-12-01")).await.unwrap(), (1, 0), "an ended match is not due a review");
        }
    }
}

mod housing {
    use super::*;
    use staying_close_domain::accommodation::Stay;
    use staying_close_domain::lets::{LetStatus, Occupancy, Property};

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn stay(code: &str, from: &str) -> Stay {
        Stay {
            code: code.into(),
            address: None,
            provider: None,
            starts_on: d(from),
            ends_on: None,
            reason_for_move: None,
        }
    }

    staying_close_store::backend_tests! {
        async fn stays_and_occupancies_are_checked_inside_the_write(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let other = la(&store, "991", "Other Borough").await;
            let a = store.create_young_person(demo.id, &new_person("HS1", None), &CLI).await.unwrap();
            let b = store.create_young_person(demo.id, &new_person("HS2", None), &CLI).await.unwrap();
            let team = Viewer::whole_la(demo.id);

            store.add_stay(&team, a.id, &stay("D1", "2026-01-01"), &CLI).await.unwrap();
            store.add_stay(&team, a.id, &stay("U1", "2026-06-01"), &CLI).await.unwrap();
            let stays = store.accommodation_stays(demo.id, a.id).await.unwrap();
            assert_eq!(stays[1].stay.ends_on, Some(d("2026-05-31")), "the open stay is ended the day before");
            let mut inside = stay("B1", "2026-02-01");
            inside.ends_on = Some(d("2026-02-10"));
            assert!(matches!(store.add_stay(&team, a.id, &inside, &CLI).await, Err(StoreError::Invalid(_))));
            assert_eq!(store.stays_around(&team, d("2026-05-01"), d("2026-12-31")).await.unwrap().len(), 2);

            let flat = Property { address: "1 Mill Lane".into(), landlord: "Homes".into(), bedrooms: 1, status: LetStatus::Available, note: None };
            let id = store.save_let(demo.id, None, &flat, &CLI).await.unwrap();
            assert!(matches!(store.save_let(demo.id, None, &flat, &CLI).await, Err(StoreError::Duplicate { .. })));
            store.record_occupancy(&team, id, a.id, Occupancy { starts_on: d("2026-06-01"), ends_on: Some(d("2026-09-30")) }, &CLI).await.unwrap();
            let clash = store.record_occupancy(&team, id, b.id, Occupancy { starts_on: d("2026-09-30"), ends_on: None }, &CLI).await;
            match clash {
                Err(StoreError::Invalid(message)) => assert!(message.contains("overlaps"), "{message}"),
                other => panic!("expected a refusal, got {other:?}"),
            }
            store.record_occupancy(&team, id, b.id, Occupancy { starts_on: d("2026-10-01"), ends_on: None }, &CLI).await.unwrap();
            let lets = store.lets(&team).await.unwrap();
            assert_eq!(lets[0].occupancies.len(), 2);
            assert_eq!(lets[0].version, 3, "each occupancy locks and moves the property on");
            assert!(matches!(store.save_let(demo.id, Some((id, 1)), &flat, &CLI).await, Err(StoreError::Conflict { .. })));

            // Another LA neither sees nor uses it.
            assert!(store.lets(&Viewer::whole_la(other.id)).await.unwrap().is_empty());
            let foreign = store.record_occupancy(&Viewer::whole_la(other.id), id, a.id, Occupancy { starts_on: d("2027-06-01"), ends_on: None }, &CLI).await;
            assert!(matches!(foreign, Err(StoreError::NotFound { .. })));
        }
    }
}

mod eet {
    use super::*;
    use staying_close_domain::eet::Activity;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn act(code: &str, from: &str) -> Activity {
        Activity { code: code.into(), provider: None, starts_on: d(from), ends_on: None }
    }

    staying_close_store::backend_tests! {
        async fn the_cohort_on_a_day_carries_the_activity_covering_it(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let other = la(&store, "991", "Other Borough").await;
            let started = |child: &str, start: &str| {
                staying_close_domain::profile::ProfileInput {
                    child_id: child.into(),
                    first_name: "Jordan".into(),
                    last_name: child.into(),
                    date_of_birth: staying_close_domain::profile::DateParts::from_iso("2007-03-04"),
                    staying_close_start: staying_close_domain::profile::DateParts::from_iso(start),
                    ..Default::default()
                }
                .parse(d("2026-12-01"))
                .unwrap()
            };
            let a = store.add_young_person(demo.id, &started("EEA", "2025-09-01"), None, &CLI).await.unwrap();
            let b = store.add_young_person(demo.id, &started("EEB", "2026-01-01"), None, &CLI).await.unwrap();
            let team = Viewer::whole_la(demo.id);
            store.add_activity(&team, a.id, &act("G5", "2025-09-01"), &CLI).await.unwrap();
            store.add_activity(&team, a.id, &act("F2", "2026-02-01"), &CLI).await.unwrap();
            assert!(matches!(store.add_activity(&team, a.id, &act("F5", "2025-10-01"), &CLI).await, Err(StoreError::Invalid(_))));
            let december = store.eet_cohort_on(&team, d("2025-12-01")).await.unwrap();
            assert_eq!(december.len(), 1, "b's support had not started");
            assert_eq!(december[0].activity.as_ref().unwrap().code, "G5");
            let march = store.eet_cohort_on(&team, d("2026-03-01")).await.unwrap();
            assert_eq!(march[1].young_person, b.id, "ordered by name: EEA before EEB");
            assert_eq!(march.iter().map(|m| m.activity.as_ref().map(|a| a.code.clone())).collect::<Vec<_>>(), vec![Some("F2".to_owned()), None]);
            assert!(store.eet_cohort_on(&Viewer::whole_la(other.id), d("2026-03-01")).await.unwrap().is_empty());
            assert!(matches!(store.add_activity(&Viewer::whole_la(other.id), a.id, &act("F2", "2026-06-01"), &CLI).await, Err(StoreError::NotFound { .. })));
        }
    }
}

mod advocacy {
    use super::*;
    use staying_close_domain::advocacy::{AdvocacyKind, Referral};

    staying_close_store::backend_tests! {
        async fn referrals_change_only_from_their_version_within_the_la(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let other = la(&store, "991", "Other Borough").await;
            let a = store.create_young_person(demo.id, &new_person("AD1", None), &CLI).await.unwrap();
            let b = store.create_young_person(demo.id, &new_person("AD2", None), &CLI).await.unwrap();
            let team = Viewer::whole_la(demo.id);
            let mut r = Referral {
                provider: "Advocacy".into(),
                kind: AdvocacyKind::NonInstructed,
                issue: "Plan review".into(),
                referred_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
                started_on: None,
                closed_on: None,
                outcome: None,
            };
            let id = store.save_advocacy_referral(&team, a.id, None, &r, &CLI).await.unwrap();
            r.outcome = Some("Heard".into());
            store.save_advocacy_referral(&team, a.id, Some((id, 1)), &r, &CLI).await.unwrap();
            assert!(matches!(store.save_advocacy_referral(&team, a.id, Some((id, 1)), &r, &CLI).await, Err(StoreError::Conflict { .. })));
            assert!(matches!(store.save_advocacy_referral(&team, b.id, Some((id, 2)), &r, &CLI).await, Err(StoreError::NotFound { .. })));
            assert!(matches!(store.save_advocacy_referral(&Viewer::whole_la(other.id), a.id, None, &r, &CLI).await, Err(StoreError::NotFound { .. })));
            let saved = store.advocacy_referrals(demo.id, a.id).await.unwrap();
            assert_eq!((saved.len(), saved[0].version, saved[0].referral.outcome.as_deref()), (1, 2, Some("Heard")));
            assert!(store.advocacy_referrals(other.id, a.id).await.unwrap().is_empty());
        }
    }
}

mod health {
    use super::*;
    use staying_close_domain::health::{HealthReferral, Pathway, ReferralStatus, Registration, Session, SessionKind};

    staying_close_store::backend_tests! {
        async fn health_records_stay_in_their_la_and_change_from_their_version(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let other = la(&store, "991", "Other Borough").await;
            let a = store.create_young_person(demo.id, &new_person("HE1", None), &CLI).await.unwrap();
            let team = Viewer::whole_la(demo.id);
            let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
            store.add_health_session(&team, a.id, &Session { on: day, kind: SessionKind::EmotionalHealth, minutes: Some(50), note: Some("private".into()) }, &CLI).await.unwrap();
            let referral = HealthReferral { pathway: Pathway::AdultMentalHealth, referred_on: day, status: ReferralStatus::Waiting, outcome: None };
            let id = store.save_health_referral(&team, a.id, None, &referral, &CLI).await.unwrap();
            let seen = HealthReferral { status: ReferralStatus::Seen, ..referral.clone() };
            store.save_health_referral(&team, a.id, Some((id, 1)), &seen, &CLI).await.unwrap();
            assert!(matches!(store.save_health_referral(&team, a.id, Some((id, 1)), &referral, &CLI).await, Err(StoreError::Conflict { .. })));
            let reg = Registration { gp: Some("Surgery".into()), dentist: None, passport_given_on: None };
            store.save_registration(&team, a.id, None, &reg, &CLI).await.unwrap();
            assert!(matches!(store.save_registration(&team, a.id, None, &reg, &CLI).await, Err(StoreError::Conflict { .. })), "a second first save is stale");
            store.save_registration(&team, a.id, Some(1), &Registration { dentist: Some("Dental".into()), ..reg.clone() }, &CLI).await.unwrap();
            let r = store.health_records(demo.id, a.id).await.unwrap();
            assert_eq!((r.sessions.len(), r.referrals[0].1.status, r.registration.unwrap().2), (1, ReferralStatus::Seen, 2));
            assert!(matches!(store.add_health_session(&Viewer::whole_la(other.id), a.id, &Session { on: day, kind: SessionKind::Nurse, minutes: None, note: None }, &CLI).await, Err(StoreError::NotFound { .. })));
            assert_eq!(store.health_records(other.id, a.id).await.unwrap(), staying_close_store::HealthRecords::default());
        }
    }
}

mod groups {
    use super::*;
    use staying_close_domain::groups::{Event, EventKind};
    use staying_close_domain::money::Pence;

    staying_close_store::backend_tests! {
        async fn attendance_is_replaced_from_its_version_within_the_la(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let other = la(&store, "991", "Other Borough").await;
            let pa = store.create_staff(&new_staff(Some(demo.id), "pa@demo.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let theirs = store.create_staff(&new_staff(Some(other.id), "pa@other.example", Role::PersonalAdviser), &CLI).await.unwrap();
            let a = store.create_young_person(demo.id, &new_person("GR1", None), &CLI).await.unwrap();
            let b = store.create_young_person(demo.id, &new_person("GR2", None), &CLI).await.unwrap();
            let day = NaiveDate::from_ymd_opt(2026, 11, 14).unwrap();
            let event = Event { title: "Walk".into(), kind: EventKind::Walking, on: day, cost: Pence(0), topics: None, actions: None };
            let id = store.save_group_event(demo.id, None, &event, Some(pa.id), &CLI).await.unwrap();
            let team = Viewer::whole_la(demo.id);
            store.set_attendance(&team, id, 1, &[a.id, b.id], &[pa.id], &CLI).await.unwrap();
            assert!(matches!(store.set_attendance(&team, id, 1, &[a.id], &[], &CLI).await, Err(StoreError::Conflict { .. })));
            assert!(matches!(store.set_attendance(&team, id, 2, &[a.id], &[theirs.id], &CLI).await, Err(StoreError::Invalid(_))), "staff of another LA");
            let (stored, people, staff) = store.group_event(&team, id).await.unwrap().unwrap();
            assert_eq!((stored.young_people, people.len(), staff), (2, 2, vec![pa.id]), "a refused change leaves the last saved");
            assert_eq!(store.events_attended(demo.id, a.id).await.unwrap().len(), 1);
            // An adviser in caseload mode sees only their own; saving keeps the rest.
            let c = store.create_young_person(demo.id, &new_person("GR3", Some(pa.id)), &CLI).await.unwrap();
            let caseload = Viewer { la: demo.id, staff: Some(pa.id), scope: staying_close_domain::permissions::RecordScope::OwnAndShared };
            let (_, seen, _) = store.group_event(&caseload, id).await.unwrap().unwrap();
            assert!(seen.iter().all(|p| !p.visible && p.child_id.is_empty() && p.name.is_none()), "others are counted, never named");
            assert!(matches!(store.set_attendance(&caseload, id, 2, &[a.id], &[], &CLI).await, Err(StoreError::NotFound { .. })));
            store.set_attendance(&caseload, id, 2, &[c.id], &[pa.id], &CLI).await.unwrap();
            let (stored, _, _) = store.group_event(&team, id).await.unwrap().unwrap();
            assert_eq!(stored.young_people, 3, "a and b kept, c added");
            assert!(store.group_event(&Viewer::whole_la(other.id), id).await.unwrap().is_none());
            assert!(matches!(store.set_attendance(&Viewer::whole_la(other.id), id, 3, &[], &[], &CLI).await, Err(StoreError::NotFound { .. })));
            let range = (day - chrono::Duration::days(1), day + chrono::Duration::days(1));
            assert_eq!(store.group_events(demo.id, range.0, range.1, false).await.unwrap().len(), 1);
            assert!(store.group_events(demo.id, range.0, range.1, true).await.unwrap().is_empty(), "not a forum meeting");
        }
    }
}

mod funding {
    use super::*;
    use staying_close_domain::funding::{FinancialYear, Grant, SpendCategory, SpendLine};
    use staying_close_domain::money::Pence;

    staying_close_store::backend_tests! {
        async fn a_year_holds_only_its_own_lines_in_its_own_la(store: Store) {
            let demo = la(&store, "990", "Demo Borough").await;
            let other = la(&store, "991", "Other Borough").await;
            let year = FinancialYear(2026);
            store.add_grant(demo.id, year, &Grant { source: "DfE".into(), amount: Pence(100_000), note: None }, None, &CLI).await.unwrap();
            store.add_grant(demo.id, year.next(), &Grant { source: "DfE".into(), amount: Pence(7), note: None }, None, &CLI).await.unwrap();
            let line = SpendLine { on: NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(), description: "Rent".into(), category: SpendCategory::Accommodation, amount: Pence(99_999) };
            store.add_funding_spend(demo.id, year, &line, None, &CLI).await.unwrap();
            assert!(matches!(store.add_funding_spend(demo.id, year.next(), &line, None, &CLI).await, Err(StoreError::Invalid(_))), "31 March 2027 is not in 2027-28");
            let (grants, spend) = store.funding(demo.id, year).await.unwrap();
            assert_eq!((grants.len(), spend.len(), spend[0].1.amount), (1, 1, Pence(99_999)));
            let (grants, spend) = store.funding(other.id, year).await.unwrap();
            assert!(grants.is_empty() && spend.is_empty());
        }
    }
}
