//! Requests per second and memory of the stub's two adapters under a loopback load generator.
//!
//! `cargo bench --bench stub` serves [`responder`] in-process, first with the hyper adapter
//! (`contractor stub`), then with the wiremock adapter, and drives each with
//! `wrk -t2 -c32 -dNs http://127.0.0.1:PORT/v1/invitations/1`, sampling this process's RSS
//! before and after. The hyper adapter then serves a long phase in rounds of wrk, printing RSS
//! after each round to show it stays flat. Wiremock runs last because it keeps every request it
//! matched, and the memory it takes would cloud the hyper figures.
//!
//! Environment: `BENCH_SECONDS` (default 10) is the length of one wrk run; `BENCH_REQUESTS`
//! (default 1,000,000) is the length of the long phase. Needs `wrk` (Debian package `wrk`); the
//! bench tries `apt-get install -y wrk` and skips, exiting 0, if that fails.
//!
//! Peer: when Prism is installed (`prism` on PATH, or `npx --no-install @stoplight/prism-cli`),
//! the bench starts `prism mock` on the shipped spec and drives the same GET with the same wrk,
//! in the same run, and prints hyper's ratio to it and whether hyper meets the target of 10x
//! Prism (issue: stub speed). Without Prism it says "not measured": no figure is assumed.

use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::Duration;

use contractor::stub::http::HttpStub;
use contractor::stub::wiremock_adapter::serve_wiremock;
use contractor::stub::{Responder, StubRequest, StubResponse};
use serde_json::json;

/// The responder under load: the Classroom emulator with one invitation, read by its invitee
/// (authentication, routing, permission checks and JSON rendering on every request).
fn responder() -> Arc<dyn Responder> {
    let emulator = contractor::stub::Emulator::shipped();
    let created = emulator.respond(&StubRequest {
        method: "POST".to_owned(),
        path: "/v1/invitations".to_owned(),
        query: Vec::new(),
        headers: vec![(
            "authorization".to_owned(),
            "Bearer fixture-token-teacher".to_owned(),
        )],
        body: json!({"userId": "100005", "courseId": "200001", "role": "STUDENT"})
            .to_string()
            .into_bytes(),
    });
    assert_eq!(created.status, 200, "the fixture invitation is created");
    Arc::new(emulator)
}

/// The invitee's token, sent by wrk.
const AUTHORIZATION: &str = "Authorization: Bearer fixture-token-invitee";

/// A minimal responder, kept for comparing the adapters without the emulator's work.
#[allow(dead_code)]
fn bare_responder() -> Arc<dyn Responder> {
    Arc::new(OneInvitation)
}

/// Answers `GET /v1/invitations/{id}` with a small invitation, like an emulator's read of one
/// resource; anything else is a 404.
struct OneInvitation;

impl Responder for OneInvitation {
    fn respond(&self, request: &StubRequest) -> StubResponse {
        match request.path.strip_prefix("/v1/invitations/") {
            Some(id) if request.method == "GET" && !id.contains('/') => StubResponse::json(
                200,
                &json!({
                    "id": id,
                    "courseId": "10001",
                    "userId": "student-1@example.edu",
                    "role": "STUDENT",
                }),
            ),
            _ => StubResponse::json(
                404,
                &json!({ "error": { "code": 404, "status": "NOT_FOUND" } }),
            ),
        }
    }
}

const PATH: &str = "/v1/invitations/300000001";

