//! Coverage scenarios, deterministic and named, beside the documented outcomes:
//!
//! - `{operationId}::negative::{field}-{fault}`: the operation's valid call (with the setup
//!   chain its path needs) with exactly one fault, refused with a 4xx the operation documents
//!   for invalid input (400 or 422; 404 too for a path parameter), else any 4xx;
//! - `{operationId}::negative::header.{name}-missing`: a required header left out;
//! - `{operationId}::boundary::{field}-{value}` (`--coverage full`): a value on an edge that
//!   must be accepted;
//! - `{operationId}::unsupported_method::{METHOD}`: once per path, a method it does not
//!   declare, which must get 405 and `Allow`;
//! - `{operationId}::examples::{i}` (`--examples N`): further valid inputs, seeded.
//!
//! Fields are `path.NAME`, `query.NAME`, `header.NAME`, `body` and `body.NAME` (top-level body
//! fields of a JSON body; nested ones are left to the `examples` phase). Each fault is kept
//! only when the API's own validator rejects the request (a parameter's `format` as well,
//! since servers parse them), so no scenario asks for a refusal the contract does not imply.
//!
//! May import `spec` and the rest of `scenario`.

use std::collections::BTreeSet;
use std::str::FromStr;

use serde_json::Value;

use super::chain::{Chain, Prepared};
use super::faults::{boundary_values, broken_values, Place};
use super::{expect_success, param_text, scenario, scenario_seed, GenerateOptions};
use crate::scenario::model::{Outcome, Probe, Scenario, Step, StepExpect};
use crate::scenario::synth::{synthesize, Fill};
use crate::spec::{Api, Direction, Graph, Operation, ParamLocation, SchemaRef, StatusKey};

/// At most this many negative (and, apart, boundary) scenarios per operation. Over it, the
/// choice is deterministic: one of each kind of fault first, in spec order, then a second of
/// each, and so on, so every kind an operation has is probed.
pub const CAP_PER_OPERATION: usize = 12;

/// How deep coverage goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Coverage {
    /// Only the documented outcomes.
    #[default]
    Off,
    /// Also one-fault negative requests, missing required headers and undeclared methods.
    Negative,
    /// Also boundary values that must be accepted.
    Full,
}

impl FromStr for Coverage {
    type Err = String;

    fn from_str(text: &str) -> Result<Coverage, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "off" => Ok(Coverage::Off),
            "negative" => Ok(Coverage::Negative),
            "full" => Ok(Coverage::Full),
            _ => Err(format!(
                "--coverage takes off, negative or full, not '{text}'"
            )),
        }
    }
}

/// Header parameters the runner and the stub treat as transport, never as parameters.
const TRANSPORT_HEADERS: [&str; 3] = ["accept", "content-type", "authorization"];

/// One way to change the valid call: its field, its name (fault or value), its kind for the
/// cap, and the change.
struct Variant {
    field: String,
    name: String,
    kind: String,
    change: Change,
}

enum Change {
    /// A path or query parameter: its new text, or left out.
    Param(String, Option<String>),
    /// A header: its new text, or left out.
    Header(String, Option<String>),
    /// The whole body: a new one, or none.
    Body(Option<Value>),
}

impl Change {
    fn apply(&self, call: &mut Step) {
        match self {
            Change::Param(name, Some(text)) => {
                call.params.insert(name.clone(), text.clone());
            }
            Change::Param(name, None) => {
                call.params.remove(name);
            }
            Change::Header(name, text) => {
                call.headers.retain(|k, _| !k.eq_ignore_ascii_case(name));
                if let Some(text) = text {
                    call.headers.insert(name.clone(), text.clone());
                }
            }
            Change::Body(body) => call.body.clone_from(body),
        }
    }
}

