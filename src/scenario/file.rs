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
use crate::scenario::model::{
    fixtures_named, CaptureFrom, Origin, Outcome, Probe, Scenario, Step, StepExpect, Tags,
};
use crate::spec::Api;

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
    /// The API the file is written for, by its `info.title`; checked when given.
    #[serde(default)]
    api: Option<Spanned<String>>,
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
    /// The step creates what the call under test needs (see `Step::setup`).
    #[serde(default)]
    setup: bool,
    /// A method to send instead of the operation's (for an `unsupported-method` probe).
    #[serde(default)]
    method: Option<String>,
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
    /// What the step probes on purpose (see [`parse_probe`]).
    #[serde(default)]
    probe: Option<Spanned<String>>,
}

/// Reads an outcome as files write it: `200`, `NOT_FOUND`, `FAILED_PRECONDITION.CourseNotModifiable`,
/// `lifecycle`, `pagination`.
fn parse_outcome(value: &Value, api: &Api, operation: &str) -> Result<Outcome, String> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => return Err(format!("outcome {other} is neither a status nor a code")),
    };
    if text == "lifecycle" {
        return Ok(Outcome::Lifecycle);
    }
    if text == "pagination" {
        return Ok(Outcome::Pagination);
    }
    if let Ok(status) = text.parse::<u16>() {
        if (200..400).contains(&status) {
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
    let mut reader = Reader {
        path,
        api,
        known: api.operations.iter().map(|o| o.id.as_str()).collect(),
        diagnostics: Vec::new(),
    };
    if let Some(named) = &doc.api {
        reader.check_api(named);
    }
    let scenarios: Vec<Scenario> = doc
        .scenarios
        .into_iter()
        .filter_map(|entry| reader.scenario(entry))
        .collect();
    if !reader.diagnostics.is_empty() {
        return Err(Error::Invalid {
            path: path.to_owned(),
            diagnostics: reader.diagnostics,
        });
    }
    Ok(ScenarioFile {
        path: path.to_owned(),
        scenarios,
    })
}

/// One file being read: what it is checked against, and what was found wrong so far.
struct Reader<'a> {
    path: &'a Path,
    api: &'a Api,
    known: Vec<&'a str>,
    diagnostics: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn at(&self, span: &serde_saphyr::Location) -> Location {
        Location::at_line(self.path, span.line(), span.column())
    }

    /// `api:` names the API the file is written for (its `info.title`): another one is an error.
    fn check_api(&mut self, named: &Spanned<String>) {
        if named.value != self.api.title {
            self.diagnostics.push(Diagnostic::error(
                self.at(&named.referenced),
                format!(
                    "scenario file is for API '{}', but the spec describes '{}'",
                    named.value, self.api.title
                ),
            ));
        }
    }

    /// An unknown operation is an error, with a near match when there is one.
    fn check_operation(&mut self, name: &Spanned<String>) {
        if self.api.operation(&name.value).is_some() {
            return;
        }
        let near = crate::error::did_you_mean(self.known.iter().copied(), &name.value);
        let hint = near
            .map(|n| format!(" (did you mean '{n}'?)"))
            .unwrap_or_default();
        self.diagnostics.push(Diagnostic::error(
            self.at(&name.referenced),
            format!("unknown operation '{}'{hint}", name.value),
        ));
    }

    fn steps(&mut self, steps: Vec<FileStep>, operation: &str) -> Vec<Step> {
        steps
            .into_iter()
            .map(|s| {
                if let Some(call) = &s.call {
                    self.check_operation(call);
                }
                let probe = s.expect.as_ref().and_then(|e| e.probe.clone());
                let mut step = to_step(s, operation);
                if let Some(probe) = probe {
                    match parse_probe(&probe.value, self.api, &step) {
                        Ok(p) => step.expect.probe = Some(p),
                        Err(e) => self
                            .diagnostics
                            .push(Diagnostic::error(self.at(&probe.referenced), e)),
                    }
                }
                step
            })
            .collect()
    }

    /// One entry as a scenario, or `None` after recording why it is not one.
    fn scenario(&mut self, entry: FileScenario) -> Option<Scenario> {
        self.check_operation(&entry.operation);
        let operation = entry.operation.value.clone();
        let line = entry.operation.referenced.line();
        let outcome = match parse_outcome(&entry.outcome.value, self.api, &operation) {
            Ok(o) => o,
            Err(e) => {
                let at = self.at(&entry.outcome.referenced);
                self.diagnostics.push(Diagnostic::error(at, e));
                return None;
            }
        };
        let mut steps = self.steps(entry.steps, &operation);
        let cleanup = self.steps(entry.cleanup, &operation);
        let Some(last) = steps.last_mut() else {
            let at = Location::at_line(self.path, line, 1);
            self.diagnostics
                .push(Diagnostic::error(at, "scenario has no steps"));
            return None;
        };
        prove_outcome(last, &outcome);
        let variant = entry.variant.unwrap_or_else(|| "file".to_owned());
        let id = entry
            .id
            .unwrap_or_else(|| Scenario::make_id(&operation, &outcome, &variant));
        let tags = self.tags(&steps, &cleanup, entry.mutates);
        let ignored = self.undocumented(&operation, &outcome);
        Some(Scenario {
            id,
            operation,
            outcome,
            steps,
            cleanup,
            tags,
            origin: Origin::File {
                path: self.path.to_owned(),
                line: Some(line),
            },
            ignored,
        })
    }

    /// Why a scenario cannot prove its outcome against this spec: the operation documents
    /// neither its error code nor its status (the same operation in another version of the
    /// spec may). A documented outcome, or a lifecycle, pagination or coverage one: `None`.
    fn undocumented(&self, operation: &str, outcome: &Outcome) -> Option<String> {
        let op = self.api.operation(operation)?;
        let documented = match outcome {
            Outcome::Success(status) => op.documentation_of(*status).is_some(),
            Outcome::ErrorCode { name, status, .. } => {
                op.error_codes.iter().any(|c| &c.name == name)
                    || status.is_some_and(|s| op.documentation_of(s).is_some())
            }
            Outcome::Lifecycle | Outcome::Pagination | Outcome::Coverage(_) => true,
        };
        (!documented).then(|| {
            format!(
                "outcome not documented here: {operation} does not document {outcome} in this spec"
            )
        })
    }

    /// The identities and fixtures a scenario names, and whether it mutates (it says so, or a
    /// step is not a GET).
    fn tags(&self, steps: &[Step], cleanup: &[Step], mutates: Option<bool>) -> Tags {
        let mut identities: Vec<String> = steps
            .iter()
            .chain(cleanup)
            .filter_map(|s| s.identity.clone())
            .collect();
        identities.sort();
        identities.dedup();
        let mutates = mutates.unwrap_or_else(|| {
            steps.iter().any(|s| {
                self.api
                    .operation(&s.operation)
                    .is_some_and(|op| op.method != crate::spec::Method::Get)
            })
        });
        Tags {
            mutates,
            identities,
            fixtures: fixtures_named(steps, cleanup),
        }
    }
}

