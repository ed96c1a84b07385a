//! Generation from the spec, for any spec, seedable, without network: a success scenario per
//! operation, one scenario per documented error code (and reason) with a generic recipe where
//! one exists, and a lifecycle scenario per resource. An outcome without a recipe still becomes
//! a scenario, marked ignored with "no recipe: add one in scenarios/...".
//!
//! Reads schemas only through `spec::Schemas`. May import `spec` and the rest of `scenario`.

use std::collections::BTreeMap;

use serde_json::Value;

mod recipes;
mod redirect;

use crate::scenario::model::{CaptureFrom, Origin, Outcome, Scenario, Step, StepExpect, Tags};
use crate::scenario::synth;
use crate::spec::{Api, Direction, Method, Operation, ParamLocation, StatusKey};
use recipes::error;

/// How to generate.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// Varies synthesized values.
    pub seed: u64,
    /// The identity requests are sent as by default (`None`: no credentials).
    pub default_identity: Option<String>,
    /// An identity without rights, for PERMISSION_DENIED / 403, when the target has one.
    pub unprivileged_identity: Option<String>,
    /// Where hand-written scenarios for this API go, for the "no recipe" reason.
    pub scenario_dir: String,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            seed: 1,
            default_identity: Some("default".to_owned()),
            unprivileged_identity: None,
            scenario_dir: "scenarios/<api>/".to_owned(),
        }
    }
}

/// A collection: a create (POST on it), and operations on `{param}` below it.
struct Resource<'a> {
    create: &'a Operation,
    param: String,
    id_pointer: String,
    get: Option<&'a Operation>,
    delete: Option<&'a Operation>,
    list: Option<&'a Operation>,
}

/// Every scenario the spec supports, in operation order.
pub fn generate(api: &Api, options: &GenerateOptions) -> Vec<Scenario> {
    let resources = resources(api);
    let mut out = Vec::new();
    for op in &api.operations {
        let resource = resources.iter().find(|r| r.param_op(op));
        // An operation that answers with a redirect has its success in the 3xx.
        if redirect::plain(op).is_none() {
            out.push(success(api, op, resource, options));
        }
        out.extend(redirect::outcomes(api, op, options));
        for code in &op.error_codes {
            let reasons: Vec<Option<&String>> = if code.reasons.is_empty() {
                vec![None]
            } else {
                code.reasons.iter().map(Some).collect()
            };
            for reason in reasons {
                out.extend(error(api, op, code, reason, options));
            }
        }
    }
    for r in &resources {
        if let Some(s) = lifecycle(api, r, options) {
            out.push(s);
        }
    }
    for s in &mut out {
        s.tags.identities = needed_identities(api, s);
    }
    out
}

/// The identities a generated scenario cannot run without: those of its steps whose operation
/// asks for credentials. A spec without security (or an operation with `security: []`) needs
/// none; its steps still carry the default identity, sent when the run has it, since many
/// specs leave out the security their servers enforce.
fn needed_identities(api: &Api, scenario: &Scenario) -> Vec<String> {
    let mut names: Vec<String> = scenario
        .steps
        .iter()
        .chain(&scenario.cleanup)
        .filter(|s| {
            api.operation(&s.operation)
                .is_some_and(Operation::needs_credentials)
        })
        .filter_map(|s| s.identity.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

impl Resource<'_> {
    /// Whether `op` acts on one item of this resource.
    fn param_op(&self, op: &Operation) -> bool {
        op.path.starts_with(&format!(
            "{}/{{{}}}",
            self.create.path.trim_end_matches('/'),
            self.param
        ))
    }
}

fn resources(api: &Api) -> Vec<Resource<'_>> {
    let mut out = Vec::new();
    for create in api
        .operations
        .iter()
        .filter(|o| o.method == Method::Post && !o.path.contains('{'))
    {
        let prefix = format!("{}/{{", create.path.trim_end_matches('/'));
        let item = |m: Method| {
            api.operations.iter().find(|o| {
                o.method == m
                    && o.path.starts_with(&prefix)
                    && o.path.ends_with('}')
                    && !o.path[prefix.len()..].contains('/')
            })
        };
        let Some(any) = item(Method::Get).or_else(|| item(Method::Delete)) else {
            continue;
        };
        let param = any.path[prefix.len()..any.path.len() - 1].to_owned();
        let id_pointer = id_pointer(api, create, &param);
        let list = api
            .operations
            .iter()
            .find(|o| o.method == Method::Get && o.path == create.path);
        out.push(Resource {
            create,
            param,
            id_pointer,
            get: item(Method::Get),
            delete: item(Method::Delete),
            list,
        });
    }
    out
}

