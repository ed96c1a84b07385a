//! Error recipes (issue 9): each documented outcome of our own fixture is provoked by a
//! generated scenario, or ignored with the reason it cannot be; the spec-driven stub answers
//! each fault as the spec documents.

use std::sync::Arc;
use std::time::Duration;

use contractor::scenario::{self, GenerateOptions, INVALID_CREDENTIAL};
use contractor::stub::{Responder, SpecStub, StubRequest, StubResponse};
use serde_json::Value;

use crate::support::*;

fn get(path: &str, headers: &[(&str, &str)]) -> StubRequest {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    StubRequest {
        method: "GET".to_owned(),
        path: path.to_owned(),
        query: query
            .split('&')
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        body: Vec::new(),
    }
}

fn stub(name: &str) -> SpecStub {
    let api = Arc::new(load_api(&fixture(&format!("recipes/{name}"))));
    SpecStub::new(api, &[], Duration::from_millis(10)).issuing(["Bearer contractor".to_owned()])
}

fn body(r: &StubResponse) -> Value {
    serde_json::from_slice(&r.body).unwrap_or(Value::Null)
}

const TOKEN: (&str, &str) = ("authorization", "Bearer contractor");

#[test]
fn every_documented_outcome_is_provoked_or_ignored_with_a_reason() {
    let api = load_api(&fixture("recipes/outcomes.yaml"));
    let scenarios = scenario::generate(&api, &GenerateOptions::default());
    let ran: Vec<&str> = scenarios
        .iter()
        .filter(|s| s.ignored.is_none())
        .map(|s| s.id.as_str())
        .collect();
    for id in [
        "listNotes::400::wrong_type",
        "listNotes::400::wrong_format",
        "listNotes::400::not_in_enum",
        "listNotes::401::no_credentials",
        "listNotes::401::invalid_credentials",
        "addNote::422::missing_field",
        "getNote::4XX::wrong_format",
        "getNote::4XX::wrong_type",
        "getNote::4XX::no_credentials",
        "getNote::4XX::invalid_credentials",
        "getNote::4XX::never_created",
        "fetchExport::302::valid",
    ] {
        assert!(ran.contains(&id), "{id} not in {ran:#?}");
    }
    let why = |id: &str| {
        let s = scenarios.iter().find(|s| s.id == id);
        s.and_then(|s| s.ignored.clone())
            .unwrap_or_else(|| panic!("{id} is not ignored"))
    };
    assert!(why("addNote::409::duplicate")
        .starts_with("needs a scenario file: the spec does not say what must be unique"));
    for id in [
        "listNotes::429::unsafe",
        "listNotes::500::unsafe",
        "getNote::5XX::unsafe",
    ] {
        assert!(why(id).starts_with("cannot be provoked safely"), "{id}");
    }
    for id in ["getArchive::301::redirect", "getArchive::304::redirect"] {
        assert!(why(id).starts_with("needs a scenario file"), "{id}");
    }
    assert!(
        !scenarios.iter().any(|s| s.id == "fetchExport::200::valid"),
        "a redirect is fetchExport's answer"
    );
    let range = scenarios
        .iter()
        .find(|s| s.id == "getNote::4XX::wrong_type")
        .expect("range scenario");
    let step = &range.steps[0];
    assert_eq!(
        (step.expect.status, step.expect.status_range),
        (None, Some(4))
    );
}

