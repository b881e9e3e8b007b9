//! Health and emotional health are special-category data: only the roles
//! with view_health see them (not housing, EET, residential staff or
//! administrators), only record_health roles change them, every read is
//! audited, and the Journey shows them only to those who may see them.

mod common;

use common::{location, spawn_demo};

const NURSE: &str = "grace.mensah@demo-borough.example";
const ADVISER: &str = "daniel.okafor@demo-borough.example";
const HOUSING: &str = "tom.ashworth@demo-borough.example";
const ADMIN: &str = "alison.marsh@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

both_backends! {
    async fn only_health_roles_see_and_change_health_records(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let adviser = app.staff(ADVISER).await;
        let person = app.store().cohort(la.id).await.unwrap().into_iter().find(|r| r.adviser_id == Some(adviser.id)).unwrap().id;
        let path = format!("/young-people/{}/health", person.0);
        let nurse = app.session(&app.staff(NURSE).await).await;
        let page = nurse.get(&app, &path).await.text().await.unwrap();
        assert!(page.contains("Health and emotional health") && page.contains("Record a session or contact"));

        let bad = nurse.post(&app, &format!("{path}/sessions"), &[("session-minutes", "0"), ("session-note", "Talked about sleep")]).await;
        assert_eq!(bad.status(), 422);
        let text = bad.text().await.unwrap();
        assert!(text.contains("Choose who the session was with") && text.contains("Minutes must be a whole number") && text.contains("Talked about sleep"));
        let session = [("session-on-day", "30"), ("session-on-month", "11"), ("session-on-year", "2026"), ("session-kind", "nurse"), ("session-minutes", "45"), ("session-note", "Talked about sleep")];
        assert_eq!(location(&nurse.post(&app, &format!("{path}/sessions"), &session).await), format!("{path}?saved=session"));
        let referral = [("pathway", "neurodiversity"), ("referred_on-day", "30"), ("referred_on-month", "11"), ("referred_on-year", "2026"), ("status", "waiting")];
        assert_eq!(location(&nurse.post(&app, &format!("{path}/referrals"), &referral).await), format!("{path}?saved=referral"));
        let records = app.store().health_records(la.id, person).await.unwrap();
        assert!(records.sessions.iter().any(|(_, s, _)| s.note.as_deref() == Some("Talked about sleep")));

        // The adviser sees but cannot change; housing and administrators see nothing.
        let pa = app.session(&adviser).await;
        assert_eq!(pa.get(&app, &path).await.status(), 200);
        assert_eq!(pa.post(&app, &format!("{path}/sessions"), &session).await.status(), 403);
        let housing = app.session(&app.staff(HOUSING).await).await;
        assert_eq!(housing.get(&app, &path).await.status(), 403);
        let record = housing.get(&app, &format!("/young-people/{}", person.0)).await.text().await.unwrap();
        assert!(!record.contains(&format!("{path}\"")), "no link to health for housing");
        let journey = housing.get(&app, &format!("/young-people/{}/journey?show=support", person.0)).await.text().await.unwrap();
        assert!(!journey.contains("Care-leaver nurse contact") && !journey.contains("Referred to neurodiversity"), "not on housing's Journey");
        let pa_journey = pa.get(&app, &format!("/young-people/{}/journey?show=support", person.0)).await.text().await.unwrap();
        assert!(pa_journey.contains("Care-leaver nurse contact") && pa_journey.contains("Referred to neurodiversity assessment"));
        let admin = app.session(&app.staff(ADMIN).await).await;
        assert_eq!(admin.get(&app, &path).await.status(), 403);

        // Every read is audited; the note never reaches the audit trail.
        let events = app.store().audit_events(la.id, 10_000).await.unwrap();
        assert!(events.iter().any(|e| e.entity_type == "health" && e.action == "view_list"));
        assert!(!events.iter().any(|e| e.details.to_string().contains("Talked about sleep")));

        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        assert_eq!(outsider.get(&app, &path).await.status(), 404);
    }
}
