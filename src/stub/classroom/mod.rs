//! The Google Classroom Invitations emulator, the embedded default target, and its fixture.

mod emulator;
pub mod fixture;

pub use emulator::Emulator;
pub use fixture::Fixture;
