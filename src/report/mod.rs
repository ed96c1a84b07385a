//! Turning outcomes into text, JUnit XML and JSON: one block per failure (title, `-->`
//! location, the request line, aligned expected and actual, the offending value, a `curl` line
//! with secrets masked), the coverage table, the one-line summary, the progress bar on a
//! terminal, and report files (written atomically, read back for replay). May import `check`,
//! `run`, `scenario`, `spec` and `error`.

pub mod files;
pub mod github;
pub mod junit;
pub mod outcome;
pub mod progress;
pub mod record;
pub mod summary;
mod text;

pub use files::LAST_RUN;
pub use record::{mask_url, Record, StepRecord};
pub use text::{curl, mask_header, render_failure};
