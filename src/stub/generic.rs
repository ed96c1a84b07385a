//! The spec-driven stub for any API without an emulator: routes each operation, validates the
//! request (required parameters, parameter schemas, body schema, credentials) and answers a
//! documented 400/422 when it is invalid; otherwise the lowest documented 2xx with the
//! operation's example, else a body synthesized from the schema that validates against it.
//! `Prefer: code=404` or `Prefer: example=NAME` picks a documented response, as Prism does.
//! Resources with a create/read/delete shape (POST on a collection, GET and DELETE on `{id}`
//! below it) are kept in memory, so create-then-get and delete-then-get behave.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use crate::scenario::synth;
use crate::spec::{
    Api, Direction, MediaType, Method, Operation, ParamLocation, ResponseSpec, StatusKey,
};
use crate::stub::mutants::Mutant;
use crate::stub::router::{best_match, PathTemplate};
use crate::stub::{Responder, StubRequest, StubResponse};

/// A collection with create/read/delete operations.
#[derive(Debug, Clone)]
struct Resource {
    /// The collection path template (`/pet`).
    collection: String,
    /// The item's parameter name (`petId`).
    param: String,
    /// The body property that holds the id, when the item schema has one.
    id_field: Option<String>,
    /// Whether ids are integers.
    integer_ids: bool,
}

/// The spec-driven stub.
pub struct SpecStub {
    api: Arc<Api>,
    routes: Vec<PathTemplate>,
    /// Server base paths (`/api/v3`) a request path may start with.
    base_paths: Vec<String>,
    resources: Vec<Resource>,
    store: Mutex<Store>,
    mutants: BTreeSet<Mutant>,
    slow_delay: Duration,
}

#[derive(Default)]
struct Store {
    items: HashMap<String, BTreeMap<String, Value>>,
    next_id: u64,
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
        let base_paths = api
            .servers
            .iter()
            .filter_map(|s| {
                let after_scheme = s.url.split_once("://").map_or(s.url.as_str(), |(_, r)| r);
                let path = if s.url.contains("://") {
                    after_scheme.find('/').map_or("", |i| &after_scheme[i..])
                } else {
                    after_scheme
                };
                let path = path.trim_end_matches('/');
                (!path.is_empty()).then(|| path.to_owned())
            })
            .collect();
        let resources = find_resources(&api);
        SpecStub {
            api,
            routes,
            base_paths,
            resources,
            store: Mutex::new(Store::default()),
            mutants: mutants.iter().copied().filter(|m| m.is_generic()).collect(),
            slow_delay,
        }
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
        let mut path_matched: Vec<&'static str> = Vec::new();
        for path in &candidates {
            let same_method = self
                .routes
                .iter()
                .enumerate()
                .filter(|(i, _)| self.api.operations[*i].method.as_str() == method);
            if let Some((i, params)) = best_match(same_method, path) {
                return Routed::Op(i, params);
            }
            for (i, t) in self.routes.iter().enumerate() {
                if t.matches(path).is_some() {
                    path_matched.push(self.api.operations[i].method.as_str());
                }
            }
        }
        if path_matched.is_empty() {
            Routed::NoPath
        } else {
            path_matched.sort_unstable();
            path_matched.dedup();
            Routed::WrongMethod(path_matched.join(", "))
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Store> {
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
            if let Some(r) = op
                .response_for(401)
                .filter(|r| r.status != StatusKey::Default)
            {
                let mut out = self.render(op, r, 401, None, None);
                out.set_header("x-contractor-problem", &problem);
                return out;
            }
        }
        if let Err(problem) = self.validate(op, &params, request) {
            let documented = [400, 422].into_iter().find_map(|c| {
                op.responses
                    .iter()
                    .find(|r| r.status == StatusKey::Code(c))
                    .map(|r| (c, r))
            });
            let mut out = match documented {
                Some((code, r)) => self.render(op, r, code, None, None),
                None => StubResponse::json(400, &json!({"error": problem})),
            };
            out.set_header("x-contractor-problem", &problem);
            return out;
        }
        self.succeed(op, &params, request, prefer.example.as_deref())
    }

