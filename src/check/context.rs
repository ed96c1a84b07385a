//! What a check knows besides the exchange, and what it reports.

use std::time::Duration;

use crate::error::Location;
use crate::run::Exchange;
pub use crate::scenario::Probe;
use crate::spec::{Api, Operation};

/// What the step that produced an exchange expected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expectation {
    /// The exact status the step expects, if it names one.
    pub status: Option<u16>,
    /// Further statuses it accepts as well as `status` (every documented 2xx of a success).
    pub other_statuses: Vec<u16>,
    /// Any status of this class (`4` for a documented `4XX`), when no exact one is named.
    pub status_range: Option<u8>,
    /// The Google error code the body's `error.status` must carry (`ALREADY_EXISTS`).
    pub error_code: Option<String>,
    /// The request error the message must start with, as `@Reason ` (`CourseNotModifiable`).
    pub reason: Option<String>,
    /// A value a listing must hold: the id of a resource the scenario created.
    pub contains: Option<String>,
    /// What the step probes on purpose.
    pub probe: Option<Probe>,
}

impl Expectation {
    /// Whether `status` is one the step names, when it names one.
    pub fn names(&self, status: u16) -> bool {
        self.status == Some(status) || self.other_statuses.contains(&status)
    }
}

/// What a check may read besides the exchange.
#[derive(Debug, Clone, Copy)]
pub struct CheckCtx<'a> {
    /// The API.
    pub api: &'a Api,
    /// The operation the request was for.
    pub operation: &'a Operation,
    /// What the step expected.
    pub expect: &'a Expectation,
    /// The response-time budget (`max_response_time` is off without one).
    pub max_response_time: Option<Duration>,
    /// For `use_after_free`: the resource was deleted before this request.
    pub after_delete: bool,
    /// For `ensure_resource_availability`: the resource was created before this request.
    pub after_create: bool,
    /// The exchanges of the scenario's earlier steps, in order (cleanup not included): what
    /// checks across requests read (a read after a create, the pages before this one).
    pub history: &'a [Exchange],
}

/// A check that did not hold: data, never an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The check's name (`status_code_conformance`).
    pub check: &'static str,
    /// A one-line title.
    pub title: String,
    /// Where in the spec the broken clause is.
    pub location: Location,
    /// What the contract says.
    pub expected: String,
    /// What happened.
    pub actual: String,
    /// For schema failures: the schema path and the instance path.
    pub schema_path: Option<String>,
    /// For schema failures: where in the body.
    pub instance_path: Option<String>,
}

impl Failure {
    /// A failure of `check` at `location`.
    pub fn new(
        check: &'static str,
        title: impl Into<String>,
        location: Location,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) -> Failure {
        Failure {
            check,
            title: title.into(),
            location,
            expected: expected.into(),
            actual: actual.into(),
            schema_path: None,
            instance_path: None,
        }
    }

    /// The key failures are de-duplicated on: the check and the schema location.
    pub fn dedup_key(&self) -> (String, String) {
        (
            self.check.to_owned(),
            format!(
                "{}#{}",
                self.location,
                self.schema_path.as_deref().unwrap_or("")
            ),
        )
    }
}
