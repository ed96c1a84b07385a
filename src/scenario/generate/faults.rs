//! The values coverage scenarios send: for one schema, values that break exactly one of its
//! constraints (`wrong-type`, `not-in-enum`, `below-minimum`, `above-maximum`, `too-short`,
//! `too-long`, `pattern-mismatch`, `wrong-format`), and values at its edges that must be
//! accepted (`minimum`, `maximum`, `enum-*`, `null`, `empty`). The caller keeps only those the
//! API's own validator judges as intended, so a fault the dialect does not assert (a body
//! `format` in OpenAPI 3.0) is never sent as one.
//!
//! May import `spec` and the rest of `scenario`.

use serde_json::{json, Value};

use crate::spec::Schemas;

/// Texts that break a string format, by format.
const WRONG_FORMATS: [(&str, &str); 8] = [
    ("uuid", "not-a-uuid"),
    ("date-time", "not-a-date-time"),
    ("date", "not-a-date"),
    ("email", "not-an-email"),
    ("uri", "no-scheme"),
    ("ipv4", "999.0.0.1"),
    ("ipv6", "not-an-ipv6"),
    ("hostname", "-not-a-hostname-"),
];

/// Where a value goes: a parameter is text (so only what text can break is broken), a body
/// field is JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// A path, query or header parameter.
    Param,
    /// A JSON body field.
    Body,
}

/// Values that each break one constraint of `schema`, with the fault's name; `valid` is the
/// valid value they are made from where one helps (a string cut short keeps its pattern).
pub(super) fn broken_values(
    schemas: &Schemas,
    schema: &Value,
    valid: &Value,
    place: Place,
) -> Vec<(&'static str, Value)> {
    let types = schemas.types(schema);
    if place == Place::Param && types == ["array"] {
        // A parameter array is broken through its items: `[bad]` sent as `bad`.
        let Some(items) = schemas.keyword(schema, "items") else {
            return Vec::new();
        };
        let item = valid.get(0).cloned().unwrap_or(Value::Null);
        return broken_values(schemas, items, &item, place)
            .into_iter()
            .map(|(fault, v)| (fault, json!([v])))
            .collect();
    }
    let mut out = Vec::new();
    if let Some(v) = wrong_type(&types, place) {
        out.push(("wrong-type", v));
    }
    if let Some(v) = not_in_enum(schemas, schema) {
        out.push(("not-in-enum", v));
    }
    if let Some(bound) = lower(schemas, schema) {
        out.push(("below-minimum", number(bound.outside(-1.0))));
    }
    if let Some(bound) = upper(schemas, schema) {
        out.push(("above-maximum", number(bound.outside(1.0))));
    }
    let text = valid.as_str().unwrap_or("");
    if let Some(min) = count(schemas, schema, "minLength").filter(|n| *n > 0) {
        let short: String = text
            .chars()
            .chain(std::iter::repeat('a'))
            .take(min - 1)
            .collect();
        out.push(("too-short", Value::String(short)));
    }
    if let Some(max) = count(schemas, schema, "maxLength") {
        let long: String = text
            .chars()
            .chain(std::iter::repeat('a'))
            .take(max + 1)
            .collect();
        out.push(("too-long", Value::String(long)));
    }
    if let Some(v) = pattern_mismatch(schemas, schema, text) {
        out.push(("pattern-mismatch", v));
    }
    let format = schemas.keyword(schema, "format").and_then(Value::as_str);
    if let Some((_, text)) = WRONG_FORMATS.iter().find(|(f, _)| Some(*f) == format) {
        out.push(("wrong-format", Value::String((*text).to_owned())));
    }
    out
}

/// Values at the edges of `schema` that it accepts, named: `minimum`, `maximum`, each enum
/// value (`enum-available`), and for a body field `null` where nullable and `empty` for an
/// array.
pub(super) fn boundary_values(
    schemas: &Schemas,
    schema: &Value,
    place: Place,
) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    if let Some(bound) = lower(schemas, schema) {
        out.push(("minimum".to_owned(), number(bound.inside(1.0))));
    }
    if let Some(bound) = upper(schemas, schema) {
        out.push(("maximum".to_owned(), number(bound.inside(-1.0))));
    }
    let values = schemas.keyword(schema, "enum").and_then(Value::as_array);
    let mut names: Vec<String> = Vec::new();
    for (index, v) in values.into_iter().flatten().enumerate() {
        // Google's convention: the zero value of an enum (`COURSE_ROLE_UNSPECIFIED`) is in the
        // schema but never valid input.
        if v.as_str().is_some_and(|t| t.ends_with("_UNSPECIFIED")) {
            continue;
        }
        let slug = slug(v);
        let name = if slug.is_empty() || names.contains(&slug) {
            format!("enum-{index}")
        } else {
            format!("enum-{slug}")
        };
        names.push(slug);
        out.push((name, v.clone()));
    }
    if place == Place::Body {
        let types = schemas.types(schema);
        let nullable = schemas.keyword(schema, "nullable") == Some(&Value::Bool(true));
        if nullable || types.contains(&"null") {
            out.push(("null".to_owned(), Value::Null));
        }
        let min_items = count(schemas, schema, "minItems").unwrap_or(0);
        if types.contains(&"array") && min_items == 0 {
            out.push(("empty".to_owned(), json!([])));
        }
    }
    out
}

