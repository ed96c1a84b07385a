//! How one scenario ended: its steps' exchanges checked against what each step expected,
//! failures de-duplicated across the scenario on (check, schema location).

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use crate::check::select::narrow;
use crate::check::{evaluate, Check, CheckCtx, Expectation, Failure};
use crate::run::{interpolate, Exchange, ScenarioRun};
use crate::scenario::{Scenario, Step};
use crate::spec::Api;

/// How one scenario ended.
#[derive(Debug)]
pub enum Verdict {
    /// Every check held.
    Passed,
    /// Failures, each with the exchange it was found in.
    Failed(Vec<(Failure, Option<Exchange>)>),
    /// It could not run (a transport or template problem), and why.
    Broken(String),
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
    /// The verdict on `run`, a run of `scenario`: broken at the first step without a response,
    /// else every enabled check on every step's exchange (cleanup steps are not judged).
    pub fn judge(&self, scenario: &Scenario, run: &ScenarioRun) -> Verdict {
        let mut failures: Vec<(Failure, Option<Exchange>)> = Vec::new();
        let mut seen = HashSet::new();
        for step_run in run.steps.iter().filter(|s| !s.cleanup) {
            let step = &scenario.steps[step_run.index];
            let Some(exchange) = &step_run.exchange else {
                let why = step_run.error.clone().unwrap_or_default();
                return Verdict::Broken(format!(
                    "step {} ({}) could not run: {why}",
                    step_run.index + 1,
                    step.operation
                ));
            };
            for f in self.judge_step(step, exchange, &run.vars) {
                if seen.insert(f.dedup_key()) {
                    failures.push((f, Some(exchange.clone())));
                }
            }
        }
        if failures.is_empty() {
            Verdict::Passed
        } else {
            Verdict::Failed(failures)
        }
    }

    fn judge_step(
        &self,
        step: &Step,
        exchange: &Exchange,
        vars: &BTreeMap<String, String>,
    ) -> Vec<Failure> {
        let Some(operation) = self.api.operation(&step.operation) else {
            return Vec::new();
        };
        let expect = Expectation {
            status: step.expect.status,
            status_range: step.expect.status_range,
            error_code: step.expect.error_code.clone(),
            reason: step.expect.reason.clone(),
            contains: step
                .expect
                .contains
                .as_ref()
                .and_then(|c| interpolate(c, vars).ok()),
        };
        let ctx = CheckCtx {
            api: self.api,
            operation,
            expect: &expect,
            max_response_time: self.max_response_time,
            after_delete: step.expect.after_delete,
            after_create: step.expect.after_create,
        };
        evaluate(
            &ctx,
            exchange,
            &narrow(self.checks, step.expect.checks.as_deref()),
        )
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
