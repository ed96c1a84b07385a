//! The contract both stub adapters keep (tests only): a responder that echoes requests and
//! misbehaves on purpose, and the assertions each adapter's tests run against its own URL.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::stub::{Responder, StubRequest, StubResponse};

/// `.../text` answers `text/plain`, `.../bare` a body with no content-type, `.../slow` a
/// JSON body after 300 ms, `.../panic` panics, `.../odd` has an invalid status and header;
/// anything else echoes the request as JSON.
pub(crate) struct Echo;

pub(crate) const SLOW: Duration = Duration::from_millis(300);

impl Responder for Echo {
    fn respond(&self, request: &StubRequest) -> StubResponse {
        let plain = |content_type: Option<&str>| StubResponse {
            status: 200,
            headers: content_type
                .map(|ct| vec![("content-type".to_owned(), ct.to_owned())])
                .unwrap_or_default(),
            body: b"hello".to_vec(),
            delay: None,
        };
        match request.path.rsplit('/').next().unwrap_or("") {
            "text" => plain(Some("text/plain")),
            "bare" => plain(None),
            "slow" => StubResponse {
                delay: Some(SLOW),
                ..StubResponse::json(200, &json!({ "slow": true }))
            },
            "panic" => panic!("test responder asked to panic"),
            "odd" => StubResponse {
                status: 42,
                headers: vec![
                    ("bad header".to_owned(), "x".to_owned()),
                    ("x-bad-value".to_owned(), "a\nb".to_owned()),
                    ("x-good".to_owned(), "yes".to_owned()),
                    ("content-length".to_owned(), "999".to_owned()),
                ],
                body: b"odd".to_vec(),
                delay: None,
            },
            _ => StubResponse::json(
                201,
                &json!({
                    "method": request.method,
                    "path": request.path,
                    "query": request.query,
                    "probe": request.header("x-probe"),
                    "body": String::from_utf8_lossy(&request.body),
                }),
            ),
        }
    }
}

/// A plain-HTTP client (no TLS provider needed, but reqwest wants one installed).
pub(crate) fn client() -> reqwest::Client {
    crate::install_crypto_provider();
    reqwest::Client::builder()
        .build()
        .expect("failed to build the test client")
}

/// The raw path, the decoded query, a header and the body reach the responder; its status,
/// content type and body come back.
pub(crate) async fn echoes_the_request(base: &str) {
    let url = format!("{base}/v1/invitations/abc%3Aaccept?name=a%20b&x=1+2&flag");
    let response = client()
        .post(&url)
        .header("X-Probe", "yes")
        .body("hello body")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(
        body,
        json!({
            "method": "POST",
            "path": "/v1/invitations/abc%3Aaccept",
            "query": [["name", "a b"], ["x", "1 2"], ["flag", ""]],
            "probe": "yes",
            "body": "hello body",
        })
    );
}

/// A content type passes through unchanged, and none is added where the responder set none.
pub(crate) async fn passes_content_types_through(base: &str) {
    let client = client();
    let text = client.get(format!("{base}/text")).send().await.unwrap();
    assert_eq!(text.headers()["content-type"], "text/plain");
    assert_eq!(text.text().await.unwrap(), "hello");
    let bare = client.get(format!("{base}/bare")).send().await.unwrap();
    assert_eq!(bare.headers().get("content-type"), None);
    assert_eq!(bare.text().await.unwrap(), "hello");
}

/// An invalid status or header and a panicking responder give a 500, and the adapter goes on
/// serving.
pub(crate) async fn survives_a_misbehaving_responder(base: &str) {
    let client = client();
    let odd = client.get(format!("{base}/odd")).send().await.unwrap();
    assert_eq!(odd.status(), 500);
    assert_eq!(odd.headers()["x-good"], "yes");
    assert_eq!(odd.headers().get("x-bad-value"), None);
    assert_eq!(odd.text().await.unwrap(), "odd");
    let panicked = client.get(format!("{base}/panic")).send().await.unwrap();
    assert_eq!(panicked.status(), 500);
    let again = client.get(format!("{base}/text")).send().await.unwrap();
    assert_eq!(again.status(), 200);
}

/// A response's delay is honoured.
pub(crate) async fn honours_the_delay(base: &str) {
    let started = Instant::now();
    let response = client().get(format!("{base}/slow")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        started.elapsed() >= SLOW,
        "answered after {:?}",
        started.elapsed()
    );
}
