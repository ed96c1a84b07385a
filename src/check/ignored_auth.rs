//! `ignored_auth`: a request with a credential no one issued must not be served.

use super::{CheckCtx, Failure, Probe};
use crate::run::Exchange;

/// The check's name.
pub const NAME: &str = "ignored_auth";

/// Fails an invalid-credential probe answered with a 2xx.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    if ctx.expect.probe != Some(Probe::InvalidAuth) {
        return Ok(());
    }
    let status = exchange.response.status;
    if !(200..300).contains(&status) {
        return Ok(());
    }
    Err(Failure::new(
        NAME,
        "invalid credentials accepted",
        ctx.operation.location.clone(),
        "a refusal (401) of a credential no one issued",
        format!("status {status}"),
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::table::testkit::{case, exchange, invitation};

    #[test]
    fn rejects_a_success_with_invalid_credentials() {
        let mut case = case("classroom.invitations.create");
        case.expect.probe = Some(Probe::InvalidAuth);
        let f = case.fails(check, NAME, &exchange(200, invitation()));
        assert_eq!(f.title, "invalid credentials accepted");
        assert_eq!(f.actual, "status 200");
        assert_eq!(case.run(check, &exchange(401, json!({}))), Ok(()));
        assert_eq!(case.run(check, &exchange(403, json!({}))), Ok(()));
    }

    #[test]
    fn ignores_a_step_with_valid_credentials() {
        let case = case("classroom.invitations.create");
        assert_eq!(case.run(check, &exchange(200, invitation())), Ok(()));
    }
}
