//! Credentials by identity name, each a full `Authorization` value, and where a run takes
//! them from: the embedded stub's own users, or `CONTRACTOR_IDENTITY_<NAME>` variables (or
//! the variables `contractor.toml` names) for a real target. May import nothing of the crate.

use std::collections::BTreeMap;

/// Credentials by identity name: each a full `Authorization` value.
#[derive(Debug, Clone, Default)]
pub struct Identities {
    values: BTreeMap<String, String>,
}

impl Identities {
    /// Identities from `(name, Authorization value)` pairs.
    pub fn new(values: impl IntoIterator<Item = (String, String)>) -> Identities {
        Identities {
            values: values.into_iter().collect(),
        }
    }

    /// The `Authorization` value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

impl Identities {
    /// Every name in `names` whose variable (`var_of(name)`) is set in `env`.
    pub fn from_vars(
        names: impl IntoIterator<Item = String>,
        var_of: impl Fn(&str) -> String,
        env: impl Fn(&str) -> Option<String>,
    ) -> Identities {
        Identities::new(
            names
                .into_iter()
                .filter_map(|n| env(&var_of(&n)).map(|v| (n, v))),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_whose_variable_is_set_become_identities() {
        let ids = Identities::from_vars(
            ["teacher".to_owned(), "student".to_owned()],
            |n| format!("VAR_{n}"),
            |v| (v == "VAR_teacher").then(|| "Bearer t".to_owned()),
        );
        assert_eq!(ids.get("teacher"), Some("Bearer t"));
        assert_eq!(ids.get("student"), None);
    }
}
