//! The Classroom emulator over HTTP: every documented outcome, and each mutant's fault.

use std::sync::Arc;
use std::time::Duration;

use contractor::spec::{Api, Direction};
use contractor::stub::http::HttpStub;
use contractor::stub::router::{best_match, PathTemplate};
use contractor::stub::{Emulator, Mutant, Responder};
use serde_json::{json, Value};

use crate::support::*;

/// An emulator served by the hyper adapter, a blocking client, and the shipped spec to
/// check every response against.
pub struct Harness {
    pub rt: tokio::runtime::Runtime,
    pub stub: Option<HttpStub>,
    pub client: reqwest::blocking::Client,
    pub api: Api,
    pub fixture: contractor::stub::classroom::Fixture,
    /// Check each response against the spec (off for mutants, which break it on purpose).
    pub conform: bool,
}

pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub content_type: String,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.body["error"]["status"].as_str().unwrap_or("")
    }
    pub fn message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or("")
    }
}

impl Harness {
    pub fn new(mutants: &[Mutant]) -> Harness {
        contractor::install_crypto_provider();
        let fixture = contractor::stub::classroom::Fixture::shipped();
        let emulator: Arc<dyn Responder> =
            Arc::new(Emulator::new(&fixture, mutants, Duration::from_millis(300)));
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let addr = "127.0.0.1:0".parse().expect("addr");
        let stub = rt
            .block_on(HttpStub::start(addr, emulator))
            .expect("start stub");
        Harness {
            rt,
            stub: Some(stub),
            client: reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("client"),
            api: classroom_api(),
            fixture,
            conform: mutants.is_empty(),
        }
    }

    pub fn token(&self, user: &str) -> String {
        self.fixture.users[user].token.clone()
    }

    pub fn id(&self, key: &str) -> String {
        self.fixture.symbols()[key].clone()
    }

    pub fn send(&self, who: Option<&str>, method: &str, path: &str, body: Option<Value>) -> Reply {
        let url = format!("{}{path}", self.stub.as_ref().expect("running").url());
        let mut req = self.client.request(
            reqwest::Method::from_bytes(method.as_bytes()).expect("method"),
            url,
        );
        if let Some(user) = who {
            // `token:VALUE` sends VALUE itself, a token nobody was issued.
            let token = user
                .strip_prefix("token:")
                .map_or_else(|| self.token(user), str::to_owned);
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let res = req.send().expect("send");
        let status = res.status().as_u16();
        let content_type = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let text = res.text().expect("body");
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        let reply = Reply {
            status,
            body,
            content_type,
        };
        if self.conform {
            self.check_conformance(method, path, &reply);
        }
        reply
    }

    /// The response is documented for the operation and its body validates.
    fn check_conformance(&self, method: &str, path: &str, reply: &Reply) {
        let path_only = path.split('?').next().unwrap_or(path);
        let templates: Vec<PathTemplate> = self
            .api
            .operations
            .iter()
            .map(|o| PathTemplate::new(&o.path))
            .collect();
        let candidates = templates
            .iter()
            .enumerate()
            .filter(|(i, _)| self.api.operations[*i].method.as_str() == method);
        let (index, _) = best_match(candidates, path_only).expect("a documented operation");
        let op = &self.api.operations[index];
        let response = op
            .response_for(reply.status)
            .unwrap_or_else(|| panic!("{} answered undocumented {}", op.id, reply.status));
        assert!(
            reply.content_type.starts_with("application/json"),
            "{}: content type {}",
            op.id,
            reply.content_type
        );
        let schema = response.content[0].schema.clone().expect("schema");
        let validator = self
            .api
            .schemas
            .validator(&schema, Direction::Response)
            .expect("compile");
        let errors: Vec<String> = validator
            .iter_errors(&reply.body)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{} {}: {errors:?}\n{}",
            op.id,
            reply.status,
            reply.body
        );
    }

