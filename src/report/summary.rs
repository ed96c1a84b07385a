//! The coverage table and the one-line summary printed at the end of a run.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::report::record::{Record, Result};

/// Per operation and documented outcome: passed, failed, blocked (only when a scenario was),
/// ignored (with the reason, or what blocked it); then the statuses the target sent that the
/// spec does not document.
pub fn coverage(records: &[Record]) -> String {
    let mut rows: BTreeMap<(&str, &str), [usize; 4]> = BTreeMap::new();
    let mut reasons: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for r in records {
        let key = (r.operation.as_str(), r.outcome.as_str());
        let row = rows.entry(key).or_default();
        let col = match r.result {
            Result::Passed => 0,
            Result::Failed => 1,
            Result::Blocked => 2,
            Result::Ignored => 3,
        };
        row[col] += 1;
        if let (Result::Ignored | Result::Blocked, Some(why)) = (r.result, &r.reason) {
            reasons.entry(key).or_insert(why.as_str());
        }
    }
    let blocked = records.iter().any(|r| r.result == Result::Blocked);
    let width = rows
        .keys()
        .map(|(o, c)| o.len() + c.len() + 2)
        .max()
        .unwrap_or(20)
        .max(20);
    let mut out = String::from("coverage:\n");
    let _ = write!(
        out,
        "  {:<width$} {:>6} {:>6}",
        "operation / outcome", "passed", "failed"
    );
    if blocked {
        let _ = write!(out, " {:>7}", "blocked");
    }
    let _ = writeln!(out, " {:>7}", "ignored");
    for ((op, outcome), [p, f, b, i]) in &rows {
        let name = format!("{op}  {outcome}");
        let _ = write!(out, "  {name:<width$} {p:>6} {f:>6}");
        if blocked {
            let _ = write!(out, " {b:>7}");
        }
        let _ = write!(out, " {i:>7}");
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

/// `30 scenarios: 29 passed, 1 failed, 0 ignored; 97 requests in 1.2 s`, with `N blocked`
/// after the failed when scenarios were blocked by another's failed setup.
pub fn one_line(records: &[Record], seconds: f64) -> String {
    let count = |r: Result| records.iter().filter(|x| x.result == r).count();
    let requests: usize = records.iter().map(|r| r.steps.len()).sum();
    let blocked = match count(Result::Blocked) {
        0 => String::new(),
        n => format!(" {n} blocked,"),
    };
    format!(
        "{} scenarios: {} passed, {} failed,{blocked} {} ignored; {requests} requests in {seconds:.1} s",
        records.len(),
        count(Result::Passed),
        count(Result::Failed),
        count(Result::Ignored)
    )
}

/// The reasons scenarios were ignored, most common first, at most `n`: (count, reason).
pub fn top_reasons(records: &[Record], n: usize) -> Vec<(usize, &str)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in records.iter().filter(|r| r.result == Result::Ignored) {
        *counts
            .entry(r.reason.as_deref().unwrap_or("no reason given"))
            .or_default() += 1;
    }
    let mut top: Vec<(usize, &str)> = counts.into_iter().map(|(why, k)| (k, why)).collect();
    top.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    top.truncate(n);
    top
}

/// When more than half the scenarios were ignored, a note that says so with the top reasons:
/// a suite that mostly did not run must not read as a pass.
pub fn ignored_note(records: &[Record]) -> Option<String> {
    let ignored = records
        .iter()
        .filter(|r| r.result == Result::Ignored)
        .count();
    if ignored * 2 <= records.len() {
        return None;
    }
    let mut out = format!(
        "note: {ignored} of {} scenarios were ignored; the top reasons:\n",
        records.len()
    );
    for (k, why) in top_reasons(records, 3) {
        let _ = writeln!(out, "  {k}x {why}");
    }
    Some(out)
}

/// The cleanup steps that did not clean up, scenario by scenario: what a run may have left
/// behind on the target. `None` when every cleanup worked.
pub fn cleanup_note(records: &[Record]) -> Option<String> {
    let failed: Vec<&Record> = records
        .iter()
        .filter(|r| !r.cleanup_failures.is_empty())
        .collect();
    if failed.is_empty() {
        return None;
    }
    let mut out = format!(
        "warning: cleanup failed in {} scenario(s); what they created may be left behind:\n",
        failed.len()
    );
    for r in failed {
        for what in &r.cleanup_failures {
            let _ = writeln!(out, "  {}: {what}", r.id);
        }
    }
    Some(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, result: Result, reason: Option<&str>) -> Record {
        Record {
            id: id.to_owned(),
            operation: "op".to_owned(),
            outcome: "200".to_owned(),
            result,
            reason: reason.map(str::to_owned),
            blocked_by: None,
            failures: Vec::new(),
            steps: Vec::new(),
            elapsed_ms: 0.0,
            cleanup_failures: Vec::new(),
        }
    }

    #[test]
    fn a_mostly_ignored_run_says_so_with_its_top_reasons() {
        let records = vec![
            record("a", Result::Ignored, Some("needs identity 'x': set X")),
            record("b", Result::Ignored, Some("needs identity 'x': set X")),
            record("c", Result::Ignored, Some("no recipe")),
            record("d", Result::Passed, None),
        ];
        let note = ignored_note(&records).expect("note");
        assert_eq!(
            note,
            "note: 3 of 4 scenarios were ignored; the top reasons:\n  2x needs identity 'x': set X\n  1x no recipe\n"
        );
        let half = [
            record("a", Result::Ignored, Some("r")),
            record("b", Result::Passed, None),
        ];
        assert_eq!(ignored_note(&half), None);
    }

    #[test]
    fn blocked_scenarios_are_counted_apart_in_the_table_and_the_line() {
        let blocked = |id| Record {
            operation: "getPet".to_owned(),
            blocked_by: Some("getPet::200::a".to_owned()),
            ..record(
                id,
                Result::Blocked,
                Some("blocked by a: setup addPet failed"),
            )
        };
        let records = vec![
            Record {
                operation: "getPet".to_owned(),
                ..record("a", Result::Failed, Some("setup step 1 (addPet) failed"))
            },
            blocked("b"),
            blocked("c"),
            record("d", Result::Passed, None),
        ];
        assert_eq!(
            one_line(&records, 0.0),
            "4 scenarios: 1 passed, 1 failed, 2 blocked, 0 ignored; 0 requests in 0.0 s"
        );
        let table = coverage(&records);
        assert!(table.contains("passed failed blocked ignored\n"), "{table}");
        assert!(
            table.contains(
                "  getPet  200               0      1       2       0  (blocked by a: setup addPet failed)\n"
            ),
            "{table}"
        );
        let plain = coverage(&records[3..]);
        assert!(!plain.contains("blocked"), "{plain}");
        assert!(!one_line(&records[3..], 0.0).contains("blocked"));
    }
}
