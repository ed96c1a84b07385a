//! What reading any description format shares: the documents, the schema bundle being built,
//! the diagnostics, `$ref` following for non-schema objects, and small value helpers.

use std::rc::Rc;

use serde_json::Value;

use crate::error::{Diagnostic, Location};
use crate::spec::model::{Operation, SecurityRequirement, SecurityScheme, Server, SpecVersion};
use crate::spec::refs::{Doc, DocId, DocSet, RefError};
use crate::spec::schema::{Dialect, SchemaBuilder, SchemaRef};

/// One spec's worth of model, before error codes are read (they need the finished schemas).
pub(crate) struct SpecParts {
    pub title: String,
    pub version: String,
    pub spec_version: SpecVersion,
    pub source: std::path::PathBuf,
    pub servers: Vec<Server>,
    pub operations: Vec<Operation>,
    pub security_schemes: Vec<SecurityScheme>,
}

/// State shared while reading one or more specs into one schema bundle.
pub(crate) struct Reader {
    pub docs: DocSet,
    pub schemas: SchemaBuilder,
    pub diags: Vec<Diagnostic>,
}

impl Reader {
    pub fn new(root: Doc, dialect: Dialect, fetch: bool) -> Self {
        Reader {
            docs: DocSet::new(root, fetch),
            schemas: SchemaBuilder::new(dialect),
            diags: Vec::new(),
        }
    }

    /// The location of `pointer` in `doc`.
    pub fn loc(&self, doc: DocId, pointer: &str) -> Location {
        self.docs.location(doc, pointer)
    }

    /// Follows `$ref` from the object at (`doc`, `pointer`) to a non-ref object, at most 32
    /// hops. A dangling or unloadable ref is an error diagnostic and gives `None`.
    pub fn follow(
        &mut self,
        mut doc: DocId,
        mut pointer: String,
    ) -> Option<(DocId, String, Rc<Doc>)> {
        for _ in 0..32 {
            let d = self.docs.doc(doc);
            let value = d.value.pointer(&pointer)?;
            let Some(reference) = value.get("$ref") else {
                return Some((doc, pointer, d));
            };
            let here = self.loc(doc, &pointer).child("$ref");
            let Some(text) = reference.as_str() else {
                self.diags
                    .push(Diagnostic::error(here, "$ref is not a string"));
                return None;
            };
            match self.docs.resolve(doc, text) {
                Ok(t) => {
                    doc = t.doc;
                    pointer = t.pointer;
                }
                Err(RefError::Dangling) => {
                    self.diags.push(Diagnostic::error(
                        here,
                        format!("unresolved $ref '{text}': nothing at that pointer"),
                    ));
                    return None;
                }
                Err(RefError::Malformed(why)) => {
                    self.diags.push(Diagnostic::error(
                        here,
                        format!("unusable $ref '{text}': {why}"),
                    ));
                    return None;
                }
                Err(RefError::External(e)) => {
                    self.diags.push(Diagnostic::error(
                        here,
                        format!("unresolvable $ref '{text}': {e}"),
                    ));
                    return None;
                }
            }
        }
        self.diags.push(Diagnostic::error(
            self.loc(doc, &pointer),
            "$ref chain longer than 32 hops (a cycle?)",
        ));
        None
    }

    /// Imports the schema at (`doc`, `pointer`) into the bundle.
    pub fn schema(&mut self, doc: DocId, pointer: &str) -> SchemaRef {
        self.schemas
            .import(&mut self.docs, &mut self.diags, doc, pointer)
    }

    /// Adds a schema made up by the loader.
    pub fn synthesize(&mut self, doc: DocId, schema: &Value, location: &Location) -> SchemaRef {
        self.schemas
            .synthesize(&mut self.docs, &mut self.diags, doc, schema, location)
    }

    /// A warning.
    pub fn warn(&mut self, location: Location, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(location, message));
    }

    /// An error (the input will not load).
    pub fn error(&mut self, location: Location, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(location, message));
    }
}

/// The schema of a parameter that gives no type (nor, in OpenAPI 3, a schema), with a
/// warning: `own` (the keywords it does give, Swagger 2.0's `enum` or `format`) with the type
/// its `items`, `enum`, `default` or example suggests, else `string`, the type of every
/// parameter's text.
pub(crate) fn untyped_parameter(
    r: &mut Reader,
    doc: DocId,
    name: &str,
    p: &Value,
    mut own: serde_json::Map<String, Value>,
    location: &Location,
) -> SchemaRef {
    let hint = p
        .get("enum")
        .and_then(|e| e.get(0))
        .or_else(|| p.get("default"))
        .or_else(|| p.get("x-example"))
        .or_else(|| p.get("example"));
    let guess = if own.contains_key("items") {
        "array"
    } else {
        match hint {
            Some(Value::Bool(_)) => "boolean",
            Some(Value::Number(n)) if n.is_f64() => "number",
            Some(Value::Number(_)) => "integer",
            _ => "string",
        }
    };
    r.warn(
        location.clone(),
        format!("parameter '{name}' has no type: read as {}", article(guess)),
    );
    own.insert("type".to_owned(), Value::String(guess.to_owned()));
    r.synthesize(doc, &Value::Object(own), location)
}

/// A JSON Schema type with its article: `an integer`, `a string`.
pub(crate) fn article(t: &str) -> String {
    if t.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {t}")
    } else {
        format!("a {t}")
    }
}

/// Appends an escaped token to a pointer.
pub(crate) fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", crate::error::escape_token(token))
}

/// A scalar as text: strings as they are, numbers and booleans as written (`1.0` stays `1.0`).
pub(crate) fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A boolean flag, accepting the strings `"true"`/`"false"` that sloppy documents write.
pub(crate) fn flag(value: Option<&Value>) -> Option<bool> {
    match value? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Reads `security`: a list of requirement objects.
pub(crate) fn security(value: Option<&Value>) -> Option<Vec<SecurityRequirement>> {
    let list = value?.as_array()?;
    Some(
        list.iter()
            .filter_map(Value::as_object)
            .map(|req| {
                req.iter()
                    .map(|(name, scopes)| {
                        let scopes = scopes
                            .as_array()
                            .map(|s| s.iter().filter_map(|v| text(Some(v))).collect())
                            .unwrap_or_default();
                        (name.clone(), scopes)
                    })
                    .collect()
            })
            .collect(),
    )
}

/// Tags as strings.
pub(crate) fn tags(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(|v| text(Some(v))).collect())
        .unwrap_or_default()
}