    pub fn create(&self, who: &str, user: &str, course: &str, role: &str) -> Reply {
        let body = json!({"userId": user, "courseId": self.id(course), "role": role});
        self.send(Some(who), "POST", "/v1/invitations", Some(body))
    }

    /// An invitation the admin creates for `user`; its id.
    pub fn invite(&self, user: &str, course: &str, role: &str) -> String {
        let r = self.create("admin", &self.id(user), course, role);
        assert_eq!(r.status, 200, "{}", r.body);
        r.body["id"].as_str().expect("id").to_owned()
    }

    /// `who` accepts invitation `id`.
    pub fn accept(&self, who: &str, id: &str) -> Reply {
        self.send(
            Some(who),
            "POST",
            &format!("/v1/invitations/{id}:accept"),
            None,
        )
    }

    /// `who` reads invitation `id`.
    pub fn get(&self, who: &str, id: &str) -> Reply {
        self.send(Some(who), "GET", &format!("/v1/invitations/{id}"), None)
    }

    pub fn email(&self, user: &str) -> String {
        self.fixture.users[user].email.clone()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if let Some(stub) = self.stub.take() {
            self.rt.block_on(stub.shutdown());
        }
    }
}

#[test]
fn create_documents_every_outcome() {
    let h = Harness::new(&[]);
    // UNAUTHENTICATED: no token, unknown token.
    assert_eq!(
        h.send(None, "POST", "/v1/invitations", Some(json!({})))
            .status,
        401
    );
    // INVALID_ARGUMENT: role unspecified.
    let r = h.create(
        "teacher",
        &h.email("invitee"),
        "active_course",
        "COURSE_ROLE_UNSPECIFIED",
    );
    assert_eq!((r.status, r.code()), (400, "INVALID_ARGUMENT"));
    // PERMISSION_DENIED: a student, and a teacher of another course.
    let r = h.create("student", &h.email("invitee"), "active_course", "STUDENT");
    assert_eq!((r.status, r.code()), (403, "PERMISSION_DENIED"));
    let r = h.create("teacher", &h.email("invitee"), "other_course", "STUDENT");
    assert_eq!((r.status, r.code()), (403, "PERMISSION_DENIED"));
    // NOT_FOUND: unknown course, unknown user.
    let r = h.send(
        Some("teacher"),
        "POST",
        "/v1/invitations",
        Some(json!({"userId": "me", "courseId": "999", "role": "STUDENT"})),
    );
    assert_eq!((r.status, r.code()), (404, "NOT_FOUND"));
    let r = h.create(
        "teacher",
        "nobody@contractor.test",
        "active_course",
        "STUDENT",
    );
    assert_eq!((r.status, r.code()), (404, "NOT_FOUND"));
    // FAILED_PRECONDITION: disabled account; role already held (or a higher one).
    let r = h.create("teacher", &h.id("disabled"), "active_course", "STUDENT");
    assert_eq!((r.status, r.code()), (400, "FAILED_PRECONDITION"));
    let r = h.create("teacher", &h.id("student"), "active_course", "STUDENT");
    assert_eq!((r.status, r.code()), (400, "FAILED_PRECONDITION"));
    let r = h.create("teacher", &h.id("co_teacher"), "active_course", "STUDENT");
    assert_eq!(
        (r.status, r.code()),
        (400, "FAILED_PRECONDITION"),
        "a teacher already outranks a student"
    );
    // Success, then ALREADY_EXISTS for the same user and course (even with another role).
    let r = h.create("teacher", &h.email("invitee"), "active_course", "STUDENT");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.body["userId"],
        h.id("invitee"),
        "an email resolves to the user id"
    );
    assert_eq!(r.body["courseId"], h.id("active_course"));
    assert!(r.body["id"].as_str().is_some_and(|s| !s.is_empty()));
    let r = h.create("teacher", &h.id("invitee"), "active_course", "TEACHER");
    assert_eq!((r.status, r.code()), (409, "ALREADY_EXISTS"));
    // An admin may invite to any course; `me` names the caller.
    let r = h.create("admin", &h.id("second_invitee"), "other_course", "STUDENT");
    assert_eq!(r.status, 200);
    let r = h.create("other_teacher", "me", "active_course", "STUDENT");
    assert_eq!(r.code(), "PERMISSION_DENIED");
}

