//! The `contractor` command line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use contractor::config::Config;
use contractor::spec::LoadOptions;
use contractor::stub::classroom::{self, Fixture};
use contractor::stub::{Embedded, Emulator, Mutant, Responder, SpecStub};
use contractor::Error;

/// OpenAPI contract testing: load a spec, generate conformance scenarios, run them.
#[derive(Parser)]
#[command(name = "contractor", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load specs or API listings and report versions, operations, error codes and diagnostics.
    Lint(LintArgs),
    /// Run the conformance scenarios (default: the shipped Classroom suite against the embedded emulator).
    Run {
        #[command(flatten)]
        suite: SuiteArgs,
        /// Run only scenarios whose id contains this text.
        #[arg(long)]
        filter: Option<String>,
        /// With --filter: the id must match exactly.
        #[arg(long)]
        exact: bool,
        /// Skip scenarios whose id contains this text (repeatable).
        #[arg(long)]
        skip: Vec<String>,
        /// Run only the ignored scenarios (they fail with the reason they cannot run).
        #[arg(long)]
        ignored: bool,
        /// Scenarios run at once (default: the number of cores).
        #[arg(long, visible_alias = "concurrency", value_name = "N")]
        test_threads: Option<usize>,
    },
    /// Re-run the scenarios that failed in a recorded run and say which are fixed.
    Replay {
        /// A `--json` report (default: the last run's, target/contractor/last-run.json).
        file: Option<PathBuf>,
        #[command(flatten)]
        suite: SuiteArgs,
    },
    /// List the scenarios: id, outcome, and whether each can run.
    List {
        #[command(flatten)]
        suite: SuiteArgs,
    },
    /// Serve a stub on 127.0.0.1: the Google Classroom emulator, or any spec.
    Stub(StubArgs),
}

/// What `lint` reads.
#[derive(clap::Args)]
struct LintArgs {
    /// Spec files (OpenAPI 3.0/3.1, Swagger 2.0; YAML, JSON, Markdown) or API listings.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print JSON (one object per file) instead of text.
    #[arg(long)]
    json: bool,
    /// A folder to look up the files a listing names (repeatable).
    #[arg(long = "mirror", value_name = "DIR")]
    mirrors: Vec<PathBuf>,
    /// Allow downloading listed specs and remote $refs over HTTP(S).
    #[arg(long)]
    fetch: bool,
}

/// What `stub` serves.
#[derive(clap::Args)]
struct StubArgs {
    /// Serve this spec with the spec-driven stub (default: the Classroom emulator).
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
    /// Serve an emulator: google-classroom.
    #[arg(long, value_name = "NAME")]
    emulator: Option<String>,
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 4010)]
    port: u16,
    /// Switch on a named fault (repeatable); see --list-mutants.
    #[arg(long = "mutant", value_name = "NAME")]
    mutants: Vec<String>,
    /// How late the slow_responses mutant answers, in milliseconds.
    #[arg(long, default_value_t = 1500)]
    slow_ms: u64,
    /// The emulator's fixture file (users, tokens, courses).
    #[arg(long, value_name = "FILE")]
    fixture: Option<PathBuf>,
    /// List the mutants and the clause each breaks, then exit.
    #[arg(long)]
    list_mutants: bool,
}

