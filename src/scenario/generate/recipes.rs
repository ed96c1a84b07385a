//! Error outcomes: a recipe per kind of documented error (missing resource, invalid input,
//! missing credentials, no rights, duplicate), or a scenario ignored with the reason there is
//! none.
//!
//! May import `spec` and the rest of `scenario`.

use serde_json::Value;

use super::chain::{prune, Chain};
use super::{param_text, scenario, scenario_seed, GenerateOptions};
use crate::scenario::model::{Outcome, Scenario, Step};
use crate::scenario::synth;
use crate::spec::{Api, Direction, ErrorCode, Graph, Operation, ParamLocation, StatusKey};

pub(super) fn error(
    api: &Api,
    graph: &Graph,
    op: &Operation,
    code: &ErrorCode,
    reason: Option<&String>,
    options: &GenerateOptions,
) -> Scenario {
    let outcome = Outcome::ErrorCode {
        name: code.name.clone(),
        status: code.http_status,
        reason: reason.cloned(),
    };
    let google = code
        .name
        .chars()
        .all(|c| c.is_ascii_uppercase() || c == '_');
    let no_recipe = |why: &str| {
        let reason = format!("no recipe: add one in {} ({why})", options.scenario_dir);
        scenario(
            op,
            outcome.clone(),
            "no_recipe",
            Vec::new(),
            Vec::new(),
            Some(reason),
        )
    };
    if reason.is_some() {
        return no_recipe("a named request error needs domain state");
    }
    let kind = match (code.name.as_str(), code.http_status) {
        ("NOT_FOUND", _) | (_, Some(404)) => "not_found",
        // With both documented, 400 takes malformed input; 422 needs a semantically wrong one.
        (_, Some(422)) if !google && documents(op, 400) => "",
        ("INVALID_ARGUMENT", _) | (_, Some(400 | 422))
            if !google || code.name == "INVALID_ARGUMENT" =>
        {
            "invalid"
        }
        ("UNAUTHENTICATED", _) | (_, Some(401)) => "unauthenticated",
        ("PERMISSION_DENIED", _) | (_, Some(403)) => "forbidden",
        ("ALREADY_EXISTS", _) | (_, Some(409)) => "duplicate",
        _ => "",
    };
    // A missing resource is named by the last path parameter: nothing is created for it.
    let last_param = graph.needs(op).last().map(|(name, _)| name.clone());
    let leave = last_param.as_deref().filter(|_| kind == "not_found");
    let seed = scenario_seed(options, &Scenario::make_id(&op.id, &outcome, "error"));
    // Credentials are checked before anything is looked up: nothing needs creating.
    let chain = Chain::new(api, graph, options, seed);
    let prepared = match if kind == "unauthenticated" {
        Ok(chain.alone(op))
    } else {
        chain.prepare(op, leave)
    } {
        Ok(p) => p,
        Err(why) => {
            return scenario(op, outcome, "valid", Vec::new(), Vec::new(), Some(why));
        }
    };
    let mut call = prepared.call;
    call.expect.status = code.http_status;
    if google {
        call.expect.error_code = Some(code.name.clone());
    }
    let mut steps = prepared.setup;
    let mut cleanup = prepared.cleanup;
    let recipe = Recipe { api, op, options };
    let variant = match recipe.apply(kind, &mut call) {
        Ok(variant) => variant,
        Err(why) => return no_recipe(why),
    };
    prune(&mut steps, &call, &mut cleanup);
    steps.push(call);
    scenario(op, outcome, variant, steps, cleanup, None)
}

/// What an error recipe works with.
struct Recipe<'a> {
    api: &'a Api,
    op: &'a Operation,
    options: &'a GenerateOptions,
}

