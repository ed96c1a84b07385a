//! `response_schema_conformance`: a JSON body validates against the schema documented for its
//! status and media type (`Direction::Response`: `writeOnly` properties are not required).
//! Documented `application/json`, any `+json` type and `*/*` count as JSON; the response does
//! when its media type is `application/json` or ends in `+json`. Every error of the body goes
//! into one failure, which points at the first.

use super::support::{body_snippet, essence, one_line, spec_pointer};
use super::{CheckCtx, Failure};
use crate::run::Exchange;
use crate::spec::{Direction, MediaType, SchemaRef};

const NAME: &str = "response_schema_conformance";

/// How many schema errors a failure lists.
const MAX_ERRORS: usize = 5;

/// Fails a JSON body that does not parse or does not validate against its documented schema.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    let Some(documented) = ctx.operation.response_for(exchange.response.status) else {
        return Ok(());
    };
    let Some(actual_type) = exchange.response.media_type().filter(|m| is_json(m)) else {
        return Ok(());
    };
    let Some((media, schema)) = pick(&documented.content, &actual_type) else {
        return Ok(());
    };
    let location = documented
        .location
        .child("content")
        .child(&media.name)
        .child("schema");
    let body: serde_json::Value = match serde_json::from_slice(&exchange.response.body) {
        Ok(body) => body,
        Err(e) => {
            return Err(Failure::new(
                NAME,
                "response body is not valid JSON",
                location,
                format!("a JSON body ({actual_type})"),
                format!("{e}, in {}", body_snippet(&exchange.response.body)),
            ))
        }
    };
    let validator = match ctx.api.schemas.validator(schema, Direction::Response) {
        Ok(v) => v,
        Err(e) => {
            return Err(Failure::new(
                NAME,
                "response schema cannot be compiled",
                location,
                "a schema the body can be validated against",
                e,
            ))
        }
    };
    let mut errors = validator.iter_errors(&body);
    let Some(first) = errors.next() else {
        return Ok(());
    };
    let mut lines = vec![describe(&first)];
    let mut more = 0;
    for e in errors {
        if lines.len() < MAX_ERRORS {
            lines.push(describe(&e));
        } else {
            more += 1;
        }
    }
    if more > 0 {
        lines.push(format!("... and {more} more"));
    }
    let mut failure = Failure::new(
        NAME,
        "response body does not match the schema",
        location,
        format!(
            "a body valid against the schema for {media_name}",
            media_name = media.name
        ),
        lines.join("\n"),
    );
    failure.schema_path = Some(spec_pointer(&first.schema_path().to_string()));
    failure.instance_path = Some(first.instance_path().to_string());
    Err(failure)
}

/// Whether a response's media type (lowercase, no parameters) is JSON.
fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.ends_with("+json")
}

/// Whether a documented media type may hold JSON.
fn documents_json(media_type: &str) -> bool {
    is_json(media_type) || media_type == "*/*"
}

/// The documented JSON media type with a schema that fits `actual` best: the same type, else a
/// `*/*`, else the first JSON one (whose mismatch `content_type_conformance` reports).
fn pick<'a>(content: &'a [MediaType], actual: &str) -> Option<(&'a MediaType, &'a SchemaRef)> {
    let candidates: Vec<(&MediaType, &SchemaRef, String)> = content
        .iter()
        .filter_map(|m| Some((m, m.schema.as_ref()?, essence(&m.name))))
        .filter(|(_, _, name)| documents_json(name))
        .collect();
    let by = |wanted: &dyn Fn(&str) -> bool| {
        candidates
            .iter()
            .find(|(_, _, name)| wanted(name))
            .map(|(m, s, _)| (*m, *s))
    };
    by(&|name| name == actual)
        .or_else(|| by(&|name| name == "*/*"))
        .or_else(|| by(&|_| true))
}

