//! HTTP-level tests: the emulator on a free loopback port, driven by requests
//! signed by the api crate.

mod support;

mod http {
    pub mod auth;
    pub mod cam;
    pub mod hostile;
    pub mod ops;
    pub mod smartag;
    pub mod v3;
}
