//! `use_after_free`: a resource deleted earlier in the scenario must no longer be available.

use super::support::response_or_operation;
use super::{CheckCtx, Failure};
use crate::run::Exchange;

const NAME: &str = "use_after_free";

/// Fails a 2xx for a resource the scenario deleted before this request.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    let status = exchange.response.status;
    if !ctx.after_delete || !(200..300).contains(&status) {
        return Ok(());
    }
    Err(Failure::new(
        NAME,
        "deleted resource is still available",
        response_or_operation(ctx, exchange),
        "no 2xx status after the resource was deleted (404 or 410)",
        format!("status {status}"),
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::table::testkit::{case, exchange, invitation};

    #[test]
    fn rejects_a_success_after_delete() {
        let mut case = case("classroom.invitations.get");
        case.after_delete = true;
        let f = case.fails(check, NAME, &exchange(200, invitation()));
        assert_eq!(f.title, "deleted resource is still available");
        assert_eq!(f.actual, "status 200");
        assert_eq!(case.run(check, &exchange(404, json!({}))), Ok(()));
    }

    #[test]
    fn passes_a_success_without_a_prior_delete() {
        let case = case("classroom.invitations.get");
        assert_eq!(case.run(check, &exchange(200, invitation())), Ok(()));
    }
}
