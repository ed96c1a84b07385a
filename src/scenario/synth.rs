//! Values synthesized from schemas: a deterministic JSON value that validates against a schema
//! of a loaded API, for a request (no `readOnly` properties) or a response (no `writeOnly` ones).
//!
//! At every level an `example`, `examples[0]`, `default`, `const` or the first `enum` value wins
//! when it fits; otherwise a value is built from the types and constraints, with a small
//! generator for simple regular expressions. A seed varies strings and numbers without breaking
//! validity. Recursion, sizes and work are bounded, so cyclic or huge schemas end. Candidates are
//! checked by a small evaluator of our own (with the `jsonschema` crate for formats and
//! patterns); [`valid_value`] checks the result with the API's compiled validator.
//!
//! May import `spec`.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::spec::{Dialect, Direction, SchemaRef, Schemas};

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
/// use contractor::spec::{Direction, SchemaRef};
///
/// let api = contractor::Api::load("specs/google-classroom/invitations.yaml").unwrap();
/// let r = SchemaRef("/s/d0~1components~1schemas~1Invitation".to_owned());
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

/// Optional properties and array items stop at this depth.
const OPTIONAL_DEPTH: usize = 6;
/// Anything deeper gets a minimal value (a safety net; cycles are cut long before).
const HARD_DEPTH: usize = 64;
/// Generated nodes after which optional content stops and branches are no longer checked.
const NODE_BUDGET: usize = 20_000;
/// Generated nodes after which everything gets a minimal value.
const HARD_NODE_BUDGET: usize = 200_000;
/// `oneOf`/`anyOf` groups chosen in, one inside the other, before the rest are ignored.
const MAX_CHOOSING: usize = 32;
/// Schema evaluation steps after which candidates are accepted unchecked.
const CHECK_BUDGET: usize = 2_000_000;
/// The longest string made without a `minLength` asking for more.
const MAX_STRING: usize = 256;
/// The longest string made at all.
const MAX_MIN_LENGTH: usize = 10_000;
/// The most items an array gets, whatever `minItems` says.
const MAX_ITEMS: u64 = 1_000;

const T_NULL: u8 = 1;
const T_BOOL: u8 = 2;
const T_OBJECT: u8 = 4;
const T_ARRAY: u8 = 8;
const T_NUMBER: u8 = 16;
const T_STRING: u8 = 32;
const T_INTEGER: u8 = 64;
const T_ANY: u8 = 127;

/// The schema that allows anything, for places with no schema of their own.
static ANY: Value = Value::Bool(true);

/// The type bits a `type` keyword allows (`number` includes integers).
fn type_bits(t: &Value) -> u8 {
    let one = |s: &str| match s {
        "null" => T_NULL,
        "boolean" => T_BOOL,
        "object" => T_OBJECT,
        "array" => T_ARRAY,
        "number" => T_NUMBER | T_INTEGER,
        "string" => T_STRING,
        "integer" => T_INTEGER,
        _ => T_ANY,
    };
    match t {
        Value::String(s) => one(s),
        Value::Array(ts) => {
            let bits = ts
                .iter()
                .filter_map(Value::as_str)
                .fold(0, |b, s| b | one(s));
            if bits == 0 {
                T_ANY
            } else {
                bits
            }
        }
        _ => T_ANY,
    }
}

/// Whether `v` is a number without a fractional part.
fn is_integral(v: &Value) -> bool {
    match v {
        Value::Number(n) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

/// Whether `v` has one of the types in `bits`.
fn has_type(bits: u8, v: &Value) -> bool {
    let kind = match v {
        Value::Null => T_NULL,
        Value::Bool(_) => T_BOOL,
        Value::Object(_) => T_OBJECT,
        Value::Array(_) => T_ARRAY,
        Value::String(_) => T_STRING,
        Value::Number(_) if is_integral(v) => T_INTEGER,
        Value::Number(_) => T_NUMBER,
    };
    bits & kind != 0
}

/// A numeric bound.
#[derive(Debug, Clone, Copy)]
struct Bound {
    value: f64,
    exclusive: bool,
}

/// Keeps the tighter of two bounds; `lower` says which side they bound.
fn tighter(old: Option<Bound>, new: Bound, lower: bool) -> Option<Bound> {
    Some(match old {
        None => new,
        Some(o) if o.value == new.value => Bound {
            value: o.value,
            exclusive: o.exclusive || new.exclusive,
        },
        Some(o) if (new.value > o.value) == lower => new,
        Some(o) => o,
    })
}

/// Whether `v` is a multiple of `m`, as closely as floating point allows.
fn is_multiple(v: f64, m: f64) -> bool {
    if m <= 0.0 {
        return true;
    }
    let q = v / m;
    (q - q.round()).abs() < 1e-9
}

/// Every schema object merged into one place (through `$ref` and `allOf`), ready to build a
/// value from. Borrows the schemas; nothing here is owned JSON.
#[derive(Clone)]
struct Flat<'a> {
    /// The schemas this was made from: a value must fit all of them.
    roots: Vec<&'a Value>,
    /// Every schema object merged in (roots, refs, `allOf` branches, chosen branches).
    sources: Vec<&'a Value>,
    /// Schemas reached through `$ref` while merging, by address.
    refs: Vec<usize>,
    /// A ref already being generated was met: building this would repeat a cycle.
    cycle: bool,
    /// No value can fit (a `false` schema, an empty `enum`).
    impossible: bool,
    types: u8,
    examples: Vec<&'a Value>,
    examples_first: Vec<&'a Value>,
    defaults: Vec<&'a Value>,
    consts: Vec<&'a Value>,
    enums: Vec<&'a [Value]>,
    formats: Vec<&'a str>,
    patterns: Vec<&'a str>,
    min_length: u64,
    max_length: Option<u64>,
    lower: Option<Bound>,
    upper: Option<Bound>,
    multiple_of: Vec<f64>,
    properties: Vec<(&'a str, Vec<&'a Value>)>,
    required: Vec<&'a str>,
    additional: Vec<&'a Value>,
    pattern_properties: Vec<(&'a str, &'a Value)>,
    min_properties: u64,
    max_properties: Option<u64>,
    dependent_required: Vec<(&'a str, &'a [Value])>,
    prefix: Vec<Vec<&'a Value>>,
    items: Vec<&'a Value>,
    contains: Vec<&'a Value>,
    min_items: u64,
    max_items: Option<u64>,
    unique: bool,
    choices: Vec<&'a [Value]>,
    guarded: bool,
    read_only: bool,
    write_only: bool,
}

impl<'a> Flat<'a> {
    fn new(roots: &[&'a Value]) -> Self {
        Flat {
            roots: roots.to_vec(),
            sources: Vec::new(),
            refs: Vec::new(),
            cycle: false,
            impossible: false,
            types: T_ANY,
            examples: Vec::new(),
            examples_first: Vec::new(),
            defaults: Vec::new(),
            consts: Vec::new(),
            enums: Vec::new(),
            formats: Vec::new(),
            patterns: Vec::new(),
            min_length: 0,
            max_length: None,
            lower: None,
            upper: None,
            multiple_of: Vec::new(),
            properties: Vec::new(),
            required: Vec::new(),
            additional: Vec::new(),
            pattern_properties: Vec::new(),
            min_properties: 0,
            max_properties: None,
            dependent_required: Vec::new(),
            prefix: Vec::new(),
            items: Vec::new(),
            contains: Vec::new(),
            min_items: 0,
            max_items: None,
            unique: false,
            choices: Vec::new(),
            guarded: false,
            read_only: false,
            write_only: false,
        }
    }

    fn clear_candidates(&mut self) {
        self.examples.clear();
        self.examples_first.clear();
        self.defaults.clear();
        self.consts.clear();
        self.enums.clear();
    }

    fn property(&self, name: &str) -> Option<&[&'a Value]> {
        self.properties
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s.as_slice())
    }

    fn has_object_keywords(&self) -> bool {
        !self.properties.is_empty()
            || !self.required.is_empty()
            || !self.additional.is_empty()
            || !self.pattern_properties.is_empty()
            || self.min_properties > 0
            || self.max_properties.is_some()
    }

    fn has_array_keywords(&self) -> bool {
        !self.items.is_empty()
            || !self.prefix.is_empty()
            || !self.contains.is_empty()
            || self.min_items > 0
            || self.max_items.is_some()
            || self.unique
    }

    fn has_string_keywords(&self) -> bool {
        !self.patterns.is_empty()
            || !self.formats.is_empty()
            || self.min_length > 0
            || self.max_length.is_some()
    }

    fn has_number_keywords(&self) -> bool {
        self.lower.is_some() || self.upper.is_some() || !self.multiple_of.is_empty()
    }
}

/// Where a candidate value came from, which decides whether the seed may vary it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Example,
    Fixed,
}

/// One synthesis run: its settings, the refs being generated, budgets and caches.
struct Synth<'a> {
    schemas: &'a Schemas,
    dialect: Dialect,
    direction: Direction,
    fill: Fill,
    seed: u64,
    examples: bool,
    /// Second pass after a required cycle: cut refs become minimal values instead of nothing.
    minimal: bool,
    /// Nonzero while generating an item of a `uniqueItems` array, to pick other values.
    variant: u64,
    /// Schemas reached through `$ref` on the way here, by address: meeting one again is a cycle.
    stack: Vec<usize>,
    nodes: usize,
    /// `oneOf`/`anyOf` groups being chosen in, one inside the other.
    choosing: usize,
    checks: usize,
    patterns: HashMap<String, Option<jsonschema::Validator>>,
    formats: HashMap<String, Option<jsonschema::Validator>>,
}

impl<'a> Synth<'a> {
    fn new(
        schemas: &'a Schemas,
        direction: Direction,
        fill: Fill,
        seed: u64,
        examples: bool,
    ) -> Self {
        Synth {
            schemas,
            dialect: schemas.dialect(),
            direction,
            fill,
            seed,
            examples,
            minimal: false,
            variant: 0,
            stack: Vec::new(),
            nodes: 0,
            choosing: 0,
            checks: 0,
            patterns: HashMap::new(),
            formats: HashMap::new(),
        }
    }

    fn run(&mut self, schema: &'a Value) -> Value {
        self.stack.push(address(schema));
        if let Some(v) = self.gen(&[schema], None, 0) {
            return v;
        }
        // A required path leads back into a cycle: build again, ending cycles with minimal values.
        self.minimal = true;
        self.nodes = 0;
        self.gen(&[schema], None, 0).unwrap_or(Value::Null)
    }

    fn seed(&self) -> u64 {
        self.seed.wrapping_add(self.variant)
    }

