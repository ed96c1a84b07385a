//! Codes mentioned in running prose ("returns `NOT_FOUND` if ..."): the code tokens of a
//! text, the "returned" look-arounds with their vetoes, and the sentence that is a mention's
//! condition.
//!
//! May import the other files of `prose`.

use super::canonical::canonical_name;
use super::collect::Collector;
use super::items::opens_reason_list;
use super::reasons::{clean_condition, inline_reasons};

/// Longest condition kept for a code mentioned in running prose, in bytes.
/// Bounds the work done per mention so that many mentions in one long
/// sentence stay linear.
const MAX_INLINE_CONDITION: usize = 1000;

/// How far the word look-arounds scan, in bytes.
pub(super) const LOOK_WINDOW: usize = 200;

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

/// A code spelled in running text: byte range and canonical name.
pub(super) struct Token {
    start: usize,
    end: usize,
    name: &'static str,
}

/// Canonical codes in `text`: backticked, or bare when they contain an
/// underscore and stand as a word of their own.
pub(super) fn code_tokens(text: &str) -> Vec<Token> {
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
pub(super) fn scan_inline(text: &str, found: &mut Collector) -> Option<usize> {
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
pub(super) struct SentenceStops {
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
pub(super) fn next_match(
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
pub(super) fn is_chain_gap(gap: &str) -> bool {
    gap.len() <= 16
        && gap
            .split(|c: char| c.is_whitespace() || c == ',' || c == '/')
            .all(|w| w.is_empty() || w == "or" || w == "and")
}

/// Whether the words right before `start` say the code is returned.
pub(super) fn returned_before(text: &str, start: usize) -> bool {
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
pub(super) fn returned_after(text: &str, end: usize) -> Option<usize> {
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
pub(super) fn strip_leading_nouns(sentence: &str) -> &str {
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
pub(super) fn if_clause_before(text: &str, start: usize, after_returned: usize) -> String {
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
pub(super) fn tail_window(text: &str, max_bytes: usize) -> &str {
    let mut from = text.len().saturating_sub(max_bytes);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    &text[from..]
}

/// Whether `c` belongs to a word for the look-arounds.
pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’'
}

/// Up to `max` lower-cased words right before `pos`, nearest first,
/// separated only by whitespace (punctuation ends the run).
pub(super) fn words_before(text: &str, pos: usize, max: usize) -> Vec<String> {
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
pub(super) fn words_after(text: &str, pos: usize, max: usize) -> Vec<(String, usize)> {
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
