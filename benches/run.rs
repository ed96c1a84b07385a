//! Scenario throughput against a bare reqwest loop, in one run.
//!
//! `cargo bench --bench run` serves the Classroom emulator on the hyper adapter (a fresh one
//! each round, so every round starts from the fixture), runs the shipped suite ROUNDS times
//! with CONCURRENCY scenarios at once, checks on, and records every request sent. It then
//! sends exactly those requests again with a bare reqwest loop at the same concurrency, with
//! no scenario logic and no checks. It prints requests per second for both and the ratio.
//! Target (issue 4): contractor at 50% or more of the bare loop.
//!
//! Peer: when Schemathesis is installed (`st` or `schemathesis` on PATH), the bench also runs
//! `st run` on the shipped spec against a fresh emulator, counts the requests the emulator
//! answered, and prints Schemathesis's requests per second (start-up included) beside ours.
//! Without it the bench says "not measured": no figure is assumed.
//! `BENCH_ROUNDS` (default 40) and `BENCH_CONCURRENCY` (default 8) change the load.
//!
//! Every check is on: the default ones and `max_response_time` (with a 10 s budget, which no
//! answer here comes near, so it runs on every exchange without failing).
//!
//! Time to verdict (issue 10): the whole generated suite of a corpus spec (`BENCH_SPEC`,
//! default `../shared/corpus/openapi3/swagger-petstore-v3.yaml`), spec loading included,
//! against the spec-driven stub, then `st run --checks all` on the same spec against the same
//! stub (fresh state), each timed from start to exit. It prints both and their ratio, or
//! says why it was not measured.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use contractor::check::Verdict;
use contractor::config::Config;
use contractor::run::SentRequest;
use contractor::stub::http::HttpStub;
use contractor::stub::{Responder, StubRequest, StubResponse};
use contractor::suite::Suite;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    contractor::install_crypto_provider();
    let rounds = env("BENCH_ROUNDS", 40);
    let concurrency = env("BENCH_CONCURRENCY", 8).max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let every_check = Config {
        max_response_time: Some(Duration::from_secs(10)),
        ..Config::default()
    };
    let suite = Arc::new(Suite::load(&every_check).expect("the shipped suite loads"));
    let scenarios = suite.scenarios.len();
    let (sent, lane_time, failed) = runtime.block_on(run_contractor(&suite, rounds, concurrency));
    let bare_time = runtime.block_on(run_bare(&suite, &sent, concurrency));

    // Throughput of parallel lanes: the sum of each lane's own rate.
    let rate = |lanes: &[(usize, Duration)]| -> f64 {
        lanes
            .iter()
            .map(|(n, t)| *n as f64 / t.as_secs_f64().max(1e-9))
            .sum()
    };
    let ours = rate(&lane_time);
    let bare = rate(&bare_time);
    println!("{rounds} rounds x {scenarios} scenarios, {} requests, concurrency {concurrency}, {failed} scenario(s) not passed", sent.len());
    println!("{:<34} {:>12}", "", "requests/s");
    println!("{:<34} {:>12.0}", "contractor (scenarios + checks)", ours);
    println!("{:<34} {:>12.0}", "bare reqwest loop (same requests)", bare);
    println!(
        "ratio contractor / bare: {:.0}%  (target: 50% or more)",
        100.0 * ours / bare
    );
    match runtime.block_on(schemathesis(&suite)) {
        Ok((requests, rate)) => {
            println!("{:<34} {:>12.0}", "schemathesis (st run)", rate);
            println!(
                "ratio contractor / schemathesis: {:.1}x  ({requests} requests)",
                ours / rate
            );
        }
        Err(why) => println!("schemathesis: not measured ({why})"),
    }
    match runtime.block_on(time_to_verdict(concurrency)) {
        Ok(line) => println!("{line}"),
        Err(why) => println!("time to verdict: not measured ({why})"),
    }
}

/// Every runnable scenario of `suite` against `target`, `concurrency` at a time.
async fn every_scenario(
    suite: &Arc<Suite>,
    target: &Arc<contractor::run::Target>,
    concurrency: usize,
) {
    let next = Arc::new(AtomicUsize::new(0));
    let mut lanes = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (suite, target, next) = (Arc::clone(suite), Arc::clone(target), Arc::clone(&next));
        lanes.spawn(async move {
            while let Some(scenario) = suite.scenarios.get(next.fetch_add(1, Ordering::Relaxed)) {
                if scenario.ignored.is_none() {
                    suite.run_on(&target, scenario).await;
                }
            }
        });
    }
    while let Some(done) = lanes.join_next().await {
        done.expect("lane");
    }
}

