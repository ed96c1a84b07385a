//! Picking among documented responses and media types (by the request's `Accept` too), and
//! writing values as text.
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

/// Whether a media type is XML (`application/xml`, `text/xml`, `...+xml`).
pub(super) fn is_xml(media: &str) -> bool {
    let m = essence(media);
    m == "application/xml" || m == "text/xml" || m.ends_with("+xml")
}

/// The media ranges of `Accept` headers with their weights (`q`, 1 when absent); empty when
/// the request sends none, which accepts anything.
pub(super) fn accepted(headers: &[(String, String)]) -> Vec<(String, f32)> {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("accept"))
        .flat_map(|(_, v)| v.split(','))
        .filter_map(|range| {
            let mut parts = range.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            if media.is_empty() {
                return None;
            }
            let q = parts
                .filter_map(|p| p.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
                .map_or(Some(1.0), |(_, v)| v.trim().parse::<f32>().ok())
                // A weight that is not a number is read as 0: that range accepts nothing.
                .unwrap_or(0.0);
            Some((media, q))
        })
        .collect()
}

/// The weight `accept` gives `media` (by its most specific matching range), 0 when no range
/// matches; 1 when `accept` is empty.
pub(super) fn weight(accept: &[(String, f32)], media: &str) -> f32 {
    if accept.is_empty() {
        return 1.0;
    }
    let media = essence(media);
    let (kind, _) = media.split_once('/').unwrap_or((media.as_str(), ""));
    let mut best: Option<(u8, f32)> = None;
    for (range, q) in accept {
        let specificity = if *range == media {
            3
        } else if range.strip_suffix("/*") == Some(kind) {
            2
        } else if range == "*/*" || media == "*/*" {
            1
        } else {
            continue;
        };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, *q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
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
