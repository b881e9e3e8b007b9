//! The authorization matrix: every route of `routes::ROUTES` × every role ×
//! the caller's own LA and a foreign LA, plus anonymous callers, against the
//! documented permission table. A route added without an access rule cannot
//! be registered at all, and one added without a sample here fails the test.

mod common;

use common::{spawn_demo, TestApp};
use staying_close_domain::permissions::allows;
use staying_close_domain::roles::Role;
use staying_close_store::{Actor, Staff, YoungPersonId};
use staying_close_web::routes::{Access, RouteSpec, ROUTES};

/// Who is calling.
#[derive(Debug, Clone)]
enum Caller {
    Anonymous,
    Staff(Staff),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Own,
    Foreign,
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Allowed,
    SentToSignIn,
    SentHome,
    Forbidden,
    Unauthorised,
    NotFound,
}

/// What the permission table says should happen.
fn expected(spec: &RouteSpec, caller: &Caller, target: Target) -> Outcome {
    let has_id = spec.path.contains("{id}");
    match (spec.access, caller) {
        (Access::Open, _) => Outcome::Allowed,
        (Access::Public, _) => {
            if spec.path.contains("{token}") {
                Outcome::NotFound // an unknown reset link
            } else {
                Outcome::Allowed
            }
        }
        (Access::Api(_), Caller::Anonymous) => Outcome::Unauthorised,
        (_, Caller::Anonymous) => Outcome::SentToSignIn,
        (Access::SecondFactorDue, Caller::Staff(_)) => Outcome::SentHome,
        (Access::AnySession | Access::SignedIn, Caller::Staff(_)) => {
            if has_id && target == Target::Foreign {
                Outcome::NotFound
            } else {
                Outcome::Allowed
            }
        }
        (Access::Permission(p), Caller::Staff(s)) | (Access::Api(Some(p)), Caller::Staff(s)) => {
            if !allows(s.role, p) {
                Outcome::Forbidden
            } else if has_id && target == Target::Foreign {
                Outcome::NotFound
            } else {
                Outcome::Allowed
            }
        }
        (Access::Api(None), Caller::Staff(_)) => Outcome::Allowed,
    }
}

struct World {
    app: TestApp,
    /// A young person of Demo Borough (shared with its residential staff member).
    demo_person: YoungPersonId,
    /// A young person of Second Demo.
    second_person: YoungPersonId,
    second_la: staying_close_store::LaId,
    /// A crisis contact with an open follow-up for each of those young people.
    demo_follow_up: i64,
    second_follow_up: i64,
}

/// Records a crisis with an open follow-up for `person`, owned by `owner`.
async fn crisis(app: &TestApp, la: staying_close_store::LaId, person: YoungPersonId, owner: &Staff) -> i64 {
    use staying_close_domain::contacts::{Contact, ContactKind, FollowUp};
    let contact = Contact {
        on: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        at: None,
        duration_minutes: 60,
        staff: vec![owner.id.0],
        kind: ContactKind::CrisisResponse,
        topics: vec![],
        place: None,
        notes: None,
        crisis: true,
        follow_up: Some(FollowUp { action: "Check in".into(), owner: owner.id.0 }),
        support_areas: vec![],
        support_forms: vec![],
    };
    let viewer = staying_close_store::Viewer::whole_la(la);
    app.store().record_contact(&viewer, person, &contact, &Actor::System("test")).await.unwrap().0
}

async fn world(backend: staying_close_store::Backend) -> World {
    let app = spawn_demo(backend).await;
    let demo = app.la("990").await;
    let second = app.la("991").await;
    let own_person = app.store().cohort(demo.id).await.unwrap()[0].id;
    let foreign_person = app.store().cohort(second.id).await.unwrap()[0].id;
    // Residential staff see only records shared with them: share one in each LA.
    let residential = app.staff("kevin.hargreaves@demo-borough.example").await;
    app.store().share_young_person(demo.id, own_person, residential.id, &Actor::System("test")).await.unwrap();
    let residential = app.staff("carl.buckley@second-demo.example").await;
    app.store().share_young_person(second.id, foreign_person, residential.id, &Actor::System("test")).await.unwrap();
    let demo_follow_up =
        crisis(&app, demo.id, own_person, &app.staff("daniel.okafor@demo-borough.example").await).await;
    let second_follow_up =
        crisis(&app, second.id, foreign_person, &app.staff("owen.pritchard@second-demo.example").await).await;
    World {
        app,
        demo_person: own_person,
        second_person: foreign_person,
        second_la: second.id,
        demo_follow_up,
        second_follow_up,
    }
}

