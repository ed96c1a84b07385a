//! `error_code_conformance`: when the step expects a Google error code (`ALREADY_EXISTS`) or a
//! request error (`CourseNotModifiable`), Google's error body
//! `{"error": {"code", "message", "status"}}` carries them: `error.status` is the code and
//! `error.message` starts with `@Reason `. Whatever the step expects, a Google error body's
//! numeric `error.code` is the HTTP status it came with. Without an expectation, other APIs'
//! error bodies are left to `response_schema_conformance`.

use serde_json::Value;

use super::support::{body_snippet, one_line, response_or_operation};
use super::{CheckCtx, Failure};
use crate::run::Exchange;

const NAME: &str = "error_code_conformance";

/// Fails an error body without the expected code or request error.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    numeric_code(ctx, exchange)?;
    let code = ctx.expect.error_code.as_deref();
    let reason = ctx.expect.reason.as_deref();
    let wanted = match (code, reason) {
        (None, None) => return Ok(()),
        (Some(c), Some(r)) => format!("a Google error body with status {c} and reason @{r}"),
        (Some(c), None) => format!("a Google error body with status {c}"),
        (None, Some(r)) => format!("a Google error body with reason @{r}"),
    };
    let fail = |title: String, expected: String, actual: String| {
        Failure::new(
            NAME,
            title,
            response_or_operation(ctx, exchange),
            expected,
            actual,
        )
    };
    let body = exchange.response.json();
    let Some(error) = body
        .as_ref()
        .and_then(|b| b.get("error"))
        .filter(|e| e.is_object())
    else {
        let actual = if body.is_some() {
            format!(
                "no `error` object in {}",
                body_snippet(&exchange.response.body)
            )
        } else {
            format!(
                "a body that is not JSON: {}",
                body_snippet(&exchange.response.body)
            )
        };
        return Err(fail("missing Google error body".to_owned(), wanted, actual));
    };
    if let Some(code) = code {
        match error.get("status") {
            Some(Value::String(got)) if got == code => {}
            Some(Value::String(got)) => {
                return Err(fail(
                    format!("unexpected error code {got}"),
                    format!("error.status {code}"),
                    format!("error.status {got}"),
                ))
            }
            other => {
                return Err(fail(
                    "missing error code".to_owned(),
                    format!("error.status {code}"),
                    match other {
                        None => "no error.status".to_owned(),
                        Some(v) => format!("error.status {v}"),
                    },
                ))
            }
        }
    }
    if let Some(reason) = reason {
        let prefix = format!("@{reason} ");
        let message = error.get("message").and_then(Value::as_str);
        if !message.is_some_and(|m| m.starts_with(&prefix)) {
            return Err(fail(
                format!("missing request error @{reason}"),
                format!("error.message starting with \"{prefix}\""),
                match message {
                    Some(m) => format!("error.message \"{}\"", one_line(m, 120)),
                    None => "no error.message".to_owned(),
                },
            ));
        }
    }
    Ok(())
}

