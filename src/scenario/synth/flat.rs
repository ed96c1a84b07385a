//! Every schema object met through `$ref` and `allOf` merged into one [`Flat`], ready to build
//! a value from: types, candidates, bounds, object and array keywords, choices.
//!
//! May import `spec` and the rest of `synth`.

use serde_json::{Map, Value};

use super::build::{address, Synth};

pub(super) const T_NULL: u8 = 1;
pub(super) const T_BOOL: u8 = 2;
pub(super) const T_OBJECT: u8 = 4;
pub(super) const T_ARRAY: u8 = 8;
pub(super) const T_NUMBER: u8 = 16;
pub(super) const T_STRING: u8 = 32;
pub(super) const T_INTEGER: u8 = 64;
pub(super) const T_ANY: u8 = 127;

/// The schema that allows anything, for places with no schema of their own.
pub(super) static ANY: Value = Value::Bool(true);

/// The type bits a `type` keyword allows (`number` includes integers).
pub(super) fn type_bits(t: &Value) -> u8 {
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

/// A numeric bound.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bound {
    pub(super) value: f64,
    pub(super) exclusive: bool,
}

/// The bounds one side of a schema sets: `minimum` with Draft 4's boolean
/// `exclusiveMinimum`, or `minimum` and 2020-12's numeric `exclusiveMinimum` (the same for
/// the maximum).
fn bounds(inclusive: Option<f64>, exclusive: Option<&Value>) -> Vec<Bound> {
    let bound = |value, exclusive| Bound { value, exclusive };
    match (inclusive, exclusive) {
        (Some(m), Some(Value::Bool(b))) => vec![bound(m, *b)],
        (m, e) => {
            let e = e.and_then(Value::as_f64);
            m.map(|m| bound(m, false))
                .into_iter()
                .chain(e.map(|e| bound(e, true)))
                .collect()
        }
    }
}

/// Keeps the tighter of two bounds; `lower` says which side they bound.
pub(super) fn tighter(old: Option<Bound>, new: Bound, lower: bool) -> Option<Bound> {
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

/// Every schema object merged into one place (through `$ref` and `allOf`), ready to build a
/// value from. Borrows the schemas; nothing here is owned JSON.
#[derive(Clone)]
pub(super) struct Flat<'a> {
    /// The schemas this was made from: a value must fit all of them.
    pub(super) roots: Vec<&'a Value>,
    /// Every schema object merged in (roots, refs, `allOf` branches, chosen branches).
    pub(super) sources: Vec<&'a Value>,
    /// Schemas reached through `$ref` while merging, by address.
    pub(super) refs: Vec<usize>,
    /// A ref already being generated was met: building this would repeat a cycle.
    pub(super) cycle: bool,
    /// No value can fit (a `false` schema, an empty `enum`).
    pub(super) impossible: bool,
    pub(super) types: u8,
    pub(super) examples: Vec<&'a Value>,
    pub(super) examples_first: Vec<&'a Value>,
    pub(super) defaults: Vec<&'a Value>,
    pub(super) consts: Vec<&'a Value>,
    pub(super) enums: Vec<&'a [Value]>,
    pub(super) formats: Vec<&'a str>,
    pub(super) patterns: Vec<&'a str>,
    pub(super) min_length: u64,
    pub(super) max_length: Option<u64>,
    pub(super) lower: Option<Bound>,
    pub(super) upper: Option<Bound>,
    pub(super) multiple_of: Vec<f64>,
    pub(super) properties: Vec<(&'a str, Vec<&'a Value>)>,
    pub(super) required: Vec<&'a str>,
    pub(super) additional: Vec<&'a Value>,
    pub(super) pattern_properties: Vec<(&'a str, &'a Value)>,
    pub(super) min_properties: u64,
    pub(super) max_properties: Option<u64>,
    pub(super) dependent_required: Vec<(&'a str, &'a [Value])>,
    pub(super) prefix: Vec<Vec<&'a Value>>,
    pub(super) items: Vec<&'a Value>,
    pub(super) contains: Vec<&'a Value>,
    pub(super) min_items: u64,
    pub(super) max_items: Option<u64>,
    pub(super) unique: bool,
    pub(super) choices: Vec<&'a [Value]>,
    pub(super) guarded: bool,
    pub(super) read_only: bool,
    pub(super) write_only: bool,
}

