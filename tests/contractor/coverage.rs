//! Issue 10, coverage scenarios: one-fault negatives, missing required headers, undeclared
//! methods, boundaries and seeded examples, with stable ids, a cap per operation, and the five
//! Schemathesis-named checks that judge them, against our stub and against servers that
//! accept or refuse everything (on 127.0.0.1).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use contractor::scenario::{
    self, Coverage, GenerateOptions, Probe, Scenario, Step, CAP_PER_OPERATION,
};
use serde_json::Value;

use crate::loopback::{serve, Reply};
use crate::support::*;

const SPEC: &str = "tests/fixtures/coverage/things.yaml";

fn generated(coverage: Coverage, seed: u64, examples: usize) -> Vec<Scenario> {
    let options = GenerateOptions {
        seed,
        coverage,
        examples,
        ..GenerateOptions::default()
    };
    scenario::generate(&load_api(&fixture("coverage/things.yaml")), &options)
}

fn ids(scenarios: &[Scenario]) -> Vec<String> {
    scenarios.iter().map(|s| s.id.clone()).collect()
}

fn of_kind<'a>(scenarios: &'a [Scenario], kind: &str) -> Vec<&'a Scenario> {
    let infix = format!("::{kind}::");
    scenarios.iter().filter(|s| s.id.contains(&infix)).collect()
}

fn call(s: &Scenario) -> &Step {
    s.steps.last().expect("a call")
}

#[test]
fn ids_are_stable_across_runs_and_seeds() {
    let first = ids(&generated(Coverage::Full, 1, 2));
    assert_eq!(first, ids(&generated(Coverage::Full, 1, 2)));
    assert_eq!(first, ids(&generated(Coverage::Full, 977, 2)));
    for id in [
        "listThings::negative::query.limit-above-maximum",
        "listThings::negative::header.X-Request-Id-missing",
        "listThings::boundary::query.kind-enum-small",
        "listThings::unsupported_method::PATCH",
        "createThing::negative::body-additional-property",
        "createThing::boundary::body.nickname-null",
        "getThing::negative::path.thingId-wrong-type",
        "getThing::examples::1",
    ] {
        assert!(first.iter().any(|i| i == id), "no {id} in {first:#?}");
    }
    let unique: BTreeSet<&String> = first.iter().collect();
    assert_eq!(unique.len(), first.len(), "ids are unique");
}

#[test]
fn each_fault_and_boundary_kind_appears() {
    let all = generated(Coverage::Full, 1, 0);
    let suffixes: BTreeSet<String> = all
        .iter()
        .filter_map(|s| s.id.rsplit("::").next())
        .map(str::to_owned)
        .collect();
    let has = |end: &str| suffixes.iter().any(|s| s.ends_with(end));
    for fault in [
        "-missing",
        "-wrong-type",
        "-not-in-enum",
        "-below-minimum",
        "-above-maximum",
        "-too-short",
        "-too-long",
        "-pattern-mismatch",
        "-wrong-format",
        "body-additional-property",
        "-minimum",
        "-maximum",
        "-enum-large",
        "-null",
        "-empty",
    ] {
        assert!(has(fault), "no {fault} in {suffixes:#?}");
    }
    let missing_header = of_kind(&all, "negative")
        .into_iter()
        .find(|s| s.id.ends_with("header.X-Request-Id-missing"))
        .expect("missing header");
    assert_eq!(
        call(missing_header).expect.probe,
        Some(Probe::MissingHeader {
            name: "X-Request-Id".to_owned()
        })
    );
}

/// A call's places (`param.limit`, `header.x-request-id`, `body`, `body.name`) and their values.
fn places(step: &Step) -> BTreeMap<String, Option<String>> {
    let mut out = BTreeMap::new();
    for (k, v) in &step.params {
        out.insert(format!("param.{k}"), Some(v.clone()));
    }
    for (k, v) in &step.headers {
        out.insert(
            format!("header.{}", k.to_ascii_lowercase()),
            Some(v.clone()),
        );
    }
    out.insert(
        "body".to_owned(),
        step.body.as_ref().map(|_| "some".to_owned()),
    );
    if let Some(Value::Object(fields)) = &step.body {
        for (k, v) in fields {
            out.insert(format!("body.{k}"), Some(v.to_string()));
        }
    }
    out
}

