//! Reading Swagger 2.0 documents into the same model as OpenAPI 3, by our own rules: host,
//! basePath and schemes become servers; an `in: body` parameter's schema becomes the request
//! body's schema itself; `formData` parameters become one form body; `consumes` and
//! `produces` become media types; `x-nullable` means nullable. A GET without body parameters
//! gets no request body.

use serde_json::{json, Map, Value};

use crate::error::Location;

use crate::spec::model::{
    Example, HeaderSpec, MediaType, Method, Operation, ParamLocation, Parameter, RequestBody,
    ResponseSpec, SecurityScheme, Server, SpecVersion,
};
use crate::spec::openapi::{merge_parameters, parameter_count, response_entry};
use crate::spec::reader::{self, join, text, Reader, SpecParts};
use crate::spec::refs::DocId;
use crate::spec::schema::SchemaRef;

/// Keywords a non-body parameter or header shares with a schema.
const SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
    "x-nullable",
];

/// A parameter as Swagger has it, before body and form parameters are split off.
struct RawParam {
    param: Parameter,
    kind: RawKind,
}

enum RawKind {
    Plain,
    Body(SchemaRef),
    Form(Value),
}

/// Reads the Swagger 2.0 document `doc` of `r`.
pub(crate) fn read(r: &mut Reader, doc: DocId) -> SpecParts {
    let root = r.docs.doc(doc);
    let v = &root.value;
    let info = v.get("info");
    let title = text(info.and_then(|i| i.get("title"))).unwrap_or_default();
    let version = text(info.and_then(|i| i.get("version"))).unwrap_or_default();
    let servers = servers(v);
    let security_schemes = security_schemes(v);
    let defaults = Defaults {
        consumes: media_list(v.get("consumes")),
        produces: media_list(v.get("produces")),
        security: reader::security(v.get("security")).unwrap_or_default(),
    };
    let mut operations = Vec::new();
    match v.get("paths") {
        Some(Value::Object(paths)) => {
            for path in paths.keys().filter(|p| !p.starts_with("x-")) {
                path_item(r, doc, path, &defaults, &mut operations);
            }
        }
        Some(_) => r.error(r.loc(doc, "/paths"), "`paths` is not an object"),
        None => r.warn(
            r.loc(doc, ""),
            "no `paths`: the description has no operations",
        ),
    }
    SpecParts {
        title,
        version,
        spec_version: SpecVersion::Swagger2,
        source: root.name.clone(),
        servers,
        operations,
        security_schemes,
    }
}

/// What the document root sets for every operation that does not set its own.
struct Defaults {
    consumes: Option<Vec<String>>,
    produces: Option<Vec<String>>,
    security: Vec<crate::spec::model::SecurityRequirement>,
}

/// Reads the operations of the path item `/paths/{path}` of `doc` into `operations`.
fn path_item(
    r: &mut Reader,
    doc: DocId,
    path: &str,
    defaults: &Defaults,
    operations: &mut Vec<Operation>,
) {
    let pointer = join("/paths", path);
    let Some((idoc, iptr, item_doc)) = r.follow(doc, pointer) else {
        return;
    };
    let Some(Value::Object(item)) = item_doc.value.pointer(&iptr) else {
        r.warn(r.loc(idoc, &iptr), "path item is not an object");
        return;
    };
    let shared = raw_parameters(r, idoc, &join(&iptr, "parameters"));
    for method in Method::ALL {
        let Some(Value::Object(op)) = item.get(method.key()) else {
            continue;
        };
        let op_ptr = join(&iptr, method.key());
        let own = raw_parameters(r, idoc, &join(&op_ptr, "parameters"));
        let consumes = media_list(op.get("consumes")).or_else(|| defaults.consumes.clone());
        let produces = media_list(op.get("produces"))
            .or_else(|| defaults.produces.clone())
            .unwrap_or_else(|| vec!["application/json".to_owned()]);
        let location = r.loc(idoc, &op_ptr);
        let (id, id_derived) = match text(op.get("operationId")) {
            Some(id) if !id.trim().is_empty() => (id, false),
            _ => (format!("{} {path}", method.as_str()), true),
        };
        let (parameters, request_body) = split_parameters(
            r,
            idoc,
            shared.iter().chain(own.iter()),
            consumes,
            &location,
        );
        let responses = responses(r, idoc, &join(&op_ptr, "responses"), &produces);
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
            security: reader::security(op.get("security"))
                .unwrap_or_else(|| defaults.security.clone()),
            error_codes: Vec::new(),
            tags: reader::tags(op.get("tags")),
            deprecated: reader::flag(op.get("deprecated")).unwrap_or(false),
            location,
        });
    }
}

fn media_list(value: Option<&Value>) -> Option<Vec<String>> {
    let list: Vec<String> = value?
        .as_array()?
        .iter()
        .filter_map(|v| text(Some(v)))
        .collect();
    (!list.is_empty()).then_some(list)
}

