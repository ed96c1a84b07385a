//! JUnit XML, as GitHub, GitLab and Jenkins read it: a test suite per API, a test case per
//! scenario, the failure text as in the terminal. JUnit has no "blocked": a scenario blocked by
//! another's failed setup is skipped, with the blocking scenario in its message.

use std::fmt::Write as _;

use crate::report::record::{Record, Result};

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot hold most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The JUnit XML document for one API's records.
pub fn render(api: &str, records: &[Record]) -> String {
    let count = |r: Result| records.iter().filter(|x| x.result == r).count();
    let skipped = count(Result::Ignored) + count(Result::Blocked);
    let seconds: f64 = records.iter().map(|r| r.elapsed_ms).sum::<f64>() / 1e3;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"contractor\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{seconds:.3}\">",
        records.len(),
        count(Result::Failed),
        skipped
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{seconds:.3}\">",
        escape(api),
        records.len(),
        count(Result::Failed),
        skipped
    );
    for r in records {
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
            escape(&r.id),
            escape(&r.operation),
            r.elapsed_ms / 1e3
        );
        // What cleanup could not remove goes to <system-err>, whatever the result.
        let leftovers = (!r.cleanup_failures.is_empty()).then(|| {
            format!(
                "      <system-err>{}</system-err>\n",
                escape(&r.cleanup_failures.join("\n"))
            )
        });
        match (r.result, &leftovers) {
            (Result::Passed, Some(err)) => {
                let _ = write!(out, ">\n{err}    </testcase>\n");
            }
            (Result::Passed, None) => out.push_str("/>\n"),
            (Result::Ignored | Result::Blocked, _) => {
                let _ = writeln!(
                    out,
                    ">\n      <skipped message=\"{}\"/>\n{}    </testcase>",
                    escape(r.reason.as_deref().unwrap_or("")),
                    leftovers.as_deref().unwrap_or("")
                );
            }
            (Result::Failed, _) => {
                // A reason (a failed setup, a scenario that could not run) says more than
                // the check failures found on the way to it.
                let title = r
                    .reason
                    .clone()
                    .or_else(|| {
                        let (f, _) = r.failures.first()?;
                        Some(format!("{}: {}", f.check, f.title))
                    })
                    .unwrap_or_default();
                let text: Vec<String> = r
                    .reason
                    .iter()
                    .cloned()
                    .chain(r.failures.iter().map(|(_, t)| t.clone()))
                    .collect();
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{}\" type=\"contract\">{}</failure>\n{}    </testcase>",
                    escape(&title),
                    escape(&text.join("\n")),
                    leftovers.as_deref().unwrap_or("")
                );
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
