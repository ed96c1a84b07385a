//! Executing one scenario: templates filled from variables, requests sent as identities,
//! captures taken, cleanup always run. Yields exchanges; never prints.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::run::exchange::{Exchange, ReceivedResponse, SendError, SentRequest};
use crate::run::{credentials, Target};
use crate::scenario::{CaptureFrom, Scenario, Step};
use crate::spec::{Api, ParamLocation};

/// What one step did.
#[derive(Debug, Clone)]
pub struct StepRun {
    /// The step's index in `steps` (or in `cleanup`).
    pub index: usize,
    /// Whether it is a cleanup step.
    pub cleanup: bool,
    /// The exchange, when a response came back.
    pub exchange: Option<Exchange>,
    /// Why there is no exchange (a template or transport problem, or the server cutting the
    /// connection off).
    pub error: Option<SendError>,
}

/// What one scenario did.
#[derive(Debug, Clone, Default)]
pub struct ScenarioRun {
    /// Every step that ran, cleanup last.
    pub steps: Vec<StepRun>,
    /// The variables at the end (fixtures, captures).
    pub vars: BTreeMap<String, String>,
    /// Cleanup steps that did not clean up (no answer, or a status other than a 2xx, 404 or
    /// 410), each as one line: what they were meant to remove may be left behind.
    pub cleanup_failures: Vec<String>,
}

/// Runs `scenario`'s steps in order, stopping at the first step without a response or whose
/// `stop` says so, then always its cleanup steps.
pub async fn execute(
    target: &Target,
    api: &Api,
    scenario: &Scenario,
    vars: &BTreeMap<String, String>,
    mut stop: impl FnMut(&Step, &Exchange) -> bool,
) -> ScenarioRun {
    let mut vars = vars.clone();
    let mut run = ScenarioRun::default();
    for (index, step) in scenario.steps.iter().enumerate() {
        let (exchange, error) = match send(target, api, step, &vars).await {
            Ok(e) => (Some(e), None),
            Err(e) => (None, Some(e)),
        };
        let halt = match &exchange {
            Some(e) => {
                capture(step, e, &mut vars);
                stop(step, e)
            }
            None => true,
        };
        run.steps.push(StepRun {
            index,
            cleanup: false,
            exchange,
            error,
        });
        if halt {
            break;
        }
    }
    // What the scenario already removed itself (a delete that succeeded) is not removed again.
    let done: Vec<(String, String)> = run
        .steps
        .iter()
        .filter_map(|s| s.exchange.as_ref())
        .filter(|e| (200..300).contains(&e.response.status))
        .map(|e| (e.request.method.clone(), e.request.url.clone()))
        .collect();
    for (index, step) in scenario.cleanup.iter().enumerate() {
        let planned = build(target, api, step, &vars);
        if planned
            .as_ref()
            .is_ok_and(|r| done.contains(&(r.method.clone(), r.url.clone())))
        {
            continue;
        }
        // A cleanup step whose variables were never captured has nothing to clean.
        let (exchange, error) = match send(target, api, step, &vars).await {
            Ok(e) => (Some(e), None),
            Err(e) => (None, Some(e)),
        };
        let what = format!("cleanup step {} ({})", index + 1, step.operation);
        match (&exchange, &error) {
            (Some(e), _) if !cleaned(e.response.status) => run
                .cleanup_failures
                .push(format!("{what} answered {}", e.response.status)),
            (None, Some(e)) if planned.is_ok() => {
                run.cleanup_failures
                    .push(format!("{what} could not run: {e}"));
            }
            _ => {}
        }
        run.steps.push(StepRun {
            index,
            cleanup: true,
            exchange,
            error,
        });
    }
    run.vars = vars;
    run
}

/// Whether a cleanup answer means the thing is gone: removed now, or already gone.
fn cleaned(status: u16) -> bool {
    (200..300).contains(&status) || status == 404 || status == 410
}

fn capture(step: &Step, exchange: &Exchange, vars: &mut BTreeMap<String, String>) {
    for (name, from) in &step.captures {
        let value = match from {
            CaptureFrom::Body(pointer) => exchange
                .response
                .json()
                .and_then(|b| b.pointer(pointer).cloned())
                .map(|v| match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                }),
            CaptureFrom::Header(h) => exchange.response.header(h).map(str::to_owned),
        };
        if let Some(v) = value {
            vars.insert(name.clone(), v);
        }
    }
}

