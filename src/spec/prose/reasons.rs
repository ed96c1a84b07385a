//! Reasons (named request errors such as `CourseNotModifiable`) and conditions: reason
//! bullets, CamelCase names, reasons written inline in a condition, and condition clean-up.
//!
//! May import the other files of `prose`.

use super::items::is_camel_name;

/// Longest parenthesised group searched for inline reasons, in bytes.
const MAX_PAREN: usize = 200;

/// Whitespace-folds a condition and drops a leading separator; "" when
/// nothing but punctuation is left.
pub(super) fn clean_condition(raw: &str) -> String {
    let folded = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = folded
        .trim_start_matches(|c: char| matches!(c, ':' | '-' | '–' | '—') || c.is_whitespace());
    if trimmed.chars().any(char::is_alphanumeric) {
        trimmed.to_string()
    } else {
        String::new()
    }
}

/// Reasons written inside a condition: "(CourseNotModifiable)" or
/// "request errors: CourseNotModifiable, InactiveCourseOwner".
pub(super) fn inline_reasons(condition: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = condition.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => {
                let limit = bytes.len().min(i + 1 + MAX_PAREN);
                if let Some(rel) = bytes[i + 1..limit]
                    .iter()
                    .position(|&b| b == b')' || b == b'(')
                {
                    let close = i + 1 + rel;
                    if bytes[close] == b')' {
                        out.extend(camel_list(&condition[i + 1..close]));
                    }
                    i = close;
                    continue;
                }
            }
            b':' => {
                let before = &condition[..i];
                let word = before
                    .rsplit(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if matches!(word.as_str(), "error" | "errors" | "reason" | "reasons") {
                    for token in condition[i + 1..].split_whitespace() {
                        let token =
                            token.trim_matches(|c: char| matches!(c, ',' | ';' | '.' | '`'));
                        if token == "and" || token == "or" {
                            continue;
                        }
                        if !is_camel_name(token) {
                            break;
                        }
                        out.push(token.to_string());
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The names in a parenthesised group, when it holds only CamelCase names.
pub(super) fn camel_list(inner: &str) -> Vec<String> {
    let mut names = Vec::new();
    for token in inner
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | ';'))
        .filter(|t| !t.is_empty() && *t != "or" && *t != "and")
    {
        let token = token.trim_matches(|c: char| c == '`' || c == '.');
        if !is_camel_name(token) {
            return Vec::new();
        }
        names.push(token.to_string());
    }
    names
}
