//! Turning outcomes into text, JUnit XML and JSON: one block per failure (title, `-->`
//! location, the request line, aligned expected and actual, the offending value, a `curl` line
//! with secrets masked), the coverage table, and the one-line summary. May import `check`,
//! `run`, `scenario` and `spec`.

pub mod github;
pub mod junit;
pub mod record;
pub mod summary;
mod text;

pub use record::{mask_url, Record, StepRecord};
pub use text::{curl, mask_header, render_failure};
