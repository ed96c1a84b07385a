//! The plain failure block and GitHub annotations.

use std::path::Path;

use contractor::check::Failure;
use contractor::run::{Exchange, ReceivedResponse, SentRequest};

use crate::support::*;

/// A snapshot of the plain failure block: title, location, request line, expected and
/// actual aligned, schema and instance paths, body, curl with the credential masked.
#[test]
fn a_failure_renders_as_its_plain_snapshot() {
    let mut failure = Failure::new(
        "response_schema_conformance",
        "response body does not match the schema",
        contractor::Location::new(
            "specs/google-classroom/invitations.yaml",
            "/paths/~1v1~1invitations/post/responses/200/content/application~1json/schema",
        ),
        "a body valid against the schema for application/json",
        "/role: \"GUEST\" is not one of the enum values",
    );
    failure.schema_path = Some("/components/schemas/Invitation/properties/role/enum".to_owned());
    failure.instance_path = Some("/role".to_owned());
    let exchange = Exchange {
        request: SentRequest {
            method: "POST".to_owned(),
            url: "http://127.0.0.1:4010/v1/invitations?access_token=s3cret".to_owned(),
            headers: vec![
                (
                    "authorization".to_owned(),
                    "Bearer fixture-token-teacher".to_owned(),
                ),
                ("content-type".to_owned(), "application/json".to_owned()),
            ],
            body: Some(br#"{"userId":"100005","courseId":"200001","role":"STUDENT"}"#.to_vec()),
        },
        response: ReceivedResponse {
            status: 200,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: br#"{"id":"1","userId":"100005","courseId":"200001","role":"GUEST"}"#.to_vec(),
        },
        elapsed: std::time::Duration::from_millis(3),
    };
    let text = contractor::report::render_failure(&failure, Some(&exchange));
    golden(Path::new("tests/golden/report/failure.txt"), &text);
    assert!(!text.contains("fixture-token-teacher") && !text.contains("s3cret"));
}

#[test]
fn github_actions_annotations_point_at_the_spec_line() {
    let out = command(&[
        "run",
        "--mutant",
        "enum_out_of_range",
        "--filter",
        "create::200",
    ])
    .env("GITHUB_ACTIONS", "true")
    .output()
    .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.starts_with("::error file=specs/google-classroom/invitations.yaml,line="),
        "{line}"
    );
    let n: u64 = line["::error file=specs/google-classroom/invitations.yaml,line=".len()..]
        .split(',')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("line number");
    let spec = std::fs::read_to_string(CLASSROOM_SPEC).expect("spec");
    let at = spec.lines().nth(n as usize - 1).expect("line exists");
    assert!(at.trim_start().starts_with("schema:"), "line {n} is `{at}`");
}