/// The coverage scenarios of `op` (the undeclared-method one only for the first operation of
/// its path).
pub(super) fn scenarios(
    api: &Api,
    graph: &Graph,
    op: &Operation,
    options: &GenerateOptions,
) -> Vec<Scenario> {
    let mut out = Vec::new();
    if options.coverage != Coverage::Off {
        let seed = scenario_seed(options, &format!("{}::coverage", op.id));
        if let Ok(prepared) = Chain::new(api, graph, options, seed).prepare(op, None) {
            let own = OwnItem {
                graph,
                options,
                seed,
            };
            out.extend(negatives(api, op, &prepared, &own));
            if options.coverage == Coverage::Full && super::success_status(op).is_some() {
                out.extend(boundaries(api, op, &prepared, &own));
            }
        }
        out.extend(unsupported_method(api, graph, op, options));
    }
    out.extend(examples(api, graph, op, options));
    out
}

/// One scenario per fault, capped.
fn negatives(api: &Api, op: &Operation, prepared: &Prepared, own: &OwnItem<'_>) -> Vec<Scenario> {
    let mut variants = param_faults(api, op, &prepared.call);
    variants.extend(body_faults(api, op, &prepared.call));
    let outcome = Outcome::Coverage("negative".to_owned());
    capped(variants)
        .into_iter()
        .map(|v| {
            let mut call = prepared.call.clone();
            v.change.apply(&mut call);
            let path = v.field.starts_with("path.");
            call.expect = expect_refusal(op, path);
            call.expect.probe = Some(if v.name == "missing" && v.field.starts_with("header.") {
                Probe::MissingHeader {
                    name: v.field["header.".len()..].to_owned(),
                }
            } else {
                Probe::Negative {
                    field: v.field.clone(),
                    fault: v.name.clone(),
                }
            });
            let variant = format!("{}-{}", v.field, v.name);
            with_setup(api, op, (outcome.clone(), &variant), prepared, call, own)
        })
        .collect()
}

/// One scenario per boundary value, capped.
fn boundaries(api: &Api, op: &Operation, prepared: &Prepared, own: &OwnItem<'_>) -> Vec<Scenario> {
    let mut variants = param_boundaries(api, op);
    variants.extend(body_boundaries(api, op, &prepared.call));
    let outcome = Outcome::Coverage("boundary".to_owned());
    capped(variants)
        .into_iter()
        .map(|v| {
            let mut call = prepared.call.clone();
            v.change.apply(&mut call);
            call.expect = StepExpect {
                probe: Some(Probe::Positive {
                    field: v.field.clone(),
                    value: v.name.clone(),
                }),
                ..expect_success(op)
            };
            let variant = format!("{}-{}", v.field, v.name);
            with_setup(api, op, (outcome.clone(), &variant), prepared, call, own)
        })
        .collect()
}

/// What removing an item a coverage call creates takes besides the API and the operation.
struct OwnItem<'a> {
    graph: &'a Graph,
    options: &'a GenerateOptions,
    seed: u64,
}

/// The scenario of one coverage call: the chain's setup, the call, and the cleanup, which
/// also removes what the call itself creates (a boundary value accepted, or a fault a server
/// wrongly accepted).
fn with_setup(
    api: &Api,
    op: &Operation,
    (outcome, variant): (Outcome, &str),
    prepared: &Prepared,
    mut call: Step,
    own: &OwnItem<'_>,
) -> Scenario {
    let mut cleanup = prepared.cleanup.clone();
    let values = &prepared.values;
    if let Some(delete) =
        super::own_item_cleanup(api, own.graph, op, own.options, own.seed, &mut call, values)
    {
        cleanup.insert(0, delete);
    }
    let mut steps = prepared.setup.clone();
    steps.push(call);
    scenario(op, outcome, variant, steps, cleanup, None)
}

/// At most [`CAP_PER_OPERATION`], one of each kind first, in their order.
fn capped(variants: Vec<Variant>) -> Vec<Variant> {
    let mut seen_ids = BTreeSet::new();
    let variants: Vec<Variant> = variants
        .into_iter()
        .filter(|v| seen_ids.insert(format!("{}-{}", v.field, v.name)))
        .collect();
    if variants.len() <= CAP_PER_OPERATION {
        return variants;
    }
    let mut rank: Vec<(usize, usize)> = Vec::new();
    for (at, v) in variants.iter().enumerate() {
        let before = variants[..at].iter().filter(|o| o.kind == v.kind).count();
        rank.push((before, at));
    }
    rank.sort_unstable();
    let keep: BTreeSet<usize> = rank
        .into_iter()
        .take(CAP_PER_OPERATION)
        .map(|(_, at)| at)
        .collect();
    variants
        .into_iter()
        .enumerate()
        .filter(|(at, _)| keep.contains(at))
        .map(|(_, v)| v)
        .collect()
}

