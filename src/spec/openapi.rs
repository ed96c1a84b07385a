//! Reading OpenAPI 3.0 and 3.1 documents into the model.

use std::collections::HashSet;
use std::rc::Rc;

use serde_json::Value;

use crate::error::Location;
use crate::spec::model::{
    Example, HeaderSpec, Link, MediaType, Method, Operation, ParamLocation, Parameter, RequestBody,
    ResponseSpec, SecurityRequirement, SecurityScheme, Server, SpecVersion, StatusKey,
};
use crate::spec::reader::{self, join, text, Reader, SpecParts};
use crate::spec::refs::{Doc, DocId};
use crate::spec::schema::Dialect;

/// Reads the OpenAPI 3.x document `doc` of `r`.
pub(crate) fn read(r: &mut Reader, doc: DocId, spec_version: SpecVersion) -> SpecParts {
    let root = r.docs.doc(doc);
    let v = &root.value;
    let info = v.get("info");
    let title = text(info.and_then(|i| i.get("title"))).unwrap_or_default();
    let version = text(info.and_then(|i| i.get("version"))).unwrap_or_default();
    if info.is_none() {
        r.warn(r.loc(doc, "/info"), "no `info` object");
    }
    let servers = servers(v.get("servers"));
    let security_schemes = security_schemes(r, doc);
    let root_security = reader::security(v.get("security")).unwrap_or_default();

    let mut operations = Vec::new();
    match v.get("paths") {
        Some(Value::Object(paths)) => {
            for path in paths.keys() {
                if path.starts_with("x-") {
                    continue;
                }
                let pointer = join("/paths", path);
                if !path.starts_with('/') {
                    r.warn(r.loc(doc, &pointer), "path does not start with '/'");
                }
                read_path(r, doc, path, &pointer, &root_security, &mut operations);
            }
        }
        Some(_) => r.error(r.loc(doc, "/paths"), "`paths` is not an object"),
        None => {
            if v.get("webhooks").is_none() && v.get("components").is_none() {
                r.warn(
                    r.loc(doc, ""),
                    "no `paths`: the description has no operations",
                );
            }
        }
    }
    SpecParts {
        title,
        version,
        spec_version,
        source: root.name.clone(),
        servers,
        operations,
        security_schemes,
    }
}

fn servers(value: Option<&Value>) -> Vec<Server> {
    let list: Vec<Server> = value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let mut url = text(s.get("url"))?;
            if let Some(Value::Object(vars)) = s.get("variables") {
                for (name, var) in vars {
                    if let Some(default) = text(var.get("default")) {
                        url = url.replace(&format!("{{{name}}}"), &default);
                    }
                }
            }
            Some(Server {
                url,
                description: text(s.get("description")),
            })
        })
        .collect();
    if list.is_empty() {
        // OpenAPI 3: no servers means the document's own location, i.e. "/".
        return vec![Server {
            url: "/".to_owned(),
            description: None,
        }];
    }
    list
}

fn security_schemes(r: &mut Reader, doc: DocId) -> Vec<SecurityScheme> {
    let root = r.docs.doc(doc);
    let Some(Value::Object(schemes)) = root.value.pointer("/components/securitySchemes") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for name in schemes.keys() {
        let pointer = join("/components/securitySchemes", name);
        let Some((_, p, d)) = r.follow(doc, pointer) else {
            continue;
        };
        let s = d.value.pointer(&p).unwrap_or(&Value::Null);
        let kind = text(s.get("type")).unwrap_or_default();
        let (scheme, param_name) = if kind == "apiKey" {
            (text(s.get("in")), text(s.get("name")))
        } else {
            (text(s.get("scheme")).map(|s| s.to_ascii_lowercase()), None)
        };
        out.push(SecurityScheme {
            name: name.clone(),
            kind,
            scheme,
            param_name,
        });
    }
    out
}