#[test]
fn get_and_delete_document_every_outcome() {
    let h = Harness::new(&[]);
    let id = h
        .create("teacher", &h.id("invitee"), "active_course", "STUDENT")
        .body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let path = format!("/v1/invitations/{id}");
    for who in ["teacher", "co_teacher", "invitee", "admin"] {
        let r = h.send(Some(who), "GET", &path, None);
        assert_eq!(r.status, 200, "{who} may read it");
    }
    for who in ["student", "other_teacher", "second_invitee"] {
        let r = h.send(Some(who), "GET", &path, None);
        assert_eq!((r.status, r.code()), (403, "PERMISSION_DENIED"), "{who}");
        let r = h.send(Some(who), "DELETE", &path, None);
        assert_eq!((r.status, r.code()), (403, "PERMISSION_DENIED"), "{who}");
    }
    assert_eq!(h.send(None, "GET", &path, None).status, 401);
    let r = h.send(Some("teacher"), "GET", "/v1/invitations/424242", None);
    assert_eq!((r.status, r.code()), (404, "NOT_FOUND"));
    let r = h.send(Some("teacher"), "DELETE", "/v1/invitations/424242", None);
    assert_eq!((r.status, r.code()), (404, "NOT_FOUND"));
    let r = h.send(Some("teacher"), "DELETE", &path, None);
    assert_eq!((r.status, r.body.clone()), (200, json!({})));
    let r = h.send(Some("teacher"), "GET", &path, None);
    assert_eq!(r.code(), "NOT_FOUND", "a deleted invitation is gone");
}

/// Each FAILED_PRECONDITION reason of accept, with its `@Reason ` message prefix.
fn every_reason_is_a_failed_precondition(h: &Harness) {
    let reasons = [
        (
            "invitee",
            "archived_course",
            "STUDENT",
            "CourseNotModifiable",
        ),
        (
            "invitee",
            "full_course",
            "STUDENT",
            "CourseMemberLimitReached",
        ),
        (
            "invitee",
            "teacher_full_course",
            "TEACHER",
            "CourseTeacherLimitReached",
        ),
        (
            "groups_limited",
            "active_course",
            "STUDENT",
            "UserGroupsMembershipLimitReached",
        ),
    ];
    for (user, course, role, reason) in reasons {
        let id = h.invite(user, course, role);
        let r = h.accept(user, &id);
        assert_eq!(
            (r.status, r.code()),
            (400, "FAILED_PRECONDITION"),
            "{reason}"
        );
        assert!(
            r.message().starts_with(&format!("@{reason} ")),
            "{}",
            r.message()
        );
    }
}

#[test]
fn accept_documents_every_outcome_and_reason() {
    let h = Harness::new(&[]);
    let id = h.invite("invitee", "active_course", "STUDENT");
    let r = h.accept("teacher", &id);
    assert_eq!(
        (r.status, r.code()),
        (403, "PERMISSION_DENIED"),
        "only the invitee accepts"
    );
    let r = h.accept("invitee", "424242");
    assert_eq!((r.status, r.code()), (404, "NOT_FOUND"));
    every_reason_is_a_failed_precondition(&h);
    // The encoded colon reaches the same operation.
    let r = h.send(
        Some("invitee"),
        "POST",
        &format!("/v1/invitations/{id}%3Aaccept"),
        None,
    );
    assert_eq!((r.status, r.body.clone()), (200, json!({})));
    let r = h.send(
        Some("invitee"),
        "GET",
        &format!("/v1/invitations/{id}"),
        None,
    );
    assert_eq!(r.code(), "NOT_FOUND", "accept removes the invitation");
    let r = h.create("teacher", &h.id("invitee"), "active_course", "STUDENT");
    assert_eq!(
        r.code(),
        "FAILED_PRECONDITION",
        "the invitee is now a student"
    );
    let r = h.create("teacher", &h.id("invitee"), "active_course", "TEACHER");
    assert_eq!(r.status, 200, "a higher role can still be offered");
}

