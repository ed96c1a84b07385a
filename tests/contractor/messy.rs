//! Issue 9, messy specs: examples that break their own schema, parameters with no type or a
//! type that is no JSON Schema type. Each is warned about where it is, and neither the
//! generator nor the stub is misled by it.

use std::sync::Arc;
use std::time::Duration;

use contractor::scenario::{self, GenerateOptions, Scenario};
use contractor::stub::{Responder, SpecStub, StubRequest};
use serde_json::Value;

use crate::support::*;

const BAD_EXAMPLES: &str = "tests/fixtures/messy/bad-examples.yaml";
const UNTYPED: &str = "tests/fixtures/messy/untyped-parameters.yaml";
const UNTYPED_OPENAPI: &str = "tests/fixtures/messy/untyped-parameters-openapi.yaml";

/// The success scenario of `operation`, generated from `spec`.
fn success_step(spec: &str, operation: &str) -> contractor::scenario::Step {
    let api = load_api(&fixture_path(spec));
    let generated: Vec<Scenario> = scenario::generate(&api, &GenerateOptions::default());
    let s = generated
        .into_iter()
        .find(|s| s.operation == operation && s.id.ends_with("::valid"))
        .expect("a success scenario");
    s.steps.into_iter().last().expect("a step")
}

fn fixture_path(spec: &str) -> std::path::PathBuf {
    manifest_dir().join(spec)
}

#[test]
fn an_example_that_breaks_its_schema_is_warned_with_line_pointer_and_schema_keyword() {
    let (code, out, _) = contractor(&["lint", BAD_EXAMPLES]);
    assert_eq!(code, 0, "{out}");
    for (message, at) in [
        (
            "example 'zero' does not fit its schema: /: 0 is less than the minimum of 1 (schema #/paths/~1links/post/parameters/0/schema/minimum)",
            ":16#/paths/~1links/post/parameters/0/examples/zero/value",
        ),
        (
            "example 'default' does not fit its schema: /target: \"/relative/path\" is not a \"uri\" (schema #/paths/~1links/post/requestBody/content/application~1json/schema/properties/target/format)",
            ":26#/paths/~1links/post/requestBody/content/application~1json/example",
        ),
        (
            "example 'relative' does not fit its schema: /self: \"/links/7\" is not a \"uri\" (schema #/components/schemas/Link/properties/self/format)",
            ":35#/paths/~1links/post/responses/201/content/application~1json/examples/relative/value",
        ),
        (
            "example 'default' does not fit its schema: /: \"seven\" is not of type \"integer\"",
            ":46#/paths/~1links~1{linkId}/get/parameters/0/example",
        ),
    ] {
        assert!(out.contains(message), "{message}\n{out}");
        assert!(out.contains(&format!("--> {BAD_EXAMPLES}{at}")), "{at}\n{out}");
    }
    assert!(
        !out.contains("'absolute'"),
        "a valid example is not warned about\n{out}"
    );
    assert!(
        out.contains("1 file: 1 loaded, 0 failed, 5 warnings"),
        "{out}"
    );
    let (_, out, _) = contractor(&["lint", "--json", BAD_EXAMPLES]);
    let files: Value = serde_json::from_str(&out).expect("json");
    let first = &files[0]["diagnostics"][0]["location"];
    assert_eq!(first["line"], 16, "{first}");
    assert_eq!(
        first["pointer"],
        "#/paths/~1links/post/parameters/0/examples/zero/value"
    );
}

#[test]
fn the_generator_never_sends_an_example_that_breaks_its_schema() {
    let create = success_step(BAD_EXAMPLES, "createLink");
    let limit: i64 = create.params["limit"].parse().expect("an integer");
    assert!(limit >= 1, "not the example 0: {limit}");
    let target = create.body.expect("a body")["target"].clone();
    assert_ne!(target, "/relative/path", "not the bad body example");
    assert!(
        target.as_str().is_some_and(|t| t.contains("://")),
        "{target}"
    );
    // The path parameter's only example is bad: the model keeps none, so a value is made up.
    let api = load_api(&fixture_path(BAD_EXAMPLES));
    let link_id = &api.operation("getLink").expect("getLink").parameters[0];
    assert_eq!(link_id.example(), None);
}

