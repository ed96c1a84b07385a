//! From a scenario's verdict to the record reports keep of it.

use std::time::Duration;

use crate::check::{Failures, SetupFailure, Verdict};
use crate::report::record::{Record, Result, StepRecord};
use crate::report::render_failure;
use crate::run::Exchange;
use crate::scenario::Scenario;
use crate::spec::Api;

/// What reports keep of one scenario that ran (or could not).
pub fn record(
    api: &Api,
    scenario: &Scenario,
    verdict: &Verdict,
    exchanges: &[(String, Exchange)],
    elapsed: Duration,
) -> Record {
    let steps = exchanges
        .iter()
        .map(|(op, e)| {
            let documented = api
                .operation(op)
                .is_some_and(|o| o.documentation_of(e.response.status).is_some());
            StepRecord::new(op, e, documented)
        })
        .collect();
    let rendered = |failures: &Failures| {
        failures
            .iter()
            .map(|(f, e)| (f.clone(), render_failure(f, e.as_ref())))
            .collect()
    };
    let (result, reason, failures) = match verdict {
        Verdict::Passed => (Result::Passed, None, Vec::new()),
        Verdict::Broken(why) => (Result::Failed, Some(why.clone()), Vec::new()),
        Verdict::NotReached(why) => (Result::Ignored, Some(why.clone()), Vec::new()),
        Verdict::Failed(failures) => (Result::Failed, None, rendered(failures)),
        Verdict::SetupFailed(setup, failures) => {
            (Result::Failed, Some(setup.to_string()), rendered(failures))
        }
    };
    Record {
        id: scenario.id.clone(),
        operation: scenario.operation.clone(),
        outcome: scenario.outcome.to_string(),
        result,
        reason,
        blocked_by: None,
        failures,
        steps,
        elapsed_ms: elapsed.as_secs_f64() * 1e3,
        cleanup_failures: Vec::new(),
    }
}

/// The record of a scenario that was not run, and why.
pub fn ignored(scenario: &Scenario, why: &str) -> Record {
    Record {
        id: scenario.id.clone(),
        operation: scenario.operation.clone(),
        outcome: scenario.outcome.to_string(),
        result: Result::Ignored,
        reason: Some(why.to_owned()),
        blocked_by: None,
        failures: Vec::new(),
        steps: Vec::new(),
        elapsed_ms: 0.0,
        cleanup_failures: Vec::new(),
    }
}

/// `record`, of a scenario whose `setup` failed, as blocked by scenario `by` whose setup failed
/// the same way first: its check failures are that scenario's, not reported again.
pub fn blocked(record: Record, by: &str, setup: &SetupFailure) -> Record {
    Record {
        result: Result::Blocked,
        reason: Some(blocked_reason(by, setup)),
        blocked_by: Some(by.to_owned()),
        failures: Vec::new(),
        ..record
    }
}

/// `blocked by ID: setup OPERATION failed`, the reason a blocked scenario gives.
pub fn blocked_reason(by: &str, setup: &SetupFailure) -> String {
    format!("blocked by {by}: setup {} failed", setup.operation)
}