/// The last step proves the outcome unless it says otherwise.
fn prove_outcome(last: &mut Step, outcome: &Outcome) {
    if last.expect.status.is_some() || last.expect.error_code.is_some() {
        return;
    }
    match outcome {
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
        Outcome::Lifecycle | Outcome::Pagination | Outcome::Coverage(_) => {}
    }
}

/// Reads a step's `probe:` as files write it: `negative FIELD FAULT`, `positive FIELD VALUE`,
/// `missing-header NAME`, `unsupported-method` (with the step's `method:`) or `invalid-auth`.
fn parse_probe(text: &str, api: &Api, step: &Step) -> Result<Probe, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let arg = |i: usize| words.get(i).map_or_else(String::new, |w| (*w).to_owned());
    match words.first().copied() {
        Some("negative") => Ok(Probe::Negative {
            field: arg(1),
            fault: arg(2),
        }),
        Some("positive") => Ok(Probe::Positive {
            field: arg(1),
            value: arg(2),
        }),
        Some("missing-header") if words.len() == 2 => Ok(Probe::MissingHeader { name: arg(1) }),
        Some("invalid-auth") => Ok(Probe::InvalidAuth),
        Some("unsupported-method") => {
            let method = step
                .method
                .as_deref()
                .ok_or("an unsupported-method probe needs the step's `method:`")?;
            let op = api
                .operation(&step.operation)
                .ok_or_else(|| format!("unknown operation '{}'", step.operation))?;
            let allowed: Vec<String> = api
                .operations
                .iter()
                .filter(|o| o.path == op.path)
                .map(|o| o.method.as_str().to_owned())
                .collect();
            if allowed.iter().any(|m| m.eq_ignore_ascii_case(method)) {
                return Err(format!("{} declares {method}", op.path));
            }
            Ok(Probe::UnsupportedMethod { allowed })
        }
        _ => Err(format!(
            "unknown probe '{text}' (known: negative FIELD FAULT, positive FIELD VALUE, \
             missing-header NAME, unsupported-method, invalid-auth)"
        )),
    }
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
        other_statuses: Vec::new(),
        status_range: None,
        error_code: e.error,
        reason: e.reason,
        checks: e.checks,
        after_create: false,
        after_delete: false,
        contains: e.contains,
        probe: None,
    });
    Step {
        operation: s.call.map_or_else(|| default_op.to_owned(), |c| c.value),
        method: s.method.map(|m| m.to_ascii_uppercase()),
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
        setup: s.setup,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped_api() -> Api {
        let spec =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/google-classroom/invitations.yaml");
        Api::load(spec).expect("shipped spec")
    }

    fn write(name: &str, text: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("contractor-file-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let path = dir.join("s.yaml");
        std::fs::write(&path, text).expect("write");
        path
    }

    const SCENARIO: &str = "scenarios:\n  - operation: classroom.invitations.get\n    outcome: 200\n    steps:\n      - as: teacher\n        params: {id: x}\n";

    #[test]
    fn an_api_key_naming_the_spec_s_api_is_accepted() {
        let api = shipped_api();
        let path = write("api-ok", &format!("api: {}\n{SCENARIO}", api.title));
        assert_eq!(load_file(&path, &api).expect("loads").scenarios.len(), 1);
    }

    #[test]
    fn an_api_key_naming_another_api_is_a_located_error() {
        let api = shipped_api();
        let path = write("api-other", &format!("api: Petstore\n{SCENARIO}"));
        let err = load_file(&path, &api).unwrap_err().to_string();
        assert!(err.contains("scenario file is for API 'Petstore'"), "{err}");
        assert!(err.contains(&format!("{}:1:", path.display())), "{err}");
    }

    #[test]
    fn a_step_can_say_it_is_setup() {
        let api = shipped_api();
        let text = "scenarios:\n  - operation: classroom.invitations.get\n    outcome: 200\n    steps:\n      - call: classroom.invitations.create\n        setup: true\n        capture: {id: /id}\n      - params: {id: \"${id}\"}\n";
        let path = write("setup", text);
        let file = load_file(&path, &api).expect("loads");
        let steps = &file.scenarios[0].steps;
        assert!(steps[0].setup && !steps[1].setup, "{steps:?}");
    }

    #[test]
    fn a_step_can_name_its_probe_and_a_method() {
        let api = shipped_api();
        let text = "scenarios:\n  - operation: classroom.invitations.get\n    outcome: 200\n    steps:\n      - params: {id: \"1\"}\n        expect: {probe: negative path.id wrong-type}\n      - params: {id: \"1\"}\n        method: put\n        expect: {probe: unsupported-method}\n      - as: invalid\n        params: {id: \"1\"}\n        expect: {probe: invalid-auth}\n";
        let file = load_file(&write("probe", text), &api).expect("loads");
        let probes: Vec<Option<Probe>> = file.scenarios[0]
            .steps
            .iter()
            .map(|s| s.expect.probe.clone())
            .collect();
        assert_eq!(
            probes,
            [
                Some(Probe::Negative {
                    field: "path.id".to_owned(),
                    fault: "wrong-type".to_owned()
                }),
                Some(Probe::UnsupportedMethod {
                    allowed: vec!["GET".to_owned(), "DELETE".to_owned()]
                }),
                Some(Probe::InvalidAuth),
            ]
        );
        assert_eq!(file.scenarios[0].steps[1].method.as_deref(), Some("PUT"));
    }

    #[test]
    fn a_probe_that_cannot_be_read_is_a_located_error() {
        let api = shipped_api();
        for (probe, said) in [
            ("sideways", "unknown probe 'sideways'"),
            ("unsupported-method", "needs the step's `method:`"),
        ] {
            let text = format!("scenarios:\n  - operation: classroom.invitations.get\n    outcome: 200\n    steps:\n      - params: {{id: \"1\"}}\n        expect: {{probe: {probe}}}\n");
            let path = write("bad-probe", &text);
            let err = load_file(&path, &api).unwrap_err().to_string();
            assert!(err.contains(said), "{err}");
            assert!(err.contains(&format!("{}:6:", path.display())), "{err}");
        }
    }
}