    /// The keyword that takes a property out of this direction.
    fn excluded_flag(&self) -> &'static str {
        match self.direction {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        }
    }

    /// The schema a `$ref` points to inside the bundle.
    fn target(&self, reference: &str) -> Option<&'a Value> {
        let fragment = reference.strip_prefix('#')?;
        if fragment.contains('%') {
            self.schemas.bundle().pointer(&percent_decode(fragment))
        } else {
            self.schemas.bundle().pointer(fragment)
        }
    }

    /// Whether `schema` (or what it refers to, or an `allOf` branch of that) carries `flag`.
    fn flagged(&self, schema: &'a Value, flag: &str) -> bool {
        let resolved = self.schemas.resolve(schema);
        let marks = |s: &Value| s.get(flag) == Some(&Value::Bool(true));
        marks(schema)
            || marks(resolved)
            || resolved
                .get("allOf")
                .and_then(Value::as_array)
                .is_some_and(|all| all.iter().any(|b| marks(self.schemas.resolve(b))))
    }

    /// Whether the validator drops `name` from the `required` of schema `obj` in this
    /// direction. The same rule as `Schemas`: the property, found in `obj`'s own properties,
    /// in its `allOf` parts, or (when `obj` is an inline `allOf` part) in `parent`'s, is
    /// flagged.
    fn required_dropped(
        &self,
        obj: &'a Map<String, Value>,
        parent: Option<&'a Value>,
        name: &str,
    ) -> bool {
        let flag = self.excluded_flag();
        let own = obj.get("properties").and_then(|p| p.get(name));
        let in_parts = || {
            obj.get("allOf")
                .and_then(Value::as_array)?
                .iter()
                .find_map(|part| self.property_in(part, name, 1))
        };
        let found = own
            .or_else(in_parts)
            .or_else(|| parent.and_then(|p| self.property_in(p, name, 0)));
        found.is_some_and(|p| {
            p.get(flag) == Some(&Value::Bool(true))
                || self.schemas.resolve(p).get(flag) == Some(&Value::Bool(true))
        })
    }

    /// The schema of property `name` in `schema` (after refs) or in its `allOf` parts.
    fn property_in(&self, schema: &'a Value, name: &str, depth: usize) -> Option<&'a Value> {
        if depth > 16 {
            return None;
        }
        let schema = self.schemas.resolve(schema);
        if let Some(p) = schema.get("properties").and_then(|p| p.get(name)) {
            return Some(p);
        }
        schema
            .get("allOf")
            .and_then(Value::as_array)?
            .iter()
            .find_map(|part| self.property_in(part, name, depth + 1))
    }

    fn flatten(&self, nodes: &[&'a Value]) -> Flat<'a> {
        let mut flat = Flat::new(nodes);
        for node in nodes {
            self.merge(&mut flat, node, None, 0);
        }
        flat
    }

    /// Merges one schema into `flat`: its own keywords, then its `$ref`, then `allOf`.
    fn merge(&self, flat: &mut Flat<'a>, node: &'a Value, parent: Option<&'a Value>, depth: usize) {
        if depth > 32 {
            return;
        }
        let obj = match node {
            Value::Object(o) => o,
            Value::Bool(false) => {
                flat.impossible = true;
                flat.sources.push(node);
                return;
            }
            _ => return,
        };
        flat.sources.push(node);
        let reference = obj.get("$ref").and_then(Value::as_str);
        let siblings = reference.is_none() || self.dialect == Dialect::OpenApi31;
        if siblings {
            self.merge_keywords(flat, obj, parent);
        }
        if let Some(t) = reference.and_then(|r| self.target(r)) {
            let at = address(t);
            if !flat.refs.contains(&at) {
                if self.stack.contains(&at) {
                    flat.cycle = true;
                }
                flat.refs.push(at);
                self.merge(flat, t, None, depth + 1);
            }
        }
        if siblings {
            if let Some(Value::Array(all)) = obj.get("allOf") {
                for branch in all {
                    self.merge(flat, branch, Some(node), depth + 1);
                }
            }
        }
    }

    fn merge_keywords(
        &self,
        flat: &mut Flat<'a>,
        obj: &'a Map<String, Value>,
        parent: Option<&'a Value>,
    ) {
        let number = |k: &str| obj.get(k).and_then(Value::as_f64);
        let count = |k: &str| obj.get(k).and_then(Value::as_u64);
        if let Some(t) = obj.get("type") {
            let bits = type_bits(t);
            if flat.types & bits != 0 {
                flat.types &= bits;
            }
        }
        if let Some(v) = obj.get("example") {
            flat.examples.push(v);
        }
        if let Some(first) = obj
            .get("examples")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            flat.examples_first.push(first);
        }
        if let Some(v) = obj.get("default") {
            flat.defaults.push(v);
        }
        if let Some(v) = obj.get("const") {
            flat.consts.push(v);
        }
        if let Some(Value::Array(values)) = obj.get("enum") {
            flat.enums.push(values);
            flat.impossible |= values.is_empty();
        }
        if let Some(f) = obj.get("format").and_then(Value::as_str) {
            flat.formats.push(f);
        }
        if let Some(p) = obj.get("pattern").and_then(Value::as_str) {
            flat.patterns.push(p);
        }
        if let Some(n) = count("minLength") {
            flat.min_length = flat.min_length.max(n);
        }
        if let Some(n) = count("maxLength") {
            flat.max_length = Some(flat.max_length.map_or(n, |m| m.min(n)));
        }
        let bound = |value, exclusive| Bound { value, exclusive };
        match (number("minimum"), obj.get("exclusiveMinimum")) {
            (Some(m), Some(Value::Bool(b))) => flat.lower = tighter(flat.lower, bound(m, *b), true),
            (m, e) => {
                if let Some(m) = m {
                    flat.lower = tighter(flat.lower, bound(m, false), true);
                }
                if let Some(e) = e.and_then(Value::as_f64) {
                    flat.lower = tighter(flat.lower, bound(e, true), true);
                }
            }
        }
        match (number("maximum"), obj.get("exclusiveMaximum")) {
            (Some(m), Some(Value::Bool(b))) => {
                flat.upper = tighter(flat.upper, bound(m, *b), false)
            }
            (m, e) => {
                if let Some(m) = m {
                    flat.upper = tighter(flat.upper, bound(m, false), false);
                }
                if let Some(e) = e.and_then(Value::as_f64) {
                    flat.upper = tighter(flat.upper, bound(e, true), false);
                }
            }
        }
        if let Some(m) = number("multipleOf").filter(|m| *m > 0.0 && m.is_finite()) {
            flat.multiple_of.push(m);
        }
        if let Some(Value::Object(props)) = obj.get("properties") {
            for (name, schema) in props {
                match flat.properties.iter_mut().find(|(n, _)| n == name) {
                    Some((_, list)) => list.push(schema),
                    None => flat.properties.push((name, vec![schema])),
                }
            }
        }
        if let Some(Value::Array(required)) = obj.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !flat.required.contains(&name) && !self.required_dropped(obj, parent, name) {
                    flat.required.push(name);
                }
            }
        }
        if let Some(ap) = obj.get("additionalProperties") {
            flat.additional.push(ap);
        }
        if let Some(Value::Object(pp)) = obj.get("patternProperties") {
            flat.pattern_properties
                .extend(pp.iter().map(|(p, s)| (p.as_str(), s)));
        }
        if let Some(n) = count("minProperties") {
            flat.min_properties = flat.min_properties.max(n);
        }
        if let Some(n) = count("maxProperties") {
            flat.max_properties = Some(flat.max_properties.map_or(n, |m| m.min(n)));
        }
        for key in ["dependentRequired", "dependencies"] {
            if let Some(Value::Object(deps)) = obj.get(key) {
                for (name, dep) in deps {
                    if let Value::Array(list) = dep {
                        flat.dependent_required.push((name, list));
                    }
                }
            }
        }
        let add_prefix = |list: &'a [Value], flat: &mut Flat<'a>| {
            for (i, s) in list.iter().enumerate() {
                if flat.prefix.len() <= i {
                    flat.prefix.push(Vec::new());
                }
                flat.prefix[i].push(s);
            }
        };
        match obj.get("items") {
            Some(Value::Array(list)) => {
                add_prefix(list, flat);
                if let Some(extra) = obj.get("additionalItems") {
                    flat.items.push(extra);
                }
            }
            Some(items) => flat.items.push(items),
            None => {}
        }
        if let Some(Value::Array(list)) = obj.get("prefixItems") {
            add_prefix(list, flat);
        }
        if let Some(c) = obj.get("contains") {
            flat.contains.push(c);
        }
        if let Some(n) = count("minItems") {
            flat.min_items = flat.min_items.max(n);
        }
        if let Some(n) = count("maxItems") {
            flat.max_items = Some(flat.max_items.map_or(n, |m| m.min(n)));
        }
        if obj.get("uniqueItems") == Some(&Value::Bool(true)) {
            flat.unique = true;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = obj.get(key) {
                if !branches.is_empty() {
                    flat.choices.push(branches);
                }
            }
        }
        if obj.contains_key("not") || obj.contains_key("if") || obj.contains_key("propertyNames") {
            flat.guarded = true;
        }
        if obj.get("readOnly") == Some(&Value::Bool(true)) {
            flat.read_only = true;
        }
        if obj.get("writeOnly") == Some(&Value::Bool(true)) {
            flat.write_only = true;
        }
    }

    /// A value for the schemas `nodes` (all must hold), or `None` when building one would
    /// repeat a `$ref` cycle (the caller drops an optional part or gives up).
    fn gen(&mut self, nodes: &[&'a Value], hint: Option<&str>, depth: usize) -> Option<Value> {
        self.nodes += 1;
        let flat = self.flatten(nodes);
        self.gen_flat(flat, hint, depth)
    }

    fn gen_flat(&mut self, mut flat: Flat<'a>, hint: Option<&str>, depth: usize) -> Option<Value> {
        if flat.cycle || depth > HARD_DEPTH || self.nodes > HARD_NODE_BUDGET {
            return self.cut(&flat, hint);
        }
        if let Some(v) = self.candidate(&flat) {
            return Some(v);
        }
        flat.clear_candidates();
        if !flat.choices.is_empty() && self.choosing < MAX_CHOOSING {
            let branches = flat.choices.remove(0);
            let mut first = None;
            self.choosing += 1;
            for branch in branches {
                let mut merged = flat.clone();
                self.merge(&mut merged, branch, None, 0);
                let Some(v) = self.gen_flat(merged, hint, depth) else {
                    continue;
                };
                if self.nodes > NODE_BUDGET || self.fits_all(&flat.roots, &v) {
                    first = Some(v);
                    break;
                }
                first.get_or_insert(v);
            }
            self.choosing -= 1;
            return first;
        }
        let order = self.type_order(&flat);
        let check = flat.guarded || order.len() > 1 && flat.types != T_ANY;
        let height = self.stack.len();
        self.stack.extend(flat.refs.iter().copied());
        let mut first = None;
        let mut result = None;
        let saved = self.variant;
        // `not` and `if` are met by trying other values: other types, then other seeds.
        let attempts = if flat.guarded { 3 } else { 1 };
        'attempts: for attempt in 0..attempts {
            self.variant = saved.wrapping_add(attempt);
            for (i, t) in order.iter().enumerate() {
                let Some(v) = self.gen_type(&flat, *t, hint, depth) else {
                    continue;
                };
                let last = i + 1 == order.len() && !flat.guarded;
                if !check || last || self.fits_all(&flat.roots, &v) {
                    result = Some(v);
                    break 'attempts;
                }
                first.get_or_insert(v);
            }
        }
        self.variant = saved;
        self.stack.truncate(height);
        result.or(first)
    }

    /// What a cut cycle gives: nothing, or in the minimal pass a value without children.
    fn cut(&mut self, flat: &Flat<'a>, hint: Option<&str>) -> Option<Value> {
        if self.minimal {
            Some(self.minimal_value(flat, hint, 0))
        } else {
            None
        }
    }

    fn minimal_value(&mut self, flat: &Flat<'a>, hint: Option<&str>, depth: usize) -> Value {
        self.nodes += 1;
        if let Some(v) = self.candidate(flat) {
            return v;
        }
        if flat.types & T_NULL != 0 && flat.types != T_ANY {
            return Value::Null;
        }
        if depth < 8 && self.nodes <= HARD_NODE_BUDGET {
            if let Some(branches) = flat.choices.first() {
                let mut first = None;
                for branch in branches.iter() {
                    let mut merged = flat.clone();
                    merged.choices.remove(0);
                    merged.clear_candidates();
                    self.merge(&mut merged, branch, None, 0);
                    let v = self.minimal_value(&merged, hint, depth + 1);
                    if self.fits_all(&flat.roots, &v) {
                        return v;
                    }
                    first.get_or_insert(v);
                }
                if let Some(v) = first {
                    return v;
                }
            }
        }
        let order = self.type_order(flat);
        match order.first().copied().unwrap_or(T_NULL) {
            T_ARRAY => Value::Array(Vec::new()),
            T_OBJECT => Value::Object(Map::new()),
            T_STRING => self.gen_string(flat, hint),
            T_NUMBER => self.gen_number(flat, false),
            T_INTEGER => self.gen_number(flat, true),
            T_BOOL => Value::Bool(true),
            _ => Value::Null,
        }
    }

    /// The types to try, best first: the kinds the keywords point at, then the rest.
    fn type_order(&self, flat: &Flat<'a>) -> Vec<u8> {
        let mask = flat.types;
        let mut order = Vec::new();
        let mut push = |bit: u8| {
            if mask & bit != 0 && !order.contains(&bit) {
                order.push(bit);
            }
        };
        if self.minimal {
            if mask != T_ANY {
                push(T_NULL);
            }
            if flat.has_array_keywords() {
                push(T_ARRAY);
            }
        }
        if flat.has_object_keywords() {
            push(T_OBJECT);
        }
        if flat.has_array_keywords() {
            push(T_ARRAY);
        }
        if flat.has_string_keywords() {
            push(T_STRING);
        }
        if flat.has_number_keywords() {
            push(T_NUMBER);
            push(T_INTEGER);
        }
        if mask == T_ANY {
            push(T_STRING);
        }
        for bit in [
            T_OBJECT, T_ARRAY, T_STRING, T_NUMBER, T_INTEGER, T_BOOL, T_NULL,
        ] {
            push(bit);
        }
        order
    }

    fn gen_type(
        &mut self,
        flat: &Flat<'a>,
        t: u8,
        hint: Option<&str>,
        depth: usize,
    ) -> Option<Value> {
        match t {
            T_OBJECT => self.gen_object(flat, depth),
            T_ARRAY => self.gen_array(flat, hint, depth),
            T_STRING => Some(self.gen_string(flat, hint)),
            T_NUMBER => Some(self.gen_number(flat, false)),
            T_INTEGER => Some(self.gen_number(flat, true)),
            T_BOOL => Some(Value::Bool(self.variant % 2 == 0)),
            _ => Some(Value::Null),
        }
    }

    /// The first of `example`, `examples[0]`, `default`, `const`, `enum[0]` that fits.
    fn candidate(&mut self, flat: &Flat<'a>) -> Option<Value> {
        let mut list: Vec<(&'a Value, Source)> = Vec::new();
        if self.examples && self.variant == 0 {
            list.extend(flat.examples.iter().map(|v| (*v, Source::Example)));
            list.extend(flat.examples_first.iter().map(|v| (*v, Source::Example)));
            list.extend(flat.defaults.iter().map(|v| (*v, Source::Fixed)));
        }
        list.extend(flat.consts.iter().map(|v| (*v, Source::Fixed)));
        for values in &flat.enums {
            if values.is_empty() {
                continue;
            }
            let i = (self.variant % values.len() as u64) as usize;
            list.push((&values[i], Source::Fixed));
            if i != 0 {
                list.push((&values[0], Source::Fixed));
            }
        }
        for (value, source) in list {
            let mut v = value.clone();
            if source == Source::Example {
                self.strip_direction(flat, &mut v);
                if self.seed() != 0 {
                    let varied = self.perturb(flat, &v, 0);
                    if varied != v && self.fits_all(&flat.roots, &varied) {
                        return Some(varied);
                    }
                }
            }
            if self.fits_all(&flat.roots, &v) {
                return Some(v);
            }
        }
        None
    }

    /// Takes properties this direction leaves out (and nothing requires) out of an example.
    fn strip_direction(&self, flat: &Flat<'a>, v: &mut Value) {
        let Value::Object(m) = v else {
            return;
        };
        let flag = self.excluded_flag();
        for (name, schemas) in &flat.properties {
            if !flat.required.contains(name) && schemas.iter().any(|s| self.flagged(s, flag)) {
                m.shift_remove(*name);
            }
        }
    }

    /// `v` with strings and numbers varied by the seed where their own schema still holds.
    fn perturb(&mut self, flat: &Flat<'a>, v: &Value, depth: usize) -> Value {
        let seed = self.seed();
        if depth > OPTIONAL_DEPTH {
            return v.clone();
        }
        match v {
            Value::String(s) => {
                for c in string_variants(s, seed) {
                    let c = Value::String(c);
                    if self.leaf_ok_all(&flat.sources, &c) {
                        return c;
                    }
                }
                v.clone()
            }
            Value::Number(n) if n.is_i64() => {
                let base = n.as_i64().unwrap_or(0);
                let step = flat
                    .multiple_of
                    .first()
                    .filter(|m| m.fract() == 0.0 && **m < 1e15)
                    .map_or(1, |m| *m as i64);
                let k = (seed % 1000) as i64;
                for delta in [k, -k] {
                    let c = base
                        .checked_add(delta.saturating_mul(step))
                        .map(Value::from);
                    if let Some(c) = c.filter(|c| self.leaf_ok_all(&flat.sources, c)) {
                        return c;
                    }
                }
                v.clone()
            }
            Value::Object(m) => {
                let mut out = m.clone();
                for (k, val) in out.iter_mut() {
                    if let Some(schemas) = flat.property(k) {
                        let sub = self.flatten(schemas);
                        *val = self.perturb(&sub, val, depth + 1);
                    }
                }
                Value::Object(out)
            }
            Value::Array(items) => {
                if flat.items.is_empty() || !flat.prefix.is_empty() {
                    return v.clone();
                }
                let sub = self.flatten(&flat.items);
                Value::Array(
                    items
                        .iter()
                        .map(|i| self.perturb(&sub, i, depth + 1))
                        .collect(),
                )
            }
            _ => v.clone(),
        }
    }

    fn optional_allowed(&self, depth: usize) -> bool {
        self.fill == Fill::All
            && !self.minimal
            && depth < OPTIONAL_DEPTH
            && self.nodes < NODE_BUDGET
    }

    fn gen_object(&mut self, flat: &Flat<'a>, depth: usize) -> Option<Value> {
        let mut out = Map::new();
        let optional = self.optional_allowed(depth);
        let flag = self.excluded_flag();
        let max = flat.max_properties.unwrap_or(u64::MAX) as usize;
        let room = max.saturating_sub(flat.required.len());
        let mut optional_count = 0;
        for (name, schemas) in &flat.properties {
            let required = flat.required.contains(name);
            if !required {
                let excluded = schemas.iter().any(|s| self.flagged(s, flag));
                if !optional || excluded || optional_count >= room {
                    continue;
                }
            }
            let sub = self.flatten(schemas);
            if sub.impossible && !required {
                continue;
            }
            self.nodes += 1;
            match self.gen_flat(sub, Some(name), depth + 1) {
                Some(v) => {
                    out.insert((*name).to_owned(), v);
                    optional_count += usize::from(!required);
                }
                None if required => return None,
                None => {}
            }
        }
        let mut wanted: Vec<&'a str> = flat.required.clone();
        for _ in 0..8 {
            let mut added = false;
            for name in wanted.drain(..) {
                if out.contains_key(name) {
                    continue;
                }
                let schemas = self.extra_schemas(flat, name).unwrap_or_else(|| vec![&ANY]);
                out.insert(name.to_owned(), self.gen(&schemas, Some(name), depth + 1)?);
                added = true;
            }
            for (trigger, deps) in &flat.dependent_required {
                if out.contains_key(*trigger) {
                    wanted.extend(deps.iter().filter_map(Value::as_str));
                }
            }
            if !added && wanted.iter().all(|n| out.contains_key(*n)) {
                break;
            }
        }
        let map_entry =
            optional && flat.properties.is_empty() && flat.additional.iter().any(|a| a.is_object());
        let min = flat.min_properties.max(u64::from(map_entry)) as usize;
        if out.len() < min {
            for (name, schemas) in &flat.properties {
                if out.len() >= min {
                    break;
                }
                if out.contains_key(*name) || schemas.iter().any(|s| self.flagged(s, flag)) {
                    continue;
                }
                if let Some(v) = self.gen(schemas, Some(name), depth + 1) {
                    out.insert((*name).to_owned(), v);
                }
            }
            let mut i = 0u64;
            while out.len() < min && i < min as u64 + 16 && i < 1_000 {
                i += 1;
                let name = match flat.pattern_properties.first() {
                    Some((p, _)) => {
                        regex_string(p, 1, None, i - 1).unwrap_or_else(|| format!("key{i}"))
                    }
                    None if i == 1 => "key".to_owned(),
                    None => format!("key{i}"),
                };
                if out.contains_key(&name) || flat.property(&name).is_some() {
                    continue;
                }
                let Some(schemas) = self.extra_schemas(flat, &name) else {
                    continue;
                };
                if let Some(v) = self.gen(&schemas, None, depth + 1) {
                    out.insert(name, v);
                } else {
                    break;
                }
            }
        }
        Some(Value::Object(out))
    }

    /// The schemas for a property `properties` does not declare, or `None` when
    /// `additionalProperties: false` forbids it.
    fn extra_schemas(&mut self, flat: &Flat<'a>, name: &str) -> Option<Vec<&'a Value>> {
        let mut out: Vec<&'a Value> = Vec::new();
        for (p, s) in flat.pattern_properties.clone() {
            if self.pattern_ok(p, name) {
                out.push(s);
            }
        }
        if out.is_empty() {
            if flat.additional.iter().any(|a| *a == &Value::Bool(false)) {
                return None;
            }
            out.extend(flat.additional.iter().copied());
        }
        if out.is_empty() {
            out.push(&ANY);
        }
        Some(out)
    }

    fn gen_array(&mut self, flat: &Flat<'a>, hint: Option<&str>, depth: usize) -> Option<Value> {
        let min = flat.min_items.min(MAX_ITEMS) as usize;
        let max = flat.max_items.map_or(usize::MAX, |m| m as usize);
        let mut count = min;
        if count == 0 && max > 0 && (self.optional_allowed(depth) || !flat.contains.is_empty()) {
            count = 1;
        }
        let required = min.max(usize::from(!flat.contains.is_empty())).min(max);
        let mut out: Vec<Value> = Vec::with_capacity(count);
        let saved = self.variant;
        for i in 0..count {
            let mut schemas: Vec<&'a Value> = Vec::new();
            match flat.prefix.get(i) {
                Some(list) => schemas.extend(list.iter().copied()),
                None => schemas.extend(flat.items.iter().copied()),
            }
            if i == 0 {
                schemas.extend(flat.contains.iter().copied());
            }
            if schemas.iter().any(|s| *s == &Value::Bool(false)) {
                break;
            }
            if schemas.is_empty() {
                schemas.push(&ANY);
            }
            let mut item = None;
            for attempt in 0..4u64 {
                if flat.unique {
                    self.variant = saved.wrapping_add(i as u64 + attempt * count as u64);
                }
                let v = self.gen(&schemas, hint, depth + 1);
                match v {
                    Some(v) if flat.unique && out.contains(&v) => continue,
                    other => {
                        item = other;
                        break;
                    }
                }
            }
            self.variant = saved;
            match item {
                Some(v) => out.push(v),
                None if i < required => return None,
                None => break,
            }
        }
        Some(Value::Array(out))
    }

    fn gen_string(&mut self, flat: &Flat<'a>, hint: Option<&str>) -> Value {
        let seed = self.seed();
        let min = (flat.min_length as usize).min(MAX_MIN_LENGTH);
        let max = flat.max_length.map(|m| (m as usize).min(MAX_MIN_LENGTH));
        let mut candidates: Vec<String> = Vec::new();
        for p in &flat.patterns {
            if let Some(s) = regex_string(p, min, max, seed) {
                candidates.push(s);
            }
        }
        if let Some(f) = flat.formats.first() {
            if let Some(s) = format_string(f, hint, seed) {
                let len = s.chars().count();
                if len < min || max.is_some_and(|m| len > m) {
                    candidates.extend(resize_format(f, &s, min, max));
                }
                candidates.push(s);
            }
        }
        let base = hint.filter(|h| !h.is_empty()).unwrap_or("string");
        candidates.push(fit_length(base, seed, min, max));
        candidates.push(fit_length("1", 0, min, max));
        candidates.push(fit_length("a", 0, min, max));
        let mut first = None;
        for c in candidates {
            let v = Value::String(c);
            if self.leaf_ok_all(&flat.sources, &v) {
                return v;
            }
            first.get_or_insert(v);
        }
        first.unwrap_or_default()
    }

    fn gen_number(&mut self, flat: &Flat<'a>, integer: bool) -> Value {
        let offset = (self.seed() % 1000) as f64;
        let mut step = flat.multiple_of.first().copied().unwrap_or(1.0);
        if integer && step.fract() != 0.0 {
            step = (1..=1000)
                .map(|n| step * f64::from(n))
                .find(|s| (s - s.round()).abs() < 1e-9)
                .map_or(1.0, f64::round);
        }
        let mut candidates: Vec<f64> = Vec::new();
        let kmin = flat.lower.map(|b| {
            let k = (b.value / step).ceil();
            if b.exclusive && k * step <= b.value {
                k + 1.0
            } else {
                k
            }
        });
        let kmax = flat.upper.map(|b| {
            let k = (b.value / step).floor();
            if b.exclusive && k * step >= b.value {
                k - 1.0
            } else {
                k
            }
        });
        let mut k = 1.0 + offset;
        if let Some(lo) = kmin {
            k = k.max(lo);
        }
        if let Some(hi) = kmax {
            k = k.min(hi);
        }
        candidates.push(k * step);
        if let Some(lo) = kmin {
            candidates.push(lo * step);
        }
        if let Some(hi) = kmax {
            candidates.push(hi * step);
        }
        if !integer {
            match (flat.lower, flat.upper) {
                (Some(l), Some(u)) => candidates.push((l.value + u.value) / 2.0),
                (Some(l), None) => candidates.push(l.value + 0.5),
                (None, Some(u)) => candidates.push(u.value - 0.5),
                (None, None) => {}
            }
        }
        candidates.push(0.0);
        let mut first = None;
        for c in candidates {
            let Some(v) = number_value(c) else {
                continue;
            };
            if self.leaf_ok_all(&flat.sources, &v) {
                return v;
            }
            first.get_or_insert(v);
        }
        first.unwrap_or(Value::from(0))
    }

    fn fits_all(&mut self, roots: &[&'a Value], v: &Value) -> bool {
        roots.iter().all(|r| self.fits(r, v, 0))
    }

    fn fits(&mut self, schema: &'a Value, v: &Value, depth: usize) -> bool {
        self.fits_in(schema, None, v, depth)
    }

    /// Whether `v` validates against `schema`: our own evaluator of the structural keywords
    /// (refs, composition, properties, items), with [`Synth::leaf_ok`] for the rest.
    fn fits_in(
        &mut self,
        schema: &'a Value,
        parent: Option<&'a Value>,
        v: &Value,
        depth: usize,
    ) -> bool {
        self.checks += 1;
        if self.checks > CHECK_BUDGET || depth > 96 {
            return true;
        }
        let obj = match schema {
            Value::Bool(b) => return *b,
            Value::Object(o) => o,
            _ => return true,
        };
        if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
            if let Some(t) = self.target(r) {
                if !self.fits(t, v, depth + 1) {
                    return false;
                }
            }
            if self.dialect != Dialect::OpenApi31 {
                return true;
            }
        }
        if !self.leaf_ok(obj, v) {
            return false;
        }
        if let Some(Value::Array(all)) = obj.get("allOf") {
            if !all
                .iter()
                .all(|s| self.fits_in(s, Some(schema), v, depth + 1))
            {
                return false;
            }
        }
        if let Some(Value::Array(any)) = obj.get("anyOf") {
            if !any.iter().any(|s| self.fits(s, v, depth + 1)) {
                return false;
            }
        }
        if let Some(Value::Array(one)) = obj.get("oneOf") {
            let mut matched = 0;
            for s in one {
                if self.fits(s, v, depth + 1) {
                    matched += 1;
                    if matched > 1 {
                        break;
                    }
                }
            }
            if matched != 1 {
                return false;
            }
        }
        if let Some(not) = obj.get("not") {
            if self.fits(not, v, depth + 1) {
                return false;
            }
        }
        if let Some(cond) = obj.get("if") {
            let branch = if self.fits(cond, v, depth + 1) {
                obj.get("then")
            } else {
                obj.get("else")
            };
            if let Some(b) = branch {
                if !self.fits(b, v, depth + 1) {
                    return false;
                }
            }
        }
        match v {
            Value::Object(m) => self.fits_object(obj, parent, m, v, depth),
            Value::Array(items) => self.fits_array(obj, items, depth),
            _ => true,
        }
    }

    fn fits_object(
        &mut self,
        obj: &'a Map<String, Value>,
        parent: Option<&'a Value>,
        m: &Map<String, Value>,
        whole: &Value,
        depth: usize,
    ) -> bool {
        if let Some(Value::Array(required)) = obj.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !m.contains_key(name) && !self.required_dropped(obj, parent, name) {
                    return false;
                }
            }
        }
        let props = obj.get("properties").and_then(Value::as_object);
        let pattern_props = obj.get("patternProperties").and_then(Value::as_object);
        let additional = obj.get("additionalProperties");
        let names = obj.get("propertyNames");
        for (k, val) in m {
            let mut matched = false;
            if let Some(s) = props.and_then(|p| p.get(k)) {
                matched = true;
                if !self.fits(s, val, depth + 1) {
                    return false;
                }
            }
            for (p, s) in pattern_props.into_iter().flatten() {
                if self.pattern_ok(p, k) {
                    matched = true;
                    if !self.fits(s, val, depth + 1) {
                        return false;
                    }
                }
            }
            if !matched {
                if let Some(a) = additional {
                    if !self.fits(a, val, depth + 1) {
                        return false;
                    }
                }
            }
            if let Some(n) = names {
                if !self.fits(n, &Value::String(k.clone()), depth + 1) {
                    return false;
                }
            }
        }
        for key in ["dependencies", "dependentSchemas"] {
            for (name, dep) in obj
                .get(key)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if !m.contains_key(name) {
                    continue;
                }
                let ok = match dep {
                    Value::Array(list) => list
                        .iter()
                        .filter_map(Value::as_str)
                        .all(|d| m.contains_key(d)),
                    schema => self.fits(schema, whole, depth + 1),
                };
                if !ok {
                    return false;
                }
            }
        }
        true
    }

    fn fits_array(&mut self, obj: &'a Map<String, Value>, items: &[Value], depth: usize) -> bool {
        let (prefix, rest): (&'a [Value], Option<&'a Value>) = match obj.get("items") {
            Some(Value::Array(list)) => (list, obj.get("additionalItems")),
            Some(items) => (
                obj.get("prefixItems")
                    .and_then(Value::as_array)
                    .map_or(&[], Vec::as_slice),
                Some(items),
            ),
            None => (
                obj.get("prefixItems")
                    .and_then(Value::as_array)
                    .map_or(&[], Vec::as_slice),
                None,
            ),
        };
        for (i, item) in items.iter().enumerate() {
            let schema = prefix
                .get(i)
                .or(if i >= prefix.len() { rest } else { None });
            if let Some(s) = schema {
                if !self.fits(s, item, depth + 1) {
                    return false;
                }
            }
        }
        if let Some(c) = obj.get("contains") {
            let min = obj.get("minContains").and_then(Value::as_u64).unwrap_or(1);
            let max = obj.get("maxContains").and_then(Value::as_u64);
            let mut n = 0u64;
            for item in items {
                if self.fits(c, item, depth + 1) {
                    n += 1;
                }
            }
            if n < min || max.is_some_and(|m| n > m) {
                return false;
            }
        }
        true
    }

    fn leaf_ok_all(&mut self, nodes: &[&'a Value], v: &Value) -> bool {
        nodes.iter().all(|n| match n {
            Value::Object(o) => self.leaf_ok(o, v),
            Value::Bool(b) => *b,
            _ => true,
        })
    }

    /// Whether `v` passes the keywords of `obj` that look at `v` alone (type, enum, const,
    /// lengths, bounds, sizes, format, pattern).
    fn leaf_ok(&mut self, obj: &Map<String, Value>, v: &Value) -> bool {
        if obj.contains_key("$ref") && self.dialect != Dialect::OpenApi31 {
            return true;
        }
        let count = |k: &str| obj.get(k).and_then(Value::as_u64);
        let number = |k: &str| obj.get(k).and_then(Value::as_f64);
        if let Some(t) = obj.get("type") {
            if !has_type(type_bits(t), v) {
                return false;
            }
        }
        if let Some(Value::Array(values)) = obj.get("enum") {
            if !values.iter().any(|e| json_eq(e, v)) {
                return false;
            }
        }
        if let Some(c) = obj.get("const") {
            if !json_eq(c, v) {
                return false;
            }
        }
        match v {
            Value::String(s) => {
                let len = s.chars().count() as u64;
                if count("minLength").is_some_and(|n| len < n)
                    || count("maxLength").is_some_and(|n| len > n)
                {
                    return false;
                }
                if let Some(p) = obj.get("pattern").and_then(Value::as_str) {
                    if !self.pattern_ok(p, s) {
                        return false;
                    }
                }
                if let Some(f) = obj.get("format").and_then(Value::as_str) {
                    if !self.format_ok(f, v) {
                        return false;
                    }
                }
            }
            Value::Number(n) => {
                let Some(x) = n.as_f64() else {
                    return true;
                };
                let draft4_excl = |k: &str| obj.get(k) == Some(&Value::Bool(true));
                if let Some(m) = number("minimum") {
                    if x < m || x == m && draft4_excl("exclusiveMinimum") {
                        return false;
                    }
                }
                if let Some(m) = number("maximum") {
                    if x > m || x == m && draft4_excl("exclusiveMaximum") {
                        return false;
                    }
                }
                if number("exclusiveMinimum").is_some_and(|m| x <= m)
                    || number("exclusiveMaximum").is_some_and(|m| x >= m)
                {
                    return false;
                }
                if let Some(m) = number("multipleOf") {
                    let exact = match (n.as_i64(), obj.get("multipleOf").and_then(Value::as_i64)) {
                        (Some(a), Some(b)) if b != 0 => a % b == 0,
                        _ => is_multiple(x, m),
                    };
                    if !exact {
                        return false;
                    }
                }
            }
            Value::Array(items) => {
                let len = items.len() as u64;
                if count("minItems").is_some_and(|n| len < n)
                    || count("maxItems").is_some_and(|n| len > n)
                {
                    return false;
                }
                if obj.get("uniqueItems") == Some(&Value::Bool(true)) {
                    for (i, a) in items.iter().enumerate() {
                        if items[i + 1..].iter().any(|b| json_eq(a, b)) {
                            return false;
                        }
                    }
                }
            }
            Value::Object(m) => {
                let len = m.len() as u64;
                if count("minProperties").is_some_and(|n| len < n)
                    || count("maxProperties").is_some_and(|n| len > n)
                {
                    return false;
                }
            }
            _ => {}
        }
        true
    }

    fn draft(&self) -> jsonschema::ValidationOptions<'static> {
        match self.dialect {
            Dialect::OpenApi31 => jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true),
            Dialect::OpenApi30 | Dialect::Swagger2 => {
                jsonschema::options().with_draft(jsonschema::Draft::Draft4)
            }
        }
    }

    /// Whether `s` matches `pattern` as the validator sees it (an unusable pattern matches).
    fn pattern_ok(&mut self, pattern: &str, s: &str) -> bool {
        if !self.patterns.contains_key(pattern) {
            let schema = serde_json::json!({ "pattern": pattern });
            let compiled = self.draft().build(&schema).ok();
            self.patterns.insert(pattern.to_owned(), compiled);
        }
        match self.patterns.get(pattern) {
            Some(Some(v)) => v.is_valid(&Value::String(s.to_owned())),
            _ => true,
        }
    }

    /// Whether the string `v` passes `format` as the validator sees it.
    fn format_ok(&mut self, format: &str, v: &Value) -> bool {
        if !self.formats.contains_key(format) {
            let schema = serde_json::json!({ "format": format });
            let compiled = self.draft().build(&schema).ok();
            self.formats.insert(format.to_owned(), compiled);
        }
        match self.formats.get(format) {
            Some(Some(validator)) => validator.is_valid(v),
            _ => true,
        }
    }
}

