//! Documented error codes of an operation, from its 4xx/5xx `responses` and from Google-style
//! prose in its description, merged into one list.
//!
//! May import `error` and the rest of `spec`.

use serde_json::Value;

use crate::error::Location;
use crate::spec::model::{ErrorCode, ErrorSource, ResponseSpec, StatusKey};
use crate::spec::prose;
use crate::spec::schema::Schemas;

/// The error codes of one operation.
pub(crate) fn collect(
    description: Option<&str>,
    description_location: &Location,
    responses: &[ResponseSpec],
    schemas: &Schemas,
) -> Vec<ErrorCode> {
    let mut codes: Vec<ErrorCode> = prose::parse(description.unwrap_or(""))
        .into_iter()
        .map(|p| ErrorCode {
            http_status: prose::canonical_http_status(&p.name),
            name: p.name,
            condition: p.condition,
            reasons: p.reasons,
            location: description_location.clone(),
            source: ErrorSource::Prose,
        })
        .collect();
    let mut bare: Vec<ErrorCode> = Vec::new();
    for response in responses.iter().filter(|r| r.status.is_error()) {
        let status = match response.status {
            StatusKey::Code(c) => Some(c),
            _ => None,
        };
        let named = status
            .map(|s| documented_codes(response, s, schemas))
            .unwrap_or_default();
        if named.is_empty() {
            bare.push(ErrorCode {
                name: response.status.to_string(),
                http_status: status,
                condition: response.description.trim().to_owned(),
                reasons: Vec::new(),
                location: response.location.clone(),
                source: ErrorSource::Response,
            });
            continue;
        }
        for name in named {
            if let Some(existing) = codes.iter_mut().find(|c| c.name == name) {
                existing.source = ErrorSource::Both;
                continue;
            }
            codes.push(ErrorCode {
                http_status: status,
                name,
                condition: response.description.trim().to_owned(),
                reasons: Vec::new(),
                location: response.location.clone(),
                source: ErrorSource::Response,
            });
        }
    }
    // A bare status that a named code already stands for says nothing more.
    for b in bare {
        let covered =
            b.http_status.is_some() && codes.iter().any(|c| c.http_status == b.http_status);
        if !covered {
            codes.push(b);
        } else if let Some(c) = codes
            .iter_mut()
            .find(|c| c.http_status == b.http_status && c.source == ErrorSource::Prose)
        {
            c.source = ErrorSource::Both;
        }
    }
    codes
}

/// Google codes a response documents for `status`: the values its body schema allows for
/// `error.status` (or `status`), else the codes its description names.
fn documented_codes(response: &ResponseSpec, status: u16, schemas: &Schemas) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for media in &response.content {
        let Some(schema) = media.schema.as_ref().and_then(|r| schemas.get(r)) else {
            continue;
        };
        let mut status_schemas = Vec::new();
        for error in schemas.property_all(schema, "error") {
            status_schemas.extend(schemas.property_all(error, "status"));
        }
        if status_schemas.is_empty() {
            status_schemas = schemas.property_all(schema, "status");
        }
        // Every part of an `allOf` must hold, so the allowed codes are the intersection.
        let mut allowed: Option<Vec<String>> = None;
        for s in status_schemas {
            let values = enum_values(schemas, s);
            if values.is_empty() {
                continue;
            }
            allowed = Some(match allowed {
                None => values,
                Some(prev) => prev.into_iter().filter(|v| values.contains(v)).collect(),
            });
        }
        for s in allowed.unwrap_or_default() {
            if prose::canonical_http_status(&s) == Some(status) && !found.contains(&s) {
                found.push(s);
            }
        }
    }
    if found.is_empty() {
        for word in response
            .description
            .split(|c: char| !(c.is_ascii_uppercase() || c == '_'))
            .filter(|w| w.len() > 2)
        {
            if prose::canonical_http_status(word) == Some(status)
                && !found.iter().any(|f| f == word)
            {
                found.push(word.to_owned());
            }
        }
    }
    found
}

/// The string values `schema` enumerates (through refs).
fn enum_values(schemas: &Schemas, schema: &Value) -> Vec<String> {
    schemas
        .keyword(schema, "enum")
        .and_then(Value::as_array)
        .map(|e| {
            e.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}
