//! Which checks a run uses: the ones on by default, `max_response_time` when there is a
//! budget, less the ones switched off by name (`use-after-free` spelled either way).

use crate::check::{find, Check, CHECKS};

/// The checks a run uses, or the "unknown check" message (with a near match) for a bad name.
pub fn select(off: &[String], max_response_time: bool) -> Result<Vec<&'static Check>, String> {
    let off: Vec<&str> = off
        .iter()
        .map(|name| find(name).map(|c| c.name))
        .collect::<Result<_, _>>()?;
    Ok(CHECKS
        .iter()
        .filter(|c| c.default_on || (c.name == "max_response_time" && max_response_time))
        .filter(|c| !off.contains(&c.name))
        .collect())
}

/// Of `checks`, the ones a step names (a scenario file may narrow a step to some checks).
pub fn narrow(checks: &[&'static Check], names: Option<&[String]>) -> Vec<&'static Check> {
    match names {
        Some(names) => checks
            .iter()
            .copied()
            .filter(|c| names.iter().any(|n| n == c.name))
            .collect(),
        None => checks.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(checks: &[&Check]) -> Vec<&'static str> {
        checks.iter().map(|c| c.name).collect()
    }

    #[test]
    fn max_response_time_runs_only_with_a_budget() {
        let without = names(&select(&[], false).expect("select"));
        assert!(!without.contains(&"max_response_time"));
        let with = names(&select(&[], true).expect("select"));
        assert!(with.contains(&"max_response_time"));
        assert_eq!(with.len(), without.len() + 1);
    }

    #[test]
    fn checks_switch_off_by_either_spelling() {
        let off = vec!["use-after-free".to_owned(), "not_a_server_error".to_owned()];
        let on = names(&select(&off, false).expect("select"));
        assert!(!on.contains(&"use_after_free") && !on.contains(&"not_a_server_error"));
        assert!(on.contains(&"status_code_conformance"));
    }

    #[test]
    fn an_unknown_check_suggests_the_near_one() {
        let err = select(&["status_code_conformanse".to_owned()], false).unwrap_err();
        assert!(
            err.contains("did you mean 'status_code_conformance'?"),
            "{err}"
        );
    }

    #[test]
    fn a_step_narrows_to_the_checks_it_names() {
        let all = select(&[], false).expect("select");
        let only = vec!["status_code_conformance".to_owned()];
        assert_eq!(
            names(&narrow(&all, Some(&only))),
            ["status_code_conformance"]
        );
        assert_eq!(narrow(&all, None).len(), all.len());
    }
}
