//! Resources kept in memory: the spec's resource graph (`spec::Graph`), the store of created
//! items, and answering success on them (create, list, read, replace, delete). An item is
//! stored under its parents' ids and its own, so a request below a parent that was never
//! created (or was deleted) answers 404, as a real server would.
//!
//! May import `spec`, `scenario::synth` and the rest of `stub`.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};

use super::media::{preferred_media, success_response, value_text};
use super::stub::SpecStub;
use crate::scenario::synth;
use crate::spec::lists::{self, NextFrom, Pagination, Style};
use crate::spec::{
    id_candidates, names_an_item, Api, Direction, IdSource, Method, Operation, Producer, Resource,
    ResponseSpec,
};
use crate::stub::{StubRequest, StubResponse};

/// Created items, by resource (its index in the graph), keyed by their item path's values.
#[derive(Default)]
pub(super) struct Store {
    pub(super) items: HashMap<usize, BTreeMap<String, Value>>,
    pub(super) next_id: u64,
}

/// The key of an item: its parents' ids and its own.
fn key(values: &[&str]) -> String {
    values.join("\u{1f}")
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
        if let Some(missing) = self.missing(op, params) {
            // A missing item (or parent) is 404, where the spec documents one.
            let documented = op.response_for(404).is_some()
                || op.error_codes.iter().any(|c| c.http_status == Some(404));
            if documented {
                return self.reject(op, 404, &format!("no item {missing}"));
            }
        }
        let values = path_values(self, op, params);
        if let Some(index) = self.api.graph().created_by(op) {
            let r = &self.api.graph().resources[index];
            let exists = r.id == IdSource::Chosen && self.stored(index, &values).is_some();
            if !exists {
                return self.create(op, index, &values, (code, response), request, example);
            }
        }
        if let Some(index) = self.api.graph().listed_by(op) {
            let query = &request.query;
            if let Some(listed) = self.listing(op, index, &values, (response, example), query) {
                return self.render(op, response, code, example, Some(listed));
            }
        }
        if let Some(index) = self.api.graph().item_of(op) {
            if let Some(out) = self.on_item(op, index, &values, (code, response), request, example)
            {
                return out;
            }
        }
        self.render(op, response, code, example, None)
    }

    /// The first path parameter of `op` whose item (or parent) the store does not hold, as
    /// `{name}=value`. A client-chosen id being created is not missing.
    fn missing(&self, op: &Operation, params: &[(String, String)]) -> Option<String> {
        let values = path_values(self, op, params);
        let creating = self
            .api
            .graph()
            .created_by(op)
            .map(|i| &self.api.graph().resources[i]);
        for (at, (name, producer)) in self.api.graph().needs(op).iter().enumerate() {
            if creating.is_some_and(|r| r.id == IdSource::Chosen && &r.param == name) {
                continue;
            }
            // A link from a resource's create names that resource's items too.
            let index = match producer {
                Some(Producer::Resource(index)) => Some(*index),
                Some(Producer::Link { operation, .. }) => self
                    .api
                    .graph()
                    .resource_for(op, name)
                    .filter(|i| self.api.graph().resources[*i].create == *operation),
                None => None,
            };
            let Some(index) = index else {
                // An identifier nothing creates: the stub holds every such item but the
                // ones a run names as never created.
                if producer.is_none()
                    && names_an_item(name)
                    && synth::is_never_created(&self.api, op, name, values[at])
                {
                    return Some(format!("{{{name}}}={}", values[at]));
                }
                continue;
            };
            if self.stored(index, &values[..=at]).is_none() {
                return Some(format!("{{{name}}}={}", values[at]));
            }
        }
        None
    }

    /// The stored item of resource `index` whose item path values are `values`.
    fn stored(&self, index: usize, values: &[&str]) -> Option<Value> {
        let store = self.lock();
        store.items.get(&index)?.get(&key(values)).cloned()
    }

    /// Reading, replacing or deleting one stored item; `None` when it is none of those.
    fn on_item(
        &self,
        op: &Operation,
        index: usize,
        values: &[&str],
        (code, response): (u16, &ResponseSpec),
        request: &StubRequest,
        example: Option<&str>,
    ) -> Option<StubResponse> {
        // Where the item keeps its id: a replace or a patch never changes it.
        let id_pointer = match &self.api.graph().resources[index].id {
            IdSource::Response(pointer) => Some(pointer.clone()),
            IdSource::Request(field) => Some(format!("/{field}")),
            _ => None,
        };
        let mut store = self.lock();
        let items = store.items.entry(index).or_default();
        let k = key(values);
        let item = items.get(&k).cloned()?;
        match op.method {
            Method::Get => {
                drop(store);
                // What was stored from a create without a body (or of another shape) is
                // read as the documented item, with its id.
                let item = if self.fits(response, &item) {
                    item
                } else {
                    // What the create answered, where the read's shape has room for it.
                    let read = self.body_for(response, example, 0)?;
                    let mut read = self.merge_fitting(response, read, Some(&item));
                    if let IdSource::Response(pointer) = &self.api.graph().resources[index].id {
                        if let Some(id) = item.pointer(pointer).cloned() {
                            set_at(&mut read, pointer, id);
                        }
                    }
                    read
                };
                Some(self.render(op, response, code, example, Some(item)))
            }
            Method::Delete => {
                items.remove(&k);
                drop(store);
                Some(self.render(op, response, code, example, None))
            }
            Method::Put | Method::Patch => {
                let mut updated = item.clone();
                if let (Ok(Value::Object(patch)), Value::Object(target)) =
                    (serde_json::from_slice::<Value>(&request.body), &mut updated)
                {
                    for (k, v) in patch {
                        target.insert(k, v);
                    }
                }
                self.without_write_only(response, &mut updated);
                if let Some(pointer) = &id_pointer {
                    match item.pointer(pointer) {
                        Some(id) => set_at(&mut updated, pointer, id.clone()),
                        None => remove_at(&mut updated, pointer),
                    }
                }
                // A change that would break the documented item (a PATCH document, say)
                // leaves the stored item as it was, but for the fields that keep it valid: what
                // a client writes comes back as written (`response_echoes_request`).
                let kept = if self.fits(response, &updated) {
                    updated
                } else {
                    let patch = serde_json::from_slice::<Value>(&request.body).ok();
                    let mut merged = self.merge_fitting(response, item.clone(), patch.as_ref());
                    self.without_write_only(response, &mut merged);
                    if let Some(id) = id_pointer.as_deref().and_then(|p| item.pointer(p)) {
                        set_at(&mut merged, id_pointer.as_deref().unwrap_or(""), id.clone());
                    }
                    if self.fits(response, &merged) {
                        merged
                    } else {
                        item
                    }
                };
                items.insert(k, kept.clone());
                drop(store);
                Some(self.render(op, response, code, example, Some(kept)))
            }
            _ => None,
        }
    }

    /// `item` with each field of `sent` written over it that leaves it valid for `response`.
    fn merge_fitting(&self, response: &ResponseSpec, item: Value, sent: Option<&Value>) -> Value {
        let (Value::Object(_), Some(Value::Object(sent))) = (&item, sent) else {
            return item;
        };
        let mut item = item;
        for (k, v) in sent {
            let mut candidate = item.clone();
            if let Value::Object(target) = &mut candidate {
                target.insert(k.clone(), v.clone());
            }
            if self.fits(response, &candidate) {
                item = candidate;
            }
        }
        item
    }

    /// `value` without the properties `response`'s body schema marks `writeOnly`, at any
    /// depth: what a request sent is kept, but a response never carries them.
    fn without_write_only(&self, response: &ResponseSpec, value: &mut Value) {
        let schema = preferred_media(&response.content)
            .and_then(|m| m.schema.as_ref())
            .and_then(|s| self.api.schemas.get(s));
        if let Some(schema) = schema {
            strip_write_only(self, schema, value, 0);
        }
    }

    /// Whether `value` is valid for `response`'s preferred body schema (true without one).
    fn fits(&self, response: &ResponseSpec, value: &Value) -> bool {
        preferred_media(&response.content)
            .and_then(|m| m.schema.as_ref())
            .is_none_or(|s| {
                self.api
                    .schemas
                    .accepts(s, Direction::Response, value)
                    .unwrap_or(false)
            })
    }

    fn create(
        &self,
        op: &Operation,
        index: usize,
        values: &[&str],
        (code, response): (u16, &ResponseSpec),
        request: &StubRequest,
        example: Option<&str>,
    ) -> StubResponse {
        let resource = &self.api.graph().resources[index];
        let sent = serde_json::from_slice::<Value>(&request.body).ok();
        let mut store = self.lock();
        store.next_id += 1;
        let seq = store.next_id;
        let (id, pointer) = self.fresh_id(index, values, response, sent.as_ref(), &store);
        let mut parents: Vec<&str> = values.to_vec();
        if resource.id == IdSource::Chosen {
            parents.pop();
        }
        let id_text = value_text(&id);
        let mut path = parents.clone();
        path.push(&id_text);
        let k = key(&path);
        if store
            .items
            .get(&index)
            .is_some_and(|items| items.contains_key(&k))
        {
            drop(store);
            // The same client-chosen id twice: a conflict, where the spec documents one.
            if let Some(conflict) = op.response_for(409).filter(|_| op.method == Method::Post) {
                return self.render(op, conflict, 409, None, None);
            }
            return self.render(op, response, code, example, None);
        }
        // A create without a body (a PUT answering 204) stores what a read answers.
        let shape = if response.content.is_empty() {
            resource
                .read
                .as_deref()
                .and_then(|r| self.api.operation(r))
                .and_then(success_response)
                .map_or(response, |(_, r)| r)
        } else {
            response
        };
        let pointer = pointer.or_else(|| self.id_property(shape, resource));
        let with_id = |mut item: Value| {
            if let Some(pointer) = &pointer {
                set_at(&mut item, pointer, id.clone());
            }
            item
        };
        let response_for_create = response;
        let response = shape;
        let mut item = self.body_for(response, example, seq).unwrap_or(Value::Null);
        if let (Value::Object(target), Some(Value::Object(sent))) = (&mut item, &sent) {
            for (k, v) in sent {
                target.insert(k.clone(), v.clone());
            }
        }
        self.without_write_only(response, &mut item);
        item = with_id(item);
        // The merged item must still match the documented response; otherwise keep the
        // synthesized one (with its id).
        if !self.fits(response, &item) {
            let fresh = with_id(self.body_for(response, example, seq).unwrap_or(Value::Null));
            let mut merged = self.merge_fitting(response, fresh, sent.as_ref());
            self.without_write_only(response, &mut merged);
            item = with_id(merged);
        }
        store
            .items
            .entry(index)
            .or_default()
            .insert(k, item.clone());
        drop(store);
        self.render(op, response_for_create, code, example, Some(item))
    }

    /// The id of a new item of resource `index` under `values` (its parents, and its own
    /// id when the client chose it), and the pointer to set it at in the stored item.
    fn fresh_id(
        &self,
        index: usize,
        values: &[&str],
        response: &ResponseSpec,
        sent: Option<&Value>,
        store: &Store,
    ) -> (Value, Option<String>) {
        let resource = &self.api.graph().resources[index];
        let seq = store.next_id;
        match &resource.id {
            IdSource::Response(pointer) => {
                let taken = |id: &Value| {
                    let text = value_text(id);
                    let mut path = values.to_vec();
                    path.push(&text);
                    store
                        .items
                        .get(&index)
                        .is_some_and(|items| items.contains_key(&key(&path)))
                };
                let id = (0..16)
                    .map(|attempt| {
                        self.new_id(
                            response,
                            pointer,
                            resource.integer_ids,
                            seq + attempt * 100_003,
                        )
                    })
                    .find(|id| !taken(id))
                    .unwrap_or_else(|| json!(format!("{seq}")));
                (id, Some(pointer.clone()))
            }
            IdSource::Request(field) => (
                sent.as_ref()
                    .and_then(|b| b.get(field))
                    .cloned()
                    .unwrap_or_else(|| json!(seq.to_string())),
                None,
            ),
            IdSource::Chosen => (values.last().map_or(json!(seq), |v| json!(v)), None),
            IdSource::Unknown(_) => (json!(seq.to_string()), None),
        }
    }

    /// The top-level property of `response`'s body that holds `resource`'s id, as a pointer.
    fn id_property(&self, response: &ResponseSpec, resource: &Resource) -> Option<String> {
        let schema = preferred_media(&response.content)?.schema.as_ref()?;
        let schema = self.api.schemas.get(schema)?;
        let collection = resource.collection.rsplit('/').next().unwrap_or_default();
        let properties = self.api.schemas.properties(schema);
        let top = id_candidates(&resource.param, collection)
            .iter()
            .find_map(|c| properties.iter().find(|(name, _)| name == c))
            .map(|(name, _)| format!("/{name}"));
        // `{user_id}` held as `user.id`.
        top.or_else(|| {
            let stem = resource
                .param
                .strip_suffix("_id")
                .or_else(|| resource.param.strip_suffix("Id"))?;
            let (name, object) = properties.iter().find(|(name, _)| *name == stem)?;
            self.api
                .schemas
                .property(object, "id")
                .map(|_| format!("/{name}/id"))
        })
    }

    /// What a list answers: the items stored under the same parents, as the documented body
    /// (a plain list, or the one list property of an object), when they fit it.
    fn listing(
        &self,
        op: &Operation,
        index: usize,
        parents: &[&str],
        (response, example): (&ResponseSpec, Option<&str>),
        query: &[(String, String)],
    ) -> Option<Value> {
        let schema_ref = preferred_media(&response.content)?.schema.as_ref()?;
        let schema = self.api.schemas.get(schema_ref)?;
        let prefix = format!("{}\u{1f}", key(parents));
        let items: Vec<Value> = {
            let store = self.lock();
            store
                .items
                .get(&index)
                .map(|items| {
                    items
                        .iter()
                        .filter(|(k, _)| parents.is_empty() || k.starts_with(&prefix))
                        .map(|(_, v)| v.clone())
                        .collect()
                })
                .unwrap_or_default()
        };
        let items = filtered(&self.api, op, items, query);
        let paging = lists::pagination(&self.api, op);
        let (items, next) = match &paging {
            Some(p) => page(p, items, query),
            None => (items, None),
        };
        let listed = if self.api.schemas.types(schema).contains(&"array") {
            Value::Array(items)
        } else {
            // The list property the items fit in (SCIM's `Resources`, not its `schemas`).
            let body = self.body_for(response, example, 0)?;
            self.api
                .schemas
                .properties(schema)
                .into_iter()
                .filter(|(_, p)| self.api.schemas.types(p).contains(&"array"))
                .find_map(|(name, _)| {
                    let mut candidate = body.clone();
                    candidate
                        .as_object_mut()?
                        .insert(name.to_owned(), Value::Array(items.clone()));
                    self.fits(response, &candidate).then_some(candidate)
                })?
        };
        let listed = match &paging {
            Some(p) => self.with_next(response, listed, p, next),
            None => listed,
        };
        self.fits(response, &listed).then_some(listed)
    }

    /// `listed` with the next page's token or cursor where `paging` says (`next`), or without
    /// one on the last page (an empty string where the field is required).
    fn with_next(
        &self,
        response: &ResponseSpec,
        mut listed: Value,
        paging: &Pagination,
        next: Option<String>,
    ) -> Value {
        let pointer = match &paging.style {
            Style::Token { next, .. }
            | Style::Cursor {
                next: NextFrom::Body(next),
                ..
            } => next.clone(),
            Style::Cursor {
                next: NextFrom::LastItem { has_more, .. },
                ..
            } => {
                if let Some(has_more) = has_more {
                    set_at(&mut listed, has_more, Value::Bool(next.is_some()));
                }
                return listed;
            }
            _ => return listed,
        };
        match next {
            Some(token) => set_at(&mut listed, &pointer, Value::String(token)),
            None => {
                remove_at(&mut listed, &pointer);
                if !self.fits(response, &listed) {
                    set_at(&mut listed, &pointer, Value::String(String::new()));
                }
            }
        }
        listed
    }

    /// A fresh id for the property at `pointer` of the created item: the sequence number for
    /// integer ids, else a value synthesized for the property (so formats and lengths hold).
    fn new_id(&self, response: &ResponseSpec, pointer: &str, integer: bool, seq: u64) -> Value {
        if integer {
            return json!(seq);
        }
        let schema = preferred_media(&response.content)
            .and_then(|m| m.schema.as_ref())
            .and_then(|s| self.api.schemas.get(s))
            .and_then(|mut schema| {
                for name in pointer.split('/').skip(1) {
                    schema = self.api.schemas.property(schema, name)?;
                }
                Some(schema)
            });
        if let Some(schema) = schema {
            let candidate = synth::synthesize(
                &self.api.schemas,
                schema,
                Direction::Response,
                synth::Fill::Required,
                seq.wrapping_mul(7919),
            );
            if candidate.is_string() {
                return candidate;
            }
        }
        json!(seq.to_string())
    }
}

