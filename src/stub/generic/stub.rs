//! [`SpecStub`]: routing a request to an operation, answering it (documented `Prefer`
//! choices first, then credentials, validation and success), rendering a documented response,
//! and the generic mutants.
//!
//! May import `spec`, `scenario::synth` and the rest of `stub`.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use super::media::{accepted, is_json, is_xml, preferred_media, value_text, weight};
use super::resources::Store;
use super::validate::Refusal;
use super::xml;
use crate::scenario::synth;
use crate::spec::{Api, Direction, Method, Operation, ResponseSpec, StatusKey};
use crate::stub::mutants::Mutant;
use crate::stub::router::PathTemplate;
use crate::stub::{Responder, StubRequest, StubResponse};

/// The spec-driven stub.
pub struct SpecStub {
    pub(super) api: Arc<Api>,
    pub(super) routes: Vec<PathTemplate>,
    /// Server base paths (`/api/v3`) a request path may start with.
    pub(super) base_paths: Vec<String>,
    pub(super) store: Mutex<Store>,
    pub(super) mutants: BTreeSet<Mutant>,
    pub(super) slow_delay: Duration,
    /// The credentials the stub issued, as presented (without `Bearer`); empty: it accepts
    /// any credential that is there.
    pub(super) issued: Vec<String>,
    /// Issued credentials of an identity without rights: refused with a documented 403.
    pub(super) unprivileged: Vec<String>,
    /// Whether the API documents Google-style error codes, so its errors take Google's body.
    pub(super) google_errors: bool,
}

/// What a request asked for with `Prefer`.
#[derive(Debug, Default)]
struct Prefer {
    code: Option<u16>,
    example: Option<String>,
}

fn parse_prefer(request: &StubRequest) -> Prefer {
    let mut prefer = Prefer::default();
    for (name, value) in &request.headers {
        if !name.eq_ignore_ascii_case("prefer") {
            continue;
        }
        for part in value.split([',', ';']) {
            if let Some((k, v)) = part.trim().split_once('=') {
                let v = v.trim().trim_matches('"');
                match k.trim() {
                    "code" => prefer.code = v.parse().ok(),
                    "example" => prefer.example = Some(v.to_owned()),
                    _ => {}
                }
            }
        }
    }
    prefer
}

impl SpecStub {
    /// A stub for `api`, with `mutants` (only the generic ones apply) switched on.
    pub fn new(api: Arc<Api>, mutants: &[Mutant], slow_delay: Duration) -> SpecStub {
        let routes = api
            .operations
            .iter()
            .map(|op| PathTemplate::new(&op.path))
            .collect();
        let base_paths = api.base_paths();
        let google_errors = api.operations.iter().any(|op| {
            op.error_codes
                .iter()
                .any(|c| crate::spec::prose::canonical_http_status(&c.name).is_some())
        });
        SpecStub {
            api,
            routes,
            base_paths,
            store: Mutex::new(Store::default()),
            mutants: mutants.iter().copied().filter(|m| m.is_generic()).collect(),
            slow_delay,
            issued: Vec::new(),
            unprivileged: Vec::new(),
            google_errors,
        }
    }

    /// The stub, accepting only `credentials` (identity values such as `Bearer contractor`,
    /// as `contractor run` sends them) where the spec asks for credentials.
    pub fn issuing(mut self, credentials: impl IntoIterator<Item = String>) -> SpecStub {
        for value in credentials {
            self.issued.extend(presentations(&value));
        }
        self
    }

    /// The stub, treating `credentials` (issued too) as an identity without rights: an
    /// operation that documents a 403 refuses it with that 403.
    pub fn without_rights(mut self, credentials: impl IntoIterator<Item = String>) -> SpecStub {
        for value in credentials {
            let forms = presentations(&value);
            self.issued.extend(forms.iter().cloned());
            self.unprivileged.extend(forms);
        }
        self
    }