/// A schema's identity: where it sits in memory (every schema lives in the bundle or with the
/// caller for the whole run).
fn address(schema: &Value) -> usize {
    std::ptr::from_ref(schema) as usize
}

/// Decodes `%XX` escapes of a URI fragment.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// JSON equality that treats `1` and `1.0` as the same number, as JSON Schema does.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if let (Some(x), Some(y)) = (x.as_i64(), y.as_i64()) {
                return x == y;
            }
            if let (Some(x), Some(y)) = (x.as_u64(), y.as_u64()) {
                return x == y;
            }
            x.as_f64() == y.as_f64()
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, a)| y.get(k).is_some_and(|b| json_eq(a, b)))
        }
        _ => a == b,
    }
}

/// A JSON number for `x`: an integer when it has no fraction, else a float.
fn number_value(x: f64) -> Option<Value> {
    if !x.is_finite() {
        return None;
    }
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        return Some(Value::from(x as i64));
    }
    serde_json::Number::from_f64(x).map(Value::Number)
}

/// `base` (varied by the seed) padded or cut to the length bounds.
fn fit_length(base: &str, seed: u64, min: usize, max: Option<usize>) -> String {
    let suffix = if seed == 0 {
        String::new()
    } else {
        format!("-{seed}")
    };
    let limit = max.unwrap_or(usize::MAX).min(MAX_STRING.max(min));
    let suffix_len = suffix.chars().count();
    let mut s: String = if suffix_len < limit {
        let keep = (limit - suffix_len).min(base.chars().count());
        base.chars().take(keep).chain(suffix.chars()).collect()
    } else {
        let digits = seed.to_string();
        let skip = digits.len().saturating_sub(limit);
        digits[skip..].to_owned()
    };
    let len = s.chars().count();
    if len < min {
        s.extend(std::iter::repeat_n('x', min - len));
    }
    s
}

