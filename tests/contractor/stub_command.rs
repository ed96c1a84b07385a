//! The `contractor stub` command: serving, listing and selecting mutants.

use crate::support::*;

#[test]
fn serves_the_classroom_emulator_on_loopback_and_stops_on_sigterm() {
    contractor::install_crypto_provider();
    let stub = StubProcess::start(&[]);
    let (url, banner) = (&stub.url, &stub.banner);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(
        banner.iter().any(|l| l.contains("fixture-token-teacher")),
        "prints tokens: {banner:?}"
    );
    let client = reqwest::blocking::Client::new();
    let r = client
        .get(format!("{url}/v1/invitations?userId=me"))
        .bearer_auth("fixture-token-invitee")
        .send()
        .expect("request");
    assert_eq!(r.status().as_u16(), 200);
    let exit = stub.stop();
    assert!(
        exit.is_some_and(|s| s.success()),
        "stub exited with {exit:?}"
    );
}

#[test]
fn mutants_are_listed_and_selectable() {
    let (code, out, _) = contractor(&["stub", "--list-mutants"]);
    assert_eq!(code, 0);
    for m in contractor::stub::Mutant::ALL {
        assert!(out.contains(m.name()) && out.contains(m.clause()), "{out}");
    }
    let (code, _, err) = contractor(&["stub", "--mutant", "slow_response", "--port", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean 'slow_responses'"), "{err}");
    contractor::install_crypto_provider();
    let stub = StubProcess::start(&["--mutant", "server_error_on_list"]);
    assert!(stub
        .banner
        .iter()
        .any(|l| l.contains("mutants: server_error_on_list")));
    let r = reqwest::blocking::Client::new()
        .get(format!("{}/v1/invitations?userId=me", stub.url))
        .bearer_auth("fixture-token-invitee")
        .send()
        .expect("request");
    assert_eq!(r.status().as_u16(), 500);
}

#[test]
fn spec_driven_stub_refuses_emulator_only_mutants() {
    let (code, _, err) = contractor(&[
        "stub",
        "--spec",
        "tests/fixtures/split/spec/api.yaml",
        "--mutant",
        "accept_keeps_invitation",
        "--port",
        "0",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("needs the google-classroom emulator"), "{err}");
}

/// `contractor stub` prints what the suite needs to run against it (issue 9): an `export` per
/// identity, `default` included, and the complete command. Pasted as printed, it passes.
/// Starts `contractor stub ARGS`, pastes the `export` lines and the `contractor run` line it
/// prints, and returns the run's exit code and output.
fn paste_and_run(args: &[&str]) -> (Option<i32>, String, String) {
    let stub = StubProcess::start(args);
    let mut env = Vec::new();
    let mut command_line = None;
    for line in &stub.banner {
        let line = line.trim();
        if let Some(export) = line.strip_prefix("export ") {
            let (name, value) = export.split_once('=').expect("NAME=value");
            env.push((name.to_owned(), value.trim_matches('\'').to_owned()));
        } else if let Some(rest) = line.strip_prefix("contractor run ") {
            command_line = Some(rest.to_owned());
        }
    }
    assert!(
        env.iter().any(|(n, _)| n == "CONTRACTOR_IDENTITY_DEFAULT"),
        "{:?}",
        stub.banner
    );
    let command_line = command_line.expect("a contractor run line");
    let mut run = vec!["run"];
    run.extend(command_line.split(' ').map(|a| a.trim_matches('\'')));
    let result = command(&run).envs(env).output().expect("run");
    stub.stop();
    (
        result.status.code(),
        String::from_utf8_lossy(&result.stdout).into_owned(),
        command_line,
    )
}

#[test]
fn the_printed_exports_and_command_run_the_suite_against_the_stub() {
    let (code, out, command_line) = paste_and_run(&[]);
    assert_eq!(code, Some(0), "{command_line}\n{out}");
    assert!(
        out.contains("42 scenarios: 42 passed, 0 failed, 0 ignored"),
        "{out}"
    );
}

/// The spec-driven stub prints the identity without rights and a `--fixture-value` for each
/// item the spec cannot create: pasted, the generated suite runs with nothing ignored.
#[test]
fn a_spec_stub_prints_the_fixture_values_its_suite_needs() {
    let spec = "tests/fixtures/chains/standing.yaml";
    let (code, out, command_line) = paste_and_run(&["--spec", spec]);
    assert!(
        command_line.contains("--fixture-value report_id="),
        "{command_line}"
    );
    assert!(
        command_line.contains("--fixture-value albums_id="),
        "{command_line}"
    );
    assert_eq!(code, Some(0), "{command_line}\n{out}");
    assert!(out.contains("0 failed, 0 ignored"), "{out}");
}
