//! Settings: `contractor.toml`, the `CONTRACTOR_*` environment and command-line flags, merged
//! by one [`resolve`] with one precedence (flags, then environment, then file, then defaults),
//! for `contractor run` and the `cargo test --test conformance` target alike. Identities are
//! named by the environment variable that holds each one, never written down. May import
//! `error`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::error::{Error, Location};

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "contractor.toml";
/// The per-request timeout when no source sets one, seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;
/// The coverage depth when no source sets one: one-fault negative requests, missing required
/// headers and undeclared methods, capped per operation; boundary values only on request.
pub const DEFAULT_COVERAGE: &str = "negative";
/// The whole run's budget when no source sets one, seconds.
pub const DEFAULT_TIME_BUDGET_SECS: u64 = 30 * 60;

/// What to run, and where: every source merged.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The spec (default: the shipped Classroom spec).
    pub spec: Option<PathBuf>,
    /// A base URL; none runs against the embedded emulator or spec-driven stub.
    pub target: Option<String>,
    /// Scenario files (default: the shipped ones when the embedded emulator serves the spec).
    pub scenarios: Option<PathBuf>,
    /// Fixture values (users, courses) for the scenarios, in the shape of the shipped fixture.
    pub fixture: Option<PathBuf>,
    /// Faults to switch on in the embedded stub, by name.
    pub mutants: Vec<String>,
    /// The response-time budget (`max_response_time` runs only with one).
    pub max_response_time: Option<Duration>,
    /// How late the slow mutant answers.
    pub slow: Option<Duration>,
    /// Checks switched off by name.
    pub checks_off: Vec<String>,
    /// The per-request timeout.
    pub timeout: Option<Duration>,
    /// Varies generated values; `None`: a new seed each run (printed, so it can be repeated).
    pub seed: Option<u64>,
    /// Run mutating scenarios against a target outside loopback.
    pub allow_mutations: bool,
    /// At most this many requests a second (default: 10 outside loopback, none on it).
    pub rate: Option<f64>,
    /// Scenarios at once (default: one at a time against a target, the cores on the stub).
    pub concurrency: Option<usize>,
    /// The whole run's time budget (default: 30 minutes); scenarios not started by then fail.
    pub time_budget: Option<Duration>,
    /// Write JUnit XML here.
    pub junit: Option<PathBuf>,
    /// Write every scenario and step as JSON here.
    pub json: Option<PathBuf>,
    /// Folders where a listing's URLs are looked up.
    pub mirrors: Vec<PathBuf>,
    /// Identity name -> the environment variable holding it (default `CONTRACTOR_IDENTITY_<NAME>`).
    pub identity_vars: BTreeMap<String, String>,
    /// Fixture values given directly (`${fixtures.NAME}`), over those of the fixture file.
    pub fixture_values: BTreeMap<String, String>,
    /// Coverage depth, `off`, `negative` or `full` (default: [`DEFAULT_COVERAGE`]); parsed
    /// where scenarios are generated.
    pub coverage: Option<String>,
    /// Further valid inputs per operation (`--examples N`; default none).
    pub examples: Option<u64>,
}

impl Config {
    /// The environment variable that holds identity `name`.
    pub fn identity_var(&self, name: &str) -> String {
        self.identity_vars.get(name).cloned().unwrap_or_else(|| {
            format!(
                "CONTRACTOR_IDENTITY_{}",
                name.to_ascii_uppercase().replace('-', "_")
            )
        })
    }
}

/// A rate as the file may write it: `10` or `"10/s"`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum RateValue {
    /// Requests a second.
    Number(f64),
    /// `"10/s"` or `"10"`.
    Text(String),
}

