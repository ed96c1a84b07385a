//! The `lint` command: load each input and say what it holds (version, operations, documented
//! error codes) and every diagnostic with its location, as text or JSON. May import `spec`
//! and `error`.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::{json, Value};

use crate::error::{Diagnostic, Error, Location, Severity, EXIT_OK, EXIT_SETUP};
use crate::spec::{self, ErrorSource, InputKind, LoadOptions, Loaded};

/// The outcome of linting one input.
pub struct FileReport {
    /// The path as given.
    pub path: PathBuf,
    /// What loaded, or why not.
    pub result: Result<Loaded, Error>,
}

/// Loads every path.
pub fn run(paths: &[PathBuf], options: &LoadOptions) -> Vec<FileReport> {
    paths
        .iter()
        .map(|path| FileReport {
            path: path.clone(),
            result: spec::load(path, options),
        })
        .collect()
}

/// 0 when everything loaded (warnings allowed), 2 when something did not.
pub fn exit_code(reports: &[FileReport]) -> i32 {
    if reports.iter().all(|r| r.result.is_ok()) {
        EXIT_OK
    } else {
        EXIT_SETUP
    }
}

/// The human summary: one block per file, diagnostics last.
pub fn render_text(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        match &report.result {
            Ok(loaded) => render_loaded(&mut out, loaded),
            Err(e) => {
                let _ = writeln!(out, "{}: failed", report.path.display());
                let _ = writeln!(out, "error: {e}");
                // The warnings found on the way still say what else was wrong.
                if let Error::Invalid { diagnostics, .. } = e {
                    for d in diagnostics
                        .iter()
                        .filter(|d| d.severity == Severity::Warning)
                    {
                        let _ = writeln!(out, "{d}");
                    }
                }
            }
        }
        out.push('\n');
    }
    let failed = reports.iter().filter(|r| r.result.is_err()).count();
    let warnings: usize = reports
        .iter()
        .map(|r| match &r.result {
            Ok(loaded) => loaded.diagnostics.len(),
            Err(Error::Invalid { diagnostics, .. }) => diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count(),
            Err(_) => 0,
        })
        .sum();
    let _ = writeln!(
        out,
        "{} file{}: {} loaded, {} failed, {} warning{}",
        reports.len(),
        plural(reports.len()),
        reports.len() - failed,
        failed,
        warnings,
        plural(warnings)
    );
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn render_loaded(out: &mut String, loaded: &Loaded) {
    let ops: usize = loaded.apis.iter().map(|a| a.operations.len()).sum();
    match &loaded.kind {
        InputKind::Spec => {
            let version = loaded
                .apis
                .first()
                .map(|a| a.spec_version.to_string())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{}: {version}, {ops} operation{}",
                loaded.source.display(),
                plural(ops)
            );
        }
        InputKind::Listing {
            version,
            specs,
            loaded: n,
        } => {
            let _ = writeln!(
                out,
                "{}: API listing{}, {n} of {specs} listed spec{} loaded, {} API{}, {ops} distinct operation{}",
                loaded.source.display(),
                version.as_deref().map(|v| format!(" (APIs.json {v})")).unwrap_or_default(),
                plural(*specs),
                loaded.apis.len(),
                plural(loaded.apis.len()),
                plural(ops)
            );
        }
    }
    for api in &loaded.apis {
        let _ = writeln!(
            out,
            "  {} {} ({}), servers: {}",
            api.title,
            api.version,
            api.spec_version,
            api.servers
                .iter()
                .map(|s| s.url.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        for op in &api.operations {
            let _ = writeln!(out, "    {} {} {}", op.id, op.method, op.path);
            for code in &op.error_codes {
                let status = code
                    .http_status
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default();
                let reasons = if code.reasons.is_empty() {
                    String::new()
                } else {
                    format!(": {}", code.reasons.join(", "))
                };
                let _ = writeln!(out, "      {}{status}{reasons}", code.name);
            }
        }
    }
    for d in &loaded.diagnostics {
        let _ = writeln!(out, "{}", located(d));
    }
}

/// A diagnostic with the line it points at, when the loader knows it: `file:12#/pointer`.
fn located(d: &Diagnostic) -> String {
    let line = match (d.location.line_col, d.location.line()) {
        (None, Some(line)) => line,
        _ => return d.to_string(),
    };
    let word = match d.severity {
        Severity::Warning => "warning",
        Severity::Error => "error",
    };
    format!(
        "{word}: {}\n  --> {}:{line}#{}",
        d.message,
        d.location.file.display(),
        d.location.pointer
    )
}

/// The machine summary: a JSON array with one object per file.
pub fn render_json(reports: &[FileReport]) -> Value {
    Value::Array(reports.iter().map(file_json).collect())
}

fn file_json(report: &FileReport) -> Value {
    let source = report.path.display().to_string();
    match &report.result {
        Ok(loaded) => {
            let kind = match &loaded.kind {
                InputKind::Spec => json!({ "type": "spec" }),
                InputKind::Listing {
                    version,
                    specs,
                    loaded,
                } => {
                    json!({ "type": "listing", "version": version, "specs": specs, "loaded": loaded })
                }
            };
            let apis: Vec<Value> = loaded
                .apis
                .iter()
                .map(|api| {
                    json!({
                        "title": api.title,
                        "version": api.version,
                        "spec_version": api.spec_version.to_string(),
                        "source": api.source.display().to_string(),
                        "servers": api.servers.iter().map(|s| s.url.clone()).collect::<Vec<_>>(),
                        "operations": api.operations.iter().map(|op| json!({
                            "id": op.id,
                            "method": op.method.as_str(),
                            "path": op.path,
                            "location": location_json(&op.location),
                            "error_codes": op.error_codes.iter().map(|c| json!({
                                "name": c.name,
                                "http_status": c.http_status,
                                "condition": c.condition,
                                "reasons": c.reasons,
                                "source": match c.source {
                                    ErrorSource::Prose => "prose",
                                    ErrorSource::Response => "responses",
                                    ErrorSource::Both => "both",
                                },
                                "location": location_json(&c.location),
                            })).collect::<Vec<_>>(),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({
                "source": source,
                "ok": true,
                "kind": kind,
                "version": loaded.apis.first().map(|a| a.spec_version.to_string()),
                "operation_count": loaded.apis.iter().map(|a| a.operations.len()).sum::<usize>(),
                "apis": apis,
                "diagnostics": loaded.diagnostics.iter().map(diagnostic_json).collect::<Vec<_>>(),
            })
        }
        Err(e) => {
            let diagnostics: Vec<Value> = match e {
                Error::Invalid { diagnostics, .. } => {
                    diagnostics.iter().map(diagnostic_json).collect()
                }
                Error::Syntax { location, message } => vec![diagnostic_json(&Diagnostic {
                    severity: Severity::Error,
                    message: message.clone(),
                    location: location.clone(),
                })],
                other => vec![json!({ "severity": "error", "message": other.to_string() })],
            };
            json!({
                "source": source,
                "ok": false,
                "error": e.to_string(),
                "diagnostics": diagnostics,
            })
        }
    }
}

fn diagnostic_json(d: &Diagnostic) -> Value {
    json!({
        "severity": match d.severity { Severity::Warning => "warning", Severity::Error => "error" },
        "message": d.message,
        "location": location_json(&d.location),
    })
}

fn location_json(l: &Location) -> Value {
    json!({
        "file": l.file.display().to_string(),
        "pointer": format!("#{}", l.pointer),
        "line": l.line(),
        "column": l.line_col.map(|(_, col)| col),
    })
}
