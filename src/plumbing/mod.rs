//! The plumbing both areas share: the client that signs, sends and applies
//! the retry and ambiguous-failure policies (`client`), the browser's
//! transport (`transport`), and browser facilities behind plain functions
//! (`platform`), and the one loop of every bulk run (`bulk`). Nothing here
//! knows about pages.

pub mod bulk;
pub mod client;
pub mod platform;
pub mod transport;
pub mod vault;

pub use client::{ApiClient, CallError, Mutation, RetryNotice};
