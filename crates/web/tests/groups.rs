//! Group activities and participation: an event added with each bad field
//! named, attendance by child ID (unknown IDs named, a stale form refused),
//! attendance on each young person's Journey, forum meetings and
//! involvement on the participation page, and other LAs kept out.

mod common;

use common::{location, spawn_demo};

const ADVISER: &str = "daniel.okafor@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

both_backends! {
    async fn an_event_records_who_came_and_shows_on_their_journeys(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let adviser = app.staff(ADVISER).await;
        let browser = app.session(&adviser).await;
        let list = browser.get(&app, "/groups").await.text().await.unwrap();
        assert!(list.contains("Walking group") && list.contains("Events this financial year"));

        let bad = browser.post(&app, "/groups", &[("title", ""), ("cost", "lots")]).await;
        assert_eq!(bad.status(), 422);
        let text = bad.text().await.unwrap();
        assert!(text.contains("Enter the name of the event") && text.contains("Choose the kind of event"));
        let added = browser.post(&app, "/groups", &[("title", "Bowling"), ("kind", "trip"), ("on-day", "28"), ("on-month", "11"), ("on-year", "2026"), ("cost", "60")]).await;
        let to = location(&added);
        assert!(to.starts_with("/groups/") && to.ends_with("?saved=added"));
        let id: i64 = to.trim_start_matches("/groups/").trim_end_matches("?saved=added").parse().unwrap();

        let cohort = app.store().cohort(la.id).await.unwrap();
        let (a, b) = (&cohort[0], &cohort[1]);
        let path = format!("/groups/{id}/attendance");
        let unknown = browser.post(&app, &path, &[("version", "1"), ("attendees", &format!("{}, ZZ999", a.child_id.as_str()))]).await;
        assert_eq!(unknown.status(), 422);
        assert!(unknown.text().await.unwrap().contains("No young person has the child ID ZZ999"));
        let typed = format!("{} {}", a.child_id.as_str().to_lowercase(), b.child_id.as_str());
        let staff_id = adviser.id.0.to_string();
        let saved = browser.post(&app, &path, &[("version", "1"), ("attendees", &typed), ("staff", &staff_id)]).await;
        assert_eq!(location(&saved), format!("/groups/{id}?saved=attendance"));
        assert_eq!(browser.post(&app, &path, &[("version", "1"), ("attendees", "")]).await.status(), 409, "a stale form is refused");
        let (event, people, staff) = app.store().group_event(&staying_close_store::Viewer::whole_la(la.id), id).await.unwrap().unwrap();
        assert_eq!((event.young_people, people.len(), staff), (2, 2, vec![adviser.id]));
        let journey = browser.get(&app, &format!("/young-people/{}/journey?show=support", a.id.0)).await.text().await.unwrap();
        assert!(journey.contains("Came to Bowling"));

        let participation = browser.get(&app, "/participation").await.text().await.unwrap();
        assert!(participation.contains("Care Leavers") && participation.contains("Forum"));
        let involved = browser.post(&app, "/participation", &[("child_id", a.child_id.as_str()), ("involved_on-day", "1"), ("involved_on-month", "11"), ("involved_on-year", "2026"), ("involvement", "recruitment")]).await;
        assert_eq!(location(&involved), "/participation?saved=involvement");

        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        assert_eq!(outsider.get(&app, &format!("/groups/{id}")).await.status(), 404);
        assert_eq!(outsider.post(&app, &path, &[("version", "2"), ("attendees", "")]).await.status(), 404);
        let theirs = outsider.post(&app, "/participation", &[("child_id", a.child_id.as_str()), ("involved_on-day", "1"), ("involved_on-month", "11"), ("involved_on-year", "2026"), ("involvement", "recruitment")]).await;
        assert_eq!(theirs.status(), 422, "another LA's child ID is not found");
    }
}
