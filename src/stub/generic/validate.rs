//! Checking a request against its operation: credentials for the security requirements,
//! required parameters (path, query, header, cookie), parameter text read as its schema's type
//! and validated, and the body, of a media type the operation declares (else 415), read as
//! JSON, a form or XML and validated against the schema of its media type. Integers are held
//! to the width their `format` (`int32`, `int64`) gives them.
//!
//! May import `spec` and the rest of `stub`.

use serde_json::{json, Value};

use super::bounds::out_of_range;
use super::media::{essence, is_json, is_xml};
use super::stub::SpecStub;
use super::xml;
use crate::spec::{Api, Direction, MediaType, Operation, ParamLocation, SecurityScheme};
use crate::stub::http::decode_query;
use crate::stub::StubRequest;

/// Why a request is refused.
#[derive(Debug)]
pub(super) enum Refusal {
    /// Malformed or invalid: a 400 (or the 422 the operation documents instead).
    Invalid(String),
    /// A body of a media type the operation does not declare: 415.
    UnsupportedMediaType(String),
}

impl From<String> for Refusal {
    fn from(problem: String) -> Refusal {
        Refusal::Invalid(problem)
    }
}

impl SpecStub {
    /// Whether some security alternative of `op` is satisfied by the request's credentials:
    /// each scheme's credential is there, and is one the stub issued when it knows which.
    pub(super) fn authorize(&self, op: &Operation, request: &StubRequest) -> Result<(), String> {
        if op.security.is_empty() || op.security.iter().any(Vec::is_empty) {
            return Ok(());
        }
        let mut wrong = false;
        let satisfied = op.security.iter().any(|alternative| {
            alternative.iter().all(|(name, _)| {
                let Some(scheme) = self.api.security_schemes.iter().find(|s| &s.name == name)
                else {
                    return true;
                };
                match presented(scheme, request) {
                    None => false,
                    Some(_) if self.issued.is_empty() => true,
                    Some(token) => {
                        let known = self.issued.iter().any(|t| t == token);
                        wrong |= !known;
                        known
                    }
                }
            })
        });
        match (satisfied, wrong) {
            (true, _) => Ok(()),
            (false, true) => Err("the credentials are not ones the stub issued".to_owned()),
            (false, false) => {
                Err("no credentials satisfy the operation's security requirements".to_owned())
            }
        }
    }

    /// Whether the request presents, for one of `op`'s security schemes, a credential the stub
    /// issued without rights ([`SpecStub::without_rights`]).
    pub(super) fn lacks_rights(&self, op: &Operation, request: &StubRequest) -> bool {
        if self.unprivileged.is_empty() || !op.needs_credentials() {
            return false;
        }
        op.security.iter().flatten().any(|(name, _)| {
            self.api
                .security_schemes
                .iter()
                .find(|s| &s.name == name)
                .and_then(|scheme| presented(scheme, request))
                .is_some_and(|token| self.unprivileged.iter().any(|t| t == token))
        })
    }

    /// A form body (`a=1&b=x`) as the object its schema describes: each field read as its
    /// property's type, as a query parameter is.
    fn form_value(&self, media: &MediaType, body: &[u8]) -> Value {
        let mut fields: Vec<(String, Vec<String>)> = Vec::new();
        for (name, value) in decode_query(&String::from_utf8_lossy(body)) {
            match fields.iter_mut().find(|(n, _)| *n == name) {
                Some((_, values)) => values.push(value),
                None => fields.push((name, vec![value])),
            }
        }
        let schema = media.schema.as_ref().and_then(|s| self.api.schemas.get(s));
        // A form writes an empty array by leaving the field out.
        if let Some(schema) = schema {
            for name in self.api.schemas.required(schema) {
                let array = self
                    .api
                    .schemas
                    .property(schema, name)
                    .is_some_and(|p| self.api.schemas.types(p) == ["array"]);
                if array && !fields.iter().any(|(n, _)| n == name) {
                    fields.push((name.to_owned(), Vec::new()));
                }
            }
        }
        let object = fields
            .into_iter()
            .map(|(name, values)| {
                let raw: Vec<&str> = values.iter().map(String::as_str).collect();
                let value = match schema.and_then(|s| self.api.schemas.property(s, &name)) {
                    Some(property) => coerce(&self.api, property, &raw, true),
                    None => Value::String(values.join(",")),
                };
                (name, value)
            })
            .collect();
        Value::Object(object)
    }

    /// Whether the request's parameters and body are valid for `op`; the first problem.
    pub(super) fn validate(
        &self,
        op: &Operation,
        path_params: &[(String, String)],
        request: &StubRequest,
    ) -> Result<(), Refusal> {
        self.validate_params(op, path_params, request)?;
        self.validate_body(op, request)
    }

