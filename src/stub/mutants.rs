//! Mutants: named faults, each breaking one clause of the contract, so that a test suite can
//! prove its checks bite. Selectable on both adapters (`--mutant NAME`, and in code).

use std::fmt;
use std::str::FromStr;

/// One named fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mutant {
    /// A successful create answers 201 where the spec documents 200.
    WrongSuccessStatus,
    /// A NOT_FOUND is answered with 410, a status the spec does not document.
    UndocumentedStatus,
    /// Invitation bodies lack the required `courseId`.
    MissingRequiredField,
    /// Invitation ids are JSON numbers, not strings.
    WrongFieldType,
    /// Invitation roles come back as `GUEST`, outside the enum.
    EnumOutOfRange,
    /// Every response says `Content-Type: text/plain`.
    WrongContentType,
    /// Google error bodies carry `status: UNKNOWN` whatever the real code.
    WrongErrorStatus,
    /// FAILED_PRECONDITION messages lose their `@Reason ` prefix.
    MissingReasonPrefix,
    /// A second invitation for the same user and course is accepted.
    DuplicateCreateAccepted,
    /// Accepting an invitation leaves it in place.
    AcceptKeepsInvitation,
    /// Deleting an invitation answers `{}` but leaves it readable.
    DeleteKeepsInvitation,
    /// PERMISSION_DENIED is never returned: everyone may do everything.
    PermissionsNotEnforced,
    /// The list operation answers 500.
    ServerErrorOnList,
    /// Every response is delayed past the configured response-time budget.
    SlowResponses,
    /// A bearer token nobody was issued is taken as the first fixture user's.
    InvalidTokenAccepted,
    /// A create without a role, or with `COURSE_ROLE_UNSPECIFIED`, invites a STUDENT.
    RoleDefaultsToStudent,
    /// A negative or non-numeric `pageSize` is taken as the default.
    BadPageSizeIgnored,
    /// `pageSize=0`, documented as the default, is refused with INVALID_ARGUMENT.
    PageSizeZeroRejected,
    /// A list returns every invitation, whatever its `pageSize`.
    PageSizeIgnored,
    /// `nextPageToken` always leads back to the first page.
    LoopingPageToken,
    /// A list filtered by `courseId` also returns other courses' invitations.
    ListIgnoresCourseFilter,
    /// Create answers with `userId` and `courseId` swapped.
    CreateSwapsIds,
    /// Google error bodies carry `code: 500` whatever the HTTP status.
    ErrorCodeMismatch,
    /// A method a path does not declare answers 404, not 405 with `Allow`.
    UndeclaredMethodNotFound,
}

