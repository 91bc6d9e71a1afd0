//! Accounts, roles, sessions and API tokens: who the caller is and what their role allows.

pub mod admin;
pub mod api;
pub mod login;
pub mod model;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::{Actor, FunctionalArea, Permission, Person, Role, User, UserId};