/// Variations of an example string for a seed, most natural first.
fn string_variants(s: &str, seed: u64) -> Vec<String> {
    let mut out = Vec::new();
    if seed == 0 {
        return out;
    }
    if let Some((local, domain)) = s.split_once('@') {
        out.push(format!("{local}{seed}@{domain}"));
        out.push(format!("{local}+{seed}@{domain}"));
    }
    let bytes = s.as_bytes();
    let is_uuid = bytes.len() == 36
        && [8, 13, 18, 23].iter().all(|i| bytes[*i] == b'-')
        && s.chars()
            .filter(|c| *c != '-')
            .all(|c| c.is_ascii_hexdigit());
    if is_uuid {
        let tail = u64::from_str_radix(&s[24..], 16).unwrap_or(0);
        let tail = tail.wrapping_add(seed) & 0xffff_ffff_ffff;
        out.push(format!("{}{tail:012x}", &s[..24]));
    }
    let digits = s.bytes().rev().take_while(u8::is_ascii_digit).count();
    if (1..=18).contains(&digits) {
        let (head, tail) = s.split_at(s.len() - digits);
        if let Ok(n) = tail.parse::<u64>() {
            let n = n.saturating_add(seed % 1_000_000);
            out.push(format!("{head}{n:0digits$}"));
        }
    }
    out.push(format!("{s}-{seed}"));
    out.push(format!("{s}{seed}"));
    out
}

