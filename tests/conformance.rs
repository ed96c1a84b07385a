//! The conformance suite as cargo tests: one libtest-mimic trial per scenario.
//!
//! `cargo test --test conformance` runs the shipped Classroom suite against the embedded
//! emulator. Settings come from `contractor.toml` and the `CONTRACTOR_*` environment, merged
//! by the same `contractor::config::resolve` as `contractor run`: `CONTRACTOR_TARGET` runs
//! against a real target, `CONTRACTOR_SPEC` picks another spec, `CONTRACTOR_SCENARIOS` another
//! scenario folder, `CONTRACTOR_FIXTURE` the target's users and courses. Filters, `--list`,
//! `--skip`, `--exact`, `--ignored` and `--test-threads` work, and so does `cargo nextest run`.

use std::process::ExitCode;

fn main() -> ExitCode {
    // The runtime is built inside `harness::run`, in this plain main: a `#[tokio::main]`
    // around libtest-mimic breaks `--test-threads 1`.
    let args = libtest_mimic::Arguments::from_args();
    let flags = contractor::config::Flags::default();
    match contractor::config::resolve(&flags, contractor::config::process_env) {
        Ok(config) => ExitCode::from(contractor::harness::run(&config, &args) as u8),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