impl<'a> Flat<'a> {
    pub(super) fn new(roots: &[&'a Value]) -> Self {
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

    pub(super) fn clear_candidates(&mut self) {
        self.examples.clear();
        self.examples_first.clear();
        self.defaults.clear();
        self.consts.clear();
        self.enums.clear();
    }

    pub(super) fn property(&self, name: &str) -> Option<&[&'a Value]> {
        self.properties
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s.as_slice())
    }

    pub(super) fn has_object_keywords(&self) -> bool {
        !self.properties.is_empty()
            || !self.required.is_empty()
            || !self.additional.is_empty()
            || !self.pattern_properties.is_empty()
            || self.min_properties > 0
            || self.max_properties.is_some()
    }

    pub(super) fn has_array_keywords(&self) -> bool {
        !self.items.is_empty()
            || !self.prefix.is_empty()
            || !self.contains.is_empty()
            || self.min_items > 0
            || self.max_items.is_some()
            || self.unique
    }

    pub(super) fn has_string_keywords(&self) -> bool {
        !self.patterns.is_empty()
            || !self.formats.is_empty()
            || self.min_length > 0
            || self.max_length.is_some()
    }

    pub(super) fn has_number_keywords(&self) -> bool {
        self.lower.is_some() || self.upper.is_some() || !self.multiple_of.is_empty()
    }
}

impl<'a> Flat<'a> {
    /// Adds `type`, the candidate values (`example`, `examples`, `default`, `const`, `enum`), `format` and `pattern`.
    fn add_annotations(&mut self, obj: &'a Map<String, Value>) {
        if let Some(t) = obj.get("type") {
            let bits = type_bits(t);
            if self.types & bits != 0 {
                self.types &= bits;
            }
        }
        if let Some(v) = obj.get("example") {
            self.examples.push(v);
        }
        if let Some(first) = obj
            .get("examples")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            self.examples_first.push(first);
        }
        if let Some(v) = obj.get("default") {
            self.defaults.push(v);
        }
        if let Some(v) = obj.get("const") {
            self.consts.push(v);
        }
        if let Some(Value::Array(values)) = obj.get("enum") {
            self.enums.push(values);
            self.impossible |= values.is_empty();
        }
        if let Some(f) = obj.get("format").and_then(Value::as_str) {
            self.formats.push(f);
        }
        if let Some(p) = obj.get("pattern").and_then(Value::as_str) {
            self.patterns.push(p);
        }
    }

    /// Adds string lengths, numeric bounds and `multipleOf`.
    fn add_bounds(&mut self, obj: &'a Map<String, Value>) {
        let number = |k: &str| obj.get(k).and_then(Value::as_f64);
        let count = |k: &str| obj.get(k).and_then(Value::as_u64);
        if let Some(n) = count("minLength") {
            self.min_length = self.min_length.max(n);
        }
        if let Some(n) = count("maxLength") {
            self.max_length = Some(self.max_length.map_or(n, |m| m.min(n)));
        }
        for bound in bounds(number("minimum"), obj.get("exclusiveMinimum")) {
            self.lower = tighter(self.lower, bound, true);
        }
        for bound in bounds(number("maximum"), obj.get("exclusiveMaximum")) {
            self.upper = tighter(self.upper, bound, false);
        }
        if let Some(m) = number("multipleOf").filter(|m| *m > 0.0 && m.is_finite()) {
            self.multiple_of.push(m);
        }
    }

