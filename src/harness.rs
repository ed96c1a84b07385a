//! The harness: a spec and its scenarios become libtest-mimic trials, run against a target
//! or against a stub served in-process on wiremock (a fresh one per scenario, so scenarios
//! never see each other's state). `contractor run` and `tests/conformance.rs` both use it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::check::{self, CheckCtx, Expectation, Failure};
use crate::error::Error;
use crate::report;
use crate::run::{self, Exchange, Identities, Target};
use crate::scenario::{self, GenerateOptions, Scenario};
use crate::spec::Api;
use crate::stub::classroom::Fixture;
use crate::stub::{Emulator, Mutant, Responder, SpecStub};

/// How many times the run was interrupted (SIGINT / Ctrl-C).
static INTERRUPTED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Scenarios between their first step and the end of their cleanup.
static IN_FLIGHT: std::sync::Mutex<std::collections::BTreeSet<String>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst) > 0
}

fn in_flight() -> std::sync::MutexGuard<'static, std::collections::BTreeSet<String>> {
    IN_FLIGHT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// On the first Ctrl-C, scenarios stop after their current step and run their cleanup; no new
/// scenario starts. On the second, the process exits at once and says what was left behind.
fn watch_interrupts(runtime: &tokio::runtime::Runtime) {
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

/// Exit code of a run stopped by Ctrl-C.
pub const EXIT_INTERRUPTED: i32 = 130;

/// The shipped Classroom spec, found from the working directory or the crate's own folder.
pub const CLASSROOM_SPEC: &str = "specs/google-classroom/invitations.yaml";
/// Where every run leaves its results (the `--json` report), for `contractor replay`.
pub const LAST_RUN: &str = "target/contractor/last-run.json";

/// The shipped Classroom scenarios.
pub const CLASSROOM_SCENARIOS: &str = "scenarios/google-classroom";

/// What to run, and where.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The spec (default: the shipped Classroom spec).
    pub spec: Option<PathBuf>,
    /// A base URL; none runs against the embedded emulator or spec-driven stub.
    pub target: Option<String>,
    /// Scenario files (default: the shipped Classroom ones for the Classroom spec).
    pub scenarios: Option<PathBuf>,
    /// Fixture values (users, courses) for the scenarios, in the shape of the shipped fixture.
    pub fixture: Option<PathBuf>,
    /// Faults to switch on in the embedded stub.
    pub mutants: Vec<Mutant>,
    /// The response-time budget (`max_response_time` runs only with one).
    pub max_response_time: Option<Duration>,
    /// How late the slow mutant answers.
    pub slow: Option<Duration>,
    /// Checks switched off by name.
    pub checks_off: Vec<String>,
    /// The per-request timeout.
    pub timeout: Option<Duration>,
    /// Varies generated values.
    pub seed: u64,
    /// Run mutating scenarios against a target outside loopback.
    pub allow_mutations: bool,
    /// At most this many requests a second (default: 10 outside loopback, none on it).
    pub rate: Option<f64>,
    /// The whole run's time budget (default: 30 minutes); scenarios not started by then fail.
    pub time_budget: Option<Duration>,
    /// Write JUnit XML here.
    pub junit: Option<PathBuf>,
    /// Write every scenario and step as JSON here.
    pub json: Option<PathBuf>,
    /// Folders where a listing's URLs are looked up.
    pub mirrors: Vec<PathBuf>,
    /// Identity name -> the environment variable holding it (default `CONTRACTOR_IDENTITY_<NAME>`).
    pub identity_vars: BTreeMap<String, String>,
    /// Fixture values given directly (`${fixtures.NAME}`), over those of the fixture file.
    pub fixture_values: BTreeMap<String, String>,
}

impl Config {
    /// The environment variable that holds identity `name`.
    pub fn identity_var(&self, name: &str) -> String {
        self.identity_vars.get(name).cloned().unwrap_or_else(|| {
            format!(
                "CONTRACTOR_IDENTITY_{}",
                name.to_ascii_uppercase().replace('-', "_")
            )
        })
    }
}

