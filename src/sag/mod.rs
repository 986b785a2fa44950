//! The SAG area: Alibaba Cloud Smart Access Gateway App client users.
//!
//! - `services`: the named operations, the only way these pages reach the cloud;
//! - pages: `instances` (the instance picker), `scope` (the parent route of one
//!   instance: header and tabs), `users` (the list), `create` (the form),
//!   `online` (who is online);
//! - plain logic tested natively: `list` (search, sort, URL state, summaries),
//!   `create_form` (the form's checks).

pub mod create;
pub mod create_form;
pub mod edit;
pub mod export;
pub mod import;
pub mod import_page;
pub mod import_progress;
pub mod instances;
pub mod list;
pub mod online;
pub mod scope;
pub mod services;
pub mod users;
