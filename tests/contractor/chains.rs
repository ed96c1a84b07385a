//! Setup chains from the resource graph (issue 9), each on a small spec of our own under
//! `tests/fixtures/chains/`: parents are created before children with the id each create
//! answers with, removed again children first (also after a failed call); a link beats
//! inference; what nothing produces is ignored with its reason or needs a fixture value; every
//! scenario sends its own names, reproducibly; and the spec-driven stub keeps what was created.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use contractor::scenario::{self, CaptureFrom, GenerateOptions, Scenario, Step};
use contractor::spec::{fixture_name, Graph, IdSource, Producer};
use contractor::stub::{Responder, SpecStub, StubRequest, StubResponse};
use serde_json::{json, Value};

use crate::loopback::{serve, Loopback, Reply};
use crate::support::*;

fn spec(name: &str) -> PathBuf {
    fixture(&format!("chains/{name}"))
}

fn generated_with(name: &str, seed: u64) -> Vec<Scenario> {
    let options = GenerateOptions {
        seed,
        ..GenerateOptions::default()
    };
    scenario::generate(&load_api(&spec(name)), &options)
}

fn generated(name: &str) -> Vec<Scenario> {
    generated_with(name, 1)
}

fn find<'a>(scenarios: &'a [Scenario], id: &str) -> &'a Scenario {
    scenarios.iter().find(|s| s.id == id).unwrap_or_else(|| {
        let ids: Vec<&str> = scenarios.iter().map(|s| s.id.as_str()).collect();
        panic!("no {id} in {ids:#?}")
    })
}

/// The operations of `steps`, in order.
fn operations(steps: &[Step]) -> Vec<&str> {
    steps.iter().map(|s| s.operation.as_str()).collect()
}

fn param<'a>(step: &'a Step, name: &str) -> &'a str {
    step.params
        .get(name)
        .unwrap_or_else(|| panic!("{} has no {name}: {:?}", step.operation, step.params))
}

fn body_capture(var: &str, pointer: &str) -> Vec<(String, CaptureFrom)> {
    vec![(var.to_owned(), CaptureFrom::Body(pointer.to_owned()))]
}

/// `contractor run --spec SPEC ARGS --json FILE`: exit code, stdout and the JSON report.
fn run(spec_name: &str, name: &str, extra: &[&str]) -> (i32, String, Value) {
    let json = tmp_dir(&format!("chains-{name}")).join("run.json");
    let spec = spec(spec_name);
    let mut args = vec!["run", "--spec", spec.to_str().expect("utf-8")];
    let json_arg = json.to_string_lossy();
    args.extend(["--json", &json_arg]);
    args.extend(extra);
    let (code, out, err) = contractor(&args);
    let report = std::fs::read_to_string(&json).unwrap_or_else(|_| panic!("no report: {err}"));
    (code, out, serde_json::from_str(&report).expect("json"))
}

