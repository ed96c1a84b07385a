//! Generation from the spec, for any spec, seedable, without network: a success scenario per
//! operation, one scenario per documented error code (and reason) with a generic recipe where
//! one exists, a lifecycle scenario per resource, and a paging scenario per list that pages in a
//! style the spec shows. An outcome without a recipe still becomes a scenario, marked ignored
//! with "no recipe: add one in scenarios/...".
//!
//! Reads schemas only through `spec::Schemas`. May import `spec` and the rest of `scenario`.

use std::collections::BTreeMap;

use serde_json::Value;

mod chain;
mod coverage;
mod faults;
mod paging;
mod recipes;
mod redirect;

use crate::scenario::model::{
    fixtures_named, CaptureFrom, Origin, Outcome, Scenario, Step, StepExpect, Tags,
};
use crate::scenario::synth;
use crate::spec::{Api, Direction, Graph, IdSource, Method, Operation, ParamLocation};
use chain::{Chain, Prepared};
pub use coverage::{Coverage, CAP_PER_OPERATION};
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
    /// Coverage scenarios beside the documented outcomes (negative, boundary, methods).
    pub coverage: Coverage,
    /// Further valid inputs per operation, seeded (`{operationId}::examples::{i}`).
    pub examples: usize,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            seed: 1,
            default_identity: Some("default".to_owned()),
            unprivileged_identity: None,
            scenario_dir: "scenarios/<api>/".to_owned(),
            coverage: Coverage::Off,
            examples: 0,
        }
    }
}

