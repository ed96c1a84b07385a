//! An oracle for the spec-driven stub's responses, built apart from contractor's own loader and
//! schema code so that a stub body is never judged by the code that made it: it reads the raw
//! spec file itself (serde_json or serde-saphyr), finds the response by path, method and
//! status (`404`, then `4XX`, then `default`), follows a `$ref` to a response object itself,
//! rewrites OpenAPI 3.0's `nullable: true` as JSON Schema, and compiles the response's JSON
//! schema with `jsonschema` (draft 4, as OpenAPI 3.0 schemas are) directly.
//!
//! What it does not cover, because the specs it judges do not need it: `$ref`s into other
//! files, `readOnly` and `writeOnly` (`required` is taken as written), `discriminator`, JSON
//! pointers that pass through a schema wrapped for `nullable` without a `type`, Swagger 2.0 and
//! OpenAPI 3.1 documents, and bodies that are not JSON.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use serde_json::{json, Map, Value};

/// One spec file, read raw.
pub struct Oracle {
    /// The document with `nullable` rewritten, the root every schema is compiled against.
    doc: Value,
    validators: Mutex<HashMap<String, std::sync::Arc<jsonschema::Validator>>>,
}

impl Oracle {
    pub fn load(path: &Path) -> Oracle {
        let text = std::fs::read_to_string(path).expect("read spec");
        let mut doc: Value = if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).expect("JSON spec")
        } else {
            serde_saphyr::from_str(&text).expect("YAML spec")
        };
        assert!(
            doc["openapi"]
                .as_str()
                .is_some_and(|v| v.starts_with("3.0")),
            "the oracle reads OpenAPI 3.0 only: {}",
            path.display()
        );
        rewrite_nullable(&mut doc);
        Oracle {
            doc,
            validators: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `status` with `body` is a documented answer to `method` on the path template
    /// `path` (as written under `paths`): `Err` says why not. A response documented without
    /// a JSON body is not looked into.
    pub fn judge(&self, path: &str, method: &str, status: u16, body: &[u8]) -> Result<(), String> {
        let Some(pointer) = self.response_pointer(path, method, status)? else {
            return Ok(());
        };
        let body: Value =
            serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
        let validator = self.validator(&pointer)?;
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(format!("{pointer}: {errors:?}"))
        }
    }

    /// The pointer to the JSON schema of the response, `None` when it has no JSON body.
    fn response_pointer(
        &self,
        path: &str,
        method: &str,
        status: u16,
    ) -> Result<Option<String>, String> {
        let mut at = format!(
            "/paths/{}/{}/responses",
            escape(path),
            method.to_ascii_lowercase()
        );
        let responses = self
            .doc
            .pointer(&at)
            .ok_or(format!("no responses at {at}"))?;
        let key = [
            status.to_string(),
            format!("{}XX", status / 100),
            "default".into(),
        ]
        .into_iter()
        .find(|k| responses.get(k).is_some())
        .ok_or(format!("{status} is not documented at {at}"))?;
        at = format!("{at}/{key}");
        // A response object may itself be a `$ref` (to `#/components/responses/...`).
        while let Some(target) = self.doc.pointer(&at).and_then(|r| r["$ref"].as_str()) {
            at = target
                .strip_prefix('#')
                .ok_or(format!("the oracle follows local $refs only: {target}"))?
                .to_owned();
        }
        let content = self.doc.pointer(&format!("{at}/content"));
        let media = content
            .and_then(Value::as_object)
            .and_then(|c| c.keys().find(|k| k.contains("json")));
        Ok(media.and_then(|m| {
            let schema = format!("{at}/content/{}/schema", escape(m));
            self.doc.pointer(&schema).is_some().then_some(schema)
        }))
    }

    fn validator(&self, pointer: &str) -> Result<std::sync::Arc<jsonschema::Validator>, String> {
        let mut cache = self.validators.lock().expect("cache");
        if let Some(v) = cache.get(pointer) {
            return Ok(v.clone());
        }
        // The whole document is the root, so `#/components/...` references resolve in it;
        // draft 4 ignores the keys beside `$ref`, so the root validates as the schema.
        let mut root = self.doc.clone();
        root["$ref"] = json!(format!("#{}", fragment(pointer)));
        let validator = jsonschema::draft4::new(&root).map_err(|e| format!("{pointer}: {e}"))?;
        let validator = std::sync::Arc::new(validator);
        cache.insert(pointer.to_owned(), validator.clone());
        Ok(validator)
    }
}

/// A JSON pointer as a URI fragment: bytes outside RFC 3986's fragment characters (`{`, `}`,
/// spaces, ...) percent-encoded.
fn fragment(pointer: &str) -> String {
    let mut out = String::new();
    for b in pointer.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One JSON pointer token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// OpenAPI 3.0's `nullable: true`, as JSON Schema: `null` joins the `type` (and the `enum`),
/// or, for a schema without a `type`, the schema becomes `anyOf: [schema, {type: null}]`.
fn rewrite_nullable(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(rewrite_nullable),
        Value::Object(map) => {
            map.values_mut().for_each(rewrite_nullable);
            if map.get("nullable") == Some(&Value::Bool(true)) {
                map.remove("nullable");
                *value = nullable(std::mem::take(map));
            }
        }
        _ => {}
    }
}

fn nullable(mut schema: Map<String, Value>) -> Value {
    if let Some(Value::Array(options)) = schema.get_mut("enum") {
        options.push(Value::Null);
    }
    match schema.get("type").cloned() {
        Some(Value::String(t)) => {
            schema.insert("type".into(), json!([t, "null"]));
            Value::Object(schema)
        }
        _ => json!({"anyOf": [Value::Object(schema), {"type": "null"}]}),
    }
}
