//! The line of every node of a document, recorded while the YAML or JSON parse has the text,
//! so that a [`Location`](crate::error::Location) made by the loader knows its line long after
//! the text is gone (a GitHub annotation needs it). A mapping entry's line is its key's line; a
//! sequence item's is the line it starts on.
//!
//! May import `error` and the parsers (`serde_saphyr`, `serde_json`).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use serde_saphyr::Spanned;

use crate::error::LineIndex;

/// The lines of one document's nodes, as a tree shaped like the document.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    root: Node,
    /// Lines before the document's text in its file (Markdown front matter's `---`).
    offset: u64,
}

/// One node: its line (0 when unknown) and its children.
#[derive(Debug, Default)]
struct Node {
    line: u64,
    kids: Kids,
}

#[derive(Debug, Default)]
enum Kids {
    #[default]
    Leaf,
    /// Sorted by key, one entry per key (the last, as the parse keeps the last duplicate).
    Map(Vec<(Box<str>, Node)>),
    Seq(Vec<Node>),
}

impl Lines {
    /// The same lines, `offset` lines further down the file.
    pub(crate) fn shifted(mut self, offset: u64) -> Self {
        self.offset += offset;
        self
    }
}

impl LineIndex for Lines {
    fn line_of(&self, pointer: &str) -> Option<u64> {
        let mut node = &self.root;
        let mut found = None;
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            let next = match &node.kids {
                Kids::Map(entries) => entries
                    .binary_search_by(|(k, _)| (**k).cmp(token.as_str()))
                    .ok()
                    .map(|i| &entries[i].1),
                Kids::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                Kids::Leaf => None,
            };
            let Some(next) = next else { break };
            node = next;
            if node.line > 0 {
                found = Some(node.line + self.offset);
            }
        }
        found
    }
}

/// Sorts a mapping's entries for lookup, keeping the last of duplicate keys.
fn map_kids(mut entries: Vec<(Box<str>, Node)>) -> Kids {
    entries.reverse();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.dedup_by(|later, earlier| later.0 == earlier.0);
    Kids::Map(entries)
}

/// A YAML document as a `serde_json::Value` (the very value `Value::deserialize` makes) and the
/// lines of its nodes.
pub(crate) struct Located {
    pub value: Value,
    node: Node,
}

impl Located {
    /// The value, and the lines as an index.
    pub(crate) fn into_parts(self) -> (Value, Lines) {
        let lines = Lines {
            root: self.node,
            offset: 0,
        };
        (self.value, lines)
    }
}

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
    Ok(Located {
        value: Value::deserialize(d)?,
        node: Node::default(),
    })
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
        let mut kids = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Located>>()? {
            let Located { value, mut node } = item.value;
            node.line = item.referenced.line();
            values.push(value);
            kids.push(node);
        }
        Ok(Located {
            value: Value::Array(values),
            node: Node {
                line: 0,
                kids: Kids::Seq(kids),
            },
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Located, A::Error> {
        let mut values = Map::new();
        let mut kids = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Key>>()? {
            let Located { value, mut node } = map.next_value()?;
            node.line = key.referenced.line();
            let Key(key) = key.value;
            kids.push((key.as_str().into(), node));
            values.insert(key, value);
        }
        Ok(Located {
            value: Value::Object(values),
            node: Node {
                line: 0,
                kids: map_kids(kids),
            },
        })
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
    };
    let root = scan.value();
    Lines { root, offset: 0 }
}

struct JsonScan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: u64,
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

    /// Skips one value and returns its children's lines.
    fn value(&mut self) -> Node {
        self.skip_space();
        let kids = match self.bytes.get(self.pos) {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                self.string();
                Kids::Leaf
            }
            _ => {
                while self
                    .bytes
                    .get(self.pos)
                    .is_some_and(|b| !b",}] \t\r\n".contains(b))
                {
                    self.pos += 1;
                }
                Kids::Leaf
            }
        };
        Node { line: 0, kids }
    }

    fn object(&mut self) -> Kids {
        self.pos += 1;
        let mut kids = Vec::new();
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
            let key = self.string();
            self.skip_space();
            self.pos += 1; // the `:`
            let mut node = self.value();
            node.line = line;
            kids.push((key.into(), node));
        }
        self.pos += 1;
        map_kids(kids)
    }

    fn array(&mut self) -> Kids {
        self.pos += 1;
        let mut kids = Vec::new();
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
            let line = self.line;
            let mut node = self.value();
            node.line = line;
            kids.push(node);
        }
        self.pos += 1;
        Kids::Seq(kids)
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
        serde_saphyr::from_str::<Located>(text)
            .expect("parses")
            .into_parts()
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
}
