//! The prose parser on real Google descriptions and on the shapes and traps around them.

use super::*;

/// The names found, in order.
fn names(codes: &[ProseErrorCode]) -> Vec<&str> {
    codes.iter().map(|c| c.name.as_str()).collect()
}

/// The entry for `name`; panics when missing.
fn entry<'a>(codes: &'a [ProseErrorCode], name: &str) -> &'a ProseErrorCode {
    codes
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("{name} missing from {codes:#?}"))
}

// Streamdata gallery (google-classroom), multi-line markdown.

const LIST_MULTILINE: &str =
    "Returns a list of invitations that the requesting user is permitted to
view, restricted to those that match the list request.

*Note:* At least one of `user_id` or `course_id` must be supplied. Both
fields can be supplied.

This method returns the following error codes:

* `PERMISSION_DENIED` for access errors.";

const CREATE_MULTILINE: &str =
    "Creates an invitation. Only one invitation for a user and course may exist
at a time. Delete and re-create an invitation to make changes.

This method returns the following error codes:

* `PERMISSION_DENIED` if the requesting user is not permitted to create
invitations for this course or for access errors.
* `NOT_FOUND` if the course or the user does not exist.
* `FAILED_PRECONDITION` if the requested user's account is disabled or if
the user already has this role or a role with greater permissions.
* `ALREADY_EXISTS` if an invitation for the specified user and course
already exists.";

const GET_MULTILINE: &str = "Returns an invitation.

This method returns the following error codes:

* `PERMISSION_DENIED` if the requesting user is not permitted to view the
requested invitation or for access errors.
* `NOT_FOUND` if no invitation exists with the requested ID.";

const DELETE_MULTILINE: &str = "Deletes an invitation.

This method returns the following error codes:

* `PERMISSION_DENIED` if the requesting user is not permitted to delete the
requested invitation or for access errors.
* `NOT_FOUND` if no invitation exists with the requested ID.";

const ACCEPT_MULTILINE: &str =
    "Accepts an invitation, removing it and adding the invited user to the
teachers or students (as appropriate) of the specified course. Only the
invited user may accept an invitation.

This method returns the following error codes:

* `PERMISSION_DENIED` if the requesting user is not permitted to accept the
requested invitation or for access errors.
* `FAILED_PRECONDITION` for the following request errors:
    * CourseMemberLimitReached
    * CourseNotModifiable
    * CourseTeacherLimitReached
    * UserGroupsMembershipLimitReached
* `NOT_FOUND` if no invitation exists with the requested ID.";

// APIs-guru googleapis.com classroom v1, OpenAPI 3 (one line each).

const ACCEPT_ONE_LINE: &str = "Accepts an invitation, removing it and adding the invited user to the teachers or students (as appropriate) of the specified course. Only the invited user may accept an invitation. This method returns the following error codes: * `PERMISSION_DENIED` if the requesting user is not permitted to accept the requested invitation or for access errors. * `FAILED_PRECONDITION` for the following request errors: * CourseMemberLimitReached * CourseNotModifiable * CourseTeacherLimitReached * UserGroupsMembershipLimitReached * `NOT_FOUND` if no invitation exists with the requested ID.";

const COURSES_CREATE_ONE_LINE: &str = "Creates a course. The user specified in `ownerId` is the owner of the created course and added as a teacher. A non-admin requesting user can only create a course with themselves as the owner. Domain admins can create courses owned by any user within their domain. This method returns the following error codes: * `PERMISSION_DENIED` if the requesting user is not permitted to create courses or for access errors. * `NOT_FOUND` if the primary teacher is not a valid user. * `FAILED_PRECONDITION` if the course owner's account is disabled or for the following request errors: * UserGroupsMembershipLimitReached * `ALREADY_EXISTS` if an alias was specified in the `id` and already exists.";

