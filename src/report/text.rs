//! The plain-text failure block.

use std::fmt::Write as _;

use crate::check::Failure;
use crate::run::Exchange;

/// Header names whose values are secrets.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "api-key",
    "api_key",
    "x-auth-token",
];

/// A header value as reports show it: secrets keep only their scheme (`Bearer ***`).
pub fn mask_header(name: &str, value: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let secret = SECRET_HEADERS.contains(&lower.as_str())
        || lower.contains("token")
        || lower.contains("secret")
        || lower.contains("key");
    if !secret {
        return value.to_owned();
    }
    match value.split_once(' ') {
        Some((scheme, _)) if lower.contains("authorization") => format!("{scheme} ***"),
        _ => "***".to_owned(),
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A `curl` command that reproduces the request, secrets masked.
pub fn curl(exchange: &Exchange) -> String {
    let r = &exchange.request;
    let mut out = format!("curl -X {} {}", r.method, quote(&super::mask_url(&r.url)));
    for (k, v) in &r.headers {
        out.push_str(&format!(
            " -H {}",
            quote(&format!("{k}: {}", mask_header(k, v)))
        ));
    }
    if let Some(body) = &r.body {
        out.push_str(&format!(
            " --data-raw {}",
            quote(&String::from_utf8_lossy(body))
        ));
    }
    out
}

/// One failure as a block of text.
pub fn render_failure(failure: &Failure, exchange: Option<&Exchange>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", failure.check, failure.title);
    let _ = writeln!(out, "  --> {}", failure.location);
    if let Some(e) = exchange {
        let _ = writeln!(
            out,
            "  {} {}",
            e.request.method,
            super::mask_url(&e.request.url)
        );
    }
    let _ = writeln!(out, "  expected: {}", failure.expected);
    let _ = writeln!(out, "  actual:   {}", failure.actual);
    if let Some(p) = &failure.schema_path {
        let _ = writeln!(out, "  schema:   {p}");
    }
    if let Some(p) = &failure.instance_path {
        let _ = writeln!(out, "  at:       {p}");
    }
    if let Some(e) = exchange {
        let body = String::from_utf8_lossy(&e.response.body);
        let shown: String = body.chars().take(400).collect();
        if !shown.is_empty() {
            let more = if body.chars().count() > 400 {
                " ..."
            } else {
                ""
            };
            let _ = writeln!(out, "  body:     {shown}{more}");
        }
        let _ = writeln!(out, "  {}", curl(e));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::SentRequest;

    #[test]
    fn curl_masks_credentials() {
        let e = Exchange {
            request: SentRequest {
                method: "GET".into(),
                url: "http://127.0.0.1:1/v1/x".into(),
                headers: vec![
                    ("authorization".into(), "Bearer secret-token".into()),
                    ("x-api-key".into(), "k".into()),
                    ("accept".into(), "application/json".into()),
                ],
                body: None,
            },
            ..Exchange::default()
        };
        let c = curl(&e);
        assert!(!c.contains("secret-token") && !c.contains(": k'"), "{c}");
        assert!(
            c.contains("Bearer ***") && c.contains("accept: application/json"),
            "{c}"
        );
    }
}
