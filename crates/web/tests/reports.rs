//! Impact reporting over HTTP on both backends: each figure on the report
//! links to a list of exactly that many records; downloads are typed,
//! defused and audited; health lists need health access; the national
//! roll-up shows every LA and no child.

mod common;

use common::spawn_demo;
use staying_close_domain::report::{Measure, Period};

const MANAGER: &str = "helen.crossley@demo-borough.example";
const BOARD: &str = "robert.lomax@demo-borough.example";
const ADMIN: &str = "alison.marsh@demo-borough.example";
const ADVISER: &str = "daniel.okafor@demo-borough.example";
const NATIONAL: &str = "priya.raman@programme.example";

/// The figure the report page shows for `key`: the text of its link.
fn figure_on(page: &str, key: &str, query: &str) -> u64 {
    let (from, to) = query.split_once('&').unwrap();
    let href = format!("href=\"/reports/impact/{key}?{from}&#38;{to}\">");
    let start = page.find(&href).unwrap_or_else(|| panic!("no link for {key} in {page}")) + href.len();
    let text: String = page[start..].chars().take_while(|c| *c != '<').collect();
    text.replace(',', "").parse().unwrap()
}

fn count_on(list: &str) -> u64 {
    let start = list.find("data-figure>").unwrap() + "data-figure>".len();
    list[start..].chars().take_while(|c| *c != '<').collect::<String>().replace(',', "").parse().unwrap()
}

