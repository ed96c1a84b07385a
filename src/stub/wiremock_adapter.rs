//! The wiremock adapter (being written).
