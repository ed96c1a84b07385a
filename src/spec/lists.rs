//! What a list operation's query and answer mean, read from the spec: where its items are, which
//! query parameters filter them by a field, and its pagination style.
//!
//! Styles recognised, by the names of the query parameters and of the answer's fields:
//! - token (Google): a size (`pageSize`, `page_size`, `maxResults`, `limit`, `per_page`) with a
//!   `pageToken`/`page_token`, and `nextPageToken`/`next_page_token` in the answer;
//! - offset: `limit` (or another size) with `offset` or `skip`;
//! - cursor: a size with `cursor`, `after`, `starting_after`, `page[after]`, `next`, `marker`
//!   or `continuation`, and where the next cursor is: a field of the answer (`next_cursor`,
//!   `nextCursor`, `cursor`, `next`, `after`, also inside a `meta`, `pagination` or
//!   `response_metadata` object), a documented `Link` header (`rel=next`), or, for
//!   `starting_after`/`after`, the last item's `id` (while `has_more` says so, where the answer
//!   has one; Discord's `after` has none: a page that is not empty goes on).
//!
//! May import the rest of `spec`.

use serde_json::Value;

use crate::spec::{Api, Method, Operation, ParamLocation};

/// Where the items of a list's answer are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Items {
    /// The body is the array.
    Body,
    /// The body is an object; the items are this property.
    Field(String),
}

impl Items {
    /// The items of `body`, when it holds them where the spec says.
    pub fn of<'a>(&self, body: &'a Value) -> Option<&'a Vec<Value>> {
        match self {
            Items::Body => body.as_array(),
            Items::Field(name) => body.get(name)?.as_array(),
        }
    }
}

/// Where the next page's token or cursor is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextFrom {
    /// A JSON pointer into the answer.
    Body(String),
    /// The `Link` header's `rel=next` URL, whose query holds the cursor parameter.
    LinkHeader,
    /// The last item's field (`id`), when the answer says `has_more` at this pointer (without
    /// one: whenever the page holds items).
    LastItem {
        /// The item field.
        field: String,
        /// Where `has_more` is, when the answer has it.
        has_more: Option<String>,
    },
}

/// How a list operation pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Style {
    /// A page token from the previous answer.
    Token {
        /// The token parameter.
        token: String,
        /// Where the next token is.
        next: String,
    },
    /// An item offset.
    Offset {
        /// The offset parameter.
        offset: String,
    },
    /// An opaque cursor.
    Cursor {
        /// The cursor parameter.
        cursor: String,
        /// Where the next cursor is.
        next: NextFrom,
    },
}

/// A recognised pagination: the page size parameter and the style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The page size parameter.
    pub size: String,
    /// The style.
    pub style: Style,
    /// Where the items are.
    pub items: Items,
}

impl Pagination {
    /// One line for `contractor list`: `token (pageSize, pageToken -> /nextPageToken)`.
    pub fn describe(&self) -> String {
        match &self.style {
            Style::Token { token, next } => format!("token ({}, {token} -> {next})", self.size),
            Style::Offset { offset } => format!("offset ({}, {offset})", self.size),
            Style::Cursor { cursor, next } => {
                let from = match next {
                    NextFrom::Body(p) => p.clone(),
                    NextFrom::LinkHeader => "Link rel=next".to_owned(),
                    NextFrom::LastItem {
                        field,
                        has_more: Some(more),
                    } => format!("last item's {field} while {more}"),
                    NextFrom::LastItem { field, .. } => format!("last item's {field}"),
                };
                format!("cursor ({}, {cursor} -> {from})", self.size)
            }
        }
    }

    /// The query parameters pagination uses (not filters).
    pub fn params(&self) -> Vec<&str> {
        let mut out = vec![self.size.as_str()];
        out.push(match &self.style {
            Style::Token { token, .. } => token,
            Style::Offset { offset } => offset,
            Style::Cursor { cursor, .. } => cursor,
        });
        out
    }
}

const SIZES: [&str; 10] = [
    "pageSize",
    "page_size",
    "maxResults",
    "max_results",
    "limit",
    "per_page",
    "perPage",
    "page[size]",
    "page[limit]",
    "first",
];
const TOKENS: [&str; 2] = ["pageToken", "page_token"];
const NEXT_TOKENS: [&str; 2] = ["nextPageToken", "next_page_token"];
const OFFSETS: [&str; 3] = ["offset", "skip", "page[offset]"];
const CURSORS: [&str; 9] = [
    "cursor",
    "after",
    "starting_after",
    "page[after]",
    "page[cursor]",
    "next",
    "marker",
    "continuation",
    "continuationToken",
];
const NEXT_CURSORS: [&str; 7] = [
    "next_cursor",
    "nextCursor",
    "cursor",
    "next",
    "after",
    "endCursor",
    "continuation",
];
const CURSOR_HOMES: [&str; 5] = ["meta", "pagination", "response_metadata", "page", "links"];