/// A value of another type than the schema's one type, where the place can carry it.
fn wrong_type(types: &[&str], place: Place) -> Option<Value> {
    match (types, place) {
        (["integer" | "number"], _) => Some(json!("not-a-number")),
        (["boolean"], _) => Some(json!("not-a-boolean")),
        (["string"], Place::Body) => Some(json!(12345)),
        (["array"], Place::Body) => Some(json!("not-an-array")),
        (["object"], Place::Body) => Some(json!("not-an-object")),
        _ => None,
    }
}

/// A value outside an enum of strings or of numbers.
fn not_in_enum(schemas: &Schemas, schema: &Value) -> Option<Value> {
    let allowed = schemas.keyword(schema, "enum")?.as_array()?;
    if !allowed.is_empty() && allowed.iter().all(Value::is_string) {
        return Some(json!("contractor-not-in-enum"));
    }
    let numbers: Vec<f64> = allowed.iter().filter_map(Value::as_f64).collect();
    if !numbers.is_empty() && numbers.len() == allowed.len() {
        let max = numbers.iter().copied().fold(f64::MIN, f64::max);
        return Some(number(max.floor() + 1.0));
    }
    None
}

/// A numeric bound: its value, whether it is exclusive, whether the schema is an integer.
#[derive(Debug, Clone, Copy)]
struct Bound {
    at: f64,
    exclusive: bool,
    integer: bool,
}

impl Bound {
    /// The nearest value past the bound, `direction` -1 below a minimum, +1 above a maximum.
    fn outside(self, direction: f64) -> f64 {
        if self.exclusive {
            self.at
        } else if self.integer {
            self.at + direction
        } else {
            self.at + direction * 0.5
        }
    }

    /// The value on the bound, or the nearest inside it when exclusive (`direction` +1 above
    /// a minimum, -1 below a maximum).
    fn inside(self, direction: f64) -> f64 {
        match (self.exclusive, self.integer) {
            (false, _) => self.at,
            (true, true) => self.at + direction,
            (true, false) => self.at + direction * 0.5,
        }
    }
}

fn lower(schemas: &Schemas, schema: &Value) -> Option<Bound> {
    bound(schemas, schema, "minimum", "exclusiveMinimum")
}

fn upper(schemas: &Schemas, schema: &Value) -> Option<Bound> {
    bound(schemas, schema, "maximum", "exclusiveMaximum")
}

/// `minimum` (with a 3.0 boolean `exclusiveMinimum`), or a 3.1 numeric `exclusiveMinimum`.
fn bound(schemas: &Schemas, schema: &Value, inclusive: &str, exclusive: &str) -> Option<Bound> {
    let types = schemas.types(schema);
    if !matches!(types.as_slice(), ["integer" | "number"]) {
        return None;
    }
    let integer = types == ["integer"];
    let flag = schemas.keyword(schema, exclusive);
    if let Some(at) = flag.and_then(Value::as_f64) {
        return Some(Bound {
            at,
            exclusive: true,
            integer,
        });
    }
    let at = schemas.keyword(schema, inclusive)?.as_f64()?;
    Some(Bound {
        at,
        exclusive: flag == Some(&Value::Bool(true)),
        integer,
    })
}

fn count(schemas: &Schemas, schema: &Value, keyword: &str) -> Option<usize> {
    let n = schemas.keyword(schema, keyword)?.as_u64()?;
    usize::try_from(n).ok().filter(|n| *n < 10_000)
}

/// A string that does not match the schema's pattern: the valid one with a character that
/// rarely fits a pattern put after it, before it, or alone.
fn pattern_mismatch(schemas: &Schemas, schema: &Value, valid: &str) -> Option<Value> {
    let pattern = schemas.keyword(schema, "pattern")?.as_str()?;
    let matcher = schemas.compile_standalone(&json!({ "pattern": pattern }))?;
    [
        format!("{valid}~!"),
        format!("~!{valid}"),
        "~!".to_owned(),
        String::new(),
        " ".to_owned(),
    ]
    .into_iter()
    .map(Value::String)
    .find(|v| !matcher.is_valid(v))
}

fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        return Value::from(x as i64);
    }
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// A value as an id-friendly word: lowercase letters, digits and `-`, at most 24 characters.
fn slug(v: &Value) -> String {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(24).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_values_for_ids() {
        assert_eq!(slug(&json!("Sold Out!")), "sold-out");
        assert_eq!(slug(&json!(-3)), "3");
        assert_eq!(slug(&json!("")), "");
    }

    #[test]
    fn bounds_step_past_and_onto_their_edge() {
        let b = Bound {
            at: 10.0,
            exclusive: false,
            integer: true,
        };
        assert_eq!((b.outside(1.0), b.inside(-1.0)), (11.0, 10.0));
        let e = Bound {
            exclusive: true,
            ..b
        };
        assert_eq!((e.outside(1.0), e.inside(-1.0)), (10.0, 9.0));
    }
}
