//! Schemas, ready for the `jsonschema` crate.
//!
//! Every schema an API uses is copied once into a bundle (one JSON value) at the place it has
//! in its document (`/d0/components/schemas/Pet`; other files are `d1`, `d2`, ...). Each
//! `$ref` is rewritten to point inside the bundle, a dangling one becomes `{}` with a warning,
//! and the dialect is adapted: OpenAPI 3.0 and Swagger 2.0 become Draft 4 (`nullable` and
//! `x-nullable` as a `null` type, `type: file` dropped), OpenAPI 3.1 is Draft 2020-12 with
//! formats checked, and `int32`/`int64` become numeric bounds. Refs stay refs, so a schema
//! that contains itself loads and nothing walks it forever.
//!
//! Validators are compiled lazily, one per schema and direction, against the bundle
//! registered once, and cached: compiling a whole large spec at once costs gigabytes.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{json, Map, Value};

use crate::error::{escape_token, Diagnostic, Location};
use crate::spec::refs::{DocId, DocSet, RefError};

/// The JSON Schema dialect of an API's schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// OpenAPI 3.0's schema object (validated as Draft 4).
    OpenApi30,
    /// Swagger 2.0's schema object (validated as Draft 4).
    Swagger2,
    /// OpenAPI 3.1: JSON Schema Draft 2020-12.
    OpenApi31,
}

/// Which side of an exchange a schema validates: `readOnly` properties are not required in a
/// request, `writeOnly` properties are not required in a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Something the client sends.
    Request,
    /// Something the server sends.
    Response,
}

/// A schema of an API: a JSON pointer into the API's [`Schemas`] bundle.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchemaRef(pub String);

/// A compiled validator.
pub type Validator = jsonschema::Validator;

/// The schema bundle of one API, and its validator cache.
pub struct Schemas {
    bundle: Value,
    dialect: Dialect,
    /// (schema pointer, property name) for every `required` property, to drop `readOnly` or
    /// `writeOnly` ones per direction.
    required_props: Vec<(String, String)>,
    registries: [OnceLock<Result<jsonschema::Registry<'static>, String>>; 2],
    validators: Mutex<HashMap<(Direction, SchemaRef), Arc<Validator>>>,
}

impl std::fmt::Debug for Schemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schemas")
            .field("dialect", &self.dialect)
            .finish_non_exhaustive()
    }
}

const BUNDLE_URI: [&str; 2] = [
    "urn:contractor:bundle:request",
    "urn:contractor:bundle:response",
];

impl Schemas {
    /// The dialect.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The whole bundle (refs inside it are `#/...` pointers relative to it).
    pub fn bundle(&self) -> &Value {
        &self.bundle
    }

    /// The schema `r` names, as written (it may itself be a `$ref`).
    pub fn get(&self, r: &SchemaRef) -> Option<&Value> {
        self.bundle.pointer(&r.0)
    }

