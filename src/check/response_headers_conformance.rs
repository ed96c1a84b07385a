//! `response_headers_conformance`: every documented header marked required is present, and
//! every documented header present matches its schema. Header text is read as the schema's
//! type (integer, number, boolean), else as a string. A documented `Content-Type` is ignored,
//! as OpenAPI says. A redirect (301, 302, 303, 307, 308) carries `Location`, documented or
//! not: redirects are not followed, so it is what the response is for (RFC 9110).
//!
//! May import `run`, `scenario` and `spec`.

use serde_json::Value;

use super::support::{one_line, spec_pointer};
use super::{CheckCtx, Failure};
use crate::run::Exchange;
use crate::spec::{Direction, HeaderSpec, SchemaRef, Schemas};

const NAME: &str = "response_headers_conformance";

/// Fails a missing required header or a header that breaks its schema (the first one found).
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    let status = exchange.response.status;
    let Some(documented) = ctx.operation.response_for(status) else {
        return Ok(());
    };
    if matches!(status, 301 | 302 | 303 | 307 | 308)
        && exchange.response.header("location").is_none()
    {
        return Err(Failure::new(
            NAME,
            format!("redirect {status} without Location"),
            documented.location.clone(),
            "a Location header",
            "no Location header",
        ));
    }
    for spec in &documented.headers {
        if spec.name.eq_ignore_ascii_case("content-type") {
            continue;
        }
        let location = documented.location.child("headers").child(&spec.name);
        let Some(text) = exchange.response.header(&spec.name) else {
            if spec.required {
                return Err(Failure::new(
                    NAME,
                    format!("missing required header {}", spec.name),
                    location,
                    format!("a {} header", spec.name),
                    format!("no {} header", spec.name),
                ));
            }
            continue;
        };
        if let Some(schema) = &spec.schema {
            validate(ctx, spec, schema, text, location)?;
        }
    }
    Ok(())
}

fn validate(
    ctx: &CheckCtx<'_>,
    spec: &HeaderSpec,
    schema: &SchemaRef,
    text: &str,
    location: crate::error::Location,
) -> Result<(), Failure> {
    let schemas = &ctx.api.schemas;
    let value = coerce(schemas, schema, text);
    let validator = schemas
        .validator(schema, Direction::Response)
        .map_err(|e| {
            Failure::new(
                NAME,
                format!("schema of header {} cannot be compiled", spec.name),
                location.child("schema"),
                "a schema the header can be validated against",
                e,
            )
        })?;
    let Some(error) = validator.iter_errors(&value).next() else {
        return Ok(());
    };
    let mut failure = Failure::new(
        NAME,
        format!("header {} does not match its schema", spec.name),
        location.child("schema"),
        format!("a {} header valid against its schema", spec.name),
        format!(
            "{}: {} ({})",
            spec.name,
            one_line(text, 120),
            one_line(&error.to_string(), 160)
        ),
    );
    failure.schema_path = Some(spec_pointer(&error.schema_path().to_string()));
    failure.instance_path = Some(error.instance_path().to_string());
    Err(failure)
}

