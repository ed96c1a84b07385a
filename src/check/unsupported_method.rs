//! `unsupported_method`: a method the path does not declare must get 405 Method Not Allowed
//! with an `Allow` header that lists exactly the methods the path declares (in any order and
//! case), as RFC 9110 asks.

use super::{CheckCtx, Failure, Probe};
use crate::run::Exchange;

/// The check's name.
pub const NAME: &str = "unsupported_method";

/// Fails an undeclared method answered otherwise than 405 with the declared methods in `Allow`.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    let Some(Probe::UnsupportedMethod { allowed }) = &ctx.expect.probe else {
        return Ok(());
    };
    let method = &exchange.request.method;
    let status = exchange.response.status;
    let location = ctx.operation.location.parent();
    let declared = allowed.join(", ");
    if status != 405 {
        return Err(Failure::new(
            NAME,
            format!("undeclared method {method} not refused with 405"),
            location,
            format!("status 405 with Allow: {declared}"),
            format!("status {status}"),
        ));
    }
    let Some(header) = exchange
        .response
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("allow"))
        .map(|(_, v)| v.as_str())
    else {
        return Err(Failure::new(
            NAME,
            "405 without an Allow header",
            location,
            format!("Allow: {declared}"),
            "no Allow header",
        ));
    };
    let listed: Vec<String> = header
        .split(',')
        .map(|m| m.trim().to_ascii_uppercase())
        .filter(|m| !m.is_empty())
        .collect();
    let wanted: Vec<String> = allowed.iter().map(|m| m.to_ascii_uppercase()).collect();
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|m| !listed.contains(m))
        .map(String::as_str)
        .collect();
    let extra: Vec<&str> = listed
        .iter()
        .filter(|m| !wanted.contains(m))
        .map(String::as_str)
        .collect();
    if missing.is_empty() && extra.is_empty() {
        return Ok(());
    }
    let mut differences = Vec::new();
    if !missing.is_empty() {
        differences.push(format!("missing {}", missing.join(", ")));
    }
    if !extra.is_empty() {
        differences.push(format!("not declared {}", extra.join(", ")));
    }
    Err(Failure::new(
        NAME,
        format!(
            "Allow does not list the declared methods ({})",
            differences.join("; ")
        ),
        location,
        format!("Allow: {declared}"),
        format!("Allow: {header}"),
    ))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::check::table::testkit::{case, raw, Case};

    fn probe() -> Case {
        let mut case = case("classroom.invitations.get");
        case.expect.probe = Some(Probe::UnsupportedMethod {
            allowed: vec!["GET".to_owned(), "DELETE".to_owned()],
        });
        case
    }

    fn answer(status: u16, allow: Option<&str>) -> Exchange {
        let mut ex = raw(status, None, b"");
        ex.request.method = "PATCH".to_owned();
        if let Some(allow) = allow {
            ex.response
                .headers
                .push(("Allow".to_owned(), allow.to_owned()));
        }
        ex.elapsed = Duration::from_millis(1);
        ex
    }

    #[test]
    fn passes_405_with_the_declared_methods_in_any_order_and_case() {
        let case = probe();
        assert_eq!(case.run(check, &answer(405, Some("delete, GET"))), Ok(()));
    }

    #[test]
    fn rejects_another_status_at_the_path() {
        let f = probe().fails(check, NAME, &answer(200, Some("GET")));
        assert_eq!(f.title, "undeclared method PATCH not refused with 405");
        assert_eq!(f.expected, "status 405 with Allow: GET, DELETE");
        assert_eq!(f.location.pointer, "/paths/~1v1~1invitations~1{id}");
    }

    #[test]
    fn rejects_a_405_without_allow() {
        let f = probe().fails(check, NAME, &answer(405, None));
        assert_eq!(f.title, "405 without an Allow header");
    }

    #[test]
    fn names_the_missing_and_extra_methods() {
        let f = probe().fails(check, NAME, &answer(405, Some("GET, PUT")));
        assert_eq!(
            f.title,
            "Allow does not list the declared methods (missing DELETE; not declared PUT)"
        );
        assert_eq!(f.actual, "Allow: GET, PUT");
    }

    #[test]
    fn ignores_a_step_that_probes_nothing() {
        let case = case("classroom.invitations.get");
        assert_eq!(case.run(check, &answer(200, None)), Ok(()));
    }
}
