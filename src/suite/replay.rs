//! `contractor replay`: re-runs the scenarios that failed in a recorded run and says, for
//! each, whether it is fixed or still failing.

use std::path::Path;

use crate::check::Verdict;
use crate::config::Config;
use crate::error::{Error, EXIT_FAILED, EXIT_OK};
use crate::report::files::read_recorded;
use crate::report::render_failure;
use crate::suite::{new_runtime, probe_target, Suite};

/// Re-runs the failed scenarios of the report at `path` (with the recorded spec unless
/// `config` names one): 0 when all are fixed, 1 when one still fails.
pub fn replay(path: &Path, config: &Config) -> Result<i32, Error> {
    let recorded = read_recorded(path)?;
    if recorded.failed.is_empty() {
        println!("{}: no failures to replay", path.display());
        return Ok(EXIT_OK);
    }
    let runtime = new_runtime()?;
    let mut config = config.clone();
    if config.spec.is_none() {
        config.spec = recorded.spec;
    }
    let suite = Suite::load(&config)?;
    probe_target(&runtime, &config)?;
    let mut still = 0;
    for id in &recorded.failed {
        let Some(scenario) = suite.scenarios.iter().find(|s| &s.id == id) else {
            println!("{id}: unknown in this suite (renamed or removed)");
            still += 1;
            continue;
        };
        match runtime.block_on(suite.run_scenario(scenario)).verdict {
            Verdict::Passed => println!("{id}: fixed"),
            Verdict::NotReached(why) => println!("{id}: no longer failing ({why})"),
            Verdict::Broken(why) => {
                still += 1;
                println!("{id}: still failing: {why}");
            }
            Verdict::SetupFailed(setup, failures) => {
                still += 1;
                println!("{id}: still failing: {setup}");
                for (f, e) in &failures {
                    print!("{}", render_failure(f, e.as_ref()));
                }
            }
            Verdict::Failed(failures) => {
                still += 1;
                println!("{id}: still failing");
                for (f, e) in &failures {
                    print!("{}", render_failure(f, e.as_ref()));
                }
            }
        }
    }
    let total = recorded.failed.len();
    println!(
        "{total} replayed: {} fixed, {still} still failing",
        total - still
    );
    Ok(if still == 0 { EXIT_OK } else { EXIT_FAILED })
}
