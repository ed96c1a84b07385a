//! Running scenarios: the HTTP client (reqwest, keep-alive), identities, the safety gate for
//! shared environments, retries on 429 and 503, Ctrl-C handling, and the exchanges each step
//! yields. Never prints, but for the interrupt notices. May import `scenario` and `spec`.

pub mod credentials;
mod exchange;
mod execute;
mod identities;
pub mod interrupt;
pub mod safety;
mod target;

pub use exchange::{Exchange, ReceivedResponse, SendError, SentRequest};
pub use execute::{build, execute, interpolate, send, ScenarioRun, StepRun};
pub use identities::Identities;
pub use target::{base_url, is_loopback, probe, Connections, Limiter, Target};
