//! `status_code_conformance`: the status is documented for the operation (exactly, by range,
//! by `default`, or as the status of an error code documented in prose), and is one the step
//! expects when it names some (any documented 2xx for a success), or of the class it expects
//! (any 4xx for a documented `4XX`). A probe with invalid input (a fault, a missing required
//! header) refused with a 4xx is not held to the documented statuses when the operation
//! documents none for invalid input (no 400, 422, `4XX` or `default`): the spec names no
//! status for the refusal, so whichever 4xx the server picks keeps the contract.

use super::support::documented_statuses;
use super::{CheckCtx, Failure, Probe};
use crate::run::Exchange;
use crate::scenario::any_of;

/// The check's name.
pub const NAME: &str = "status_code_conformance";

/// Fails an undocumented status, or one other than the step expects.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    let op = ctx.operation;
    let status = exchange.response.status;
    if op.documentation_of(status).is_none() && !unnamed_refusal(ctx, status) {
        let expected = match ctx.expect.status {
            Some(want) => format!("status {want} (documented: {})", documented_statuses(ctx)),
            None if ctx.expect.status_range.is_some() => format!(
                "a {}XX status (documented: {})",
                ctx.expect.status_range.unwrap_or_default(),
                documented_statuses(ctx)
            ),
            None => format!("a documented status ({})", documented_statuses(ctx)),
        };
        return Err(Failure::new(
            NAME,
            format!("undocumented status {status}"),
            op.location.child("responses"),
            expected,
            format!("status {status}"),
        ));
    }
    match ctx.expect.status {
        Some(want) if !ctx.expect.names(status) => Err(Failure::new(
            NAME,
            format!("unexpected status {status}"),
            op.documentation_of(want)
                .map_or_else(|| op.location.child("responses"), Clone::clone),
            format!("status {}", any_of(want, &ctx.expect.other_statuses)),
            format!("status {status}"),
        )),
        None => match ctx.expect.status_range {
            Some(class) if u16::from(class) != status / 100 => Err(Failure::new(
                NAME,
                format!("unexpected status {status}"),
                op.responses
                    .iter()
                    .find(|r| r.status == crate::spec::StatusKey::Range(class))
                    .map_or_else(|| op.location.child("responses"), |r| r.location.clone()),
                format!("a {class}XX status"),
                format!("status {status}"),
            )),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// A 4xx refusing a probe with invalid input, for an operation that documents no status for
/// invalid input.
fn unnamed_refusal(ctx: &CheckCtx<'_>, status: u16) -> bool {
    let invalid = matches!(
        ctx.expect.probe,
        Some(Probe::Negative { .. } | Probe::MissingHeader { .. })
    );
    let op = ctx.operation;
    invalid
        && (400..500).contains(&status)
        && op.documentation_of(400).is_none()
        && op.documentation_of(422).is_none()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::table::testkit::{case, exchange, invitation};

    #[test]
    fn passes_a_documented_status() {
        let case = case("classroom.invitations.create");
        for status in [200, 400, 401, 403, 404, 409] {
            assert_eq!(case.run(check, &exchange(status, json!({}))), Ok(()));
        }
    }

    #[test]
    fn rejects_undocumented_status() {
        let case = case("classroom.invitations.create");
        let f = case.fails(check, NAME, &exchange(410, json!({})));
        assert_eq!(f.title, "undocumented status 410");
        assert_eq!(
            f.expected,
            "a documented status (200, 400, 401, 403, 404, 409)"
        );
        assert_eq!(f.actual, "status 410");
        assert_eq!(
            f.location.pointer,
            "/paths/~1v1~1invitations/post/responses"
        );
    }

    #[test]
    fn rejects_a_documented_status_other_than_expected() {
        let case = case("classroom.invitations.create").expect_status(409);
        let f = case.fails(check, NAME, &exchange(200, invitation()));
        assert_eq!(f.title, "unexpected status 200");
        assert_eq!(
            (f.expected.as_str(), f.actual.as_str()),
            ("status 409", "status 200")
        );
        assert!(
            f.location.pointer.contains("AlreadyExists"),
            "{}",
            f.location
        );
        assert_eq!(case.run(check, &exchange(409, json!({}))), Ok(()));
    }

    /// Issue 9: an error code documented only in prose documents its canonical status.
    #[test]
    fn a_status_documented_only_in_prose_is_documented() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/prose/prose-only.yaml");
        let api = crate::spec::Api::load(&path).expect("fixture");
        let op = api.operation("shelves.get").expect("operation");
        assert!(op.documentation_of(404).is_some() && op.documentation_of(403).is_some());
        assert_eq!(op.documented_statuses(), ["200", "404", "403"]);
        let expect = crate::check::Expectation {
            status: Some(404),
            ..Default::default()
        };
        let ctx = CheckCtx {
            history: &[],
            api: &api,
            operation: op,
            expect: &expect,
            max_response_time: None,
            after_delete: false,
            after_create: false,
        };
        assert_eq!(check(&ctx, &exchange(404, json!({}))), Ok(()));
        let f = check(&ctx, &exchange(410, json!({}))).unwrap_err();
        assert_eq!(f.title, "undocumented status 410");
        assert!(
            f.expected.contains("documented: 200, 404, 403"),
            "{}",
            f.expected
        );
    }

    /// Issue 9: a scenario for a documented `4XX` accepts any 4xx, and nothing else.
    #[test]
    fn a_range_expectation_accepts_any_status_of_its_class() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/recipes/outcomes.yaml");
        let api = crate::spec::Api::load(&path).expect("fixture");
        let op = api.operation("getNote").expect("operation");
        let expect = crate::check::Expectation {
            status_range: Some(4),
            ..Default::default()
        };
        let ctx = CheckCtx {
            history: &[],
            api: &api,
            operation: op,
            expect: &expect,
            max_response_time: None,
            after_delete: false,
            after_create: false,
        };
        for status in [400, 401, 404, 422] {
            assert_eq!(
                check(&ctx, &exchange(status, json!({}))),
                Ok(()),
                "{status}"
            );
        }
        let f = check(&ctx, &exchange(200, json!({}))).unwrap_err();
        assert_eq!(f.title, "unexpected status 200");
        assert_eq!(f.expected, "a 4XX status");
        // The `4XX` response, where its `$ref` leads.
        assert!(
            f.location.pointer.ends_with("/responses/Problem"),
            "{}",
            f.location
        );
    }
}