    /// Whether every required parameter is there and every parameter fits its schema.
    fn validate_params(
        &self,
        op: &Operation,
        path_params: &[(String, String)],
        request: &StubRequest,
    ) -> Result<(), String> {
        for p in &op.parameters {
            let raw: Vec<&str> = match p.location {
                ParamLocation::Path => path_params
                    .iter()
                    .filter(|(n, _)| n == &p.name)
                    .map(|(_, v)| v.as_str())
                    .collect(),
                ParamLocation::Query => request
                    .query
                    .iter()
                    .filter(|(n, _)| n == &p.name)
                    .map(|(_, v)| v.as_str())
                    .collect(),
                ParamLocation::Header => {
                    if ["accept", "content-type", "authorization"]
                        .contains(&p.name.to_ascii_lowercase().as_str())
                    {
                        continue;
                    }
                    request
                        .headers
                        .iter()
                        .filter(|(n, _)| n.eq_ignore_ascii_case(&p.name))
                        .map(|(_, v)| v.as_str())
                        .collect()
                }
                ParamLocation::Cookie => cookies(request)
                    .filter(|(n, _)| *n == p.name)
                    .map(|(_, v)| v)
                    .collect(),
            };
            if raw.is_empty() {
                if p.required {
                    return Err(format!(
                        "missing required {} parameter '{}'",
                        p.location.as_str(),
                        p.name
                    ));
                }
                continue;
            }
            let Some(schema_ref) = &p.schema else {
                continue;
            };
            let Some(schema) = self.api.schemas.get(schema_ref) else {
                continue;
            };
            let value = coerce(&self.api, schema, &raw, p.explode);
            let validator = self.api.schemas.validator(schema_ref, Direction::Request)?;
            let problem = validator
                .iter_errors(&value)
                .next()
                .map(|e| format!("{} parameter '{}': {e}", p.location.as_str(), p.name));
            if let Some(problem) = problem {
                return Err(problem);
            }
            if let Some((_, problem)) = out_of_range(&self.api, schema, &value) {
                return Err(format!(
                    "{} parameter '{}': {problem}",
                    p.location.as_str(),
                    p.name
                ));
            }
            // OpenAPI 3.0 and Swagger 2.0 schemas leave formats unchecked; a parameter's
            // format is checked all the same, as servers parse them.
            let format = self.api.schemas.keyword(schema, "format");
            if let Some(format) = format.and_then(Value::as_str) {
                if !self.api.schemas.fits_format(format, &value) {
                    return Err(format!(
                        "{} parameter '{}': {value} is not a \"{format}\"",
                        p.location.as_str(),
                        p.name
                    ));
                }
            }
        }
        Ok(())
    }

    /// Whether the request body is there when required, of a documented media type, and
    /// (for JSON, forms and XML) valid against its schema.
    fn validate_body(&self, op: &Operation, request: &StubRequest) -> Result<(), Refusal> {
        let Some(body) = &op.request_body else {
            return Ok(());
        };
        if request.body.is_empty() {
            return if body.required {
                Err(Refusal::Invalid("missing required request body".to_owned()))
            } else {
                Ok(())
            };
        }
        let content_type = request.header("content-type").unwrap_or("application/json");
        let Some(media) = pick_media(&body.content, content_type) else {
            return Err(Refusal::UnsupportedMediaType(format!(
                "request content type '{content_type}' is not one the operation declares"
            )));
        };
        let kind = essence(&media.name);
        let schema = media.schema.as_ref().and_then(|s| self.api.schemas.get(s));
        let value: Value = if kind == "application/x-www-form-urlencoded" {
            self.form_value(media, &request.body)
        } else if is_json(&media.name) {
            serde_json::from_slice(&request.body)
                .map_err(|e| format!("request body is not JSON: {e}"))?
        } else if is_xml(&media.name) {
            xml::read(&self.api, schema, &request.body)?
        } else {
            // Other bodies (multipart, text, binary) are taken as they come: the stub does not
            // parse them.
            return Ok(());
        };
        if let Some(schema_ref) = &media.schema {
            let validator = self.api.schemas.validator(schema_ref, Direction::Request)?;
            let problem = validator
                .iter_errors(&value)
                .next()
                .map(|e| format!("request body at '{}': {e}", e.instance_path()));
            if let Some(problem) = problem {
                return Err(Refusal::Invalid(problem));
            }
        }
        if let Some((at, problem)) = schema.and_then(|s| out_of_range(&self.api, s, &value)) {
            return Err(Refusal::Invalid(format!(
                "request body at '{at}': {problem}"
            )));
        }
        Ok(())
    }
}

