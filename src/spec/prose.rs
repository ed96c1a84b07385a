//! Reads documented error codes from Google-style prose in descriptions.
//!
//! Google APIs rarely list their error responses under `responses`; they
//! write them into the operation's description instead:
//!
//! ```text
//! This method returns the following error codes:
//!
//! * `PERMISSION_DENIED` if the requesting user is not permitted to accept the
//! requested invitation or for access errors.
//! * `FAILED_PRECONDITION` for the following request errors:
//!     * CourseMemberLimitReached
//!     * CourseNotModifiable
//! * `NOT_FOUND` if no invitation exists with the requested ID.
//! ```
//!
//! Converters such as the APIs-guru one fold the same text into one line
//! ("... error codes: * `PERMISSION_DENIED` if ... * `FAILED_PRECONDITION`
//! for the following request errors: * CourseMemberLimitReached * ..."), so
//! [`parse`] reads both shapes.
//!
//! # Rules
//!
//! The text is first cut into *items*: a bullet item starts at a `*`, `-`,
//! `+` or `•` marker that begins a line (after indentation) and is followed by
//! whitespace, or at a whitespace-delimited `*`/`•` in the middle of a line
//! (the one-line form); a mid-line `-` is a marker only when what follows
//! looks like an entry (a canonical code or a CamelCase name), so ordinary
//! dashes in prose are left alone. Lines that are not bullets continue the
//! item before them (lazy markdown continuation) unless a blank line came
//! first, in which case they start a prose paragraph.
//!
//! Then, in order:
//!
//! * A **code bullet** is a bullet whose item starts with a canonical code
//!   (see [`canonical_http_status`]), backticked or bare. It counts when it
//!   follows a paragraph announcing an error list ("error code(s)",
//!   "following errors", "...errors:"), or, anywhere, when the code is
//!   followed by a condition (`if`, `for`, `when`, `unless`, `where`,
//!   `because`, `on`, `in case`, or a `:`/`-` separator). The rest of the
//!   item is its condition.
//! * While the current code's condition ends with a colon after a clause
//!   naming errors or reasons ("for the following request errors:"), bullets
//!   whose item is a CamelCase name (bare or backticked) are **reasons** of
//!   that code.
//! * Other bullets are prose. Nested under a code (deeper indentation; in the
//!   one-line form, any prose bullet right after a code's condition) they are
//!   folded into its condition, as in "`NOT_FOUND` if: * the feed ... * ...".
//!   Otherwise they close the current code.
//! * Reasons written inline in a condition are read too: a parenthesised
//!   list of CamelCase names ("(CourseNotModifiable)") or CamelCase names
//!   right after "errors:" / "reasons:".
//! * **Codes outside such a list** count only when the sentence says they
//!   are returned: the code (or a run of codes joined by `,`/`or`/`and`) is
//!   directly preceded by `return`/`returns`/`returned`/`returning` or
//!   `fail(s) with` (an article in between is fine: "returns an
//!   `INVALID_ARGUMENT` error"), or directly followed by an optional
//!   `error`/`status`/`code` and an auxiliary plus `returned` ("an
//!   `INVALID_ARGUMENT` error is returned"). A negation or "instead of" /
//!   "rather than" right before the verb vetoes it ("does not return
//!   `NOT_FOUND`", "instead of returning `NOT_FOUND`"). Codes only mentioned
//!   in passing ("retry `UNAVAILABLE` errors", "`NOT_FOUND` maps to 404")
//!   are ignored. Bare (un-backticked) codes are taken here only when they
//!   contain an underscore, so ordinary words like "UNKNOWN" in prose are
//!   not read as codes. The condition of such a mention is the rest of its
//!   sentence (for the passive form, a leading "If ..." clause), at most
//!   1000 bytes.
//! * Only the canonical Google codes count; other backticked words
//!   (`user_id`, `PUBLISHED`) are ignored.
//!
//! A code documented more than once is reported once, at its first place,
//! with the first non-empty condition and the union of its reasons.
//!
//! The parser never panics (it slices only at ASCII positions or checked
//! char boundaries) and runs in time linear in the input, up to small
//! bounded look-arounds.
//!
//! This module imports nothing but `std`.

/// One error code documented in prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProseErrorCode {
    /// The canonical code, e.g. `FAILED_PRECONDITION`.
    pub name: String,
    /// The condition text after the code, whitespace-folded, e.g. "if the course or the user does not exist." ("" when none).
    pub condition: String,
    /// Named request errors listed under the code, e.g. `CourseMemberLimitReached`.
    pub reasons: Vec<String>,
}

/// The canonical Google error codes and their HTTP statuses.
const CANONICAL: [(&str, u16); 16] = [
    ("INVALID_ARGUMENT", 400),
    ("FAILED_PRECONDITION", 400),
    ("OUT_OF_RANGE", 400),
    ("UNAUTHENTICATED", 401),
    ("PERMISSION_DENIED", 403),
    ("NOT_FOUND", 404),
    ("ALREADY_EXISTS", 409),
    ("ABORTED", 409),
    ("RESOURCE_EXHAUSTED", 429),
    ("CANCELLED", 499),
    ("UNKNOWN", 500),
    ("INTERNAL", 500),
    ("DATA_LOSS", 500),
    ("UNIMPLEMENTED", 501),
    ("UNAVAILABLE", 503),
    ("DEADLINE_EXCEEDED", 504),
];

/// Longest condition kept for a code mentioned in running prose, in bytes.
/// Bounds the work done per mention so that many mentions in one long
/// sentence stay linear.
const MAX_INLINE_CONDITION: usize = 1000;

/// How far the word look-arounds scan, in bytes.
const LOOK_WINDOW: usize = 200;

/// Longest parenthesised group searched for inline reasons, in bytes.
const MAX_PAREN: usize = 200;

/// Longest backticked span considered as a code, in bytes.
const MAX_CODE_SPAN: usize = 40;

/// Words that veto a "returns `CODE`" reading when they precede the verb.
const NEGATIONS: [&str; 16] = [
    "not",
    "never",
    "no",
    "cannot",
    "can't",
    "won't",
    "don't",
    "doesn't",
    "didn't",
    "isn't",
    "shouldn't",
    "wouldn't",
    "mustn't",
    "without",
    "of",
    "than",
];

/// Auxiliaries allowed between a code and "returned" ("is returned", "will be returned").
const AUXILIARIES: [&str; 15] = [
    "is", "are", "will", "be", "may", "might", "can", "could", "also", "gets", "get", "would",
    "should", "shall", "must",
];

/// Words that, right after a bulleted code, introduce its condition.
const CONDITION_WORDS: [&str; 8] = [
    "if", "for", "when", "whenever", "unless", "where", "because", "on",
];

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

/// HTTP status of a canonical Google error code, or None when `name` is not one.
pub fn canonical_http_status(name: &str) -> Option<u16> {
    CANONICAL
        .iter()
        .find(|(code, _)| *code == name)
        .map(|&(_, status)| status)
}

/// The canonical spelling of `name`, when it is a canonical code.
fn canonical_name(name: &str) -> Option<&'static str> {
    CANONICAL
        .iter()
        .find(|(code, _)| *code == name)
        .map(|&(code, _)| code)
}

