//! The occurrences of codes read from one description, and their folding into one
//! [`ProseErrorCode`] per code (first non-empty condition, union of reasons).
//!
//! May import the other files of `prose`.

use super::canonical::CANONICAL;
use super::reasons::{clean_condition, inline_reasons};

/// One error code documented in prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProseErrorCode {
    /// The canonical code, e.g. `FAILED_PRECONDITION`.
    pub name: String,
    /// The condition text after the code, whitespace-folded, e.g. "if the course or the user does not exist." ("" when none).
    pub condition: String,
    /// Named request errors listed under the code, e.g. `CourseMemberLimitReached`.
    pub reasons: Vec<String>,
}

/// The occurrences read so far, in order.
#[derive(Default)]
pub(super) struct Collector {
    pub(super) found: Vec<Found>,
    /// Per entry of [`CANONICAL`]: whether an occurrence with a non-empty
    /// condition is already recorded, so a later mention can be skipped when
    /// it adds nothing (keeps memory bounded on repetitive input).
    described: [bool; CANONICAL.len()],
}

impl Collector {
    /// Records an occurrence and returns its index.
    pub(super) fn push(&mut self, name: &'static str, condition: String) -> usize {
        if condition.chars().any(char::is_alphanumeric) {
            if let Some(i) = CANONICAL.iter().position(|(code, _)| *code == name) {
                self.described[i] = true;
            }
        }
        self.found.push(Found::new(name, condition));
        self.found.len() - 1
    }

    /// Whether `name` already has an occurrence with a non-empty condition.
    pub(super) fn is_described(&self, name: &str) -> bool {
        CANONICAL
            .iter()
            .position(|(code, _)| *code == name)
            .is_some_and(|i| self.described[i])
    }
}

/// One occurrence of a code, before merging.
pub(super) struct Found {
    pub(super) name: &'static str,
    pub(super) condition: String,
    pub(super) reasons: Vec<String>,
}

impl Found {
    fn new(name: &'static str, condition: String) -> Self {
        Found {
            name,
            condition,
            reasons: Vec::new(),
        }
    }
}

/// Folds occurrences into one entry per code, in first-appearance order.
pub(super) fn merge(found: Vec<Found>) -> Vec<ProseErrorCode> {
    let mut out: Vec<ProseErrorCode> = Vec::new();
    // Reasons already kept, per entry: a set, so that a list of thousands stays linear.
    let mut seen: Vec<std::collections::HashSet<String>> = Vec::new();
    for occurrence in found {
        let condition = clean_condition(&occurrence.condition);
        let mut reasons = inline_reasons(&condition);
        reasons.extend(occurrence.reasons);
        let index = match out.iter().position(|e| e.name == occurrence.name) {
            Some(index) => index,
            None => {
                out.push(ProseErrorCode {
                    name: occurrence.name.to_string(),
                    condition: String::new(),
                    reasons: Vec::new(),
                });
                seen.push(std::collections::HashSet::new());
                out.len() - 1
            }
        };
        let entry = &mut out[index];
        if entry.condition.is_empty() {
            entry.condition = condition;
        }
        for reason in reasons {
            if seen[index].insert(reason.clone()) {
                entry.reasons.push(reason);
            }
        }
    }
    out
}
