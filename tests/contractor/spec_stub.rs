//! The spec-driven stub: documented responses, in-memory resources, `Prefer`, mutants.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use contractor::scenario::synth;
use contractor::spec::{Api, Direction, ParamLocation};
use contractor::stub::{Responder, SpecStub, StubRequest, StubResponse};
use serde_json::{json, Value};

use crate::oracle::Oracle;
use crate::support::*;

fn stub_for(path: &Path) -> (Arc<Api>, SpecStub) {
    let api = Arc::new(load_api(path));
    let stub = SpecStub::new(Arc::clone(&api), &[], Duration::from_millis(10));
    (api, stub)
}

fn request(method: &str, path: &str, body: Option<Value>, headers: &[(&str, &str)]) -> StubRequest {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    StubRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), (*v).to_owned()))
            .chain(
                body.is_some()
                    .then(|| ("content-type".to_owned(), "application/json".to_owned())),
            )
            .collect(),
        body: body.map(|b| b.to_string().into_bytes()).unwrap_or_default(),
    }
}

/// The response is documented for `op` and its JSON body validates, as judged by the
/// independent [`Oracle`] (never by the schema code that produced the body).
fn assert_documented(oracle: &Oracle, op: &contractor::spec::Operation, r: &StubResponse) {
    if let Err(why) = oracle.judge(&op.path, op.method.as_str(), r.status, &r.body) {
        panic!("{}: {why}\n{}", op.id, String::from_utf8_lossy(&r.body));
    }
}

