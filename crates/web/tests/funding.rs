//! Funding: a year's allocations and spending in pence with what is left,
//! spending outside the year refused with the field named, only managers
//! and administrators see it, and each LA sees its own.

mod common;

use common::{location, spawn_demo};
use staying_close_domain::funding::{balance, FinancialYear};

const MANAGER: &str = "helen.crossley@demo-borough.example";
const ADVISER: &str = "daniel.okafor@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

both_backends! {
    async fn a_years_balance_is_allocations_less_spending(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let manager = app.session(&app.staff(MANAGER).await).await;
        let year = FinancialYear::holding(staying_close_domain::dates::uk_today());
        let page = manager.get(&app, "/funding").await.text().await.unwrap();
        let (grants, spend) = app.store().funding(la.id, year).await.unwrap();
        let g: Vec<_> = grants.into_iter().map(|(_, g)| g).collect();
        let s: Vec<_> = spend.into_iter().map(|(_, s)| s).collect();
        let (_, _, left) = balance(&g, &s);
        assert!(page.contains(&left.to_string()), "remaining {left} shown");

        let path = format!("/funding/spend?year={year}");
        let outside = manager.post(&app, &path, &[("spent_on-day", "1"), ("spent_on-month", "1"), ("spent_on-year", "2020"), ("description", "Minibus"), ("category", "activities"), ("spend-amount", "100")]).await;
        assert_eq!(outside.status(), 422);
        assert!(outside.text().await.unwrap().contains(&format!("The date must be in the financial year {year}")));
        let day = year.first_day();
        let d = (day.format("%-d").to_string(), day.format("%-m").to_string(), day.format("%Y").to_string());
        let saved = manager.post(&app, &path, &[("spent_on-day", &d.0), ("spent_on-month", &d.1), ("spent_on-year", &d.2), ("description", "Minibus"), ("category", "activities"), ("spend-amount", "100.01")]).await;
        assert_eq!(location(&saved), format!("/funding?year={year}&saved=spend"));
        let after = manager.get(&app, &format!("/funding?year={year}")).await.text().await.unwrap();
        let moved = staying_close_domain::money::Pence(left.0 - 10001);
        assert!(after.contains(&moved.to_string()), "remaining falls by £100.01 to {moved}");
        assert_eq!(manager.get(&app, "/funding?year=2026-28").await.status(), 404);

        let adviser = app.session(&app.staff(ADVISER).await).await;
        assert_eq!(adviser.get(&app, "/funding").await.status(), 403);
        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        let theirs = outsider.get(&app, &format!("/funding?year={year}")).await.text().await.unwrap();
        assert!(!theirs.contains("Minibus"), "each LA sees its own");
    }
}
