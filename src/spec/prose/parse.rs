//! The prose parser: walks a description's items (bullets and paragraphs) and decides which
//! codes, conditions and reasons they document (the rules are in the module doc of `prose`).
//!
//! May import the other files of `prose`.

use super::collect::{merge, Collector, ProseErrorCode};
use super::inline::scan_inline;
use super::items::{
    announces_error_list, append_condition, code_bullet, introduces_condition, opens_reason_list,
    reason_bullet, split_items,
};

/// Error codes documented in `description`, in the order they appear, each once (a code repeated merges its reasons and keeps the first condition).
///
/// "First condition" means the first non-empty one: a code listed bare and
/// later explained takes the explanation.
pub fn parse(description: &str) -> Vec<ProseErrorCode> {
    let mut found = Collector::default();
    // Whether the last prose paragraph announced an error list.
    let mut in_list = false;
    // The code whose condition / reasons the following bullets may extend.
    let mut current: Option<usize> = None;
    let mut current_indent: Option<usize> = None;
    // Whether nested prose still belongs to the current code's condition.
    let mut open = false;
    // Whether CamelCase bullets are reasons of the current code.
    let mut reasons_open = false;

    for item in split_items(description) {
        if item.bullet {
            if let Some((name, rest)) = code_bullet(&item.text) {
                if in_list || introduces_condition(rest) {
                    current = Some(found.push(name, rest.to_string()));
                    current_indent = item.indent;
                    open = true;
                    reasons_open = opens_reason_list(rest);
                    scan_inline(rest, &mut found);
                    continue;
                }
            }
            if reasons_open {
                if let (Some(idx), Some(reason)) = (current, reason_bullet(&item.text)) {
                    found.found[idx].reasons.push(reason);
                    open = false;
                    continue;
                }
            }
            reasons_open = false;
            let nested = current.filter(|_| {
                open && match (item.indent, current_indent) {
                    (Some(inner), Some(outer)) => inner > outer,
                    _ => true,
                }
            });
            match nested {
                Some(idx) => {
                    append_condition(&mut found.found[idx].condition, &item.text);
                    reasons_open = opens_reason_list(&found.found[idx].condition);
                    scan_inline(&item.text, &mut found);
                }
                None => {
                    current = None;
                    open = false;
                    if let Some(idx) = scan_inline(&item.text, &mut found) {
                        current = Some(idx);
                        current_indent = item.indent;
                        reasons_open = true;
                    }
                }
            }
        } else {
            // A paragraph after a blank line: an indented continuation of
            // the current code, or new prose.
            let continues = current.filter(|_| {
                open && matches!((item.indent, current_indent), (Some(inner), Some(outer)) if inner > outer)
            });
            if let Some(idx) = continues {
                append_condition(&mut found.found[idx].condition, &item.text);
                reasons_open = opens_reason_list(&found.found[idx].condition);
                scan_inline(&item.text, &mut found);
                continue;
            }
            current = None;
            open = false;
            reasons_open = false;
            in_list = announces_error_list(&item.text);
            if let Some(idx) = scan_inline(&item.text, &mut found) {
                current = Some(idx);
                current_indent = item.indent;
                reasons_open = true;
            }
        }
    }

    merge(found.found)
}
