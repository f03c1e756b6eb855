//! Domain types and rules shared by browser and server. Nothing here does I/O.

pub mod board;
pub mod money;
pub mod positions;
pub mod types;

pub use types::*;
