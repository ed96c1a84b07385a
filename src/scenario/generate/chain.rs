//! Setup chains: the steps that create what an operation's path parameters name, parents
//! before children, with the cleanup that removes them again in reverse order.
//!
//! A parameter with a producer in the [`Graph`] gets a create step (and the producer's own
//! parameters first); one without gets the spec's example, a synthesized value when it is not
//! an identifier, or else a fixture value (`${fixtures.NAME}`) the run must be given.
//!
//! May import `spec` and the rest of `scenario`.

use std::collections::BTreeMap;

use super::{delete_step, expect_success, param_text, valid_step, GenerateOptions};
use crate::scenario::model::{CaptureFrom, Step};
use crate::scenario::synth;
use crate::spec::{
    fixture_name, names_an_item, Api, Direction, Graph, IdSource, Operation, ParamLocation,
    Producer, Resource,
};

/// How many creates deep a chain may go before it is taken for a cycle.
const MAX_DEPTH: usize = 8;

/// A call ready to send, with what it needs created first.
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    /// Steps that create what the call needs, parents first.
    pub setup: Vec<Step>,
    /// The call, its path parameters filled.
    pub call: Step,
    /// Steps that remove what `setup` created, children first.
    pub cleanup: Vec<Step>,
    /// The path parameter values, by the call's own names.
    pub values: BTreeMap<String, String>,
}

/// Builds chains for one scenario: a created resource is reused by everything after it.
pub(super) struct Chain<'a> {
    api: &'a Api,
    graph: &'a Graph,
    options: &'a GenerateOptions,
    seed: u64,
    setup: Vec<Step>,
    cleanup: Vec<Step>,
    /// The item parameter values of each created resource, in its item path's order.
    made: BTreeMap<usize, Vec<String>>,
    /// Capture variable names in use.
    names: Vec<String>,
}

