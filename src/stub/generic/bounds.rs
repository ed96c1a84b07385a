//! The range an integer `format` implies: `int32` and `int64` are fixed-width integers, so a
//! value outside their width is as invalid as one past a `maximum`, though JSON Schema leaves
//! `format` unchecked on numbers. A server parsing into an `i32` refuses `2147483648`; so does
//! the stub.
//!
//! May import `spec`.

use serde_json::Value;

use crate::spec::Api;

/// How deep the walk goes before it stops looking (a recursive schema with a deep value).
const MAX_DEPTH: usize = 64;

/// The first integer in `value` outside the width its schema's `format` (`int32`, `int64`)
/// gives it, as `(instance path, text)`. Objects, arrays, `allOf` and `$ref` are followed;
/// under `anyOf`/`oneOf` a value is out of range only when it is so under every branch.
pub(super) fn out_of_range(api: &Api, schema: &Value, value: &Value) -> Option<(String, String)> {
    walk(api, schema, value, String::new(), 0)
}

fn walk(
    api: &Api,
    schema: &Value,
    value: &Value,
    at: String,
    depth: usize,
) -> Option<(String, String)> {
    if depth > MAX_DEPTH {
        return None;
    }
    let schema = api.schemas.resolve(schema);
    let schemas = &api.schemas;
    if let (Some(format), Value::Number(n)) = (schema.get("format").and_then(Value::as_str), value)
    {
        if !fits_width(format, n) {
            return Some((at, format!("{n} does not fit \"{format}\"")));
        }
    }
    if let Some(Value::Array(parts)) = schema.get("allOf") {
        for part in parts {
            if let Some(found) = walk(api, part, value, at.clone(), depth + 1) {
                return Some(found);
            }
        }
    }
    for keyword in ["anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = schema.get(keyword) {
            let mut found = None;
            for branch in branches {
                match walk(api, branch, value, at.clone(), depth + 1) {
                    None => {
                        found = None;
                        break;
                    }
                    Some(problem) => found = found.or(Some(problem)),
                }
            }
            if found.is_some() {
                return found;
            }
        }
    }
    match value {
        Value::Object(fields) => {
            for (name, field) in fields {
                let property = schemas.property(schema, name).or_else(|| {
                    schema
                        .get("additionalProperties")
                        .filter(|extra| extra.is_object())
                });
                if let Some(property) = property {
                    let path = format!("{at}/{name}");
                    if let Some(found) = walk(api, property, field, path, depth + 1) {
                        return Some(found);
                    }
                }
            }
        }
        Value::Array(items) => {
            let item_schema = schema.get("items");
            for (i, item) in items.iter().enumerate() {
                let each = match item_schema {
                    Some(Value::Array(tuple)) => tuple.get(i),
                    other => other,
                };
                if let Some(each) = each {
                    if let Some(found) = walk(api, each, item, format!("{at}/{i}"), depth + 1) {
                        return Some(found);
                    }
                }
            }
        }
        _ => {}
    }
    None
}

/// Whether the number `n` fits the integer `format` (any other format: yes). A number that
/// is not integral is left to the schema's `type`.
fn fits_width(format: &str, n: &serde_json::Number) -> bool {
    let (low, high) = match format {
        "int32" => (i64::from(i32::MIN), i64::from(i32::MAX)),
        "int64" => (i64::MIN, i64::MAX),
        _ => return true,
    };
    if let Some(i) = n.as_i64() {
        return (low..=high).contains(&i);
    }
    if n.as_u64().is_some() {
        return false; // above i64::MAX
    }
    // serde_json reads an integer literal as a float only when it overflows 64 bits (or is
    // written with a fraction or exponent): an integral float at or past 2^63 is out.
    match n.as_f64() {
        Some(f) if f.is_finite() && f.fract() == 0.0 => {
            f.abs() < 9_223_372_036_854_775_808.0 && f >= low as f64 && f <= high as f64
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> serde_json::Number {
        serde_json::from_str(text).expect("a number")
    }

    #[test]
    fn int32_and_int64_widths_are_bounds() {
        assert!(fits_width("int32", &number("2147483647")));
        assert!(!fits_width("int32", &number("2147483648")));
        assert!(!fits_width("int32", &number("-2147483649")));
        assert!(fits_width("int64", &number("-9223372036854775808")));
        assert!(!fits_width("int64", &number("9223372036854775808")));
        assert!(!fits_width("int64", &number("-9223372036854775809")));
        assert!(fits_width("int64", &number("1.5")), "left to `type`");
        assert!(fits_width("float", &number("1e300")));
    }
}
