//! Scenario files (`scenarios/<api>/*.yaml`): hand-written scenarios in the same model,
//! merged with the generated ones by id. Files name fixtures and identities symbolically
//! (`${fixtures.archived_course}`, `as: invitee`); load errors say file, line and field, with
//! "did you mean" for an unknown operationId.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::error::{Diagnostic, Error, Location};
use crate::scenario::model::{CaptureFrom, Origin, Outcome, Scenario, Step, StepExpect, Tags};
use crate::spec::Api;

/// Values scenario files name as `${fixtures.NAME}`.
#[derive(Debug, Clone, Default)]
pub struct Fixtures {
    /// `NAME` -> value.
    pub values: BTreeMap<String, String>,
}

/// One loaded scenario file.
#[derive(Debug, Clone)]
pub struct ScenarioFile {
    /// The file.
    pub path: PathBuf,
    /// Its scenarios, in file order.
    pub scenarios: Vec<Scenario>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    #[allow(dead_code)]
    api: Option<String>,
    scenarios: Vec<FileScenario>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileScenario {
    #[serde(default)]
    id: Option<String>,
    operation: Spanned<String>,
    outcome: Spanned<Value>,
    #[serde(default)]
    variant: Option<String>,
    #[serde(default)]
    steps: Vec<FileStep>,
    #[serde(default)]
    cleanup: Vec<FileStep>,
    #[serde(default)]
    mutates: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileStep {
    #[serde(default)]
    call: Option<Spanned<String>>,
    #[serde(default, rename = "as")]
    identity: Option<String>,
    #[serde(default)]
    params: BTreeMap<String, Value>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    body: Option<Value>,
    #[serde(default)]
    raw_body: Option<String>,
    #[serde(default)]
    expect: Option<FileExpect>,
    #[serde(default)]
    capture: BTreeMap<String, String>,
    #[serde(default)]
    after_create: bool,
    #[serde(default)]
    after_delete: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileExpect {
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    checks: Option<Vec<String>>,
    #[serde(default)]
    contains: Option<String>,
}

/// Reads an outcome as files write it: `200`, `NOT_FOUND`, `FAILED_PRECONDITION.CourseNotModifiable`,
/// `lifecycle`.
fn parse_outcome(value: &Value, api: &Api, operation: &str) -> Result<Outcome, String> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => return Err(format!("outcome {other} is neither a status nor a code")),
    };
    if text == "lifecycle" {
        return Ok(Outcome::Lifecycle);
    }
    if let Ok(status) = text.parse::<u16>() {
        if (200..300).contains(&status) {
            return Ok(Outcome::Success(status));
        }
        return Ok(Outcome::ErrorCode {
            name: text.clone(),
            status: Some(status),
            reason: None,
        });
    }
    let (name, reason) = match text.split_once('.') {
        Some((n, r)) => (n.to_owned(), Some(r.to_owned())),
        None => (text.clone(), None),
    };
    let documented = api
        .operation(operation)
        .and_then(|op| op.error_codes.iter().find(|c| c.name == name));
    let status = documented
        .and_then(|c| c.http_status)
        .or_else(|| crate::spec::prose::canonical_http_status(&name));
    Ok(Outcome::ErrorCode {
        name,
        status,
        reason,
    })
}

/// Loads one scenario file against `api`.
pub fn load_file(path: &Path, api: &Api) -> Result<ScenarioFile, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    let doc: FileDoc = serde_saphyr::from_str(&text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        Error::Syntax {
            location: Location::at_line(path, line, column),
            message: e.to_string().lines().next().unwrap_or("").to_owned(),
        }
    })?;
    let mut diagnostics = Vec::new();
    let mut scenarios = Vec::new();
    let at = |line: u64, col: u64| Location::at_line(path, line, col);
    let known: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    let check_op = |name: &Spanned<String>, diagnostics: &mut Vec<Diagnostic>| {
        if api.operation(&name.value).is_none() {
            let near = crate::error::did_you_mean(known.iter().copied(), &name.value);
            let hint = near
                .map(|n| format!(" (did you mean '{n}'?)"))
                .unwrap_or_default();
            diagnostics.push(Diagnostic::error(
                at(name.referenced.line(), name.referenced.column()),
                format!("unknown operation '{}'{hint}", name.value),
            ));
        }
    };
    for entry in doc.scenarios {
        check_op(&entry.operation, &mut diagnostics);
        let operation = entry.operation.value.clone();
        let line = entry.operation.referenced.line();
        let outcome = match parse_outcome(&entry.outcome.value, api, &operation) {
            Ok(o) => o,
            Err(e) => {
                let l = &entry.outcome.referenced;
                diagnostics.push(Diagnostic::error(at(l.line(), l.column()), e));
                continue;
            }
        };
        let convert = |steps: Vec<FileStep>, diagnostics: &mut Vec<Diagnostic>| -> Vec<Step> {
            steps
                .into_iter()
                .map(|s| {
                    if let Some(call) = &s.call {
                        check_op(call, diagnostics);
                    }
                    to_step(s, &operation)
                })
                .collect()
        };
        let mut steps = convert(entry.steps, &mut diagnostics);
        let cleanup = convert(entry.cleanup, &mut diagnostics);
        if steps.is_empty() {
            diagnostics.push(Diagnostic::error(at(line, 1), "scenario has no steps"));
            continue;
        }
        // The last step proves the outcome unless it says otherwise.
        if let Some(last) = steps.last_mut() {
            if last.expect.status.is_none() && last.expect.error_code.is_none() {
                match &outcome {
                    Outcome::Success(s) => last.expect.status = Some(*s),
                    Outcome::ErrorCode {
                        name,
                        status,
                        reason,
                    } => {
                        last.expect.status = *status;
                        if name.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
                            last.expect.error_code = Some(name.clone());
                        }
                        last.expect.reason.clone_from(reason);
                    }
                    Outcome::Lifecycle => {}
                }
            }
        }
        let variant = entry.variant.unwrap_or_else(|| "file".to_owned());
        let id = entry
            .id
            .unwrap_or_else(|| Scenario::make_id(&operation, &outcome, &variant));
        let mut identities: Vec<String> = steps
            .iter()
            .chain(&cleanup)
            .filter_map(|s| s.identity.clone())
            .collect();
        identities.sort();
        identities.dedup();
        let fixtures = referenced_fixtures(&steps, &cleanup);
        let mutates = entry.mutates.unwrap_or_else(|| {
            steps.iter().any(|s| {
                api.operation(&s.operation)
                    .is_some_and(|op| op.method != crate::spec::Method::Get)
            })
        });
        scenarios.push(Scenario {
            id,
            operation,
            outcome,
            steps,
            cleanup,
            tags: Tags {
                mutates,
                identities,
                fixtures,
            },
            origin: Origin::File {
                path: path.to_owned(),
                line: Some(line),
            },
            ignored: None,
        });
    }
    if !diagnostics.is_empty() {
        return Err(Error::Invalid {
            path: path.to_owned(),
            diagnostics,
        });
    }
    Ok(ScenarioFile {
        path: path.to_owned(),
        scenarios,
    })
}

