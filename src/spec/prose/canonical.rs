//! The canonical Google error codes (`google.rpc.Code`) and the HTTP status each maps to.
//!
//! Imports nothing.

/// The canonical Google error codes and their HTTP statuses.
pub(super) const CANONICAL: [(&str, u16); 16] = [
    ("INVALID_ARGUMENT", 400),
    ("FAILED_PRECONDITION", 400),
    ("OUT_OF_RANGE", 400),
    ("UNAUTHENTICATED", 401),
    ("PERMISSION_DENIED", 403),
    ("NOT_FOUND", 404),
    ("ALREADY_EXISTS", 409),
    ("ABORTED", 409),
    ("RESOURCE_EXHAUSTED", 429),
    ("CANCELLED", 499),
    ("UNKNOWN", 500),
    ("INTERNAL", 500),
    ("DATA_LOSS", 500),
    ("UNIMPLEMENTED", 501),
    ("UNAVAILABLE", 503),
    ("DEADLINE_EXCEEDED", 504),
];

/// HTTP status of a canonical Google error code, or None when `name` is not one.
pub fn canonical_http_status(name: &str) -> Option<u16> {
    CANONICAL
        .iter()
        .find(|(code, _)| *code == name)
        .map(|&(_, status)| status)
}

/// The canonical spelling of `name`, when it is a canonical code.
pub(super) fn canonical_name(name: &str) -> Option<&'static str> {
    CANONICAL
        .iter()
        .find(|(code, _)| *code == name)
        .map(|&(code, _)| code)
}