/// The stub a scenario runs against when no target is given.
enum Embedded {
    Emulator(Fixture),
    SpecStub,
}

/// A loaded suite: the API, its scenarios, and how to reach the target.
pub struct Suite {
    /// The API.
    pub api: Arc<Api>,
    /// The spec it was loaded from.
    pub spec_path: PathBuf,
    /// Every scenario, generated and from files, in order.
    pub scenarios: Vec<Scenario>,
    embedded: Option<Embedded>,
    target_url: Option<String>,
    identities: Identities,
    vars: BTreeMap<String, String>,
    checks: Vec<&'static check::Check>,
    max_response_time: Option<Duration>,
    mutants: Vec<Mutant>,
    slow: Duration,
    /// One client for the whole run (keep-alive; certificates loaded once).
    client: reqwest::Client,
    limiter: Option<Arc<run::Limiter>>,
    time_budget: Duration,
    deadline: std::sync::OnceLock<Option<std::time::Instant>>,
    records: std::sync::Mutex<Vec<report::Record>>,
}

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

fn locate(path: &str) -> PathBuf {
    let here = PathBuf::from(path);
    if here.exists() {
        return here;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

impl Suite {
    /// Loads the spec, generates scenarios, merges scenario files, and resolves identities.
    pub fn load(config: &Config) -> Result<Suite, Error> {
        let spec_path = config
            .spec
            .clone()
            .unwrap_or_else(|| locate(CLASSROOM_SPEC));
        let options = crate::spec::LoadOptions {
            mirrors: config.mirrors.clone(),
            fetch: false,
        };
        let mut loaded = crate::spec::load(&spec_path, &options)?;
        if loaded.apis.is_empty() {
            return Err(Error::Usage(format!(
                "{} holds no API to run",
                spec_path.display()
            )));
        }
        if config.target.is_some() && !config.mutants.is_empty() {
            return Err(Error::Usage(
                "--mutant switches faults on in the embedded stub; it cannot apply to --target"
                    .to_owned(),
            ));
        }
        let api = Arc::new(loaded.apis.remove(0));
        // The emulator serves the Invitations operations and nothing else.
        let classroom = !api.operations.is_empty()
            && api
                .operations
                .iter()
                .all(|op| op.id.starts_with("classroom.invitations."));
        let fixture = match &config.fixture {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?;
                Some(Fixture::parse(&text).map_err(|e| {
                    Error::Usage(format!("failed to load fixture {}: {e}", path.display()))
                })?)
            }
            None if classroom && config.target.is_none() => Some(Fixture::shipped()),
            None => None,
        };
        let scenario_dir = config
            .scenarios
            .clone()
            .or_else(|| classroom.then(|| locate(CLASSROOM_SCENARIOS)));
        let options = GenerateOptions {
            seed: config.seed.max(1),
            default_identity: Some("default".to_owned()),
            unprivileged_identity: None,
            scenario_dir: scenario_dir.as_ref().map_or_else(
                || "scenarios/<api>/".to_owned(),
                |d| format!("{}/", d.display()),
            ),
        };
        let generated = scenario::generate(&api, &options);
        let files = match &scenario_dir {
            Some(dir) => scenario::load_dir(dir, &api)?,
            None => Vec::new(),
        };
        let mut scenarios = scenario::merge(generated, &files);
        let mut vars = BTreeMap::new();
        if let Some(f) = &fixture {
            for (k, v) in f.symbols() {
                vars.insert(format!("fixtures.{k}"), v);
            }
        }
        for (k, v) in &config.fixture_values {
            vars.insert(format!("fixtures.{k}"), v.clone());
        }
        let embedded = match (&config.target, classroom) {
            (Some(_), _) => None,
            (None, true) => Some(Embedded::Emulator(
                fixture.clone().unwrap_or_else(Fixture::shipped),
            )),
            (None, false) => Some(Embedded::SpecStub),
        };
        let identities =
            match &embedded {
                Some(Embedded::Emulator(f)) => {
                    let mut ids: Vec<(String, String)> = f
                        .users
                        .iter()
                        .map(|(k, u)| (k.clone(), format!("Bearer {}", u.token)))
                        .collect();
                    if let Some(teacher) = f.users.get("teacher") {
                        ids.push(("default".to_owned(), format!("Bearer {}", teacher.token)));
                    }
                    Identities::new(ids)
                }
                Some(Embedded::SpecStub) => {
                    Identities::new([("default".to_owned(), "Bearer contractor".to_owned())])
                }
                None => {
                    let mut names: Vec<String> = scenarios
                        .iter()
                        .flat_map(|s| s.tags.identities.clone())
                        .chain(["default".to_owned()])
                        .collect();
                    names.sort();
                    names.dedup();
                    Identities::new(names.into_iter().filter_map(|n| {
                        std::env::var(config.identity_var(&n)).ok().map(|v| (n, v))
                    }))
                }
            };
        // A shared environment gets only read-only scenarios unless mutations are allowed.
        let shared_target = config
            .target
            .as_deref()
            .is_some_and(|t| !run::is_loopback(t));
        // What a scenario needs and the target lacks makes it ignored, with the reason.
        for s in &mut scenarios {
            if s.ignored.is_some() {
                continue;
            }
            if shared_target && s.tags.mutates && !config.allow_mutations {
                s.ignored = Some(
                    "mutates state on a target outside loopback: pass --allow-mutations to run it"
                        .to_owned(),
                );
                continue;
            }
            if let Some(who) = s
                .tags
                .identities
                .iter()
                .find(|i| identities.get(i).is_none())
            {
                s.ignored = Some(format!(
                    "needs identity '{who}': set {}",
                    config.identity_var(who)
                ));
            } else if let Some(f) = s
                .tags
                .fixtures
                .iter()
                .find(|f| !vars.contains_key(&format!("fixtures.{f}")))
            {
                s.ignored = Some(format!("needs fixture value '{f}': pass --fixture FILE"));
            }
        }
        // Names as users write them (`use-after-free` too), checked against the table.
        let off: Vec<&str> = config
            .checks_off
            .iter()
            .map(|name| check::find(name).map(|c| c.name).map_err(Error::Usage))
            .collect::<Result<_, _>>()?;
        let checks = check::CHECKS
            .iter()
            .filter(|c| {
                c.default_on
                    || (c.name == "max_response_time" && config.max_response_time.is_some())
            })
            .filter(|c| !off.contains(&c.name))
            .collect();
        Ok(Suite {
            spec_path,
            api,
            scenarios,
            embedded,
            target_url: config.target.clone(),
            identities,
            vars,
            checks,
            max_response_time: config.max_response_time,
            mutants: config.mutants.clone(),
            slow: config.slow.unwrap_or(Duration::from_millis(1500)),
            client: Target::client(config.timeout.unwrap_or(Duration::from_secs(30)))
                .map_err(Error::Usage)?,
            limiter: config
                .rate
                .or(shared_target.then_some(10.0))
                .map(|r| Arc::new(run::Limiter::new(r))),
            time_budget: config.time_budget.unwrap_or(Duration::from_secs(30 * 60)),
            deadline: std::sync::OnceLock::new(),
            records: std::sync::Mutex::new(Vec::new()),
        })
    }

    fn responder(&self) -> Option<Arc<dyn Responder>> {
        match self.embedded.as_ref()? {
            Embedded::Emulator(f) => Some(Arc::new(Emulator::new(f, &self.mutants, self.slow))),
            Embedded::SpecStub => Some(Arc::new(SpecStub::new(
                Arc::clone(&self.api),
                &self.mutants,
                self.slow,
            ))),
        }
    }

    /// Runs one scenario and evaluates the checks on every exchange.
    pub async fn run_one(&self, scenario: &Scenario) -> Verdict {
        self.run_scenario(scenario).await.0
    }

    /// A target at `base_url` with this suite's identities (for callers that serve their own
    /// stub, such as the benchmark).
    pub fn target(&self, base_url: &str) -> Target {
        let mut target =
            Target::with_client(base_url, self.identities.clone(), self.client.clone());
        target.limiter = self.limiter.clone();
        target
    }

    /// A stub responder for this suite, fresh state (none when the suite has a target).
    pub fn fresh_responder(&self) -> Option<Arc<dyn Responder>> {
        self.responder()
    }

    /// Runs one scenario against `target`, checks on; the verdict and every exchange.
    pub async fn run_on(
        &self,
        target: &Target,
        scenario: &Scenario,
    ) -> (Verdict, Vec<(String, Exchange)>) {
        static RUN: AtomicU64 = AtomicU64::new(1);
        let mut vars = self.vars.clone();
        let run_id = format!(
            "{}-{}",
            std::process::id(),
            RUN.fetch_add(1, Ordering::Relaxed)
        );
        vars.insert("run.id".to_owned(), run_id);
        in_flight().insert(scenario.id.clone());
        let outcome = run::execute(target, &self.api, scenario, &vars, |step, exchange| {
            interrupted()
                || step
                    .expect
                    .status
                    .is_some_and(|s| s != exchange.response.status)
        })
        .await;
        in_flight().remove(&scenario.id);
        let mut failures: Vec<(Failure, Option<Exchange>)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for step_run in outcome.steps.iter().filter(|s| !s.cleanup) {
            let step = &scenario.steps[step_run.index];
            let Some(exchange) = &step_run.exchange else {
                let why = step_run.error.clone().unwrap_or_default();
                let broken = format!(
                    "step {} ({}) could not run: {why}",
                    step_run.index + 1,
                    step.operation
                );
                return (Verdict::Broken(broken), exchanges_of(scenario, &outcome));
            };
            let Some(op) = self.api.operation(&step.operation) else {
                continue;
            };
            let expect = Expectation {
                status: step.expect.status,
                error_code: step.expect.error_code.clone(),
                reason: step.expect.reason.clone(),
                contains: step
                    .expect
                    .contains
                    .as_ref()
                    .and_then(|c| run::interpolate(c, &outcome.vars).ok()),
            };
            let ctx = CheckCtx {
                api: &self.api,
                operation: op,
                expect: &expect,
                max_response_time: self.max_response_time,
                after_delete: step.expect.after_delete,
                after_create: step.expect.after_create,
            };
            let enabled: Vec<&'static check::Check> = match &step.expect.checks {
                Some(names) => self
                    .checks
                    .iter()
                    .copied()
                    .filter(|c| names.iter().any(|n| n == c.name))
                    .collect(),
                None => self.checks.clone(),
            };
            for f in check::evaluate(&ctx, exchange, &enabled) {
                if seen.insert(f.dedup_key()) {
                    failures.push((f, Some(exchange.clone())));
                }
            }
        }
        let verdict = if failures.is_empty() {
            Verdict::Passed
        } else {
            Verdict::Failed(failures)
        };
        (verdict, exchanges_of(scenario, &outcome))
    }

    /// One trial per scenario: `{operationId}::{outcome}::{variant}`; a scenario that cannot
    /// run is an ignored trial whose run (with `--ignored`) fails with the reason.
    pub fn trials(self: &Arc<Self>, runtime: tokio::runtime::Handle) -> Vec<libtest_mimic::Trial> {
        self.scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let suite = Arc::clone(self);
                let handle = runtime.clone();
                let ignored = s.ignored.is_some();
                let kind = if s.tags.mutates {
                    "mutates"
                } else {
                    "read-only"
                };
                libtest_mimic::Trial::test(s.id.clone(), move || {
                    suite.execute_trial(i, &handle).map_err(Into::into)
                })
                .with_ignored_flag(ignored)
                .with_kind(kind)
            })
            .collect()
    }

    /// Runs scenario `i` as one trial: not at all when it is ignored, interrupted or past the
    /// time budget; keeps its record; the failure text when it did not pass.
    pub fn execute_trial(&self, i: usize, handle: &tokio::runtime::Handle) -> Result<(), String> {
        let scenario = &self.scenarios[i];
        if let Some(why) = &scenario.ignored {
            return Err(why.clone());
        }
        if interrupted() {
            return Err("interrupted: not run".to_owned());
        }
        // A budget too large to add to the clock means no deadline.
        let deadline = *self
            .deadline
            .get_or_init(|| std::time::Instant::now().checked_add(self.time_budget));
        if deadline.is_some_and(|d| std::time::Instant::now() > d) {
            let why = format!(
                "not run: the run's time budget of {} s was spent",
                self.time_budget.as_secs()
            );
            let verdict = Verdict::Broken(why.clone());
            self.keep(self.record(scenario, &verdict, &[], Duration::ZERO));
            return Err(why);
        }
        let start = std::time::Instant::now();
        let (verdict, exchanges) = handle.block_on(self.run_scenario(scenario));
        let record = self.record(scenario, &verdict, &exchanges, start.elapsed());
        let result = match &verdict {
            Verdict::Passed => Ok(()),
            Verdict::Broken(why) => Err(why.clone()),
            Verdict::Failed(_) => {
                let text: Vec<&str> = record.failures.iter().map(|(_, t)| t.as_str()).collect();
                Err(text.join("\n"))
            }
        };
        self.keep(record);
        result
    }

    /// Runs one scenario on a fresh embedded stub or the target; the verdict and exchanges.
    pub async fn run_scenario(&self, scenario: &Scenario) -> (Verdict, Vec<(String, Exchange)>) {
        let server = match self.responder() {
            Some(r) => Some(crate::stub::wiremock_adapter::serve_wiremock(r).await),
            None => None,
        };
        let base = match (&server, &self.target_url) {
            (Some(s), _) => s.uri(),
            (None, Some(url)) => url.clone(),
            (None, None) => return (Verdict::Broken("no target".to_owned()), Vec::new()),
        };
        let target = self.target(&base);
        self.run_on(&target, scenario).await
    }

    /// What reports keep of one scenario.
    pub fn record(
        &self,
        scenario: &Scenario,
        verdict: &Verdict,
        exchanges: &[(String, Exchange)],
        elapsed: Duration,
    ) -> report::Record {
        let steps = exchanges
            .iter()
            .map(|(op, e)| {
                let documented = self
                    .api
                    .operation(op)
                    .is_some_and(|o| o.response_for(e.response.status).is_some());
                report::StepRecord::new(op, e, documented)
            })
            .collect();
        let (result, reason, failures) = match verdict {
            Verdict::Passed => (report::record::Result::Passed, None, Vec::new()),
            Verdict::Broken(why) => (
                report::record::Result::Failed,
                Some(why.clone()),
                Vec::new(),
            ),
            Verdict::Failed(failures) => (
                report::record::Result::Failed,
                None,
                failures
                    .iter()
                    .map(|(f, e)| (f.clone(), report::render_failure(f, e.as_ref())))
                    .collect(),
            ),
        };
        report::Record {
            id: scenario.id.clone(),
            operation: scenario.operation.clone(),
            outcome: scenario.outcome.to_string(),
            result,
            reason,
            failures,
            steps,
            elapsed_ms: elapsed.as_secs_f64() * 1e3,
        }
    }

    fn keep(&self, record: report::Record) {
        self.records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(record);
    }

    /// Every record kept so far, plus ignored scenarios that `args` would have listed.
    pub fn records(&self, args: &libtest_mimic::Arguments) -> Vec<report::Record> {
        let mut records = self
            .records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let selected = |id: &str| {
            let filtered = match &args.filter {
                Some(f) if args.exact => id == f,
                Some(f) => id.contains(f.as_str()),
                None => true,
            };
            filtered && !args.skip.iter().any(|s| id.contains(s.as_str()))
        };
        for s in &self.scenarios {
            if let Some(why) = &s.ignored {
                if selected(&s.id) && !records.iter().any(|r| r.id == s.id) {
                    records.push(report::Record {
                        id: s.id.clone(),
                        operation: s.operation.clone(),
                        outcome: s.outcome.to_string(),
                        result: report::record::Result::Ignored,
                        reason: Some(why.clone()),
                        failures: Vec::new(),
                        steps: Vec::new(),
                        elapsed_ms: 0.0,
                    });
                }
            }
        }
        let order: BTreeMap<&str, usize> = self
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        records.sort_by_key(|r| order.get(r.id.as_str()).copied().unwrap_or(usize::MAX));
        records
    }

    /// Why each ignored scenario is ignored.
    pub fn ignored(&self) -> impl Iterator<Item = (&str, &str)> {
        self.scenarios
            .iter()
            .filter_map(|s| s.ignored.as_deref().map(|why| (s.id.as_str(), why)))
    }
}