    fn route(&self, raw_path: &str, method: &str) -> Routed {
        let mut candidates = vec![raw_path.to_owned()];
        for base in &self.base_paths {
            if let Some(rest) = raw_path.strip_prefix(base.as_str()) {
                if rest.is_empty() || rest.starts_with('/') {
                    candidates.push(if rest.is_empty() {
                        "/".to_owned()
                    } else {
                        rest.to_owned()
                    });
                }
            }
        }
        // The path decides the resource first, as OpenAPI matches concrete paths before
        // templated ones (`/pet/findByStatus` is not `/pet/{petId}`), then the method: a
        // method the resource does not declare is 405 with the ones it does in `Allow`.
        for path in &candidates {
            let matched: Vec<(usize, Vec<(String, String)>, _)> = self
                .routes
                .iter()
                .enumerate()
                .filter_map(|(i, t)| t.matches(path).map(|(params, spec)| (i, params, spec)))
                .collect();
            let Some(best) = matched.iter().map(|(_, _, spec)| *spec).max() else {
                continue;
            };
            let resource: Vec<&(usize, Vec<(String, String)>, _)> = matched
                .iter()
                .filter(|(_, _, spec)| *spec == best)
                .collect();
            if let Some((i, params, _)) = resource
                .iter()
                .find(|(i, _, _)| self.api.operations[*i].method.as_str() == method)
            {
                return Routed::Op(*i, params.clone());
            }
            let mut allowed: Vec<&'static str> = resource
                .iter()
                .map(|(i, _, _)| self.api.operations[*i].method.as_str())
                .collect();
            allowed.sort_unstable();
            allowed.dedup();
            return Routed::WrongMethod(allowed.join(", "));
        }
        Routed::NoPath
    }

    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn answer(&self, request: &StubRequest) -> StubResponse {
        let (index, params) = match self.route(&request.path, &request.method) {
            Routed::Op(i, p) => (i, p),
            Routed::NoPath => {
                return StubResponse::json(
                    404,
                    &json!({"error": format!("no operation of the spec matches {}", request.path)}),
                )
            }
            Routed::WrongMethod(allowed) => {
                let mut r = StubResponse::json(
                    405,
                    &json!({"error": format!("{} is not documented for {}", request.method, request.path)}),
                );
                r.set_header("allow", &allowed);
                return r;
            }
        };
        let op = &self.api.operations[index];
        let prefer = parse_prefer(request);
        if let Some(code) = prefer.code {
            if let Some(response) = op
                .responses
                .iter()
                .find(|r| r.status == StatusKey::Code(code))
            {
                return self.render(op, response, code, prefer.example.as_deref(), None);
            }
        }
        if let Err(problem) = self.authorize(op, request) {
            // Credentials the operation requires are missing or not ones the stub issued:
            // 401, with the documented response when there is one (`default` included).
            return self.reject(op, 401, &problem);
        }
        if self.lacks_rights(op, request) {
            let documented = op
                .response_for(403)
                .is_some_and(|r| r.status != StatusKey::Default)
                || op.error_codes.iter().any(|c| c.http_status == Some(403));
            if documented {
                return self.reject(op, 403, "the identity has no rights here");
            }
        }
        if let Some(problem) = unacceptable(op, request) {
            return self.reject(op, 406, &problem);
        }
        match self.validate(op, &params, request) {
            Ok(()) => {}
            Err(Refusal::UnsupportedMediaType(problem)) => return self.reject(op, 415, &problem),
            Err(Refusal::Invalid(problem)) => {
                // 400 for malformed input; 422 when only that is documented.
                let code = if documents(op, 422) && !documents(op, 400) {
                    422
                } else {
                    400
                };
                return self.reject(op, code, &problem);
            }
        }
        self.succeed(op, &params, request, prefer.example.as_deref())
    }

    /// The body of `response`: a named or first example (the loader keeps only those that fit
    /// the schema), else a synthesized valid value.
    pub(super) fn body_for(
        &self,
        response: &ResponseSpec,
        example: Option<&str>,
        seed: u64,
    ) -> Option<Value> {
        let media = preferred_media(&response.content)?;
        if let Some(v) = media.example(example) {
            return Some(v.clone());
        }
        let schema = media.schema.as_ref()?;
        synth::valid_value(&self.api.schemas, schema, Direction::Response, seed).ok()
    }

    /// `value` with a Google-style numeric `error.code` set to the status it is sent with
    /// (`error_code_conformance`), when the schema still accepts it.
    fn coded(&self, media: &crate::spec::MediaType, value: Value, code: u16) -> Value {
        let wrong = value
            .pointer("/error/code")
            .and_then(Value::as_u64)
            .is_some_and(|c| c != u64::from(code));
        if !wrong {
            return value;
        }
        let mut fixed = value.clone();
        if let Some(Value::Object(error)) = fixed.get_mut("error") {
            error.insert("code".to_owned(), Value::from(code));
        }
        let fits = media.schema.as_ref().is_none_or(|s| {
            self.api
                .schemas
                .accepts(s, Direction::Response, &fixed)
                .unwrap_or(false)
        });
        if fits {
            fixed
        } else {
            value
        }
    }

