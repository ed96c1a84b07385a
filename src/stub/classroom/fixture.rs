//! The Classroom fixture (users, tokens, courses), read from
//! `scenarios/google-classroom/fixture.yaml` (embedded at build time, or another file of the
//! same shape).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{escape_token, Error, Location};

/// The fixture file shipped with contractor.
pub const SHIPPED_FIXTURE: &str = include_str!("../../../scenarios/google-classroom/fixture.yaml");

/// A fixture user.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// Numeric user id, as a string.
    pub id: String,
    /// Email address (also accepted as a `userId`).
    pub email: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// The bearer token that identifies this user to the emulator.
    pub token: String,
    /// A domain administrator.
    #[serde(default)]
    pub admin: bool,
    /// A disabled account: it cannot be invited.
    #[serde(default)]
    pub disabled: bool,
    /// At its groups-membership limit: it cannot join another course.
    #[serde(default)]
    pub groups_limit_reached: bool,
}

/// A fixture course. User fields name users by their fixture key.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Course {
    /// Course id.
    pub id: String,
    /// Course name.
    #[serde(default)]
    pub name: String,
    /// The owner's key.
    pub owner: String,
    /// Teachers' keys (the owner among them).
    #[serde(default)]
    pub teachers: Vec<String>,
    /// Students' keys.
    #[serde(default)]
    pub students: Vec<String>,
    /// `ACTIVE`, `ARCHIVED`, ...
    pub state: String,
    /// Most members (teachers and students) the course may have.
    pub member_limit: usize,
    /// Most teachers the course may have.
    pub teacher_limit: usize,
}

/// Users and courses by key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// Users by key.
    pub users: BTreeMap<String, User>,
    /// Courses by key.
    pub courses: BTreeMap<String, Course>,
}

impl Fixture {
    /// The shipped fixture.
    pub fn shipped() -> Fixture {
        // The shipped file is tested to parse; failing here is a build defect.
        Fixture::parse_at(
            Path::new("scenarios/google-classroom/fixture.yaml"),
            SHIPPED_FIXTURE,
        )
        .expect("the shipped Classroom fixture parses")
    }

    /// Reads a fixture file: a syntax or shape error says its line and column, a course that
    /// names an unknown user says which course (as a JSON pointer).
    pub fn load(path: &Path) -> Result<Fixture, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        Fixture::parse_at(path, &text)
    }

    /// Parses a fixture file's text (`path` names it in errors) and checks that every course
    /// names known users.
    pub fn parse_at(path: &Path, text: &str) -> Result<Fixture, Error> {
        let fixture: Fixture = serde_saphyr::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            Error::Fixture {
                location: Location::at_line(path, line, column),
                message: e.to_string().lines().next().unwrap_or("").to_owned(),
            }
        })?;
        for (key, course) in &fixture.courses {
            let named = std::iter::once(&course.owner)
                .chain(&course.teachers)
                .chain(&course.students);
            for user in named {
                if !fixture.users.contains_key(user) {
                    return Err(Error::Fixture {
                        location: Location::new(path, format!("/courses/{}", escape_token(key))),
                        message: format!("course '{key}' names unknown user '{user}'"),
                    });
                }
            }
        }
        Ok(fixture)
    }

    /// Symbolic values scenario files can name: `<course>` and `<user>` give ids,
    /// `<user>.email` an email, `<user>.token` a token.
    pub fn symbols(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (key, user) in &self.users {
            out.insert(key.clone(), user.id.clone());
            out.insert(format!("{key}.id"), user.id.clone());
            out.insert(format!("{key}.email"), user.email.clone());
            out.insert(format!("{key}.token"), user.token.clone());
        }
        for (key, course) in &self.courses {
            out.insert(key.clone(), course.id.clone());
            out.insert(format!("{key}.id"), course.id.clone());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_fixture_parses_and_covers_every_limit() {
        let f = Fixture::shipped();
        assert!(f.users.values().any(|u| u.admin));
        assert!(f.users.values().any(|u| u.disabled));
        assert!(f.users.values().any(|u| u.groups_limit_reached));
        assert!(f.courses.values().any(|c| c.state == "ARCHIVED"));
        assert!(f
            .courses
            .values()
            .any(|c| c.teachers.len() + c.students.len() >= c.member_limit));
        assert!(f
            .courses
            .values()
            .any(|c| c.teachers.len() >= c.teacher_limit));
        assert_eq!(f.symbols()["archived_course"], "200002");
    }

    #[test]
    fn rejects_a_course_naming_an_unknown_user_at_its_pointer() {
        let text = "users: {}\ncourses:\n  c: {id: '1', owner: ghost, state: ACTIVE, member_limit: 1, teacher_limit: 1}\n";
        let err = Fixture::parse_at(Path::new("f.yaml"), text)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "failed to load fixture f.yaml#/courses/c: course 'c' names unknown user 'ghost'"
        );
    }

    #[test]
    fn a_shape_error_says_its_line() {
        let text =
            "users:\n  t: {id: '1', email: a, name: b, token: c, colour: red}\ncourses: {}\n";
        let err = Fixture::parse_at(Path::new("f.yaml"), text)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("failed to load fixture f.yaml:2:"), "{err}");
        assert!(err.contains("colour"), "{err}");
    }
}
