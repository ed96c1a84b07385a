//! `negative_data_rejection`: a request that carries one fault on purpose (a value that breaks
//! its parameter's or field's schema) must be refused with a 4xx. An acceptance (2xx, 3xx)
//! fails; a 5xx is left to `not_a_server_error`.

use super::support::field_location;
use super::{CheckCtx, Failure, Probe};
use crate::run::Exchange;

/// The check's name.
pub const NAME: &str = "negative_data_rejection";

/// Fails a negative probe that was accepted.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    let Some(Probe::Negative { field, fault }) = &ctx.expect.probe else {
        return Ok(());
    };
    let status = exchange.response.status;
    if !(200..400).contains(&status) {
        return Ok(());
    }
    Err(Failure::new(
        NAME,
        format!("invalid {field} accepted ({fault})"),
        field_location(ctx, field),
        format!("a 4xx refusing {field} ({fault})"),
        format!("status {status}"),
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::table::testkit::{case, exchange};

    fn negative(field: &str, fault: &str) -> crate::check::table::testkit::Case {
        let mut case = case("classroom.invitations.list");
        case.expect.probe = Some(Probe::Negative {
            field: field.to_owned(),
            fault: fault.to_owned(),
        });
        case
    }

    #[test]
    fn rejects_an_accepted_fault_at_its_parameter() {
        let case = negative("query.pageSize", "wrong-type");
        let f = case.fails(check, NAME, &exchange(200, json!({})));
        assert_eq!(f.title, "invalid query.pageSize accepted (wrong-type)");
        assert_eq!(f.actual, "status 200");
        assert!(f.location.pointer.contains("parameters"), "{}", f.location);
        case.fails(check, NAME, &exchange(302, json!({})));
    }

    #[test]
    fn passes_a_refusal_and_leaves_server_errors_alone() {
        let case = negative("query.pageSize", "wrong-type");
        assert_eq!(case.run(check, &exchange(400, json!({}))), Ok(()));
        assert_eq!(case.run(check, &exchange(422, json!({}))), Ok(()));
        assert_eq!(case.run(check, &exchange(500, json!({}))), Ok(()));
    }

    #[test]
    fn ignores_a_step_that_probes_nothing() {
        let case = case("classroom.invitations.list");
        assert_eq!(case.run(check, &exchange(200, json!({}))), Ok(()));
    }
}
