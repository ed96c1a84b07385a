//! Cutting a description into items (bullet items and prose paragraphs) and classifying a
//! bullet: a code bullet, a condition that opens a reason list, a paragraph announcing errors.
//!
//! May import the other files of `prose`.

use super::canonical::canonical_name;
use super::inline::{tail_window, LOOK_WINDOW};

/// Words that, right after a bulleted code, introduce its condition.
const CONDITION_WORDS: [&str; 8] = [
    "if", "for", "when", "whenever", "unless", "where", "because", "on",
];

// ---------------------------------------------------------------------------
// Items
// ---------------------------------------------------------------------------

/// A bullet item or a prose paragraph, its lines joined by single spaces.
pub(super) struct Item {
    pub(super) text: String,
    pub(super) bullet: bool,
    /// Indentation of the line the item starts, when it starts a line;
    /// `None` for a bullet found in the middle of a line.
    pub(super) indent: Option<usize>,
}

impl Item {
    fn new(bullet: bool, indent: Option<usize>) -> Self {
        Item {
            text: String::new(),
            bullet,
            indent,
        }
    }

    fn append(&mut self, piece: &str) {
        append_condition(&mut self.text, piece);
    }
}

/// Appends `piece` to `text`, separated by one space.
pub(super) fn append_condition(text: &mut String, piece: &str) {
    let piece = piece.trim();
    if piece.is_empty() {
        return;
    }
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(piece);
}

/// Cuts `text` into bullet items and prose paragraphs (see the module doc).
pub(super) fn split_items(text: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut cur: Option<Item> = None;
    let mut blank_before = false;
    for line in text.lines() {
        let content = line.trim_start();
        if content.trim_end().is_empty() {
            blank_before = true;
            continue;
        }
        let indent = indent_width(&line[..line.len() - content.len()]);
        let body = match line_start_marker(content) {
            Some(after) => {
                items.extend(cur.take());
                cur = Some(Item::new(true, Some(indent)));
                after
            }
            None if cur.is_some() && !blank_before => content,
            None => {
                items.extend(cur.take());
                cur = Some(Item::new(false, Some(indent)));
                content
            }
        };
        blank_before = false;
        let mut pieces = split_mid_line(body).into_iter();
        if let (Some(first), Some(item)) = (pieces.next(), cur.as_mut()) {
            item.append(first);
        }
        for piece in pieces {
            items.extend(cur.take());
            let mut item = Item::new(true, None);
            item.append(piece);
            cur = Some(item);
        }
    }
    items.extend(cur);
    items
}

/// Width of leading whitespace, a tab counting as four columns.
pub(super) fn indent_width(whitespace: &str) -> usize {
    whitespace
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// The rest of the line when `content` starts with a bullet marker.
pub(super) fn line_start_marker(content: &str) -> Option<&str> {
    let marker = content.chars().next()?;
    if !matches!(marker, '*' | '-' | '+' | '•') {
        return None;
    }
    let rest = &content[marker.len_utf8()..];
    if rest.is_empty() || rest.starts_with(char::is_whitespace) {
        Some(rest)
    } else {
        None
    }
}

/// Splits a line at bullet markers in its middle (the one-line form).
pub(super) fn split_mid_line(line: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut prev_space = false;
    for (i, c) in line.char_indices() {
        if prev_space && matches!(c, '*' | '•' | '-') {
            let after = &line[i + c.len_utf8()..];
            if after.starts_with(char::is_whitespace) && (c != '-' || looks_like_entry(after)) {
                pieces.push(&line[start..i]);
                start = i + c.len_utf8();
            }
        }
        prev_space = c.is_whitespace();
    }
    pieces.push(&line[start..]);
    pieces
}

/// Whether `text` starts with a canonical code or a CamelCase name.
pub(super) fn looks_like_entry(text: &str) -> bool {
    let text = text.trim_start();
    let text = text.strip_prefix('`').unwrap_or(text);
    let word = leading_word(text);
    canonical_name(word).is_some() || is_camel_name(word)
}

/// The leading run of ASCII letters, digits and underscores.
pub(super) fn leading_word(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

// ---------------------------------------------------------------------------
// Bullets
// ---------------------------------------------------------------------------

/// The code a bullet item starts with, and the text after it.
pub(super) fn code_bullet(text: &str) -> Option<(&'static str, &str)> {
    let text = text.trim_start();
    let text = text.strip_prefix("**").unwrap_or(text);
    let (name, rest) = if let Some(inner) = text.strip_prefix('`') {
        let end = inner.find('`')?;
        (canonical_name(&inner[..end])?, &inner[end + 1..])
    } else {
        let word = leading_word(text);
        (canonical_name(word)?, &text[word.len()..])
    };
    Some((name, rest.strip_prefix("**").unwrap_or(rest)))
}

/// Whether the text after a bulleted code introduces a condition.
pub(super) fn introduces_condition(rest: &str) -> bool {
    let rest = rest.trim_start();
    if rest.starts_with([':', '-', '–', '—']) {
        return true;
    }
    let mut words = rest
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    match words.next().map(str::to_ascii_lowercase) {
        Some(first) if CONDITION_WORDS.contains(&first.as_str()) => true,
        Some(first) if first == "in" => {
            words.next().is_some_and(|w| w.eq_ignore_ascii_case("case"))
        }
        _ => false,
    }
}

/// Whether a condition ends by opening a list of named errors
/// ("for the following request errors:").
pub(super) fn opens_reason_list(condition: &str) -> bool {
    let text = condition.trim_end();
    if !text.ends_with(':') {
        return false;
    }
    let tail = tail_window(text, LOOK_WINDOW);
    let clause = match tail.rfind(['.', '!', '?']) {
        Some(i) => &tail[i + 1..],
        None => tail,
    };
    let clause = clause.to_lowercase();
    clause.contains("error") || clause.contains("reason")
}

/// Whether a prose paragraph announces a list of error codes.
pub(super) fn announces_error_list(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("error code")
        || lower.contains("following errors")
        || lower.trim_end().ends_with("errors:")
}

/// The reason a bullet item names, when it is a CamelCase name.
pub(super) fn reason_bullet(text: &str) -> Option<String> {
    let text = text.trim();
    let text = text.strip_prefix('`').unwrap_or(text);
    let word = leading_word(text);
    let after = text[word.len()..]
        .strip_prefix('`')
        .unwrap_or(&text[word.len()..]);
    if is_camel_name(word) {
        return Some(word.to_string());
    }
    // A single capitalised word is a reason only when it is the whole item.
    let only_word = after
        .trim()
        .trim_matches(|c: char| matches!(c, '.' | ',' | ';' | ':'))
        .is_empty();
    let capitalised = word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.chars().any(|c| c.is_ascii_lowercase())
        && !word.contains('_');
    (only_word && capitalised).then(|| word.to_string())
}

/// A CamelCase name of at least two humps (`CourseNotModifiable`): ASCII
/// letters and digits, an upper-case letter then a lower-case one, and a
/// later upper-case letter after a lower-case letter or digit.
pub(super) fn is_camel_name(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() >= 3
        && bytes.iter().all(u8::is_ascii_alphanumeric)
        && bytes[0].is_ascii_uppercase()
        && bytes[1].is_ascii_lowercase()
        && bytes.windows(2).skip(1).any(|w| {
            (w[0].is_ascii_lowercase() || w[0].is_ascii_digit()) && w[1].is_ascii_uppercase()
        })
}
