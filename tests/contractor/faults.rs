//! A target that misbehaves on the wire: refused, reset, endless, huge, invalid JSON.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use crate::support::*;

/// A loopback server that misbehaves as `mode` says, once per connection, `n` times.
fn faulty(mode: &'static str, n: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(n) {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            match mode {
                "reset" => {
                    let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"partial\":");
                    let _ = s.shutdown(std::net::Shutdown::Both);
                }
                "endless" => {
                    let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
                    // A chunk every 50 ms, until the client gives up (bounded: 20 s at most).
                    for _ in 0..400 {
                        if s.write_all(b"1\r\n \r\n").is_err() {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
                "huge" => {
                    let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 52428800\r\n\r\n");
                    let chunk = vec![b' '; 64 * 1024];
                    for _ in 0..800 {
                        if s.write_all(&chunk).is_err() {
                            break;
                        }
                    }
                }
                "bad-json" => {
                    let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 9\r\nconnection: close\r\n\r\n{\"id\": 1,");
                }
                "short" => {
                    let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\nconnection: close\r\n\r\n{}");
                }
                _ => {}
            }
        }
    });
    format!("http://{addr}")
}

fn get(url: &str) -> (Result<contractor::run::Exchange, String>, Duration) {
    let start = Instant::now();
    let r = get_invitation(url, None, Duration::from_secs(2));
    (r, start.elapsed())
}

#[test]
fn connection_refused_is_a_clear_error() {
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let (r, _) = get(&format!("http://127.0.0.1:{port}"));
    let e = r.expect_err("refused");
    assert!(
        e.contains("request failed") && e.to_lowercase().contains("refused"),
        "{e}"
    );
}

#[test]
fn a_reset_mid_body_and_a_short_body_are_clear_errors() {
    for mode in ["reset", "short"] {
        let (r, _) = get(&faulty(mode, 1));
        let e = r.expect_err(mode);
        // Issue 9: a body the server cuts short is a cut-off connection (a failure of
        // `not_a_server_error` in a run), not a generic read error.
        assert!(
            e.starts_with("connection closed before a complete response: "),
            "{mode}: {e}"
        );
    }
}

#[test]
fn a_response_that_never_ends_times_out() {
    let (r, elapsed) = get(&faulty("endless", 1));
    let e = r.expect_err("timeout");
    assert!(
        e.to_lowercase().contains("timed out") || e.contains("failed to read"),
        "{e}"
    );
    // Bounded by the 2 s timeout, not by the server (a hang guard, not a speed goal).
    assert!(elapsed < Duration::from_secs(15), "{elapsed:?}");
}

#[test]
fn a_50_mb_body_is_capped() {
    let (r, _) = get(&faulty("huge", 1));
    let e = r.expect_err("cap");
    assert!(e.contains("larger than"), "{e}");
}

#[test]
fn invalid_json_with_a_json_content_type_fails_the_schema_check() {
    let (r, _) = get(&faulty("bad-json", 1));
    let exchange = r.expect("a response");
    let api = classroom_api();
    let op = api.operation("classroom.invitations.get").expect("op");
    let expect = contractor::check::Expectation::default();
    let ctx = contractor::check::CheckCtx {
        history: &[],
        api: &api,
        operation: op,
        expect: &expect,
        max_response_time: None,
        after_delete: false,
        after_create: false,
    };
    let enabled: Vec<_> = contractor::check::CHECKS.iter().collect();
    let failures = contractor::check::evaluate(&ctx, &exchange, &enabled);
    assert!(
        failures
            .iter()
            .any(|f| f.check == "response_schema_conformance"),
        "{failures:?}"
    );
}
