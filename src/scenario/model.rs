//! Scenarios: what one test proves (an operation's documented outcome), the steps that prove
//! it, and the cleanup that always runs.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde_json::Value;

/// The identity generated scenarios send a wrong credential as (`invalid_credentials`).
pub const INVALID_IDENTITY: &str = "invalid";

/// The invalid identity's credential unless the run is given one: well-formed for every
/// scheme (base64 characters make a bearer token and an API key; they are
/// `contractor:invalid` for Basic) and issued by no one.
pub const INVALID_CREDENTIAL: &str = "Y29udHJhY3RvcjppbnZhbGlk";

/// What a scenario proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A documented success or redirect status (2xx, 3xx).
    Success(u16),
    /// A documented error code, with its HTTP status and optionally a named reason.
    ErrorCode {
        /// `ALREADY_EXISTS`, or a bare status such as `404` when no code is documented.
        name: String,
        /// The HTTP status it comes with.
        status: Option<u16>,
        /// `CourseNotModifiable`.
        reason: Option<String>,
    },
    /// Create, read, list, delete, read again: the resource lifecycle.
    Lifecycle,
    /// Create more items than a page holds, then walk the list's pages.
    Pagination,
    /// A coverage probe beside the documented outcomes: `negative`, `boundary`,
    /// `unsupported_method` or `examples`.
    Coverage(String),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Success(s) => write!(f, "{s}"),
            Outcome::ErrorCode {
                name,
                reason: Some(r),
                ..
            } => write!(f, "{name}.{r}"),
            Outcome::ErrorCode { name, .. } => f.write_str(name),
            Outcome::Lifecycle => f.write_str("lifecycle"),
            Outcome::Pagination => f.write_str("pagination"),
            Outcome::Coverage(kind) => f.write_str(kind),
        }
    }
}

/// Where a scenario came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Generated from the spec.
    Generated,
    /// Written in a scenario file.
    File {
        /// The file.
        path: PathBuf,
        /// The line of the scenario's entry, when known.
        line: Option<u64>,
    },
}

/// What a scenario needs and does, for filtering and safety.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    /// It creates, changes or deletes something.
    pub mutates: bool,
    /// Identities it sends requests as.
    pub identities: Vec<String>,
    /// Fixture values it names.
    pub fixtures: Vec<String>,
}

/// What a step probes on purpose besides its expected status: the probes that the
/// Schemathesis-named checks judge (`negative_data_rejection`, `positive_data_acceptance`,
/// `missing_required_header`, `unsupported_method`, `ignored_auth`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// The request carries exactly one fault, everything else valid: it must be refused with
    /// a 4xx.
    Negative {
        /// Where the fault is (`query.limit`, `body.name`, `header.api_key`).
        field: String,
        /// What the fault is (`above-maximum`, `wrong-type`, `missing`).
        fault: String,
    },
    /// A valid request (at a boundary, or drawn at random): it must not be refused.
    Positive {
        /// The field the value is chosen for (`query.limit`), or empty for a whole request.
        field: String,
        /// Which value (`minimum`, `maximum`, `enum-sold`, `null`, `empty`).
        value: String,
    },
    /// A required header left out: it must be refused with a 4xx.
    MissingHeader {
        /// The header's name.
        name: String,
    },
    /// A method the path does not declare: it must get 405 with an `Allow` that lists
    /// exactly the methods the path declares.
    UnsupportedMethod {
        /// The methods the path declares, uppercase.
        allowed: Vec<String>,
    },
    /// A credential no one issued: it must not be accepted.
    InvalidAuth,
}

/// What a step expects of its response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepExpect {
    /// The exact status.
    pub status: Option<u16>,
    /// Further statuses that meet the expectation as well as `status`: a valid request may get
    /// any documented 2xx (201 where 200 and 201 are documented), so a success accepts each.
    pub other_statuses: Vec<u16>,
    /// Any status of this class (`4` for a documented `4XX`), when no exact one is named.
    pub status_range: Option<u8>,
    /// The Google error code in the body.
    pub error_code: Option<String>,
    /// The `@Reason ` the message starts with.
    pub reason: Option<String>,
    /// Checks to run (none: all enabled ones).
    pub checks: Option<Vec<String>>,
    /// The step reads a resource created earlier in the scenario.
    pub after_create: bool,
    /// The step reads a resource deleted earlier in the scenario.
    pub after_delete: bool,
    /// A value (with `${var}`s) the response must hold: a listing holds the created id.
    pub contains: Option<String>,
    /// What the step probes on purpose, for the checks that judge probes.
    pub probe: Option<Probe>,
}

