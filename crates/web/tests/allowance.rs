//! The activities allowance: balances for the month and the financial year
//! in pence, an overspend warning, spending recorded with each bad field
//! named, team totals, and other LAs kept out.

mod common;

use common::{location, spawn_demo};
use staying_close_domain::allowance::{financial_year_start, month_start};
use staying_close_domain::money::Pence;

const ADVISER: &str = "daniel.okafor@demo-borough.example";
const MANAGER: &str = "helen.crossley@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

fn today() -> chrono::NaiveDate {
    staying_close_domain::dates::uk_today()
}

both_backends! {
    async fn spending_moves_the_balance_and_an_overspend_is_warned(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let adviser = app.staff(ADVISER).await;
        let person = app.store().cohort(la.id).await.unwrap().into_iter().find(|r| r.adviser_id == Some(adviser.id)).unwrap().id;
        let browser = app.session(&adviser).await;
        let path = format!("/young-people/{}/allowance", person.0);
        let spent = |list: &[staying_close_store::StoredSpend], from| Pence(list.iter().filter(|s| s.spend.on >= from).map(|s| s.spend.amount.0).sum());
        let before = app.store().spends(la.id, person, financial_year_start(today()), today()).await.unwrap();
        let month_before = spent(&before, month_start(today()));

        let bad = browser.post(&app, &path, &[("amount", "twelve"), ("note", "Bowling")]).await;
        assert_eq!(bad.status(), 422);
        let text = bad.text().await.unwrap();
        assert!(text.contains("Choose what it was spent on") && text.contains("Enter an amount in pounds and pence") && text.contains("Bowling"));

        let t = today();
        let (d, m, y) = (t.format("%-d").to_string(), t.format("%-m").to_string(), t.format("%Y").to_string());
        // Enough to go over the month's £30 whatever was spent before.
        let amount = Pence(3001);
        let typed = format!("{}.{:02}", amount.0 / 100, amount.0 % 100);
        let saved = browser
            .post(&app, &path, &[("on-day", &d), ("on-month", &m), ("on-year", &y), ("category", "activity"),
                ("amount", &typed), ("note", "Climbing wall")])
            .await;
        assert_eq!(location(&saved), format!("{path}?saved=spend"));
        let after = app.store().spends(la.id, person, financial_year_start(t), t).await.unwrap();
        assert_eq!(spent(&after, month_start(t)), Pence(month_before.0 + amount.0), "pence end to end");
        let page = browser.get(&app, &format!("{path}?saved=spend")).await.text().await.unwrap();
        assert!(page.contains("Spending recorded.") && page.contains("Climbing wall") && page.contains("Overspent"));
        let over = Pence(month_before.0 + amount.0 - 3000);
        assert!(page.contains(&format!("{over} over of £30.00")), "this month's balance in words");

        let journey = browser.get(&app, &format!("/young-people/{}/journey?show=allowance", person.0)).await.text().await.unwrap();
        assert!(journey.contains(&format!("{amount} spent: activity or outing")) && journey.contains("Climbing wall"), "on the Journey");
        let manager = app.session(&app.staff(MANAGER).await).await;
        let team = manager.get(&app, "/team").await.text().await.unwrap();
        assert!(team.contains("Activities allowance in") && team.contains("£30.00 each"));

        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        assert_eq!(outsider.get(&app, &path).await.status(), 404);
        assert_eq!(outsider.post(&app, &path, &[("amount", "5")]).await.status(), 404);
        assert_eq!(app.store().spends(la.id, person, financial_year_start(t), t).await.unwrap().len(), after.len());
    }
}
