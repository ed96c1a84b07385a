//! Values synthesized from schemas: a deterministic JSON value that validates against a schema
//! of a loaded API, for a request (no `readOnly` properties) or a response (no `writeOnly` ones).
//!
//! At every level an `example`, `examples[0]`, `default`, `const` or the first `enum` value wins
//! when it fits; otherwise a value is built from the types and constraints, with a small
//! generator for simple regular expressions. A seed varies strings and numbers without breaking
//! validity. Recursion, sizes and work are bounded, so cyclic or huge schemas end.
//!
//! One file per job: `value` the entry points, `flat` the schemas merged into one place,
//! `build` and `shapes` the value generation, `fits` the "does this value fit" test,
//! `formats` strings in known formats, `regex` strings for simple patterns.
//!
//! Reads schemas only through `spec::Schemas`; never sees which OpenAPI version a spec was.
//! May import `spec`.

mod build;
mod fits;
mod flat;
mod formats;
mod regex;
mod shapes;
mod value;

pub use formats::base64;
pub use value::{
    is_never_created, known_item, never_created, standing_values, synthesize, valid_value, Fill,
};

#[cfg(test)]
mod tests;
