//! Request signatures: Alibaba Cloud RPC v1 and Tencent Cloud v1, both HMAC-SHA1.
//!
//! Each scheme exposes its three stages separately (canonical query, string
//! to sign, signature) so that tests can check each one against the vendors'
//! vectors and the console can compare its string to sign with the one a
//! server sends back in `SignatureDoesNotMatch`.

pub mod aliyun;
pub mod tencent;

use std::collections::BTreeMap;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Every signed parameter of a request, `Signature` excluded. A `BTreeMap`
/// of `String` iterates in byte order, which is the order both vendors sort by
/// (so `UserNames.10` comes before `UserNames.2`).
pub type Params = BTreeMap<String, String>;

/// The HTTP method; part of both vendors' string to sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }

    pub fn parse(text: &str) -> Option<Method> {
        match text {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            _ => None,
        }
    }
}

/// The three stages of a signature, kept for diagnosis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub canonical_query: String,
    pub string_to_sign: String,
    /// Base64, not URL-encoded.
    pub signature: String,
}

/// Base64(HMAC-SHA1(key, message)).
pub(crate) fn hmac_sha1_base64(key: &[u8], message: &str) -> String {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Compares two signatures in constant time (the emulator uses this to verify).
pub fn signatures_match(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