fn read_path(
    r: &mut Reader,
    doc: DocId,
    path: &str,
    pointer: &str,
    root_security: &[SecurityRequirement],
    operations: &mut Vec<Operation>,
) {
    let Some((idoc, iptr, item_doc)) = r.follow(doc, pointer.to_owned()) else {
        return;
    };
    let Some(Value::Object(item)) = item_doc.value.pointer(&iptr) else {
        r.warn(r.loc(idoc, &iptr), "path item is not an object");
        return;
    };
    let shared = parameters(r, idoc, &join(&iptr, "parameters"));
    for method in Method::ALL {
        if !item.contains_key(method.key()) {
            continue;
        }
        let op_ptr = join(&iptr, method.key());
        let Some(Value::Object(op)) = item_doc.value.pointer(&op_ptr) else {
            r.warn(r.loc(idoc, &op_ptr), "operation is not an object");
            continue;
        };
        let location = r.loc(idoc, &op_ptr);
        let (id, id_derived) = match text(op.get("operationId")) {
            Some(id) if !id.trim().is_empty() => (id, false),
            _ => (format!("{} {path}", method.as_str()), true),
        };
        let own = parameters(r, idoc, &join(&op_ptr, "parameters"));
        let parameters = merge_parameters(shared.clone(), own);
        let request_body = op
            .get("requestBody")
            .and_then(|_| request_body(r, idoc, &join(&op_ptr, "requestBody")));
        let responses = responses(r, idoc, &join(&op_ptr, "responses"), op.get("responses"));
        let security =
            reader::security(op.get("security")).unwrap_or_else(|| root_security.to_vec());
        operations.push(Operation {
            id,
            id_derived,
            method,
            path: path.to_owned(),
            summary: text(op.get("summary")),
            description: text(op.get("description")),
            parameters,
            request_body,
            responses,
            security,
            error_codes: Vec::new(),
            tags: reader::tags(op.get("tags")),
            deprecated: reader::flag(op.get("deprecated")).unwrap_or(false),
            location,
        });
    }
}

/// Path-level parameters overridden by operation-level ones with the same name and place.
pub(crate) fn merge_parameters(shared: Vec<Parameter>, own: Vec<Parameter>) -> Vec<Parameter> {
    let own_keys: HashSet<(String, ParamLocation)> =
        own.iter().map(|p| (p.name.clone(), p.location)).collect();
    shared
        .into_iter()
        .filter(|p| !own_keys.contains(&(p.name.clone(), p.location)))
        .chain(own)
        .collect()
}

/// How many entries the `parameters` list at `pointer` of `doc` has: 0 when it is absent, and
/// when it is not a list (a warning).
pub(crate) fn parameter_count(r: &mut Reader, doc: DocId, pointer: &str) -> usize {
    let d = r.docs.doc(doc);
    match d.value.pointer(pointer) {
        None => 0,
        Some(Value::Array(list)) => list.len(),
        Some(_) => {
            r.warn(r.loc(doc, pointer), "`parameters` is not a list");
            0
        }
    }
}

