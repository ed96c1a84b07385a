//! Checks: one table of pure functions, each `fn(&CheckCtx, &Exchange) -> Result<(), Failure>`,
//! listed once in [`CHECKS`] so the CLI can switch them on and off by name. No I/O, no clock:
//! `elapsed` arrives inside the exchange. Also which checks a run uses, and the verdict on one
//! scenario's exchanges, failures de-duplicated. May import `run`, `scenario`, `spec` and `error`.

// A check returns its `Failure` by value, as the table's signature says: failures are few and
// the happy path is `Ok(())`, so boxing would buy nothing.
#![allow(clippy::result_large_err)]

mod content_type_conformance;
mod context;
mod ensure_resource_availability;
mod error_code_conformance;
mod ignored_auth;
mod list_filter_conformance;
mod max_response_time;
mod missing_required_header;
mod negative_data_rejection;
mod not_a_server_error;
mod pagination_conformance;
mod positive_data_acceptance;
mod response_echoes_request;
mod response_headers_conformance;
mod response_schema_conformance;
mod select;
mod status_code_conformance;
mod support;
mod table;
mod unsupported_method;
mod use_after_free;
mod verdict;

pub use context::{CheckCtx, Expectation, Failure, Probe};
pub use select::{narrow, select};
pub use table::{evaluate, find, Check, CheckFn, CHECKS};
pub use verdict::{exchanges_of, Failures, Judge, SetupFailure, Verdict};
