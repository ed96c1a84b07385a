//! The schema bundle of one API and its validators: [`Schemas`] holds every schema the API
//! uses, copied into one JSON value, and compiles a `jsonschema` validator per schema and
//! direction, lazily and cached (compiling a whole large spec at once costs gigabytes).
//!
//! The dialect (Draft 4 for OpenAPI 3.0 and Swagger 2.0, Draft 2020-12 with formats for 3.1)
//! is decided here and nowhere downstream. May import `spec::refs`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{json, Value};

use crate::error::escape_token;
use crate::spec::refs::percent_decode;

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

impl Direction {
    /// The keyword that takes a property out of this direction: `readOnly` for requests,
    /// `writeOnly` for responses.
    pub fn excluding_flag(self) -> &'static str {
        match self {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        }
    }
}

/// A schema of an API: a JSON pointer into the API's [`Schemas`] bundle.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchemaRef(pub String);

/// A compiled validator.
pub type Validator = jsonschema::Validator;

/// The schema bundle of one API, and its validator cache.
pub struct Schemas {
    pub(super) bundle: Value,
    dialect: Dialect,
    /// (schema pointer, property name) for every `required` property, to drop `readOnly` or
    /// `writeOnly` ones per direction.
    required_props: Vec<(String, String)>,
    registries: [OnceLock<Result<jsonschema::Registry<'static>, String>>; 2],
    validators: Mutex<HashMap<(Direction, SchemaRef), Arc<Validator>>>,
    /// Where each schema of the bundle sits, by address, built on first use (see `locate`).
    index: OnceLock<HashMap<usize, String>>,
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
    /// A finished bundle; `required_props` lists (schema pointer, property) for every
    /// `required` entry.
    pub(super) fn new(
        bundle: Value,
        dialect: Dialect,
        required_props: Vec<(String, String)>,
    ) -> Self {
        Schemas {
            bundle,
            dialect,
            required_props,
            registries: [OnceLock::new(), OnceLock::new()],
            validators: Mutex::new(HashMap::new()),
            index: OnceLock::new(),
        }
    }

    /// The whole bundle (refs inside it are `#/...` pointers relative to it).
    pub fn bundle(&self) -> &Value {
        &self.bundle
    }

    /// The schema `r` names, as written (it may itself be a `$ref`).
    pub fn get(&self, r: &SchemaRef) -> Option<&Value> {
        self.bundle.pointer(&r.0)
    }

    /// The schema a `$ref` inside the bundle (`#/s/...`) points at: one hop.
    pub fn target(&self, reference: &str) -> Option<&Value> {
        let fragment = reference.strip_prefix('#')?;
        self.bundle.pointer(&percent_decode(fragment))
    }

    /// Follows `$ref`s from `schema` until a schema that is not one (at most 64 hops, so a
    /// cycle of bare refs ends).
    pub fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..64 {
            let next = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| self.target(r));
            match next {
                Some(next) => schema = next,
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
        let validator = Arc::new(
            self.options()
                .with_registry(registry)
                .build(&root)
                .map_err(|e| format!("failed to compile schema #{}: {e}", r.0))?,
        );
        self.lock().insert(key, Arc::clone(&validator));
        Ok(validator)
    }

    /// Whether `value` validates against the schema `r` in `direction`; `None` when the
    /// schema does not compile.
    pub fn accepts(&self, r: &SchemaRef, direction: Direction, value: &Value) -> Option<bool> {
        let validator = self.validator(r, direction).ok()?;
        Some(validator.is_valid(value))
    }

    /// Whether `value` validates against `schema`, a schema inside the bundle (one handed
    /// out by `get`, `target` or the walk, or read from one), in `direction`; `None` when
    /// `schema` is not in the bundle or does not compile.
    pub fn fits(&self, schema: &Value, direction: Direction, value: &Value) -> Option<bool> {
        self.accepts(&self.locate(schema)?, direction, value)
    }

    /// The pointer of a schema inside the bundle, found by identity: the bundle is never
    /// changed once built, so every node in it keeps its address for the life of `self`
    /// (the root is left out: it is the only node stored inline, and it is no schema).
    pub fn locate(&self, schema: &Value) -> Option<SchemaRef> {
        let index = self.index.get_or_init(|| {
            let mut index = HashMap::new();
            if let Some(entries) = self.bundle.get("s") {
                index_nodes(entries, "/s".to_owned(), &mut index);
            }
            index
        });
        let at = std::ptr::from_ref(schema) as usize;
        index.get(&at).map(|p| SchemaRef(p.clone()))
    }

    /// A validator, in this API's dialect, for a schema that refers to nothing (one keyword
    /// such as `{"pattern": ...}` or `{"format": ...}`); `None` when it does not compile.
    /// Not cached: the caller keeps what it reuses.
    pub fn compile_standalone(&self, schema: &Value) -> Option<Validator> {
        self.options().build(schema).ok()
    }

    /// Whether `value` is in `format` (`uuid`, `date-time`, `email`...), whatever this API's
    /// dialect checks; true for a format the validator does not know, and for a value that
    /// is not a string.
    pub fn fits_format(&self, format: &str, value: &Value) -> bool {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&json!({ "format": format }))
            .map_or(true, |v| v.is_valid(value))
    }

    fn options(&self) -> jsonschema::ValidationOptions<'static> {
        match self.dialect {
            Dialect::OpenApi31 => jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true),
            Dialect::OpenApi30 | Dialect::Swagger2 => {
                jsonschema::options().with_draft(jsonschema::Draft::Draft4)
            }
        }
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
        let mut drop: Vec<(&str, &str)> = Vec::new();
        for (ptr, prop) in &self.required_props {
            let Some(object) = self.bundle.pointer(ptr) else {
                continue;
            };
            // An inline `allOf` part also sees the properties of the schema it is part of.
            let parent = ptr
                .rsplit_once('/')
                .filter(|(_, last)| last.parse::<usize>().is_ok())
                .and_then(|(parent, _)| parent.strip_suffix("/allOf"))
                .and_then(|parent| self.bundle.pointer(parent));
            if self.drops_required(object, parent, prop, direction) {
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

/// Records the pointer of every object and boolean at or below `node`.
fn index_nodes(node: &Value, pointer: String, index: &mut HashMap<usize, String>) {
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                let child_pointer = format!("{pointer}/{}", escape_token(key));
                index_nodes(child, child_pointer, index);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                index_nodes(child, format!("{pointer}/{i}"), index);
            }
            return;
        }
        Value::Bool(_) => {}
        _ => return,
    }
    index.insert(std::ptr::from_ref(node) as usize, pointer);
}

/// A validator's schema path as a pointer into the spec file when it can be one: the bundle
/// keys schemas of the root document as `d0/<pointer>` under `/s/`, so
/// `/s/d0~1components~1schemas~1Pet/required` is `/components/schemas/Pet/required`. Schemas
/// of other documents, or made up by the loader, keep their bundle path.
pub fn spec_pointer(schema_path: &str) -> String {
    let Some(rest) = schema_path.strip_prefix("/s/d0~1") else {
        return schema_path.to_owned();
    };
    let (key, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    format!("/{}{tail}", key.replace("~1", "/").replace("~0", "~"))
}

/// Percent-encodes what a URI fragment may not hold raw.
pub(super) fn uri_fragment(pointer: &str) -> String {
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