/// What a negative call expects: the statuses the operation documents for invalid input
/// (400, 422; 404 as well for a path parameter), else any 4xx (`status_code_conformance`
/// then holds it to the operation's `4XX` or `default` when there is one).
fn expect_refusal(op: &Operation, path: bool) -> StepExpect {
    let documented = |s: u16| {
        op.responses.iter().any(|r| r.status == StatusKey::Code(s))
            || op.error_codes.iter().any(|c| c.http_status == Some(s))
    };
    let mut codes: Vec<u16> = [400, 422].into_iter().filter(|s| documented(*s)).collect();
    if path && documented(404) && !codes.is_empty() {
        codes.push(404);
    }
    if let Some((first, rest)) = codes.split_first() {
        return StepExpect {
            status: Some(*first),
            other_statuses: rest.to_vec(),
            ..StepExpect::default()
        };
    }
    StepExpect {
        status_range: Some(4),
        ..StepExpect::default()
    }
}

/// The parameters coverage varies: path, query and header ones, transport headers aside.
fn varied(op: &Operation) -> impl Iterator<Item = &crate::spec::Parameter> {
    op.parameters.iter().filter(|p| match p.location {
        ParamLocation::Path | ParamLocation::Query => true,
        ParamLocation::Header => !TRANSPORT_HEADERS.contains(&p.name.to_ascii_lowercase().as_str()),
        ParamLocation::Cookie => false,
    })
}

fn field_of(p: &crate::spec::Parameter) -> String {
    format!("{}.{}", p.location.as_str(), p.name)
}

fn param_change(p: &crate::spec::Parameter, text: Option<String>) -> Change {
    match p.location {
        ParamLocation::Header => Change::Header(p.name.clone(), text),
        _ => Change::Param(p.name.clone(), text),
    }
}

/// The valid JSON value of parameter `p` in `call` (its text read back as its schema's type).
fn param_value(api: &Api, schema: &Value, text: &str) -> Value {
    let types = api.schemas.types(schema);
    if types.contains(&"array") {
        let items = api.schemas.keyword(schema, "items").unwrap_or(&Value::Null);
        return Value::Array(
            text.split(',')
                .filter(|t| !t.is_empty())
                .map(|t| param_value(api, items, t))
                .collect(),
        );
    }
    if types
        .iter()
        .any(|t| matches!(*t, "integer" | "number" | "boolean"))
    {
        if let Ok(v) = serde_json::from_str::<Value>(text) {
            if !v.is_string() {
                return v;
            }
        }
    }
    Value::String(text.to_owned())
}

/// Whether parameter schema `r` judges `value` valid, its format included.
fn param_fits(api: &Api, r: &SchemaRef, schema: &Value, value: &Value) -> bool {
    let valid = api.schemas.accepts(r, Direction::Request, value) == Some(true);
    let format = api
        .schemas
        .keyword(schema, "format")
        .and_then(Value::as_str);
    valid
        && format.is_none_or(|f| {
            let items = value
                .as_array()
                .map_or_else(|| vec![value], |a| a.iter().collect());
            items.iter().all(|v| api.schemas.fits_format(f, v))
        })
}

fn param_faults(api: &Api, op: &Operation, call: &Step) -> Vec<Variant> {
    let mut out = Vec::new();
    for p in varied(op) {
        let field = field_of(p);
        let current = match p.location {
            ParamLocation::Header => call.headers.get(&p.name),
            _ => call.params.get(&p.name),
        };
        if p.required && p.location != ParamLocation::Path && current.is_some() {
            out.push(Variant {
                field: field.clone(),
                name: "missing".to_owned(),
                kind: "missing".to_owned(),
                change: param_change(p, None),
            });
        }
        let Some(r) = &p.schema else { continue };
        let Some(schema) = api.schemas.get(r) else {
            continue;
        };
        let text = current.cloned().unwrap_or_default();
        let valid = param_value(api, schema, &text);
        for (fault, value) in broken_values(&api.schemas, schema, &valid, Place::Param) {
            let sent = param_text(&value);
            let empty_segment = p.location == ParamLocation::Path && sent.is_empty();
            if empty_segment || param_fits(api, r, schema, &param_value(api, schema, &sent)) {
                continue;
            }
            out.push(Variant {
                field: field.clone(),
                name: fault.to_owned(),
                kind: fault.to_owned(),
                change: param_change(p, Some(sent)),
            });
        }
    }
    out
}

