//! `pagination_conformance`: a list that pages in a style the spec shows (see
//! [`crate::spec::lists`]) keeps its own rules. A page holds at most the page size sent; a
//! page that follows a token, offset or cursor holds no item an earlier page of the same walk
//! held, and its token or cursor was not sent before (a loop never ends); an empty page
//! carries no next-page token (it would be the last).
//!
//! The earlier pages of a walk are the scenario's earlier requests to the same list with the
//! same query but for the token, offset or cursor. Items are the same when their `id` is (or,
//! without one, their whole value). Fewer items than the page size with a next token is allowed
//! (Google's APIs say so).

use serde_json::Value;

use super::support::{query_pairs, url_path};
use super::{CheckCtx, Failure};
use crate::error::Location;
use crate::run::Exchange;
use crate::spec::lists::{pagination, NextFrom, Pagination, Style};
use crate::spec::ParamLocation;

const NAME: &str = "pagination_conformance";

/// Fails a page larger than the size sent, a repeated item or token across the pages of one
/// walk, and an empty page with a next-page token.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    if !(200..300).contains(&exchange.response.status) {
        return Ok(());
    }
    let Some(paging) = pagination(ctx.api, ctx.operation) else {
        return Ok(());
    };
    let Some(body) = exchange.response.json() else {
        return Ok(());
    };
    let Some(items) = paging.items.of(&body) else {
        return Ok(());
    };
    let query = query_pairs(&exchange.request.url);
    let sent = |name: &str| {
        query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let at = |name: &str| param_location(ctx, name);
    let size = sent(&paging.size).and_then(|s| s.trim().parse::<usize>().ok());
    if let Some(size) = size.filter(|s| items.len() > *s) {
        return Err(Failure::new(
            NAME,
            format!("page holds more items than {} asked for", paging.size),
            at(&paging.size),
            format!("at most {size} items ({}={size})", paging.size),
            format!("{} items", items.len()),
        ));
    }
    let next = next_token(&paging, exchange, &body, items);
    if items.is_empty() {
        if let Some(token) = &next {
            return Err(Failure::new(
                NAME,
                "empty page has a next-page token",
                at(position(&paging)),
                "no next-page token on the last page",
                format!("next-page token {token}"),
            ));
        }
    }
    let Some(here) = sent(position(&paging)) else {
        return Ok(());
    };
    if next.as_deref() == Some(here.as_str()) && !matches!(paging.style, Style::Offset { .. }) {
        return Err(looped(at(position(&paging)), &here));
    }
    let walk = earlier_pages(&paging, ctx.history, exchange, &query);
    for (page_query, page) in &walk {
        let before = page_query
            .iter()
            .find(|(n, _)| n == position(&paging))
            .map(|(_, v)| v);
        if before == Some(&here) {
            return Err(looped(at(position(&paging)), &here));
        }
        let Some(seen) = page.response.json() else {
            continue;
        };
        let seen: Vec<Value> = paging.items.of(&seen).cloned().unwrap_or_default();
        if let Some(twice) = items.iter().find(|i| seen.iter().any(|s| same_item(s, i))) {
            return Err(Failure::new(
                NAME,
                "item appears on two pages",
                at(position(&paging)),
                "each item on one page of the walk",
                format!(
                    "{} again with {}={here}",
                    identity(twice),
                    position(&paging)
                ),
            ));
        }
    }
    Ok(())
}

fn looped(location: Location, token: &str) -> Failure {
    Failure::new(
        NAME,
        "next-page token loops",
        location,
        "a walk that ends, each token sent once",
        format!("token {token} again"),
    )
}

/// The parameter that says where a page starts.
fn position(paging: &Pagination) -> &str {
    match &paging.style {
        Style::Token { token, .. } => token,
        Style::Offset { offset } => offset,
        Style::Cursor { cursor, .. } => cursor,
    }
}

/// Whether two items are the same: by `id`, else by value.
fn same_item(a: &Value, b: &Value) -> bool {
    match (a.get("id"), b.get("id")) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// How an item is named in a message: its `id`, else its value.
fn identity(item: &Value) -> String {
    match item.get("id") {
        Some(id) => format!("item {id}"),
        None => format!("item {}", super::support::one_line(&item.to_string(), 80)),
    }
}

/// Where query parameter `name` is documented, else the operation.
fn param_location(ctx: &CheckCtx<'_>, name: &str) -> Location {
    ctx.operation
        .parameters
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.name == name)
        .map_or_else(
            || ctx.operation.location.clone(),
            |p| p.location_in_spec.clone(),
        )
}