const TEACHERS_CREATE_ONE_LINE: &str = "Creates a teacher of a course. Domain administrators are permitted to [directly add](https://developers.google.com/classroom/guides/manage-users) users within their domain as teachers to courses within their domain. Non-admin users should send an Invitation instead. This method returns the following error codes: * `PERMISSION_DENIED` if the requesting user is not permitted to create teachers in this course or for access errors. * `NOT_FOUND` if the requested course ID does not exist. * `FAILED_PRECONDITION` if the requested user's account is disabled, for the following request errors: * CourseMemberLimitReached * CourseNotModifiable * CourseTeacherLimitReached * UserGroupsMembershipLimitReached * InactiveCourseOwner * `ALREADY_EXISTS` if the user is already a teacher or student in the course.";

const TEACHERS_DELETE_ONE_LINE: &str = "Removes the specified teacher from the specified course. This method returns the following error codes: * `PERMISSION_DENIED` if the requesting user is not permitted to delete teachers of this course or for access errors. * `NOT_FOUND` if no teacher of this course has the requested ID or if the course does not exist. * `FAILED_PRECONDITION` if the requested ID belongs to the primary teacher of this course. * `FAILED_PRECONDITION` if the requested ID belongs to the owner of the course Drive folder. * `FAILED_PRECONDITION` if the course no longer has an active owner.";

const COURSES_PATCH_ONE_LINE: &str = "Updates one or more fields in a course. This method returns the following error codes: * `PERMISSION_DENIED` if the requesting user is not permitted to modify the requested course or for access errors. * `NOT_FOUND` if no course exists with the requested ID. * `INVALID_ARGUMENT` if invalid fields are specified in the update mask or if no update mask is supplied. * `FAILED_PRECONDITION` for the following request errors: * CourseNotModifiable * InactiveCourseOwner";

const ANNOUNCEMENTS_CREATE_ONE_LINE: &str = "Creates an announcement. This method returns the following error codes: * `PERMISSION_DENIED` if the requesting user is not permitted to access the requested course, create announcements in the requested course, share a Drive attachment, or for access errors. * `INVALID_ARGUMENT` if the request is malformed. * `NOT_FOUND` if the requested course does not exist. * `FAILED_PRECONDITION` for the following request error: * AttachmentNotVisible";

const COURSE_WORK_PATCH_ONE_LINE: &str = "Updates one or more fields of a course work. See google.classroom.v1.CourseWork for details of which fields may be updated and who may change them. This request must be made by the Developer Console project of the [OAuth client ID](https://support.google.com/cloud/answer/6158849) used to create the corresponding course work item. This method returns the following error codes: * `PERMISSION_DENIED` if the requesting developer project did not create the corresponding course work, if the user is not permitted to make the requested modification to the student submission, or for access errors. * `INVALID_ARGUMENT` if the request is malformed. * `FAILED_PRECONDITION` if the requested course work has already been deleted. * `NOT_FOUND` if the requested course, course work, or student submission does not exist.";

const REGISTRATIONS_CREATE_ONE_LINE: &str = "Creates a `Registration`, causing Classroom to start sending notifications from the provided `feed` to the destination provided in `cloudPubSubTopic`. Returns the created `Registration`. Currently, this will be the same as the argument, but with server-assigned fields such as `expiry_time` and `id` filled in. Note that any value specified for the `expiry_time` or `id` fields will be ignored. While Classroom may validate the `cloudPubSubTopic` and return errors on a best effort basis, it is the caller's responsibility to ensure that it exists and that Classroom has permission to publish to it. This method may return the following error codes: * `PERMISSION_DENIED` if: * the authenticated user does not have permission to receive notifications from the requested field; or * the current user has not granted access to the current Cloud project with the appropriate scope for the requested feed. Note that domain-wide delegation of authority is not currently supported for this purpose. If the request has the appropriate scope, but no grant exists, a Request Errors is returned. * another access error is encountered. * `INVALID_ARGUMENT` if: * no `cloudPubsubTopic` is specified, or the specified `cloudPubsubTopic` is not valid; or * no `feed` is specified, or the specified `feed` is not valid. * `NOT_FOUND` if: * the specified `feed` cannot be located, or the requesting user does not have permission to determine whether or not it exists; or * the specified `cloudPubsubTopic` cannot be located, or Classroom has not been granted permission to publish to it.";