#[test]
fn a_negative_request_differs_from_the_valid_one_in_exactly_one_place() {
    let all = generated(Coverage::Negative, 1, 0);
    let mut by_op: BTreeMap<&str, Vec<&Scenario>> = BTreeMap::new();
    for s in of_kind(&all, "negative") {
        by_op.entry(s.operation.as_str()).or_default().push(s);
    }
    for (op, negatives) in by_op {
        if negatives.len() < 3 {
            continue;
        }
        // Every negative changes one place of the same valid call: the value most of them
        // hold in a place is the valid one.
        let maps: Vec<_> = negatives.iter().map(|s| places(call(s))).collect();
        let keys: BTreeSet<&String> = maps.iter().flat_map(BTreeMap::keys).collect();
        let mut valid = BTreeMap::new();
        for key in keys {
            let mut votes: BTreeMap<Option<&String>, usize> = BTreeMap::new();
            for m in &maps {
                *votes
                    .entry(m.get(key).and_then(Option::as_ref))
                    .or_default() += 1;
            }
            let (value, _) = votes.into_iter().max_by_key(|(_, n)| *n).expect("a vote");
            valid.insert(key.clone(), value.cloned());
        }
        for (s, m) in negatives.iter().zip(&maps) {
            let body_gone = m.get("body") == Some(&None);
            let differ: Vec<&String> = valid
                .iter()
                .filter(|(k, _)| !(body_gone && k.starts_with("body.")))
                .filter(|(k, v)| m.get(*k).cloned().flatten() != **v)
                .map(|(k, _)| k)
                .collect();
            assert_eq!(differ.len(), 1, "{op}: {} changes {differ:?}", s.id);
        }
    }
}

#[test]
fn coverage_off_generates_none_and_negative_no_boundaries() {
    let off = generated(Coverage::Off, 1, 0);
    for kind in ["negative", "boundary", "unsupported_method", "examples"] {
        assert!(of_kind(&off, kind).is_empty(), "{kind} with coverage off");
    }
    let negative = generated(Coverage::Negative, 1, 0);
    assert!(of_kind(&negative, "boundary").is_empty());
    assert!(!of_kind(&negative, "negative").is_empty());
    assert!(!of_kind(&negative, "unsupported_method").is_empty());
    let (code, out, _) = contractor(&["list", "--spec", SPEC, "--coverage", "off"]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("::negative::"), "{out}");
    let (code, _, err) = contractor(&["list", "--spec", SPEC, "--coverage", "most"]);
    assert_eq!(code, 2);
    assert!(err.contains("off, negative or full"), "{err}");
}

#[test]
fn the_cap_holds_and_keeps_one_of_each_kind_first() {
    let all = generated(Coverage::Full, 1, 0);
    let negatives: Vec<_> = of_kind(&all, "negative")
        .into_iter()
        .filter(|s| s.operation == "createThing")
        .collect();
    // createThing's body has more faults than the cap.
    assert_eq!(
        negatives.len(),
        CAP_PER_OPERATION,
        "{:#?}",
        ids_of(&negatives)
    );
    for kind in [
        "too-short",
        "pattern-mismatch",
        "wrong-format",
        "additional-property",
    ] {
        assert!(
            negatives.iter().any(|s| s.id.ends_with(kind)),
            "{kind} kept"
        );
    }
    let per_op = |kind: &str| {
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for s in of_kind(&all, kind) {
            *count.entry(s.operation.as_str()).or_default() += 1;
        }
        count.into_values().max().unwrap_or(0)
    };
    assert!(per_op("negative") <= CAP_PER_OPERATION);
    assert!(per_op("boundary") <= CAP_PER_OPERATION);
}

fn ids_of(scenarios: &[&Scenario]) -> Vec<String> {
    scenarios.iter().map(|s| s.id.clone()).collect()
}

