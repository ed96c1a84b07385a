//! The hyper adapter: serves a [`Responder`] over HTTP/1.1 for the long-running
//! `contractor stub` command.
//!
//! One task per connection, keep-alive, nothing kept per request, so memory stays flat however
//! long it runs (unlike the wiremock adapter, which keeps every matched request). Bad input
//! never panics: an oversized body gets a 413, an unreadable one a 400, a panicking responder
//! a 500. May import only the rest of `stub`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderName, HeaderValue, CONTENT_LENGTH};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use super::{Responder, StubRequest, StubResponse};

/// The largest request body the stub reads; a larger one is answered with 413.
pub const MAX_BODY: usize = 16 * 1024 * 1024;

/// How much of an oversized body is read and thrown away before the 413 goes out. Closing a
/// socket with unread data makes the kernel reset it, and a reset can destroy the 413 before
/// the client reads it; draining a bounded amount lets ordinary clients see the answer.
const MAX_DRAIN: usize = 64 * 1024 * 1024;

/// How long [`HttpStub::shutdown`] waits for in-flight requests before dropping them.
const GRACE: Duration = Duration::from_secs(5);

/// A running hyper stub server.
#[derive(Debug)]
pub struct HttpStub {
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    server: JoinHandle<()>,
}

impl HttpStub {
    /// Binds `addr` (e.g. `127.0.0.1:0`) and serves `responder` on the current tokio runtime,
    /// one task per connection, keep-alive, HTTP/1.1.
    ///
    /// Dropping the returned value stops the server as [`HttpStub::shutdown`] does, without
    /// waiting for it.
    pub async fn start(
        addr: SocketAddr,
        responder: Arc<dyn Responder>,
    ) -> std::io::Result<HttpStub> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (shutdown, signal) = watch::channel(false);
        let server = tokio::spawn(serve(listener, responder, signal));
        Ok(HttpStub {
            addr,
            shutdown,
            server,
        })
    }

    /// The address the server is bound to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, e.g. `http://127.0.0.1:8080`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets in-flight requests finish (for at most 5 s), and returns once the
    /// port is free.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let _ = self.server.await;
    }
}

/// The accept loop: runs until the shutdown signal (or the [`HttpStub`] is dropped), then
/// drains the connections.
async fn serve(
    listener: TcpListener,
    responder: Arc<dyn Responder>,
    mut signal: watch::Receiver<bool>,
) {
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).keep_alive(true);
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stopped(&mut signal) => break,
            // Reap finished connections so the set holds only live ones.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let conn = connection(stream, builder.clone(), responder.clone(), signal.clone());
                    connections.spawn(conn);
                }
                // Out of file descriptors and the like: back off rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
        }
    }
    drop(listener);
    let drained = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(GRACE, drained).await.is_err() {
        connections.shutdown().await;
    }
}

/// Serves one connection until the client leaves or the server stops; on stop, the request in
/// flight is finished and the connection closed.
async fn connection(
    stream: TcpStream,
    builder: http1::Builder,
    responder: Arc<dyn Responder>,
    mut signal: watch::Receiver<bool>,
) {
    // Small responses go out in one write; don't let Nagle hold them back.
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |request| handle(responder.clone(), request));
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = stopped(&mut signal) => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// Resolves once the server should stop: the signal was sent or its sender dropped.
async fn stopped(signal: &mut watch::Receiver<bool>) {
    let _ = signal.wait_for(|&stop| stop).await;
}

async fn handle(
    responder: Arc<dyn Responder>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let body = match read_body(body, declared).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => {
            let message = format!("request body exceeds {MAX_BODY} bytes");
            return Ok(error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                &message,
            ));
        }
        Err(BodyError::Unreadable) => {
            let message = "failed to read the request body";
            return Ok(error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", message));
        }
    };
    let request = StubRequest {
        method: parts.method.as_str().to_ascii_uppercase(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(decode_query).unwrap_or_default(),
        headers: StubRequest::header_pairs(&parts.headers),
        body,
    };
    let response = respond(responder.as_ref(), &request);
    if let Some(delay) = response.delay {
        tokio::time::sleep(delay).await;
    }
    Ok(to_hyper(response))
}

enum BodyError {
    TooLarge,
    Unreadable,
}

/// Reads the body up to [`MAX_BODY`]; past that, drains up to [`MAX_DRAIN`] more and reports
/// it too large.
async fn read_body(mut body: Incoming, declared: Option<u64>) -> Result<Vec<u8>, BodyError> {
    let limit = MAX_BODY as u64;
    match declared {
        Some(n) if n > limit + MAX_DRAIN as u64 => return Err(BodyError::TooLarge),
        _ => {}
    }
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0).min(64 * 1024) as usize);
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Err(BodyError::Unreadable);
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        seen = seen.saturating_add(data.len());
        if seen > MAX_BODY + MAX_DRAIN {
            return Err(BodyError::TooLarge);
        }
        if seen <= MAX_BODY {
            bytes.extend_from_slice(&data);
        } else if !bytes.is_empty() {
            bytes = Vec::new(); // free it while draining
        }
    }
    if seen > MAX_BODY {
        return Err(BodyError::TooLarge);
    }
    Ok(bytes)
}

/// Asks the responder, turning a panic into a 500 rather than a dropped connection.
pub(crate) fn respond(responder: &dyn Responder, request: &StubRequest) -> StubResponse {
    catch_unwind(AssertUnwindSafe(|| responder.respond(request))).unwrap_or_else(|_| {
        let body = error_body(500, "INTERNAL", "the stub's responder panicked");
        StubResponse::json(500, &body)
    })
}

