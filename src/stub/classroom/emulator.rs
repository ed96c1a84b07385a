//! The Google Classroom Invitations emulator: the five operations with Classroom's semantics,
//! Google's error body, fixture identities and courses, and in-memory state behind a lock.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::stub::classroom::fixture::{Fixture, User};
use crate::stub::mutants::Mutant;
use crate::stub::router::{best_match, PathTemplate};
use crate::stub::{Responder, StubRequest, StubResponse};

/// `pageSize` when the request gives none (or 0).
const DEFAULT_PAGE_SIZE: usize = 500;

/// Course roles, ordered by permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Student,
    Teacher,
    Owner,
}

impl Role {
    fn parse(s: &str) -> Option<Role> {
        match s {
            "STUDENT" => Some(Role::Student),
            "TEACHER" => Some(Role::Teacher),
            "OWNER" => Some(Role::Owner),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Role::Student => "STUDENT",
            Role::Teacher => "TEACHER",
            Role::Owner => "OWNER",
        }
    }
}

#[derive(Debug, Clone)]
struct CourseState {
    owner: String,
    teachers: BTreeSet<String>,
    students: BTreeSet<String>,
    archived: bool,
    member_limit: usize,
    teacher_limit: usize,
}

impl CourseState {
    /// The highest role `user_id` holds in the course.
    fn role_of(&self, user_id: &str) -> Option<Role> {
        if self.owner == user_id {
            Some(Role::Owner)
        } else if self.teachers.contains(user_id) {
            Some(Role::Teacher)
        } else if self.students.contains(user_id) {
            Some(Role::Student)
        } else {
            None
        }
    }

    fn teaches(&self, user_id: &str) -> bool {
        self.role_of(user_id) >= Some(Role::Teacher)
    }
}

#[derive(Debug, Clone)]
struct Invitation {
    id: u64,
    user_id: String,
    course_id: String,
    role: Role,
}

struct State {
    courses: BTreeMap<String, CourseState>,
    invitations: BTreeMap<u64, Invitation>,
    next_id: u64,
}

/// The emulator. State is fresh per instance.
pub struct Emulator {
    users: Vec<User>,
    state: Mutex<State>,
    mutants: BTreeSet<Mutant>,
    slow_delay: Duration,
    routes: [PathTemplate; 3],
}

/// A Google error: HTTP status, canonical code, message.
struct GoogleError {
    code: &'static str,
    message: String,
}

type Outcome = Result<(u16, Value), GoogleError>;

fn err(code: &'static str, message: impl Into<String>) -> GoogleError {
    GoogleError {
        code,
        message: message.into(),
    }
}

fn failed_precondition(reason: &str, message: &str) -> GoogleError {
    err("FAILED_PRECONDITION", format!("@{reason} {message}"))
}

fn http_status(code: &str) -> u16 {
    crate::spec::prose::canonical_http_status(code).unwrap_or(500)
}

impl Emulator {
    /// An emulator over `fixture`, with `mutants` switched on. `slow_delay` is how late the
    /// `slow_responses` mutant answers.
    pub fn new(fixture: &Fixture, mutants: &[Mutant], slow_delay: Duration) -> Emulator {
        let key_to_id = |key: &String| {
            fixture
                .users
                .get(key)
                .map(|u| u.id.clone())
                .unwrap_or_default()
        };
        let courses = fixture
            .courses
            .values()
            .map(|c| {
                let mut teachers: BTreeSet<String> = c.teachers.iter().map(key_to_id).collect();
                teachers.insert(key_to_id(&c.owner));
                (
                    c.id.clone(),
                    CourseState {
                        owner: key_to_id(&c.owner),
                        teachers,
                        students: c.students.iter().map(key_to_id).collect(),
                        archived: c.state != "ACTIVE",
                        member_limit: c.member_limit,
                        teacher_limit: c.teacher_limit,
                    },
                )
            })
            .collect();
        Emulator {
            users: fixture.users.values().cloned().collect(),
            state: Mutex::new(State {
                courses,
                invitations: BTreeMap::new(),
                next_id: 1,
            }),
            mutants: mutants.iter().copied().collect(),
            slow_delay,
            routes: [
                PathTemplate::new("/v1/invitations"),
                PathTemplate::new("/v1/invitations/{id}"),
                PathTemplate::new("/v1/invitations/{id}:accept"),
            ],
        }
    }