/// Every invitation id of `course`, two a page, following `nextPageToken`.
fn page_through(h: &Harness, course: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut path = format!("/v1/invitations?courseId={course}&pageSize=2");
        if let Some(t) = &token {
            path.push_str(&format!("&pageToken={t}"));
        }
        let r = h.send(Some("teacher"), "GET", &path, None);
        assert_eq!(r.status, 200);
        for inv in r.body["invitations"].as_array().into_iter().flatten() {
            seen.push(inv["id"].as_str().expect("id").to_owned());
        }
        match r.body["nextPageToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    seen
}

#[test]
fn list_filters_pages_and_checks_permissions() {
    let h = Harness::new(&[]);
    for user in ["invitee", "second_invitee", "groups_limited"] {
        for course in ["active_course", "archived_course"] {
            assert_eq!(
                h.create("teacher", &h.id(user), course, "STUDENT").status,
                200
            );
        }
    }
    let course = h.id("active_course");
    let r = h.send(Some("teacher"), "GET", "/v1/invitations", None);
    assert_eq!(
        (r.status, r.code()),
        (400, "INVALID_ARGUMENT"),
        "userId or courseId is needed"
    );
    let r = h.send(
        Some("student"),
        "GET",
        &format!("/v1/invitations?courseId={course}"),
        None,
    );
    assert_eq!((r.status, r.code()), (403, "PERMISSION_DENIED"));
    let r = h.send(
        Some("invitee"),
        "GET",
        &format!("/v1/invitations?userId={}", h.id("second_invitee")),
        None,
    );
    assert_eq!((r.status, r.code()), (403, "PERMISSION_DENIED"));
    let r = h.send(Some("invitee"), "GET", "/v1/invitations?userId=me", None);
    assert_eq!(
        r.body["invitations"].as_array().map(Vec::len),
        Some(2),
        "me: {}",
        r.body
    );
    // Paging through a stable order.
    let seen = page_through(&h, &course);
    assert_eq!(seen.len(), 3);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 3, "no duplicates across pages");
    // A token from another query is INVALID_ARGUMENT.
    let first = h.send(
        Some("teacher"),
        "GET",
        &format!("/v1/invitations?courseId={course}&pageSize=1"),
        None,
    );
    let token = first.body["nextPageToken"]
        .as_str()
        .expect("token")
        .to_owned();
    let r = h.send(
        Some("teacher"),
        "GET",
        &format!(
            "/v1/invitations?courseId={}&pageToken={token}",
            h.id("archived_course")
        ),
        None,
    );
    assert_eq!((r.status, r.code()), (400, "INVALID_ARGUMENT"));
    // pageSize 0 means the default (500): everything in one page.
    let r = h.send(
        Some("teacher"),
        "GET",
        &format!("/v1/invitations?courseId={course}&pageSize=0"),
        None,
    );
    assert_eq!(r.body["invitations"].as_array().map(Vec::len), Some(3));
    assert!(r.body.get("nextPageToken").is_none());
}