    /// Whether some security alternative of `op` is satisfied by the request's credentials.
    fn authorize(&self, op: &Operation, request: &StubRequest) -> Result<(), String> {
        if op.security.is_empty() || op.security.iter().any(Vec::is_empty) {
            return Ok(());
        }
        let satisfied = op.security.iter().any(|alternative| {
            alternative.iter().all(|(name, _)| {
                let Some(scheme) = self.api.security_schemes.iter().find(|s| &s.name == name)
                else {
                    return true;
                };
                match (scheme.kind.as_str(), scheme.scheme.as_deref()) {
                    ("apiKey", Some("query")) => scheme
                        .param_name
                        .as_deref()
                        .is_some_and(|n| request.query_param(n).is_some()),
                    ("apiKey", Some("cookie")) => request.header("cookie").is_some(),
                    ("apiKey", _) => scheme
                        .param_name
                        .as_deref()
                        .is_some_and(|n| request.header(n).is_some()),
                    ("http", Some(s)) => request
                        .header("authorization")
                        .is_some_and(|v| v.to_ascii_lowercase().starts_with(s)),
                    _ => request.header("authorization").is_some(),
                }
            })
        });
        if satisfied {
            Ok(())
        } else {
            Err("no credentials satisfy the operation's security requirements".to_owned())
        }
    }

    fn validate(
        &self,
        op: &Operation,
        path_params: &[(String, String)],
        request: &StubRequest,
    ) -> Result<(), String> {
        for p in &op.parameters {
            let raw: Vec<&str> = match p.location {
                ParamLocation::Path => path_params
                    .iter()
                    .filter(|(n, _)| n == &p.name)
                    .map(|(_, v)| v.as_str())
                    .collect(),
                ParamLocation::Query => request
                    .query
                    .iter()
                    .filter(|(n, _)| n == &p.name)
                    .map(|(_, v)| v.as_str())
                    .collect(),
                ParamLocation::Header => {
                    if ["accept", "content-type", "authorization"]
                        .contains(&p.name.to_ascii_lowercase().as_str())
                    {
                        continue;
                    }
                    request
                        .headers
                        .iter()
                        .filter(|(n, _)| n.eq_ignore_ascii_case(&p.name))
                        .map(|(_, v)| v.as_str())
                        .collect()
                }
                ParamLocation::Cookie => continue,
            };
            if raw.is_empty() {
                if p.required {
                    return Err(format!(
                        "missing required {} parameter '{}'",
                        p.location.as_str(),
                        p.name
                    ));
                }
                continue;
            }
            let Some(schema_ref) = &p.schema else {
                continue;
            };
            let Some(schema) = self.api.schemas.get(schema_ref) else {
                continue;
            };
            let value = coerce(&self.api, schema, &raw, p.explode);
            let validator = self.api.schemas.validator(schema_ref, Direction::Request)?;
            let problem = validator
                .iter_errors(&value)
                .next()
                .map(|e| format!("{} parameter '{}': {e}", p.location.as_str(), p.name));
            if let Some(problem) = problem {
                return Err(problem);
            }
        }
        let Some(body) = &op.request_body else {
            return Ok(());
        };
        if request.body.is_empty() {
            return if body.required {
                Err("missing required request body".to_owned())
            } else {
                Ok(())
            };
        }
        let content_type = request.header("content-type").unwrap_or("application/json");
        let media = pick_media(&body.content, content_type);
        let Some(media) = media else {
            return Err(format!(
                "request content type '{content_type}' is not documented"
            ));
        };
        if !is_json(&media.name) {
            return Ok(());
        }
        let value: Value = serde_json::from_slice(&request.body)
            .map_err(|e| format!("request body is not JSON: {e}"))?;
        if let Some(schema) = &media.schema {
            let validator = self.api.schemas.validator(schema, Direction::Request)?;
            let problem = validator
                .iter_errors(&value)
                .next()
                .map(|e| format!("request body at '{}': {e}", e.instance_path()));
            if let Some(problem) = problem {
                return Err(problem);
            }
        }
        Ok(())
    }

