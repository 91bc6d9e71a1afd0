//! Flare's application crate: domain types, rules, server functions, REST handlers and
//! components, compiled for the server (`ssr`) and for the browser (`hydrate`).

#![recursion_limit = "256"]

pub mod action;
pub mod app;
pub mod auth;
pub mod board;
pub mod checks;
pub mod components;
pub mod dashboard;
pub mod decision;
pub mod detail;
pub mod error;
pub mod escalation;
pub mod event;
pub mod home;
pub mod launch;
pub mod mail;
pub mod measure;
pub mod meeting;
pub mod notification;
pub mod postmortem;
pub mod raci;
pub mod realtime;
pub mod review;
pub mod runbook;
pub mod team;
pub mod update;
pub mod validate;
pub mod webhook;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod state;

pub use app::{App, shell};
