//! Reading an XML request body as the value its schema describes, by the OpenAPI `xml`
//! object: a property is the child element (or, with `attribute: true`, the attribute) named
//! by its `xml.name` or else its own name; an array is its items repeated, each named by the
//! items' `xml.name`, inside a wrapper element when `wrapped: true`; a scalar is its element's
//! text, read as its schema's type (as a query parameter is). Names are compared without
//! namespace prefixes. The root element's name is not checked. Elements no property names are
//! kept as strings, so `additionalProperties: false` still refuses them.
//!
//! Malformed XML is refused before any of this. May import `spec` and the rest of `stub`.

use roxmltree::{Document, Node};
use serde_json::{Map, Value};

use super::validate::coerce;
use crate::spec::Api;

/// How deep the reading follows the document; deeper elements are read as text.
const MAX_DEPTH: usize = 64;

/// The body as the value `schema` describes, or why it is not XML.
pub(super) fn read(api: &Api, schema: Option<&Value>, body: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(body).map_err(|_| "request body is not UTF-8".to_owned())?;
    let document =
        Document::parse(text).map_err(|e| format!("request body is not well-formed XML: {e}"))?;
    Ok(element(api, schema, document.root_element(), 0))
}

/// The `xml` object of a schema (after `$ref`s).
fn xml<'a>(api: &'a Api, schema: &'a Value) -> Option<&'a Value> {
    api.schemas.keyword(schema, "xml")
}

fn xml_name<'a>(api: &'a Api, schema: &'a Value) -> Option<&'a str> {
    xml(api, schema)?.get("name")?.as_str()
}

fn xml_flag(api: &Api, schema: &Value, flag: &str) -> bool {
    xml(api, schema)
        .and_then(|x| x.get(flag))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn children<'a, 'input>(node: Node<'a, 'input>) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children().filter(Node::is_element)
}

/// The text an element holds (its text nodes, joined).
fn text(node: Node) -> String {
    node.children()
        .filter(Node::is_text)
        .filter_map(|t| t.text())
        .collect()
}

fn is_array(api: &Api, schema: &Value) -> bool {
    api.schemas.types(schema) == ["array"]
}

fn is_object(api: &Api, schema: &Value) -> bool {
    let types = api.schemas.types(schema);
    types.contains(&"object") || (types.is_empty() && !api.schemas.properties(schema).is_empty())
}

/// One element as the value `schema` describes.
fn element(api: &Api, schema: Option<&Value>, node: Node, depth: usize) -> Value {
    let Some(schema) = schema.filter(|_| depth < MAX_DEPTH) else {
        return untyped(node, depth);
    };
    if is_object(api, schema) {
        // Text directly inside an object's element (`<order>true</order>`) is no object.
        let loose = text(node);
        if !loose.trim().is_empty() {
            return Value::String(loose);
        }
        return object(api, schema, node, depth);
    }
    if is_array(api, schema) {
        // An array at the top: its items are the root's children.
        let items = api.schemas.keyword(schema, "items");
        return Value::Array(
            children(node)
                .map(|child| element(api, items, child, depth + 1))
                .collect(),
        );
    }
    if children(node).next().is_some() {
        // Elements where a scalar is expected: keep them, so the schema's type refuses them.
        return untyped(node, depth);
    }
    scalar(api, schema, &text(node))
}

/// A scalar's text as its schema's type; an empty element is `null` where the schema allows
/// it and a string is not what it wants.
fn scalar(api: &Api, schema: &Value, text: &str) -> Value {
    let types = api.schemas.types(schema);
    let nullable = types.contains(&"null")
        || api
            .schemas
            .keyword(schema, "nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
    if text.is_empty() && nullable && !types.contains(&"string") {
        return Value::Null;
    }
    coerce(api, schema, &[text], false)
}

/// An element read without a schema: text, or an object of its children.
fn untyped(node: Node, depth: usize) -> Value {
    if children(node).next().is_none() || depth >= MAX_DEPTH {
        return Value::String(text(node));
    }
    let mut out = Map::new();
    for child in children(node) {
        let name = child.tag_name().name().to_owned();
        out.entry(name).or_insert_with(|| untyped(child, depth + 1));
    }
    Value::Object(out)
}

fn object(api: &Api, schema: &Value, node: Node, depth: usize) -> Value {
    let mut out = Map::new();
    let mut claimed: Vec<&str> = Vec::new();
    for (name, property) in api.schemas.properties(schema) {
        if out.contains_key(name) {
            continue;
        }
        let tag = xml_name(api, property).unwrap_or(name);
        if xml_flag(api, property, "attribute") {
            if let Some(value) = node
                .attributes()
                .find(|a| a.name() == tag)
                .map(|a| a.value())
            {
                out.insert(name.to_owned(), scalar(api, property, value));
            }
            continue;
        }
        claimed.push(tag);
        if is_array(api, property) {
            let items = api.schemas.keyword(property, "items");
            let item_tag = items.and_then(|i| xml_name(api, i)).unwrap_or(tag);
            if xml_flag(api, property, "wrapped") {
                if let Some(wrapper) = children(node).find(|c| c.tag_name().name() == tag) {
                    let values = children(wrapper)
                        .filter(|c| c.tag_name().name() == item_tag)
                        .map(|c| element(api, items, c, depth + 1))
                        .collect();
                    out.insert(name.to_owned(), Value::Array(values));
                }
            } else {
                claimed.push(item_tag);
                let values: Vec<Value> = children(node)
                    .filter(|c| c.tag_name().name() == item_tag)
                    .map(|c| element(api, items, c, depth + 1))
                    .collect();
                // An unwrapped empty array writes nothing: a required one left out is empty.
                let required = api.schemas.required(schema).contains(&name);
                if !values.is_empty() || required {
                    out.insert(name.to_owned(), Value::Array(values));
                }
            }
            continue;
        }
        if let Some(child) = children(node).find(|c| c.tag_name().name() == tag) {
            out.insert(
                name.to_owned(),
                element(api, Some(property), child, depth + 1),
            );
        }
    }
    for child in children(node) {
        let name = child.tag_name().name();
        if !claimed.contains(&name) && !out.contains_key(name) {
            out.insert(name.to_owned(), untyped(child, depth + 1));
        }
    }
    Value::Object(out)
}
