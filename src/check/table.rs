//! The table of checks: their names, what they read, whether they are on by default, and the
//! one place that runs them on an exchange, in order, with the status gate and de-duplication.

use std::collections::HashSet;

use super::{
    content_type_conformance, ensure_resource_availability, error_code_conformance, ignored_auth,
    list_filter_conformance, max_response_time, missing_required_header, negative_data_rejection,
    not_a_server_error, pagination_conformance, positive_data_acceptance, response_echoes_request,
    response_headers_conformance, response_schema_conformance, status_code_conformance,
    unsupported_method, use_after_free, CheckCtx, Failure,
};
use crate::run::Exchange;

/// A check's signature.
pub type CheckFn = fn(&CheckCtx<'_>, &Exchange) -> Result<(), Failure>;

/// One entry of the table.
#[derive(Debug)]
pub struct Check {
    /// The name users switch it on and off by (`status_code_conformance`).
    pub name: &'static str,
    /// One line on what it asserts.
    pub about: &'static str,
    /// The check itself.
    pub run: CheckFn,
    /// A body check: skipped when a gating check failed for the same exchange.
    pub reads_body: bool,
    /// A gate: when it fails, the body checks of that exchange are skipped (the status is the
    /// stronger assert). A slow response says nothing about the body, so not every status
    /// check is a gate.
    pub gates_body: bool,
    /// On unless switched off.
    pub default_on: bool,
}

/// Every check, status checks first, in the order they run.
pub const CHECKS: &[Check] = &[
    Check {
        name: "not_a_server_error",
        about: "the response is not a 5xx, unless the step expects exactly that status",
        run: not_a_server_error::check,
        reads_body: false,
        gates_body: true,
        default_on: true,
    },
    Check {
        name: "status_code_conformance",
        about: "the status is documented for the operation, and is the one the step expects",
        run: status_code_conformance::check,
        reads_body: false,
        gates_body: true,
        default_on: true,
    },
    Check {
        name: "ensure_resource_availability",
        about: "a resource created earlier in the scenario is not a 404",
        run: ensure_resource_availability::check,
        reads_body: false,
        gates_body: false,
        default_on: true,
    },
    Check {
        name: "use_after_free",
        about: "a resource deleted earlier in the scenario is no longer available",
        run: use_after_free::check,
        reads_body: false,
        gates_body: false,
        default_on: true,
    },
    // The probes: each judges only a step that probes on purpose (`StepExpect.probe`).
    Check {
        name: "negative_data_rejection",
        about: "a request with one invalid value on purpose is refused with a 4xx",
        run: negative_data_rejection::check,
        reads_body: false,
        gates_body: false,
        default_on: true,
    },
    Check {
        name: "positive_data_acceptance",
        about:
            "a request the spec allows (a boundary, a random valid input) is not refused with a 4xx",
        run: positive_data_acceptance::check,
        reads_body: false,
        gates_body: false,
        default_on: true,
    },
    Check {
        name: "missing_required_header",
        about: "a request without a required header is refused with a 4xx",
        run: missing_required_header::check,
        reads_body: false,
        gates_body: false,
        default_on: true,
    },
    Check {
        name: "unsupported_method",
        about: "a method the path does not declare gets 405 with Allow listing the declared ones",
        run: unsupported_method::check,
        reads_body: false,
        gates_body: false,
        default_on: true,
    },
    Check {
        name: "ignored_auth",
        about: "a credential no one issued is not served with a 2xx",
        run: ignored_auth::check,
        reads_body: false,
        gates_body: false,
        default_on: true,
    },
    Check {
        name: "max_response_time",
        about: "the response arrived within the response-time budget",
        run: max_response_time::check,
        reads_body: false,
        gates_body: false,
        default_on: false,
    },
    Check {
        name: "error_code_conformance",
        about: "the error body carries the error code and request error the step expects",
        run: error_code_conformance::check,
        reads_body: true,
        gates_body: false,
        default_on: true,
    },
    Check {
        name: "content_type_conformance",
        about: "the response's media type is one documented for its status",
        run: content_type_conformance::check,
        reads_body: true,
        gates_body: false,
        default_on: true,
    },
    Check {
        name: "response_schema_conformance",
        about: "the JSON body validates against the schema documented for its status",
        run: response_schema_conformance::check,
        reads_body: true,
        gates_body: false,
        default_on: true,
    },
    Check {
        name: "response_headers_conformance",
        about: "required documented headers are present and match their schemas",
        run: response_headers_conformance::check,
        reads_body: true,
        gates_body: false,
        default_on: true,
    },
    // Issue 10, response semantics: checks no peer has.
    Check {
        name: "response_echoes_request",
        about: "a create or update answers the fields it was sent as sent, and a read after a create answers what the create did",
        run: response_echoes_request::check,
        reads_body: true,
        gates_body: false,
        default_on: true,
    },
    Check {
        name: "list_filter_conformance",
        about: "a list filtered by a query parameter naming an item field answers only items with the value sent",
        run: list_filter_conformance::check,
        reads_body: true,
        gates_body: false,
        default_on: true,
    },
    Check {
        name: "pagination_conformance",
        about: "a page holds at most the size sent, a walk of pages ends and repeats no item, an empty page has no next token",
        run: pagination_conformance::check,
        reads_body: true,
        gates_body: false,
        default_on: true,
    },
];

/// A check by name, or an error with "did you mean ...?" for a near miss.
///
/// ```
/// use contractor::check::find;
///
/// assert!(find("status_code_conformance").unwrap().default_on);
/// let err = find("status_code_conformanse").unwrap_err();
/// assert!(err.contains("did you mean 'status_code_conformance'?"));
/// ```
pub fn find(name: &str) -> Result<&'static Check, String> {
    let wanted = name.trim().replace('-', "_");
    if let Some(check) = CHECKS.iter().find(|c| c.name == wanted) {
        return Ok(check);
    }
    let near = crate::error::did_you_mean(CHECKS.iter().map(|c| c.name), &wanted);
    Err(match near {
        Some(n) => format!("unknown check '{name}' (did you mean '{n}'?)"),
        None => {
            let names: Vec<&str> = CHECKS.iter().map(|c| c.name).collect();
            format!("unknown check '{name}' (known: {})", names.join(", "))
        }
    })
}