/// `st run --checks all` on `spec` against `url`, with the spec-driven stub's credentials;
/// its exit status.
async fn st_run(
    st: &'static str,
    spec: &std::path::Path,
    url: String,
) -> Result<std::process::ExitStatus, String> {
    let spec_arg = spec.display().to_string();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(st)
            .args(["run", &spec_arg, "--url", &url, "--checks", "all"])
            .args(["--header", "Authorization: Bearer contractor"])
            .args(["--header", "api_key: contractor"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
    })
    .await
    .map_err(|e| format!("{st} did not finish: {e}"))?
    .map_err(|e| format!("failed to run {st}: {e}"))
}

/// `st` or `schemathesis`, whichever runs, or why neither does.
fn schemathesis_command() -> Result<&'static str, String> {
    let runs = |name: &str| {
        std::process::Command::new(name)
            .arg("--version")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    ["st", "schemathesis"]
        .into_iter()
        .find(|n| runs(n))
        .ok_or_else(|| {
            "Schemathesis is not installed: no `st` or `schemathesis` on PATH".to_owned()
        })
}

/// The whole generated suite of a corpus spec against the spec-driven stub, and Schemathesis
/// on the same spec against the same stub, each timed from start to verdict.
async fn time_to_verdict(concurrency: usize) -> Result<String, String> {
    let spec = std::env::var("BENCH_SPEC").map_or_else(
        |_| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/corpus/openapi3/swagger-petstore-v3.yaml")
        },
        std::path::PathBuf::from,
    );
    if !spec.is_file() {
        return Err(format!("{} is absent", spec.display()));
    }
    let st = schemathesis_command()?;
    let config = Config {
        spec: Some(spec.clone()),
        seed: Some(1),
        max_response_time: Some(Duration::from_secs(10)),
        ..Config::default()
    };
    let load = || Suite::load(&config).map_err(|e| e.to_string());
    let counted = |suite: &Suite, count: &Arc<AtomicUsize>| {
        Arc::new(Counting {
            inner: suite.responder().expect("the spec-driven stub"),
            count: Arc::clone(count),
        })
    };
    let ours_count = Arc::new(AtomicUsize::new(0));
    let stub = HttpStub::start(
        "127.0.0.1:0".parse().expect("addr"),
        counted(&load()?, &ours_count),
    )
    .await
    .map_err(|e| e.to_string())?;
    let start = Instant::now();
    let suite = Arc::new(load()?);
    let target = Arc::new(suite.target(&stub.url()));
    every_scenario(&suite, &target, concurrency).await;
    let ours = start.elapsed();
    stub.shutdown().await;

    let their_count = Arc::new(AtomicUsize::new(0));
    let fresh = load()?;
    let stub = HttpStub::start(
        "127.0.0.1:0".parse().expect("addr"),
        counted(&fresh, &their_count),
    )
    .await
    .map_err(|e| e.to_string())?;
    let url = format!(
        "{}{}",
        stub.url(),
        fresh.api.base_path().unwrap_or_default()
    );
    let start = Instant::now();
    let status = st_run(st, &spec, url).await?;
    let theirs = start.elapsed();
    stub.shutdown().await;
    let their_requests = their_count.load(Ordering::Relaxed);
    if their_requests == 0 {
        return Err(format!(
            "`{st} run` sent no request (it exited with {status})"
        ));
    }
    let name = spec
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    Ok(format!(
        "time to verdict on {name}: contractor {:.2} s ({} scenarios, {} requests), \
         schemathesis {:.2} s ({their_requests} requests); \
         ratio schemathesis / contractor: {:.1}x",
        ours.as_secs_f64(),
        suite.scenarios.len(),
        ours_count.load(Ordering::Relaxed),
        theirs.as_secs_f64(),
        theirs.as_secs_f64() / ours.as_secs_f64().max(1e-9)
    ))
}

/// Counts the requests a responder answers.
struct Counting {
    inner: Arc<dyn Responder>,
    count: Arc<AtomicUsize>,
}

impl Responder for Counting {
    fn respond(&self, request: &StubRequest) -> StubResponse {
        self.count.fetch_add(1, Ordering::Relaxed);
        self.inner.respond(request)
    }
}

