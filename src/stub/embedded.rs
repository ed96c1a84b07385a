//! The embedded target: the stub a run uses when it is given no target. An emulator
//! registers the operations it serves; an API all of whose operations one serves gets that
//! emulator, and any other API the spec-driven stub.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use crate::spec::Api;
use crate::stub::classroom::{self, Fixture};
use crate::stub::{Emulator, Mutant, Responder, SpecStub};

/// The identity generated `PERMISSION_DENIED` / 403 scenarios send: one the target knows
/// but grants nothing (`CONTRACTOR_IDENTITY_UNPRIVILEGED` for a target).
pub const UNPRIVILEGED: &str = "unprivileged";

impl SpecStub {
    /// The stub issuing `identities` (by name, as [`Embedded::identities`] gives them), the
    /// [`UNPRIVILEGED`] one without rights.
    pub fn with_identities(self, identities: &BTreeMap<String, String>) -> SpecStub {
        let (without, with): (Vec<_>, Vec<_>) = identities
            .iter()
            .partition(|(name, _)| *name == UNPRIVILEGED);
        self.issuing(with.into_iter().map(|(_, v)| v.clone()))
            .without_rights(without.into_iter().map(|(_, v)| v.clone()))
    }
}

/// The stub a scenario runs against when no target is given.
#[derive(Debug, Clone)]
pub enum Embedded {
    /// The Classroom emulator, with its users and courses.
    Emulator(Fixture),
    /// The spec-driven stub.
    SpecStub,
}

/// A path template with its parameter names blanked: `/v1/x/{id}` and `/v1/x/{xId}` serve the
/// same requests.
fn shape(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut in_param = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// Whether the Classroom emulator serves every operation of `api`: same operationId, method
/// and path (parameter names aside).
pub fn emulated(api: &Api) -> bool {
    !api.operations.is_empty()
        && api.operations.iter().all(|op| {
            classroom::SERVES.iter().any(|(id, m, p)| {
                *id == op.id && *m == op.method.as_str() && shape(p) == shape(&op.path)
            })
        })
}

impl Embedded {
    /// The emulator when it serves `api` (with `fixture`, else the shipped one), else the
    /// spec-driven stub.
    pub fn choose(api: &Api, fixture: Option<Fixture>) -> Embedded {
        if emulated(api) {
            Embedded::Emulator(fixture.unwrap_or_else(Fixture::shipped))
        } else {
            Embedded::SpecStub
        }
    }

    /// The identities the stub knows, each a full `Authorization` value; `default` among them.
    pub fn identities(&self) -> BTreeMap<String, String> {
        match self {
            Embedded::Emulator(f) => {
                let mut ids: BTreeMap<String, String> = f
                    .users
                    .iter()
                    .map(|(k, u)| (k.clone(), format!("Bearer {}", u.token)))
                    .collect();
                if let Some(teacher) = f.users.get("teacher") {
                    ids.insert("default".to_owned(), format!("Bearer {}", teacher.token));
                }
                ids
            }
            Embedded::SpecStub => BTreeMap::from([
                ("default".to_owned(), "Bearer contractor".to_owned()),
                (
                    UNPRIVILEGED.to_owned(),
                    "Bearer contractor-unprivileged".to_owned(),
                ),
            ]),
        }
    }

    /// A responder with fresh state, faults `mutants` on, `slow` for the slow mutant.
    pub fn responder(
        &self,
        api: &Arc<Api>,
        mutants: &[Mutant],
        slow: Duration,
    ) -> Arc<dyn Responder> {
        match self {
            Embedded::Emulator(f) => Arc::new(Emulator::new(f, mutants, slow)),
            Embedded::SpecStub => Arc::new(
                SpecStub::new(Arc::clone(api), mutants, slow).with_identities(&self.identities()),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_names_do_not_change_a_path_shape() {
        assert_eq!(
            shape("/v1/invitations/{invitationId}:accept"),
            shape("/v1/invitations/{id}:accept")
        );
        assert_ne!(shape("/v1/invitations/{id}"), shape("/v1/invitations"));
    }

    #[test]
    fn the_shipped_spec_is_emulated_and_a_wider_api_is_not() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(classroom::SPEC);
        let mut api = Api::load(&path).expect("shipped spec");
        assert!(emulated(&api));
        assert!(matches!(
            Embedded::choose(&api, None),
            Embedded::Emulator(_)
        ));
        let id = std::mem::replace(&mut api.operations[0].id, "invitations_list".to_owned());
        assert!(
            !emulated(&api),
            "scenario files name the emulator's operationIds"
        );
        api.operations[0].id = id;
        assert!(emulated(&api));
        let mut extra = api.operations[0].clone();
        extra.path = "/v1/courses".to_owned();
        api.operations.push(extra);
        assert!(!emulated(&api));
        assert!(matches!(Embedded::choose(&api, None), Embedded::SpecStub));
    }
}