both_backends! {
    async fn every_figure_links_to_a_list_of_that_many_records(backend) {
        let app = spawn_demo(backend).await;
        let manager = app.session(&app.staff(MANAGER).await).await;
        let today = staying_close_domain::dates::uk_today();
        let default = Period::last_complete_year(today);
        let page = manager.get(&app, "/reports/impact").await;
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        assert!(page.contains("1 April 2025 to 31 March 2026") || page.contains(&default.from.format("%-d %B %Y").to_string()));
        let query = default.query();
        let mut non_zero = 0;
        for m in Measure::all() {
            let shown = figure_on(&page, &m.key(), &query);
            let list = manager.get(&app, &format!("/reports/impact/{}?{query}", m.key())).await;
            assert_eq!(list.status(), 200, "{m:?}");
            let list = list.text().await.unwrap();
            assert_eq!(count_on(&list), shown, "{m:?}: the list has as many records as the figure");
            let rows = list.matches("<tr class=\"govuk-table__row\">").count() as u64;
            let on_first_page = shown.min(200);
            assert_eq!(rows, if shown == 0 { 0 } else { on_first_page + 1 }, "{m:?}: one table row per record, plus the heading");
            if shown > 200 {
                // The rest are on the following pages.
                let mut seen = on_first_page;
                let mut page = 1;
                while seen < shown {
                    page += 1;
                    let next = manager.get(&app, &format!("/reports/impact/{}?{query}&page={page}", m.key())).await.text().await.unwrap();
                    seen += next.matches("<tr class=\"govuk-table__row\">").count() as u64 - 1;
                }
                assert_eq!(seen, shown, "{m:?}: the pages together hold every record");
                assert_eq!(manager.get(&app, &format!("/reports/impact/{}?{query}&page={}", m.key(), page + 1)).await.status(), 404);
            }
            non_zero += usize::from(shown > 0);
        }
        assert!(non_zero >= 25, "the demo's year fills most of the report ({non_zero} figures above 0)");
        for (id, chart) in [("eet-rate", "EET rate by month"), ("sessions", "Sessions by kind by month"), ("housing", "Housing outcomes")] {
            assert!(page.contains(&format!("<title id=\"{id}-title\">{chart}</title>")), "{chart} has a title");
            assert!(page.contains(&format!("<desc id=\"{id}-desc\">")), "{chart} has a description");
            assert!(page.contains(&format!("<caption class=\"govuk-table__caption govuk-table__caption--s govuk-visually-hidden\">{chart}</caption>")), "{chart} has a table");
        }

        // A period typed wrongly keeps what was typed and names the field.
        let wrong = manager.get(&app, "/reports/impact?from=2026-04-01&to=2026-03-01").await;
        assert_eq!(wrong.status(), 422);
        let wrong = wrong.text().await.unwrap();
        assert!(wrong.contains("href=\"#to\"") || wrong.contains("#to-day"), "the error summary links to the end date");
        assert!(wrong.contains("The end date must be the same as or after the start date"));

        // Five Minute Facts: the same period, in words.
        let facts = manager.get(&app, &format!("/reports/five-minute-facts?{query}")).await.text().await.unwrap();
        let supported = figure_on(&page, "supported", &query);
        assert!(facts.contains(&format!("<span class=\"app-facts__number\">{supported}</span>")));
    }

    async fn downloads_are_typed_defused_and_audited(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let manager_staff = app.staff(MANAGER).await;
        let manager = app.session(&manager_staff).await;
        let today = staying_close_domain::dates::uk_today();
        // A group activity whose title a spreadsheet would run as a formula.
        let event = staying_close_domain::groups::Event {
            title: "=HYPERLINK(\"http://evil.example\")".into(),
            kind: staying_close_domain::groups::EventKind::Trip,
            on: today,
            cost: staying_close_domain::money::Pence(1250),
            topics: None,
            actions: None,
        };
        app.store().save_group_event(la.id, None, &event, None, &staying_close_store::Actor::System("test")).await.unwrap();
        let query = format!("from={}&to={}", today - chrono::Duration::days(30), today);
        let csv = manager.get(&app, &format!("/reports/impact/group-events/download?{query}&format=csv")).await;
        assert_eq!(csv.status(), 200);
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let csv = csv.text().await.unwrap();
        assert!(csv.starts_with("\"Young person\",\"Child ID\",\"Date\",\"Details\",\"Record\",\"Amount\""));
        assert!(csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\")\""), "the formula is defused: {csv}");
        assert!(csv.contains("\"12.50\""), "money in pounds");
        let xlsx = manager.get(&app, &format!("/reports/impact/download?{query}&format=xlsx")).await;
        assert_eq!(xlsx.status(), 200);
        assert_eq!(xlsx.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        let workbook = xlsx.bytes().await.unwrap();
        assert_eq!(&workbook[..2], b"PK");
        let spends = manager.get(&app, &format!("/reports/impact/activity-spends/download?from={}&to={today}&format=xlsx", today - chrono::Duration::days(365))).await;
        assert_eq!(spends.status(), 200);
        let spends = spends.bytes().await.unwrap();
        // `make test` opens these with openpyxl to check the cells are typed (scripts/check-xlsx.py).
        if let Some(dir) = std::env::var_os("STAYING_CLOSE_EXPORT_DIR") {
            let dir = std::path::PathBuf::from(dir);
            std::fs::create_dir_all(&dir).unwrap();
            for (name, bytes) in [("impact.xlsx", &workbook), ("records.xlsx", &spends)] {
                let part = dir.join(format!("{name}.{}", uuid::Uuid::new_v4()));
                std::fs::write(&part, bytes).unwrap();
                std::fs::rename(&part, dir.join(name)).unwrap();
            }
        }
        assert_eq!(manager.get(&app, &format!("/reports/impact/download?{query}&format=pdf")).await.status(), 422);

        let trail = app.store().audit_events(la.id, 50).await.unwrap();
        let exports: Vec<_> = trail.iter().filter(|e| e.action == "export" && e.actor_staff_id == Some(manager_staff.id.0)).collect();
        assert!(exports.iter().any(|e| e.entity_type == "impact_records" && e.details["format"] == "csv"));
        assert!(exports.iter().any(|e| e.entity_type == "impact_report" && e.details["format"] == "xlsx"));
    }

    async fn only_managers_and_boards_see_reports_and_health_lists_need_health_access(backend) {
        let app = spawn_demo(backend).await;
        let query = "from=2025-04-01&to=2026-03-31";
        let adviser = app.session(&app.staff(ADVISER).await).await;
        assert_eq!(adviser.get(&app, "/reports/impact").await.status(), 403);
        let board = app.session(&app.staff(BOARD).await).await;
        assert_eq!(board.get(&app, "/reports/impact").await.status(), 200);
        let admin = app.session(&app.staff(ADMIN).await).await;
        let page = admin.get(&app, &format!("/reports/impact?{query}")).await.text().await.unwrap();
        assert!(!page.contains("/reports/impact/emotional-health-sessions?"), "no link to health records without health access");
        assert_eq!(admin.get(&app, &format!("/reports/impact/emotional-health-sessions?{query}")).await.status(), 403);
        let facts = admin.get(&app, &format!("/reports/five-minute-facts?{query}")).await.text().await.unwrap();
        assert!(facts.contains("emotional-health sessions") && !facts.contains("/reports/impact/emotional-health-sessions?"), "the count, without a link");
        assert_eq!(admin.get(&app, &format!("/reports/impact/referrals-neurodiversity/download?{query}&format=csv")).await.status(), 403);
        let la = app.la("990").await;
        let trail = app.store().audit_events(la.id, 20).await.unwrap();
        assert!(trail.iter().any(|e| e.action == "access_denied" && e.details["requested"] == "emotional-health-sessions"));
        let manager = app.session(&app.staff(MANAGER).await).await;
        assert_eq!(manager.get(&app, &format!("/reports/impact/emotional-health-sessions?{query}")).await.status(), 200);
        assert_eq!(manager.get(&app, &format!("/reports/impact/no-such-figure?{query}")).await.status(), 404);
        let national = app.session(&app.staff(NATIONAL).await).await;
        assert_eq!(national.get(&app, "/reports/impact").await.status(), 403);
    }

    async fn the_national_viewer_sees_every_la_and_no_child(backend) {
        let app = spawn_demo(backend).await;
        let national = app.session(&app.staff(NATIONAL).await).await;
        let page = national.get(&app, "/national").await;
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        assert!(page.contains("Young people supported in the period"));
        let by_la = national.get(&app, "/national/supported").await.text().await.unwrap();
        for la in app.store().list_las().await.unwrap() {
            assert!(by_la.contains(&la.name), "{} is listed", la.name);
            // No young person's name or child id appears anywhere.
            for person in app.store().cohort(la.id).await.unwrap() {
                let child = person.child_id.to_string();
                for text in [&page, &by_la] {
                    assert!(!text.contains(&format!(">{child}<")), "child id {child} never shown");
                    if let Some(name) = &person.name {
                        assert!(!text.contains(name.as_str()), "{name} never shown");
                    }
                }
            }
        }
        let csv = national.get(&app, "/national/download?format=csv").await.text().await.unwrap();
        assert!(csv.lines().count() >= 3, "a row per LA and a total");
        assert!(!csv.lines().skip(1).any(|l| l.split(',').skip(2).any(|c| matches!(c.trim_matches('"'), "1" | "2" | "3" | "4" | "5"))), "no count from 1 to 5 is published");
        assert_eq!(national.get(&app, "/national?year=2030-31").await.status(), 404, "only years that have ended");
        let manager = app.session(&app.staff(MANAGER).await).await;
        assert_eq!(manager.get(&app, "/national").await.status(), 403);
    }

    async fn the_oc3_return_is_listed_downloaded_and_audited(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let manager_staff = app.staff(MANAGER).await;
        let manager = app.session(&manager_staff).await;
        let page = manager.get(&app, "/returns/oc3?year=2025-26").await;
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        assert!(page.contains("Lines of the OC3 file"));
        assert!(page.contains("still looked after on their birthday"), "those not required are listed with the reason");
        let file = manager.get(&app, "/returns/oc3/download?year=2025-26").await;
        assert_eq!(file.status(), 200);
        let file = file.text().await.unwrap();
        assert!(file.starts_with("CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n"));
        let lines: Vec<&str> = file.lines().skip(1).collect();
        assert!(!lines.is_empty());
        for line in &lines {
            let cells: Vec<&str> = line.split(',').collect();
            assert_eq!(cells.len(), 5, "{line}");
            assert!(cells[2] != "YES" || (cells[3] != "0" && cells[4] != "0"), "in touch means an activity and a home: {line}");
        }
        let trail = app.store().audit_events(la.id, 20).await.unwrap();
        assert!(trail.iter().any(|e| e.action == "export" && e.entity_type == "oc3_return" && e.details["rows"] == lines.len()));
        let adviser = app.session(&app.staff(ADVISER).await).await;
        assert_eq!(adviser.get(&app, "/returns/oc3").await.status(), 403);
        assert_eq!(manager.get(&app, "/returns/oc3?year=twenty").await.status(), 404);
    }
}