/// Whether a responder's header would fight the adapter's own framing of the body; such
/// headers are dropped (the adapter sets `content-length` from the body it sends).
pub(crate) fn is_framing_header(name: &str) -> bool {
    ["content-length", "transfer-encoding", "connection"]
        .iter()
        .any(|h| name.eq_ignore_ascii_case(h))
}

fn to_hyper(response: StubResponse) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut out = Response::new(Full::new(Bytes::from(response.body)));
    *out.status_mut() = status;
    let headers = out.headers_mut();
    for (name, value) in &response.headers {
        if is_framing_header(name) {
            continue;
        }
        // A header that is not valid HTTP is skipped rather than sent or panicked over.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.append(name, value);
        }
    }
    out
}

/// A Google-style JSON error.
fn error(status: StatusCode, code: &str, message: &str) -> Response<Full<Bytes>> {
    let body = error_body(status.as_u16(), code, message);
    let mut out = to_hyper(StubResponse::json(status.as_u16(), &body));
    // The body may be partly unread: don't reuse the connection.
    out.headers_mut()
        .insert(hyper::header::CONNECTION, HeaderValue::from_static("close"));
    out
}

fn error_body(status: u16, code: &str, message: &str) -> serde_json::Value {
    serde_json::json!({ "error": { "code": status, "message": message, "status": code } })
}

/// Splits and percent-decodes an `application/x-www-form-urlencoded` query the way
/// `url::Url::query_pairs` does (`+` is a space, bad escapes pass through, invalid UTF-8 is
/// replaced), so both adapters hand responders the same pairs.
pub(crate) fn decode_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = match bytes.get(i + 1..i + 3) {
                    Some(&[hi, lo]) => hex_value(hi).zip(hex_value(lo)),
                    _ => None,
                };
                match hex.map(|(hi, lo)| hi << 4 | lo) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use serde_json::Value;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;
    use crate::stub::adapter_contract::{self as contract, client, Echo, SLOW};

    #[tokio::test]
    async fn keeps_the_adapter_contract() {
        let stub = stub().await;
        contract::echoes_the_request(&stub.url()).await;
        contract::passes_content_types_through(&stub.url()).await;
        contract::survives_a_misbehaving_responder(&stub.url()).await;
        contract::honours_the_delay(&stub.url()).await;
        stub.shutdown().await;
    }

    async fn stub() -> HttpStub {
        let addr = "127.0.0.1:0".parse().unwrap();
        HttpStub::start(addr, Arc::new(Echo)).await.unwrap()
    }

    #[test]
    fn decodes_query_like_form_urlencoded() {
        let pairs = decode_query("a=%41%zz&&b=c+d&flag&%E2%9C%93=%3A&p=%+f&t=%4");
        let expected = [
            ("a", "A%zz"),
            ("b", "c d"),
            ("flag", ""),
            ("\u{2713}", ":"),
            ("p", "% f"),
            ("t", "%4"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        assert_eq!(pairs, expected);
        assert_eq!(decode("%FF"), "\u{FFFD}");
    }

    #[tokio::test]
    async fn rejects_oversized_body_with_413() {
        let stub = stub().await;
        let response = client()
            .post(format!("{}/v1/invitations", stub.url()))
            .body(vec![b'x'; MAX_BODY + 1])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 413);
        let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        assert_eq!(body["error"]["status"], "PAYLOAD_TOO_LARGE");
        stub.shutdown().await;
    }

    #[tokio::test]
    async fn rejects_oversized_chunked_body_with_413() {
        let stub = stub().await;
        let stream = TcpStream::connect(stub.addr()).await.unwrap();
        let (mut read, mut write) = stream.into_split();
        let writer = tokio::spawn(async move {
            let head =
                "POST /v1/invitations HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n";
            let size = MAX_BODY + 1;
            let _ = write.write_all(head.as_bytes()).await;
            let _ = write.write_all(format!("{size:x}\r\n").as_bytes()).await;
            let _ = write.write_all(&vec![b'x'; size]).await;
            let _ = write.write_all(b"\r\n0\r\n\r\n").await;
            // Dropping the half would half-close the socket, and hyper drops a connection
            // whose client half-closes before the answer: hand it back instead.
            write
        });
        let mut answer = Vec::new();
        let _ = read.read_to_end(&mut answer).await;
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(answer.contains("PAYLOAD_TOO_LARGE"), "{answer}");
        drop(writer.await.unwrap());
        stub.shutdown().await;
    }

    #[tokio::test]
    async fn answers_garbage_without_panicking() {
        let stub = stub().await;
        let mut stream = TcpStream::connect(stub.addr()).await.unwrap();
        stream.write_all(b"\x00\xffNOT HTTP\r\n\r\n").await.unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        let ok = client()
            .get(format!("{}/text", stub.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 200);
        stub.shutdown().await;
    }

    #[tokio::test]
    async fn shutdown_finishes_in_flight_request_and_frees_the_port() {
        let stub = stub().await;
        let addr = stub.addr();
        let client = client();
        // An idle keep-alive connection must not hold shutdown up.
        client
            .get(format!("{}/text", stub.url()))
            .send()
            .await
            .unwrap();
        let in_flight = tokio::spawn(client.get(format!("{}/slow", stub.url())).send());
        tokio::time::sleep(SLOW / 3).await;
        let started = Instant::now();
        stub.shutdown().await;
        assert!(
            started.elapsed() < GRACE,
            "shutdown took {:?}",
            started.elapsed()
        );
        assert_eq!(in_flight.await.unwrap().unwrap().status(), 200);
        assert!(TcpStream::connect(addr).await.is_err(), "still accepting");
        let again = HttpStub::start(addr, Arc::new(Echo)).await.unwrap();
        assert_eq!(again.addr(), addr);
        again.shutdown().await;
    }
}
