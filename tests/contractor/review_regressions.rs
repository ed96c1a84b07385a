//! Regressions from the review of issues 3 to 5.

use std::net::TcpListener;

use crate::support::*;

#[test]
fn a_password_in_the_target_url_is_masked() {
    assert_eq!(
        contractor::report::mask_url("http://user:s3cr3t@127.0.0.1:9/v1/x?token=t"),
        "http://user:***@127.0.0.1:9/v1/x?token=***"
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let (code, out, err) = contractor(&[
        "run",
        "--target",
        &format!("http://u:s3cr3t@127.0.0.1:{port}"),
    ]);
    assert_eq!(code, 2);
    assert!(!out.contains("s3cr3t") && !err.contains("s3cr3t"), "{err}");
}

#[test]
fn a_huge_time_budget_means_no_deadline_not_a_crash() {
    let (code, out, _) = contractor(&[
        "run",
        "--time-budget",
        "18446744073709551615",
        "--filter",
        "get::200",
    ]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn zero_concurrency_is_a_usage_error_not_a_hang() {
    let (code, _, err) = contractor(&["run", "--concurrency", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("at least 1"), "{err}");
}

#[test]
fn check_names_with_hyphens_switch_checks_off() {
    let (_, with, _) = contractor(&["run", "--mutant", "delete_keeps_invitation"]);
    assert!(with.contains("use_after_free:"), "{with}");
    let (_, without, _) = contractor(&[
        "run",
        "--mutant",
        "delete_keeps_invitation",
        "--check-off",
        "use-after-free",
    ]);
    assert!(!without.contains("use_after_free:"), "{without}");
}

#[test]
fn mutants_cannot_apply_to_a_real_target() {
    let (code, _, err) = contractor(&[
        "run",
        "--target",
        "http://127.0.0.1:9",
        "--mutant",
        "slow_responses",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot apply to --target"), "{err}");
}
