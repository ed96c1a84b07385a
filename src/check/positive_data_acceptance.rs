//! `positive_data_acceptance`: a request whose every value fits the spec (a boundary value, a
//! random valid input) must not be refused as invalid. A 4xx fails, except those that speak
//! of credentials or of a missing item rather than of the data (401, 403, 404), as in
//! Schemathesis.

use super::support::{body_snippet, field_location};
use super::{CheckCtx, Failure, Probe};
use crate::run::Exchange;

/// The check's name.
pub const NAME: &str = "positive_data_acceptance";

/// 4xx statuses that do not refuse the data itself.
const NOT_ABOUT_DATA: [u16; 3] = [401, 403, 404];

/// Fails a positive probe refused with a 4xx.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    let Some(Probe::Positive { field, value }) = &ctx.expect.probe else {
        return Ok(());
    };
    let status = exchange.response.status;
    if !(400..500).contains(&status) || NOT_ABOUT_DATA.contains(&status) {
        return Ok(());
    }
    let (title, location) = if field.is_empty() {
        (
            "valid request refused".to_owned(),
            ctx.operation.location.clone(),
        )
    } else {
        (
            format!("valid {field} refused ({value})"),
            field_location(ctx, field),
        )
    };
    Err(Failure::new(
        NAME,
        title,
        location,
        "no 4xx for a request the spec allows (401, 403, 404 aside)",
        format!("status {status}, {}", body_snippet(&exchange.response.body)),
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::table::testkit::{case, exchange};

    fn positive(field: &str, value: &str) -> crate::check::table::testkit::Case {
        let mut case = case("classroom.invitations.list");
        case.expect.probe = Some(Probe::Positive {
            field: field.to_owned(),
            value: value.to_owned(),
        });
        case
    }

    #[test]
    fn rejects_a_valid_boundary_refused() {
        let case = positive("query.pageSize", "minimum");
        let f = case.fails(check, NAME, &exchange(400, json!({"error": "no"})));
        assert_eq!(f.title, "valid query.pageSize refused (minimum)");
        assert!(f.actual.starts_with("status 400"), "{}", f.actual);
        assert!(f.location.pointer.contains("parameters"), "{}", f.location);
    }

    #[test]
    fn a_whole_request_is_located_at_its_operation() {
        let case = positive("", "");
        let f = case.fails(check, NAME, &exchange(422, json!({})));
        assert_eq!(f.title, "valid request refused");
        assert!(f.location.pointer.ends_with("/get"), "{}", f.location);
    }

    #[test]
    fn passes_success_server_errors_and_refusals_not_about_data() {
        let case = positive("query.pageSize", "maximum");
        for status in [200, 201, 302, 401, 403, 404, 500] {
            assert_eq!(case.run(check, &exchange(status, json!({}))), Ok(()));
        }
    }
}
