//! Young parents: a child and support recorded by practitioners; child
//! protection plans and entries to care prevented only by a team manager,
//! with a note; on the Journey; other LAs kept out.

mod common;

use common::{location, spawn_demo};

const ADVISER: &str = "daniel.okafor@demo-borough.example";
const MANAGER: &str = "helen.crossley@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

both_backends! {
    async fn only_a_manager_records_an_entry_to_care_prevented(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let adviser = app.staff(ADVISER).await;
        let person = app.store().cohort(la.id).await.unwrap().into_iter().find(|r| r.adviser_id == Some(adviser.id)).unwrap().id;
        let base = format!("/young-people/{}/parenting", person.0);
        let pa = app.session(&adviser).await;
        let before = app.store().parent_records(la.id, person).await.unwrap();

        let bad = pa.post(&app, &format!("{base}/children"), &[("known_as", "Mia")]).await;
        assert_eq!(bad.status(), 422);
        let text = bad.text().await.unwrap();
        assert!(text.contains("Enter the date of birth, or the due date") && text.contains("Choose whether the child lives with them") && text.contains("Mia"));
        let child = [("known_as", "Mia"), ("due_on-day", "1"), ("due_on-month", "5"), ("due_on-year", "2027"), ("lives_with_parent", "yes")];
        assert_eq!(location(&pa.post(&app, &format!("{base}/children"), &child).await), format!("{base}?saved=child"));
        let support = [("support-on-day", "20"), ("support-on-month", "11"), ("support-on-year", "2026"), ("support-kind", "antenatal"), ("support-note", "Scan")];
        assert_eq!(location(&pa.post(&app, &format!("{base}/support"), &support).await), format!("{base}?saved=support"));

        let outcome = [("outcome-on-day", "25"), ("outcome-on-month", "11"), ("outcome-on-year", "2026"), ("outcome-kind", "entry_prevented"), ("outcome-note", "Stayed at home with daily support")];
        assert_eq!(pa.post(&app, &format!("{base}/outcomes"), &outcome).await.status(), 403, "an adviser may not record it");
        let manager = app.session(&app.staff(MANAGER).await).await;
        let no_note = manager.post(&app, &format!("{base}/outcomes"), &outcome[..4]).await;
        assert_eq!(no_note.status(), 422);
        assert!(no_note.text().await.unwrap().contains("Enter a note of what happened and why"));
        assert_eq!(location(&manager.post(&app, &format!("{base}/outcomes"), &outcome).await), format!("{base}?saved=outcome"));

        let after = app.store().parent_records(la.id, person).await.unwrap();
        assert_eq!(after.children.len(), before.children.len() + 1);
        assert_eq!(after.outcomes.len(), before.outcomes.len() + 1);
        let journey = pa.get(&app, &format!("/young-people/{}/journey?show=support", person.0)).await.text().await.unwrap();
        assert!(journey.contains("Entry to care prevented") && journey.contains("Parenting support: antenatal appointments"));

        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        assert_eq!(outsider.get(&app, &base).await.status(), 404);
        assert_eq!(outsider.post(&app, &format!("{base}/outcomes"), &outcome).await.status(), 404);
        assert_eq!(app.store().parent_records(la.id, person).await.unwrap().outcomes.len(), after.outcomes.len());
    }
}