/// Fills the path's parameters for this caller and target.
async fn path_for(w: &World, spec: &RouteSpec, caller: &Caller, target: Target) -> String {
    // "Own" is the caller's LA; "foreign" the other one.
    let in_second = matches!(caller, Caller::Staff(s) if s.la_id == Some(w.second_la));
    let person = match (target, in_second) {
        (Target::Own, false) | (Target::Foreign, true) => w.demo_person,
        (Target::Own, true) | (Target::Foreign, false) => w.second_person,
    };
    let mut path = spec
        .path
        .replace("{*path}", "app.css")
        .replace("{token}", "not-a-real-link")
        .replace("{code}", if in_second { "991" } else { "990" })
        .replace("{number}", "1")
        .replace("{area}", "money")
        .replace("{measure}", "supported");
    if path.contains("{id}") {
        let id = if path.starts_with("/account/tokens/") {
            // Own: the caller's own token. Foreign: someone else's.
            let owner = match (caller, target) {
                (Caller::Staff(s), Target::Own) => s.clone(),
                _ if in_second => w.app.staff("helen.crossley@demo-borough.example").await,
                _ => w.app.staff("maureen.kaye@second-demo.example").await,
            };
            let (_, token) = w.app.store().create_api_token(&owner, "matrix", 1, &Actor::System("test")).await.unwrap();
            token.id
        } else if path.contains("/young-people/") {
            person.0
        } else if path.starts_with("/team/") {
            // Own: the caller themselves (so the matrix never disables anyone). Foreign: the other LA's manager.
            match (caller, target) {
                (Caller::Staff(s), Target::Own) => s.id.0,
                _ if in_second => w.app.staff("helen.crossley@demo-borough.example").await.id.0,
                _ => w.app.staff("maureen.kaye@second-demo.example").await.id.0,
            }
        } else if path.starts_with("/settings/offer/") {
            // An entry of the caller's LA's offer, or of the other LA's.
            let own = match caller {
                Caller::Staff(s) => s.la_id,
                _ => None,
            };
            let la = match (target, own) {
                (Target::Own, Some(la)) => la,
                _ if in_second => w.app.la("990").await.id,
                _ => w.app.la("991").await.id,
            };
            w.app.store().offer_items(la).await.unwrap()[0].id
        } else if path.starts_with("/lets/") {
            // A let of the caller's LA, or of the other LA's.
            let own = match caller {
                Caller::Staff(s) => s.la_id,
                _ => None,
            };
            let la = match (target, own) {
                (Target::Own, Some(la)) => la,
                _ if in_second => w.app.la("990").await.id,
                _ => w.app.la("991").await.id,
            };
            w.app.store().lets(&staying_close_store::Viewer::whole_la(la)).await.unwrap()[0].id
        } else if path.starts_with("/groups/") {
            // An event of the caller's LA, or of the other LA's.
            let own = match caller {
                Caller::Staff(s) => s.la_id,
                _ => None,
            };
            let la = match (target, own) {
                (Target::Own, Some(la)) => la,
                _ if in_second => w.app.la("990").await.id,
                _ => w.app.la("991").await.id,
            };
            let from = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
            let to = chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
            w.app.store().group_events(la, from, to, false).await.unwrap()[0].id
        } else if path.starts_with("/settings/festivals/") {
            // A festival date of the caller's LA, or of the other LA's.
            let own = match caller {
                Caller::Staff(s) => s.la_id,
                _ => None,
            };
            let la = match (target, own) {
                (Target::Own, Some(la)) => la,
                _ if in_second => w.app.la("990").await.id,
                _ => w.app.la("991").await.id,
            };
            let from = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
            let to = chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
            w.app.store().festival_dates(la, from, to).await.unwrap()[0].id
        } else if path.starts_with("/follow-ups/") {
            if person == w.demo_person {
                w.demo_follow_up
            } else {
                w.second_follow_up
            }
        } else {
            panic!("no sample value for the parameters of {}: add one to path_for", spec.path)
        };
        path = path.replace("{id}", &id.to_string());
    }
    path
}

