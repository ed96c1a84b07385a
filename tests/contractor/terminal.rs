//! Progress bar and colour on a terminal; plain lines on a pipe.

use std::process::Command;

use crate::support::*;

/// Runs `contractor ARGS` under a pseudo-terminal (`script`), with extra environment.
fn on_a_terminal(args: &str, env: &[(&str, &str)]) -> Option<String> {
    if !have_tool(
        "script",
        &["--version"],
        "util-linux's `script` gives the run a pseudo-terminal",
    ) {
        return None;
    }
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_contractor"));
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &command, "/dev/null"])
        .current_dir(manifest_dir());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("script");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_terminal_gets_a_progress_bar_and_colour_and_no_color_turns_colour_off() {
    let Some(text) = on_a_terminal("run --filter get::", &[]) else {
        return;
    };
    assert!(text.contains("scenarios"), "{text}");
    assert!(
        !text.contains("test [read-only]"),
        "no line per trial on a terminal: {text}"
    );
    assert!(text.contains("\u{1b}[32m"), "green summary: {text:?}");
    let plain = on_a_terminal("run --filter get::", &[("NO_COLOR", "1")]).expect("script");
    assert!(
        !plain.contains("\u{1b}[32m") && plain.contains("passed, 0 failed"),
        "{plain:?}"
    );
}

#[test]
fn a_pipe_gets_plain_libtest_lines_and_no_colour() {
    let (code, out, _) = contractor(&["run", "--filter", "get::"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("test [read-only]") && !out.contains('\u{1b}'),
        "{out}"
    );
}