    fn succeed(
        &self,
        op: &Operation,
        params: &[(String, String)],
        request: &StubRequest,
        example: Option<&str>,
    ) -> StubResponse {
        let Some((code, response)) = success_response(op) else {
            return StubResponse::json(
                501,
                &json!({"error": format!("{} documents no success response", op.id)}),
            );
        };
        let item_id = |r: &Resource| {
            params
                .iter()
                .find(|(n, _)| *n == r.param)
                .map(|(_, v)| v.clone())
        };
        // Create on a collection.
        if op.method == Method::Post {
            if let Some(resource) = self.resources.iter().find(|r| r.collection == op.path) {
                return self.create(op, resource, code, response, request, example);
            }
        }
        // List a collection: what was created, when the documented body is a plain list.
        if op.method == Method::Get {
            if let Some(resource) = self.resources.iter().find(|r| r.collection == op.path) {
                if let Some(listed) = self.listing(resource, response) {
                    return self.render(op, response, code, example, Some(listed));
                }
            }
        }
        // Read, replace or delete one item, or act on something below it.
        let item_path = |r: &Resource| format!("{}/{{{}}}", r.collection, r.param);
        if let Some(resource) = self.resources.iter().find(|r| {
            let item = item_path(r);
            op.path == item || op.path.starts_with(&format!("{item}/"))
        }) {
            let id = item_id(resource).unwrap_or_default();
            let exact = op.path == item_path(resource);
            let mut store = self.lock();
            let items = store.items.entry(resource.collection.clone()).or_default();
            let known = items.get(&id).cloned();
            match (op.method, known) {
                (Method::Get, Some(item)) if exact => {
                    return self.render(op, response, code, example, Some(item))
                }
                (Method::Delete, Some(_)) if exact => {
                    items.remove(&id);
                    return self.render(op, response, code, example, None);
                }
                (Method::Put | Method::Patch, Some(item)) if exact => {
                    let mut updated = item.clone();
                    if let (Ok(Value::Object(patch)), Value::Object(target)) =
                        (serde_json::from_slice::<Value>(&request.body), &mut updated)
                    {
                        for (k, v) in patch {
                            if Some(&k) != resource.id_field.as_ref() {
                                target.insert(k, v);
                            }
                        }
                    }
                    // A change that would break the documented item (a PATCH document, say)
                    // leaves the stored item as it was.
                    let schema = preferred_media(&response.content).and_then(|m| m.schema.clone());
                    let valid = schema.as_ref().is_none_or(|s| {
                        self.api
                            .schemas
                            .validator(s, Direction::Response)
                            .map(|v| v.is_valid(&updated))
                            .unwrap_or(false)
                    });
                    let kept = if valid { updated } else { item };
                    items.insert(id, kept.clone());
                    return self.render(op, response, code, example, Some(kept));
                }
                (_, None) => {
                    drop(store);
                    // A missing item is 404: documented, or under `default`.
                    if let Some(not_found) = op.response_for(404) {
                        return self.render(op, not_found, 404, None, None);
                    }
                }
                _ => {}
            }
        }
        self.render(op, response, code, example, None)
    }

    fn create(
        &self,
        op: &Operation,
        resource: &Resource,
        code: u16,
        response: &ResponseSpec,
        request: &StubRequest,
        example: Option<&str>,
    ) -> StubResponse {
        let mut store = self.lock();
        store.next_id += 1;
        let seq = store.next_id;
        let id = self.new_id(response, resource, seq, &store);
        let mut item = self.body_for(response, example, seq).unwrap_or(Value::Null);
        if let (Value::Object(target), Ok(Value::Object(sent))) =
            (&mut item, serde_json::from_slice::<Value>(&request.body))
        {
            for (k, v) in sent {
                target.insert(k, v);
            }
        }
        if let (Some(field), Value::Object(target)) = (&resource.id_field, &mut item) {
            target.insert(field.clone(), id.clone());
        }
        // The merged item must still match the documented response; otherwise keep the
        // synthesized one (with its id).
        let schema = response.content.first().and_then(|m| m.schema.clone());
        if let Some(schema) = &schema {
            let valid = self
                .api
                .schemas
                .validator(schema, Direction::Response)
                .map(|v| v.is_valid(&item))
                .unwrap_or(true);
            if !valid {
                item = self.body_for(response, example, seq).unwrap_or(Value::Null);
                if let (Some(field), Value::Object(target)) = (&resource.id_field, &mut item) {
                    target.insert(field.clone(), id.clone());
                }
            }
        }
        let key = value_text(&id);
        store
            .items
            .entry(resource.collection.clone())
            .or_default()
            .insert(key, item.clone());
        drop(store);
        self.render(op, response, code, example, Some(item))
    }

