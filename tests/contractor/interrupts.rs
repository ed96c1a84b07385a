//! Ctrl-C during a run, and replaying a recorded run.

use std::io::Read;
use std::process::Command;
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::support::*;

/// Starts `contractor run --target URL ARGS` with the fixture identities, stderr piped.
fn start_run(url: &str, args: &[&str]) -> Child {
    let mut run = run_with_identities(&["--target", url]);
    run.args(args).stdout(Stdio::null()).stderr(Stdio::piped());
    run.spawn().expect("run")
}

/// Sends `sig` to the `contractor run` this test started, by its PID.
fn signal(child: &Child, sig: &str) {
    let status = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

/// Waits for the run to exit, at most `limit` (killing it, by its PID, if it does not), and
/// returns its exit code and stderr.
fn finish(mut child: Child, limit: Duration) -> (Option<i32>, String) {
    let status = wait_at_most(&mut child, limit);
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    (status.and_then(|s| s.code()), err)
}

#[test]
fn sigint_mid_run_finishes_cleanup_and_leaves_no_invitation_behind() {
    contractor::install_crypto_provider();
    let stub = StubProcess::start(&[]);
    let url = &stub.url;
    let fixture = contractor::stub::classroom::Fixture::shipped();
    let child = start_run(url, &["--rate", "5/s", "--test-threads", "2"]);
    // Mid-run: at 5 requests a second the suite takes about 10 s.
    std::thread::sleep(Duration::from_millis(2500));
    signal(&child, "-INT");
    let (code, err) = finish(child, Duration::from_secs(60));
    assert_eq!(code, Some(130), "{err}");
    assert!(
        err.contains("interrupted: finishing cleanup") && err.contains("cleanup finished"),
        "{err}"
    );
    // No invitation is left in any fixture course.
    let client = reqwest::blocking::Client::new();
    for course in fixture.courses.values() {
        let text = client
            .get(format!("{url}/v1/invitations?courseId={}", course.id))
            .bearer_auth(&fixture.users["admin"].token)
            .send()
            .expect("list")
            .text()
            .expect("body");
        let body: Value = serde_json::from_str(&text).expect("json");
        assert!(
            body.get("invitations").is_none(),
            "left behind in {}: {body}",
            course.id
        );
    }
}

#[test]
fn a_second_sigint_stops_at_once_and_names_what_may_be_left_behind() {
    // A stub that answers every request 3 s late, so the run is always mid-request.
    let stub = StubProcess::start(&["--mutant", "slow_responses", "--slow-ms", "3000"]);
    let child = start_run(&stub.url, &["--filter", "create::200::valid"]);
    std::thread::sleep(Duration::from_millis(1000));
    signal(&child, "-INT");
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, "-INT");
    let (code, err) = finish(child, Duration::from_secs(30));
    assert_eq!(code, Some(130), "{err}");
    assert!(
        err.contains("stopped at once") && err.contains("classroom.invitations.create::200::valid"),
        "{err}"
    );
}

#[test]
fn replay_reruns_with_the_recorded_spec() {
    let dir = tmp_dir("replay-spec");
    let report = dir.join("run.json");
    let spec = "tests/fixtures/split/spec/api.yaml";
    let (code, out, _) = contractor(&[
        "run",
        "--spec",
        spec,
        "--mutant",
        "wrong_content_type",
        "--json",
        &report.to_string_lossy(),
    ]);
    assert_eq!(code, 1, "{out}");
    // Without --spec, replay uses the recorded one: the scenarios are found and the
    // content-type failures are fixed.
    let (_, out, _) = contractor(&["replay", &report.to_string_lossy()]);
    assert!(
        !out.contains("unknown in this suite") && out.contains("listBooks::200::valid: fixed"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn replay_says_which_recorded_failures_are_fixed() {
    let dir = tmp_dir("replay");
    let report = dir.join("run.json");
    let (code, _, _) = contractor(&[
        "run",
        "--mutant",
        "missing_reason_prefix",
        "--json",
        &report.to_string_lossy(),
    ]);
    assert_eq!(code, 1);
    let (code, out, _) = contractor(&[
        "replay",
        &report.to_string_lossy(),
        "--mutant",
        "missing_reason_prefix",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("still failing"), "{out}");
    let (code, out, _) = contractor(&["replay", &report.to_string_lossy()]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(": fixed") && out.contains("0 still failing"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