/// The next page's token or cursor this answer gives, when it gives one.
fn next_token(
    paging: &Pagination,
    exchange: &Exchange,
    body: &Value,
    items: &[Value],
) -> Option<String> {
    let text = |v: &Value| match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match &paging.style {
        Style::Offset { .. } => None,
        Style::Token { next, .. }
        | Style::Cursor {
            next: NextFrom::Body(next),
            ..
        } => body.pointer(next).and_then(text),
        Style::Cursor {
            next: NextFrom::LinkHeader,
            ..
        } => {
            let link = exchange.response.header("link")?;
            link.split(',')
                .find(|l| l.contains("rel=\"next\"") || l.contains("rel=next"))
                .map(|l| l.trim().to_owned())
        }
        Style::Cursor {
            next: NextFrom::LastItem { field, has_more },
            ..
        } => {
            let more = has_more.as_deref().map(|p| body.pointer(p));
            if more.is_some_and(|m| m != Some(&Value::Bool(true))) {
                return None;
            }
            items.last().and_then(|i| i.get(field)).and_then(text)
        }
    }
}

/// The scenario's earlier pages of the same walk: requests to the same list with the same
/// query but for the position parameter, that succeeded.
fn earlier_pages<'a>(
    paging: &Pagination,
    history: &'a [Exchange],
    exchange: &Exchange,
    query: &[(String, String)],
) -> Vec<(Vec<(String, String)>, &'a Exchange)> {
    let position = position(paging);
    let rest = |q: &[(String, String)]| {
        let mut r: Vec<(String, String)> =
            q.iter().filter(|(n, _)| n != position).cloned().collect();
        r.sort();
        r
    };
    let path = url_path(&exchange.request.url);
    let mine = rest(query);
    history
        .iter()
        .filter(|e| {
            e.request.method == exchange.request.method
                && url_path(&e.request.url) == path
                && (200..300).contains(&e.response.status)
        })
        .map(|e| (query_pairs(&e.request.url), e))
        .filter(|(q, _)| rest(q) == mine)
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::table::testkit::{case, exchange, invitation};

    fn page(query: &str, ids: &[&str], next: Option<&str>) -> Exchange {
        let items: Vec<Value> = ids
            .iter()
            .map(|id| {
                let mut i = invitation();
                i["id"] = json!(id);
                i
            })
            .collect();
        let mut body = json!({ "invitations": items });
        if let Some(n) = next {
            body["nextPageToken"] = json!(n);
        }
        let mut ex = exchange(200, body);
        ex.request.method = "GET".to_owned();
        ex.request.url = format!("https://classroom.googleapis.com/v1/invitations?{query}");
        ex
    }

    #[test]
    fn passes_a_walk_that_ends_without_repeats() {
        let mut case = case("classroom.invitations.list");
        let first = page("pageSize=2", &["a", "b"], Some("t1"));
        assert_eq!(case.run(check, &first), Ok(()));
        case.history = vec![first];
        assert_eq!(
            case.run(check, &page("pageSize=2&pageToken=t1", &["c"], None)),
            Ok(())
        );
    }

    #[test]
    fn rejects_a_page_larger_than_the_size_sent() {
        let case = case("classroom.invitations.list");
        let f = case.fails(check, NAME, &page("pageSize=2", &["a", "b", "c"], None));
        assert_eq!(f.title, "page holds more items than pageSize asked for");
        assert_eq!(
            (f.expected.as_str(), f.actual.as_str()),
            ("at most 2 items (pageSize=2)", "3 items")
        );
        assert!(f.location.pointer.contains("parameters"), "{}", f.location);
    }

    #[test]
    fn rejects_a_looping_token_and_an_item_twice() {
        let mut case = case("classroom.invitations.list");
        case.history = vec![page("pageSize=2", &["a", "b"], Some("t1"))];
        let f = case.fails(
            check,
            NAME,
            &page("pageSize=2&pageToken=t1", &["c"], Some("t1")),
        );
        assert_eq!(f.title, "next-page token loops");
        let f = case.fails(check, NAME, &page("pageSize=2&pageToken=t1", &["b"], None));
        assert_eq!(f.title, "item appears on two pages");
        case.history
            .push(page("pageSize=2&pageToken=t1", &["c"], Some("t2")));
        let f = case.fails(check, NAME, &page("pageSize=2&pageToken=t1", &["d"], None));
        assert_eq!(f.title, "next-page token loops");
    }

    #[test]
    fn rejects_an_empty_page_with_a_token() {
        let case = case("classroom.invitations.list");
        let f = case.fails(check, NAME, &page("pageSize=2", &[], Some("t9")));
        assert_eq!(f.title, "empty page has a next-page token");
    }
}
