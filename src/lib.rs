//! The SAG client-user console: a Leptos (client-side rendered) app.
//!
//! Logic that needs no DOM lives in plain modules tested natively
//! (`config`, `create_form`, `users`, `format`, `client`'s policies); the
//! `ui` modules only read signals and render.

pub mod app;
pub mod client;
pub mod config;
pub mod create_form;
pub mod format;
pub mod platform;
pub mod self_check;
pub mod services;
pub mod session;
pub mod transport;
pub mod ui;
pub mod users;

pub use app::{App, Console};
