//! `not_a_server_error`: a 5xx is a failure, unless the step expects exactly that status.

use super::support::response_or_operation;
use super::{CheckCtx, Failure};
use crate::run::Exchange;

const NAME: &str = "not_a_server_error";

/// Fails a 5xx response the step did not expect.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    let status = exchange.response.status;
    if !(500..600).contains(&status) || ctx.expect.status == Some(status) {
        return Ok(());
    }
    Err(Failure::new(
        NAME,
        format!("server error {status}"),
        response_or_operation(ctx, exchange),
        "a status below 500",
        format!("status {status}"),
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::table::testkit::{case, exchange};

    #[test]
    fn passes_a_client_error() {
        let case = case("classroom.invitations.create");
        assert_eq!(case.run(check, &exchange(409, json!({}))), Ok(()));
    }

    #[test]
    fn rejects_an_unexpected_server_error() {
        let case = case("classroom.invitations.create");
        let f = case.fails(check, NAME, &exchange(500, json!({})));
        assert_eq!(f.title, "server error 500");
        assert_eq!(f.actual, "status 500");
        assert!(f.location.pointer.ends_with("/post"), "{}", f.location);
    }

    #[test]
    fn passes_the_exact_server_error_the_step_expects() {
        let case = case("classroom.invitations.create").expect_status(503);
        assert_eq!(case.run(check, &exchange(503, json!({}))), Ok(()));
        case.fails(check, NAME, &exchange(500, json!({})));
    }
}