/// A string in `format`, varied by the seed, for the formats we know.
fn format_string(format: &str, hint: Option<&str>, seed: u64) -> Option<String> {
    let small = seed % 1000;
    Some(match format {
        "date-time" | "google-datetime" | "datetime" => format!(
            "2024-01-{:02}T00:00:{:02}Z",
            1 + seed % 28,
            (seed / 28) % 60
        ),
        "date" => format!("2024-01-{:02}", 1 + seed % 28),
        "time" => format!("12:00:{:02}Z", seed % 60),
        "duration" => format!("P{}D", 1 + small),
        "google-duration" => format!("{}s", 1 + small),
        "email" | "idn-email" if seed == 0 => "user@example.com".to_owned(),
        "email" | "idn-email" => format!("user{seed}@example.com"),
        "uuid" => format!(
            "3fa85f64-5717-4562-b3fc-{:012x}",
            0x2c96_3f66_afa6_u64.wrapping_add(seed) & 0xffff_ffff_ffff
        ),
        "uri" | "url" | "iri" | "uri-reference" | "iri-reference" if seed == 0 => {
            "https://example.com/".to_owned()
        }
        "uri" | "url" | "iri" | "uri-reference" | "iri-reference" => {
            format!("https://example.com/{seed}")
        }
        "uri-template" => "https://example.com/{id}".to_owned(),
        "hostname" | "idn-hostname" if seed == 0 => "example.com".to_owned(),
        "hostname" | "idn-hostname" => format!("host{seed}.example.com"),
        "ipv4" => format!("192.0.2.{}", 1 + seed % 254),
        "ipv6" => format!("2001:db8::{:x}", 1 + seed % 0xfffe),
        "byte" | "base64" => base64(&fit_length(hint.unwrap_or("string"), seed, 0, None)),
        "int32" | "int64" | "uint32" | "uint64" | "fixed32" | "fixed64" | "integer" | "long" => {
            (1 + small).to_string()
        }
        "double" | "float" | "decimal" | "number" => (1 + small).to_string(),
        "json-pointer" => "/a".to_owned(),
        "relative-json-pointer" => "0".to_owned(),
        "regex" => "^a$".to_owned(),
        "google-fieldmask" => hint.unwrap_or("name").to_owned(),
        _ => return None,
    })
}

/// A string in `format` resized toward the length bounds, for formats that stretch.
fn resize_format(format: &str, s: &str, min: usize, max: Option<usize>) -> Option<String> {
    let len = s.chars().count();
    match format {
        "email" | "idn-email" => {
            let domain = if max.is_some_and(|m| m < 16) {
                "b.c"
            } else {
                "example.com"
            };
            let local = min.saturating_sub(domain.len() + 1).clamp(1, 64);
            Some(format!("{}@{domain}", "a".repeat(local)))
        }
        "uri" | "url" | "iri" | "uri-reference" | "iri-reference" if len < min => {
            Some(format!("{s}{}", "x".repeat(min - len)))
        }
        _ => None,
    }
}

/// Standard base64 with padding.
fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// One piece of a parsed regular expression.
enum Re {
    Lit(char),
    /// A character class, its members in order of preference (never empty).
    Set(Vec<char>),
    /// A group: alternatives, each a sequence.
    Alt(Vec<Vec<Re>>),
    Rep {
        inner: Box<Re>,
        min: u32,
        max: Option<u32>,
        id: usize,
    },
    /// An anchor or a word boundary: matches no characters.
    Empty,
}

/// Printable ASCII, letters and digits first: the characters classes pick from.
fn universe() -> Vec<char> {
    let mut out: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    out.extend(('!'..='~').filter(|c| !c.is_ascii_alphanumeric()));
    out.push(' ');
    out
}

fn universe_except(excluded: impl Fn(char) -> bool) -> Vec<char> {
    universe().into_iter().filter(|c| !excluded(*c)).collect()
}

/// A parser for the simple regular expressions API specs use; `None` for anything else
/// (lookaround, backreferences, Unicode properties).
struct ReParser {
    chars: Vec<char>,
    pos: usize,
    reps: usize,
    depth: usize,
}

