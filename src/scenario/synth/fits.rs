//! Whether a value fits a schema, to choose among candidates while a value is built.
//!
//! May import `spec` and the rest of `synth`.

use serde_json::{Map, Value};

use super::build::{Synth, CHECK_BUDGET};
use super::flat::{has_type, is_multiple, type_bits};

impl<'a> Synth<'a> {
    pub(super) fn fits_all(&mut self, roots: &[&'a Value], v: &Value) -> bool {
        roots.iter().all(|r| self.fits(r, v, 0))
    }

    pub(super) fn fits(&mut self, schema: &'a Value, v: &Value, depth: usize) -> bool {
        self.fits_in(schema, None, v, depth)
    }

    /// Whether `v` validates against `schema`: our own evaluator of the structural keywords
    /// (refs, composition, properties, items), with [`Synth::leaf_ok`] for the rest.
    pub(super) fn fits_in(
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
        let target = obj
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| self.schemas.target(r));
        if let Some(t) = target {
            if !self.fits(t, v, depth + 1) {
                return false;
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
            Value::Object(m) => self.fits_object(schema, parent, m, v, depth),
            Value::Array(items) => self.fits_array(obj, items, depth),
            _ => true,
        }
    }

    pub(super) fn fits_object(
        &mut self,
        schema: &'a Value,
        parent: Option<&'a Value>,
        m: &Map<String, Value>,
        whole: &Value,
        depth: usize,
    ) -> bool {
        let Some(obj) = schema.as_object() else {
            return true;
        };
        if let Some(Value::Array(required)) = obj.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !m.contains_key(name) && !self.schemas.drops_required(schema, parent, name, self.direction) {
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

    pub(super) fn fits_array(
        &mut self,
        obj: &'a Map<String, Value>,
        items: &[Value],
        depth: usize,
    ) -> bool {
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

    pub(super) fn leaf_ok_all(&mut self, nodes: &[&'a Value], v: &Value) -> bool {
        nodes.iter().all(|n| match n {
            Value::Object(o) => self.leaf_ok(o, v),
            Value::Bool(b) => *b,
            _ => true,
        })
    }

    /// Whether `v` passes the keywords of `obj` that look at `v` alone (type, enum, const,
    /// lengths, bounds, sizes, format, pattern).
    pub(super) fn leaf_ok(&mut self, obj: &Map<String, Value>, v: &Value) -> bool {
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

    /// Whether `s` matches `pattern` as the validator sees it (an unusable pattern matches).
    pub(super) fn pattern_ok(&mut self, pattern: &str, s: &str) -> bool {
        if !self.patterns.contains_key(pattern) {
            let schema = serde_json::json!({ "pattern": pattern });
            let compiled = self.schemas.compile_standalone(&schema);
            self.patterns.insert(pattern.to_owned(), compiled);
        }
        match self.patterns.get(pattern) {
            Some(Some(v)) => v.is_valid(&Value::String(s.to_owned())),
            _ => true,
        }
    }

    /// Whether the string `v` passes `format` as the validator sees it.
    pub(super) fn format_ok(&mut self, format: &str, v: &Value) -> bool {
        if !self.formats.contains_key(format) {
            let schema = serde_json::json!({ "format": format });
            let compiled = self.schemas.compile_standalone(&schema);
            self.formats.insert(format.to_owned(), compiled);
        }
        match self.formats.get(format) {
            Some(Some(validator)) => validator.is_valid(v),
            _ => true,
        }
    }
}

/// JSON equality that treats `1` and `1.0` as the same number, as JSON Schema does.
pub(super) fn json_eq(a: &Value, b: &Value) -> bool {
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
