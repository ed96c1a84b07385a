//! The loader's entry point: one path in, a [`Loaded`] out (or a located setup error).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::error::{Diagnostic, Error, Location, Severity};
use crate::spec::listing::{self, Found, Listed};
use crate::spec::model::{
    Api, InputKind, Loaded, Method, Operation, ParamLocation, Parameter, SpecVersion,
};
use crate::spec::reader::{text, Reader, SpecParts};
use crate::spec::refs::{Doc, DocId};
use crate::spec::schema::Dialect;
use crate::spec::{codes, examples, openapi, source, swagger};

/// Where the loader may look for what a listing names.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Folders to look a listed URL's file up in (after the listing's own folder).
    pub mirrors: Vec<PathBuf>,
    /// Allow downloading listed specs and remote `$ref`s over HTTP(S).
    pub fetch: bool,
}

/// Loads a spec (OpenAPI 3.0/3.1, Swagger 2.0; YAML, JSON or Markdown front matter) or an API
/// listing.
pub fn load(path: &Path, options: &LoadOptions) -> Result<Loaded, Error> {
    let text = source::read_file(path)?;
    let (value, lines) = source::parse(path, &text)?;
    drop(text);
    if listing::is_listing(&value) {
        return load_listing(path, value, options);
    }
    let version = classify(path, &value)?;
    let dialect = dialect_of(&version);
    let root = Doc {
        name: path.to_owned(),
        value,
        url: None,
        lines: Arc::new(lines),
    };
    let mut reader = Reader::new(root, dialect, options.fetch);
    let parts = read_spec(&mut reader, 0, version);
    let (apis, diagnostics) = assemble(reader, vec![parts], None, path)?;
    Ok(Loaded {
        source: path.to_owned(),
        kind: InputKind::Spec,
        apis,
        diagnostics,
    })
}

impl Api {
    /// Loads the one API that `path` describes, with default options; warnings are dropped.
    /// A listing that yields several APIs is a setup error here: use [`load`].
    ///
    /// ```no_run
    /// let api = contractor::Api::load("specs/google-classroom/invitations.yaml").unwrap();
    /// assert_eq!(api.operations.len(), 5);
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<Api, Error> {
        let path = path.as_ref();
        let mut loaded = load(path, &LoadOptions::default())?;
        if loaded.apis.len() != 1 {
            return Err(Error::ManyApis {
                path: path.to_owned(),
                count: loaded.apis.len(),
            });
        }
        Ok(loaded.apis.remove(0))
    }
}

/// Which description format `value` is, or a located error.
fn classify(path: &Path, value: &Value) -> Result<SpecVersion, Error> {
    let invalid = |pointer: &str, message: String| Error::Invalid {
        path: path.to_owned(),
        diagnostics: vec![Diagnostic::error(Location::new(path, pointer), message)],
    };
    if !value.is_object() {
        let hint = if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        {
            " (a Markdown file needs the description as YAML front matter between `---` lines)"
        } else {
            ""
        };
        return Err(invalid(
            "",
            format!("not an API description: the document is not a mapping{hint}"),
        ));
    }
    if let Some(v) = value.get("openapi") {
        let Some(version) = text(Some(v)) else {
            return Err(invalid(
                "/openapi",
                format!("`openapi` is {v}, not a version string"),
            ));
        };
        return if version == "3.0" || version.starts_with("3.0.") {
            Ok(SpecVersion::OpenApi30(version))
        } else if version == "3.1" || version.starts_with("3.1.") {
            Ok(SpecVersion::OpenApi31(version))
        } else {
            Err(invalid(
                "/openapi",
                format!("unsupported OpenAPI version '{version}' (supported: 2.0, 3.0.x, 3.1.x)"),
            ))
        };
    }
    if let Some(v) = value.get("swagger") {
        let Some(version) = text(Some(v)) else {
            return Err(invalid(
                "/swagger",
                format!("`swagger` is {v}, not a version string"),
            ));
        };
        return if version == "2.0" || version == "2" {
            Ok(SpecVersion::Swagger2)
        } else {
            Err(invalid(
                "/swagger",
                format!("unsupported Swagger version '{version}' (supported: 2.0, 3.0.x, 3.1.x)"),
            ))
        };
    }
    if value.get("apis").is_some() {
        return Err(invalid(
            "/apis",
            "not an API listing: `apis` is not a list".to_owned(),
        ));
    }
    Err(invalid(
        "",
        "not an API description: no `openapi` or `swagger` key (nor `apis`, for a listing)"
            .to_owned(),
    ))
}

