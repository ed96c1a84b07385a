//! The safety gate for shared environments: outside loopback, scenarios that create, change
//! or delete are ignored unless mutations are allowed, and so is every scenario whose
//! identity or fixture value the run lacks, each with the reason. Also the default rate limit
//! outside loopback. May import `scenario`.

use std::collections::BTreeMap;

use crate::run::{is_loopback, Identities};
use crate::scenario::Scenario;

/// Requests a second outside loopback when no rate is set.
pub const SHARED_DEFAULT_RATE: f64 = 10.0;

/// What the run has, and what it allows.
pub struct Gate<'a> {
    /// The target's base URL; none is the embedded stub.
    pub target: Option<&'a str>,
    /// `--allow-mutations`.
    pub allow_mutations: bool,
    /// The identities the run has.
    pub identities: &'a Identities,
    /// The variables the run has (`fixtures.NAME` among them).
    pub vars: &'a BTreeMap<String, String>,
    /// The variable to set for an identity, for the reason text.
    pub identity_var: &'a dyn Fn(&str) -> String,
}

impl Gate<'_> {
    /// Whether the target is outside loopback (a shared environment).
    pub fn shared(&self) -> bool {
        self.target.is_some_and(|t| !is_loopback(t))
    }

    /// The rate to run at: the one set, else [`SHARED_DEFAULT_RATE`] on a shared target.
    pub fn rate(&self, set: Option<f64>) -> Option<f64> {
        set.or(self.shared().then_some(SHARED_DEFAULT_RATE))
    }

    /// Why `scenario` cannot run here, if it cannot.
    pub fn refuse(&self, scenario: &Scenario) -> Option<String> {
        if self.shared() && scenario.tags.mutates && !self.allow_mutations {
            return Some(
                "mutates state on a target outside loopback: pass --allow-mutations to run it"
                    .to_owned(),
            );
        }
        let tags = &scenario.tags;
        if let Some(who) = tags
            .identities
            .iter()
            .find(|i| self.identities.get(i).is_none())
        {
            return Some(format!(
                "needs identity '{who}': set {}",
                (self.identity_var)(who)
            ));
        }
        let missing = tags
            .fixtures
            .iter()
            .find(|f| !self.vars.contains_key(&format!("fixtures.{f}")))?;
        Some(format!(
            "needs fixture value '{missing}': pass --fixture FILE"
        ))
    }

    /// Marks every scenario that cannot run here as ignored, with the reason.
    pub fn apply(&self, scenarios: &mut [Scenario]) {
        for s in scenarios.iter_mut().filter(|s| s.ignored.is_none()) {
            s.ignored = self.refuse(s);
        }
    }
}
