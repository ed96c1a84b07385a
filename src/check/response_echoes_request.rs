//! `response_echoes_request`: what a client writes comes back as written.
//!
//! A create or an update (a `POST` that creates, a `PUT` or `PATCH` on an item, by the resource
//! graph) that succeeded answers the fields it was sent with the values it was sent. A read of
//! an item created earlier in the scenario answers what the create answered.
//!
//! Conservative by design: a request body that is a document about the resource rather than
//! a representation of it (more than half of its declared properties are not the response's,
//! as in a SCIM `PatchOp`) is not compared; only fields present in both bodies are compared, objects
//! recursively; a field the spec marks `readOnly` is server-set and skipped, as is a sent field
//! the request schema does not declare. A field whose name says it names an item (`userId`,
//! `owner`, `email`, `name`) is not compared in a create or update: a server may answer the
//! canonical id for an alias it was sent (Classroom answers a user's numeric id for the email
//! or `me` it was given). Date-times compare as instants, numbers by value, and
//! `email`, `hostname` and `uri` strings without case (a server may normalise them); enums and
//! every other string compare exactly. Arrays of scalars compare as sets; arrays holding objects
//! are not compared (a server may add fields to or reorder their items). A `null` sent in a
//! `PATCH` removes a field, so it is not compared. A read after a create skips, besides, the
//! `readOnly` fields a server changes on its own (a date-time, or a name that says update,
//! modified, etag, version or revision).

use serde_json::Value;

use super::support::{one_line, response_or_operation, url_path};
use super::{CheckCtx, Failure};
use crate::run::Exchange;
use crate::spec::{names_an_item, Direction, Method, Operation, Schemas};

const NAME: &str = "response_echoes_request";

/// Fails a create or update whose answer changed a field it was sent, and a read after a
/// create that answers a field other than the create did.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    if !(200..300).contains(&exchange.response.status) {
        return Ok(());
    }
    let graph = ctx.api.graph();
    let op = ctx.operation;
    let writes = graph.created_by(op).is_some()
        || (graph.item_of(op).is_some() && matches!(op.method, Method::Put | Method::Patch));
    if writes {
        return echoed(ctx, exchange);
    }
    if op.method == Method::Get && ctx.after_create && graph.item_of(op).is_some() {
        return read_back(ctx, exchange);
    }
    Ok(())
}

/// The fields of a create or update's request body come back equal.
fn echoed(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    let Some(sent) = exchange
        .request
        .body
        .as_deref()
        .and_then(|b| serde_json::from_slice::<Value>(b).ok())
        .filter(Value::is_object)
    else {
        return Ok(());
    };
    let Some(answer) = exchange.response.json() else {
        return Ok(());
    };
    let schemas = &ctx.api.schemas;
    let request = request_schema(ctx.api.schemas.as_ref(), ctx.operation);
    let response = response_schema(schemas, ctx.operation, exchange.response.status);
    if !represents(schemas, request, response) {
        return Ok(());
    }
    let compare = Compare {
        schemas,
        request,
        response,
        patch: ctx.operation.method == Method::Patch,
        after_create: false,
    };
    match compare.differ(&sent, &answer, "") {
        None => Ok(()),
        Some(diff) => Err(diff.failure(
            ctx,
            exchange,
            "response does not echo the request",
            "as sent",
        )),
    }
}

/// A read after a create answers the fields the create answered with the same values.
fn read_back(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    let Some(read) = exchange.response.json().filter(Value::is_object) else {
        return Ok(());
    };
    let path = url_path(&exchange.request.url);
    let parent = path.rsplit_once('/').map_or("", |(p, _)| p);
    let created = ctx.history.iter().rev().find(|e| {
        let made = (200..300).contains(&e.response.status);
        let at = url_path(&e.request.url);
        made && ((e.request.method == "POST" && at == parent)
            || (e.request.method == "PUT" && at == path))
    });
    let Some(answer) = created
        .and_then(|e| e.response.json())
        .filter(Value::is_object)
    else {
        return Ok(());
    };
    let schemas = &ctx.api.schemas;
    let compare = Compare {
        schemas,
        request: None,
        response: response_schema(schemas, ctx.operation, exchange.response.status),
        patch: false,
        after_create: true,
    };
    match compare.differ(&answer, &read, "") {
        None => Ok(()),
        Some(diff) => Err(diff.failure(
            ctx,
            exchange,
            "read differs from the create's answer",
            "as the create answered",
        )),
    }
}

/// Whether the request body is a representation of what the response answers, not a
/// document about it (a SCIM `PatchOp`, a list of operations): more than half of the
/// properties the request declares are properties of the response too. Without both schemas,
/// it is taken to be.
fn represents(schemas: &Schemas, request: Option<&Value>, response: Option<&Value>) -> bool {
    let (Some(request), Some(response)) = (request, response) else {
        return true;
    };
    let mut names: Vec<&str> = schemas
        .properties(request)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    names.sort_unstable();
    names.dedup();
    let shared = names
        .iter()
        .filter(|n| schemas.property(response, n).is_some())
        .count();
    names.is_empty() || shared * 2 > names.len()
}