fn param_boundaries(api: &Api, op: &Operation) -> Vec<Variant> {
    let mut out = Vec::new();
    // A path parameter names an item the setup made: another value names none.
    for p in varied(op).filter(|p| p.location != ParamLocation::Path) {
        let Some(r) = &p.schema else { continue };
        let Some(schema) = api.schemas.get(r) else {
            continue;
        };
        for (name, value) in boundary_values(&api.schemas, schema, Place::Param) {
            let sent = param_text(&value);
            if !param_fits(api, r, schema, &param_value(api, schema, &sent)) {
                continue;
            }
            out.push(Variant {
                field: field_of(p),
                kind: name.split('-').next().unwrap_or_default().to_owned(),
                name,
                change: param_change(p, Some(sent)),
            });
        }
    }
    out
}

/// The JSON body schema of `op` and the valid body of `call`, when the call sends JSON.
fn json_body<'a>(op: &'a Operation, call: &'a Step) -> Option<(&'a SchemaRef, &'a Value)> {
    let form = call
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
    if form || call.raw_body.is_some() {
        return None;
    }
    let media = op
        .request_body
        .as_ref()?
        .content
        .iter()
        .find(|m| m.name.contains("json"))?;
    Some((media.schema.as_ref()?, call.body.as_ref()?))
}

/// A field name as an id keeps it: no `::`, no spaces.
fn id_word(name: &str) -> String {
    name.replace("::", "_").replace(char::is_whitespace, "_")
}

fn body_faults(api: &Api, op: &Operation, call: &Step) -> Vec<Variant> {
    let Some((r, body)) = json_body(op, call) else {
        return Vec::new();
    };
    let schemas = &api.schemas;
    let rejects =
        |candidate: &Value| schemas.accepts(r, Direction::Request, candidate) == Some(false);
    let mut out = Vec::new();
    let variant = |field: String, fault: &str, body: Option<Value>| Variant {
        field,
        name: fault.to_owned(),
        kind: fault.to_owned(),
        change: Change::Body(body),
    };
    if op.request_body.as_ref().is_some_and(|b| b.required) {
        out.push(variant("body".to_owned(), "missing", None));
    }
    let (Some(root), Value::Object(fields)) = (schemas.get(r), body) else {
        return out;
    };
    let required = schemas.required(root);
    let mut names = BTreeSet::new();
    for (name, property) in schemas.properties(root) {
        if !names.insert(name) || schemas.excluded(property, Direction::Request) {
            continue;
        }
        let field = format!("body.{}", id_word(name));
        if required.contains(&name) && fields.contains_key(name) {
            let mut without = fields.clone();
            without.remove(name);
            let candidate = Value::Object(without);
            if rejects(&candidate) {
                out.push(variant(field.clone(), "missing", Some(candidate)));
            }
        }
        let valid = fields.get(name).cloned().unwrap_or_else(|| {
            synthesize(schemas, property, Direction::Request, Fill::Required, 1)
        });
        for (fault, value) in broken_values(schemas, property, &valid, Place::Body) {
            let mut changed = fields.clone();
            changed.insert(name.to_owned(), value);
            let candidate = Value::Object(changed);
            if rejects(&candidate) {
                out.push(variant(field.clone(), fault, Some(candidate)));
            }
        }
    }
    if schemas.keyword(root, "additionalProperties") == Some(&Value::Bool(false)) {
        let mut extra = fields.clone();
        extra.insert("contractor_unexpected".to_owned(), Value::Bool(true));
        let candidate = Value::Object(extra);
        if rejects(&candidate) {
            out.push(variant(
                "body".to_owned(),
                "additional-property",
                Some(candidate),
            ));
        }
    }
    out
}

