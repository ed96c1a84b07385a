//! The line of every node of a document, recorded while the YAML or JSON parse has the text,
//! so that a [`Location`](crate::error::Location) made by the loader knows its line long after
//! the text is gone (a GitHub annotation needs it). A mapping entry's line is its key's line; a
//! sequence item's is the line it starts on.
//!
//! The index is flat and small (16 bytes a node, no keys kept): each node is known by a hash of
//! its JSON pointer's tokens, folded from the root, so a lookup folds the same hashes.
//!
//! May import `error` and the parsers (`serde_saphyr`, `serde_json`).

use std::cell::RefCell;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use serde_saphyr::Spanned;

use crate::error::LineIndex;

/// The lines of one document's nodes: (pointer hash, line), sorted by hash.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    entries: Vec<(u64, u32)>,
    /// Lines before the document's text in its file (Markdown front matter's `---`).
    offset: u64,
}

/// The hash of a pointer one token deeper than the pointer hashed as `parent`.
fn child_hash(parent: u64, token: &str) -> u64 {
    // `DefaultHasher::new()` has fixed keys: the same pointer always gives the same hash.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parent.hash(&mut h);
    token.hash(&mut h);
    h.finish()
}

/// The hash of the root pointer.
const ROOT: u64 = 0;

impl Lines {
    /// An index of `recorded` (pointer hash, line) pairs in document order; a later pair for the
    /// same node wins, as the parse keeps the last of duplicate keys.
    fn new(mut recorded: Vec<(u64, u32)>) -> Self {
        recorded.reverse();
        recorded.sort_by_key(|(hash, _)| *hash);
        recorded.dedup_by_key(|(hash, _)| *hash);
        recorded.shrink_to_fit();
        Lines {
            entries: recorded,
            offset: 0,
        }
    }

    /// The same lines, `offset` lines further down the file.
    pub(crate) fn shifted(mut self, offset: u64) -> Self {
        self.offset += offset;
        self
    }
}

impl LineIndex for Lines {
    fn line_of(&self, pointer: &str) -> Option<u64> {
        let mut hash = ROOT;
        let mut found = None;
        for token in pointer.split('/').skip(1) {
            hash = child_hash(hash, &token.replace("~1", "/").replace("~0", "~"));
            let Ok(i) = self.entries.binary_search_by_key(&hash, |(h, _)| *h) else {
                break;
            };
            let line = self.entries[i].1;
            if line > 0 {
                found = Some(u64::from(line) + self.offset);
            }
        }
        found
    }
}

/// What the YAML visitors record, per thread: the hash of the node being read (the top of the
/// stack) and the (hash, line) pairs so far. `Deserialize` takes no state of its own, and
/// `Spanned` (which gives the lines) needs a `Deserialize`, so the state lives here for the
/// length of one [`parse_yaml`] call.
#[derive(Default)]
struct Recorder {
    stack: Vec<u64>,
    recorded: Vec<(u64, u32)>,
}

thread_local! {
    static RECORDER: RefCell<Recorder> = RefCell::default();
}

fn enter(token: &str) -> u64 {
    RECORDER.with(|r| {
        let mut r = r.borrow_mut();
        let hash = child_hash(r.stack.last().copied().unwrap_or(ROOT), token);
        r.stack.push(hash);
        hash
    })
}

fn leave(hash: u64, line: u64) {
    RECORDER.with(|r| {
        let mut r = r.borrow_mut();
        r.stack.pop();
        r.recorded
            .push((hash, u32::try_from(line).unwrap_or(u32::MAX)));
    });
}

/// Parses YAML with `parse` (which must deserialize a [`Located`]) and returns its value and
/// the lines of its nodes.
pub(crate) fn parse_yaml<E>(
    parse: impl FnOnce() -> Result<Located, E>,
) -> Result<(Value, Lines), E> {
    RECORDER.with(|r| *r.borrow_mut() = Recorder::default());
    let parsed = parse();
    let recorded = RECORDER.with(|r| std::mem::take(&mut *r.borrow_mut()).recorded);
    Ok((parsed?.0, Lines::new(recorded)))
}

