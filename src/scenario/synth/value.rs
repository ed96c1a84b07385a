//! The entry points: [`synthesize`] a value for a schema, or a [`valid_value`] checked with
//! the API's compiled validator.
//!
//! May import `spec` and the rest of `synth`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::build::Synth;
use crate::spec::{Api, Direction, Graph, Operation, ParamLocation, SchemaRef, Schemas};

/// How to fill a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Only required properties, and arrays of `minItems` items.
    Required,
    /// Every property the direction allows, and one item in arrays (cycles and depth cut).
    All,
}

/// A value that validates against `schema` (a schema value from `api.schemas`, e.g.
/// `schemas.get(&r)`), for `direction` (Request: skip readOnly properties; Response: skip
/// writeOnly ones).
///
/// Prefers, at every level: `example`, then `examples[0]`, then `default`, then `const`, then
/// the first `enum` value (each only when it fits), then a value built from the type and
/// constraints: formats, lengths, numeric bounds and `multipleOf`, array and object sizes,
/// `allOf` merged, the first `oneOf`/`anyOf` branch that fits, simple `pattern`s. The `seed`
/// varies strings and numbers deterministically (same seed, same value; seed 0 leaves examples
/// as written) without breaking validity. Never panics and always ends: optional properties and
/// items are cut at depth 6 and whenever a `$ref` cycle repeats; a required property that
/// leads into a cycle drops its nearest optional ancestor, or, when it has none, gets a
/// minimal value (`null` if allowed, `[]`, `{}`).
///
/// ```
/// use contractor::scenario::synth::{synthesize, Fill};
/// use contractor::spec::Direction;
///
/// let api = contractor::Api::load("specs/google-classroom/invitations.yaml").unwrap();
/// let r = api.schemas.component("Invitation").unwrap();
/// let schema = api.schemas.get(&r).unwrap();
/// let body = synthesize(&api.schemas, schema, Direction::Request, Fill::Required, 0);
/// println!("{body}");
/// assert!(body.get("id").is_none(), "`id` is readOnly");
/// ```
pub fn synthesize(
    schemas: &Schemas,
    schema: &Value,
    direction: Direction,
    fill: Fill,
    seed: u64,
) -> Value {
    Synth::new(schemas, direction, fill, seed, true).run(schema)
}

/// Like [`synthesize`] for a [`SchemaRef`], then checked with the compiled validator.
///
/// Tries `Fill::Required` with `seed`, then two other seeds, then `Fill::All`, then both fills
/// again with examples and defaults ignored (a spec's example may not fit its own schema).
/// Returns the validator's first error (instance path and message) when nothing validates.
pub fn valid_value(
    schemas: &Schemas,
    schema: &SchemaRef,
    direction: Direction,
    seed: u64,
) -> Result<Value, String> {
    let Some(node) = schemas.get(schema) else {
        return Err(format!(
            "failed to synthesize a value: no schema at #{}",
            schema.0
        ));
    };
    let validator = schemas.validator(schema, direction)?;
    let attempts = [
        (Fill::Required, seed, true),
        (Fill::Required, seed.wrapping_add(1), true),
        (Fill::Required, seed.wrapping_add(2), true),
        (Fill::All, seed, true),
        (Fill::Required, seed, false),
        (Fill::All, seed, false),
    ];
    let mut tried: Vec<Value> = Vec::new();
    let mut first_error: Option<String> = None;
    for (fill, seed, examples) in attempts {
        let value = Synth::new(schemas, direction, fill, seed, examples).run(node);
        if tried.contains(&value) {
            continue;
        }
        match validator.validate(&value) {
            Ok(()) => return Ok(value),
            Err(e) => {
                if first_error.is_none() {
                    let path = e.instance_path().to_string();
                    let path = if path.is_empty() {
                        "/".to_owned()
                    } else {
                        path
                    };
                    first_error = Some(format!("{path}: {e}"));
                }
            }
        }
        tried.push(value);
    }
    Err(format!(
        "failed to synthesize a valid value for #{}: {}",
        schema.0,
        first_error.unwrap_or_default()
    ))
}

