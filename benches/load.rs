//! Load time and peak heap of the spec loader on large real specs.
//!
//! `cargo bench --bench load` prints, per spec: file size, median load time (resolved and
//! modelled, schemas bundled, no validator compiled), peak heap during one load, and the
//! ratio of peak heap to file size; then the time to compile the first response validator.
//! Corpus specs are read from `../shared/corpus` and skipped, with a note, when it is absent.
//! Targets (issue 2): Twilio loads in well under a second with peak heap under 10x its size.
#![allow(unsafe_code)] // the counting allocator below

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use contractor::spec::{self, Direction, LoadOptions};

/// Counts live heap bytes and the peak since the last reset.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                let now = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                    + (new_size - layout.size());
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let runs = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(7);
    println!(
        "{:<28} {:>10} {:>11} {:>11} {:>9} {:>8} {:>14}",
        "spec", "bytes", "median ms", "peak heap", "peak/size", "ops", "1st validator"
    );
    for (name, path) in specs(root) {
        measure(name, &path, runs);
    }
}

/// The shipped spec, and the large corpus specs when the corpus is present.
fn specs(root: &Path) -> Vec<(&'static str, PathBuf)> {
    let corpus = root.join("../shared/corpus");
    let mut specs = vec![(
        "classroom invitations (ours)",
        root.join("specs/google-classroom/invitations.yaml"),
    )];
    if corpus.is_dir() {
        specs.push(("twilio 3.0.1", corpus.join("large/twilio_api_v2010.yaml")));
        specs.push((
            "discord 3.1.0",
            corpus.join("openapi31/discord-openapi.json"),
        ));
        specs.push((
            "classroom 3.0.0",
            corpus.join("openapi3/googleapis-classroom-v1.yaml"),
        ));
        specs.push((
            "classroom swagger 2.0",
            corpus.join("swagger2/googleapis-classroom-v1-swagger.yaml"),
        ));
    } else {
        println!(
            "note: {} is absent; benchmarking the shipped spec only",
            corpus.display()
        );
    }
    specs
}

/// Loads `path` `runs` times and prints one row: median time, peak heap, operations, and the
/// first validator's compile time.
fn measure(name: &str, path: &Path, runs: usize) {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut times = Vec::new();
    let mut peak = 0;
    let mut ops = 0;
    let mut first_validator = Duration::ZERO;
    for i in 0..runs {
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let start = Instant::now();
        let loaded = match spec::load(path, &LoadOptions::default()) {
            Ok(l) => l,
            Err(e) => {
                println!("{name}: failed to load: {e}");
                break;
            }
        };
        times.push(start.elapsed());
        peak = peak.max(PEAK.load(Ordering::Relaxed) - base);
        ops = loaded
            .apis
            .iter()
            .map(|a| a.operations.len())
            .sum::<usize>();
        if i == 0 {
            first_validator = time_first_validator(name, &loaded.apis[0]);
        }
    }
    if times.is_empty() {
        return;
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{:<28} {:>10} {:>11.1} {:>9.1}MB {:>8.1}x {:>8} {:>11.1} ms",
        name,
        size,
        median.as_secs_f64() * 1e3,
        peak as f64 / 1e6,
        peak as f64 / size.max(1) as f64,
        ops,
        first_validator.as_secs_f64() * 1e3
    );
}

/// The time to compile the first response validator, which pays for registering the bundle.
fn time_first_validator(name: &str, api: &contractor::Api) -> Duration {
    let schema = api.operations.iter().find_map(|op| {
        op.responses
            .iter()
            .flat_map(|r| r.content.iter())
            .find_map(|m| m.schema.clone())
    });
    let Some(schema) = schema else {
        return Duration::ZERO;
    };
    let start = Instant::now();
    if let Err(e) = api.schemas.validator(&schema, Direction::Response) {
        println!("{name}: {e}");
    }
    start.elapsed()
}
