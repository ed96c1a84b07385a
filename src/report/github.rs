//! GitHub Actions annotations: each failure as `::error file=...,line=...::`, pointing at the
//! clause of the spec it breaks, so the pull request shows it beside the spec's line. The line
//! is the one the loader recorded in the failure's location: no file is read here.

use crate::report::record::Record;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The annotation lines for every failure of `records`.
pub fn annotations(records: &[Record]) -> String {
    let mut out = String::new();
    for record in records {
        // A scenario that could not run has no spec clause to point at: a plain error.
        if let (super::record::Result::Failed, Some(why), true) =
            (record.result, &record.reason, record.failures.is_empty())
        {
            out.push_str(&format!(
                "::error title={}::{}\n",
                escape_property(&format!("{} could not run", record.id)),
                escape_data(why)
            ));
        }
        for (failure, text) in &record.failures {
            let file = &failure.location.file;
            let line = failure.location.line().unwrap_or(1);
            let title = format!("{}: {}", failure.check, failure.title);
            out.push_str(&format!(
                "::error file={},line={line},title={}::{}\n",
                escape_property(&file.to_string_lossy()),
                escape_property(&title),
                escape_data(&format!("{}\n{text}", record.id))
            ));
        }
    }
    out
}
