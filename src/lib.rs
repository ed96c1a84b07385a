//! contractor: OpenAPI contract testing.
//!
//! Data flows one way, `spec -> scenario -> run -> check -> report`, with `stub` beside them;
//! `suite` assembles the pieces and `harness` turns a suite into libtest-mimic trials.
//!
//! | module | owns | may import |
//! |---|---|---|
//! | [`error`] | setup errors (typed, each with where), diagnostics, locations, exit codes | nothing |
//! | [`config`] | settings from `contractor.toml`, `CONTRACTOR_*` and flags, merged by one `resolve` | error |
//! | [`spec`] | every input format, `$ref`s, the model, schemas (one interface), error codes | error |
//! | [`lint`] | the `lint` command: load many inputs, render a summary per file | spec, error |
//! | [`scenario`] | `Scenario` and `Step`, generation, the scenario-file format, synthesized values | spec, error |
//! | [`run`] | the HTTP client, identities, the safety gate, retries, Ctrl-C, `Exchange` | scenario, spec |
//! | [`check`] | the table of checks, which checks a run uses, the verdict on one scenario | run, scenario, spec, error |
//! | [`report`] | failure text, coverage, JUnit, JSON, GitHub annotations, progress bar, report files | check, run, scenario, spec, error |
//! | [`stub`] | the `Responder`, emulators, the spec-driven stub, mutants, adapters, the embedded target | spec, scenario, error |
//! | [`suite`] | a suite: load the API, gather scenarios, choose the target, run one scenario, replay | all but harness |
//! | [`harness`] | a suite as libtest-mimic trials, the run's records and reports | everything |
//!
//! Only `spec/` knows that Swagger 2.0, OpenAPI 3.0 and 3.1 exist: everything downstream reads
//! its model and its schema interface. Loading, generation, checks and rendering are
//! synchronous and pure but for reading files (and, only with `--fetch`, downloading them);
//! async lives where the network is (`run`, `stub`, and `suite` which drives them).
//!
//! ```no_run
//! let loaded = contractor::spec::load(
//!     "specs/google-classroom/apis.yaml".as_ref(),
//!     &contractor::spec::LoadOptions::default(),
//! )?;
//! for op in &loaded.apis[0].operations {
//!     println!("{} {} {}", op.id, op.method, op.path);
//! }
//! # Ok::<(), contractor::Error>(())
//! ```

pub mod check;
pub mod config;
pub mod error;
pub mod harness;
pub mod lint;
pub mod report;
pub mod run;
pub mod scenario;
pub mod spec;
pub mod stub;
pub mod suite;

pub use error::{Diagnostic, Error, Location, Severity};
pub use spec::Api;

/// Installs rustls' ring crypto provider for this process (needed before the first HTTPS
/// client is built); calling it again is harmless.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