/// One schema error on one line: where in the body, and what is wrong.
fn describe(error: &jsonschema::ValidationError<'_>) -> String {
    let at = error.instance_path().to_string();
    let at = if at.is_empty() { "/".to_owned() } else { at };
    format!("{at}: {}", one_line(&error.to_string(), 160))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::table::testkit::{case, exchange, google_error, invitation, raw};

    #[test]
    fn passes_a_valid_body() {
        let case = case("classroom.invitations.create");
        assert_eq!(case.run(check, &exchange(200, invitation())), Ok(()));
        let ex = exchange(
            409,
            google_error(409, "ALREADY_EXISTS", "Requested entity already exists"),
        );
        assert_eq!(case.run(check, &ex), Ok(()));
    }

    #[test]
    fn rejects_a_body_that_breaks_the_schema() {
        let case = case("classroom.invitations.create");
        let body = json!({"id": "1", "userId": "me", "courseId": "2", "role": "PRINCIPAL"});
        let f = case.fails(check, NAME, &exchange(200, body));
        assert_eq!(f.title, "response body does not match the schema");
        assert_eq!(f.instance_path.as_deref(), Some("/role"));
        assert_eq!(
            f.schema_path.as_deref(),
            Some("/components/schemas/Invitation/properties/role/enum")
        );
        assert!(
            f.actual.starts_with("/role: \"PRINCIPAL\" is not one of"),
            "{}",
            f.actual
        );
        assert!(
            f.location
                .pointer
                .ends_with("/responses/200/content/application~1json/schema"),
            "{}",
            f.location
        );
    }

    #[test]
    fn rejects_the_wrong_google_error_code_for_the_status() {
        let case = case("classroom.invitations.create");
        let ex = exchange(
            409,
            google_error(409, "NOT_FOUND", "Requested entity was not found."),
        );
        let f = case.fails(check, NAME, &ex);
        assert_eq!(f.instance_path.as_deref(), Some("/error/status"));
        let schema_path = f.schema_path.unwrap();
        assert!(
            schema_path.starts_with("/components/responses/AlreadyExists/"),
            "{schema_path}"
        );
    }

    #[test]
    fn lists_every_error_in_one_failure_up_to_five() {
        let case = case("classroom.invitations.list");
        let items: Vec<_> = (0..8).map(|i| json!({"id": i})).collect();
        let f = case.fails(check, NAME, &exchange(200, json!({ "invitations": items })));
        let lines: Vec<&str> = f.actual.lines().collect();
        assert_eq!(lines.len(), MAX_ERRORS + 1, "{}", f.actual);
        assert!(lines[0].starts_with("/invitations/0"), "{}", f.actual);
        assert!(lines[MAX_ERRORS].starts_with("... and "), "{}", f.actual);
    }

    #[test]
    fn rejects_invalid_json() {
        let case = case("classroom.invitations.create");
        let f = case.fails(
            check,
            NAME,
            &raw(200, Some("application/json"), b"{\"id\": "),
        );
        assert_eq!(f.title, "response body is not valid JSON");
        assert!(f.actual.ends_with("in `{\"id\":`"), "{}", f.actual);
        let f = case.fails(check, NAME, &raw(200, Some("application/json"), b""));
        assert!(f.actual.ends_with("in an empty body"), "{}", f.actual);
    }

    #[test]
    fn passes_a_body_that_is_not_json() {
        let case = case("classroom.invitations.create");
        assert_eq!(
            case.run(check, &raw(200, Some("text/html"), b"<p>")),
            Ok(())
        );
        assert_eq!(case.run(check, &raw(200, None, b"<p>")), Ok(()));
    }

    #[test]
    fn validates_a_suffixed_json_type_against_the_documented_schema() {
        let case = case("classroom.invitations.create");
        let ex = raw(200, Some("application/problem+json"), br#"{"id": 1}"#);
        case.fails(check, NAME, &ex);
    }

    #[test]
    fn requires_a_read_only_property_in_a_response() {
        // `id` is readOnly and required: a response must still carry it.
        let case = case("classroom.invitations.create");
        let mut body = invitation();
        body.as_object_mut().unwrap().remove("id");
        let f = case.fails(check, NAME, &exchange(200, body));
        assert!(
            f.actual.contains("\"id\" is a required property"),
            "{}",
            f.actual
        );
    }
}