fn body_boundaries(api: &Api, op: &Operation, call: &Step) -> Vec<Variant> {
    let Some((r, Value::Object(fields))) = json_body(op, call) else {
        return Vec::new();
    };
    let schemas = &api.schemas;
    let Some(root) = schemas.get(r) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut names = BTreeSet::new();
    for (name, property) in schemas.properties(root) {
        if !names.insert(name) || schemas.excluded(property, Direction::Request) {
            continue;
        }
        for (value_name, value) in boundary_values(schemas, property, Place::Body) {
            let mut changed = fields.clone();
            changed.insert(name.to_owned(), value);
            let candidate = Value::Object(changed);
            if schemas.accepts(r, Direction::Request, &candidate) != Some(true) {
                continue;
            }
            out.push(Variant {
                field: format!("body.{}", id_word(name)),
                kind: value_name.split('-').next().unwrap_or_default().to_owned(),
                name: value_name,
                change: Change::Body(Some(candidate)),
            });
        }
    }
    out
}

/// Methods probed on a path that does not declare them, safest first: `GET` changes nothing;
/// of the others, a `PATCH` without a body is the least likely to change anything, `DELETE`
/// the most.
const PROBED_METHODS: [&str; 5] = ["GET", "PATCH", "PUT", "POST", "DELETE"];

/// The undeclared-method probe of `op`'s path, for the first operation of the path only. A
/// 405 is the path's answer whatever item it names, so nothing is created for it: the path
/// parameters get values that fit them.
fn unsupported_method(
    api: &Api,
    graph: &Graph,
    op: &Operation,
    options: &GenerateOptions,
) -> Option<Scenario> {
    let siblings: Vec<&Operation> = api
        .operations
        .iter()
        .filter(|o| o.path == op.path)
        .collect();
    if siblings.first().map(|o| o.id.as_str()) != Some(op.id.as_str()) {
        return None;
    }
    let mut allowed: Vec<String> = siblings
        .iter()
        .map(|o| o.method.as_str().to_owned())
        .collect();
    allowed.sort();
    allowed.dedup();
    let method = PROBED_METHODS
        .iter()
        .find(|m| !allowed.iter().any(|a| a == *m))?;
    let seed = scenario_seed(options, &format!("{}::unsupported_method", op.id));
    let mut call = Chain::new(api, graph, options, seed).alone(op).call;
    let path_params: Vec<&str> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.name.as_str())
        .collect();
    call.params.retain(|k, _| path_params.contains(&k.as_str()));
    call.headers.clear();
    call.body = None;
    call.raw_body = None;
    call.method = Some((*method).to_owned());
    call.expect = StepExpect {
        checks: Some(vec![
            "not_a_server_error".to_owned(),
            "unsupported_method".to_owned(),
        ]),
        probe: Some(Probe::UnsupportedMethod { allowed }),
        ..StepExpect::default()
    };
    let outcome = Outcome::Coverage("unsupported_method".to_owned());
    let mut s = scenario(op, outcome, method, vec![call], Vec::new(), None);
    // A probe that is not a GET is a mutating request, whatever the operation it borrows.
    s.tags.mutates = *method != "GET";
    Some(s)
}

/// `options.examples` further valid calls of `op`, each the success scenario with its own
/// seed (what it creates is cleaned up as the success scenario's is).
fn examples(api: &Api, graph: &Graph, op: &Operation, options: &GenerateOptions) -> Vec<Scenario> {
    if super::success_status(op).is_none() {
        return Vec::new();
    }
    (0..options.examples)
        .filter_map(|i| {
            let seed = scenario_seed(options, &format!("{}::examples::{i}", op.id));
            let mut s = super::success_seeded(api, graph, op, options, seed);
            if s.ignored.is_some() {
                return None;
            }
            let call = s.steps.last_mut()?;
            call.expect.probe = Some(Probe::Positive {
                field: String::new(),
                value: format!("example-{i}"),
            });
            s.outcome = Outcome::Coverage("examples".to_owned());
            s.id = Scenario::make_id(&op.id, &s.outcome, &i.to_string());
            Some(s)
        })
        .collect()
}
