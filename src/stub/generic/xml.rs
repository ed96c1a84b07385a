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

/// `value` written as the XML its schema's `xml` objects describe (the inverse of [`read`]):
/// the root element is named by the schema's `xml.name`, else `root`; a top-level array
/// wraps its items in it.
pub(super) fn write(api: &Api, schema: Option<&Value>, root: &str, value: &Value) -> String {
    let tag = schema.and_then(|s| xml_name(api, s)).unwrap_or(root);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    if let Value::Array(items) = value {
        let items_schema = schema.and_then(|s| api.schemas.keyword(s, "items"));
        let item_tag = items_schema
            .and_then(|i| xml_name(api, i))
            .unwrap_or("item");
        out.push_str(&format!("<{}>", name(tag)));
        for item in items {
            write_value(api, items_schema, item_tag, item, &mut out, 1);
        }
        out.push_str(&format!("</{}>", name(tag)));
    } else {
        write_value(api, schema, tag, value, &mut out, 0);
    }
    out
}

fn write_value(
    api: &Api,
    schema: Option<&Value>,
    tag: &str,
    value: &Value,
    out: &mut String,
    depth: usize,
) {
    let tag = name(tag);
    match value {
        Value::Object(fields) if depth < MAX_DEPTH => {
            let property = |field: &str| schema.and_then(|s| api.schemas.property(s, field));
            out.push_str(&format!("<{tag}"));
            for (field, v) in fields {
                let p = property(field);
                if p.is_some_and(|p| xml_flag(api, p, "attribute")) && !v.is_object() {
                    let attribute = p.and_then(|p| xml_name(api, p)).unwrap_or(field);
                    out.push_str(&format!(" {}=\"{}\"", name(attribute), escape(&text_of(v))));
                }
            }
            out.push('>');
            for (field, v) in fields {
                let p = property(field);
                if p.is_some_and(|p| xml_flag(api, p, "attribute")) && !v.is_object() {
                    continue;
                }
                let child = p.and_then(|p| xml_name(api, p)).unwrap_or(field);
                match v {
                    Value::Array(items) => {
                        let items_schema = p.and_then(|p| api.schemas.keyword(p, "items"));
                        let item_tag = items_schema.and_then(|i| xml_name(api, i)).unwrap_or(child);
                        let wrapped = p.is_some_and(|p| xml_flag(api, p, "wrapped"));
                        if wrapped {
                            out.push_str(&format!("<{}>", name(child)));
                        }
                        for item in items {
                            write_value(api, items_schema, item_tag, item, out, depth + 1);
                        }
                        if wrapped {
                            out.push_str(&format!("</{}>", name(child)));
                        }
                    }
                    _ => write_value(api, p, child, v, out, depth + 1),
                }
            }
            out.push_str(&format!("</{tag}>"));
        }
        Value::Null => out.push_str(&format!("<{tag}/>")),
        other => out.push_str(&format!("<{tag}>{}</{tag}>", escape(&text_of(other)))),
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A property name as an XML name: characters XML names cannot hold become `_`, and a name
/// that cannot start one gets a leading `_`.
fn name(raw: &str) -> String {
    let mut out: String = raw
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "_-.:".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all are left out.
            c if (c as u32) < 0x20 && !"\t\n\r".contains(c) => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}
