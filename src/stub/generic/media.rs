//! Picking among documented responses and media types, and writing values as text.
//!
//! May import `spec`.

use serde_json::Value;

use crate::spec::{MediaType, Operation, ResponseSpec, StatusKey};

/// The lowest documented 2xx, else a `2XX` range (as 200), else the lowest documented 3xx but
/// `304` (an operation that answers with a redirect), else `default` (as 200).
pub(super) fn success_response(op: &Operation) -> Option<(u16, &ResponseSpec)> {
    op.successes()
        .into_iter()
        .next()
        .or_else(|| {
            op.responses
                .iter()
                .filter_map(|r| match r.status {
                    StatusKey::Code(c) if (300..400).contains(&c) && c != 304 => Some((c, r)),
                    _ => None,
                })
                .min_by_key(|(c, _)| *c)
        })
        .or_else(|| {
            op.responses
                .iter()
                .find(|r| r.status == StatusKey::Default)
                .map(|r| (200, r))
        })
}

/// A media type without its parameters, in lower case (`application/json; charset=utf-8` is
/// `application/json`).
pub(super) fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Whether a media type is JSON (or `*/*`, which takes JSON).
pub(super) fn is_json(media: &str) -> bool {
    let m = essence(media);
    m == "application/json" || m.ends_with("+json") || m == "*/*"
}

/// JSON first, then whatever is documented first.
pub(super) fn preferred_media(content: &[MediaType]) -> Option<&MediaType> {
    content
        .iter()
        .find(|m| is_json(&m.name))
        .or_else(|| content.first())
}

pub(super) fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
