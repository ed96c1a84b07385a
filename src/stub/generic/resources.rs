//! Resources kept in memory: collections with a create/read/delete shape found in the spec,
//! the store of created items, and answering success on them (create, list, read, replace,
//! delete).
//!
//! May import `spec`, `scenario::synth` and the rest of `stub`.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};

use super::media::{preferred_media, success_response, value_text};
use super::stub::SpecStub;
use crate::scenario::synth;
use crate::spec::{Api, Direction, Method, Operation, ResponseSpec};
use crate::stub::{StubRequest, StubResponse};

/// A collection with create/read/delete operations.
#[derive(Debug, Clone)]
pub(super) struct Resource {
    /// The collection path template (`/pet`).
    pub(super) collection: String,
    /// The item's parameter name (`petId`).
    pub(super) param: String,
    /// The body property that holds the id, when the item schema has one.
    pub(super) id_field: Option<String>,
    /// Whether ids are integers.
    pub(super) integer_ids: bool,
}

#[derive(Default)]
pub(super) struct Store {
    pub(super) items: HashMap<String, BTreeMap<String, Value>>,
    pub(super) next_id: u64,
}

impl SpecStub {
    pub(super) fn succeed(
        &self,
        op: &Operation,
        params: &[(String, String)],
        request: &StubRequest,
        example: Option<&str>,
    ) -> StubResponse {
        let Some((code, response)) = success_response(op) else {
            return StubResponse::json(
                501,
                &json!({"error": format!("{} documents no success response", op.id)}),
            );
        };
        // Create on a collection.
        if op.method == Method::Post {
            if let Some(resource) = self.resources.iter().find(|r| r.collection == op.path) {
                return self.create(op, resource, code, response, request, example);
            }
        }
        // List a collection: what was created, when the documented body is a plain list.
        if op.method == Method::Get {
            if let Some(resource) = self.resources.iter().find(|r| r.collection == op.path) {
                if let Some(listed) = self.listing(resource, response) {
                    return self.render(op, response, code, example, Some(listed));
                }
            }
        }
        let found = self.on_item(op, params, (code, response), request, example);
        found.unwrap_or_else(|| self.render(op, response, code, example, None))
    }

    /// The answer to reading, replacing or deleting one stored item (or acting on something
    /// below it), when `op` is such an operation and has one.
    pub(super) fn on_item(
        &self,
        op: &Operation,
        params: &[(String, String)],
        (code, response): (u16, &ResponseSpec),
        request: &StubRequest,
        example: Option<&str>,
    ) -> Option<StubResponse> {
        let item_id = |r: &Resource| {
            params
                .iter()
                .find(|(n, _)| *n == r.param)
                .map(|(_, v)| v.clone())
        };
        // Read, replace or delete one item, or act on something below it.
        let item_path = |r: &Resource| format!("{}/{{{}}}", r.collection, r.param);
        if let Some(resource) = self.resources.iter().find(|r| {
            let item = item_path(r);
            op.path == item || op.path.starts_with(&format!("{item}/"))
        }) {
            let id = item_id(resource).unwrap_or_default();
            let exact = op.path == item_path(resource);
            let mut store = self.lock();
            let items = store.items.entry(resource.collection.clone()).or_default();
            let known = items.get(&id).cloned();
            match (op.method, known) {
                (Method::Get, Some(item)) if exact => {
                    return Some(self.render(op, response, code, example, Some(item)))
                }
                (Method::Delete, Some(_)) if exact => {
                    items.remove(&id);
                    return Some(self.render(op, response, code, example, None));
                }
                (Method::Put | Method::Patch, Some(item)) if exact => {
                    let mut updated = item.clone();
                    if let (Ok(Value::Object(patch)), Value::Object(target)) =
                        (serde_json::from_slice::<Value>(&request.body), &mut updated)
                    {
                        for (k, v) in patch {
                            if Some(&k) != resource.id_field.as_ref() {
                                target.insert(k, v);
                            }
                        }
                    }
                    // A change that would break the documented item (a PATCH document, say)
                    // leaves the stored item as it was.
                    let schema = preferred_media(&response.content).and_then(|m| m.schema.clone());
                    let valid = schema.as_ref().is_none_or(|s| {
                        self.api
                            .schemas
                            .accepts(s, Direction::Response, &updated)
                            .unwrap_or(false)
                    });
                    let kept = if valid { updated } else { item };
                    items.insert(id, kept.clone());
                    return Some(self.render(op, response, code, example, Some(kept)));
                }
                (_, None) => {
                    drop(store);
                    // A missing item is 404: documented, or under `default`.
                    if op.response_for(404).is_some() {
                        return Some(self.reject(op, 404, "no such item"));
                    }
                }
                _ => {}
            }
        }
        None
    }