/// `items` without those outside a filter of `query` (a query parameter naming an item field).
fn filtered(
    api: &Api,
    op: &Operation,
    items: Vec<Value>,
    query: &[(String, String)],
) -> Vec<Value> {
    let names = lists::filters(api, op);
    items
        .into_iter()
        .filter(|item| {
            names.iter().all(|name| {
                let sent: Vec<&str> = query
                    .iter()
                    .filter(|(n, _)| n == name)
                    .flat_map(|(_, v)| v.split(','))
                    .collect();
                let Some(value) = item.get(name) else {
                    return true;
                };
                sent.is_empty()
                    || sent
                        .iter()
                        .any(|t| lists::matches_query(value, t) != Some(false))
            })
        })
        .collect()
}

/// One page of `items` as `query` asks for it, and the next page's token or cursor when
/// items are left: a token or cursor is the offset of the next page as text, or for
/// `starting_after` the last item's id.
fn page(
    paging: &Pagination,
    items: Vec<Value>,
    query: &[(String, String)],
) -> (Vec<Value>, Option<String>) {
    let sent = |name: &str| {
        query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let size = sent(&paging.size)
        .and_then(|s| s.trim().parse::<usize>().ok())
        .filter(|s| *s > 0);
    let (position, last_item) = match &paging.style {
        Style::Token { token, .. } => (token, None),
        Style::Offset { offset } => (offset, None),
        Style::Cursor { cursor, next } => match next {
            NextFrom::LastItem { field, .. } => (cursor, Some(field)),
            _ => (cursor, None),
        },
    };
    let start = match (sent(position), last_item) {
        (None, _) => 0,
        (Some(id), Some(field)) => items
            .iter()
            .position(|i| i.get(field).is_some_and(|v| value_text(v) == id))
            .map_or(items.len(), |at| at + 1),
        (Some(offset), None) => offset.trim().parse::<usize>().unwrap_or(items.len()),
    };
    let start = start.min(items.len());
    let end = size.map_or(items.len(), |n| (start + n).min(items.len()));
    let page: Vec<Value> = items[start..end].to_vec();
    let next = (end < items.len()).then(|| match last_item {
        Some(field) => page
            .last()
            .and_then(|i| i.get(field))
            .map_or_else(String::new, value_text),
        None => end.to_string(),
    });
    (page, next)
}

/// The values of `op`'s path parameters, in path order.
fn path_values<'a>(
    stub: &SpecStub,
    op: &Operation,
    params: &'a [(String, String)],
) -> Vec<&'a str> {
    stub.api
        .graph()
        .needs(op)
        .iter()
        .map(|(name, _)| {
            params
                .iter()
                .find(|(n, _)| n == name)
                .map_or("", |(_, v)| v.as_str())
        })
        .collect()
}

