//! House rules the tree itself must keep: source files outside `tests/` stay small enough to
//! read in one sitting (function length is clippy's `too_many_lines`, set in `clippy.toml`).

use std::path::{Path, PathBuf};

use crate::support::manifest_dir;

/// The longest a source file outside `tests/` may be, in lines.
const MAX_FILE_LINES: usize = 800;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_source_file_outside_tests_is_longer_than_800_lines() {
    let mut files = Vec::new();
    for dir in ["src", "benches"] {
        rust_files(&manifest_dir().join(dir), &mut files);
    }
    assert!(files.len() > 10, "found only {} source files", files.len());
    let long: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let lines = std::fs::read_to_string(path).ok()?.lines().count();
            (lines > MAX_FILE_LINES).then(|| format!("{} ({lines} lines)", path.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these files: {long:#?}");
}
