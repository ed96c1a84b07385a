//! Where and how requests go: the base URL, the shared client, identities, the rate limiter,
//! the reachability probe and the loopback test. May import nothing of the crate but `run`.

use std::time::{Duration, Instant};

use crate::run::Identities;

/// Spaces requests out to at most a given rate, across every scenario of a run.
#[derive(Debug)]
pub struct Limiter {
    interval: Duration,
    next: tokio::sync::Mutex<Instant>,
}

impl Limiter {
    /// At most `per_second` requests a second.
    pub fn new(per_second: f64) -> Limiter {
        Limiter {
            interval: Duration::from_secs_f64(1.0 / per_second.max(0.001)),
            next: tokio::sync::Mutex::new(Instant::now()),
        }
    }

    /// Waits for the next free slot.
    pub async fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let slot = (*next).max(now);
            *next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(tokio::time::Instant::from_std(slot)).await;
    }
}

/// Where and how requests go.
#[derive(Debug, Clone)]
pub struct Target {
    /// Base URL, without a trailing slash (`http://127.0.0.1:4010`).
    pub base_url: String,
    /// The shared client (keep-alive).
    pub client: reqwest::Client,
    /// Credentials.
    pub identities: Identities,
    /// Retries on 429 and 503.
    pub retries: u32,
    /// Largest body read; a larger one fails the step.
    pub max_body: usize,
    /// The run's rate limit, when it has one.
    pub limiter: Option<std::sync::Arc<Limiter>>,
}

impl Target {
    /// A target at `base_url` sharing `client` (built once per run with [`Target::client`]).
    pub fn with_client(base_url: &str, identities: Identities, client: reqwest::Client) -> Target {
        Target {
            base_url: base_url.trim_end_matches('/').to_owned(),
            client,
            identities,
            retries: 2,
            max_body: 10 * 1024 * 1024,
            limiter: None,
        }
    }

    /// The client a run shares: keep-alive, a per-request `timeout`, no redirects followed
    /// (a redirect elsewhere must not carry credentials). Building one loads the platform's
    /// root certificates, so build it once.
    pub fn client(timeout: Duration) -> Result<reqwest::Client, String> {
        crate::install_crypto_provider();
        reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string())
    }

    /// A target at `base_url` with a client of its own and a per-request `timeout`.
    pub fn new(
        base_url: &str,
        identities: Identities,
        timeout: Duration,
    ) -> Result<Target, String> {
        Ok(Target::with_client(
            base_url,
            identities,
            Target::client(timeout)?,
        ))
    }
}

/// Whether the target's host and port accept a TCP connection, within `timeout`: a target
/// that cannot be reached is a setup error, not a thousand failed checks.
pub async fn probe(base_url: &str, timeout: Duration) -> Result<(), String> {
    let url =
        reqwest::Url::parse(base_url).map_err(|e| format!("'{base_url}' is not a URL: {e}"))?;
    let host = url
        .host_str()
        .ok_or_else(|| format!("'{base_url}' has no host"))?
        .to_owned();
    let port = url
        .port_or_known_default()
        .ok_or_else(|| format!("'{base_url}' has no port"))?;
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    match tokio::time::timeout(
        timeout,
        tokio::net::TcpStream::connect((host.as_str(), port)),
    )
    .await
    {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(format!("cannot reach {host}:{port}: {e}")),
        Err(_) => Err(format!(
            "cannot reach {host}:{port}: no answer within {} s",
            timeout.as_secs()
        )),
    }
}

/// Whether `base_url` points at this machine (loopback), where mutating scenarios are safe.
pub fn is_loopback(base_url: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(base_url) else {
        return false;
    };
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}
