//! Turning outcomes into text: one block per failure (title, `-->` location, the request line,
//! aligned expected and actual, the offending value, a `curl` line with secrets masked). May
//! import `check`, `run`, `scenario` and `spec`.

mod text;

pub use text::{curl, mask_header, render_failure};
