//! A suite: the API, its scenarios, and the target they run against, assembled from a
//! [`Config`](crate::config::Config) in small steps (load the API, gather scenarios, choose
//! the target, gate them), and run one scenario at a time; which scenarios an earlier one's
//! failed setup blocks. `contractor replay` lives here too.
//! May import every module but `harness`.

mod assemble;
mod blocking;
mod execute;
mod replay;
mod runtime;

pub use assemble::Suite;
pub use blocking::SetupLedger;
pub use execute::Ran;
pub use replay::replay;
pub use runtime::{new_runtime, probe_target};