/// The cookies a request sends, as `(name, value)`, from every `Cookie` header; a value in
/// double quotes is read without them (RFC 6265).
fn cookies(request: &StubRequest) -> impl Iterator<Item = (&str, &str)> {
    request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
        .flat_map(|(_, v)| v.split(';'))
        .filter_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            Some((name.trim(), value))
        })
}

/// The credential a request presents for `scheme`, without its auth-scheme word (`Bearer`,
/// `Basic`): `None` when it presents none.
fn presented<'a>(scheme: &SecurityScheme, request: &'a StubRequest) -> Option<&'a str> {
    let without_word = |value: &'a str| match value.split_once(' ') {
        Some((_, token)) => token.trim(),
        None => value,
    };
    match (scheme.kind.as_str(), scheme.scheme.as_deref()) {
        ("apiKey", Some("query")) => request.query_param(scheme.param_name.as_deref()?),
        ("apiKey", Some("cookie")) => {
            let name = scheme.param_name.as_deref()?;
            cookies(request).find_map(|(k, v)| (k == name).then_some(v))
        }
        ("apiKey", _) => {
            let name = scheme.param_name.as_deref()?;
            let value = request.header(name)?;
            Some(if name.eq_ignore_ascii_case("authorization") {
                without_word(value)
            } else {
                value
            })
        }
        ("http", Some(s)) => {
            let value = request.header("authorization")?;
            value
                .to_ascii_lowercase()
                .starts_with(&s.to_ascii_lowercase())
                .then(|| without_word(value))
        }
        _ => request.header("authorization").map(without_word),
    }
}

/// The declared media type a request body of `content_type` is read as: the same type, else
/// a declared range that covers it (`*/*`, `text/*`), else for a JSON type a declared JSON
/// type (`application/merge-patch+json` read as `application/json`). `None`: 415.
fn pick_media<'a>(content: &'a [MediaType], content_type: &str) -> Option<&'a MediaType> {
    let wanted = essence(content_type);
    let (kind, _) = wanted.split_once('/').unwrap_or((wanted.as_str(), ""));
    content
        .iter()
        .find(|m| essence(&m.name) == wanted)
        .or_else(|| {
            content.iter().find(|m| {
                let declared = essence(&m.name);
                declared == "*/*" || declared.strip_suffix("/*") == Some(kind)
            })
        })
        .or_else(|| {
            if is_json(&wanted) && wanted != "*/*" {
                content.iter().find(|m| is_json(&m.name))
            } else {
                None
            }
        })
}

/// A parameter's raw text as the JSON value its schema expects.
pub(super) fn coerce(api: &Api, schema: &Value, raw: &[&str], explode: bool) -> Value {
    let types = api.schemas.types(schema);
    if types.contains(&"array") {
        let parts: Vec<&str> = if explode || raw.len() > 1 {
            raw.to_vec()
        } else {
            raw.first()
                .map(|r| r.split(',').collect())
                .unwrap_or_default()
        };
        // `name=` is how form style writes an empty array.
        let parts: Vec<&str> = if parts == [""] { Vec::new() } else { parts };
        let items = api.schemas.keyword(schema, "items").unwrap_or(&Value::Null);
        return Value::Array(
            parts
                .iter()
                .map(|p| coerce(api, items, &[p], false))
                .collect(),
        );
    }
    let text = raw.first().copied().unwrap_or("");
    for t in &types {
        match *t {
            "integer" => {
                if let Ok(n) = text.parse::<i64>() {
                    return json!(n);
                }
                // An integer past 64 bits is still an integer where no `format` bounds it
                // (JSON Schema's integers have no width); `bounds` refuses it where one does.
                let digits = text.strip_prefix('-').unwrap_or(text);
                if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                    if let Ok(n) = serde_json::from_str::<serde_json::Number>(text) {
                        return Value::Number(n);
                    }
                }
            }
            "number" => {
                if let Ok(n) = text.parse::<f64>() {
                    if let Some(n) = serde_json::Number::from_f64(n) {
                        return Value::Number(n);
                    }
                }
            }
            "boolean" => match text {
                "true" => return json!(true),
                "false" => return json!(false),
                _ => {}
            },
            "null" if text == "null" => return Value::Null,
            // An object in a form field (or a parameter with content) is JSON, as OpenAPI's
            // Encoding Object has it by default.
            "object" => {
                if let Ok(object @ Value::Object(_)) = serde_json::from_str(text) {
                    return object;
                }
            }
            _ => {}
        }
    }
    Value::String(text.to_owned())
}