/// Names in a path template, in order: `/a/{x}/b/{y}:go` gives `x`, `y`.
fn template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.trim().to_owned()))
        .filter(|name| !name.is_empty())
        .collect()
}

/// A name in the path template that no path parameter declares gets a located warning and an
/// unconstrained path parameter, so that requests still fill it (with a string).
fn declare_template_parameters(op: &mut Operation, diags: &mut Vec<Diagnostic>) {
    let names = template_names(&op.path);
    for (at, name) in names.iter().enumerate() {
        if names[..at].contains(name) {
            diags.push(Diagnostic::warning(
                op.location.clone(),
                format!(
                    "path parameter '{name}' is in the template {} twice: a request cannot give each its own value",
                    op.path
                ),
            ));
        }
    }
    for name in names {
        let declared = op
            .parameters
            .iter()
            .any(|p| p.location == ParamLocation::Path && p.name == name);
        if declared {
            continue;
        }
        diags.push(Diagnostic::warning(
            op.location.clone(),
            format!(
                "path parameter '{name}' is in the template {} but not declared: sent as a string",
                op.path
            ),
        ));
        op.parameters.push(Parameter {
            name,
            location: ParamLocation::Path,
            required: true,
            schema: None,
            style: "simple".to_owned(),
            explode: false,
            description: None,
            examples: Vec::new(),
            location_in_spec: op.location.clone(),
        });
    }
}

fn dialect_of(version: &SpecVersion) -> Dialect {
    match version {
        SpecVersion::Swagger2 => Dialect::Swagger2,
        SpecVersion::OpenApi30(_) => Dialect::OpenApi30,
        SpecVersion::OpenApi31(_) => Dialect::OpenApi31,
    }
}

fn read_spec(reader: &mut Reader, doc: DocId, version: SpecVersion) -> SpecParts {
    match version {
        SpecVersion::Swagger2 => swagger::read(reader, doc),
        v => openapi::read(reader, doc, v),
    }
}

/// Finishes a reader's schemas, reads error codes, and groups the specs into APIs (specs of a
/// listing that share their servers become one API, each operation once).
fn assemble(
    reader: Reader,
    specs: Vec<SpecParts>,
    title: Option<String>,
    path: &Path,
) -> Result<(Vec<Api>, Vec<Diagnostic>), Error> {
    let Reader {
        schemas, mut diags, ..
    } = reader;
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error::Invalid {
            path: path.to_owned(),
            diagnostics: diags,
        });
    }
    let schemas = Arc::new(schemas.finish());
    let mut apis: Vec<Api> = Vec::new();
    for mut spec in specs {
        for op in &mut spec.operations {
            op.error_codes = codes::collect(
                op.description.as_deref(),
                &openapi::description_location(op),
                &op.responses,
                &schemas,
            );
        }
        for op in &mut spec.operations {
            declare_template_parameters(op, &mut diags);
            examples::vet(op, &schemas, &mut diags);
        }
        check_duplicate_ids(&spec.operations, &mut diags);
        if let Some(api) = apis.iter_mut().find(|a| a.servers == spec.servers) {
            // Several specs of a listing make one API: it takes the listing's name.
            if let Some(t) = &title {
                api.title.clone_from(t);
            }
            merge_operations(&mut api.operations, spec.operations);
            continue;
        }
        apis.push(Api {
            title: spec.title,
            version: spec.version,
            spec_version: spec.spec_version,
            source: spec.source,
            servers: spec.servers,
            operations: spec.operations,
            security_schemes: spec.security_schemes,
            schemas: Arc::clone(&schemas),
            graph: std::sync::OnceLock::new(),
        });
    }
    Ok((apis, diags))
}

