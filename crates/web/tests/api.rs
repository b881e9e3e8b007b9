//! The JSON API and its OpenAPI document: every documented route answers
//! with bodies that match the document, writes are checked field by field,
//! stale writes are refused with 409, and another LA's ids are 404.

mod common;

use common::{spawn_demo, TestApp};
use serde_json::{json, Value};
use staying_close_store::Actor;
use staying_close_web::routes::{Access, ROUTES};

const ADVISER: &str = "daniel.okafor@demo-borough.example";
const OTHER_LA_MANAGER: &str = "maureen.kaye@second-demo.example";

async fn api_token(app: &TestApp, email: &str) -> String {
    let staff = app.staff(email).await;
    app.store().create_api_token(&staff, "api test", 1, &Actor::System("test")).await.unwrap().0
}

/// Checks `value` against `schema` (the subset of JSON Schema the generated
/// document uses: $ref, type, properties, required, items, oneOf, allOf).
fn conforms(value: &Value, schema: &Value, doc: &Value, at: &str) -> Result<(), String> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/components/schemas/");
        let target = &doc["components"]["schemas"][name];
        if target.is_null() {
            return Err(format!("{at}: unknown schema {reference}"));
        }
        return conforms(value, target, doc, at);
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        return if options.iter().any(|o| conforms(value, o, doc, at).is_ok()) {
            Ok(())
        } else {
            Err(format!("{at}: {value} matches none of oneOf"))
        };
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            conforms(value, s, doc, at)?;
        }
    }
    if let Some(kind) = schema.get("type") {
        let kinds: Vec<&str> = match kind {
            Value::String(k) => vec![k.as_str()],
            Value::Array(ks) => ks.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = kinds.iter().any(|k| match *k {
            "null" => value.is_null(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        });
        if !ok {
            return Err(format!("{at}: {value} is not of type {kind}"));
        }
    }
    if let (Some(object), Some(properties)) = (value.as_object(), schema.get("properties").and_then(Value::as_object)) {
        for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            let name = required.as_str().unwrap_or_default();
            if !object.contains_key(name) {
                return Err(format!("{at}: required property {name} is missing"));
            }
        }
        for (name, v) in object {
            match properties.get(name) {
                Some(s) => conforms(v, s, doc, &format!("{at}.{name}"))?,
                None => return Err(format!("{at}: property {name} is not in the document")),
            }
        }
    }
    if let (Some(items), Some(schema)) = (value.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            conforms(item, schema, doc, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// The documented schema of `method path`'s answer with `status`.
fn response_schema<'a>(doc: &'a Value, method: &str, path: &str, status: u16) -> &'a Value {
    let schema = &doc["paths"][path][method.to_lowercase()]["responses"][status.to_string()]["content"]
        ["application/json"]["schema"];
    assert!(!schema.is_null(), "the document has no {status} body for {method} {path}");
    schema
}

async fn call(app: &TestApp, token: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = match method {
        "GET" => app.client.get(app.url(path)),
        "POST" => app.client.post(app.url(path)),
        "PUT" => app.client.put(app.url(path)),
        other => panic!("{other}"),
    }
    .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Calls and checks the answer against the document.
async fn checked(
    app: &TestApp,
    doc: &Value,
    token: &str,
    method: &str,
    template: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let (status, value) = call(app, token, method, path, body).await;
    let schema = response_schema(doc, method, template, status);
    if let Err(problem) = conforms(&value, schema, doc, "body") {
        panic!("{method} {path} answered {status} not as documented: {problem}\n{value}");
    }
    (status, value)
}

fn new_person(child: &str) -> Value {
    json!({
        "child_id": child, "first_name": "Amani", "last_name": "Okoro", "date_of_birth": "2007-02-14",
        "nhs_number": "9434765919", "celebrations": ["birthday", "eid_al_fitr"], "expecting": true
    })
}

both_backends! {
    async fn the_document_is_openapi_3_1_and_lists_every_api_route(backend) {
        let app = spawn_demo(backend).await;
        let response = app.get("/api/openapi.json").await;
        assert_eq!(response.status(), 200);
        let doc: Value = response.json().await.unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
        for spec in ROUTES.iter().filter(|r| matches!(r.access, Access::Api(_))) {
            let operation = &doc["paths"][spec.path][spec.method.to_lowercase()];
            assert!(operation.is_object(), "{} {} is not in the document", spec.method, spec.path);
            assert!(!operation["responses"].as_object().unwrap().is_empty());
        }
        assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    }

    async fn every_read_answers_as_documented(backend) {
        let app = spawn_demo(backend).await;
        let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
        let token = api_token(&app, ADVISER).await;
        checked(&app, &doc, &token, "GET", "/api/v1/me", "/api/v1/me", None).await;
        let (status, list) = checked(&app, &doc, &token, "GET", "/api/v1/young-people", "/api/v1/young-people?page=1", None).await;
        assert_eq!(status, 200);
        assert_eq!(list["total"], 35);
        let id = list["young_people"][0]["id"].as_i64().unwrap();
        let (_, searched) = call(&app, &token, "GET", &format!("/api/v1/young-people?q={}", list["young_people"][0]["child_id"].as_str().unwrap()), None).await;
        assert_eq!(searched["total"], 1);
        let (status, record) = checked(&app, &doc, &token, "GET", "/api/v1/young-people/{id}", &format!("/api/v1/young-people/{id}"), None).await;
        assert_eq!(status, 200);
        assert!(record["version"].as_i64().unwrap() >= 1);
        let (status, contacts) = checked(&app, &doc, &token, "GET", "/api/v1/young-people/{id}/contacts", &format!("/api/v1/young-people/{id}/contacts"), None).await;
        assert_eq!(status, 200);
        assert!(contacts["total"].as_i64().unwrap() > 50, "18 months of demo contacts");
        let (status, schedule) = checked(&app, &doc, &token, "GET", "/api/v1/young-people/{id}/schedule", &format!("/api/v1/young-people/{id}/schedule"), None).await;
        assert_eq!(status, 200);
        assert!(["upcoming", "due_today", "overdue"].contains(&schedule["status"].as_str().unwrap()));
        let (status, plan) = checked(&app, &doc, &token, "GET", "/api/v1/young-people/{id}/plan", &format!("/api/v1/young-people/{id}/plan"), None).await;
        assert_eq!(status, 200, "every active demo young person has a plan");
        assert_eq!(plan["areas"].as_array().unwrap().len(), 7);
        assert_eq!(plan["current"], true);
        assert!(plan["areas"].as_array().unwrap().iter().any(|a| !a["goals"].as_array().unwrap().is_empty()));
        let (status, first) = checked(&app, &doc, &token, "GET", "/api/v1/young-people/{id}/plan/versions/{number}", &format!("/api/v1/young-people/{id}/plan/versions/1"), None).await;
        assert_eq!(status, 200);
        assert_eq!(first["number"], 1);
        let (status, _) = checked(&app, &doc, &token, "GET", "/api/v1/young-people/{id}/plan/versions/{number}", &format!("/api/v1/young-people/{id}/plan/versions/99"), None).await;
        assert_eq!(status, 404);
        let (status, allowance) = checked(&app, &doc, &token, "GET", "/api/v1/young-people/{id}/allowance", &format!("/api/v1/young-people/{id}/allowance"), None).await;
        assert_eq!(status, 200);
        assert_eq!(allowance["month_allowance_pence"], 3000);
        assert_eq!(allowance["month_left_pence"].as_i64().unwrap(), 3000 - allowance["month_spent_pence"].as_i64().unwrap());
        let (status, celebrations) = checked(&app, &doc, &token, "GET", "/api/v1/young-people/{id}/celebrations", &format!("/api/v1/young-people/{id}/celebrations"), None).await;
        assert_eq!(status, 200);
        assert!(celebrations["chosen"].as_array().unwrap().iter().any(|c| c == "birthday"), "every demo young person marks their birthday");
        assert!(celebrations["occasions"].as_array().unwrap().iter().any(|o| o["celebration"] == "birthday"), "a birthday within 12 months");
        let (status, trusted) = checked(&app, &doc, &token, "GET", "/api/v1/young-people/{id}/trusted-person", &format!("/api/v1/young-people/{id}/trusted-person"), None).await;
        assert_eq!(status, 200);
        assert!(trusted.as_array().is_some());
        let (status, housing) = checked(&app, &doc, &token, "GET", "/api/v1/young-people/{id}/accommodation", &format!("/api/v1/young-people/{id}/accommodation"), None).await;
        assert_eq!(status, 200);
        assert!(!housing["stays"].as_array().unwrap().is_empty(), "every active demo young person has a stay");
        let (status, lets) = checked(&app, &doc, &token, "GET", "/api/v1/lets", "/api/v1/lets", None).await;
        assert_eq!(status, 200);
        assert_eq!(lets.as_array().unwrap().iter().filter(|l| l["status"] == "occupied").count(), 2);
        let (status, eet) = checked(&app, &doc, &token, "GET", "/api/v1/young-people/{id}/eet", &format!("/api/v1/young-people/{id}/eet"), None).await;
        assert_eq!(status, 200);
        assert!(eet["activities"].as_array().is_some());
        let (status, rate) = checked(&app, &doc, &token, "GET", "/api/v1/eet-rate", "/api/v1/eet-rate?on=2026-01-01", None).await;
        assert_eq!(status, 200);
        assert_eq!(rate["on"], "2026-01-01");
        let (status, advocacy) = checked(&app, &doc, &token, "GET", "/api/v1/young-people/{id}/advocacy", &format!("/api/v1/young-people/{id}/advocacy"), None).await;
        assert_eq!(status, 200);
        assert!(advocacy.as_array().is_some());
        let (status, parenting) = checked(&app, &doc, &token, "GET", "/api/v1/young-people/{id}/parenting", &format!("/api/v1/young-people/{id}/parenting"), None).await;
        assert_eq!(status, 200);
        assert!(parenting["children"].as_array().is_some());
        let (status, health) = checked(&app, &doc, &token, "GET", "/api/v1/young-people/{id}/health", &format!("/api/v1/young-people/{id}/health"), None).await;
        assert_eq!(status, 200, "the API token's owner may see health records");
        assert!(health["referrals"].as_array().is_some());
        let (status, groups) = checked(&app, &doc, &token, "GET", "/api/v1/groups", "/api/v1/groups", None).await;
        assert_eq!(status, 200);
        assert!(!groups.as_array().unwrap().is_empty(), "the demo LA has group events this year");
        let manager_token = api_token(&app, "helen.crossley@demo-borough.example").await;
        let (status, funding) = checked(&app, &doc, &manager_token, "GET", "/api/v1/funding", "/api/v1/funding?year=2025-26", None).await;
        assert_eq!(status, 200);
        assert_eq!(funding["remaining_pence"].as_i64().unwrap(), funding["allocated_pence"].as_i64().unwrap() - funding["spent_pence"].as_i64().unwrap());
        let (status, offer) = checked(&app, &doc, &token, "GET", "/api/v1/offer", "/api/v1/offer", None).await;
        assert_eq!(status, 200);
        assert_eq!(offer["la_code"], "990");
        assert_eq!(offer["categories"].as_array().unwrap().len(), 6);
        // Another LA's record is not found, and the refusal is documented too.
        let la = app.la("991").await;
        let foreign = app.store().cohort(la.id).await.unwrap()[0].id.0;
        let (status, _) = checked(&app, &doc, &token, "GET", "/api/v1/young-people/{id}", &format!("/api/v1/young-people/{foreign}"), None).await;
        assert_eq!(status, 404);
    }

    async fn writes_name_each_bad_field_refuse_stale_versions_and_record_contacts(backend) {
        let app = spawn_demo(backend).await;
        let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
        let token = api_token(&app, ADVISER).await;
        let mut bad = new_person("API1");
        bad["nhs_number"] = json!("9434765918");
        bad["date_of_birth"] = json!("2007-02-31");
        bad["celebrations"] = json!(["halloween"]);
        let (status, errors) = checked(&app, &doc, &token, "POST", "/api/v1/young-people", "/api/v1/young-people", Some(bad)).await;
        assert_eq!(status, 422);
        let fields: Vec<&str> = errors["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, ["date_of_birth", "nhs_number", "celebrations"]);
        let (status, _) = checked(&app, &doc, &token, "POST", "/api/v1/young-people", "/api/v1/young-people", Some(json!({"child_id": 5}))).await;
        assert_eq!(status, 422, "a body of the wrong shape is a 422 too");

        let (status, created) = checked(&app, &doc, &token, "POST", "/api/v1/young-people", "/api/v1/young-people", Some(new_person("API1"))).await;
        assert_eq!(status, 201);
        assert_eq!(created["nhs_number"], "9434765919");
        let (status, _) = checked(&app, &doc, &token, "POST", "/api/v1/young-people", "/api/v1/young-people", Some(new_person("API1"))).await;
        assert_eq!(status, 409, "the child ID is taken");

        let id = created["id"].as_i64().unwrap();
        let path = format!("/api/v1/young-people/{id}");
        let mut change = new_person("API1");
        change["version"] = created["version"].clone();
        change["pronouns"] = json!("she/her");
        let (status, saved) = checked(&app, &doc, &token, "PUT", "/api/v1/young-people/{id}", &path, Some(change.clone())).await;
        assert_eq!(status, 200);
        assert_eq!(saved["pronouns"], "she/her");
        change["pronouns"] = json!("they/them");
        let (status, conflict) = checked(&app, &doc, &token, "PUT", "/api/v1/young-people/{id}", &path, Some(change)).await;
        assert_eq!(status, 409, "the same old version again");
        assert_eq!(conflict["current"]["pronouns"], "she/her", "the record as it is now comes back");

        let me = app.staff(ADVISER).await.id.0;
        let contact = json!({ "date": staying_close_domain::dates::uk_today().to_string(), "time": "10:30",
            "duration_minutes": 45, "kind": "home_visit", "staff": [me], "topics": ["cooking"], "notes": "Soup" });
        let contacts_path = format!("{path}/contacts");
        let (status, item) = checked(&app, &doc, &token, "POST", "/api/v1/young-people/{id}/contacts", &contacts_path, Some(contact)).await;
        assert_eq!(status, 201);
        assert_eq!(item["kind"], "home_visit");
        let (status, errors) = checked(&app, &doc, &token, "POST", "/api/v1/young-people/{id}/contacts", &contacts_path,
            Some(json!({ "date": "2026-02-30", "duration_minutes": 0, "kind": "chat", "staff": [999999] }))).await;
        assert_eq!(status, 422);
        assert_eq!(errors["errors"].as_array().unwrap().len(), 4);

        // Another LA's manager gets 404 for this record, whatever the body.
        let outsider = api_token(&app, OTHER_LA_MANAGER).await;
        let (status, _) = call(&app, &outsider, "PUT", &path, Some(json!({}))).await;
        assert_eq!(status, 404);
    }
}
