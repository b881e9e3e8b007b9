//! Allocation of workers: a manager reallocates a personal adviser with the
//! history kept, adds and ends other workers, and is stopped by a worker who
//! does not suit the part or by a stale form; others are kept out.

mod common;

use common::{location, spawn_demo};
use staying_close_domain::roles::Role;
use staying_close_store::YoungPersonId;

const MANAGER: &str = "helen.crossley@demo-borough.example";
const ADVISER: &str = "daniel.okafor@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

fn today() -> chrono::NaiveDate {
    staying_close_domain::dates::uk_today()
}

fn parts(d: chrono::NaiveDate) -> (String, String, String) {
    (d.format("%-d").to_string(), d.format("%-m").to_string(), d.format("%Y").to_string())
}

fn stamp(page: &str) -> String {
    page.split("name=\"stamp\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}

async fn daniels_young_person(app: &common::TestApp) -> YoungPersonId {
    let la = app.la("990").await;
    let adviser = app.staff(ADVISER).await;
    app.store().cohort(la.id).await.unwrap().into_iter().find(|r| r.adviser_id == Some(adviser.id)).unwrap().id
}

both_backends! {
    async fn a_manager_reallocates_the_personal_adviser_and_the_history_is_kept(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let person = daniels_young_person(&app).await;
        let manager = app.session(&app.staff(MANAGER).await).await;
        let path = format!("/young-people/{}/workers", person.0);
        let page = manager.get(&app, &path).await.text().await.unwrap();
        assert!(page.contains("Working with them now") && page.contains("Daniel Okafor"));
        let staff = app.store().list_staff(la.id).await.unwrap();
        let other = staff.iter().find(|s| s.role == Role::PersonalAdviser && s.email.as_str() != ADVISER && s.active).unwrap();
        let (day, month, year) = parts(today());
        let other_id = other.id.0.to_string();
        let saved = manager
            .post(&app, &path, &[("stamp", &stamp(&page)), ("role", "personal_adviser"), ("staff", &other_id),
                ("from-day", &day), ("from-month", &month), ("from-year", &year), ("reason", "Daniel is going on leave")])
            .await;
        assert_eq!(location(&saved), format!("{path}?saved=allocated"));
        let record = app.store().young_person_for(&staying_close_store::Viewer::whole_la(la.id), person).await.unwrap();
        assert_eq!(record.personal_adviser, Some(other.id), "the record's adviser moves with the allocation");
        let page = manager.get(&app, &format!("{path}?saved=allocated")).await.text().await.unwrap();
        assert!(page.contains("Allocation saved."));
        let history = page.split(">Before</h2>").nth(1).unwrap();
        assert!(history.contains("Daniel Okafor") && history.contains("Daniel is going on leave"), "the old adviser, and why: {history}");
        let events = app.store().audit_events(la.id, 50).await.unwrap();
        assert!(events.iter().any(|e| e.action == "allocate" && e.entity_id == Some(person.0)));

        // The same form again is stale: refused, nothing changes.
        let stale = manager
            .post(&app, &path, &[("stamp", &stamp(&page).replace('-', "+")), ("role", "eet"), ("staff", &other_id),
                ("from-day", &day), ("from-month", &month), ("from-year", &year)])
            .await;
        assert_eq!(stale.status(), 422, "a personal adviser is not an EET worker");
        assert!(stale.text().await.unwrap().contains("cannot be their education, employment and training worker: their role is personal adviser"));
        let daniel = app.staff(ADVISER).await.id.0.to_string();
        let stale = manager
            .post(&app, &path, &[("stamp", "0-0-0-0"), ("role", "personal_adviser"), ("staff", &daniel),
                ("from-day", &day), ("from-month", &month), ("from-year", &year)])
            .await;
        assert_eq!(stale.status(), 409);
        assert!(stale.text().await.unwrap().contains("Someone else changed who works with them"));
    }

    async fn other_workers_are_added_and_ended(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let person = daniels_young_person(&app).await;
        let manager = app.session(&app.staff(MANAGER).await).await;
        let path = format!("/young-people/{}/workers", person.0);
        let staff = app.store().list_staff(la.id).await.unwrap();
        let nurse = staff.iter().find(|s| s.role == Role::Nurse).unwrap().id.0.to_string();
        let (day, month, year) = parts(today());
        let page = manager.get(&app, &path).await.text().await.unwrap();
        let saved = manager
            .post(&app, &path, &[("stamp", &stamp(&page)), ("role", "nurse"), ("staff", &nurse),
                ("from-day", &day), ("from-month", &month), ("from-year", &year)])
            .await;
        assert_eq!(saved.status(), 303);
        let allocations = app.store().allocations(la.id, person).await.unwrap();
        assert!(allocations.holder(staying_close_domain::allocation::WorkerRole::Nurse).is_some());
        let page = manager.get(&app, &path).await.text().await.unwrap();
        let ended = manager
            .post(&app, &format!("{path}/end"), &[("stamp", &stamp(&page)), ("part", "nurse"),
                ("end_on-day", &day), ("end_on-month", &month), ("end_on-year", &year), ("end_reason", "Registered with a GP now")])
            .await;
        assert_eq!(location(&ended), format!("{path}?saved=ended"));
        let allocations = app.store().allocations(la.id, person).await.unwrap();
        assert!(allocations.holder(staying_close_domain::allocation::WorkerRole::Nurse).is_none());
        let page = manager.get(&app, &path).await.text().await.unwrap();
        assert!(page.contains("Registered with a GP now"));
        // Nothing chosen: each field named.
        let bad = manager.post(&app, &format!("{path}/end"), &[("stamp", &stamp(&page))]).await;
        assert_eq!(bad.status(), 422);
        assert!(bad.text().await.unwrap().contains("Choose which allocation ends"));
    }

    async fn advisers_and_other_las_cannot_allocate(backend) {
        let app = spawn_demo(backend).await;
        let person = daniels_young_person(&app).await;
        let path = format!("/young-people/{}/workers", person.0);
        let adviser = app.session(&app.staff(ADVISER).await).await;
        let page = adviser.get(&app, &path).await.text().await.unwrap();
        assert!(page.contains("Working with them now") && !page.contains("Allocate someone"), "they see, but cannot allocate");
        assert_eq!(adviser.post(&app, &path, &[("role", "nurse")]).await.status(), 403);
        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        assert_eq!(outsider.get(&app, &path).await.status(), 404);
        assert_eq!(outsider.post(&app, &path, &[("role", "nurse")]).await.status(), 404);
    }
}
