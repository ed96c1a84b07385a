//! What one step sent and got back, with how long it took. Checks read only this.

use std::time::Duration;

/// A request as it was sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SentRequest {
    /// Uppercase method.
    pub method: String,
    /// The full URL, query included.
    pub url: String,
    /// Headers as sent (lowercase names), secrets included: reports mask them.
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<Vec<u8>>,
}

/// A response as it was received.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReceivedResponse {
    /// The status code.
    pub status: u16,
    /// Headers (lowercase names), in order.
    pub headers: Vec<(String, String)>,
    /// The body bytes (capped by the runner).
    pub body: Vec<u8>,
}

impl ReceivedResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The media type without parameters, lowercase (`application/json`).
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
    }

    /// The body parsed as JSON, when it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// One request and its response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exchange {
    /// What was sent.
    pub request: SentRequest,
    /// What came back.
    pub response: ReceivedResponse,
    /// From sending the request to reading the whole body.
    pub elapsed: Duration,
}

/// Why a step has no exchange.
#[derive(Debug, Clone, PartialEq)]
pub enum SendError {
    /// No exchange took place: a template problem, a refused connection, a timeout, or a body
    /// over the cap.
    Failed(String),
    /// The server closed or reset the connection after the request was sent and before a
    /// complete response came back (after the one repeat an idempotent request gets).
    CutOff {
        /// The request, as it was sent (boxed: the error stays small).
        request: Box<SentRequest>,
        /// The innermost cause (`connection reset by peer`), without the URL.
        reason: String,
        /// From sending the request to the connection closing.
        elapsed: Duration,
    },
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Failed(why) => f.write_str(why),
            SendError::CutOff { reason, .. } => {
                write!(f, "connection closed before a complete response: {reason}")
            }
        }
    }
}
