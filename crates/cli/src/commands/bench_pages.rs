//! `staying-close bench pages`: the cohort page and a young person's page at
//! demo size and at a generated LA of many young people with years of
//! contacts, in one run on one database, requests sent in-process to the
//! real router (session, audit and all) one after another. Prints p50 and
//! p99 and the ratio between the two sizes; never an assertion.

use crate::commands::generate::{rows, FIRST_CODE};
use axum::body::Body;
use axum::http::Request;
use staying_close_domain::dataset::Dataset;
use staying_close_domain::la::LaCode;
use staying_close_domain::people::Password;
use staying_close_domain::roles::Role;
use staying_close_store::{Actor, CohortQuery, SessionStage, Store, Viewer};
use staying_close_web::{AppState, WebConfig};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

pub struct Options {
    pub young_people: usize,
    pub years: u32,
    pub requests: usize,
}

struct Timing {
    p50: Duration,
    p99: Duration,
}

fn percentiles(mut samples: Vec<Duration>) -> Timing {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1];
    Timing { p50: at(0.50), p99: at(0.99) }
}

async fn time_get(router: &axum::Router, path: &str, cookie: &str, requests: usize) -> anyhow::Result<Timing> {
    let mut samples = Vec::with_capacity(requests);
    for i in 0..requests + 5 {
        let request = Request::get(path).header("cookie", cookie).body(Body::empty())?;
        let started = Instant::now();
        let response = router.clone().oneshot(request).await?;
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        let took = started.elapsed();
        if !status.is_success() {
            anyhow::bail!("GET {path} answered {status}: {}", String::from_utf8_lossy(&body[..body.len().min(300)]));
        }
        // The first five warm the caches and the day's cohort facts.
        if i >= 5 {
            samples.push(took);
        }
    }
    Ok(percentiles(samples))
}

/// A signed-in team manager of the LA with `code`, and one of its young people.
async fn manager_and_person(store: &Store, code: &str) -> anyhow::Result<(String, i64)> {
    let la = store.la_by_code(&LaCode::parse(code)?).await?.ok_or_else(|| anyhow::anyhow!("no LA {code}"))?;
    let manager = store
        .list_staff(la.id)
        .await?
        .into_iter()
        .find(|s| s.role == Role::TeamManager)
        .ok_or_else(|| anyhow::anyhow!("LA {code} has no team manager"))?;
    let token = store.create_session(&manager, SessionStage::Active, Some("127.0.0.1")).await?;
    let today = staying_close_domain::dates::uk_today();
    let first =
        store.cohort_page(&Viewer::whole_la(la.id), &CohortQuery { per_page: 1, ..Default::default() }, today).await?;
    let person = first.lines.first().ok_or_else(|| anyhow::anyhow!("LA {code} has nobody"))?.id.0;
    Ok((format!("sc_session={token}"), person))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub async fn run(store: Store, password: &Password, options: Options) -> anyhow::Result<()> {
    let today = staying_close_domain::dates::uk_today();
    store
        .load_dataset(
            &staying_close_demo::generate(today, staying_close_demo::DEFAULT_SEED),
            password,
            &Actor::System("bench"),
        )
        .await?;
    let la = staying_close_demo::synthetic_la(today, 1, FIRST_CODE, options.young_people, options.years);
    let data = Dataset { las: vec![la], national_staff: Vec::new() };
    let written = rows(&data);
    let started = Instant::now();
    store.load_dataset(&data, password, &Actor::System("bench")).await?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "Generated LA {FIRST_CODE}: {} young people, {written} rows in {seconds:.1} s ({:.0} rows a minute).",
        options.young_people,
        written as f64 / seconds * 60.0
    );

    let router = staying_close_web::router(AppState { store: store.clone(), config: Arc::new(WebConfig::default()) });
    let big = format!("{FIRST_CODE:03}");
    // The first cohort request of a day works out every record's facts once.
    let (cookie, _) = manager_and_person(&store, &big).await?;
    let t = Instant::now();
    let request = Request::get("/young-people").header("cookie", &cookie).body(Body::empty())?;
    axum::body::to_bytes(router.clone().oneshot(request).await?.into_body(), usize::MAX).await?;
    println!(
        "First /young-people of the day at {} young people (works out every record's facts): {:.0} ms",
        options.young_people,
        ms(t.elapsed())
    );

    println!();
    println!("| Page | Demo LA p50 | p99 | {} young people p50 | p99 | Ratio p50 | Ratio p99 |", options.young_people);
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let (small_cookie, small_person) = manager_and_person(&store, "990").await?;
    let (big_cookie, big_person) = manager_and_person(&store, &big).await?;
    let year = format!("from={}&to={today}", today - chrono::Duration::days(364));
    let report = format!("/reports/impact?{year}");
    let facts = format!("/reports/five-minute-facts?{year}");
    let contacts = format!("/reports/impact/contacts?{year}");
    for (label, small_path, big_path) in [
        ("`GET /young-people`", "/young-people".to_owned(), "/young-people".to_owned()),
        ("`GET /young-people/{id}`", format!("/young-people/{small_person}"), format!("/young-people/{big_person}")),
        (
            "`GET /young-people/{id}/contacts`",
            format!("/young-people/{small_person}/contacts"),
            format!("/young-people/{big_person}/contacts"),
        ),
        (
            "`GET /young-people/{id}/plan`",
            format!("/young-people/{small_person}/plan"),
            format!("/young-people/{big_person}/plan"),
        ),
        (
            "`GET /young-people?review=yes` (plan review due)",
            "/young-people?review=yes".to_owned(),
            "/young-people?review=yes".to_owned(),
        ),
        ("`GET /my-week` (team)", "/my-week".to_owned(), "/my-week".to_owned()),
        (
            "`GET /young-people/{id}/journey` (every kind of record)",
            format!("/young-people/{small_person}/journey"),
            format!("/young-people/{big_person}/journey"),
        ),
        (
            "`GET /young-people/{id}/celebrations`",
            format!("/young-people/{small_person}/celebrations"),
            format!("/young-people/{big_person}/celebrations"),
        ),
        ("`GET /eet-rate` (the whole cohort on a day)", "/eet-rate".to_owned(), "/eet-rate".to_owned()),
        ("`GET /lets` (with this year's housing outcomes)", "/lets".to_owned(), "/lets".to_owned()),
        (
            "`GET /reports/impact` (the last complete financial year, the default)",
            "/reports/impact".to_owned(),
            "/reports/impact".to_owned(),
        ),
        ("`GET /reports/impact` (12 months: every figure and 3 charts)", report.clone(), report.clone()),
        ("`GET /reports/five-minute-facts` (12 months)", facts.clone(), facts.clone()),
        ("`GET /reports/impact/contacts` (first page of 12 months' contacts)", contacts.clone(), contacts.clone()),
    ] {
        let small = time_get(&router, &small_path, &small_cookie, options.requests).await?;
        let large = time_get(&router, &big_path, &big_cookie, options.requests).await?;
        println!(
            "| {label} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {:.2} | {:.2} |",
            ms(small.p50),
            ms(small.p99),
            ms(large.p50),
            ms(large.p99),
            large.p50.as_secs_f64() / small.p50.as_secs_f64(),
            large.p99.as_secs_f64() / small.p99.as_secs_f64()
        );
    }
    store.close().await;
    Ok(())
}