/// The occurrences read so far, in order.
#[derive(Default)]
struct Collector {
    found: Vec<Found>,
    /// Per entry of [`CANONICAL`]: whether an occurrence with a non-empty
    /// condition is already recorded, so a later mention can be skipped when
    /// it adds nothing (keeps memory bounded on repetitive input).
    described: [bool; CANONICAL.len()],
}

impl Collector {
    /// Records an occurrence and returns its index.
    fn push(&mut self, name: &'static str, condition: String) -> usize {
        if condition.chars().any(char::is_alphanumeric) {
            if let Some(i) = CANONICAL.iter().position(|(code, _)| *code == name) {
                self.described[i] = true;
            }
        }
        self.found.push(Found::new(name, condition));
        self.found.len() - 1
    }

    /// Whether `name` already has an occurrence with a non-empty condition.
    fn is_described(&self, name: &str) -> bool {
        CANONICAL
            .iter()
            .position(|(code, _)| *code == name)
            .is_some_and(|i| self.described[i])
    }
}

/// One occurrence of a code, before merging.
struct Found {
    name: &'static str,
    condition: String,
    reasons: Vec<String>,
}

impl Found {
    fn new(name: &'static str, condition: String) -> Self {
        Found {
            name,
            condition,
            reasons: Vec::new(),
        }
    }
}

