//! A young person's record by hand: adding, editing with every bad field
//! named, refusing stale saves with both versions shown, closing and reopening.

mod common;

use common::{location, spawn_demo};
use staying_close_domain::people::CohortStatus;
use staying_close_store::{AuditFilter, YoungPersonId};

const MANAGER: &str = "helen.crossley@demo-borough.example";
const ADVISER: &str = "daniel.okafor@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

fn record<'a>(child: &'a str, version: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("version", version),
        ("first_name", "Amani"),
        ("last_name", "Okoro"),
        ("preferred_name", "Ami"),
        ("pronouns", "she/her"),
        ("date_of_birth-day", "14"),
        ("date_of_birth-month", "2"),
        ("date_of_birth-year", "2007"),
        ("child_id", child),
        ("nhs_number", "943 476 5919"),
        ("upn", "H801200001001"),
        ("phone", "07700 900 982"),
        ("celebrations", "birthday"),
        ("celebrations", "eid_al_fitr"),
        ("flags", "expecting"),
        ("home_left", "Oak Lodge"),
        ("staying_close_start-day", "1"),
        ("staying_close_start-month", "9"),
        ("staying_close_start-year", "2025"),
    ]
}

both_backends! {
    async fn an_adviser_adds_a_young_person_to_their_own_caseload(backend) {
        let app = spawn_demo(backend).await;
        let adviser = app.staff(ADVISER).await;
        let browser = app.session(&adviser).await;
        let form = browser.get(&app, "/young-people/new").await.text().await.unwrap();
        assert!(form.contains("Add a young person"));
        let me = adviser.id.0.to_string();
        let mut fields = record("NEW77", "");
        fields.push(("adviser", &me));
        let added = browser.post(&app, "/young-people/new", &fields).await;
        assert_eq!(added.status(), 303);
        let to = location(&added);
        assert!(to.ends_with("?saved=added"), "{to}");
        let id: i64 = to.trim_start_matches("/young-people/").split('?').next().unwrap().parse().unwrap();
        let person = app.store().young_person(app.la("990").await.id, YoungPersonId(id)).await.unwrap();
        assert_eq!(person.personal_adviser, Some(adviser.id));
        assert_eq!(person.details.nhs_number.unwrap().as_str(), "9434765919");
        assert_eq!(person.details.celebrations.len(), 2);
        assert!(person.details.expecting && !person.details.young_parent);
        let page = browser.get(&app, &to).await.text().await.unwrap();
        assert!(page.contains("Young person added.") && page.contains("Ami Okoro") && page.contains("Eid al-Fitr"));
        assert!(page.contains("943 476 5919") && page.contains("Since 1 September 2025"));
    }

    async fn every_bad_field_is_named_and_what_was_typed_is_kept(backend) {
        let app = spawn_demo(backend).await;
        let browser = app.session(&app.staff(MANAGER).await).await;
        let before = app.store().cohort(app.la("990").await.id).await.unwrap().len();
        let mut fields = record("NEW78", "");
        fields[9] = ("nhs_number", "943 476 5918");
        fields[10] = ("upn", "C801200005001");
        fields[5] = ("date_of_birth-day", "31");
        fields.push(("adviser", "999999"));
        let response = browser.post(&app, "/young-people/new", &fields).await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("<title>Error: Add a young person"));
        for (anchor, words) in [
            ("#date_of_birth", "Date of birth must be a real date"),
            ("#upn", "the first letter does not match the rest"),
            ("#nhs_number", "the last digit does not match the others"),
            ("#adviser", "Choose a personal adviser from the list"),
        ] {
            assert!(page.contains(&format!("<a href=\"{anchor}\">")), "{anchor} in the error summary");
            assert!(page.contains(words), "{words}");
        }
        assert!(page.contains("value=\"943 476 5918\"") && page.contains("value=\"Oak Lodge\""), "typed values kept");
        assert!(page.contains("value=\"eid_al_fitr\" checked"), "ticked boxes stay ticked");
        assert_eq!(app.store().cohort(app.la("990").await.id).await.unwrap().len(), before, "nothing saved");
    }

    async fn a_stale_edit_shows_both_versions_and_keeps_what_was_typed(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let browser = app.session(&app.staff(MANAGER).await).await;
        let person = app.store().cohort(la.id).await.unwrap()[0].id;
        let path = format!("/young-people/{}/edit", person.0);
        let form = browser.get(&app, &path).await.text().await.unwrap();
        assert!(form.contains("name=\"version\""));
        let version = app.store().young_person(la.id, person).await.unwrap().version.to_string();
        // Someone else saves first.
        let first = browser.post(&app, &path, &record("FIRST1", &version)).await;
        assert_eq!(first.status(), 303, "{}", first.text().await.unwrap());
        let mut mine = record("FIRST1", &version);
        mine[4] = ("pronouns", "they/them");
        mine[11] = ("phone", "07700 900 111");
        let response = browser.post(&app, &path, &mine).await;
        assert_eq!(response.status(), 409);
        let page = response.text().await.unwrap();
        assert!(page.contains("Someone else saved this record while you were editing it"));
        assert!(page.contains("The saved record and your changes"));
        assert!(page.contains("she/her") && page.contains("value=\"they/them\""), "both versions shown, mine in the form");
        let saved = app.store().young_person(la.id, person).await.unwrap();
        assert_eq!(saved.details.pronouns.as_deref(), Some("she/her"), "nothing overwritten");
        // Saving again from the conflict page, now on the latest version, keeps mine.
        let latest = saved.version.to_string();
        assert!(page.contains(&format!("name=\"version\" value=\"{latest}\"")));
        mine[0] = ("version", &latest);
        assert_eq!(browser.post(&app, &path, &mine).await.status(), 303);
        assert_eq!(app.store().young_person(la.id, person).await.unwrap().details.pronouns.as_deref(), Some("they/them"));
    }

    async fn a_record_is_closed_with_a_reason_and_reopened_never_deleted(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let browser = app.session(&app.staff(MANAGER).await).await;
        let person = app.store().cohort(la.id).await.unwrap()[1].id;
        let version = app.store().young_person(la.id, person).await.unwrap().version.to_string();
        let path = format!("/young-people/{}/close", person.0);
        let refused = browser.post(&app, &path, &[("version", &version), ("reason", "other")]).await;
        assert_eq!(refused.status(), 422);
        let page = refused.text().await.unwrap();
        assert!(page.contains("Say why the record is being closed"));
        let closed = browser
            .post(&app, &path, &[("version", &version), ("reason", "moved_away"), ("closed_on-day", "1"),
                ("closed_on-month", "11"), ("closed_on-year", "2026"), ("note", "Moved to Leeds with her partner")])
            .await;
        assert_eq!(location(&closed), format!("/young-people/{}?saved=closed", person.0));
        let stored = app.store().young_person(la.id, person).await.unwrap();
        assert_eq!(stored.cohort_status, CohortStatus::Closed);
        let page = browser.get(&app, &format!("/young-people/{}", person.0)).await.text().await.unwrap();
        assert!(page.contains("Closed on 1 November 2026: they moved to another area. Moved to Leeds"));
        let version = stored.version.to_string();
        let reopened = browser.post(&app, &format!("/young-people/{}/reopen", person.0), &[("version", &version)]).await;
        assert_eq!(reopened.status(), 303);
        assert_eq!(app.store().young_person(la.id, person).await.unwrap().cohort_status, CohortStatus::Active);
    }

    async fn another_las_manager_cannot_edit_or_close_and_is_recorded(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let person = app.store().cohort(la.id).await.unwrap()[0].id;
        let before = app.store().young_person(la.id, person).await.unwrap();
        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        let version = before.version.to_string();
        let edit = outsider.post(&app, &format!("/young-people/{}/edit", person.0), &record("HIJACK", &version)).await;
        assert_eq!(edit.status(), 404);
        let close = outsider.post(&app, &format!("/young-people/{}/close", person.0), &[("version", version.as_str())]).await;
        assert_eq!(close.status(), 404);
        assert_eq!(app.store().young_person(la.id, person).await.unwrap(), before, "nothing changed");
        let second = app.la("991").await;
        let denied = app.store().audit_search(second.id, &AuditFilter { action: Some("access_denied".into()), ..Default::default() }, 10).await.unwrap();
        assert!(denied.iter().any(|e| e.details["route"] == "young_person" && e.details["requested"] == serde_json::json!(person.0.to_string())), "refusals recorded: {denied:?}");
    }
}