/// Runs `spec_name`'s generated suite against the embedded spec-driven stub; it must pass.
fn passes_against_the_stub(spec_name: &str) -> Value {
    let (code, out, report) = run(spec_name, &format!("stub-{spec_name}"), &[]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(report["summary"]["failed"], 0, "{out}");
    assert_eq!(report["summary"]["blocked"], 0, "{out}");
    report
}

// ---- 1. nested resources named by `name` -------------------------------------------------------

#[test]
fn a_nested_read_creates_tenant_database_and_collection_in_order_each_with_the_last_capture() {
    let scenarios = generated("nested.yaml");
    let s = find(&scenarios, "getCollection::200::valid");
    assert_eq!(
        operations(&s.steps),
        [
            "createTenant",
            "createDatabase",
            "createCollection",
            "getCollection"
        ]
    );
    let (tenant, database, collection, call) = (&s.steps[0], &s.steps[1], &s.steps[2], &s.steps[3]);
    assert!(s.steps[..3].iter().all(|step| step.setup), "{s:#?}");
    assert_eq!(tenant.captures, body_capture("created_tenant", "/name"));
    assert_eq!(database.captures, body_capture("created_database", "/name"));
    assert_eq!(
        collection.captures,
        body_capture("created_collection", "/name")
    );
    assert_eq!(param(database, "tenant"), "${created_tenant}");
    assert_eq!(param(collection, "tenant"), "${created_tenant}");
    assert_eq!(param(collection, "database"), "${created_database}");
    assert_eq!(param(call, "tenant"), "${created_tenant}");
    assert_eq!(param(call, "database"), "${created_database}");
    assert_eq!(param(call, "collection"), "${created_collection}");
}

#[test]
fn a_nested_read_cleans_up_collection_database_and_tenant_in_that_order() {
    let scenarios = generated("nested.yaml");
    let s = find(&scenarios, "getCollection::200::valid");
    assert_eq!(
        operations(&s.cleanup),
        ["deleteCollection", "deleteDatabase", "deleteTenant"]
    );
    let (collection, database, tenant) = (&s.cleanup[0], &s.cleanup[1], &s.cleanup[2]);
    assert_eq!(param(collection, "collection"), "${created_collection}");
    assert_eq!(param(collection, "database"), "${created_database}");
    assert_eq!(param(collection, "tenant"), "${created_tenant}");
    assert_eq!(param(database, "database"), "${created_database}");
    assert_eq!(param(database, "tenant"), "${created_tenant}");
    assert_eq!(param(tenant, "tenant"), "${created_tenant}");
}

#[test]
fn the_nested_suite_passes_against_the_embedded_stub() {
    let report = passes_against_the_stub("nested.yaml");
    for id in [
        "getCollection::200::valid",
        "createCollection::lifecycle::create_read_delete",
        "getCollection::404::never_created",
        "exportCollection::404::never_created",
    ] {
        assert_eq!(reported(&report, id)["result"], "passed", "{id}");
    }
}

// ---- 2. the order a server sees ----------------------------------------------------------------

const NESTED_ORDER: [&str; 7] = [
    "POST /tenants",
    "POST /tenants/acme/databases",
    "POST /tenants/acme/databases/main/collections",
    "GET /tenants/acme/databases/main/collections/docs",
    "DELETE /tenants/acme/databases/main/collections/docs",
    "DELETE /tenants/acme/databases/main",
    "DELETE /tenants/acme",
];

/// A server for `nested.yaml` whose creates answer `acme`, `main` and `docs`, and whose read of
/// the collection answers `read`.
fn nested_server(read: Reply) -> Loopback {
    serve(move |method, path| match (method, path) {
        ("POST", "/tenants") => Reply::Json(201, r#"{"name":"acme"}"#),
        ("POST", "/tenants/acme/databases") => {
            Reply::Json(201, r#"{"name":"main","tenant":"acme"}"#)
        }
        ("POST", "/tenants/acme/databases/main/collections") => {
            Reply::Json(201, r#"{"name":"docs","database":"main"}"#)
        }
        ("GET", "/tenants/acme/databases/main/collections/docs") => read,
        ("DELETE", _) => Reply::Empty(204),
        _ => Reply::Json(404, r#"{"error":"unscripted"}"#),
    })
}

#[test]
fn a_server_sees_creates_parents_first_then_the_call_then_deletes_children_first() {
    let server = nested_server(Reply::Json(200, r#"{"name":"docs","database":"main"}"#));
    let args = ["--target", &server.url, "--filter", "getCollection::200"];
    let (code, out, report) = run("nested.yaml", "order", &args);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        reported(&report, "getCollection::200::valid")["result"],
        "passed"
    );
    assert_eq!(server.seen(), NESTED_ORDER);
}

#[test]
fn the_deletes_still_run_children_first_when_the_call_fails() {
    let server = nested_server(Reply::Json(500, r#"{"error":"down"}"#));
    let args = ["--target", &server.url, "--filter", "getCollection::200"];
    let (code, out, report) = run("nested.yaml", "order-after-500", &args);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        reported(&report, "getCollection::200::valid")["result"],
        "failed"
    );
    assert_eq!(server.seen(), NESTED_ORDER);
}

// ---- 3. links ------------------------------------------------------------------------------------

#[test]
fn an_openapi_link_wins_over_the_inferred_id_field() {
    let api = load_api(&spec("links.yaml"));
    let graph = Graph::of(&api);
    let get = api.operation("getThing").expect("getThing");
    assert_eq!(
        graph.producer(get, "thingId"),
        Some(Producer::Link {
            operation: "createThing".to_owned(),
            pointer: "/data/key".to_owned(),
        })
    );
    let scenarios = generated("links.yaml");
    let s = find(&scenarios, "getThing::200::valid");
    assert_eq!(operations(&s.steps), ["createThing", "getThing"]);
    assert_eq!(
        s.steps[0].captures,
        body_capture("created_thingId", "/data/key")
    );
    assert_eq!(param(&s.steps[1], "thingId"), "${created_thingId}");
}

#[test]
fn a_thing_created_for_its_link_is_deleted_and_the_stub_keeps_it_under_the_linked_id() {
    // Regression: the resource's id stayed the inferred `/id`, so the create the link asked
    // for was never cleaned up, and the stub stored the thing under `/id`: a never-created
    // thing and a deleted one both read back 200.
    let api = load_api(&spec("links.yaml"));
    assert_eq!(
        Graph::of(&api).resources[0].id,
        IdSource::Response("/data/key".to_owned())
    );
    let scenarios = generated("links.yaml");
    let s = find(&scenarios, "getThing::200::valid");
    assert_eq!(operations(&s.cleanup), ["deleteThing"]);
    assert_eq!(param(&s.cleanup[0], "thingId"), "${created_thingId}");
    let report = passes_against_the_stub("links.yaml");
    for id in [
        "getThing::404::never_created",
        "createThing::lifecycle::create_read_delete",
    ] {
        assert_eq!(reported(&report, id)["result"], "passed", "{id}");
    }
}

// ---- 4. no producer ------------------------------------------------------------------------------

#[test]
fn a_create_that_answers_without_a_body_leaves_its_item_without_a_producer() {
    let api = load_api(&spec("no-body.yaml"));
    let graph = Graph::of(&api);
    assert!(matches!(graph.resources[0].id, IdSource::Unknown(_)));
    let scenarios = generated("no-body.yaml");
    let s = find(&scenarios, "getWidget::200::valid");
    let why = s.ignored.as_deref().expect("ignored");
    assert!(why.starts_with("no producer for `{widgetId}`"), "{why}");
    assert!(why.contains("createWidget"), "{why}");
    assert!(s.steps.is_empty());
}

// ---- 5. identifiers nothing creates -------------------------------------------------------------

#[test]
fn an_identifier_nothing_creates_is_a_fixture_value_named_after_it() {
    let scenarios = generated("standing.yaml");
    let report = find(&scenarios, "getReport::200::valid");
    assert_eq!(report.tags.fixtures, ["report_id"]);
    assert_eq!(
        param(&report.steps[0], "report_id"),
        "${fixtures.report_id}"
    );
    assert!(report.ignored.is_none());
    let album = find(&scenarios, "getAlbum::200::valid");
    assert_eq!(album.tags.fixtures, ["albums_id"]);
    assert_eq!(param(&album.steps[0], "id"), "${fixtures.albums_id}");
    assert_eq!(fixture_name("/albums/{id}", "id"), "albums_id");
    assert_eq!(
        fixture_name("/reports/{report_id}", "report_id"),
        "report_id"
    );
}

#[test]
fn an_identifier_nothing_creates_is_ignored_against_a_target_without_fixture_values() {
    let server = serve(|_, path| match path {
        "/reports" => Reply::Json(200, r#"["june"]"#),
        _ => Reply::Json(200, r#"{"id":7,"title":"june"}"#),
    });
    let args = ["--target", &server.url];
    let (code, out, report) = run("standing.yaml", "standing-target", &args);
    assert_eq!(code, 0, "{out}");
    let ignored = reported(&report, "getReport::200::valid");
    assert_eq!(ignored["result"], "ignored");
    assert_eq!(
        ignored["reason"],
        "needs fixture value 'report_id': pass --fixture-value report_id=VALUE or --fixture FILE"
    );
    assert_eq!(
        reported(&report, "getAlbum::200::valid")["reason"],
        "needs fixture value 'albums_id': pass --fixture-value albums_id=VALUE or --fixture FILE"
    );
    assert_eq!(server.seen(), ["GET /reports"]);
}

#[test]
fn an_identifier_given_in_the_settings_file_is_sent() {
    let server = serve(|_, path| match path {
        "/reports" => Reply::Json(200, r#"["june"]"#),
        _ => Reply::Json(200, r#"{"id":7,"title":"june"}"#),
    });
    let settings = tmp_dir("chains-standing-settings").join("contractor.toml");
    std::fs::write(
        &settings,
        "[fixtures]\nreport_id = \"r-7\"\nalbums_id = \"7\"\n",
    )
    .expect("settings");
    let settings = settings.to_string_lossy();
    let args = ["--target", &server.url, "--config", &settings];
    let (code, out, report) = run("standing.yaml", "standing-given", &args);
    assert_eq!(code, 0, "{out}");
    assert_eq!(report["summary"]["passed"], 3, "{out}");
    let mut seen = server.seen();
    seen.sort();
    assert_eq!(seen, ["GET /albums/7", "GET /reports", "GET /reports/r-7"]);
}

#[test]
fn an_identifier_nothing_creates_passes_against_the_embedded_stub() {
    let report = passes_against_the_stub("standing.yaml");
    assert_eq!(
        reported(&report, "getReport::200::valid")["result"],
        "passed"
    );
    assert_eq!(
        reported(&report, "getAlbum::200::valid")["result"],
        "passed"
    );
}

// ---- 6. unique and reproducible values ------------------------------------------------------------

/// The body of the `createProject` setup step of scenario `id`.
fn project_sent(scenarios: &[Scenario], id: &str) -> Value {
    let s = find(scenarios, id);
    let create = s
        .steps
        .iter()
        .find(|step| step.operation == "createProject" && step.setup)
        .unwrap_or_else(|| panic!("{id} creates no project: {s:#?}"));
    create.body.clone().expect("body")
}

#[test]
fn two_scenarios_that_create_a_project_send_different_names_and_the_example_owner() {
    let scenarios = generated("unique.yaml");
    let read = project_sent(&scenarios, "getProject::200::valid");
    let rename = project_sent(&scenarios, "renameProject::200::valid");
    assert_ne!(read["name"], rename["name"], "{read} {rename}");
    assert!(read["name"].is_string(), "{read}");
    assert_eq!(read["ownerId"], "user-0042");
    assert_eq!(rename["ownerId"], "user-0042");
}

#[test]
fn the_same_seed_generates_the_same_values_and_another_seed_other_names() {
    let once = generated_with("unique.yaml", 7);
    let again = generated_with("unique.yaml", 7);
    assert_eq!(once, again);
    let other = generated_with("unique.yaml", 8);
    let id = "getProject::200::valid";
    assert_ne!(
        project_sent(&once, id)["name"],
        project_sent(&other, id)["name"]
    );
    assert_eq!(project_sent(&other, id)["ownerId"], "user-0042");
}

#[test]
fn the_projects_suite_passes_against_the_embedded_stub() {
    passes_against_the_stub("unique.yaml");
}

// ---- 7. the stub's store ----------------------------------------------------------------------------

fn store() -> SpecStub {
    let api = Arc::new(load_api(&spec("store.yaml")));
    SpecStub::new(api, &[], Duration::from_millis(10))
}

fn request(method: &str, path: &str, body: Option<Value>) -> StubRequest {
    StubRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        query: Vec::new(),
        headers: vec![("content-type".to_owned(), "application/json".to_owned())],
        body: body.map(|b| b.to_string().into_bytes()).unwrap_or_default(),
    }
}

fn body(r: &StubResponse) -> Value {
    serde_json::from_slice(&r.body).unwrap_or(Value::Null)
}

#[test]
fn the_stub_answers_the_documented_404_below_a_parent_never_created() {
    let stub = store();
    let r = stub.respond(&request("GET", "/shelves/no-such-shelf/books/b1", None));
    assert_eq!(r.status, 404);
    assert!(body(&r)["message"].is_string(), "{}", body(&r));
    let shelf = stub.respond(&request("POST", "/shelves", Some(json!({"theme": "sea"}))));
    assert_eq!(shelf.status, 201);
    let shelf_id = body(&shelf)["id"].as_str().expect("id").to_owned();
    let book = stub.respond(&request(
        "POST",
        &format!("/shelves/{shelf_id}/books"),
        Some(json!({"title": "Moby-Dick"})),
    ));
    assert_eq!(book.status, 201);
    let book_id = body(&book)["id"].as_str().expect("id").to_owned();
    let read = stub.respond(&request(
        "GET",
        &format!("/shelves/{shelf_id}/books/{book_id}"),
        None,
    ));
    assert_eq!(read.status, 200);
    assert_eq!(body(&read)["title"], "Moby-Dick");
    let elsewhere = stub.respond(&request(
        "GET",
        &format!("/shelves/no-such-shelf/books/{book_id}"),
        None,
    ));
    assert_eq!(elsewhere.status, 404, "the book is stored under its shelf");
}

#[test]
fn the_stub_lists_a_created_item_in_the_array_property_it_fits() {
    let stub = store();
    let created = stub.respond(&request("POST", "/things", Some(json!({"color": "teal"}))));
    assert_eq!(created.status, 201);
    let id = body(&created)["id"].clone();
    let listed = body(&stub.respond(&request("GET", "/things", None)));
    let items = listed["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{listed}");
    assert_eq!(items[0]["id"], id);
    assert_eq!(items[0]["color"], "teal");
    let schemas = listed["schemas"].as_array().expect("schemas");
    assert!(schemas.iter().all(Value::is_string), "{listed}");
}

#[test]
fn the_stub_stores_an_item_whose_id_the_client_chose_with_put() {
    let stub = store();
    assert_eq!(
        stub.respond(&request("GET", "/keys/alpha", None)).status,
        404
    );
    let put = stub.respond(&request(
        "PUT",
        "/keys/alpha",
        Some(json!({"value": "one"})),
    ));
    assert_eq!(put.status, 200);
    let read = stub.respond(&request("GET", "/keys/alpha", None));
    assert_eq!(read.status, 200);
    // Regression: the stub looked for the id field only when the parameter ended in `Id` or
    // `_id`, so `{keyName}` was stored as `name-1`, not as the name the client chose.
    assert_eq!(body(&read)["name"], "alpha");
    assert_eq!(body(&read)["value"], "one");
    assert_eq!(
        stub.respond(&request("DELETE", "/keys/alpha", None)).status,
        204
    );
    assert_eq!(
        stub.respond(&request("GET", "/keys/alpha", None)).status,
        404
    );
}

#[test]
fn the_store_suite_passes_against_the_embedded_stub_with_a_put_lifecycle() {
    let scenarios = generated("store.yaml");
    let lifecycle = find(&scenarios, "putKey::lifecycle::create_read_delete");
    assert_eq!(
        operations(&lifecycle.steps),
        ["putKey", "getKey", "deleteKey", "getKey"]
    );
    // Regression: the never-created key was `contractor-never-created-${run.id}`, longer than
    // its pattern allows once the run id is filled in, so the stub answered 400, not 404.
    let missing = find(&scenarios, "getKey::404::never_created");
    assert_eq!(
        param(missing.steps.last().expect("call"), "keyName"),
        "contractor-never-created"
    );
    let report = passes_against_the_stub("store.yaml");
    for id in [
        "getKey::404::never_created",
        "deleteKey::404::never_created",
        "putKey::lifecycle::create_read_delete",
        "createThing::lifecycle::create_read_delete",
        "getBook::200::valid",
        "getBook::404::never_created",
    ] {
        assert_eq!(reported(&report, id)["result"], "passed", "{id}");
    }
}

// ---- 8. a missing item on a nested path -----------------------------------------------------------

#[test]
fn not_found_on_a_nested_path_names_the_last_item_never_created_below_created_parents() {
    let scenarios = generated("nested.yaml");
    for id in [
        "getCollection::404::never_created",
        "exportCollection::404::never_created",
    ] {
        let s = find(&scenarios, id);
        assert!(s.ignored.is_none(), "{id}: {:?}", s.ignored);
        assert_eq!(
            operations(&s.steps[..2]),
            ["createTenant", "createDatabase"],
            "{id}"
        );
        let call = s.steps.last().expect("call");
        assert_eq!(call.expect.status, Some(404), "{id}");
        assert_eq!(param(call, "tenant"), "${created_tenant}", "{id}");
        assert_eq!(param(call, "database"), "${created_database}", "{id}");
        let missing = param(call, "collection");
        assert!(missing.starts_with("contractor-never-created"), "{missing}");
        assert_eq!(
            operations(&s.cleanup),
            ["deleteDatabase", "deleteTenant"],
            "{id}"
        );
        assert!(
            !s.steps
                .iter()
                .any(|step| step.operation == "createCollection"),
            "{id}: the missing collection is never created"
        );
    }
    let export = find(&scenarios, "exportCollection::404::never_created");
    let format = param(export.steps.last().expect("call"), "format");
    assert!(["csv", "parquet"].contains(&format), "{format}");
}

/// A name that cannot stand as a path segment (`.`) is never sent as an id: the scenario
/// that would need it is ignored, naming the parameter.
#[test]
fn an_id_that_no_url_path_keeps_is_not_sent() {
    let api = load_api(&fixture("chains/dot-name.yaml"));
    let scenarios = scenario::generate(&api, &GenerateOptions::default());
    let get = scenarios
        .iter()
        .find(|s| s.id == "getPool::200::valid")
        .expect("getPool::200::valid");
    let why = get.ignored.as_deref().unwrap_or_default();
    assert!(
        why.starts_with("no producer for `{name}`") && why.contains("no URL path keeps"),
        "{why}"
    );
}

/// A link cycle (a create that needs a value only its own response gives) ends: the
/// scenarios that need it are ignored as a cycle, and generation never overflows.
#[test]
fn a_link_cycle_is_ignored_as_a_cycle() {
    let (code, out, err) = contractor(&["list", "--spec", "tests/fixtures/chains/link-cycle.yaml"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let api = load_api(&fixture("chains/link-cycle.yaml"));
    let scenarios = scenario::generate(&api, &GenerateOptions::default());
    let get = scenarios
        .iter()
        .find(|s| s.id == "getThing::200::valid")
        .expect("getThing::200::valid");
    let why = get.ignored.as_deref().unwrap_or_default();
    assert!(
        why.contains("needs itself (a cycle through createThing)"),
        "{why}"
    );
}

/// A 404 is provoked only through a parameter that names an item, with a value that is not
/// the item a valid request names: a date, a year or a colour gets no such scenario, nor does
/// an id whose only value is `me`; the rest passes against the embedded stub.
#[test]
fn a_404_is_provoked_only_through_a_parameter_that_names_an_item() {
    let api = load_api(&fixture("chains/values.yaml"));
    let scenarios = scenario::generate(&api, &GenerateOptions::default());
    for id in ["getReport", "getYear", "getColor", "getUser"] {
        let not_found = scenarios
            .iter()
            .find(|s| s.id.starts_with(&format!("{id}::404::")))
            .unwrap_or_else(|| panic!("no 404 scenario of {id}"));
        assert!(not_found.ignored.is_some(), "{} runs", not_found.id);
    }
    let (code, out, err) = contractor(&["run", "--spec", "tests/fixtures/chains/values.yaml"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("4 passed, 0 failed"), "{out}");
}

/// An id inside a wrapper (`/data/id`) is the item's for good: a replace that sends another
/// one changes the rest and keeps the id.
#[test]
fn a_replace_never_changes_a_wrapped_id() {
    let api = Arc::new(load_api(&spec("wrapped.yaml")));
    let stub = SpecStub::new(api, &[], Duration::from_millis(10));
    let made = stub.respond(&request(
        "POST",
        "/notes",
        Some(json!({"data": {"text": "first"}})),
    ));
    assert_eq!(made.status, 201);
    let id = body(&made)["data"]["id"].as_str().expect("id").to_owned();
    let put = stub.respond(&request(
        "PUT",
        &format!("/notes/{id}"),
        Some(json!({"data": {"id": "stolen", "text": "second"}})),
    ));
    assert_eq!(put.status, 200);
    let read = body(&stub.respond(&request("GET", &format!("/notes/{id}"), None)));
    assert_eq!(read["data"]["id"], json!(id), "{read}");
    assert_eq!(read["data"]["text"], "second", "{read}");
}
