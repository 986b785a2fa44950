//! Tencent Cloud API 3.0 signature v1 (`SignatureMethod=HmacSHA1`), as
//! `tencentcloud-sdk-python-common`'s `_format_sign_string` and `Sign.sign`
//! compute it. The host and path are signed; values are signed raw.

use super::{hmac_sha1_base64, Method, Params, Signed};

pub const SIGNATURE_METHOD: &str = "HmacSHA1";

/// Why a Tencent request cannot be signed here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnsupportedScheme {
    #[error("SignatureMethod {0} is not supported (only HmacSHA1)")]
    Method(String),
}

/// `k=v` joined by `&`, sorted by key, values raw (not URL-encoded).
pub fn canonical_query(params: &Params) -> String {
    let mut out = String::new();
    for (key, value) in params.iter().filter(|(key, _)| key.as_str() != "Signature") {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// `METHOD + host + path + "?" + canonical`.
pub fn string_to_sign(method: Method, host: &str, path: &str, canonical_query: &str) -> String {
    format!("{}{host}{path}?{canonical_query}", method.as_str())
}

/// Base64(HMAC-SHA1(secret key, string to sign)).
pub fn signature(secret_key: &str, string_to_sign: &str) -> String {
    hmac_sha1_base64(secret_key.as_bytes(), string_to_sign)
}

/// All three stages. Tencent chooses the hash from the signed
/// `SignatureMethod` parameter: only `HmacSHA256` selects SHA-256, anything
/// else (or nothing) means HmacSHA1. SHA-256 is not implemented yet, so such a
/// request is refused rather than signed wrongly.
pub fn sign(
    method: Method,
    host: &str,
    path: &str,
    params: &Params,
    secret_key: &str,
) -> Result<Signed, UnsupportedScheme> {
    if let Some(other) = params
        .get("SignatureMethod")
        .filter(|m| m.as_str() == "HmacSHA256")
    {
        return Err(UnsupportedScheme::Method(other.clone()));
    }
    let canonical_query = canonical_query(params);
    let string_to_sign = string_to_sign(method, host, path, &canonical_query);
    let signature = signature(secret_key, &string_to_sign);
    Ok(Signed {
        canonical_query,
        string_to_sign,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproduces_the_documented_cvm_example() {
        let params: Params = crate::sign::examples::TENCENT_DESCRIBE_INSTANCES
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let signed = sign(
            Method::Get,
            "cvm.tencentcloudapi.com",
            "/",
            &params,
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        )
        .unwrap();
        assert_eq!(signed.signature, "EliP9YW3pW28FpsEdkXt/+WcGeI=");
    }

    #[test]
    fn refuses_hmac_sha256_instead_of_signing_it_wrongly() {
        let params: Params = [("SignatureMethod".to_owned(), "HmacSHA256".to_owned())].into();
        assert!(sign(Method::Get, "h", "/", &params, "k").is_err());
    }
}
