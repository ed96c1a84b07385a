//! Redirects are not followed with credentials.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::support::*;

/// A redirect is not followed, so credentials never travel to the host it names.
#[test]
fn a_redirect_elsewhere_is_not_followed_with_credentials() {
    let elsewhere = TcpListener::bind("127.0.0.1:0").expect("bind");
    let elsewhere_addr = elsewhere.local_addr().expect("addr");
    elsewhere.set_nonblocking(true).expect("nonblocking");
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&hits);
    let watcher = std::thread::spawn(move || {
        for _ in 0..40 {
            if elsewhere.accept().is_ok() {
                counted.fetch_add(1, Ordering::SeqCst);
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
    });
    let first = TcpListener::bind("127.0.0.1:0").expect("bind");
    let first_addr = first.local_addr().expect("addr");
    std::thread::spawn(move || {
        if let Some(Ok(mut s)) = first.incoming().next() {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let reply = format!(
                "HTTP/1.1 302 Found\r\nlocation: http://{elsewhere_addr}/steal\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            let _ = s.write_all(reply.as_bytes());
        }
    });
    let exchange = get_invitation(
        &format!("http://{first_addr}"),
        Some("Bearer secret"),
        std::time::Duration::from_secs(5),
    )
    .expect("send");
    assert_eq!(exchange.response.status, 302);
    watcher.join().expect("watcher");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "the redirect target was contacted"
    );
}
