//! Running one scenario of a suite: on a fresh embedded stub or against the target, its
//! exchanges judged by the suite's checks.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::check::{exchanges_of, Judge, Verdict};
use crate::run::{self, interrupt, Exchange, Target};
use crate::scenario::Scenario;
use crate::stub::Responder;
use crate::suite::Suite;

/// What running one scenario gave: its verdict, its exchanges (cleanup not included) and the
/// cleanup steps that did not clean up.
#[derive(Debug)]
pub struct Ran {
    /// The verdict on its steps.
    pub verdict: Verdict,
    /// Every exchange of its own steps, with the operation each called.
    pub exchanges: Vec<(String, Exchange)>,
    /// Cleanup steps that did not clean up, one line each: what may be left behind.
    pub cleanup_failures: Vec<String>,
}

impl Suite {
    /// A target at `base_url` with this suite's client, identities and rate limit (for callers
    /// that serve their own stub, such as the benchmark).
    pub fn target(&self, base_url: &str) -> Target {
        let mut target =
            Target::with_connections(base_url, self.identities.clone(), self.connections.clone());
        target.limiter = self.limiter.clone();
        target
    }

    /// The embedded stub with fresh state and the suite's faults, when there is no target.
    pub fn responder(&self) -> Option<Arc<dyn Responder>> {
        let stub = self.embedded.as_ref()?;
        Some(stub.responder(&self.api, &self.mutants, self.slow))
    }

    /// Runs one scenario on a fresh embedded stub or the target; the verdict and exchanges.
    pub async fn run_scenario(&self, scenario: &Scenario) -> Ran {
        let server = match self.responder() {
            Some(responder) => Some(crate::stub::wiremock_adapter::serve_wiremock(responder).await),
            None => None,
        };
        let base = match (&server, &self.target_url) {
            (Some(s), _) => s.uri(),
            (None, Some(url)) => url.clone(),
            (None, None) => {
                return Ran {
                    verdict: Verdict::Broken("no target".to_owned()),
                    exchanges: Vec::new(),
                    cleanup_failures: Vec::new(),
                }
            }
        };
        self.run_on(&self.target(&base), scenario).await
    }

    /// Runs one scenario against `target`, checks on; the verdict and every exchange. A step
    /// whose status is not the one it expects stops the scenario (its cleanup still runs), and
    /// so does Ctrl-C.
    pub async fn run_on(&self, target: &Target, scenario: &Scenario) -> Ran {
        static RUN: AtomicU64 = AtomicU64::new(1);
        let mut vars = self.vars.clone();
        let run_id = format!(
            "{}-{}",
            std::process::id(),
            RUN.fetch_add(1, Ordering::Relaxed)
        );
        vars.insert("run.id".to_owned(), run_id);
        let in_flight = interrupt::track(&scenario.id);
        let outcome = run::execute(target, &self.api, scenario, &vars, |step, exchange| {
            interrupt::interrupted() || !step.expect.accepts(exchange.response.status)
        })
        .await;
        drop(in_flight);
        let judge = Judge {
            api: &self.api,
            checks: &self.checks,
            max_response_time: self.max_response_time,
        };
        Ran {
            verdict: judge.judge(scenario, &outcome),
            exchanges: exchanges_of(scenario, &outcome),
            cleanup_failures: outcome.cleanup_failures,
        }
    }
}
