//! The harness: a suite's scenarios become libtest-mimic trials, run against a target or
//! against a stub served in-process on wiremock (a fresh one per scenario, so scenarios never
//! see each other's state). `contractor run` and `tests/conformance.rs` both use it. May
//! import every module.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use libtest_mimic::{Arguments, Completion, Trial};

use crate::check::Verdict;
use crate::config::Config;
use crate::error::{Error, EXIT_FAILED, EXIT_OK};
use crate::report::{self, files::RunInfo, Record};
use crate::run::interrupt::{self, EXIT_INTERRUPTED};
use crate::scenario::Scenario;
use crate::suite::{new_runtime, probe_target, SetupLedger, Suite};

/// A suite being run: its trials' records, and the run's time budget.
pub struct Run {
    /// The suite.
    pub suite: Suite,
    time_budget: Duration,
    deadline: OnceLock<Option<Instant>>,
    records: Mutex<Vec<Record>>,
    setups: SetupLedger,
}

/// Marks a scenario settled in the ledger when its trial ends, however it ends.
struct Settled<'a>(&'a SetupLedger, usize);

impl Drop for Settled<'_> {
    fn drop(&mut self) {
        self.0.release(self.1);
    }
}

/// Whether `args` select `scenario` by name (`--filter`/`--exact` and `--skip`).
fn named(args: &Arguments, scenario: &Scenario) -> bool {
    let id = scenario.id.as_str();
    let filtered = match &args.filter {
        Some(f) if args.exact => id == f,
        Some(f) => id.contains(f.as_str()),
        None => true,
    };
    filtered && !args.skip.iter().any(|s| id.contains(s.as_str()))
}

/// Whether `args` run `scenario`: named, and ignored or not as `--ignored` and
/// `--include-ignored` say.
fn selected(args: &Arguments, scenario: &Scenario) -> bool {
    let wanted = if args.include_ignored {
        true
    } else if args.ignored {
        scenario.ignored.is_some()
    } else {
        scenario.ignored.is_none()
    };
    named(args, scenario) && wanted
}

impl Run {
    /// A run of `suite` within `time_budget` (counted from its first trial).
    pub fn new(suite: Suite, time_budget: Duration) -> Run {
        Run {
            setups: SetupLedger::new(&suite.scenarios),
            suite,
            time_budget,
            deadline: OnceLock::new(),
            records: Mutex::new(Vec::new()),
        }
    }

    /// Says which scenarios this run executes, so that a failed setup is attributed to the
    /// earliest of them in suite order (see [`SetupLedger`]); until it is called, to the
    /// earliest that has already finished.
    pub fn plan(&self, runs: Vec<bool>) {
        self.setups.plan(runs);
    }