/// Every exchange of the scenario's own steps (not cleanup), with the operation it called.
fn exchanges_of(scenario: &Scenario, run: &run::ScenarioRun) -> Vec<(String, Exchange)> {
    run.steps
        .iter()
        .filter(|s| !s.cleanup)
        .filter_map(|s| {
            let op = scenario.steps.get(s.index)?.operation.clone();
            Some((op, s.exchange.clone()?))
        })
        .collect()
}

/// A multi-thread runtime, built in a plain function (never inside another runtime); `None`
/// after saying why it could not start.
fn new_runtime() -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => Some(rt),
        Err(e) => {
            eprintln!("error: failed to start the async runtime: {e}");
            None
        }
    }
}

/// Re-runs the scenarios that failed in a recorded run (a `--json` report or the last-run
/// file) and says for each whether it is fixed or still failing: 0 when all are fixed.
pub fn replay(report: &Path, config: &Config) -> i32 {
    let text = match std::fs::read_to_string(report) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: failed to read {}: {e}", report.display());
            return crate::error::EXIT_SETUP;
        }
    };
    let doc: serde_json::Value = match serde_json::from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: failed to parse {}: {e}", report.display());
            return crate::error::EXIT_SETUP;
        }
    };
    let failed: Vec<String> = doc["scenarios"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["result"] == "failed")
        .filter_map(|s| s["id"].as_str().map(str::to_owned))
        .collect();
    if failed.is_empty() {
        println!("{}: no failures to replay", report.display());
        return crate::error::EXIT_OK;
    }
    let Some(runtime) = new_runtime() else {
        return crate::error::EXIT_SETUP;
    };
    // The recorded run's spec, unless the flags name one.
    let mut config = config.clone();
    if config.spec.is_none() {
        config.spec = doc["spec"].as_str().map(PathBuf::from);
    }
    let config = &config;
    let suite = match Suite::load(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return e.exit_code();
        }
    };
    if let Some(url) = &config.target {
        if let Err(e) = runtime.block_on(run::probe(url, Duration::from_secs(10))) {
            eprintln!(
                "error: the target {} cannot be reached: {e}",
                report::mask_url(url)
            );
            return crate::error::EXIT_SETUP;
        }
    }
    let mut still = 0;
    for id in &failed {
        let Some(scenario) = suite.scenarios.iter().find(|s| &s.id == id) else {
            println!("{id}: unknown in this suite (renamed or removed)");
            still += 1;
            continue;
        };
        match runtime.block_on(suite.run_scenario(scenario)).0 {
            Verdict::Passed => println!("{id}: fixed"),
            Verdict::Broken(why) => {
                still += 1;
                println!("{id}: still failing: {why}");
            }
            Verdict::Failed(failures) => {
                still += 1;
                println!("{id}: still failing");
                for (f, e) in &failures {
                    print!("{}", report::render_failure(f, e.as_ref()));
                }
            }
        }
    }
    println!(
        "{} replayed: {} fixed, {still} still failing",
        failed.len(),
        failed.len() - still
    );
    if still == 0 {
        crate::error::EXIT_OK
    } else {
        crate::error::EXIT_FAILED
    }
}

