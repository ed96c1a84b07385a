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
            "needs fixture value '{missing}': pass --fixture-value {missing}=VALUE or --fixture FILE"
        ))
    }

    /// Marks every scenario that cannot run here as ignored, with the reason.
    pub fn apply(&self, scenarios: &mut [Scenario]) {
        for s in scenarios.iter_mut().filter(|s| s.ignored.is_none()) {
            s.ignored = self.refuse(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Origin, Outcome, Tags};

    fn scenario(mutates: bool, identities: &[&str], fixtures: &[&str]) -> Scenario {
        Scenario {
            id: "op::200::valid".to_owned(),
            operation: "op".to_owned(),
            outcome: Outcome::Success(200),
            steps: Vec::new(),
            cleanup: Vec::new(),
            tags: Tags {
                mutates,
                identities: identities.iter().map(|s| (*s).to_owned()).collect(),
                fixtures: fixtures.iter().map(|s| (*s).to_owned()).collect(),
            },
            origin: Origin::Generated,
            ignored: None,
        }
    }

    fn refuse(target: Option<&str>, allow: bool, s: &Scenario) -> Option<String> {
        let identities = Identities::new([("teacher".to_owned(), "Bearer t".to_owned())]);
        let vars = BTreeMap::from([("fixtures.course".to_owned(), "1".to_owned())]);
        let var = |n: &str| format!("VAR_{n}");
        let gate = Gate {
            target,
            allow_mutations: allow,
            identities: &identities,
            vars: &vars,
            identity_var: &var,
        };
        gate.refuse(s)
    }

    #[test]
    fn mutations_outside_loopback_need_permission() {
        let writes = scenario(true, &[], &[]);
        let why = refuse(Some("https://staging.test"), false, &writes).expect("refused");
        assert!(why.contains("--allow-mutations"), "{why}");
        assert_eq!(refuse(Some("https://staging.test"), true, &writes), None);
        assert_eq!(refuse(Some("http://127.0.0.1:9"), false, &writes), None);
        assert_eq!(refuse(None, false, &writes), None);
        let reads = scenario(false, &[], &[]);
        assert_eq!(refuse(Some("https://staging.test"), false, &reads), None);
    }

    #[test]
    fn a_missing_identity_or_fixture_value_names_what_to_set() {
        let who = refuse(None, false, &scenario(false, &["invitee"], &[])).expect("refused");
        assert_eq!(who, "needs identity 'invitee': set VAR_invitee");
        let what =
            refuse(None, false, &scenario(false, &["teacher"], &["other"])).expect("refused");
        assert_eq!(
            what,
            "needs fixture value 'other': pass --fixture-value other=VALUE or --fixture FILE"
        );
        assert_eq!(
            refuse(None, false, &scenario(false, &["teacher"], &["course"])),
            None
        );
    }

    #[test]
    fn shared_targets_get_a_default_rate() {
        let identities = Identities::default();
        let vars = BTreeMap::new();
        let var = |n: &str| n.to_owned();
        let gate = |target| Gate {
            target,
            allow_mutations: false,
            identities: &identities,
            vars: &vars,
            identity_var: &var,
        };
        assert_eq!(
            gate(Some("https://staging.test")).rate(None),
            Some(SHARED_DEFAULT_RATE)
        );
        assert_eq!(
            gate(Some("https://staging.test")).rate(Some(2.0)),
            Some(2.0)
        );
        assert_eq!(gate(Some("http://localhost:1")).rate(None), None);
        assert_eq!(gate(None).rate(None), None);
    }
}