mod team {
    use super::*;
    use staying_close_domain::roles::Role;

    const ADMIN: &str = "alison.marsh@demo-borough.example";

    both_backends! {
        async fn an_administrator_adds_staff_changes_a_role_and_disables_an_account(backend) {
            let app = spawn_demo(backend).await;
            let la = app.la("990").await;
            let admin = app.session(&app.staff(ADMIN).await).await;
            let page = admin.get(&app, "/team").await.text().await.unwrap();
            assert!(page.contains("1 personal adviser is over the caseload cap of 8"), "Daniel has 9");
            assert!(page.contains("Add a member of staff"));

            let refused = admin.post(&app, "/team", &[("name", ""), ("email", "not-an-email"), ("role", "national_viewer")]).await;
            assert_eq!(refused.status(), 422);
            let page = refused.text().await.unwrap();
            for words in ["Enter their full name", "Enter an email address in the correct format", "Choose their role"] {
                assert!(page.contains(words), "{words}");
            }
            let added = admin.post(&app, "/team", &[("name", "Priya Shah"), ("email", "priya.shah@demo-borough.example"), ("role", "personal_adviser")]).await;
            assert_eq!(added.status(), 200);
            let page = added.text().await.unwrap();
            assert!(page.contains("/reset-password/"), "a one-time link to choose a password");
            let priya = app.staff("priya.shah@demo-borough.example").await;
            assert_eq!((priya.la_id, priya.role), (Some(la.id), Role::PersonalAdviser));
            let again = admin.post(&app, "/team", &[("name", "Priya Shah"), ("email", "priya.shah@demo-borough.example"), ("role", "nurse")]).await;
            assert!(again.text().await.unwrap().contains("Someone already has an account with this email address"));

            let role = admin.post(&app, &format!("/team/{}/role", priya.id.0), &[("role", "eet_worker")]).await;
            assert_eq!(location(&role), "/team");
            assert_eq!(app.staff("priya.shah@demo-borough.example").await.role, Role::EetWorker);
            let disabled = admin.post(&app, &format!("/team/{}/disable", priya.id.0), &[]).await;
            assert_eq!(location(&disabled), "/team");
            assert!(!app.staff("priya.shah@demo-borough.example").await.active);

            // Not themselves, and never another LA's staff.
            let me = app.staff(ADMIN).await;
            assert_eq!(admin.post(&app, &format!("/team/{}/disable", me.id.0), &[]).await.status(), 422);
            let other = app.staff(OTHER_LA_MANAGER).await;
            assert_eq!(admin.post(&app, &format!("/team/{}/role", other.id.0), &[("role", "read_only")]).await.status(), 404);
            assert_eq!(app.staff(OTHER_LA_MANAGER).await.role, Role::TeamManager);
            let trail = app.store().audit_search(la.id, &AuditFilter { action: Some("update".into()), ..Default::default() }, 20).await.unwrap();
            assert!(trail.iter().any(|e| e.entity_type == "staff" && e.details["after"]["role"] == "eet_worker"));
        }
    }
}