/// Fails a Google error body whose numeric `error.code` is not the HTTP status.
fn numeric_code(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    let status = exchange.response.status;
    let body = exchange.response.json();
    let Some(code) = body
        .as_ref()
        .and_then(|b| b.get("error"))
        .filter(|e| e.is_object())
        .and_then(|e| e.get("code"))
        .and_then(Value::as_u64)
    else {
        return Ok(());
    };
    if code == u64::from(status) {
        return Ok(());
    }
    Err(Failure::new(
        NAME,
        format!("error.code {code} is not the status {status}"),
        response_or_operation(ctx, exchange),
        format!("error.code {status}, the HTTP status of the response"),
        format!("error.code {code}"),
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::table::testkit::{case, exchange, google_error, invitation, raw};

    #[test]
    fn passes_anything_without_an_expectation() {
        let case = case("classroom.invitations.create");
        assert_eq!(case.run(check, &exchange(200, invitation())), Ok(()));
        assert_eq!(case.run(check, &raw(500, None, b"oops")), Ok(()));
    }

    #[test]
    fn rejects_a_numeric_code_that_is_not_the_status_whatever_the_expectation() {
        let ex = exchange(404, google_error(400, "NOT_FOUND", "nope"));
        for case in [
            case("classroom.invitations.get"),
            case("classroom.invitations.get").expect_code("NOT_FOUND"),
        ] {
            let f = case.fails(check, NAME, &ex);
            assert_eq!(f.title, "error.code 400 is not the status 404");
            assert_eq!(f.actual, "error.code 400");
        }
    }

    #[test]
    fn passes_a_numeric_code_equal_to_the_status_and_bodies_without_one() {
        let case = case("classroom.invitations.get");
        let ex = exchange(404, google_error(404, "NOT_FOUND", "nope"));
        assert_eq!(case.run(check, &ex), Ok(()));
        let text_code = exchange(404, json!({"error": {"code": "NOT_FOUND"}}));
        assert_eq!(case.run(check, &text_code), Ok(()));
        assert_eq!(
            case.run(check, &exchange(404, json!({"error": "nope"}))),
            Ok(())
        );
    }

    #[test]
    fn passes_the_expected_code() {
        let case = case("classroom.invitations.create").expect_code("ALREADY_EXISTS");
        let ex = exchange(
            409,
            google_error(409, "ALREADY_EXISTS", "Requested entity already exists"),
        );
        assert_eq!(case.run(check, &ex), Ok(()));
    }

    #[test]
    fn rejects_another_code() {
        let case = case("classroom.invitations.create").expect_code("ALREADY_EXISTS");
        let ex = exchange(409, google_error(409, "ABORTED", "conflict"));
        let f = case.fails(check, NAME, &ex);
        assert_eq!(f.title, "unexpected error code ABORTED");
        assert_eq!(
            (f.expected.as_str(), f.actual.as_str()),
            ("error.status ALREADY_EXISTS", "error.status ABORTED")
        );
        assert!(
            f.location.pointer.contains("AlreadyExists"),
            "{}",
            f.location
        );
    }

    #[test]
    fn rejects_a_body_that_is_not_a_google_error() {
        let case = case("classroom.invitations.create").expect_code("NOT_FOUND");
        let f = case.fails(check, NAME, &exchange(404, json!({"message": "nope"})));
        assert_eq!(f.title, "missing Google error body");
        assert!(
            f.actual.starts_with("no `error` object in `{"),
            "{}",
            f.actual
        );
        let f = case.fails(
            check,
            NAME,
            &raw(404, Some("text/html"), b"<h1>Not Found</h1>"),
        );
        assert_eq!(f.actual, "a body that is not JSON: `<h1>Not Found</h1>`");
        let f = case.fails(check, NAME, &exchange(404, json!({"error": {"code": 404}})));
        assert_eq!(
            (f.title.as_str(), f.actual.as_str()),
            ("missing error code", "no error.status")
        );
    }

    #[test]
    fn passes_the_expected_reason() {
        let case = case("classroom.invitations.accept")
            .expect_code("FAILED_PRECONDITION")
            .expect_reason("CourseNotModifiable");
        let body = google_error(
            400,
            "FAILED_PRECONDITION",
            "@CourseNotModifiable The course is archived.",
        );
        assert_eq!(case.run(check, &exchange(400, body)), Ok(()));
    }

    #[test]
    fn rejects_a_message_without_the_reason() {
        let case = case("classroom.invitations.accept").expect_reason("CourseNotModifiable");
        let body = google_error(400, "FAILED_PRECONDITION", "@CourseNotModifiableX nope");
        let f = case.fails(check, NAME, &exchange(400, body));
        assert_eq!(f.title, "missing request error @CourseNotModifiable");
        assert_eq!(
            f.expected,
            "error.message starting with \"@CourseNotModifiable \""
        );
        assert_eq!(f.actual, "error.message \"@CourseNotModifiableX nope\"");
    }
}
