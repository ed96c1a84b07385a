//! API listings (APIs.json, as YAML front matter or JSON): which specs they name, and where
//! each is found without the network (`--mirror` folders, the listing's own folder) or, with
//! `--fetch`, over HTTP.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Diagnostic, Location};
use crate::spec::reader::{join, text};
use crate::spec::refs::{normalize, percent_decode};

/// Where a listed spec was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// A local file.
    File(PathBuf),
    /// A URL to download (only with `--fetch`).
    Remote(String),
}

/// One spec a listing names.
#[derive(Debug, Clone)]
pub(crate) struct Listed {
    pub url: String,
    pub found: Found,
    pub location: Location,
}

/// Whether `value` is a listing rather than a description.
pub(crate) fn is_listing(value: &Value) -> bool {
    value.get("openapi").is_none()
        && value.get("swagger").is_none()
        && value.get("apis").is_some_and(Value::is_array)
}

/// Property types that name an API description.
fn is_spec_type(t: &str) -> bool {
    ["x-openapi-spec", "openapi", "swagger", "x-swagger"]
        .iter()
        .any(|k| t.eq_ignore_ascii_case(k))
}

/// The specs `listing` names, each found or reported as a warning in `diags`.
pub(crate) fn resolve(
    path: &Path,
    listing: &Value,
    mirrors: &[PathBuf],
    fetch: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Listed> {
    let here = |pointer: &str| Location::new(path, pointer);
    let mut seen_entries: HashSet<(String, String)> = HashSet::new();
    let mut seen_urls: HashSet<String> = HashSet::new();
    let mut seen_files: HashSet<PathBuf> = HashSet::new();
    let mut out = Vec::new();
    let apis = listing.get("apis").and_then(Value::as_array);
    for (i, api) in apis.into_iter().flatten().enumerate() {
        let api_ptr = join("/apis", &i.to_string());
        let slug = text(api.get("x-api-slug"))
            .or_else(|| text(api.get("name")))
            .unwrap_or_default();
        let props = api.get("properties").and_then(Value::as_array);
        for (j, prop) in props.into_iter().flatten().enumerate() {
            let kind = text(prop.get("type")).unwrap_or_default();
            if !is_spec_type(&kind) {
                continue;
            }
            let url_ptr = join(&join(&join(&api_ptr, "properties"), &j.to_string()), "url");
            let Some(url) = text(prop.get("url")).filter(|u| !u.trim().is_empty()) else {
                diags.push(Diagnostic::warning(
                    here(&url_ptr),
                    "spec entry has no url: skipped",
                ));
                continue;
            };
            // The same (slug, url) listed again collapses, and so does a url listed under
            // another slug: it is the same description.
            if !seen_entries.insert((slug.clone(), url.clone())) || !seen_urls.insert(url.clone()) {
                continue;
            }
            match find(path, &url, mirrors) {
                Some(file) => {
                    // The same file reached by two spellings of its path loads once.
                    let identity = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
                    if seen_files.insert(identity) {
                        out.push(Listed {
                            url,
                            found: Found::File(file),
                            location: here(&url_ptr),
                        });
                    }
                }
                None if fetch && is_remote(&url) => out.push(Listed {
                    url: url.clone(),
                    found: Found::Remote(url),
                    location: here(&url_ptr),
                }),
                None => {
                    let mut dirs: Vec<String> = vec![listing_dir(path).display().to_string()];
                    dirs.extend(mirrors.iter().map(|m| m.display().to_string()));
                    let hint = if is_remote(&url) {
                        "; pass --mirror DIR with a copy, or --fetch to download it"
                    } else {
                        ""
                    };
                    diags.push(Diagnostic::warning(
                        here(&url_ptr),
                        format!(
                            "listed spec {url} not found locally (looked in {}){hint}: skipped",
                            dirs.join(", ")
                        ),
                    ));
                }
            }
        }
    }
    out
}

fn is_remote(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

fn listing_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Finds a listed URL on disk: a relative URL against the listing's folder; a remote one by
/// the longest tail of its path that exists in the listing's folder or a mirror (so
/// `.../google-classroom/openapi.md` prefers `DIR/google-classroom/openapi.md` over another
/// provider's `DIR/openapi.md`).
fn find(listing: &Path, url: &str, mirrors: &[PathBuf]) -> Option<PathBuf> {
    let dir = listing_dir(listing);
    if let Some(local) = url.strip_prefix("file://") {
        let candidate = normalize(&dir.join(percent_decode(local)));
        return candidate.is_file().then_some(candidate);
    }
    if !url.contains("://") {
        let candidate = normalize(&dir.join(percent_decode(url)));
        return candidate.is_file().then_some(candidate);
    }
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path_part = after_scheme.split(['?', '#']).next().unwrap_or("");
    let segments: Vec<String> = path_part
        .split('/')
        .skip(1) // the host
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .map(percent_decode)
        .collect();
    let dirs = std::iter::once(dir).chain(mirrors.iter().cloned());
    for d in dirs {
        for start in 0..segments.len() {
            let candidate = segments[start..].iter().fold(d.clone(), |p, s| p.join(s));
            if candidate.is_file() {
                return Some(normalize(&candidate));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn collapses_repeated_entries_and_warns_on_missing_files() {
        let listing = json!({"apis": [
            {"x-api-slug": "a", "properties": [{"type": "x-openapi-spec", "url": "https://h/x/a.md"}]},
            {"x-api-slug": "a", "properties": [{"type": "x-openapi-spec", "url": "https://h/x/a.md"}]},
            {"x-api-slug": "b", "properties": [{"type": "X-OpenAPI-Spec", "url": "https://h/x/a.md"}]},
        ]});
        let mut diags = Vec::new();
        let found = resolve(
            Path::new("/nonexistent/apis.yaml"),
            &listing,
            &[],
            false,
            &mut diags,
        );
        assert!(found.is_empty());
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].message.contains("--mirror"));
        assert_eq!(diags[0].location.pointer, "/apis/0/properties/0/url");
    }

    #[test]
    fn remote_url_is_kept_for_fetch() {
        let listing = json!({"apis": [
            {"properties": [{"type": "swagger", "url": "https://h/x/a.yaml"}]},
        ]});
        let mut diags = Vec::new();
        let found = resolve(Path::new("apis.yaml"), &listing, &[], true, &mut diags);
        assert_eq!(
            found[0].found,
            Found::Remote("https://h/x/a.yaml".to_owned())
        );
    }
}
