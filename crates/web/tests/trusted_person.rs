//! The Trusted Person scheme: a nomination recorded with each bad field
//! named, agreed and reviewed three months on, a stale change refused, the
//! team's matches this year counted, the Journey, and other LAs kept out.

mod common;

use common::{location, spawn_demo};

const ADVISER: &str = "daniel.okafor@demo-borough.example";
const MANAGER: &str = "helen.crossley@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

fn today() -> chrono::NaiveDate {
    staying_close_domain::dates::uk_today()
}

fn date_fields(prefix: &str, d: chrono::NaiveDate) -> [(String, String); 3] {
    [
        (format!("{prefix}-day"), d.format("%-d").to_string()),
        (format!("{prefix}-month"), d.format("%-m").to_string()),
        (format!("{prefix}-year"), d.format("%Y").to_string()),
    ]
}

both_backends! {
    async fn a_nomination_becomes_a_match_and_a_stale_change_is_refused(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let adviser = app.staff(ADVISER).await;
        let person = app.store().cohort(la.id).await.unwrap().into_iter().find(|r| r.adviser_id == Some(adviser.id)).unwrap().id;
        let browser = app.session(&adviser).await;
        let path = format!("/young-people/{}/trusted-person", person.0);
        let manager = app.session(&app.staff(MANAGER).await).await;
        let team_before = manager.get(&app, "/team").await.text().await.unwrap();

        let bad = browser.post(&app, &path, &[("name", ""), ("role", "friend"), ("note", "Met at Oak Lodge")]).await;
        assert_eq!(bad.status(), 422);
        let text = bad.text().await.unwrap();
        assert!(text.contains("Enter the trusted person") && text.contains("s name</a>"), "the name is asked for");
        assert!(text.contains("Choose who they are to the young person") && text.contains("Enter the date of nomination") && text.contains("Met at Oak Lodge"));

        let t = today();
        let mut form: Vec<(String, String)> = vec![("name".into(), "Alex Brennan".into()), ("role".into(), "teacher".into())];
        form.extend(date_fields("nominated_on", t));
        form.extend(date_fields("agreed_on", t));
        let fields: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(location(&browser.post(&app, &path, &fields).await), format!("{path}?saved=nominated"));
        let saved = app.store().trusted_matches(la.id, person).await.unwrap();
        let m = saved.iter().find(|m| m.trusted.name == "Alex Brennan").unwrap();
        assert_eq!(m.trusted.next_review_on, Some(t + chrono::Months::new(3)), "reviewed three months after agreement");

        // Ending it, from the version shown.
        let mut end = form.clone();
        end.extend([("match".into(), m.id.to_string()), ("version".into(), m.version.to_string()), ("end_reason".into(), "young_person_chose".into())]);
        end.extend(date_fields("ended_on", t));
        let fields: Vec<(&str, &str)> = end.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(location(&browser.post(&app, &path, &fields).await), format!("{path}?saved=changed"));
        // The same form again is stale.
        let stale = browser.post(&app, &path, &fields).await;
        assert_eq!(stale.status(), 409);
        assert!(stale.text().await.unwrap().contains("Someone else changed this match"));
        let after = app.store().trusted_matches(la.id, person).await.unwrap();
        let m2 = after.iter().find(|x| x.id == m.id).unwrap();
        assert_eq!((m2.trusted.ended_on, m2.version), (Some(t), m.version + 1));

        let journey = browser.get(&app, &format!("/young-people/{}/journey?show=support", person.0)).await.text().await.unwrap();
        assert!(journey.contains("Trusted person match agreed") && journey.contains("Alex Brennan (teacher): the young person chose to end it"));
        let team = manager.get(&app, "/team").await.text().await.unwrap();
        let count = |page: &str| -> u64 {
            let at = page.find("Trusted Person scheme: ").unwrap() + "Trusted Person scheme: ".len();
            page[at..].split(' ').next().unwrap().parse().unwrap()
        };
        assert_eq!(count(&team), count(&team_before) + 1, "this year's matches count the new one");

        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        assert_eq!(outsider.get(&app, &path).await.status(), 404);
        assert_eq!(outsider.post(&app, &path, &fields).await.status(), 404);
        assert_eq!(app.store().trusted_matches(la.id, person).await.unwrap().len(), after.len());
    }
}
