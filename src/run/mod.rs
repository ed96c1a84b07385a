//! Running scenarios: the HTTP client (reqwest, keep-alive), identities, retries on 429 and
//! 503, and the exchanges each step yields. Never prints. May import `scenario`, `spec` and
//! `error`.

mod exchange;
mod execute;

pub use exchange::{Exchange, ReceivedResponse, SentRequest};
pub use execute::{
    build, execute, interpolate, is_loopback, probe, send, Identities, Limiter, ScenarioRun,
    StepRun, Target,
};
