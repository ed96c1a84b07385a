//! `contractor.toml`: the optional settings file. Command-line flags override it. Identities
//! are named by the environment variable that holds each one, never written here. May import
//! `error`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Location};

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "contractor.toml";

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
    pub rate: Option<f64>,
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
}

impl FileConfig {
    /// Reads `path`; a relative path inside it is relative to the file's folder.
    pub fn load(path: &Path) -> Result<FileConfig, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut config: FileConfig = toml::from_str(&text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| {
                    let before = &text[..s.start.min(text.len())];
                    let line = before.matches('\n').count() as u64 + 1;
                    let column = before.rsplit('\n').next().map_or(0, str::len) as u64 + 1;
                    (line, column)
                })
                .unwrap_or((1, 1));
            Error::Syntax {
                location: Location::at_line(path, line, column),
                message: e.message().to_owned(),
            }
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        let rebase = |p: &mut Option<PathBuf>| {
            if let Some(p) = p {
                if p.is_relative() {
                    *p = base.join(&*p);
                }
            }
        };
        rebase(&mut config.spec);
        rebase(&mut config.scenarios);
        rebase(&mut config.fixture);
        for m in &mut config.mirrors {
            if m.is_relative() {
                *m = base.join(&*m);
            }
        }
        if config.rate.is_some_and(|r| r <= 0.0 || !r.is_finite()) {
            return Err(Error::Usage(format!(
                "{}: `rate` must be a positive number of requests a second",
                path.display()
            )));
        }
        Ok(config)
    }

    /// `--config FILE`, else `contractor.toml` in the working directory when there is one.
    pub fn find(explicit: Option<&Path>) -> Result<FileConfig, Error> {
        match explicit {
            Some(path) => FileConfig::load(path),
            None if Path::new(DEFAULT_FILE).is_file() => FileConfig::load(Path::new(DEFAULT_FILE)),
            None => Ok(FileConfig::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "contractor-config-{}-{}",
            std::process::id(),
            text.len()
        ));
        std::fs::create_dir_all(&dir).expect("tmp");
        let path = dir.join("contractor.toml");
        std::fs::write(&path, text).expect("write");
        path
    }

    #[test]
    fn reads_every_setting_and_rebases_relative_paths() {
        let path = write(
            "spec = \"api.yaml\"\ntarget = \"https://staging.test\"\nrate = 5\nconcurrency = 2\ntimeout = 10\ntime_budget = 60\nmax_response_time = 500\nallow_mutations = true\nchecks_off = [\"use_after_free\"]\n[identities]\nteacher = \"STAGING_TEACHER\"\n[fixtures]\nactive_course = \"123\"\n",
        );
        let c = FileConfig::load(&path).expect("load");
        assert_eq!(c.spec, Some(path.parent().expect("dir").join("api.yaml")));
        assert_eq!(c.identities["teacher"], "STAGING_TEACHER");
        assert_eq!(c.fixtures["active_course"], "123");
        assert_eq!(
            (c.rate, c.concurrency, c.allow_mutations),
            (Some(5.0), Some(2), Some(true))
        );
    }

    #[test]
    fn an_unknown_key_is_located() {
        let path = write("target = \"http://127.0.0.1:1\"\ntargte = 1\n");
        let err = FileConfig::load(&path).unwrap_err().to_string();
        assert!(err.contains(":2:") && err.contains("targte"), "{err}");
    }
}