    /// One trial per scenario: `{operationId}::{outcome}::{variant}`; a scenario that cannot
    /// run is an ignored trial whose run (with `--ignored`) fails with the reason. A scenario
    /// blocked by an earlier one's failed setup ends ignored at run time, with
    /// `blocked by ID: setup OPERATION failed`: the earlier one fails the run.
    pub fn trials(self: &Arc<Self>, runtime: &tokio::runtime::Handle) -> Vec<Trial> {
        self.suite
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let run = Arc::clone(self);
                let handle = runtime.clone();
                let kind = if s.tags.mutates {
                    "mutates"
                } else {
                    "read-only"
                };
                Trial::ignorable_test(s.id.clone(), move || {
                    run.execute_trial(i, &handle).map_err(Into::into)
                })
                .with_ignored_flag(s.ignored.is_some())
                .with_kind(kind)
            })
            .collect()
    }

    /// Runs scenario `i` as one trial: not at all when it is ignored, interrupted or past the
    /// time budget; keeps its record; ignored when an earlier scenario's failed setup blocks
    /// it; the failure text when it did not pass.
    pub fn execute_trial(
        &self,
        i: usize,
        handle: &tokio::runtime::Handle,
    ) -> Result<Completion, String> {
        let _settled = Settled(&self.setups, i);
        let scenario = &self.suite.scenarios[i];
        if let Some(why) = &scenario.ignored {
            return Err(why.clone());
        }
        if interrupt::interrupted() {
            return Err("interrupted: not run".to_owned());
        }
        // A budget too large to add to the clock means no deadline.
        let deadline = *self
            .deadline
            .get_or_init(|| Instant::now().checked_add(self.time_budget));
        let api = &self.suite.api;
        if deadline.is_some_and(|d| Instant::now() > d) {
            let why = format!(
                "not run: the run's time budget of {} s was spent",
                self.time_budget.as_secs()
            );
            let verdict = Verdict::Broken(why.clone());
            self.keep(report::outcome::record(
                api,
                scenario,
                &verdict,
                &[],
                Duration::ZERO,
            ));
            return Err(why);
        }
        let start = Instant::now();
        let ran = handle.block_on(self.suite.run_scenario(scenario));
        let verdict = ran.verdict;
        let mut record =
            report::outcome::record(api, scenario, &verdict, &ran.exchanges, start.elapsed());
        record.cleanup_failures = ran.cleanup_failures;
        let setup = match &verdict {
            Verdict::SetupFailed(setup, _) => Some(setup),
            _ => None,
        };
        let blocker = self.setups.settle(i, setup);
        let result = match (setup, blocker) {
            (Some(setup), Some(j)) => {
                let by = &self.suite.scenarios[j].id;
                record = report::outcome::blocked(record, by, setup);
                Ok(Completion::ignored_with(report::outcome::blocked_reason(
                    by, setup,
                )))
            }
            _ => match &verdict {
                Verdict::Passed => Ok(Completion::Completed),
                Verdict::NotReached(why) => Ok(Completion::ignored_with(why.clone())),
                Verdict::Broken(why) => Err(why.clone()),
                Verdict::Failed(_) | Verdict::SetupFailed(..) => {
                    let text: Vec<&str> = record
                        .reason
                        .iter()
                        .map(String::as_str)
                        .chain(record.failures.iter().map(|(_, t)| t.as_str()))
                        .collect();
                    Err(text.join("\n"))
                }
            },
        };
        self.keep(record);
        result
    }

    fn keep(&self, record: Record) {
        self.records
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(record);
    }

    /// Every record kept so far, plus the ignored scenarios that `args` name, in suite order.
    pub fn records(&self, args: &Arguments) -> Vec<Record> {
        let mut records = self
            .records
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        for s in &self.suite.scenarios {
            if let Some(why) = &s.ignored {
                if named(args, s) && !records.iter().any(|r| r.id == s.id) {
                    records.push(report::outcome::ignored(s, why));
                }
            }
        }
        let order: BTreeMap<&str, usize> = self
            .suite
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        records.sort_by_key(|r| order.get(r.id.as_str()).copied().unwrap_or(usize::MAX));
        records
    }

    /// On a terminal: the selected trials under a progress bar, `--test-threads` workers.
    fn run_with_progress(&self, handle: &tokio::runtime::Handle, args: &Arguments) -> bool {
        let chosen: Vec<(usize, &str)> = self
            .suite
            .scenarios
            .iter()
            .enumerate()
            .filter(|(_, s)| selected(args, s))
            .map(|(i, s)| (i, s.id.as_str()))
            .collect();
        let mut runs = vec![false; self.suite.scenarios.len()];
        for (i, _) in &chosen {
            runs[*i] = true;
        }
        self.plan(runs);
        let workers = args
            .test_threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
        report::progress::run_with_progress(&chosen, workers, |i| {
            self.execute_trial(i, handle).map(|_| ())
        })
    }

    /// Prints the annotations, the coverage table and the summary, and writes the reports.
    fn report(
        &self,
        config: &Config,
        args: &Arguments,
        start: Instant,
        failed: bool,
    ) -> Result<Vec<Record>, Error> {
        let records = self.records(args);
        if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
            print!("{}", report::github::annotations(&records));
        }
        print!("{}", report::summary::coverage(&records));
        if config.seed.is_none() {
            println!(
                "seed {}: generated values change every run; --seed {} repeats these",
                self.suite.seed, self.suite.seed
            );
        }
        let line = report::summary::one_line(&records, start.elapsed().as_secs_f64());
        println!("{}", report::summary::paint(&line, !failed));
        if let Some(note) = report::summary::ignored_note(&records) {
            print!("{note}");
        }
        if let Some(note) = report::summary::cleanup_note(&records) {
            print!("{note}");
        }
        let info = RunInfo {
            api: &self.suite.api,
            spec_path: &self.suite.spec_path,
            target: config.target.as_deref(),
            seed: self.suite.seed,
        };
        if let Some(path) = &config.junit {
            let xml = report::junit::render(&self.suite.api.title, &records);
            report::files::write_atomically(path, &xml)?;
        }
        // Rendered once, for `--json` and the last-run file alike.
        let json = std::cell::OnceCell::new();
        let json = || json.get_or_init(|| report::files::json_text(&info, &records));
        if let Some(path) = &config.json {
            report::files::write_atomically(path, json())?;
        }
        // The last full run's results, for `contractor replay`: a filtered run (and each
        // nextest process, which runs one trial) would overwrite them with a part. A read-only
        // folder is not an error.
        let full = args.filter.is_none() && args.skip.is_empty() && !args.exact && !args.ignored;
        if full {
            let last = std::path::Path::new(report::LAST_RUN);
            if let Err(e) = report::files::write_atomically(last, json()) {
                eprintln!("note: {e}");
            }
        }
        Ok(records)
    }
}

