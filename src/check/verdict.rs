//! How one scenario ended: its steps' exchanges checked against what each step expected,
//! failures de-duplicated across the scenario on (check, schema location).

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::time::Duration;

use serde_json::Value;

use crate::check::not_a_server_error;
use crate::check::select::narrow;
use crate::check::{evaluate, Check, CheckCtx, Expectation, Failure};
use crate::run::{interpolate, Exchange, ScenarioRun, SendError, StepRun};
use crate::scenario::{any_of, CaptureFrom, Scenario, Step};
use crate::spec::Api;

/// Check failures, each with the exchange it was found in. For a connection cut off before a
/// complete response, the exchange holds the request and an empty response (status 0).
pub type Failures = Vec<(Failure, Option<Exchange>)>;

/// How one scenario ended.
#[derive(Debug)]
pub enum Verdict {
    /// Every check held.
    Passed,
    /// Failures, each with the exchange it was found in.
    Failed(Failures),
    /// A setup step did not give the call under test what it needs, so the scenario stopped
    /// there: the step, with the check failures found up to it.
    SetupFailed(SetupFailure, Failures),
    /// It could not run (a transport or template problem), and why.
    Broken(String),
    /// The call under test got another answer its operation documents, so the outcome the
    /// scenario proves was neither shown nor broken (a 404 probe answered with a documented
    /// 403): not covered, and why.
    NotReached(String),
}

/// A setup step (one that creates what the call under test needs) that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupFailure {
    /// The step's number in the scenario, from 1.
    pub step: usize,
    /// The operation it called: the producer other scenarios may need too.
    pub operation: String,
    /// What went wrong, in the same words for the same fault in every scenario (no URL, no
    /// port): `status 500, expected 201`.
    pub what: String,
}

impl fmt::Display for SetupFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "setup step {} ({}) failed: {}",
            self.step, self.operation, self.what
        )
    }
}

/// What the checks of one run need besides the exchanges.
pub struct Judge<'a> {
    /// The API.
    pub api: &'a Api,
    /// The checks the run uses.
    pub checks: &'a [&'static Check],
    /// The response-time budget.
    pub max_response_time: Option<Duration>,
}

impl Judge<'_> {
    /// The verdict on `run`, a run of `scenario`: every enabled check on every step's exchange
    /// (cleanup steps are not judged). A connection cut off before a complete response fails
    /// `not_a_server_error`; a setup step that stopped the scenario (no response, a status
    /// other than the one it expects, a capture it could not take) is a setup failure; any
    /// other step without a response leaves the scenario broken.
    pub fn judge(&self, scenario: &Scenario, run: &ScenarioRun) -> Verdict {
        let mut failures: Failures = Vec::new();
        let mut seen = HashSet::new();
        let mut keep = |f: Failure, e: Option<Exchange>| {
            if seen.insert(f.dedup_key()) {
                failures.push((f, e));
            }
        };
        let mut history: Vec<Exchange> = Vec::new();
        for step_run in run.steps.iter().filter(|s| !s.cleanup) {
            let step = &scenario.steps[step_run.index];
            let setup_failure = |what: String| SetupFailure {
                step: step_run.index + 1,
                operation: step.operation.clone(),
                what,
            };
            if let Some(exchange) = &step_run.exchange {
                for f in self.judge_step(step, exchange, &run.vars, &history) {
                    keep(f, Some(exchange.clone()));
                }
                history.push(exchange.clone());
                if let Some(what) = setup_fault(step, exchange, &run.vars) {
                    return Verdict::SetupFailed(setup_failure(what), failures);
                }
                continue;
            }
            let cut_off = self.cut_off(step, step_run);
            let cut = cut_off.is_some();
            if let Some((f, e)) = cut_off {
                keep(f, Some(e));
            }
            let what = step_run
                .error
                .as_ref()
                .map(|e| match e {
                    SendError::CutOff { .. } => {
                        "connection closed before a complete response".to_owned()
                    }
                    SendError::Failed(why) => why.clone(),
                })
                .unwrap_or_default();
            if step.setup {
                return Verdict::SetupFailed(setup_failure(what), failures);
            }
            if cut {
                break;
            }
            // What the steps before showed is the server's fault, and says more than a
            // later step that could not be built from their answers (a page token the
            // last page should not have lacked).
            if !failures.is_empty() {
                return Verdict::Failed(failures);
            }
            let why = step_run.error.as_ref().map(ToString::to_string);
            return Verdict::Broken(format!(
                "step {} ({}) could not run: {}",
                step_run.index + 1,
                step.operation,
                why.unwrap_or_default()
            ));
        }
        if failures.is_empty() {
            Verdict::Passed
        } else if let Some(why) = not_reached(self.api, scenario, run, &failures) {
            Verdict::NotReached(why)
        } else {
            Verdict::Failed(failures)
        }
    }

    /// The `not_a_server_error` failure for a step whose connection was cut off, with the
    /// request it was sending, when that check is on for the step.
    fn cut_off(&self, step: &Step, step_run: &StepRun) -> Option<(Failure, Exchange)> {
        let Some(SendError::CutOff {
            request,
            reason,
            elapsed,
        }) = &step_run.error
        else {
            return None;
        };
        let on = narrow(self.checks, step.expect.checks.as_deref())
            .iter()
            .any(|c| c.name == not_a_server_error::NAME);
        let operation = self.api.operation(&step.operation)?;
        if !on {
            return None;
        }
        let expect = Expectation::default();
        let ctx = self.ctx(step, operation, &expect, &[]);
        let exchange = Exchange {
            request: (**request).clone(),
            response: Default::default(),
            elapsed: *elapsed,
        };
        Some((not_a_server_error::cut_off(&ctx, reason), exchange))
    }

    fn ctx<'c>(
        &'c self,
        step: &Step,
        operation: &'c crate::spec::Operation,
        expect: &'c Expectation,
        history: &'c [Exchange],
    ) -> CheckCtx<'c> {
        CheckCtx {
            api: self.api,
            operation,
            expect,
            max_response_time: self.max_response_time,
            after_delete: step.expect.after_delete,
            after_create: step.expect.after_create,
            history,
        }
    }

    fn judge_step(
        &self,
        step: &Step,
        exchange: &Exchange,
        vars: &BTreeMap<String, String>,
        history: &[Exchange],
    ) -> Vec<Failure> {
        let Some(operation) = self.api.operation(&step.operation) else {
            return Vec::new();
        };
        let expect = Expectation {
            status: step.expect.status,
            other_statuses: step.expect.other_statuses.clone(),
            status_range: step.expect.status_range,
            error_code: step.expect.error_code.clone(),
            reason: step.expect.reason.clone(),
            contains: step
                .expect
                .contains
                .as_ref()
                .and_then(|c| interpolate(c, vars).ok()),
            probe: step.expect.probe.clone(),
        };
        evaluate(
            &self.ctx(step, operation, &expect, history),
            exchange,
            &narrow(self.checks, step.expect.checks.as_deref()),
        )
    }
}

