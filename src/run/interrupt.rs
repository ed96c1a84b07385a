//! Ctrl-C: the first lets every running scenario finish its current step and its cleanup and
//! starts no new one; the second exits at once and names the scenarios that may have left
//! resources behind. Imports nothing of the crate.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Exit code of a run stopped by Ctrl-C.
pub const EXIT_INTERRUPTED: i32 = 130;

/// How many times the run was interrupted (SIGINT / Ctrl-C).
static INTERRUPTED: AtomicU32 = AtomicU32::new(0);

/// Scenarios between their first step and the end of their cleanup.
static IN_FLIGHT: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Whether Ctrl-C was pressed.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst) > 0
}

fn in_flight() -> MutexGuard<'static, BTreeSet<String>> {
    IN_FLIGHT.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Marks `id` as between its first step and the end of its cleanup until the guard drops.
pub fn track(id: &str) -> InFlight {
    in_flight().insert(id.to_owned());
    InFlight(id.to_owned())
}

/// A scenario in flight; dropping it says the scenario's cleanup is done.
pub struct InFlight(String);

impl Drop for InFlight {
    fn drop(&mut self) {
        in_flight().remove(&self.0);
    }
}

/// Spawns the Ctrl-C watcher on `runtime`.
pub fn watch(runtime: &tokio::runtime::Runtime) {
    runtime.spawn(async {
        loop {
            if tokio::signal::ctrl_c().await.is_err() {
                return;
            }
            if INTERRUPTED.fetch_add(1, Ordering::SeqCst) == 0 {
                eprintln!("interrupted: finishing cleanup (press Ctrl-C again to stop at once)");
                continue;
            }
            let left: Vec<String> = in_flight().iter().cloned().collect();
            if left.is_empty() {
                eprintln!("stopped at once; no scenario was between its steps and its cleanup");
            } else {
                eprintln!("stopped at once; these scenarios did not finish their cleanup and may have left resources behind:");
                for id in left {
                    eprintln!("  {id}");
                }
            }
            std::process::exit(EXIT_INTERRUPTED);
        }
    });
}