#[test]
fn concurrent_creates_for_one_user_and_course_let_exactly_one_win() {
    let h = Harness::new(&[]);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..16)
            .map(|_| {
                s.spawn(|| {
                    h.create("teacher", &h.id("invitee"), "active_course", "STUDENT")
                        .status
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|t| t.join().expect("thread"))
            .collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        15,
        "{statuses:?}"
    );
}

#[test]
fn state_is_fresh_per_server() {
    let a = Harness::new(&[]);
    assert_eq!(
        a.create("teacher", &a.id("invitee"), "active_course", "STUDENT")
            .status,
        200
    );
    let b = Harness::new(&[]);
    assert_eq!(
        b.create("teacher", &b.id("invitee"), "active_course", "STUDENT")
            .status,
        200
    );
}

/// The fault `mutant` names shows, given the teacher's create for the invitee.
fn shows_its_fault(h: &Harness, mutant: Mutant, created: &Reply) {
    let id = match &created.body["id"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let name = mutant.name();
    match mutant {
        Mutant::WrongSuccessStatus => assert_eq!(created.status, 201, "{name}"),
        Mutant::UndocumentedStatus => {
            assert_eq!(h.get("teacher", "424242").status, 410, "{name}")
        }
        Mutant::MissingRequiredField => {
            assert!(created.body.get("courseId").is_none(), "{name}")
        }
        Mutant::WrongFieldType => assert!(created.body["id"].is_number(), "{name}"),
        Mutant::EnumOutOfRange => assert_eq!(created.body["role"], "GUEST", "{name}"),
        Mutant::WrongContentType => {
            assert!(created.content_type.starts_with("text/plain"), "{name}")
        }
        Mutant::WrongErrorStatus => {
            assert_eq!(h.get("teacher", "424242").code(), "UNKNOWN", "{name}")
        }
        Mutant::MissingReasonPrefix => {
            let inv = h.invite("invitee", "archived_course", "STUDENT");
            let r = h.accept("invitee", &inv);
            assert_eq!(r.code(), "FAILED_PRECONDITION", "{name}");
            assert!(!r.message().starts_with('@'), "{name}: {}", r.message());
        }
        Mutant::DuplicateCreateAccepted => {
            let again = h.create("teacher", &h.id("invitee"), "active_course", "STUDENT");
            assert_eq!(again.status, 200, "{name}");
        }
        Mutant::AcceptKeepsInvitation => {
            let r = h.accept("invitee", &id);
            assert_eq!(r.status, 200, "{name}");
            assert_eq!(h.get("invitee", &id).status, 200, "{name}");
        }
        Mutant::DeleteKeepsInvitation => {
            let r = h.send(
                Some("teacher"),
                "DELETE",
                &format!("/v1/invitations/{id}"),
                None,
            );
            assert_eq!(r.status, 200, "{name}");
            assert_eq!(h.get("teacher", &id).status, 200, "{name}");
        }
        Mutant::PermissionsNotEnforced => {
            assert_eq!(h.get("other_teacher", &id).status, 200, "{name}");
            let r = h.create(
                "student",
                &h.id("second_invitee"),
                "active_course",
                "STUDENT",
            );
            assert_eq!(r.status, 200, "{name}");
        }
        Mutant::ServerErrorOnList => {
            let r = h.send(Some("invitee"), "GET", "/v1/invitations?userId=me", None);
            assert_eq!(r.status, 500, "{name}");
        }
        Mutant::SlowResponses => {
            let start = std::time::Instant::now();
            h.get("teacher", &id);
            assert!(start.elapsed() >= Duration::from_millis(300), "{name}");
        }
        other => shows_an_issue_10_fault(h, other, created),
    }
}

/// The faults of the mutants issue 10 added, one per new check.
fn shows_an_issue_10_fault(h: &Harness, mutant: Mutant, created: &Reply) {
    let name = mutant.name();
    let id = created.body["id"].as_str().unwrap_or_default().to_owned();
    match mutant {
        Mutant::InvalidTokenAccepted => {
            let r = h.send(
                Some("token:expired"),
                "GET",
                &format!("/v1/invitations/{id}"),
                None,
            );
            assert_eq!(r.status, 200, "{name}");
        }
        Mutant::RoleDefaultsToStudent => {
            let body = json!({"userId": h.id("second_invitee"), "courseId": h.id("active_course")});
            let r = h.send(Some("teacher"), "POST", "/v1/invitations", Some(body));
            assert_eq!(
                (r.status, &r.body["role"]),
                (200, &json!("STUDENT")),
                "{name}"
            );
        }
        Mutant::BadPageSizeIgnored
        | Mutant::PageSizeZeroRejected
        | Mutant::PageSizeIgnored
        | Mutant::LoopingPageToken => shows_a_paging_fault(h, mutant),
        Mutant::ListIgnoresCourseFilter => {
            h.invite("invitee", "teacher_full_course", "STUDENT");
            let path = format!("/v1/invitations?courseId={}", h.id("active_course"));
            let r = h.send(Some("teacher"), "GET", &path, None);
            assert_eq!(
                r.body["invitations"].as_array().map_or(0, Vec::len),
                2,
                "{name}"
            );
        }
        Mutant::CreateSwapsIds => {
            assert_eq!(
                created.body["userId"],
                json!(h.id("active_course")),
                "{name}"
            );
        }
        Mutant::ErrorCodeMismatch => {
            let r = h.get("teacher", "424242");
            assert_eq!(
                (r.status, &r.body["error"]["code"]),
                (404, &json!(500)),
                "{name}"
            );
        }
        Mutant::UndeclaredMethodNotFound => {
            let r = h.send(Some("teacher"), "PUT", "/v1/invitations", None);
            assert_eq!(r.status, 404, "{name}");
        }
        other => panic!("{} shows no fault here", other.name()),
    }
}

/// The faults of the mutants that break `pageSize` and page tokens.
fn shows_a_paging_fault(h: &Harness, mutant: Mutant) {
    let name = mutant.name();
    match mutant {
        Mutant::BadPageSizeIgnored | Mutant::PageSizeZeroRejected => {
            let list = |size: &str| {
                let path = format!(
                    "/v1/invitations?courseId={}&pageSize={size}",
                    h.id("active_course")
                );
                h.send(Some("teacher"), "GET", &path, None).status
            };
            let want = if mutant == Mutant::BadPageSizeIgnored {
                (200, 200)
            } else {
                (400, 400)
            };
            assert_eq!((list("-1"), list("0")), want, "{name}");
        }
        Mutant::PageSizeIgnored | Mutant::LoopingPageToken => {
            h.invite("second_invitee", "active_course", "STUDENT");
            let first = format!(
                "/v1/invitations?courseId={}&pageSize=1",
                h.id("active_course")
            );
            let r = h.send(Some("teacher"), "GET", &first, None);
            let items = r.body["invitations"].as_array().map_or(0, Vec::len);
            if mutant == Mutant::PageSizeIgnored {
                assert_eq!(items, 2, "{name}");
            } else {
                let token = r.body["nextPageToken"].as_str().expect("token");
                let next = h.send(
                    Some("teacher"),
                    "GET",
                    &format!("{first}&pageToken={token}"),
                    None,
                );
                assert_eq!(next.body["invitations"], r.body["invitations"], "{name}");
            }
        }
        other => panic!("{} is not a paging fault", other.name()),
    }
}

#[test]
fn an_undeclared_method_is_405_with_the_methods_the_path_declares() {
    let h = Harness::new(&[]);
    let url = |path: &str| format!("{}{path}", h.stub.as_ref().expect("running").url());
    for (method, path, allow) in [
        ("PUT", "/v1/invitations", "GET, POST"),
        ("PATCH", "/v1/invitations/1", "GET, DELETE"),
        ("GET", "/v1/invitations/1:accept", "POST"),
    ] {
        let res = h
            .client
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).expect("method"),
                url(path),
            )
            .send()
            .expect("send");
        assert_eq!(res.status().as_u16(), 405, "{method} {path}");
        assert_eq!(res.headers()["allow"], allow, "{method} {path}");
    }
}

/// Each mutant, switched on alone, shows the fault it names (and nothing else changes).
#[test]
fn every_mutant_breaks_its_clause() {
    for mutant in Mutant::ALL {
        let h = Harness::new(&[mutant]);
        let created = h.create("teacher", &h.id("invitee"), "active_course", "STUDENT");
        shows_its_fault(&h, mutant, &created);
        // The rest of the contract still holds: an unknown token is still refused.
        assert_eq!(
            h.send(None, "GET", "/v1/invitations?userId=me", None)
                .status,
            401,
            "{}",
            mutant.name()
        );
    }
}
