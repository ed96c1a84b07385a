//! `ensure_resource_availability`: a resource created earlier in the scenario must not be a 404.

use super::support::response_or_operation;
use super::{CheckCtx, Failure};
use crate::run::Exchange;

const NAME: &str = "ensure_resource_availability";

/// Fails a 404 for a resource the scenario created before this request.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    if !ctx.after_create || exchange.response.status != 404 {
        return Ok(());
    }
    Err(Failure::new(
        NAME,
        "created resource is not available",
        response_or_operation(ctx, exchange),
        "the resource created earlier in the scenario",
        "status 404",
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::table::testkit::{case, exchange, invitation};

    #[test]
    fn rejects_a_404_after_create() {
        let mut case = case("classroom.invitations.get");
        case.after_create = true;
        let f = case.fails(check, NAME, &exchange(404, json!({})));
        assert_eq!(f.title, "created resource is not available");
        assert_eq!(case.run(check, &exchange(200, invitation())), Ok(()));
    }

    #[test]
    fn passes_a_404_without_a_prior_create() {
        let case = case("classroom.invitations.get");
        assert_eq!(case.run(check, &exchange(404, json!({}))), Ok(()));
    }
}