/// On a terminal: a progress bar instead of a line per trial, failures printed above it as
/// they come, the same filters as libtest (`--filter`, `--exact`, `--skip`, `--ignored`) and
/// `--test-threads` workers. True when a scenario failed.
fn run_with_progress(
    suite: &Arc<Suite>,
    handle: &tokio::runtime::Handle,
    args: &libtest_mimic::Arguments,
) -> bool {
    let selected: Vec<usize> = suite
        .scenarios
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            let by_name = match &args.filter {
                Some(f) if args.exact => &s.id == f,
                Some(f) => s.id.contains(f.as_str()),
                None => true,
            };
            let skipped = args.skip.iter().any(|k| s.id.contains(k.as_str()));
            let wanted = if args.include_ignored {
                true
            } else if args.ignored {
                s.ignored.is_some()
            } else {
                s.ignored.is_none()
            };
            by_name && !skipped && wanted
        })
        .map(|(i, _)| i)
        .collect();
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(selected.len() as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:32} {pos}/{len} scenarios  {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::atomic::AtomicBool::new(false);
    let workers = args
        .test_threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .clamp(1, 64);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::SeqCst);
                let Some(&i) = selected.get(k) else { break };
                let id = &suite.scenarios[i].id;
                bar.set_message(id.clone());
                if let Err(text) = suite.execute_trial(i, handle) {
                    failed.store(true, Ordering::SeqCst);
                    bar.println(format!("FAILED {id}\n{text}"));
                }
                bar.inc(1);
            });
        }
    });
    bar.finish_and_clear();
    failed.load(Ordering::SeqCst)
}