    /// The shipped fixture, no mutants.
    pub fn shipped() -> Emulator {
        Emulator::new(&Fixture::shipped(), &[], Duration::from_millis(500))
    }

    fn has(&self, m: Mutant) -> bool {
        self.mutants.contains(&m)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic in one request must not take the whole stub down with a poisoned lock.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn caller(&self, request: &StubRequest) -> Option<&User> {
        let token = request.bearer()?;
        self.users.iter().find(|u| u.token == token)
    }

    /// A user by numeric id, email, or `me` (the caller).
    fn user<'a>(&'a self, caller: &'a User, reference: &str) -> Option<&'a User> {
        if reference == "me" {
            return Some(caller);
        }
        self.users
            .iter()
            .find(|u| u.id == reference || u.email.eq_ignore_ascii_case(reference))
    }

    fn permission_denied(&self, message: &str) -> Result<(), GoogleError> {
        if self.has(Mutant::PermissionsNotEnforced) {
            Ok(())
        } else {
            Err(err("PERMISSION_DENIED", message))
        }
    }

    fn invitation_json(&self, inv: &Invitation) -> Value {
        let mut body = Map::new();
        body.insert(
            "id".to_owned(),
            if self.has(Mutant::WrongFieldType) {
                json!(inv.id)
            } else {
                json!(inv.id.to_string())
            },
        );
        body.insert("userId".to_owned(), json!(inv.user_id));
        if !self.has(Mutant::MissingRequiredField) {
            body.insert("courseId".to_owned(), json!(inv.course_id));
        }
        let role = if self.has(Mutant::EnumOutOfRange) {
            "GUEST"
        } else {
            inv.role.as_str()
        };
        body.insert("role".to_owned(), json!(role));
        Value::Object(body)
    }

    fn route(&self, request: &StubRequest, caller: &User) -> Outcome {
        let routes = self.routes.iter().enumerate();
        let Some((route, params)) = best_match(routes, &request.path) else {
            return Err(err("NOT_FOUND", format!("no route for {}", request.path)));
        };
        let id = params
            .into_iter()
            .next()
            .map(|(_, v)| v)
            .unwrap_or_default();
        match (route, request.method.as_str()) {
            (0, "GET") => self.list(request, caller),
            (0, "POST") => self.create(request, caller),
            (1, "GET") => self.get(&id, caller),
            (1, "DELETE") => self.delete(&id, caller),
            (2, "POST") => self.accept(&id, caller),
            _ => Err(err(
                "NOT_FOUND",
                format!("{} is not allowed on {}", request.method, request.path),
            )),
        }
    }

    fn create(&self, request: &StubRequest, caller: &User) -> Outcome {
        let body: Value = serde_json::from_slice(&request.body).map_err(|e| {
            err(
                "INVALID_ARGUMENT",
                format!("Invalid JSON payload received. {e}"),
            )
        })?;
        let field = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
        let user_ref =
            field("userId").ok_or_else(|| err("INVALID_ARGUMENT", "userId is required."))?;
        let course_id =
            field("courseId").ok_or_else(|| err("INVALID_ARGUMENT", "courseId is required."))?;
        let role = match field("role").as_deref() {
            None | Some("COURSE_ROLE_UNSPECIFIED") => {
                return Err(err(
                    "INVALID_ARGUMENT",
                    "role must be STUDENT, TEACHER or OWNER.",
                ))
            }
            Some(r) => Role::parse(r)
                .ok_or_else(|| err("INVALID_ARGUMENT", format!("Invalid value for role: {r}")))?,
        };
        let mut state = self.lock();
        let Some(course) = state.courses.get(&course_id) else {
            return Err(err(
                "NOT_FOUND",
                format!("Requested entity was not found: course {course_id}."),
            ));
        };
        if !course.teaches(&caller.id) && !caller.admin {
            self.permission_denied(
                "The caller does not have permission to invite users to this course.",
            )?;
        }
        let Some(invitee) = self.user(caller, &user_ref) else {
            return Err(err(
                "NOT_FOUND",
                format!("Requested entity was not found: user {user_ref}."),
            ));
        };
        if invitee.disabled {
            return Err(err(
                "FAILED_PRECONDITION",
                "The invited user's account is disabled.",
            ));
        }
        if course.role_of(&invitee.id).is_some_and(|held| held >= role) {
            return Err(err(
                "FAILED_PRECONDITION",
                "The user already has this role or a role with greater permissions in the course.",
            ));
        }
        let exists = state
            .invitations
            .values()
            .any(|i| i.user_id == invitee.id && i.course_id == course_id);
        if exists && !self.has(Mutant::DuplicateCreateAccepted) {
            return Err(err(
                "ALREADY_EXISTS",
                "An invitation for this user and course already exists.",
            ));
        }
        let id = state.next_id + 300_000_000;
        state.next_id += 1;
        let invitation = Invitation {
            id,
            user_id: invitee.id.clone(),
            course_id,
            role,
        };
        let body = self.invitation_json(&invitation);
        state.invitations.insert(id, invitation);
        let status = if self.has(Mutant::WrongSuccessStatus) {
            201
        } else {
            200
        };
        Ok((status, body))
    }

    /// The invitation `id`, if the caller may see it.
    fn visible(&self, state: &State, id: &str, caller: &User) -> Result<Invitation, GoogleError> {
        let inv = find(state, id)?;
        let teaches = state
            .courses
            .get(&inv.course_id)
            .is_some_and(|c| c.teaches(&caller.id));
        if inv.user_id != caller.id && !teaches && !caller.admin {
            self.permission_denied("The caller does not have permission to view this invitation.")?;
        }
        Ok(inv.clone())
    }

    fn get(&self, id: &str, caller: &User) -> Outcome {
        let state = self.lock();
        let inv = self.visible(&state, id, caller)?;
        Ok((200, self.invitation_json(&inv)))
    }

    fn delete(&self, id: &str, caller: &User) -> Outcome {
        let mut state = self.lock();
        let inv = self.visible(&state, id, caller)?;
        if !self.has(Mutant::DeleteKeepsInvitation) {
            state.invitations.remove(&inv.id);
        }
        Ok((200, json!({})))
    }

    fn accept(&self, id: &str, caller: &User) -> Outcome {
        let mut state = self.lock();
        let inv = find(&state, id)?.clone();
        if inv.user_id != caller.id {
            self.permission_denied("Only the invited user may accept an invitation.")?;
        }
        let invitee = self.users.iter().find(|u| u.id == inv.user_id).cloned();
        let Some(course) = state.courses.get_mut(&inv.course_id) else {
            return Err(not_found(id));
        };
        if course.archived {
            return Err(failed_precondition(
                "CourseNotModifiable",
                "The course is not modifiable.",
            ));
        }
        if invitee.as_ref().is_some_and(|u| u.groups_limit_reached) {
            return Err(failed_precondition(
                "UserGroupsMembershipLimitReached",
                "The user has reached the limit of groups they can be a member of.",
            ));
        }
        if inv.role >= Role::Teacher && course.teachers.len() >= course.teacher_limit {
            return Err(failed_precondition(
                "CourseTeacherLimitReached",
                "The course has reached its teacher limit.",
            ));
        }
        if course.teachers.len() + course.students.len() >= course.member_limit {
            return Err(failed_precondition(
                "CourseMemberLimitReached",
                "The course member limit has been reached.",
            ));
        }
        match inv.role {
            Role::Student => {
                course.students.insert(inv.user_id.clone());
            }
            Role::Teacher => {
                course.students.remove(&inv.user_id);
                course.teachers.insert(inv.user_id.clone());
            }
            Role::Owner => {
                course.students.remove(&inv.user_id);
                course.teachers.insert(inv.user_id.clone());
                course.owner = inv.user_id.clone();
            }
        }
        if !self.has(Mutant::AcceptKeepsInvitation) {
            state.invitations.remove(&inv.id);
        }
        Ok((200, json!({})))
    }

    fn list(&self, request: &StubRequest, caller: &User) -> Outcome {
        if self.has(Mutant::ServerErrorOnList) {
            return Err(err("INTERNAL", "Internal error encountered."));
        }
        let user_ref = request.query_param("userId").filter(|s| !s.is_empty());
        let course_id = request.query_param("courseId").filter(|s| !s.is_empty());
        if user_ref.is_none() && course_id.is_none() {
            return Err(err(
                "INVALID_ARGUMENT",
                "At least one of userId or courseId must be supplied.",
            ));
        }
        let page_size = page_size(request)?;
        let state = self.lock();
        // Resolve `userId` (id, email or `me`); an unknown user matches nothing.
        let user_id = user_ref.map(|r| {
            self.user(caller, r)
                .map(|u| u.id.clone())
                .unwrap_or_else(|| format!("unknown:{r}"))
        });
        self.may_list(&state, caller, user_id.as_deref(), course_id)?;
        let query_key = fingerprint(&(user_id.as_deref(), course_id));
        let offset = match request.query_param("pageToken").filter(|t| !t.is_empty()) {
            None => 0,
            Some(token) => parse_token(token, query_key).ok_or_else(|| {
                err(
                    "INVALID_ARGUMENT",
                    "The page token is invalid or belongs to another query.",
                )
            })?,
        };
        let visible: Vec<&Invitation> = state
            .invitations
            .values()
            .filter(|i| user_id.as_deref().is_none_or(|u| i.user_id == u))
            .filter(|i| course_id.is_none_or(|c| i.course_id == c))
            .filter(|i| {
                i.user_id == caller.id
                    || caller.admin
                    || self.has(Mutant::PermissionsNotEnforced)
                    || state
                        .courses
                        .get(&i.course_id)
                        .is_some_and(|c| c.teaches(&caller.id))
            })
            .collect();
        let page: Vec<Value> = visible
            .iter()
            .skip(offset)
            .take(page_size)
            .map(|i| self.invitation_json(i))
            .collect();
        let mut body = Map::new();
        if !page.is_empty() {
            body.insert("invitations".to_owned(), Value::Array(page));
        }
        let next = offset.saturating_add(page_size);
        if next < visible.len() {
            body.insert(
                "nextPageToken".to_owned(),
                json!(format!("{next:x}-{query_key:016x}")),
            );
        }
        Ok((200, Value::Object(body)))
    }

    /// PERMISSION_DENIED unless `caller` may list the invitations of `course_id` (a teacher of
    /// it) or of `user_id` (that user), or is an admin.
    fn may_list(
        &self,
        state: &State,
        caller: &User,
        user_id: Option<&str>,
        course_id: Option<&str>,
    ) -> Result<(), GoogleError> {
        let about_self = user_id == Some(caller.id.as_str());
        if let Some(course_id) = course_id {
            let teaches = state
                .courses
                .get(course_id)
                .is_some_and(|c| c.teaches(&caller.id));
            if !teaches && !caller.admin && !about_self {
                self.permission_denied(
                    "The caller does not have permission to list this course's invitations.",
                )?;
            }
        } else if !about_self && !caller.admin {
            self.permission_denied(
                "The caller does not have permission to list this user's invitations.",
            )?;
        }
        Ok(())
    }

    fn error_response(&self, e: &GoogleError) -> StubResponse {
        let mut status = http_status(e.code);
        if e.code == "NOT_FOUND" && self.has(Mutant::UndocumentedStatus) {
            status = 410;
        }
        let mut message = e.message.clone();
        if e.code == "FAILED_PRECONDITION" && self.has(Mutant::MissingReasonPrefix) {
            if let Some(rest) = message.strip_prefix('@') {
                message = rest.split_once(' ').map_or(rest, |(_, m)| m).to_owned();
            }
        }
        let code = if self.has(Mutant::WrongErrorStatus) {
            "UNKNOWN"
        } else {
            e.code
        };
        StubResponse::json(
            status,
            &json!({"error": {"code": status, "message": message, "status": code}}),
        )
    }
}

/// The `pageSize` of a list request: absent, empty or 0 means the default; negative or not a
/// number is INVALID_ARGUMENT.
fn page_size(request: &StubRequest) -> Result<usize, GoogleError> {
    match request.query_param("pageSize") {
        None | Some("") => Ok(DEFAULT_PAGE_SIZE),
        Some(s) => match s.parse::<i64>() {
            Ok(0) => Ok(DEFAULT_PAGE_SIZE),
            Ok(n) if n > 0 => Ok(n as usize),
            _ => Err(err("INVALID_ARGUMENT", format!("Invalid pageSize: {s}"))),
        },
    }
}

/// The invitation `id`, or NOT_FOUND.
fn find<'a>(state: &'a State, id: &str) -> Result<&'a Invitation, GoogleError> {
    id.parse::<u64>()
        .ok()
        .and_then(|n| state.invitations.get(&n))
        .ok_or_else(|| not_found(id))
}

