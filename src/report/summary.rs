//! The coverage table and the one-line summary printed at the end of a run.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::report::record::{Record, Result};

/// Per operation and documented outcome: passed, failed, ignored (with the reason); then the
/// statuses the target sent that the spec does not document.
pub fn coverage(records: &[Record]) -> String {
    let mut rows: BTreeMap<(&str, &str), [usize; 3]> = BTreeMap::new();
    let mut reasons: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for r in records {
        let row = rows
            .entry((r.operation.as_str(), r.outcome.as_str()))
            .or_default();
        let col = match r.result {
            Result::Passed => 0,
            Result::Failed => 1,
            Result::Ignored => 2,
        };
        row[col] += 1;
        if let (Result::Ignored, Some(why)) = (r.result, &r.reason) {
            reasons
                .entry((r.operation.as_str(), r.outcome.as_str()))
                .or_insert(why.as_str());
        }
    }
    let width = rows
        .keys()
        .map(|(o, c)| o.len() + c.len() + 2)
        .max()
        .unwrap_or(20)
        .max(20);
    let mut out = String::from("coverage:\n");
    let _ = writeln!(
        out,
        "  {:<width$} {:>6} {:>6} {:>7}",
        "operation / outcome", "passed", "failed", "ignored"
    );
    for ((op, outcome), [p, f, i]) in &rows {
        let name = format!("{op}  {outcome}");
        let _ = write!(out, "  {name:<width$} {p:>6} {f:>6} {i:>7}");
        if let Some(why) = reasons.get(&(*op, *outcome)) {
            let _ = write!(out, "  ({why})");
        }
        out.push('\n');
    }
    let mut undocumented: BTreeMap<(&str, u16), usize> = BTreeMap::new();
    for step in records
        .iter()
        .flat_map(|r| &r.steps)
        .filter(|s| !s.documented)
    {
        *undocumented
            .entry((step.operation.as_str(), step.status))
            .or_default() += 1;
    }
    if !undocumented.is_empty() {
        out.push_str("statuses seen that the spec does not document:\n");
        for ((op, status), n) in undocumented {
            let _ = writeln!(out, "  {op}  {status}  ({n}x)");
        }
    }
    out
}

/// `30 scenarios: 29 passed, 1 failed, 0 ignored; 97 requests in 1.2 s`.
pub fn one_line(records: &[Record], seconds: f64) -> String {
    let count = |r: Result| records.iter().filter(|x| x.result == r).count();
    let requests: usize = records.iter().map(|r| r.steps.len()).sum();
    format!(
        "{} scenarios: {} passed, {} failed, {} ignored; {requests} requests in {seconds:.1} s",
        records.len(),
        count(Result::Passed),
        count(Result::Failed),
        count(Result::Ignored)
    )
}

/// Colour for a terminal: green when everything passed, red otherwise. Plain when stdout is
/// not a terminal or `NO_COLOR` is set.
pub fn paint(line: &str, ok: bool) -> String {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if no_color || !std::io::stdout().is_terminal() {
        return line.to_owned();
    }
    let code = if ok { "32" } else { "31" };
    format!("\x1b[{code}m{line}\x1b[0m")
}