/// Schemathesis's rate against a fresh emulator, measured now: the requests the emulator
/// answered during one `st run` over the run's wall-clock time. An error says why it was not
/// measured.
async fn schemathesis(suite: &Suite) -> Result<(usize, f64), String> {
    let st = schemathesis_command()?;
    let count = Arc::new(AtomicUsize::new(0));
    let responder = Counting {
        inner: suite.responder().expect("embedded emulator"),
        count: Arc::clone(&count),
    };
    let stub = HttpStub::start("127.0.0.1:0".parse().expect("addr"), Arc::new(responder))
        .await
        .map_err(|e| format!("failed to start the emulator: {e}"))?;
    let spec = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/specs/google-classroom/invitations.yaml"
    );
    let start = Instant::now();
    let url = stub.url();
    // `st run` blocks; the emulator keeps serving on the runtime's other threads.
    let status = tokio::task::spawn_blocking(move || {
        std::process::Command::new(st)
            .args(["run", spec, "--url", &url])
            .args(["--header", "Authorization: Bearer fixture-token-teacher"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
    })
    .await
    .map_err(|e| format!("{st} did not finish: {e}"))?
    .map_err(|e| format!("failed to run {st}: {e}"))?;
    let elapsed = start.elapsed();
    stub.shutdown().await;
    let requests = count.load(Ordering::Relaxed);
    if requests == 0 {
        return Err(format!(
            "`{st} run` sent no request (it exited with {status})"
        ));
    }
    Ok((requests, requests as f64 / elapsed.as_secs_f64().max(1e-9)))
}

/// contractor: scenarios, variables, captures, cleanup and every check. CONCURRENCY lanes,
/// each running the suite in order against its own emulator, fresh every round; only the
/// time spent running scenarios counts (not starting or stopping stubs). Returns every request
/// sent, each lane's (requests, busy time), and the scenarios that did not pass.
async fn run_contractor(
    suite: &Arc<Suite>,
    rounds: usize,
    concurrency: usize,
) -> (Vec<SentRequest>, Vec<(usize, Duration)>, usize) {
    let mut lanes = tokio::task::JoinSet::new();
    for lane in 0..concurrency {
        let suite = Arc::clone(suite);
        lanes.spawn(async move {
            let mut sent: Vec<SentRequest> = Vec::new();
            let mut busy = Duration::ZERO;
            let mut failed = 0;
            for _ in (lane..rounds).step_by(concurrency) {
                let responder = suite.responder().expect("embedded emulator");
                let stub = HttpStub::start("127.0.0.1:0".parse().expect("addr"), responder)
                    .await
                    .expect("stub");
                let target = suite.target(&stub.url());
                let start = Instant::now();
                for scenario in &suite.scenarios {
                    let contractor::suite::Ran {
                        verdict, exchanges, ..
                    } = suite.run_on(&target, scenario).await;
                    if !matches!(verdict, Verdict::Passed) {
                        failed += 1;
                    }
                    sent.extend(exchanges.into_iter().map(|(_, e)| e.request));
                }
                busy += start.elapsed();
                stub.shutdown().await;
            }
            (sent, busy, failed)
        });
    }
    let mut all = Vec::new();
    let mut lane_time = Vec::new();
    let mut failed = 0;
    while let Some(done) = lanes.join_next().await {
        let (sent, busy, f) = done.expect("lane");
        lane_time.push((sent.len(), busy));
        all.extend(sent);
        failed += f;
    }
    (all, lane_time, failed)
}

/// The bare loop: the same requests, the same concurrency, nothing else. Returns each
/// worker's (requests, time).
async fn run_bare(
    suite: &Suite,
    sent: &[SentRequest],
    concurrency: usize,
) -> Vec<(usize, Duration)> {
    let responder = suite.responder().expect("embedded emulator");
    let stub = HttpStub::start("127.0.0.1:0".parse().expect("addr"), responder)
        .await
        .expect("stub");
    let base = stub.url();
    let client = reqwest::Client::new();
    let requests: Arc<Vec<SentRequest>> = Arc::new(sent.to_vec());
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..concurrency {
        let (client, requests, base) = (client.clone(), Arc::clone(&requests), base.clone());
        tasks.spawn(async move {
            let start = Instant::now();
            let mut count = 0;
            for r in requests.iter().skip(worker).step_by(concurrency) {
                count += 1;
                // Same path and query, against this round's stub.
                let path = r.url.splitn(4, '/').nth(3).unwrap_or("");
                let method = reqwest::Method::from_bytes(r.method.as_bytes()).expect("method");
                let mut b = client.request(method, format!("{base}/{path}"));
                for (k, v) in &r.headers {
                    b = b.header(k, v);
                }
                if let Some(body) = &r.body {
                    b = b.body(body.clone());
                }
                let response = b.send().await.expect("send");
                let _ = response.bytes().await.expect("body");
            }
            (count, start.elapsed())
        });
    }
    let mut worker_time = Vec::new();
    while let Some(done) = tasks.join_next().await {
        worker_time.push(done.expect("worker"));
    }
    stub.shutdown().await;
    worker_time
}