/// Why a refusal probe (a 404 for an item never created, a 401 for missing or invalid
/// credentials) was not reached, when its call got another 4xx that the operation documents
/// (by its code, a `4XX` or `default`), and that status is all that failed. Kinto answers
/// 403 for an id the caller may not see, so as not to tell whether it exists; a server may look
/// for the item before it looks at the credentials. The answer is allowed; the outcome is not
/// proven either.
fn not_reached(
    api: &Api,
    scenario: &Scenario,
    run: &ScenarioRun,
    failures: &Failures,
) -> Option<String> {
    let crate::scenario::Outcome::ErrorCode {
        status: Some(refusal @ (401 | 404)),
        ..
    } = scenario.outcome
    else {
        return None;
    };
    let last = run.steps.iter().rfind(|s| !s.cleanup)?;
    let step = scenario.steps.get(last.index)?;
    let status = last.exchange.as_ref()?.response.status;
    let probe = last.index + 1 == scenario.steps.len() && step.expect.status == Some(refusal);
    let operation = api.operation(&step.operation)?;
    let documented = operation.documentation_of(status).is_some();
    let only_status = failures
        .iter()
        .all(|(f, _)| f.check == super::status_code_conformance::NAME);
    (probe && (400..500).contains(&status) && status != refusal && documented && only_status).then(
        || format!("not reached: the target answered {status}, which the spec also documents"),
    )
}