impl Recipe<'_> {
    /// Turns the valid `call` into one that should fail as `kind` says (adding setup `steps`
    /// and `cleanup` where it needs them); the variant name, or why there is no recipe.
    fn apply(&self, kind: &str, call: &mut Step) -> Result<&'static str, &'static str> {
        let (api, op, options) = (self.api, self.op, self.options);
        Ok(match kind {
            "not_found" => {
                let path_params: Vec<&str> = op
                    .parameters
                    .iter()
                    .filter(|p| p.location == ParamLocation::Path)
                    .map(|p| p.name.as_str())
                    .collect();
                let Some(last) = path_params.last() else {
                    return Err(
                        "the operation has no path parameter to point at a missing resource",
                    );
                };
                call.params
                    .insert((*last).to_owned(), never_created(api, op, last));
                "never_created"
            }
            "invalid" => match break_request(api, op, call) {
                Some(v) => v,
                None => return Err("no field or parameter to break"),
            },
            "unauthenticated" => {
                if op.security.is_empty() && api.security_schemes.is_empty() {
                    return Err("the operation documents no security");
                }
                call.identity = None;
                "no_credentials"
            }
            "forbidden" => match &options.unprivileged_identity {
                Some(who) => {
                    call.identity = Some(who.clone());
                    "unprivileged"
                }
                None => return Err("the target has no identity without rights"),
            },
            "duplicate" => {
                return Err("needs a scenario file: the spec does not say what must be unique")
            }
            _ => return Err("no generic recipe for this code"),
        })
    }
}

fn documents(op: &Operation, status: u16) -> bool {
    op.responses
        .iter()
        .any(|r| r.status == StatusKey::Code(status))
}

/// An id no one created that still fits the parameter's schema: a large number for integer
/// ids, a marked string otherwise (or a synthesized value when the schema constrains it).
fn never_created(api: &Api, op: &Operation, name: &str) -> String {
    let marked = || "contractor-never-created-${run.id}".to_owned();
    let param = op
        .parameters
        .iter()
        .find(|p| p.name == name && p.location == ParamLocation::Path);
    let Some(schema_ref) = param.and_then(|p| p.schema.as_ref()) else {
        return marked();
    };
    let Some(schema) = api.schemas.get(schema_ref) else {
        return marked();
    };
    let fits = |v: &Value| {
        api.schemas
            .accepts(schema_ref, Direction::Request, v)
            .unwrap_or(false)
    };
    let integer = is_numeric(api, schema);
    let candidates: Vec<Value> = if integer {
        let max = api
            .schemas
            .keyword(schema, "maximum")
            .and_then(Value::as_i64)
            .unwrap_or(i64::from(i32::MAX));
        vec![Value::from(max.min(2_147_480_000)), Value::from(max)]
    } else {
        vec![Value::from("contractor-never-created")]
    };
    for c in candidates {
        if fits(&c) {
            return match c {
                Value::String(_) => marked(),
                other => other.to_string(),
            };
        }
    }
    synth::valid_value(&api.schemas, schema_ref, Direction::Request, 999_983)
        .map(|v| param_text(&v))
        .unwrap_or_else(|_| marked())
}

/// Breaks a valid request: drops a required body field, else puts text in a numeric parameter.
fn break_request(api: &Api, op: &Operation, call: &mut Step) -> Option<&'static str> {
    if let (Some(Value::Object(body)), Some(rb)) = (&mut call.body, &op.request_body) {
        let schema = rb
            .content
            .iter()
            .find(|m| m.name.contains("json"))
            .and_then(|m| m.schema.as_ref())
            .and_then(|s| api.schemas.get(s));
        if let Some(schema) = schema {
            let required = api.schemas.required(schema);
            if let Some(field) = required.into_iter().find(|f| body.contains_key(*f)) {
                body.remove(field);
                return Some("missing_field");
            }
        }
    }
    for p in &op.parameters {
        let Some(schema) = p.schema.as_ref().and_then(|s| api.schemas.get(s)) else {
            continue;
        };
        if is_numeric(api, schema) && p.location != ParamLocation::Header {
            call.params
                .insert(p.name.clone(), "not-a-number".to_owned());
            return Some("wrong_type");
        }
    }
    None
}

/// Whether the schema's one type is `integer` or `number`.
fn is_numeric(api: &Api, schema: &Value) -> bool {
    matches!(api.schemas.types(schema).as_slice(), ["integer" | "number"])
}