/// A valid request for `op`: synthesized path, required query and header parameters,
/// credentials, and body.
fn valid_request(api: &Api, op: &contractor::spec::Operation) -> StubRequest {
    let mut path = op.path.clone();
    let mut query = Vec::new();
    let mut headers = vec![
        ("authorization".to_owned(), "Bearer x".to_owned()),
        ("api_key".to_owned(), "k".to_owned()),
    ];
    for p in &op.parameters {
        let value = p
            .schema
            .as_ref()
            .map(|s| {
                synth::valid_value(&api.schemas, s, Direction::Request, 1).expect("param value")
            })
            .unwrap_or(json!("x"));
        let text = match &value {
            Value::String(s) => s.clone(),
            Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map_or(i.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(","),
            other => other.to_string(),
        };
        match p.location {
            ParamLocation::Path => path = path.replace(&format!("{{{}}}", p.name), &text),
            ParamLocation::Query if p.required => query.push((p.name.clone(), text)),
            ParamLocation::Header if p.required => {
                headers.push((p.name.to_ascii_lowercase(), text))
            }
            _ => {}
        }
    }
    let mut body = Vec::new();
    if let Some(rb) = &op.request_body {
        if let Some(media) = rb
            .content
            .iter()
            .find(|m| m.name.contains("json"))
            .or(rb.content.first())
        {
            headers.push(("content-type".to_owned(), media.name.clone()));
            if let Some(schema) = &media.schema {
                let v =
                    synth::valid_value(&api.schemas, schema, Direction::Request, 1).expect("body");
                body = v.to_string().into_bytes();
            }
        }
    }
    StubRequest {
        method: op.method.as_str().to_owned(),
        path,
        query,
        headers,
        body,
    }
}

#[test]
fn every_openapi3_corpus_spec_serves_documented_responses() {
    let Some(shared) = shared() else {
        return;
    };
    for entry in std::fs::read_dir(shared.join("corpus/openapi3")).expect("dir") {
        let path = entry.expect("entry").path();
        let (api, stub) = stub_for(&path);
        let oracle = Oracle::load(&path);
        for op in &api.operations {
            let r = stub.respond(&valid_request(&api, op));
            assert!(
                r.status < 500,
                "{}: {} {}",
                op.id,
                r.status,
                String::from_utf8_lossy(&r.body)
            );
            // Nothing created the parent this request names: a 404 the spec documents,
            // in `responses` or (Google style) in prose, which the oracle does not read.
            let below_missing = r.status == 404
                && r.header("x-contractor-problem")
                    .is_some_and(|p| p.starts_with("no item"));
            if below_missing {
                assert!(
                    op.response_for(404).is_some()
                        || op.documented_statuses().iter().any(|s| s == "404"),
                    "{}: an undocumented 404",
                    op.id
                );
                continue;
            }
            assert_documented(&oracle, op, &r);
        }
    }
}

#[test]
fn petstore_resources_live_in_memory() {
    let Some(shared) = shared() else {
        return;
    };
    let petstore = shared.join("corpus/openapi3/swagger-petstore-v3.yaml");
    let (api, stub) = stub_for(&petstore);
    let oracle = Oracle::load(&petstore);
    let auth = [("authorization", "Bearer x"), ("api_key", "k")];
    let pet = json!({"name": "rex", "photoUrls": ["http://x/rex.png"], "status": "available"});
    let created = stub.respond(&request("POST", "/pet", Some(pet), &auth));
    assert_eq!(
        created.status,
        200,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
    assert_documented(&oracle, api.operation("addPet").expect("op"), &created);
    let body = created.json_body().expect("json");
    assert_eq!(body["name"], "rex", "the created item keeps what was sent");
    let id = body["id"].as_i64().expect("integer id");
    let got = stub.respond(&request("GET", &format!("/pet/{id}"), None, &auth));
    assert_eq!(
        (got.status, got.json_body().expect("json")["name"].clone()),
        (200, json!("rex"))
    );
    assert_documented(&oracle, api.operation("getPetById").expect("op"), &got);
    let deleted = stub.respond(&request("DELETE", &format!("/pet/{id}"), None, &auth));
    assert_eq!(deleted.status, 200);
    let gone = stub.respond(&request("GET", &format!("/pet/{id}"), None, &auth));
    assert_eq!(gone.status, 404, "delete-then-get is 404");
    let never = stub.respond(&request("GET", "/pet/987654", None, &auth));
    assert_eq!(never.status, 404, "an id never created is 404");
    // The server's base path is accepted too.
    let based = stub.respond(&request("GET", &format!("/api/v3/pet/{id}"), None, &auth));
    assert_eq!(based.status, 404);
}

#[test]
fn invalid_requests_get_a_documented_client_error() {
    let Some(shared) = shared() else {
        return;
    };
    let petstore = shared.join("corpus/openapi3/swagger-petstore-v3.yaml");
    let (api, stub) = stub_for(&petstore);
    let oracle = Oracle::load(&petstore);
    let auth = [("authorization", "Bearer x"), ("api_key", "k")];
    let op = api.operation("getPetById").expect("op");
    let r = stub.respond(&request("GET", "/pet/not-a-number", None, &auth));
    assert_eq!(r.status, 400, "{:?}", r.header("x-contractor-problem"));
    assert_documented(&oracle, op, &r);
    let add = api.operation("addPet").expect("op");
    let r = stub.respond(&request("POST", "/pet", Some(json!({"name": 5})), &auth));
    assert!(r.status == 400 || r.status == 422, "{}", r.status);
    assert_documented(&oracle, add, &r);
    assert!(r.header("x-contractor-problem").is_some());
    let empty = stub.respond(&request("POST", "/pet", None, &auth));
    assert_eq!(
        empty.status,
        400,
        "the body is required: {:?}",
        empty.header("x-contractor-problem")
    );
    let bad_query = stub.respond(&request(
        "GET",
        "/pet/findByStatus?status=lost",
        None,
        &auth,
    ));
    assert_eq!(
        bad_query.status,
        400,
        "status is an enum: {:?}",
        bad_query.header("x-contractor-problem")
    );
    assert_eq!(
        stub.respond(&request("PATCH", "/pet", None, &auth)).status,
        405
    );
    assert_eq!(
        stub.respond(&request("GET", "/nowhere", None, &auth))
            .status,
        404
    );
}

#[test]
fn prefer_picks_a_documented_response() {
    let Some(shared) = shared() else {
        return;
    };
    let petstore = shared.join("corpus/openapi3/swagger-petstore-v3.yaml");
    let (api, stub) = stub_for(&petstore);
    let oracle = Oracle::load(&petstore);
    let auth = [
        ("authorization", "Bearer x"),
        ("api_key", "k"),
        ("prefer", "code=404"),
    ];
    let r = stub.respond(&request("GET", "/pet/1", None, &auth));
    assert_eq!(r.status, 404);
    assert_documented(&oracle, api.operation("getPetById").expect("op"), &r);
}

#[test]
fn prefer_example_picks_a_named_example() {
    let (api, stub) = stub_for(&fixture("openapi31.yaml"));
    let _ = api;
    let r = stub.respond(&request(
        "POST",
        "/channels/12/messages",
        Some(json!({"content": "hi"})),
        &[("prefer", "example=none")],
    ));
    assert_eq!(r.status, 200);
    let body = r.json_body().expect("json");
    assert_eq!(body["kind"], "message");
}

#[test]
fn generic_mutants_apply_to_any_spec() {
    let api = Arc::new(load_api(&fixture("split/spec/api.yaml")));
    let mutated = SpecStub::new(
        Arc::clone(&api),
        &[
            contractor::stub::Mutant::WrongContentType,
            contractor::stub::Mutant::ServerErrorOnList,
        ],
        Duration::from_millis(1),
    );
    let r = mutated.respond(&request("GET", "/books", None, &[]));
    assert_eq!(r.status, 500);
    assert_eq!(r.header("content-type"), Some("text/plain"));
}

/// The oracle bites: hand-written bodies the shelf spec allows pass, and each it forbids fails.
#[test]
fn the_oracle_accepts_what_the_spec_allows_and_rejects_what_it_forbids() {
    let oracle = Oracle::load(&fixture("stub/shelf.yaml"));
    let get = |status: u16, body: Value| {
        oracle.judge(
            "/books/{bookId}",
            "GET",
            status,
            body.to_string().as_bytes(),
        )
    };
    let book = json!({"id": 1, "title": "Dune", "shelf": "fiction"});
    assert_eq!(get(200, book), Ok(()));
    let nullable = json!({"id": 1, "title": "Dune", "subtitle": null, "shelf": "fiction"});
    assert_eq!(get(200, nullable), Ok(()), "nullable allows null");
    for (why, body) in [
        (
            "id is required (allOf)",
            json!({"title": "Dune", "shelf": "fiction"}),
        ),
        (
            "id is an integer",
            json!({"id": "1", "title": "Dune", "shelf": "fiction"}),
        ),
        (
            "shelf is an enum",
            json!({"id": 1, "title": "Dune", "shelf": "poetry"}),
        ),
        (
            "title is not nullable",
            json!({"id": 1, "title": null, "shelf": "fiction"}),
        ),
    ] {
        assert!(get(200, body).is_err(), "{why}");
    }
    // A response reached through `$ref`, and a status the operation does not document.
    assert_eq!(
        get(404, json!({"title": "gone", "status": 404, "detail": null})),
        Ok(())
    );
    assert!(
        get(404, json!({"title": "gone"})).is_err(),
        "status is required"
    );
    assert!(get(410, json!({})).is_err(), "410 is undocumented");
    assert!(oracle
        .judge("/books/{bookId}", "GET", 200, b"not json")
        .is_err());
}

/// Every shelf operation, asked validly, answers a documented response the oracle accepts
/// (a 404 for an id never created), and a created book reads back as a documented 200.
#[test]
fn every_shelf_operation_serves_documented_responses() {
    let path = fixture("stub/shelf.yaml");
    let (api, stub) = stub_for(&path);
    let oracle = Oracle::load(&path);
    for op in &api.operations {
        let r = stub.respond(&valid_request(&api, op));
        assert!(r.status < 500, "{}: {}", op.id, r.status);
        assert_documented(&oracle, op, &r);
    }
    let book = json!({"title": "Dune", "subtitle": null, "shelf": "fiction"});
    let created = stub.respond(&request("POST", "/books", Some(book), &[]));
    assert_eq!(created.status, 201);
    assert_documented(&oracle, api.operation("addBook").expect("op"), &created);
    let id = created.json_body().expect("json")["id"].clone();
    let got = stub.respond(&request("GET", &format!("/books/{id}"), None, &[]));
    assert_eq!(got.status, 200);
    assert_documented(&oracle, api.operation("getBook").expect("op"), &got);
}

/// A form request: `body` as `application/x-www-form-urlencoded`.
fn form(path: &str, body: &str) -> StubRequest {
    StubRequest {
        method: "POST".to_owned(),
        path: path.to_owned(),
        query: Vec::new(),
        headers: vec![(
            "content-type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        )],
        body: body.as_bytes().to_vec(),
    }
}

/// Schemathesis' `unsupported_method` and `Allow` checks: a concrete path is its own resource
/// (`/pets/findByStatus` is not `/pets/{petId}`), so a method it does not declare is 405 with
/// exactly its methods in `Allow`, never a 400 from the templated path's parameter.
#[test]
fn a_concrete_path_answers_an_undeclared_method_with_405_and_its_own_allow() {
    let (_, stub) = stub_for(&fixture("stub/routes.yaml"));
    for method in ["POST", "OPTIONS", "DELETE"] {
        let r = stub.respond(&request(method, "/pets/findByStatus", None, &[]));
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), Some("GET"), "{method}");
    }
    let r = stub.respond(&request("DELETE", "/pets/7", None, &[]));
    assert_eq!((r.status, r.header("allow")), (405, Some("GET, POST")));
    assert_eq!(
        stub.respond(&request("POST", "/pets/7", None, &[])).status,
        200
    );
}

/// Schemathesis' `missing_required_header`: an operation whose security asks for an API key
/// refuses a request without it, with 401 (under `default` here), never 200.
#[test]
fn a_missing_api_key_is_refused_with_401() {
    let (_, stub) = stub_for(&fixture("stub/routes.yaml"));
    let r = stub.respond(&request("GET", "/inventory", None, &[]));
    assert_eq!(r.status, 401);
    let r = stub.respond(&request("GET", "/inventory", None, &[("api_key", "k")]));
    assert_eq!(r.status, 200);
}

/// Schemathesis' `negative_data_rejection` on form bodies: each field is read as its
/// property's type and the whole validated; a required array left out is an empty one.
#[test]
fn a_form_body_is_validated_against_its_schema() {
    let (_, stub) = stub_for(&fixture("stub/routes.yaml"));
    assert_eq!(
        stub.respond(&form("/pets", "name=rex&tags=a&tags=b"))
            .status,
        201
    );
    assert_eq!(stub.respond(&form("/pets", "name=rex")).status, 201);
    assert_eq!(stub.respond(&form("/pets", "name=rex&age=31")).status, 400);
    assert_eq!(
        stub.respond(&form("/pets", "name=rex&age=young")).status,
        400
    );
    assert_eq!(stub.respond(&form("/pets", "age=3")).status, 400);
}

/// A generated request to a form operation sends a form body (`name=…&tags=…`), not JSON
/// under a form content type; the stub accepts it.
#[test]
fn a_generated_form_request_is_form_encoded_and_accepted() {
    let api = load_api(&fixture("stub/routes.yaml"));
    let scenarios = contractor::scenario::generate(&api, &Default::default());
    let add = scenarios
        .iter()
        .find(|s| s.id == "addPet::201::valid")
        .expect("addPet::201::valid");
    let target = contractor::run::Target::new(
        "http://127.0.0.1:9",
        contractor::run::Identities::default(),
        Duration::from_secs(1),
    )
    .expect("target");
    let sent =
        contractor::run::build(&target, &api, &add.steps[0], &Default::default()).expect("request");
    let body = String::from_utf8(sent.body.expect("a body")).expect("utf-8");
    assert!(body.starts_with("name=") && !body.contains('{'), "{body}");
    let (_, stub) = stub_for(&fixture("stub/routes.yaml"));
    assert_eq!(stub.respond(&form("/pets", &body)).status, 201, "{body}");
}
