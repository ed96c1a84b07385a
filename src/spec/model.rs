//! The small model the rest of the crate reads, whatever the input format was.
//!
//! Nothing here knows Swagger 2.0, OpenAPI 3.0 or 3.1: `spec/` adapts all of them into these
//! types. Schemas live in one [`Schemas`] bundle per API and are named by [`SchemaRef`].

use std::fmt;
use std::path::PathBuf;

use crate::error::{Diagnostic, Location};
use crate::spec::schema::{SchemaRef, Schemas};

/// The description format an [`Api`] was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecVersion {
    /// Swagger 2.0.
    Swagger2,
    /// OpenAPI 3.0.x, with the exact version string.
    OpenApi30(String),
    /// OpenAPI 3.1.x, with the exact version string.
    OpenApi31(String),
}

impl fmt::Display for SpecVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecVersion::Swagger2 => f.write_str("Swagger 2.0"),
            SpecVersion::OpenApi30(v) | SpecVersion::OpenApi31(v) => write!(f, "OpenAPI {v}"),
        }
    }
}

/// One HTTP API: its operations and the schemas they use.
#[derive(Debug)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`, as text even when the document wrote a number.
    pub version: String,
    /// Which format it was read from.
    pub spec_version: SpecVersion,
    /// The file it was read from (the first one, for an API merged from a listing).
    pub source: PathBuf,
    /// Base URLs, in the document's order.
    pub servers: Vec<Server>,
    /// Every operation, in document order.
    pub operations: Vec<Operation>,
    /// Security schemes by name.
    pub security_schemes: Vec<SecurityScheme>,
    /// The schema bundle that every [`SchemaRef`] in this API points into.
    pub schemas: std::sync::Arc<Schemas>,
    /// The resource graph, built the first time it is asked for (after loading is done).
    pub(crate) graph: std::sync::OnceLock<crate::spec::Graph>,
}

impl Api {
    /// The resource graph of the API ([`crate::spec::Graph`]), built once: generation and
    /// every stub of a run share it. Operations changed after the first call are not seen.
    pub fn graph(&self) -> &crate::spec::Graph {
        self.graph.get_or_init(|| crate::spec::Graph::of(self))
    }

    /// The operation with this id.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.id == id)
    }

    /// The path of each server URL, relative or absolute, where it has one (`/v1` for
    /// Swagger's `basePath: /v1` or for `servers: [{url: /api}]`), in the document's order.
    pub fn base_paths(&self) -> Vec<String> {
        self.servers.iter().filter_map(Server::path).collect()
    }

    /// The base path requests go under: the first server's (OpenAPI's default server), when it
    /// has one.
    pub fn base_path(&self) -> Option<String> {
        self.servers.first().and_then(Server::path)
    }
}

/// A base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The URL with server variables replaced by their defaults.
    pub url: String,
    /// The server's description, if any.
    pub description: Option<String>,
}

impl Server {
    /// The URL's path without a trailing slash, when it has one other than `/`. A URL with a
    /// variable that has no default has none.
    pub fn path(&self) -> Option<String> {
        let path = match self.url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
            None => self.url.as_str(),
        };
        let path = path.split(['?', '#']).next().unwrap_or("");
        let path = path.trim_end_matches('/');
        (!path.is_empty() && !path.contains('{')).then(|| path.to_owned())
    }
}

/// A security scheme from `components/securitySchemes` (or `securityDefinitions`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its name in the document.
    pub name: String,
    /// `http`, `apiKey`, `oauth2`, `openIdConnect`, `mutualTLS` (Swagger's `basic` becomes `http`).
    pub kind: String,
    /// For `http`: the scheme (`bearer`, `basic`). For `apiKey`: where (`header`, `query`, `cookie`).
    pub scheme: Option<String>,
    /// For `apiKey`: the header, query or cookie name.
    pub param_name: Option<String>,
}

/// One alternative of a security requirement: scheme names with their scopes.
pub type SecurityRequirement = Vec<(String, Vec<String>)>;

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// Every method, in the order OpenAPI lists them in a path item.
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    /// The lowercase key used in a path item.
    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
        }
    }

    /// The uppercase name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One operation: a method on a path template.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`, or `METHOD /path` when the document gives none.
    pub id: String,
    /// True when `id` was derived because the document has no `operationId`.
    pub id_derived: bool,
    /// The method.
    pub method: Method,
    /// The path template, e.g. `/v1/invitations/{id}:accept`.
    pub path: String,
    /// `summary`, if any.
    pub summary: Option<String>,
    /// `description`, if any.
    pub description: Option<String>,
    /// Path-level and operation-level parameters merged (the operation's win).
    pub parameters: Vec<Parameter>,
    /// The request body, if the operation takes one.
    pub request_body: Option<RequestBody>,
    /// Documented responses, in document order.
    pub responses: Vec<ResponseSpec>,
    /// Alternatives of security requirements (empty: none required).
    pub security: Vec<SecurityRequirement>,
    /// Documented error codes, from `responses` and from prose.
    pub error_codes: Vec<ErrorCode>,
    /// Tags.
    pub tags: Vec<String>,
    /// Whether the document marks it deprecated.
    pub deprecated: bool,
    /// Where the operation is defined.
    pub location: Location,
}

