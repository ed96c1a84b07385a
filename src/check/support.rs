//! Small helpers the checks share: where to point a failure, and how to quote a body.

use crate::error::Location;
use crate::run::Exchange;

use super::CheckCtx;

/// Where the response documented for the exchange's status is, else the operation.
pub fn response_or_operation(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Location {
    ctx.operation
        .response_for(exchange.response.status)
        .map_or_else(|| ctx.operation.location.clone(), |r| r.location.clone())
}

/// The statuses documented for the operation: `200, 4XX, default`, then prose-only ones.
pub fn documented_statuses(ctx: &CheckCtx<'_>) -> String {
    let keys = ctx.operation.documented_statuses();
    if keys.is_empty() {
        "none".to_owned()
    } else {
        keys.join(", ")
    }
}

/// At most `max` characters of `text` on one line, with `...` when cut.
pub fn one_line(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = flat.trim();
    match flat.char_indices().nth(max) {
        Some((cut, _)) => format!("{}...", &flat[..cut]),
        None => flat.to_owned(),
    }
}

/// The body, quoted for a one-line `actual:` (lossy for bytes that are not UTF-8).
pub fn body_snippet(body: &[u8]) -> String {
    if body.is_empty() {
        return "an empty body".to_owned();
    }
    format!("`{}`", one_line(&String::from_utf8_lossy(body), 120))
}

/// Lowercase media type without parameters (`application/json; charset=UTF-8` is
/// `application/json`).
pub fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

pub use crate::spec::spec_pointer;

/// The query of a URL as percent-decoded pairs (`+` is a space), in order.
pub fn query_pairs(url: &str) -> Vec<(String, String)> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let query = query.split('#').next().unwrap_or("");
    let decode = |s: &str| crate::spec::percent_decode(&s.replace('+', " "));
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((n, v)) => (decode(n), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// The path of a URL, without query or fragment.
pub fn url_path(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    path.split(['?', '#']).next().unwrap_or("")
}

/// Where a probed field is defined: the parameter (`query.limit`, `header.X-Api-Key`,
/// `path.petId`), the request body (`body`, `body.name`), else the operation.
pub fn field_location(ctx: &CheckCtx<'_>, field: &str) -> Location {
    let op = ctx.operation;
    let (place, name) = field.split_once('.').unwrap_or((field, ""));
    if place == "body" {
        return op
            .request_body
            .as_ref()
            .map_or_else(|| op.location.clone(), |b| b.location.clone());
    }
    op.parameters
        .iter()
        .find(|p| p.location.as_str() == place && p.name.eq_ignore_ascii_case(name))
        .map_or_else(|| op.location.clone(), |p| p.location_in_spec.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_long_text_on_a_char_boundary() {
        assert_eq!(one_line("héllo\nworld", 3), "hél...");
        assert_eq!(one_line("  short  ", 10), "short");
    }

    #[test]
    fn maps_bundle_paths_of_the_root_document_to_spec_pointers() {
        assert_eq!(
            spec_pointer("/s/d0~1components~1schemas~1Invitation/properties/role/enum"),
            "/components/schemas/Invitation/properties/role/enum"
        );
        assert_eq!(
            spec_pointer(
                "/s/d0~1paths~1~01v1~01x~1get~1responses~1200~1content~1application~01json~1schema/type"
            ),
            "/paths/~1v1~1x/get/responses/200/content/application~1json/schema/type"
        );
        assert_eq!(spec_pointer("/s/d1~1Pet/type"), "/s/d1~1Pet/type");
        assert_eq!(spec_pointer("/s/synthetic~10/type"), "/s/synthetic~10/type");
    }

    #[test]
    fn strips_media_type_parameters() {
        assert_eq!(
            essence("Application/JSON; charset=UTF-8"),
            "application/json"
        );
    }
}
