//! Uploading SSDA903 files through the web page, on both backends.

mod common;

use common::spawn_demo;

const HEADER: &str = "CHILD,SEX,DOB,ETHNIC\nNEW1,1,10/06/2007,WBRI\nNEW2,2,20/01/2009,WBRI\n";
const EPISODES: &str =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
    NEW1,01/03/2021,S,C2,N1,K2,PR1,01/10/2021,X1,,,,SC400001\n\
    NEW1,01/10/2021,P,C2,N1,U6,PR4,01/09/2023,E5,,,,\n\
    NEW2,01/06/2023,S,V2,N1,K2,PR1,20/08/2023,E4A,,,,SC400002\n";

fn files(episodes: &str) -> reqwest::multipart::Form {
    let part = |name: &str, text: &str| {
        reqwest::multipart::Part::text(text.to_owned()).file_name(name.to_owned()).mime_str("text/csv").unwrap()
    };
    reqwest::multipart::Form::new()
        .part("header", part("header.csv", HEADER))
        .part("episodes", part("episodes.csv", episodes))
}

both_backends! {
    async fn a_child_twice_in_oc3_is_a_row_error_on_either_backend(backend) {
        let app = spawn_demo(backend).await;
        let manager = app.session(&app.staff("helen.crossley@demo-borough.example").await).await;
        let oc3 = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\r\nNEW1,10/06/2007,YES,F5,U1\r\nNEW1,10/06/2007,YES,F4,U1\r\n";
        let form = files(EPISODES).part(
            "oc3",
            reqwest::multipart::Part::text(oc3).file_name("oc3.csv").mime_str("text/csv").unwrap(),
        );
        let response = app
            .client
            .post(app.url(&format!("/imports?csrf_token={}", manager.csrf)))
            .header("cookie", &manager.cookie)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "a row error, never a server error");
        let page = response.text().await.unwrap();
        assert!(page.contains("1 problem found: nothing was imported"), "{page}");
        assert!(page.contains("child NEW1 is listed twice (also on line 2)"), "{page}");
        assert!(page.contains("govuk-table__cell--numeric\">3</td>"), "the CRLF file's own line 3");
        let la = app.la("990").await;
        assert!(app.store().cohort(la.id).await.unwrap().iter().all(|r| r.child_id.as_str() != "NEW1"));
    }

    async fn a_manager_imports_files_and_sees_every_problem_first(backend) {
        let app = spawn_demo(backend).await;
        let manager = app.session(&app.staff("helen.crossley@demo-borough.example").await).await;
        let la = app.la("990").await;
        let before = app.store().cohort(la.id).await.unwrap().len();
        let upload = |episodes: &str| {
            app.client
                .post(app.url(&format!("/imports?csrf_token={}", manager.csrf)))
                .header("cookie", &manager.cookie)
                .multipart(files(episodes))
                .send()
        };

        let bad = EPISODES.replace("01/10/2021,X1", "31/09/2021,X1").replace("V2,N1,K2", "V2,N1,K9");
        let page = upload(&bad).await.unwrap().text().await.unwrap();
        assert!(page.contains("2 problems found: nothing was imported"), "{page}");
        assert!(page.contains("31/09/2021") && page.contains("not a valid PLACE code"));
        assert!(page.contains("episodes.csv"), "the file is named as the user named it");
        assert_eq!(app.store().cohort(la.id).await.unwrap().len(), before, "nothing changed");

        // Files without problems: first what the import will change, and nothing written yet.
        let page = upload(EPISODES).await.unwrap().text().await.unwrap();
        assert!(page.contains("Check what the import will change"), "{page}");
        assert!(page.contains("2 young people") && page.contains("2 histories (3 episodes)"), "{page}");
        assert_eq!(app.store().cohort(la.id).await.unwrap().len(), before, "nothing imported before confirming");
        let token = page.split("name=\"token\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_owned();
        let fields = [("token", token.as_str())];
        // Nobody else can confirm it: not another administrator of the LA, nor another LA's manager.
        let colleague = app.session(&app.staff("alison.marsh@demo-borough.example").await).await;
        let other_la = app.session(&app.staff("maureen.kaye@second-demo.example").await).await;
        for stranger in [&colleague, &other_la] {
            let refused = stranger.post(&app, "/imports/confirm", &fields).await.text().await.unwrap();
            assert!(refused.contains("Upload them again to check them"), "{refused}");
        }
        assert_eq!(app.store().cohort(la.id).await.unwrap().len(), before);
        let page = manager.post(&app, "/imports/confirm", &fields).await.text().await.unwrap();
        assert!(page.contains("2 children imported"), "{page}");
        assert!(page.contains("Young people added: 2"));
        assert_eq!(app.store().cohort(la.id).await.unwrap().len(), before + 2);
        let twice = manager.post(&app, "/imports/confirm", &fields).await.text().await.unwrap();
        assert!(twice.contains("imported already"), "a second click imports nothing: {twice}");
        let filter = staying_close_store::AuditFilter { action: Some("import_checked".into()), ..Default::default() };
        assert_eq!(app.store().audit_search(la.id, &filter, 5).await.unwrap().len(), 1, "the check is in the trail");
        let again = upload(EPISODES).await.unwrap().text().await.unwrap();
        assert!(again.contains("importing them changes nothing"), "{again}");

        // Imported young people show eligibility worked out from their history.
        let list = manager.get(&app, "/young-people?show=eligible").await.text().await.unwrap();
        let unnamed = |child: &str| format!("Name not recorded<span class=\"govuk-visually-hidden\">, child ID {child}</span>");
        assert!(list.contains(&unnamed("NEW1")), "113 residential days: eligible; {list}");
        assert!(!list.contains(&unnamed("NEW2")), "80 residential days: not eligible");
        let record = manager.get(&app, &format!("/young-people/{}", app.store().cohort(la.id).await.unwrap().iter().find(|r| r.child_id.as_str() == "NEW1").unwrap().id.0)).await.text().await.unwrap();
        assert!(record.contains("<h1 class=\"govuk-heading-l\">Name not recorded</h1>"), "never a blank heading");
        assert!(record.contains("Male"), "sex in words");

        // Without the CSRF token the upload is refused.
        let forged = app.client.post(app.url("/imports")).header("cookie", &manager.cookie).multipart(files(EPISODES)).send().await.unwrap();
        assert_eq!(forged.status(), 403);
        // And a personal adviser may not import at all.
        let adviser = app.session(&app.staff("daniel.okafor@demo-borough.example").await).await;
        let refused = app
            .client
            .post(app.url(&format!("/imports?csrf_token={}", adviser.csrf)))
            .header("cookie", &adviser.cookie)
            .multipart(files(EPISODES))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
    }

    async fn a_record_page_explains_eligibility_as_at_any_date(backend) {
        let app = spawn_demo(backend).await;
        let manager = app.session(&app.staff("helen.crossley@demo-borough.example").await).await;
        let checked = app
            .client
            .post(app.url(&format!("/imports?csrf_token={}", manager.csrf)))
            .header("cookie", &manager.cookie)
            .multipart(files(EPISODES))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = checked.split("name=\"token\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap();
        let done = manager.post(&app, "/imports/confirm", &[("token", token)]).await.text().await.unwrap();
        assert!(done.contains("2 children imported"), "{done}");
        let la = app.la("990").await;
        let new1 = app.store().cohort(la.id).await.unwrap().into_iter().find(|r| r.child_id.as_str() == "NEW1").unwrap();
        let page = manager.get(&app, &format!("/young-people/{}?day=1&month=1&year=2024", new1.id.0)).await.text().await.unwrap();
        assert!(page.contains("113 (13 weeks is 91)"), "worked example 1");
        assert!(page.contains("Relevant child"));
        assert!(page.contains("9 June 2032"), "personal adviser until the day before the 25th birthday");
        assert!(page.contains("counted from the 14th birthday (10 June 2021)"), "{page}");
        let bad = manager.get(&app, &format!("/young-people/{}?day=31&month=2&year=2024", new1.id.0)).await.text().await.unwrap();
        assert!(bad.contains("The as-at date must be a real date"));
        assert!(bad.contains("value=\"31\""), "what was typed is kept");
    }
}
