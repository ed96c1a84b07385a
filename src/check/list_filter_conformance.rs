//! `list_filter_conformance`: a list filtered by a query parameter that names a field of its
//! items (the same name: `courseId` filters on the items' `courseId`) answers only items whose
//! field holds the value sent.
//!
//! Conservative: an item without the field (or with `null`, an object or an array there) is not
//! judged; pagination, sorting and search parameters (`pageSize`, `q`, `sort`, `filter`, ...)
//! are no filters; the query text is compared by the field's JSON type (a number by value, a
//! boolean as `true`/`false`, a string exactly). Several values sent for one parameter (repeated,
//! or comma-separated for an array parameter) accept an item holding any of them. An
//! identifier sent as an alias (`me`, `self`, an email address) is not compared: a server
//! resolves it to the id its items hold.

use super::support::query_pairs;
use super::{CheckCtx, Failure};
use crate::run::Exchange;
use crate::spec::lists::{filters, items, matches_query, Items};
use crate::spec::{names_an_item, ParamLocation};

const NAME: &str = "list_filter_conformance";

/// Fails a list answer holding an item outside the filter sent.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    if !(200..300).contains(&exchange.response.status) {
        return Ok(());
    }
    let Some(place) = items(ctx.api, ctx.operation) else {
        return Ok(());
    };
    let names = filters(ctx.api, ctx.operation);
    if names.is_empty() {
        return Ok(());
    }
    let Some(body) = exchange.response.json() else {
        return Ok(());
    };
    let Some(list) = place.of(&body) else {
        return Ok(());
    };
    let query = query_pairs(&exchange.request.url);
    for name in &names {
        let param = ctx
            .operation
            .parameters
            .iter()
            .find(|p| p.location == ParamLocation::Query && &p.name == name);
        let array = param
            .and_then(|p| p.schema.as_ref())
            .and_then(|s| ctx.api.schemas.get(s))
            .is_some_and(|s| ctx.api.schemas.types(s).contains(&"array"));
        let sent: Vec<&str> = query
            .iter()
            .filter(|(n, _)| n == name)
            .flat_map(|(_, v)| {
                if array {
                    v.split(',').collect::<Vec<_>>()
                } else {
                    vec![v.as_str()]
                }
            })
            .collect();
        if sent.is_empty() {
            continue;
        }
        for (at, item) in list.iter().enumerate() {
            let Some(value) = item.get(name) else {
                continue;
            };
            let verdicts: Vec<Option<bool>> = sent
                .iter()
                .map(|t| {
                    if alias(name, t) {
                        None
                    } else {
                        matches_query(value, t)
                    }
                })
                .collect();
            if verdicts.contains(&Some(true)) || verdicts.contains(&None) {
                continue;
            }
            let prefix = match &place {
                Items::Body => String::new(),
                Items::Field(f) => format!("/{f}"),
            };
            let mut f = Failure::new(
                NAME,
                format!("list holds an item outside the filter {name}"),
                param.map_or_else(
                    || ctx.operation.location.clone(),
                    |p| p.location_in_spec.clone(),
                ),
                format!("every item's {name} is {}", sent.join(" or ")),
                format!("item {at} has {name} {value}"),
            );
            f.instance_path = Some(format!("{prefix}/{at}/{name}"));
            return Err(f);
        }
    }
    Ok(())
}

/// Whether `text` sent for identifier parameter `name` may be an alias a server resolves to
/// the id its items hold: `me`, `self`, or an email address (Classroom's `userId`).
fn alias(name: &str, text: &str) -> bool {
    names_an_item(name) && (matches!(text, "me" | "self" | "current") || text.contains('@'))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::table::testkit::{case, exchange, invitation};

    fn listed(url: &str, items: serde_json::Value) -> Exchange {
        let mut ex = exchange(200, json!({ "invitations": items }));
        ex.request.method = "GET".to_owned();
        ex.request.url = format!("https://classroom.googleapis.com/v1/invitations{url}");
        ex
    }

    #[test]
    fn passes_items_inside_the_filter_and_items_without_the_field() {
        let case = case("classroom.invitations.list");
        let mut other = invitation();
        other.as_object_mut().unwrap().remove("courseId");
        let ex = listed(
            "?courseId=625370598327&pageSize=2",
            json!([invitation(), other]),
        );
        assert_eq!(case.run(check, &ex), Ok(()));
        // An alias for the user is resolved by the server.
        let ex = listed("?userId=me", json!([invitation()]));
        assert_eq!(case.run(check, &ex), Ok(()));
        // No filter sent: anything goes.
        let mut far = invitation();
        far["courseId"] = json!("1");
        assert_eq!(case.run(check, &listed("", json!([far]))), Ok(()));
    }

    #[test]
    fn rejects_an_item_outside_the_filter() {
        let case = case("classroom.invitations.list");
        let mut far = invitation();
        far["courseId"] = json!("1");
        let ex = listed("?courseId=625370598327", json!([invitation(), far]));
        let f = case.fails(check, NAME, &ex);
        assert_eq!(f.title, "list holds an item outside the filter courseId");
        assert_eq!(f.expected, "every item's courseId is 625370598327");
        assert_eq!(f.instance_path.as_deref(), Some("/invitations/1/courseId"));
        assert!(f.location.pointer.contains("parameters"), "{}", f.location);
    }
}
