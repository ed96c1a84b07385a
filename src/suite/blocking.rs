//! Attribution of failed setups within one run: the first scenario whose setup fails on a
//! producer (an operation, failing one way) fails; every later one whose setup fails the same
//! way on the same producer is blocked by it, so one broken create reads as one failure and
//! the scenarios it took down, not as a wall of fresh failures.
//!
//! "First" is by suite order, not by the clock, so the same run attributes the same way at any
//! concurrency: a scenario whose setup failed waits until every earlier scenario of the run
//! that calls the same producer in its setup has settled, then is blocked by the earliest of
//! them that failed the same way, if any. The runners hand out scenarios in suite order, so
//! every earlier scenario of the run has started by then and none of them waits on a later
//! one: the wait always ends.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};

use crate::check::SetupFailure;
use crate::scenario::Scenario;

/// The failed setups of one run, and which scenarios have settled.
pub struct SetupLedger {
    /// Per scenario, the operations its setup steps call.
    producers: Vec<BTreeSet<String>>,
    /// Per scenario, whether this run executes it (its runner is called); unset, no scenario
    /// waits on another.
    runs: OnceLock<Vec<bool>>,
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    settled: Vec<bool>,
    /// (operation, what went wrong) -> the scenarios whose setup failed that way.
    failed: BTreeMap<(String, String), BTreeSet<usize>>,
}

impl SetupLedger {
    /// A ledger for `scenarios`, in suite order.
    pub fn new(scenarios: &[Scenario]) -> SetupLedger {
        let producers = scenarios
            .iter()
            .map(|s| {
                s.steps
                    .iter()
                    .filter(|step| step.setup)
                    .map(|step| step.operation.clone())
                    .collect()
            })
            .collect();
        SetupLedger {
            producers,
            runs: OnceLock::new(),
            state: Mutex::new(State {
                settled: vec![false; scenarios.len()],
                failed: BTreeMap::new(),
            }),
            changed: Condvar::new(),
        }
    }

    /// Says which scenarios this run executes (`runs[i]`), before any runs. A scenario the run
    /// skips must not be in it: others would wait for it.
    pub fn plan(&self, runs: Vec<bool>) {
        let _ = self.runs.set(runs);
    }

    /// Scenario `i` is done, its setup failed as `setup` says (or not): the index of the
    /// earlier scenario whose setup failed the same way on the same operation, which blocks
    /// it, when there is one. Waits for earlier scenarios that call the same producer.
    pub fn settle(&self, i: usize, setup: Option<&SetupFailure>) -> Option<usize> {
        let mut state = self.lock();
        let key = setup.map(|s| (s.operation.clone(), s.what.clone()));
        if let Some(key) = &key {
            state.failed.entry(key.clone()).or_default().insert(i);
        }
        state.settled[i] = true;
        self.changed.notify_all();
        let (operation, what) = key?;
        let runs = self.runs.get();
        let earlier: Vec<usize> = (0..i)
            .filter(|&j| runs.is_some_and(|r| r.get(j) == Some(&true)))
            .filter(|&j| self.producers[j].contains(&operation))
            .collect();
        let state = self
            .changed
            .wait_while(state, |s| earlier.iter().any(|&j| !s.settled[j]))
            .unwrap_or_else(PoisonError::into_inner);
        let first = *state.failed.get(&(operation, what))?.first()?;
        (first < i).then_some(first)
    }

    /// Scenario `i` is done without running its setup (ignored, interrupted, out of time, or
    /// it panicked): nobody waits on it any more.
    pub fn release(&self, i: usize) {
        let mut state = self.lock();
        if let Some(s) = state.settled.get_mut(i) {
            *s = true;
        }
        self.changed.notify_all();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::scenario::{Origin, Outcome, Step, Tags};

    fn scenario(id: &str, setup_op: Option<&str>) -> Scenario {
        let steps = setup_op
            .map(|op| Step {
                operation: op.to_owned(),
                setup: true,
                ..Step::default()
            })
            .into_iter()
            .collect();
        Scenario {
            id: id.to_owned(),
            operation: "getPet".to_owned(),
            outcome: Outcome::Success(200),
            steps,
            cleanup: Vec::new(),
            tags: Tags::default(),
            origin: Origin::Generated,
            ignored: None,
        }
    }

    fn failure(what: &str) -> SetupFailure {
        SetupFailure {
            step: 1,
            operation: "addPet".to_owned(),
            what: what.to_owned(),
        }
    }

    #[test]
    fn the_earliest_scenario_in_suite_order_blocks_the_others_whatever_finishes_first() {
        let scenarios: Vec<Scenario> = ["a", "b", "c"]
            .iter()
            .map(|id| scenario(id, Some("addPet")))
            .collect();
        let ledger = Arc::new(SetupLedger::new(&scenarios));
        ledger.plan(vec![true; 3]);
        let fault = failure("status 500, expected 201");
        // The last scenario finishes first: it must wait for the two before it.
        let late = {
            let (ledger, fault) = (Arc::clone(&ledger), fault.clone());
            std::thread::spawn(move || ledger.settle(2, Some(&fault)))
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!late.is_finished(), "settled before the earlier scenarios");
        let middle = {
            let (ledger, fault) = (Arc::clone(&ledger), fault.clone());
            std::thread::spawn(move || ledger.settle(1, Some(&fault)))
        };
        assert_eq!(ledger.settle(0, Some(&fault)), None, "the first one fails");
        assert_eq!(middle.join().expect("join"), Some(0));
        assert_eq!(late.join().expect("join"), Some(0));
    }

    #[test]
    fn another_fault_or_another_producer_is_a_failure_of_its_own() {
        let scenarios = vec![
            scenario("a", Some("addPet")),
            scenario("b", Some("addPet")),
            scenario("c", Some("addUser")),
        ];
        let ledger = SetupLedger::new(&scenarios);
        ledger.plan(vec![true; 3]);
        assert_eq!(
            ledger.settle(0, Some(&failure("status 500, expected 201"))),
            None
        );
        assert_eq!(
            ledger.settle(1, Some(&failure("status 400, expected 201"))),
            None
        );
        let other = SetupFailure {
            operation: "addUser".to_owned(),
            ..failure("status 500, expected 201")
        };
        assert_eq!(ledger.settle(2, Some(&other)), None);
    }

    #[test]
    fn a_scenario_the_run_skips_or_that_never_ran_its_setup_is_not_waited_for() {
        let scenarios = vec![
            scenario("a", Some("addPet")),
            scenario("b", Some("addPet")),
            scenario("c", Some("addPet")),
        ];
        let ledger = SetupLedger::new(&scenarios);
        ledger.plan(vec![false, true, true]);
        ledger.release(1);
        let fault = failure("status 500, expected 201");
        assert_eq!(ledger.settle(2, Some(&fault)), None);
    }
}