impl<'a> Chain<'a> {
    pub(super) fn new(
        api: &'a Api,
        graph: &'a Graph,
        options: &'a GenerateOptions,
        seed: u64,
    ) -> Chain<'a> {
        Chain {
            api,
            graph,
            options,
            seed,
            setup: Vec::new(),
            cleanup: Vec::new(),
            made: BTreeMap::new(),
            names: Vec::new(),
        }
    }

    /// The valid call for `op` with nothing created for it: its path parameters get values
    /// that fit them.
    pub(super) fn alone(self, op: &Operation) -> Prepared {
        Prepared {
            setup: Vec::new(),
            call: valid_step(self.api, op, self.options, self.seed),
            cleanup: Vec::new(),
            values: BTreeMap::new(),
        }
    }

    /// The valid call for `op` and what it needs; `leave` names a path parameter the caller
    /// fills itself (nothing is created for it). `Err` says which parameter cannot be given a
    /// value, and why.
    pub(super) fn prepare(
        mut self,
        op: &Operation,
        leave: Option<&str>,
    ) -> Result<Prepared, String> {
        let needs = self.graph.needs(op);
        if let Some((twice, _)) = needs
            .iter()
            .enumerate()
            .find(|(at, (name, _))| needs[..*at].iter().any(|(n, _)| n == name))
            .map(|(_, need)| need)
        {
            return Err(format!(
                "no producer for `{{{twice}}}`: the path names it twice, so no request can give each its own value"
            ));
        }
        let mut call = valid_step(self.api, op, self.options, self.seed);
        let mut values = BTreeMap::new();
        let own = self.graph.created_by(op).map(|i| &self.graph.resources[i]);
        for (name, producer) in self.graph.needs(op) {
            if leave == Some(name.as_str()) {
                continue;
            }
            let chosen = own.is_some_and(|r| r.id == IdSource::Chosen && r.param == name);
            let value = if chosen {
                self.chosen_value(op, &name)
            } else {
                self.provide(op, &name, producer.as_ref())?
            };
            call.params.insert(name.clone(), value.clone());
            values.insert(name, value);
        }
        Ok(Prepared {
            setup: self.setup,
            call,
            cleanup: self.cleanup,
            values,
        })
    }

    /// The value of path parameter `name` of `op`.
    fn provide(
        &mut self,
        op: &Operation,
        name: &str,
        producer: Option<&Producer>,
    ) -> Result<String, String> {
        match producer {
            Some(Producer::Resource(index)) => {
                let values = self.make(*index, 0)?;
                Ok(values.last().cloned().unwrap_or_default())
            }
            Some(Producer::Link { operation, pointer }) => self.linked(operation, pointer, name, 0),
            None => Ok(unproduced(self.api, op, name, self.seed)),
        }
    }

    /// Creates resource `index` (and its parents); its item parameter values.
    fn make(&mut self, index: usize, depth: usize) -> Result<Vec<String>, String> {
        if let Some(values) = self.made.get(&index) {
            return Ok(values.clone());
        }
        let resource = &self.graph.resources[index];
        let Some(create) = self.api.operation(&resource.create) else {
            return Err(format!("no operation {}", resource.create));
        };
        if depth > MAX_DEPTH {
            return Err(format!(
                "no producer for `{{{}}}`: creating it needs itself (a cycle through {})",
                resource.param, resource.create
            ));
        }
        let mut step = valid_step(self.api, create, self.options, self.seed);
        step.setup = true;
        step.expect = expect_success(create);
        let mut values = Vec::new();
        for (name, producer) in self.graph.needs(create) {
            if resource.id == IdSource::Chosen && name == resource.param {
                continue;
            }
            let value = match producer {
                Some(Producer::Resource(parent)) if parent != index => self
                    .make(parent, depth + 1)?
                    .last()
                    .cloned()
                    .unwrap_or_default(),
                Some(Producer::Link { operation, pointer }) => {
                    self.linked(&operation, &pointer, &name, depth + 1)?
                }
                _ => unproduced(self.api, create, &name, self.seed),
            };
            step.params.insert(name, value.clone());
            values.push(value);
        }
        let id = self.identify(&mut step, create, resource)?;
        values.push(id);
        self.setup.push(step);
        if let Some(delete) = resource
            .delete
            .as_deref()
            .and_then(|d| self.api.operation(d))
        {
            let del = delete_step(
                self.api,
                self.graph,
                delete,
                &values,
                self.options,
                self.seed,
            );
            self.cleanup.insert(0, del);
        }
        self.made.insert(index, values.clone());
        Ok(values)
    }

    /// The new item's id as later steps name it: a capture of the create `step`'s response,
    /// or a value the step sends.
    fn identify(
        &mut self,
        step: &mut Step,
        create: &Operation,
        resource: &Resource,
    ) -> Result<String, String> {
        Ok(match &resource.id {
            IdSource::Response(pointer) => {
                let var = self.fresh(&resource.param);
                step.captures
                    .push((var.clone(), CaptureFrom::Body(pointer.clone())));
                format!("${{{var}}}")
            }
            IdSource::Request(field) => {
                // The id goes in a path: a value that is no path segment (`.`) gets another.
                for attempt in 1..8 {
                    let text = step.body.as_ref().and_then(|b| b.get(field)).map(param_text);
                    if text.as_deref().is_none_or(path_safe) {
                        break;
                    }
                    let seed = self.seed.wrapping_add(attempt * 7919);
                    step.body = valid_step(self.api, create, self.options, seed).body;
                }
                self.request_id(step, field, resource)?
            }
            IdSource::Chosen => {
                let value = self.chosen_value(create, &resource.param);
                step.params.insert(resource.param.clone(), value.clone());
                value
            }
            IdSource::Unknown(looked) if looked.is_empty() => {
                return Err(format!(
                    "no producer for `{{{}}}`: the response of {} documents no body to take its id from",
                    resource.param, resource.create
                ))
            }
            IdSource::Unknown(looked) => {
                return Err(format!(
                    "no producer for `{{{}}}`: the response of {} has no id field (looked for {})",
                    resource.param,
                    resource.create,
                    looked.join(", ")
                ))
            }
        })
    }

    /// The id a create `step` sends as its body's `field`.
    fn request_id(&self, step: &Step, field: &str, resource: &Resource) -> Result<String, String> {
        match step.body.as_ref().and_then(|b| b.get(field)) {
            Some(v) if !path_safe(&param_text(v)) => Err(format!(
                "no producer for `{{{}}}`: the `{field}` sent to {} is {v}, which no URL path keeps",
                resource.param, resource.create
            )),
            Some(v) => Ok(param_text(v)),
            None => Err(format!(
                "no producer for `{{{}}}`: it is the `{field}` sent to {}, and no valid body has it",
                resource.param, resource.create
            )),
        }
    }

    /// Calls `operation` (with what it needs) and captures the linked value.
    fn linked(
        &mut self,
        operation: &str,
        pointer: &str,
        name: &str,
        depth: usize,
    ) -> Result<String, String> {
        let Some(source) = self.api.operation(operation) else {
            return Err(format!(
                "the link to `{{{name}}}` names no operation {operation}"
            ));
        };
        if depth > MAX_DEPTH {
            return Err(format!(
                "no producer for `{{{name}}}`: making it needs itself (a cycle through {operation})"
            ));
        }
        if let Some(index) = self.graph.created_by(source) {
            if self.graph.resources[index].id == IdSource::Response(pointer.to_owned()) {
                return Ok(self
                    .make(index, depth + 1)?
                    .last()
                    .cloned()
                    .unwrap_or_default());
            }
        }
        let mut step = valid_step(self.api, source, self.options, self.seed);
        step.setup = true;
        step.expect = expect_success(source);
        for (param, producer) in self.graph.needs(source) {
            let value = match producer {
                Some(Producer::Resource(index)) => self
                    .make(index, depth + 1)?
                    .last()
                    .cloned()
                    .unwrap_or_default(),
                Some(Producer::Link { operation, pointer }) => {
                    self.linked(&operation, &pointer, &param, depth + 1)?
                }
                None => unproduced(self.api, source, &param, self.seed),
            };
            step.params.insert(param, value);
        }
        let var = self.fresh(name);
        step.captures
            .push((var.clone(), CaptureFrom::Body(pointer.to_owned())));
        self.setup.push(step);
        Ok(format!("${{{var}}}"))
    }

    /// A fresh value for a client-chosen id, unique per scenario seed.
    pub(super) fn chosen_value(&self, op: &Operation, name: &str) -> String {
        let schema = op
            .parameters
            .iter()
            .find(|p| p.name == name && p.location == ParamLocation::Path)
            .and_then(|p| p.schema.as_ref());
        schema
            .and_then(|s| {
                synth::valid_value(&self.api.schemas, s, Direction::Request, self.seed).ok()
            })
            .map(|v| param_text(&v))
            .filter(|v| path_safe(v))
            .unwrap_or_else(|| format!("contractor-{}", self.seed % 1_000_000))
    }

    /// A capture variable name for `param` not yet used in this scenario.
    fn fresh(&mut self, param: &str) -> String {
        let base = format!("created_{param}");
        let mut name = base.clone();
        let mut n = 2;
        while self.names.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.names.push(name.clone());
        name
    }
}

