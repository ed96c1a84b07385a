//! The async runtime a run drives its network work on, and the reachability probe of its
//! target, both before any scenario starts.

use std::time::Duration;

use crate::config::Config;
use crate::error::Error;
use crate::report::mask_url;

/// A multi-thread runtime, built in a plain function (never inside another runtime).
pub fn new_runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)
}

/// Probes the target, when there is one: a target that cannot be reached is a setup error,
/// not a thousand failed checks.
pub fn probe_target(runtime: &tokio::runtime::Runtime, config: &Config) -> Result<(), Error> {
    let Some(url) = &config.target else {
        return Ok(());
    };
    runtime
        .block_on(crate::run::probe(url, Duration::from_secs(10)))
        .map_err(|reason| Error::UnreachableTarget {
            url: mask_url(url),
            reason,
        })
}
