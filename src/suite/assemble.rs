//! Assembling a suite: load the API, gather scenarios (generated and from files), choose the
//! target (a URL, or the embedded stub with its identities), gate what cannot run there.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::check::{self, Check};
use crate::config::Config;
use crate::error::Error;
use crate::run::safety::Gate;
use crate::run::{Identities, Limiter};
use crate::scenario::{self, GenerateOptions, Scenario, INVALID_CREDENTIAL, INVALID_IDENTITY};
use crate::spec::{Api, LoadOptions};
use crate::stub::classroom::{self, Fixture};
use crate::stub::{emulated, Embedded, Mutant, UNPRIVILEGED};

/// A loaded suite: the API, its scenarios, and how to reach the target.
pub struct Suite {
    /// The API.
    pub api: Arc<Api>,
    /// The spec it was loaded from.
    pub spec_path: PathBuf,
    /// Every scenario, generated and from files, in order.
    pub scenarios: Vec<Scenario>,
    /// The embedded stub, when there is no target.
    pub(super) embedded: Option<Embedded>,
    /// The base URL requests go to: `--target`, followed by the spec's base path when the
    /// target has no path of its own.
    pub target_url: Option<String>,
    pub(super) identities: Identities,
    pub(super) vars: BTreeMap<String, String>,
    pub(super) checks: Vec<&'static Check>,
    pub(super) max_response_time: Option<Duration>,
    pub(super) mutants: Vec<Mutant>,
    pub(super) slow: Duration,
    /// One client for the whole run (keep-alive; a new pool after a 5xx).
    pub(super) connections: crate::run::Connections,
    pub(super) limiter: Option<Arc<Limiter>>,
    /// The seed generated values came from (the one given, else a new one for this run).
    pub seed: u64,
}

