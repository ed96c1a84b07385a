//! Issue 10, response semantics: `response_echoes_request`, `list_filter_conformance`,
//! `pagination_conformance` and `error_code_conformance`'s `error.code` each fire against a
//! deliberately wrong server (a wiremock server on 127.0.0.1 that answers swapped fields,
//! items outside the filter, a page larger than asked for with a looping token, and a Google
//! error body whose code is not its status), and pass against our own stub, which pages.

use std::path::PathBuf;

use serde_json::{json, Value};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

const NOTES: &str = "tests/fixtures/semantics/notes.yaml";

/// `contractor run` of the Notes spec (against `target`, else the embedded stub): exit code
/// and the JSON report.
fn run(name: &str, target: Option<&str>) -> (i32, Value) {
    let dir = tmp_dir(&format!("semantics-{name}"));
    let json: PathBuf = dir.join("run.json");
    let json_arg = json.to_string_lossy().into_owned();
    let mut args = vec!["run", "--spec", NOTES, "--seed", "1", "--json", &json_arg];
    if let Some(url) = target {
        args.extend(["--target", url]);
    }
    let (code, _, err) = contractor(&args);
    let report = std::fs::read_to_string(&json).unwrap_or_else(|_| panic!("no report: {err}"));
    (code, serde_json::from_str(&report).expect("json"))
}

/// The names of the checks that failed anywhere in `report`.
fn failed_checks(report: &Value) -> Vec<String> {
    let mut out: Vec<String> = report["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .flat_map(|s| s["failures"].as_array().cloned().unwrap_or_default())
        .filter_map(|f| f["check"].as_str().map(str::to_owned))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn note(id: &str, folder: &str) -> Value {
    json!({"id": id, "title": "kept", "folder": folder})
}

/// A server that gets each semantic rule wrong once.
async fn wrong_server() -> MockServer {
    let server = MockServer::start().await;
    // Swapped fields: whatever title was sent, the answer has another.
    Mock::given(method("POST"))
        .and(path("/notes"))
        .respond_with(ResponseTemplate::new(201).set_body_json(note("n1", "inbox")))
        .mount(&server)
        .await;
    // Items outside the filter, more than pageSize, and a token that never changes.
    let page = json!({
        "notes": [note("n1", "archive"), note("n2", "archive"), note("n3", "archive")],
        "nextPageToken": "again",
    });
    Mock::given(method("GET"))
        .and(path("/notes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    // A read after the create answers another title than the create did.
    let mut read = note("n1", "inbox");
    read["title"] = json!("changed");
    Mock::given(method("GET"))
        .and(path("/notes/n1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(read))
        .with_priority(1)
        .mount(&server)
        .await;
    // A Google error body whose code is not the status.
    let missing = json!({"error": {"code": 400, "message": "no such note", "status": "NOT_FOUND"}});
    Mock::given(method("GET"))
        .and(path_regex("^/notes/.+$"))
        .respond_with(ResponseTemplate::new(404).set_body_json(missing))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

#[test]
fn each_semantic_check_fires_against_a_server_that_breaks_it() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt.block_on(wrong_server());
    let (code, report) = run("wrong", Some(&server.uri()));
    assert_eq!(code, 1, "{report}");
    let failed = failed_checks(&report);
    for check in [
        "response_echoes_request",
        "list_filter_conformance",
        "pagination_conformance",
        "error_code_conformance",
    ] {
        assert!(failed.iter().any(|f| f == check), "{check} in {failed:?}");
    }
    let pages = reported(&report, "notes.list::pagination::pages");
    let titles: Vec<&str> = pages["failures"]
        .as_array()
        .expect("failures")
        .iter()
        .filter(|f| f["check"] == "pagination_conformance")
        .filter_map(|f| f["title"].as_str())
        .collect();
    assert!(
        titles.contains(&"page holds more items than pageSize asked for"),
        "{titles:?}"
    );
    let titles = |id: &str| -> Vec<String> {
        reported(&report, id)["failures"]
            .as_array()
            .expect("failures")
            .iter()
            .filter(|f| f["check"] == "response_echoes_request")
            .filter_map(|f| f["title"].as_str().map(str::to_owned))
            .collect()
    };
    let created = titles("notes.create::201::valid");
    assert_eq!(created, ["response does not echo the request at /title"]);
    let lifecycle = titles("notes.create::lifecycle::create_read_delete");
    assert!(
        lifecycle.contains(&"read differs from the create's answer at /title".to_owned()),
        "{lifecycle:?}"
    );
    drop(server);
}

#[test]
fn a_next_page_token_that_never_changes_is_a_loop() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt.block_on(async {
        let server = wrong_server().await;
        // A first page of the right size, whose token leads back to itself.
        let page = json!({
            "notes": [note("n1", "inbox"), note("n2", "inbox")],
            "nextPageToken": "again",
        });
        Mock::given(method("GET"))
            .and(path("/notes"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .with_priority(1)
            .mount(&server)
            .await;
        server
    });
    let (_, report) = run("looping", Some(&server.uri()));
    let pages = reported(&report, "notes.list::pagination::pages");
    let titles: Vec<&str> = pages["failures"]
        .as_array()
        .expect("failures")
        .iter()
        .filter(|f| f["check"] == "pagination_conformance")
        .filter_map(|f| f["title"].as_str())
        .collect();
    assert_eq!(titles, ["next-page token loops"], "{pages}");
    drop(server);
}

#[test]
fn the_semantic_checks_pass_against_our_stub_which_pages() {
    let (code, report) = run("stub", None);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["summary"]["failed"], 0, "{report}");
    let pages = reported(&report, "notes.list::pagination::pages");
    assert_eq!(pages["result"], "passed", "{pages}");
    let steps = pages["steps"].as_array().expect("steps");
    let urls: Vec<&str> = steps.iter().filter_map(|s| s["url"].as_str()).collect();
    assert!(
        urls.iter()
            .any(|u| u.ends_with("/notes?folder=inbox&pageSize=2")),
        "{urls:?}"
    );
    assert!(
        urls.iter().any(|u| u.contains("pageToken=")),
        "the second page follows the token: {urls:?}"
    );
}

#[test]
fn list_shows_each_list_operations_pagination_style() {
    let (code, out, err) = contractor(&["list", "--spec", NOTES]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("notes.list  pagination: token (pageSize, pageToken -> /nextPageToken)"),
        "{out}"
    );
    assert!(out.contains("notes.list::pagination::pages"), "{out}");
}
