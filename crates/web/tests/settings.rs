//! The LA settings page: validation, saving, and refusing stale saves.

mod common;

use common::{location, spawn_demo};
use staying_close_domain::permissions::RecordAccess;
use staying_close_store::AuditFilter;

const ADMIN: &str = "alison.marsh@demo-borough.example";

fn fields<'a>(version: &'a str, cap: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("version", version),
        ("caseload_cap", cap),
        ("allowance", "32.50"),
        ("weekly_hours", "5"),
        ("visit_frequency_days", "7"),
        ("record_access", "caseload"),
        ("require_two_factor", "no"),
    ]
}

both_backends! {
    async fn an_administrator_saves_settings_and_the_change_is_audited(backend) {
        let app = spawn_demo(backend).await;
        let admin = app.session(&app.staff(ADMIN).await).await;
        let la = app.la("990").await;
        let page = admin.get(&app, "/settings").await.text().await.unwrap();
        assert!(page.contains("Settings for Demo Borough") && page.contains("value=\"30.00\""));
        let version = la.version.to_string();
        let saved = admin.post(&app, "/settings", &fields(&version, "9")).await;
        assert_eq!(location(&saved), "/settings?saved=1");
        let la = app.la("990").await;
        assert_eq!(la.settings.caseload_cap, 9);
        assert_eq!(la.settings.activities_allowance.0, 3250);
        assert_eq!(la.record_access, RecordAccess::Caseload);
        let updates = app.store().audit_search(la.id, &AuditFilter { action: Some("update".into()), ..Default::default() }, 5).await.unwrap();
        assert_eq!(updates[0].entity_type, "local_authority");
        assert_eq!(updates[0].details["before"]["caseload_cap"], 8);
        assert_eq!(updates[0].details["after"]["caseload_cap"], 9);
        assert!(updates[0].details["before"].get("weekly_support_hours").is_none(), "only changed fields are recorded");
    }

    async fn the_statutory_duty_start_date_is_set_cleared_and_checked(backend) {
        let app = spawn_demo(backend).await;
        let admin = app.session(&app.staff(ADMIN).await).await;
        let la = app.la("990").await;
        let version = la.version.to_string();
        let mut form = fields(&version, "8");
        form.extend([("duty_from-day", "1"), ("duty_from-month", "4"), ("duty_from-year", "2027")]);
        assert_eq!(location(&admin.post(&app, "/settings", &form).await), "/settings?saved=1");
        let la = app.la("990").await;
        assert_eq!(la.staying_close_duty_from, chrono::NaiveDate::from_ymd_opt(2027, 4, 1));
        let page = admin.get(&app, "/settings").await.text().await.unwrap();
        assert!(page.contains("name=\"duty_from-year\" type=\"text\" inputmode=\"numeric\" value=\"2027\""));
        let version = la.version.to_string();
        let mut early = fields(&version, "8");
        early.extend([("duty_from-day", "1"), ("duty_from-month", "1"), ("duty_from-year", "2020")]);
        let page = admin.post(&app, "/settings", &early).await.text().await.unwrap();
        assert!(page.contains("must be on or after 29 April 2026"));
        // Blank clears it: the duty is not in force for this LA.
        assert_eq!(location(&admin.post(&app, "/settings", &fields(&version, "8")).await), "/settings?saved=1");
        assert_eq!(app.la("990").await.staying_close_duty_from, None);
    }

    async fn bad_values_are_named_and_kept(backend) {
        let app = spawn_demo(backend).await;
        let admin = app.session(&app.staff(ADMIN).await).await;
        let la = app.la("990").await;
        let version = la.version.to_string();
        let mut form = fields(&version, "0");
        form[2] = ("allowance", "thirty");
        let page = admin.post(&app, "/settings", &form).await.text().await.unwrap();
        assert!(page.contains("<title>Error: Settings"));
        assert!(page.contains("Caseload cap must be a whole number from 1 to 100"));
        assert!(page.contains("Enter the monthly activities allowance in pounds and pence"));
        assert!(page.contains("value=\"thirty\""), "what was typed is kept");
        assert_eq!(app.la("990").await.settings.caseload_cap, 8, "nothing saved");
    }

    async fn a_stale_save_shows_both_versions_and_overwrites_nothing(backend) {
        let app = spawn_demo(backend).await;
        let first = app.session(&app.staff(ADMIN).await).await;
        let la = app.la("990").await;
        let version = la.version.to_string();
        // Someone else saves first.
        assert_eq!(location(&first.post(&app, "/settings", &fields(&version, "10")).await), "/settings?saved=1");
        // This save was based on the old version.
        let page = first.post(&app, "/settings", &fields(&version, "6")).await.text().await.unwrap();
        assert!(page.contains("Someone else saved these settings while you were editing"), "{page}");
        assert!(page.contains("<td class=\"govuk-table__cell\">10</td>") && page.contains("<td class=\"govuk-table__cell\">6</td>"));
        assert_eq!(app.la("990").await.settings.caseload_cap, 10, "the first save stands");
        // Saving again from the refreshed form keeps theirs as intended.
        let latest = app.la("990").await.version.to_string();
        assert!(page.contains(&format!("name=\"version\" value=\"{latest}\"")));
        first.post(&app, "/settings", &fields(&latest, "6")).await;
        assert_eq!(app.la("990").await.settings.caseload_cap, 6);
    }
}