fn to_step(s: FileStep, default_op: &str) -> Step {
    let params = s
        .params
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (k, text)
        })
        .collect();
    let captures = s
        .capture
        .into_iter()
        .map(|(var, from)| {
            let from = match from.strip_prefix("header:") {
                Some(h) => CaptureFrom::Header(h.trim().to_ascii_lowercase()),
                None => CaptureFrom::Body(from),
            };
            (var, from)
        })
        .collect();
    let expect = s.expect.map_or_else(StepExpect::default, |e| StepExpect {
        status: e.status,
        error_code: e.error,
        reason: e.reason,
        checks: e.checks,
        after_create: false,
        after_delete: false,
        contains: e.contains,
    });
    Step {
        operation: s.call.map_or_else(|| default_op.to_owned(), |c| c.value),
        identity: s.identity.filter(|i| i != "none"),
        params,
        headers: s.headers,
        body: s.body,
        raw_body: s.raw_body,
        expect: StepExpect {
            after_create: s.after_create,
            after_delete: s.after_delete,
            ..expect
        },
        captures,
    }
}

/// `fixtures.X` names a step uses.
fn referenced_fixtures(steps: &[Step], cleanup: &[Step]) -> Vec<String> {
    let mut out = Vec::new();
    let mut scan = |text: &str| {
        let mut rest = text;
        while let Some(i) = rest.find("${fixtures.") {
            let after = &rest[i + "${fixtures.".len()..];
            let Some(end) = after.find('}') else { break };
            out.push(after[..end].to_owned());
            rest = &after[end..];
        }
    };
    for step in steps.iter().chain(cleanup) {
        step.params.values().for_each(|v| scan(v));
        if let Some(body) = &step.body {
            scan(&body.to_string());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Loads every `*.yaml` scenario file in `dir` (not recursing), sorted by name. A file that is
/// not a scenario file (such as the fixture) is one without a `scenarios` key: skipped.
pub fn load_dir(dir: &Path, api: &Api) -> Result<Vec<ScenarioFile>, Error> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| Error::Read {
            path: dir.to_owned(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        if !text.lines().any(|l| l.starts_with("scenarios:")) {
            continue;
        }
        files.push(load_file(&path, api)?);
    }
    Ok(files)
}

/// Generated scenarios with file scenarios merged in: a file scenario replaces the generated
/// one with its id, or is added after the others; and a generated "no recipe" placeholder goes
/// once a file proves the same outcome of the same operation.
pub fn merge(generated: Vec<Scenario>, files: &[ScenarioFile]) -> Vec<Scenario> {
    let covered = |g: &Scenario| {
        files
            .iter()
            .flat_map(|f| &f.scenarios)
            .any(|s| s.operation == g.operation && s.outcome == g.outcome)
    };
    let mut out: Vec<Scenario> = generated
        .into_iter()
        .filter(|g| g.ignored.is_none() || !covered(g))
        .collect();
    for file in files {
        for s in &file.scenarios {
            match out.iter_mut().find(|g| g.id == s.id) {
                Some(slot) => *slot = s.clone(),
                None => out.push(s.clone()),
            }
        }
    }
    out
}
