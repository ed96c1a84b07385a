//! What a responder sees and answers: plain data, no sockets.

use std::time::Duration;

/// A request as the stub sees it, whichever adapter received it.
#[derive(Debug, Clone, Default)]
pub struct StubRequest {
    /// Uppercase method, e.g. `POST`.
    pub method: String,
    /// The raw path, still percent-encoded, without the query (e.g. `/v1/invitations/7%3Aaccept`).
    pub path: String,
    /// Query parameters, percent-decoded, in order.
    pub query: Vec<(String, String)>,
    /// Headers with lowercase names, in order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl StubRequest {
    /// Headers as pairs, names lowercase, values read lossily as UTF-8 (what both adapters
    /// hand a responder).
    pub fn header_pairs(headers: &hyper::HeaderMap) -> Vec<(String, String)> {
        headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), value)
            })
            .collect()
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The bearer token of the `Authorization` header, if any.
    pub fn bearer(&self) -> Option<&str> {
        let value = self.header("authorization")?.trim();
        let (scheme, token) = value.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim())
            .filter(|t| !t.is_empty())
    }
}

/// A response from a responder.
#[derive(Debug, Clone, PartialEq)]
pub struct StubResponse {
    /// The status code.
    pub status: u16,
    /// Headers (lowercase names).
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
    /// How long the adapter waits before answering (the slow mutant).
    pub delay: Option<Duration>,
}

impl StubResponse {
    /// A JSON response.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        StubResponse {
            status,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: serde_json::to_vec(body).unwrap_or_default(),
            delay: None,
        }
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Sets header `name`, replacing any value it had.
    pub fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json_body(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// The stub's behaviour: a request in, a response out. Knows nothing of sockets; the
/// wiremock and hyper adapters serve it. Implementations keep their state behind a lock and
/// are safe under concurrent requests.
pub trait Responder: Send + Sync + 'static {
    /// Answers one request.
    fn respond(&self, request: &StubRequest) -> StubResponse;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bearer_token_case_insensitively() {
        let req = StubRequest {
            headers: vec![("authorization".into(), "bearer abc ".into())],
            ..StubRequest::default()
        };
        assert_eq!(req.bearer(), Some("abc"));
        let basic = StubRequest {
            headers: vec![("authorization".into(), "Basic abc".into())],
            ..StubRequest::default()
        };
        assert_eq!(basic.bearer(), None);
    }
}