const SUBMISSIONS_GET_ONE_LINE: &str = "Returns a student submission. * `PERMISSION_DENIED` if the requesting user is not permitted to access the requested course, course work, or student submission or for access errors. * `INVALID_ARGUMENT` if the request is malformed. * `NOT_FOUND` if the requested course, course work, or student submission does not exist.";

const GUARDIAN_INVITATIONS_LIST_ONE_LINE: &str = "Returns a list of guardian invitations that the requesting user is permitted to view, filtered by the parameters provided. This method returns the following error codes: * `PERMISSION_DENIED` if a `student_id` is specified, and the requesting user is not permitted to view guardian invitations for that student, if `\"-\"` is specified as the `student_id` and the user is not a domain administrator, if guardians are not enabled for the domain in question, or for other access errors. * `INVALID_ARGUMENT` if a `student_id` is specified, but its format cannot be recognized (it is not an email address, nor a `student_id` from the API, nor the literal string `me`). May also be returned if an invalid `page_token` or `state` is provided. * `NOT_FOUND` if a `student_id` is specified, and its format can be recognized, but Classroom has no record of that student.";

const UPDATE_MASK_PARAMETER: &str = "Mask that identifies which fields on the announcement to update. This field is required to do an update. The update fails if invalid fields are specified. If a field supports empty values, it can be cleared by specifying it in the update mask and not in the Announcement object. If a field that does not support empty values is included in the update mask and not set in the Announcement object, an `INVALID_ARGUMENT` error is returned. The following fields may be specified by teachers: * `text` * `state` * `scheduled_time`";

const COURSE_ALIAS_SCHEMA: &str = "Alternative identifier for a course. An alias uniquely identifies a course. It must be unique within one of the following scopes: * domain: A domain-scoped alias is visible to all users within the alias creator's domain and can be created only by a domain admin. A domain-scoped alias is often used when a course has an identifier external to Classroom. * project: A project-scoped alias is visible to any request from an application using the Developer Console project ID that created the alias and can be created by any project. A project-scoped alias is often used when an application has alternative identifiers. A random value can also be used to avoid duplicate courses in the event of transmission failures, as retrying a request will return `ALREADY_EXISTS` if a previous one has succeeded.";

// APIs-guru googleapis.com classroom v1, Swagger 2 (multi-line).

const COURSES_CREATE_MULTILINE: &str = "Creates a course.

The user specified in `ownerId` is the owner of the created course
and added as a teacher.

This method returns the following error codes:

* `PERMISSION_DENIED` if the requesting user is not permitted to create
courses or for access errors.
* `NOT_FOUND` if the primary teacher is not a valid user.
* `FAILED_PRECONDITION` if the course owner's account is disabled or for
the following request errors:
    * UserGroupsMembershipLimitReached
* `ALREADY_EXISTS` if an alias was specified in the `id` and
already exists.";

const REGISTRATIONS_CREATE_MULTILINE: &str =
    "Creates a `Registration`, causing Classroom to start sending notifications
from the provided `feed` to the destination provided in `cloudPubSubTopic`.

Returns the created `Registration`. Currently, this will be the same as
the argument, but with server-assigned fields such as `expiry_time` and
`id` filled in.

Note that any value specified for the `expiry_time` or `id` fields will be
ignored.

While Classroom may validate the `cloudPubSubTopic` and return errors on a
best effort basis, it is the caller's responsibility to ensure that it
exists and that Classroom has permission to publish to it.

This method may return the following error codes:

* `PERMISSION_DENIED` if:
    * the authenticated user does not have permission to receive
      notifications from the requested field; or
    * the credential provided does not include the appropriate scope for
      the requested feed.
    * another access error is encountered.
* `INVALID_ARGUMENT` if:
    * no `cloudPubsubTopic` is specified, or the specified
      `cloudPubsubTopic` is not valid; or
    * no `feed` is specified, or the specified `feed` is not valid.
* `NOT_FOUND` if:
    * the specified `feed` cannot be located, or the requesting user does
      not have permission to determine whether or not it exists; or
    * the specified `cloudPubsubTopic` cannot be located, or Classroom has
      not been granted permission to publish to it.";

