//! The live escalation board: one column per stage, cards moved by drag and drop or by a
//! keyboard/touch menu, every change checked against the version the mover saw, and every
//! committed change applied live to every open board.

pub mod api;
pub mod card;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::{BoardFilter, BoardState, BoardView, Card, Column};
