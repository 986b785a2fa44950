//! The CAM area: Tencent Cloud CAM sub-users.
//!
//! - `services`: the named operations, the only way these pages reach the cloud;
//! - pages: `users` (the list, `/cam`), `add` (`/cam/new`, with the one-time
//!   credentials view), `detail` (`/cam/users/<name>`), and the `delete` dialog
//!   both offer;
//! - plain logic tested natively: `list` (columns, search, sort) and
//!   `add_form` (the form's checks, the credentials CSV, error fields).

pub mod add;
pub mod add_form;
pub mod delete;
pub mod detail;
pub mod edit;
pub mod list;
pub mod services;
pub mod users;
