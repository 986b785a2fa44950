//! Request signatures: Alibaba Cloud RPC v1 and Tencent Cloud v1, both HMAC-SHA1.
//!
//! Each scheme exposes its three stages separately (canonical query, string
//! to sign, signature) so that tests can check each one against the vendors'
//! vectors and the console can compare its string to sign with the one a
//! server sends back in `SignatureDoesNotMatch`.

pub mod aliyun;
pub mod tencent;
pub mod v3;

use std::collections::BTreeMap;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Every signed parameter of a request, `Signature` excluded. A `BTreeMap`
/// of `String` iterates in byte order, which is the order both vendors sort by
/// (so `UserNames.10` comes before `UserNames.2`).
pub type Params = BTreeMap<String, String>;

/// A map of `pairs`, inserted one by one (a key given twice keeps its last
/// value, as `collect` would). A `collect` into a `BTreeMap` sorts first,
/// and every call site's iterator type brings its own copy of the standard
/// library's stable sort into the bundle (about 3 KB of code each);
/// inserting needs none.
pub fn map_of(pairs: impl IntoIterator<Item = (String, String)>) -> Params {
    let mut map = Params::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// A map of fixed pairs (the documented examples).
pub(crate) fn string_map(pairs: &[(&str, &str)]) -> Params {
    map_of(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    )
}

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

/// Signs Alibaba's and Tencent's documented worked examples and compares with
/// their published signatures: `(alibaba_ok, tencent_ok)`. The console runs it
/// at start to show that signing works in the browser it runs in.
pub fn documented_examples() -> (bool, bool) {
    let alibaba = aliyun::sign(
        Method::Get,
        &string_map(examples::ALIYUN_DESCRIBE_REGIONS),
        "testsecret",
    )
    .signature
        == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=";
    let tencent = tencent::sign(
        Method::Get,
        "cvm.tencentcloudapi.com",
        "/",
        &string_map(examples::TENCENT_DESCRIBE_INSTANCES),
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    )
    .is_ok_and(|s| s.signature == "EliP9YW3pW28FpsEdkXt/+WcGeI=");
    (alibaba, tencent)
}

/// The vendors' documented worked examples (vendor-apis.md §1.6 and §3.3).
pub mod examples {
    /// ECS `DescribeRegions`, key `testid` / `testsecret`.
    pub const ALIYUN_DESCRIBE_REGIONS: &[(&str, &str)] = &[
        ("AccessKeyId", "testid"),
        ("Action", "DescribeRegions"),
        ("Format", "XML"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2016-02-23T12:46:24Z"),
        ("Version", "2014-05-26"),
    ];
    /// CVM `DescribeInstances`, Tencent's documented v1 example.
    pub const TENCENT_DESCRIBE_INSTANCES: &[(&str, &str)] = &[
        ("Action", "DescribeInstances"),
        ("InstanceIds.0", "ins-09dx96dg"),
        ("Limit", "20"),
        ("Nonce", "11886"),
        ("Offset", "0"),
        ("Region", "ap-guangzhou"),
        ("SecretId", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"),
        ("Timestamp", "1465185768"),
        ("Version", "2017-03-12"),
    ];
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_map_of_pairs_is_in_byte_order_and_a_repeated_key_keeps_its_last_value() {
        let map = super::map_of(
            [
                ("UserNames.2", "x"),
                ("Action", "a"),
                ("UserNames.10", "y"),
                ("Action", "b"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
        );
        let pairs: Vec<(&str, &str)> = map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            pairs,
            [("Action", "b"), ("UserNames.10", "y"), ("UserNames.2", "x")]
        );
    }

    #[test]
    fn documented_examples_verify() {
        assert_eq!(super::documented_examples(), (true, true));
    }

    #[test]
    fn signatures_match_only_when_equal_to_the_byte() {
        use super::signatures_match;
        assert!(signatures_match("", ""));
        assert!(signatures_match("c2lnbmF0dXJl", "c2lnbmF0dXJl"));
        // Two differences whose bits cancel out ('a' ^ 'b' twice) are still
        // two differences: the bytes' differences are or-ed, not xor-ed.
        assert!(!signatures_match("ab", "ba"), "swapped bytes");
        assert!(
            !signatures_match("c2lnbmF0dXJl", "c2lnbmF0dXJm"),
            "last byte"
        );
        assert!(
            !signatures_match("d2lnbmF0dXJl", "c2lnbmF0dXJl"),
            "first byte"
        );
        assert!(!signatures_match("c2lnbmF0dXJl", "c2lnbmF0dXJ"), "a prefix");
        assert!(!signatures_match("", "x"));
        assert!(!signatures_match("abc", "ABC"), "case counts");
    }
}
