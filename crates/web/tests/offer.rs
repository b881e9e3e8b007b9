//! The Local Offer: public without signing in (page and JSON, cacheable, no
//! session lookup, no personal data), 404 for an unknown LA, and kept up to
//! date by the LA administrator with its yearly review.

mod common;

use common::{location, spawn_demo};
use serde_json::Value;

const ADMIN: &str = "alison.marsh@demo-borough.example";
const ADVISER: &str = "daniel.okafor@demo-borough.example";

both_backends! {
    async fn anyone_reads_the_offer_without_signing_in(backend) {
        let app = spawn_demo(backend).await;
        let page = app.get("/offer/990").await;
        assert_eq!(page.status(), 200);
        assert_eq!(page.headers()["cache-control"], "public, max-age=300");
        assert!(page.headers().get("set-cookie").is_none(), "no session, no cookie");
        let html = page.text().await.unwrap();
        for words in ["Local Offer for care leavers", "Demo Borough", "Health and well-being", "Participation in society",
            "Council tax exemption", "Statutory entitlement", "with the help of 3 young people"] {
            assert!(html.contains(words), "{words}");
        }
        assert!(!html.contains("Sign out"));
        let json: Value = app.get("/offer/990.json").await.json().await.unwrap();
        assert_eq!(json["la_code"], "990");
        assert_eq!(json["categories"].as_array().unwrap().len(), 6);
        assert_eq!(json["co_produced_by_young_people"], 3);
        let text = json.to_string();
        let la = app.la("990").await;
        for person in app.store().cohort(la.id).await.unwrap() {
            assert!(!text.contains(person.child_id.as_str()), "no young person's id is published");
        }
        let missing = app.get("/offer/999").await;
        assert_eq!(missing.status(), 404);
        assert!(missing.text().await.unwrap().contains("Page not found"));
        assert_eq!(app.get("/offer/nonsense.json").await.status(), 404);
    }

    async fn the_administrator_keeps_the_offer_up_to_date_and_is_reminded_to_review_it(backend) {
        let app = spawn_demo(backend).await;
        let admin = app.session(&app.staff(ADMIN).await).await;
        let page = admin.get(&app, "/settings/offer").await.text().await.unwrap();
        assert!(page.contains("Add an entry") && page.contains("Council tax exemption"));
        let bad = admin.post(&app, "/settings/offer", &[("title", "Bus pass"), ("age_from", "25"), ("age_to", "16")]).await;
        assert_eq!(bad.status(), 422);
        let text = bad.text().await.unwrap();
        assert!(text.contains("Choose the category it belongs in") && text.contains("The oldest age must be") && text.contains("Bus pass"));
        let added = admin
            .post(&app, "/settings/offer", &[("title", "Bus pass"), ("category", "participation"), ("kind", "additional"),
                ("description", "Free travel on buses in the borough"), ("age_from", "16"), ("age_to", "21"),
                ("how_to_get", "Ask your personal adviser")])
            .await;
        assert_eq!(location(&added), "/settings/offer?saved=added");
        assert!(app.get("/offer/990").await.text().await.unwrap().contains("Free travel on buses in the borough"));
        let la = app.la("990").await;
        let entry = app.store().offer_items(la.id).await.unwrap().into_iter().find(|i| i.item.title == "Bus pass").unwrap();
        let path = format!("/settings/offer/{}", entry.id);
        let version = entry.version.to_string();
        let form = [("version", version.as_str()), ("title", "Bus pass"), ("category", "participation"), ("kind", "additional"),
            ("description", "Free travel on buses and trams"), ("age_from", "16"), ("age_to", "25"), ("how_to_get", "Ask")];
        assert_eq!(location(&admin.post(&app, &path, &form).await), "/settings/offer?saved=changed");
        let stale = admin.post(&app, &path, &form).await;
        assert_eq!(stale.status(), 409, "a second save from the same form is stale");
        assert_eq!(location(&admin.post(&app, &format!("{path}/remove"), &[]).await), "/settings/offer?saved=removed");
        assert!(!app.get("/offer/990").await.text().await.unwrap().contains("Bus pass"));

        // The review: child IDs name who helped; unknown ones are named back.
        let child = app.store().cohort(la.id).await.unwrap()[0].child_id.as_str().to_owned();
        let t = staying_close_domain::dates::uk_today();
        let (d, m, y) = (t.format("%-d").to_string(), t.format("%-m").to_string(), t.format("%Y").to_string());
        let next = t + chrono::Duration::days(300);
        let (nd, nm, ny) = (next.format("%-d").to_string(), next.format("%-m").to_string(), next.format("%Y").to_string());
        let typed = format!("{child}, NOSUCH1");
        let review = [("reviewed_on-day", d.as_str()), ("reviewed_on-month", m.as_str()), ("reviewed_on-year", y.as_str()),
            ("next_review_on-day", nd.as_str()), ("next_review_on-month", nm.as_str()), ("next_review_on-year", ny.as_str()),
            ("co_produced_with", typed.as_str())];
        let refused = admin.post(&app, "/settings/offer/review", &review).await;
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("No young person has the child ID NOSUCH1"));
        let mut fixed = review.to_vec();
        fixed[6] = ("co_produced_with", child.as_str());
        assert_eq!(location(&admin.post(&app, "/settings/offer/review", &fixed).await), "/settings/offer?saved=review");
        let latest = app.store().latest_offer_review(la.id).await.unwrap().unwrap();
        assert_eq!((latest.reviewed_on, latest.co_producers), (t, 1));

        // Second Demo's review is overdue: its administrator is reminded on Home.
        let second = app.la("991").await;
        let admin2 = app.store().list_staff(second.id).await.unwrap().into_iter()
            .find(|s| s.role == staying_close_domain::roles::Role::LaAdmin).unwrap();
        let home = app.session(&admin2).await.get(&app, "/home").await.text().await.unwrap();
        assert!(home.contains("The Local Offer&#39;s review is overdue") || home.contains("The Local Offer's review is overdue"), "{home}");
        // Another LA's entry is not theirs to change; a practitioner cannot change the offer at all.
        let other_entry = app.store().offer_items(second.id).await.unwrap()[0].id;
        assert_eq!(admin.get(&app, &format!("/settings/offer/{other_entry}")).await.status(), 404);
        let adviser = app.session(&app.staff(ADVISER).await).await;
        assert_eq!(adviser.get(&app, "/settings/offer").await.status(), 403);
    }
}
