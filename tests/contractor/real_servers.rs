//! Issue 9, contractor against real servers (docs/real-servers.md): the failures that were
//! ours, each pinned against a loopback server that answers as the real one did. Class 2, the
//! spec's base path kept when `--target` has none; class 5, any documented 2xx is a success;
//! class 4, a 404 (or 401) probe met by another documented 4xx is not reached; class 7, no
//! request goes out on a connection the server may close after a 5xx.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;

use crate::loopback::{serve, Loopback, Reply};
use crate::support::*;

/// `contractor run --spec SPEC --target TARGET --test-threads 1 EXTRA`: exit code, stdout and
/// the JSON report.
fn run(spec: &str, target: &str, name: &str, extra: &[&str]) -> (i32, String, Value) {
    let json: PathBuf = tmp_dir(&format!("real-servers-{name}")).join("run.json");
    let json_arg = json.to_string_lossy();
    let spec = format!("tests/fixtures/realservers/{spec}");
    let mut args = vec!["run", "--spec", &spec, "--target", target];
    args.extend(["--json", &json_arg, "--test-threads", "1"]);
    args.extend(extra);
    let (code, out, err) = contractor(&args);
    let report = std::fs::read_to_string(&json).unwrap_or_else(|_| panic!("no report: {err}"));
    (code, out, serde_json::from_str(&report).expect("json"))
}

// ---- class 2: the base path --------------------------------------------------------------------

/// A server that knows only `GET {prefix}/ping`.
fn ping_under(prefix: &'static str) -> Loopback {
    serve(move |method, path| {
        if method == "GET" && path.strip_prefix(prefix) == Some("/ping") {
            Reply::Json(200, "{}")
        } else {
            Reply::Json(404, "{\"error\":\"not found\"}")
        }
    })
}

#[test]
fn a_target_without_a_path_keeps_the_swagger_base_path() {
    let server = ping_under("/v1");
    for target in [server.url.clone(), format!("{}/", server.url)] {
        let (code, out, _) = run("basepath.yaml", &target, "basepath", &[]);
        assert_eq!(code, 0, "{out}");
    }
    assert_eq!(server.seen(), ["GET /v1/ping", "GET /v1/ping"]);
}

