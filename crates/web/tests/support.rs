//! Statutory staying close support (s.23CZAA): who is owed an assessment
//! once the LA's duty has started, recording one, tagging contacts with the
//! statute's areas and forms, and an LA with no duty yet seeing none of it.

mod common;

use common::{location, spawn_demo};
use staying_close_domain::eligibility::{assess, CareLeaverStatus, Rules};
use staying_close_store::{Caseload, CohortQuery, Viewer, YoungPersonId};

const MANAGER: &str = "helen.crossley@demo-borough.example";
const ADVISER: &str = "daniel.okafor@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

fn today() -> chrono::NaiveDate {
    staying_close_domain::dates::uk_today()
}

both_backends! {
    async fn former_relevant_children_under_25_are_owed_an_assessment_and_one_is_recorded(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        assert!(la.staying_close_duty_from.is_some(), "the demo LA sets the duty's start date");
        let team = Viewer::whole_la(la.id);
        app.store().refresh_cohort_facts(la.id, today()).await.unwrap();
        let owed = app.store().assessments_owed(&team, Caseload::Team, today()).await.unwrap();
        assert!(!owed.is_empty(), "some demo young people are owed an assessment");
        // Each is a former relevant child under 25, whatever their programme eligibility.
        for o in &owed {
            let episodes = app.store().episodes(la.id, o.young_person).await.unwrap();
            let facts = assess(o.date_of_birth, &episodes, today(), &Rules::default());
            assert_eq!(facts.care_leaver_status, CareLeaverStatus::FormerRelevant);
        }
        let manager = app.session(&app.staff(MANAGER).await).await;
        let week = manager.get(&app, "/my-week").await.text().await.unwrap();
        assert!(week.contains("Statutory staying close assessments owed"));
        let listed = manager.get(&app, "/young-people?assessment=yes").await.text().await.unwrap();
        let person: YoungPersonId = owed[0].young_person;
        assert!(listed.contains(&format!("/young-people/{}\"", person.0)));

        let path = format!("/young-people/{}/staying-close-support", person.0);
        let page = manager.get(&app, &path).await.text().await.unwrap();
        assert!(page.contains("Owed: they are a former relevant child under 25") && page.contains("Staying Close programme"));
        let bad = manager.post(&app, &path, &[("outcome", "required"), ("their_view", "Help with the council")]).await;
        assert_eq!(bad.status(), 422);
        let text = bad.text().await.unwrap();
        assert!(text.contains("Enter the reasons for the decision") && text.contains("Help with the council"));
        let t = today();
        let me = app.staff(MANAGER).await.id.0.to_string();
        let (day, month, year) = (t.format("%-d").to_string(), t.format("%-m").to_string(), t.format("%Y").to_string());
        let saved = manager
            .post(&app, &path, &[("assessed_on-day", &day), ("assessed_on-month", &month), ("assessed_on-year", &year),
                ("assessed_by", &me), ("outcome", "required"), ("reasons", "Wants help keeping the tenancy"),
                ("their_view", "Help with the council")])
            .await;
        assert_eq!(location(&saved), format!("{path}?saved=assessment"));
        let after = app.store().assessments_owed(&team, Caseload::Team, today()).await.unwrap();
        assert!(!after.iter().any(|o| o.young_person == person), "assessed: no longer owed");
        let filtered = app.store()
            .cohort_page(&team, &CohortQuery { assessment_due: true, per_page: 500, ..CohortQuery::default() }, today())
            .await
            .unwrap();
        assert_eq!(filtered.matching as usize, after.len(), "the cohort filter and My week agree");
        let page = manager.get(&app, &path).await.text().await.unwrap();
        assert!(page.contains("Wants help keeping the tenancy") && page.contains("Staying close support is required"));
    }

    async fn contacts_are_tagged_with_the_statutes_areas_and_forms(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let adviser = app.staff(ADVISER).await;
        let person = app.store().cohort(la.id).await.unwrap().into_iter().find(|r| r.adviser_id == Some(adviser.id)).unwrap().id;
        let browser = app.session(&adviser).await;
        let path = format!("/young-people/{}/contacts", person.0);
        assert!(browser.get(&app, &path).await.text().await.unwrap().contains("Statutory staying close support (optional)"));
        let t = today();
        let (day, month, year) = (t.format("%-d").to_string(), t.format("%-m").to_string(), t.format("%Y").to_string());
        let me = adviser.id.0.to_string();
        let base = [("kind", "housing"), ("date-day", day.as_str()), ("date-month", month.as_str()),
            ("date-year", year.as_str()), ("duration", "40"), ("staff", me.as_str())];
        let mut half = base.to_vec();
        half.push(("support_areas", "accommodation"));
        let refused = browser.post(&app, &path, &half).await;
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("Choose the form the staying close support took"));
        let mut whole = half.clone();
        whole.push(("support_forms", "representations"));
        assert_eq!(browser.post(&app, &path, &whole).await.status(), 303);
        let given = app.store().support_given(la.id, person).await.unwrap();
        let line = given.iter().find(|g| g.area == staying_close_domain::statutory::SupportArea::Accommodation
            && g.form == staying_close_domain::statutory::SupportForm::Representations).unwrap();
        assert!(line.contacts >= 1 && line.minutes >= 40);
        let page = browser.get(&app, &format!("/young-people/{}/staying-close-support", person.0)).await.text().await.unwrap();
        assert!(page.contains("Representations made on their behalf"));
    }

    async fn an_la_without_a_start_date_sees_no_duty(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("991").await;
        assert_eq!(la.staying_close_duty_from, None);
        let person = app.store().cohort(la.id).await.unwrap()[0].id;
        let manager = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        let path = format!("/young-people/{}/staying-close-support", person.0);
        let page = manager.get(&app, &path).await.text().await.unwrap();
        assert!(page.contains("The statutory duty has not started") && !page.contains("Record an assessment"));
        let refused = manager.post(&app, &path, &[("outcome", "required")]).await;
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("The statutory duty has not started for your local authority"));
        assert!(app.store().staying_close_assessments(la.id, person).await.unwrap().is_empty());
        let week = manager.get(&app, "/my-week").await.text().await.unwrap();
        assert!(!week.contains("Statutory staying close assessments"));
        let contacts = manager.get(&app, &format!("/young-people/{}/contacts", person.0)).await.text().await.unwrap();
        assert!(!contacts.contains("Statutory staying close support"));
        // Another LA's young person is not found.
        let demo_person = app.store().cohort(app.la("990").await.id).await.unwrap()[0].id;
        let foreign = manager.get(&app, &format!("/young-people/{}/staying-close-support", demo_person.0)).await;
        assert_eq!(foreign.status(), 404);
    }
}