fn servers(v: &Value) -> Vec<Server> {
    let base_path = text(v.get("basePath")).unwrap_or_else(|| "/".to_owned());
    let base_path = if base_path.starts_with('/') {
        base_path
    } else {
        format!("/{base_path}")
    };
    let Some(host) = text(v.get("host")).filter(|h| !h.is_empty()) else {
        return vec![Server {
            url: base_path,
            description: None,
        }];
    };
    // Swagger's default scheme is the one the document was served with; https is the safe guess.
    let schemes = media_list(v.get("schemes")).unwrap_or_else(|| vec!["https".to_owned()]);
    schemes
        .iter()
        .map(|scheme| Server {
            url: format!("{scheme}://{host}{base_path}"),
            description: None,
        })
        .collect()
}

fn security_schemes(v: &Value) -> Vec<SecurityScheme> {
    let Some(Value::Object(defs)) = v.get("securityDefinitions") else {
        return Vec::new();
    };
    defs.iter()
        .map(|(name, d)| {
            let kind = text(d.get("type")).unwrap_or_default();
            match kind.as_str() {
                "basic" => SecurityScheme {
                    name: name.clone(),
                    kind: "http".to_owned(),
                    scheme: Some("basic".to_owned()),
                    param_name: None,
                },
                "apiKey" => SecurityScheme {
                    name: name.clone(),
                    kind,
                    scheme: text(d.get("in")),
                    param_name: text(d.get("name")),
                },
                _ => SecurityScheme {
                    name: name.clone(),
                    kind,
                    scheme: None,
                    param_name: None,
                },
            }
        })
        .collect()
}

fn raw_parameters(r: &mut Reader, doc: DocId, pointer: &str) -> Vec<RawParam> {
    let mut out = Vec::new();
    for i in 0..parameter_count(r, doc, pointer) {
        let Some((pdoc, pptr, pd)) = r.follow(doc, join(pointer, &i.to_string())) else {
            continue;
        };
        let p = pd.value.pointer(&pptr).unwrap_or(&Value::Null);
        let here = r.loc(pdoc, &pptr);
        let Some(name) = text(p.get("name")) else {
            r.warn(here, "parameter has no name: skipped");
            continue;
        };
        let place = text(p.get("in")).unwrap_or_default();
        let location = match place.as_str() {
            "path" => ParamLocation::Path,
            "query" => ParamLocation::Query,
            "header" => ParamLocation::Header,
            // Body and form parameters are split off below; the location is a placeholder.
            "body" | "formData" => ParamLocation::Query,
            other => {
                r.warn(
                    here,
                    format!("parameter '{name}' has unknown location '{other}': skipped"),
                );
                continue;
            }
        };
        let required = location == ParamLocation::Path && place == "path"
            || reader::flag(p.get("required")).unwrap_or(false);
        let kind = match place.as_str() {
            "body" => match p.get("schema") {
                Some(_) => RawKind::Body(r.schema(pdoc, &join(&pptr, "schema"))),
                None => {
                    r.warn(
                        here.clone(),
                        format!("body parameter '{name}' has no schema: treated as unconstrained"),
                    );
                    RawKind::Body(r.synthesize(pdoc, &json!({}), &here))
                }
            },
            "formData" => RawKind::Form(schema_of(p)),
            _ => RawKind::Plain,
        };
        let schema = match &kind {
            RawKind::Plain if p.get("type").is_some() => {
                Some(r.synthesize(pdoc, &schema_of(p), &here))
            }
            RawKind::Plain => {
                let Value::Object(own) = schema_of(p) else {
                    unreachable!("schema_of makes an object")
                };
                Some(reader::untyped_parameter(r, pdoc, &name, p, own, &here))
            }
            _ => None,
        };
        let (style, explode) =
            collection_style(location, text(p.get("collectionFormat")).as_deref());
        out.push(RawParam {
            param: Parameter {
                name,
                location,
                required,
                schema,
                style,
                explode,
                description: text(p.get("description")),
                examples: example_of(p, &here),
                location_in_spec: here,
            },
            kind,
        });
    }
    out
}

/// A non-body parameter's example: `x-example`, else `example`.
fn example_of(p: &Value, here: &Location) -> Vec<Example> {
    ["x-example", "example"]
        .iter()
        .find_map(|key| {
            Some(Example {
                name: "default".to_owned(),
                value: p.get(*key)?.clone(),
                location: here.child(key),
            })
        })
        .into_iter()
        .collect()
}

/// The schema a non-body parameter or header describes with its own keywords.
fn schema_of(p: &Value) -> Value {
    let mut schema = Map::new();
    for key in SCHEMA_KEYS {
        if let Some(v) = p.get(*key) {
            schema.insert((*key).to_owned(), v.clone());
        }
    }
    Value::Object(schema)
}

/// OpenAPI 3's style and explode for Swagger's `collectionFormat`.
fn collection_style(location: ParamLocation, format: Option<&str>) -> (String, bool) {
    let default_style = match location {
        ParamLocation::Query | ParamLocation::Cookie => "form",
        ParamLocation::Path | ParamLocation::Header => "simple",
    };
    match format {
        Some("multi") => ("form".to_owned(), true),
        Some("ssv") => ("spaceDelimited".to_owned(), false),
        Some("pipes") => ("pipeDelimited".to_owned(), false),
        _ => (default_style.to_owned(), false),
    }
}