/// The header text as the JSON value its schema's type asks for; a string when the type is
/// another or the text does not parse as it.
fn coerce(schemas: &Schemas, schema: &SchemaRef, text: &str) -> Value {
    let raw = Value::String(text.to_owned());
    let Some(written) = schemas.get(schema) else {
        return raw;
    };
    let trimmed = text.trim();
    for t in schemas.types(written) {
        let parsed = match t {
            "integer" => trimmed
                .parse::<i64>()
                .map(Value::from)
                .or_else(|_| trimmed.parse::<u64>().map(Value::from))
                .ok(),
            "number" => trimmed
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number),
            "boolean" => match trimmed {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            _ => None,
        };
        if let Some(v) = parsed {
            return v;
        }
    }
    raw
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::table::testkit::{api, case, exchange, invitation};
    use crate::spec::{ResponseSpec, StatusKey};

    /// The create operation's 200 with headers: `X-RateLimit-Remaining` (required integer) and
    /// `X-Trace` (optional string matching `^t-`), schemas borrowed from the fixture's bundle.
    fn with_headers() -> (crate::spec::Operation, crate::check::Expectation) {
        let api = api();
        let mut op = api
            .operation("classroom.invitations.create")
            .unwrap()
            .clone();
        let int32 = schema_at(api, "integer");
        let string = schema_at(api, "string");
        let response: &mut ResponseSpec = op
            .responses
            .iter_mut()
            .find(|r| r.status == StatusKey::Code(200))
            .unwrap();
        response.headers = vec![
            HeaderSpec {
                name: "X-RateLimit-Remaining".to_owned(),
                required: true,
                schema: Some(int32),
            },
            HeaderSpec {
                name: "X-Trace".to_owned(),
                required: false,
                schema: Some(string),
            },
            HeaderSpec {
                name: "Content-Type".to_owned(),
                required: true,
                schema: None,
            },
        ];
        (op, crate::check::Expectation::default())
    }

    /// A schema in the fixture's bundle whose type is `ty` (the `Status` properties have both).
    fn schema_at(api: &crate::spec::Api, ty: &str) -> SchemaRef {
        let status = api.schemas.component("Status").unwrap();
        let prop = if ty == "integer" { "code" } else { "message" };
        SchemaRef(format!("{}/properties/{prop}", status.0))
    }

    fn run(ex: &crate::run::Exchange) -> Result<(), Failure> {
        let (op, expect) = with_headers();
        let ctx = CheckCtx {
            history: &[],
            api: api(),
            operation: &op,
            expect: &expect,
            max_response_time: None,
            after_delete: false,
            after_create: false,
        };
        check(&ctx, ex)
    }

    fn with(mut ex: crate::run::Exchange, name: &str, value: &str) -> crate::run::Exchange {
        ex.response
            .headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
        ex
    }

    #[test]
    fn passes_documented_headers_of_the_right_type() {
        let ex = with(exchange(200, invitation()), "X-RateLimit-Remaining", "42");
        assert_eq!(run(&with(ex, "X-Trace", "t-1")), Ok(()));
    }

    #[test]
    fn rejects_a_missing_required_header() {
        let f = run(&exchange(200, invitation())).unwrap_err();
        assert_eq!(f.check, NAME);
        assert_eq!(f.title, "missing required header X-RateLimit-Remaining");
        assert!(
            f.location
                .pointer
                .ends_with("/responses/200/headers/X-RateLimit-Remaining"),
            "{}",
            f.location
        );
    }

    #[test]
    fn rejects_a_header_that_breaks_its_schema() {
        let ex = with(exchange(200, invitation()), "X-RateLimit-Remaining", "lots");
        let f = run(&ex).unwrap_err();
        assert_eq!(
            f.title,
            "header X-RateLimit-Remaining does not match its schema"
        );
        assert!(
            f.actual.starts_with("X-RateLimit-Remaining: lots ("),
            "{}",
            f.actual
        );
        assert!(f.schema_path.is_some());
        let ex = with(
            exchange(200, invitation()),
            "X-RateLimit-Remaining",
            "99999999999",
        );
        assert!(run(&ex).is_err(), "beyond int32");
    }

    #[test]
    fn passes_the_fixture_which_documents_no_headers() {
        let case = case("classroom.invitations.create");
        assert_eq!(case.run(check, &exchange(200, invitation())), Ok(()));
        assert_eq!(case.run(check, &exchange(404, json!({}))), Ok(()));
    }

    #[test]
    fn reads_header_text_as_the_schema_type() {
        let api = api();
        let int = schema_at(api, "integer");
        let string = schema_at(api, "string");
        assert_eq!(coerce(&api.schemas, &int, " 7 "), json!(7));
        assert_eq!(coerce(&api.schemas, &int, "seven"), json!("seven"));
        assert_eq!(coerce(&api.schemas, &string, "7"), json!("7"));
    }

    /// Issue 9: redirects are not followed, so a redirect without `Location` says nothing.
    #[test]
    fn rejects_a_redirect_without_location() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/recipes/outcomes.yaml");
        let api = crate::spec::Api::load(&path).expect("fixture");
        let expect = crate::check::Expectation::default();
        let ctx = CheckCtx {
            history: &[],
            api: &api,
            operation: api.operation("fetchExport").expect("operation"),
            expect: &expect,
            max_response_time: None,
            after_delete: false,
            after_create: false,
        };
        let mut ex = crate::check::table::testkit::raw(302, None, b"");
        let f = check(&ctx, &ex).unwrap_err();
        assert_eq!(f.title, "redirect 302 without Location");
        ex.response
            .headers
            .push(("location".to_owned(), "/elsewhere".to_owned()));
        assert_eq!(check(&ctx, &ex), Ok(()));
    }
}