/// Replaces `${name}` with its value; an unknown name is an error.
pub fn interpolate(text: &str, vars: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else {
            return Err(format!("unclosed `${{` in '{text}'"));
        };
        let name = &after[..end];
        match vars.get(name) {
            Some(v) => out.push_str(v),
            None => return Err(format!("unknown variable ${{{name}}}")),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn interpolate_json(value: &Value, vars: &BTreeMap<String, String>) -> Result<Value, String> {
    Ok(match value {
        Value::String(s) => Value::String(interpolate(s, vars)?),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| interpolate_json(v, vars))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), interpolate_json(v, vars)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

/// Percent-encodes `s`, keeping ASCII letters, digits and the bytes of `raw`.
fn percent_encode(s: &str, raw: &[u8]) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || raw.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A path segment keeps what a segment may hold raw (`:` included, so Google custom verbs stay
/// readable).
fn encode_segment(s: &str) -> String {
    percent_encode(s, b"-._~!$&'()*+,;=:@")
}

fn encode_query(s: &str) -> String {
    percent_encode(s, b"-._~")
}

/// An object as a form body (`a=1&tags=x&tags=y`): an array as a repeated field, text as
/// it is, anything else as its JSON.
fn form_body(fields: &serde_json::Map<String, Value>) -> String {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut pairs = Vec::new();
    for (name, value) in fields {
        let values: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            Value::Null => Vec::new(),
            other => vec![other],
        };
        for v in values {
            pairs.push(format!("{}={}", encode_query(name), encode_query(&text(v))));
        }
    }
    pairs.join("&")
}

/// Builds the request a step describes.
pub fn build(
    target: &Target,
    api: &Api,
    step: &Step,
    vars: &BTreeMap<String, String>,
) -> Result<SentRequest, String> {
    let op = api
        .operation(&step.operation)
        .ok_or_else(|| format!("unknown operation '{}'", step.operation))?;
    let mut path = op.path.clone();
    let mut query = Vec::new();
    for (name, raw) in &step.params {
        let value = interpolate(raw, vars)?;
        let place = op
            .parameters
            .iter()
            .find(|p| &p.name == name)
            .map(|p| p.location);
        if place == Some(ParamLocation::Path) || path.contains(&format!("{{{name}}}")) {
            path = path.replace(&format!("{{{name}}}"), &encode_segment(&value));
        } else {
            query.push(format!("{}={}", encode_query(name), encode_query(&value)));
        }
    }
    if let Some(missing) = path.find('{') {
        return Err(format!("path parameter left unset in {}", &path[missing..]));
    }
    // An operation that asks for no credentials gets the identity's when the run has them,
    // and none otherwise.
    let credential = match &step.identity {
        Some(who) => match target.identities.get(who) {
            Some(value) => Some(value),
            None if !op.needs_credentials() => None,
            None => {
                return Err(format!(
                    "no credentials for identity '{who}' (set CONTRACTOR_IDENTITY_{})",
                    who.to_ascii_uppercase()
                ))
            }
        },
        None => None,
    };
    let placed = credential
        .map(|v| credentials::place(api, op, v))
        .unwrap_or_default();
    for (name, value) in &placed.query {
        query.push(format!("{}={}", encode_query(name), encode_query(value)));
    }
    let mut url = format!("{}{}", target.base_url, path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.join("&"));
    }
    let mut headers = placed.headers;
    for (k, v) in &step.headers {
        headers.push((k.to_ascii_lowercase(), interpolate(v, vars)?));
    }
    let form = headers.iter().any(|(k, v)| {
        k == "content-type"
            && v.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
    });
    let body = match (&step.raw_body, &step.body) {
        (Some(raw), _) => Some(interpolate(raw, vars)?.into_bytes()),
        (None, Some(json)) => {
            let value = interpolate_json(json, vars)?;
            Some(match &value {
                Value::Object(fields) if form => form_body(fields).into_bytes(),
                _ => serde_json::to_vec(&value).map_err(|e| e.to_string())?,
            })
        }
        (None, None) => None,
    };
    if body.is_some() && !headers.iter().any(|(k, _)| k == "content-type") {
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
    }
    Ok(SentRequest {
        method: step
            .method
            .clone()
            .unwrap_or_else(|| op.method.as_str().to_owned()),
        url,
        headers,
        body,
    })
}

/// Sends a step's request, retrying 429 and 503 with backoff (honouring `Retry-After`, at most
/// 5 s a wait), and reads the body up to the cap. A connection the server closes or resets
/// before the response is complete is [`SendError::CutOff`], with the request.
pub async fn send(
    target: &Target,
    api: &Api,
    step: &Step,
    vars: &BTreeMap<String, String>,
) -> Result<Exchange, SendError> {
    let request = build(target, api, step, vars).map_err(SendError::Failed)?;
    let mut attempt = 0;
    let mut stale_retried = false;
    loop {
        if let Some(limiter) = &target.limiter {
            limiter.wait().await;
        }
        let start = Instant::now();
        let method = reqwest::Method::from_bytes(request.method.as_bytes())
            .map_err(|e| SendError::Failed(e.to_string()))?;
        let mut builder = target.connections.client().request(method, &request.url);
        for (k, v) in &request.headers {
            builder = builder.header(k, v);
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        // 429 says the request was not processed; a 503 is retried only when repeating the
        // request is safe (a create might have happened).
        let idempotent = !matches!(request.method.as_str(), "POST" | "PATCH");
        let mut response = match builder.send().await {
            Ok(response) => response,
            // A pooled keep-alive connection the server had already closed: the request never
            // reached it. Repeat a request that is safe to repeat, once, on a new connection;
            // never a POST or PATCH, which might have been processed.
            Err(e) if idempotent && !stale_retried && is_cut_off(&e) => {
                stale_retried = true;
                target.connections.retire();
                continue;
            }
            Err(e) if is_cut_off(&e) => {
                target.connections.retire();
                return Err(cut_off(&request, &e, start));
            }
            Err(e) => {
                return Err(SendError::Failed(format!(
                    "request failed: {}",
                    describe(e)
                )))
            }
        };
        let status = response.status().as_u16();
        // After a 5xx the server may drop the connection without `Connection: close`: the
        // next request goes out on a new one.
        if status >= 500 {
            target.connections.retire();
        }
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        if (status == 429 || status == 503 && idempotent) && attempt < target.retries {
            attempt += 1;
            tokio::time::sleep(retry_wait(&headers, attempt)).await;
            continue;
        }
        let body = read_body(&mut response, target.max_body, &request, start)
            .await
            .inspect_err(|e| {
                if matches!(e, SendError::CutOff { .. }) {
                    target.connections.retire();
                }
            })?;
        return Ok(Exchange {
            request,
            response: ReceivedResponse {
                status,
                headers,
                body,
            },
            elapsed: start.elapsed(),
        });
    }
}

/// How long to wait before retry `attempt`: `Retry-After` in seconds, else a backoff from
/// 400 ms; at most 5 s.
fn retry_wait(headers: &[(String, String)], attempt: u32) -> Duration {
    headers
        .iter()
        .find(|(k, _)| k == "retry-after")
        .and_then(|(_, v)| v.trim().parse::<u64>().ok())
        .map_or(
            Duration::from_millis(200 * 2u64.pow(attempt)),
            Duration::from_secs,
        )
        .min(Duration::from_secs(5))
}

/// Reads a response body up to `max` bytes; a larger one is an error, and so is a connection
/// closed halfway through (a cut-off of `request`).
async fn read_body(
    response: &mut reqwest::Response,
    max: usize,
    request: &SentRequest,
    start: Instant,
) -> Result<Vec<u8>, SendError> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = max.saturating_sub(body.len());
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if chunk.len() > room {
                    let why = format!("response body is larger than the {max} byte cap");
                    return Err(SendError::Failed(why));
                }
            }
            Ok(None) => return Ok(body),
            Err(e) if is_cut_off(&e) => return Err(cut_off(request, &e, start)),
            Err(e) => {
                let why = format!("failed to read the response body: {}", describe(e));
                return Err(SendError::Failed(why));
            }
        }
    }
}

/// The request `e` cut off, with the innermost cause (no URL in it, so the same fault reads the
/// same on every port).
fn cut_off(request: &SentRequest, e: &reqwest::Error, start: Instant) -> SendError {
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        reason = cause.to_string();
        source = cause.source();
    }
    SendError::CutOff {
        request: Box::new(request.clone()),
        reason,
        elapsed: start.elapsed(),
    }
}

/// Whether `e` is a connection the server closed or reset after the request went out and
/// before the response was complete: before any response, the way a pooled keep-alive
/// connection fails when the server closed it while it sat idle, or halfway through the body.
/// Not a refused connection or a timeout.
fn is_cut_off(e: &reqwest::Error) -> bool {
    if e.is_timeout() || e.is_connect() {
        return false;
    }
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        if cause
            .downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_incomplete_message)
        {
            return true;
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::{
                BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof,
            };
            let kind = io.kind();
            if matches!(
                kind,
                ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof
            ) {
                return true;
            }
        }
        source = cause.source();
    }
    false
}

/// The error and its causes, without the URL (a query may carry a key, and the same fault
/// should read the same on every port).
fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}
