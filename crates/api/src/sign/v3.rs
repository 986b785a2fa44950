//! The current signatures, both HMAC-SHA256 over a canonical request:
//! Alibaba Cloud `ACS3-HMAC-SHA256` and Tencent Cloud `TC3-HMAC-SHA256`
//! (`../shared/reference/signing-v3.md`). Every stage is kept, so tests check
//! each against the vendors' vectors and an error can show where a server's
//! canonical request differs from ours.

use std::collections::BTreeMap;
use std::fmt::Write;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::Method;
use crate::wire::percent_encode;

pub const ACS3: &str = "ACS3-HMAC-SHA256";
pub const TC3: &str = "TC3-HMAC-SHA256";

/// SHA-256 of the empty string: the payload hash of a request without a body.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Every stage of a V3 signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedV3 {
    pub canonical_request: String,
    pub hashed_canonical_request: String,
    pub string_to_sign: String,
    pub signed_headers: String,
    pub signature: String,
    pub authorization: String,
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// `name:value\n` per header in name order, and the names joined by `;`
/// (names already lower case, values already trimmed).
fn canonical_headers(headers: &BTreeMap<String, String>) -> (String, String) {
    let mut lines = String::new();
    for (name, value) in headers {
        let _ = writeln!(lines, "{name}:{value}");
    }
    let names = headers.keys().cloned().collect::<Vec<_>>().join(";");
    (lines, names)
}

/// Alibaba's canonical query: sorted by name (byte order), RFC 3986
/// encoded once, `name=` for an empty value.
pub fn acs3_canonical_query(query: &BTreeMap<String, String>) -> String {
    query
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Signs an Alibaba request. `headers` are exactly the headers to sign
/// (any case; `host`, `content-type` with a body, and the `x-acs-*`
/// headers, `x-acs-content-sha256` among them, equal to the SHA-256 of the
/// exact body bytes or [`EMPTY_SHA256`]).
pub fn acs3(
    method: Method,
    query: &BTreeMap<String, String>,
    headers: &BTreeMap<String, String>,
    access_key_id: &str,
    access_key_secret: &str,
) -> SignedV3 {
    let headers = super::map_of(
        headers
            .iter()
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned())),
    );
    let payload_hash = headers
        .get("x-acs-content-sha256")
        .map_or(EMPTY_SHA256, String::as_str);
    let (canonical_headers, signed_headers) = canonical_headers(&headers);
    let canonical_request = format!(
        "{}\n/\n{}\n{canonical_headers}\n{signed_headers}\n{payload_hash}",
        method.as_str(),
        acs3_canonical_query(query),
    );
    let hashed_canonical_request = sha256_hex(canonical_request.as_bytes());
    let string_to_sign = format!("{ACS3}\n{hashed_canonical_request}");
    let signature = hex(&hmac_sha256(
        access_key_secret.as_bytes(),
        string_to_sign.as_bytes(),
    ));
    let authorization = format!(
        "{ACS3} Credential={access_key_id},SignedHeaders={signed_headers},Signature={signature}"
    );
    SignedV3 {
        canonical_request,
        hashed_canonical_request,
        string_to_sign,
        signed_headers,
        signature,
        authorization,
    }
}

/// The UTC date (`YYYY-MM-DD`) of Unix seconds, for TC3's credential scope
/// (days-from-civil inverted; no clock library needed).
pub fn utc_date(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Signs a Tencent request. `signed` are the headers to sign, any case:
/// `content-type` (byte-identical to the one sent) and `host`, as the SDKs
/// sign them, or more; names and values are lower-cased and trimmed. The
/// payload is the exact body bytes (`""` for GET), the query the exact query
/// string (`""` for POST).
#[allow(clippy::too_many_arguments)]
pub fn tc3(
    method: Method,
    query: &str,
    signed: &BTreeMap<String, String>,
    payload: &str,
    service: &str,
    timestamp: i64,
    secret_id: &str,
    secret_key: &str,
) -> SignedV3 {
    let headers = super::map_of(
        signed
            .iter()
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_lowercase())),
    );
    let (canonical_headers, signed_headers) = canonical_headers(&headers);
    let canonical_request = format!(
        "{}\n/\n{query}\n{canonical_headers}\n{signed_headers}\n{}",
        method.as_str(),
        sha256_hex(payload.as_bytes()),
    );
    let hashed_canonical_request = sha256_hex(canonical_request.as_bytes());
    let date = utc_date(timestamp);
    let scope = format!("{date}/{service}/tc3_request");
    let string_to_sign = format!("{TC3}\n{timestamp}\n{scope}\n{hashed_canonical_request}");
    let secret_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let secret_service = hmac_sha256(&secret_date, service.as_bytes());
    let secret_signing = hmac_sha256(&secret_service, b"tc3_request");
    let signature = hex(&hmac_sha256(&secret_signing, string_to_sign.as_bytes()));
    let authorization = format!(
        "{TC3} Credential={secret_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    );
    SignedV3 {
        canonical_request,
        hashed_canonical_request,
        string_to_sign,
        signed_headers,
        signature,
        authorization,
    }
}

/// The published signature of Alibaba's documented V3 example.
const ACS3_EXAMPLE_SIGNATURE: &str =
    "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0";
/// The published signature of Tencent's documented TC3 example.
const TC3_EXAMPLE_SIGNATURE: &str =
    "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168";