    /// Follows `$ref`s from `schema` until a schema that is not one (at most 64 hops, so a
    /// cycle of bare refs ends).
    pub fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..64 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => match r.strip_prefix('#').and_then(|p| self.bundle.pointer(p)) {
                    Some(next) => schema = next,
                    None => return schema,
                },
                None => return schema,
            }
        }
        schema
    }

    /// The validator for `r` in `direction`, compiled on first use and cached.
    pub fn validator(&self, r: &SchemaRef, direction: Direction) -> Result<Arc<Validator>, String> {
        let key = (direction, r.clone());
        if let Some(v) = self.lock().get(&key) {
            return Ok(Arc::clone(v));
        }
        let registry = self.registry(direction)?;
        let uri = BUNDLE_URI[direction as usize];
        let root = json!({ "$ref": format!("{uri}#{}", uri_fragment(&r.0)) });
        let mut options = jsonschema::options().with_registry(registry);
        options = match self.dialect {
            Dialect::OpenApi31 => options
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true),
            Dialect::OpenApi30 | Dialect::Swagger2 => options.with_draft(jsonschema::Draft::Draft4),
        };
        let validator = Arc::new(
            options
                .build(&root)
                .map_err(|e| format!("failed to compile schema #{}: {e}", r.0))?,
        );
        self.lock().insert(key, Arc::clone(&validator));
        Ok(validator)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(Direction, SchemaRef), Arc<Validator>>> {
        // A panic while holding the lock leaves only a cache behind; keep using it.
        self.validators
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn registry(&self, direction: Direction) -> Result<&jsonschema::Registry<'static>, String> {
        self.registries[direction as usize]
            .get_or_init(|| {
                let draft = match self.dialect {
                    Dialect::OpenApi31 => jsonschema::Draft::Draft202012,
                    _ => jsonschema::Draft::Draft4,
                };
                jsonschema::Registry::new()
                    .draft(draft)
                    .add(BUNDLE_URI[direction as usize], self.directed(direction))
                    .and_then(|b| b.prepare())
                    .map_err(|e| format!("failed to register schemas: {e}"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// A copy of the bundle with `readOnly` (request) or `writeOnly` (response) properties
    /// taken out of `required`.
    fn directed(&self, direction: Direction) -> Value {
        let flag = match direction {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        };
        let mut drop: Vec<(&str, &str)> = Vec::new();
        for (ptr, prop) in &self.required_props {
            let Some(schema) = self.bundle.pointer(ptr) else {
                continue;
            };
            let Some(p) = schema.get("properties").and_then(|p| p.get(prop.as_str())) else {
                continue;
            };
            if self.resolve(p).get(flag) == Some(&Value::Bool(true))
                || p.get(flag) == Some(&Value::Bool(true))
            {
                drop.push((ptr, prop));
            }
        }
        let mut bundle = self.bundle.clone();
        for (ptr, prop) in drop {
            if let Some(Value::Array(req)) =
                bundle.pointer_mut(ptr).and_then(|s| s.get_mut("required"))
            {
                req.retain(|v| v.as_str() != Some(prop));
            }
        }
        bundle
    }
}

/// Percent-encodes what a URI fragment may not hold raw.
fn uri_fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for b in pointer.bytes() {
        if b.is_ascii_alphanumeric() || b"/~-._!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

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

/// Copies schemas into the bundle while an API is being read.
pub(crate) struct SchemaBuilder {
    bundle: Map<String, Value>,
    dialect: Dialect,
    imported: HashSet<(DocId, String)>,
    queue: Vec<(DocId, String)>,
    synthetic: usize,
    required_props: Vec<(String, String)>,
}

impl SchemaBuilder {
    pub fn new(dialect: Dialect) -> Self {
        SchemaBuilder {
            bundle: Map::new(),
            dialect,
            imported: HashSet::new(),
            queue: Vec::new(),
            synthetic: 0,
            required_props: Vec::new(),
        }
    }

    /// Imports the schema at `pointer` of document `doc` (and everything it refers to).
    pub fn import(
        &mut self,
        docs: &mut DocSet,
        diags: &mut Vec<Diagnostic>,
        doc: DocId,
        pointer: &str,
    ) -> SchemaRef {
        let r = SchemaRef(format!("/d{doc}{pointer}"));
        if self.imported.insert((doc, pointer.to_owned())) {
            self.queue.push((doc, pointer.to_owned()));
            self.drain(docs, diags);
        }
        r
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
        let ptr = format!("/synthetic/{}", self.synthetic);
        self.synthetic += 1;
        let adapted = self.adapt(docs, diags, doc, schema, location, &ptr, 0);
        let slot = self
            .bundle
            .entry("synthetic")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(m) = slot {
            m.insert((self.synthetic - 1).to_string(), adapted);
        }
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
            let bundle_ptr = format!("/d{doc}{pointer}");
            let adapted = self.adapt(docs, diags, doc, value, &location, &bundle_ptr, 0);
            insert_at(&mut self.bundle, &bundle_ptr, adapted);
        }
    }

    pub fn finish(self) -> Schemas {
        Schemas {
            bundle: Value::Object(self.bundle),
            dialect: self.dialect,
            required_props: self.required_props,
            registries: [OnceLock::new(), OnceLock::new()],
            validators: Mutex::new(HashMap::new()),
        }
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
            let child_ptr = format!("{bundle_ptr}/{}", escape_token(key));
            let adapted = if MAP_KEYWORDS.contains(&key.as_str()) && value.is_object() {
                let mut m = Map::new();
                for (name, sub) in value.as_object().into_iter().flatten() {
                    let sub_ptr = format!("{child_ptr}/{}", escape_token(name));
                    let a = self.adapt(
                        docs,
                        diags,
                        doc,
                        sub,
                        &child_loc.child(name),
                        &sub_ptr,
                        depth + 1,
                    );
                    m.insert(name.clone(), a);
                }
                Value::Object(m)
            } else if LIST_KEYWORDS.contains(&key.as_str()) && value.is_array()
                || key == "items" && value.is_array()
            {
                let items = value.as_array().into_iter().flatten().enumerate();
                let list = items
                    .map(|(i, sub)| {
                        let idx = i.to_string();
                        let sub_ptr = format!("{child_ptr}/{idx}");
                        self.adapt(
                            docs,
                            diags,
                            doc,
                            sub,
                            &child_loc.child(&idx),
                            &sub_ptr,
                            depth + 1,
                        )
                    })
                    .collect();
                Value::Array(list)
            } else if ONE_KEYWORDS.contains(&key.as_str())
                && (value.is_object() || value.is_boolean())
            {
                if value.is_boolean() {
                    value.clone()
                } else {
                    self.adapt(docs, diags, doc, value, &child_loc, &child_ptr, depth + 1)
                }
            } else {
                value.clone()
            };
            out.insert(key.clone(), adapted);
        }
        self.adapt_dialect(&mut out);
        if let (Some(Value::Array(required)), Some(Value::Object(_))) =
            (out.get("required"), out.get("properties"))
        {
            for name in required.iter().filter_map(Value::as_str) {
                self.required_props
                    .push((bundle_ptr.to_owned(), name.to_owned()));
            }
        }
        Value::Object(out)
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
        match docs.resolve(doc, text) {
            Ok(target) => {
                let key = (target.doc, target.pointer.clone());
                if self.imported.insert(key.clone()) {
                    self.queue.push(key);
                }
                Some(format!("#/d{}{}", target.doc, target.pointer))
            }
            Err(RefError::Dangling) => {
                diags.push(Diagnostic::warning(
                    location.clone(),
                    format!("dangling $ref '{text}': schema treated as unconstrained"),
                ));
                None
            }
            Err(RefError::Malformed(why)) => {
                diags.push(Diagnostic::warning(
                    location.clone(),
                    format!("unusable $ref '{text}' ({why}): schema treated as unconstrained"),
                ));
                None
            }
            Err(RefError::External(e)) => {
                diags.push(Diagnostic::error(
                    location.clone(),
                    format!("unresolvable $ref '{text}': {e}"),
                ));
                None
            }
        }
    }

    fn adapt_dialect(&self, out: &mut Map<String, Value>) {
        if self.dialect != Dialect::OpenApi31 {
            let nullable = out.get("nullable") == Some(&Value::Bool(true))
                || out.get("x-nullable") == Some(&Value::Bool(true));
            if self.dialect == Dialect::Swagger2 && out.get("type") == Some(&json!("file")) {
                out.remove("type");
            }
            if nullable {
                make_nullable(out);
            }
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
    }
}

/// Lets `null` through a schema marked `nullable`.
fn make_nullable(out: &mut Map<String, Value>) {
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
                return;
            }
        }
    }
    if let Some(Value::Array(values)) = out.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
}

/// Puts `value` at `pointer` in `root`, creating objects on the way (an existing list on
/// the way, such as a parent's `allOf`, is entered by index).
fn insert_at(root: &mut Map<String, Value>, pointer: &str, value: Value) {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let Some((first, rest)) = tokens.split_first() else {
        return;
    };
    let mut slot = root
        .entry(first.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    for token in rest {
        let index = match &*slot {
            Value::Array(items) => token.parse::<usize>().ok().filter(|i| *i < items.len()),
            _ => None,
        };
        slot = match (index, slot) {
            (Some(i), Value::Array(items)) => &mut items[i],
            (_, other) => {
                if !other.is_object() {
                    *other = Value::Object(Map::new());
                }
                let Value::Object(map) = other else {
                    return;
                };
                map.entry(token.clone())
                    .or_insert_with(|| Value::Object(Map::new()))
            }
        };
    }
    *slot = value;
}