fn parameters(r: &mut Reader, doc: DocId, pointer: &str) -> Vec<Parameter> {
    let mut out = Vec::new();
    for i in 0..parameter_count(r, doc, pointer) {
        let Some((pdoc, pptr, pd)) = r.follow(doc, join(pointer, &i.to_string())) else {
            continue;
        };
        let p = pd.value.pointer(&pptr).unwrap_or(&Value::Null);
        let here = r.loc(pdoc, &pptr);
        if !p.is_object() {
            r.warn(here, "parameter is not an object: skipped");
            continue;
        }
        let Some(name) = text(p.get("name")) else {
            r.warn(here, "parameter has no name: skipped");
            continue;
        };
        let location = match text(p.get("in")).as_deref() {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            Some("cookie") => ParamLocation::Cookie,
            other => {
                let place = other.map_or_else(|| "none".to_owned(), |o| format!("'{o}'"));
                r.warn(
                    here,
                    format!("parameter '{name}' has unknown location {place}: skipped"),
                );
                continue;
            }
        };
        let schema = if p.get("schema").is_some() {
            Some(r.schema(pdoc, &join(&pptr, "schema")))
        } else if let Some(Value::Object(content)) = p.get("content") {
            content.iter().next().and_then(|(media, m)| {
                m.get("schema")
                    .map(|_| r.schema(pdoc, &join(&join(&join(&pptr, "content"), media), "schema")))
            })
        } else {
            Some(reader::untyped_parameter(
                r,
                pdoc,
                &name,
                p,
                serde_json::Map::new(),
                &here,
            ))
        };
        let style = text(p.get("style")).unwrap_or_else(|| match location {
            ParamLocation::Query | ParamLocation::Cookie => "form".to_owned(),
            ParamLocation::Path | ParamLocation::Header => "simple".to_owned(),
        });
        let explode = reader::flag(p.get("explode")).unwrap_or(style == "form");
        out.push(Parameter {
            required: location == ParamLocation::Path
                || reader::flag(p.get("required")).unwrap_or(false),
            name,
            location,
            schema,
            style,
            explode,
            description: text(p.get("description")),
            examples: examples(r, pdoc, &pptr, p),
            location_in_spec: here,
        });
    }
    out
}

fn media_types(r: &mut Reader, doc: DocId, pointer: &str) -> Vec<MediaType> {
    let d = r.docs.doc(doc);
    let Some(Value::Object(content)) = d.value.pointer(pointer) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, media) in content {
        let mptr = join(pointer, name);
        let schema = media
            .get("schema")
            .map(|_| r.schema(doc, &join(&mptr, "schema")));
        let examples = examples(r, doc, &mptr, media);
        out.push(MediaType {
            name: name.clone(),
            schema,
            examples,
        });
    }
    out
}

/// The `example` (named `default`) and the named `examples` of the object `value` at
/// `pointer` of `doc` (a media type or a parameter), each with its location.
fn examples(r: &mut Reader, doc: DocId, pointer: &str, value: &Value) -> Vec<Example> {
    let mut out = Vec::new();
    if let Some(example) = value.get("example") {
        out.push(Example {
            name: "default".to_owned(),
            value: example.clone(),
            location: r.loc(doc, &join(pointer, "example")),
        });
    }
    if let Some(Value::Object(named)) = value.get("examples") {
        for key in named.keys() {
            let Some((edoc, eptr, ed)) = r.follow(doc, join(&join(pointer, "examples"), key))
            else {
                continue;
            };
            if let Some(example) = ed.value.pointer(&eptr).and_then(|e| e.get("value")) {
                out.push(Example {
                    name: key.clone(),
                    value: example.clone(),
                    location: r.loc(edoc, &join(&eptr, "value")),
                });
            }
        }
    }
    out
}

fn request_body(r: &mut Reader, doc: DocId, pointer: &str) -> Option<RequestBody> {
    let (bdoc, bptr, bd) = r.follow(doc, pointer.to_owned())?;
    let body = bd.value.pointer(&bptr)?;
    let content = media_types(r, bdoc, &join(&bptr, "content"));
    Some(RequestBody {
        required: reader::flag(body.get("required")).unwrap_or(false),
        content,
        location: r.loc(bdoc, &bptr),
    })
}

