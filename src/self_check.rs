//! A start-up check that the API layer works in this browser: it signs the
//! vendors' documented examples and compares with their published signatures.

use sag_api::sign::{aliyun, tencent, Method, Params};

/// What the self-check found, for the landing page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfCheck {
    pub aliyun_ok: bool,
    pub tencent_ok: bool,
}

impl SelfCheck {
    pub fn passed(&self) -> bool {
        self.aliyun_ok && self.tencent_ok
    }
}

fn params(pairs: &[(&str, &str)]) -> Params {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Signs Alibaba's and Tencent's documented worked examples.
pub fn run() -> SelfCheck {
    let aliyun_params = params(&[
        ("AccessKeyId", "testid"),
        ("Action", "DescribeRegions"),
        ("Format", "XML"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2016-02-23T12:46:24Z"),
        ("Version", "2014-05-26"),
    ]);
    let aliyun_ok = aliyun::sign(Method::Get, &aliyun_params, "testsecret").signature
        == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=";
    let tencent_params = params(&[
        ("Action", "DescribeInstances"),
        ("InstanceIds.0", "ins-09dx96dg"),
        ("Limit", "20"),
        ("Nonce", "11886"),
        ("Offset", "0"),
        ("Region", "ap-guangzhou"),
        ("SecretId", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"),
        ("Timestamp", "1465185768"),
        ("Version", "2017-03-12"),
    ]);
    let tencent_ok = tencent::sign(
        Method::Get,
        "cvm.tencentcloudapi.com",
        "/",
        &tencent_params,
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    )
    .is_ok_and(|s| s.signature == "EliP9YW3pW28FpsEdkXt/+WcGeI=");
    SelfCheck {
        aliyun_ok,
        tencent_ok,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn documented_examples_sign_correctly() {
        assert!(super::run().passed());
    }
}
