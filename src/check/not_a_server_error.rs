//! `not_a_server_error`: a 5xx is a failure, unless the step expects exactly that status; so is
//! a connection the server closes or resets before its response is complete.

use super::support::response_or_operation;
use super::{CheckCtx, Failure};
use crate::run::Exchange;

/// The check's name.
pub const NAME: &str = "not_a_server_error";

/// Fails a 5xx response the step did not expect.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    let status = exchange.response.status;
    if !(500..600).contains(&status) || ctx.expect.names(status) {
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

/// The failure for a request whose connection the server closed or reset before a complete
/// response (`reason`, such as `connection reset by peer`): a server that drops a request is
/// as broken as one that answers 5xx. There is no response to check, so this is not in the
/// table's signature; the verdict calls it.
pub fn cut_off(ctx: &CheckCtx<'_>, reason: &str) -> Failure {
    Failure::new(
        NAME,
        "connection closed before a complete response",
        ctx.operation.location.clone(),
        "a complete response",
        format!("the connection closed: {reason}"),
    )
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
    fn a_connection_cut_off_is_a_server_error_at_the_operation() {
        let case = case("classroom.invitations.create");
        let f = cut_off(&case.ctx(), "connection reset by peer");
        assert_eq!(f.check, NAME);
        assert_eq!(f.title, "connection closed before a complete response");
        assert_eq!(f.actual, "the connection closed: connection reset by peer");
        assert!(f.location.pointer.ends_with("/post"), "{}", f.location);
    }

    #[test]
    fn passes_the_exact_server_error_the_step_expects() {
        let case = case("classroom.invitations.create").expect_status(503);
        assert_eq!(case.run(check, &exchange(503, json!({}))), Ok(()));
        case.fails(check, NAME, &exchange(500, json!({})));
    }
}