fn not_found(id: &str) -> GoogleError {
    err(
        "NOT_FOUND",
        format!("Requested entity was not found: invitation {id}."),
    )
}

/// A stable fingerprint of a list query, so a page token only works for the query it came from.
fn fingerprint(query: &(Option<&str>, Option<&str>)) -> u64 {
    // DefaultHasher::new() has fixed keys: tokens stay valid for the life of the server.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    query.hash(&mut h);
    h.finish()
}

fn parse_token(token: &str, query_key: u64) -> Option<usize> {
    let (offset, key) = token.split_once('-')?;
    let offset = usize::from_str_radix(offset, 16).ok()?;
    (u64::from_str_radix(key, 16).ok()? == query_key).then_some(offset)
}

impl Emulator {
    /// The methods a routed path declares, when the request's method is not one of them:
    /// answered 405 with them in `Allow` (RFC 9110), as `unsupported_method` asks.
    fn undeclared_method(&self, request: &StubRequest) -> Option<&'static str> {
        let (route, _) = best_match(self.routes.iter().enumerate(), &request.path)?;
        let allowed = match route {
            0 => "GET, POST",
            1 => "GET, DELETE",
            2 => "POST",
            _ => return None,
        };
        (!allowed.split(", ").any(|m| m == request.method)).then_some(allowed)
    }
}

impl Responder for Emulator {
    fn respond(&self, request: &StubRequest) -> StubResponse {
        if let Some(allowed) = self.undeclared_method(request) {
            let message = format!("{} is not allowed on {}", request.method, request.path);
            let mut response = StubResponse::json(
                405,
                &json!({"error": {"code": 405, "message": message, "status": "UNIMPLEMENTED"}}),
            );
            response.set_header("allow", allowed);
            return response;
        }
        let outcome = match self.caller(request) {
            None => Err(err(
                "UNAUTHENTICATED",
                "Request is missing required authentication credential. Expected OAuth 2 access token.",
            )),
            Some(caller) => {
                let caller = caller.clone();
                self.route(request, &caller)
            }
        };
        let mut response = match outcome {
            Ok((status, body)) => StubResponse::json(status, &body),
            Err(e) => self.error_response(&e),
        };
        response.set_header("content-type", "application/json; charset=UTF-8");
        if self.has(Mutant::WrongContentType) {
            response.set_header("content-type", "text/plain; charset=UTF-8");
        }
        if self.has(Mutant::SlowResponses) {
            response.delay = Some(self.slow_delay);
        }
        response
    }
}
