//! The Google Classroom Invitations emulator, the embedded default target, and its fixture.
//! It registers the operations it serves in [`SERVES`]; the embedded target is this emulator
//! for any API whose every operation it serves (same operationId, method and path).

mod emulator;
pub mod fixture;

pub use emulator::Emulator;
pub use fixture::Fixture;

/// The emulator's name, as `contractor stub --emulator` takes it.
pub const NAME: &str = "google-classroom";

/// The operations the emulator serves: (operationId, method, path template). The shipped
/// scenario files name these operationIds, so an API is emulated only when its operations
/// carry them too.
pub const SERVES: &[(&str, &str, &str)] = &[
    ("classroom.invitations.list", "GET", "/v1/invitations"),
    ("classroom.invitations.create", "POST", "/v1/invitations"),
    ("classroom.invitations.get", "GET", "/v1/invitations/{id}"),
    (
        "classroom.invitations.delete",
        "DELETE",
        "/v1/invitations/{id}",
    ),
    (
        "classroom.invitations.accept",
        "POST",
        "/v1/invitations/{id}:accept",
    ),
];

/// The shipped spec of the API the emulator serves, from the crate's folder.
pub const SPEC: &str = "specs/google-classroom/invitations.yaml";

/// The shipped fixture (users, tokens, courses), from the crate's folder.
pub const SHIPPED_FIXTURE_PATH: &str = "scenarios/google-classroom/fixture.yaml";

/// The shipped scenario files for it.
pub const SCENARIOS: &str = "scenarios/google-classroom";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stub::{Responder, StubRequest};

    /// What the emulator registers and what it routes must not drift apart: every registered
    /// operation reaches a handler, and a method it does not register does not.
    #[test]
    fn every_registered_operation_is_routed() {
        let emulator = Emulator::shipped();
        let ask = |method: &str, path: &str| {
            let request = StubRequest {
                method: method.to_owned(),
                path: path.replace("{id}", "no-such-invitation"),
                query: Vec::new(),
                headers: vec![(
                    "authorization".to_owned(),
                    "Bearer fixture-token-teacher".to_owned(),
                )],
                body: b"{}".to_vec(),
            };
            String::from_utf8_lossy(&emulator.respond(&request).body).into_owned()
        };
        for (id, method, path) in SERVES {
            let body = ask(method, path);
            let unrouted = body.contains("no route for") || body.contains("is not allowed on");
            assert!(!unrouted, "{id} ({method} {path}) is not routed: {body}");
        }
        assert!(ask("PUT", "/v1/invitations/{id}").contains("is not allowed on"));
    }
}
