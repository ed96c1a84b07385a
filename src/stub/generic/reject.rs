//! Refusing a request (invalid, without valid credentials, for a missing item) with the
//! response the operation documents for the status: a body valid against its schema. An API
//! whose error codes are Google's gets Google's error body, `{"error": {"code", "message",
//! "status"}}`, with the canonical code of the status, wherever its documented schema allows
//! it or documents none. The problem goes in `x-contractor-problem` (and in the message).
//!
//! May import `spec` and the rest of `stub`.

use serde_json::{json, Value};

use super::media::preferred_media;
use super::stub::SpecStub;
use crate::spec::{Direction, Operation};
use crate::stub::StubResponse;

/// The canonical Google code the stub answers a refusal with `status` as.
fn google_code(status: u16) -> &'static str {
    match status {
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ALREADY_EXISTS",
        429 => "RESOURCE_EXHAUSTED",
        _ => "INVALID_ARGUMENT",
    }
}

impl SpecStub {
    /// The answer refusing a request for `op` with `status` because of `problem`.
    pub(super) fn reject(&self, op: &Operation, status: u16, problem: &str) -> StubResponse {
        let google = self.google_errors.then(|| {
            json!({"error": {
                "code": status,
                "message": problem,
                "status": google_code(status),
            }})
        });
        let documented = op.response_for(status);
        let mut out = match (documented, google) {
            (Some(response), Some(body)) => {
                let schema = preferred_media(&response.content).and_then(|m| m.schema.as_ref());
                let fits = schema.is_none_or(|s| {
                    self.api
                        .schemas
                        .accepts(s, Direction::Response, &body)
                        .unwrap_or(false)
                });
                match (fits, preferred_media(&response.content)) {
                    (true, Some(_)) => self.render(op, response, status, None, Some(body)),
                    (true, None) => plain(status, response_headers(self, op, status), &body),
                    (false, _) => self.render(op, response, status, None, None),
                }
            }
            (Some(response), None) => self.render(op, response, status, None, None),
            (None, Some(body)) => StubResponse::json(status, &body),
            (None, None) => StubResponse::json(status, &json!({ "error": problem })),
        };
        out.set_header("x-contractor-problem", problem);
        out
    }
}

/// The documented required headers of `op`'s response for `status`, as the stub renders them.
fn response_headers(stub: &SpecStub, op: &Operation, status: u16) -> Vec<(String, String)> {
    op.response_for(status)
        .map(|r| stub.render(op, r, status, None, None).headers)
        .unwrap_or_default()
}

/// A JSON response with `headers` besides its content type.
fn plain(status: u16, headers: Vec<(String, String)>, body: &Value) -> StubResponse {
    let mut out = StubResponse::json(status, body);
    for (name, value) in headers {
        if !name.eq_ignore_ascii_case("content-type") {
            out.set_header(&name, &value);
        }
    }
    out
}