/// `path` from the working directory, else from the crate's own folder.
fn locate(path: &str) -> PathBuf {
    let here = PathBuf::from(path);
    if here.exists() {
        return here;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

impl Suite {
    /// Loads the spec, generates scenarios, merges scenario files, chooses the target and
    /// its identities, and marks what cannot run there as ignored.
    pub fn load(config: &Config) -> Result<Suite, Error> {
        let mutants = parse_mutants(config)?;
        let (spec_path, api) = load_api(config)?;
        let emulated = emulated(&api);
        let fixture = load_fixture(config, emulated)?;
        let seed = config.seed.unwrap_or_else(new_seed);
        let mut scenarios = gather_scenarios(config, &api, emulated, seed)?;
        let mut vars = fixture_vars(config, fixture.as_ref());
        let embedded = config
            .target
            .is_none()
            .then(|| Embedded::choose(&api, fixture));
        // The spec-driven stub holds one item for each identifier nothing creates.
        if matches!(embedded, Some(Embedded::SpecStub)) {
            for (name, value) in scenario::synth::standing_values(&api, api.graph()) {
                vars.entry(format!("fixtures.{name}")).or_insert(value);
            }
        }
        let identities = choose_identities(config, embedded.as_ref(), &scenarios);
        let identity_var = |name: &str| config.identity_var(name);
        let gate = Gate {
            target: config.target.as_deref(),
            allow_mutations: config.allow_mutations,
            identities: &identities,
            vars: &vars,
            identity_var: &identity_var,
        };
        gate.apply(&mut scenarios);
        let limiter = gate.rate(config.rate).map(|r| Arc::new(Limiter::new(r)));
        let timeout = config
            .timeout
            .unwrap_or(Duration::from_secs(crate::config::DEFAULT_TIMEOUT_SECS));
        let target_url = config
            .target
            .as_deref()
            .map(|url| crate::run::base_url(url, api.base_path().as_deref()));
        Ok(Suite {
            spec_path,
            api,
            scenarios,
            embedded,
            target_url,
            identities,
            vars,
            checks: check::select(&config.checks_off, config.max_response_time.is_some())
                .map_err(Error::Usage)?,
            max_response_time: config.max_response_time,
            mutants,
            slow: config.slow.unwrap_or(Duration::from_millis(1500)),
            connections: crate::run::Connections::new(timeout).map_err(Error::Client)?,
            limiter,
            seed,
        })
    }

    /// Why each ignored scenario is ignored.
    pub fn ignored(&self) -> impl Iterator<Item = (&str, &str)> {
        self.scenarios
            .iter()
            .filter_map(|s| s.ignored.as_deref().map(|why| (s.id.as_str(), why)))
    }
}

/// A seed for a run that was given none: values then differ from run to run, so what an
/// earlier run left behind never collides with what this one creates.
fn new_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    (u64::from(nanos) ^ u64::from(std::process::id()).rotate_left(17)) % 99_991 + 1
}

/// The faults asked for; they apply only to the embedded stub.
fn parse_mutants(config: &Config) -> Result<Vec<Mutant>, Error> {
    let mutants = config
        .mutants
        .iter()
        .map(|m| m.parse::<Mutant>().map_err(Error::Usage))
        .collect::<Result<Vec<_>, _>>()?;
    if config.target.is_some() && !mutants.is_empty() {
        return Err(Error::Usage(
            "--mutant switches faults on in the embedded stub; it cannot apply to --target"
                .to_owned(),
        ));
    }
    Ok(mutants)
}

/// The spec (default: the shipped Classroom spec) and its first API.
fn load_api(config: &Config) -> Result<(PathBuf, Arc<Api>), Error> {
    let spec_path = config
        .spec
        .clone()
        .unwrap_or_else(|| locate(classroom::SPEC));
    let options = LoadOptions {
        mirrors: config.mirrors.clone(),
        fetch: false,
    };
    let mut loaded = crate::spec::load(&spec_path, &options)?;
    if loaded.apis.is_empty() {
        return Err(Error::NoApi { path: spec_path });
    }
    let api = Arc::new(loaded.apis.remove(0));
    Ok((spec_path, api))
}

/// The fixture file asked for, else the shipped fixture for the emulator.
fn load_fixture(config: &Config, emulated: bool) -> Result<Option<Fixture>, Error> {
    match &config.fixture {
        Some(path) => Fixture::load(path).map(Some),
        None if emulated && config.target.is_none() => Ok(Some(Fixture::shipped())),
        None => Ok(None),
    }
}

/// Generated scenarios, merged with the scenario files (the shipped ones for an emulated
/// API when no folder is named).
fn gather_scenarios(
    config: &Config,
    api: &Api,
    emulated: bool,
    seed: u64,
) -> Result<Vec<Scenario>, Error> {
    let scenario_dir = config
        .scenarios
        .clone()
        .or_else(|| emulated.then(|| locate(classroom::SCENARIOS)));
    let options = GenerateOptions {
        seed: seed.max(1),
        default_identity: Some("default".to_owned()),
        // The spec-driven stub has an identity without rights; a target has one when its
        // variable is set.
        unprivileged_identity: {
            let embedded_stub = config.target.is_none() && !emulated;
            let given = std::env::var_os(config.identity_var(UNPRIVILEGED)).is_some();
            (embedded_stub || given).then(|| UNPRIVILEGED.to_owned())
        },
        scenario_dir: scenario_dir.as_ref().map_or_else(
            || "scenarios/<api>/".to_owned(),
            |d| format!("{}/", d.display()),
        ),
        coverage: config
            .coverage
            .as_deref()
            .unwrap_or(crate::config::DEFAULT_COVERAGE)
            .parse()
            .map_err(Error::Usage)?,
        examples: config
            .examples
            .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX)),
    };
    let generated = scenario::generate(api, &options);
    let files = match &scenario_dir {
        Some(dir) => scenario::load_dir(dir, api)?,
        None => Vec::new(),
    };
    Ok(scenario::merge(generated, &files))
}

/// `fixtures.NAME` variables: the fixture's symbols, then the values given directly.
fn fixture_vars(config: &Config, fixture: Option<&Fixture>) -> BTreeMap<String, String> {
    let symbols = fixture.map(Fixture::symbols).unwrap_or_default();
    symbols
        .into_iter()
        .chain(config.fixture_values.clone())
        .map(|(k, v)| (format!("fixtures.{k}"), v))
        .collect()
}

/// The embedded stub's own users, or, for a target, every identity the scenarios name whose
/// variable is set; and the invalid identity, a credential issued by no one, unless its
/// variable gives one.
fn choose_identities(
    config: &Config,
    embedded: Option<&Embedded>,
    scenarios: &[Scenario],
) -> Identities {
    let mut values: BTreeMap<String, String> = match embedded {
        Some(stub) => stub.identities(),
        None => {
            let mut names: Vec<String> = scenarios
                .iter()
                .flat_map(|s| s.tags.identities.clone())
                .chain(["default".to_owned()])
                .collect();
            names.sort();
            names.dedup();
            names
                .into_iter()
                .filter_map(|n| std::env::var(config.identity_var(&n)).ok().map(|v| (n, v)))
                .collect()
        }
    };
    values
        .entry(INVALID_IDENTITY.to_owned())
        .or_insert_with(|| INVALID_CREDENTIAL.to_owned());
    Identities::new(values)
}