impl Operation {
    /// The documented successes, each with the status it stands for: the 2xx codes lowest
    /// first, then a `2XX` range as 200.
    pub fn successes(&self) -> Vec<(u16, &ResponseSpec)> {
        let mut codes: Vec<(u16, &ResponseSpec)> = self
            .responses
            .iter()
            .filter_map(|r| match r.status {
                StatusKey::Code(c) if (200..300).contains(&c) => Some((c, r)),
                _ => None,
            })
            .collect();
        codes.sort_by_key(|(c, _)| *c);
        codes.extend(
            self.responses
                .iter()
                .filter(|r| r.status == StatusKey::Range(2))
                .map(|r| (200, r)),
        );
        codes
    }

    /// The response documented for this exact status: the code, else its range, else `default`.
    pub fn response_for(&self, status: u16) -> Option<&ResponseSpec> {
        let exact = self
            .responses
            .iter()
            .find(|r| r.status == StatusKey::Code(status));
        let range = || {
            self.responses
                .iter()
                .find(|r| r.status == StatusKey::Range((status / 100) as u8))
        };
        let default = || {
            self.responses
                .iter()
                .find(|r| r.status == StatusKey::Default)
        };
        exact.or_else(range).or_else(default)
    }

    /// Whether the operation needs credentials: it has a security requirement and none of its
    /// alternatives is the empty one (`security: []` or `- {}` makes credentials optional).
    pub fn needs_credentials(&self) -> bool {
        !self.security.is_empty() && !self.security.iter().any(Vec::is_empty)
    }

    /// Where `status` is documented for this operation: its response (exactly, by range or
    /// by `default`), else an error code documented in prose (or a listing) with that status.
    /// `None` when the operation documents it nowhere.
    pub fn documentation_of(&self, status: u16) -> Option<&Location> {
        self.response_for(status).map(|r| &r.location).or_else(|| {
            self.error_codes
                .iter()
                .find(|c| c.http_status == Some(status))
                .map(|c| &c.location)
        })
    }

    /// Every status documented for the operation, as the document writes them: the response
    /// keys (`200`, `4XX`, `default`), then the statuses of error codes documented only in prose.
    pub fn documented_statuses(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .responses
            .iter()
            .map(|r| r.status.to_string())
            .collect();
        for code in &self.error_codes {
            let Some(status) = code.http_status else {
                continue;
            };
            let text = status.to_string();
            if self.response_for(status).is_none() && !keys.contains(&text) {
                keys.push(text);
            }
        }
        keys
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

impl ParamLocation {
    /// The `in` value of the document.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// A path, query, header or cookie parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Its name.
    pub name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Required (always true for a path parameter).
    pub required: bool,
    /// Its schema (unconstrained when the document gives neither schema nor type).
    pub schema: Option<SchemaRef>,
    /// Serialization style (`form`, `simple`, ...), defaulted as OpenAPI 3 defines.
    pub style: String,
    /// Whether arrays and objects explode, defaulted as OpenAPI 3 defines.
    pub explode: bool,
    /// Its description.
    pub description: Option<String>,
    /// Its examples (`example`, `examples`, Swagger's `x-example`), only those that fit its
    /// schema as they would be sent: the loader warns about the others and drops them.
    pub examples: Vec<Example>,
    /// Where it is defined.
    pub location_in_spec: Location,
}

impl Parameter {
    /// The first example, a valid value to send.
    pub fn example(&self) -> Option<&serde_json::Value> {
        self.examples.first().map(|e| &e.value)
    }

    /// Whether the spec shows a value for it: an example, or a schema `enum`, `const`,
    /// `example`, `examples` or `default` (a value to send rather than one to invent).
    pub fn shows_a_value(&self, schemas: &Schemas) -> bool {
        self.example().is_some()
            || self
                .schema
                .as_ref()
                .and_then(|s| schemas.get(s))
                .is_some_and(|v| {
                    ["enum", "const", "example", "examples", "default"]
                        .iter()
                        .any(|k| schemas.keyword(v, k).is_some())
                })
    }
}

/// A documented example value.
#[derive(Debug, Clone)]
pub struct Example {
    /// Its name (the single `example` is named `default`).
    pub name: String,
    /// The value.
    pub value: serde_json::Value,
    /// Where the value is in the document.
    pub location: Location,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// Whether the body is required.
    pub required: bool,
    /// Media types it accepts, in document order.
    pub content: Vec<MediaType>,
    /// Where it is defined.
    pub location: Location,
}

/// One media type of a body, with its schema.
#[derive(Debug, Clone)]
pub struct MediaType {
    /// E.g. `application/json`.
    pub name: String,
    /// The schema, when the document gives one.
    pub schema: Option<SchemaRef>,
    /// Named examples, only those that fit the schema (in the direction of the body they
    /// belong to): the loader warns about the others and drops them.
    pub examples: Vec<Example>,
}

impl MediaType {
    /// The example named `name` when there is one, else the first.
    pub fn example(&self, name: Option<&str>) -> Option<&serde_json::Value> {
        name.and_then(|n| self.examples.iter().find(|e| e.name == n))
            .or_else(|| self.examples.first())
            .map(|e| &e.value)
    }
}

/// A response key: a status code, a range such as `4XX`, or `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusKey {
    /// An exact status.
    Code(u16),
    /// A range: `Range(4)` is `4XX`.
    Range(u8),
    /// `default`.
    Default,
}

impl StatusKey {
    /// Reads a response key as documents write it: `200`, `4XX`, `4xx`, `default`.
    pub fn parse(key: &str) -> Option<StatusKey> {
        let key = key.trim();
        if key.eq_ignore_ascii_case("default") {
            return Some(StatusKey::Default);
        }
        let bytes = key.as_bytes();
        if bytes.len() == 3 && (b'1'..=b'5').contains(&bytes[0]) {
            if bytes[1..].iter().all(|b| b.is_ascii_digit()) {
                return key.parse().ok().map(StatusKey::Code);
            }
            if bytes[1..].eq_ignore_ascii_case(b"xx") {
                return Some(StatusKey::Range(bytes[0] - b'0'));
            }
        }
        None
    }