#[test]
fn reads_the_list_invitations_codes() {
    let codes = parse(LIST_MULTILINE);
    assert_eq!(
        codes,
        vec![ProseErrorCode {
            name: "PERMISSION_DENIED".into(),
            condition: "for access errors.".into(),
            reasons: vec![],
        }]
    );
}

#[test]
fn reads_conditions_wrapped_over_several_lines() {
    let codes = parse(CREATE_MULTILINE);
    assert_eq!(
        names(&codes),
        [
            "PERMISSION_DENIED",
            "NOT_FOUND",
            "FAILED_PRECONDITION",
            "ALREADY_EXISTS"
        ]
    );
    assert_eq!(
            entry(&codes, "PERMISSION_DENIED").condition,
            "if the requesting user is not permitted to create invitations for this course or for access errors."
        );
    assert_eq!(
        entry(&codes, "NOT_FOUND").condition,
        "if the course or the user does not exist."
    );
    assert_eq!(
            entry(&codes, "FAILED_PRECONDITION").condition,
            "if the requested user's account is disabled or if the user already has this role or a role with greater permissions."
        );
    assert_eq!(
        entry(&codes, "ALREADY_EXISTS").condition,
        "if an invitation for the specified user and course already exists."
    );
    assert!(codes.iter().all(|c| c.reasons.is_empty()));
}

#[test]
fn reads_the_get_and_delete_invitation_codes() {
    for text in [GET_MULTILINE, DELETE_MULTILINE] {
        let codes = parse(text);
        assert_eq!(names(&codes), ["PERMISSION_DENIED", "NOT_FOUND"]);
        assert_eq!(
            entry(&codes, "NOT_FOUND").condition,
            "if no invitation exists with the requested ID."
        );
    }
    assert_eq!(
            entry(&parse(GET_MULTILINE), "PERMISSION_DENIED").condition,
            "if the requesting user is not permitted to view the requested invitation or for access errors."
        );
    assert_eq!(
            entry(&parse(DELETE_MULTILINE), "PERMISSION_DENIED").condition,
            "if the requesting user is not permitted to delete the requested invitation or for access errors."
        );
}

fn assert_accept(codes: &[ProseErrorCode]) {
    assert_eq!(
        names(codes),
        ["PERMISSION_DENIED", "FAILED_PRECONDITION", "NOT_FOUND"]
    );
    let failed = entry(codes, "FAILED_PRECONDITION");
    assert_eq!(failed.condition, "for the following request errors:");
    assert_eq!(
        failed.reasons,
        [
            "CourseMemberLimitReached",
            "CourseNotModifiable",
            "CourseTeacherLimitReached",
            "UserGroupsMembershipLimitReached"
        ]
    );
    assert_eq!(
            entry(codes, "PERMISSION_DENIED").condition,
            "if the requesting user is not permitted to accept the requested invitation or for access errors."
        );
    assert!(entry(codes, "PERMISSION_DENIED").reasons.is_empty());
    assert_eq!(
        entry(codes, "NOT_FOUND").condition,
        "if no invitation exists with the requested ID."
    );
    assert!(entry(codes, "NOT_FOUND").reasons.is_empty());
}

#[test]
fn reads_nested_reasons_with_line_breaks() {
    assert_accept(&parse(ACCEPT_MULTILINE));
}

#[test]
fn reads_reasons_from_the_one_line_form() {
    assert_accept(&parse(ACCEPT_ONE_LINE));
}

#[test]
fn both_forms_of_a_text_give_the_same_codes() {
    assert_eq!(parse(ACCEPT_MULTILINE), parse(ACCEPT_ONE_LINE));
    assert_eq!(
        parse(COURSES_CREATE_MULTILINE),
        parse(COURSES_CREATE_ONE_LINE)
    );
    assert_eq!(
        names(&parse(REGISTRATIONS_CREATE_MULTILINE)),
        names(&parse(REGISTRATIONS_CREATE_ONE_LINE))
    );
}

