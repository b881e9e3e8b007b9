//! The cohort list: scoped, filtered and sorted on the server.

mod common;

use common::spawn_demo;

fn ages(html: &str) -> Vec<u32> {
    // The age is the third cell of each body row.
    html.split("<tr class=\"govuk-table__row\">")
        .skip(2)
        .filter_map(|row| row.split("<td class=\"govuk-table__cell").nth(3))
        .filter_map(|cell| cell.split_once('>').map(|(_, rest)| rest))
        .filter_map(|cell| cell.split('<').next())
        .filter_map(|age| age.trim().parse().ok())
        .collect()
}

both_backends! {
    async fn the_list_sorts_by_any_column_both_ways(backend) {
        let app = spawn_demo(backend).await;
        let manager = app.session(&app.staff("helen.crossley@demo-borough.example").await).await;
        let up = manager.get(&app, "/young-people?sort=age&order=ascending").await.text().await.unwrap();
        let down = manager.get(&app, "/young-people?sort=age&order=descending").await.text().await.unwrap();
        let (up, down) = (ages(&up), ages(&down));
        assert_eq!(up.len(), 35);
        assert!(up.windows(2).all(|w| w[0] <= w[1]), "{up:?}");
        assert!(down.windows(2).all(|w| w[0] >= w[1]), "{down:?}");
        let page = manager.get(&app, "/young-people?sort=age&order=descending").await.text().await.unwrap();
        assert!(page.contains("aria-sort=\"descending\""));
        let link = page.split("app-sort-link\" href=\"").nth(2).and_then(|h| h.split('"').next()).unwrap_or_default().to_owned();
        assert!(link.contains("sort=age") && link.contains("order=ascending"), "the header link flips the order: {link}");
        // Unknown sort keys fall back to names, never an error.
        assert!(manager.get(&app, "/young-people?sort=drop%20table").await.status().is_success());
    }

    async fn the_eligible_filter_keeps_the_sort(backend) {
        let app = spawn_demo(backend).await;
        let manager = app.session(&app.staff("helen.crossley@demo-borough.example").await).await;
        let page = manager.get(&app, "/young-people?show=eligible&sort=age&order=descending").await.text().await.unwrap();
        assert!(page.contains("Showing 32 of 35"), "the 32 in the cohort are eligible, the 3 referrals are not");
        assert!(!page.contains("govuk-tag--grey\">Not eligible<"));
        assert!(page.contains("name=\"sort\" value=\"age\""), "the filter form carries the sort");
    }

    async fn search_and_the_overdue_and_crisis_filters_find_the_right_young_people(backend) {
        use staying_close_store::{Caseload, Viewer};
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let manager = app.session(&app.staff("helen.crossley@demo-borough.example").await).await;
        let cohort = app.store().cohort(la.id).await.unwrap();
        let someone = &cohort[3];
        let surname = someone.name.clone().unwrap().split(' ').next_back().unwrap().to_owned();
        let page = manager.get(&app, &format!("/young-people?q={}", surname.to_lowercase())).await.text().await.unwrap();
        assert!(page.contains(&format!("/young-people/{}\"", someone.id.0)), "found by surname, any case");
        let page = manager.get(&app, &format!("/young-people?q={}", someone.child_id)).await.text().await.unwrap();
        assert!(page.contains("Showing 1 of 35"), "found by child ID");

        let today = staying_close_domain::dates::uk_today();
        let team = Viewer::whole_la(la.id);
        let overdue: Vec<_> = app.store().visits_due(&team, Caseload::Team, today - chrono::Duration::days(1)).await.unwrap();
        assert!(!overdue.is_empty());
        let page = manager.get(&app, "/young-people?overdue=yes").await.text().await.unwrap();
        assert!(page.contains(&format!("Showing {} of 35", overdue.len())), "every overdue visit and no other");
        for v in &overdue {
            assert!(page.contains(&format!("/young-people/{}\"", v.young_person.0)));
        }
        let crises = app.store().open_follow_ups(&team, Caseload::Team).await.unwrap();
        let page = manager.get(&app, "/young-people?crisis=yes&sort=visit").await.text().await.unwrap();
        for f in &crises {
            assert!(page.contains(&format!("/young-people/{}\"", f.young_person.0)));
        }
        assert!(page.contains("In crisis"));
        let sort_link = page.split("app-sort-link\" href=\"").nth(1).and_then(|h| h.split('"').next()).unwrap_or_default().to_owned();
        assert!(sort_link.contains("crisis=yes"), "sorting keeps the filters: {sort_link}");
    }
}
