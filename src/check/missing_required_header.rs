//! `missing_required_header`: a request without a header the operation requires must be
//! refused with a 4xx.

use super::support::field_location;
use super::{CheckCtx, Failure, Probe};
use crate::run::Exchange;

/// The check's name.
pub const NAME: &str = "missing_required_header";

/// Fails a request without a required header that was not answered with a 4xx.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    let Some(Probe::MissingHeader { name }) = &ctx.expect.probe else {
        return Ok(());
    };
    let status = exchange.response.status;
    if (400..500).contains(&status) {
        return Ok(());
    }
    Err(Failure::new(
        NAME,
        format!("missing required header {name} not refused"),
        field_location(ctx, &format!("header.{name}")),
        format!("a 4xx for a request without the required header {name}"),
        format!("status {status}"),
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::table::testkit::{case, exchange};

    fn without(name: &str) -> crate::check::table::testkit::Case {
        let mut case = case("classroom.invitations.list");
        case.expect.probe = Some(Probe::MissingHeader {
            name: name.to_owned(),
        });
        case
    }

    #[test]
    fn rejects_anything_but_a_client_error() {
        let case = without("X-Request-Id");
        let f = case.fails(check, NAME, &exchange(200, json!({})));
        assert_eq!(f.title, "missing required header X-Request-Id not refused");
        assert_eq!(f.actual, "status 200");
        assert!(f.location.pointer.ends_with("/get"), "{}", f.location);
        case.fails(check, NAME, &exchange(500, json!({})));
    }

    #[test]
    fn passes_a_client_error() {
        let case = without("X-Request-Id");
        assert_eq!(case.run(check, &exchange(400, json!({}))), Ok(()));
        assert_eq!(case.run(check, &exchange(422, json!({}))), Ok(()));
    }
}
