//! The SAG client-user console: a Leptos (client-side rendered) app.

pub mod app;
pub mod self_check;

pub use app::App;