    /// Adds the object keywords; `keep` says whether a `required` name still holds in this
    /// direction.
    fn add_object(&mut self, obj: &'a Map<String, Value>, keep: impl Fn(&str) -> bool) {
        let count = |k: &str| obj.get(k).and_then(Value::as_u64);
        if let Some(Value::Object(props)) = obj.get("properties") {
            for (name, schema) in props {
                match self.properties.iter_mut().find(|(n, _)| n == name) {
                    Some((_, list)) => list.push(schema),
                    None => self.properties.push((name, vec![schema])),
                }
            }
        }
        if let Some(Value::Array(required)) = obj.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !self.required.contains(&name) && keep(name) {
                    self.required.push(name);
                }
            }
        }
        if let Some(ap) = obj.get("additionalProperties") {
            self.additional.push(ap);
        }
        if let Some(Value::Object(pp)) = obj.get("patternProperties") {
            self.pattern_properties
                .extend(pp.iter().map(|(p, s)| (p.as_str(), s)));
        }
        if let Some(n) = count("minProperties") {
            self.min_properties = self.min_properties.max(n);
        }
        if let Some(n) = count("maxProperties") {
            self.max_properties = Some(self.max_properties.map_or(n, |m| m.min(n)));
        }
        for key in ["dependentRequired", "dependencies"] {
            if let Some(Value::Object(deps)) = obj.get(key) {
                for (name, dep) in deps {
                    if let Value::Array(list) = dep {
                        self.dependent_required.push((name, list));
                    }
                }
            }
        }
    }

    /// Adds the array keywords.
    fn add_array(&mut self, obj: &'a Map<String, Value>) {
        let count = |k: &str| obj.get(k).and_then(Value::as_u64);
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
                add_prefix(list, self);
                if let Some(extra) = obj.get("additionalItems") {
                    self.items.push(extra);
                }
            }
            Some(items) => self.items.push(items),
            None => {}
        }
        if let Some(Value::Array(list)) = obj.get("prefixItems") {
            add_prefix(list, self);
        }
        if let Some(c) = obj.get("contains") {
            self.contains.push(c);
        }
        if let Some(n) = count("minItems") {
            self.min_items = self.min_items.max(n);
        }
        if let Some(n) = count("maxItems") {
            self.max_items = Some(self.max_items.map_or(n, |m| m.min(n)));
        }
        if obj.get("uniqueItems") == Some(&Value::Bool(true)) {
            self.unique = true;
        }
    }

    /// Adds `oneOf`/`anyOf` choices, the keywords met by trying values (`not`, `if`, `propertyNames`), and the direction flags.
    fn add_composition(&mut self, obj: &'a Map<String, Value>) {
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = obj.get(key) {
                if !branches.is_empty() {
                    self.choices.push(branches);
                }
            }
        }
        if obj.contains_key("not") || obj.contains_key("if") || obj.contains_key("propertyNames") {
            self.guarded = true;
        }
        if obj.get("readOnly") == Some(&Value::Bool(true)) {
            self.read_only = true;
        }
        if obj.get("writeOnly") == Some(&Value::Bool(true)) {
            self.write_only = true;
        }
    }
}

impl<'a> Synth<'a> {
    pub(super) fn flatten(&self, nodes: &[&'a Value]) -> Flat<'a> {
        let mut flat = Flat::new(nodes);
        for node in nodes {
            self.merge(&mut flat, node);
        }
        flat
    }

    /// Merges one schema into `flat` through the one `$ref`/`allOf` walk of `spec`: each
    /// part's own keywords, a `$ref` target once per flat (meeting one being generated marks
    /// a cycle).
    pub(super) fn merge(&self, flat: &mut Flat<'a>, node: &'a Value) {
        let parts = self
            .schemas
            .parts(node, |t| flat.refs.contains(&address(t)));
        for part in parts {
            if part.by_ref {
                let at = address(part.schema);
                if self.stack.contains(&at) {
                    flat.cycle = true;
                }
                flat.refs.push(at);
            }
            match part.schema {
                Value::Object(obj) => {
                    flat.sources.push(part.schema);
                    flat.add_annotations(obj);
                    flat.add_bounds(obj);
                    let keep = |name: &str| {
                        !self
                            .schemas
                            .drops_required(part.schema, part.parent, name, self.direction)
                    };
                    flat.add_object(obj, keep);
                    flat.add_array(obj);
                    flat.add_composition(obj);
                }
                Value::Bool(false) => {
                    flat.impossible = true;
                    flat.sources.push(part.schema);
                }
                _ => {}
            }
        }
    }
}
