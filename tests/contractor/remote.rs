//! Running against a target over the network: identities, exit codes, retries.

use std::io::{Read, Write};
use std::net::TcpListener;

use crate::support::*;

/// `contractor run --target URL` against a `contractor stub` process: identities come from
/// CONTRACTOR_IDENTITY_<NAME>, fixture values from the fixture file, as for a real domain.
#[test]
fn runs_the_shipped_suite_against_a_target_url_with_identities_from_the_environment() {
    let stub = StubProcess::start(&[]);
    let result = run_with_identities(&["--target", &stub.url, "--test-threads", "1"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&result.stdout);
    stub.stop();
    assert_eq!(result.status.code(), Some(0), "{text}");
    assert!(text.contains("42 passed; 0 failed; 0 ignored"), "{text}");
}

#[test]
fn a_missing_identity_makes_scenarios_ignored_with_the_variable_to_set() {
    let (code, out, err) = contractor(&[
        "list",
        "--target",
        "http://127.0.0.1:9",
        "--fixture",
        "scenarios/google-classroom/fixture.yaml",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("needs identity 'teacher': set CONTRACTOR_IDENTITY_TEACHER"),
        "{out}"
    );
}

#[test]
fn a_setup_error_exits_2_and_a_failed_check_exits_1() {
    let (code, _, err) = contractor(&["run", "--spec", "tests/fixtures/broken/swagger-3.yaml"]);
    assert_eq!(code, 2, "{err}");
    let (code, out, _) = contractor(&[
        "run",
        "--mutant",
        "wrong_content_type",
        "--filter",
        "get::200",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("content_type_conformance"), "{out}");
    assert!(
        out.contains("curl -X GET") && out.contains("Bearer ***"),
        "{out}"
    );
}

/// Answers 503 with `Retry-After: 0` `failures` times, then 200, counting requests.
fn flaky(failures: usize) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = std::sync::Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(failures + 1) {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let reply = if n < failures {
                "HTTP/1.1 503 Service Unavailable\r\nretry-after: 0\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_owned()
            } else {
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}".to_owned()
            };
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    (format!("http://{addr}"), seen)
}

#[test]
fn retries_503_honouring_retry_after() {
    let (url, seen) = flaky(2);
    let exchange = get_invitation(&url, None, std::time::Duration::from_secs(5)).expect("send");
    assert_eq!(exchange.response.status, 200);
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 3);
}

/// Security schemes drive credentials (issue 9): against `contractor stub` serving a spec
/// with an apiKey header, query and cookie, http basic and bearer, oauth2, an AND of two
/// schemes and `security: []`, the one identity's value goes where each operation's scheme
/// says, and the stub (which refuses what the scheme does not get, and credentials it did not
/// issue: its `contractor`) lets every scenario pass.
#[test]
fn each_operation_gets_its_credential_where_its_security_scheme_says() {
    let spec = "tests/fixtures/security/schemes.yaml";
    let stub = StubProcess::start(&["--spec", spec]);
    let result = command(&["run", "--spec", spec, "--target", &stub.url])
        .env("CONTRACTOR_IDENTITY_DEFAULT", "contractor")
        .output()
        .expect("run");
    stub.stop();
    let out = String::from_utf8_lossy(&result.stdout);
    assert_eq!(result.status.code(), Some(0), "{out}");
    assert!(
        out.contains("22 scenarios: 22 passed, 0 failed, 0 ignored"),
        "{out}"
    );
}

/// An operation with `security: []` needs no identity: with none configured, it still runs.
#[test]
fn an_operation_without_security_needs_no_identity() {
    let spec = "tests/fixtures/security/schemes.yaml";
    let stub = StubProcess::start(&["--spec", spec]);
    let (code, out, err) = contractor(&["run", "--spec", spec, "--target", &stub.url]);
    stub.stop();
    assert_eq!(code, 0, "{out}\n{err}");
    let open = out
        .lines()
        .find(|l| l.contains("open::200::valid"))
        .unwrap_or("");
    assert!(open.ends_with(" ok"), "{out}");
    assert!(
        out.contains("22 scenarios: 15 passed, 0 failed, 7 ignored"),
        "{out}"
    );
}

/// A spec that declares no security at all needs no identity: its whole generated suite runs
/// against a target without `CONTRACTOR_IDENTITY_DEFAULT`.
#[test]
fn a_spec_without_security_needs_no_identity() {
    let spec = "tests/fixtures/stub/shelf.yaml";
    let stub = StubProcess::start(&["--spec", spec]);
    let (code, out, err) = contractor(&["run", "--spec", spec, "--target", &stub.url]);
    stub.stop();
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("8 scenarios: 8 passed, 0 failed, 0 ignored"),
        "{out}"
    );
}