    fn create(
        &self,
        op: &Operation,
        resource: &Resource,
        code: u16,
        response: &ResponseSpec,
        request: &StubRequest,
        example: Option<&str>,
    ) -> StubResponse {
        let mut store = self.lock();
        store.next_id += 1;
        let seq = store.next_id;
        let id = self.new_id(response, resource, seq, &store);
        let mut item = self.body_for(response, example, seq).unwrap_or(Value::Null);
        if let (Value::Object(target), Ok(Value::Object(sent))) =
            (&mut item, serde_json::from_slice::<Value>(&request.body))
        {
            for (k, v) in sent {
                target.insert(k, v);
            }
        }
        if let (Some(field), Value::Object(target)) = (&resource.id_field, &mut item) {
            target.insert(field.clone(), id.clone());
        }
        // The merged item must still match the documented response; otherwise keep the
        // synthesized one (with its id).
        let schema = response.content.first().and_then(|m| m.schema.clone());
        if let Some(schema) = &schema {
            let valid = self
                .api
                .schemas
                .accepts(schema, Direction::Response, &item)
                .unwrap_or(true);
            if !valid {
                item = self.body_for(response, example, seq).unwrap_or(Value::Null);
                if let (Some(field), Value::Object(target)) = (&resource.id_field, &mut item) {
                    target.insert(field.clone(), id.clone());
                }
            }
        }
        let key = value_text(&id);
        store
            .items
            .entry(resource.collection.clone())
            .or_default()
            .insert(key, item.clone());
        drop(store);
        self.render(op, response, code, example, Some(item))
    }

    /// and they fit it.
    fn listing(&self, resource: &Resource, response: &ResponseSpec) -> Option<Value> {
        let schema_ref = preferred_media(&response.content)?.schema.as_ref()?;
        let schema = self.api.schemas.get(schema_ref)?;
        if self.api.schemas.types(schema) != ["array"] {
            return None;
        }
        let store = self.lock();
        let items: Vec<Value> = store
            .items
            .get(&resource.collection)?
            .values()
            .cloned()
            .collect();
        drop(store);
        let listed = Value::Array(items);
        let valid = self
            .api
            .schemas
            .accepts(schema_ref, Direction::Response, &listed)
            .unwrap_or(false);
        valid.then_some(listed)
    }

    /// A fresh id for an item of `resource`: the sequence number for integer ids, else a value
    /// synthesized for the id property (so formats and lengths hold), made unique.
    fn new_id(
        &self,
        response: &ResponseSpec,
        resource: &Resource,
        seq: u64,
        store: &Store,
    ) -> Value {
        if resource.integer_ids {
            return json!(seq);
        }
        let taken = |v: &Value| {
            store
                .items
                .get(&resource.collection)
                .is_some_and(|items| items.contains_key(&value_text(v)))
        };
        let schema = resource.id_field.as_ref().and_then(|field| {
            let media = preferred_media(&response.content)?;
            let schema = self.api.schemas.get(media.schema.as_ref()?)?;
            self.api.schemas.property(schema, field)
        });
        if let Some(schema) = schema {
            for attempt in 0..16 {
                let candidate = synth::synthesize(
                    &self.api.schemas,
                    schema,
                    Direction::Response,
                    synth::Fill::Required,
                    seq.wrapping_mul(7919).wrapping_add(attempt),
                );
                if candidate.is_string() && !taken(&candidate) {
                    return candidate;
                }
            }
        }
        json!(seq.to_string())
    }
}

/// Collections with a create (POST on the collection) and an item GET or DELETE below it.
pub(super) fn find_resources(api: &Api) -> Vec<Resource> {
    let mut out = Vec::new();
    for create in api
        .operations
        .iter()
        .filter(|o| o.method == Method::Post && !o.path.ends_with('}'))
    {
        let prefix = format!("{}/{{", create.path.trim_end_matches('/'));
        let item_ops: Vec<&Operation> = api
            .operations
            .iter()
            .filter(|o| {
                o.path.starts_with(&prefix)
                    && o.path.ends_with('}')
                    && !o.path[prefix.len()..].contains('/')
            })
            .collect();
        let Some(item) = item_ops
            .iter()
            .find(|o| o.method == Method::Get)
            .or_else(|| item_ops.first())
        else {
            continue;
        };
        let param = item.path[prefix.len()..item.path.len() - 1].to_owned();
        let (id_field, integer_ids) = id_field_of(api, create, &param);
        out.push(Resource {
            collection: create.path.trim_end_matches('/').to_owned(),
            param,
            id_field,
            integer_ids,
        });
    }
    out
}

/// The property of the created item that holds its id: one named like the path parameter,
/// else `id`.
fn id_field_of(api: &Api, create: &Operation, param: &str) -> (Option<String>, bool) {
    let Some((_, response)) = success_response(create) else {
        return (None, false);
    };
    let Some(schema) = preferred_media(&response.content)
        .and_then(|m| m.schema.as_ref())
        .and_then(|s| api.schemas.get(s))
    else {
        return (None, false);
    };
    for name in [param, "id"] {
        if let Some(p) = api.schemas.property(schema, name) {
            let integer = api.schemas.types(p).contains(&"integer");
            return (Some(name.to_owned()), integer);
        }
    }
    (None, false)
}