/// Where the created item's id is in the create response: `/{param}` or `/id`.
fn id_pointer(api: &Api, create: &Operation, param: &str) -> String {
    let schema = success_status(create)
        .and_then(|s| create.response_for(s))
        .and_then(|r| r.content.first())
        .and_then(|m| m.schema.as_ref())
        .and_then(|s| api.schemas.get(s));
    let has = |name: &str| schema.is_some_and(|s| api.schemas.property(s, name).is_some());
    if has(param) {
        format!("/{param}")
    } else {
        "/id".to_owned()
    }
}

/// The lowest documented 2xx.
fn success_status(op: &Operation) -> Option<u16> {
    op.responses
        .iter()
        .filter_map(|r| match r.status {
            StatusKey::Code(c) if (200..300).contains(&c) => Some(c),
            StatusKey::Range(2) => Some(200),
            _ => None,
        })
        .min()
}

/// A valid request for `op`: required query and header parameters, and a body.
fn valid_step(api: &Api, op: &Operation, options: &GenerateOptions, seed: u64) -> Step {
    let mut params = BTreeMap::new();
    let mut headers = BTreeMap::new();
    for p in &op.parameters {
        let value = || {
            p.example
                .clone()
                .or_else(|| {
                    p.schema.as_ref().and_then(|s| {
                        synth::valid_value(&api.schemas, s, Direction::Request, seed).ok()
                    })
                })
                .map(|v| param_text(&v))
                .unwrap_or_else(|| "contractor".to_owned())
        };
        match p.location {
            ParamLocation::Path => {
                params.insert(p.name.clone(), value());
            }
            ParamLocation::Query if p.required => {
                params.insert(p.name.clone(), value());
            }
            ParamLocation::Header if p.required => {
                headers.insert(p.name.clone(), value());
            }
            _ => {}
        }
    }
    let mut raw_body = None;
    let body = op.request_body.as_ref().and_then(|b| {
        let Some(media) = b.content.iter().find(|m| m.name.contains("json")) else {
            // Not JSON: a synthesized string (base64 image, text) sent as it is.
            let media = b.content.iter().find(|m| m.schema.is_some())?;
            let value = synth::valid_value(
                &api.schemas,
                media.schema.as_ref()?,
                Direction::Request,
                seed,
            )
            .ok()?;
            raw_body = Some(param_text(&value));
            headers.insert("content-type".to_owned(), media.name.clone());
            return None;
        };
        if let Some((_, example)) = media.examples.first() {
            return Some(example.clone());
        }
        synth::valid_value(
            &api.schemas,
            media.schema.as_ref()?,
            Direction::Request,
            seed,
        )
        .ok()
    });
    Step {
        operation: op.id.clone(),
        identity: options.default_identity.clone(),
        params,
        headers,
        body,
        raw_body,
        expect: StepExpect::default(),
        captures: Vec::new(),
    }
}

