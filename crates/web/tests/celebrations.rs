//! Celebrations: the calendar from the record and the LA's festival dates,
//! tasks added for an offered occasion and marked done (a stale form is
//! refused), My week's coming-up list with allowance left, the festival
//! table kept by the LA administrator, and other LAs kept out.

mod common;

use chrono::Duration;
use common::{location, spawn_demo};
use staying_close_domain::celebrations::{occasions, CalendarFacts, FestivalDate};
use staying_close_domain::profile::Celebration;

const ADVISER: &str = "daniel.okafor@demo-borough.example";
const ADMIN: &str = "alison.marsh@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

fn today() -> chrono::NaiveDate {
    staying_close_domain::dates::uk_today()
}

both_backends! {
    async fn a_task_for_an_occasion_is_added_marked_done_and_shown_on_my_week(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let adviser = app.staff(ADVISER).await;
        let cohort = app.store().cohort(la.id).await.unwrap();
        let row = cohort.iter().find(|r| r.adviser_id == Some(adviser.id)).unwrap();
        let person = app.store().young_person(la.id, row.id).await.unwrap();
        let browser = app.session(&adviser).await;
        let path = format!("/young-people/{}/celebrations", person.id.0);

        // The page's calendar is the domain's, over the next 12 months.
        let t = today();
        let to = t + Duration::days(365);
        let festivals: Vec<FestivalDate> = app.store().festival_dates(la.id, t, to).await.unwrap().into_iter().map(|f| f.festival).collect();
        let facts = CalendarFacts { date_of_birth: person.date_of_birth, chosen: &person.details.celebrations, staying_close_start: person.details.staying_close_start, festivals: &festivals };
        let days = occasions(facts, t, to);
        let birthday = days.iter().find(|o| o.celebration == Celebration::Birthday).expect("a birthday within a year");
        let page = browser.get(&app, &path).await.text().await.unwrap();
        assert!(page.contains("Coming up in the next 12 months") && page.contains(&birthday.label));

        // Bad input names each field and keeps what was typed.
        let bad = browser.post(&app, &path, &[("occasion", "1999-01-01:birthday"), ("budget", "lots"), ("note", "Lemon drizzle")]).await;
        assert_eq!(bad.status(), 422);
        let text = bad.text().await.unwrap();
        assert!(text.contains("Choose the occasion the task is for") && text.contains("Choose what the task is") && text.contains("Lemon drizzle"));

        let key = format!("{}:birthday", birthday.on);
        let before = app.store().celebration_tasks(la.id, person.id, t).await.unwrap().len();
        let saved = browser.post(&app, &path, &[("occasion", &key), ("kind", "cake"), ("budget", "12.50"), ("note", "Lemon drizzle")]).await;
        assert_eq!(location(&saved), format!("{path}?saved=task"));
        let tasks = app.store().celebration_tasks(la.id, person.id, t).await.unwrap();
        assert_eq!(tasks.len(), before + 1);
        let task = tasks.iter().find(|t| t.task.note.as_deref() == Some("Lemon drizzle")).unwrap();
        assert_eq!((task.task.budget.0, task.done_on), (1250, None), "pence end to end, not done yet");

        let done = format!("{path}/done?task={}&version={}&done=yes", task.id, task.version);
        assert_eq!(location(&browser.post(&app, &done, &[]).await), format!("{path}?saved=done"));
        // The same form again is stale: refused, and nothing changes.
        let stale = format!("{path}/done?task={}&version={}&done=no", task.id, task.version);
        assert_eq!(browser.post(&app, &stale, &[]).await.status(), 409);
        let now = app.store().celebration_tasks(la.id, person.id, t).await.unwrap();
        assert_eq!(now.iter().find(|x| x.id == task.id).unwrap().done_on, Some(t));

        // My week answers what is coming up and how much allowance is left.
        if (birthday.on - t).num_days() <= 30 {
            let week = browser.get(&app, "/my-week").await.text().await.unwrap();
            assert!(week.contains("Cake, £12.50 (Lemon drizzle) done"));
        }
        let week = browser.get(&app, "/my-week").await.text().await.unwrap();
        assert!(week.contains("Coming up and allowance left") && week.contains(&format!("Allowance left in {}", t.format("%B"))));
        let journey = browser.get(&app, &format!("/young-people/{}/journey?show=celebration", person.id.0)).await.text().await.unwrap();
        assert!(journey.contains("Cake for Birthday (budget £12.50)"), "a task done is on the Journey");

        // Another LA sees none of it and changes nothing.
        let outsider = app.session(&app.staff(OTHER_LA_MANAGER).await).await;
        assert_eq!(outsider.get(&app, &path).await.status(), 404);
        assert_eq!(outsider.post(&app, &path, &[("occasion", &key), ("kind", "gift")]).await.status(), 404);
        let undo = format!("{path}/done?task={}&version={}&done=no", task.id, task.version + 1);
        assert_eq!(outsider.post(&app, &undo, &[]).await.status(), 404);
        assert_eq!(app.store().celebration_tasks(la.id, person.id, t).await.unwrap().len(), before + 1);
    }

    async fn the_la_administrator_keeps_the_festival_dates(backend) {
        let app = spawn_demo(backend).await;
        let la = app.la("990").await;
        let admin = app.session(&app.staff(ADMIN).await).await;
        let page = admin.get(&app, "/settings/festivals").await.text().await.unwrap();
        assert!(page.contains("Diwali") && page.contains("Add a festival date"));

        let bad = admin.post(&app, "/settings/festivals", &[("celebration", "christmas"), ("on-day", "31"), ("on-month", "2"), ("on-year", "2027")]).await;
        assert_eq!(bad.status(), 422);
        let text = bad.text().await.unwrap();
        assert!(text.contains("Choose the festival") && text.contains("must be a real date"));

        let added = admin.post(&app, "/settings/festivals", &[("celebration", "vaisakhi"), ("on-day", "14"), ("on-month", "4"), ("on-year", "2031")]).await;
        assert_eq!(location(&added), "/settings/festivals?saved=added");
        let twice = admin.post(&app, "/settings/festivals", &[("celebration", "vaisakhi"), ("on-day", "14"), ("on-month", "4"), ("on-year", "2031")]).await;
        assert_eq!(twice.status(), 422);
        assert!(twice.text().await.unwrap().contains("Vaisakhi is already on 14 April 2031"));

        let day = chrono::NaiveDate::from_ymd_opt(2031, 4, 14).unwrap();
        let row = app.store().festival_dates(la.id, day, day).await.unwrap();
        assert_eq!(row.len(), 1);
        // Another LA's administrator cannot remove it.
        let outsider = app.session(&app.staff("zara.hussain@second-demo.example").await).await;
        assert_eq!(outsider.post(&app, &format!("/settings/festivals/{}/remove", row[0].id), &[]).await.status(), 404);
        assert_eq!(app.store().festival_dates(la.id, day, day).await.unwrap().len(), 1);
        let removed = admin.post(&app, &format!("/settings/festivals/{}/remove", row[0].id), &[]).await;
        assert_eq!(location(&removed), "/settings/festivals?saved=removed");
        assert!(app.store().festival_dates(la.id, day, day).await.unwrap().is_empty());
    }
}
