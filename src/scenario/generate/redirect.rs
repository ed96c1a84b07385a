//! Redirect outcomes: a documented 3xx. Redirects are not followed, so a scenario expects the
//! status itself (and `response_headers_conformance` its `Location`). A plain valid request
//! provokes a 3xx only when the operation documents no 2xx: then the redirect is its answer.
//! Beside a 2xx, which request gets the redirect is state the spec does not describe, and a
//! `304` answers a conditional request it does not describe either: both are ignored as
//! needing a scenario file. (A stub's `Prefer: code=302` would provoke them, but only against
//! our own stub, never against a real target.)
//!
//! May import `spec` and the rest of `scenario`.

use super::{scenario, success_status, valid_step, GenerateOptions};
use crate::scenario::model::{Outcome, Scenario};
use crate::spec::{Api, Operation, StatusKey};

/// The documented 3xx statuses of `op`, lowest first.
fn documented(op: &Operation) -> Vec<u16> {
    let mut codes: Vec<u16> = op
        .responses
        .iter()
        .filter_map(|r| match r.status {
            StatusKey::Code(c) if (300..400).contains(&c) => Some(c),
            _ => None,
        })
        .collect();
    codes.sort_unstable();
    codes
}

/// The 3xx a plain valid request gets: the lowest documented one but `304`, when the
/// operation documents no 2xx.
pub(super) fn plain(op: &Operation) -> Option<u16> {
    if success_status(op).is_some() {
        return None;
    }
    documented(op).into_iter().find(|c| *c != 304)
}

/// A scenario per documented 3xx: the plain request for the one it provokes, ignored with
/// the reason for the others.
pub(super) fn outcomes(api: &Api, op: &Operation, options: &GenerateOptions) -> Vec<Scenario> {
    let provoked = plain(op);
    documented(op)
        .into_iter()
        .map(|code| {
            let outcome = Outcome::Success(code);
            if Some(code) == provoked {
                let mut call = valid_step(api, op, options, options.seed);
                call.expect.status = Some(code);
                return scenario(op, outcome, "valid", vec![call], Vec::new(), None);
            }
            let why = if code == 304 {
                "a 304 answers a conditional request the spec does not describe"
            } else {
                "the spec does not say which request is redirected rather than answered"
            };
            let reason = format!(
                "needs a scenario file: {why} (add one in {})",
                options.scenario_dir
            );
            scenario(
                op,
                outcome,
                "redirect",
                Vec::new(),
                Vec::new(),
                Some(reason),
            )
        })
        .collect()
}
