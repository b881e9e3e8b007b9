//! Staying Close plans: starting one, filling in an area with goals and
//! actions, reviewing it into a new version while the old one stays as it
//! was, comparing versions, refusing stale saves with both versions shown,
//! and keeping other LAs and roles out.

mod common;

use common::{location, spawn_demo};
use staying_close_store::YoungPersonId;

const MANAGER: &str = "helen.crossley@demo-borough.example";
const ADVISER: &str = "daniel.okafor@demo-borough.example";
const RESIDENTIAL: &str = "kevin.hargreaves@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

fn today() -> chrono::NaiveDate {
    staying_close_domain::dates::uk_today()
}

fn parts(d: chrono::NaiveDate) -> (String, String, String) {
    (d.format("%-d").to_string(), d.format("%-m").to_string(), d.format("%Y").to_string())
}

/// Adds a young person with no plan, as the adviser, and returns their id.
async fn new_young_person(app: &common::TestApp, browser: &common::Browser, child: &str) -> YoungPersonId {
    let adviser = app.staff(ADVISER).await.id.0.to_string();
    let added = browser
        .post(
            app,
            "/young-people/new",
            &[
                ("first_name", "Amani"),
                ("last_name", "Okoro"),
                ("date_of_birth-day", "14"),
                ("date_of_birth-month", "2"),
                ("date_of_birth-year", "2007"),
                ("child_id", child),
                ("adviser", &adviser),
            ],
        )
        .await;
    let to = location(&added);
    let id = to.trim_start_matches("/young-people/").split('?').next().unwrap();
    YoungPersonId(id.parse().unwrap_or_else(|_| panic!("redirected to {to}")))
}

async fn meeting(
    app: &common::TestApp,
    browser: &common::Browser,
    person: YoungPersonId,
    version: &str,
    held: chrono::NaiveDate,
    review: chrono::NaiveDate,
) -> reqwest::Response {
    let (hd, hm, hy) = parts(held);
    let (rd, rm, ry) = parts(review);
    browser
        .post(
            app,
            &format!("/young-people/{}/plan/review", person.0),
            &[
                ("version", version),
                ("held_on-day", &hd),
                ("held_on-month", &hm),
                ("held_on-year", &hy),
                ("review_on-day", &rd),
                ("review_on-month", &rm),
                ("review_on-year", &ry),
                ("took_part", "yes"),
                ("agreed", "yes"),
                ("their_view", "I want to stay near Oak House"),
            ],
        )
        .await
}

