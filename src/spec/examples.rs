//! Examples that break their own schema: each parameter, request-body and response example is
//! validated once, when the API is loaded, by the same validators the checks use
//! ([`Schemas::validator`], in the direction of the message it belongs to). One that does not
//! fit gets a located warning (what is wrong, and which schema keyword says so) and is
//! dropped from the model, so that the generator never sends it as a valid value and the stub
//! never serves it.
//!
//! May import `error` and the rest of `spec`.

use serde_json::{json, Value};

use crate::error::Diagnostic;
use crate::spec::model::{Example, MediaType, Operation};
use crate::spec::schema::{spec_pointer, Direction, SchemaRef, Schemas};

/// How much of a validator's message a warning quotes.
const MAX_MESSAGE: usize = 200;
/// How much of the offending value it quotes.
const MAX_VALUE: usize = 60;

/// Drops the examples of `op` that do not fit their schema, with a warning for each.
pub(crate) fn vet(op: &mut Operation, schemas: &Schemas, diags: &mut Vec<Diagnostic>) {
    for p in &mut op.parameters {
        let Some(schema) = &p.schema else {
            continue;
        };
        // A parameter travels as text: judge the example as the text it is sent as, read back
        // as the schema's type (what a server, and our stub, does with it).
        p.examples.retain(|e| {
            let sent = schemas
                .get(schema)
                .map_or_else(|| e.value.clone(), |s| as_sent(schemas, s, &e.value));
            keep(e, &sent, schema, schemas, Direction::Request, diags)
        });
    }
    if let Some(body) = &mut op.request_body {
        for media in &mut body.content {
            vet_media(media, schemas, Direction::Request, diags);
        }
    }
    for response in &mut op.responses {
        for media in &mut response.content {
            vet_media(media, schemas, Direction::Response, diags);
        }
    }
}

/// Only JSON bodies are validated (by the stub and by the checks), so only their examples are
/// judged.
fn vet_media(
    media: &mut MediaType,
    schemas: &Schemas,
    direction: Direction,
    diags: &mut Vec<Diagnostic>,
) {
    let json = media.name.contains("json") || media.name == "*/*";
    let Some(schema) = media.schema.as_ref().filter(|_| json) else {
        return;
    };
    media
        .examples
        .retain(|e| keep(e, &e.value, schema, schemas, direction, diags));
}

/// Whether `value` (the example `e`, perhaps as sent) fits `schema`; a warning when not. A
/// schema that does not compile judges nothing: the example stays.
fn keep(
    e: &Example,
    value: &Value,
    schema: &SchemaRef,
    schemas: &Schemas,
    direction: Direction,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let Ok(validator) = schemas.validator(schema, direction) else {
        return true;
    };
    let Some(error) = validator.iter_errors(value).next() else {
        return true;
    };
    let at = error.instance_path().to_string();
    let at = if at.is_empty() { "/".to_owned() } else { at };
    diags.push(Diagnostic::warning(
        e.location.clone(),
        format!(
            "example '{}' does not fit its schema: {at}: {} (schema #{}): never sent or served",
            e.name,
            describe(&error),
            spec_pointer(&error.schema_path().to_string()),
        ),
    ));
    false
}

/// A parameter example as the value a reader of its text gets: scalars are sent as their
/// text and read back as the first of the schema's types the text parses as; array items
/// likewise, one by one.
fn as_sent(schemas: &Schemas, schema: &Value, example: &Value) -> Value {
    let types = schemas.types(schema);
    let text = match example {
        Value::String(s) => s.clone(),
        Value::Array(items) if types.contains(&"array") => {
            let items_schema = schemas.keyword(schema, "items");
            return Value::Array(
                items
                    .iter()
                    .map(|i| items_schema.map_or_else(|| i.clone(), |s| as_sent(schemas, s, i)))
                    .collect(),
            );
        }
        Value::Object(_) => return example.clone(),
        other => text_of(other),
    };
    for t in types {
        match t {
            "integer" => {
                if let Ok(n) = text.parse::<i64>() {
                    return json!(n);
                }
            }
            "number" => {
                if let Some(n) = text
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                {
                    return Value::Number(n);
                }
            }
            "boolean" if text == "true" || text == "false" => return json!(text == "true"),
            "null" if text == "null" => return Value::Null,
            _ => {}
        }
    }
    Value::String(text)
}

/// A value as the generator writes it into a URL or header: arrays joined with commas.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// A validator's message on one line, the offending value in it shortened when long.
fn describe(error: &jsonschema::ValidationError<'_>) -> String {
    let message = error.to_string();
    let value = error.instance().to_string();
    let message = match value.char_indices().nth(MAX_VALUE) {
        Some((cut, _)) => message.replace(&value, &format!("{}...", &value[..cut])),
        None => message,
    };
    one_line(&message)
}

/// `text` on one line, cut after [`MAX_MESSAGE`] characters.
fn one_line(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(MAX_MESSAGE) {
        Some((cut, _)) => format!("{}...", &flat[..cut]),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_a_long_message_on_a_char_boundary() {
        let long = "é".repeat(MAX_MESSAGE + 5);
        assert_eq!(one_line(&long).chars().count(), MAX_MESSAGE + 3);
        assert_eq!(one_line(" a\n b "), "a b");
    }
}