/// The libtest arguments a run uses: `--test-threads` from the flag or the settings, and
/// against a real target one at a time unless told otherwise (scenarios of one suite share
/// fixture users and courses; the embedded stub is fresh for each scenario).
fn effective_args(config: &Config, args: &Arguments) -> Result<Arguments, Error> {
    let threads = args.test_threads.or(config.concurrency);
    if threads == Some(0) {
        return Err(Error::Usage("concurrency must be at least 1".to_owned()));
    }
    let threads = threads.or(config.target.as_ref().map(|_| 1));
    Ok(Arguments {
        test_threads: threads,
        ..args.clone()
    })
}

/// Runs a suite as libtest-mimic trials on a runtime built here (not inside one), and returns
/// the process exit code: 0 all passed, 1 a check failed, 2 a setup error (a run in which no
/// scenario executed among them), 130 interrupted. As under `cargo test`, a filter that
/// matches none of this suite's scenarios is not an error: `cargo test NAME` passes its filter
/// to every test binary.
pub fn run(config: &Config, args: &Arguments) -> i32 {
    exit_code(try_run(config, args, false))
}

/// [`run`] for `contractor run`, where a filter that matches no scenario is an error too.
pub fn run_command(config: &Config, args: &Arguments) -> i32 {
    exit_code(try_run(config, args, true))
}

fn exit_code(result: Result<i32, Error>) -> i32 {
    result.unwrap_or_else(|e| {
        eprintln!("error: {e}");
        e.exit_code()
    })
}

/// A run that executed no scenario is an error that says why; a filter that matched nothing
/// is one only when `filter_must_match`.
fn nothing_ran(records: &[Record], args: &Arguments, filter_must_match: bool) -> Result<(), Error> {
    use report::record::Result as Outcome;
    if records.iter().any(|r| r.result != Outcome::Ignored) {
        return Ok(());
    }
    let filtered = args.filter.is_some() || !args.skip.is_empty();
    if records.is_empty() && filtered {
        if !filter_must_match {
            return Ok(());
        }
        let what = args.filter.as_deref().unwrap_or("");
        return Err(Error::NothingRan {
            why: format!("no scenario matches the filter '{what}' (see `contractor list`)"),
        });
    }
    if records.is_empty() {
        return Err(Error::NothingRan {
            why: "the suite has no scenarios".to_owned(),
        });
    }
    let reasons: Vec<String> = report::summary::top_reasons(records, 3)
        .into_iter()
        .map(|(k, why)| format!("{k}x {why}"))
        .collect();
    Err(Error::NothingRan {
        why: format!(
            "all {} scenarios were ignored: {}",
            records.len(),
            reasons.join("; ")
        ),
    })
}

fn try_run(config: &Config, args: &Arguments, filter_must_match: bool) -> Result<i32, Error> {
    let args = &effective_args(config, args)?;
    let runtime = new_runtime()?;
    let suite = Suite::load(config)?;
    if !args.list {
        probe_target(&runtime, config)?;
    }
    let time_budget = config
        .time_budget
        .unwrap_or(Duration::from_secs(crate::config::DEFAULT_TIME_BUDGET_SECS));
    let run = Arc::new(Run::new(suite, time_budget));
    interrupt::watch(&runtime);
    let start = Instant::now();
    let interactive = !args.list
        && args.format.is_none()
        && !args.quiet
        && std::io::stdout().is_terminal()
        && std::io::stderr().is_terminal();
    let failed = if interactive {
        run.run_with_progress(runtime.handle(), args)
    } else {
        let trials = run.trials(runtime.handle());
        // Exactly the trials libtest-mimic will call, by its own rules.
        run.plan(
            trials
                .iter()
                .map(|t| !args.is_filtered_out(t) && !args.is_ignored(t))
                .collect(),
        );
        let conclusion = libtest_mimic::run(args, trials);
        if args.list {
            return Ok(EXIT_OK);
        }
        conclusion.has_failed()
    };
    // A blocked scenario implies a failed one; should the failed one be missing, the run still
    // must not read as a pass.
    let failed = failed
        || run.records(args).iter().any(|r| {
            matches!(
                r.result,
                report::record::Result::Failed | report::record::Result::Blocked
            )
        });
    let records = run.report(config, args, start, failed)?;
    if !failed && !interrupt::interrupted() {
        nothing_ran(&records, args, filter_must_match)?;
    }
    Ok(if interrupt::interrupted() {
        eprintln!("interrupted: cleanup finished");
        EXIT_INTERRUPTED
    } else if failed {
        EXIT_FAILED
    } else {
        EXIT_OK
    })
}
