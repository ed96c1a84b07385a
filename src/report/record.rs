//! What a run keeps of each scenario for reports: plain data, secrets already masked.

use serde_json::{json, Value};

use crate::check::Failure;
use crate::run::Exchange;

/// How a scenario ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Result {
    /// Every check held.
    Passed,
    /// A check failed, or the scenario could not run.
    Failed,
    /// Not run, for the recorded reason.
    Ignored,
    /// Its setup failed the way an earlier scenario's did, on the same operation: reported
    /// against that scenario (`blocked_by`), not as a failure of its own.
    Blocked,
}

impl Result {
    /// `passed`, `failed`, `ignored`, `blocked`.
    pub fn as_str(self) -> &'static str {
        match self {
            Result::Passed => "passed",
            Result::Failed => "failed",
            Result::Ignored => "ignored",
            Result::Blocked => "blocked",
        }
    }
}

/// One request of a scenario, as reports show it.
#[derive(Debug, Clone)]
pub struct StepRecord {
    /// The operation it called.
    pub operation: String,
    /// Method.
    pub method: String,
    /// URL, token-like query parameters masked.
    pub url: String,
    /// Response status.
    pub status: u16,
    /// Milliseconds.
    pub elapsed_ms: f64,
    /// Whether the spec documents this status for the operation.
    pub documented: bool,
    /// A curl line that reproduces it, secrets masked.
    pub curl: String,
}

/// One scenario's outcome.
#[derive(Debug, Clone)]
pub struct Record {
    /// The scenario id.
    pub id: String,
    /// Its operation.
    pub operation: String,
    /// The outcome it proves (`ALREADY_EXISTS`, `200`, `lifecycle`).
    pub outcome: String,
    /// How it ended.
    pub result: Result,
    /// Why it was ignored or blocked, or why it could not run.
    pub reason: Option<String>,
    /// For a blocked scenario: the id of the scenario whose setup failed first.
    pub blocked_by: Option<String>,
    /// Check failures, each as data and as the text block users read.
    pub failures: Vec<(Failure, String)>,
    /// The requests it sent.
    pub steps: Vec<StepRecord>,
    /// Milliseconds for the whole scenario.
    pub elapsed_ms: f64,
    /// Cleanup steps that did not clean up: what may be left behind on the target.
    pub cleanup_failures: Vec<String>,
}

/// Masks the values of token-like query parameters in a URL.
pub fn mask_url(url: &str) -> String {
    let url = mask_userinfo(url);
    let Some((base, query)) = url.split_once('?') else {
        return url;
    };
    let masked: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if is_secret_name(k) => format!("{k}=***"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{base}?{}", masked.join("&"))
}

/// Masks the password of `scheme://user:password@host`.
fn mask_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

/// Whether a header or parameter name carries a secret.
pub fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "token",
        "secret",
        "key",
        "password",
        "passwd",
        "auth",
        "signature",
        "sig",
        "session",
        "cookie",
        "credential",
    ]
    .iter()
    .any(|s| n.contains(s))
}

impl StepRecord {
    /// The record of one exchange.
    pub fn new(operation: &str, exchange: &Exchange, documented: bool) -> StepRecord {
        StepRecord {
            operation: operation.to_owned(),
            method: exchange.request.method.clone(),
            url: mask_url(&exchange.request.url),
            status: exchange.response.status,
            elapsed_ms: exchange.elapsed.as_secs_f64() * 1e3,
            documented,
            curl: super::curl(exchange),
        }
    }
}

impl Record {
    /// The record as JSON, for `--json`.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "operation": self.operation,
            "outcome": self.outcome,
            "result": self.result.as_str(),
            "reason": self.reason,
            "blocked_by": self.blocked_by,
            "elapsed_ms": self.elapsed_ms,
            "cleanup_failures": self.cleanup_failures,
            "steps": self.steps.iter().map(|s| json!({
                "operation": s.operation,
                "method": s.method,
                "url": s.url,
                "status": s.status,
                "elapsed_ms": s.elapsed_ms,
                "documented": s.documented,
                "curl": s.curl,
            })).collect::<Vec<_>>(),
            "failures": self.failures.iter().map(|(f, text)| json!({
                "check": f.check,
                "title": f.title,
                "location": f.location.to_string(),
                "expected": f.expected,
                "actual": f.actual,
                "schema_path": f.schema_path,
                "instance_path": f.instance_path,
                "text": text,
            })).collect::<Vec<_>>(),
        })
    }
}