/// Writes `--junit` and `--json` files, when asked for.
fn write_reports(config: &Config, suite: &Suite, records: &[report::Record]) -> Result<(), String> {
    let write = |path: &Path, text: String| {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("failed to create {}: {e}", dir.display()))?;
        }
        // Written beside and renamed, so a reader never sees half a report.
        let partial = path.with_extension(format!("partial-{}", std::process::id()));
        std::fs::write(&partial, text)
            .and_then(|()| std::fs::rename(&partial, path))
            .map_err(|e| format!("failed to write {}: {e}", path.display()))
    };
    let count = |r: report::record::Result| records.iter().filter(|x| x.result == r).count();
    if let Some(path) = &config.junit {
        write(path, report::junit::render(&suite.api.title, records))?;
    }
    if let Some(path) = &config.json {
        let doc = serde_json::json!({
            "api": suite.api.title,
            "spec": suite.spec_path.display().to_string(),
            "spec_version": suite.api.spec_version.to_string(),
            "target": config.target.as_deref().map_or_else(|| "embedded".to_owned(), report::mask_url),
            "summary": {
                "scenarios": records.len(),
                "passed": count(report::record::Result::Passed),
                "failed": count(report::record::Result::Failed),
                "ignored": count(report::record::Result::Ignored),
            },
            "scenarios": records.iter().map(report::Record::to_json).collect::<Vec<_>>(),
        });
        write(path, serde_json::to_string_pretty(&doc).unwrap_or_default())?;
    }
    Ok(())
}