#[test]
fn reads_a_reason_list_after_a_condition_in_courses_create() {
    for text in [COURSES_CREATE_ONE_LINE, COURSES_CREATE_MULTILINE] {
        let codes = parse(text);
        assert_eq!(
            names(&codes),
            [
                "PERMISSION_DENIED",
                "NOT_FOUND",
                "FAILED_PRECONDITION",
                "ALREADY_EXISTS"
            ]
        );
        let failed = entry(&codes, "FAILED_PRECONDITION");
        assert_eq!(
            failed.condition,
            "if the course owner's account is disabled or for the following request errors:"
        );
        assert_eq!(failed.reasons, ["UserGroupsMembershipLimitReached"]);
        assert_eq!(
            entry(&codes, "ALREADY_EXISTS").condition,
            "if an alias was specified in the `id` and already exists."
        );
        assert!(entry(&codes, "ALREADY_EXISTS").reasons.is_empty());
    }
}

#[test]
fn reads_five_reasons_in_teachers_create() {
    let codes = parse(TEACHERS_CREATE_ONE_LINE);
    assert_eq!(
        names(&codes),
        [
            "PERMISSION_DENIED",
            "NOT_FOUND",
            "FAILED_PRECONDITION",
            "ALREADY_EXISTS"
        ]
    );
    assert_eq!(
        entry(&codes, "FAILED_PRECONDITION").reasons,
        [
            "CourseMemberLimitReached",
            "CourseNotModifiable",
            "CourseTeacherLimitReached",
            "UserGroupsMembershipLimitReached",
            "InactiveCourseOwner"
        ]
    );
    assert_eq!(
        entry(&codes, "ALREADY_EXISTS").condition,
        "if the user is already a teacher or student in the course."
    );
}

#[test]
fn reads_reasons_that_end_the_description() {
    let codes = parse(COURSES_PATCH_ONE_LINE);
    assert_eq!(
        names(&codes),
        [
            "PERMISSION_DENIED",
            "NOT_FOUND",
            "INVALID_ARGUMENT",
            "FAILED_PRECONDITION"
        ]
    );
    assert_eq!(
        entry(&codes, "FAILED_PRECONDITION").reasons,
        ["CourseNotModifiable", "InactiveCourseOwner"]
    );
    assert!(entry(&codes, "INVALID_ARGUMENT").reasons.is_empty());
}

#[test]
fn reads_a_single_request_error() {
    let codes = parse(ANNOUNCEMENTS_CREATE_ONE_LINE);
    assert_eq!(
        names(&codes),
        [
            "PERMISSION_DENIED",
            "INVALID_ARGUMENT",
            "NOT_FOUND",
            "FAILED_PRECONDITION"
        ]
    );
    let failed = entry(&codes, "FAILED_PRECONDITION");
    assert_eq!(failed.condition, "for the following request error:");
    assert_eq!(failed.reasons, ["AttachmentNotVisible"]);
}

#[test]
fn reads_course_work_patch_without_reasons() {
    let codes = parse(COURSE_WORK_PATCH_ONE_LINE);
    assert_eq!(
        names(&codes),
        [
            "PERMISSION_DENIED",
            "INVALID_ARGUMENT",
            "FAILED_PRECONDITION",
            "NOT_FOUND"
        ]
    );
    assert!(codes.iter().all(|c| c.reasons.is_empty()));
    assert_eq!(
        entry(&codes, "FAILED_PRECONDITION").condition,
        "if the requested course work has already been deleted."
    );
}

#[test]
fn merges_a_repeated_code_and_keeps_its_first_condition() {
    let codes = parse(TEACHERS_DELETE_ONE_LINE);
    assert_eq!(
        names(&codes),
        ["PERMISSION_DENIED", "NOT_FOUND", "FAILED_PRECONDITION"]
    );
    assert_eq!(
        entry(&codes, "FAILED_PRECONDITION").condition,
        "if the requested ID belongs to the primary teacher of this course."
    );
}