#[test]
fn a_target_without_a_path_keeps_a_relative_servers_path() {
    let server = ping_under("/api");
    let (code, out, _) = run("relative-server.yaml", &server.url, "relative", &[]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(server.seen(), ["GET /api/ping"]);
}

#[test]
fn a_target_with_a_path_is_used_as_it_is() {
    let server = ping_under("/elsewhere");
    let target = format!("{}/elsewhere", server.url);
    let (code, out, _) = run("basepath.yaml", &target, "own-path", &[]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(server.seen(), ["GET /elsewhere/ping"]);
}

// ---- class 5: two documented successes; class 4: a documented refusal ------------------------

const BUCKET: &str = "{\"id\":\"b1\",\"name\":\"lamp\"}";

/// Creates answer 201 with `created`; the bucket reads as 200 until it is deleted, any other id
/// as `unknown` (403 the way Kinto hides what the caller may not see).
fn buckets(created: &'static str, unknown: Reply) -> Loopback {
    let deleted = AtomicBool::new(false);
    serve(move |method, path| match (method, path) {
        ("POST", _) => {
            deleted.store(false, Ordering::SeqCst);
            Reply::Json(201, created)
        }
        ("DELETE", _) => {
            deleted.store(true, Ordering::SeqCst);
            Reply::Empty(204)
        }
        ("GET", "/buckets/b1") if !deleted.load(Ordering::SeqCst) => Reply::Json(200, BUCKET),
        ("GET", "/buckets/b1") => Reply::Empty(404),
        _ => unknown,
    })
}

#[test]
fn a_create_that_answers_its_other_documented_success_passes_and_sets_up_the_rest() {
    let server = buckets(BUCKET, Reply::Empty(404));
    let (code, out, report) = run("two-successes.yaml", &server.url, "two-successes", &[]);
    assert_eq!(code, 0, "{out}");
    // The scenario keeps the name of the lowest documented 2xx.
    for id in [
        "addBucket::200::valid",
        "getBucket::200::valid",
        "deleteBucket::204::valid",
        "addBucket::lifecycle::create_read_delete",
    ] {
        assert_eq!(reported(&report, id)["result"], "passed", "{id}: {out}");
    }
}

#[test]
fn a_body_is_checked_against_the_response_of_the_status_that_came_back() {
    // A 201 with the 200's body: the 201 schema (an id and a name) is the one that applies.
    let server = buckets("{\"existed\":true}", Reply::Empty(404));
    let (code, out, report) = run(
        "two-successes.yaml",
        &server.url,
        "wrong-body",
        &["--filter", "addBucket::200"],
    );
    assert_eq!(code, 1, "{out}");
    let failures = &reported(&report, "addBucket::200::valid")["failures"];
    assert_eq!(failures[0]["check"], "response_schema_conformance");
    let text = failures[0]["text"].as_str().expect("text");
    assert!(text.contains("/responses/201"), "{text}");
}

#[test]
fn a_success_that_answers_an_undocumented_2xx_still_fails() {
    let server = serve(|_, _| Reply::Empty(202));
    let (code, out, report) = run(
        "two-successes.yaml",
        &server.url,
        "undocumented-2xx",
        &["--filter", "addBucket::200"],
    );
    assert_eq!(code, 1, "{out}");
    let text = reported(&report, "addBucket::200::valid")["failures"][0]["text"]
        .as_str()
        .expect("text")
        .to_owned();
    assert!(text.contains("undocumented status 202"), "{text}");
}

#[test]
fn a_404_probe_answered_with_a_documented_403_is_not_reached() {
    let server = buckets(BUCKET, Reply::Empty(403));
    let (code, out, report) = run(
        "two-successes.yaml",
        &server.url,
        "not-reached",
        &["--filter", "getBucket"],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        reported(&report, "getBucket::200::valid")["result"],
        "passed"
    );
    let probe = reported(&report, "getBucket::404::never_created");
    assert_eq!(probe["result"], "ignored", "{probe}");
    let why = "not reached: the target answered 403, which the spec also documents";
    assert_eq!(probe["reason"], why);
    assert!(out.contains(&format!("... ignored ({why})")), "{out}");
}

#[test]
fn a_404_probe_answered_with_an_undocumented_4xx_fails() {
    let server = buckets(BUCKET, Reply::Empty(410));
    let (code, out, report) = run(
        "two-successes.yaml",
        &server.url,
        "probe-410",
        &["--filter", "getBucket::404"],
    );
    assert_eq!(code, 1, "{out}");
    let probe = reported(&report, "getBucket::404::never_created");
    assert_eq!(probe["result"], "failed", "{probe}");
}

#[test]
fn a_401_probe_answered_with_a_documented_404_is_not_reached() {
    // The server looks for the note before it looks at the credentials.
    let server = serve(|_, path| match path {
        "/ping" => Reply::Empty(200),
        _ => Reply::Empty(404),
    });
    let json = tmp_dir("real-servers-guarded").join("run.json");
    let spec = "tests/fixtures/realservers/guarded.yaml";
    let out = command(&["run", "--spec", spec, "--target", &server.url, "--json"])
        .arg(&json)
        .env("CONTRACTOR_IDENTITY_DEFAULT", "contractor-token")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("report")).expect("json");
    for id in [
        "getNote::401::no_credentials",
        "getNote::401::invalid_credentials",
    ] {
        let probe = reported(&report, id);
        assert_eq!(probe["result"], "ignored", "{probe}");
        assert_eq!(
            probe["reason"],
            "not reached: the target answered 404, which the spec also documents"
        );
    }
    assert_eq!(
        reported(&report, "getNote::404::never_created")["result"],
        "passed"
    );
}

// ---- class 7: a connection closed after a 5xx ------------------------------------------------

#[test]
fn the_request_after_a_5xx_goes_out_on_a_new_connection() {
    // uvicorn after some of Prefect's 503s: the answer without `Connection: close`, then the
    // connection closed a moment later, with the next request unread.
    let server = serve(|_, path| match path {
        "/a-fails" => Reply::JsonThenClose(503, "{}", Duration::from_millis(300)),
        _ => Reply::Json(200, "{}"),
    });
    let (code, out, report) = run("reset.yaml", &server.url, "after-5xx", &[]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(reported(&report, "aFails::200::valid")["result"], "failed");
    let next = reported(&report, "bNext::200::valid");
    assert_eq!(next["result"], "passed", "{out}");
    assert_eq!(server.seen(), ["POST /a-fails", "POST /b-next"]);
}
