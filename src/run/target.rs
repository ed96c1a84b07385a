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

/// The run's HTTP client and its pool of keep-alive connections, shared by every scenario.
///
/// A server that answered 5xx may close the connection it answered on a moment later without
/// saying so (uvicorn does after some of Prefect's 503s); the next request sent on it is cut
/// off, and a POST cannot be repeated. So after a 5xx or a cut-off the pool is retired: later
/// requests get a new one, and the suspect connection closes once nothing uses the old pool.
#[derive(Debug, Clone)]
pub struct Connections {
    timeout: Duration,
    current: std::sync::Arc<std::sync::Mutex<reqwest::Client>>,
}

impl Connections {
    /// A client with a per-request `timeout` (see [`Target::client`]).
    pub fn new(timeout: Duration) -> Result<Connections, String> {
        Ok(Connections {
            timeout,
            current: std::sync::Arc::new(std::sync::Mutex::new(Target::client(timeout)?)),
        })
    }

    /// The client to send the next request with.
    pub fn client(&self) -> reqwest::Client {
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Sends later requests on new connections: the server may close the ones in the pool.
    /// Should a new client fail to build, the old one stays.
    pub fn retire(&self) {
        if let Ok(fresh) = Target::client(self.timeout) {
            *self
                .current
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
        }
    }
}

/// Where and how requests go.
#[derive(Debug, Clone)]
pub struct Target {
    /// Base URL, without a trailing slash (`http://127.0.0.1:4010`).
    pub base_url: String,
    /// The run's shared client (keep-alive).
    pub connections: Connections,
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
    /// A target at `base_url` sharing the run's `connections`.
    pub fn with_connections(
        base_url: &str,
        identities: Identities,
        connections: Connections,
    ) -> Target {
        Target {
            base_url: base_url.trim_end_matches('/').to_owned(),
            connections,
            identities,
            retries: 2,
            max_body: 10 * 1024 * 1024,
            limiter: None,
        }
    }

    /// A client: keep-alive, a per-request `timeout`, no redirects followed (a redirect
    /// elsewhere must not carry credentials). A run shares one through [`Connections`].
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
        Ok(Target::with_connections(
            base_url,
            identities,
            Connections::new(timeout)?,
        ))
    }
}

/// The base URL requests go to for `--target url`: `url` as given when it has a path, and
/// `url` followed by the spec's `base_path` (Swagger `basePath`, the path of the first
/// `servers` URL) when it has none or only `/`. `http://127.0.0.1:8888` with `/v1` is
/// `http://127.0.0.1:8888/v1`; `http://127.0.0.1:8888/api` stays as it is.
pub fn base_url(url: &str, base_path: Option<&str>) -> String {
    let url = url.trim_end_matches('/');
    let Some(base_path) = base_path.filter(|p| !p.is_empty() && *p != "/") else {
        return url.to_owned();
    };
    let has_path = match reqwest::Url::parse(url) {
        Ok(parsed) => parsed.path() != "/",
        // Not a URL: left to the probe, which says so.
        Err(_) => return url.to_owned(),
    };
    if has_path || url.contains(['?', '#']) {
        return url.to_owned();
    }
    let base_path = base_path.trim_end_matches('/');
    if base_path.starts_with('/') {
        format!("{url}{base_path}")
    } else {
        format!("{url}/{base_path}")
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

#[cfg(test)]
mod tests {
    use super::base_url;

    #[test]
    fn a_target_without_a_path_gets_the_specs_base_path() {
        for url in ["http://127.0.0.1:8888", "http://127.0.0.1:8888/"] {
            assert_eq!(base_url(url, Some("/v1")), "http://127.0.0.1:8888/v1");
        }
        assert_eq!(
            base_url("https://example.com", Some("/api/v2")),
            "https://example.com/api/v2"
        );
    }

    #[test]
    fn a_target_with_a_path_is_used_as_it_is() {
        assert_eq!(
            base_url("http://127.0.0.1:8888/v2/", Some("/v1")),
            "http://127.0.0.1:8888/v2"
        );
        assert_eq!(
            base_url("http://127.0.0.1:8888", None),
            "http://127.0.0.1:8888"
        );
        assert_eq!(
            base_url("http://127.0.0.1:8888", Some("/")),
            "http://127.0.0.1:8888"
        );
    }
}
