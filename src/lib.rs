//! The console: a Leptos (client-side rendered) app for Alibaba Cloud SAG
//! App client users and Tencent Cloud CAM sub-users.
//!
//! One folder per area:
//! - `shell`: the layout, Settings (both clouds' keys), the connection guard,
//!   and what every page shares (errors, notices, dialog, form field);
//! - `sag`: the SAG App area (instances, users, new user, online now);
//! - `cam`: the CAM area (sub-users, add, details, delete);
//! - `plumbing`: the client (signing, retry and ambiguous-failure policies),
//!   the browser transport and browser facilities.
//!
//! Pages reach a cloud only through their area's `services`. Logic that
//! needs no DOM lives in plain modules tested natively (`config`, `format`,
//! `sag::list`, `sag::create_form`, `cam::list`, `cam::add_form`, the
//! services and the client's policies).

pub mod app;
pub mod cam;
pub mod config;
pub mod csv;
pub mod format;
pub mod i18n;
pub mod list_view;
pub mod plumbing;
pub mod sag;
pub mod shell;
pub mod text;

pub use app::{App, Console};