/// A value for each path parameter that names an item nothing in the spec creates
/// ([`Graph::standing`]), fitting its schema: the items the spec-driven stub holds from the
/// start, and the fixture values a run against it is given.
pub fn standing_values(api: &Api, graph: &Graph) -> BTreeMap<String, String> {
    graph
        .standing(api)
        .into_iter()
        .map(|(key, name, op)| {
            let schema = op
                .parameters
                .iter()
                .find(|p| p.name == name && p.location == ParamLocation::Path)
                .and_then(|p| p.schema.as_ref());
            let value = schema
                .and_then(|s| valid_value(&api.schemas, s, Direction::Request, 1).ok())
                .map_or_else(
                    || format!("contractor-{name}"),
                    |v| match v {
                        Value::String(s) => s,
                        other => other.to_string(),
                    },
                );
            (key, value)
        })
        .collect()
}

/// The item path parameter `name` of `op` names when the spec shows one: the parameter's
/// example, else the example (default, const, enum value) its schema gives, unvaried.
pub fn known_item(api: &Api, op: &Operation, name: &str) -> Option<String> {
    let param = op
        .parameters
        .iter()
        .find(|p| p.name == name && p.location == ParamLocation::Path)?;
    if !param.shows_a_value(&api.schemas) {
        return None;
    }
    let value = match param.example() {
        Some(example) => example.clone(),
        None => valid_value(&api.schemas, param.schema.as_ref()?, Direction::Request, 0).ok()?,
    };
    Some(match value {
        Value::String(s) => s,
        other => other.to_string(),
    })
}

/// An id no one created that still fits path parameter `name`'s schema: a large number for
/// integer ids, a marked string otherwise (or a synthesized value when the schema constrains
/// it). The spec-driven stub treats it as an item it does not hold ([`is_never_created`]).
pub fn never_created(api: &Api, op: &Operation, name: &str) -> Option<String> {
    let marked = || "contractor-never-created-${run.id}".to_owned();
    let param = op
        .parameters
        .iter()
        .find(|p| p.name == name && p.location == ParamLocation::Path);
    let Some(schema_ref) = param.and_then(|p| p.schema.as_ref()) else {
        return Some(marked());
    };
    let Some(schema) = api.schemas.get(schema_ref) else {
        return Some(marked());
    };
    let fits = |v: &Value| {
        api.schemas
            .accepts(schema_ref, Direction::Request, v)
            .unwrap_or(false)
    };
    let integer = matches!(api.schemas.types(schema).as_slice(), ["integer" | "number"]);
    // (what must fit, what is sent)
    let candidates: Vec<(Value, String)> = if integer {
        let max = api
            .schemas
            .keyword(schema, "maximum")
            .and_then(Value::as_i64)
            .unwrap_or(i64::from(i32::MAX));
        [max.min(2_147_480_000), max]
            .into_iter()
            .map(|n| (Value::from(n), n.to_string()))
            .collect()
    } else {
        // The run id is filled in at run time: what must fit is the mark with the longest
        // one (a PID and a counter); a schema with no room for it gets the bare mark.
        let bare = "contractor-never-created";
        vec![
            (Value::from(format!("{bare}-4194304-99999")), marked()),
            (Value::from(bare), bare.to_owned()),
        ]
    };
    if let Some((_, sent)) = candidates.into_iter().find(|(c, _)| fits(c)) {
        return Some(sent);
    }
    // A value the schema allows that is not the item a valid request names; none when the
    // schema allows no other (an enum of one).
    let known = known_item(api, op, name);
    (0..8)
        .filter_map(|k| valid_value(&api.schemas, schema_ref, Direction::Request, 999_983 + k).ok())
        .map(|v| match v {
            Value::String(s) => s,
            other => other.to_string(),
        })
        .find(|v| Some(v) != known.as_ref())
}

/// Whether `value` of path parameter `name` of `op` is what [`never_created`] gives.
pub fn is_never_created(api: &Api, op: &Operation, name: &str, value: &str) -> bool {
    value.starts_with("contractor-never-created")
        || never_created(api, op, name).is_some_and(|v| v == value)
}
