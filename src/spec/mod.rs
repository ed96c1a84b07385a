//! Loading every input format into one small model: OpenAPI 3.0 and 3.1, Swagger 2.0 (upgraded
//! by our own code), YAML, JSON, Markdown front matter, and API listings; `$ref` resolution;
//! error codes from `responses` and from Google-style prose; schemas ready for `jsonschema`.
//!
//! Downstream sees only the model: nothing outside this module knows which format an input
//! was. May import `error` only.

mod codes;
mod examples;
mod lines;
mod listing;
pub mod lists;
mod load;
mod model;
mod openapi;
pub mod prose;
mod reader;
mod refs;
mod resources;
mod schema;
mod source;
mod swagger;

pub use load::{load, LoadOptions};
pub use model::{
    Api, ErrorCode, ErrorSource, Example, HeaderSpec, InputKind, Link, Loaded, MediaType, Method,
    Operation, ParamLocation, Parameter, RequestBody, ResponseSpec, SecurityRequirement,
    SecurityScheme, Server, SpecVersion, StatusKey,
};
pub use refs::percent_decode;
pub use resources::{
    fixture_name, id_candidates, names_an_item, Graph, IdSource, Producer, Resource,
};
pub use schema::{spec_pointer, Dialect, Direction, SchemaPart, SchemaRef, Schemas, Validator};
pub use source::MAX_INPUT_BYTES;
