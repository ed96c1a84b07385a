//! `content_type_conformance`: a non-empty body comes with a media type documented for its
//! status. Parameters are ignored (`application/json; charset=UTF-8` is `application/json`);
//! documented wildcards (`application/*`, `*/*`) match; nothing else does (no `+json` guessing).

use super::support::{body_snippet, essence};
use super::{CheckCtx, Failure};
use crate::run::Exchange;
use crate::spec::MediaType;

const NAME: &str = "content_type_conformance";

/// Fails a body whose Content-Type is missing or not documented for the status.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    let Some(documented) = ctx.operation.response_for(exchange.response.status) else {
        return Ok(());
    };
    if documented.content.is_empty() || exchange.response.body.is_empty() {
        return Ok(());
    }
    let expected = format!("one of {}", names(&documented.content));
    let location = documented.location.child("content");
    let Some(header) = exchange.response.header("content-type") else {
        return Err(Failure::new(
            NAME,
            "missing content-type",
            location,
            expected,
            format!(
                "no Content-Type header, with {}",
                body_snippet(&exchange.response.body)
            ),
        ));
    };
    let actual = essence(header);
    if documented
        .content
        .iter()
        .any(|m| matches(&essence(&m.name), &actual))
    {
        return Ok(());
    }
    Err(Failure::new(
        NAME,
        format!("undocumented content type {actual}"),
        location,
        expected,
        format!("Content-Type: {header}"),
    ))
}

/// Whether a documented media type (`application/*`) covers an actual one (`application/json`),
/// both already lowercase and without parameters.
fn matches(documented: &str, actual: &str) -> bool {
    if documented == actual || documented == "*/*" || documented == "*" {
        return true;
    }
    match (documented.split_once('/'), actual.split_once('/')) {
        (Some((dtype, "*")), Some((atype, _))) => dtype == atype,
        _ => false,
    }
}

fn names(content: &[MediaType]) -> String {
    let names: Vec<&str> = content.iter().map(|m| m.name.as_str()).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::table::testkit::{case, exchange, invitation, raw};

    #[test]
    fn passes_json_with_a_charset() {
        let case = case("classroom.invitations.create");
        assert_eq!(case.run(check, &exchange(200, invitation())), Ok(()));
        let ex = raw(200, Some("Application/JSON"), b"{}");
        assert_eq!(case.run(check, &ex), Ok(()));
    }

    #[test]
    fn rejects_an_undocumented_content_type() {
        let case = case("classroom.invitations.create");
        let f = case.fails(
            check,
            NAME,
            &raw(200, Some("text/html; charset=utf-8"), b"<p>hi</p>"),
        );
        assert_eq!(f.title, "undocumented content type text/html");
        assert_eq!(f.expected, "one of application/json");
        assert_eq!(f.actual, "Content-Type: text/html; charset=utf-8");
        assert!(
            f.location.pointer.ends_with("/responses/200/content"),
            "{}",
            f.location
        );
    }

    #[test]
    fn rejects_a_body_without_content_type() {
        let case = case("classroom.invitations.create");
        let f = case.fails(check, NAME, &raw(200, None, b"{}"));
        assert_eq!(f.title, "missing content-type");
        assert_eq!(f.actual, "no Content-Type header, with `{}`");
    }

    #[test]
    fn passes_an_empty_body_or_an_undocumented_status() {
        let case = case("classroom.invitations.create");
        assert_eq!(case.run(check, &raw(200, None, b"")), Ok(()));
        assert_eq!(
            case.run(check, &raw(418, Some("text/plain"), b"teapot")),
            Ok(())
        );
    }

    #[test]
    fn matches_wildcards_but_not_suffixes() {
        assert!(matches("*/*", "text/html"));
        assert!(matches("application/*", "application/xml"));
        assert!(!matches("application/*", "text/xml"));
        assert!(!matches("application/json", "application/problem+json"));
        assert!(!matches("application/json", "text/json"));
    }
}