fn param_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(param_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// A setup step creating an item of `r` and capturing its id as `${created_id}`, with the
/// cleanup step deleting it.
fn setup(api: &Api, r: &Resource<'_>, options: &GenerateOptions, seed: u64) -> (Step, Vec<Step>) {
    let mut create = valid_step(api, r.create, options, seed);
    create.expect.status = success_status(r.create);
    create.captures.push((
        "created_id".to_owned(),
        CaptureFrom::Body(r.id_pointer.clone()),
    ));
    let cleanup = r
        .delete
        .map(|d| {
            let mut step = valid_step(api, d, options, seed);
            step.params
                .insert(r.param.clone(), "${created_id}".to_owned());
            step.expect.checks = Some(Vec::new());
            vec![step]
        })
        .unwrap_or_default();
    (create, cleanup)
}

fn scenario(
    op: &Operation,
    outcome: Outcome,
    variant: &str,
    steps: Vec<Step>,
    cleanup: Vec<Step>,
    ignored: Option<String>,
) -> Scenario {
    let mut identities: Vec<String> = steps
        .iter()
        .chain(&cleanup)
        .filter_map(|s| s.identity.clone())
        .collect();
    identities.sort();
    identities.dedup();
    let mutates = steps
        .iter()
        .any(|s| s.operation != op.id || op.method != Method::Get)
        || !cleanup.is_empty();
    Scenario {
        id: Scenario::make_id(&op.id, &outcome, variant),
        operation: op.id.clone(),
        outcome,
        steps,
        cleanup,
        tags: Tags {
            mutates,
            identities,
            fixtures: Vec::new(),
        },
        origin: Origin::Generated,
        ignored,
    }
}

fn success(
    api: &Api,
    op: &Operation,
    resource: Option<&Resource<'_>>,
    options: &GenerateOptions,
) -> Scenario {
    let Some(status) = success_status(op) else {
        let outcome = Outcome::Success(200);
        return scenario(
            op,
            outcome,
            "valid",
            Vec::new(),
            Vec::new(),
            Some("the operation documents no success response".to_owned()),
        );
    };
    let mut steps = Vec::new();
    let mut cleanup = Vec::new();
    let mut call = valid_step(api, op, options, options.seed);
    call.expect.status = Some(status);
    if let Some(r) = resource {
        let (create, delete) = setup(api, r, options, options.seed);
        steps.push(create);
        call.params
            .insert(r.param.clone(), "${created_id}".to_owned());
        call.expect.after_create = true;
        // Deleting it is the call itself; nothing is left to clean up.
        if op.method != Method::Delete {
            cleanup = delete;
        }
    }
    let creates = op.method == Method::Post && !op.path.contains('{');
    if creates {
        if let Some(r) = resources(api).into_iter().find(|r| r.create.id == op.id) {
            call.captures.push((
                "created_id".to_owned(),
                CaptureFrom::Body(r.id_pointer.clone()),
            ));
            cleanup = setup(api, &r, options, options.seed).1;
        }
    }
    steps.push(call);
    scenario(op, Outcome::Success(status), "valid", steps, cleanup, None)
}

fn lifecycle(api: &Api, r: &Resource<'_>, options: &GenerateOptions) -> Option<Scenario> {
    let get = r.get?;
    let delete = r.delete?;
    let seed = options.seed.wrapping_add(7);
    let (create, _) = setup(api, r, options, seed);
    let mut read = valid_step(api, get, options, seed);
    read.params
        .insert(r.param.clone(), "${created_id}".to_owned());
    read.expect.status = success_status(get);
    read.expect.after_create = true;
    let mut steps = vec![create, read];
    if let Some(list) = r.list {
        let mut l = valid_step(api, list, options, seed);
        l.expect.status = success_status(list);
        l.expect.contains = Some("${created_id}".to_owned());
        steps.push(l);
    }
    let mut del = valid_step(api, delete, options, seed);
    del.params
        .insert(r.param.clone(), "${created_id}".to_owned());
    del.expect.status = success_status(delete);
    steps.push(del);
    let mut again = valid_step(api, get, options, seed);
    again
        .params
        .insert(r.param.clone(), "${created_id}".to_owned());
    again.expect.after_delete = true;
    if get
        .responses
        .iter()
        .any(|x| x.status == StatusKey::Code(404))
    {
        again.expect.status = Some(404);
    }
    steps.push(again);
    let mut s = scenario(
        r.create,
        Outcome::Lifecycle,
        "create_read_delete",
        steps,
        Vec::new(),
        None,
    );
    s.tags.mutates = true;
    Some(s)
}