/// Whether `value` can stand as one path segment: `.` and `..` are removed from a URL's
/// path, and an empty one is no segment.
fn path_safe(value: &str) -> bool {
    !matches!(value, "" | "." | "..")
}

/// Drops the setup steps whose captures nothing uses any more (a recipe replaced the value
/// they made), with the cleanup that removed what they made.
pub(super) fn prune(setup: &mut Vec<Step>, call: &Step, cleanup: &mut Vec<Step>) {
    let uses = |step: &Step, var: &str| {
        let needle = format!("${{{var}}}");
        step.params.values().any(|v| v.contains(&needle))
            || step.headers.values().any(|v| v.contains(&needle))
            || step
                .body
                .as_ref()
                .is_some_and(|b| b.to_string().contains(&needle))
    };
    let mut at = setup.len();
    while at > 0 {
        at -= 1;
        let vars: Vec<String> = setup[at].captures.iter().map(|(v, _)| v.clone()).collect();
        if vars.is_empty() {
            continue;
        }
        let used = vars
            .iter()
            .any(|var| uses(call, var) || setup[at + 1..].iter().any(|later| uses(later, var)));
        if !used {
            setup.remove(at);
            cleanup.retain(|c| !vars.iter().any(|var| uses(c, var)));
        }
    }
}

/// The value of a path parameter nothing in the spec creates: the spec's example, a
/// synthesized value for what is not an identifier (an enum, a date, a version), else a
/// fixture value the run must be given.
fn unproduced(api: &Api, op: &Operation, name: &str, seed: u64) -> String {
    if names_an_item(name) {
        return synth::known_item(api, op, name)
            .unwrap_or_else(|| format!("${{fixtures.{}}}", fixture_name(&op.path, name)));
    }
    op.parameters
        .iter()
        .find(|p| p.name == name && p.location == ParamLocation::Path)
        .and_then(|p| {
            p.example().cloned().or_else(|| {
                let schema = p.schema.as_ref()?;
                synth::valid_value(&api.schemas, schema, Direction::Request, seed).ok()
            })
        })
        .map_or_else(|| "contractor".to_owned(), |v| param_text(&v))
}