/// What a setup step that got a response failed to provide: the status it expects (a wrong
/// one stops the scenario), or a value it captures for the steps after it.
fn setup_fault(
    step: &Step,
    exchange: &Exchange,
    vars: &BTreeMap<String, String>,
) -> Option<String> {
    if !step.setup {
        return None;
    }
    let status = exchange.response.status;
    if let Some(expected) = step.expect.status.filter(|_| !step.expect.accepts(status)) {
        let expected = any_of(expected, &step.expect.other_statuses);
        return Some(format!("status {status}, expected {expected}"));
    }
    let (name, from) = step.captures.iter().find(|(n, _)| !vars.contains_key(n))?;
    let place = match from {
        CaptureFrom::Body(pointer) => {
            let had = match exchange.response.json() {
                Some(Value::Object(fields)) if fields.is_empty() => "an empty object".to_owned(),
                Some(Value::Object(fields)) => format!(
                    "fields {}",
                    fields
                        .keys()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Some(other) => format!("a JSON {}", json_kind(&other)),
                None if exchange.response.body.is_empty() => "no body".to_owned(),
                None => "a body that is not JSON".to_owned(),
            };
            format!("no value at {pointer} in the body (it had {had})")
        }
        CaptureFrom::Header(header) => format!("no {header} header"),
    };
    Some(format!(
        "status {status} with {place} to capture as ${{{name}}}"
    ))
}

/// What kind of JSON value `v` is, for a message.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every exchange of the scenario's own steps (not cleanup), with the operation it called.
pub fn exchanges_of(scenario: &Scenario, run: &ScenarioRun) -> Vec<(String, Exchange)> {
    run.steps
        .iter()
        .filter(|s| !s.cleanup)
        .filter_map(|s| {
            let op = scenario.steps.get(s.index)?.operation.clone();
            Some((op, s.exchange.clone()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::table::testkit::{api, exchange};
    use crate::check::CHECKS;
    use crate::run::{SentRequest, StepRun};
    use crate::scenario::{Origin, Outcome, Tags};

    fn scenario(steps: Vec<Step>) -> Scenario {
        Scenario {
            id: "s".to_owned(),
            operation: "classroom.invitations.get".to_owned(),
            outcome: Outcome::Success(200),
            steps,
            cleanup: Vec::new(),
            tags: Tags::default(),
            origin: Origin::Generated,
            ignored: None,
        }
    }

    fn create(setup: bool) -> Step {
        Step {
            operation: "classroom.invitations.create".to_owned(),
            setup,
            captures: vec![("id".to_owned(), CaptureFrom::Body("/id".to_owned()))],
            ..Step::default()
        }
    }

    fn ran(steps: Vec<StepRun>) -> ScenarioRun {
        ScenarioRun {
            steps,
            vars: BTreeMap::new(),
            cleanup_failures: Vec::new(),
        }
    }

    fn step(index: usize, exchange: Option<Exchange>, error: Option<SendError>) -> StepRun {
        StepRun {
            index,
            cleanup: false,
            exchange,
            error,
        }
    }

    fn judge() -> Judge<'static> {
        static ALL: std::sync::OnceLock<Vec<&'static Check>> = std::sync::OnceLock::new();
        Judge {
            api: api(),
            checks: ALL.get_or_init(|| CHECKS.iter().collect()),
            max_response_time: None,
        }
    }

    #[test]
    fn a_setup_step_without_the_value_it_captures_is_a_failed_setup() {
        let s = scenario(vec![create(true), Step::default()]);
        let run = ran(vec![step(0, Some(exchange(200, json!({}))), None)]);
        match judge().judge(&s, &run) {
            Verdict::SetupFailed(setup, _) => assert_eq!(
                setup.to_string(),
                "setup step 1 (classroom.invitations.create) failed: status 200 with no value at /id in the body (it had an empty object) to capture as ${id}"
            ),
            other => panic!("{other:?}"),
        }
    }

    /// Issue 9: a capture that fails says which fields the response had.
    #[test]
    fn a_failed_capture_names_the_fields_the_response_had() {
        let s = scenario(vec![create(true), Step::default()]);
        let body = json!({"name": "lamp", "created": "today"});
        let run = ran(vec![step(0, Some(exchange(201, body)), None)]);
        match judge().judge(&s, &run) {
            Verdict::SetupFailed(setup, _) => assert!(
                setup
                    .to_string()
                    .contains("no value at /id in the body (it had fields name, created)"),
                "{setup}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_cut_off_call_fails_not_a_server_error_and_a_cut_off_setup_is_a_failed_setup() {
        let cut = SendError::CutOff {
            request: Box::new(SentRequest {
                method: "POST".to_owned(),
                url: "http://127.0.0.1:1/v1/invitations".to_owned(),
                ..SentRequest::default()
            }),
            reason: "connection reset by peer".to_owned(),
            elapsed: Duration::ZERO,
        };
        let run = ran(vec![step(0, None, Some(cut))]);
        match judge().judge(&scenario(vec![create(false)]), &run) {
            Verdict::Failed(failures) => {
                let (f, e) = &failures[0];
                assert_eq!(f.check, "not_a_server_error");
                assert_eq!(e.as_ref().map(|e| e.request.method.as_str()), Some("POST"));
            }
            other => panic!("{other:?}"),
        }
        match judge().judge(&scenario(vec![create(true), Step::default()]), &run) {
            Verdict::SetupFailed(setup, failures) => {
                assert_eq!(setup.what, "connection closed before a complete response");
                assert_eq!(failures.len(), 1);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn failures_found_before_a_step_that_could_not_run_are_the_verdict() {
        // The first step's answer breaks its schema; the second cannot be built from it.
        let read = Step {
            operation: "classroom.invitations.get".to_owned(),
            ..Step::default()
        };
        let s = scenario(vec![create(false), read]);
        let run = ran(vec![
            step(0, Some(exchange(200, json!({"id": 7}))), None),
            step(
                1,
                None,
                Some(SendError::Failed("unknown variable ${id}".to_owned())),
            ),
        ]);
        match judge().judge(&s, &run) {
            Verdict::Failed(failures) => {
                assert_eq!(failures[0].0.check, "response_schema_conformance")
            }
            other => panic!("{other:?}"),
        }
        let run = ran(vec![
            step(
                0,
                Some(exchange(200, crate::check::table::testkit::invitation())),
                None,
            ),
            step(
                1,
                None,
                Some(SendError::Failed("unknown variable ${id}".to_owned())),
            ),
        ]);
        assert!(
            matches!(judge().judge(&s, &run), Verdict::Broken(_)),
            "nothing failed before: the scenario could not run"
        );
    }
}
