//! Education, employment and training: an activity recorded closes the open
//! one, the EET rate on a day equals the lists behind it, the API agrees,
//! and other LAs are kept out.

mod common;

use common::{location, spawn_demo};

const ADVISER: &str = "daniel.okafor@demo-borough.example";
const MANAGER: &str = "helen.crossley@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

fn today() -> chrono::NaiveDate {
    staying_close_domain::dates::uk_today()
}

fn count_rows(page: &str, heading: &str) -> usize {
    let start = page.find(&format!(">{heading}</h2>")).unwrap_or_else(|| panic!("no heading {heading}"));
    let rest = &page[start..];
    let end = rest[5..].find("<h2").map(|e| e + 5).unwrap_or(rest.len());
    rest[..end].matches("<tr class=\"govuk-table__row\">").count().saturating_sub(1)
}

both_backends! {
    async fn the_eet_rate_is_the_lists_behind_it_and_moves_when_an_activity_is_recorded(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let manager = app.session(&app.staff(MANAGER).await).await;
        let t = today();
        let page = manager.get(&app, "/eet-rate").await.text().await.unwrap();
        let cohort = app.store().eet_cohort_on(&staying_close_store::Viewer::whole_la(la.id), t).await.unwrap();
        let eet = cohort.iter().filter(|m| m.activity.as_ref().is_some_and(|a| staying_close_domain::eet::is_eet(&a.code) == Some(true))).count();
        let neet = cohort.iter().filter(|m| m.activity.as_ref().is_some_and(|a| staying_close_domain::eet::is_eet(&a.code) == Some(false))).count();
        assert!(eet > 0 && neet > 0, "the demo has both");
        assert_eq!(count_rows(&page, "In education, employment or training"), eet, "the numerator is its list");
        assert_eq!(count_rows(&page, "Not in education, employment or training"), neet);
        let percent = (eet * 200 + (eet + neet)) / (2 * (eet + neet));
        assert!(page.contains(&format!("{percent}% in education, employment or training")));

        // Recording a NEET young person's new apprenticeship moves them into the numerator.
        let adviser = app.staff(ADVISER).await;
        let neet_person = cohort.iter().find(|m| m.activity.as_ref().is_some_and(|a| staying_close_domain::eet::is_eet(&a.code) == Some(false))).unwrap();
        let browser = app.session(&adviser).await;
        let path = format!("/young-people/{}/eet", neet_person.young_person.0);
        let bad = browser.post(&app, &path, &[("code", "0"), ("provider", "Council")]).await;
        assert_eq!(bad.status(), 422);
        assert!(bad.text().await.unwrap().contains("Choose what they are doing"));
        let (d, m, y) = (t.format("%-d").to_string(), t.format("%-m").to_string(), t.format("%Y").to_string());
        let saved = browser.post(&app, &path, &[("code", "F4"), ("provider", "Council"), ("starts_on-day", &d), ("starts_on-month", &m), ("starts_on-year", &y)]).await;
        assert_eq!(location(&saved), format!("{path}?saved=activity"));
        let after = manager.get(&app, "/eet-rate").await.text().await.unwrap();
        assert_eq!(count_rows(&after, "In education, employment or training"), eet + 1);
        // Yesterday's rate has not changed: the NEET activity now ends yesterday.
        let yesterday = (t - chrono::Duration::days(1)).to_string();
        let before = manager.get(&app, &format!("/eet-rate?on={yesterday}")).await.text().await.unwrap();
        assert_eq!(count_rows(&before, "Not in education, employment or training"), neet);

        let owner = app.staff(MANAGER).await;
        let token = app.store().create_api_token(&owner, "eet test", 1, &staying_close_store::Actor::System("test")).await.unwrap().0;
        let api: serde_json::Value = app.client.get(app.url("/api/v1/eet-rate")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(api["in_eet"].as_u64().unwrap() as usize, eet + 1);
        assert_eq!(api["in_eet_ids"].as_array().unwrap().len(), eet + 1);
        let bad = manager.get(&app, "/eet-rate?on-day=31&on-month=2&on-year=2026").await;
        assert_eq!(bad.status(), 422);

        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        assert_eq!(outsider.get(&app, &path).await.status(), 404);
        let theirs = outsider.get(&app, "/eet-rate").await.text().await.unwrap();
        assert!(!theirs.contains(&format!("/young-people/{}/eet", neet_person.young_person.0)), "another LA's rate lists only its own");
    }
}