    /// The stored items of `resource` as the documented list body, when the body is a list
    /// and they fit it.
    fn listing(&self, resource: &Resource, response: &ResponseSpec) -> Option<Value> {
        let schema_ref = preferred_media(&response.content)?.schema.as_ref()?;
        let schema = self.api.schemas.resolve(self.api.schemas.get(schema_ref)?);
        if schema.get("type").and_then(Value::as_str) != Some("array") {
            return None;
        }
        let store = self.lock();
        let items: Vec<Value> = store
            .items
            .get(&resource.collection)?
            .values()
            .cloned()
            .collect();
        drop(store);
        let listed = Value::Array(items);
        let valid = self
            .api
            .schemas
            .validator(schema_ref, Direction::Response)
            .map(|v| v.is_valid(&listed))
            .unwrap_or(false);
        valid.then_some(listed)
    }

    /// A fresh id for an item of `resource`: the sequence number for integer ids, else a value
    /// synthesized for the id property (so formats and lengths hold), made unique.
    fn new_id(
        &self,
        response: &ResponseSpec,
        resource: &Resource,
        seq: u64,
        store: &Store,
    ) -> Value {
        if resource.integer_ids {
            return json!(seq);
        }
        let taken = |v: &Value| {
            store
                .items
                .get(&resource.collection)
                .is_some_and(|items| items.contains_key(&value_text(v)))
        };
        let schema = resource.id_field.as_ref().and_then(|field| {
            let media = preferred_media(&response.content)?;
            let schema = self.api.schemas.get(media.schema.as_ref()?)?;
            collect_properties(&self.api, schema, 0)
                .get(field.as_str())
                .copied()
        });
        if let Some(schema) = schema {
            for attempt in 0..16 {
                let candidate = synth::synthesize(
                    &self.api.schemas,
                    schema,
                    Direction::Response,
                    synth::Fill::Required,
                    seq.wrapping_mul(7919).wrapping_add(attempt),
                );
                if candidate.is_string() && !taken(&candidate) {
                    return candidate;
                }
            }
        }
        json!(seq.to_string())
    }

    /// The body of `response`: a named or first example, else a synthesized valid value.
    fn body_for(&self, response: &ResponseSpec, example: Option<&str>, seed: u64) -> Option<Value> {
        let media = preferred_media(&response.content)?;
        if let Some(name) = example {
            if let Some((_, v)) = media.examples.iter().find(|(n, _)| n == name) {
                return Some(v.clone());
            }
        }
        if let Some((_, v)) = media.examples.first() {
            return Some(v.clone());
        }
        let schema = media.schema.as_ref()?;
        synth::valid_value(&self.api.schemas, schema, Direction::Response, seed).ok()
    }

    fn render(
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
        self.mutate(op, response)
    }
}

/// A GET on a path without parameters: the collection listing.
fn is_list(op: &Operation) -> bool {
    op.method == Method::Get && !op.path.contains('{')
}

/// The lowest documented 2xx, else a `2XX` range (as 200), else `default` (as 200).
fn success_response(op: &Operation) -> Option<(u16, &ResponseSpec)> {
    let lowest = op
        .responses
        .iter()
        .filter_map(|r| match r.status {
            StatusKey::Code(c) if (200..300).contains(&c) => Some((c, r)),
            _ => None,
        })
        .min_by_key(|(c, _)| *c);
    lowest
        .or_else(|| {
            op.responses
                .iter()
                .find(|r| r.status == StatusKey::Range(2))
                .map(|r| (200, r))
        })
        .or_else(|| {
            op.responses
                .iter()
                .find(|r| r.status == StatusKey::Default)
                .map(|r| (200, r))
        })
}

fn is_json(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m == "*/*"
}

/// JSON first, then whatever is documented first.
fn preferred_media(content: &[MediaType]) -> Option<&MediaType> {
    content
        .iter()
        .find(|m| is_json(&m.name))
        .or_else(|| content.first())
}