fn check_duplicate_ids(ops: &[Operation], diags: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    for op in ops {
        if !seen.insert(op.id.as_str()) {
            diags.push(Diagnostic::warning(
                op.location.child("operationId"),
                format!("operationId '{}' is used more than once", op.id),
            ));
        }
    }
}

/// Adds the operations not already present (by method and path).
fn merge_operations(into: &mut Vec<Operation>, more: Vec<Operation>) {
    let have: HashSet<(Method, String)> = into.iter().map(|o| (o.method, o.path.clone())).collect();
    into.extend(
        more.into_iter()
            .filter(|o| !have.contains(&(o.method, o.path.clone()))),
    );
}

fn load_listing(path: &Path, value: Value, options: &LoadOptions) -> Result<Loaded, Error> {
    let mut diags = Vec::new();
    let listed = listing::resolve(path, &value, &options.mirrors, options.fetch, &mut diags);
    let listing_name = text(value.get("name"));
    let version = text(value.get("specificationVersion"));
    let named = count_named(&value);
    drop(value);

    // One reader per dialect, so that specs of one listing share one schema bundle.
    let mut readers: Vec<(Dialect, Reader, Vec<SpecParts>)> = Vec::new();
    let mut errors = Vec::new();
    for item in &listed {
        let (doc, version) = match read_listed(item) {
            Ok(ok) => ok,
            Err(e) => {
                errors.push(Diagnostic::error(
                    item.location.clone(),
                    format!("listed spec {}: {e}", item.url),
                ));
                continue;
            }
        };
        let dialect = dialect_of(&version);
        let slot = match readers.iter().position(|(d, _, _)| *d == dialect) {
            Some(i) => i,
            None => {
                readers.push((
                    dialect,
                    Reader::new(doc, dialect, options.fetch),
                    Vec::new(),
                ));
                let (_, reader, specs) = readers.last_mut().expect("just pushed");
                let parts = read_spec(reader, 0, version);
                specs.push(parts);
                continue;
            }
        };
        let (_, reader, specs) = &mut readers[slot];
        let id = reader.docs.add_root(doc);
        let parts = read_spec(reader, id, version);
        specs.push(parts);
    }
    if !errors.is_empty() {
        diags.extend(errors);
        return Err(Error::Invalid {
            path: path.to_owned(),
            diagnostics: diags,
        });
    }
    let loaded_count = readers.iter().map(|(_, _, s)| s.len()).sum();
    let mut apis = Vec::new();
    for (_, reader, specs) in readers {
        let (more, more_diags) = assemble(reader, specs, listing_name.clone(), path)?;
        apis.extend(more);
        diags.extend(more_diags);
    }
    Ok(Loaded {
        source: path.to_owned(),
        kind: InputKind::Listing {
            version,
            specs: named,
            loaded: loaded_count,
        },
        apis,
        diagnostics: diags,
    })
}

/// Reads, parses and classifies one spec a listing names.
fn read_listed(item: &Listed) -> Result<(Doc, SpecVersion), Error> {
    let (name, text, url) = match &item.found {
        Found::File(file) => (file.clone(), source::read_file(file)?, None),
        Found::Remote(url) => (PathBuf::from(url), source::fetch(url)?, Some(url.clone())),
    };
    let (value, lines) = source::parse(&name, &text)?;
    if listing::is_listing(&value) {
        return Err(Error::NestedListing { path: name.clone() });
    }
    let version = classify(&name, &value)?;
    let doc = Doc {
        name,
        value,
        url,
        lines: Arc::new(lines),
    };
    Ok((doc, version))
}

/// Distinct spec URLs a listing names.
fn count_named(listing: &Value) -> usize {
    let mut urls = HashSet::new();
    for api in listing
        .get("apis")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for prop in api
            .get("properties")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let kind = text(prop.get("type"))
                .unwrap_or_default()
                .to_ascii_lowercase();
            if kind.contains("openapi") || kind.contains("swagger") {
                if let Some(url) = text(prop.get("url")) {
                    urls.insert(url);
                }
            }
        }
    }
    urls.len()
}
