//! Setup errors: a spec that will not load, a bad flag, a file that cannot be read.
//!
//! These are never check failures (those are data, in `check/`). Every variant says
//! where: a file, plus a line and column or a JSON pointer. Imports nothing from the crate.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Exit code when every check passed.
pub const EXIT_OK: i32 = 0;
/// Exit code when a check failed.
pub const EXIT_FAILED: i32 = 1;
/// Exit code for a setup error (bad input, bad flags, an unreachable target).
pub const EXIT_SETUP: i32 = 2;

/// The lines of one parsed document, recorded by the loader while it had the text.
pub trait LineIndex: fmt::Debug + Send + Sync {
    /// The 1-based line of `pointer` (no leading `#`), or of its deepest ancestor recorded;
    /// `None` when not even the first token was recorded.
    fn line_of(&self, pointer: &str) -> Option<u64>;
}

/// A place in an input: the file, and a JSON pointer and/or a line and column in it.
///
/// A location made by the loader also carries its document's [`LineIndex`], so that it and
/// every [`child`](Location::child) know their [`line`](Location::line) without reading the file
/// again. The index is not part of the location's identity, nor of what it prints.
#[derive(Clone)]
pub struct Location {
    /// The file as the user named it (or as it was reached through a `$ref` or a listing).
    pub file: PathBuf,
    /// A JSON pointer into the document, without the leading `#` (empty for the root).
    pub pointer: String,
    /// 1-based line and column, when known.
    pub line_col: Option<(u64, u64)>,
    /// The document's lines, when the loader recorded them.
    lines: Option<Arc<dyn LineIndex>>,
}

impl Location {
    /// A location at `pointer` (no leading `#`) in `file`.
    pub fn new(file: impl Into<PathBuf>, pointer: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            pointer: pointer.into(),
            line_col: None,
            lines: None,
        }
    }

    /// A location at a line and column of `file`.
    pub fn at_line(file: impl Into<PathBuf>, line: u64, column: u64) -> Self {
        Location {
            file: file.into(),
            pointer: String::new(),
            line_col: Some((line, column)),
            lines: None,
        }
    }

    /// The same location, knowing its document's lines (so [`line`](Location::line) works for it
    /// and its children).
    #[must_use]
    pub fn with_lines(mut self, lines: Arc<dyn LineIndex>) -> Self {
        self.lines = Some(lines);
        self
    }

    /// The same file, one level deeper: `child("responses")` appends `/responses`.
    pub fn child(&self, token: &str) -> Self {
        Location {
            file: self.file.clone(),
            pointer: format!("{}/{}", self.pointer, escape_token(token)),
            line_col: None,
            lines: self.lines.clone(),
        }
    }

    /// The same file, one level up: the path item of an operation's location.
    pub fn parent(&self) -> Self {
        let pointer = self
            .pointer
            .rsplit_once('/')
            .map_or("", |(up, _)| up)
            .to_owned();
        Location {
            file: self.file.clone(),
            pointer,
            line_col: None,
            lines: self.lines.clone(),
        }
    }

    /// The 1-based line this location points at: its own line, else the line the loader
    /// recorded for its pointer (or the pointer's deepest recorded ancestor).
    pub fn line(&self) -> Option<u64> {
        match self.line_col {
            Some((line, _)) => Some(line),
            None => self.lines.as_ref()?.line_of(&self.pointer),
        }
    }

    fn key(&self) -> (&PathBuf, &str, Option<(u64, u64)>) {
        (&self.file, &self.pointer, self.line_col)
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Location")
            .field("file", &self.file)
            .field("pointer", &self.pointer)
            .field("line_col", &self.line_col)
            .finish()
    }
}

impl PartialEq for Location {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Location {}

impl std::hash::Hash for Location {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialOrd for Location {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Location {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, col)) = self.line_col {
            write!(f, ":{line}:{col}")?;
        }
        if !self.pointer.is_empty() || self.line_col.is_none() {
            write!(f, "#{}", self.pointer)?;
        }
        Ok(())
    }
}

/// Escapes one JSON pointer token (`~` as `~0`, `/` as `~1`).
pub fn escape_token(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_owned()
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Loaded anyway; something was assumed (a dangling schema `$ref` read as unconstrained).
    Warning,
    /// The input cannot be used.
    Error,
}

/// One thing the loader has to say about an input, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// A lowercase fragment, e.g. "dangling $ref '#/definitions/holder'".
    pub message: String,
    /// Where in which file.
    pub location: Location,
}

impl Diagnostic {
    /// A warning at `location`.
    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            message: message.into(),
            location,
        }
    }

    /// An error at `location`.
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{word}: {}\n  --> {}", self.message, self.location)
    }
}