/// The JSON request body schema of `op`.
fn request_schema<'a>(schemas: &'a Schemas, op: &Operation) -> Option<&'a Value> {
    let media = op
        .request_body
        .as_ref()?
        .content
        .iter()
        .find(|m| m.name.contains("json"))?;
    schemas.get(media.schema.as_ref()?)
}

/// The JSON response body schema documented for `status`.
fn response_schema<'a>(schemas: &'a Schemas, op: &Operation, status: u16) -> Option<&'a Value> {
    let response = op.response_for(status)?;
    let media = response.content.iter().find(|m| m.name.contains("json"))?;
    schemas.get(media.schema.as_ref()?)
}

/// One field that came back other than it should.
struct Diff {
    path: String,
    want: Value,
    got: Value,
}

impl Diff {
    fn failure(self, ctx: &CheckCtx<'_>, exchange: &Exchange, title: &str, how: &str) -> Failure {
        let mut f = Failure::new(
            NAME,
            format!("{title} at {}", self.path),
            response_or_operation(ctx, exchange),
            format!(
                "{} {how}: {}",
                self.path,
                one_line(&self.want.to_string(), 120)
            ),
            format!("{}: {}", self.path, one_line(&self.got.to_string(), 120)),
        );
        f.instance_path = Some(self.path);
        f
    }
}

/// How two bodies are compared.
struct Compare<'a> {
    schemas: &'a Schemas,
    /// The request schema: a field it does not declare is not compared (`None`: every one is).
    request: Option<&'a Value>,
    /// The response schema: a field it marks `readOnly` is server-set.
    response: Option<&'a Value>,
    /// A `null` removes a field.
    patch: bool,
    /// A read after a create: fields a server changes on its own are skipped too.
    after_create: bool,
}

impl Compare<'_> {
    /// The first field of `want` that `got` holds with another value.
    fn differ(&self, want: &Value, got: &Value, at: &str) -> Option<Diff> {
        self.differ_in(want, got, at, self.request, self.response, 0)
    }

    fn differ_in(
        &self,
        want: &Value,
        got: &Value,
        at: &str,
        request: Option<&Value>,
        response: Option<&Value>,
        depth: usize,
    ) -> Option<Diff> {
        let (Value::Object(want), Value::Object(got)) = (want, got) else {
            return None;
        };
        if depth > 16 {
            return None;
        }
        for (name, sent) in want {
            let Some(back) = got.get(name) else {
                continue;
            };
            let req = request.and_then(|s| self.schemas.property(s, name));
            let res = response.and_then(|s| self.schemas.property(s, name));
            if (self.request.is_some() && req.is_none())
                || [req, res]
                    .into_iter()
                    .flatten()
                    .any(|p| self.schemas.excluded(p, Direction::Request))
                || (self.patch && sent.is_null())
                || (!self.after_create && names_an_item(name))
                || (self.after_create && changes_on_its_own(self.schemas, name, res))
            {
                continue;
            }
            let path = format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
            if sent.is_object() {
                if let Some(diff) = self.differ_in(sent, back, &path, req, res, depth + 1) {
                    return Some(diff);
                }
                continue;
            }
            let format = [res, req]
                .into_iter()
                .flatten()
                .find_map(|p| self.schemas.keyword(p, "format"))
                .and_then(Value::as_str);
            if !same(sent, back, format) {
                return Some(Diff {
                    path,
                    want: sent.clone(),
                    got: back.clone(),
                });
            }
        }
        None
    }
}

/// Whether a field is one a server may change between a create and a read: `readOnly` with a
/// date-time, or named for an update, a modification, an etag, a version or a revision.
fn changes_on_its_own(schemas: &Schemas, name: &str, schema: Option<&Value>) -> bool {
    let lower = name.to_ascii_lowercase();
    let named = ["update", "modif", "etag", "version", "revision"]
        .iter()
        .any(|w| lower.contains(w));
    let timed = schema.is_some_and(|s| {
        schemas.excluded(s, Direction::Request)
            && schemas
                .keyword(s, "format")
                .and_then(Value::as_str)
                .is_some_and(|f| f == "date-time")
    });
    named || timed
}

/// Whether `back` is `sent` as a server may answer it (see the module doc).
fn same(sent: &Value, back: &Value, format: Option<&str>) -> bool {
    match (sent, back) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::String(a), Value::String(b)) => match format {
            Some("date-time") => match (instant(a), instant(b)) {
                (Some(x), Some(y)) => x == y,
                _ => a == b,
            },
            Some("email" | "idn-email" | "hostname" | "idn-hostname" | "uri" | "iri") => {
                a.eq_ignore_ascii_case(b)
            }
            _ => a == b,
        },
        (Value::Array(a), Value::Array(b)) => {
            if a.iter().chain(b).any(|v| v.is_object() || v.is_array()) {
                return true;
            }
            a.iter().all(|x| b.iter().any(|y| same(x, y, format)))
                && b.iter().all(|y| a.iter().any(|x| same(x, y, format)))
        }
        (a, b) => a == b,
    }
}