fn pick_media<'a>(content: &'a [MediaType], content_type: &str) -> Option<&'a MediaType> {
    let wanted = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    content
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case(&wanted))
        .or_else(|| {
            content
                .iter()
                .find(|m| m.name == "*/*" || m.name.ends_with("/*"))
        })
        .or_else(|| {
            if is_json(&wanted) {
                content.iter().find(|m| is_json(&m.name))
            } else {
                None
            }
        })
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A parameter's raw text as the JSON value its schema expects.
fn coerce(api: &Api, schema: &Value, raw: &[&str], explode: bool) -> Value {
    let schema = api.schemas.resolve(schema);
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if types.contains(&"array") {
        let parts: Vec<&str> = if explode || raw.len() > 1 {
            raw.to_vec()
        } else {
            raw.first()
                .map(|r| r.split(',').collect())
                .unwrap_or_default()
        };
        // `name=` is how form style writes an empty array.
        let parts: Vec<&str> = if parts == [""] { Vec::new() } else { parts };
        let items = schema.get("items").unwrap_or(&Value::Null);
        return Value::Array(
            parts
                .iter()
                .map(|p| coerce(api, items, &[p], false))
                .collect(),
        );
    }
    let text = raw.first().copied().unwrap_or("");
    for t in &types {
        match *t {
            "integer" => {
                if let Ok(n) = text.parse::<i64>() {
                    return json!(n);
                }
            }
            "number" => {
                if let Ok(n) = text.parse::<f64>() {
                    if let Some(n) = serde_json::Number::from_f64(n) {
                        return Value::Number(n);
                    }
                }
            }
            "boolean" => match text {
                "true" => return json!(true),
                "false" => return json!(false),
                _ => {}
            },
            "null" if text == "null" => return Value::Null,
            _ => {}
        }
    }
    Value::String(text.to_owned())
}

/// Collections with a create (POST on the collection) and an item GET or DELETE below it.
fn find_resources(api: &Api) -> Vec<Resource> {
    let mut out = Vec::new();
    for create in api
        .operations
        .iter()
        .filter(|o| o.method == Method::Post && !o.path.ends_with('}'))
    {
        let prefix = format!("{}/{{", create.path.trim_end_matches('/'));
        let item_ops: Vec<&Operation> = api
            .operations
            .iter()
            .filter(|o| {
                o.path.starts_with(&prefix)
                    && o.path.ends_with('}')
                    && !o.path[prefix.len()..].contains('/')
            })
            .collect();
        let Some(item) = item_ops
            .iter()
            .find(|o| o.method == Method::Get)
            .or_else(|| item_ops.first())
        else {
            continue;
        };
        let param = item.path[prefix.len()..item.path.len() - 1].to_owned();
        let (id_field, integer_ids) = id_field_of(api, create, &param);
        out.push(Resource {
            collection: create.path.trim_end_matches('/').to_owned(),
            param,
            id_field,
            integer_ids,
        });
    }
    out
}

/// The property of the created item that holds its id: one named like the path parameter,
/// else `id`.
fn id_field_of(api: &Api, create: &Operation, param: &str) -> (Option<String>, bool) {
    let Some((_, response)) = success_response(create) else {
        return (None, false);
    };
    let Some(schema) = preferred_media(&response.content)
        .and_then(|m| m.schema.as_ref())
        .and_then(|s| api.schemas.get(s))
    else {
        return (None, false);
    };
    let props = collect_properties(api, schema, 0);
    for name in [param, "id"] {
        if let Some(p) = props.get(name) {
            let p = api.schemas.resolve(p);
            let integer = match p.get("type") {
                Some(Value::String(t)) => t == "integer",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
                _ => false,
            };
            return (Some(name.to_owned()), integer);
        }
    }
    (None, false)
}

fn collect_properties<'a>(
    api: &'a Api,
    schema: &'a Value,
    depth: usize,
) -> BTreeMap<String, &'a Value> {
    let mut out = BTreeMap::new();
    if depth > 8 {
        return out;
    }
    let schema = api.schemas.resolve(schema);
    if let Some(Value::Object(props)) = schema.get("properties") {
        for (k, v) in props {
            out.insert(k.clone(), v);
        }
    }
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.extend(collect_properties(api, part, depth + 1));
    }
    out
}