/// A YAML document as a `serde_json::Value`, the very value `Value::deserialize` makes; its
/// lines go to the thread's recorder.
pub(crate) struct Located(Value);

impl<'de> Deserialize<'de> for Located {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LocatedVisitor)
    }
}

/// A mapping key, read as `serde_json` reads one (a string, whatever the scalar looked like).
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key, E> {
                Ok(Key(s.to_owned()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Key, E> {
                Ok(Key(s))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct LocatedVisitor;

/// A scalar, converted exactly as `serde_json::Value` converts it.
fn scalar<'de, E: de::Error>(d: impl Deserializer<'de, Error = E>) -> Result<Located, E> {
    Value::deserialize(d).map(Located)
}

impl<'de> Visitor<'de> for LocatedVisitor {
    type Value = Located;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Located, E> {
        scalar(v.into_deserializer())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Located, E> {
        scalar(v.into_deserializer())
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Located, E> {
        scalar(v.into_deserializer())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Located, E> {
        scalar(v.into_deserializer())
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Located, E> {
        scalar(v.into_deserializer())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Located, E> {
        scalar(v.into_deserializer())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Located, E> {
        scalar(v.into_deserializer())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Located, E> {
        scalar(v.into_deserializer())
    }
    fn visit_none<E: de::Error>(self) -> Result<Located, E> {
        scalar(().into_deserializer())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Located, E> {
        scalar(().into_deserializer())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Located, D::Error> {
        Located::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Located, A::Error> {
        let mut values = Vec::new();
        loop {
            let hash = enter(&values.len().to_string());
            let item = seq.next_element::<Spanned<Located>>();
            match item {
                Ok(Some(item)) => {
                    leave(hash, item.referenced.line());
                    values.push(item.value.0);
                }
                other => {
                    RECORDER.with(|r| r.borrow_mut().stack.pop());
                    other?;
                    break;
                }
            }
        }
        Ok(Located(Value::Array(values)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Located, A::Error> {
        let mut values = Map::new();
        while let Some(key) = map.next_key::<Spanned<Key>>()? {
            let Key(name) = key.value;
            let hash = enter(&name);
            let value = map.next_value::<Located>();
            leave(hash, key.referenced.line());
            values.insert(name, value?.0);
        }
        Ok(Located(Value::Object(values)))
    }
}

/// The lines of a JSON text that `serde_json` has already parsed (so it is well formed and at
/// most 128 levels deep).
pub(crate) fn of_json(text: &str) -> Lines {
    let mut scan = JsonScan {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        line: 1,
        recorded: Vec::new(),
    };
    scan.value(ROOT);
    Lines::new(scan.recorded)
}

struct JsonScan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: u64,
    recorded: Vec<(u64, u32)>,
}

impl JsonScan<'_> {
    fn skip_space(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => return,
            }
            self.pos += 1;
        }
    }

    fn record(&mut self, hash: u64, line: u64) {
        self.recorded
            .push((hash, u32::try_from(line).unwrap_or(u32::MAX)));
    }

    /// Skips one value, recording the lines of what it holds; `hash` is its pointer's.
    fn value(&mut self, hash: u64) {
        self.skip_space();
        match self.bytes.get(self.pos) {
            Some(b'{') => self.object(hash),
            Some(b'[') => self.array(hash),
            Some(b'"') => {
                self.string();
            }
            _ => {
                while self
                    .bytes
                    .get(self.pos)
                    .is_some_and(|b| !b",}] \t\r\n".contains(b))
                {
                    self.pos += 1;
                }
            }
        }
    }

    fn object(&mut self, hash: u64) {
        self.pos += 1;
        loop {
            self.skip_space();
            match self.bytes.get(self.pos) {
                Some(b'"') => {}
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                _ => break,
            }
            let line = self.line;
            let key = child_hash(hash, &self.string());
            self.skip_space();
            self.pos += 1; // the `:`
            self.record(key, line);
            self.value(key);
        }
        self.pos += 1;
    }

    fn array(&mut self, hash: u64) {
        self.pos += 1;
        let mut index = 0usize;
        loop {
            self.skip_space();
            match self.bytes.get(self.pos) {
                None | Some(b']') => break,
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            let item = child_hash(hash, &index.to_string());
            let line = self.line;
            self.record(item, line);
            self.value(item);
            index += 1;
        }
        self.pos += 1;
    }

    /// Skips a string (at its opening quote) and returns it decoded.
    fn string(&mut self) -> String {
        let start = self.pos;
        self.pos += 1;
        let mut escaped = false;
        while let Some(&b) = self.bytes.get(self.pos) {
            self.pos += 1;
            match b {
                b'\\' => {
                    escaped = true;
                    self.pos += 1;
                }
                b'"' => break,
                _ => {}
            }
        }
        let raw = self.text.get(start..self.pos).unwrap_or_default();
        if escaped {
            serde_json::from_str(raw).unwrap_or_default()
        } else {
            raw.get(1..raw.len().saturating_sub(1))
                .unwrap_or_default()
                .to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.3\npaths:\n  /v1/invitations:\n    get:\n      parameters:\n        - name: a\n          in: query\n        - name: b\n          in: query\n      responses:\n        '200':\n          description: ok\n    post:\n      responses:\n        \"409\":\n          description: exists\n";

    fn yaml_lines(text: &str) -> (Value, Lines) {
        parse_yaml(|| serde_saphyr::from_str::<Located>(text)).expect("parses")
    }

    #[test]
    fn records_keys_and_items_by_escaped_pointer() {
        let (_, lines) = yaml_lines(YAML);
        let at = |p: &str| lines.line_of(p);
        assert_eq!(at("/paths/~1v1~1invitations/get/responses/200"), Some(11));
        assert_eq!(at("/paths/~1v1~1invitations/post/responses/409"), Some(15));
        assert_eq!(at("/paths/~1v1~1invitations/get/parameters/1"), Some(8));
        assert_eq!(at("/paths/~1v1~1invitations/get/parameters/1/in"), Some(9));
    }

    #[test]
    fn falls_back_to_the_deepest_ancestor_recorded() {
        let (_, lines) = yaml_lines(YAML);
        assert_eq!(
            lines.line_of("/paths/~1v1~1invitations/get/nothing"),
            Some(4)
        );
        assert_eq!(lines.line_of("/nowhere"), None);
        assert_eq!(lines.shifted(1).line_of("/paths"), Some(3));
    }

    #[test]
    fn reads_the_same_value_as_serde_json() {
        let text = "a: 1\nb: [1.5, -2, true, ~, 'x']\n200: {c: null}\nd: 18446744073709551615\n";
        let (value, _) = yaml_lines(text);
        let plain: Value = serde_saphyr::from_str(text).expect("parses");
        assert_eq!(value, plain);
    }

    #[test]
    fn records_json_keys_and_items() {
        let json = "{\n  \"paths\": {\n    \"/a\": {\n      \"get\": {\"x\\\"y\": [\n1,\n {\"z\": 2}]}\n    }\n  }\n}\n";
        let lines = of_json(json);
        assert_eq!(lines.line_of("/paths/~1a/get"), Some(4));
        assert_eq!(lines.line_of("/paths/~1a/get/x\"y/1/z"), Some(6));
        assert_eq!(lines.line_of("/paths/~1a/get/x\"y/0"), Some(5));
    }

    #[test]
    fn a_child_location_knows_its_line_and_prints_as_before() {
        use crate::error::Location;
        let (_, lines) = yaml_lines(YAML);
        let op = Location::new("a.yaml", "/paths/~1v1~1invitations/post")
            .with_lines(std::sync::Arc::new(lines));
        let conflict = op.child("responses").child("409");
        assert_eq!(conflict.line(), Some(15));
        assert_eq!(op.child("nothing").line(), Some(13));
        assert_eq!(
            conflict.to_string(),
            "a.yaml#/paths/~1v1~1invitations/post/responses/409"
        );
        assert_eq!(conflict, Location::new("a.yaml", conflict.pointer.clone()));
    }
}