/// Query parameter names that only read as pagination, sorting or searching, never a filter.
const NOT_FILTERS: [&str; 12] = [
    "q", "query", "search", "sort", "order", "orderBy", "order_by", "fields", "expand", "include",
    "filter", "page",
];

/// Where the items of `op`'s lowest success answer are, when it is a list.
pub fn items(api: &Api, op: &Operation) -> Option<Items> {
    if op.method != Method::Get {
        return None;
    }
    let schema = success_schema(api, op)?;
    if api.schemas.types(schema).contains(&"array") {
        return Some(Items::Body);
    }
    api.schemas
        .properties(schema)
        .into_iter()
        .find(|(_, p)| {
            api.schemas.types(p).contains(&"array")
                && api.schemas.keyword(p, "items").is_some_and(|i| {
                    api.schemas.types(i).contains(&"object")
                        || !api.schemas.properties(i).is_empty()
                })
        })
        .map(|(name, _)| Items::Field(name.to_owned()))
}

/// The query parameters of list `op` that name a field of its items (the same name), with
/// the pagination, sorting and search ones left out.
pub fn filters(api: &Api, op: &Operation) -> Vec<String> {
    let Some(items) = items(api, op) else {
        return Vec::new();
    };
    let Some(item) = item_schema(api, op, &items) else {
        return Vec::new();
    };
    let paging = pagination(api, op);
    op.parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .filter(|p| !NOT_FILTERS.contains(&p.name.as_str()) && !page_ish(&p.name))
        .filter(|p| {
            paging
                .as_ref()
                .is_none_or(|g| !g.params().contains(&p.name.as_str()))
        })
        .filter(|p| {
            api.schemas.property(item, &p.name).is_some_and(|f| {
                let types = api.schemas.types(f);
                !types.contains(&"object") && !types.contains(&"array")
            })
        })
        .map(|p| p.name.clone())
        .collect()
}

/// Whether item field value `value` is what query text `text` asks for: type-aware (a
/// number by value, a boolean as `true`/`false`, a string exactly); `None` when they cannot
/// be compared (null, an object, an array).
pub fn matches_query(value: &Value, text: &str) -> Option<bool> {
    match value {
        Value::String(s) => Some(s == text),
        Value::Number(n) => Some(
            text.trim()
                .parse::<f64>()
                .is_ok_and(|t| n.as_f64() == Some(t)),
        ),
        Value::Bool(b) => Some(text.eq_ignore_ascii_case(if *b { "true" } else { "false" })),
        _ => None,
    }
}

/// Whether a query parameter's name reads as pagination.
pub fn page_ish(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "page",
        "cursor",
        "offset",
        "limit",
        "nexttoken",
        "next_token",
        "after",
        "before",
        "skip",
        "marker",
        "per_page",
        "perpage",
        "maxresults",
        "max_results",
        "continuation",
        "starting_",
        "ending_",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// The pagination style of list `op`, when it is one we recognise.
pub fn pagination(api: &Api, op: &Operation) -> Option<Pagination> {
    let items = items(api, op)?;
    let query: Vec<&str> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| p.name.as_str())
        .collect();
    let find = |names: &[&str]| {
        names
            .iter()
            .find(|n| query.contains(n))
            .map(|n| (*n).to_owned())
    };
    let size = find(&SIZES)?;
    let schema = success_schema(api, op);
    let field = |names: &[&str]| -> Option<String> {
        let schema = schema?;
        let props = api.schemas.properties(schema);
        if let Some((name, _)) = props.iter().find(|(n, _)| names.contains(n)) {
            return Some(format!("/{name}"));
        }
        props.iter().find_map(|(home, sub)| {
            if !CURSOR_HOMES.contains(home) {
                return None;
            }
            api.schemas
                .properties(sub)
                .into_iter()
                .find(|(n, _)| names.contains(n))
                .map(|(n, _)| format!("/{home}/{n}"))
        })
    };
    let style = if let (Some(token), Some(next)) = (find(&TOKENS), field(&NEXT_TOKENS)) {
        Style::Token { token, next }
    } else if let Some(offset) = find(&OFFSETS) {
        Style::Offset { offset }
    } else {
        let cursor = find(&CURSORS)?;
        let link = op.successes().first().is_some_and(|(_, r)| {
            r.headers
                .iter()
                .any(|h| h.name.eq_ignore_ascii_case("link"))
        });
        let next = if let Some(pointer) = field(&NEXT_CURSORS) {
            NextFrom::Body(pointer)
        } else if link {
            NextFrom::LinkHeader
        } else if matches!(cursor.as_str(), "starting_after" | "after") {
            let has_more = field(&["has_more", "hasMore"]);
            let item = item_schema(api, op, &items)?;
            api.schemas.property(item, "id")?;
            NextFrom::LastItem {
                field: "id".to_owned(),
                has_more,
            }
        } else {
            return None;
        };
        Style::Cursor { cursor, next }
    };
    Some(Pagination { size, style, items })
}