/// Folds occurrences into one entry per code, in first-appearance order.
fn merge(found: Vec<Found>) -> Vec<ProseErrorCode> {
    let mut out: Vec<ProseErrorCode> = Vec::new();
    // Reasons already kept, per entry: a set, so that a list of thousands stays linear.
    let mut seen: Vec<std::collections::HashSet<String>> = Vec::new();
    for occurrence in found {
        let condition = clean_condition(&occurrence.condition);
        let mut reasons = inline_reasons(&condition);
        reasons.extend(occurrence.reasons);
        let index = match out.iter().position(|e| e.name == occurrence.name) {
            Some(index) => index,
            None => {
                out.push(ProseErrorCode {
                    name: occurrence.name.to_string(),
                    condition: String::new(),
                    reasons: Vec::new(),
                });
                seen.push(std::collections::HashSet::new());
                out.len() - 1
            }
        };
        let entry = &mut out[index];
        if entry.condition.is_empty() {
            entry.condition = condition;
        }
        for reason in reasons {
            if seen[index].insert(reason.clone()) {
                entry.reasons.push(reason);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Items
// ---------------------------------------------------------------------------

/// A bullet item or a prose paragraph, its lines joined by single spaces.
struct Item {
    text: String,
    bullet: bool,
    /// Indentation of the line the item starts, when it starts a line;
    /// `None` for a bullet found in the middle of a line.
    indent: Option<usize>,
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
fn append_condition(text: &mut String, piece: &str) {
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
fn split_items(text: &str) -> Vec<Item> {
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
fn indent_width(whitespace: &str) -> usize {
    whitespace
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// The rest of the line when `content` starts with a bullet marker.
fn line_start_marker(content: &str) -> Option<&str> {
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
fn split_mid_line(line: &str) -> Vec<&str> {
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
fn looks_like_entry(text: &str) -> bool {
    let text = text.trim_start();
    let text = text.strip_prefix('`').unwrap_or(text);
    let word = leading_word(text);
    canonical_name(word).is_some() || is_camel_name(word)
}

/// The leading run of ASCII letters, digits and underscores.
fn leading_word(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

// ---------------------------------------------------------------------------
// Bullets
// ---------------------------------------------------------------------------

/// The code a bullet item starts with, and the text after it.
fn code_bullet(text: &str) -> Option<(&'static str, &str)> {
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
fn introduces_condition(rest: &str) -> bool {
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
fn opens_reason_list(condition: &str) -> bool {
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
fn announces_error_list(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("error code")
        || lower.contains("following errors")
        || lower.trim_end().ends_with("errors:")
}

/// The reason a bullet item names, when it is a CamelCase name.
fn reason_bullet(text: &str) -> Option<String> {
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
fn is_camel_name(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() >= 3
        && bytes.iter().all(u8::is_ascii_alphanumeric)
        && bytes[0].is_ascii_uppercase()
        && bytes[1].is_ascii_lowercase()
        && bytes.windows(2).skip(1).any(|w| {
            (w[0].is_ascii_lowercase() || w[0].is_ascii_digit()) && w[1].is_ascii_uppercase()
        })
}

// ---------------------------------------------------------------------------
// Conditions and inline reasons
// ---------------------------------------------------------------------------

/// Whitespace-folds a condition and drops a leading separator; "" when
/// nothing but punctuation is left.
fn clean_condition(raw: &str) -> String {
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
fn inline_reasons(condition: &str) -> Vec<String> {
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
fn camel_list(inner: &str) -> Vec<String> {
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

// ---------------------------------------------------------------------------
// Codes in running prose
// ---------------------------------------------------------------------------

/// A code spelled in running text: byte range and canonical name.
struct Token {
    start: usize,
    end: usize,
    name: &'static str,
}

/// Canonical codes in `text`: backticked, or bare when they contain an
/// underscore and stand as a word of their own.
fn code_tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'`' || b >= 0x80;
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'`' {
            let limit = bytes.len().min(i + 1 + MAX_CODE_SPAN);
            if let Some(rel) = bytes[i + 1..limit].iter().position(|&c| c == b'`') {
                let end = i + 1 + rel;
                if let Some(name) = canonical_name(&text[i + 1..end]) {
                    tokens.push(Token {
                        start: i,
                        end: end + 1,
                        name,
                    });
                    i = end + 1;
                    continue;
                }
            }
            i += 1;
        } else if b.is_ascii_uppercase() && (i == 0 || !is_word(bytes[i - 1])) {
            let mut end = i;
            while end < bytes.len()
                && (bytes[end].is_ascii_uppercase()
                    || bytes[end].is_ascii_digit()
                    || bytes[end] == b'_')
            {
                end += 1;
            }
            let word = &text[i..end];
            if (end == bytes.len() || !is_word(bytes[end])) && word.contains('_') {
                if let Some(name) = canonical_name(word) {
                    tokens.push(Token {
                        start: i,
                        end,
                        name,
                    });
                }
            }
            i = end;
        } else {
            i += 1;
        }
    }
    tokens
}

/// Records the codes `text` says are returned (see the module doc). Returns
/// the last one recorded when it is the last in `text` and its condition
/// opens a list of named errors, so that following bullets attach to it.
fn scan_inline(text: &str, found: &mut Collector) -> Option<usize> {
    let tokens = code_tokens(text);
    let mut stops = SentenceStops::default();
    let mut opener = None;
    let mut k = 0;
    while k < tokens.len() {
        let mut last = k;
        while last + 1 < tokens.len()
            && is_chain_gap(&text[tokens[last].end..tokens[last + 1].start])
        {
            last += 1;
        }
        let chain = &tokens[k..=last];
        k = last + 1;
        let (first, end) = (chain[0].start, chain[chain.len() - 1].end);
        // A code that already has a condition only gains from a repeat
        // through reasons; skipping the rest keeps repetitive input cheap.
        let described = chain.iter().all(|t| found.is_described(t.name));
        if returned_before(text, first) {
            let (stop, has_extras) = stops.after(text, end);
            let raw = strip_leading_nouns(&text[end..stop]);
            let (condition, reasons) = if !described {
                (clean_condition(raw), Vec::new())
            } else if has_extras {
                // Reasons up to the next code only, so that overlapping
                // sentences are not scanned again and again.
                let next = tokens.get(k).map_or(text.len(), |t| t.start).max(end);
                (String::new(), inline_reasons(&text[end..stop.min(next)]))
            } else {
                opener = None;
                continue;
            };
            let opens = opens_reason_list(raw);
            if described && reasons.is_empty() && !opens {
                opener = None;
                continue;
            }
            let mut index = 0;
            for token in chain {
                index = found.push(token.name, condition.clone());
                found.found[index].reasons.extend(reasons.iter().cloned());
            }
            opener = opens.then_some(index);
        } else if !described {
            if let Some(after) = returned_after(text, end) {
                let condition = if_clause_before(text, first, after);
                for token in chain {
                    found.push(token.name, condition.clone());
                }
                opener = None;
            }
        }
    }
    opener
}

/// Where the sentence after a position ends. The positions asked for only
/// grow, so each search resumes where the previous one stopped and a whole
/// item is scanned once.
#[derive(Default)]
struct SentenceStops {
    /// Next `.`/`!`/`?` that ends a sentence (followed by whitespace or the end).
    terminator: Option<usize>,
    /// Next `(`.
    open: Option<usize>,
    /// Next `)`.
    close: Option<usize>,
    /// Next `:`.
    colon: Option<usize>,
}

impl SentenceStops {
    /// The end (exclusive) of the sentence running from `pos`, and whether
    /// that stretch holds a `(` or `:` (so may name reasons). The sentence
    /// stops after its terminator, before an unbalanced `)`, or after
    /// [`MAX_INLINE_CONDITION`] bytes.
    fn after(&mut self, text: &str, pos: usize) -> (usize, bool) {
        let bytes = text.as_bytes();
        let is_end = |i: usize| {
            matches!(bytes[i], b'.' | b'!' | b'?')
                && text[i + 1..].chars().next().is_none_or(char::is_whitespace)
        };
        let terminator = next_match(&mut self.terminator, pos, bytes.len(), is_end);
        let open = next_match(&mut self.open, pos, bytes.len(), |i| bytes[i] == b'(');
        let close = next_match(&mut self.close, pos, bytes.len(), |i| bytes[i] == b')');
        let colon = next_match(&mut self.colon, pos, bytes.len(), |i| bytes[i] == b':');
        let mut stop = (terminator + 1).min(bytes.len());
        if close < open && close < stop {
            stop = close;
        }
        let mut cap = pos + MAX_INLINE_CONDITION;
        if stop > cap {
            while !text.is_char_boundary(cap) {
                cap -= 1;
            }
            stop = cap;
        }
        (stop, open < stop || colon < stop)
    }
}

/// The first index at or after `pos` satisfying `hit` (or `len`), reusing
/// the cached answer in `slot` while it is still ahead of `pos`.
fn next_match(
    slot: &mut Option<usize>,
    pos: usize,
    len: usize,
    hit: impl Fn(usize) -> bool,
) -> usize {
    match *slot {
        Some(found) if found >= pos => found,
        _ => {
            let found = (pos..len).find(|&i| hit(i)).unwrap_or(len);
            *slot = Some(found);
            found
        }
    }
}

/// Whether the text between two codes joins them into one list.
fn is_chain_gap(gap: &str) -> bool {
    gap.len() <= 16
        && gap
            .split(|c: char| c.is_whitespace() || c == ',' || c == '/')
            .all(|w| w.is_empty() || w == "or" || w == "and")
}

/// Whether the words right before `start` say the code is returned.
fn returned_before(text: &str, start: usize) -> bool {
    let words = words_before(text, start, 4);
    let mut i = 0;
    if words
        .first()
        .is_some_and(|w| matches!(w.as_str(), "a" | "an" | "the"))
    {
        i = 1;
    }
    let vetoed = |w: Option<&String>| w.is_some_and(|w| NEGATIONS.contains(&w.as_str()));
    match words.get(i).map(String::as_str) {
        Some("return" | "returns" | "returned" | "returning") => !vetoed(words.get(i + 1)),
        Some("with") => {
            words
                .get(i + 1)
                .is_some_and(|w| matches!(w.as_str(), "fail" | "fails" | "failed" | "failing"))
                && !vetoed(words.get(i + 2))
        }
        _ => false,
    }
}

/// When the words right after `end` are "(error) is/will be returned", the
/// byte position just after "returned".
fn returned_after(text: &str, end: usize) -> Option<usize> {
    let words = words_after(text, end, 7);
    let mut i = 0;
    while i < 2
        && words
            .get(i)
            .is_some_and(|(w, _)| matches!(w.as_str(), "error" | "errors" | "status" | "code"))
    {
        i += 1;
    }
    let first_aux = i;
    while words
        .get(i)
        .is_some_and(|(w, _)| AUXILIARIES.contains(&w.as_str()))
    {
        i += 1;
    }
    match words.get(i) {
        Some((w, after)) if i > first_aux && w == "returned" => Some(*after),
        _ => None,
    }
}

/// `sentence` without leading "error"/"status"/"code" nouns, as in
/// "returns an `INVALID_ARGUMENT` error if ...".
fn strip_leading_nouns(sentence: &str) -> &str {
    let mut sentence = sentence.trim_start();
    for _ in 0..2 {
        let word_end = sentence
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(sentence.len());
        if matches!(
            sentence[..word_end].to_ascii_lowercase().as_str(),
            "error" | "errors" | "status" | "code"
        ) {
            sentence = sentence[word_end..].trim_start();
        }
    }
    sentence
}

/// For "If X, an `INVALID_ARGUMENT` error is returned.", the condition
/// "if X."; "" when the sentence does not start with such a clause.
fn if_clause_before(text: &str, start: usize, after_returned: usize) -> String {
    let head = tail_window(&text[..start], MAX_INLINE_CONDITION);
    let sentence_start = head.rfind(['.', '!', '?', ':', ';']).map_or(0, |i| i + 1);
    let mut clause = head[sentence_start..].trim();
    if let Some((before, last)) = clause.rsplit_once(char::is_whitespace) {
        if matches!(last.to_ascii_lowercase().as_str(), "a" | "an" | "the") {
            clause = before;
        }
    }
    let clause = clause.trim_end_matches(|c: char| c == ',' || c.is_whitespace());
    let lower = clause.to_ascii_lowercase();
    if !["if ", "when ", "whenever ", "unless "]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return String::new();
    }
    let mut condition = clause.to_string();
    condition[..1].make_ascii_lowercase();
    if text[after_returned..].starts_with('.') {
        condition.push('.');
    }
    clean_condition(&condition)
}

/// The last `max_bytes` (or fewer, to stay on a char boundary) of `text`.
fn tail_window(text: &str, max_bytes: usize) -> &str {
    let mut from = text.len().saturating_sub(max_bytes);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    &text[from..]
}

/// Whether `c` belongs to a word for the look-arounds.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’'
}

/// Up to `max` lower-cased words right before `pos`, nearest first,
/// separated only by whitespace (punctuation ends the run).
fn words_before(text: &str, pos: usize, max: usize) -> Vec<String> {
    let window = tail_window(&text[..pos], LOOK_WINDOW);
    let mut words = Vec::new();
    let mut word: Vec<char> = Vec::new();
    for c in window.chars().rev() {
        if is_word_char(c) {
            word.push(if c == '’' { '\'' } else { c });
            continue;
        }
        if !word.is_empty() {
            words.push(word.iter().rev().collect::<String>().to_lowercase());
            word.clear();
            if words.len() == max {
                return words;
            }
        }
        if !c.is_whitespace() {
            return words;
        }
    }
    if !word.is_empty() && words.len() < max {
        words.push(word.iter().rev().collect::<String>().to_lowercase());
    }
    words
}

/// Up to `max` lower-cased words right after `pos`, each with the byte
/// position just after it, separated only by whitespace.
fn words_after(text: &str, pos: usize, max: usize) -> Vec<(String, usize)> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut truncated = false;
    for (i, c) in text[pos..].char_indices() {
        if i > LOOK_WINDOW {
            truncated = true;
            break;
        }
        if is_word_char(c) {
            word.push(if c == '’' { '\'' } else { c });
            continue;
        }
        if !word.is_empty() {
            words.push((word.to_lowercase(), pos + i));
            word.clear();
            if words.len() == max {
                return words;
            }
        }
        if !c.is_whitespace() {
            return words;
        }
    }
    if !truncated && !word.is_empty() && words.len() < max {
        words.push((word.to_lowercase(), text.len()));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names found, in order.
    fn names(codes: &[ProseErrorCode]) -> Vec<&str> {
        codes.iter().map(|c| c.name.as_str()).collect()
    }

    /// The entry for `name`; panics when missing.
    fn entry<'a>(codes: &'a [ProseErrorCode], name: &str) -> &'a ProseErrorCode {
        codes
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("{name} missing from {codes:#?}"))
    }

    // Streamdata gallery (google-classroom), multi-line markdown.

    const LIST_MULTILINE: &str =
        "Returns a list of invitations that the requesting user is permitted to
view, restricted to those that match the list request.

*Note:* At least one of `user_id` or `course_id` must be supplied. Both
fields can be supplied.

This method returns the following error codes:

* `PERMISSION_DENIED` for access errors.";

    const CREATE_MULTILINE: &str =
        "Creates an invitation. Only one invitation for a user and course may exist
at a time. Delete and re-create an invitation to make changes.

This method returns the following error codes:

* `PERMISSION_DENIED` if the requesting user is not permitted to create
invitations for this course or for access errors.
* `NOT_FOUND` if the course or the user does not exist.
* `FAILED_PRECONDITION` if the requested user's account is disabled or if
the user already has this role or a role with greater permissions.
* `ALREADY_EXISTS` if an invitation for the specified user and course
already exists.";

    const GET_MULTILINE: &str = "Returns an invitation.

This method returns the following error codes:

* `PERMISSION_DENIED` if the requesting user is not permitted to view the
requested invitation or for access errors.
* `NOT_FOUND` if no invitation exists with the requested ID.";

    const DELETE_MULTILINE: &str = "Deletes an invitation.

This method returns the following error codes:

* `PERMISSION_DENIED` if the requesting user is not permitted to delete the
requested invitation or for access errors.
* `NOT_FOUND` if no invitation exists with the requested ID.";

    const ACCEPT_MULTILINE: &str =
        "Accepts an invitation, removing it and adding the invited user to the
teachers or students (as appropriate) of the specified course. Only the
invited user may accept an invitation.

This method returns the following error codes:

* `PERMISSION_DENIED` if the requesting user is not permitted to accept the
requested invitation or for access errors.
* `FAILED_PRECONDITION` for the following request errors:
    * CourseMemberLimitReached
    * CourseNotModifiable
    * CourseTeacherLimitReached
    * UserGroupsMembershipLimitReached
* `NOT_FOUND` if no invitation exists with the requested ID.";

    // APIs-guru googleapis.com classroom v1, OpenAPI 3 (one line each).

    const ACCEPT_ONE_LINE: &str = "Accepts an invitation, removing it and adding the invited user to the teachers or students (as appropriate) of the specified course. Only the invited user may accept an invitation. This method returns the following error codes: * `PERMISSION_DENIED` if the requesting user is not permitted to accept the requested invitation or for access errors. * `FAILED_PRECONDITION` for the following request errors: * CourseMemberLimitReached * CourseNotModifiable * CourseTeacherLimitReached * UserGroupsMembershipLimitReached * `NOT_FOUND` if no invitation exists with the requested ID.";

    const COURSES_CREATE_ONE_LINE: &str = "Creates a course. The user specified in `ownerId` is the owner of the created course and added as a teacher. A non-admin requesting user can only create a course with themselves as the owner. Domain admins can create courses owned by any user within their domain. This method returns the following error codes: * `PERMISSION_DENIED` if the requesting user is not permitted to create courses or for access errors. * `NOT_FOUND` if the primary teacher is not a valid user. * `FAILED_PRECONDITION` if the course owner's account is disabled or for the following request errors: * UserGroupsMembershipLimitReached * `ALREADY_EXISTS` if an alias was specified in the `id` and already exists.";

    const TEACHERS_CREATE_ONE_LINE: &str = "Creates a teacher of a course. Domain administrators are permitted to [directly add](https://developers.google.com/classroom/guides/manage-users) users within their domain as teachers to courses within their domain. Non-admin users should send an Invitation instead. This method returns the following error codes: * `PERMISSION_DENIED` if the requesting user is not permitted to create teachers in this course or for access errors. * `NOT_FOUND` if the requested course ID does not exist. * `FAILED_PRECONDITION` if the requested user's account is disabled, for the following request errors: * CourseMemberLimitReached * CourseNotModifiable * CourseTeacherLimitReached * UserGroupsMembershipLimitReached * InactiveCourseOwner * `ALREADY_EXISTS` if the user is already a teacher or student in the course.";

    const TEACHERS_DELETE_ONE_LINE: &str = "Removes the specified teacher from the specified course. This method returns the following error codes: * `PERMISSION_DENIED` if the requesting user is not permitted to delete teachers of this course or for access errors. * `NOT_FOUND` if no teacher of this course has the requested ID or if the course does not exist. * `FAILED_PRECONDITION` if the requested ID belongs to the primary teacher of this course. * `FAILED_PRECONDITION` if the requested ID belongs to the owner of the course Drive folder. * `FAILED_PRECONDITION` if the course no longer has an active owner.";

    const COURSES_PATCH_ONE_LINE: &str = "Updates one or more fields in a course. This method returns the following error codes: * `PERMISSION_DENIED` if the requesting user is not permitted to modify the requested course or for access errors. * `NOT_FOUND` if no course exists with the requested ID. * `INVALID_ARGUMENT` if invalid fields are specified in the update mask or if no update mask is supplied. * `FAILED_PRECONDITION` for the following request errors: * CourseNotModifiable * InactiveCourseOwner";

    const ANNOUNCEMENTS_CREATE_ONE_LINE: &str = "Creates an announcement. This method returns the following error codes: * `PERMISSION_DENIED` if the requesting user is not permitted to access the requested course, create announcements in the requested course, share a Drive attachment, or for access errors. * `INVALID_ARGUMENT` if the request is malformed. * `NOT_FOUND` if the requested course does not exist. * `FAILED_PRECONDITION` for the following request error: * AttachmentNotVisible";

    const COURSE_WORK_PATCH_ONE_LINE: &str = "Updates one or more fields of a course work. See google.classroom.v1.CourseWork for details of which fields may be updated and who may change them. This request must be made by the Developer Console project of the [OAuth client ID](https://support.google.com/cloud/answer/6158849) used to create the corresponding course work item. This method returns the following error codes: * `PERMISSION_DENIED` if the requesting developer project did not create the corresponding course work, if the user is not permitted to make the requested modification to the student submission, or for access errors. * `INVALID_ARGUMENT` if the request is malformed. * `FAILED_PRECONDITION` if the requested course work has already been deleted. * `NOT_FOUND` if the requested course, course work, or student submission does not exist.";

    const REGISTRATIONS_CREATE_ONE_LINE: &str = "Creates a `Registration`, causing Classroom to start sending notifications from the provided `feed` to the destination provided in `cloudPubSubTopic`. Returns the created `Registration`. Currently, this will be the same as the argument, but with server-assigned fields such as `expiry_time` and `id` filled in. Note that any value specified for the `expiry_time` or `id` fields will be ignored. While Classroom may validate the `cloudPubSubTopic` and return errors on a best effort basis, it is the caller's responsibility to ensure that it exists and that Classroom has permission to publish to it. This method may return the following error codes: * `PERMISSION_DENIED` if: * the authenticated user does not have permission to receive notifications from the requested field; or * the current user has not granted access to the current Cloud project with the appropriate scope for the requested feed. Note that domain-wide delegation of authority is not currently supported for this purpose. If the request has the appropriate scope, but no grant exists, a Request Errors is returned. * another access error is encountered. * `INVALID_ARGUMENT` if: * no `cloudPubsubTopic` is specified, or the specified `cloudPubsubTopic` is not valid; or * no `feed` is specified, or the specified `feed` is not valid. * `NOT_FOUND` if: * the specified `feed` cannot be located, or the requesting user does not have permission to determine whether or not it exists; or * the specified `cloudPubsubTopic` cannot be located, or Classroom has not been granted permission to publish to it.";

    const SUBMISSIONS_GET_ONE_LINE: &str = "Returns a student submission. * `PERMISSION_DENIED` if the requesting user is not permitted to access the requested course, course work, or student submission or for access errors. * `INVALID_ARGUMENT` if the request is malformed. * `NOT_FOUND` if the requested course, course work, or student submission does not exist.";

    const GUARDIAN_INVITATIONS_LIST_ONE_LINE: &str = "Returns a list of guardian invitations that the requesting user is permitted to view, filtered by the parameters provided. This method returns the following error codes: * `PERMISSION_DENIED` if a `student_id` is specified, and the requesting user is not permitted to view guardian invitations for that student, if `\"-\"` is specified as the `student_id` and the user is not a domain administrator, if guardians are not enabled for the domain in question, or for other access errors. * `INVALID_ARGUMENT` if a `student_id` is specified, but its format cannot be recognized (it is not an email address, nor a `student_id` from the API, nor the literal string `me`). May also be returned if an invalid `page_token` or `state` is provided. * `NOT_FOUND` if a `student_id` is specified, and its format can be recognized, but Classroom has no record of that student.";

    const UPDATE_MASK_PARAMETER: &str = "Mask that identifies which fields on the announcement to update. This field is required to do an update. The update fails if invalid fields are specified. If a field supports empty values, it can be cleared by specifying it in the update mask and not in the Announcement object. If a field that does not support empty values is included in the update mask and not set in the Announcement object, an `INVALID_ARGUMENT` error is returned. The following fields may be specified by teachers: * `text` * `state` * `scheduled_time`";

    const COURSE_ALIAS_SCHEMA: &str = "Alternative identifier for a course. An alias uniquely identifies a course. It must be unique within one of the following scopes: * domain: A domain-scoped alias is visible to all users within the alias creator's domain and can be created only by a domain admin. A domain-scoped alias is often used when a course has an identifier external to Classroom. * project: A project-scoped alias is visible to any request from an application using the Developer Console project ID that created the alias and can be created by any project. A project-scoped alias is often used when an application has alternative identifiers. A random value can also be used to avoid duplicate courses in the event of transmission failures, as retrying a request will return `ALREADY_EXISTS` if a previous one has succeeded.";

    // APIs-guru googleapis.com classroom v1, Swagger 2 (multi-line).

    const COURSES_CREATE_MULTILINE: &str = "Creates a course.

The user specified in `ownerId` is the owner of the created course
and added as a teacher.

This method returns the following error codes:

* `PERMISSION_DENIED` if the requesting user is not permitted to create
courses or for access errors.
* `NOT_FOUND` if the primary teacher is not a valid user.
* `FAILED_PRECONDITION` if the course owner's account is disabled or for
the following request errors:
    * UserGroupsMembershipLimitReached
* `ALREADY_EXISTS` if an alias was specified in the `id` and
already exists.";

    const REGISTRATIONS_CREATE_MULTILINE: &str =
        "Creates a `Registration`, causing Classroom to start sending notifications
from the provided `feed` to the destination provided in `cloudPubSubTopic`.

Returns the created `Registration`. Currently, this will be the same as
the argument, but with server-assigned fields such as `expiry_time` and
`id` filled in.

Note that any value specified for the `expiry_time` or `id` fields will be
ignored.

While Classroom may validate the `cloudPubSubTopic` and return errors on a
best effort basis, it is the caller's responsibility to ensure that it
exists and that Classroom has permission to publish to it.

This method may return the following error codes:

* `PERMISSION_DENIED` if:
    * the authenticated user does not have permission to receive
      notifications from the requested field; or
    * the credential provided does not include the appropriate scope for
      the requested feed.
    * another access error is encountered.
* `INVALID_ARGUMENT` if:
    * no `cloudPubsubTopic` is specified, or the specified
      `cloudPubsubTopic` is not valid; or
    * no `feed` is specified, or the specified `feed` is not valid.
* `NOT_FOUND` if:
    * the specified `feed` cannot be located, or the requesting user does
      not have permission to determine whether or not it exists; or
    * the specified `cloudPubsubTopic` cannot be located, or Classroom has
      not been granted permission to publish to it.";

    #[test]
    fn reads_the_list_invitations_codes() {
        let codes = parse(LIST_MULTILINE);
        assert_eq!(
            codes,
            vec![ProseErrorCode {
                name: "PERMISSION_DENIED".into(),
                condition: "for access errors.".into(),
                reasons: vec![],
            }]
        );
    }

    #[test]
    fn reads_conditions_wrapped_over_several_lines() {
        let codes = parse(CREATE_MULTILINE);
        assert_eq!(
            names(&codes),
            [
                "PERMISSION_DENIED",
                "NOT_FOUND",
                "FAILED_PRECONDITION",
                "ALREADY_EXISTS"
            ]
        );
        assert_eq!(
            entry(&codes, "PERMISSION_DENIED").condition,
            "if the requesting user is not permitted to create invitations for this course or for access errors."
        );
        assert_eq!(
            entry(&codes, "NOT_FOUND").condition,
            "if the course or the user does not exist."
        );
        assert_eq!(
            entry(&codes, "FAILED_PRECONDITION").condition,
            "if the requested user's account is disabled or if the user already has this role or a role with greater permissions."
        );
        assert_eq!(
            entry(&codes, "ALREADY_EXISTS").condition,
            "if an invitation for the specified user and course already exists."
        );
        assert!(codes.iter().all(|c| c.reasons.is_empty()));
    }

    #[test]
    fn reads_the_get_and_delete_invitation_codes() {
        for text in [GET_MULTILINE, DELETE_MULTILINE] {
            let codes = parse(text);
            assert_eq!(names(&codes), ["PERMISSION_DENIED", "NOT_FOUND"]);
            assert_eq!(
                entry(&codes, "NOT_FOUND").condition,
                "if no invitation exists with the requested ID."
            );
        }
        assert_eq!(
            entry(&parse(GET_MULTILINE), "PERMISSION_DENIED").condition,
            "if the requesting user is not permitted to view the requested invitation or for access errors."
        );
        assert_eq!(
            entry(&parse(DELETE_MULTILINE), "PERMISSION_DENIED").condition,
            "if the requesting user is not permitted to delete the requested invitation or for access errors."
        );
    }

    fn assert_accept(codes: &[ProseErrorCode]) {
        assert_eq!(
            names(codes),
            ["PERMISSION_DENIED", "FAILED_PRECONDITION", "NOT_FOUND"]
        );
        let failed = entry(codes, "FAILED_PRECONDITION");
        assert_eq!(failed.condition, "for the following request errors:");
        assert_eq!(
            failed.reasons,
            [
                "CourseMemberLimitReached",
                "CourseNotModifiable",
                "CourseTeacherLimitReached",
                "UserGroupsMembershipLimitReached"
            ]
        );
        assert_eq!(
            entry(codes, "PERMISSION_DENIED").condition,
            "if the requesting user is not permitted to accept the requested invitation or for access errors."
        );
        assert!(entry(codes, "PERMISSION_DENIED").reasons.is_empty());
        assert_eq!(
            entry(codes, "NOT_FOUND").condition,
            "if no invitation exists with the requested ID."
        );
        assert!(entry(codes, "NOT_FOUND").reasons.is_empty());
    }

    #[test]
    fn reads_nested_reasons_with_line_breaks() {
        assert_accept(&parse(ACCEPT_MULTILINE));
    }

    #[test]
    fn reads_reasons_from_the_one_line_form() {
        assert_accept(&parse(ACCEPT_ONE_LINE));
    }

    #[test]
    fn both_forms_of_a_text_give_the_same_codes() {
        assert_eq!(parse(ACCEPT_MULTILINE), parse(ACCEPT_ONE_LINE));
        assert_eq!(
            parse(COURSES_CREATE_MULTILINE),
            parse(COURSES_CREATE_ONE_LINE)
        );
        assert_eq!(
            names(&parse(REGISTRATIONS_CREATE_MULTILINE)),
            names(&parse(REGISTRATIONS_CREATE_ONE_LINE))
        );
    }

    #[test]
    fn reads_a_reason_list_after_a_condition_in_courses_create() {
        for text in [COURSES_CREATE_ONE_LINE, COURSES_CREATE_MULTILINE] {
            let codes = parse(text);
            assert_eq!(
                names(&codes),
                [
                    "PERMISSION_DENIED",
                    "NOT_FOUND",
                    "FAILED_PRECONDITION",
                    "ALREADY_EXISTS"
                ]
            );
            let failed = entry(&codes, "FAILED_PRECONDITION");
            assert_eq!(
                failed.condition,
                "if the course owner's account is disabled or for the following request errors:"
            );
            assert_eq!(failed.reasons, ["UserGroupsMembershipLimitReached"]);
            assert_eq!(
                entry(&codes, "ALREADY_EXISTS").condition,
                "if an alias was specified in the `id` and already exists."
            );
            assert!(entry(&codes, "ALREADY_EXISTS").reasons.is_empty());
        }
    }

    #[test]
    fn reads_five_reasons_in_teachers_create() {
        let codes = parse(TEACHERS_CREATE_ONE_LINE);
        assert_eq!(
            names(&codes),
            [
                "PERMISSION_DENIED",
                "NOT_FOUND",
                "FAILED_PRECONDITION",
                "ALREADY_EXISTS"
            ]
        );
        assert_eq!(
            entry(&codes, "FAILED_PRECONDITION").reasons,
            [
                "CourseMemberLimitReached",
                "CourseNotModifiable",
                "CourseTeacherLimitReached",
                "UserGroupsMembershipLimitReached",
                "InactiveCourseOwner"
            ]
        );
        assert_eq!(
            entry(&codes, "ALREADY_EXISTS").condition,
            "if the user is already a teacher or student in the course."
        );
    }

    #[test]
    fn reads_reasons_that_end_the_description() {
        let codes = parse(COURSES_PATCH_ONE_LINE);
        assert_eq!(
            names(&codes),
            [
                "PERMISSION_DENIED",
                "NOT_FOUND",
                "INVALID_ARGUMENT",
                "FAILED_PRECONDITION"
            ]
        );
        assert_eq!(
            entry(&codes, "FAILED_PRECONDITION").reasons,
            ["CourseNotModifiable", "InactiveCourseOwner"]
        );
        assert!(entry(&codes, "INVALID_ARGUMENT").reasons.is_empty());
    }

    #[test]
    fn reads_a_single_request_error() {
        let codes = parse(ANNOUNCEMENTS_CREATE_ONE_LINE);
        assert_eq!(
            names(&codes),
            [
                "PERMISSION_DENIED",
                "INVALID_ARGUMENT",
                "NOT_FOUND",
                "FAILED_PRECONDITION"
            ]
        );
        let failed = entry(&codes, "FAILED_PRECONDITION");
        assert_eq!(failed.condition, "for the following request error:");
        assert_eq!(failed.reasons, ["AttachmentNotVisible"]);
    }

    #[test]
    fn reads_course_work_patch_without_reasons() {
        let codes = parse(COURSE_WORK_PATCH_ONE_LINE);
        assert_eq!(
            names(&codes),
            [
                "PERMISSION_DENIED",
                "INVALID_ARGUMENT",
                "FAILED_PRECONDITION",
                "NOT_FOUND"
            ]
        );
        assert!(codes.iter().all(|c| c.reasons.is_empty()));
        assert_eq!(
            entry(&codes, "FAILED_PRECONDITION").condition,
            "if the requested course work has already been deleted."
        );
    }

    #[test]
    fn merges_a_repeated_code_and_keeps_its_first_condition() {
        let codes = parse(TEACHERS_DELETE_ONE_LINE);
        assert_eq!(
            names(&codes),
            ["PERMISSION_DENIED", "NOT_FOUND", "FAILED_PRECONDITION"]
        );
        assert_eq!(
            entry(&codes, "FAILED_PRECONDITION").condition,
            "if the requested ID belongs to the primary teacher of this course."
        );
    }

    #[test]
    fn folds_nested_prose_bullets_into_the_condition() {
        for text in [
            REGISTRATIONS_CREATE_ONE_LINE,
            REGISTRATIONS_CREATE_MULTILINE,
        ] {
            let codes = parse(text);
            assert_eq!(
                names(&codes),
                ["PERMISSION_DENIED", "INVALID_ARGUMENT", "NOT_FOUND"]
            );
            assert!(codes.iter().all(|c| c.reasons.is_empty()), "{codes:#?}");
            assert_eq!(
                entry(&codes, "INVALID_ARGUMENT").condition,
                "if: no `cloudPubsubTopic` is specified, or the specified `cloudPubsubTopic` is not valid; or no `feed` is specified, or the specified `feed` is not valid."
            );
            let denied = &entry(&codes, "PERMISSION_DENIED").condition;
            assert!(denied.starts_with("if: the authenticated user does not have permission"));
            assert!(denied.ends_with("another access error is encountered."));
        }
    }

    #[test]
    fn reads_bulleted_codes_without_an_announcing_sentence() {
        let codes = parse(SUBMISSIONS_GET_ONE_LINE);
        assert_eq!(
            names(&codes),
            ["PERMISSION_DENIED", "INVALID_ARGUMENT", "NOT_FOUND"]
        );
        assert_eq!(
            entry(&codes, "INVALID_ARGUMENT").condition,
            "if the request is malformed."
        );
    }

    #[test]
    fn keeps_dashes_and_later_sentences_inside_conditions() {
        let codes = parse(GUARDIAN_INVITATIONS_LIST_ONE_LINE);
        assert_eq!(
            names(&codes),
            ["PERMISSION_DENIED", "INVALID_ARGUMENT", "NOT_FOUND"]
        );
        assert!(entry(&codes, "PERMISSION_DENIED")
            .condition
            .contains("if `\"-\"` is specified as the `student_id`"));
        assert!(entry(&codes, "INVALID_ARGUMENT")
            .condition
            .ends_with("May also be returned if an invalid `page_token` or `state` is provided."));
    }

    #[test]
    fn ignores_backticked_words_that_are_not_canonical_codes() {
        let codes = parse(LIST_MULTILINE);
        assert!(codes.iter().all(|c| c.name != "user_id"));
        assert!(
            parse("Only `PUBLISHED` course work is returned. See `COMPLETE` and `OK`.").is_empty()
        );
        assert!(
            parse("This method returns the following error codes: * `TURNED_IN` if done.")
                .is_empty()
        );
    }

    #[test]
    fn reads_a_passive_returned_error_with_its_if_clause() {
        let codes = parse(UPDATE_MASK_PARAMETER);
        assert_eq!(
            codes,
            vec![ProseErrorCode {
                name: "INVALID_ARGUMENT".into(),
                condition: "if a field that does not support empty values is included in the update mask and not set in the Announcement object.".into(),
                reasons: vec![],
            }]
        );
    }

    #[test]
    fn reads_a_returned_code_in_running_prose() {
        let codes = parse(COURSE_ALIAS_SCHEMA);
        assert_eq!(
            codes,
            vec![ProseErrorCode {
                name: "ALREADY_EXISTS".into(),
                condition: "if a previous one has succeeded.".into(),
                reasons: vec![],
            }]
        );
        let codes = parse(
            "This method returns `INVALID_ARGUMENT` if the page token is malformed. Other text.",
        );
        assert_eq!(names(&codes), ["INVALID_ARGUMENT"]);
        assert_eq!(codes[0].condition, "if the page token is malformed.");
        let codes = parse("Returns an `INVALID_ARGUMENT` error if the mask is empty.");
        assert_eq!(codes[0].condition, "if the mask is empty.");
        let codes = parse("The call fails with NOT_FOUND when the course is gone.");
        assert_eq!(names(&codes), ["NOT_FOUND"]);
        assert_eq!(codes[0].condition, "when the course is gone.");
    }

    #[test]
    fn reads_several_codes_returned_together() {
        let codes = parse(
            "Returns `NOT_FOUND` or `PERMISSION_DENIED` if the caller cannot see the course.",
        );
        assert_eq!(names(&codes), ["NOT_FOUND", "PERMISSION_DENIED"]);
        assert!(codes
            .iter()
            .all(|c| c.condition == "if the caller cannot see the course."));
    }

    #[test]
    fn ignores_codes_mentioned_in_passing() {
        for text in [
            "Clients should retry `UNAVAILABLE` errors with exponential backoff.",
            "A `NOT_FOUND` status maps to HTTP 404.",
            "This method does not return `NOT_FOUND` for missing courses.",
            "This method never returns `INTERNAL`.",
            "Instead of returning `NOT_FOUND`, the method returns an empty list.",
            "The list is empty rather than returning `PERMISSION_DENIED`.",
            "An `ABORTED` error is not returned here.",
            "See UNKNOWN for details; the state is UNKNOWN when unset.",
            "The following values exist: * `UNKNOWN` * `INTERNAL`",
        ] {
            assert!(parse(text).is_empty(), "{text}: {:#?}", parse(text));
        }
    }

    #[test]
    fn reads_reasons_written_inline() {
        let codes = parse("This method returns the following error codes: * `FAILED_PRECONDITION` if the course is not active (CourseNotModifiable). * `NOT_FOUND` if the course does not exist.");
        assert_eq!(names(&codes), ["FAILED_PRECONDITION", "NOT_FOUND"]);
        assert_eq!(
            entry(&codes, "FAILED_PRECONDITION").reasons,
            ["CourseNotModifiable"]
        );
        assert_eq!(
            entry(&codes, "FAILED_PRECONDITION").condition,
            "if the course is not active (CourseNotModifiable)."
        );

        let codes = parse("Updates a course. This method returns `FAILED_PRECONDITION` for the following request error: * CourseNotModifiable");
        assert_eq!(names(&codes), ["FAILED_PRECONDITION"]);
        assert_eq!(codes[0].reasons, ["CourseNotModifiable"]);

        let codes = parse("* `FAILED_PRECONDITION` for the following request errors: `CourseTitleCannotContainUrl`, `IneligibleOwner` or UserInIllegalDomain.");
        assert_eq!(
            codes[0].reasons,
            [
                "CourseTitleCannotContainUrl",
                "IneligibleOwner",
                "UserInIllegalDomain"
            ]
        );
    }

    #[test]
    fn accepts_bare_codes_dash_bullets_and_backticked_reasons() {
        let text = "This method returns the following error codes:\n\n- PERMISSION_DENIED if the user may not see it.\n- `FAILED_PRECONDITION` for the following request errors:\n  - `CourseMemberLimitReached`\n  - `UserInIllegalDomain`\n- UNAVAILABLE\n";
        let codes = parse(text);
        assert_eq!(
            names(&codes),
            ["PERMISSION_DENIED", "FAILED_PRECONDITION", "UNAVAILABLE"]
        );
        assert_eq!(
            entry(&codes, "FAILED_PRECONDITION").reasons,
            ["CourseMemberLimitReached", "UserInIllegalDomain"]
        );
        assert_eq!(entry(&codes, "UNAVAILABLE").condition, "");

        let one_line = "This method returns the following error codes: - `PERMISSION_DENIED` if denied. - `FAILED_PRECONDITION` for the following request errors: - CourseNotModifiable - IneligibleOwner - `NOT_FOUND` if the well-known user - or course - is missing.";
        let codes = parse(one_line);
        assert_eq!(
            names(&codes),
            ["PERMISSION_DENIED", "FAILED_PRECONDITION", "NOT_FOUND"]
        );
        assert_eq!(
            entry(&codes, "FAILED_PRECONDITION").reasons,
            ["CourseNotModifiable", "IneligibleOwner"]
        );
        assert_eq!(
            entry(&codes, "NOT_FOUND").condition,
            "if the well-known user - or course - is missing."
        );
    }

    #[test]
    fn ends_the_list_at_a_later_paragraph() {
        let text = "This method returns the following error codes:\n\n* `NOT_FOUND` if the course does not exist.\n\nThe following states exist:\n\n* `UNKNOWN`\n* `CANCELLED`\n";
        assert_eq!(names(&parse(text)), ["NOT_FOUND"]);
        assert_eq!(parse(text)[0].condition, "if the course does not exist.");
    }

    #[test]
    fn finds_nothing_in_text_without_codes() {
        assert!(parse("").is_empty());
        assert!(parse("   \n\n  ").is_empty());
        assert!(parse(
            "Returns a course. *Note:* At least one of `user_id` or `course_id` must be supplied."
        )
        .is_empty());
        assert!(parse("Deletes an invitation.\n\n* first\n* second - with dash\n").is_empty());
        assert!(parse("This method returns the following error codes:").is_empty());
    }

    #[test]
    fn maps_canonical_codes_to_http_statuses() {
        let expected = [
            ("INVALID_ARGUMENT", 400),
            ("FAILED_PRECONDITION", 400),
            ("OUT_OF_RANGE", 400),
            ("UNAUTHENTICATED", 401),
            ("PERMISSION_DENIED", 403),
            ("NOT_FOUND", 404),
            ("ALREADY_EXISTS", 409),
            ("ABORTED", 409),
            ("RESOURCE_EXHAUSTED", 429),
            ("CANCELLED", 499),
            ("UNKNOWN", 500),
            ("INTERNAL", 500),
            ("DATA_LOSS", 500),
            ("UNIMPLEMENTED", 501),
            ("UNAVAILABLE", 503),
            ("DEADLINE_EXCEEDED", 504),
        ];
        for (name, status) in expected {
            assert_eq!(canonical_http_status(name), Some(status), "{name}");
        }
        for name in [
            "OK",
            "not_found",
            "NotFound",
            "",
            "`NOT_FOUND`",
            " NOT_FOUND",
            "CANCELED",
        ] {
            assert_eq!(canonical_http_status(name), None, "{name}");
        }
    }

    #[test]
    fn every_reported_code_is_canonical() {
        for text in [
            ACCEPT_MULTILINE,
            ACCEPT_ONE_LINE,
            REGISTRATIONS_CREATE_ONE_LINE,
            GUARDIAN_INVITATIONS_LIST_ONE_LINE,
            UPDATE_MASK_PARAMETER,
        ] {
            for code in parse(text) {
                assert!(canonical_http_status(&code.name).is_some(), "{}", code.name);
            }
        }
    }

    #[test]
    fn never_panics_on_any_prefix_or_suffix_of_a_real_text() {
        let texts = [
            ACCEPT_MULTILINE.to_string(),
            ACCEPT_ONE_LINE.to_string(),
            REGISTRATIONS_CREATE_MULTILINE.to_string(),
            UPDATE_MASK_PARAMETER.to_string(),
            // Multi-byte characters next to every interesting byte.
            ACCEPT_ONE_LINE
                .replace(' ', " é ")
                .replace('`', "`’")
                .replace('*', "•*—"),
        ];
        for text in &texts {
            for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let _ = parse(&text[..i]);
                let _ = parse(&text[i..]);
            }
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "`",
            "``",
            "`NOT_FOUND",
            "NOT_FOUND`",
            "* ",
            "*",
            "- ",
            "•",
            " * * * ",
            "(((",
            ")))",
            "errors: errors: :",
            "returns",
            "returns `NOT_FOUND`",
            "`NOT_FOUND` error is",
            "If x, an `ABORTED` error is returned",
            "\u{feff}* `NOT_FOUND` if 💥 (ÉtéÀ)",
            "* `NOT_FOUND` for the following errors:\n\u{2028}* Ünïcödé\n* ÄbcDef",
            "\r\n\r\n*\t`INTERNAL`\tif\r\n\t\t* nested\r\n",
            "returns `NOT_FOUND`.",
        ] {
            let _ = parse(text);
        }
        assert_eq!(names(&parse("returns `NOT_FOUND`.")), ["NOT_FOUND"]);
        assert_eq!(parse("returns `NOT_FOUND`.")[0].condition, "");
    }

    #[test]
    fn stays_fast_on_huge_input() {
        let mut huge = String::new();
        for _ in 0..2000 {
            huge.push_str(ACCEPT_ONE_LINE);
            huge.push(' ');
            huge.push_str(ACCEPT_MULTILINE);
            huge.push('\n');
        }
        let start = std::time::Instant::now();
        let codes = parse(&huge);
        assert_eq!(
            names(&codes),
            ["PERMISSION_DENIED", "FAILED_PRECONDITION", "NOT_FOUND"]
        );
        let adversarial = [
            "returns `NOT_FOUND` ".repeat(50_000),
            "* `NOT_FOUND` if: ".repeat(50_000),
            "`".repeat(200_000),
            "(".repeat(200_000),
            "errors: AbcDef ".repeat(50_000),
            " * a:".repeat(100_000),
            "é".repeat(200_000),
            format!("* `NOT_FOUND` if ({}", "errors: AbcDef (".repeat(50_000)),
            format!(
                "* `NOT_FOUND` if{}",
                " returns `ABORTED` (AbcDef)".repeat(30_000)
            ),
        ];
        for text in &adversarial {
            let _ = parse(text);
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "took {:?}",
            start.elapsed()
        );
    }

    /// Regression (review of issue 2): the reason list was deduplicated in quadratic time.
    #[test]
    fn reads_a_list_of_thousands_of_reasons() {
        let mut text = String::from(
            "This method returns the following error codes:\n* `INVALID_ARGUMENT` for the following request errors:\n",
        );
        for i in 0..20_000 {
            text.push_str(&format!("    * Reason{i}\n"));
        }
        let codes = parse(&text);
        assert_eq!(codes[0].reasons.len(), 20_000);
    }
}