#[test]
fn the_generated_suite_passes_against_the_stub() {
    let spec = fixture("recipes/outcomes.yaml");
    let (code, out, err) = contractor(&["run", "--spec", spec.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{out}\n{err}");
    let spec = fixture("recipes/google.yaml");
    let (code, out, err) = contractor(&["run", "--spec", spec.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("shelves.list::INVALID_ARGUMENT::wrong_type"),
        "{out}"
    );
}

#[test]
fn the_stub_rejects_a_credential_it_did_not_issue() {
    let stub = stub("outcomes.yaml");
    assert_eq!(stub.respond(&get("/notes", &[TOKEN])).status, 200);
    assert_eq!(stub.respond(&get("/notes", &[])).status, 401);
    let wrong = format!("Bearer {INVALID_CREDENTIAL}");
    let refused = stub.respond(&get("/notes", &[("authorization", &wrong)]));
    assert_eq!(refused.status, 401);
    assert!(
        body(&refused)["message"].is_string(),
        "the documented Problem"
    );
    let any = SpecStub::new(
        Arc::new(load_api(&fixture("recipes/outcomes.yaml"))),
        &[],
        Duration::from_millis(10),
    );
    let accepted = any.respond(&get("/notes", &[("authorization", &wrong)]));
    assert_eq!(
        accepted.status, 200,
        "a stub that issued nothing accepts any"
    );
}

#[test]
fn the_stub_rejects_each_parameter_fault_with_the_documented_response() {
    let stub = stub("outcomes.yaml");
    for query in [
        "since=not-a-date-time",
        "owner=not-a-uuid",
        "limit=not-a-number",
        "sort=contractor-not-in-enum",
    ] {
        let r = stub.respond(&get(&format!("/notes?{query}"), &[TOKEN]));
        assert_eq!(r.status, 400, "{query}");
        assert!(
            body(&r)["message"].is_string(),
            "{query}: the documented Problem"
        );
    }
    let fine = "since=2024-01-02T03:04:05Z&owner=0b7e2b1c-9a5f-4c1e-8d3a-2f6b7c8d9e0f&sort=oldest";
    assert_eq!(
        stub.respond(&get(&format!("/notes?{fine}"), &[TOKEN]))
            .status,
        200
    );
    let r = stub.respond(&get("/notes/1?on=not-a-date", &[TOKEN]));
    assert_eq!(r.status, 400, "a 4XX range documents the 400");
}

#[test]
fn a_google_style_stub_refuses_with_a_google_error_body() {
    let stub = stub("google.yaml");
    let r = stub.respond(&get("/v1/shelves?pageSize=ten", &[]));
    assert_eq!(r.status, 400);
    let error = &body(&r)["error"];
    assert_eq!(error["status"], "INVALID_ARGUMENT", "{error}");
    assert_eq!(error["code"], 400);
    assert!(error["message"]
        .as_str()
        .is_some_and(|m| m.contains("pageSize")));
}

#[test]
fn a_redirect_is_answered_with_a_location() {
    let stub = stub("outcomes.yaml");
    let r = stub.respond(&get("/exports/june", &[TOKEN]));
    assert_eq!(r.status, 302);
    assert!(r.header("location").is_some());
    let asked = stub.respond(&get("/archive", &[TOKEN, ("prefer", "code=301")]));
    assert_eq!(asked.status, 301);
    assert!(asked.header("location").is_some());
}

/// Issue 9: a documented 403 is provoked with an identity without rights. The spec-driven
/// stub has one and refuses it with the 403; against a target the scenario needs
/// `CONTRACTOR_IDENTITY_UNPRIVILEGED`; an operation that asks for no credentials gets none.
#[test]
fn a_documented_403_is_provoked_with_an_identity_without_rights() {
    let spec = "tests/fixtures/security/forbidden.yaml";
    let dir = tmp_dir("forbidden");
    let report = dir.join("r.json");
    let (code, out, err) =
        contractor(&["run", "--spec", spec, "--json", &report.to_string_lossy()]);
    assert_eq!(code, 0, "{out}\n{err}");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("json");
    let result = |id: &str| {
        json["scenarios"]
            .as_array()
            .expect("scenarios")
            .iter()
            .find(|s| s["id"] == id)
            .map(|s| (s["result"].clone(), s["reason"].clone()))
            .unwrap_or_else(|| panic!("no {id} in {json}"))
    };
    assert_eq!(result("listSecrets::403::unprivileged").0, "passed");
    let (state, why) = result("status::403::no_recipe");
    assert_eq!(state, "ignored");
    assert!(
        why.as_str()
            .unwrap_or_default()
            .contains("asks for no credentials"),
        "{why}"
    );
    // A target: ignored without the identity, run with it.
    let stub = StubProcess::start(&["--spec", spec]);
    let text = |cmd: &mut std::process::Command| {
        let out = cmd.output().expect("run contractor");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (_, out) = text(
        command(&["run", "--spec", spec, "--target", &stub.url])
            .env("CONTRACTOR_IDENTITY_DEFAULT", "Bearer contractor")
            .env_remove("CONTRACTOR_IDENTITY_UNPRIVILEGED"),
    );
    assert!(
        out.contains("listSecrets::403::no_recipe") && out.contains("no identity without rights"),
        "{out}"
    );
    let (code, out) = text(
        command(&["run", "--spec", spec, "--target", &stub.url])
            .env("CONTRACTOR_IDENTITY_DEFAULT", "Bearer contractor")
            .env(
                "CONTRACTOR_IDENTITY_UNPRIVILEGED",
                "Bearer contractor-unprivileged",
            ),
    );
    stub.stop();
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("listSecrets::403::unprivileged"), "{out}");
}
