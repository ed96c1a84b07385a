//! Scenarios: generation from the spec (operation x documented outcome x variant), the
//! scenario-file format, and the values requests carry. Pure and deterministic: no I/O but
//! reading scenario files. May import `spec` and `error`.

mod file;
mod generate;
mod model;
pub mod synth;

pub use file::{load_dir, load_file, merge, ScenarioFile};
pub use generate::{generate, Coverage, GenerateOptions, CAP_PER_OPERATION};
pub use model::{
    any_of, CaptureFrom, Origin, Outcome, Probe, Scenario, Step, StepExpect, Tags,
    INVALID_CREDENTIAL, INVALID_IDENTITY,
};
