//! The coverage table and the rate limiter.

use crate::support::*;

#[test]
fn the_coverage_table_lists_statuses_the_spec_does_not_document() {
    let (code, out, _) = contractor(&[
        "run",
        "--mutant",
        "undocumented_status",
        "--filter",
        "NOT_FOUND",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("statuses seen that the spec does not document:"),
        "{out}"
    );
    assert!(out.contains("classroom.invitations.get  410"), "{out}");
}

#[test]
fn the_rate_limiter_spaces_requests_out() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let limiter = contractor::run::Limiter::new(50.0);
    let start = std::time::Instant::now();
    rt.block_on(async {
        for _ in 0..6 {
            limiter.wait().await;
        }
    });
    // Six slots at 50 a second: the last starts 100 ms after the first, at least.
    assert!(
        start.elapsed() >= std::time::Duration::from_millis(100),
        "{:?}",
        start.elapsed()
    );
}