    /// Whether this key documents an error (4xx or 5xx; `default` does not count).
    pub fn is_error(self) -> bool {
        match self {
            StatusKey::Code(c) => c >= 400,
            StatusKey::Range(r) => r >= 4,
            StatusKey::Default => false,
        }
    }
}

impl fmt::Display for StatusKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusKey::Code(c) => write!(f, "{c}"),
            StatusKey::Range(r) => write!(f, "{r}XX"),
            StatusKey::Default => f.write_str("default"),
        }
    }
}

/// One documented response.
#[derive(Debug, Clone)]
pub struct ResponseSpec {
    /// Its key.
    pub status: StatusKey,
    /// Its description.
    pub description: String,
    /// Media types, in document order (empty: no body documented).
    pub content: Vec<MediaType>,
    /// Documented headers.
    pub headers: Vec<HeaderSpec>,
    /// OpenAPI 3 `links`: operations this response gives parameter values to.
    pub links: Vec<Link>,
    /// Where it is defined (the response object itself, after `$ref`).
    pub location: Location,
}

/// An OpenAPI 3 link: values from a response that another operation takes as parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The operation it leads to: its `operationId`, or the operation an `operationRef` of
    /// the form `#/paths/{path}/{method}` points at, as `METHOD /path`.
    pub target: String,
    /// Parameter name (an optional `path.`/`query.` prefix removed) and its runtime
    /// expression, e.g. `("petId", "$response.body#/id")`.
    pub parameters: Vec<(String, String)>,
}

/// A documented response header.
#[derive(Debug, Clone)]
pub struct HeaderSpec {
    /// Its name.
    pub name: String,
    /// Whether it must be present.
    pub required: bool,
    /// Its schema.
    pub schema: Option<SchemaRef>,
}

/// Where an [`ErrorCode`] was documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorSource {
    /// A 4xx/5xx entry of `responses`.
    Response,
    /// The operation's description, in Google's prose convention.
    Prose,
    /// Both.
    Both,
}

/// A documented error outcome: a Google code such as `ALREADY_EXISTS`, or a bare status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCode {
    /// `ALREADY_EXISTS`, or the status (`404`, `4XX`) when no code is documented.
    pub name: String,
    /// The HTTP status it comes with (none for a range such as `4XX`).
    pub http_status: Option<u16>,
    /// The condition the documentation gives, e.g. "if the course or the user does not exist."
    pub condition: String,
    /// Named request errors, e.g. `CourseNotModifiable`.
    pub reasons: Vec<String>,
    /// Where it is documented (the first place, when both).
    pub location: Location,
    /// Whether it came from `responses`, prose, or both.
    pub source: ErrorSource,
}

/// What loading one input gave: the APIs in it and everything worth saying.
#[derive(Debug)]
pub struct Loaded {
    /// The file the user named.
    pub source: PathBuf,
    /// What kind of input it was.
    pub kind: InputKind,
    /// The APIs (one for a spec; one per distinct server for a listing).
    pub apis: Vec<Api>,
    /// Warnings (errors become [`crate::Error`] instead).
    pub diagnostics: Vec<Diagnostic>,
}

/// The kind of input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputKind {
    /// An API description.
    Spec,
    /// An API listing (APIs.json), with its `specificationVersion` and how many specs it named.
    Listing {
        /// `specificationVersion`, if given.
        version: Option<String>,
        /// Distinct spec URLs named.
        specs: usize,
        /// How many of them were found and loaded.
        loaded: usize,
    },
}