/// The harness configuration for `cargo test --test conformance`: `contractor.toml` in the
/// working directory when there is one, overridden by `CONTRACTOR_TARGET`, `CONTRACTOR_SPEC`,
/// `CONTRACTOR_SCENARIOS`, `CONTRACTOR_FIXTURE`, `CONTRACTOR_MAX_RESPONSE_TIME_MS`,
/// `CONTRACTOR_RATE`, `CONTRACTOR_JUNIT`, `CONTRACTOR_JSON` and `CONTRACTOR_ALLOW_MUTATIONS`.
pub fn config_from_env() -> Result<Config, Error> {
    let file = crate::config::FileConfig::find(None)?;
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let number = |name: &str| -> Result<Option<f64>, Error> {
        var(name)
            .map(|v| {
                v.parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite() && *n > 0.0)
                    .ok_or_else(|| Error::Usage(format!("{name}={v} is not a positive number")))
            })
            .transpose()
    };
    let max_ms = number("CONTRACTOR_MAX_RESPONSE_TIME_MS")?
        .map(|ms| ms as u64)
        .or(file.max_response_time);
    Ok(Config {
        spec: var("CONTRACTOR_SPEC").map(PathBuf::from).or(file.spec),
        target: var("CONTRACTOR_TARGET").or(file.target),
        scenarios: var("CONTRACTOR_SCENARIOS")
            .map(PathBuf::from)
            .or(file.scenarios),
        fixture: var("CONTRACTOR_FIXTURE")
            .map(PathBuf::from)
            .or(file.fixture),
        mirrors: file.mirrors,
        max_response_time: max_ms.map(Duration::from_millis),
        rate: number("CONTRACTOR_RATE")?.or(file.rate),
        junit: var("CONTRACTOR_JUNIT").map(PathBuf::from),
        json: var("CONTRACTOR_JSON").map(PathBuf::from),
        allow_mutations: var("CONTRACTOR_ALLOW_MUTATIONS")
            .map_or(file.allow_mutations.unwrap_or(false), |v| {
                v == "1" || v == "true"
            }),
        timeout: file.timeout.map(|s| Duration::from_secs(s.max(1))),
        time_budget: file.time_budget.map(|s| Duration::from_secs(s.max(1))),
        checks_off: file.checks_off,
        identity_vars: file.identities,
        fixture_values: file.fixtures,
        ..Config::default()
    })
}

