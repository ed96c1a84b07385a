//! The small test DSL every module shares: paths to fixtures and goldens, running the
//! `contractor` binary, the shared corpus, tests that say when they could not run, and the one
//! helper that starts a `contractor stub` process and stops it by its PID, and a raw loopback
//! server that answers each request as a test scripts it and remembers the order they came in.
//!
//! Each library entry point the tests use through here is called in one place, so a change to
//! the library's API is adapted here once.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use contractor::check::Verdict;
use contractor::config::Config;
use contractor::spec::{self, Api, Direction, LoadOptions, Loaded};
use contractor::suite::Suite;
use serde_json::Value;

/// The shipped Classroom spec, relative to the manifest directory (where tests run).
pub const CLASSROOM_SPEC: &str = "specs/google-classroom/invitations.yaml";

/// The shipped Classroom fixture file, relative to the manifest directory.
pub const CLASSROOM_FIXTURE: &str = "scenarios/google-classroom/fixture.yaml";

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file under `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new("tests/fixtures").join(name)
}

/// A fresh directory under the system temp dir, unique to this process and `name`.
pub fn tmp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("contractor-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    dir
}

pub fn load(path: &Path) -> Loaded {
    spec::load(path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn load_api(path: &Path) -> Api {
    let mut loaded = load(path);
    assert_eq!(loaded.apis.len(), 1, "{}", path.display());
    loaded.apis.remove(0)
}

pub fn classroom_api() -> Api {
    load_api(Path::new(CLASSROOM_SPEC))
}

pub fn codes(api: &Api, op: &str) -> Vec<String> {
    api.operation(op)
        .unwrap_or_else(|| panic!("no operation {op}"))
        .error_codes
        .iter()
        .map(|c| c.name.clone())
        .collect()
}

pub fn validate(
    api: &Api,
    schema: &spec::SchemaRef,
    direction: Direction,
    instance: &Value,
) -> bool {
    api.schemas
        .validator(schema, direction)
        .unwrap_or_else(|e| panic!("{e}"))
        .is_valid(instance)
}

pub fn response_schema(api: &Api, op: &str, status: u16) -> spec::SchemaRef {
    let op = api.operation(op).expect("operation");
    let response = op.response_for(status).expect("response");
    response.content[0].schema.clone().expect("schema")
}

// ---- the binary ------------------------------------------------------------------------------

/// `contractor ARGS`, run in the manifest directory, not yet started. Coverage scenarios are
/// off (`CONTRACTOR_COVERAGE=off`) unless the args ask for them: the suites these tests pin
/// are the documented outcomes; `coverage.rs` and `self_consistency.rs` pass `--coverage`.
pub fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_contractor"));
    cmd.args(args)
        .current_dir(manifest_dir())
        .env("CONTRACTOR_COVERAGE", "off");
    cmd
}

/// Runs `contractor ARGS` to the end: exit code, stdout, stderr.
pub fn contractor(args: &[&str]) -> (i32, String, String) {
    let out = command(args).output().expect("run contractor");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Gives `cmd` every fixture user's credentials as `{prefix}{USER}`, and the teacher's as
/// `{prefix}DEFAULT`, as a real target's identities would be supplied.
pub fn with_identities(
    cmd: &mut Command,
    fixture: &contractor::stub::classroom::Fixture,
    prefix: &str,
) {
    for (name, user) in &fixture.users {
        cmd.env(
            format!("{prefix}{}", name.to_ascii_uppercase()),
            format!("Bearer {}", user.token),
        );
    }
    cmd.env(
        format!("{prefix}DEFAULT"),
        format!("Bearer {}", fixture.users["teacher"].token),
    );
}

/// `contractor run ARGS` against the shipped fixture, with every fixture identity supplied
/// through `CONTRACTOR_IDENTITY_<NAME>`.
pub fn run_with_identities(args: &[&str]) -> Command {
    let mut cmd = command(&["run"]);
    cmd.args(args).args(["--fixture", CLASSROOM_FIXTURE]);
    let fixture = contractor::stub::classroom::Fixture::shipped();
    with_identities(&mut cmd, &fixture, "CONTRACTOR_IDENTITY_");
    cmd
}

// ---- a `contractor stub` process -------------------------------------------------------------

/// A `contractor stub ARGS --port 0` process this test started. Dropping it (also when the
/// test panics) sends SIGTERM to its PID and waits for it, killing it if it does not stop, so
/// no stub outlives its test. Its stderr goes nowhere and its stdout is closed once the URL is
/// read, so it never holds the test's pipes.
pub struct StubProcess {
    child: Option<Child>,
    /// The URL it printed (`http://127.0.0.1:PORT`).
    pub url: String,
    /// The lines it printed up to and including `listening on URL`.
    pub banner: Vec<String>,
}

impl StubProcess {
    pub fn start(args: &[&str]) -> StubProcess {
        let mut child = command(&["stub"])
            .args(args)
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn contractor stub");
        let stdout = child.stdout.take().expect("stdout");
        let mut banner = Vec::new();
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line.expect("line");
            let url = line.strip_prefix("listening on ").map(str::to_owned);
            banner.push(line);
            if let Some(url) = url {
                return StubProcess {
                    child: Some(child),
                    url,
                    banner,
                };
            }
        }
        let status = child.wait().expect("wait");
        panic!("stub exited ({status}) without a URL: {banner:?}");
    }

    /// Sends SIGTERM to the stub, by its PID, and returns how it exited (`None` if it had to
    /// be killed after 10 s).
    pub fn stop(mut self) -> Option<ExitStatus> {
        self.terminate()
    }

    fn terminate(&mut self) -> Option<ExitStatus> {
        let mut child = self.child.take()?;
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .stderr(Stdio::null())
            .status();
        let exited = wait_at_most(&mut child, Duration::from_secs(10));
        if exited.is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
        exited
    }
}