/// What `contractor list` says of list `op`'s pagination: its style, "pagination not
/// recognised" when it has page-ish query parameters but no style we know, else nothing.
pub fn pagination_note(api: &Api, op: &Operation) -> Option<String> {
    items(api, op)?;
    if let Some(p) = pagination(api, op) {
        return Some(format!("pagination: {}", p.describe()));
    }
    let ish: Vec<&str> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Query && page_ish(&p.name))
        .map(|p| p.name.as_str())
        .collect();
    (!ish.is_empty()).then(|| format!("pagination not recognised ({})", ish.join(", ")))
}

/// The schema of one item of list `op`.
fn item_schema<'a>(api: &'a Api, op: &Operation, items: &Items) -> Option<&'a Value> {
    let schema = success_schema(api, op)?;
    let array = match items {
        Items::Body => schema,
        Items::Field(name) => api.schemas.property(schema, name)?,
    };
    api.schemas.keyword(array, "items")
}

/// The JSON schema of `op`'s lowest documented success.
fn success_schema<'a>(api: &'a Api, op: &Operation) -> Option<&'a Value> {
    let (_, response) = op.successes().into_iter().next()?;
    let media = response
        .content
        .iter()
        .find(|m| m.name.contains("json"))
        .or_else(|| response.content.first())?;
    api.schemas.get(media.schema.as_ref()?)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn compares_query_text_by_the_field_type() {
        assert_eq!(matches_query(&json!("a"), "a"), Some(true));
        assert_eq!(matches_query(&json!("A"), "a"), Some(false));
        assert_eq!(matches_query(&json!(7), "7.0"), Some(true));
        assert_eq!(matches_query(&json!(7), "8"), Some(false));
        assert_eq!(matches_query(&json!(true), "true"), Some(true));
        assert_eq!(matches_query(&json!(null), "x"), None);
    }

    fn styles() -> Api {
        let path = std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/semantics/styles.yaml"
        ));
        let mut loaded = crate::spec::load(path, &Default::default()).expect("fixture loads");
        loaded.apis.remove(0)
    }

    fn described(api: &Api, op: &str) -> Option<String> {
        pagination_note(api, api.operation(op).expect("operation"))
    }

    #[test]
    fn recognises_offset_cursor_last_item_and_link_styles() {
        let api = styles();
        let notes: Vec<Option<String>> = [
            "offsets.list",
            "stripe.list",
            "cursors.list",
            "linked.list",
            "discord.list",
            "limited.list",
        ]
        .iter()
        .map(|op| described(&api, op))
        .collect();
        let want = [
            "pagination: offset (limit, offset)",
            "pagination: cursor (limit, starting_after -> last item's id while /has_more)",
            "pagination: cursor (limit, cursor -> /meta/next_cursor)",
            "pagination: cursor (per_page, page[after] -> Link rel=next)",
            "pagination: cursor (limit, after -> last item's id)",
            "pagination not recognised (limit)",
        ];
        for (got, want) in notes.iter().zip(want) {
            assert_eq!(got.as_deref(), Some(want));
        }
        let stripe = api.operation("stripe.list").expect("stripe");
        assert_eq!(items(&api, stripe), Some(Items::Field("data".to_owned())));
    }

    #[test]
    fn a_query_parameter_naming_an_item_field_filters_and_pagination_does_not() {
        let api = styles();
        let offsets = api.operation("offsets.list").expect("offsets");
        assert_eq!(filters(&api, offsets), ["status"]);
        let cursors = api.operation("cursors.list").expect("cursors");
        assert_eq!(filters(&api, cursors), Vec::<String>::new());
    }

    #[test]
    fn page_ish_names_read_as_pagination() {
        for name in [
            "pageSize",
            "page[after]",
            "starting_after",
            "limit",
            "maxResults",
        ] {
            assert!(page_ish(name), "{name}");
        }
        for name in ["status", "courseId", "name"] {
            assert!(!page_ish(name), "{name}");
        }
    }
}
