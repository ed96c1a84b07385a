//! The small interface downstream reads a loaded schema through: one `allOf`/`$ref` walk (one
//! depth limit, cycles walked once), and on top of it properties, `required`, types, a
//! property by name, a keyword after `$ref`s, the `readOnly`/`writeOnly` rule, and the named
//! component schemas.
//!
//! `$ref` siblings are normalised when the bundle is built (dropped for OpenAPI 3.0 and
//! Swagger 2.0, kept for 3.1), so the walk treats every schema the same way. May import
//! `spec::schema` only.

use serde_json::Value;

use super::schemas::{Direction, SchemaRef, Schemas};

/// How deep the walk goes (each `$ref` hop and each `allOf` level counts one). Cycles end on
/// their own; this bounds absurdly deep nesting.
const WALK_DEPTH: usize = 32;

/// One schema met by [`Schemas::parts`].
#[derive(Debug, Clone, Copy)]
pub struct SchemaPart<'a> {
    /// The schema (an object, or a boolean schema in OpenAPI 3.1).
    pub schema: &'a Value,
    /// The schema whose `allOf` lists this one, when it was reached that way.
    pub parent: Option<&'a Value>,
    /// Whether it was reached through a `$ref`.
    pub by_ref: bool,
}

impl Schemas {
    /// `schema` and every schema it is made of through `$ref` and `allOf`, each once: the
    /// schema itself, then (walked the same way) what its `$ref` points at, then its `allOf`
    /// parts in order.
    pub fn walk<'a>(&'a self, schema: &'a Value) -> Vec<&'a Value> {
        self.parts(schema, |_| false)
            .into_iter()
            .map(|p| p.schema)
            .collect()
    }

