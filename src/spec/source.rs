//! Reading one input: a file or (with `--fetch`) a URL, Markdown front matter, and the YAML or
//! JSON parse, with line and column on a syntax error.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::error::{Error, Location};
use crate::spec::lines::{self, Lines, Located};

/// The largest input read, in bytes; larger files are refused rather than exhausting memory.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a file as UTF-8 text, refusing files over [`MAX_INPUT_BYTES`].
pub(crate) fn read_file(path: &Path) -> Result<String, Error> {
    let read_err = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if meta.is_dir() {
        return Err(read_err(std::io::Error::other("is a directory")));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(read_err(std::io::Error::other(format!(
            "{} bytes is over the {} byte limit",
            meta.len(),
            MAX_INPUT_BYTES
        ))));
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..offset];
        let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        Error::Syntax {
            location: Location::at_line(path, line, (offset - line_start) as u64 + 1),
            message: format!("not UTF-8 text (invalid byte at offset {offset})"),
        }
    })
}

/// Downloads `url` (only when the user passed `--fetch`), with a timeout and a size cap.
pub(crate) fn fetch(url: &str) -> Result<String, Error> {
    crate::install_crypto_provider();
    let fail = |reason: String| Error::Fetch {
        url: url.to_owned(),
        reason,
    };
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| fail(e.to_string()))?;
    let response = client.get(url).send().map_err(|e| fail(e.to_string()))?;
    if !response.status().is_success() {
        return Err(fail(format!("server answered {}", response.status())));
    }
    if response.content_length().unwrap_or(0) > MAX_INPUT_BYTES {
        return Err(fail(format!(
            "body is over the {MAX_INPUT_BYTES} byte limit"
        )));
    }
    let mut body = Vec::new();
    use std::io::Read;
    response
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut body)
        .map_err(|e| fail(e.to_string()))?;
    if body.len() as u64 > MAX_INPUT_BYTES {
        return Err(fail(format!(
            "body is over the {MAX_INPUT_BYTES} byte limit"
        )));
    }
    String::from_utf8(body).map_err(|_| fail("body is not UTF-8 text".to_owned()))
}

/// Where the document text sits inside the file: the text and how many lines precede it.
struct Body<'a> {
    text: &'a str,
    line_offset: u64,
}

/// Finds the document in `text`: YAML front matter (between a first line `---` and the next
/// `---` or `...` line, LF or CRLF), or the whole text.
fn body_of(text: &str) -> Body<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first_line = text[..first_line_end].trim_end_matches(['\r', '\n']);
    if first_line.trim_end() != "---" {
        // No front matter: the whole file is the document (a `.md` spec may be plain YAML).
        return Body {
            text,
            line_offset: 0,
        };
    }
    // Front matter ends at the next line that is exactly `---` or `...`.
    let rest = &text[first_line_end..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\r', '\n']).trim_end();
        if bare == "---" || bare == "..." {
            return Body {
                text: &rest[..offset],
                line_offset: 1,
            };
        }
        offset += line.len();
    }
    Body {
        text: rest,
        line_offset: 1,
    }
}

/// Parses a document: JSON when it starts with `{` or `[`, YAML otherwise; with the line of
/// every node.
pub(crate) fn parse(path: &Path, text: &str) -> Result<(Value, Lines), Error> {
    let body = body_of(text);
    let trimmed = body.text.trim_start();
    let (value, lines) = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let value = parse_json(path, body.text)?;
        (value, lines::of_json(body.text))
    } else {
        parse_yaml(path, &body)?
    };
    if value.is_null() {
        return Err(Error::Syntax {
            location: Location::at_line(path, body.line_offset + 1, 1),
            message: "empty document".to_owned(),
        });
    }
    Ok((value, lines.shifted(body.line_offset)))
}

fn parse_json(path: &Path, text: &str) -> Result<Value, Error> {
    // serde_json stops at 128 levels of nesting, which keeps deep inputs off the stack.
    serde_json::from_str(text).map_err(|e| Error::Syntax {
        location: Location::at_line(path, e.line() as u64, e.column() as u64),
        message: strip_position(&e.to_string()),
    })
}