fn main() -> ExitCode {
    if !ensure_wrk() {
        println!("stub bench skipped: wrk is not installed and `apt-get install -y wrk` failed");
        return ExitCode::SUCCESS;
    }
    let seconds = env_number("BENCH_SECONDS", 10).max(1);
    let long_requests = env_number("BENCH_REQUESTS", 1_000_000);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "stub bench: wrk -t2 -c32 -d{seconds}s {PATH}; {cores} cores shared by wrk and the \
         server; long phase {long_requests} requests"
    );
    match run(seconds, long_requests) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("stub bench failed: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(seconds: u64, long_requests: u64) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("failed to build the runtime: {e}"))?;

    // hyper: the short run, then the long phase on the same server.
    let before = rss_kib();
    let stub = runtime
        .block_on(HttpStub::start("127.0.0.1:0".parse().unwrap(), responder()))
        .map_err(|e| format!("failed to start the hyper stub: {e}"))?;
    let url = format!("{}{PATH}", stub.url());
    warm_up(&url)?;
    let hyper_run = wrk(&url, seconds)?;
    let hyper = Row::new("hyper", hyper_run, before, rss_kib());
    println!("hyper: {:.0} req/s", hyper.run.rps);
    let long = long_phase(&url, seconds, long_requests)?;
    runtime.block_on(stub.shutdown());

    // wiremock: its own thread and single-threaded runtime, as wiremock always runs.
    let before = rss_kib();
    let server = runtime.block_on(serve_wiremock(responder()));
    let url = format!("{}{PATH}", server.uri());
    warm_up(&url)?;
    let wiremock_run = wrk(&url, seconds)?;
    let wiremock = Row::new("wiremock", wiremock_run, before, rss_kib());
    println!("wiremock: {:.0} req/s", wiremock.run.rps);
    drop(server);

    println!();
    println!(
        "{:<9} {:>10} {:>10} {:>11} {:>11} {:>10}",
        "adapter", "req/s", "requests", "RSS before", "RSS after", "B/request"
    );
    for row in [&hyper, &wiremock] {
        println!("{}", row.line());
    }
    if let Some(long) = long {
        println!("{long}");
    }
    println!("(wiremock serves from one thread of its own; hyper from the bench's runtime)");
    println!();
    println!("hyper / wiremock: {:.1}x", hyper.run.rps / wiremock.run.rps);
    match prism(seconds) {
        Ok(prism) => {
            println!("prism: {:.0} req/s", prism.rps);
            println!("hyper / Prism: {:.1}x", hyper.run.rps / prism.rps);
            let target = 10.0 * prism.rps;
            let verdict = if hyper.run.rps >= target {
                "met"
            } else {
                "not met"
            };
            println!(
                "10x Prism target: {} req/s: {verdict}",
                thousands(target as u64)
            );
        }
        Err(why) => println!("prism: not measured ({why})"),
    }
    Ok(())
}

/// Runs wrk in rounds against the hyper stub until `total` requests are served, printing RSS
/// after each round; returns a one-line verdict on the growth.
fn long_phase(url: &str, seconds: u64, total: u64) -> Result<Option<String>, String> {
    if total == 0 {
        return Ok(None);
    }
    println!("hyper long phase: {} requests", thousands(total));
    let mut served: u64 = 0;
    let mut first = None;
    let mut round = 0;
    let mut rates: Vec<f64> = Vec::new();
    while served < total {
        round += 1;
        // Size the last rounds to what is left, at the last round's rate.
        let left = match rates.last() {
            Some(&rps) if rps > 0.0 => ((total - served) as f64 / rps).ceil() as u64,
            _ => seconds,
        };
        let run = wrk(url, left.clamp(1, seconds))?;
        if run.requests == 0 {
            return Err("wrk served no request in a long-phase round".to_owned());
        }
        served += run.requests;
        rates.push(run.rps);
        let rss = rss_kib();
        println!(
            "  round {round:>3}: {:>10} requests so far, {:>8.0} req/s, RSS {}",
            thousands(served),
            run.rps,
            mib(rss)
        );
        // The first round warms allocator and connection state; growth is measured after it.
        first.get_or_insert((served, rss));
    }
    let (start_served, start_rss) = first.unwrap_or((0, 0));
    let last_rss = rss_kib();
    let grown = last_rss.saturating_sub(start_rss) * 1024;
    let requests = served.saturating_sub(start_served).max(1);
    let flat = grown <= 4 * 1024 * 1024;
    rates.sort_by(f64::total_cmp);
    Ok(Some(format!(
        "hyper long phase: {} requests at a median {:.0} req/s a round, RSS {} after round 1, \
         {} after round {round} ({:+.3} B/request): {}",
        thousands(served),
        rates[rates.len() / 2],
        mib(start_rss),
        mib(last_rss),
        grown as f64 / requests as f64,
        if flat { "flat" } else { "growing" },
    )))
}

struct Row {
    adapter: &'static str,
    run: WrkRun,
    before: u64,
    after: u64,
}

impl Row {
    fn new(adapter: &'static str, run: WrkRun, before: u64, after: u64) -> Row {
        Row {
            adapter,
            run,
            before,
            after,
        }
    }

