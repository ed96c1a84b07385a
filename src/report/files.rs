//! Report files: JUnit XML and the JSON report, written whole or not at all, and reading a
//! JSON report back for `contractor replay`.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::error::{Error, Location};
use crate::report::mask_url;
use crate::report::record::{Record, Result};
use crate::spec::Api;

/// Where every run leaves its results (the `--json` report), for `contractor replay`.
pub const LAST_RUN: &str = "target/contractor/last-run.json";

/// Writes `text` to `path`, creating its folder: written beside and renamed, so a reader never
/// sees half a report.
pub fn write_atomically(path: &Path, text: &str) -> std::result::Result<(), Error> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::CreateDir {
            path: dir.to_owned(),
            reason: e.to_string(),
        })?;
    }
    let partial = path.with_extension(format!("partial-{}", std::process::id()));
    std::fs::write(&partial, text)
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|e| Error::Write {
            path: path.to_owned(),
            reason: e.to_string(),
        })
}

/// What a run was, for the head of its reports.
pub struct RunInfo<'a> {
    /// The API.
    pub api: &'a Api,
    /// The spec file.
    pub spec_path: &'a Path,
    /// The target's base URL; none is the embedded stub.
    pub target: Option<&'a str>,
    /// The seed generated values came from.
    pub seed: u64,
}

/// The JSON report: the run, a summary, and every scenario with its steps.
pub fn json_report(info: &RunInfo<'_>, records: &[Record]) -> Value {
    let count = |r: Result| records.iter().filter(|x| x.result == r).count();
    json!({
        "api": info.api.title,
        "spec": info.spec_path.display().to_string(),
        "spec_version": info.api.spec_version.to_string(),
        "target": info.target.map_or_else(|| "embedded".to_owned(), mask_url),
        "seed": info.seed,
        "summary": {
            "scenarios": records.len(),
            "passed": count(Result::Passed),
            "failed": count(Result::Failed),
            "blocked": count(Result::Blocked),
            "ignored": count(Result::Ignored),
        },
        "scenarios": records.iter().map(Record::to_json).collect::<Vec<_>>(),
    })
}

/// The JSON report as the file holds it.
pub fn json_text(info: &RunInfo<'_>, records: &[Record]) -> String {
    serde_json::to_string_pretty(&json_report(info, records)).unwrap_or_default()
}

/// A recorded run, as `contractor replay` needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The spec it ran.
    pub spec: Option<PathBuf>,
    /// The ids of the scenarios that failed or were blocked by another's failed setup, in
    /// order.
    pub failed: Vec<String>,
}

/// Reads a JSON report written from [`json_text`].
pub fn read_recorded(path: &Path) -> std::result::Result<Recorded, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| Error::Syntax {
        location: Location::at_line(path, e.line() as u64, e.column() as u64),
        message: e.to_string(),
    })?;
    let failed = doc["scenarios"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["result"] == "failed" || s["result"] == "blocked")
        .filter_map(|s| s["id"].as_str().map(str::to_owned))
        .collect();
    Ok(Recorded {
        spec: doc["spec"].as_str().map(PathBuf::from),
        failed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_run_gives_its_spec_and_failed_and_blocked_ids_in_order() {
        let dir = std::env::temp_dir().join(format!("contractor-files-{}", std::process::id()));
        let path = dir.join("nested").join("run.json");
        let doc = json!({"spec": "a.yaml", "scenarios": [
            {"id": "x::200", "result": "failed"},
            {"id": "y::200", "result": "passed"},
            {"id": "z::404", "result": "failed"},
            {"id": "z::409", "result": "blocked"},
        ]});
        write_atomically(&path, &doc.to_string()).expect("write");
        let recorded = read_recorded(&path).expect("read");
        assert_eq!(recorded.spec, Some(PathBuf::from("a.yaml")));
        assert_eq!(recorded.failed, ["x::200", "z::404", "z::409"]);
    }

    #[test]
    fn a_report_that_is_not_json_is_located() {
        let path = std::env::temp_dir().join(format!("contractor-bad-{}.json", std::process::id()));
        std::fs::write(&path, "{\n  \"scenarios\": [,\n").expect("write");
        let err = read_recorded(&path).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("failed to parse {}:2:", path.display())),
            "{err}"
        );
    }
}
