//! contractor: OpenAPI contract testing.
//!
//! Data flows one way: `spec -> scenario -> run -> check -> report`, with `stub` beside them.
//!
//! | module | owns | may import |
//! |---|---|---|
//! | [`error`] | setup errors, diagnostics, locations, exit codes | nothing |
//! | [`spec`] | loading every input format, `$ref`s, the model, schemas, error codes | error |
//! | [`lint`] | the `lint` command: load many inputs, render a summary per file | spec, error |
//!
//! Later modules (`scenario`, `run`, `check`, `report`, `stub`, the harness) read only the
//! model in [`spec`]: nothing outside `spec/` knows Swagger 2.0, OpenAPI 3.0 or 3.1 exist.
//! Loading is synchronous and pure apart from reading files (and, only with `--fetch`,
//! downloading them).
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