    /// The walk of [`Schemas::walk`], saying how each part was reached; a `$ref` target for
    /// which `skip` is true is left out with everything below it.
    pub fn parts<'a>(
        &'a self,
        schema: &'a Value,
        skip: impl Fn(&Value) -> bool,
    ) -> Vec<SchemaPart<'a>> {
        let mut out = Vec::new();
        let top = SchemaPart {
            schema,
            parent: None,
            by_ref: false,
        };
        self.walk_into(top, &skip, 0, &mut out);
        out
    }

    fn walk_into<'a>(
        &'a self,
        part: SchemaPart<'a>,
        skip: &impl Fn(&Value) -> bool,
        depth: usize,
        out: &mut Vec<SchemaPart<'a>>,
    ) {
        let schema = part.schema;
        if depth > WALK_DEPTH || out.iter().any(|seen| std::ptr::eq(seen.schema, schema)) {
            return;
        }
        out.push(part);
        let target = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| self.target(r))
            .filter(|t| !skip(t));
        if let Some(target) = target {
            let next = SchemaPart {
                schema: target,
                parent: None,
                by_ref: true,
            };
            self.walk_into(next, skip, depth + 1, out);
        }
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let next = SchemaPart {
                schema: part,
                parent: Some(schema),
                by_ref: false,
            };
            self.walk_into(next, skip, depth + 1, out);
        }
    }

    /// Every property `schema` declares, through the walk, in walk order (a name declared in
    /// two parts comes twice).
    pub fn properties<'a>(&'a self, schema: &'a Value) -> Vec<(&'a str, &'a Value)> {
        self.walk(schema)
            .into_iter()
            .filter_map(|s| s.get("properties").and_then(Value::as_object))
            .flatten()
            .map(|(name, p)| (name.as_str(), p))
            .collect()
    }

    /// The first schema given for property `name` through the walk.
    pub fn property<'a>(&'a self, schema: &'a Value, name: &str) -> Option<&'a Value> {
        self.walk(schema)
            .into_iter()
            .find_map(|s| s.get("properties").and_then(|p| p.get(name)))
    }

    /// Every schema given for property `name` through the walk (all of them must hold).
    pub fn property_all<'a>(&'a self, schema: &'a Value, name: &str) -> Vec<&'a Value> {
        self.walk(schema)
            .into_iter()
            .filter_map(|s| s.get("properties").and_then(|p| p.get(name)))
            .collect()
    }

    /// The names `schema` requires through the walk, each once, in walk order (as written:
    /// the direction's `readOnly`/`writeOnly` rule is not applied).
    pub fn required<'a>(&'a self, schema: &'a Value) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        for s in self.walk(schema) {
            for name in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        out
    }

    /// The types the schema (after `$ref`s) declares in `type`: one, several, or none.
    pub fn types<'a>(&'a self, schema: &'a Value) -> Vec<&'a str> {
        match self.resolve(schema).get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// The value of keyword `name` in the schema (after `$ref`s), such as `items` or
    /// `maximum`.
    pub fn keyword<'a>(&'a self, schema: &'a Value, name: &str) -> Option<&'a Value> {
        self.resolve(schema).get(name)
    }

    /// Whether property schema `property` is left out of `direction`: it, or a schema it is
    /// made of, is `readOnly` (requests) or `writeOnly` (responses).
    pub fn excluded(&self, property: &Value, direction: Direction) -> bool {
        let flag = direction.excluding_flag();
        self.walk(property)
            .into_iter()
            .any(|s| s.get(flag) == Some(&Value::Bool(true)))
    }

    /// Whether the validators take `name` out of the `required` of `object` in `direction`:
    /// the property is found in `object`'s walk, or, when `object` is an inline `allOf` part,
    /// in the walk of `parent`, and it is excluded from the direction.
    pub fn drops_required(
        &self,
        object: &Value,
        parent: Option<&Value>,
        name: &str,
        direction: Direction,
    ) -> bool {
        self.property(object, name)
            .or_else(|| parent.and_then(|p| self.property(p, name)))
            .is_some_and(|p| self.excluded(p, direction))
    }

    /// The named schemas of the API's own document (`components/schemas` in OpenAPI 3,
    /// `definitions` in Swagger 2.0) that the API uses, by name, in bundle order.
    pub fn components(&self) -> Vec<(String, SchemaRef)> {
        let entries = self.bundle.get("s").and_then(Value::as_object);
        entries
            .into_iter()
            .flatten()
            .filter_map(|(key, _)| {
                let name = key
                    .strip_prefix("d0/components/schemas/")
                    .or_else(|| key.strip_prefix("d0/definitions/"))?;
                let pointer = format!("/s/{}", crate::error::escape_token(key));
                let name = name.replace("~1", "/").replace("~0", "~");
                Some((name, SchemaRef(pointer)))
            })
            .collect()
    }

    /// The named component schema `name` (see [`Schemas::components`]).
    pub fn component(&self, name: &str) -> Option<SchemaRef> {
        self.components()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, r)| r)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::spec::{Api, Direction};

    /// An OpenAPI 3.0 API whose component schemas are `schemas`, each the body of an operation.
    fn api(name: &str, schemas: serde_json::Value) -> Api {
        let mut paths = serde_json::Map::new();
        for key in schemas.as_object().unwrap().keys() {
            let content = json!({ "application/json": {
                "schema": { "$ref": format!("#/components/schemas/{key}") } } });
            paths.insert(
                format!("/{key}"),
                json!({ "post": { "requestBody": { "content": content },
                    "responses": { "200": { "description": "ok", "content": content } } } }),
            );
        }
        let doc = json!({ "openapi": "3.0.3", "info": { "title": "t", "version": "1" },
            "paths": paths, "components": { "schemas": schemas } });
        let dir =
            std::env::temp_dir().join(format!("contractor-view-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("spec.json");
        std::fs::write(&path, doc.to_string()).unwrap();
        let loaded = crate::spec::load(&path, &Default::default());
        let _ = std::fs::remove_dir_all(&dir);
        loaded.unwrap().apis.remove(0)
    }

    #[test]
    fn walks_refs_and_all_of_once_even_through_a_cycle() {
        let api = api(
            "cycle",
            json!({
                "A": { "allOf": [ { "$ref": "#/components/schemas/B" },
                                  { "properties": { "a": { "type": "string" } }, "required": ["a"] } ] },
                "B": { "allOf": [ { "$ref": "#/components/schemas/A" } ],
                       "properties": { "b": { "type": "integer", "readOnly": true } },
                       "required": ["b"] }
            }),
        );
        let s = &api.schemas;
        let a = s.get(&s.component("A").unwrap()).unwrap();
        let names: Vec<&str> = s.properties(a).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["b", "a"]);
        assert_eq!(s.required(a), ["b", "a"]);
        assert_eq!(s.types(s.property(a, "b").unwrap()), ["integer"]);
        assert!(s.property(a, "c").is_none());
        assert!(s.drops_required(a, None, "b", Direction::Request));
        assert!(!s.drops_required(a, None, "b", Direction::Response));
        assert!(!s.drops_required(a, None, "a", Direction::Request));
    }

    #[test]
    fn an_inline_all_of_part_sees_its_parents_properties() {
        let api = api(
            "parent",
            json!({ "P": { "properties": { "id": { "type": "string", "readOnly": true } },
                           "allOf": [ { "required": ["id"] } ] } }),
        );
        let s = &api.schemas;
        let p = s.get(&s.component("P").unwrap()).unwrap();
        let part = &p["allOf"][0];
        assert!(!s.drops_required(part, None, "id", Direction::Request));
        assert!(s.drops_required(part, Some(p), "id", Direction::Request));
        let request = s.accepts(&s.component("P").unwrap(), Direction::Request, &json!({}));
        assert_eq!(request, Some(true));
        let response = s.accepts(&s.component("P").unwrap(), Direction::Response, &json!({}));
        assert_eq!(response, Some(false));
    }

    #[test]
    fn finds_a_schema_of_the_bundle_by_identity() {
        let api = api(
            "locate",
            json!({ "Q": { "properties": { "n": { "type": "integer" } } } }),
        );
        let s = &api.schemas;
        let q = s.component("Q").unwrap();
        let n = s.property(s.get(&q).unwrap(), "n").unwrap();
        assert_eq!(s.locate(n).unwrap().0, format!("{}/properties/n", q.0));
        assert_eq!(s.fits(n, Direction::Request, &json!(3)), Some(true));
        assert_eq!(s.fits(n, Direction::Request, &json!("3")), Some(false));
        assert!(s.locate(&json!({ "type": "integer" })).is_none());
    }
}
