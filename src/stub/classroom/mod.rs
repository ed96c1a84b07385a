//! The Google Classroom Invitations emulator, the embedded default target, and its fixture.
//! It registers the operations it serves in [`SERVES`]; the embedded target is this emulator
//! for any API whose every operation it serves.

mod emulator;
pub mod fixture;

pub use emulator::Emulator;
pub use fixture::Fixture;

/// The emulator's name, as `contractor stub --emulator` takes it.
pub const NAME: &str = "google-classroom";

/// The operations the emulator serves: (method, path template).
pub const SERVES: &[(&str, &str)] = &[
    ("GET", "/v1/invitations"),
    ("POST", "/v1/invitations"),
    ("GET", "/v1/invitations/{id}"),
    ("DELETE", "/v1/invitations/{id}"),
    ("POST", "/v1/invitations/{id}:accept"),
];

/// The shipped spec of the API the emulator serves, from the crate's folder.
pub const SPEC: &str = "specs/google-classroom/invitations.yaml";

/// The shipped scenario files for it.
pub const SCENARIOS: &str = "scenarios/google-classroom";