/// An RFC 3339 date-time as (seconds since the epoch, nanoseconds), when it is one.
fn instant(text: &str) -> Option<(i64, u32)> {
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = text.get(from..from + len)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if b.get(4) != Some(&b'-') || !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let mut at = 19;
    let mut nanos: u32 = 0;
    if b.get(at) == Some(&b'.') {
        let digits: String = text[at + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        at += 1 + digits.len();
        let padded: String = digits
            .chars()
            .chain(std::iter::repeat('0'))
            .take(9)
            .collect();
        nanos = padded.parse().ok()?;
    }
    let offset = match text.get(at..)? {
        "Z" | "z" => 0,
        zone if zone.len() == 6 => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            sign * (num(at + 1, 2)? * 3600 + num(at + 4, 2)? * 60)
        }
        _ => return None,
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((
        days * 86_400 + hour * 3600 + minute * 60 + second - offset,
        nanos,
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::table::testkit::{case, exchange, invitation};

    fn sent(mut ex: Exchange, body: &Value) -> Exchange {
        ex.request.body = Some(body.to_string().into_bytes());
        ex
    }

    #[test]
    fn passes_a_create_that_answers_what_it_was_sent() {
        let case = case("classroom.invitations.create");
        let body = json!({"userId": "me", "courseId": "10", "role": "STUDENT"});
        let mut answer = invitation();
        answer["userId"] = json!("me");
        answer["courseId"] = json!("10");
        assert_eq!(case.run(check, &sent(exchange(200, answer), &body)), Ok(()));
    }

    #[test]
    fn rejects_a_create_that_answers_another_value() {
        let case = case("classroom.invitations.create");
        let body = json!({"userId": "me", "courseId": "10", "role": "TEACHER"});
        let mut answer = invitation();
        answer["userId"] = json!("me");
        answer["courseId"] = json!("10");
        let f = case.fails(check, NAME, &sent(exchange(200, answer), &body));
        assert_eq!(f.title, "response does not echo the request at /role");
        assert_eq!(f.expected, "/role as sent: \"TEACHER\"");
        assert_eq!(f.actual, "/role: \"STUDENT\"");
        assert_eq!(f.instance_path.as_deref(), Some("/role"));
    }

    #[test]
    fn skips_read_only_fields_undeclared_fields_and_failed_creates() {
        let case = case("classroom.invitations.create");
        // `id` is readOnly in the Invitation schema; `extra` is not declared.
        let body = json!({"id": "mine", "extra": 1, "role": "STUDENT"});
        let answer = json!({"id": "459981238127", "extra": 2, "role": "STUDENT"});
        assert_eq!(
            case.run(check, &sent(exchange(200, answer.clone()), &body)),
            Ok(())
        );
        let body = json!({"role": "TEACHER"});
        assert_eq!(case.run(check, &sent(exchange(409, answer), &body)), Ok(()));
    }

    #[test]
    fn passes_a_read_after_create_that_answers_the_create() {
        let mut case = case("classroom.invitations.get");
        case.after_create = true;
        case.history = vec![exchange(200, invitation())];
        let mut read = exchange(200, invitation());
        read.request.method = "GET".to_owned();
        read.request.url = "https://classroom.googleapis.com/v1/invitations/459981238127".into();
        assert_eq!(case.run(check, &read), Ok(()));
        let mut other = invitation();
        other["role"] = json!("TEACHER");
        let mut wrong = exchange(200, other);
        wrong.request = read.request.clone();
        let f = case.fails(check, NAME, &wrong);
        assert_eq!(f.title, "read differs from the create's answer at /role");
        // Without the create in the history, nothing to compare.
        case.history.clear();
        assert_eq!(case.run(check, &wrong), Ok(()));
    }

    #[test]
    fn compares_date_times_as_instants_numbers_by_value_and_enums_exactly() {
        assert!(same(
            &json!("2024-01-01T10:00:00Z"),
            &json!("2024-01-01T11:00:00.000+01:00"),
            Some("date-time")
        ));
        assert!(!same(
            &json!("2024-01-01T10:00:00Z"),
            &json!("2024-01-01T10:00:01Z"),
            Some("date-time")
        ));
        assert!(same(&json!(1), &json!(1.0), None));
        assert!(!same(&json!("STUDENT"), &json!("student"), None));
        assert!(same(&json!("A@x.io"), &json!("a@x.io"), Some("email")));
        assert!(same(&json!(["a", "b"]), &json!(["b", "a"]), None));
        assert!(!same(&json!(["a"]), &json!(["a", "b"]), None));
        assert_eq!(instant("1970-01-01T00:00:01Z"), Some((1, 0)));
        assert_eq!(instant("1970-01-01T00:00:00.5Z"), Some((0, 500_000_000)));
        assert_eq!(instant("not a date"), None);
    }
}