#[test]
fn the_stub_never_serves_an_example_that_breaks_its_schema() {
    let api = Arc::new(load_api(&fixture_path(BAD_EXAMPLES)));
    let stub = SpecStub::new(Arc::clone(&api), &[], Duration::from_millis(10));
    let get = |path: &str, prefer: &str| {
        stub.respond(&StubRequest {
            method: "GET".to_owned(),
            path: path.to_owned(),
            query: Vec::new(),
            headers: vec![("prefer".to_owned(), prefer.to_owned())],
            body: Vec::new(),
        })
    };
    // The only example of the 200 is bad: a synthesized body instead.
    let r = get("/links/7", "code=200");
    let body: Value = serde_json::from_slice(&r.body).expect("json");
    assert_ne!(body["self"], "/links/7", "{body}");
    // Of the 201's two examples only the valid one is kept, so it is the one served.
    let create = api.operation("createLink").expect("createLink");
    let media = &create.responses[0].content[0];
    let names: Vec<&str> = media.examples.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["absolute"]);
    // The whole suite passes against our own stub: nothing it serves breaks the schema.
    let (code, out, err) = contractor(&["run", "--spec", BAD_EXAMPLES]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("0 failed"), "{out}");
}

#[test]
fn an_invalid_or_missing_parameter_type_is_warned_and_guessed() {
    let (code, out, _) = contractor(&["lint", UNTYPED, UNTYPED_OPENAPI]);
    assert_eq!(code, 0, "{out}");
    let op = "#/paths/~1books~1{bookId}/get/parameters";
    for (message, at) in [
        (
            "`type` is \"str\", not a JSON Schema type: read as \"string\"",
            format!("{UNTYPED}:11{op}/0/type"),
        ),
        (
            "`type` is \"int\", not a JSON Schema type: read as \"integer\"",
            format!("{UNTYPED}:12{op}/1/type"),
        ),
        (
            "`type` is \"bool\", not a JSON Schema type: read as \"boolean\"",
            format!("{UNTYPED}:13{op}/2/type"),
        ),
        (
            "`type` is \"double\", not a JSON Schema type: read as \"number\"",
            format!("{UNTYPED}:14{op}/3/type"),
        ),
        (
            "parameter 'note' has no type: read as a string",
            format!("{UNTYPED}:15{op}/4"),
        ),
        (
            "parameter 'q' has no type: read as a string",
            format!("{UNTYPED_OPENAPI}:10#/paths/~1search/get/parameters/0"),
        ),
        (
            "`type` is \"Integer\", not a JSON Schema type: read as \"integer\"",
            format!("{UNTYPED_OPENAPI}:14#/paths/~1search/get/parameters/1/schema/type"),
        ),
    ] {
        assert!(out.contains(message), "{message}\n{out}");
        assert!(out.contains(&format!("--> {at}")), "{at}\n{out}");
    }
}

#[test]
fn a_parameter_of_a_guessed_type_gets_a_value_of_that_type_and_passes_on_the_stub() {
    let step = success_step(UNTYPED, "getBook");
    let count: i64 = step.params["count"].parse().expect("an integer");
    assert!((1..=9).contains(&count), "{count}");
    assert!(["true", "false"].contains(&step.params["verbose"].as_str()));
    assert!(
        step.params["ratio"].parse::<f64>().is_ok(),
        "{:?}",
        step.params
    );
    assert!(!step.params["note"].is_empty());
    let step = success_step(UNTYPED_OPENAPI, "search");
    assert!(step.params["page"].parse::<i64>().is_ok_and(|p| p >= 1));
    for spec in [UNTYPED, UNTYPED_OPENAPI] {
        let (code, out, err) = contractor(&["run", "--spec", spec]);
        assert_eq!(code, 0, "{out}\n{err}");
        assert!(out.contains("0 failed"), "{out}");
    }
}
