//! Whether a value fits, to choose among candidates while a value is built. The API's
//! compiled validators answer, through `spec::Schemas`: there is no second evaluator here.
//!
//! May import `spec` and the rest of `synth`.

use serde_json::{Map, Value};

use super::build::{address, Synth};

/// The keywords that look at a value alone, without composition or subschemas.
const LEAF_KEYWORDS: &[&str] = &[
    "type",
    "enum",
    "const",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

impl<'a> Synth<'a> {
    /// Whether `v` validates against every schema of `roots` in this run's direction.
    pub(super) fn fits_all(&mut self, roots: &[&'a Value], v: &Value) -> bool {
        roots.iter().all(|r| self.fits(r, v))
    }

    fn fits(&mut self, schema: &'a Value, v: &Value) -> bool {
        if let Value::Bool(b) = schema {
            return *b;
        }
        match self.schemas.fits(schema, self.direction, v) {
            Some(fits) => fits,
            // Not a schema of the bundle (one a caller made up): it can only be compiled on
            // its own.
            None => self.standalone_ok((schema, false), schema, v),
        }
    }

    /// Whether `v` passes, in every merged part of `nodes`, the keywords that look at `v`
    /// alone.
    ///
    /// A part's own validator cannot answer this: the generator is still deciding the part's
    /// composition (which `oneOf` branch, which `$ref`), so only the part's keywords about
    /// the value itself apply. Those are copied into a schema of their own, which the
    /// validator then checks.
    pub(super) fn leaf_ok_all(&mut self, nodes: &[&'a Value], v: &Value) -> bool {
        nodes.iter().all(|n| match n {
            Value::Object(o) => {
                let leaf: Map<String, Value> = o
                    .iter()
                    .filter(|(k, _)| LEAF_KEYWORDS.contains(&k.as_str()))
                    .map(|(k, val)| (k.clone(), val.clone()))
                    .collect();
                leaf.is_empty() || self.standalone_ok((n, true), &Value::Object(leaf), v)
            }
            Value::Bool(b) => *b,
            _ => true,
        })
    }

    /// Whether `v` validates against `schema` compiled on its own, cached under the address
    /// of `key` (and whether it is the leaf part of `key`); a schema that does not compile
    /// lets everything through.
    fn standalone_ok(&mut self, key: (&Value, bool), schema: &Value, v: &Value) -> bool {
        let at = (address(key.0), key.1);
        if !self.standalone.contains_key(&at) {
            let compiled = self.schemas.compile_standalone(schema);
            self.standalone.insert(at, compiled);
        }
        match self.standalone.get(&at) {
            Some(Some(validator)) => validator.is_valid(v),
            _ => true,
        }
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
}
