//! Building the schema bundle while an API is read: every schema an API uses is copied once,
//! under `/s/`, keyed by its document and pointer (`d0/components/schemas/Pet`; other files
//! are `d1`, `d2`, ...). Each `$ref` is rewritten to point at its target's entry (chains of
//! bare refs collapsed), a dangling one becomes `{}` with a warning, a malformed keyword is
//! dropped with a warning, and the dialect is adapted: OpenAPI 3.0 and Swagger 2.0 become
//! Draft 4 (`$ref` siblings dropped, `nullable` and `x-nullable` as a `null` type, `type: file`
//! dropped), OpenAPI 3.1 is Draft 2020-12 (`$ref` siblings kept), and `int32`/`int64` become
//! numeric bounds. Refs stay refs, so a schema that contains itself loads and nothing walks it
//! forever.
//!
//! May import `error`, `spec::refs` and `spec::schema`.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use super::schemas::{uri_fragment, Dialect, SchemaRef, Schemas};
use crate::error::{escape_token, Diagnostic, Location};
use crate::spec::refs::{DocId, DocSet, RefError, Target};

/// Keywords whose value is a map of name to schema.
const MAP_KEYWORDS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Keywords whose value is a list of schemas.
const LIST_KEYWORDS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value is one schema (or, for `items` in older drafts, a list).
const ONE_KEYWORDS: &[&str] = &[
    "items",
    "additionalItems",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// The JSON Schema types.
const TYPES: &[&str] = &[
    "string", "number", "integer", "boolean", "object", "array", "null",
];

/// Copies schemas into the bundle while an API is being read.
pub(crate) struct SchemaBuilder {
    entries: Map<String, Value>,
    dialect: Dialect,
    imported: HashSet<String>,
    queue: Vec<(DocId, String)>,
    synthetic: usize,
    required_props: Vec<(String, String)>,
}

/// The bundle key of a schema at `pointer` in document `doc`.
fn key_of(doc: DocId, pointer: &str) -> String {
    format!("d{doc}{pointer}")
}

/// The bundle pointer of the entry `key`.
fn entry_pointer(key: &str) -> String {
    format!("/s/{}", escape_token(key))
}

impl SchemaBuilder {
    pub fn new(dialect: Dialect) -> Self {
        SchemaBuilder {
            entries: Map::new(),
            dialect,
            imported: HashSet::new(),
            queue: Vec::new(),
            synthetic: 0,
            required_props: Vec::new(),
        }
    }

    /// The dialect schemas are adapted from.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Imports the schema at `pointer` of document `doc` (and everything it refers to).
    pub fn import(
        &mut self,
        docs: &mut DocSet,
        diags: &mut Vec<Diagnostic>,
        doc: DocId,
        pointer: &str,
    ) -> SchemaRef {
        let key = key_of(doc, pointer);
        if self.imported.insert(key.clone()) {
            self.queue.push((doc, pointer.to_owned()));
            self.drain(docs, diags);
        }
        SchemaRef(entry_pointer(&key))
    }

    /// Adds a schema made up by the loader (Swagger 2.0's typed parameters, form bodies);
    /// refs inside it resolve against document `doc`.
    pub fn synthesize(
        &mut self,
        docs: &mut DocSet,
        diags: &mut Vec<Diagnostic>,
        doc: DocId,
        schema: &Value,
        location: &Location,
    ) -> SchemaRef {
        let key = format!("synthetic/{}", self.synthetic);
        self.synthetic += 1;
        let ptr = self.add(docs, diags, doc, schema, location, key);
        self.drain(docs, diags);
        SchemaRef(ptr)
    }

    fn drain(&mut self, docs: &mut DocSet, diags: &mut Vec<Diagnostic>) {
        while let Some((doc, pointer)) = self.queue.pop() {
            let d = docs.doc(doc);
            let Some(value) = d.value.pointer(&pointer) else {
                continue;
            };
            let location = docs.location(doc, &pointer);
            let key = key_of(doc, &pointer);
            self.add(docs, diags, doc, value, &location, key);
        }
    }

    /// Adapts `schema` into the bundle under `key`; its pointer there.
    fn add(
        &mut self,
        docs: &mut DocSet,
        diags: &mut Vec<Diagnostic>,
        doc: DocId,
        schema: &Value,
        location: &Location,
        key: String,
    ) -> String {
        let ptr = entry_pointer(&key);
        let adapted = self.adapt(docs, diags, doc, schema, location, &ptr, 0);
        self.entries.insert(key, adapted);
        ptr
    }

    pub fn finish(self) -> Schemas {
        let mut bundle = Map::new();
        bundle.insert("s".to_owned(), Value::Object(self.entries));
        Schemas::new(Value::Object(bundle), self.dialect, self.required_props)
    }

    /// The adapted copy of one schema. `location` is where it is in its document, for
    /// diagnostics; `bundle_ptr` where the copy will sit in the bundle.
    #[allow(clippy::too_many_arguments)]
    fn adapt(
        &mut self,
        docs: &mut DocSet,
        diags: &mut Vec<Diagnostic>,
        doc: DocId,
        schema: &Value,
        location: &Location,
        bundle_ptr: &str,
        depth: usize,
    ) -> Value {
        if depth > 200 {
            diags.push(Diagnostic::warning(
                location.clone(),
                "schema nests deeper than 200 levels: treated as unconstrained",
            ));
            return json!({});
        }
        let obj = match schema {
            Value::Object(o) => o,
            Value::Bool(_) if self.dialect == Dialect::OpenApi31 => return schema.clone(),
            _ => {
                diags.push(Diagnostic::warning(
                    location.clone(),
                    "schema is not an object: treated as unconstrained",
                ));
                return json!({});
            }
        };
        let recorded_before = self.required_props.len();
        let mut out = Map::new();
        if let Some(reference) = obj.get("$ref") {
            let rewritten = self.rewrite_ref(docs, diags, doc, reference, &location.child("$ref"));
            let Some(rewritten) = rewritten else {
                return json!({});
            };
            let keeps_siblings = self.dialect == Dialect::OpenApi31;
            let nullable = obj.get("nullable") == Some(&Value::Bool(true))
                || obj.get("x-nullable") == Some(&Value::Bool(true));
            if !keeps_siblings {
                let r = json!({ "$ref": rewritten });
                return if nullable {
                    json!({ "anyOf": [r, { "type": "null" }] })
                } else {
                    r
                };
            }
            out.insert("$ref".to_owned(), Value::String(rewritten));
        }
        for (key, value) in obj {
            if key == "$ref" {
                continue;
            }
            let child_loc = location.child(key);
            if let Some(guess) = (key == "type").then(|| guess_type(value)).flatten() {
                diags.push(Diagnostic::warning(
                    child_loc,
                    format!("`type` is {value}, not a JSON Schema type: read as {guess}"),
                ));
                out.insert(key.clone(), guess);
                continue;
            }
            if let Some(problem) = malformed(key, value, self.dialect) {
                diags.push(Diagnostic::warning(
                    child_loc,
                    format!("`{key}` {problem}: keyword ignored"),
                ));
                continue;
            }
            let child_ptr = format!("{bundle_ptr}/{}", escape_token(key));
            let adapted = self.adapt_keyword(
                docs,
                diags,
                doc,
                (key, value),
                &child_loc,
                &child_ptr,
                depth,
            );
            out.insert(key.clone(), adapted);
        }
        let wrapped = self.adapt_dialect(&mut out);
        self.record_required(&out, wrapped, bundle_ptr, recorded_before);
        Value::Object(out)
    }

    /// The adapted value of one keyword of a schema: the schemas inside it adapted in turn.
    #[allow(clippy::too_many_arguments)]
    fn adapt_keyword(
        &mut self,
        docs: &mut DocSet,
        diags: &mut Vec<Diagnostic>,
        doc: DocId,
        (key, value): (&str, &Value),
        location: &Location,
        bundle_ptr: &str,
        depth: usize,
    ) -> Value {
        if MAP_KEYWORDS.contains(&key) && value.is_object() {
            let mut m = Map::new();
            for (name, sub) in value.as_object().into_iter().flatten() {
                let sub_ptr = format!("{bundle_ptr}/{}", escape_token(name));
                let sub_loc = location.child(name);
                let a = self.adapt(docs, diags, doc, sub, &sub_loc, &sub_ptr, depth + 1);
                m.insert(name.clone(), a);
            }
            Value::Object(m)
        } else if LIST_KEYWORDS.contains(&key) && value.is_array()
            || key == "items" && value.is_array()
        {
            let items = value.as_array().into_iter().flatten().enumerate();
            let list = items
                .map(|(i, sub)| {
                    let idx = i.to_string();
                    let sub_ptr = format!("{bundle_ptr}/{idx}");
                    let sub_loc = location.child(&idx);
                    self.adapt(docs, diags, doc, sub, &sub_loc, &sub_ptr, depth + 1)
                })
                .collect();
            Value::Array(list)
        } else if ONE_KEYWORDS.contains(&key) && value.is_object() {
            self.adapt(docs, diags, doc, value, location, bundle_ptr, depth + 1)
        } else {
            value.clone()
        }
    }

    /// Records the `required` names of the adapted schema `out` at `bundle_ptr`. When a
    /// nullable composition was `wrapped` into `anyOf[0]`, so was everything recorded below it
    /// since `recorded_before`.
    fn record_required(
        &mut self,
        out: &Map<String, Value>,
        wrapped: bool,
        bundle_ptr: &str,
        recorded_before: usize,
    ) {
        let own_ptr = if wrapped {
            let moved = format!("{bundle_ptr}/anyOf/0");
            for (ptr, _) in &mut self.required_props[recorded_before..] {
                if let Some(rest) = ptr.strip_prefix(bundle_ptr) {
                    *ptr = format!("{moved}{rest}");
                }
            }
            moved
        } else {
            bundle_ptr.to_owned()
        };
        let own = if wrapped {
            out.get("anyOf").and_then(|a| a.get(0))
        } else {
            None
        };
        let required = own
            .unwrap_or(&Value::Null)
            .get("required")
            .or(out.get("required"));
        if let Some(Value::Array(required)) = required {
            for name in required.iter().filter_map(Value::as_str) {
                self.required_props.push((own_ptr.clone(), name.to_owned()));
            }
        }
    }

    fn rewrite_ref(
        &mut self,
        docs: &mut DocSet,
        diags: &mut Vec<Diagnostic>,
        doc: DocId,
        reference: &Value,
        location: &Location,
    ) -> Option<String> {
        let Some(text) = reference.as_str() else {
            diags.push(Diagnostic::warning(
                location.clone(),
                "$ref is not a string: schema treated as unconstrained",
            ));
            return None;
        };
        let mut target = match docs.resolve(doc, text) {
            Ok(target) => target,
            Err(RefError::Dangling) => {
                diags.push(Diagnostic::warning(
                    location.clone(),
                    format!("dangling $ref '{text}': schema treated as unconstrained"),
                ));
                return None;
            }
            Err(RefError::Malformed(why)) => {
                diags.push(Diagnostic::warning(
                    location.clone(),
                    format!("unusable $ref '{text}' ({why}): schema treated as unconstrained"),
                ));
                return None;
            }
            Err(RefError::External(e)) => {
                diags.push(Diagnostic::error(
                    location.clone(),
                    format!("unresolvable $ref '{text}': {e}"),
                ));
                return None;
            }
        };
        // Collapse chains of bare refs (`A: {$ref: B}`), so that validators never recurse
        // through thousands of them, and stop on a cycle of them.
        let mut seen: HashSet<Target> = HashSet::new();
        loop {
            let d = docs.doc(target.doc);
            let value = d.value.pointer(&target.pointer);
            if let Some(problem) = not_a_schema(&target, value, docs) {
                diags.push(Diagnostic::warning(
                    location.clone(),
                    format!("$ref '{text}' {problem}: schema treated as unconstrained"),
                ));
                return None;
            }
            let next = match value {
                Some(Value::Object(o)) if o.len() == 1 => o.get("$ref").and_then(Value::as_str),
                _ => None,
            };
            let Some(next) = next else { break };
            if !seen.insert(target.clone()) || seen.len() > 64 {
                diags.push(Diagnostic::warning(
                    location.clone(),
                    format!("$ref '{text}' leads into a cycle or a chain of over 64 bare $refs: schema treated as unconstrained"),
                ));
                return None;
            }
            match docs.resolve(target.doc, next) {
                Ok(t) => target = t,
                // The chain's own link reports its own problem when it is imported.
                Err(_) => break,
            }
        }
        let key = key_of(target.doc, &target.pointer);
        if self.imported.insert(key.clone()) {
            self.queue.push((target.doc, target.pointer.clone()));
        }
        Some(format!("#{}", uri_fragment(&entry_pointer(&key))))
    }

    /// Adapts one schema object's own keywords to the validator's dialect; true when a
    /// nullable composition had to be wrapped into `anyOf`.
    fn adapt_dialect(&self, out: &mut Map<String, Value>) -> bool {
        let mut wrapped = false;
        if self.dialect != Dialect::OpenApi31 {
            let nullable = out.get("nullable") == Some(&Value::Bool(true))
                || out.get("x-nullable") == Some(&Value::Bool(true));
            if self.dialect == Dialect::Swagger2 && out.get("type") == Some(&json!("file")) {
                out.remove("type");
            }
            if nullable {
                wrapped = make_nullable(out);
            }
        }
        if wrapped {
            return true;
        }
        let format = out.get("format").and_then(Value::as_str);
        let bounds = match format {
            Some("int32") => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
            Some("int64") => Some((i64::MIN, i64::MAX)),
            _ => None,
        };
        let is_integer = match out.get("type") {
            Some(Value::String(t)) => t == "integer",
            Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
            _ => false,
        };
        if let (Some((lo, hi)), true) = (bounds, is_integer) {
            out.entry("minimum").or_insert(json!(lo));
            out.entry("maximum").or_insert(json!(hi));
        }
        false
    }
}

/// Why the target of a schema `$ref` cannot be a schema: the document root or `paths` of an
/// API description, or a value that is neither an object nor a boolean.
fn not_a_schema(target: &Target, value: Option<&Value>, docs: &DocSet) -> Option<&'static str> {
    let root = docs.doc(target.doc);
    let is_api = root.value.get("openapi").is_some() || root.value.get("swagger").is_some();
    if is_api
        && (target.pointer.is_empty()
            || target.pointer == "/paths"
            || target.pointer == "/components")
    {
        return Some("points at a part of the description that is not a schema");
    }
    match value {
        Some(Value::Object(_) | Value::Bool(_)) | None => None,
        Some(_) => Some("points at a value that is not a schema"),
    }
}

