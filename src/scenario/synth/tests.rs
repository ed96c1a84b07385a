//! Tests of the synthesizer: unit cases per keyword, and every body of the corpus.
//!
//! May import `spec` and the rest of `synth`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;

use serde_json::{Map, Value};

use super::build::MAX_MIN_LENGTH;
use super::regex::regex_string;
use super::{synthesize, valid_value, Fill};
use crate::spec::Api;
use crate::spec::{Direction, SchemaRef};

static FIXTURES: AtomicUsize = AtomicUsize::new(0);

/// An API of `version` ("2.0", "3.0.3", "3.1.0") whose named schemas are `schemas`, each
/// used as the request and response body of one operation so the loader bundles it.
fn fixture(version: &str, schemas: Value) -> Api {
    let names: Vec<String> = schemas.as_object().unwrap().keys().cloned().collect();
    let mut paths = Map::new();
    let doc = if version == "2.0" {
        for name in &names {
            let r = json!({ "$ref": format!("#/definitions/{name}") });
            paths.insert(
                format!("/{name}"),
                json!({ "post": {
                    "parameters": [{ "name": "body", "in": "body", "schema": r }],
                    "responses": { "200": { "description": "ok", "schema": r } }
                }}),
            );
        }
        json!({ "swagger": "2.0", "info": { "title": "t", "version": "1" },
                "paths": paths, "definitions": schemas })
    } else {
        for name in &names {
            let content = json!({ "application/json": {
                "schema": { "$ref": format!("#/components/schemas/{name}") } } });
            paths.insert(
                format!("/{name}"),
                json!({ "post": {
                    "requestBody": { "content": content },
                    "responses": { "200": { "description": "ok", "content": content } }
                }}),
            );
        }
        json!({ "openapi": version, "info": { "title": "t", "version": "1" },
                "paths": paths, "components": { "schemas": schemas } })
    };
    let n = FIXTURES.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("contractor-synth-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("spec.json");
    std::fs::write(&path, serde_json::to_string(&doc).unwrap()).unwrap();
    let loaded = crate::spec::load(&path, &Default::default());
    let _ = std::fs::remove_dir_all(&dir);
    loaded.unwrap().apis.remove(0)
}

fn schema_ref(api: &Api, name: &str) -> SchemaRef {
    api.schemas
        .component(name)
        .unwrap_or_else(|| panic!("no component schema {name}"))
}

/// Synthesizes `name` and asserts the API's validator accepts it.
fn synth(api: &Api, name: &str, direction: Direction, fill: Fill, seed: u64) -> Value {
    let r = schema_ref(api, name);
    let schema = api
        .schemas
        .get(&r)
        .unwrap_or_else(|| panic!("{} not in bundle {}", r.0, api.schemas.bundle()));
    let v = synthesize(&api.schemas, schema, direction, fill, seed);
    let validator = api.schemas.validator(&r, direction).unwrap();
    if let Err(e) = validator.validate(&v) {
        panic!(
            "{name}: {v} does not validate: {e} at {}",
            e.instance_path()
        );
    }
    v
}

fn request(api: &Api, name: &str) -> Value {
    synth(api, name, Direction::Request, Fill::Required, 0)
}

#[test]
fn prefers_example_then_examples_then_default_then_const_then_enum() {
    let api = fixture(
        "3.1.0",
        json!({
            "Ex": { "type": "string", "example": "a", "examples": ["b"], "default": "c", "enum": ["a", "b", "c"] },
            "Exs": { "type": "string", "examples": ["b"], "default": "c" },
            "Def": { "type": "string", "default": "c", "const": "c" },
            "Con": { "type": "string", "const": "k", "enum": ["j", "k"] },
            "Enu": { "type": "string", "enum": ["x", "y"] },
        }),
    );
    assert_eq!(request(&api, "Ex"), json!("a"));
    assert_eq!(request(&api, "Exs"), json!("b"));
    assert_eq!(request(&api, "Def"), json!("c"));
    assert_eq!(request(&api, "Con"), json!("k"));
    assert_eq!(request(&api, "Enu"), json!("x"));
}

#[test]
fn skips_an_example_that_does_not_fit_its_schema() {
    let api = fixture(
        "3.0.3",
        json!({
            "Age": { "type": "integer", "minimum": 18, "example": 3 },
            "Pet": { "type": "object", "required": ["name"],
                     "properties": { "name": { "type": "string" } },
                     "example": { "tag": "no name" } },
        }),
    );
    assert_eq!(request(&api, "Age"), json!(18));
    assert_eq!(request(&api, "Pet"), json!({ "name": "name" }));
}

#[test]
fn fills_required_properties_or_all_of_them() {
    let api = fixture(
        "3.0.3",
        json!({ "Pet": { "type": "object", "required": ["name"], "properties": {
            "name": { "type": "string" }, "tag": { "type": "string" },
            "age": { "type": "integer", "format": "int32" } } } }),
    );
    assert_eq!(request(&api, "Pet"), json!({ "name": "name" }));
    let all = synth(&api, "Pet", Direction::Request, Fill::All, 0);
    assert_eq!(all, json!({ "name": "name", "tag": "tag", "age": 1 }));
}

#[test]
fn leaves_read_only_out_of_requests_and_write_only_out_of_responses() {
    let api = fixture(
        "3.0.3",
        json!({ "User": { "type": "object", "required": ["id", "password", "name"], "properties": {
            "id": { "type": "string", "readOnly": true },
            "password": { "type": "string", "writeOnly": true },
            "name": { "type": "string" } },
            "example": { "id": "u1", "password": "p", "name": "ann" } } }),
    );
    for fill in [Fill::Required, Fill::All] {
        let req = synth(&api, "User", Direction::Request, fill, 0);
        assert_eq!(req, json!({ "password": "p", "name": "ann" }));
        let resp = synth(&api, "User", Direction::Response, fill, 0);
        assert_eq!(resp, json!({ "id": "u1", "name": "ann" }));
    }
}

#[test]
fn leaves_out_read_only_properties_declared_in_another_all_of_part() {
    let api = fixture(
        "3.0.3",
        json!({
            "Base": { "type": "object", "properties": { "id": { "type": "string", "readOnly": true } } },
            "Pet": { "allOf": [
                { "$ref": "#/components/schemas/Base" },
                { "type": "object", "required": ["id", "name"], "properties": { "name": { "type": "string" } } } ] },
        }),
    );
    assert_eq!(request(&api, "Pet"), json!({ "name": "name" }));
    let resp = synth(&api, "Pet", Direction::Response, Fill::Required, 0);
    assert_eq!(resp, json!({ "id": "id", "name": "name" }));
}

#[test]
fn builds_strings_in_known_formats() {
    let formats = [
        "date-time",
        "date",
        "time",
        "email",
        "uuid",
        "uri",
        "url",
        "hostname",
        "ipv4",
        "ipv6",
        "byte",
        "int32",
        "int64",
        "duration",
    ];
    let mut schemas = Map::new();
    for f in formats {
        schemas.insert(
            f.replace('-', "_"),
            json!({ "type": "string", "format": f }),
        );
    }
    let api = fixture("3.1.0", Value::Object(schemas));
    assert_eq!(request(&api, "email"), json!("user@example.com"));
    assert_eq!(request(&api, "byte"), json!("c3RyaW5n"));
    assert_eq!(request(&api, "int64"), json!("1"));
    for f in formats {
        for seed in [0, 1, 77, 123_456] {
            let v = synth(
                &api,
                &f.replace('-', "_"),
                Direction::Request,
                Fill::All,
                seed,
            );
            assert!(v.is_string(), "{f}: {v}");
        }
    }
}

#[test]
fn respects_string_lengths() {
    let api = fixture(
        "3.0.3",
        json!({
            "Long": { "type": "string", "minLength": 300 },
            "Short": { "type": "string", "maxLength": 3 },
            "Exact": { "type": "string", "minLength": 5, "maxLength": 5, "format": "email" },
            "Huge": { "type": "string", "minLength": 20000 },
        }),
    );
    assert_eq!(request(&api, "Long").as_str().unwrap().len(), 300);
    assert_eq!(request(&api, "Short"), json!("str"));
    assert_eq!(
        synth(&api, "Short", Direction::Request, Fill::All, 42),
        json!("42")
    );
    assert_eq!(request(&api, "Exact").as_str().unwrap().len(), 5);
    let r = schema_ref(&api, "Huge");
    let huge = synthesize(
        &api.schemas,
        api.schemas.get(&r).unwrap(),
        Direction::Request,
        Fill::All,
        0,
    );
    assert_eq!(huge.as_str().unwrap().len(), MAX_MIN_LENGTH);
}

#[test]
fn respects_numeric_bounds_in_draft_4_and_2020_12() {
    let draft4 = json!({
        "Excl": { "type": "integer", "minimum": 10, "exclusiveMinimum": true },
        "Upper": { "type": "integer", "maximum": 0, "exclusiveMaximum": true },
        "Mult": { "type": "integer", "minimum": 7, "multipleOf": 5 },
        "Frac": { "type": "number", "minimum": 0, "maximum": 1, "exclusiveMinimum": true, "exclusiveMaximum": true },
        "Cents": { "type": "number", "multipleOf": 0.01, "minimum": 0.5 },
        "Int32": { "type": "integer", "format": "int32" },
    });
    let api = fixture("3.0.3", draft4);
    assert_eq!(request(&api, "Excl"), json!(11));
    assert_eq!(request(&api, "Upper"), json!(-1));
    assert_eq!(request(&api, "Mult"), json!(10));
    assert_eq!(request(&api, "Frac"), json!(0.5));
    assert_eq!(request(&api, "Int32"), json!(1));
    for seed in 0..50 {
        for name in ["Excl", "Upper", "Mult", "Frac", "Cents", "Int32"] {
            synth(&api, name, Direction::Request, Fill::Required, seed);
        }
    }
    let api = fixture(
        "3.1.0",
        json!({ "Excl": { "type": "integer", "exclusiveMinimum": 10, "exclusiveMaximum": 12 } }),
    );
    assert_eq!(request(&api, "Excl"), json!(11));
    assert_eq!(
        synth(&api, "Excl", Direction::Request, Fill::All, 9),
        json!(11)
    );
}

#[test]
fn generates_strings_for_simple_patterns() {
    let patterns = [
        "^[a-z]{3,8}$",
        "^(0|[1-9][0-9]*)$",
        "^#(([0-9a-fA-F]{2}){3}|([0-9a-fA-F]){3})$",
        "^[A-Z]{2}-\\d{4}$",
        "^\\+?[1-9]\\d{1,14}$",
        "^(foo|bar|baz)$",
        "^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$",
        "^/.*",
        "^urn:.*",
        "^https?://.*",
        "^[\\w.-]+$",
        "^v\\d+(\\.\\d+){2}(-[a-z0-9]+)?$",
        "[0-9]{5}",
        "^\\u0041[b-d]*$",
    ];
    let mut schemas = Map::new();
    for (i, p) in patterns.iter().enumerate() {
        schemas.insert(format!("P{i}"), json!({ "type": "string", "pattern": p }));
    }
    let api = fixture("3.1.0", Value::Object(schemas));
    assert_eq!(request(&api, "P0"), json!("aaa"));
    assert_eq!(request(&api, "P1"), json!("0"));
    assert_eq!(request(&api, "P2"), json!("#aaaaaa"));
    assert_eq!(request(&api, "P5"), json!("foo"));
    for i in 0..patterns.len() {
        let mut seen = Vec::new();
        for seed in 0..5 {
            seen.push(synth(
                &api,
                &format!("P{i}"),
                Direction::Request,
                Fill::Required,
                seed,
            ));
        }
        assert!(seen.iter().all(Value::is_string));
    }
    let ids: Vec<Value> = (0..5)
        .map(|s| synth(&api, "P1", Direction::Request, Fill::Required, s))
        .collect();
    for (i, a) in ids.iter().enumerate() {
        assert!(!ids[i + 1..].contains(a), "seeds gave the same id: {ids:?}");
    }
}

#[test]
fn falls_back_to_checked_strings_for_patterns_it_cannot_parse() {
    let api = fixture(
        "3.1.0",
        json!({ "Look": { "type": "string", "pattern": "^(?!x)[a-z0-9]+$" } }),
    );
    assert_eq!(request(&api, "Look"), json!("string"));
}

#[test]
fn merges_all_of_branches() {
    let api = fixture(
        "3.0.3",
        json!({
            "NewPet": { "type": "object", "required": ["name"], "properties": { "name": { "type": "string" } } },
            "Pet": { "allOf": [ { "$ref": "#/components/schemas/NewPet" },
                { "type": "object", "required": ["id"], "properties": { "id": { "type": "integer", "minimum": 5 } } } ] },
        }),
    );
    assert_eq!(request(&api, "Pet"), json!({ "name": "name", "id": 5 }));
}

#[test]
fn picks_the_first_one_of_branch_that_validates() {
    let api = fixture(
        "3.1.0",
        json!({
            "Loose": { "type": "object" },
            "Cat": { "type": "object", "required": ["meow"], "properties": { "meow": { "type": "boolean" } } },
            "Pet": { "oneOf": [ { "$ref": "#/components/schemas/Loose" }, { "$ref": "#/components/schemas/Cat" } ] },
            "Num": { "oneOf": [ { "type": "number", "multipleOf": 2 }, { "type": "integer", "multipleOf": 3 } ] },
            "Any": { "anyOf": [ { "type": "string", "maxLength": 0, "minLength": 1 }, { "type": "boolean" } ] },
            "Str": { "oneOf": [ { "type": "string", "maxLength": 3 }, { "type": "string" } ] },
        }),
    );
    assert_eq!(request(&api, "Pet"), json!({}));
    // "str" from the first branch matches both, so the second branch's value wins.
    assert_eq!(request(&api, "Str"), json!("string"));
    synth(&api, "Pet", Direction::Request, Fill::All, 0);
    assert_eq!(request(&api, "Num"), json!(2));
    assert_eq!(request(&api, "Any"), json!(true));
}

#[test]
fn cuts_cycles_and_gives_required_cycles_a_minimal_value() {
    let api = fixture(
        "3.0.3",
        json!({
            "Node": { "type": "object", "required": ["name"], "properties": {
                "name": { "type": "string" },
                "parent": { "$ref": "#/components/schemas/Node" },
                "children": { "type": "array", "items": { "$ref": "#/components/schemas/Node" } } } },
            "Chain": { "type": "object", "required": ["next"], "properties": {
                "next": { "$ref": "#/components/schemas/Chain" } } },
            "Maybe": { "type": "object", "required": ["next"], "properties": {
                "next": { "nullable": true, "allOf": [ { "$ref": "#/components/schemas/Maybe" } ] } } },
        }),
    );
    let all = synth(&api, "Node", Direction::Response, Fill::All, 0);
    assert_eq!(all, json!({ "name": "name", "children": [] }));
    assert_eq!(
        synth(&api, "Maybe", Direction::Response, Fill::All, 0),
        json!({ "next": null })
    );
    let r = schema_ref(&api, "Chain");
    let chain = synthesize(
        &api.schemas,
        api.schemas.get(&r).unwrap(),
        Direction::Response,
        Fill::All,
        0,
    );
    assert_eq!(chain, json!({ "next": {} }));
    let err = valid_value(&api.schemas, &r, Direction::Response, 0).unwrap_err();
    assert!(
        err.starts_with(
            "failed to synthesize a valid value for #/s/d0~1components~1schemas~1Chain: /next: "
        ),
        "{err}"
    );
}

#[test]
fn same_seed_gives_the_same_value_and_other_seeds_differ() {
    let api = fixture(
        "3.0.3",
        json!({ "Invite": { "type": "object", "required": ["email", "id", "count", "role", "courseId"], "properties": {
            "courseId": { "type": "string", "example": "625370598327" },
            "email": { "type": "string", "format": "email", "example": "ann@example.com" },
            "id": { "type": "string", "format": "uuid" },
            "count": { "type": "integer", "minimum": 1, "maximum": 1000 },
            "role": { "type": "string", "enum": ["STUDENT", "TEACHER"] } } } }),
    );
    let a = synth(&api, "Invite", Direction::Request, Fill::Required, 7);
    assert_eq!(
        a,
        synth(&api, "Invite", Direction::Request, Fill::Required, 7)
    );
    let b = synth(&api, "Invite", Direction::Request, Fill::Required, 8);
    assert_ne!(a["email"], b["email"]);
    assert_ne!(a["id"], b["id"]);
    assert_ne!(a["count"], b["count"]);
    assert_eq!(a["role"], json!("STUDENT"));
    // The example of a reference to an existing item is kept whatever the seed.
    assert_eq!(a["courseId"], json!("625370598327"));
    assert_eq!(b["courseId"], json!("625370598327"));
    let plain = synth(&api, "Invite", Direction::Request, Fill::Required, 0);
    assert_eq!(plain["email"], json!("ann@example.com"));
    assert_eq!(a["email"], json!("ann7@example.com"));
}

#[test]
fn makes_arrays_of_min_items_with_unique_items() {
    let api = fixture(
        "3.1.0",
        json!({
            "Tags": { "type": "array", "minItems": 3, "uniqueItems": true, "items": { "type": "string", "enum": ["a", "b", "c", "d"] } },
            "Flags": { "type": "array", "minItems": 2, "uniqueItems": true, "items": { "type": "boolean" } },
            "Ids": { "type": "array", "minItems": 3, "maxItems": 3, "uniqueItems": true, "items": { "type": "integer", "example": 4 } },
            "Pair": { "type": "array", "prefixItems": [ { "type": "string" }, { "const": 2 } ], "minItems": 2, "items": false },
            "Empty": { "type": "array", "items": { "type": "string" } },
        }),
    );
    assert_eq!(request(&api, "Tags"), json!(["a", "b", "c"]));
    assert_eq!(request(&api, "Flags"), json!([true, false]));
    assert_eq!(request(&api, "Ids").as_array().unwrap().len(), 3);
    assert_eq!(request(&api, "Pair"), json!(["string", 2]));
    assert_eq!(request(&api, "Empty"), json!([]));
    assert_eq!(
        synth(&api, "Empty", Direction::Request, Fill::All, 0),
        json!(["string"])
    );
}

#[test]
fn handles_draft_2020_12_type_arrays_and_boolean_schemas() {
    let api = fixture(
        "3.1.0",
        json!({
            "Obj": { "type": "object", "required": ["a", "b", "c"], "properties": {
                "a": { "type": ["null", "integer"] }, "b": true, "c": { "const": null }, "d": false },
                "additionalProperties": false },
        }),
    );
    assert_eq!(
        synth(&api, "Obj", Direction::Request, Fill::All, 0),
        json!({ "a": 1, "b": "b", "c": null })
    );
}

#[test]
fn honours_nullable_and_swagger_2() {
    let api = fixture(
        "2.0",
        json!({ "Pet": { "type": "object", "required": ["name", "kind"], "properties": {
            "name": { "type": "string", "x-nullable": true },
            "kind": { "type": "string", "enum": ["cat", "dog"] },
            "photo": { "type": "string", "format": "byte" } } } }),
    );
    assert_eq!(
        synth(&api, "Pet", Direction::Response, Fill::All, 0),
        json!({ "name": "name", "kind": "cat", "photo": "cGhvdG8=" })
    );
}

#[test]
fn fills_maps_and_min_properties() {
    let api = fixture(
        "3.0.3",
        json!({
            "Map": { "type": "object", "additionalProperties": { "type": "integer" } },
            "Three": { "type": "object", "minProperties": 3, "properties": { "a": { "type": "string" } },
                       "additionalProperties": { "type": "boolean" } },
        }),
    );
    assert_eq!(request(&api, "Map"), json!({}));
    assert_eq!(
        synth(&api, "Map", Direction::Request, Fill::All, 0),
        json!({ "key": 1 })
    );
    assert_eq!(
        request(&api, "Three"),
        json!({ "a": "a", "key": true, "key2": true })
    );
}

#[test]
fn satisfies_not_where_it_can() {
    let api = fixture(
        "3.1.0",
        json!({ "NotString": { "not": { "type": "string" } },
                "NotEmpty": { "type": "string", "not": { "const": "string" } } }),
    );
    assert_eq!(request(&api, "NotString"), json!({}));
    synth(&api, "NotEmpty", Direction::Request, Fill::Required, 0);
}

#[test]
fn reports_the_validator_error_when_nothing_validates() {
    let api = fixture(
        "3.0.3",
        json!({ "Never": { "allOf": [ { "type": "string" }, { "type": "integer" } ] } }),
    );
    let r = schema_ref(&api, "Never");
    let err = valid_value(&api.schemas, &r, Direction::Request, 0).unwrap_err();
    assert!(
        err.starts_with(
            "failed to synthesize a valid value for #/s/d0~1components~1schemas~1Never: /: "
        ),
        "{err}"
    );
    let missing = SchemaRef("/s/d0~1components~1schemas~1Nope".to_owned());
    assert!(valid_value(&api.schemas, &missing, Direction::Request, 0).is_err());
}

#[test]
fn ends_on_deep_and_wide_schemas() {
    let mut deep = json!({ "type": "string" });
    for _ in 0..50 {
        deep = json!({ "type": "object", "required": ["x"], "properties": { "x": deep } });
    }
    let mut wide = Map::new();
    for i in 0..40 {
        wide.insert(
            format!("p{i}"),
            json!({ "$ref": "#/components/schemas/Wide" }),
        );
    }
    let api = fixture(
        "3.0.3",
        json!({ "Deep": deep, "Wide": { "type": "object", "properties": wide } }),
    );
    let r = schema_ref(&api, "Deep");
    let v = synthesize(
        &api.schemas,
        api.schemas.get(&r).unwrap(),
        Direction::Request,
        Fill::All,
        0,
    );
    assert!(v.is_object());
    assert_eq!(
        synth(&api, "Wide", Direction::Request, Fill::All, 0),
        json!({})
    );
}

#[test]
fn regex_generator_reads_quantifiers_classes_and_alternation() {
    assert_eq!(
        regex_string("^ab{2}c?d*$", 0, None, 0).as_deref(),
        Some("abbd")
    );
    assert_eq!(
        regex_string("^[^a-z]{2}$", 0, None, 0).as_deref(),
        Some("AA")
    );
    assert_eq!(
        regex_string("^(?:x|yy)+$", 5, None, 0).as_deref(),
        Some("xxxxx")
    );
    assert_eq!(
        regex_string("^a{2,}$", 0, Some(1), 0).as_deref(),
        Some("aa")
    );
    assert_eq!(regex_string("^[a-c]$", 0, None, 2).as_deref(), Some("c"));
    assert_eq!(regex_string("x{1,", 0, None, 0).as_deref(), Some("x{1,"));
    assert!(regex_string("^(a)\\1$", 0, None, 0).is_none());
    assert!(regex_string("(?<=a)b", 0, None, 0).is_none());
    assert!(regex_string("a)", 0, None, 0).is_none());
    assert!(regex_string("[z-a]", 0, None, 0).is_none());
}

/// Every request-body and response schema of every operation: (where, schema, direction).
fn body_schemas(api: &Api) -> Vec<(String, SchemaRef, Direction)> {
    let mut out: Vec<(String, SchemaRef, Direction)> = Vec::new();
    for op in &api.operations {
        for media in op.request_body.iter().flat_map(|b| &b.content) {
            if let Some(s) = &media.schema {
                out.push((
                    format!("{} request {}", op.id, media.name),
                    s.clone(),
                    Direction::Request,
                ));
            }
        }
        for resp in &op.responses {
            for media in &resp.content {
                if let Some(s) = &media.schema {
                    out.push((
                        format!("{} {} {}", op.id, resp.status, media.name),
                        s.clone(),
                        Direction::Response,
                    ));
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|(_, s, d)| seen.insert((s.clone(), *d)));
    out
}

/// Runs `valid_value` on every body schema of the spec at `path`: (successes, failures).
fn run_spec(path: &Path) -> (usize, Vec<String>) {
    let loaded = crate::spec::load(path, &Default::default())
        .unwrap_or_else(|e| panic!("{} does not load: {e}", path.display()));
    let mut ok = 0;
    let mut failures = Vec::new();
    for api in &loaded.apis {
        for (at, schema, direction) in body_schemas(api) {
            match valid_value(&api.schemas, &schema, direction, 0) {
                Ok(_) => ok += 1,
                Err(e) => failures.push(format!("{at}: {e}")),
            }
        }
    }
    (ok, failures)
}

#[test]
fn every_body_of_the_invitations_spec_gets_a_valid_value() {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/specs/google-classroom/invitations.yaml"
    ));
    let (ok, failures) = run_spec(path);
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(ok >= 10, "only {ok} schemas");
    let api = Api::load(path).unwrap();
    let r = schema_ref(&api, "Invitation");
    let a = valid_value(&api.schemas, &r, Direction::Request, 1).unwrap();
    let b = valid_value(&api.schemas, &r, Direction::Request, 2).unwrap();
    // An invitation holds only references to what exists and an enum: nothing to vary.
    assert_eq!(a["courseId"], b["courseId"]);
    assert!(a.get("id").is_none(), "readOnly id in a request: {a}");
}

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: no corpus at {}", dir.display());
        None
    }
}

