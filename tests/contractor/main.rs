//! contractor's integration tests, one binary (`cargo test --test contractor`), one module per
//! area. `support` holds the small DSL they share: fixture paths, running the binary, the
//! shared corpus (`../shared`, beside the repo in CI), tests that say when they could not run
//! (a failure under `CI=true`), goldens (`UPDATE_GOLDENS=1` rewrites them), the one helper
//! that starts and stops a `contractor stub` process, and a scripted loopback server.

mod support;

mod adapters;
mod attribution;
mod chains;
mod classroom;
mod corpus;
mod coverage;
mod coverage_and_rate;
mod faults;
mod gates;
mod house;
mod interrupts;
mod lint;
mod loader;
mod loopback;
mod messy;
mod oracle;
mod real_servers;
mod recipes;
mod redirects;
mod remote;
mod report_text;
mod review_regressions;
mod scenarios;
mod self_consistency;
mod semantics;
mod settings_file;
mod spec_stub;
mod stale;
mod stub_command;
mod stub_validation;
mod suite;
mod terminal;
