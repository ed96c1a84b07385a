//! `ensure_resource_availability`: a resource created earlier in the scenario must not be a 404.

use super::support::response_or_operation;
use super::{CheckCtx, Failure};
use crate::run::Exchange;

const NAME: &str = "ensure_resource_availability";

/// Fails a 404 for a resource the scenario created before this request, and a successful
/// listing that does not hold the created resource's id.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    if let Some(id) = &ctx.expect.contains {
        let listed = exchange
            .response
            .json()
            .is_some_and(|body| holds(&body, id));
        if (200..300).contains(&exchange.response.status) && !listed {
            return Err(Failure::new(
                NAME,
                "created resource is missing from the listing",
                response_or_operation(ctx, exchange),
                format!("a listing that holds {id}"),
                "no item with that id",
            ));
        }
    }
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

/// Whether `value` holds `id` as a string or number anywhere inside it.
fn holds(value: &serde_json::Value, id: &str) -> bool {
    match value {
        serde_json::Value::String(s) => s == id,
        serde_json::Value::Number(n) => n.to_string() == id,
        serde_json::Value::Array(items) => items.iter().any(|v| holds(v, id)),
        serde_json::Value::Object(map) => map.values().any(|v| holds(v, id)),
        _ => false,
    }
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

    #[test]
    fn rejects_a_listing_without_the_created_id() {
        let mut case = case("classroom.invitations.list");
        case.expect.contains = Some("42".to_owned());
        let listed = exchange(200, json!({"invitations": [{"id": "42"}]}));
        assert_eq!(case.run(check, &listed), Ok(()));
        let f = case.fails(
            check,
            NAME,
            &exchange(200, json!({"invitations": [{"id": "7"}]})),
        );
        assert_eq!(f.title, "created resource is missing from the listing");
    }
}