/// Runs `enabled` checks on one exchange: the status checks first; if a gating one fails, the
/// body checks are skipped (the status is the stronger assert); failures de-duplicated on
/// [`Failure::dedup_key`].
pub fn evaluate(
    ctx: &CheckCtx<'_>,
    exchange: &Exchange,
    enabled: &[&'static Check],
) -> Vec<Failure> {
    let mut failures = Vec::new();
    let mut gated = false;
    for check in enabled.iter().filter(|c| !c.reads_body) {
        if let Err(failure) = (check.run)(ctx, exchange) {
            gated |= check.gates_body;
            failures.push(failure);
        }
    }
    if !gated {
        for check in enabled.iter().filter(|c| c.reads_body) {
            if let Err(failure) = (check.run)(ctx, exchange) {
                failures.push(failure);
            }
        }
    }
    // A probe's own check says what is wrong with the answer to that probe (an invalid
    // credential accepted, a fault accepted): the status mismatch it also is would only say
    // it again, less precisely.
    if failures.iter().any(|f| PROBE_CHECKS.contains(&f.check)) {
        failures.retain(|f| f.check != "status_code_conformance");
    }
    let mut seen = HashSet::new();
    failures.retain(|f| seen.insert(f.dedup_key()));
    failures
}

/// The checks that judge a step's probe; each supersedes `status_code_conformance` on the
/// exchanges where it fails.
const PROBE_CHECKS: [&str; 5] = [
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "ignored_auth",
];

/// The small DSL the checks' unit tests share: the Classroom invitations spec, a case for one
/// of its operations, and hand-made exchanges.
#[cfg(test)]
pub(crate) mod testkit {
    use std::path::Path;
    use std::sync::OnceLock;
    use std::time::Duration;

    use serde_json::Value;

    use super::CheckFn;
    use crate::check::{CheckCtx, Expectation, Failure};
    use crate::run::{Exchange, ReceivedResponse, SentRequest};
    use crate::spec::Api;

    /// `specs/google-classroom/invitations.yaml`, loaded once.
    pub fn api() -> &'static Api {
        static API: OnceLock<Api> = OnceLock::new();
        API.get_or_init(|| {
            let path = Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/specs/google-classroom/invitations.yaml"
            ));
            let mut loaded = crate::spec::load(path, &Default::default()).expect("fixture loads");
            loaded.apis.remove(0)
        })
    }

    /// What a check runs against besides the exchange.
    #[derive(Debug, Clone, Default)]
    pub struct Case {
        pub op: &'static str,
        pub expect: Expectation,
        pub max_response_time: Option<Duration>,
        pub after_delete: bool,
        pub after_create: bool,
        /// The exchanges of earlier steps.
        pub history: Vec<Exchange>,
    }

    /// A case for operation `op` (`classroom.invitations.create`), expecting nothing.
    pub fn case(op: &'static str) -> Case {
        Case {
            op,
            ..Case::default()
        }
    }

    impl Case {
        /// The step expects `status`.
        pub fn expect_status(mut self, status: u16) -> Case {
            self.expect.status = Some(status);
            self
        }

        /// The step expects the Google error code `code`.
        pub fn expect_code(mut self, code: &str) -> Case {
            self.expect.error_code = Some(code.to_owned());
            self
        }

        /// The step expects the request error `reason`.
        pub fn expect_reason(mut self, reason: &str) -> Case {
            self.expect.reason = Some(reason.to_owned());
            self
        }

        /// The context a check sees.
        pub fn ctx(&self) -> CheckCtx<'_> {
            let api = api();
            CheckCtx {
                history: &self.history,
                api,
                operation: api.operation(self.op).expect("operation in the fixture"),
                expect: &self.expect,
                max_response_time: self.max_response_time,
                after_delete: self.after_delete,
                after_create: self.after_create,
            }
        }

        /// Runs `check` on `exchange`.
        pub fn run(&self, check: CheckFn, exchange: &Exchange) -> Result<(), Failure> {
            check(&self.ctx(), exchange)
        }

        /// Runs `check` on `exchange`, which must fail it: the failure, named `name`.
        pub fn fails(&self, check: CheckFn, name: &str, exchange: &Exchange) -> Failure {
            match self.run(check, exchange) {
                Ok(()) => panic!("{name} passed on {exchange:?}"),
                Err(f) => {
                    assert_eq!(f.check, name, "{f:?}");
                    f
                }
            }
        }
    }

    /// A response with `status` and a JSON body, sent as `application/json; charset=UTF-8`.
    pub fn exchange(status: u16, body: Value) -> Exchange {
        raw(
            status,
            Some("application/json; charset=UTF-8"),
            body.to_string().as_bytes(),
        )
    }

    /// A response with `status`, an optional Content-Type and `body` as bytes.
    pub fn raw(status: u16, content_type: Option<&str>, body: &[u8]) -> Exchange {
        Exchange {
            request: SentRequest {
                method: "POST".to_owned(),
                url: "https://classroom.googleapis.com/v1/invitations".to_owned(),
                headers: Vec::new(),
                body: None,
            },
            response: ReceivedResponse {
                status,
                headers: content_type
                    .map(|ct| vec![("content-type".to_owned(), ct.to_owned())])
                    .unwrap_or_default(),
                body: body.to_vec(),
            },
            elapsed: Duration::from_millis(20),
        }
    }

    /// A valid invitation.
    pub fn invitation() -> Value {
        serde_json::json!({
            "id": "459981238127",
            "userId": "105623475489612345678",
            "courseId": "625370598327",
            "role": "STUDENT"
        })
    }

    /// Google's error body.
    pub fn google_error(code: u16, status: &str, message: &str) -> Value {
        serde_json::json!({ "error": { "code": code, "message": message, "status": status } })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::testkit::{case, exchange, google_error, invitation};
    use super::*;

    fn all_on() -> Vec<&'static Check> {
        CHECKS.iter().collect()
    }

    #[test]
    fn names_are_unique_and_findable() {
        for c in CHECKS {
            assert_eq!(find(c.name).map(|f| f.name), Ok(c.name));
            assert_eq!(CHECKS.iter().filter(|o| o.name == c.name).count(), 1);
        }
    }

    #[test]
    fn suggests_the_near_name_for_a_typo() {
        let err = find("status_code_conformanse").unwrap_err();
        assert!(
            err.contains("did you mean 'status_code_conformance'?"),
            "{err}"
        );
    }

    #[test]
    fn lists_known_names_for_a_far_miss() {
        let err = find("banana").unwrap_err();
        assert!(err.contains("known: not_a_server_error"), "{err}");
    }

    #[test]
    fn only_the_status_gates_body_checks() {
        for c in CHECKS {
            let gate = matches!(c.name, "not_a_server_error" | "status_code_conformance");
            assert_eq!(c.gates_body, gate, "{}", c.name);
            assert!(!(c.gates_body && c.reads_body), "{}", c.name);
        }
        assert!(!find("max_response_time").unwrap().default_on);
    }

    #[test]
    fn passes_a_good_exchange() {
        let case = case("classroom.invitations.create").expect_status(200);
        let failures = evaluate(&case.ctx(), &exchange(200, invitation()), &all_on());
        assert_eq!(failures, Vec::new());
    }

    #[test]
    fn skips_body_checks_when_the_status_is_wrong() {
        // The body is Google's 404 error, nothing like the 200 schema: only the status fails.
        let case = case("classroom.invitations.create").expect_status(200);
        let ex = exchange(
            404,
            google_error(404, "NOT_FOUND", "Requested entity was not found."),
        );
        let failures = evaluate(&case.ctx(), &ex, &all_on());
        let names: Vec<_> = failures.iter().map(|f| f.check).collect();
        assert_eq!(names, ["status_code_conformance"]);
    }

    #[test]
    fn runs_body_checks_when_the_status_holds() {
        let case = case("classroom.invitations.create").expect_status(200);
        let failures = evaluate(&case.ctx(), &exchange(200, json!({"id": 7})), &all_on());
        let names: Vec<_> = failures.iter().map(|f| f.check).collect();
        assert_eq!(names, ["response_schema_conformance"]);
    }

    #[test]
    fn keeps_body_checks_when_only_the_response_time_fails() {
        let mut case = case("classroom.invitations.create").expect_status(200);
        case.max_response_time = Some(std::time::Duration::from_millis(5));
        let failures = evaluate(&case.ctx(), &exchange(200, json!({"id": 7})), &all_on());
        let names: Vec<_> = failures.iter().map(|f| f.check).collect();
        assert_eq!(names, ["max_response_time", "response_schema_conformance"]);
    }

    #[test]
    fn runs_status_checks_before_body_checks_whatever_the_order_given() {
        let case = case("classroom.invitations.create").expect_status(200);
        let enabled: Vec<_> = CHECKS.iter().rev().collect();
        let failures = evaluate(&case.ctx(), &exchange(503, json!({"id": 7})), &enabled);
        let names: Vec<_> = failures.iter().map(|f| f.check).collect();
        assert_eq!(names, ["status_code_conformance", "not_a_server_error"]);
    }

    #[test]
    fn runs_only_the_enabled_checks() {
        let case = case("classroom.invitations.create").expect_status(200);
        let enabled = [find("content_type_conformance").unwrap()];
        let failures = evaluate(&case.ctx(), &exchange(404, json!({"id": 7})), &enabled);
        assert_eq!(failures, Vec::new());
    }

    #[test]
    fn reports_a_repeated_failure_once() {
        let case = case("classroom.invitations.create");
        let schema = find("response_schema_conformance").unwrap();
        let failures = evaluate(
            &case.ctx(),
            &exchange(200, json!({"id": 7})),
            &[schema, schema],
        );
        assert_eq!(failures.len(), 1, "{failures:?}");
    }

    #[test]
    fn a_failed_probe_check_supersedes_the_status_mismatch_it_also_is() {
        fn probe(ctx: &CheckCtx<'_>, _: &Exchange) -> Result<(), Failure> {
            Err(Failure::new(
                "ignored_auth",
                "invalid credential accepted",
                crate::error::Location::new("s.yaml", format!("/paths/{}", ctx.operation.id)),
                "401",
                "200",
            ))
        }
        static PROBE: Check = Check {
            name: "ignored_auth",
            about: "",
            run: probe,
            reads_body: false,
            gates_body: true,
            default_on: true,
        };
        let case = case("classroom.invitations.create").expect_status(401);
        let status = find("status_code_conformance").unwrap();
        let ex = exchange(200, invitation());
        let names = |enabled: &[&'static Check]| -> Vec<&str> {
            evaluate(&case.ctx(), &ex, enabled)
                .iter()
                .map(|f| f.check)
                .collect()
        };
        assert_eq!(names(&[status]), ["status_code_conformance"]);
        assert_eq!(names(&[status, &PROBE]), ["ignored_auth"]);
    }
}
