//! The spec-driven stub for any API without an emulator: routes each operation, validates the
//! request (required parameters, parameter schemas and formats, integer widths, cookies, the
//! body's media type and schema, JSON, form or XML, credentials: only those it issued, when
//! started knowing them) and refuses it with the documented 400/422, 401, 406 for an `Accept`
//! it cannot meet or 415 for an undeclared body type (Google's error body for an API with
//! Google error codes) when it is invalid; otherwise
//! the lowest documented 2xx (else 3xx, with a `Location`) with the operation's example, else a
//! body synthesized from the schema that validates against it.
//! `Prefer: code=404` or `Prefer: example=NAME` picks a documented response, as Prism does.
//! Resources with a create/read/delete shape (POST on a collection, GET and DELETE on `{id}`
//! below it) are kept in memory, so create-then-get and delete-then-get behave.
//!
//! May import `spec`, `scenario::synth` and the rest of `stub`.

mod bounds;
mod media;
mod reject;
mod resources;
mod stub;
mod validate;
mod xml;

pub use stub::SpecStub;