/// Every scenario the spec supports, in operation order.
pub fn generate(api: &Api, options: &GenerateOptions) -> Vec<Scenario> {
    let graph = api.graph();
    let mut out = Vec::new();
    for op in &api.operations {
        // An operation that answers with a redirect has its success in the 3xx.
        if redirect::plain(op).is_none() {
            out.push(success(api, graph, op, options));
        }
        out.extend(redirect::outcomes(api, op, options));
        for code in &op.error_codes {
            let reasons: Vec<Option<&String>> = if code.reasons.is_empty() {
                vec![None]
            } else {
                code.reasons.iter().map(Some).collect()
            };
            for reason in reasons {
                out.extend(error(api, graph, op, code, reason, options));
            }
        }
        out.extend(coverage::scenarios(api, graph, op, options));
    }
    for (index, _) in graph.resources.iter().enumerate() {
        if let Some(s) = lifecycle(api, graph, index, options) {
            out.push(s);
        }
    }
    for (index, _) in graph.resources.iter().enumerate() {
        out.extend(paging::pages(api, graph, index, options));
    }
    for s in &mut out {
        s.tags.identities = needed_identities(api, s);
        s.tags.fixtures = fixtures_named(&s.steps, &s.cleanup);
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

/// The lowest documented 2xx.
fn success_status(op: &Operation) -> Option<u16> {
    success_statuses(op).first().copied()
}

/// Every documented 2xx, lowest first (200 for a `2XX`).
fn success_statuses(op: &Operation) -> Vec<u16> {
    let mut statuses: Vec<u16> = op.successes().into_iter().map(|(c, _)| c).collect();
    statuses.sort_unstable();
    statuses.dedup();
    statuses
}

/// What a step that should succeed expects: the lowest documented 2xx, or any other one (a
/// create may answer 200 or 201, as its spec says).
fn expect_success(op: &Operation) -> StepExpect {
    let statuses = success_statuses(op);
    StepExpect {
        status: statuses.first().copied(),
        other_statuses: statuses.get(1..).unwrap_or_default().to_vec(),
        ..StepExpect::default()
    }
}

/// A valid request for `op`: required query and header parameters, and a body.
fn valid_step(api: &Api, op: &Operation, options: &GenerateOptions, seed: u64) -> Step {
    let mut params = BTreeMap::new();
    let mut headers = BTreeMap::new();
    for p in &op.parameters {
        let value = || {
            p.example()
                .cloned()
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
            // Not JSON: a synthesized form, or a string (base64 image, text) sent as it is.
            let media = b.content.iter().find(|m| m.schema.is_some())?;
            let value = synth::valid_value(
                &api.schemas,
                media.schema.as_ref()?,
                Direction::Request,
                seed,
            )
            .ok()?;
            headers.insert("content-type".to_owned(), media.name.clone());
            // A form is an object the runner encodes as fields; anything else is sent as text.
            let form = media
                .name
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded");
            if form && value.is_object() {
                return Some(value);
            }
            raw_body = Some(param_text(&value));
            return None;
        };
        if let Some(example) = media.example(None) {
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
        method: None,
        identity: options.default_identity.clone(),
        params,
        headers,
        body,
        raw_body,
        expect: StepExpect::default(),
        captures: Vec::new(),
        setup: false,
    }
}

fn param_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(param_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
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

/// A seed for one scenario: the run's seed mixed with what the scenario is, so values differ
/// between scenarios (no two setups create the same name) and stay reproducible.
fn scenario_seed(options: &GenerateOptions, key: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ options.seed;
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    // Wide enough that two scenarios of a large suite do not share one (so no two setups
    // create the same name), never 0 (0 means "no variation").
    hash % 999_999_937 + 1
}

/// A scenario that cannot be generated, and why.
fn unprepared(op: &Operation, outcome: Outcome, why: String) -> Scenario {
    scenario(op, outcome, "valid", Vec::new(), Vec::new(), Some(why))
}

fn success(api: &Api, graph: &Graph, op: &Operation, options: &GenerateOptions) -> Scenario {
    let seed = scenario_seed(options, &format!("{}::success", op.id));
    success_seeded(api, graph, op, options, seed)
}

/// The success scenario of `op` with values from `seed`: the call, the setup it needs, and
/// the cleanup of what it and its setup create.
fn success_seeded(
    api: &Api,
    graph: &Graph,
    op: &Operation,
    options: &GenerateOptions,
    seed: u64,
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
    let outcome = Outcome::Success(status);
    let prepared = match Chain::new(api, graph, options, seed).prepare(op, None) {
        Ok(p) => p,
        Err(why) => return unprepared(op, outcome, why),
    };
    let Prepared {
        setup: mut steps,
        mut call,
        mut cleanup,
        values,
    } = prepared;
    call.expect = StepExpect {
        checks: call.expect.checks.take(),
        ..expect_success(op)
    };
    call.expect.after_create = values.values().any(|v| v.starts_with("${created_"));
    // A create's own item is removed afterwards.
    if let Some(delete) = own_item_cleanup(api, graph, op, options, seed, &mut call, &values) {
        cleanup.insert(0, delete);
    }
    // Deleting the item is the call itself: nothing is left to clean up for it.
    cleanup.retain(|c| !(c.operation == call.operation && c.params == call.params));
    steps.push(call);
    scenario(op, outcome, "valid", steps, cleanup, None)
}

/// When `op` creates an item, the delete that removes what `call` creates (its id captured
/// from the answer where the answer shows it: `call` gains that capture). `values` are the
/// path values the chain chose.
pub(super) fn own_item_cleanup(
    api: &Api,
    graph: &Graph,
    op: &Operation,
    options: &GenerateOptions,
    seed: u64,
    call: &mut Step,
    values: &BTreeMap<String, String>,
) -> Option<Step> {
    let resource = &graph.resources[graph.created_by(op)?];
    let delete = resource.delete.as_deref().and_then(|d| api.operation(d))?;
    let id = match &resource.id {
        IdSource::Response(pointer) => {
            let var = "created_item".to_owned();
            call.captures
                .push((var.clone(), CaptureFrom::Body(pointer.clone())));
            Some(format!("${{{var}}}"))
        }
        IdSource::Chosen => values.get(&resource.param).cloned(),
        IdSource::Request(field) => call
            .body
            .as_ref()
            .and_then(|b| b.get(field))
            .map(param_text),
        IdSource::Unknown(_) => None,
    }?;
    let mut item: Vec<String> = graph
        .needs(op)
        .iter()
        .filter(|(name, _)| *name != resource.param)
        .filter_map(|(name, _)| values.get(name).cloned())
        .collect();
    item.push(id);
    Some(delete_step(api, graph, delete, &item, options, seed))
}

/// A delete of the item whose item path values are `item` (parents first).
fn delete_step(
    api: &Api,
    graph: &Graph,
    delete: &Operation,
    item: &[String],
    options: &GenerateOptions,
    seed: u64,
) -> Step {
    let mut step = valid_step(api, delete, options, seed);
    let names: Vec<String> = graph.needs(delete).into_iter().map(|(n, _)| n).collect();
    for (name, value) in names.iter().rev().zip(item.iter().rev()) {
        step.params.insert(name.clone(), value.clone());
    }
    step.expect.checks = Some(Vec::new());
    step
}

/// Create, read, list, delete, read again: for a resource with a read and a delete.
fn lifecycle(
    api: &Api,
    graph: &Graph,
    index: usize,
    options: &GenerateOptions,
) -> Option<Scenario> {
    let resource = &graph.resources[index];
    let create = api.operation(&resource.create)?;
    let get = api.operation(resource.read.as_deref()?)?;
    let delete = api.operation(resource.delete.as_deref()?)?;
    let outcome = Outcome::Lifecycle;
    let seed = scenario_seed(options, &format!("{}::lifecycle", create.id));
    let prepared = Chain::new(api, graph, options, seed).prepare(get, None);
    let mut s = match prepared {
        Err(why) => scenario(
            create,
            outcome,
            "create_read_delete",
            Vec::new(),
            Vec::new(),
            Some(why),
        ),
        Ok(Prepared {
            setup: mut steps,
            call: mut read,
            cleanup,
            values,
        }) => {
            let item: Vec<String> = graph
                .needs(get)
                .iter()
                .filter_map(|(name, _)| values.get(name).cloned())
                .collect();
            let id = item.last().cloned().unwrap_or_default();
            read.expect = StepExpect {
                after_create: true,
                ..expect_success(get)
            };
            steps.push(read.clone());
            if let Some(list) = resource.list.as_deref().and_then(|l| api.operation(l)) {
                let mut l = valid_step(api, list, options, seed);
                let names: Vec<String> = graph.needs(list).into_iter().map(|(n, _)| n).collect();
                for (name, value) in names.iter().zip(&item) {
                    l.params.insert(name.clone(), value.clone());
                }
                l.expect = StepExpect {
                    contains: Some(id.clone()),
                    ..expect_success(list)
                };
                steps.push(l);
            }
            let mut del = delete_step(api, graph, delete, &item, options, seed);
            del.expect = expect_success(delete);
            steps.push(del);
            // Reading it again must fail; without a documented 404 (or a range or default
            // that covers it) no answer is right, so the step is left out.
            if get.response_for(404).is_some() {
                let mut again = read;
                again.expect = StepExpect {
                    after_delete: true,
                    status: Some(404),
                    ..StepExpect::default()
                };
                steps.push(again);
            }
            // The item is deleted by the scenario; its cleanup deletes it too, for when a
            // step before that fails (the runner skips a delete the scenario already made).
            scenario(create, outcome, "create_read_delete", steps, cleanup, None)
        }
    };
    s.tags.mutates = true;
    Some(s)
}
