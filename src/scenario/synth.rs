//! Values synthesized from schemas (being written).
