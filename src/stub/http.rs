//! The hyper adapter (being written).
