//! `contractor.toml`: target, fixture and identity variables.

use crate::support::*;

#[test]
fn contractor_toml_names_target_fixture_and_identity_variables() {
    let stub = StubProcess::start(&[]);
    let url = &stub.url;
    let fixture = contractor::stub::classroom::Fixture::shipped();
    let dir = tmp_dir("toml");
    let mut toml = format!(
        "target = \"{url}\"\nspec = \"{}\"\nfixture = \"{}\"\nconcurrency = 1\ntimeout = 10\n[identities]\n",
        manifest_dir().join(CLASSROOM_SPEC).display(),
        manifest_dir().join(CLASSROOM_FIXTURE).display(),
    );
    for name in fixture.users.keys().map(String::as_str).chain(["default"]) {
        toml.push_str(&format!(
            "{name} = \"STAGING_{}\"\n",
            name.to_ascii_uppercase()
        ));
    }
    std::fs::write(dir.join("contractor.toml"), toml).expect("write");
    // Without the variables, `list` says which to set.
    let listed = command(&["list"]).current_dir(&dir).output().expect("list");
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(text.contains("set STAGING_TEACHER"), "{text}");
    // With them, the whole suite runs from the settings file alone.
    let mut run = command(&["run"]);
    run.current_dir(&dir);
    with_identities(&mut run, &fixture, "STAGING_");
    let result = run.output().expect("run");
    let text = String::from_utf8_lossy(&result.stdout);
    stub.stop();
    std::fs::remove_dir_all(&dir).expect("cleanup");
    assert_eq!(result.status.code(), Some(0), "{text}");
    assert!(text.contains("42 passed; 0 failed; 0 ignored"), "{text}");
}
