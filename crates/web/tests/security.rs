//! Sign-in, sessions, CSRF, API tokens and the audit trail, on both backends.

mod common;

use chrono::Duration;
use common::{location, spawn_demo, DEMO_PASSWORD};
use staying_close_domain::people::Email;
use staying_close_domain::permissions::RecordAccess;
use staying_close_store::{Actor, AuditFilter};

const PA: &str = "daniel.okafor@demo-borough.example";

both_backends! {
    async fn failures_say_the_same_whether_or_not_the_account_exists(backend) {
        let app = spawn_demo(backend).await;
        let (_, wrong_password) = app.sign_in(PA, "not-the-password").await;
        let (_, unknown) = app.sign_in("nobody@demo-borough.example", "not-the-password").await;
        assert_eq!(wrong_password.status(), 200);
        let strip = |html: String| html.lines().filter(|l| !l.contains("csrf_token") && !l.contains("id=\"email\"")).collect::<Vec<_>>().join("\n");
        assert_eq!(strip(wrong_password.text().await.unwrap()), strip(unknown.text().await.unwrap()));
        let la = app.la("990").await;
        let failed = app.store().audit_search(la.id, &AuditFilter { action: Some("sign_in_failed".into()), ..Default::default() }, 10).await.unwrap();
        assert_eq!(failed.len(), 1, "the failure on a known account is in its LA's trail");
        assert_eq!(failed[0].client_addr.as_deref(), Some("127.0.0.1"));
    }

    async fn repeated_failures_lock_the_account_even_for_the_right_password(backend) {
        let app = spawn_demo(backend).await;
        for _ in 0..5 {
            let (browser, _) = app.sign_in(PA, "not-the-password").await;
            assert!(browser.cookie.is_empty());
        }
        let (browser, response) = app.sign_in(PA, DEMO_PASSWORD).await;
        assert!(browser.cookie.is_empty(), "locked: no session");
        let html = response.text().await.unwrap();
        assert!(html.contains("There have been too many attempts to sign in. Wait 1 minute, then try again"), "{html}");
        // Unknown addresses are throttled the same way, so locks reveal nothing.
        for _ in 0..5 {
            app.sign_in("nobody@demo-borough.example", "x").await;
        }
        let (_, response) = app.sign_in("nobody@demo-borough.example", "x").await;
        assert!(response.text().await.unwrap().contains("too many attempts"));
        // Another account from the same address is not locked by these.
        let (other, _) = app.sign_in("sarah.whitworth@demo-borough.example", DEMO_PASSWORD).await;
        assert!(!other.cookie.is_empty());
    }

    async fn the_session_id_changes_at_sign_in_and_ends_at_sign_out(backend) {
        let app = spawn_demo(backend).await;
        let (first, response) = app.sign_in(PA, DEMO_PASSWORD).await;
        assert_eq!(location(&response), "/home");
        let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let (second, _) = app.sign_in(PA, DEMO_PASSWORD).await;
        assert_ne!(first.cookie, second.cookie);
        assert_eq!(first.get(&app, "/home").await.status(), 200);
        let out = first.post(&app, "/sign-out", &[]).await;
        assert_eq!(location(&out), "/sign-in?done=signed_out");
        assert_eq!(location(&first.get(&app, "/home").await), "/sign-in");
        assert_eq!(second.get(&app, "/home").await.status(), 200, "other sessions carry on");
        let la = app.la("990").await;
        let trail = app.store().audit_events(la.id, 50).await.unwrap();
        assert_eq!(trail.iter().filter(|e| e.action == "sign_in").count(), 2);
        assert_eq!(trail.iter().filter(|e| e.action == "sign_out").count(), 1);
    }

    async fn sessions_expire_when_idle_and_after_twelve_hours(backend) {
        let app = spawn_demo(backend).await;
        let staff = app.staff(PA).await;
        let idle = app.session(&staff).await;
        app.store().age_sessions(staff.id, Duration::minutes(31), Duration::minutes(31)).await.unwrap();
        assert_eq!(location(&idle.get(&app, "/home").await), "/sign-in");
        let busy = app.session(&staff).await;
        app.store().age_sessions(staff.id, Duration::minutes(1), Duration::hours(12) + Duration::minutes(1)).await.unwrap();
        assert_eq!(location(&busy.get(&app, "/home").await), "/sign-in", "absolute limit even when active");
        let fresh = app.session(&staff).await;
        app.store().age_sessions(staff.id, Duration::minutes(29), Duration::hours(2)).await.unwrap();
        assert_eq!(fresh.get(&app, "/home").await.status(), 200);
    }

    async fn forms_without_the_right_csrf_token_are_refused(backend) {
        let app = spawn_demo(backend).await;
        let browser = app.session(&app.staff(PA).await).await;
        let post = |csrf: &str| {
            app.client
                .post(app.url("/account/tokens"))
                .header("cookie", &browser.cookie)
                .form(&[("csrf_token", csrf), ("name", "x"), ("days", "5")])
                .send()
        };
        assert_eq!(post("").await.unwrap().status(), 403);
        assert_eq!(post("wrong").await.unwrap().status(), 403);
        let cross_site = app
            .client
            .post(app.url("/account/tokens"))
            .header("cookie", &browser.cookie)
            .header("origin", "https://evil.example")
            .form(&[("csrf_token", browser.csrf.as_str()), ("name", "x"), ("days", "5")])
            .send()
            .await
            .unwrap();
        assert_eq!(cross_site.status(), 403);
        let staff = app.staff(PA).await;
        assert!(app.store().api_tokens(staff.id).await.unwrap().is_empty(), "nothing was created");
        // Both kinds of attempt are in the trail, against the session's owner; repeats are counted.
        let filter = AuditFilter { action: Some("form_refused".into()), ..Default::default() };
        let refused = app.store().audit_search(app.la("990").await.id, &filter, 10).await.unwrap();
        let reasons: Vec<_> = refused.iter().map(|e| e.details["reason"].as_str().unwrap_or_default()).collect();
        assert_eq!(reasons, ["cross_site", "csrf_token"], "newest first; the second wrong token was counted");
        assert!(refused.iter().all(|e| e.actor_staff_id == Some(staff.id.0) && e.details["route"] == "/account/tokens"));
        assert_eq!(post(&browser.csrf).await.unwrap().status(), 200);
        assert_eq!(app.store().api_tokens(staff.id).await.unwrap().len(), 1);
    }

    async fn api_tokens_carry_their_owners_permissions_until_revoked(backend) {
        let app = spawn_demo(backend).await;
        let staff = app.staff(PA).await;
        let (token, created) = app.store().create_api_token(&staff, "script", 30, &Actor::System("test")).await.unwrap();
        let get = |path: &str| app.client.get(app.url(path)).bearer_auth(&token).send();
        let list: serde_json::Value = get("/api/v1/young-people").await.unwrap().json().await.unwrap();
        assert_eq!(list["young_people"].as_array().unwrap().len(), 35);
        let foreign = app.store().cohort(app.la("991").await.id).await.unwrap()[0].id;
        assert_eq!(get(&format!("/api/v1/young-people/{}", foreign.0)).await.unwrap().status(), 404);
        // Cookies are not accepted by the API, and tokens are not accepted by pages.
        let browser = app.session(&staff).await;
        assert_eq!(app.client.get(app.url("/api/v1/me")).header("cookie", &browser.cookie).send().await.unwrap().status(), 401);
        assert_eq!(location(&app.client.get(app.url("/home")).bearer_auth(&token).send().await.unwrap()), "/sign-in");
        // Someone else cannot revoke it; its owner can.
        let other = app.session(&app.staff("sarah.whitworth@demo-borough.example").await).await;
        assert_eq!(other.post(&app, &format!("/account/tokens/{}/revoke", created.id), &[]).await.status(), 404);
        assert_eq!(get("/api/v1/me").await.unwrap().status(), 200);
        let mine = app.session(&staff).await;
        assert_eq!(mine.post(&app, &format!("/account/tokens/{}/revoke", created.id), &[]).await.status(), 303);
        assert_eq!(get("/api/v1/me").await.unwrap().status(), 401);
    }

    async fn personal_data_is_never_kept_in_a_browser_cache(backend) {
        let app = spawn_demo(backend).await;
        let manager = app.session(&app.staff("helen.crossley@demo-borough.example").await).await;
        let person = app.store().cohort(app.la("990").await.id).await.unwrap()[0].id;
        for path in ["/home".to_owned(), "/young-people".to_owned(), format!("/young-people/{}", person.0), "/audit.csv".to_owned()] {
            let response = manager.get(&app, &path).await;
            assert_eq!(response.status(), 200, "{path}");
            assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
        }
        let staff = app.staff(PA).await;
        let (token, _) = app.store().create_api_token(&staff, "script", 30, &Actor::System("test")).await.unwrap();
        let api = app.client.get(app.url("/api/v1/young-people")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(api.headers()["cache-control"], "no-store");
        // Assets carry no personal data and may be cached.
        assert_eq!(app.get("/assets/app.css").await.headers()["cache-control"], "public, max-age=86400");
    }

    async fn bulk_reads_and_refusals_are_in_the_audit_trail(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let staff = app.staff(PA).await;
        let browser = app.session(&staff).await;
        let events = |action: &'static str| {
            let store = app.store().clone();
            async move {
                store.audit_search(la.id, &AuditFilter { action: Some(action.into()), ..Default::default() }, 100).await.unwrap()
            }
        };
        // The cohort page and the API list: who saw which records.
        assert_eq!(browser.get(&app, "/young-people?show=eligible").await.status(), 200);
        let (token, _) = app.store().create_api_token(&staff, "script", 30, &Actor::System("test")).await.unwrap();
        let listed = app.client.get(app.url("/api/v1/young-people")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(listed.status(), 200);
        let lists = events("view_list").await;
        assert_eq!(lists.len(), 2);
        let (api, page) = (&lists[0], &lists[1]);
        assert_eq!(page.details["via"], "page");
        assert_eq!(page.details["filter"]["show"], "eligible");
        assert_eq!(page.details["count"], 32);
        assert_eq!(page.details["ids"].as_array().unwrap().len(), 32);
        assert_eq!(api.details["via"], "api");
        assert_eq!(api.details["count"], 35);
        // Refusals: another LA's record, a page the role may not open, and the API alike.
        let foreign = app.store().cohort(app.la("991").await.id).await.unwrap()[0].id;
        assert_eq!(browser.get(&app, &format!("/young-people/{}", foreign.0)).await.status(), 404);
        assert_eq!(browser.get(&app, "/audit").await.status(), 403);
        let refused = events("access_denied").await;
        assert_eq!(refused.len(), 2);
        assert_eq!(refused[1].details["requested"], foreign.0.to_string());
        assert_eq!(refused[0].details["route"], "/audit");
        assert_eq!(refused[0].actor_staff_id, Some(staff.id.0));
        // A flood of the same refusal within a minute adds nothing more.
        for _ in 0..20 {
            assert_eq!(browser.get(&app, "/audit").await.status(), 403);
        }
        assert_eq!(events("access_denied").await.len(), 2, "repeats are counted, not each recorded");
    }

    async fn control_characters_are_refused_naming_the_field(backend) {
        let app = spawn_demo(backend).await;
        let page = app.get("/sign-in").await;
        let form_cookie = common::set_cookie_value(&page, "sc_form").unwrap();
        let csrf = common::hidden_csrf(&page.text().await.unwrap());
        let response = app
            .client
            .post(app.url("/sign-in"))
            .header("cookie", format!("sc_form={form_cookie}"))
            .form(&[("csrf_token", csrf.as_str()), ("email", "daniel\0@demo-borough.example"), ("password", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "never a server error");
        assert!(response.text().await.unwrap().contains("The field email contains a control character"));
        let browser = app.session(&app.staff(PA).await).await;
        let token = browser.post(&app, "/account/tokens", &[("name", "report\u{1b}[31m"), ("days", "5")]).await;
        assert_eq!(token.status(), 422);
        assert!(app.store().api_tokens(app.staff(PA).await.id).await.unwrap().is_empty());
        let manager = app.session(&app.staff("helen.crossley@demo-borough.example").await).await;
        assert_eq!(manager.get(&app, "/audit?action=%00").await.status(), 422, "query strings too");
    }

    async fn settings_with_unknown_values_are_refused(backend) {
        let app = spawn_demo(backend).await;
        let admin = app.session(&app.staff("alison.marsh@demo-borough.example").await).await;
        let la = app.la("990").await;
        let version = la.version.to_string();
        let mut form = vec![
            ("version", version.as_str()),
            ("caseload_cap", "9"),
            ("allowance", "30.00"),
            ("weekly_hours", "5"),
            ("visit_frequency_days", "14"),
            ("record_access", "everyone"),
            ("require_two_factor", "perhaps"),
        ];
        let response = admin.post(&app, "/settings", &form).await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("Choose which young people practitioners see") && page.contains("Choose whether everyone needs"));
        let after = app.la("990").await;
        assert_eq!((after.version, after.settings.caseload_cap), (la.version, 8), "nothing changed");
        form[5] = ("record_access", "caseload");
        form[6] = ("require_two_factor", "no");
        assert_eq!(location(&admin.post(&app, "/settings", &form).await), "/settings?saved=1");
    }

    async fn an_audit_export_with_a_bad_date_exports_nothing(backend) {
        let app = spawn_demo(backend).await;
        let manager = app.session(&app.staff("helen.crossley@demo-borough.example").await).await;
        let response = manager.get(&app, "/audit.csv?from=31%2F02%2F2026").await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("field: from") && page.contains("Nothing was exported"), "{page}");
        let la = app.la("990").await;
        let exports = app.store().audit_search(la.id, &AuditFilter { action: Some("export".into()), ..Default::default() }, 10).await.unwrap();
        assert!(exports.is_empty());
    }

    async fn staff_change_their_own_password_and_other_sessions_end(backend) {
        let app = spawn_demo(backend).await;
        let staff = app.staff(PA).await;
        let (here, _) = app.sign_in(PA, DEMO_PASSWORD).await;
        let (elsewhere, _) = app.sign_in(PA, DEMO_PASSWORD).await;
        let (token, _) = app.store().create_api_token(&staff, "script", 30, &Actor::System("test")).await.unwrap();
        let wrong = here.post(&app, "/account/password", &[("current", "not-the-password"), ("password", "lantern-river-oak-7"), ("confirm", "lantern-river-oak-7")]).await;
        assert_eq!(wrong.status(), 422);
        assert!(wrong.text().await.unwrap().contains("Your current password is not right"));
        let weak = here.post(&app, "/account/password", &[("current", DEMO_PASSWORD), ("password", "password1234"), ("confirm", "password1234")]).await;
        assert_eq!(weak.status(), 422);
        let done = here.post(&app, "/account/password", &[("current", DEMO_PASSWORD), ("password", "lantern-river-oak-7"), ("confirm", "lantern-river-oak-7")]).await;
        assert_eq!(location(&done), "/account/password?ended=1");
        assert_eq!(here.get(&app, "/home").await.status(), 200, "this session carries on");
        assert_eq!(location(&elsewhere.get(&app, "/home").await), "/sign-in", "the other one ended");
        assert_eq!(app.client.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().status(), 401, "tokens revoked");
        let (new, _) = app.sign_in(PA, "lantern-river-oak-7").await;
        assert!(!new.cookie.is_empty());
        let la = app.la("990").await;
        let changed = app.store().audit_search(la.id, &AuditFilter { action: Some("password_changed".into()), ..Default::default() }, 5).await.unwrap();
        assert_eq!(changed.len(), 1);
    }

    async fn staff_see_their_sessions_and_hold_at_most_five(backend) {
        let app = spawn_demo(backend).await;
        let mut browsers = Vec::new();
        for _ in 0..6 {
            browsers.push(app.sign_in(PA, DEMO_PASSWORD).await.0);
        }
        assert_eq!(location(&browsers[0].get(&app, "/home").await), "/sign-in", "the sixth sign-in ended the oldest");
        let newest = &browsers[5];
        let page = newest.get(&app, "/account/sessions").await.text().await.unwrap();
        assert_eq!(page.matches("<tr class=\"govuk-table__row\">").count(), 6, "a heading row and five sessions");
        assert!(page.contains("This session") && page.contains("127.0.0.1"));
        // The password is asked for again; a wrong one ends nothing and is audited.
        let refused = newest.post(&app, "/account/sessions/end-others", &[("password", "not my password")]).await;
        assert_eq!(refused.status(), 422);
        let refused = refused.text().await.unwrap();
        assert!(refused.contains("Your password is not right") && refused.contains("href=\"#password\""), "{refused}");
        assert_eq!(browsers[4].get(&app, "/home").await.status(), 200, "nothing ended");
        let la = app.la("990").await;
        let filter = AuditFilter { action: Some("end_other_sessions_refused".into()), ..Default::default() };
        assert_eq!(app.store().audit_search(la.id, &filter, 5).await.unwrap().len(), 1);
        let ended = newest.post(&app, "/account/sessions/end-others", &[("password", DEMO_PASSWORD)]).await;
        assert_eq!(location(&ended), "/account/sessions?ended=4");
        assert_eq!(location(&browsers[4].get(&app, "/home").await), "/sign-in");
        assert_eq!(newest.get(&app, "/home").await.status(), 200);
        assert!(!newest.get(&app, "/account/sessions").await.text().await.unwrap().contains("Sign out of all other sessions"));
    }

    async fn a_planted_form_cookie_cannot_sign_anyone_in(backend) {
        let app = spawn_demo(backend).await;
        // Cookie tossing: the attacker plants a form cookie and posts the same value.
        let planted = "0123456789abcdef0123456789abcdef";
        let response = app
            .client
            .post(app.url("/sign-in"))
            .header("cookie", format!("sc_form={planted}"))
            .form(&[("csrf_token", planted), ("email", PA), ("password", DEMO_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "the form token must be the cookie's MAC, not a copy of it");
        let (browser, _) = app.sign_in(PA, DEMO_PASSWORD).await;
        assert!(!browser.cookie.is_empty(), "the real form still works");
    }

    async fn api_errors_are_json_with_a_list_of_problems(backend) {
        let app = spawn_demo(backend).await;
        let staff = app.staff(PA).await;
        let (token, _) = app.store().create_api_token(&staff, "script", 30, &Actor::System("test")).await.unwrap();
        let missing = app.client.get(app.url("/api/v1/young-people/999999")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(missing.status(), 404);
        assert_eq!(missing.headers()["content-type"], "application/json");
        let body: serde_json::Value = missing.json().await.unwrap();
        assert_eq!(body["errors"][0]["message"], "Not found");
        assert!(body["errors"][0]["field"].is_null());
        let anonymous = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
        assert_eq!(anonymous.status(), 401);
        let body: serde_json::Value = anonymous.json().await.unwrap();
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("Authorization: Bearer"));
        let record: serde_json::Value = app.client.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(record["role"], "personal_adviser");
        assert_eq!(record["la"]["code"], "990");
    }

    async fn a_password_reset_ends_every_session_and_token(backend) {
        let app = spawn_demo(backend).await;
        let staff = app.staff(PA).await;
        let browser = app.session(&staff).await;
        let (token, _) = app.store().create_api_token(&staff, "script", 30, &Actor::System("test")).await.unwrap();
        let link = app.store().create_password_reset(&Email::parse(PA).unwrap(), &Actor::System("test")).await.unwrap();
        let page = app.get(&format!("/reset-password/{link}")).await;
        let form_cookie = common::set_cookie_value(&page, "sc_form").unwrap();
        let csrf = common::hidden_csrf(&page.text().await.unwrap());
        let send = |password: &str, confirm: &str| {
            app.client
                .post(app.url(&format!("/reset-password/{link}")))
                .header("cookie", format!("sc_form={form_cookie}"))
                .form(&[("csrf_token", csrf.as_str()), ("password", password), ("confirm", confirm)])
                .send()
        };
        let weak = send("password1234", "password1234").await.unwrap().text().await.unwrap();
        assert!(weak.contains("Password is too common"), "policy applies");
        let done = send("lantern-river-oak-7", "lantern-river-oak-7").await.unwrap();
        assert_eq!(location(&done), "/sign-in?done=password_set");
        assert_eq!(location(&browser.get(&app, "/home").await), "/sign-in", "old session ended");
        assert_eq!(app.client.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().status(), 401);
        assert_eq!(app.get(&format!("/reset-password/{link}")).await.status(), 404, "the link works once");
        let (new, _) = app.sign_in(PA, "lantern-river-oak-7").await;
        assert!(!new.cookie.is_empty());
    }

    async fn a_disabled_account_cannot_sign_in_and_its_sessions_end(backend) {
        let app = spawn_demo(backend).await;
        let staff = app.staff(PA).await;
        let browser = app.session(&staff).await;
        app.store().disable_staff(&Email::parse(PA).unwrap(), &Actor::System("test")).await.unwrap();
        assert_eq!(location(&browser.get(&app, "/home").await), "/sign-in");
        let (none, response) = app.sign_in(PA, DEMO_PASSWORD).await;
        assert!(none.cookie.is_empty());
        assert!(response.text().await.unwrap().contains("Enter a correct email address and password"));
    }

    async fn caseload_mode_shows_practitioners_only_their_own_young_people(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let staff = app.staff(PA).await;
        let browser = app.session(&staff).await;
        let everyone = app.store().cohort(la.id).await.unwrap();
        let theirs: Vec<_> = everyone.iter().filter(|r| r.adviser_id == Some(staff.id)).collect();
        let someone_else = everyone.iter().find(|r| r.adviser_id != Some(staff.id)).unwrap();
        let page = |path: String| { let (browser, app) = (&browser, &app); async move { browser.get(app, &path).await.status().as_u16() } };
        assert_eq!(page(format!("/young-people/{}", someone_else.id.0)).await, 200, "team mode: the whole cohort");
        app.store().update_la_access(la.id, la.version, RecordAccess::Caseload, false, &Actor::System("test")).await.unwrap();
        assert_eq!(page(format!("/young-people/{}", someone_else.id.0)).await, 404);
        assert_eq!(page(format!("/young-people/{}", theirs[0].id.0)).await, 200);
        let list = browser.get(&app, "/young-people").await.text().await.unwrap();
        assert!(list.contains(&format!("Showing {} of {}", theirs.len(), theirs.len())), "only their caseload is listed");
        app.store().share_young_person(la.id, someone_else.id, staff.id, &Actor::System("test")).await.unwrap();
        assert_eq!(page(format!("/young-people/{}", someone_else.id.0)).await, 200, "shared records are visible");
        // Managers still see everyone.
        let manager = app.session(&app.staff("helen.crossley@demo-borough.example").await).await;
        let all = manager.get(&app, "/young-people").await.text().await.unwrap();
        assert!(all.contains(&format!("Showing {0} of {0}", everyone.len())));
    }

    async fn every_record_view_is_audited_and_the_chain_verifies(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let staff = app.staff(PA).await;
        let browser = app.session(&staff).await;
        let person = app.store().cohort(la.id).await.unwrap()[3].id;
        assert_eq!(browser.get(&app, &format!("/young-people/{}", person.0)).await.status(), 200);
        let views = app.store().audit_search(la.id, &AuditFilter { action: Some("view".into()), ..Default::default() }, 10).await.unwrap();
        assert_eq!(views.len(), 1);
        assert_eq!(views[0].entity_id, Some(person.0));
        assert_eq!(views[0].actor_staff_id, Some(staff.id.0));
        // A manager's CSV export is itself audited.
        let manager = app.session(&app.staff("helen.crossley@demo-borough.example").await).await;
        let csv = manager.get(&app, "/audit.csv?action=view").await;
        assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
        let body = csv.text().await.unwrap();
        assert_eq!(body.lines().count(), 2, "{body}");
        let exports = app.store().audit_search(la.id, &AuditFilter { action: Some("export".into()), ..Default::default() }, 10).await.unwrap();
        assert_eq!(exports.len(), 1);
        let report = staying_close_store::testing::verify(app.store()).await;
        assert!(report.breaks.is_empty(), "{:?}", report.breaks);
        assert!(report.chains >= 2, "one chain per LA");
    }

    async fn the_audit_page_filters_and_rejects_bad_dates(backend) {
        let app = spawn_demo(backend).await;
        let manager = app.session(&app.staff("helen.crossley@demo-borough.example").await).await;
        let page = manager.get(&app, "/audit?action=dataset_refresh").await.text().await.unwrap();
        assert!(page.contains("Data set loaded or refreshed"));
        // Filter by who: the adviser's record view shows, the demo refresh does not.
        let adviser = app.staff(PA).await;
        let browser = app.session(&adviser).await;
        let la = app.la("990").await;
        let person = app.store().cohort(la.id).await.unwrap()[0].id;
        browser.get(&app, &format!("/young-people/{}", person.0)).await;
        let theirs = manager.get(&app, &format!("/audit?who={}", adviser.id.0)).await.text().await.unwrap();
        let cell = |text: &str| format!("<td class=\"govuk-table__cell\">{text}</td>");
        assert!(theirs.contains(&cell("Viewed a record")) && !theirs.contains(&cell("Demo data refreshed")), "{theirs}");
        assert!(theirs.contains(&format!("href=\"/young-people/{}\"", person.0)), "the record is linked");
        let bad = manager.get(&app, "/audit?from=31/02/2026").await.text().await.unwrap();
        assert!(bad.contains("Enter the from date as day/month/year"), "{bad}");
        assert!(bad.contains("value=\"31/02/2026\""), "what was typed is kept");
    }
}

both_backends! {
    async fn an_la_can_require_a_second_factor_for_everyone(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let (_, response) = app.sign_in(PA, DEMO_PASSWORD).await;
        assert_eq!(location(&response), "/home", "optional for advisers by default");
        app.store().update_la_access(la.id, la.version, RecordAccess::Team, true, &Actor::System("test")).await.unwrap();
        let (browser, response) = app.sign_in(PA, DEMO_PASSWORD).await;
        assert_eq!(location(&response), "/account/two-factor");
        assert_eq!(location(&browser.get(&app, "/young-people").await), "/account/two-factor", "nothing else until it is set up");
        // Another LA is unaffected.
        let (_, response) = app.sign_in("owen.pritchard@second-demo.example", DEMO_PASSWORD).await;
        assert_eq!(location(&response), "/home");
    }

    async fn one_client_address_cannot_spray_passwords_across_accounts(backend) {
        let app = spawn_demo(backend).await;
        for i in 0..30 {
            app.sign_in(&format!("guess{i}@demo-borough.example"), "wrong-password-here").await;
        }
        let (browser, response) = app.sign_in(PA, DEMO_PASSWORD).await;
        assert!(browser.cookie.is_empty(), "the address is blocked, even for a right password");
        assert!(response.text().await.unwrap().contains("too many attempts"));
        let la = app.la("990").await;
        let signed_in = app.store().audit_search(la.id, &AuditFilter { action: Some("sign_in".into()), ..Default::default() }, 5).await.unwrap();
        assert!(signed_in.is_empty(), "no sign-in happened");
    }
}

both_backends! {
    async fn guessing_second_factor_codes_locks_the_account(backend) {
        use staying_close_domain::totp;
        let app = spawn_demo(backend).await;
        let email = "helen.crossley@demo-borough.example";
        let staff = app.staff(email).await;
        let session = app.store().create_session(&staff, staying_close_store::SessionStage::Enrol, None).await.unwrap();
        let secret = app.store().start_totp_enrolment(&session).await.unwrap();
        let now = chrono::Utc::now().timestamp() as u64;
        let code = format!("{:06}", totp::code_at_step(&secret, totp::step_of(now)));
        app.store().confirm_totp(&staff, &session, &code, now, &Actor::System("test")).await.unwrap().expect("enrolled");

        let (browser, response) = app.sign_in(email, DEMO_PASSWORD).await;
        assert_eq!(location(&response), "/sign-in/code");
        assert_eq!(location(&browser.get(&app, "/home").await), "/sign-in/code", "a password alone opens nothing");
        let right = format!("{:06}", totp::code_at_step(&secret, totp::step_of(now) + 1));
        let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 7) % 1_000_000);
        for _ in 0..5 {
            let page = browser.post(&app, "/sign-in/code", &[("code", &wrong)]).await.text().await.unwrap();
            assert!(page.contains("The security code is not right"));
        }
        let locked = browser.post(&app, "/sign-in/code", &[("code", &right)]).await.text().await.unwrap();
        assert!(locked.contains("too many attempts"), "{locked}");
        assert_eq!(location(&browser.get(&app, "/sign-in/code").await), "/sign-in", "the half-signed-in session has ended");
    }
}