impl StepExpect {
    /// Whether a response of `status` is one the step expects: its status or one of the
    /// others, or any status when it names none.
    pub fn accepts(&self, status: u16) -> bool {
        self.status
            .is_none_or(|s| s == status || self.other_statuses.contains(&status))
    }
}

/// The statuses a step accepts, for messages: `200`, `200 or 201`, `200, 201 or 202`.
pub fn any_of(first: u16, others: &[u16]) -> String {
    let all: Vec<String> = std::iter::once(first)
        .chain(others.iter().copied())
        .map(|s| s.to_string())
        .collect();
    match all.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => first.to_string(),
    }
}

/// Where a captured variable comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureFrom {
    /// A JSON pointer into the response body.
    Body(String),
    /// A response header.
    Header(String),
}

/// One request of a scenario. Strings may hold `${var}` (fixtures, captures).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Step {
    /// The operation it calls.
    pub operation: String,
    /// A method to send instead of the operation's, for a probe of a method its path does
    /// not declare (uppercase).
    pub method: Option<String>,
    /// Who sends it (an identity name), or `None` for no credentials.
    pub identity: Option<String>,
    /// Path and query parameters by name.
    pub params: BTreeMap<String, String>,
    /// Extra headers.
    pub headers: BTreeMap<String, String>,
    /// A JSON body.
    pub body: Option<Value>,
    /// The raw body, for requests that break JSON on purpose.
    pub raw_body: Option<String>,
    /// What it expects.
    pub expect: StepExpect,
    /// Variables to capture from the response.
    pub captures: Vec<(String, CaptureFrom)>,
    /// A setup step: it creates what the call under test needs. When it fails, the scenario
    /// fails as blocked by its setup, and later scenarios whose setup fails the same way on
    /// the same operation are reported blocked by the first, not as fresh failures.
    pub setup: bool,
}

/// One test: an operation's documented outcome and the steps that prove it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// `{operationId}::{outcome}::{variant}`.
    pub id: String,
    /// The operation it proves an outcome of.
    pub operation: String,
    /// The outcome.
    pub outcome: Outcome,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Steps that always run afterwards, after a failure too.
    pub cleanup: Vec<Step>,
    /// What it needs and does.
    pub tags: Tags,
    /// Where it came from.
    pub origin: Origin,
    /// When set, the scenario cannot run, and why (it is listed, reported ignored, never passed).
    pub ignored: Option<String>,
}

impl Scenario {
    /// The stable id for an operation, outcome and variant.
    pub fn make_id(operation: &str, outcome: &Outcome, variant: &str) -> String {
        format!("{operation}::{outcome}::{variant}")
    }
}

/// The `fixtures.NAME` values that `steps` and `cleanup` use, in their parameters, headers and
/// bodies: what a run must be given for the scenario.
pub(crate) fn fixtures_named(steps: &[Step], cleanup: &[Step]) -> Vec<String> {
    let mut out = Vec::new();
    let mut scan = |text: &str| {
        let mut rest = text;
        while let Some(i) = rest.find("${fixtures.") {
            let after = &rest[i + "${fixtures.".len()..];
            let Some(end) = after.find('}') else { break };
            out.push(after[..end].to_owned());
            rest = &after[end..];
        }
    };
    for step in steps.iter().chain(cleanup) {
        step.params
            .values()
            .chain(step.headers.values())
            .for_each(|v| scan(v));
        if let Some(body) = &step.body {
            scan(&body.to_string());
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_success_accepts_each_documented_2xx_and_names_them_all() {
        let expect = StepExpect {
            status: Some(200),
            other_statuses: vec![201, 202],
            ..StepExpect::default()
        };
        assert!(expect.accepts(200) && expect.accepts(201) && expect.accepts(202));
        assert!(!expect.accepts(204) && !expect.accepts(404));
        assert!(StepExpect::default().accepts(500), "no status named");
        assert_eq!(any_of(200, &expect.other_statuses), "200, 201 or 202");
        assert_eq!(any_of(200, &[201]), "200 or 201");
        assert_eq!(any_of(204, &[]), "204");
    }
}
