//! Scenarios: generation from the spec (operation x documented outcome x variant) and the
//! values requests carry. Pure and deterministic. May import `spec` and `error`.

pub mod synth;