#[test]
fn folds_nested_prose_bullets_into_the_condition() {
    for text in [
        REGISTRATIONS_CREATE_ONE_LINE,
        REGISTRATIONS_CREATE_MULTILINE,
    ] {
        let codes = parse(text);
        assert_eq!(
            names(&codes),
            ["PERMISSION_DENIED", "INVALID_ARGUMENT", "NOT_FOUND"]
        );
        assert!(codes.iter().all(|c| c.reasons.is_empty()), "{codes:#?}");
        assert_eq!(
                entry(&codes, "INVALID_ARGUMENT").condition,
                "if: no `cloudPubsubTopic` is specified, or the specified `cloudPubsubTopic` is not valid; or no `feed` is specified, or the specified `feed` is not valid."
            );
        let denied = &entry(&codes, "PERMISSION_DENIED").condition;
        assert!(denied.starts_with("if: the authenticated user does not have permission"));
        assert!(denied.ends_with("another access error is encountered."));
    }
}

#[test]
fn reads_bulleted_codes_without_an_announcing_sentence() {
    let codes = parse(SUBMISSIONS_GET_ONE_LINE);
    assert_eq!(
        names(&codes),
        ["PERMISSION_DENIED", "INVALID_ARGUMENT", "NOT_FOUND"]
    );
    assert_eq!(
        entry(&codes, "INVALID_ARGUMENT").condition,
        "if the request is malformed."
    );
}

#[test]
fn keeps_dashes_and_later_sentences_inside_conditions() {
    let codes = parse(GUARDIAN_INVITATIONS_LIST_ONE_LINE);
    assert_eq!(
        names(&codes),
        ["PERMISSION_DENIED", "INVALID_ARGUMENT", "NOT_FOUND"]
    );
    assert!(entry(&codes, "PERMISSION_DENIED")
        .condition
        .contains("if `\"-\"` is specified as the `student_id`"));
    assert!(entry(&codes, "INVALID_ARGUMENT")
        .condition
        .ends_with("May also be returned if an invalid `page_token` or `state` is provided."));
}

#[test]
fn ignores_backticked_words_that_are_not_canonical_codes() {
    let codes = parse(LIST_MULTILINE);
    assert!(codes.iter().all(|c| c.name != "user_id"));
    assert!(parse("Only `PUBLISHED` course work is returned. See `COMPLETE` and `OK`.").is_empty());
    assert!(
        parse("This method returns the following error codes: * `TURNED_IN` if done.").is_empty()
    );
}

#[test]
fn reads_a_passive_returned_error_with_its_if_clause() {
    let codes = parse(UPDATE_MASK_PARAMETER);
    assert_eq!(
            codes,
            vec![ProseErrorCode {
                name: "INVALID_ARGUMENT".into(),
                condition: "if a field that does not support empty values is included in the update mask and not set in the Announcement object.".into(),
                reasons: vec![],
            }]
        );
}

#[test]
fn reads_a_returned_code_in_running_prose() {
    let codes = parse(COURSE_ALIAS_SCHEMA);
    assert_eq!(
        codes,
        vec![ProseErrorCode {
            name: "ALREADY_EXISTS".into(),
            condition: "if a previous one has succeeded.".into(),
            reasons: vec![],
        }]
    );
    let codes =
        parse("This method returns `INVALID_ARGUMENT` if the page token is malformed. Other text.");
    assert_eq!(names(&codes), ["INVALID_ARGUMENT"]);
    assert_eq!(codes[0].condition, "if the page token is malformed.");
    let codes = parse("Returns an `INVALID_ARGUMENT` error if the mask is empty.");
    assert_eq!(codes[0].condition, "if the mask is empty.");
    let codes = parse("The call fails with NOT_FOUND when the course is gone.");
    assert_eq!(names(&codes), ["NOT_FOUND"]);
    assert_eq!(codes[0].condition, "when the course is gone.");
}

#[test]
fn reads_several_codes_returned_together() {
    let codes =
        parse("Returns `NOT_FOUND` or `PERMISSION_DENIED` if the caller cannot see the course.");
    assert_eq!(names(&codes), ["NOT_FOUND", "PERMISSION_DENIED"]);
    assert!(codes
        .iter()
        .all(|c| c.condition == "if the caller cannot see the course."));
}

