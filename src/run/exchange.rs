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