#[test]
fn an_undeclared_method_probe_is_safe_where_it_can_be_and_tagged_where_not() {
    let all = generated(Coverage::Negative, 1, 0);
    let probes = of_kind(&all, "unsupported_method");
    // One per path: /things and /things/{thingId}.
    assert_eq!(probes.len(), 2, "{:#?}", ids_of(&probes));
    for s in probes {
        let sent = call(s).method.clone().expect("a method override");
        assert_eq!(s.tags.mutates, sent != "GET", "{}", s.id);
        assert!(call(s).body.is_none());
    }
}

/// `contractor run --spec SPEC --coverage full` against `target` (or the embedded stub),
/// with an identity, and its JSON report.
fn run(target: Option<&str>, name: &str) -> (i32, String, Value) {
    let json: PathBuf = tmp_dir(&format!("coverage-{name}")).join("run.json");
    let json_arg = json.to_string_lossy().into_owned();
    let mut args = vec!["run", "--spec", SPEC, "--seed", "3", "--coverage", "full"];
    args.extend(["--examples", "2", "--json", &json_arg]);
    if let Some(target) = target {
        args.extend(["--target", target]);
    }
    let out = command(&args)
        .env("CONTRACTOR_IDENTITY_DEFAULT", "key-1")
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let report = std::fs::read_to_string(&json).unwrap_or_else(|_| panic!("no report: {stdout}"));
    (
        out.status.code().unwrap_or(-1),
        stdout,
        serde_json::from_str(&report).expect("json"),
    )
}

/// The names of the checks that failed in the report.
fn failed_checks(report: &Value) -> BTreeSet<String> {
    let text = report.to_string();
    [
        "negative_data_rejection",
        "positive_data_acceptance",
        "missing_required_header",
        "unsupported_method",
        "ignored_auth",
    ]
    .into_iter()
    .filter(|name| text.contains(&format!("\"check\":\"{name}\"")))
    .map(str::to_owned)
    .collect()
}

#[test]
fn every_coverage_scenario_passes_against_our_stub() {
    let (code, out, report) = run(None, "stub");
    assert_eq!(code, 0, "{out}");
    assert_eq!(report["summary"]["failed"], 0, "{out}");
    assert!(out.contains("::negative::"), "{out}");
}

#[test]
fn the_probe_checks_fail_a_server_that_accepts_everything() {
    let server = serve(|_, _| Reply::Json(200, "{}"));
    let (code, out, report) = run(Some(&server.url), "accepts");
    assert_eq!(code, 1, "{out}");
    let failed = failed_checks(&report);
    for check in [
        "negative_data_rejection",
        "missing_required_header",
        "unsupported_method",
        "ignored_auth",
    ] {
        assert!(
            failed.contains(check),
            "{check} did not fail: {failed:?}\n{out}"
        );
    }
    assert!(
        out.contains("invalid query.limit accepted (above-maximum)"),
        "{out}"
    );
    assert!(out.contains("#/paths/~1things/get/parameters/0"), "{out}");
}

#[test]
fn positive_data_acceptance_fails_a_server_that_refuses_everything() {
    let server = serve(|_, _| Reply::Json(400, "{\"error\":\"no\"}"));
    let (code, out, report) = run(Some(&server.url), "refuses");
    assert_eq!(code, 1, "{out}");
    assert!(
        failed_checks(&report).contains("positive_data_acceptance"),
        "{out}"
    );
    assert!(out.contains("valid query.limit refused (minimum)"), "{out}");
}

#[test]
fn a_coverage_call_that_creates_removes_what_it_created() {
    // A boundary value a create accepts, or a fault a faulty server accepts, makes an item:
    // the scenario's cleanup deletes it by the id the answer shows.
    let all = generated(Coverage::Full, 1, 0);
    let creates: Vec<&Scenario> = all
        .iter()
        .filter(|s| s.operation == "createThing")
        .filter(|s| s.id.contains("::boundary::") || s.id.contains("::negative::"))
        .collect();
    assert!(creates.len() >= 2, "{:?}", ids_of(&creates));
    for s in creates {
        let captured = call(s)
            .captures
            .iter()
            .any(|(var, _)| var == "created_item");
        let deleted = s.cleanup.iter().any(|c| {
            c.operation == "deleteThing" && c.params.values().any(|v| v == "${created_item}")
        });
        assert!(captured && deleted, "{}: {:?}", s.id, s.cleanup);
    }
}
