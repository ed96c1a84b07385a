//! A raw loopback server for tests that need a target to answer, fail, reset, cut off or
//! close a kept-alive connection on cue, and the request lines it read.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the loopback server does with one request.
#[derive(Debug, Clone, Copy)]
pub enum Reply {
    /// A JSON response.
    Json(u16, &'static str),
    /// A response without a body.
    Empty(u16),
    /// The head and part of the body, then the connection closed.
    CutMidBody,
    /// The connection dropped with the request still unread, which resets it.
    Reset,
    /// A JSON response without `Connection: close`, then, after a pause and without reading
    /// the next request, the connection closed (uvicorn after some of Prefect's 503s).
    JsonThenClose(u16, &'static str, Duration),
}

/// A loopback server this test started, and every request line it read (`GET /things/7`).
pub struct Loopback {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Loopback {
    /// Every request line read so far.
    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().expect("seen").clone()
    }
}

/// One line, read a byte at a time so that what follows stays in the socket (dropping a socket
/// with unread data resets the connection).
fn read_line(stream: &mut TcpStream) -> Option<String> {
    let mut line = Vec::new();
    let mut byte = [0u8];
    while !line.ends_with(b"\n") {
        match stream.read(&mut byte) {
            Ok(1) => line.push(byte[0]),
            _ => return None,
        }
    }
    Some(String::from_utf8_lossy(&line).trim_end().to_owned())
}

/// Reads the rest of a request after its request line: the head, and a `content-length` body.
fn read_rest(stream: &mut TcpStream) -> Option<()> {
    let mut length = 0;
    loop {
        let line = read_line(stream)?;
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).ok()
}

fn connection(
    mut stream: TcpStream,
    route: &(dyn Fn(&str, &str) -> Reply + Sync),
    seen: &Mutex<Vec<String>>,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    // Keep-alive: requests one after another until the client closes.
    while let Some(line) = read_line(&mut stream) {
        let mut parts = line.split(' ');
        let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        seen.lock().expect("seen").push(format!("{method} {path}"));
        let reply = route(method, path);
        if let Reply::Reset = reply {
            return;
        }
        if read_rest(&mut stream).is_none() {
            return;
        }
        let head = |status: u16, length: usize| {
            format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n\r\n")
        };
        let text = match reply {
            Reply::Json(status, body) | Reply::JsonThenClose(status, body, _) => {
                format!("{}{body}", head(status, body.len()))
            }
            Reply::Empty(status) => head(status, 0),
            Reply::CutMidBody => format!("{}{{\"id\":", head(200, 100)),
            Reply::Reset => unreachable!(),
        };
        if stream.write_all(text.as_bytes()).is_err() {
            return;
        }
        if let Reply::CutMidBody = reply {
            let _ = stream.shutdown(Shutdown::Both);
            return;
        }
        if let Reply::JsonThenClose(_, _, pause) = reply {
            std::thread::sleep(pause);
            return;
        }
    }
}

/// A loopback server that answers each request as `route(method, path)` says.
pub fn serve(route: impl Fn(&str, &str) -> Reply + Send + Sync + 'static) -> Loopback {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let route = Arc::new(route);
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (route, log) = (Arc::clone(&route), Arc::clone(&log));
            std::thread::spawn(move || connection(stream, route.as_ref(), &log));
        }
    });
    Loopback { url, seen }
}
