//! Scenario generation (goldens) and scenario files.

use std::path::{Path, PathBuf};

use contractor::scenario::{self, GenerateOptions};

use crate::support::*;

/// The generation golden `name`.
fn generation_golden(name: &str, actual: &str) {
    golden(&Path::new("tests/golden/generation").join(name), actual);
}

/// One line per scenario and one per step: stable text to compare.
fn describe(scenarios: &[contractor::scenario::Scenario]) -> String {
    let mut out = String::new();
    for s in scenarios {
        out.push_str(&format!("{}\n", s.id));
        if let Some(why) = &s.ignored {
            out.push_str(&format!("  ignored: {why}\n"));
        }
        for (i, step) in s.steps.iter().enumerate() {
            let body = step
                .body
                .as_ref()
                .map(|b| format!(" body={b}"))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {}. {} as {:?} params={:?}{body} expect={:?}/{:?}\n",
                i + 1,
                step.operation,
                step.identity,
                step.params,
                step.expect.status,
                step.expect.error_code
            ));
        }
        for step in &s.cleanup {
            out.push_str(&format!(
                "  cleanup: {} params={:?}\n",
                step.operation, step.params
            ));
        }
    }
    out
}

#[test]
fn generation_for_the_classroom_spec_matches_its_golden() {
    let api = classroom_api();
    let generated = scenario::generate(&api, &GenerateOptions::default());
    generation_golden("classroom.txt", &describe(&generated));
    // Deterministic: the same seed gives the same scenarios.
    assert_eq!(
        generated,
        scenario::generate(&api, &GenerateOptions::default())
    );
}

#[test]
fn generation_for_petstore_matches_its_golden() {
    let Some(shared) = shared() else {
        return;
    };
    let api = load_api(&shared.join("corpus/openapi3/swagger-petstore-v3.yaml"));
    generation_golden(
        "swagger-petstore-v3.txt",
        &describe(&scenario::generate(&api, &GenerateOptions::default())),
    );
}

fn write(name: &str, text: &str) -> PathBuf {
    let dir = tmp_dir(&format!("scen-{name}"));
    let path = dir.join("s.yaml");
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn an_unknown_operation_in_a_scenario_file_suggests_the_near_one() {
    let api = classroom_api();
    let path = write(
        "unknown-op",
        "scenarios:\n  - operation: classroom.invitations.acept\n    outcome: 200\n    steps:\n      - as: teacher\n",
    );
    let err = scenario::load_file(&path, &api).unwrap_err().to_string();
    assert!(
        err.contains("did you mean 'classroom.invitations.accept'"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}:2:", path.display())),
        "names file and line: {err}"
    );
}

#[test]
fn an_unknown_field_in_a_scenario_file_is_located() {
    let api = classroom_api();
    let path = write(
        "unknown-field",
        "scenarios:\n  - operation: classroom.invitations.get\n    outcome: 200\n    steps:\n      - as: teacher\n        parms: {id: x}\n",
    );
    let err = scenario::load_file(&path, &api).unwrap_err().to_string();
    assert!(err.contains("parms") && err.contains(":6:"), "{err}");
}

#[test]
fn the_shipped_scenario_files_load_and_replace_generated_placeholders() {
    let api = classroom_api();
    let files = scenario::load_dir(Path::new("scenarios/google-classroom"), &api).expect("load");
    assert_eq!(files.len(), 1, "the fixture is not a scenario file");
    let merged = scenario::merge(
        scenario::generate(&api, &GenerateOptions::default()),
        &files,
    );
    assert!(
        merged.iter().all(|s| s.ignored.is_none()),
        "no placeholder left"
    );
    let ids: std::collections::HashSet<&str> = merged.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), merged.len(), "ids are unique");
}

#[test]
fn every_shipped_scenario_that_creates_an_invitation_removes_it_in_cleanup() {
    // Cleanup runs after a failed step too; a scenario that only deletes in its steps leaves
    // its invitation behind when an earlier step fails, and later creates then get 409.
    let api = classroom_api();
    let files = scenario::load_dir(Path::new("scenarios/google-classroom"), &api).expect("load");
    let mut missing = Vec::new();
    for s in files.iter().flat_map(|f| &f.scenarios) {
        let captured: Vec<&str> = s
            .steps
            .iter()
            .filter(|st| st.operation == "classroom.invitations.create")
            .flat_map(|st| st.captures.iter().map(|(var, _)| var.as_str()))
            .collect();
        for var in captured {
            let removed = s.cleanup.iter().any(|c| {
                c.operation == "classroom.invitations.delete"
                    && c.params.values().any(|v| v == &format!("${{{var}}}"))
            });
            if !removed {
                missing.push(format!("{}: ${{{var}}}", s.id));
            }
        }
    }
    assert!(missing.is_empty(), "no cleanup for: {missing:#?}");
}