/// Alibaba's documented example (ECS `RunInstances`), signed.
fn acs3_documented_example() -> SignedV3 {
    acs3(
        Method::Post,
        &super::string_map(&[
            (
                "ImageId",
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
            ),
            ("RegionId", "cn-shanghai"),
        ]),
        &super::string_map(&[
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-version", "2014-05-26"),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-content-sha256", EMPTY_SHA256),
        ]),
        "YourAccessKeyId",
        "YourAccessKeySecret",
    )
}

/// Tencent's documented example (CVM `DescribeInstances`), signed.
fn tc3_documented_example() -> SignedV3 {
    tc3(
        Method::Post,
        "",
        &super::string_map(&[
            ("Content-Type", "application/json; charset=utf-8"),
            ("Host", "cvm.tencentcloudapi.com"),
        ]),
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#,
        "cvm",
        1_551_113_065,
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    )
}

/// Signs Alibaba's and Tencent's documented V3 examples and compares with
/// their published values: `(acs3_ok, tc3_ok)`. The console runs it at start
/// to show that V3 signing works in the browser it runs in.
pub fn documented_examples() -> (bool, bool) {
    (
        acs3_documented_example().signature == ACS3_EXAMPLE_SIGNATURE,
        tc3_documented_example().signature == TC3_EXAMPLE_SIGNATURE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_examples_verify() {
        assert_eq!(documented_examples(), (true, true));
    }

    #[test]
    fn the_empty_body_hash_is_the_hash_of_nothing() {
        assert_eq!(sha256_hex(b""), EMPTY_SHA256);
    }

    #[test]
    fn the_canonical_query_encodes_once_with_rfc_3986() {
        let query: BTreeMap<String, String> = [
            ("UserMail", "a+b*c~d e@example.com"),
            ("UserNames.10", "x"),
            ("UserNames.2", ""),
            ("Name", "张三"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(
            acs3_canonical_query(&query),
            "Name=%E5%BC%A0%E4%B8%89&UserMail=a%2Bb%2Ac~d%20e%40example.com&UserNames.10=x&UserNames.2="
        );
    }

    #[test]
    fn repeated_and_empty_values_stay_separate_pairs() {
        // Alibaba lists are indexed keys: the same value under several keys
        // gives several pairs, sorted by key; an empty value is `key=`.
        let query: BTreeMap<String, String> = [
            ("UserNames.1", "a b"),
            ("UserNames.2", "a b"),
            ("UserNames.10", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(
            acs3_canonical_query(&query),
            "UserNames.1=a%20b&UserNames.10=&UserNames.2=a%20b"
        );
        // TC3 signs a GET query exactly as sent: a repeated key and an empty
        // value are kept, in their order, and not re-encoded.
        let headers: BTreeMap<String, String> = [
            ("content-type", "application/x-www-form-urlencoded"),
            ("host", "cam.tencentcloudapi.com"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let signed = tc3(
            Method::Get,
            "b=2&a=1&a=1&c=",
            &headers,
            "",
            "cam",
            0,
            "id",
            "key",
        );
        assert!(signed
            .canonical_request
            .starts_with("GET\n/\nb=2&a=1&a=1&c=\ncontent-type:"));
        assert!(signed.canonical_request.ends_with(EMPTY_SHA256));
    }

    #[test]
    fn the_utc_date_turns_at_midnight_utc() {
        assert_eq!(utc_date(1_551_113_065), "2019-02-25");
        assert_eq!(utc_date(1_551_139_199), "2019-02-25"); // 23:59:59 UTC
        assert_eq!(utc_date(1_551_139_200), "2019-02-26"); // 00:00:00 UTC
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(4_102_444_800), "2100-01-01");
    }

    #[test]
    fn the_utc_date_agrees_with_a_calendar_library_over_nine_centuries() {
        // Every 37 days and 12,345 seconds from 1600 to 2500, before the
        // epoch included: centuries that are not leap years (1700, 1800,
        // 1900, 2100, 2200, 2300) and those that are (1600, 2000, 2400).
        let from = -11_676_096_000i64; // 1600-01-01
        let to = 16_725_225_600i64; // 2500-01-01
        let mut t = from;
        let mut checked = 0;
        while t < to {
            let expected = crate::request::format_aliyun_timestamp(t);
            assert_eq!(utc_date(t), &expected[..10], "{t}");
            t += 37 * 86_400 + 12_345;
            checked += 1;
        }
        assert!(checked > 8_000, "{checked}");
        for (t, date) in [
            (-1, "1969-12-31"),
            (-86_400, "1969-12-31"),
            (-86_401, "1969-12-30"),
            (-2_203_977_600, "1900-02-28"),
            (-2_203_891_200, "1900-03-01"),
            (4_107_456_000, "2100-02-28"),
            (4_107_542_400, "2100-03-01"),
            (13_574_563_200, "2400-02-29"),
        ] {
            assert_eq!(utc_date(t), date, "{t}");
        }
    }

    #[test]
    fn tc3_reproduces_the_documented_example() {
        let signed = tc3_documented_example();
        assert_eq!(
            signed.hashed_canonical_request,
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            signed.signature,
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
    }

    #[test]
    fn acs3_reproduces_the_documented_example() {
        let signed = acs3_documented_example();
        assert_eq!(
            signed.hashed_canonical_request,
            "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(
            signed.signature,
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }
}