fn parse_yaml(path: &Path, body: &Body<'_>) -> Result<(Value, Lines), Error> {
    let mut budget = serde_saphyr::Budget::default();
    // Real specs are large (a 3.7 MB spec has millions of events); depth stays bounded so
    // that a hostile nesting cannot reach the stack.
    budget.max_nodes = 20_000_000;
    budget.max_events = 40_000_000;
    budget.max_depth = 128;
    let mut options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        with_snippet: false,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
    };
    options.budget = Some(budget);
    lines::parse_yaml(|| serde_saphyr::from_str_with_options::<Located>(body.text, options))
        .map_err(|e| {
            let (line, column) = e
                .location()
                .map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
            Error::Syntax {
                location: Location::at_line(path, line + body.line_offset, column),
                message: strip_position(&e.to_string()),
            }
        })
}

/// Drops the position a parser appends or prepends to its message, since the location
/// already carries it.
fn strip_position(message: &str) -> String {
    let mut m = message.trim();
    if let Some(rest) = m.strip_prefix("error: ") {
        m = rest;
    }
    if let Some(first_line) = m.lines().next() {
        m = first_line;
    }
    if m.starts_with("line ") {
        if let Some(i) = m.find(": ") {
            m = &m[i + 2..];
        }
    }
    // Only a trailing "at line N, column M" is the parser's position; an earlier one belongs
    // to the message (e.g. where an anchor was defined).
    for marker in [" at line ", ", line "] {
        if let Some(i) = m.rfind(marker) {
            let tail = &m[i + marker.len()..];
            let is_position = tail
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == ' ' || c.is_ascii_lowercase());
            if is_position {
                m = &m[..i];
            }
        }
    }
    let m = m.trim();
    if m == "recursion limit exceeded" {
        return "nested deeper than 128 levels (recursion limit exceeded)".to_owned();
    }
    m.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(name: &str, text: &str) -> Result<Value, Error> {
        parse(Path::new(name), text).map(|(value, _)| value)
    }

    #[test]
    fn reads_front_matter_with_crlf_delimiters() {
        let v = parse_str("x.md", "---\r\nopenapi: 3.0.0\r\n---\r\n# prose\n").unwrap();
        assert_eq!(v["openapi"], "3.0.0");
    }

    #[test]
    fn reads_front_matter_with_empty_second_document() {
        let v = parse_str("x.md", "---\nswagger: '2.0'\n---\n").unwrap();
        assert_eq!(v["swagger"], "2.0");
    }

    #[test]
    fn reads_markdown_without_front_matter_as_plain_yaml() {
        let v = parse_str("x.md", "swagger: '2.0'\n").unwrap();
        assert_eq!(v["swagger"], "2.0");
    }

    #[test]
    fn yaml_error_line_counts_the_front_matter_delimiter() {
        let err = parse_str("x.md", "---\na: 1\nb: \"open\n---\n").unwrap_err();
        match err {
            Error::Syntax { location, .. } => assert_eq!(location.line_col.unwrap().0, 3),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn keeps_no_as_a_string_and_integer_keys_as_strings() {
        let v = parse_str("x.yaml", "e: [YES, NO]\nr:\n  200: {d: 1}\nv: 1.0\n").unwrap();
        assert_eq!(v["e"][1], "NO");
        assert!(v["r"].get("200").is_some());
        assert_eq!(v["v"], 1.0);
    }

    #[test]
    fn json_error_has_line_and_column() {
        let err = parse_str("x.json", "{\n  \"a\": [1,\n").unwrap_err();
        let Error::Syntax { location, message } = err else {
            panic!("not a syntax error")
        };
        assert_eq!(location.line_col.unwrap().0, 3);
        assert!(!message.contains("line 3"), "{message}");
    }

    #[test]
    fn empty_input_is_an_empty_document() {
        let err = parse_str("x.yaml", "").unwrap_err();
        assert!(err.to_string().contains("empty document"), "{err}");
    }

    #[test]
    fn deep_nesting_fails_cleanly() {
        let deep = format!("x: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_str("x.yaml", &deep).is_err());
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_str("x.json", &deep).is_err());
    }
}