/// Everything `contractor.toml` may set.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// The spec or listing.
    pub spec: Option<PathBuf>,
    /// The base URL to test.
    pub target: Option<String>,
    /// A folder of scenario files.
    pub scenarios: Option<PathBuf>,
    /// A fixture file (users, courses).
    pub fixture: Option<PathBuf>,
    /// Folders where a listing's URLs are looked up.
    #[serde(default)]
    pub mirrors: Vec<PathBuf>,
    /// Identity name -> the environment variable holding its `Authorization` value.
    #[serde(default)]
    pub identities: BTreeMap<String, String>,
    /// Fixture values, as `${fixtures.NAME}` names them.
    #[serde(default)]
    pub fixtures: BTreeMap<String, String>,
    /// Requests a second.
    pub rate: Option<RateValue>,
    /// Scenarios at once.
    pub concurrency: Option<usize>,
    /// Per-request timeout, seconds.
    pub timeout: Option<u64>,
    /// The whole run's budget, seconds.
    pub time_budget: Option<u64>,
    /// Response-time budget, milliseconds.
    pub max_response_time: Option<u64>,
    /// Run mutating scenarios outside loopback.
    pub allow_mutations: Option<bool>,
    /// Checks switched off.
    #[serde(default)]
    pub checks_off: Vec<String>,
    /// Coverage depth: `off`, `negative` or `full`.
    pub coverage: Option<String>,
    /// Further valid inputs per operation.
    pub examples: Option<u64>,
}