fn responses(
    r: &mut Reader,
    doc: DocId,
    pointer: &str,
    value: Option<&Value>,
) -> Vec<ResponseSpec> {
    let Some(value) = value else {
        // OpenAPI 3.1 lets an operation document no responses; 3.0 requires them.
        if r.schemas.dialect() != Dialect::OpenApi31 {
            r.warn(r.loc(doc, pointer), "operation documents no responses");
        }
        return Vec::new();
    };
    let Some(map) = value.as_object() else {
        r.warn(r.loc(doc, pointer), "`responses` is not an object");
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in map.keys() {
        let Some((status, rdoc, resp_ptr, rd)) = response_entry(r, doc, pointer, key) else {
            continue;
        };
        let resp = rd.value.pointer(&resp_ptr).unwrap_or(&Value::Null);
        if !resp.is_object() {
            r.warn(
                r.loc(rdoc, &resp_ptr),
                format!("response '{key}' is not an object: skipped"),
            );
            continue;
        }
        let content = media_types(r, rdoc, &join(&resp_ptr, "content"));
        let headers = headers(r, rdoc, &join(&resp_ptr, "headers"));
        let links = links(r, rdoc, &join(&resp_ptr, "links"));
        out.push(ResponseSpec {
            status,
            description: text(resp.get("description")).unwrap_or_default(),
            content,
            headers,
            links,
            location: r.loc(rdoc, &resp_ptr),
        });
    }
    out
}

/// The response `key` of the `responses` object at `pointer` of `doc`, its `$ref` followed:
/// its status, document, pointer and the document. `None` for an extension, for a key that is
/// not a status (a warning) and for a `$ref` that does not resolve (an error).
pub(crate) fn response_entry(
    r: &mut Reader,
    doc: DocId,
    pointer: &str,
    key: &str,
) -> Option<(StatusKey, DocId, String, Rc<Doc>)> {
    if key.starts_with("x-") {
        return None;
    }
    let rptr = join(pointer, key);
    let Some(status) = StatusKey::parse(key) else {
        r.warn(
            r.loc(doc, &rptr),
            format!("response key '{key}' is not a status: skipped"),
        );
        return None;
    };
    let (rdoc, resp_ptr, rd) = r.follow(doc, rptr)?;
    Some((status, rdoc, resp_ptr, rd))
}

fn headers(r: &mut Reader, doc: DocId, pointer: &str) -> Vec<HeaderSpec> {
    let d = r.docs.doc(doc);
    let Some(Value::Object(map)) = d.value.pointer(pointer) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for name in map.keys() {
        let Some((hdoc, hptr, hd)) = r.follow(doc, join(pointer, name)) else {
            continue;
        };
        let h = hd.value.pointer(&hptr).unwrap_or(&Value::Null);
        let schema = h
            .get("schema")
            .map(|_| r.schema(hdoc, &join(&hptr, "schema")));
        out.push(HeaderSpec {
            name: name.clone(),
            required: reader::flag(h.get("required")).unwrap_or(false),
            schema,
        });
    }
    out
}

/// The links of the `links` object at `pointer` of `doc`, `$ref`s followed. A link without
/// an `operationId` or a local `operationRef` is left out.
fn links(r: &mut Reader, doc: DocId, pointer: &str) -> Vec<Link> {
    let d = r.docs.doc(doc);
    let Some(Value::Object(map)) = d.value.pointer(pointer) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for name in map.keys() {
        let Some((_, lptr, ld)) = r.follow(doc, join(pointer, name)) else {
            continue;
        };
        let link = ld.value.pointer(&lptr).unwrap_or(&Value::Null);
        let target = text(link.get("operationId")).or_else(|| {
            let reference = text(link.get("operationRef"))?;
            let pointer = reference.strip_prefix('#')?;
            let (path, method) = pointer.strip_prefix("/paths/")?.rsplit_once('/')?;
            let path = path.replace("~1", "/").replace("~0", "~");
            Some(format!("{} {path}", method.to_ascii_uppercase()))
        });
        let Some(target) = target else {
            continue;
        };
        let parameters = link
            .get("parameters")
            .and_then(Value::as_object)
            .map(|params| {
                params
                    .iter()
                    .filter_map(|(k, v)| {
                        let name = k.split_once('.').map_or(k.as_str(), |(_, n)| n);
                        Some((name.to_owned(), v.as_str()?.to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.push(Link { target, parameters });
    }
    out
}

/// A location for an operation's description, where prose error codes are read from.
pub(crate) fn description_location(op: &Operation) -> Location {
    op.location.child("description")
}