#[test]
fn ignores_codes_mentioned_in_passing() {
    for text in [
        "Clients should retry `UNAVAILABLE` errors with exponential backoff.",
        "A `NOT_FOUND` status maps to HTTP 404.",
        "This method does not return `NOT_FOUND` for missing courses.",
        "This method never returns `INTERNAL`.",
        "Instead of returning `NOT_FOUND`, the method returns an empty list.",
        "The list is empty rather than returning `PERMISSION_DENIED`.",
        "An `ABORTED` error is not returned here.",
        "See UNKNOWN for details; the state is UNKNOWN when unset.",
        "The following values exist: * `UNKNOWN` * `INTERNAL`",
    ] {
        assert!(parse(text).is_empty(), "{text}: {:#?}", parse(text));
    }
}

#[test]
fn reads_reasons_written_inline() {
    let codes = parse("This method returns the following error codes: * `FAILED_PRECONDITION` if the course is not active (CourseNotModifiable). * `NOT_FOUND` if the course does not exist.");
    assert_eq!(names(&codes), ["FAILED_PRECONDITION", "NOT_FOUND"]);
    assert_eq!(
        entry(&codes, "FAILED_PRECONDITION").reasons,
        ["CourseNotModifiable"]
    );
    assert_eq!(
        entry(&codes, "FAILED_PRECONDITION").condition,
        "if the course is not active (CourseNotModifiable)."
    );

    let codes = parse("Updates a course. This method returns `FAILED_PRECONDITION` for the following request error: * CourseNotModifiable");
    assert_eq!(names(&codes), ["FAILED_PRECONDITION"]);
    assert_eq!(codes[0].reasons, ["CourseNotModifiable"]);

    let codes = parse("* `FAILED_PRECONDITION` for the following request errors: `CourseTitleCannotContainUrl`, `IneligibleOwner` or UserInIllegalDomain.");
    assert_eq!(
        codes[0].reasons,
        [
            "CourseTitleCannotContainUrl",
            "IneligibleOwner",
            "UserInIllegalDomain"
        ]
    );
}

#[test]
fn accepts_bare_codes_dash_bullets_and_backticked_reasons() {
    let text = "This method returns the following error codes:\n\n- PERMISSION_DENIED if the user may not see it.\n- `FAILED_PRECONDITION` for the following request errors:\n  - `CourseMemberLimitReached`\n  - `UserInIllegalDomain`\n- UNAVAILABLE\n";
    let codes = parse(text);
    assert_eq!(
        names(&codes),
        ["PERMISSION_DENIED", "FAILED_PRECONDITION", "UNAVAILABLE"]
    );
    assert_eq!(
        entry(&codes, "FAILED_PRECONDITION").reasons,
        ["CourseMemberLimitReached", "UserInIllegalDomain"]
    );
    assert_eq!(entry(&codes, "UNAVAILABLE").condition, "");

    let one_line = "This method returns the following error codes: - `PERMISSION_DENIED` if denied. - `FAILED_PRECONDITION` for the following request errors: - CourseNotModifiable - IneligibleOwner - `NOT_FOUND` if the well-known user - or course - is missing.";
    let codes = parse(one_line);
    assert_eq!(
        names(&codes),
        ["PERMISSION_DENIED", "FAILED_PRECONDITION", "NOT_FOUND"]
    );
    assert_eq!(
        entry(&codes, "FAILED_PRECONDITION").reasons,
        ["CourseNotModifiable", "IneligibleOwner"]
    );
    assert_eq!(
        entry(&codes, "NOT_FOUND").condition,
        "if the well-known user - or course - is missing."
    );
}

#[test]
fn ends_the_list_at_a_later_paragraph() {
    let text = "This method returns the following error codes:\n\n* `NOT_FOUND` if the course does not exist.\n\nThe following states exist:\n\n* `UNKNOWN`\n* `CANCELLED`\n";
    assert_eq!(names(&parse(text)), ["NOT_FOUND"]);
    assert_eq!(parse(text)[0].condition, "if the course does not exist.");
}