async fn call(w: &World, spec: &RouteSpec, caller: &Caller, target: Target) -> (Outcome, u16, String) {
    let path = path_for(w, spec, caller, target).await;
    let app = &w.app;
    let mut request = match spec.method {
        "GET" => app.client.get(app.url(&path)),
        "POST" => app.client.post(app.url(&path)),
        "PUT" => app.client.put(app.url(&path)),
        other => panic!("method {other} is not covered by the matrix test"),
    };
    let mut csrf = String::from("none");
    if let Caller::Staff(staff) = caller {
        if matches!(spec.access, Access::Api(_)) {
            let (token, _) = app.store().create_api_token(staff, "matrix", 1, &Actor::System("test")).await.unwrap();
            request = request.bearer_auth(token);
        } else {
            // A fresh session per call: some calls (sign-out) end theirs.
            let browser = app.session(staff).await;
            request = request.header("cookie", browser.cookie);
            csrf = browser.csrf;
        }
    } else if spec.method == "POST" {
        // A real anonymous form: the cookie's nonce, and the form's MAC of it.
        let nonce = "0123456789abcdef0123456789abcdef";
        request = request.header("cookie", format!("sc_form={nonce}"));
        csrf = app.store().bind_form_nonce(nonce);
    }
    if spec.method == "POST" {
        request = request.query(&[("csrf_token", &csrf)]).form(&[("csrf_token", &csrf)]);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let location = common::location(&response);
    let outcome = match status {
        401 => Outcome::Unauthorised,
        403 => Outcome::Forbidden,
        404 => Outcome::NotFound,
        303 if location == "/sign-in" => Outcome::SentToSignIn,
        303 if location == "/home" && spec.access == Access::SecondFactorDue => Outcome::SentHome,
        _ => Outcome::Allowed,
    };
    (outcome, status, path)
}

async fn run_matrix(backend: staying_close_store::Backend) {
    let w = world(backend).await;
    let mut callers = vec![Caller::Anonymous];
    for la in ["990", "991"] {
        let la = w.app.la(la).await;
        for staff in w.app.store().list_staff(la.id).await.unwrap() {
            callers.push(Caller::Staff(staff));
        }
    }
    callers.push(Caller::Staff(w.app.staff("priya.raman@programme.example").await));
    let roles: std::collections::HashSet<Role> =
        callers.iter().filter_map(|c| if let Caller::Staff(s) = c { Some(s.role) } else { None }).collect();
    assert_eq!(roles.len(), Role::ALL.len(), "the demo has an account for every role");

    let mut failures = Vec::new();
    let mut checked = 0;
    for spec in ROUTES {
        for caller in &callers {
            for target in [Target::Own, Target::Foreign] {
                if target == Target::Foreign && !spec.path.contains('{') {
                    continue;
                }
                let want = expected(spec, caller, target);
                let (got, status, path) = call(&w, spec, caller, target).await;
                checked += 1;
                if got != want {
                    let who = match caller {
                        Caller::Anonymous => "anonymous".to_owned(),
                        Caller::Staff(s) => format!("{} of LA {:?}", s.role.as_str(), s.la_id),
                    };
                    failures.push(format!(
                        "{} {path} as {who} ({target:?}): expected {want:?}, got {got:?} (HTTP {status})",
                        spec.method
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
    assert!(checked > 500, "the matrix ran {checked} checks");
}

#[tokio::test]
async fn matrix_on_sqlite() {
    run_matrix(staying_close_store::Backend::Sqlite).await;
}

#[tokio::test]
async fn matrix_on_postgres() {
    run_matrix(staying_close_store::Backend::Postgres).await;
}

#[test]
fn every_route_is_documented_with_its_access_rule() {
    let doc = include_str!("../../../docs/security.md");
    for spec in ROUTES {
        let row = format!("| {} | `{}` |", spec.method, spec.path);
        assert!(doc.contains(&row), "docs/security.md has no row {row}");
    }
    let documented = doc
        .lines()
        .filter(|l| l.starts_with("| GET |") || l.starts_with("| POST |") || l.starts_with("| PUT |"))
        .count();
    assert_eq!(documented, ROUTES.len(), "docs/security.md lists a route the service does not have");
}
