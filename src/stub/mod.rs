//! The stub: contractor's own target, and the choice of embedded target for a run. A
//! [`Responder`] is plain code (a request in, a response out); two adapters serve it: wiremock in-process (the embedded default target and the test
//! suites) and hyper for the long-running `contractor stub` command, whose memory stays flat.
//!
//! May import `spec` and `scenario`; never `run`, `check` or `report`.

#[cfg(test)]
mod adapter_contract;
pub mod classroom;
mod embedded;
mod exchange;
pub mod generic;
pub mod http;
pub mod mutants;
pub mod router;
pub mod wiremock_adapter;

pub use classroom::Emulator;
pub use embedded::{emulated, Embedded, UNPRIVILEGED};
pub use exchange::{Responder, StubRequest, StubResponse};
pub use generic::SpecStub;
pub use mutants::Mutant;