#[test]
fn finds_nothing_in_text_without_codes() {
    assert!(parse("").is_empty());
    assert!(parse("   \n\n  ").is_empty());
    assert!(parse(
        "Returns a course. *Note:* At least one of `user_id` or `course_id` must be supplied."
    )
    .is_empty());
    assert!(parse("Deletes an invitation.\n\n* first\n* second - with dash\n").is_empty());
    assert!(parse("This method returns the following error codes:").is_empty());
}

#[test]
fn every_reported_code_is_canonical() {
    for text in [
        ACCEPT_MULTILINE,
        ACCEPT_ONE_LINE,
        REGISTRATIONS_CREATE_ONE_LINE,
        GUARDIAN_INVITATIONS_LIST_ONE_LINE,
        UPDATE_MASK_PARAMETER,
    ] {
        for code in parse(text) {
            assert!(canonical_http_status(&code.name).is_some(), "{}", code.name);
        }
    }
}

#[test]
fn never_panics_on_any_prefix_or_suffix_of_a_real_text() {
    let texts = [
        ACCEPT_MULTILINE.to_string(),
        ACCEPT_ONE_LINE.to_string(),
        REGISTRATIONS_CREATE_MULTILINE.to_string(),
        UPDATE_MASK_PARAMETER.to_string(),
        // Multi-byte characters next to every interesting byte.
        ACCEPT_ONE_LINE
            .replace(' ', " é ")
            .replace('`', "`’")
            .replace('*', "•*—"),
    ];
    for text in &texts {
        for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let _ = parse(&text[..i]);
            let _ = parse(&text[i..]);
        }
    }
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "`",
        "``",
        "`NOT_FOUND",
        "NOT_FOUND`",
        "* ",
        "*",
        "- ",
        "•",
        " * * * ",
        "(((",
        ")))",
        "errors: errors: :",
        "returns",
        "returns `NOT_FOUND`",
        "`NOT_FOUND` error is",
        "If x, an `ABORTED` error is returned",
        "\u{feff}* `NOT_FOUND` if 💥 (ÉtéÀ)",
        "* `NOT_FOUND` for the following errors:\n\u{2028}* Ünïcödé\n* ÄbcDef",
        "\r\n\r\n*\t`INTERNAL`\tif\r\n\t\t* nested\r\n",
        "returns `NOT_FOUND`.",
    ] {
        let _ = parse(text);
    }
    assert_eq!(names(&parse("returns `NOT_FOUND`.")), ["NOT_FOUND"]);
    assert_eq!(parse("returns `NOT_FOUND`.")[0].condition, "");
}

#[test]
fn stays_fast_on_huge_input() {
    let mut huge = String::new();
    for _ in 0..2000 {
        huge.push_str(ACCEPT_ONE_LINE);
        huge.push(' ');
        huge.push_str(ACCEPT_MULTILINE);
        huge.push('\n');
    }
    let start = std::time::Instant::now();
    let codes = parse(&huge);
    assert_eq!(
        names(&codes),
        ["PERMISSION_DENIED", "FAILED_PRECONDITION", "NOT_FOUND"]
    );
    let adversarial = [
        "returns `NOT_FOUND` ".repeat(50_000),
        "* `NOT_FOUND` if: ".repeat(50_000),
        "`".repeat(200_000),
        "(".repeat(200_000),
        "errors: AbcDef ".repeat(50_000),
        " * a:".repeat(100_000),
        "é".repeat(200_000),
        format!("* `NOT_FOUND` if ({}", "errors: AbcDef (".repeat(50_000)),
        format!(
            "* `NOT_FOUND` if{}",
            " returns `ABORTED` (AbcDef)".repeat(30_000)
        ),
    ];
    for text in &adversarial {
        let _ = parse(text);
    }
    assert!(
        start.elapsed() < std::time::Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
}

/// Regression (review of issue 2): the reason list was deduplicated in quadratic time.
#[test]
fn reads_a_list_of_thousands_of_reasons() {
    let mut text = String::from(
            "This method returns the following error codes:\n* `INVALID_ARGUMENT` for the following request errors:\n",
        );
    for i in 0..20_000 {
        text.push_str(&format!("    * Reason{i}\n"));
    }
    let codes = parse(&text);
    assert_eq!(codes[0].reasons.len(), 20_000);
}
