//! Accommodation and ring-fenced lets: a move closes the open stay, an
//! overlapping stay or occupancy is refused naming both, properties change
//! only from the version shown, outcomes are counted, and other LAs and
//! roles without the permission are kept out.

mod common;

use common::{location, spawn_demo};

const ADVISER: &str = "daniel.okafor@demo-borough.example";
const HOUSING: &str = "tom.ashworth@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

fn today() -> chrono::NaiveDate {
    staying_close_domain::dates::uk_today()
}

fn date_fields(prefix: &str, d: chrono::NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{prefix}-day"), d.format("%-d").to_string()),
        (format!("{prefix}-month"), d.format("%-m").to_string()),
        (format!("{prefix}-year"), d.format("%Y").to_string()),
    ]
}

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

both_backends! {
    async fn a_move_ends_the_open_stay_and_an_overlap_is_refused(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let adviser = app.staff(ADVISER).await;
        let person = app.store().cohort(la.id).await.unwrap().into_iter().find(|r| r.adviser_id == Some(adviser.id)).unwrap().id;
        let browser = app.session(&adviser).await;
        let path = format!("/young-people/{}/accommodation", person.0);
        let before = app.store().accommodation_stays(la.id, person).await.unwrap();
        let open = before.iter().find(|s| s.stay.ends_on.is_none()).expect("the demo has a current stay").clone();

        let bad = browser.post(&app, &path, &[("code", "0"), ("address", "9 Elm Row")]).await;
        assert_eq!(bad.status(), 422);
        let text = bad.text().await.unwrap();
        assert!(text.contains("Choose the kind of accommodation") && text.contains("Enter the date they moved in") && text.contains("9 Elm Row"));

        let t = today();
        let mut form = vec![("code".to_owned(), "U1".to_owned()), ("address".to_owned(), "9 Elm Row".to_owned()), ("reason_for_move".to_owned(), "Own flat".to_owned())];
        form.extend(date_fields("starts_on", t));
        assert_eq!(location(&browser.post(&app, &path, &pairs(&form)).await), format!("{path}?saved=stay"));
        let after = app.store().accommodation_stays(la.id, person).await.unwrap();
        assert_eq!(after.len(), before.len() + 1);
        let closed = after.iter().find(|s| s.id == open.id).unwrap();
        assert_eq!(closed.stay.ends_on, Some(t - chrono::Duration::days(1)), "the open stay ends the day before the move");

        // A stay inside an earlier closed one is refused, naming it.
        let mut overlap = vec![("code".to_owned(), "B1".to_owned())];
        overlap.extend(date_fields("starts_on", open.stay.starts_on));
        overlap.extend(date_fields("ends_on", open.stay.starts_on));
        let refused = browser.post(&app, &path, &pairs(&overlap)).await;
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("These dates overlap the stay in"));
        assert_eq!(app.store().accommodation_stays(la.id, person).await.unwrap().len(), after.len(), "nothing stored");

        let mut help = vec![("kind".to_owned(), "rent_arrears".to_owned()), ("outcome".to_owned(), "ongoing".to_owned())];
        help.extend(date_fields("on", t));
        assert_eq!(location(&browser.post(&app, &format!("{path}/interventions"), &pairs(&help)).await), format!("{path}?saved=help"));
        let journey = browser.get(&app, &format!("/young-people/{}/journey", person.0)).await.text().await.unwrap();
        assert!(journey.contains("Moved: independent living (suitable)") && journey.contains("Housing help: rent, arrears or housing benefit"));

        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        assert_eq!(outsider.get(&app, &path).await.status(), 404);
        assert_eq!(outsider.post(&app, &path, &pairs(&form)).await.status(), 404);
    }

    async fn occupancies_of_a_let_never_overlap_and_only_housing_roles_change_lets(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let housing = app.session(&app.staff(HOUSING).await).await;
        let page = housing.get(&app, "/lets").await.text().await.unwrap();
        assert!(page.contains("5 ring-fenced lets: 2 occupied") && page.contains("Moves to semi-independent living"));

        let lets = app.store().lets(&staying_close_store::Viewer::whole_la(la.id)).await.unwrap();
        let occupied = lets.iter().find(|l| !l.occupancies.is_empty()).unwrap();
        let (current, _) = occupied.occupancies[0].occupant.clone().unwrap();
        let cohort = app.store().cohort(la.id).await.unwrap();
        let other = cohort.iter().find(|r| r.id != current && r.cohort_status == staying_close_domain::people::CohortStatus::Active).unwrap();
        let child_id = other.child_id.as_str().to_owned();
        let path = format!("/lets/{}/occupancies", occupied.id);
        let mut form = vec![("child_id".to_owned(), child_id.clone())];
        form.extend(date_fields("starts_on", today()));
        let refused = housing.post(&app, &path, &pairs(&form)).await;
        assert_eq!(refused.status(), 422);
        let text = refused.text().await.unwrap();
        let current_name = occupied.occupancies[0].occupant.clone().unwrap().1;
        let mover = other.name.clone().unwrap();
        let first = |name: &str| name.split(' ').next().unwrap().to_owned();
        assert!(text.contains("overlaps") && text.contains(&first(&current_name)) && text.contains(&first(&mover)), "both named: {current_name} and {mover}");
        assert_eq!(app.store().lets(&staying_close_store::Viewer::whole_la(la.id)).await.unwrap().iter().find(|l| l.id == occupied.id).unwrap().occupancies.len(), occupied.occupancies.len());

        // Ending the current occupancy today lets the next one start tomorrow.
        let now = app.store().lets(&staying_close_store::Viewer::whole_la(la.id)).await.unwrap().into_iter().find(|l| l.id == occupied.id).unwrap();
        let end_path = format!("/lets/{}/end", occupied.id);
        let too_early = [("version", now.version.to_string()), ("moved_out-day", "1".into()), ("moved_out-month", "1".into()), ("moved_out-year", "2000".into())];
        let early = housing.post(&app, &end_path, &pairs(&too_early.iter().map(|(a, b)| (a.to_string(), b.clone())).collect::<Vec<_>>())).await;
        assert_eq!(early.status(), 422);
        assert!(early.text().await.unwrap().contains("must be on or after the date they moved in"));
        let mut end = vec![("version".to_owned(), now.version.to_string())];
        end.extend(date_fields("moved_out", today()));
        assert_eq!(location(&housing.post(&app, &end_path, &pairs(&end)).await), format!("/lets/{}?saved=ended", occupied.id));
        assert_eq!(housing.post(&app, &end_path, &pairs(&end)).await.status(), 409, "the same form again is stale");
        let mut next = vec![("child_id".to_owned(), child_id.clone())];
        next.extend(date_fields("starts_on", today() + chrono::Duration::days(1)));
        assert_eq!(location(&housing.post(&app, &path, &pairs(&next)).await), format!("/lets/{}?saved=occupancy", occupied.id));

        // An empty let takes them; an unknown child ID is named.
        let empty = lets.iter().find(|l| l.occupancies.is_empty()).unwrap();
        let unknown = vec![("child_id".to_owned(), "ZZ999999".to_owned())].into_iter().chain(date_fields("starts_on", today())).collect::<Vec<_>>();
        let miss = housing.post(&app, &format!("/lets/{}/occupancies", empty.id), &pairs(&unknown)).await;
        assert!(miss.text().await.unwrap().contains("No young person has the child ID ZZ999999"));
        assert_eq!(location(&housing.post(&app, &format!("/lets/{}/occupancies", empty.id), &pairs(&form)).await), format!("/lets/{}?saved=occupancy", empty.id));

        // Changing a property from a stale version is refused.
        let change = vec![("address", empty.property.address.as_str()), ("landlord", "New Landlord"), ("bedrooms", "2"), ("status", "available"), ("version", "1")];
        let stale = housing.post(&app, &format!("/lets/{}", empty.id), &change).await;
        assert_eq!(stale.status(), 409, "recording the occupancy moved the version on");

        // An adviser may look but not change; another LA sees nothing.
        let adviser = app.session(&app.staff(ADVISER).await).await;
        assert_eq!(adviser.get(&app, &format!("/lets/{}", empty.id)).await.status(), 200);
        assert_eq!(adviser.post(&app, "/lets", &[("address", "1 New Street")]).await.status(), 403);
        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        assert_eq!(outsider.get(&app, &format!("/lets/{}", empty.id)).await.status(), 404);
        assert_eq!(outsider.post(&app, &path, &pairs(&form)).await.status(), 404);
    }
}
