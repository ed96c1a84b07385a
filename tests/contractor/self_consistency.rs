//! Issue 9's yardstick: every spec of the shared corpus, run with no `--target` (against the
//! embedded stub, so any failure is contractor disagreeing with itself), has 0 failed, and
//! every ignored scenario carries one of the documented reasons.

use std::path::Path;

use serde_json::Value;

use crate::support::*;

/// The reasons a scenario may be ignored for, as the README lists them (prefixes).
const REASONS: &[&str] = &[
    "no recipe: add one in ",
    "needs a scenario file: ",
    "cannot be provoked safely: ",
    "no producer for `{",
    "the operation documents no success response",
    "outcome not documented here: ",
];

/// Specs that hold no scenario to run, and say so with exit 2: no operations, a listing of
/// files the corpus does not keep. (`openapi31/non-oauth-scopes.yaml`, whose one operation
/// documents no success, still runs its path's undeclared-method probe.)
const NOTHING_TO_RUN: &[&str] = &[
    "openapi31/webhook-example.yaml",
    "streamdata/google-classroom-org/apis.md",
];

#[test]
fn every_corpus_spec_agrees_with_itself_against_the_embedded_stub() {
    let Some(shared) = shared() else {
        return;
    };
    let corpus = shared.join("corpus");
    let dir = tmp_dir("self-consistency");
    let mut specs: Vec<_> = walk_specs(&corpus);
    specs.sort();
    let mut ran = 0;
    for spec in &specs {
        let name = spec
            .strip_prefix(&corpus)
            .expect("in corpus")
            .to_string_lossy()
            .into_owned();
        let report = dir.join(format!("{}.json", name.replace('/', "_")));
        let (code, out, err) = contractor(&[
            "run",
            "--spec",
            &spec.to_string_lossy(),
            "--seed",
            "1",
            // The default depth, named: `command` switches coverage off for other tests.
            "--coverage",
            contractor::config::DEFAULT_COVERAGE,
            "--json",
            &report.to_string_lossy(),
        ]);
        if NOTHING_TO_RUN.contains(&name.as_str()) {
            assert_eq!(
                code, 2,
                "{name}: a run of nothing is an error\n{out}\n{err}"
            );
            continue;
        }
        assert_eq!(code, 0, "{name}\n{out}\n{err}");
        let json: Value =
            serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("json");
        assert_eq!(json["summary"]["failed"], 0, "{name}");
        for s in json["scenarios"].as_array().expect("scenarios") {
            if s["result"] == "ignored" {
                let why = s["reason"].as_str().unwrap_or_default();
                assert!(
                    REASONS.iter().any(|r| why.starts_with(r)),
                    "{name}: {} ignored for an undocumented reason: {why}",
                    s["id"]
                );
            }
        }
        ran += 1;
    }
    assert!(ran >= 15, "only {ran} corpus specs ran");
}

/// The spec files of the corpus: not the broken ones, not the files a split spec refers to,
/// not its notes.
fn walk_specs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        let file = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if path.is_dir() {
            if file != "broken" && file != "common" {
                out.extend(walk_specs(&path));
            }
            continue;
        }
        let parts = path.parent().and_then(Path::file_name).unwrap_or_default();
        let referenced = parts == "spec" && file != "swagger.yaml";
        let spec_like = [".yaml", ".yml", ".json", ".md"]
            .iter()
            .any(|e| file.ends_with(e));
        if spec_like && !referenced && file != "SOURCES.md" {
            out.push(path);
        }
    }
    out
}
