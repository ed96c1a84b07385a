//! Issue 9, attribution: a connection the server cuts off mid-exchange is a
//! `not_a_server_error` failure with the request, not a transport error; a failed setup fails
//! the first scenario that needs it and blocks the rest; cleanup runs after a failed step.
//! The target is a raw loopback server that answers, fails, resets or cuts off on cue.

use std::path::PathBuf;
use std::time::Duration;

use contractor::run::{Identities, SendError, Target};
use serde_json::Value;

use crate::loopback::{serve, Loopback, Reply};
use crate::support::*;

// ---- the request: a cut-off is the request and the cause -----------------------------------

fn send(url: &str, operation: &str) -> Result<u16, SendError> {
    let target = Target::new(url, Identities::default(), Duration::from_secs(3)).expect("target");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let step = invitation_step(operation);
    rt.block_on(contractor::run::send(
        &target,
        &classroom_api(),
        &step,
        &Default::default(),
    ))
    .map(|e| e.response.status)
}

#[test]
fn a_response_cut_off_halfway_is_a_cut_off_with_the_request() {
    let server = serve(|_, _| Reply::CutMidBody);
    match send(&server.url, "classroom.invitations.get") {
        Err(SendError::CutOff {
            request, reason, ..
        }) => {
            assert_eq!(request.method, "GET");
            assert_eq!(request.url, format!("{}/v1/invitations/1", server.url));
            assert!(!reason.contains("127.0.0.1"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.seen().len(), 1, "a body cut short is not repeated");
}

#[test]
fn a_post_whose_connection_is_reset_is_a_cut_off_sent_once() {
    let server = serve(|_, _| Reply::Reset);
    let err = send(&server.url, "classroom.invitations.accept").expect_err("reset");
    assert!(
        matches!(&err, SendError::CutOff { request, .. } if request.method == "POST"),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("connection closed before a complete response: "),
        "{err}"
    );
    assert_eq!(server.seen().len(), 1, "a POST is never repeated");
}

#[test]
fn a_get_reset_again_after_its_one_repeat_is_a_cut_off() {
    let server = serve(|_, _| Reply::Reset);
    let err = send(&server.url, "classroom.invitations.get").expect_err("reset");
    assert!(matches!(err, SendError::CutOff { .. }), "{err:?}");
    assert_eq!(
        server.seen().len(),
        2,
        "repeated once, as for a stale connection"
    );
}

// ---- a run: failures, blocked scenarios, cleanup ---------------------------------------------

const THINGS: &str = "tests/fixtures/attribution/things.yaml";

/// `contractor run` of the Things spec against `server`: exit code, stdout, the JSON report and
/// the JUnit report.
fn run(server: &Loopback, name: &str, extra: &[&str]) -> (i32, String, Value, String) {
    let dir = tmp_dir(&format!("attribution-{name}"));
    let (json, junit): (PathBuf, PathBuf) = (dir.join("run.json"), dir.join("run.xml"));
    let mut args = vec!["run", "--spec", THINGS, "--target", &server.url];
    let (json_arg, junit_arg) = (json.to_string_lossy(), junit.to_string_lossy());
    args.extend(["--json", &json_arg, "--junit", &junit_arg]);
    args.extend(extra);
    let (code, out, err) = contractor(&args);
    let report = std::fs::read_to_string(&json).unwrap_or_else(|_| panic!("no report: {err}"));
    let xml = std::fs::read_to_string(&junit).expect("junit");
    (code, out, serde_json::from_str(&report).expect("json"), xml)
}

/// Creates fail with a 500; nothing else is reached.
fn creates_fail(method: &str, _: &str) -> Reply {
    match method {
        "POST" => Reply::Json(500, "{\"error\":\"down\"}"),
        _ => Reply::Empty(204),
    }
}

#[test]
fn a_failed_setup_fails_the_first_scenario_that_needs_it_and_blocks_the_rest() {
    // At one thread and at four the same scenario is the first, and the others are blocked.
    for threads in ["1", "4"] {
        let server = serve(creates_fail);
        let (code, out, report, junit) = run(
            &server,
            &format!("blocked-{threads}"),
            &["--test-threads", threads],
        );
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("4 scenarios: 0 passed, 2 failed, 2 blocked, 0 ignored"),
            "{out}"
        );
        let first = reported(&report, "getThing::200::valid");
        assert_eq!(first["result"], "failed");
        assert_eq!(
            first["reason"],
            "setup step 1 (addThing) failed: status 500, expected 201"
        );
        for id in [
            "deleteThing::204::valid",
            "addThing::lifecycle::create_read_delete",
        ] {
            let blocked = reported(&report, id);
            assert_eq!(blocked["result"], "blocked", "{blocked}");
            assert_eq!(blocked["blocked_by"], "getThing::200::valid");
            assert_eq!(blocked["failures"], Value::Array(Vec::new()));
            let line = out
                .lines()
                .find(|l| l.starts_with("test ") && l.contains(id))
                .unwrap_or_else(|| panic!("no trial line for {id}: {out}"));
            assert!(
                line.ends_with(
                    " ... ignored (blocked by getThing::200::valid: setup addThing failed)"
                ),
                "{line}"
            );
        }
        // The create's own scenario fails as itself: its POST is the call under test.
        assert_eq!(
            reported(&report, "addThing::201::valid")["result"],
            "failed"
        );
        assert_eq!(report["summary"]["blocked"], 2);
        assert_eq!(report["summary"]["failed"], 2);
        assert!(out.contains("passed failed blocked ignored"), "{out}");
        assert!(junit.contains("failures=\"2\" skipped=\"2\""), "{junit}");
        assert!(
            junit.contains(
                "<skipped message=\"blocked by getThing::200::valid: setup addThing failed\"/>"
            ),
            "{junit}"
        );
    }
}

#[test]
fn a_run_whose_only_failures_are_failed_setups_is_never_green() {
    let server = serve(creates_fail);
    let (code, out, report, _) = run(&server, "only-setups", &["--skip", "addThing::201"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("3 scenarios: 0 passed, 1 failed, 2 blocked, 0 ignored"),
        "{out}"
    );
    assert_eq!(
        reported(&report, "getThing::200::valid")["result"],
        "failed"
    );
}

#[test]
fn a_setup_that_fails_another_way_is_a_failure_of_its_own() {
    // One scenario at a time, the creates answer 500, 502, 500.
    let posts = std::sync::atomic::AtomicUsize::new(0);
    let server = serve(move |method, _| match method {
        "POST" => {
            let n = posts.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Reply::Json(if n == 1 { 502 } else { 500 }, "{}")
        }
        _ => Reply::Empty(204),
    });
    let args = ["--skip", "addThing::201", "--test-threads", "1"];
    let (_, out, report, _) = run(&server, "two-faults", &args);
    assert_eq!(
        reported(&report, "getThing::200::valid")["result"],
        "failed"
    );
    let other = reported(&report, "deleteThing::204::valid");
    assert_eq!(other["result"], "failed", "{out}");
    assert_eq!(
        other["reason"],
        "setup step 1 (addThing) failed: status 502, expected 201"
    );
    let lifecycle = reported(&report, "addThing::lifecycle::create_read_delete");
    assert_eq!(lifecycle["blocked_by"], "getThing::200::valid", "{out}");
}

#[test]
fn a_connection_cut_off_fails_not_a_server_error_with_the_request_and_cleanup_still_runs() {
    let server = serve(|method, _| match method {
        "POST" => Reply::Json(201, "{\"id\":\"7\",\"name\":\"lamp\"}"),
        "GET" => Reply::CutMidBody,
        _ => Reply::Empty(204),
    });
    let (code, out, report, _) = run(&server, "cut-off", &["--filter", "getThing::200"]);
    assert_eq!(code, 1, "{out}");
    let failures = &reported(&report, "getThing::200::valid")["failures"];
    assert_eq!(failures[0]["check"], "not_a_server_error", "{failures}");
    let text = failures[0]["text"].as_str().expect("text");
    assert!(
        text.starts_with("not_a_server_error: connection closed before a complete response\n"),
        "{text}"
    );
    let url = format!("{}/things/7", server.url);
    assert!(text.contains(&format!("  GET {url}\n")), "{text}");
    assert!(text.contains(&format!("curl -X GET '{url}'")), "{text}");
    assert!(!out.contains("request failed"), "{out}");
    assert!(
        server.seen().contains(&"DELETE /things/7".to_owned()),
        "the created thing was not deleted: {:?}",
        server.seen()
    );
}

#[test]
fn cleanup_removes_what_setup_created_after_a_failed_step() {
    // The read fails with a 500: the scenario stops there, and its cleanup still runs.
    let server = serve(|method, _| match method {
        "POST" => Reply::Json(201, "{\"id\":\"8\",\"name\":\"lamp\"}"),
        "GET" => Reply::Json(500, "{}"),
        _ => Reply::Empty(204),
    });
    let (code, _, _, _) = run(
        &server,
        "cleanup-after-failure",
        &["--filter", "getThing::200"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        server.seen(),
        ["POST /things", "GET /things/8", "DELETE /things/8"]
    );
}

#[test]
fn cleanup_removes_what_a_failed_setup_created() {
    // The create answers 200 where the spec says 201: the setup failed, but a thing exists.
    let server = serve(|method, _| match method {
        "POST" => Reply::Json(200, "{\"id\":\"9\",\"name\":\"lamp\"}"),
        _ => Reply::Empty(204),
    });
    let (code, _, report, _) = run(
        &server,
        "cleanup-after-setup",
        &["--filter", "getThing::200"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        reported(&report, "getThing::200::valid")["reason"],
        "setup step 1 (addThing) failed: status 200, expected 201"
    );
    assert_eq!(server.seen(), ["POST /things", "DELETE /things/9"]);
}

#[test]
fn a_lifecycle_whose_read_fails_still_deletes_its_item_and_one_that_deleted_it_does_not_again() {
    // The read after the create fails: the scenario stops before its own delete, and the
    // cleanup removes the thing (issue 10: leftovers made later creates fail with 409).
    let server = serve(|method, _| match method {
        "POST" => Reply::Json(201, "{\"id\":\"5\",\"name\":\"lamp\"}"),
        "GET" => Reply::Json(500, "{}"),
        _ => Reply::Empty(204),
    });
    let (code, _, _, _) = run(&server, "lifecycle-read-fails", &["--filter", "lifecycle"]);
    assert_eq!(code, 1);
    assert_eq!(
        server.seen(),
        ["POST /things", "GET /things/5", "DELETE /things/5"]
    );
    // When the scenario's own delete worked, cleanup does not send it a second time.
    let gone = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen_gone = std::sync::Arc::clone(&gone);
    let server = serve(move |method, _| match method {
        "POST" => Reply::Json(201, "{\"id\":\"6\",\"name\":\"lamp\"}"),
        "DELETE" => {
            seen_gone.store(true, std::sync::atomic::Ordering::SeqCst);
            Reply::Empty(204)
        }
        _ if gone.load(std::sync::atomic::Ordering::SeqCst) => Reply::Json(404, "{}"),
        _ => Reply::Json(200, "{\"id\":\"6\",\"name\":\"lamp\"}"),
    });
    let (code, out, _, _) = run(&server, "lifecycle-passes", &["--filter", "lifecycle"]);
    assert_eq!(code, 0, "{out}");
    let deletes = server
        .seen()
        .iter()
        .filter(|r| r.starts_with("DELETE"))
        .count();
    assert_eq!(deletes, 1, "{:?}", server.seen());
}

#[test]
fn a_cleanup_that_fails_is_reported_in_the_summary_json_and_junit() {
    let server = serve(|method, _| match method {
        "POST" => Reply::Json(201, "{\"id\":\"4\",\"name\":\"lamp\"}"),
        "GET" => Reply::Json(200, "{\"id\":\"4\",\"name\":\"lamp\"}"),
        _ => Reply::Json(500, "{}"),
    });
    let (code, out, report, junit) = run(&server, "cleanup-fails", &["--filter", "getThing::200"]);
    // The scenario itself passed: what failed is the removal of what it made.
    assert_eq!(code, 0, "{out}");
    let line = "cleanup step 1 (deleteThing) answered 500";
    assert_eq!(
        reported(&report, "getThing::200::valid")["cleanup_failures"],
        serde_json::json!([line])
    );
    assert!(
        out.contains(&format!(
            "warning: cleanup failed in 1 scenario(s); what they created may be left behind:\n  getThing::200::valid: {line}\n"
        )),
        "{out}"
    );
    assert!(
        junit.contains(&format!("<system-err>{line}</system-err>")),
        "{junit}"
    );
}