    fn line(&self) -> String {
        let grown = self.after.saturating_sub(self.before) * 1024;
        format!(
            "{:<9} {:>10.0} {:>10} {:>11} {:>11} {:>10.1}",
            self.adapter,
            self.run.rps,
            self.run.requests,
            mib(self.before),
            mib(self.after),
            grown as f64 / self.run.requests.max(1) as f64,
        )
    }
}

/// One second of load before a measured run, so it sees warm caches and connections.
fn warm_up(url: &str) -> Result<(), String> {
    wrk(url, 1).map(drop)
}

/// Prism's rate for the same GET, measured now: `prism mock` on the shipped spec, warmed up,
/// then the same wrk run. An error says why it was not measured.
fn prism(seconds: u64) -> Result<WrkRun, String> {
    let Some(command) = prism_command() else {
        return Err(
            "Prism is not installed: no `prism` on PATH, no `npx --no-install @stoplight/prism-cli`"
                .to_owned(),
        );
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("failed to find a free port: {e}"))?
        .port();
    let spec = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/specs/google-classroom/invitations.yaml"
    );
    let child = Command::new(command[0])
        .args(&command[1..])
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string(), spec])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("failed to start Prism: {e}"))?;
    let _stop = StopGroup(child.id());
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(60) {
            return Err("Prism did not listen within 60 s".to_owned());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let url = format!("http://127.0.0.1:{port}{PATH}");
    warm_up(&url)?;
    wrk(&url, seconds)
}

/// How to run Prism here, if it is installed.
fn prism_command() -> Option<&'static [&'static str]> {
    let runs = |command: &[&str]| {
        Command::new(command[0])
            .args(&command[1..])
            .arg("--version")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    const CANDIDATES: [&[&str]; 2] = [&["prism"], &["npx", "--no-install", "@stoplight/prism-cli"]];
    CANDIDATES.into_iter().find(|c| runs(c))
}

/// Stops, when dropped, the process group the bench started Prism in (npx runs Prism as a
/// child of its own, so the group is what holds both).
struct StopGroup(u32);

impl Drop for StopGroup {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.0)])
            .status();
    }
}

struct WrkRun {
    requests: u64,
    rps: f64,
}

/// Runs `wrk -t2 -c32` for `seconds` and reads its totals; a run with non-2xx answers is an
/// error, since its rate would not be the rate of the route under test.
fn wrk(url: &str, seconds: u64) -> Result<WrkRun, String> {
    let output = Command::new("wrk")
        .args([
            "-t2",
            "-c32",
            "-H",
            AUTHORIZATION,
            &format!("-d{seconds}s"),
            url,
        ])
        .output()
        .map_err(|e| format!("failed to run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("wrk exited with {}: {text}{stderr}", output.status));
    }
    let mut requests = None;
    let mut rps = None;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("Requests/sec:") {
            rps = rest.trim().parse::<f64>().ok();
        } else if line.contains(" requests in ") {
            requests = line.split_whitespace().next().and_then(|n| n.parse().ok());
        } else if line.starts_with("Non-2xx") {
            return Err(format!(
                "the responder answered {line}: is {url} its route?"
            ));
        } else if line.starts_with("Socket errors") {
            println!("  note: wrk reports {line}");
        }
    }
    match (requests, rps) {
        (Some(requests), Some(rps)) => Ok(WrkRun { requests, rps }),
        _ => Err(format!("failed to read wrk's output:\n{text}")),
    }
}

/// Whether wrk runs, installing it with apt-get (updating the lists once if needed) if not.
fn ensure_wrk() -> bool {
    let present = || {
        Command::new("wrk")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    };
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if present() {
        return true;
    }
    println!("wrk not found: trying apt-get install -y wrk");
    if apt(&["install", "-y", "wrk"]) {
        return present();
    }
    apt(&["update"]) && apt(&["install", "-y", "wrk"]) && present()
}

/// This process's resident set size in KiB (0 where `/proc` is unavailable).
fn rss_kib() -> u64 {
    // Let freed memory settle before sampling.
    std::thread::sleep(Duration::from_millis(200));
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace(['_', ','], "").parse().ok())
        .unwrap_or(default)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
