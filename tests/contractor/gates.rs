//! Reports, gates and safety: JUnit, JSON, loopback-only mutations, masking.

use std::net::TcpListener;

use serde_json::Value;

use crate::support::*;

#[test]
fn junit_report_is_valid_xml_with_a_case_per_scenario_and_the_failure_text() {
    let dir = tmp_dir("gates-junit");
    let junit = dir.join("report.xml");
    let (code, out, _) = contractor(&[
        "run",
        "--mutant",
        "enum_out_of_range",
        "--junit",
        &junit.to_string_lossy(),
    ]);
    assert_eq!(code, 1, "{out}");
    let text = std::fs::read_to_string(&junit).expect("junit written");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1);
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 42);
    let failures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert!(!failures.is_empty());
    let body = failures[0].text().unwrap_or("");
    assert!(
        body.contains("response_schema_conformance") && body.contains("-->"),
        "{body}"
    );
    assert!(!text.contains("fixture-token-"), "credentials are masked");
    assert_eq!(
        suites[0].attribute("failures"),
        Some(failures.len().to_string().as_str())
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn json_report_has_every_scenario_and_step() {
    let dir = tmp_dir("gates-json");
    let path = dir.join("report.json");
    let (code, out, _) = contractor(&["run", "--json", &path.to_string_lossy()]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("42 scenarios: 42 passed, 0 failed, 0 ignored"),
        "{out}"
    );
    assert!(out.contains("coverage:"), "{out}");
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("json")).expect("parse");
    let scenarios = doc["scenarios"].as_array().expect("scenarios");
    assert_eq!(scenarios.len(), 42);
    let step = &scenarios[0]["steps"][0];
    assert!(
        step["status"].is_u64() && step["elapsed_ms"].is_f64() && step["url"].is_string(),
        "{step}"
    );
    assert!(
        !doc.to_string().contains("fixture-token-"),
        "credentials are masked"
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn a_target_outside_loopback_gets_only_read_only_scenarios_unless_allowed() {
    // `list` sends nothing: no traffic leaves this machine.
    let (code, out, _) = contractor(&[
        "list",
        "--target",
        "https://staging.example.com",
        "--fixture",
        "scenarios/google-classroom/fixture.yaml",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("mutates state on a target outside loopback: pass --allow-mutations"),
        "{out}"
    );
    let (_, allowed, _) = contractor(&[
        "list",
        "--target",
        "https://staging.example.com",
        "--fixture",
        "scenarios/google-classroom/fixture.yaml",
        "--allow-mutations",
    ]);
    assert!(!allowed.contains("pass --allow-mutations"), "{allowed}");
}

#[test]
fn an_unreachable_target_is_a_setup_error() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let (code, _, err) = contractor(&["run", "--target", &format!("http://127.0.0.1:{port}")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot be reached"), "{err}");
}

#[test]
fn token_like_query_parameters_are_masked() {
    assert_eq!(
        contractor::report::mask_url("http://h/x?api_key=s3cret&page=2&access_token=t"),
        "http://h/x?api_key=***&page=2&access_token=***"
    );
}

#[test]
fn bad_rate_is_a_usage_error() {
    let (code, _, err) = contractor(&["run", "--rate", "fast"]);
    assert_eq!(code, 2);
    assert!(err.contains("--rate"), "{err}");
}

/// A gate never goes green by doing nothing (issue 9): a filter that matches no scenario is a
/// setup error, not "0 passed".
#[test]
fn a_filter_that_matches_nothing_exits_2() {
    let (code, _, err) = contractor(&["run", "--filter", "no-such-scenario"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no scenario ran: no scenario matches the filter 'no-such-scenario'"),
        "{err}"
    );
}

/// Against a target with no identities configured, every scenario of a spec whose operations
/// all need one is ignored: that run executed nothing, so it exits 2 and gives the top reasons,
/// naming the variable to set.
#[test]
fn a_run_in_which_every_scenario_is_ignored_exits_2_with_the_top_reasons() {
    let spec = "tests/fixtures/security/all-secured.yaml";
    let stub = StubProcess::start(&["--spec", spec]);
    let (code, out, err) = contractor(&["run", "--spec", spec, "--target", &stub.url]);
    stub.stop();
    assert_eq!(code, 2, "{out}\n{err}");
    let why = "needs identity 'default': set CONTRACTOR_IDENTITY_DEFAULT";
    assert!(
        err.contains(&format!(
            "no scenario ran: all 2 scenarios were ignored: 2x {why}"
        )),
        "{err}"
    );
    assert!(
        out.contains("note: 2 of 2 scenarios were ignored; the top reasons:"),
        "{out}"
    );
}

/// The shipped suite against a target without identities runs only its five
/// unauthenticated scenarios: it passes, but its last lines say most of it was ignored.
#[test]
fn a_mostly_ignored_run_says_so_in_its_last_lines() {
    let stub = StubProcess::start(&[]);
    let (code, out, err) = contractor(&["run", "--target", &stub.url]);
    stub.stop();
    assert_eq!(code, 0, "{out}\n{err}");
    let tail: Vec<&str> = out.lines().rev().take(4).collect();
    assert!(
        tail.iter()
            .any(|l| l.starts_with("note: 33 of 42 scenarios were ignored")),
        "{out}"
    );
}

/// The `name` a run's `createShelf` request sent, from its JSON report.
fn sent_name(report: &std::path::Path) -> (u64, String) {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(report).expect("report")).expect("json");
    let curl = json["scenarios"][0]["steps"][0]["curl"]
        .as_str()
        .expect("curl");
    let body = curl.split_once("--data-raw").expect("a body").1.to_owned();
    (json["seed"].as_u64().expect("seed"), body)
}

/// Issue 9: a run without `--seed` picks its own seed and prints it; `--seed` repeats the same
/// values; another seed sends other ones.
#[test]
fn a_run_prints_its_seed_and_the_seed_repeats_its_values() {
    let spec = "tests/fixtures/seeds/shelves.yaml";
    let dir = tmp_dir("seeds");
    let report = |name: &str| dir.join(format!("{name}.json"));
    let (code, out, _) = contractor(&[
        "run",
        "--spec",
        spec,
        "--json",
        &report("a").to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{out}");
    let (seed, _) = sent_name(&report("a"));
    assert!(
        out.contains(&format!(
            "seed {seed}: generated values change every run; --seed {seed} repeats these"
        )),
        "{out}"
    );
    let run = |name: &str, seed: &str| {
        let (code, out, _) = contractor(&[
            "run",
            "--spec",
            spec,
            "--seed",
            seed,
            "--json",
            &report(name).to_string_lossy(),
        ]);
        assert_eq!(code, 0, "{out}");
        assert!(!out.contains("generated values change every run"), "{out}");
        sent_name(&report(name))
    };
    let (s1, first) = run("b", "11");
    let (_, again) = run("c", "11");
    let (_, other) = run("d", "12");
    assert_eq!(s1, 11);
    assert_eq!(first, again, "the same seed sends the same values");
    assert_ne!(first, other, "another seed sends another name");
    assert!(first.contains("fiction-"), "a varied name: {first}");
}
