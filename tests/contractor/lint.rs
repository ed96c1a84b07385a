//! The `lint` command: exit codes, text and JSON.

use serde_json::Value;

use crate::support::*;

// ---- the lint command ------------------------------------------------------------------------

#[test]
fn lint_exits_0_on_warnings_and_2_on_any_failure() {
    let (code, out, _) = contractor(&["lint", "tests/fixtures/sloppy-swagger.md"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Swagger 2.0, 3 operations"), "{out}");
    assert!(out.contains("warning: dangling $ref"), "{out}");
    let (code, out, _) = contractor(&[
        "lint",
        "tests/fixtures/sloppy-swagger.md",
        "tests/fixtures/broken/swagger-3.yaml",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("2 files: 1 loaded, 1 failed"), "{out}");
}

#[test]
fn lint_json_lists_operations_error_codes_and_diagnostics() {
    let (code, out, _) = contractor(&[
        "lint",
        "--json",
        "specs/google-classroom/apis.yaml",
        "tests/fixtures/broken/bad-indent.yaml",
    ]);
    assert_eq!(code, 2);
    let files: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(files[0]["ok"], true);
    assert_eq!(files[0]["kind"]["type"], "listing");
    assert_eq!(files[0]["operation_count"], 5);
    let ops = files[0]["apis"][0]["operations"].as_array().expect("ops");
    let accept = ops
        .iter()
        .find(|o| o["id"] == "classroom.invitations.accept")
        .expect("accept");
    assert_eq!(accept["method"], "POST");
    assert_eq!(accept["path"], "/v1/invitations/{id}:accept");
    let fp = accept["error_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .find(|c| c["name"] == "FAILED_PRECONDITION")
        .expect("fp");
    assert_eq!(fp["reasons"].as_array().expect("reasons").len(), 4);
    assert_eq!(fp["http_status"], 400);
    assert_eq!(files[1]["ok"], false);
    assert_eq!(files[1]["diagnostics"][0]["location"]["line"], 4);
    assert_eq!(files[1]["diagnostics"][0]["location"]["column"], 11);
}

#[test]
fn unknown_subcommand_and_missing_paths_are_usage_errors() {
    let (code, _, err) = contractor(&["lint"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = contractor(&["lnit", "x"]);
    assert_eq!(code, 2);
    assert!(err.contains("lint"), "suggests the near match: {err}");
}

/// Issue 9: a path-template parameter that is not declared gets a located warning, and the
/// generated request still fills it (with a string), so its scenario passes on our stub.
#[test]
fn an_undeclared_path_parameter_is_warned_and_still_filled() {
    let spec = "tests/fixtures/messy/undeclared-path-parameter.yaml";
    let (code, out, _) = contractor(&["lint", spec]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("warning: path parameter 'shelf' is in the template /shelves/{shelf}/books but not declared: sent as a string"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "--> {spec}:7#/paths/~1shelves~1{{shelf}}~1books/get"
        )),
        "{out}"
    );
    let (code, out, err) = contractor(&["run", "--spec", spec]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("1 scenarios: 1 passed, 0 failed, 0 ignored"),
        "{out}"
    );
}

/// A template that names a parameter twice gets a located warning, and the scenarios of its
/// operation are ignored naming the parameter, instead of failing on one value for both.
#[test]
fn a_path_parameter_named_twice_is_warned_and_its_operation_ignored() {
    let spec = "tests/fixtures/messy/repeated-path-parameter.yaml";
    let (code, out, _) = contractor(&["lint", spec]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "warning: path parameter 'id' is in the template /albums/{id}/photos/{id} twice"
        ),
        "{out}"
    );
    let (code, out, err) = contractor(&["run", "--spec", spec]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("getPhoto::200::valid") && out.contains("0 failed"),
        "{out}"
    );
    let (_, listed, _) = contractor(&["list", "--spec", spec]);
    assert!(
        listed.contains("no producer for `{id}`: the path names it twice"),
        "{listed}"
    );
}