impl ReParser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn alternatives(&mut self) -> Option<Vec<Vec<Re>>> {
        self.depth += 1;
        if self.depth > 64 {
            return None;
        }
        let mut alts = vec![self.sequence()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            alts.push(self.sequence()?);
        }
        self.depth -= 1;
        Some(alts)
    }

    fn sequence(&mut self) -> Option<Vec<Re>> {
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            out.push(self.quantified(atom)?);
        }
        Some(out)
    }

    fn atom(&mut self) -> Option<Re> {
        Some(match self.next()? {
            '^' | '$' => Re::Empty,
            '.' => Re::Set(universe_except(|c| c == '\n' || c == '\r')),
            '(' => {
                if self.peek() == Some('?') {
                    self.pos += 1;
                    if self.peek() == Some('P') {
                        self.pos += 1;
                    }
                    match self.next()? {
                        ':' => {}
                        '<' if !matches!(self.peek(), Some('=' | '!')) => {
                            while self.next()? != '>' {}
                        }
                        _ => return None,
                    }
                }
                let alts = self.alternatives()?;
                if self.next()? != ')' {
                    return None;
                }
                Re::Alt(alts)
            }
            '[' => self.class()?,
            '\\' => self.escape()?,
            '*' | '+' | '?' | ')' => return None,
            c => Re::Lit(c),
        })
    }

    fn quantified(&mut self, atom: Re) -> Option<Re> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => match self.braces() {
                Some(q) => q,
                None => return Some(atom),
            },
            _ => return Some(atom),
        };
        self.pos += 1;
        if matches!(self.peek(), Some('?' | '+')) {
            self.pos += 1;
        }
        if max.is_some_and(|m| m < min) || min > MAX_MIN_LENGTH as u32 {
            return None;
        }
        self.reps += 1;
        Some(Re::Rep {
            inner: Box::new(atom),
            min,
            max,
            id: self.reps,
        })
    }

    /// Reads `{n}`, `{n,}` or `{n,m}` up to (not past) the closing brace; leaves the position
    /// alone when it is not a quantifier (ECMAScript then reads `{` as a character).
    fn braces(&mut self) -> Option<(u32, Option<u32>)> {
        let start = self.pos;
        self.pos += 1;
        let parsed = (|| {
            let min = self.digits()?;
            let max = if self.peek() == Some(',') {
                self.pos += 1;
                if self.peek() == Some('}') {
                    None
                } else {
                    Some(self.digits()?)
                }
            } else {
                Some(min)
            };
            (self.peek() == Some('}')).then_some((min, max))
        })();
        if parsed.is_none() {
            self.pos = start;
        }
        parsed
    }

    fn digits(&mut self) -> Option<u32> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        text.parse().ok()
    }

    fn hex(&mut self, n: usize) -> Option<char> {
        if self.peek() == Some('{') {
            self.pos += 1;
            let mut text = String::new();
            while let Some(c) = self.next() {
                if c == '}' {
                    return char::from_u32(u32::from_str_radix(&text, 16).ok()?);
                }
                text.push(c);
            }
            return None;
        }
        let text: String = (0..n).map(|_| self.next()).collect::<Option<String>>()?;
        char::from_u32(u32::from_str_radix(&text, 16).ok()?)
    }

    fn escape(&mut self) -> Option<Re> {
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        Some(match self.next()? {
            'd' => Re::Set(('0'..='9').collect()),
            'D' => Re::Set(universe_except(|c| c.is_ascii_digit())),
            'w' => Re::Set(universe().into_iter().filter(|c| word(*c)).collect()),
            'W' => Re::Set(universe_except(word)),
            's' => Re::Set(vec![' ', '\t', '\n']),
            'S' => Re::Set(universe_except(|c| c == ' ')),
            'b' | 'B' => Re::Empty,
            '1'..='9' | 'p' | 'P' | 'k' | 'c' => return None,
            c => Re::Lit(self.simple_escape(c)?),
        })
    }

    /// The character an escape that stands for one character means.
    fn simple_escape(&mut self, c: char) -> Option<char> {
        Some(match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'f' => '\x0c',
            'v' => '\x0b',
            '0' => '\0',
            'u' => self.hex(4)?,
            'x' => self.hex(2)?,
            c => c,
        })
    }

    fn class(&mut self) -> Option<Re> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut ranges: Vec<(char, char)> = Vec::new();
        loop {
            let c = self.next()?;
            if c == ']' {
                break;
            }
            let lo = if c == '\\' {
                match self.next()? {
                    'd' => {
                        ranges.push(('0', '9'));
                        continue;
                    }
                    'w' => {
                        ranges.extend([('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]);
                        continue;
                    }
                    's' => {
                        ranges.extend([(' ', ' '), ('\t', '\r')]);
                        continue;
                    }
                    'D' | 'W' | 'S' | 'p' | 'P' => return None,
                    'b' => '\x08',
                    e => self.simple_escape(e)?,
                }
            } else {
                c
            };
            let is_range =
                self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|n| *n != ']');
            if !is_range {
                ranges.push((lo, lo));
                continue;
            }
            self.pos += 1;
            let hi = match self.next()? {
                '\\' => {
                    let e = self.next()?;
                    if matches!(e, 'd' | 'w' | 's' | 'D' | 'W' | 'S') {
                        return None;
                    }
                    self.simple_escape(e)?
                }
                h => h,
            };
            if hi < lo {
                return None;
            }
            ranges.push((lo, hi));
        }
        let inside = |c: char| ranges.iter().any(|(l, h)| *l <= c && c <= *h);
        let mut set: Vec<char> = universe()
            .into_iter()
            .filter(|c| inside(*c) != negated)
            .collect();
        if set.is_empty() && !negated {
            for (l, _) in &ranges {
                if !set.contains(l) {
                    set.push(*l);
                }
            }
        }
        if set.is_empty() {
            return None;
        }
        Some(Re::Set(set))
    }
}

/// How many choice points a regex piece has: alternatives with more vary better.
fn variability(re: &Re) -> u64 {
    match re {
        Re::Set(s) if s.len() > 1 => 1,
        Re::Alt(alts) => alts
            .iter()
            .map(|seq| seq.iter().map(variability).sum::<u64>())
            .max()
            .unwrap_or(0),
        Re::Rep { inner, min, .. } => variability(inner) * u64::from((*min).max(1)),
        _ => 0,
    }
}

/// Emits one string for a parsed regex, remembering where the choices were.
struct Emitter<'r> {
    out: Vec<char>,
    slots: Vec<(usize, &'r [char])>,
    /// (repetition id, count, max, characters per iteration) for each repetition emitted.
    reps: Vec<(usize, u32, Option<u32>, usize)>,
    extra: &'r HashMap<usize, u32>,
    lean: bool,
    vary: bool,
}

impl<'r> Emitter<'r> {
    fn emit(&mut self, re: &'r Re) -> Option<()> {
        if self.out.len() > MAX_MIN_LENGTH {
            return None;
        }
        match re {
            Re::Lit(c) => self.out.push(*c),
            Re::Set(set) => {
                self.slots.push((self.out.len(), set));
                self.out.push(set[0]);
            }
            Re::Alt(alts) => {
                let mut pick = 0;
                if self.vary {
                    let mut best = 0;
                    for (i, seq) in alts.iter().enumerate() {
                        let v = seq.iter().map(variability).sum::<u64>();
                        if v > best {
                            best = v;
                            pick = i;
                        }
                    }
                }
                for piece in &alts[pick] {
                    self.emit(piece)?;
                }
            }
            Re::Rep {
                inner,
                min,
                max,
                id,
            } => {
                let base = if self.lean || *min > 0 || max.is_some() {
                    *min
                } else {
                    1
                };
                let mut n = base.saturating_add(self.extra.get(id).copied().unwrap_or(0));
                if let Some(m) = max {
                    n = n.min(*m);
                }
                let start = self.out.len();
                for _ in 0..n {
                    self.emit(inner)?;
                }
                let per = if n == 0 {
                    1
                } else {
                    (self.out.len() - start) / n as usize
                };
                self.reps.push((*id, n, *max, per));
            }
            Re::Empty => {}
        }
        Some(())
    }

    /// The text, with choices varied by the seed: a mixed-radix count from the last choice.
    fn finish(mut self, seed: u64) -> String {
        let mut s = seed;
        for (pos, set) in self.slots.iter().rev() {
            if s == 0 {
                break;
            }
            let n = set.len() as u64;
            if n < 2 {
                continue;
            }
            self.out[*pos] = set[(s % n) as usize];
            s /= n;
        }
        self.out.into_iter().collect()
    }
}

