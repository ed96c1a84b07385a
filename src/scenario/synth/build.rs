//! One synthesis run: [`Synth`] with its settings, budgets and the refs being generated,
//! choosing among candidates, `oneOf`/`anyOf` branches and types, and varying examples by the
//! seed.
//!
//! May import `spec` and the rest of `synth`.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::flat::{Flat, T_ANY, T_ARRAY, T_BOOL, T_INTEGER, T_NULL, T_NUMBER, T_OBJECT, T_STRING};
use super::formats::string_variants;
use super::value::Fill;
use crate::spec::{Direction, Schemas, Validator};

/// Optional properties and array items stop at this depth.
pub(super) const OPTIONAL_DEPTH: usize = 6;
/// Anything deeper gets a minimal value (a safety net; cycles are cut long before).
pub(super) const HARD_DEPTH: usize = 64;
/// Generated nodes after which optional content stops and branches are no longer checked.
pub(super) const NODE_BUDGET: usize = 20_000;
/// Generated nodes after which everything gets a minimal value.
pub(super) const HARD_NODE_BUDGET: usize = 200_000;
/// `oneOf`/`anyOf` groups chosen in, one inside the other, before the rest are ignored.
pub(super) const MAX_CHOOSING: usize = 32;
/// The longest string made without a `minLength` asking for more.
pub(super) const MAX_STRING: usize = 256;
/// The longest string made at all.
pub(super) const MAX_MIN_LENGTH: usize = 10_000;
/// The most items an array gets, whatever `minItems` says.
pub(super) const MAX_ITEMS: u64 = 1_000;

/// Where a candidate value came from, which decides whether the seed may vary it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Example,
    Fixed,
}

/// One synthesis run: its settings, the refs being generated, budgets and caches.
pub(super) struct Synth<'a> {
    pub(super) schemas: &'a Schemas,
    pub(super) direction: Direction,
    pub(super) fill: Fill,
    pub(super) seed: u64,
    pub(super) examples: bool,
    /// Second pass after a required cycle: cut refs become minimal values instead of nothing.
    pub(super) minimal: bool,
    /// Nonzero while generating an item of a `uniqueItems` array, to pick other values.
    pub(super) variant: u64,
    /// Schemas reached through `$ref` on the way here, by address: meeting one again is a cycle.
    pub(super) stack: Vec<usize>,
    pub(super) nodes: usize,
    /// `oneOf`/`anyOf` groups being chosen in, one inside the other.
    pub(super) choosing: usize,
    /// Validators of `pattern`s, by pattern.
    pub(super) patterns: HashMap<String, Option<Validator>>,
    /// Validators of schemas checked on their own, by address: the value keywords of a merged
    /// part (true), or a whole schema from outside the bundle (false).
    pub(super) standalone: HashMap<(usize, bool), Option<Validator>>,
}

impl<'a> Synth<'a> {
    pub(super) fn new(
        schemas: &'a Schemas,
        direction: Direction,
        fill: Fill,
        seed: u64,
        examples: bool,
    ) -> Self {
        Synth {
            schemas,
            direction,
            fill,
            seed,
            examples,
            minimal: false,
            variant: 0,
            stack: Vec::new(),
            nodes: 0,
            choosing: 0,
            patterns: HashMap::new(),
            standalone: HashMap::new(),
        }
    }

    pub(super) fn run(&mut self, schema: &'a Value) -> Value {
        self.stack.push(address(schema));
        if let Some(v) = self.gen(&[schema], None, 0) {
            return v;
        }
        // A required path leads back into a cycle: build again, ending cycles with minimal values.
        self.minimal = true;
        self.nodes = 0;
        self.gen(&[schema], None, 0).unwrap_or(Value::Null)
    }

    pub(super) fn seed(&self) -> u64 {
        self.seed.wrapping_add(self.variant)
    }

    pub(super) fn gen(
        &mut self,
        nodes: &[&'a Value],
        hint: Option<&str>,
        depth: usize,
    ) -> Option<Value> {
        self.nodes += 1;
        let flat = self.flatten(nodes);
        self.gen_flat(flat, hint, depth)
    }

    pub(super) fn gen_flat(
        &mut self,
        mut flat: Flat<'a>,
        hint: Option<&str>,
        depth: usize,
    ) -> Option<Value> {
        if flat.cycle || depth > HARD_DEPTH || self.nodes > HARD_NODE_BUDGET {
            return self.cut(&flat, hint);
        }
        if let Some(v) = self.candidate(&flat, hint) {
            return Some(v);
        }
        flat.clear_candidates();
        if !flat.choices.is_empty() && self.choosing < MAX_CHOOSING {
            let branches = flat.choices.remove(0);
            let mut first = None;
            self.choosing += 1;
            for branch in branches {
                let mut merged = flat.clone();
                self.merge(&mut merged, branch);
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
    pub(super) fn cut(&mut self, flat: &Flat<'a>, hint: Option<&str>) -> Option<Value> {
        if self.minimal {
            Some(self.minimal_value(flat, hint, 0))
        } else {
            None
        }
    }

    pub(super) fn minimal_value(
        &mut self,
        flat: &Flat<'a>,
        hint: Option<&str>,
        depth: usize,
    ) -> Value {
        self.nodes += 1;
        if let Some(v) = self.candidate(flat, hint) {
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
                    self.merge(&mut merged, branch);
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
    pub(super) fn type_order(&self, flat: &Flat<'a>) -> Vec<u8> {
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

    pub(super) fn gen_type(
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
    pub(super) fn candidate(&mut self, flat: &Flat<'a>, hint: Option<&str>) -> Option<Value> {
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
                if self.seed() != 0 && !hint.is_some_and(is_reference) {
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
    pub(super) fn strip_direction(&self, flat: &Flat<'a>, v: &mut Value) {
        let Value::Object(m) = v else {
            return;
        };
        for (name, schemas) in &flat.properties {
            if !flat.required.contains(name)
                && schemas
                    .iter()
                    .any(|s| self.schemas.excluded(s, self.direction))
            {
                m.shift_remove(*name);
            }
        }
    }

    /// `v` with strings and numbers varied by the seed where their own schema still holds.
    pub(super) fn perturb(&mut self, flat: &Flat<'a>, v: &Value, depth: usize) -> Value {
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
                    // A reference to something that exists (`courseId`) keeps the example's
                    // value; what names a new thing (`name`, `email`) is varied.
                    if is_reference(k) {
                        continue;
                    }
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

    pub(super) fn optional_allowed(&self, depth: usize) -> bool {
        self.fill == Fill::All
            && !self.minimal
            && depth < OPTIONAL_DEPTH
            && self.nodes < NODE_BUDGET
    }
}

/// A schema's identity: where it sits in memory (every schema lives in the bundle or with the
/// caller for the whole run).
/// Whether a property name says it refers to an existing item: `id`, `courseId`, `user_id`,
/// `ownerIds`.
fn is_reference(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "id"
        || name.ends_with("Id")
        || name.ends_with("Ids")
        || lower.ends_with("_id")
        || lower.ends_with("_ids")
}

pub(super) fn address(schema: &Value) -> usize {
    std::ptr::from_ref(schema) as usize
}
