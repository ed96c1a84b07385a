//! Reads documented error codes from Google-style prose in descriptions.
//!
//! Google APIs rarely list their error responses under `responses`; they
//! write them into the operation's description instead:
//!
//! ```text
//! This method returns the following error codes:
//!
//! * `PERMISSION_DENIED` if the requesting user is not permitted to accept the
//! requested invitation or for access errors.
//! * `FAILED_PRECONDITION` for the following request errors:
//!     * CourseMemberLimitReached
//!     * CourseNotModifiable
//! * `NOT_FOUND` if no invitation exists with the requested ID.
//! ```
//!
//! Converters such as the APIs-guru one fold the same text into one line
//! ("... error codes: * `PERMISSION_DENIED` if ... * `FAILED_PRECONDITION`
//! for the following request errors: * CourseMemberLimitReached * ..."), so
//! [`parse`] reads both shapes.
//!
//! # Rules
//!
//! The text is first cut into *items*: a bullet item starts at a `*`, `-`,
//! `+` or `•` marker that begins a line (after indentation) and is followed by
//! whitespace, or at a whitespace-delimited `*`/`•` in the middle of a line
//! (the one-line form); a mid-line `-` is a marker only when what follows
//! looks like an entry (a canonical code or a CamelCase name), so ordinary
//! dashes in prose are left alone. Lines that are not bullets continue the
//! item before them (lazy markdown continuation) unless a blank line came
//! first, in which case they start a prose paragraph.
//!
//! Then, in order:
//!
//! * A **code bullet** is a bullet whose item starts with a canonical code
//!   (see [`canonical_http_status`]), backticked or bare. It counts when it
//!   follows a paragraph announcing an error list ("error code(s)",
//!   "following errors", "...errors:"), or, anywhere, when the code is
//!   followed by a condition (`if`, `for`, `when`, `unless`, `where`,
//!   `because`, `on`, `in case`, or a `:`/`-` separator). The rest of the
//!   item is its condition.
//! * While the current code's condition ends with a colon after a clause
//!   naming errors or reasons ("for the following request errors:"), bullets
//!   whose item is a CamelCase name (bare or backticked) are **reasons** of
//!   that code.
//! * Other bullets are prose. Nested under a code (deeper indentation; in the
//!   one-line form, any prose bullet right after a code's condition) they are
//!   folded into its condition, as in "`NOT_FOUND` if: * the feed ... * ...".
//!   Otherwise they close the current code.
//! * Reasons written inline in a condition are read too: a parenthesised
//!   list of CamelCase names ("(CourseNotModifiable)") or CamelCase names
//!   right after "errors:" / "reasons:".
//! * **Codes outside such a list** count only when the sentence says they
//!   are returned: the code (or a run of codes joined by `,`/`or`/`and`) is
//!   directly preceded by `return`/`returns`/`returned`/`returning` or
//!   `fail(s) with` (an article in between is fine: "returns an
//!   `INVALID_ARGUMENT` error"), or directly followed by an optional
//!   `error`/`status`/`code` and an auxiliary plus `returned` ("an
//!   `INVALID_ARGUMENT` error is returned"). A negation or "instead of" /
//!   "rather than" right before the verb vetoes it ("does not return
//!   `NOT_FOUND`", "instead of returning `NOT_FOUND`"). Codes only mentioned
//!   in passing ("retry `UNAVAILABLE` errors", "`NOT_FOUND` maps to 404")
//!   are ignored. Bare (un-backticked) codes are taken here only when they
//!   contain an underscore, so ordinary words like "UNKNOWN" in prose are
//!   not read as codes. The condition of such a mention is the rest of its
//!   sentence (for the passive form, a leading "If ..." clause), at most
//!   1000 bytes.
//! * Only the canonical Google codes count; other backticked words
//!   (`user_id`, `PUBLISHED`) are ignored.
//!
//! A code documented more than once is reported once, at its first place,
//! with the first non-empty condition and the union of its reasons.
//!
//! The parser never panics (it slices only at ASCII positions or checked
//! char boundaries) and runs in time linear in the input, up to small
//! bounded look-arounds.
//!
//! This module imports nothing but `std`. `mod.rs` only declares the files and re-exports:
//! `canonical` (the code table), `items` (cutting text into bullets and paragraphs), `reasons`
//! (reason names and conditions), `inline` (codes in running prose), `collect` (folding
//! occurrences into one entry per code) and `parse` (the parser walking the items).

mod canonical;
mod collect;
mod inline;
mod items;
mod parse;
mod reasons;
#[cfg(test)]
mod tests;

pub use canonical::canonical_http_status;
pub use collect::ProseErrorCode;
pub use parse::parse;