fn files(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().and_then(|n| n.to_str()).is_some_and(&keep))
        .collect();
    out.sort();
    out
}

fn corpus_rate(specs: &[PathBuf]) -> (usize, Vec<String>) {
    let mut ok = 0;
    let mut failures = Vec::new();
    for spec in specs {
        let (o, f) = run_spec(spec);
        println!("{}: {o} valid, {} failed", spec.display(), f.len());
        ok += o;
        failures.extend(f.into_iter().map(|f| format!("{}: {f}", spec.display())));
    }
    (ok, failures)
}

#[test]
fn every_body_of_the_openapi_3_corpus_gets_a_valid_value() {
    let Some(dir) = corpus() else { return };
    let specs = files(&dir.join("openapi3"), |_| true);
    let (ok, failures) = corpus_rate(&specs);
    println!("openapi3: {ok} of {} valid", ok + failures.len());
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(ok > 0);
}

#[test]
fn every_body_of_the_swagger_2_petstores_gets_a_valid_value() {
    let Some(dir) = corpus() else { return };
    let mut specs = files(&dir.join("swagger2"), |n| {
        n.starts_with("petstore") && (n.ends_with(".yaml") || n.ends_with(".json"))
    });
    specs.push(dir.join("swagger2/petstore-separate/spec/swagger.yaml"));
    let (ok, failures) = corpus_rate(&specs);
    println!("swagger2 petstores: {ok} of {} valid", ok + failures.len());
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(ok > 0);
}

#[test]
fn nearly_every_body_of_the_discord_spec_gets_a_valid_value() {
    let Some(dir) = corpus() else { return };
    let (ok, failures) = corpus_rate(&[dir.join("openapi31/discord-openapi.json")]);
    let total = ok + failures.len();
    println!("discord: {ok} of {total} valid");
    for f in &failures {
        println!("  failed: {f}");
    }
    assert!(ok * 100 >= total * 98, "{ok} of {total}: {failures:#?}");
}
