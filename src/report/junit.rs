//! JUnit XML, as GitHub, GitLab and Jenkins read it: a test suite per API, a test case per
//! scenario, the failure text as in the terminal.

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
    let seconds: f64 = records.iter().map(|r| r.elapsed_ms).sum::<f64>() / 1e3;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"contractor\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{seconds:.3}\">",
        records.len(),
        count(Result::Failed),
        count(Result::Ignored)
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{seconds:.3}\">",
        escape(api),
        records.len(),
        count(Result::Failed),
        count(Result::Ignored)
    );
    for r in records {
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
            escape(&r.id),
            escape(&r.operation),
            r.elapsed_ms / 1e3
        );
        match r.result {
            Result::Passed => out.push_str("/>\n"),
            Result::Ignored => {
                let _ = writeln!(
                    out,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    escape(r.reason.as_deref().unwrap_or(""))
                );
            }
            Result::Failed => {
                let title = r
                    .failures
                    .first()
                    .map(|(f, _)| format!("{}: {}", f.check, f.title))
                    .or_else(|| r.reason.clone())
                    .unwrap_or_default();
                let mut text: Vec<String> = r.failures.iter().map(|(_, t)| t.clone()).collect();
                if let Some(why) = &r.reason {
                    text.push(why.clone());
                }
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{}\" type=\"contract\">{}</failure>\n    </testcase>",
                    escape(&title),
                    escape(&text.join("\n"))
                );
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
