//! Client core for Alibaba Cloud Smartag (`2018-03-13`, RPC signature v1) and
//! Tencent Cloud CAM (`2019-01-16`, signature v1).
//!
//! Pure Rust with no web dependencies: it compiles for the host and for
//! `wasm32-unknown-unknown`. It turns typed actions into signed HTTP requests
//! ([`request`]), turns response bytes into typed results or an [`ApiError`]
//! ([`decode`]), and validates what an admin types ([`validate`]). It never
//! performs I/O: the browser transport and the emulator's tests send the bytes.

pub mod action;
pub mod cam;
pub mod decode;
pub mod error;
pub mod json;
pub mod lenient;
pub mod request;
pub mod secret;
pub mod sign;
pub mod smartag;
pub mod validate;
pub mod wire;

pub use action::{Action, Product};
pub use decode::decode;
pub use error::{ApiError, ErrorKind, Field, ServiceError, SignatureDiagnosis, Vendor};
pub use request::{Credentials, HttpRequest, Placement, RequestStamp, Scheme};
pub use secret::Secret;
pub use sign::{Method, Params};