impl Mutant {
    /// Every mutant, in a stable order.
    pub const ALL: [Mutant; 24] = [
        Mutant::WrongSuccessStatus,
        Mutant::UndocumentedStatus,
        Mutant::MissingRequiredField,
        Mutant::WrongFieldType,
        Mutant::EnumOutOfRange,
        Mutant::WrongContentType,
        Mutant::WrongErrorStatus,
        Mutant::MissingReasonPrefix,
        Mutant::DuplicateCreateAccepted,
        Mutant::AcceptKeepsInvitation,
        Mutant::DeleteKeepsInvitation,
        Mutant::PermissionsNotEnforced,
        Mutant::ServerErrorOnList,
        Mutant::SlowResponses,
        Mutant::InvalidTokenAccepted,
        Mutant::RoleDefaultsToStudent,
        Mutant::BadPageSizeIgnored,
        Mutant::PageSizeZeroRejected,
        Mutant::PageSizeIgnored,
        Mutant::LoopingPageToken,
        Mutant::ListIgnoresCourseFilter,
        Mutant::CreateSwapsIds,
        Mutant::ErrorCodeMismatch,
        Mutant::UndeclaredMethodNotFound,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Mutant::WrongSuccessStatus => "wrong_success_status",
            Mutant::UndocumentedStatus => "undocumented_status",
            Mutant::MissingRequiredField => "missing_required_field",
            Mutant::WrongFieldType => "wrong_field_type",
            Mutant::EnumOutOfRange => "enum_out_of_range",
            Mutant::WrongContentType => "wrong_content_type",
            Mutant::WrongErrorStatus => "wrong_error_status",
            Mutant::MissingReasonPrefix => "missing_reason_prefix",
            Mutant::DuplicateCreateAccepted => "duplicate_create_accepted",
            Mutant::AcceptKeepsInvitation => "accept_keeps_invitation",
            Mutant::DeleteKeepsInvitation => "delete_keeps_invitation",
            Mutant::PermissionsNotEnforced => "permissions_not_enforced",
            Mutant::ServerErrorOnList => "server_error_on_list",
            Mutant::SlowResponses => "slow_responses",
            Mutant::InvalidTokenAccepted => "invalid_token_accepted",
            Mutant::RoleDefaultsToStudent => "role_defaults_to_student",
            Mutant::BadPageSizeIgnored => "bad_page_size_ignored",
            Mutant::PageSizeZeroRejected => "page_size_zero_rejected",
            Mutant::PageSizeIgnored => "page_size_ignored",
            Mutant::LoopingPageToken => "looping_page_token",
            Mutant::ListIgnoresCourseFilter => "list_ignores_course_filter",
            Mutant::CreateSwapsIds => "create_swaps_ids",
            Mutant::ErrorCodeMismatch => "error_code_mismatch",
            Mutant::UndeclaredMethodNotFound => "undeclared_method_not_found",
        }
    }

    /// The clause of the contract it breaks.
    pub fn clause(self) -> &'static str {
        match self {
            Mutant::WrongSuccessStatus => "create answers 201; the spec documents 200",
            Mutant::UndocumentedStatus => "an unknown id answers 410; the spec documents 404",
            Mutant::MissingRequiredField => "Invitation.courseId is required in responses",
            Mutant::WrongFieldType => "Invitation.id is a string",
            Mutant::EnumOutOfRange => {
                "Invitation.role is one of COURSE_ROLE_UNSPECIFIED, STUDENT, TEACHER, OWNER"
            }
            Mutant::WrongContentType => "responses are application/json",
            Mutant::WrongErrorStatus => "an error body's status names the documented code",
            Mutant::MissingReasonPrefix => "a FAILED_PRECONDITION message starts with `@Reason `",
            Mutant::DuplicateCreateAccepted => {
                "a second invitation for the same user and course is ALREADY_EXISTS"
            }
            Mutant::AcceptKeepsInvitation => "accept removes the invitation",
            Mutant::DeleteKeepsInvitation => "a deleted invitation is NOT_FOUND",
            Mutant::PermissionsNotEnforced => {
                "only permitted users may create, read, delete, list or accept"
            }
            Mutant::ServerErrorOnList => "list never answers a server error",
            Mutant::SlowResponses => "responses arrive within the response-time budget",
            Mutant::InvalidTokenAccepted => "an invalid or expired token is UNAUTHENTICATED",
            Mutant::RoleDefaultsToStudent => "a create's role must be STUDENT, TEACHER or OWNER",
            Mutant::BadPageSizeIgnored => "a negative pageSize is INVALID_ARGUMENT",
            Mutant::PageSizeZeroRejected => "pageSize 0 means the default page size",
            Mutant::PageSizeIgnored => "a page holds at most pageSize invitations",
            Mutant::LoopingPageToken => "following nextPageToken ends, with no invitation twice",
            Mutant::ListIgnoresCourseFilter => {
                "a list filtered by courseId holds only that course's invitations"
            }
            Mutant::CreateSwapsIds => "create answers with the userId and courseId it was sent",
            Mutant::ErrorCodeMismatch => "an error body's code equals the HTTP status",
            Mutant::UndeclaredMethodNotFound => {
                "a method a path does not declare is 405 with an Allow header"
            }
        }
    }

    /// Whether the spec-driven stub (any API) can apply it; the rest need the Classroom emulator.
    pub fn is_generic(self) -> bool {
        matches!(
            self,
            Mutant::WrongSuccessStatus
                | Mutant::UndocumentedStatus
                | Mutant::WrongContentType
                | Mutant::ServerErrorOnList
                | Mutant::SlowResponses
        )
    }
}

impl fmt::Display for Mutant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Mutant {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().replace('-', "_");
        if let Some(m) = Mutant::ALL.iter().find(|m| m.name() == wanted) {
            return Ok(*m);
        }
        let names: Vec<&str> = Mutant::ALL.iter().map(|m| m.name()).collect();
        let near = crate::error::did_you_mean(names.iter().copied(), &wanted);
        Err(match near {
            Some(n) => format!("unknown mutant '{s}' (did you mean '{n}'?)"),
            None => format!("unknown mutant '{s}' (known: {})", names.join(", ")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for m in Mutant::ALL {
            assert_eq!(m.name().parse::<Mutant>(), Ok(m));
            assert!(!m.clause().is_empty());
        }
    }

    #[test]
    fn suggests_a_near_name() {
        let err = "slow_response".parse::<Mutant>().unwrap_err();
        assert!(err.contains("did you mean 'slow_responses'"), "{err}");
    }
}