impl Drop for StubProcess {
    fn drop(&mut self) {
        self.terminate();
    }
}

/// Waits for `child` to exit, at most `limit`.
pub fn wait_at_most(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

// ---- tests that say when they did not run ----------------------------------------------------

/// The running test's name (libtest names each test's thread after it).
fn this_test() -> String {
    std::thread::current()
        .name()
        .filter(|n| *n != "main")
        .unwrap_or("this test")
        .to_owned()
}

/// Reports that the running test cannot run because `why`. Under `CI=true` that fails the
/// test, saying what is missing; elsewhere it prints `skipped TEST: WHY` to stderr and the
/// caller returns.
pub fn cannot_run(why: &str) {
    let test = this_test();
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test} cannot run under CI=true: {why}");
    }
    // Straight to the process's stderr, past libtest's capture, so a skip is seen even when
    // the test passes.
    let _ = writeln!(std::io::stderr(), "skipped {test}: {why}");
}

/// `../shared` relative to the repo (as CI lays it out), or `None` when `../shared/corpus` is
/// absent (see [`cannot_run`]).
pub fn shared() -> Option<PathBuf> {
    let dir = Path::new("..").join("shared");
    if manifest_dir().join(&dir).join("corpus").is_dir() {
        // Tests run in the manifest dir; keep the path relative so messages stay stable.
        Some(dir)
    } else {
        cannot_run(
            "../shared/corpus is absent (place the shared corpus beside the repo, as CI does)",
        );
        None
    }
}

/// Whether `program ARGS` can be started, else [`cannot_run`] with `purpose`.
pub fn have_tool(program: &str, args: &[&str], purpose: &str) -> bool {
    let found = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        cannot_run(&format!("`{program}` is not installed ({purpose})"));
    }
    found
}

// ---- goldens ---------------------------------------------------------------------------------

/// Compares `actual` with the golden file at `path` (`UPDATE_GOLDENS=1` rewrites it).
pub fn golden(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_GOLDENS").is_some() {
        std::fs::write(path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "missing golden {} (run with UPDATE_GOLDENS=1)",
            path.display()
        )
    });
    assert_eq!(actual, expected, "golden {} differs", path.display());
}

/// `lint INPUT` fails and prints the golden text beside it.
pub fn check_golden(input: &Path, golden_path: &Path) {
    let reports = contractor::lint::run(&[input.to_owned()], &LoadOptions::default());
    assert_eq!(
        contractor::lint::exit_code(&reports),
        2,
        "{} should fail",
        input.display()
    );
    golden(golden_path, &contractor::lint::render_text(&reports));
}

// ---- steps, runs and failures ----------------------------------------------------------------

/// A step calling `operation` on invitation `1`, without credentials.
pub fn invitation_step(operation: &str) -> contractor::scenario::Step {
    contractor::scenario::Step {
        method: None,
        operation: operation.to_owned(),
        identity: None,
        params: [("id".to_owned(), "1".to_owned())].into_iter().collect(),
        headers: Default::default(),
        body: None,
        raw_body: None,
        expect: Default::default(),
        captures: Vec::new(),
        setup: false,
    }
}

/// Sends one `classroom.invitations.get` for invitation `1` to `url`, as the `teacher`
/// identity when `teacher_token` is given, with the client's `timeout`.
pub fn get_invitation(
    url: &str,
    teacher_token: Option<&str>,
    timeout: Duration,
) -> Result<contractor::run::Exchange, String> {
    let identities = contractor::run::Identities::new(
        teacher_token.map(|t| ("teacher".to_owned(), t.to_owned())),
    );
    let target = contractor::run::Target::new(url, identities, timeout).expect("target");
    let step = contractor::scenario::Step {
        identity: teacher_token.map(|_| "teacher".to_owned()),
        ..invitation_step("classroom.invitations.get")
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(contractor::run::send(
        &target,
        &classroom_api(),
        &step,
        &Default::default(),
    ))
    .map_err(|e| e.to_string())
}

/// Runs every scenario of `config` concurrently in process; returns (id, verdict) pairs.
pub fn run_suite(config: &Config) -> Vec<(String, Verdict)> {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let suite = Arc::new(Suite::load(config).expect("suite"));
    rt.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..suite.scenarios.len() {
            let suite = Arc::clone(&suite);
            tasks.spawn(async move {
                let s = &suite.scenarios[i];
                let verdict = if let Some(why) = &s.ignored {
                    Verdict::Broken(format!("ignored: {why}"))
                } else {
                    suite.run_scenario(s).await.verdict
                };
                (s.id.clone(), verdict)
            });
        }
        let mut out = Vec::new();
        while let Some(r) = tasks.join_next().await {
            out.push(r.expect("task"));
        }
        out
    })
}

/// Every failure of a run, as (check, `file#pointer` of the clause it names, followed by
/// ` schema POINTER` for a schema failure).
pub fn failure_sites(
    results: &[(String, Verdict)],
) -> std::collections::BTreeSet<(String, String)> {
    results
        .iter()
        .filter_map(|(_, v)| match v {
            Verdict::Failed(failures) => Some(failures),
            _ => None,
        })
        .flatten()
        .map(|(f, _)| {
            let mut site = format!("{}#{}", f.location.file.display(), f.location.pointer);
            if let Some(schema) = &f.schema_path {
                site.push_str(&format!(" schema {schema}"));
            }
            (f.check.to_owned(), site)
        })
        .collect()
}

/// The scenario `id` of a JSON report (`contractor run --json`).
pub fn reported<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {report}"))
}
