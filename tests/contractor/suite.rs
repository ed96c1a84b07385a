//! The scenario suite: proof that it passes, and that it kills every mutant.

use crate::support::*;

use contractor::harness::{Config, Verdict};
use contractor::stub::Mutant;
use std::collections::BTreeSet;
use std::time::Duration;

#[test]
fn the_shipped_suite_passes_against_the_emulator_with_nothing_ignored() {
    let results = run_suite(&Config::default());
    assert!(results.len() >= 30, "{}", results.len());
    let bad: Vec<String> = results
        .iter()
        .filter(|(_, v)| !matches!(v, Verdict::Passed))
        .map(|(id, v)| format!("{id}: {v:?}"))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    // Every operation x error code x reason of the seed is exercised.
    let ids: Vec<&str> = results.iter().map(|(id, _)| id.as_str()).collect();
    let expected = [
        "classroom.invitations.list::PERMISSION_DENIED",
        "classroom.invitations.create::PERMISSION_DENIED",
        "classroom.invitations.create::NOT_FOUND",
        "classroom.invitations.create::FAILED_PRECONDITION",
        "classroom.invitations.create::ALREADY_EXISTS",
        "classroom.invitations.get::PERMISSION_DENIED",
        "classroom.invitations.get::NOT_FOUND",
        "classroom.invitations.delete::PERMISSION_DENIED",
        "classroom.invitations.delete::NOT_FOUND",
        "classroom.invitations.accept::PERMISSION_DENIED",
        "classroom.invitations.accept::NOT_FOUND",
        "classroom.invitations.accept::FAILED_PRECONDITION.CourseMemberLimitReached",
        "classroom.invitations.accept::FAILED_PRECONDITION.CourseNotModifiable",
        "classroom.invitations.accept::FAILED_PRECONDITION.CourseTeacherLimitReached",
        "classroom.invitations.accept::FAILED_PRECONDITION.UserGroupsMembershipLimitReached",
    ];
    for prefix in expected {
        assert!(
            ids.iter().any(|id| id.starts_with(&format!("{prefix}::"))),
            "no scenario for {prefix}"
        );
    }
}

/// The check meant to catch each mutant.
fn catcher(m: Mutant) -> &'static [&'static str] {
    match m {
        Mutant::WrongSuccessStatus | Mutant::UndocumentedStatus => &["status_code_conformance"],
        Mutant::MissingRequiredField | Mutant::WrongFieldType | Mutant::EnumOutOfRange => {
            &["response_schema_conformance"]
        }
        Mutant::WrongContentType => &["content_type_conformance"],
        Mutant::WrongErrorStatus | Mutant::MissingReasonPrefix => &["error_code_conformance"],
        Mutant::DuplicateCreateAccepted | Mutant::PermissionsNotEnforced => {
            &["status_code_conformance"]
        }
        Mutant::AcceptKeepsInvitation | Mutant::DeleteKeepsInvitation => &["use_after_free"],
        Mutant::ServerErrorOnList => &["not_a_server_error"],
        Mutant::SlowResponses => &["max_response_time"],
    }
}

#[test]
fn the_suite_kills_every_mutant_with_the_check_meant_for_it() {
    let mut survivors = Vec::new();
    for mutant in Mutant::ALL {
        let config = Config {
            mutants: vec![mutant],
            // Only the slow mutant is judged on time, with a delay far past the budget.
            max_response_time: (mutant == Mutant::SlowResponses)
                .then_some(Duration::from_millis(300)),
            slow: Some(Duration::from_millis(1200)),
            ..Config::default()
        };
        let results = run_suite(&config);
        let mut checks = BTreeSet::new();
        for (_, verdict) in &results {
            if let Verdict::Failed(failures) = verdict {
                checks.extend(failures.iter().map(|(f, _)| f.check));
            }
        }
        if !catcher(mutant).iter().any(|c| checks.contains(c)) {
            survivors.push(format!("{} (failed checks: {checks:?})", mutant.name()));
        }
    }
    assert!(survivors.is_empty(), "mutants that survive: {survivors:#?}");
}

#[test]
fn generation_alone_covers_petstore_and_passes_against_the_spec_driven_stub() {
    let Some(shared) = shared() else {
        return;
    };
    let config = Config {
        spec: Some(shared.join("corpus/openapi3/swagger-petstore-v3.yaml")),
        ..Config::default()
    };
    let results = run_suite(&config);
    let mut kinds = BTreeSet::new();
    for (id, verdict) in &results {
        match verdict {
            Verdict::Passed => {
                let outcome = id.split("::").nth(1).unwrap_or("");
                kinds.insert(match outcome {
                    "lifecycle" => "lifecycle",
                    o if o.starts_with('2') => "success",
                    _ => "error",
                });
            }
            Verdict::Broken(why) if why.starts_with("ignored: no recipe") => {}
            other => panic!("{id}: {other:?}"),
        }
    }
    assert_eq!(
        kinds.len(),
        3,
        "success, error and lifecycle scenarios all ran: {kinds:?}"
    );
}