/// Runs a suite as libtest-mimic trials on a runtime built here (not inside one), and returns
/// the process exit code: 0 all passed, 1 a check failed, 2 a setup error.
pub fn run(config: &Config, args: &libtest_mimic::Arguments) -> i32 {
    if args.test_threads == Some(0) {
        eprintln!("error: concurrency must be at least 1");
        return crate::error::EXIT_SETUP;
    }
    // Scenarios of one suite share fixture users and courses: against a real target they run
    // one at a time unless told otherwise (the embedded stub is fresh for each scenario).
    let sequential;
    let args = if config.target.is_some() && args.test_threads.is_none() {
        sequential = libtest_mimic::Arguments {
            test_threads: Some(1),
            ..args.clone()
        };
        &sequential
    } else {
        args
    };
    let Some(runtime) = new_runtime() else {
        return crate::error::EXIT_SETUP;
    };
    let suite = match Suite::load(config) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("error: {e}");
            return e.exit_code();
        }
    };
    if let (Some(url), false) = (&config.target, args.list) {
        if let Err(e) = runtime.block_on(run::probe(url, Duration::from_secs(10))) {
            eprintln!(
                "error: the target {} cannot be reached: {e}",
                report::mask_url(url)
            );
            return crate::error::EXIT_SETUP;
        }
    }
    watch_interrupts(&runtime);
    let start = std::time::Instant::now();
    use std::io::IsTerminal;
    let interactive = !args.list
        && args.format.is_none()
        && !args.quiet
        && std::io::stdout().is_terminal()
        && std::io::stderr().is_terminal();
    let failed = if interactive {
        run_with_progress(&suite, runtime.handle(), args)
    } else {
        let trials = suite.trials(runtime.handle().clone());
        let conclusion = libtest_mimic::run(args, trials);
        if args.list {
            return crate::error::EXIT_OK;
        }
        conclusion.has_failed()
    };
    let records = suite.records(args);
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        print!("{}", report::github::annotations(&records));
    }
    print!("{}", report::summary::coverage(&records));
    let line = report::summary::one_line(&records, start.elapsed().as_secs_f64());
    println!("{}", report::summary::paint(&line, !failed));
    if let Err(e) = write_reports(config, &suite, &records) {
        eprintln!("error: {e}");
        return crate::error::EXIT_SETUP;
    }
    // The last full run's results, for `contractor replay`: a filtered run (and each nextest
    // process, which runs one trial) would overwrite them with a part. A read-only folder is
    // not an error.
    let full = args.filter.is_none() && args.skip.is_empty() && !args.exact && !args.ignored;
    if full {
        let last = Config {
            json: Some(PathBuf::from(LAST_RUN)),
            junit: None,
            ..config.clone()
        };
        if let Err(e) = write_reports(&last, &suite, &records) {
            eprintln!("note: {e}");
        }
    }
    if interrupted() {
        eprintln!("interrupted: cleanup finished");
        EXIT_INTERRUPTED
    } else if failed {
        crate::error::EXIT_FAILED
    } else {
        crate::error::EXIT_OK
    }
}