/// What a suite is made of, for `run` and `list`.
#[derive(clap::Args)]
struct SuiteArgs {
    /// The spec (default: the shipped Classroom spec).
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
    /// The base URL to test; without it, an embedded stub (the Classroom emulator, or the spec-driven stub).
    #[arg(long, value_name = "URL")]
    target: Option<String>,
    /// A folder of scenario files.
    #[arg(long, value_name = "DIR")]
    scenarios: Option<PathBuf>,
    /// Fixture values (users, courses) for the scenarios.
    #[arg(long, value_name = "FILE")]
    fixture: Option<PathBuf>,
    /// A response-time budget in milliseconds (turns on max_response_time).
    #[arg(long, value_name = "MS")]
    max_response_time: Option<u64>,
    /// Switch a check off (repeatable).
    #[arg(long = "check-off", value_name = "NAME")]
    checks_off: Vec<String>,
    /// Switch on a fault in the embedded stub (repeatable), to see the checks bite.
    #[arg(long = "mutant", value_name = "NAME")]
    mutants: Vec<String>,
    /// Coverage scenarios beside the documented outcomes: off, negative (one-fault requests,
    /// missing required headers, undeclared methods) or full (also boundary values)
    /// [default: negative]
    #[arg(long, value_name = "off|negative|full")]
    coverage: Option<String>,
    /// Send N further seeded valid inputs per operation (`{operationId}::examples::{i}`)
    #[arg(long, value_name = "N")]
    examples: Option<u64>,
    /// Varies generated values (default: a new seed each run, printed at the end)
    #[arg(long)]
    seed: Option<u64>,
    /// A fixture value (repeatable), e.g. `guild_id=81`: an item the spec cannot create.
    #[arg(long = "fixture-value", value_name = "NAME=VALUE")]
    fixture_values: Vec<String>,
    /// Run scenarios that create, change or delete against a target outside loopback.
    #[arg(long)]
    allow_mutations: bool,
    /// At most this many requests a second, e.g. `10/s` (default: 10/s outside loopback).
    #[arg(long, value_name = "N/s")]
    rate: Option<String>,
    /// The per-request timeout, in seconds (default 30).
    #[arg(long, value_name = "SECS")]
    timeout: Option<u64>,
    /// The whole run's time budget, in seconds (default 1800); scenarios not started by then fail.
    #[arg(long, value_name = "SECS")]
    time_budget: Option<u64>,
    /// A folder to look up the files a listing names (repeatable).
    #[arg(long = "mirror", value_name = "DIR")]
    mirrors: Vec<PathBuf>,
    /// Settings file (default: contractor.toml in the working directory, when there is one).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Write every scenario and step as JSON here.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

impl SuiteArgs {
    /// The suite's configuration: flags over `CONTRACTOR_*` variables over `contractor.toml`
    /// (or `--config`), one precedence for every setting.
    fn config(&self, concurrency: Option<usize>) -> Result<Config, contractor::Error> {
        let flags = contractor::config::Flags {
            config: self.config.clone(),
            spec: self.spec.clone(),
            target: self.target.clone(),
            scenarios: self.scenarios.clone(),
            fixture: self.fixture.clone(),
            mirrors: self.mirrors.clone(),
            max_response_time_ms: self.max_response_time,
            checks_off: self.checks_off.clone(),
            mutants: self.mutants.clone(),
            seed: self.seed,
            coverage: self.coverage.clone(),
            examples: self.examples,
            fixture_values: self.fixture_values.clone(),
            allow_mutations: self.allow_mutations,
            rate: self.rate.clone(),
            concurrency,
            timeout: self.timeout,
            time_budget: self.time_budget,
            junit: self.junit.clone(),
            json: self.json.clone(),
        };
        contractor::config::resolve(&flags, contractor::config::process_env)
    }
}

/// Prints a setup error and gives its exit code.
fn fail(e: &contractor::Error) -> i32 {
    eprintln!("error: {e}");
    e.exit_code()
}

fn main() -> ExitCode {
    contractor::install_crypto_provider();
    let code = match Cli::parse().command {
        Command::Lint(args) => lint(args),
        Command::Run {
            suite,
            filter,
            exact,
            skip,
            ignored,
            test_threads,
        } => match suite.config(test_threads) {
            Err(e) => fail(&e),
            Ok(config) => {
                let args = libtest_mimic::Arguments {
                    filter,
                    exact,
                    skip,
                    ignored,
                    ..Default::default()
                };
                contractor::harness::run_command(&config, &args)
            }
        },
        Command::Replay { file, suite } => {
            let file = file.unwrap_or_else(|| PathBuf::from(contractor::report::LAST_RUN));
            let replayed = suite
                .config(None)
                .and_then(|c| contractor::suite::replay(&file, &c));
            replayed.unwrap_or_else(|e| fail(&e))
        }
        Command::List { suite } => match suite
            .config(None)
            .and_then(|c| contractor::suite::Suite::load(&c))
        {
            Err(e) => fail(&e),
            Ok(suite) => {
                say(&list(&suite));
                contractor::error::EXIT_OK
            }
        },
        Command::Stub(args) if args.list_mutants => {
            say(&list_mutants());
            contractor::error::EXIT_OK
        }
        Command::Stub(args) => match serve_stub(args) {
            Ok(()) => contractor::error::EXIT_OK,
            Err(e) => fail(&e),
        },
    };
    ExitCode::from(code as u8)
}

/// `contractor lint`: a report per file, as text or JSON.
fn lint(args: LintArgs) -> i32 {
    let options = LoadOptions {
        mirrors: args.mirrors,
        fetch: args.fetch,
    };
    let reports = contractor::lint::run(&args.paths, &options);
    if args.json {
        let out = contractor::lint::render_json(&reports);
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        print!("{}", contractor::lint::render_text(&reports));
    }
    contractor::lint::exit_code(&reports)
}

/// `contractor stub --list-mutants`: each mutant, where it applies, and the clause it breaks.
fn list_mutants() -> String {
    let mut out = String::new();
    for m in Mutant::ALL {
        let scope = if m.is_generic() {
            "any spec"
        } else {
            "google-classroom"
        };
        out.push_str(&format!("{:<26} {:<17} {}\n", m.name(), scope, m.clause()));
    }
    out
}

/// `contractor list`: each scenario's id, outcome and whether it runs, then the counts.
fn list(suite: &contractor::suite::Suite) -> String {
    let mut out = String::new();
    for s in &suite.scenarios {
        let state = match &s.ignored {
            Some(why) => format!("ignored: {why}"),
            None if s.tags.mutates => "runs (mutates)".to_owned(),
            None => "runs (read-only)".to_owned(),
        };
        out.push_str(&format!("{}  [{}]  {state}\n", s.id, s.outcome));
    }
    let ignored = suite.ignored().count();
    out.push_str(&format!(
        "{} scenarios, {} runnable, {ignored} ignored\n",
        suite.scenarios.len(),
        suite.scenarios.len() - ignored
    ));
    out.push_str(&paging(&suite.api));
    out
}

/// Each list operation's pagination style as `contractor list` shows it, and "pagination not
/// recognised" for one with page-ish query parameters but no style we know.
fn paging(api: &contractor::spec::Api) -> String {
    let notes: Vec<String> = api
        .operations
        .iter()
        .filter_map(|op| {
            contractor::spec::lists::pagination_note(api, op).map(|n| format!("  {}  {n}\n", op.id))
        })
        .collect();
    if notes.is_empty() {
        return String::new();
    }
    format!("list operations:\n{}", notes.concat())
}

/// What `contractor stub` serves, and what a suite needs to run against it.
struct Served {
    responder: Arc<dyn Responder>,
    banner: String,
    /// Identity name -> credential.
    identities: BTreeMap<String, String>,
    /// The flags `contractor run` needs besides `--target`.
    run_args: Vec<String>,
}

/// Ready-to-paste lines: an `export` per identity the suite needs (`default` included), then
/// the command that runs the suite against the stub at `url`.
fn how_to_run(identities: &BTreeMap<String, String>, run_args: &[String], url: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=@".contains(c);
    let quote = |s: &str| {
        if !s.is_empty() && s.chars().all(plain) {
            s.to_owned()
        } else {
            format!("'{}'", s.replace('\'', "'\\''"))
        }
    };
    let mut out = String::from("run the suite against it:\n");
    let unnamed = Config::default();
    for (name, value) in identities {
        let var = unnamed.identity_var(name);
        out.push_str(&format!("  export {var}={}\n", quote(value)));
    }
    let args: Vec<String> = run_args.iter().map(|a| quote(a)).collect();
    out.push_str(&format!(
        "  contractor run --target {url} {}\n",
        args.join(" ")
    ));
    out
}

/// The emulator's responder and banner (its identities).
fn emulator_stub(options: &StubArgs, mutants: &[Mutant]) -> Result<Served, Error> {
    let fixture = match &options.fixture {
        Some(path) => Fixture::load(path)?,
        None => Fixture::shipped(),
    };
    let mut banner = String::from(
        "Google Classroom Invitations emulator. Identities (Authorization: Bearer <token>):\n",
    );
    for (key, user) in &fixture.users {
        banner.push_str(&format!("  {key:<16} {:<36} {}\n", user.email, user.token));
    }
    let emulator = Emulator::new(&fixture, mutants, Duration::from_millis(options.slow_ms));
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join(classroom::SHIPPED_FIXTURE_PATH);
    let fixture_path = options.fixture.clone().unwrap_or(shipped);
    Ok(Served {
        responder: Arc::new(emulator),
        banner,
        identities: Embedded::Emulator(fixture).identities(),
        run_args: vec!["--fixture".to_owned(), fixture_path.display().to_string()],
    })
}

/// The spec-driven stub's responder and banner; only generic mutants apply to it.
fn spec_stub(path: &Path, options: &StubArgs, mutants: &[Mutant]) -> Result<Served, Error> {
    if let Some(m) = mutants.iter().find(|m| !m.is_generic()) {
        let generic: Vec<&str> = Mutant::ALL
            .iter()
            .filter(|m| m.is_generic())
            .map(|m| m.name())
            .collect();
        return Err(Error::Usage(format!(
            "mutant '{m}' needs the google-classroom emulator; the spec-driven stub takes: {}",
            generic.join(", ")
        )));
    }
    let api = contractor::Api::load(path)?;
    let banner = format!(
        "spec-driven stub for {} ({} operations)\n",
        api.title,
        api.operations.len()
    );
    let identities = Embedded::SpecStub.identities();
    // The items the spec cannot create: the stub takes them to exist, the suite is given them.
    let mut run_args = vec!["--spec".to_owned(), path.display().to_string()];
    for (name, value) in contractor::scenario::synth::standing_values(&api, api.graph()) {
        run_args.push("--fixture-value".to_owned());
        run_args.push(format!("{name}={value}"));
    }
    let stub = SpecStub::new(
        Arc::new(api),
        mutants,
        Duration::from_millis(options.slow_ms),
    )
    .with_identities(&identities);
    Ok(Served {
        responder: Arc::new(stub),
        banner,
        identities,
        run_args,
    })
}

/// Builds the responder the flags ask for, serves it until Ctrl-C or SIGTERM.
fn serve_stub(options: StubArgs) -> Result<(), Error> {
    let mutants = options
        .mutants
        .iter()
        .map(|m| m.parse::<Mutant>().map_err(Error::Usage))
        .collect::<Result<Vec<_>, _>>()?;
    let served = match (&options.emulator, &options.spec) {
        (Some(name), _) if name == classroom::NAME => emulator_stub(&options, &mutants)?,
        (Some(name), _) => {
            return Err(Error::Usage(format!(
                "unknown emulator '{name}' (known: {})",
                classroom::NAME
            )))
        }
        (None, Some(path)) => spec_stub(path, &options, &mutants)?,
        (None, None) => emulator_stub(&options, &mutants)?,
    };
    let runtime = contractor::suite::new_runtime()?;
    runtime.block_on(async move {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], options.port));
        let stub = contractor::stub::http::HttpStub::start(addr, served.responder)
            .await
            .map_err(|source| Error::Listen { addr, source })?;
        let mut text = served.banner;
        if !mutants.is_empty() {
            let names: Vec<&str> = mutants.iter().map(|m| m.name()).collect();
            text.push_str(&format!("mutants: {}\n", names.join(", ")));
        }
        text.push_str(&how_to_run(
            &served.identities,
            &served.run_args,
            &stub.url(),
        ));
        text.push_str(&format!("listening on {}\n", stub.url()));
        say(&text);
        wait_for_shutdown().await;
        stub.shutdown().await;
        say("stopped\n");
        Ok(())
    })
}

/// Prints to stdout, ignoring a closed pipe: whoever started the stub may have stopped
/// reading once it knew the URL.
fn say(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Resolves on Ctrl-C or SIGTERM.
async fn wait_for_shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(t) => t,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