/// Splits body and form parameters off into a request body.
fn split_parameters<'a>(
    r: &mut Reader,
    doc: DocId,
    raw: impl Iterator<Item = &'a RawParam>,
    consumes: Option<Vec<String>>,
    op_location: &crate::error::Location,
) -> (Vec<Parameter>, Option<RequestBody>) {
    let mut shared_and_own: Vec<&RawParam> = Vec::new();
    // Later (operation-level) entries override earlier (path-level) ones with the same name.
    for p in raw {
        shared_and_own.retain(|q| !(q.param.name == p.param.name && same_place(q, p)));
        shared_and_own.push(p);
    }
    let mut plain = Vec::new();
    let mut body: Option<RequestBody> = None;
    let mut form_props = Map::new();
    let mut form_required = Vec::new();
    let mut has_file = false;
    for p in shared_and_own {
        match &p.kind {
            RawKind::Plain => plain.push(p.param.clone()),
            RawKind::Body(schema) => {
                let media = consumes
                    .clone()
                    .unwrap_or_else(|| vec!["application/json".to_owned()]);
                body = Some(RequestBody {
                    required: p.param.required,
                    content: media_of(media, schema),
                    location: p.param.location_in_spec.clone(),
                });
            }
            RawKind::Form(schema) => {
                has_file |= schema.get("type") == Some(&json!("file"));
                form_props.insert(p.param.name.clone(), schema.clone());
                if p.param.required {
                    form_required.push(Value::String(p.param.name.clone()));
                }
            }
        }
    }
    if body.is_none() && !form_props.is_empty() {
        let mut schema = json!({ "type": "object", "properties": form_props });
        if !form_required.is_empty() {
            schema["required"] = Value::Array(form_required.clone());
        }
        let schema = r.synthesize(doc, &schema, op_location);
        let is_form = |m: &String| m.contains("form");
        let media = consumes
            .filter(|c| c.iter().any(is_form))
            .map(|c| c.into_iter().filter(is_form).collect())
            .unwrap_or_else(|| {
                vec![if has_file {
                    "multipart/form-data".to_owned()
                } else {
                    "application/x-www-form-urlencoded".to_owned()
                }]
            });
        body = Some(RequestBody {
            required: !form_required.is_empty(),
            content: media_of(media, &schema),
            location: op_location.child("parameters"),
        });
    }
    (merge_parameters(Vec::new(), plain), body)
}

/// One media type per name in `media`, each with `schema` and no examples.
fn media_of(media: Vec<String>, schema: &SchemaRef) -> Vec<MediaType> {
    media
        .into_iter()
        .map(|name| MediaType {
            name,
            schema: Some(schema.clone()),
            examples: Vec::new(),
        })
        .collect()
}

fn same_place(a: &RawParam, b: &RawParam) -> bool {
    match (&a.kind, &b.kind) {
        (RawKind::Plain, RawKind::Plain) => a.param.location == b.param.location,
        (RawKind::Body(_), RawKind::Body(_)) | (RawKind::Form(_), RawKind::Form(_)) => true,
        _ => false,
    }
}

fn responses(r: &mut Reader, doc: DocId, pointer: &str, produces: &[String]) -> Vec<ResponseSpec> {
    let d = r.docs.doc(doc);
    let Some(value) = d.value.pointer(pointer) else {
        r.warn(r.loc(doc, pointer), "operation documents no responses");
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
        let content = match resp.get("schema") {
            Some(_) => {
                let schema = r.schema(rdoc, &join(&resp_ptr, "schema"));
                produces
                    .iter()
                    .map(|name| MediaType {
                        name: name.clone(),
                        schema: Some(schema.clone()),
                        examples: resp
                            .get("examples")
                            .and_then(|e| e.get(name.as_str()))
                            .map(|e| {
                                vec![Example {
                                    name: "default".to_owned(),
                                    value: e.clone(),
                                    location: r
                                        .loc(rdoc, &join(&join(&resp_ptr, "examples"), name)),
                                }]
                            })
                            .unwrap_or_default(),
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        let mut headers = Vec::new();
        if let Some(Value::Object(hs)) = resp.get("headers") {
            for (name, h) in hs {
                let here = r.loc(rdoc, &join(&join(&resp_ptr, "headers"), name));
                let schema = h
                    .get("type")
                    .map(|_| r.synthesize(rdoc, &schema_of(h), &here));
                headers.push(HeaderSpec {
                    name: name.clone(),
                    required: false,
                    schema,
                });
            }
        }
        out.push(ResponseSpec {
            status,
            description: text(resp.get("description")).unwrap_or_default(),
            content,
            headers,
            links: Vec::new(),
            location: r.loc(rdoc, &resp_ptr),
        });
    }
    out
}