impl FileConfig {
    /// Reads `path`; a relative path inside it is relative to the file's folder.
    pub fn load(path: &Path) -> Result<FileConfig, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut config: FileConfig = toml::from_str(&text).map_err(|e| Error::Syntax {
            location: toml_location(path, &text, e.span()),
            message: e.message().to_owned(),
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        let rebase = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        for p in [&mut config.spec, &mut config.scenarios, &mut config.fixture]
            .into_iter()
            .flatten()
        {
            rebase(p);
        }
        config.mirrors.iter_mut().for_each(rebase);
        Ok(config)
    }

    /// `explicit`, else `contractor.toml` in the working directory when there is one.
    pub fn find(explicit: Option<&Path>) -> Result<(Option<PathBuf>, FileConfig), Error> {
        let path = match explicit {
            Some(path) => path.to_owned(),
            None if Path::new(DEFAULT_FILE).is_file() => PathBuf::from(DEFAULT_FILE),
            None => return Ok((None, FileConfig::default())),
        };
        FileConfig::load(&path).map(|c| (Some(path), c))
    }
}

/// The line and column of a TOML error's span.
fn toml_location(path: &Path, text: &str, span: Option<std::ops::Range<usize>>) -> Location {
    let (line, column) = span.map_or((1, 1), |s| {
        let before = &text[..s.start.min(text.len())];
        let line = before.matches('\n').count() as u64 + 1;
        let column = before.rsplit('\n').next().map_or(0, str::len) as u64 + 1;
        (line, column)
    });
    Location::at_line(path, line, column)
}

/// What the command line says (every field optional: unset means "ask the next source").
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// `--spec`.
    pub spec: Option<PathBuf>,
    /// `--target`.
    pub target: Option<String>,
    /// `--scenarios`.
    pub scenarios: Option<PathBuf>,
    /// `--fixture`.
    pub fixture: Option<PathBuf>,
    /// `--mirror` (repeatable).
    pub mirrors: Vec<PathBuf>,
    /// `--max-response-time MS`.
    pub max_response_time_ms: Option<u64>,
    /// `--check-off` (repeatable).
    pub checks_off: Vec<String>,
    /// `--mutant` (repeatable).
    pub mutants: Vec<String>,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--fixture-value NAME=VALUE` (repeatable), over `[fixtures]` of the settings file.
    pub fixture_values: Vec<String>,
    /// `--allow-mutations` (a switch: absent means "ask the next source").
    pub allow_mutations: bool,
    /// `--rate`, e.g. `10/s`.
    pub rate: Option<String>,
    /// `--test-threads` / `--concurrency`.
    pub concurrency: Option<usize>,
    /// `--timeout SECS`.
    pub timeout: Option<u64>,
    /// `--time-budget SECS`.
    pub time_budget: Option<u64>,
    /// `--junit FILE`.
    pub junit: Option<PathBuf>,
    /// `--json FILE`.
    pub json: Option<PathBuf>,
    /// `--coverage off|negative|full`.
    pub coverage: Option<String>,
    /// `--examples N`.
    pub examples: Option<u64>,
}

/// The environment as [`resolve`] reads it: `CONTRACTOR_*` variables, an empty value unset.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Merges the settings file (`--config`, `CONTRACTOR_CONFIG`, or `./contractor.toml`), the
/// environment (read through `env`) and `flags`. Precedence: a flag, then its environment
/// variable, then the file, then the default. Lists (`checks_off`, `mirrors`) are joined: a
/// check switched off anywhere stays off.
///
/// | setting | flag | environment | file |
/// |---|---|---|---|
/// | spec, target, scenarios, fixture | `--spec` … | `CONTRACTOR_SPEC` … | `spec` … |
/// | rate | `--rate 10/s` | `CONTRACTOR_RATE` | `rate` |
/// | concurrency | `--test-threads` | `CONTRACTOR_CONCURRENCY` | `concurrency` |
/// | timeout, time budget (s) | `--timeout`, `--time-budget` | `CONTRACTOR_TIMEOUT`, `CONTRACTOR_TIME_BUDGET` | `timeout`, `time_budget` |
/// | response-time budget (ms) | `--max-response-time` | `CONTRACTOR_MAX_RESPONSE_TIME_MS` | `max_response_time` |
/// | allow mutations | `--allow-mutations` | `CONTRACTOR_ALLOW_MUTATIONS` | `allow_mutations` |
/// | checks off | `--check-off` | `CONTRACTOR_CHECKS_OFF` (comma-separated) | `checks_off` |
/// | seed | `--seed` | `CONTRACTOR_SEED` | – |
/// | coverage | `--coverage` | `CONTRACTOR_COVERAGE` | `coverage` |
/// | examples per operation | `--examples` | `CONTRACTOR_EXAMPLES` | `examples` |
/// | reports | `--junit`, `--json` | `CONTRACTOR_JUNIT`, `CONTRACTOR_JSON` | – |
pub fn resolve(flags: &Flags, env: impl Fn(&str) -> Option<String>) -> Result<Config, Error> {
    let explicit = flags
        .config
        .clone()
        .or_else(|| env("CONTRACTOR_CONFIG").map(PathBuf::from));
    let (file_path, file) = FileConfig::find(explicit.as_deref())?;
    let sources = Sources {
        flags,
        env: &env,
        file_path: file_path.unwrap_or_else(|| PathBuf::from(DEFAULT_FILE)),
        file,
    };
    let (flags, file) = (sources.flags, &sources.file);
    Ok(Config {
        spec: sources.path(&flags.spec, "CONTRACTOR_SPEC", &file.spec),
        target: flags
            .target
            .clone()
            .or_else(|| env("CONTRACTOR_TARGET"))
            .or(file.target.clone()),
        scenarios: sources.path(&flags.scenarios, "CONTRACTOR_SCENARIOS", &file.scenarios),
        fixture: sources.path(&flags.fixture, "CONTRACTOR_FIXTURE", &file.fixture),
        mutants: flags.mutants.clone(),
        max_response_time: sources
            .number(
                flags.max_response_time_ms,
                "CONTRACTOR_MAX_RESPONSE_TIME_MS",
                file.max_response_time,
            )?
            .map(Duration::from_millis),
        slow: None,
        checks_off: sources.checks_off(),
        timeout: sources.secs(
            flags.timeout,
            "CONTRACTOR_TIMEOUT",
            file.timeout,
            DEFAULT_TIMEOUT_SECS,
        )?,
        seed: sources.number(flags.seed, "CONTRACTOR_SEED", None)?,
        allow_mutations: sources.allow_mutations()?,
        rate: sources.rate()?,
        concurrency: sources
            .number(
                flags.concurrency.map(|n| n as u64),
                "CONTRACTOR_CONCURRENCY",
                file.concurrency.map(|n| n as u64),
            )?
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        time_budget: sources.secs(
            flags.time_budget,
            "CONTRACTOR_TIME_BUDGET",
            file.time_budget,
            DEFAULT_TIME_BUDGET_SECS,
        )?,
        junit: sources.path(&flags.junit, "CONTRACTOR_JUNIT", &None),
        json: sources.path(&flags.json, "CONTRACTOR_JSON", &None),
        mirrors: sources.mirrors(),
        identity_vars: file.identities.clone(),
        fixture_values: fixture_values(&flags.fixture_values, &file.fixtures)?,
        coverage: flags
            .coverage
            .clone()
            .or_else(|| env("CONTRACTOR_COVERAGE"))
            .or(file.coverage.clone()),
        examples: sources.number(flags.examples, "CONTRACTOR_EXAMPLES", file.examples)?,
    })
}

/// `[fixtures]` of the settings file, with each `--fixture-value NAME=VALUE` over it.
fn fixture_values(
    flags: &[String],
    file: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, Error> {
    let mut out = file.clone();
    for pair in flags {
        let Some((name, value)) = pair.split_once('=').filter(|(n, _)| !n.trim().is_empty()) else {
            return Err(Error::Usage(format!(
                "--fixture-value takes NAME=VALUE, not '{pair}'"
            )));
        };
        out.insert(name.trim().to_owned(), value.to_owned());
    }
    Ok(out)
}

/// The three sources of settings, asked in order.
struct Sources<'a, E: Fn(&str) -> Option<String>> {
    flags: &'a Flags,
    env: &'a E,
    file_path: PathBuf,
    file: FileConfig,
}

impl<E: Fn(&str) -> Option<String>> Sources<'_, E> {
    fn path(&self, flag: &Option<PathBuf>, var: &str, file: &Option<PathBuf>) -> Option<PathBuf> {
        flag.clone()
            .or_else(|| (self.env)(var).map(PathBuf::from))
            .or_else(|| file.clone())
    }

    /// A whole number: the flag, else the variable (which must be a positive number), else
    /// the file.
    fn number(
        &self,
        flag: Option<u64>,
        var: &str,
        file: Option<u64>,
    ) -> Result<Option<u64>, Error> {
        if flag.is_some() {
            return Ok(flag);
        }
        match (self.env)(var) {
            Some(v) => v
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .map(Some)
                .ok_or_else(|| not_positive(var, &v)),
            None => Ok(file),
        }
    }

    fn secs(
        &self,
        flag: Option<u64>,
        var: &str,
        file: Option<u64>,
        default: u64,
    ) -> Result<Option<Duration>, Error> {
        let chosen = self.number(flag, var, file)?.unwrap_or(default);
        Ok(Some(Duration::from_secs(chosen.max(1))))
    }

    fn rate(&self) -> Result<Option<f64>, Error> {
        if let Some(text) = &self.flags.rate {
            return parse_rate(text).map(Some).ok_or_else(|| {
                Error::Usage(format!(
                    "--rate takes requests per second such as `10/s`, not '{text}'"
                ))
            });
        }
        if let Some(value) = (self.env)("CONTRACTOR_RATE") {
            return parse_rate(&value)
                .map(Some)
                .ok_or_else(|| not_positive("CONTRACTOR_RATE", &value));
        }
        self.file
            .rate
            .as_ref()
            .map(|value| file_rate(&self.file_path, value))
            .transpose()
    }

    fn allow_mutations(&self) -> Result<bool, Error> {
        if self.flags.allow_mutations {
            return Ok(true);
        }
        match (self.env)("CONTRACTOR_ALLOW_MUTATIONS") {
            Some(v) => parse_bool("CONTRACTOR_ALLOW_MUTATIONS", &v),
            None => Ok(self.file.allow_mutations.unwrap_or(false)),
        }
    }

    /// Every source's, joined: a check switched off anywhere stays off.
    fn checks_off(&self) -> Vec<String> {
        let mut off = self.flags.checks_off.clone();
        if let Some(list) = (self.env)("CONTRACTOR_CHECKS_OFF") {
            let names = list.split(',').map(str::trim).filter(|s| !s.is_empty());
            off.extend(names.map(str::to_owned));
        }
        off.extend(self.file.checks_off.iter().cloned());
        off
    }

    /// The flags' folders, then the file's.
    fn mirrors(&self) -> Vec<PathBuf> {
        let mut mirrors = self.flags.mirrors.clone();
        for m in &self.file.mirrors {
            if !mirrors.contains(m) {
                mirrors.push(m.clone());
            }
        }
        mirrors
    }
}

/// `10/s`, `10 /s` or `10`: a positive, finite number of requests a second.
pub fn parse_rate(text: &str) -> Option<f64> {
    let number = text.trim().trim_end_matches("/s").trim();
    number
        .parse::<f64>()
        .ok()
        .filter(|r| r.is_finite() && *r > 0.0)
}

fn file_rate(path: &Path, value: &RateValue) -> Result<f64, Error> {
    let rate = match value {
        RateValue::Number(n) => Some(*n).filter(|r| r.is_finite() && *r > 0.0),
        RateValue::Text(text) => parse_rate(text),
    };
    rate.ok_or_else(|| Error::Config {
        path: path.to_owned(),
        message: "`rate` must be a positive number of requests a second".to_owned(),
    })
}

fn parse_bool(name: &str, value: &str) -> Result<bool, Error> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        _ => Err(Error::Environment {
            name: name.to_owned(),
            value: value.to_owned(),
            message: "is not true or false".to_owned(),
        }),
    }
}

fn not_positive(name: &str, value: &str) -> Error {
    Error::Environment {
        name: name.to_owned(),
        value: value.to_owned(),
        message: "is not a positive number".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("contractor-config-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let path = dir.join("contractor.toml");
        std::fs::write(&path, text).expect("write");
        path
    }

    const FULL: &str = "spec = \"api.yaml\"\ntarget = \"https://file.test\"\nscenarios = \"sc\"\nfixture = \"fx.yaml\"\nmirrors = [\"m\"]\nrate = 5\nconcurrency = 2\ntimeout = 10\ntime_budget = 60\nmax_response_time = 500\nallow_mutations = true\nchecks_off = [\"use_after_free\"]\n[identities]\nteacher = \"STAGING_TEACHER\"\n[fixtures]\nactive_course = \"123\"\n";

    /// An environment of exactly these variables.
    fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn from_file(name: &str) -> (PathBuf, Flags) {
        let path = write(name, FULL);
        let flags = Flags {
            config: Some(path.clone()),
            ..Flags::default()
        };
        (path, flags)
    }

    #[test]
    fn a_fixture_value_flag_wins_over_the_file_and_must_be_a_pair() {
        let (_, mut flags) = from_file("fixture-values");
        flags.fixture_values = vec!["active_course=9".to_owned(), "guild_id=81".to_owned()];
        let c = resolve(&flags, env_of(&[])).expect("resolve");
        assert_eq!(c.fixture_values["active_course"], "9");
        assert_eq!(c.fixture_values["guild_id"], "81");
        flags.fixture_values = vec!["=1".to_owned()];
        let err = resolve(&flags, env_of(&[])).expect_err("not a pair");
        assert!(err.to_string().contains("NAME=VALUE"), "{err}");
    }

    #[test]
    fn the_file_sets_every_setting_and_rebases_relative_paths() {
        let (path, flags) = from_file("file");
        let dir = path.parent().expect("dir");
        let c = resolve(&flags, env_of(&[])).expect("resolve");
        assert_eq!(c.spec, Some(dir.join("api.yaml")));
        assert_eq!(c.scenarios, Some(dir.join("sc")));
        assert_eq!(c.fixture, Some(dir.join("fx.yaml")));
        assert_eq!(c.mirrors, vec![dir.join("m")]);
        assert_eq!(c.target.as_deref(), Some("https://file.test"));
        assert_eq!(
            (c.rate, c.concurrency, c.allow_mutations),
            (Some(5.0), Some(2), true)
        );
        assert_eq!(c.timeout, Some(Duration::from_secs(10)));
        assert_eq!(c.time_budget, Some(Duration::from_secs(60)));
        assert_eq!(c.max_response_time, Some(Duration::from_millis(500)));
        assert_eq!(c.checks_off, vec!["use_after_free".to_owned()]);
        assert_eq!(c.identity_var("teacher"), "STAGING_TEACHER");
        assert_eq!(c.identity_var("student-a"), "CONTRACTOR_IDENTITY_STUDENT_A");
        assert_eq!(c.fixture_values["active_course"], "123");
    }

    #[test]
    fn the_environment_overrides_the_file() {
        let (_, flags) = from_file("env");
        let env = env_of(&[
            ("CONTRACTOR_SPEC", "/e/api.yaml"),
            ("CONTRACTOR_TARGET", "https://env.test"),
            ("CONTRACTOR_SCENARIOS", "/e/sc"),
            ("CONTRACTOR_FIXTURE", "/e/fx.yaml"),
            ("CONTRACTOR_RATE", "7/s"),
            ("CONTRACTOR_CONCURRENCY", "3"),
            ("CONTRACTOR_TIMEOUT", "11"),
            ("CONTRACTOR_TIME_BUDGET", "61"),
            ("CONTRACTOR_MAX_RESPONSE_TIME_MS", "501"),
            ("CONTRACTOR_ALLOW_MUTATIONS", "false"),
            (
                "CONTRACTOR_CHECKS_OFF",
                "not_a_server_error, max_response_time",
            ),
            ("CONTRACTOR_SEED", "9"),
            ("CONTRACTOR_JUNIT", "/e/j.xml"),
            ("CONTRACTOR_JSON", "/e/r.json"),
        ]);
        let c = resolve(&flags, env).expect("resolve");
        assert_eq!(c.spec, Some(PathBuf::from("/e/api.yaml")));
        assert_eq!(c.target.as_deref(), Some("https://env.test"));
        assert_eq!(c.scenarios, Some(PathBuf::from("/e/sc")));
        assert_eq!(c.fixture, Some(PathBuf::from("/e/fx.yaml")));
        assert_eq!(
            (c.rate, c.concurrency, c.seed),
            (Some(7.0), Some(3), Some(9))
        );
        assert!(!c.allow_mutations);
        assert_eq!(c.timeout, Some(Duration::from_secs(11)));
        assert_eq!(c.time_budget, Some(Duration::from_secs(61)));
        assert_eq!(c.max_response_time, Some(Duration::from_millis(501)));
        assert_eq!(
            c.checks_off,
            ["not_a_server_error", "max_response_time", "use_after_free"]
        );
        assert_eq!(c.junit, Some(PathBuf::from("/e/j.xml")));
        assert_eq!(c.json, Some(PathBuf::from("/e/r.json")));
    }

    #[test]
    fn flags_override_the_environment_and_the_file() {
        let (_, mut flags) = from_file("flags");
        flags.spec = Some(PathBuf::from("/f/api.yaml"));
        flags.target = Some("http://127.0.0.1:9".to_owned());
        flags.scenarios = Some(PathBuf::from("/f/sc"));
        flags.fixture = Some(PathBuf::from("/f/fx.yaml"));
        flags.rate = Some("10/s".to_owned());
        flags.concurrency = Some(4);
        flags.timeout = Some(12);
        flags.time_budget = Some(62);
        flags.max_response_time_ms = Some(502);
        flags.allow_mutations = true;
        flags.checks_off = vec!["content_type_conformance".to_owned()];
        flags.mirrors = vec![PathBuf::from("/f/m")];
        flags.seed = Some(3);
        flags.junit = Some(PathBuf::from("/f/j.xml"));
        flags.json = Some(PathBuf::from("/f/r.json"));
        let env = env_of(&[
            ("CONTRACTOR_TARGET", "https://env.test"),
            ("CONTRACTOR_RATE", "7"),
            ("CONTRACTOR_CONCURRENCY", "3"),
            ("CONTRACTOR_ALLOW_MUTATIONS", "0"),
            ("CONTRACTOR_SEED", "9"),
            ("CONTRACTOR_JSON", "/e/r.json"),
        ]);
        let c = resolve(&flags, env).expect("resolve");
        assert_eq!(c.spec, Some(PathBuf::from("/f/api.yaml")));
        assert_eq!(c.target.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(c.scenarios, Some(PathBuf::from("/f/sc")));
        assert_eq!(c.fixture, Some(PathBuf::from("/f/fx.yaml")));
        assert_eq!(
            (c.rate, c.concurrency, c.seed),
            (Some(10.0), Some(4), Some(3))
        );
        assert!(c.allow_mutations);
        assert_eq!(c.timeout, Some(Duration::from_secs(12)));
        assert_eq!(c.time_budget, Some(Duration::from_secs(62)));
        assert_eq!(c.max_response_time, Some(Duration::from_millis(502)));
        assert_eq!(c.checks_off, ["content_type_conformance", "use_after_free"]);
        assert_eq!(c.mirrors[0], PathBuf::from("/f/m"));
        assert_eq!(c.mirrors.len(), 2);
        assert_eq!(c.json, Some(PathBuf::from("/f/r.json")));
        assert_eq!(c.junit, Some(PathBuf::from("/f/j.xml")));
    }

    #[test]
    fn defaults_apply_when_no_source_sets_a_value() {
        let flags = Flags {
            config: Some(write("empty", "")),
            ..Flags::default()
        };
        let c = resolve(&flags, env_of(&[])).expect("resolve");
        assert_eq!(
            (c.spec, c.target, c.rate, c.concurrency),
            (None, None, None, None)
        );
        assert_eq!(c.timeout, Some(Duration::from_secs(DEFAULT_TIMEOUT_SECS)));
        assert_eq!(
            c.time_budget,
            Some(Duration::from_secs(DEFAULT_TIME_BUDGET_SECS))
        );
        assert_eq!((c.seed, c.allow_mutations), (None, false));
    }

    #[test]
    fn the_rate_reads_the_same_from_every_source() {
        assert_eq!(parse_rate("10/s"), Some(10.0));
        assert_eq!(parse_rate(" 2.5 /s"), Some(2.5));
        assert_eq!(parse_rate("3"), Some(3.0));
        for bad in ["0", "-5/s", "inf", "fast", ""] {
            assert_eq!(parse_rate(bad), None, "{bad}");
        }
        let flags = Flags {
            config: Some(write("rate-text", "rate = \"4/s\"\n")),
            ..Flags::default()
        };
        assert_eq!(
            resolve(&flags, env_of(&[])).expect("resolve").rate,
            Some(4.0)
        );
    }

    #[test]
    fn bad_values_name_their_source() {
        let path = write("bad-rate", "rate = 0\n");
        let flags = Flags {
            config: Some(path.clone()),
            ..Flags::default()
        };
        let err = resolve(&flags, env_of(&[])).unwrap_err().to_string();
        assert!(
            err.starts_with(&path.display().to_string()) && err.contains("`rate`"),
            "{err}"
        );
        let flags = Flags {
            config: Some(write("bad-env", "")),
            ..Flags::default()
        };
        let err = resolve(&flags, env_of(&[("CONTRACTOR_RATE", "fast")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "CONTRACTOR_RATE=fast is not a positive number"
        );
        let err = resolve(&flags, env_of(&[("CONTRACTOR_ALLOW_MUTATIONS", "maybe")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "CONTRACTOR_ALLOW_MUTATIONS=maybe is not true or false"
        );
        let with_flag = Flags {
            rate: Some("-5/s".to_owned()),
            ..flags
        };
        let err = resolve(&with_flag, env_of(&[])).unwrap_err().to_string();
        assert!(err.contains("--rate") && err.contains("'-5/s'"), "{err}");
    }

    #[test]
    fn the_config_file_comes_from_the_environment_when_no_flag_names_it() {
        let path = write("from-env", "target = \"https://named.test\"\n");
        let c = resolve(
            &Flags::default(),
            env_of(&[("CONTRACTOR_CONFIG", path.to_str().expect("utf-8"))]),
        )
        .expect("resolve");
        assert_eq!(c.target.as_deref(), Some("https://named.test"));
    }

    #[test]
    fn an_unknown_key_is_located() {
        let path = write("unknown", "target = \"http://127.0.0.1:1\"\ntargte = 1\n");
        let err = FileConfig::load(&path).unwrap_err().to_string();
        assert!(err.contains(":2:") && err.contains("targte"), "{err}");
    }

    #[test]
    fn coverage_and_examples_take_the_flag_then_the_environment_then_the_file() {
        let path = write("coverage", "coverage = \"full\"\nexamples = 3\n");
        let mut flags = Flags {
            config: Some(path),
            ..Flags::default()
        };
        let c = resolve(&flags, env_of(&[])).expect("resolve");
        assert_eq!((c.coverage.as_deref(), c.examples), (Some("full"), Some(3)));
        let env = [("CONTRACTOR_COVERAGE", "off"), ("CONTRACTOR_EXAMPLES", "2")];
        let c = resolve(&flags, env_of(&env)).expect("resolve");
        assert_eq!((c.coverage.as_deref(), c.examples), (Some("off"), Some(2)));
        flags.coverage = Some("negative".to_owned());
        flags.examples = Some(5);
        let c = resolve(&flags, env_of(&env)).expect("resolve");
        assert_eq!(
            (c.coverage.as_deref(), c.examples),
            (Some("negative"), Some(5))
        );
    }
}