/// A setup error: contractor cannot start the job it was given.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("failed to read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// YAML or JSON that does not parse.
    #[error("failed to parse {location}: {message}")]
    Syntax {
        /// File, line and column.
        location: Location,
        /// What the parser said.
        message: String,
    },
    /// The input parsed but is not a usable API description or listing.
    #[error("failed to load {}: {}", path.display(), render_diagnostics(diagnostics))]
    Invalid {
        /// The file the user named.
        path: PathBuf,
        /// Every error found (and the warnings found before them).
        diagnostics: Vec<Diagnostic>,
    },
    /// A remote URL was needed but fetching is off or failed.
    #[error("failed to fetch {url}: {reason}")]
    Fetch {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// A listing or spec that holds no API for the job.
    #[error("{} holds no API to run", path.display())]
    NoApi {
        /// The file.
        path: PathBuf,
    },
    /// A spec or listing that holds several APIs where one is needed.
    #[error("{} holds {count} APIs; load it with contractor::spec::load", path.display())]
    ManyApis {
        /// The file.
        path: PathBuf,
        /// How many it holds.
        count: usize,
    },
    /// A listing that names another listing.
    #[error("{} is itself a listing; listings do not nest", path.display())]
    NestedListing {
        /// The listed file.
        path: PathBuf,
    },
    /// Too many documents reached through `$ref`s (a runaway chain of files).
    #[error("more than {limit} documents reached through $ref")]
    TooManyDocuments {
        /// The limit.
        limit: usize,
        /// The document whose `$ref` went over it.
        from: PathBuf,
    },
    /// A fixture file (users, courses) that does not fit the fixture's shape.
    #[error("failed to load fixture {location}: {message}")]
    Fixture {
        /// The file, and the line or pointer in it.
        location: Location,
        /// What is wrong, and where in it.
        message: String,
    },
    /// A value in the settings file that is out of range.
    #[error("{}: {message}", path.display())]
    Config {
        /// The settings file.
        path: PathBuf,
        /// Which key, and what it must be.
        message: String,
    },
    /// An environment variable whose value cannot be used.
    #[error("{name}={value} {message}")]
    Environment {
        /// The variable.
        name: String,
        /// Its value.
        value: String,
        /// What it must be, e.g. "is not a positive number".
        message: String,
    },
    /// The target's host and port do not accept a connection.
    #[error("the target {url} cannot be reached: {reason}")]
    UnreachableTarget {
        /// The base URL, credentials masked.
        url: String,
        /// What the connection attempt said.
        reason: String,
    },
    /// The async runtime could not start.
    #[error("failed to start the async runtime: {0}")]
    Runtime(std::io::Error),
    /// The stub could not listen on its address.
    #[error("failed to listen on {addr}: {source}")]
    Listen {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The HTTP client could not be built (TLS set-up).
    #[error("failed to build the HTTP client: {0}")]
    Client(String),
    /// A folder for a report could not be created.
    #[error("failed to create {}: {reason}", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A report file could not be written.
    #[error("failed to write {}: {reason}", path.display())]
    Write {
        /// The file (or the folder that could not be created).
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A run in which no scenario executed: a gate never goes green by doing nothing.
    #[error("no scenario ran: {why}")]
    NothingRan {
        /// Why: the filter matched nothing, or every scenario was ignored (top reasons).
        why: String,
    },
    /// A bad command-line value, or flags that contradict each other.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// The process exit code for this error: always [`EXIT_SETUP`].
    pub fn exit_code(&self) -> i32 {
        EXIT_SETUP
    }
}

fn render_diagnostics(diagnostics: &[Diagnostic]) -> String {
    let errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    match errors.as_slice() {
        [] => "no usable content".to_owned(),
        [one] => format!("{}\n  --> {}", one.message, one.location),
        many => {
            let mut out = format!("{} errors", many.len());
            for d in many {
                out.push_str(&format!("\n{d}"));
            }
            out
        }
    }
}

/// The candidate nearest to `name`, when it is near enough to suggest ("did you mean ...?").
pub fn did_you_mean<'a>(
    candidates: impl IntoIterator<Item = &'a str>,
    name: &str,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).clamp(2, 6);
    candidates
        .into_iter()
        .map(|c| (edit_distance(c, name), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_shows_pointer_after_hash() {
        let loc = Location::new("a.yaml", "").child("paths").child("/v1/x");
        assert_eq!(loc.to_string(), "a.yaml#/paths/~1v1~1x");
    }

    #[test]
    fn location_shows_line_and_column() {
        assert_eq!(Location::at_line("a.yaml", 3, 7).to_string(), "a.yaml:3:7");
    }

    #[test]
    fn escapes_tilde_before_slash() {
        assert_eq!(escape_token("a~/b"), "a~0~1b");
    }
}
