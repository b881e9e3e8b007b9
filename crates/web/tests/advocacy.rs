//! Advocacy referrals: recorded with each bad field named, closed with an
//! outcome from the version shown (a stale change refused), on the Journey,
//! and other LAs kept out.

mod common;

use common::{location, spawn_demo};

const ADVISER: &str = "daniel.okafor@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

both_backends! {
    async fn a_referral_is_recorded_closed_from_its_version_and_kept_in_its_la(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let adviser = app.staff(ADVISER).await;
        let person = app.store().cohort(la.id).await.unwrap().into_iter().find(|r| r.adviser_id == Some(adviser.id)).unwrap().id;
        let browser = app.session(&adviser).await;
        let path = format!("/young-people/{}/advocacy", person.0);
        let bad = browser.post(&app, &path, &[("provider", "Local advocacy"), ("kind", "loud")]).await;
        assert_eq!(bad.status(), 422);
        let text = bad.text().await.unwrap();
        assert!(text.contains("Choose instructed or non-instructed") && text.contains("Enter the issue") && text.contains("Local advocacy"));
        let form = [("provider", "Local advocacy"), ("kind", "instructed"), ("issue", "Wants a say in where they live"),
            ("referred_on-day", "2"), ("referred_on-month", "11"), ("referred_on-year", "2026")];
        assert_eq!(location(&browser.post(&app, &path, &form).await), format!("{path}?saved=referred"));
        let saved = app.store().advocacy_referrals(la.id, person).await.unwrap();
        let r = saved.iter().find(|r| r.referral.issue == "Wants a say in where they live").unwrap();
        let (id, version) = (r.id.to_string(), r.version.to_string());
        let mut close = form.to_vec();
        close.extend([("referral", id.as_str()), ("version", version.as_str()), ("closed_on-day", "20"), ("closed_on-month", "11"), ("closed_on-year", "2026"), ("outcome", "Moved nearer college")]);
        assert_eq!(location(&browser.post(&app, &path, &close).await), format!("{path}?saved=changed"));
        assert_eq!(browser.post(&app, &path, &close).await.status(), 409, "the same form again is stale");
        let journey = browser.get(&app, &format!("/young-people/{}/journey?show=support", person.0)).await.text().await.unwrap();
        assert!(journey.contains("Referred for instructed advocacy") && journey.contains("Moved nearer college"));
        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        assert_eq!(outsider.get(&app, &path).await.status(), 404);
        assert_eq!(outsider.post(&app, &path, &form).await.status(), 404);
    }
}