    pub(super) fn render(
        &self,
        _op: &Operation,
        response: &ResponseSpec,
        code: u16,
        example: Option<&str>,
        body: Option<Value>,
    ) -> StubResponse {
        let media = preferred_media(&response.content);
        let mut out = match media {
            None => StubResponse {
                status: code,
                headers: Vec::new(),
                body: Vec::new(),
                delay: None,
            },
            Some(media) => {
                let value = body
                    .or_else(|| self.body_for(response, example, 0))
                    .unwrap_or(Value::Null);
                let value = self.coded(media, value, code);
                let bytes = if is_json(&media.name) {
                    serde_json::to_vec(&value).unwrap_or_default()
                } else {
                    match &value {
                        Value::String(s) => s.clone().into_bytes(),
                        other => other.to_string().into_bytes(),
                    }
                };
                StubResponse {
                    status: code,
                    headers: vec![("content-type".to_owned(), media.name.clone())],
                    body: bytes,
                    delay: None,
                }
            }
        };
        // A redirect names where it points (RFC 9110); a documented `Location` may say how.
        if matches!(code, 301 | 302 | 303 | 307 | 308) {
            out.set_header("location", "/contractor-redirected");
        }
        for header in response.headers.iter().filter(|h| h.required) {
            let value = header
                .schema
                .as_ref()
                .and_then(|s| synth::valid_value(&self.api.schemas, s, Direction::Response, 0).ok())
                .map(|v| value_text(&v))
                .unwrap_or_default();
            out.set_header(&header.name, &value);
        }
        out
    }

    /// The response in a media type the request's `Accept` takes: a JSON body the client
    /// does not accept is written as XML when its status is documented in an acceptable XML
    /// type (`Accept: application/xml` on the Swagger Petstore).
    fn negotiate(
        &self,
        op: &Operation,
        request: &StubRequest,
        mut response: StubResponse,
    ) -> StubResponse {
        let accept = accepted(&request.headers);
        let current = response.header("content-type").unwrap_or_default();
        if accept.is_empty() || !is_json(current) || weight(&accept, current) > 0.0 {
            return response;
        }
        let media = op.response_for(response.status).and_then(|documented| {
            documented
                .content
                .iter()
                .find(|m| is_xml(&m.name) && weight(&accept, &m.name) > 0.0)
        });
        let Some(media) = media else {
            return response;
        };
        let Ok(value) = serde_json::from_slice::<Value>(&response.body) else {
            return response;
        };
        let schema = media.schema.as_ref().and_then(|s| self.api.schemas.get(s));
        response.body = xml::write(&self.api, schema, "root", &value).into_bytes();
        response.set_header("content-type", &media.name);
        response
    }

    fn mutate(&self, op: Option<&Operation>, mut response: StubResponse) -> StubResponse {
        if self.mutants.contains(&Mutant::ServerErrorOnList) && op.is_some_and(is_list) {
            response = StubResponse::json(500, &json!({"error": "internal error"}));
        }
        if self.mutants.contains(&Mutant::WrongSuccessStatus)
            && (200..300).contains(&response.status)
        {
            response.status = if response.status == 200 { 201 } else { 200 };
        }
        if self.mutants.contains(&Mutant::UndocumentedStatus) && response.status == 404 {
            response.status = 410;
        }
        if self.mutants.contains(&Mutant::WrongContentType) {
            response.set_header("content-type", "text/plain");
        }
        if self.mutants.contains(&Mutant::SlowResponses) {
            response.delay = Some(self.slow_delay);
        }
        response
    }
}

/// The forms a credential value (`Bearer t`, `Basic user:pw`, `t`) is presented in: whole,
/// without its scheme word, and base64-encoded when it is a `user:password` pair.
fn presentations(value: &str) -> Vec<String> {
    let token = value
        .split_once(' ')
        .map_or(value, |(_, t)| t.trim())
        .to_owned();
    let mut out = Vec::new();
    if token.contains(':') {
        out.push(synth::base64(&token));
    }
    out.push(token);
    out.push(value.to_owned());
    out
}

enum Routed {
    Op(usize, Vec<(String, String)>),
    NoPath,
    WrongMethod(String),
}

impl Responder for SpecStub {
    fn respond(&self, request: &StubRequest) -> StubResponse {
        let response = self.answer(request);
        let op = match self.route(&request.path, &request.method) {
            Routed::Op(i, _) => Some(&self.api.operations[i]),
            _ => None,
        };
        let response = match op {
            Some(op) => self.negotiate(op, request, response),
            None => response,
        };
        self.mutate(op, response)
    }
}

/// Why the request's `Accept` takes none of the media types `op`'s responses are documented
/// in (`*/*`, `type/*` and `q=0` honoured); `None` when it takes one, or when `op` documents
/// no response body at all.
fn unacceptable(op: &Operation, request: &StubRequest) -> Option<String> {
    let accept = accepted(&request.headers);
    let offered: Vec<&str> = op
        .responses
        .iter()
        .flat_map(|r| &r.content)
        .map(|m| m.name.as_str())
        .collect();
    if accept.is_empty() || offered.is_empty() || offered.iter().any(|m| weight(&accept, m) > 0.0) {
        return None;
    }
    Some(format!(
        "none of the documented media types ({}) is acceptable",
        offered.join(", ")
    ))
}

/// Whether `op` documents exactly `status`.
fn documents(op: &Operation, status: u16) -> bool {
    op.responses
        .iter()
        .any(|r| r.status == StatusKey::Code(status))
}

/// A GET on a path without parameters: the collection listing.
fn is_list(op: &Operation) -> bool {
    op.method == Method::Get && !op.path.contains('{')
}