/// Why a keyword's value cannot be used by a validator, if it cannot.
fn malformed(key: &str, value: &Value, dialect: Dialect) -> Option<String> {
    let is_number = value.is_number();
    match key {
        "minimum" | "maximum" | "multipleOf" | "minLength" | "maxLength" | "minItems"
        | "maxItems" | "minProperties" | "maxProperties"
            if !is_number =>
        {
            Some(format!("is {value}, not a number"))
        }
        "multipleOf" if value.as_f64().is_some_and(|n| n <= 0.0) => {
            Some("must be greater than 0".to_owned())
        }
        "exclusiveMinimum" | "exclusiveMaximum" => {
            let ok = match dialect {
                Dialect::OpenApi31 => is_number,
                _ => value.is_boolean(),
            };
            (!ok).then(|| format!("is {value}, not what this dialect allows"))
        }
        "required" => match value {
            Value::Array(items) if items.iter().all(Value::is_string) => None,
            _ => Some(format!("is {value}, not a list of property names")),
        },
        "type" => {
            // Swagger 2.0's `file` is dropped later, by the dialect adaptation.
            let swagger_file = dialect == Dialect::Swagger2 && value == "file";
            let known = |t: &Value| t.as_str().is_some_and(|t| TYPES.contains(&t)) || swagger_file;
            let ok = match value {
                Value::String(_) => known(value),
                Value::Array(ts) => ts.iter().all(known),
                _ => false,
            };
            (!ok).then(|| format!("is {value}, not a JSON Schema type"))
        }
        "enum" if !value.is_array() => Some(format!("is {value}, not a list")),
        "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas"
            if !value.is_object() =>
        {
            Some("is not a map of schemas".to_owned())
        }
        "allOf" | "anyOf" | "oneOf" | "prefixItems" if !value.is_array() => {
            Some("is not a list of schemas".to_owned())
        }
        "additionalProperties"
        | "items"
        | "not"
        | "additionalItems"
        | "contains"
        | "propertyNames"
        | "if"
        | "then"
        | "else"
        | "unevaluatedItems"
        | "unevaluatedProperties"
            if !(value.is_object() || value.is_boolean() || key == "items" && value.is_array()) =>
        {
            Some(format!("is {value}, not a schema"))
        }
        "pattern" => match value.as_str() {
            None => Some(format!("is {value}, not a string")),
            Some(p) => fancy_regex::Regex::new(p)
                .err()
                .map(|e| format!("is not a valid regular expression ({e})")),
        },
        "$schema" | "$dynamicRef" | "$recursiveRef" => {
            Some("is not supported inside an API description's schemas".to_owned())
        }
        _ => None,
    }
}

