//! The documents of one API and `$ref` resolution between them: internal pointers with `~0`
//! and `~1` escapes, relative files, refs from inside referenced files, and (with `--fetch`)
//! remote URLs. Also the crate's one percent-decoder.
//!
//! May import `error` and `spec::source`.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use serde_json::Value;

use crate::error::{Error, Location};
use crate::spec::lines::Lines;
use crate::spec::source;

/// The most documents one API may pull in through `$ref`s.
const MAX_DOCUMENTS: usize = 2_000;

/// Index of a document in a [`DocSet`].
pub(crate) type DocId = usize;

/// One parsed document.
#[derive(Debug)]
pub(crate) struct Doc {
    /// The path as shown to users (relative paths stay relative), or the URL.
    pub name: PathBuf,
    /// The parsed value.
    pub value: Value,
    /// For a remote document, its URL (relative refs resolve against it).
    pub url: Option<String>,
    /// The line of every node, recorded by the parse.
    pub lines: Arc<Lines>,
}

/// A resolved `$ref`: a document and a pointer into it (no leading `#`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Target {
    pub doc: DocId,
    pub pointer: String,
}

/// Why a `$ref` did not resolve.
#[derive(Debug)]
pub(crate) enum RefError {
    /// The document exists but has nothing at the pointer.
    Dangling,
    /// Another document could not be loaded (missing, unreadable, unparseable, remote).
    External(Error),
    /// The reference text itself is unusable.
    Malformed(String),
}

/// All documents reached while loading one API.
pub(crate) struct DocSet {
    docs: Vec<Rc<Doc>>,
    by_key: HashMap<String, DocId>,
    fetch: bool,
}

impl DocSet {
    /// A set holding `root` as document 0.
    pub fn new(root: Doc, fetch: bool) -> Self {
        let key = root.url.clone().unwrap_or_else(|| file_key(&root.name));
        let mut by_key = HashMap::new();
        by_key.insert(key, 0);
        DocSet {
            docs: vec![Rc::new(root)],
            by_key,
            fetch,
        }
    }

    /// Adds another root document (a listing's next spec) and returns its id.
    pub fn add_root(&mut self, root: Doc) -> DocId {
        let key = root.url.clone().unwrap_or_else(|| file_key(&root.name));
        if let Some(&id) = self.by_key.get(&key) {
            return id;
        }
        let id = self.docs.len();
        self.docs.push(Rc::new(root));
        self.by_key.insert(key, id);
        id
    }

    /// The document `id`.
    pub fn doc(&self, id: DocId) -> Rc<Doc> {
        Rc::clone(&self.docs[id])
    }

    /// Resolves `reference` as written in document `from`.
    pub fn resolve(&mut self, from: DocId, reference: &str) -> Result<Target, RefError> {
        let (address, fragment) = match reference.split_once('#') {
            Some((a, f)) => (a, f),
            None => (reference, ""),
        };
        let pointer = percent_decode(fragment);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(RefError::Malformed(format!(
                "fragment '#{fragment}' is not a JSON pointer"
            )));
        }
        let doc = if address.is_empty() {
            from
        } else {
            self.load_relative(from, address)
                .map_err(RefError::External)?
        };
        if self.docs[doc].value.pointer(&pointer).is_none() {
            return Err(RefError::Dangling);
        }
        Ok(Target { doc, pointer })
    }

    fn load_relative(&mut self, from: DocId, address: &str) -> Result<DocId, Error> {
        let base = Rc::clone(&self.docs[from]);
        let is_remote = |s: &str| s.starts_with("http://") || s.starts_with("https://");
        let (key, name, url) = if is_remote(address) || base.url.is_some() {
            let url = match &base.url {
                Some(b) if !is_remote(address) => reqwest::Url::parse(b)
                    .and_then(|b| b.join(address))
                    .map_err(|e| Error::Fetch {
                        url: address.to_owned(),
                        reason: e.to_string(),
                    })?
                    .to_string(),
                _ => address.to_owned(),
            };
            (url.clone(), PathBuf::from(&url), Some(url))
        } else {
            let dir = base.name.parent().unwrap_or(Path::new(""));
            let name = normalize(&dir.join(percent_decode(address)));
            (file_key(&name), name, None)
        };
        if let Some(&id) = self.by_key.get(&key) {
            return Ok(id);
        }
        if self.docs.len() >= MAX_DOCUMENTS {
            return Err(Error::TooManyDocuments {
                limit: MAX_DOCUMENTS,
                from: base.name.clone(),
            });
        }
        let (value, lines) = match &url {
            Some(url) if !self.fetch => {
                return Err(Error::Fetch {
                    url: url.clone(),
                    reason: "remote $ref and fetching is off (pass --fetch to allow it)".to_owned(),
                })
            }
            Some(url) => source::parse(Path::new(url), &source::fetch(url)?)?,
            None => source::parse(&name, &source::read_file(&name)?)?,
        };
        let id = self.docs.len();
        self.docs.push(Rc::new(Doc {
            name,
            value,
            url,
            lines: Arc::new(lines),
        }));
        self.by_key.insert(key, id);
        Ok(id)
    }

    /// The location of `pointer` in document `doc`, for diagnostics.
    pub fn location(&self, doc: DocId, pointer: &str) -> Location {
        let doc = &self.docs[doc];
        Location::new(doc.name.clone(), pointer).with_lines(doc.lines.clone())
    }
}

/// The identity of a local file: its canonical path when it exists, else the normalized path.
fn file_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| normalize(path))
        .to_string_lossy()
        .into_owned()
}

/// Folds `.` and `..` lexically, so messages show `spec/../common/Error.yaml` as `common/Error.yaml`.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// Decodes `%XX` escapes (as in `#/paths/~1pets%7Bid%7D`); invalid escapes, and text that
/// would not decode to UTF-8, stay as written.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(value: Value) -> DocSet {
        DocSet::new(
            Doc {
                name: PathBuf::from("root.yaml"),
                value,
                url: None,
                lines: Arc::default(),
            },
            false,
        )
    }

    #[test]
    fn resolves_escaped_pointer() {
        let mut docs = set(json!({"paths": {"/a/{id}": {"get": {}}}}));
        let t = docs.resolve(0, "#/paths/~1a~1%7Bid%7D/get").unwrap();
        assert_eq!(t.pointer, "/paths/~1a~1{id}/get");
    }

    #[test]
    fn dangling_pointer_is_reported() {
        let mut docs = set(json!({"definitions": {}}));
        assert!(matches!(
            docs.resolve(0, "#/definitions/holder"),
            Err(RefError::Dangling)
        ));
    }

    #[test]
    fn missing_external_file_is_an_external_error() {
        let mut docs = set(json!({}));
        assert!(matches!(
            docs.resolve(0, "no-such-file.yaml#/x"),
            Err(RefError::External(_))
        ));
    }

    #[test]
    fn remote_ref_needs_fetch() {
        let mut docs = set(json!({}));
        let Err(RefError::External(e)) = docs.resolve(0, "https://example.com/s.yaml#/x") else {
            panic!("expected an error")
        };
        assert!(e.to_string().contains("--fetch"), "{e}");
    }

    #[test]
    fn normalizes_parent_segments() {
        assert_eq!(
            normalize(Path::new("a/spec/../common/Error.yaml")),
            PathBuf::from("a/common/Error.yaml")
        );
        assert_eq!(normalize(Path::new("../x/./y")), PathBuf::from("../x/y"));
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("a%2Fb%zz%"), "a/b%zz%");
    }
}
