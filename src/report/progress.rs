//! On a terminal: a progress bar instead of a line per trial, failures printed above it as
//! they come.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Runs `run` for every `(index, id)` in `selected` on `workers` threads under a progress bar
/// on stderr; a failure's text is printed above the bar. True when one failed.
pub fn run_with_progress(
    selected: &[(usize, &str)],
    workers: usize,
    run: impl Fn(usize) -> Result<(), String> + Sync,
) -> bool {
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(selected.len() as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:32} {pos}/{len} scenarios  {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, 64) {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::SeqCst);
                let Some(&(i, id)) = selected.get(k) else {
                    break;
                };
                bar.set_message(id.to_owned());
                if let Err(text) = run(i) {
                    failed.store(true, Ordering::SeqCst);
                    bar.println(format!("FAILED {id}\n{text}"));
                }
                bar.inc(1);
            });
        }
    });
    bar.finish_and_clear();
    failed.load(Ordering::SeqCst)
}
