//! Alibaba Cloud RPC signature v1 (`SignatureMethod=HMAC-SHA1`,
//! `SignatureVersion=1.0`), as `aliyun-python-sdk-core`'s
//! `rpc_signature_composer` computes it.

use super::{hmac_sha1_base64, Method, Params, Signed};
use crate::wire::percent_encode;

pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
pub const SIGNATURE_VERSION: &str = "1.0";

/// `pe(k)=pe(v)` joined by `&`, sorted by raw key, `Signature` left out.
/// Empty values stay as `k=`.
pub fn canonical_query(params: &Params) -> String {
    crate::wire::encode_pairs(
        params
            .iter()
            .filter(|(key, _)| key.as_str() != "Signature")
            .map(|(key, value)| (key.as_str(), value.as_str())),
    )
}

/// `METHOD&%2F&pe(canonical)`. The host is not signed, so any proxy works.
pub fn string_to_sign(method: Method, canonical_query: &str) -> String {
    format!(
        "{}&%2F&{}",
        method.as_str(),
        percent_encode(canonical_query)
    )
}

/// Base64(HMAC-SHA1(secret + "&", string to sign)).
pub fn signature(access_key_secret: &str, string_to_sign: &str) -> String {
    let key = format!("{access_key_secret}&");
    hmac_sha1_base64(key.as_bytes(), string_to_sign)
}

/// All three stages for `params` sent with `method`.
pub fn sign(method: Method, params: &Params, access_key_secret: &str) -> Signed {
    let canonical_query = canonical_query(params);
    let string_to_sign = string_to_sign(method, &canonical_query);
    let signature = signature(access_key_secret, &string_to_sign);
    Signed {
        canonical_query,
        string_to_sign,
        signature,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc_example() -> Params {
        crate::sign::examples::ALIYUN_DESCRIBE_REGIONS
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reproduces_the_documented_example() {
        let signed = sign(Method::Get, &doc_example(), "testsecret");
        assert_eq!(signed.signature, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
        assert!(signed
            .string_to_sign
            .starts_with("GET&%2F&AccessKeyId%3Dtestid%26"));
        assert!(signed
            .string_to_sign
            .contains("Timestamp%3D2016-02-23T12%253A46%253A24Z"));
    }

    #[test]
    fn method_changes_the_signature_and_signature_param_is_ignored() {
        let mut params = doc_example();
        let get = sign(Method::Get, &params, "testsecret");
        let post = sign(Method::Post, &params, "testsecret");
        assert_ne!(get.signature, post.signature);
        params.insert("Signature".into(), "whatever".into());
        assert_eq!(sign(Method::Get, &params, "testsecret"), get);
    }
}
