//! Contacts, the visit schedule and My week: recording a visit moves the
//! schedule, bad input is named and kept, and each practitioner's week lists
//! their own young people while a manager sees the team with reasons.

mod common;

use common::{location, spawn_demo};
use staying_close_store::{AuditFilter, Caseload, Viewer, YoungPersonId};

const MANAGER: &str = "helen.crossley@demo-borough.example";
const ADVISER: &str = "daniel.okafor@demo-borough.example";
const RESIDENTIAL: &str = "kevin.hargreaves@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

fn today() -> chrono::NaiveDate {
    staying_close_domain::dates::uk_today()
}

async fn my_young_person(app: &common::TestApp, adviser: &staying_close_store::Staff) -> YoungPersonId {
    let la = app.la("990").await;
    app.store().cohort(la.id).await.unwrap().into_iter().find(|r| r.adviser_id == Some(adviser.id)).unwrap().id
}

both_backends! {
    async fn a_home_visit_recorded_from_the_quick_add_form_moves_the_schedule(backend) {
        let app = spawn_demo(backend).await;
        let adviser = app.staff(ADVISER).await;
        let browser = app.session(&adviser).await;
        let person = my_young_person(&app, &adviser).await;
        let la = app.la("990").await;
        let path = format!("/young-people/{}/contacts", person.0);
        let page = browser.get(&app, &path).await.text().await.unwrap();
        assert!(page.contains("Record a contact") && page.contains("Contacts on record"));
        assert!(page.contains("Daniel Okafor (you)"));
        let before = app.store().contact_count(la.id, person).await.unwrap();
        let t = today();
        let (day, month, year) = (t.format("%-d").to_string(), t.format("%-m").to_string(), t.format("%Y").to_string());
        let me = adviser.id.0.to_string();
        let saved = browser
            .post(&app, &path, &[("kind", "home_visit"), ("date-day", &day), ("date-month", &month), ("date-year", &year),
                ("time", "10:30"), ("duration", "75"), ("staff", &me), ("topics", "cooking"), ("topics", "budgeting"),
                ("place", "Their flat"), ("notes", "Made soup together")])
            .await;
        assert_eq!(location(&saved), format!("{path}?saved=contact"));
        assert_eq!(app.store().contact_count(la.id, person).await.unwrap(), before + 1);
        let schedule = app.store().visit_schedule(la.id, person).await.unwrap().unwrap();
        assert_eq!(schedule.last_home_visit_on, Some(t));
        assert!(schedule.next_due_on > t, "visited today, so the next visit is in the future");
        let page = browser.get(&app, &format!("{path}?saved=contact")).await.text().await.unwrap();
        assert!(page.contains("Contact recorded.") && page.contains("Made soup together"));
        assert!(page.contains("1 hour 15 minutes") && page.contains("Cooking, Budgeting and money"));
    }

    async fn a_bad_contact_names_each_field_and_keeps_what_was_typed(backend) {
        let app = spawn_demo(backend).await;
        let adviser = app.staff(ADVISER).await;
        let browser = app.session(&adviser).await;
        let person = my_young_person(&app, &adviser).await;
        let la = app.la("990").await;
        let before = app.store().contact_count(la.id, person).await.unwrap();
        let outsider = app.staff(OTHER_LA_MANAGER).await.id.0.to_string();
        let response = browser
            .post(&app, &format!("/young-people/{}/contacts", person.0), &[("kind", "crisis_response"),
                ("date-day", "31"), ("date-month", "2"), ("date-year", "2026"), ("duration", "lots"),
                ("staff", &outsider), ("crisis", "yes"), ("notes", "Rang in tears")])
            .await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        for words in ["Date of the contact must be a real date", "Duration must be a whole number of minutes",
            "Choose who was there from the list", "Say what will happen next after the crisis",
            "Choose who will make sure the follow-up happens"] {
            assert!(page.contains(words), "{words}");
        }
        assert!(page.contains("Rang in tears") && page.contains("value=\"lots\""), "typed values kept");
        assert_eq!(app.store().contact_count(la.id, person).await.unwrap(), before, "nothing saved");
    }

    async fn my_week_lists_my_young_people_and_the_manager_sees_the_team_with_reasons(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let adviser = app.staff(ADVISER).await;
        let team = Viewer::whole_la(la.id);
        // The end of this week, Monday to Sunday, as My week counts it.
        let from_monday = chrono::Datelike::weekday(&today()).num_days_from_monday();
        let sunday = today() + chrono::Duration::days(6 - i64::from(from_monday));
        let mine = app.store().visits_due(&team, Caseload::Of(adviser.id), sunday).await.unwrap();
        let everyone = app.store().visits_due(&team, Caseload::Team, sunday).await.unwrap();
        assert!(!mine.is_empty() && everyone.len() > mine.len(), "the demo has visits due across the team");
        let page = app.session(&adviser).await.get(&app, "/my-week").await.text().await.unwrap();
        assert!(page.contains("<h1 class=\"govuk-heading-l\">My week</h1>"));
        for visit in &mine {
            assert!(page.contains(&format!("/young-people/{}/contacts", visit.young_person.0)));
        }
        let others: Vec<_> = everyone.iter().filter(|v| !mine.iter().any(|m| m.young_person == v.young_person)).collect();
        assert!(others.iter().all(|v| !page.contains(&format!("/young-people/{}/contacts\"", v.young_person.0))), "only my caseload");
        assert!(page.contains("Support hours"));

        let manager = app.session(&app.staff(MANAGER).await).await;
        let page = manager.get(&app, "/my-week").await.text().await.unwrap();
        assert!(page.contains("Team week") && page.contains("Personal adviser") && page.contains("overdue"));
        assert!(page.contains("Last home visit") || page.contains("No home visit since the schedule started"), "each row says why");
        for visit in &everyone {
            assert!(page.contains(&format!("/young-people/{}/contacts", visit.young_person.0)));
        }
    }

    async fn a_follow_up_is_marked_done_from_my_week(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let team = Viewer::whole_la(la.id);
        let open = app.store().open_follow_ups(&team, Caseload::Team).await.unwrap();
        assert!(!open.is_empty(), "the demo has open crisis follow-ups");
        let first = &open[0];
        let owner = app.store().list_staff(la.id).await.unwrap().into_iter().find(|s| s.display_name == first.owner_name).unwrap();
        let browser = app.session(&owner).await;
        let page = browser.get(&app, "/my-week").await.text().await.unwrap();
        assert!(page.contains(&first.action));
        let done = browser.post(&app, &format!("/follow-ups/{}/done", first.contact.0), &[]).await;
        assert_eq!(location(&done), "/my-week?saved=follow_up");
        let still_open = app.store().open_follow_ups(&team, Caseload::Team).await.unwrap();
        assert!(!still_open.iter().any(|f| f.contact == first.contact));
        // Another LA's manager cannot close this LA's follow-ups.
        let second = &still_open[0];
        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        assert_eq!(outsider.post(&app, &format!("/follow-ups/{}/done", second.contact.0), &[]).await.status(), 404);
        assert!(app.store().open_follow_ups(&team, Caseload::Team).await.unwrap().iter().any(|f| f.contact == second.contact));
    }

    async fn a_visit_schedule_is_set_and_a_stale_change_is_refused(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let browser = app.session(&app.staff(MANAGER).await).await;
        let person = app.store().cohort(la.id).await.unwrap()[0].id;
        let path = format!("/young-people/{}/schedule", person.0);
        let current = app.store().visit_schedule(la.id, person).await.unwrap();
        let version = current.as_ref().map(|s| s.version.to_string()).unwrap_or_default();
        let form = [("version", version.as_str()), ("frequency", "weekly"), ("starts_on-day", "2"),
            ("starts_on-month", "11"), ("starts_on-year", "2026")];
        let saved = browser.post(&app, &path, &form).await;
        assert_eq!(location(&saved), format!("/young-people/{}/contacts?saved=schedule", person.0));
        let now = app.store().visit_schedule(la.id, person).await.unwrap().unwrap();
        assert_eq!(now.schedule.frequency, staying_close_domain::visits::VisitFrequency::Weekly);
        let stale = browser.post(&app, &path, &form).await;
        assert_eq!(stale.status(), 409);
        assert!(stale.text().await.unwrap().contains("Someone else changed the visit schedule"));
    }

    async fn residential_staff_record_time_only_with_young_people_shared_with_them(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let kevin = app.staff(RESIDENTIAL).await;
        let cohort = app.store().cohort(la.id).await.unwrap();
        // Kevin is the trusted adult allocated to some young people; `other` is not one of them.
        let mut other = None;
        for line in &cohort[1..] {
            let allocations = app.store().allocations(la.id, line.id).await.unwrap();
            if !allocations.current().any(|a| a.staff == kevin.id) {
                other = Some(line.id);
                break;
            }
        }
        let (shared, other) = (cohort[0].id, other.unwrap());
        app.store().share_young_person(la.id, shared, kevin.id, &staying_close_store::Actor::System("test")).await.unwrap();
        let browser = app.session(&kevin).await;
        let t = today();
        let (day, month, year) = (t.format("%-d").to_string(), t.format("%-m").to_string(), t.format("%Y").to_string());
        let me = kevin.id.0.to_string();
        let form = [("kind", "trusted_person"), ("date-day", day.as_str()), ("date-month", month.as_str()),
            ("date-year", year.as_str()), ("duration", "60"), ("staff", me.as_str())];
        let ok = browser.post(&app, &format!("/young-people/{}/contacts", shared.0), &form).await;
        assert_eq!(ok.status(), 303);
        let refused = browser.post(&app, &format!("/young-people/{}/contacts", other.0), &form).await;
        assert_eq!(refused.status(), 404);
    }

    async fn the_journey_shows_care_milestones_contacts_and_crises_and_filters_by_kind(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let team = Viewer::whole_la(la.id);
        let crisis = app.store().open_follow_ups(&team, Caseload::Team).await.unwrap().remove(0);
        let manager = app.session(&app.staff(MANAGER).await).await;
        let path = format!("/young-people/{}/journey", crisis.young_person.0);
        let page = manager.get(&app, &path).await.text().await.unwrap();
        for words in ["Came into care", "18th birthday", "Started Staying Close", "Plan agreed", "Home visit", "Crisis response", &crisis.action] {
            assert!(page.contains(words), "{words}");
        }
        let crises = manager.get(&app, &format!("{path}?show=crisis")).await.text().await.unwrap();
        assert!(crises.contains(&crisis.action));
        assert!(!crises.contains("18th birthday") && !crises.contains(">Home visit <"), "only crises");
        let plans = manager.get(&app, &format!("{path}?show=plan")).await.text().await.unwrap();
        assert!(plans.contains("Plan agreed") && !plans.contains(&crisis.action), "only plan versions");
        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        assert_eq!(outsider.get(&app, &path).await.status(), 404);
    }

    async fn a_personal_calendar_link_lists_due_visits_until_it_is_stopped(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let adviser = app.staff(ADVISER).await;
        let browser = app.session(&adviser).await;
        let page = browser.post(&app, "/account/calendar", &[]).await.text().await.unwrap();
        assert!(page.contains("Your calendar link"), "{page}");
        let link = page.split("<code class=\"app-secret\">").nth(1).and_then(|r| r.split('<').next()).unwrap().to_owned();
        let path = link.split_once("/calendar/").map(|(_, t)| format!("/calendar/{t}")).unwrap();
        assert!(path.ends_with(".ics") && path.len() > 50, "an unguessable link: {path}");
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/calendar; charset=utf-8");
        let ics = response.text().await.unwrap();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
        let team = Viewer::whole_la(la.id);
        let mine = app.store().visits_due(&team, Caseload::Of(adviser.id), today() + chrono::Duration::days(60)).await.unwrap();
        let reviews = app.store().plan_reviews_due(&team, Caseload::Of(adviser.id), today() + chrono::Duration::days(60)).await.unwrap();
        assert!(!reviews.is_empty(), "the demo adviser has plan reviews coming up");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), mine.len() + reviews.len(), "one event per visit and per plan review due in their caseload");
        assert!(ics.contains("SUMMARY:Home visit") && ics.contains("SUMMARY:Plan review"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "folded: {line}");
        }
        let reads = app.store().audit_search(la.id, &AuditFilter { action: Some("view_list".into()), ..Default::default() }, 20).await.unwrap();
        assert!(reads.iter().any(|e| e.details["via"] == "calendar" && e.actor_staff_id == Some(adviser.id.0)), "read as its owner");
        // Stopped: the link is gone.
        assert_eq!(browser.post(&app, "/account/calendar/revoke", &[]).await.status(), 303);
        assert_eq!(app.get(&path).await.status(), 404);
        assert_eq!(app.get("/calendar/cal_guess.ics").await.status(), 404);
    }
}