/// A string that matches `pattern` within the length bounds, or `None` when the pattern is
/// beyond our small generator (the caller then tries other strings and checks them).
fn regex_string(pattern: &str, min: usize, max: Option<usize>, seed: u64) -> Option<String> {
    let mut parser = ReParser {
        chars: pattern.chars().collect(),
        pos: 0,
        reps: 0,
        depth: 0,
    };
    let alts = parser.alternatives()?;
    if parser.pos != parser.chars.len() {
        return None;
    }
    let root = Re::Alt(alts);
    let mut extra: HashMap<usize, u32> = HashMap::new();
    let mut lean = false;
    for _ in 0..16 {
        let snapshot = extra.clone();
        let mut e = Emitter {
            out: Vec::new(),
            slots: Vec::new(),
            reps: Vec::new(),
            extra: &snapshot,
            lean,
            vary: seed > 0,
        };
        e.emit(&root)?;
        let len = e.out.len();
        if len < min {
            let growable = e
                .reps
                .iter()
                .rev()
                .find(|(_, n, max, per)| *per > 0 && max.is_none_or(|m| *n < m))
                .copied();
            let Some((id, n, max, per)) = growable else {
                return Some(e.finish(seed));
            };
            let need = (min - len).div_ceil(per) as u32;
            let room = max.map_or(need, |m| (m - n).min(need));
            *extra.entry(id).or_insert(0) += room;
            continue;
        }
        if max.is_some_and(|m| len > m) && !lean {
            lean = true;
            extra.clear();
            continue;
        }
        return Some(e.finish(seed));
    }
    None
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    use serde_json::json;

    use super::*;
    use crate::spec::Api;

    static FIXTURES: AtomicUsize = AtomicUsize::new(0);

    /// An API of `version` ("2.0", "3.0.3", "3.1.0") whose named schemas are `schemas`, each
    /// used as the request and response body of one operation so the loader bundles it.
    fn fixture(version: &str, schemas: Value) -> Api {
        let names: Vec<String> = schemas.as_object().unwrap().keys().cloned().collect();
        let mut paths = Map::new();
        let doc = if version == "2.0" {
            for name in &names {
                let r = json!({ "$ref": format!("#/definitions/{name}") });
                paths.insert(
                    format!("/{name}"),
                    json!({ "post": {
                        "parameters": [{ "name": "body", "in": "body", "schema": r }],
                        "responses": { "200": { "description": "ok", "schema": r } }
                    }}),
                );
            }
            json!({ "swagger": "2.0", "info": { "title": "t", "version": "1" },
                    "paths": paths, "definitions": schemas })
        } else {
            for name in &names {
                let content = json!({ "application/json": {
                    "schema": { "$ref": format!("#/components/schemas/{name}") } } });
                paths.insert(
                    format!("/{name}"),
                    json!({ "post": {
                        "requestBody": { "content": content },
                        "responses": { "200": { "description": "ok", "content": content } }
                    }}),
                );
            }
            json!({ "openapi": version, "info": { "title": "t", "version": "1" },
                    "paths": paths, "components": { "schemas": schemas } })
        };
        let n = FIXTURES.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("contractor-synth-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("spec.json");
        std::fs::write(&path, serde_json::to_string(&doc).unwrap()).unwrap();
        let loaded = crate::spec::load(&path, &Default::default());
        let _ = std::fs::remove_dir_all(&dir);
        loaded.unwrap().apis.remove(0)
    }

    fn schema_ref(api: &Api, name: &str) -> SchemaRef {
        let r = SchemaRef(format!("/s/d0~1components~1schemas~1{name}"));
        if api.schemas.get(&r).is_some() {
            return r;
        }
        SchemaRef(format!("/s/d0~1definitions~1{name}"))
    }

    /// Synthesizes `name` and asserts the API's validator accepts it.
    fn synth(api: &Api, name: &str, direction: Direction, fill: Fill, seed: u64) -> Value {
        let r = schema_ref(api, name);
        let schema = api
            .schemas
            .get(&r)
            .unwrap_or_else(|| panic!("{} not in bundle {}", r.0, api.schemas.bundle()));
        let v = synthesize(&api.schemas, schema, direction, fill, seed);
        let validator = api.schemas.validator(&r, direction).unwrap();
        if let Err(e) = validator.validate(&v) {
            panic!(
                "{name}: {v} does not validate: {e} at {}",
                e.instance_path()
            );
        }
        v
    }

    fn request(api: &Api, name: &str) -> Value {
        synth(api, name, Direction::Request, Fill::Required, 0)
    }

    #[test]
    fn prefers_example_then_examples_then_default_then_const_then_enum() {
        let api = fixture(
            "3.1.0",
            json!({
                "Ex": { "type": "string", "example": "a", "examples": ["b"], "default": "c", "enum": ["a", "b", "c"] },
                "Exs": { "type": "string", "examples": ["b"], "default": "c" },
                "Def": { "type": "string", "default": "c", "const": "c" },
                "Con": { "type": "string", "const": "k", "enum": ["j", "k"] },
                "Enu": { "type": "string", "enum": ["x", "y"] },
            }),
        );
        assert_eq!(request(&api, "Ex"), json!("a"));
        assert_eq!(request(&api, "Exs"), json!("b"));
        assert_eq!(request(&api, "Def"), json!("c"));
        assert_eq!(request(&api, "Con"), json!("k"));
        assert_eq!(request(&api, "Enu"), json!("x"));
    }

    #[test]
    fn skips_an_example_that_does_not_fit_its_schema() {
        let api = fixture(
            "3.0.3",
            json!({
                "Age": { "type": "integer", "minimum": 18, "example": 3 },
                "Pet": { "type": "object", "required": ["name"],
                         "properties": { "name": { "type": "string" } },
                         "example": { "tag": "no name" } },
            }),
        );
        assert_eq!(request(&api, "Age"), json!(18));
        assert_eq!(request(&api, "Pet"), json!({ "name": "name" }));
    }

    #[test]
    fn fills_required_properties_or_all_of_them() {
        let api = fixture(
            "3.0.3",
            json!({ "Pet": { "type": "object", "required": ["name"], "properties": {
                "name": { "type": "string" }, "tag": { "type": "string" },
                "age": { "type": "integer", "format": "int32" } } } }),
        );
        assert_eq!(request(&api, "Pet"), json!({ "name": "name" }));
        let all = synth(&api, "Pet", Direction::Request, Fill::All, 0);
        assert_eq!(all, json!({ "name": "name", "tag": "tag", "age": 1 }));
    }

    #[test]
    fn leaves_read_only_out_of_requests_and_write_only_out_of_responses() {
        let api = fixture(
            "3.0.3",
            json!({ "User": { "type": "object", "required": ["id", "password", "name"], "properties": {
                "id": { "type": "string", "readOnly": true },
                "password": { "type": "string", "writeOnly": true },
                "name": { "type": "string" } },
                "example": { "id": "u1", "password": "p", "name": "ann" } } }),
        );
        for fill in [Fill::Required, Fill::All] {
            let req = synth(&api, "User", Direction::Request, fill, 0);
            assert_eq!(req, json!({ "password": "p", "name": "ann" }));
            let resp = synth(&api, "User", Direction::Response, fill, 0);
            assert_eq!(resp, json!({ "id": "u1", "name": "ann" }));
        }
    }

    #[test]
    fn leaves_out_read_only_properties_declared_in_another_all_of_part() {
        let api = fixture(
            "3.0.3",
            json!({
                "Base": { "type": "object", "properties": { "id": { "type": "string", "readOnly": true } } },
                "Pet": { "allOf": [
                    { "$ref": "#/components/schemas/Base" },
                    { "type": "object", "required": ["id", "name"], "properties": { "name": { "type": "string" } } } ] },
            }),
        );
        assert_eq!(request(&api, "Pet"), json!({ "name": "name" }));
        let resp = synth(&api, "Pet", Direction::Response, Fill::Required, 0);
        assert_eq!(resp, json!({ "id": "id", "name": "name" }));
    }

    #[test]
    fn builds_strings_in_known_formats() {
        let formats = [
            "date-time",
            "date",
            "time",
            "email",
            "uuid",
            "uri",
            "url",
            "hostname",
            "ipv4",
            "ipv6",
            "byte",
            "int32",
            "int64",
            "duration",
        ];
        let mut schemas = Map::new();
        for f in formats {
            schemas.insert(
                f.replace('-', "_"),
                json!({ "type": "string", "format": f }),
            );
        }
        let api = fixture("3.1.0", Value::Object(schemas));
        assert_eq!(request(&api, "email"), json!("user@example.com"));
        assert_eq!(request(&api, "byte"), json!("c3RyaW5n"));
        assert_eq!(request(&api, "int64"), json!("1"));
        for f in formats {
            for seed in [0, 1, 77, 123_456] {
                let v = synth(
                    &api,
                    &f.replace('-', "_"),
                    Direction::Request,
                    Fill::All,
                    seed,
                );
                assert!(v.is_string(), "{f}: {v}");
            }
        }
    }

    #[test]
    fn respects_string_lengths() {
        let api = fixture(
            "3.0.3",
            json!({
                "Long": { "type": "string", "minLength": 300 },
                "Short": { "type": "string", "maxLength": 3 },
                "Exact": { "type": "string", "minLength": 5, "maxLength": 5, "format": "email" },
                "Huge": { "type": "string", "minLength": 20000 },
            }),
        );
        assert_eq!(request(&api, "Long").as_str().unwrap().len(), 300);
        assert_eq!(request(&api, "Short"), json!("str"));
        assert_eq!(
            synth(&api, "Short", Direction::Request, Fill::All, 42),
            json!("42")
        );
        assert_eq!(request(&api, "Exact").as_str().unwrap().len(), 5);
        let r = schema_ref(&api, "Huge");
        let huge = synthesize(
            &api.schemas,
            api.schemas.get(&r).unwrap(),
            Direction::Request,
            Fill::All,
            0,
        );
        assert_eq!(huge.as_str().unwrap().len(), MAX_MIN_LENGTH);
    }

    #[test]
    fn respects_numeric_bounds_in_draft_4_and_2020_12() {
        let draft4 = json!({
            "Excl": { "type": "integer", "minimum": 10, "exclusiveMinimum": true },
            "Upper": { "type": "integer", "maximum": 0, "exclusiveMaximum": true },
            "Mult": { "type": "integer", "minimum": 7, "multipleOf": 5 },
            "Frac": { "type": "number", "minimum": 0, "maximum": 1, "exclusiveMinimum": true, "exclusiveMaximum": true },
            "Cents": { "type": "number", "multipleOf": 0.01, "minimum": 0.5 },
            "Int32": { "type": "integer", "format": "int32" },
        });
        let api = fixture("3.0.3", draft4);
        assert_eq!(request(&api, "Excl"), json!(11));
        assert_eq!(request(&api, "Upper"), json!(-1));
        assert_eq!(request(&api, "Mult"), json!(10));
        assert_eq!(request(&api, "Frac"), json!(0.5));
        assert_eq!(request(&api, "Int32"), json!(1));
        for seed in 0..50 {
            for name in ["Excl", "Upper", "Mult", "Frac", "Cents", "Int32"] {
                synth(&api, name, Direction::Request, Fill::Required, seed);
            }
        }
        let api = fixture(
            "3.1.0",
            json!({ "Excl": { "type": "integer", "exclusiveMinimum": 10, "exclusiveMaximum": 12 } }),
        );
        assert_eq!(request(&api, "Excl"), json!(11));
        assert_eq!(
            synth(&api, "Excl", Direction::Request, Fill::All, 9),
            json!(11)
        );
    }

    #[test]
    fn generates_strings_for_simple_patterns() {
        let patterns = [
            "^[a-z]{3,8}$",
            "^(0|[1-9][0-9]*)$",
            "^#(([0-9a-fA-F]{2}){3}|([0-9a-fA-F]){3})$",
            "^[A-Z]{2}-\\d{4}$",
            "^\\+?[1-9]\\d{1,14}$",
            "^(foo|bar|baz)$",
            "^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$",
            "^/.*",
            "^urn:.*",
            "^https?://.*",
            "^[\\w.-]+$",
            "^v\\d+(\\.\\d+){2}(-[a-z0-9]+)?$",
            "[0-9]{5}",
            "^\\u0041[b-d]*$",
        ];
        let mut schemas = Map::new();
        for (i, p) in patterns.iter().enumerate() {
            schemas.insert(format!("P{i}"), json!({ "type": "string", "pattern": p }));
        }
        let api = fixture("3.1.0", Value::Object(schemas));
        assert_eq!(request(&api, "P0"), json!("aaa"));
        assert_eq!(request(&api, "P1"), json!("0"));
        assert_eq!(request(&api, "P2"), json!("#aaaaaa"));
        assert_eq!(request(&api, "P5"), json!("foo"));
        for i in 0..patterns.len() {
            let mut seen = Vec::new();
            for seed in 0..5 {
                seen.push(synth(
                    &api,
                    &format!("P{i}"),
                    Direction::Request,
                    Fill::Required,
                    seed,
                ));
            }
            assert!(seen.iter().all(Value::is_string));
        }
        let ids: Vec<Value> = (0..5)
            .map(|s| synth(&api, "P1", Direction::Request, Fill::Required, s))
            .collect();
        for (i, a) in ids.iter().enumerate() {
            assert!(!ids[i + 1..].contains(a), "seeds gave the same id: {ids:?}");
        }
    }

    #[test]
    fn falls_back_to_checked_strings_for_patterns_it_cannot_parse() {
        let api = fixture(
            "3.1.0",
            json!({ "Look": { "type": "string", "pattern": "^(?!x)[a-z0-9]+$" } }),
        );
        assert_eq!(request(&api, "Look"), json!("string"));
    }

    #[test]
    fn merges_all_of_branches() {
        let api = fixture(
            "3.0.3",
            json!({
                "NewPet": { "type": "object", "required": ["name"], "properties": { "name": { "type": "string" } } },
                "Pet": { "allOf": [ { "$ref": "#/components/schemas/NewPet" },
                    { "type": "object", "required": ["id"], "properties": { "id": { "type": "integer", "minimum": 5 } } } ] },
            }),
        );
        assert_eq!(request(&api, "Pet"), json!({ "name": "name", "id": 5 }));
    }

    #[test]
    fn picks_the_first_one_of_branch_that_validates() {
        let api = fixture(
            "3.1.0",
            json!({
                "Loose": { "type": "object" },
                "Cat": { "type": "object", "required": ["meow"], "properties": { "meow": { "type": "boolean" } } },
                "Pet": { "oneOf": [ { "$ref": "#/components/schemas/Loose" }, { "$ref": "#/components/schemas/Cat" } ] },
                "Num": { "oneOf": [ { "type": "number", "multipleOf": 2 }, { "type": "integer", "multipleOf": 3 } ] },
                "Any": { "anyOf": [ { "type": "string", "maxLength": 0, "minLength": 1 }, { "type": "boolean" } ] },
                "Str": { "oneOf": [ { "type": "string", "maxLength": 3 }, { "type": "string" } ] },
            }),
        );
        assert_eq!(request(&api, "Pet"), json!({}));
        // "str" from the first branch matches both, so the second branch's value wins.
        assert_eq!(request(&api, "Str"), json!("string"));
        synth(&api, "Pet", Direction::Request, Fill::All, 0);
        assert_eq!(request(&api, "Num"), json!(2));
        assert_eq!(request(&api, "Any"), json!(true));
    }

    #[test]
    fn cuts_cycles_and_gives_required_cycles_a_minimal_value() {
        let api = fixture(
            "3.0.3",
            json!({
                "Node": { "type": "object", "required": ["name"], "properties": {
                    "name": { "type": "string" },
                    "parent": { "$ref": "#/components/schemas/Node" },
                    "children": { "type": "array", "items": { "$ref": "#/components/schemas/Node" } } } },
                "Chain": { "type": "object", "required": ["next"], "properties": {
                    "next": { "$ref": "#/components/schemas/Chain" } } },
                "Maybe": { "type": "object", "required": ["next"], "properties": {
                    "next": { "nullable": true, "allOf": [ { "$ref": "#/components/schemas/Maybe" } ] } } },
            }),
        );
        let all = synth(&api, "Node", Direction::Response, Fill::All, 0);
        assert_eq!(all, json!({ "name": "name", "children": [] }));
        assert_eq!(
            synth(&api, "Maybe", Direction::Response, Fill::All, 0),
            json!({ "next": null })
        );
        let r = schema_ref(&api, "Chain");
        let chain = synthesize(
            &api.schemas,
            api.schemas.get(&r).unwrap(),
            Direction::Response,
            Fill::All,
            0,
        );
        assert_eq!(chain, json!({ "next": {} }));
        let err = valid_value(&api.schemas, &r, Direction::Response, 0).unwrap_err();
        assert!(err.starts_with("failed to synthesize a valid value for #/s/d0~1components~1schemas~1Chain: /next: "), "{err}");
    }

    #[test]
    fn same_seed_gives_the_same_value_and_other_seeds_differ() {
        let api = fixture(
            "3.0.3",
            json!({ "Invite": { "type": "object", "required": ["email", "id", "count", "role"], "properties": {
                "email": { "type": "string", "format": "email", "example": "ann@example.com" },
                "id": { "type": "string", "format": "uuid" },
                "count": { "type": "integer", "minimum": 1, "maximum": 1000 },
                "role": { "type": "string", "enum": ["STUDENT", "TEACHER"] } } } }),
        );
        let a = synth(&api, "Invite", Direction::Request, Fill::Required, 7);
        assert_eq!(
            a,
            synth(&api, "Invite", Direction::Request, Fill::Required, 7)
        );
        let b = synth(&api, "Invite", Direction::Request, Fill::Required, 8);
        assert_ne!(a["email"], b["email"]);
        assert_ne!(a["id"], b["id"]);
        assert_ne!(a["count"], b["count"]);
        assert_eq!(a["role"], json!("STUDENT"));
        let plain = synth(&api, "Invite", Direction::Request, Fill::Required, 0);
        assert_eq!(plain["email"], json!("ann@example.com"));
        assert_eq!(a["email"], json!("ann7@example.com"));
    }

    #[test]
    fn makes_arrays_of_min_items_with_unique_items() {
        let api = fixture(
            "3.1.0",
            json!({
                "Tags": { "type": "array", "minItems": 3, "uniqueItems": true, "items": { "type": "string", "enum": ["a", "b", "c", "d"] } },
                "Flags": { "type": "array", "minItems": 2, "uniqueItems": true, "items": { "type": "boolean" } },
                "Ids": { "type": "array", "minItems": 3, "maxItems": 3, "uniqueItems": true, "items": { "type": "integer", "example": 4 } },
                "Pair": { "type": "array", "prefixItems": [ { "type": "string" }, { "const": 2 } ], "minItems": 2, "items": false },
                "Empty": { "type": "array", "items": { "type": "string" } },
            }),
        );
        assert_eq!(request(&api, "Tags"), json!(["a", "b", "c"]));
        assert_eq!(request(&api, "Flags"), json!([true, false]));
        assert_eq!(request(&api, "Ids").as_array().unwrap().len(), 3);
        assert_eq!(request(&api, "Pair"), json!(["string", 2]));
        assert_eq!(request(&api, "Empty"), json!([]));
        assert_eq!(
            synth(&api, "Empty", Direction::Request, Fill::All, 0),
            json!(["string"])
        );
    }

    #[test]
    fn handles_draft_2020_12_type_arrays_and_boolean_schemas() {
        let api = fixture(
            "3.1.0",
            json!({
                "Obj": { "type": "object", "required": ["a", "b", "c"], "properties": {
                    "a": { "type": ["null", "integer"] }, "b": true, "c": { "const": null }, "d": false },
                    "additionalProperties": false },
            }),
        );
        assert_eq!(
            synth(&api, "Obj", Direction::Request, Fill::All, 0),
            json!({ "a": 1, "b": "b", "c": null })
        );
    }

    #[test]
    fn honours_nullable_and_swagger_2() {
        let api = fixture(
            "2.0",
            json!({ "Pet": { "type": "object", "required": ["name", "kind"], "properties": {
                "name": { "type": "string", "x-nullable": true },
                "kind": { "type": "string", "enum": ["cat", "dog"] },
                "photo": { "type": "string", "format": "byte" } } } }),
        );
        assert_eq!(
            synth(&api, "Pet", Direction::Response, Fill::All, 0),
            json!({ "name": "name", "kind": "cat", "photo": "cGhvdG8=" })
        );
    }

    #[test]
    fn fills_maps_and_min_properties() {
        let api = fixture(
            "3.0.3",
            json!({
                "Map": { "type": "object", "additionalProperties": { "type": "integer" } },
                "Three": { "type": "object", "minProperties": 3, "properties": { "a": { "type": "string" } },
                           "additionalProperties": { "type": "boolean" } },
            }),
        );
        assert_eq!(request(&api, "Map"), json!({}));
        assert_eq!(
            synth(&api, "Map", Direction::Request, Fill::All, 0),
            json!({ "key": 1 })
        );
        assert_eq!(
            request(&api, "Three"),
            json!({ "a": "a", "key": true, "key2": true })
        );
    }

    #[test]
    fn satisfies_not_where_it_can() {
        let api = fixture(
            "3.1.0",
            json!({ "NotString": { "not": { "type": "string" } },
                    "NotEmpty": { "type": "string", "not": { "const": "string" } } }),
        );
        assert_eq!(request(&api, "NotString"), json!({}));
        synth(&api, "NotEmpty", Direction::Request, Fill::Required, 0);
    }

    #[test]
    fn reports_the_validator_error_when_nothing_validates() {
        let api = fixture(
            "3.0.3",
            json!({ "Never": { "allOf": [ { "type": "string" }, { "type": "integer" } ] } }),
        );
        let r = schema_ref(&api, "Never");
        let err = valid_value(&api.schemas, &r, Direction::Request, 0).unwrap_err();
        assert!(
            err.starts_with(
                "failed to synthesize a valid value for #/s/d0~1components~1schemas~1Never: /: "
            ),
            "{err}"
        );
        let missing = SchemaRef("/s/d0~1components~1schemas~1Nope".to_owned());
        assert!(valid_value(&api.schemas, &missing, Direction::Request, 0).is_err());
    }

    #[test]
    fn ends_on_deep_and_wide_schemas() {
        let mut deep = json!({ "type": "string" });
        for _ in 0..50 {
            deep = json!({ "type": "object", "required": ["x"], "properties": { "x": deep } });
        }
        let mut wide = Map::new();
        for i in 0..40 {
            wide.insert(
                format!("p{i}"),
                json!({ "$ref": "#/components/schemas/Wide" }),
            );
        }
        let api = fixture(
            "3.0.3",
            json!({ "Deep": deep, "Wide": { "type": "object", "properties": wide } }),
        );
        let r = schema_ref(&api, "Deep");
        let v = synthesize(
            &api.schemas,
            api.schemas.get(&r).unwrap(),
            Direction::Request,
            Fill::All,
            0,
        );
        assert!(v.is_object());
        assert_eq!(
            synth(&api, "Wide", Direction::Request, Fill::All, 0),
            json!({})
        );
    }

    #[test]
    fn regex_generator_reads_quantifiers_classes_and_alternation() {
        assert_eq!(
            regex_string("^ab{2}c?d*$", 0, None, 0).as_deref(),
            Some("abbd")
        );
        assert_eq!(
            regex_string("^[^a-z]{2}$", 0, None, 0).as_deref(),
            Some("AA")
        );
        assert_eq!(
            regex_string("^(?:x|yy)+$", 5, None, 0).as_deref(),
            Some("xxxxx")
        );
        assert_eq!(
            regex_string("^a{2,}$", 0, Some(1), 0).as_deref(),
            Some("aa")
        );
        assert_eq!(regex_string("^[a-c]$", 0, None, 2).as_deref(), Some("c"));
        assert_eq!(regex_string("x{1,", 0, None, 0).as_deref(), Some("x{1,"));
        assert!(regex_string("^(a)\\1$", 0, None, 0).is_none());
        assert!(regex_string("(?<=a)b", 0, None, 0).is_none());
        assert!(regex_string("a)", 0, None, 0).is_none());
        assert!(regex_string("[z-a]", 0, None, 0).is_none());
    }

    /// Every request-body and response schema of every operation: (where, schema, direction).
    fn body_schemas(api: &Api) -> Vec<(String, SchemaRef, Direction)> {
        let mut out: Vec<(String, SchemaRef, Direction)> = Vec::new();
        for op in &api.operations {
            for media in op.request_body.iter().flat_map(|b| &b.content) {
                if let Some(s) = &media.schema {
                    out.push((
                        format!("{} request {}", op.id, media.name),
                        s.clone(),
                        Direction::Request,
                    ));
                }
            }
            for resp in &op.responses {
                for media in &resp.content {
                    if let Some(s) = &media.schema {
                        out.push((
                            format!("{} {} {}", op.id, resp.status, media.name),
                            s.clone(),
                            Direction::Response,
                        ));
                    }
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|(_, s, d)| seen.insert((s.clone(), *d)));
        out
    }

    /// Runs `valid_value` on every body schema of the spec at `path`: (successes, failures).
    fn run_spec(path: &Path) -> (usize, Vec<String>) {
        let loaded = crate::spec::load(path, &Default::default())
            .unwrap_or_else(|e| panic!("{} does not load: {e}", path.display()));
        let mut ok = 0;
        let mut failures = Vec::new();
        for api in &loaded.apis {
            for (at, schema, direction) in body_schemas(api) {
                match valid_value(&api.schemas, &schema, direction, 0) {
                    Ok(_) => ok += 1,
                    Err(e) => failures.push(format!("{at}: {e}")),
                }
            }
        }
        (ok, failures)
    }

    #[test]
    fn every_body_of_the_invitations_spec_gets_a_valid_value() {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/specs/google-classroom/invitations.yaml"
        ));
        let (ok, failures) = run_spec(path);
        assert!(failures.is_empty(), "{failures:#?}");
        assert!(ok >= 10, "only {ok} schemas");
        let api = Api::load(path).unwrap();
        let r = SchemaRef("/s/d0~1components~1schemas~1Invitation".to_owned());
        let a = valid_value(&api.schemas, &r, Direction::Request, 1).unwrap();
        let b = valid_value(&api.schemas, &r, Direction::Request, 2).unwrap();
        assert_ne!(a, b);
        assert!(a.get("id").is_none(), "readOnly id in a request: {a}");
    }

    fn corpus() -> Option<PathBuf> {
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"));
        if dir.is_dir() {
            Some(dir)
        } else {
            println!("skipped: no corpus at {}", dir.display());
            None
        }
    }

    fn files(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.file_name().and_then(|n| n.to_str()).is_some_and(&keep))
            .collect();
        out.sort();
        out
    }

    fn corpus_rate(specs: &[PathBuf]) -> (usize, Vec<String>) {
        let mut ok = 0;
        let mut failures = Vec::new();
        for spec in specs {
            let (o, f) = run_spec(spec);
            println!("{}: {o} valid, {} failed", spec.display(), f.len());
            ok += o;
            failures.extend(f.into_iter().map(|f| format!("{}: {f}", spec.display())));
        }
        (ok, failures)
    }

    #[test]
    fn every_body_of_the_openapi_3_corpus_gets_a_valid_value() {
        let Some(dir) = corpus() else { return };
        let specs = files(&dir.join("openapi3"), |_| true);
        let (ok, failures) = corpus_rate(&specs);
        println!("openapi3: {ok} of {} valid", ok + failures.len());
        assert!(failures.is_empty(), "{failures:#?}");
        assert!(ok > 0);
    }

    #[test]
    fn every_body_of_the_swagger_2_petstores_gets_a_valid_value() {
        let Some(dir) = corpus() else { return };
        let mut specs = files(&dir.join("swagger2"), |n| {
            n.starts_with("petstore") && (n.ends_with(".yaml") || n.ends_with(".json"))
        });
        specs.push(dir.join("swagger2/petstore-separate/spec/swagger.yaml"));
        let (ok, failures) = corpus_rate(&specs);
        println!("swagger2 petstores: {ok} of {} valid", ok + failures.len());
        assert!(failures.is_empty(), "{failures:#?}");
        assert!(ok > 0);
    }

    #[test]
    fn nearly_every_body_of_the_discord_spec_gets_a_valid_value() {
        let Some(dir) = corpus() else { return };
        let (ok, failures) = corpus_rate(&[dir.join("openapi31/discord-openapi.json")]);
        let total = ok + failures.len();
        println!("discord: {ok} of {total} valid");
        for f in &failures {
            println!("  failed: {f}");
        }
        assert!(ok * 100 >= total * 98, "{ok} of {total}: {failures:#?}");
    }
}