/// The JSON Schema type meant by a `type` that names none but a recognisable one (`int`,
/// `str`, `bool`, `String`, `double`, ...), or by a list of them; `None` when `value` is a
/// valid type already or names something unrecognisable.
fn guess_type(value: &Value) -> Option<Value> {
    let one = |t: &Value| -> Option<&'static str> {
        let t = t.as_str()?;
        if let Some(known) = TYPES.iter().find(|k| **k == t) {
            return Some(known);
        }
        Some(match t.to_ascii_lowercase().as_str() {
            "string" | "str" | "text" | "char" | "varchar" | "uuid" | "date" | "datetime"
            | "date-time" | "email" | "url" | "uri" => "string",
            "integer" | "int" | "int32" | "int64" | "long" | "short" | "bigint" => "integer",
            "number" | "float" | "double" | "decimal" | "numeric" | "real" => "number",
            "boolean" | "bool" => "boolean",
            "object" | "dict" | "map" | "hash" | "json" => "object",
            "array" | "list" | "set" => "array",
            "null" | "none" | "nil" => "null",
            _ => return None,
        })
    };
    let guessed = match value {
        Value::String(_) => Value::String(one(value)?.to_owned()),
        Value::Array(ts) => Value::Array(
            ts.iter()
                .map(|t| one(t).map(|t| Value::String(t.to_owned())))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    };
    (guessed != *value).then_some(guessed)
}

/// Lets `null` through a schema marked `nullable`; true when it had to wrap a composition
/// into `anyOf: [composition, {type: null}]`.
fn make_nullable(out: &mut Map<String, Value>) -> bool {
    match out.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            out.insert("type".to_owned(), json!([t, "null"]));
        }
        Some(Value::Array(ts)) => {
            if !ts.iter().any(|t| t == "null") {
                ts.push(json!("null"));
            }
        }
        _ => {
            let composed = ["allOf", "anyOf", "oneOf"]
                .iter()
                .any(|k| out.contains_key(*k));
            if composed {
                let inner = std::mem::take(out);
                out.insert("anyOf".to_owned(), json!([inner, { "type": "null" }]));
                return true;
            }
        }
    }
    if let Some(Value::Array(values)) = out.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
    false
}
