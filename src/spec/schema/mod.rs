//! Schemas, ready for the `jsonschema` crate: the bundle built while an API is read, the
//! validators compiled from it, and the small interface downstream reads schemas through.
//!
//! May import `error` and `spec::refs`.

mod builder;
mod schemas;
mod view;

pub(crate) use builder::SchemaBuilder;
pub use schemas::{spec_pointer, Dialect, Direction, SchemaRef, Schemas, Validator};
pub use view::SchemaPart;
