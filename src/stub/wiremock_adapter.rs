//! The wiremock adapter: serves a [`Responder`] from an in-process [`MockServer`], the embedded
//! default target and the test suites' stub.
//!
//! For tests and short runs only: wiremock keeps every matched request on its mock (about
//! 4.5 KB of heap, 5 to 6.5 KB of RSS each, measured by `benches/stub.rs`) even with request
//! recording disabled, so memory grows with every request until the server is dropped. The long-running `contractor stub` command uses the hyper adapter in
//! [`super::http`]. May import only the rest of `stub`.

use std::sync::Arc;

use wiremock::http::{HeaderName, HeaderValue};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::http::{is_framing_header, respond};
use super::{Responder, StubRequest, StubResponse};

/// Starts a [`MockServer`] on 127.0.0.1 whose one catch-all mock hands every request to
/// `responder`.
///
/// The server stops when the returned value is dropped. Request recording is off, but see the
/// module docs: memory still grows with each request.
pub async fn serve_wiremock(responder: Arc<dyn Responder>) -> MockServer {
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(Adapter(responder))
        .mount(&server)
        .await;
    server
}

struct Adapter(Arc<dyn Responder>);

impl Respond for Adapter {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let request = StubRequest {
            method: request.method.as_str().to_ascii_uppercase(),
            path: request.url.path().to_owned(),
            query: request
                .url
                .query_pairs()
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect(),
            headers: StubRequest::header_pairs(&request.headers),
            body: request.body.clone(),
        };
        to_template(respond(self.0.as_ref(), &request))
    }
}

/// Converts a response, never panicking: wiremock's builders `expect` valid input, so an
/// invalid status becomes 500 and an invalid header is skipped before they see it.
fn to_template(response: StubResponse) -> ResponseTemplate {
    let status = match response.status {
        100..=999 => response.status,
        _ => 500,
    };
    let mut template = ResponseTemplate::new(status);
    let mut content_type = None;
    for (name, value) in &response.headers {
        if is_framing_header(name) {
            continue;
        }
        let (Ok(header), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) else {
            continue;
        };
        // wiremock writes the content-type itself from the body's mime (replacing any header
        // of that name), and none when the mime is empty; so pass the responder's through it.
        if header.as_str() == "content-type" {
            content_type.get_or_insert(value);
        } else {
            template = template.append_header(header, value);
        }
    }
    template = match content_type.as_ref().and_then(|v| v.to_str().ok()) {
        Some(mime) => template.set_body_raw(response.body, mime),
        None => template.set_body_bytes(response.body),
    };
    if let Some(delay) = response.delay {
        template = template.set_delay(delay);
    }
    template
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stub::adapter_contract::{self as contract, Echo};

    #[tokio::test]
    async fn keeps_the_adapter_contract() {
        let server = serve_wiremock(Arc::new(Echo)).await;
        contract::echoes_the_request(&server.uri()).await;
        contract::passes_content_types_through(&server.uri()).await;
        contract::survives_a_misbehaving_responder(&server.uri()).await;
        contract::honours_the_delay(&server.uri()).await;
    }
}