both_backends! {
    async fn an_adviser_starts_a_plan_fills_in_an_area_and_reviews_it_into_a_new_version(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let adviser = app.staff(ADVISER).await;
        let browser = app.session(&adviser).await;
        let person = new_young_person(&app, &browser, "PLAN01").await;
        let page = browser.get(&app, &format!("/young-people/{}/plan", person.0)).await.text().await.unwrap();
        assert!(page.contains("No plan is recorded yet") && page.contains("Start the plan"));

        let held = today() - chrono::Duration::days(10);
        let started = meeting(&app, &browser, person, "", held, held + chrono::Duration::days(90)).await;
        assert_eq!(location(&started), format!("/young-people/{}/plan?saved=started", person.0));
        let plan = app.store().plan(la.id, person, None).await.unwrap().unwrap();
        assert_eq!(plan.version.number, 1);
        assert!(plan.version.meeting.took_part && plan.version.meeting.agreed);

        // One area, with a goal and two actions (one for the young person, one for the adviser).
        let path = format!("/young-people/{}/plan/areas/life_skills", person.0);
        let form = browser.get(&app, &path).await.text().await.unwrap();
        assert!(form.contains("Practical life skills") && form.contains("Amani Okoro (the young person)"));
        let me = adviser.id.0.to_string();
        let version = plan.version.version.to_string();
        let saved = browser
            .post(&app, &path, &[("version", &version), ("goal_count", "1"), ("going_well", "Cooks pasta twice a week"),
                ("own_words", "I want to cook for my mates"), ("goal-1", "Cook three different meals"),
                ("goal-1-action_count", "3"),
                ("goal-1-action-1", "Choose three recipes"), ("goal-1-action-1-owner", "young_person"),
                ("goal-1-action-1-due-day", "1"), ("goal-1-action-1-due-month", "3"), ("goal-1-action-1-due-year", "2027"),
                ("goal-1-action-1-status", "in_progress"),
                ("goal-1-action-2", "Shop together on Saturday"), ("goal-1-action-2-owner", &me),
                ("goal-1-action-2-status", "not_started"),
                ("goal-1-action-3", ""), ("goal-1-action-3-owner", ""), ("goal-1-action-3-status", "not_started")])
            .await;
        assert_eq!(location(&saved), format!("/young-people/{}/plan?saved=area#life_skills", person.0));
        let page = browser.get(&app, &format!("/young-people/{}/plan?saved=area", person.0)).await.text().await.unwrap();
        for words in ["Plan saved.", "Cooks pasta twice a week", "Goal 1: Cook three different meals", "Choose three recipes",
            "1 March 2027", "In progress", "Shop together on Saturday", "Daniel Okafor", "I want to stay near Oak House"] {
            assert!(page.contains(words), "{words}");
        }

        // A review: version 2, copied from version 1, which stays as it was.
        let current = app.store().plan(la.id, person, None).await.unwrap().unwrap();
        let reviewed = meeting(&app, &browser, person, &current.version.version.to_string(), today(),
            today() + chrono::Duration::days(120)).await;
        assert_eq!(location(&reviewed), format!("/young-people/{}/plan?saved=reviewed", person.0));
        let v2 = app.store().plan(la.id, person, None).await.unwrap().unwrap();
        assert_eq!(v2.version.number, 2);
        assert_eq!(v2.sections, current.sections, "the review starts from the last version");
        let v2_version = v2.version.version.to_string();
        let changed = browser
            .post(&app, &path, &[("version", &v2_version), ("goal_count", "2"), ("going_well", "Cooks most days now"),
                ("goal-1", "Cook three different meals"), ("goal-1-action_count", "1"),
                ("goal-1-action-1", "Choose three recipes"), ("goal-1-action-1-owner", "young_person"),
                ("goal-1-action-1-status", "done"),
                ("goal-2", "Keep a weekly budget"), ("goal-2-action_count", "1"),
                ("goal-2-action-1", "Set up a budgeting app"), ("goal-2-action-1-owner", "young_person")])
            .await;
        assert_eq!(changed.status(), 303);
        let v1 = app.store().plan(la.id, person, Some(1)).await.unwrap().unwrap();
        assert_eq!(v1.sections, current.sections, "version 1 is unchanged");
        assert!(!v1.version.is_current);

        let old = browser.get(&app, &format!("/young-people/{}/plan/versions/1", person.0)).await.text().await.unwrap();
        assert!(old.contains("cannot be changed") && old.contains("Cooks pasta twice a week"));
        assert!(!old.contains("/plan/areas/"), "an old version has no change links");

        let compared = browser
            .get(&app, &format!("/young-people/{}/plan/compare?from=1&to=2", person.0))
            .await
            .text()
            .await
            .unwrap();
        for words in ["Cooks pasta twice a week", "Cooks most days now", "Keep a weekly budget", "Changed", "Accommodation"] {
            assert!(compared.contains(words), "{words}");
        }
        let events = app.store().audit_events(la.id, 500).await.unwrap();
        let plan_events: Vec<&str> =
            events.iter().filter(|e| e.entity_type == "plan").map(|e| e.action.as_str()).collect();
        for action in ["create", "update", "review", "view_list"] {
            assert!(plan_events.contains(&action), "{action} is audited: {plan_events:?}");
        }
    }

    async fn bad_meeting_and_area_input_is_named_and_kept(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let adviser = app.staff(ADVISER).await;
        let browser = app.session(&adviser).await;
        let person = new_young_person(&app, &browser, "PLAN02").await;
        let held = today();
        let response = meeting(&app, &browser, person, "", held, held + chrono::Duration::days(200)).await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("The review date must be within 6 months of the meeting"));
        assert!(page.contains("I want to stay near Oak House"), "typed words kept");
        assert!(app.store().plan(la.id, person, None).await.unwrap().is_none());

        meeting(&app, &browser, person, "", held, held + chrono::Duration::days(30)).await;
        let plan = app.store().plan(la.id, person, None).await.unwrap().unwrap();
        let outsider = app.staff(OTHER_LA_MANAGER).await.id.0.to_string();
        let response = browser
            .post(&app, &format!("/young-people/{}/plan/areas/money", person.0), &[
                ("version", &plan.version.version.to_string()), ("goal_count", "2"),
                ("goal-1", ""), ("goal-1-action_count", "1"), ("goal-1-action-1", "Open a bank account"),
                ("goal-1-action-1-owner", "young_person"),
                ("goal-2", "Save £10 a week"), ("goal-2-action_count", "1"), ("goal-2-action-1", "Standing order"),
                ("goal-2-action-1-owner", &outsider), ("goal-2-action-1-due-day", "31"),
                ("goal-2-action-1-due-month", "2"), ("goal-2-action-1-due-year", "2027")])
            .await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        for words in ["Enter goal 1, or clear its actions", "Choose who will do action 1 of goal 2 from the list",
            "must be a real date", "href=\"#goal-2-action-1-owner\"", "Save £10 a week", "Open a bank account"] {
            assert!(page.contains(words), "{words}");
        }
        assert!(app.store().plan(la.id, person, None).await.unwrap().unwrap().sections.is_empty(), "nothing saved");
    }

    async fn a_stale_save_of_an_area_is_refused_and_both_versions_shown(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let adviser = app.staff(ADVISER).await;
        let manager = app.staff(MANAGER).await;
        let browser = app.session(&adviser).await;
        let other = app.session(&manager).await;
        let person = new_young_person(&app, &browser, "PLAN03").await;
        meeting(&app, &browser, person, "", today(), today() + chrono::Duration::days(30)).await;
        let seen = app.store().plan(la.id, person, None).await.unwrap().unwrap().version.version.to_string();
        let path = format!("/young-people/{}/plan/areas/accommodation", person.0);
        let first = other
            .post(&app, &path, &[("version", &seen), ("goal_count", "0"), ("going_well", "Settled in the flat")])
            .await;
        assert_eq!(first.status(), 303);
        let stale = browser
            .post(&app, &path, &[("version", &seen), ("goal_count", "0"), ("going_well", "Loves the new sofa")])
            .await;
        assert_eq!(stale.status(), 409);
        let page = stale.text().await.unwrap();
        assert!(page.contains("Someone else changed this plan") && page.contains("What is saved now"));
        assert!(page.contains("Settled in the flat") && page.contains("Loves the new sofa"), "both versions shown");
        let plan = app.store().plan(la.id, person, None).await.unwrap().unwrap();
        assert_eq!(plan.sections[0].going_well.as_deref(), Some("Settled in the flat"), "nothing overwritten");
        // The form now carries the saved version: saving again, having seen it, works.
        let fresh = page.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let again = browser
            .post(&app, &path, &[("version", &fresh), ("goal_count", "0"), ("going_well", "Loves the new sofa")])
            .await;
        assert_eq!(again.status(), 303);
    }

    async fn other_las_and_roles_without_the_permission_are_kept_out(backend) {
        let app = spawn_demo(backend).await;
        let adviser = app.staff(ADVISER).await;
        let browser = app.session(&adviser).await;
        let person = new_young_person(&app, &browser, "PLAN04").await;
        meeting(&app, &browser, person, "", today(), today() + chrono::Duration::days(30)).await;
        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        for path in ["plan", "plan/versions/1", "plan/compare?from=1&to=1", "plan/review", "plan/areas/money"] {
            let response = outsider.get(&app, &format!("/young-people/{}/{path}", person.0)).await;
            assert_eq!(response.status(), 404, "{path}");
        }
        let residential = app.session(&app.staff(RESIDENTIAL).await).await;
        let response = residential.get(&app, &format!("/young-people/{}/plan/review", person.0)).await;
        assert_eq!(response.status(), 403, "former residential staff read plans shared with them but do not write them");
        let missing = browser.get(&app, &format!("/young-people/{}/plan/versions/9", person.0)).await;
        assert_eq!(missing.status(), 404);
        let unknown_area = browser.get(&app, &format!("/young-people/{}/plan/areas/astrology", person.0)).await;
        assert_eq!(unknown_area.status(), 404);
    }

    async fn the_cohort_filter_finds_plan_reviews_due(backend) {
        let app = spawn_demo(backend).await;
        let adviser = app.staff(ADVISER).await;
        let browser = app.session(&adviser).await;
        let due = new_young_person(&app, &browser, "PLAN05").await;
        let fine = new_young_person(&app, &browser, "PLAN06").await;
        meeting(&app, &browser, due, "", today() - chrono::Duration::days(100), today() + chrono::Duration::days(3)).await;
        meeting(&app, &browser, fine, "", today(), today() + chrono::Duration::days(150)).await;
        let page = browser.get(&app, "/young-people?q=okoro&review=yes").await.text().await.unwrap();
        assert!(page.contains(&format!("/young-people/{}\"", due.0)), "review due in 3 days is listed");
        assert!(!page.contains(&format!("/young-people/{}\"", fine.0)), "review in 150 days is not");
        let week = browser.get(&app, "/my-week").await.text().await.unwrap();
        assert!(week.contains("Plan reviews due") && week.contains(&format!("/young-people/{}/plan", due.0)));
    }
}