fn strip_write_only(stub: &SpecStub, schema: &Value, value: &mut Value, depth: usize) {
    const MAX_DEPTH: usize = 32;
    if depth > MAX_DEPTH {
        return;
    }
    let schemas = &stub.api.schemas;
    match value {
        Value::Object(map) => {
            map.retain(|name, _| {
                !schemas
                    .property_all(schema, name)
                    .into_iter()
                    .any(|p| schemas.excluded(p, Direction::Response))
            });
            for (name, field) in map.iter_mut() {
                if let Some(property) = schemas.property(schema, name) {
                    strip_write_only(stub, property, field, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            if let Some(each) = schemas.keyword(schema, "items") {
                for item in items {
                    strip_write_only(stub, each, item, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// Removes the property at a JSON pointer, when it is there.
fn remove_at(item: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let target = if parent.is_empty() {
        Some(item)
    } else {
        item.pointer_mut(parent)
    };
    if let Some(Value::Object(map)) = target {
        map.shift_remove(last);
    }
}

/// Sets the property at a JSON pointer of one or two levels.
fn set_at(item: &mut Value, pointer: &str, value: Value) {
    let names: Vec<&str> = pointer.split('/').skip(1).collect();
    let mut target = item;
    for name in &names[..names.len().saturating_sub(1)] {
        let Some(next) = target.get_mut(*name) else {
            return;
        };
        target = next;
    }
    if let (Some(last), Value::Object(map)) = (names.last(), target) {
        map.insert((*last).to_owned(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: usize) -> Vec<Value> {
        (1..=n).map(|i| json!({"id": format!("i{i}")})).collect()
    }

    fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn pages_by_token_with_the_next_offset_as_token_and_none_on_the_last_page() {
        let paging = Pagination {
            size: "pageSize".to_owned(),
            style: Style::Token {
                token: "pageToken".to_owned(),
                next: "/nextPageToken".to_owned(),
            },
            items: lists::Items::Field("things".to_owned()),
        };
        let (first, next) = page(&paging, items(3), &query(&[("pageSize", "2")]));
        assert_eq!((first.len(), next.as_deref()), (2, Some("2")));
        let (last, next) = page(
            &paging,
            items(3),
            &query(&[("pageSize", "2"), ("pageToken", "2")]),
        );
        assert_eq!((last, next), (vec![json!({"id": "i3"})], None));
        let (all, next) = page(&paging, items(3), &query(&[("pageSize", "0")]));
        assert_eq!((all.len(), next), (3, None));
    }

    #[test]
    fn pages_after_the_last_items_id() {
        let paging = Pagination {
            size: "limit".to_owned(),
            style: Style::Cursor {
                cursor: "starting_after".to_owned(),
                next: NextFrom::LastItem {
                    field: "id".to_owned(),
                    has_more: Some("/has_more".to_owned()),
                },
            },
            items: lists::Items::Field("data".to_owned()),
        };
        let (first, next) = page(&paging, items(3), &query(&[("limit", "2")]));
        assert_eq!((first.len(), next.as_deref()), (2, Some("i2")));
        let q = query(&[("limit", "2"), ("starting_after", "i2")]);
        let (last, next) = page(&paging, items(3), &q);
        assert_eq!((last, next), (vec![json!({"id": "i3"})], None));
    }
}
