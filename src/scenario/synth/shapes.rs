//! Building values of one type from a [`Flat`]: objects (required, optional, dependent and
//! extra properties), arrays, strings (patterns, formats, lengths) and numbers (bounds,
//! `multipleOf`).
//!
//! May import `spec` and the rest of `synth`.

use serde_json::{Map, Value};

use super::build::{Synth, MAX_ITEMS, MAX_MIN_LENGTH};
use super::flat::{Flat, ANY};
use super::formats::{fit_length, format_string, resize_format};
use super::regex::regex_string;

impl<'a> Synth<'a> {
    /// An object: declared properties (required ones, and optional ones when the fill and
    /// the budgets allow), then required and dependent-required names it does not declare,
    /// then extra properties up to `minProperties`. `None` when a required part would repeat a
    /// `$ref` cycle.
    pub(super) fn gen_object(&mut self, flat: &Flat<'a>, depth: usize) -> Option<Value> {
        let mut out = Map::new();
        let optional = self.optional_allowed(depth);
        self.add_declared(flat, &mut out, optional, depth)?;
        self.add_required(flat, &mut out, depth)?;
        let map_entry =
            optional && flat.properties.is_empty() && flat.additional.iter().any(|a| a.is_object());
        let min = flat.min_properties.max(u64::from(map_entry)) as usize;
        if out.len() < min {
            self.add_to_min(flat, &mut out, min, depth);
        }
        Some(Value::Object(out))
    }

    /// The declared properties: required ones, and optional ones (not excluded from the
    /// direction) while `optional` and `maxProperties` allow.
    fn add_declared(
        &mut self,
        flat: &Flat<'a>,
        out: &mut Map<String, Value>,
        optional: bool,
        depth: usize,
    ) -> Option<()> {
        let max = flat.max_properties.unwrap_or(u64::MAX) as usize;
        let room = max.saturating_sub(flat.required.len());
        let mut optional_count = 0;
        for (name, schemas) in &flat.properties {
            let required = flat.required.contains(name);
            if !required {
                let excluded = schemas
                    .iter()
                    .any(|s| self.schemas.excluded(s, self.direction));
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
        Some(())
    }

    /// Required names the object does not declare, and names required by ones present
    /// (`dependentRequired`, `dependencies`).
    fn add_required(
        &mut self,
        flat: &Flat<'a>,
        out: &mut Map<String, Value>,
        depth: usize,
    ) -> Option<()> {
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
        Some(())
    }

    /// More properties until the object has `min`: declared ones first, then names that fit
    /// `patternProperties` or `additionalProperties`.
    fn add_to_min(
        &mut self,
        flat: &Flat<'a>,
        out: &mut Map<String, Value>,
        min: usize,
        depth: usize,
    ) {
        for (name, schemas) in &flat.properties {
            if out.len() >= min {
                break;
            }
            if out.contains_key(*name)
                || schemas
                    .iter()
                    .any(|s| self.schemas.excluded(s, self.direction))
            {
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

    /// The schemas for a property `properties` does not declare, or `None` when
    /// `additionalProperties: false` forbids it.
    pub(super) fn extra_schemas(&mut self, flat: &Flat<'a>, name: &str) -> Option<Vec<&'a Value>> {
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

    pub(super) fn gen_array(
        &mut self,
        flat: &Flat<'a>,
        hint: Option<&str>,
        depth: usize,
    ) -> Option<Value> {
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

    pub(super) fn gen_string(&mut self, flat: &Flat<'a>, hint: Option<&str>) -> Value {
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

    pub(super) fn gen_number(&mut self, flat: &Flat<'a>, integer: bool) -> Value {
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
}

/// A JSON number for `x`: an integer when it has no fraction, else a float.
pub(super) fn number_value(x: f64) -> Option<Value> {
    if !x.is_finite() {
        return None;
    }
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        return Some(Value::from(x as i64));
    }
    serde_json::Number::from_f64(x).map(Value::Number)
}
