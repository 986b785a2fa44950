//! Replays the exact wire requests recorded in the vendors' vector files
//! (`sdk_request_path_and_query`, `sdk_form_body`, `sdk_wire`) against the
//! emulator, with its clock pinned to each vector's timestamp, and expects a
//! signature-verified answer: success or a business error, never an
//! authentication failure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cloud_emulator::{Config, KeyPair, Seed};
use sag_api::wire::encode_pairs;
use serde_json::{json, Value};

const AUTH_FAILURES: &[&str] = &[
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "InvalidAccessKeyId.NotFound",
    "InvalidTimeStamp.Expired",
    "InvalidTimeStamp.Format",
    "SignatureNonceUsed",
    "AuthFailure.SignatureFailure",
    "AuthFailure.SecretIdNotFound",
    "AuthFailure.SignatureExpire",
    "AuthFailure.TokenFailure",
    "MissingParameter",
];

fn vectors(file: &str) -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = match std::env::var_os("SIGNING_VECTORS_DIR") {
        Some(d) if Path::new(&d).is_absolute() => PathBuf::from(d),
        Some(d) => root.join(d),
        None => root.join("../shared/vectors"),
    };
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("a JSON array of vectors")
}

/// A vector's object of strings (`query`, `headers`) as a map.
fn strings(v: &Value, key: &str) -> BTreeMap<String, String> {
    v[key]
        .as_object()
        .unwrap_or_else(|| panic!("vector field {key} missing"))
        .iter()
        .map(|(k, x)| (k.clone(), x.as_str().unwrap().to_owned()))
        .collect()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("vector field {key} missing"))
}

fn keys(vectors: &[Value]) -> Vec<KeyPair> {
    let mut pairs = BTreeMap::new();
    for v in vectors {
        let (id, secret) = (s(v, "access_key_id"), s(v, "access_key_secret"));
        let previous = pairs.insert(id.to_owned(), secret.to_owned());
        assert!(
            previous.is_none_or(|p| p == secret),
            "key {id} has two secrets across vectors"
        );
    }
    pairs
        .into_iter()
        .map(|(id, secret)| KeyPair {
            id,
            secret,
            token: None,
        })
        .collect()
}

/// The answer's error code, if any (JSON or XML).
fn error_code(body: &str) -> Option<String> {
    if let Ok(v) = serde_json::from_str::<Value>(body) {
        let code = v.get("Code").or_else(|| v.pointer("/Response/Error/Code"));
        return code.and_then(Value::as_str).map(str::to_owned);
    }
    let start = body.find("<Code>")? + "<Code>".len();
    let end = body[start..].find("</Code>")? + start;
    Some(body[start..end].to_owned())
}

struct Replay {
    http: reqwest::Client,
    base: String,
}

impl Replay {
    async fn control(&self, path: &str, body: Value) {
        let r = self
            .http
            .post(format!("{}/_emulator/{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_success(),
            "control {path}: {}",
            r.text().await.unwrap_or_default()
        );
    }

    async fn send(&self, method: &str, path_and_query: &str, body: Option<&str>) -> (u16, String) {
        let url = format!("{}{path_and_query}", self.base);
        let request = match method {
            "GET" => self.http.get(url),
            _ => self.http.post(url),
        };
        let request = match body {
            Some(b) => request
                .header("content-type", "application/x-www-form-urlencoded")
                .body(b.to_owned()),
            None => request,
        };
        let response = request.send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }
}

fn check(id: &str, status: u16, body: &str) -> String {
    let code = error_code(body);
    if let Some(c) = &code {
        assert!(
            !AUTH_FAILURES.contains(&c.as_str()),
            "{id}: not signature-verified: HTTP {status} {body}"
        );
    }
    code.unwrap_or_else(|| "OK".into())
}

#[tokio::test]
async fn alibaba_sdk_wire_requests_are_verified() {
    let vectors = vectors("aliyun_rpc_v1.json");
    let config = Config {
        seed: Seed::Empty,
        tick_ms: 0,
        aliyun_keys: keys(&vectors),
        ..Config::default()
    };
    let emu = cloud_emulator::start(config).await.unwrap();
    let replay = Replay {
        http: reqwest::Client::new(),
        base: emu.url(),
    };
    let mut outcomes = BTreeMap::new();
    for v in &vectors {
        let id = s(v, "id");
        let params = v["params"].as_object().unwrap();
        let timestamp = params
            .get("Timestamp")
            .or_else(|| params.get("TimeStamp"))
            .and_then(Value::as_str)
            .unwrap();
        let unix = sag_api::request::parse_aliyun_timestamp(timestamp).unwrap();
        replay.control("reset", json!({"seed": "empty"})).await;
        replay.control("clock", json!({"unix_seconds": unix})).await;
        if let (Some(sag), Some(region)) = (
            params.get("SmartAGId").and_then(Value::as_str),
            params.get("RegionId").and_then(Value::as_str),
        ) {
            replay
                .control(
                    "instances",
                    json!({"id": sag, "region": region, "cidr": "10.0.0.0/16", "user_quota": 50}),
                )
                .await;
        }
        let signature = encode_pairs([("Signature", s(v, "signature"))]);
        let (path, body) = match v.get("sdk_request_path_and_query").and_then(Value::as_str) {
            Some(p) => (
                p.to_owned(),
                v.get("sdk_form_body")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            ),
            None => {
                // Tea captures and documentation examples record the parameters,
                // not the URL: lay the query out as the SDK does.
                let source = v
                    .get("query_params")
                    .and_then(Value::as_object)
                    .unwrap_or(params);
                let pairs = source
                    .iter()
                    .map(|(k, val)| (k.as_str(), val.as_str().unwrap()));
                (
                    format!("/?{}&{signature}", encode_pairs(pairs)),
                    v.get("sdk_form_body")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                )
            }
        };
        let (status, text) = replay.send(s(v, "method"), &path, body.as_deref()).await;
        outcomes.insert(id.to_owned(), check(id, status, &text));
    }
    println!("{outcomes:#?}");
    assert_eq!(outcomes.len(), vectors.len());
    assert_eq!(
        outcomes["CreateSmartAccessGatewayClientUser-basic-POST-body"],
        "OK"
    );
    assert_eq!(
        outcomes["tea-KickOutClients-POST-query"],
        "ClientUser.NameInvalid"
    );
    assert_eq!(
        outcomes["doc-example-describeregions-Timestamp"],
        "InvalidVersion"
    );
    emu.stop().await;
}

#[tokio::test]
async fn tencent_sdk_wire_requests_are_verified() {
    let vectors = vectors("tencent_v1.json");
    let mut by_host: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for v in &vectors {
        by_host.entry(s(v, "host").to_owned()).or_default().push(v);
    }
    let mut outcomes = BTreeMap::new();
    for (host, group) in by_host {
        let owned: Vec<Value> = group.iter().map(|v| (*v).clone()).collect();
        let config = Config {
            seed: Seed::Empty,
            tick_ms: 0,
            tencent_keys: keys(&owned),
            tencent_host: host.clone(),
            ..Config::default()
        };
        let emu = cloud_emulator::start(config).await.unwrap();
        let replay = Replay {
            http: reqwest::Client::new(),
            base: emu.url(),
        };
        for v in group {
            let id = s(v, "id");
            let params = v["params"].as_object().unwrap();
            let unix: i64 = params["Timestamp"].as_str().unwrap().parse().unwrap();
            replay.control("reset", json!({"seed": "empty"})).await;
            replay.control("clock", json!({"unix_seconds": unix})).await;
            let method = s(v, "method");
            let (path, body) = match v.get("sdk_wire").and_then(Value::as_str) {
                Some(wire) => match wire.split_once(" body: ") {
                    Some((_, body)) => ("/".to_owned(), Some(body.to_owned())),
                    None => (format!("/?{}", wire.split_once('?').unwrap().1), None),
                },
                None => {
                    let pairs = params
                        .iter()
                        .map(|(k, val)| (k.as_str(), val.as_str().unwrap()));
                    let all = format!(
                        "{}&{}",
                        encode_pairs(pairs),
                        encode_pairs([("Signature", s(v, "signature"))])
                    );
                    if method == "GET" {
                        (format!("/?{all}"), None)
                    } else {
                        ("/".to_owned(), Some(all))
                    }
                }
            };
            let (status, text) = replay.send(method, &path, body.as_deref()).await;
            outcomes.insert(id.to_owned(), check(id, status, &text));
        }
        emu.stop().await;
    }
    println!("{outcomes:#?}");
    assert_eq!(outcomes.len(), vectors.len());
    assert_eq!(outcomes["ListUsers-GET"], "OK");
    assert_eq!(outcomes["AddUser-basic-POST"], "OK");
    assert_eq!(
        outcomes["doc-example-cvm-DescribeInstances-GET"],
        "NoSuchVersion"
    );
}

/// The ACS3 vectors' requests, sent as the SDK sent them (query, signed
/// headers, `Authorization`, body) with the clock pinned to `x-acs-date`:
/// every one is signature-verified. Vectors with an STS token run against
/// a key that has it.
#[tokio::test]
async fn alibaba_acs3_requests_are_verified() {
    let vectors = vectors("v3/aliyun_acs3.json");
    let mut outcomes = BTreeMap::new();
    for with_token in [false, true] {
        let group: Vec<&Value> = vectors
            .iter()
            .filter(|v| v.get("security_token").is_some_and(Value::is_string) == with_token)
            .collect();
        let mut pairs: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
        for v in &group {
            pairs.insert(
                s(v, "access_key_id").to_owned(),
                (
                    s(v, "access_key_secret").to_owned(),
                    v.get("security_token")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                ),
            );
        }
        let config = Config {
            seed: Seed::Empty,
            tick_ms: 0,
            aliyun_keys: pairs
                .into_iter()
                .map(|(id, (secret, token))| KeyPair { id, secret, token })
                .collect(),
            ..Config::default()
        };
        let emu = cloud_emulator::start(config).await.unwrap();
        let replay = Replay {
            http: reqwest::Client::new(),
            base: emu.url(),
        };
        for v in group {
            let id = s(v, "id");
            let unix = sag_api::request::parse_aliyun_timestamp(s(v, "x_acs_date")).unwrap();
            replay.control("reset", json!({"seed": "empty"})).await;
            replay.control("clock", json!({"unix_seconds": unix})).await;
            let query = strings(v, "query");
            let body = v.get("body").and_then(Value::as_str);
            let mut params = query.clone();
            if let Some(b) = body {
                params.extend(sag_api::wire::parse_pairs(b).unwrap());
            }
            if let (Some(sag), Some(region)) = (params.get("SmartAGId"), params.get("RegionId")) {
                replay
                    .control(
                        "instances",
                        json!({"id": sag, "region": region, "cidr": "10.0.0.0/16", "user_quota": 50}),
                    )
                    .await;
            }
            let url = format!(
                "{}/?{}",
                replay.base,
                sag_api::sign::v3::acs3_canonical_query(&query)
            );
            let mut request = match s(v, "method") {
                "GET" => replay.http.get(url),
                _ => replay.http.post(url),
            };
            for (name, value) in v["headers"].as_object().unwrap() {
                request = request.header(name.as_str(), value.as_str().unwrap());
            }
            request = request.header("authorization", s(v, "authorization"));
            if let Some(b) = body {
                request = request.body(b.to_owned());
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            outcomes.insert(id.to_owned(), check(id, status, &text));
        }
        emu.stop().await;
    }
    println!("{outcomes:#?}");
    assert_eq!(outcomes.len(), vectors.len());
    for ok in [
        "DescribeSmartAccessGatewayClientUsers-GET-query",
        "DescribeSmartAccessGatewayClientUsers-POST-body",
        "DescribeSmartAccessGatewayClientUsers-sts-token-POST-query",
        "py-DescribeSmartAccessGatewayClientUsers-paging-POST-query",
    ] {
        assert_eq!(outcomes[ok], "OK", "{ok}");
    }
    // Verified, then refused for what the request asks (an IP outside the
    // instance's CIDR; another product's version).
    assert_eq!(
        outcomes["CreateSmartAccessGatewayClientUser-basic-POST-query"],
        "ClientUser.IpInvalid"
    );
    assert_eq!(outcomes["doc-example-ecs-RunInstances"], "InvalidVersion");
}

/// Each kind of wrong ACS3 request gets Alibaba's code for it.
#[tokio::test]
async fn wrong_acs3_requests_are_refused_with_alibabas_codes() {
    let vectors = vectors("v3/aliyun_acs3.json");
    let v = vectors
        .iter()
        .find(|v| s(v, "id") == "DescribeSmartAccessGatewayClientUsers-GET-query")
        .unwrap()
        .clone();
    let config = Config {
        seed: Seed::Empty,
        tick_ms: 0,
        aliyun_keys: vec![KeyPair {
            id: s(&v, "access_key_id").into(),
            secret: s(&v, "access_key_secret").into(),
            token: None,
        }],
        ..Config::default()
    };
    let emu = cloud_emulator::start(config).await.unwrap();
    let http = reqwest::Client::new();
    let unix = sag_api::request::parse_aliyun_timestamp(s(&v, "x_acs_date")).unwrap();
    let query = strings(&v, "query");
    let base = strings(&v, "headers");
    // Signs `headers` (without `unsigned`) with `secret`, sends them with
    // `sent` applied over them (what a proxy might do), and returns the code.
    let send = async |secret: &str,
                      nonce: &str,
                      unsigned: Option<&str>,
                      sent: &[(&str, &str)]|
           -> (String, String) {
        let mut headers = base.clone();
        headers.insert("x-acs-signature-nonce".into(), nonce.into());
        let mut signed = headers.clone();
        if let Some(name) = unsigned {
            signed.remove(name);
        }
        let auth = sag_api::sign::v3::acs3(
            sag_api::Method::Get,
            &query,
            &signed,
            s(&v, "access_key_id"),
            secret,
        )
        .authorization;
        for (name, value) in sent {
            headers.insert((*name).into(), (*value).into());
        }
        let mut request = http.get(format!(
            "{}/?{}",
            emu.url(),
            sag_api::sign::v3::acs3_canonical_query(&query)
        ));
        for (name, value) in &headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let response = request.header("authorization", auth).send().await.unwrap();
        let body = response.text().await.unwrap();
        (error_code(&body).unwrap_or_else(|| "OK".into()), body)
    };
    let secret = s(&v, "access_key_secret").to_owned();
    http.post(format!("{}/_emulator/clock", emu.url()))
        .json(&json!({"unix_seconds": unix}))
        .send()
        .await
        .unwrap();
    http.post(format!("{}/_emulator/instances", emu.url()))
        .json(
            &json!({"id": query["SmartAGId"], "region": query["RegionId"], "cidr": "10.0.0.0/16"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(send(&secret, "n1", None, &[]).await.0, "OK");
    assert_eq!(send(&secret, "n1", None, &[]).await.0, "SignatureNonceUsed");
    // A wrong secret: the server's canonical request comes back to compare.
    let (code, body) = send("not-the-secret", "n2", None, &[]).await;
    assert_eq!(code, "SignatureDoesNotMatch");
    assert!(body.contains("canonical request is:"), "{body}");
    // A proxy that rewrites a signed header (here the host).
    let proxied = send(&secret, "n3", None, &[("host", "proxy.example.internal")]).await;
    assert_eq!(proxied.0, "SignatureDoesNotMatch");
    // x-acs-date left out of the signed headers.
    assert_eq!(
        send(&secret, "n4", Some("x-acs-date"), &[]).await.0,
        "IncompleteSignature"
    );
    // A clock 20 minutes off.
    http.post(format!("{}/_emulator/clock", emu.url()))
        .json(&json!({"unix_seconds": unix + 20 * 60}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        send(&secret, "n5", None, &[]).await.0,
        "InvalidTimeStamp.Expired"
    );
    emu.stop().await;
}

/// The TC3 vectors' requests, sent as the SDK sent them (headers, query or
/// JSON body, `Authorization`), with the clock pinned to `X-TC-Timestamp`
/// and the emulator answering for the vector's host: every one is
/// signature-verified.
#[tokio::test]
async fn tencent_tc3_requests_are_verified() {
    let vectors = vectors("v3/tencent_tc3.json");
    let mut by_host: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for v in &vectors {
        by_host.entry(s(v, "host").to_owned()).or_default().push(v);
    }
    let mut outcomes = BTreeMap::new();
    for (host, group) in by_host {
        let mut pairs = BTreeMap::new();
        for v in &group {
            pairs.insert(s(v, "secret_id").to_owned(), s(v, "secret_key").to_owned());
        }
        let config = Config {
            seed: Seed::Empty,
            tick_ms: 0,
            tencent_keys: pairs
                .into_iter()
                .map(|(id, secret)| KeyPair {
                    id,
                    secret,
                    token: None,
                })
                .collect(),
            tencent_host: host.clone(),
            ..Config::default()
        };
        let emu = cloud_emulator::start(config).await.unwrap();
        let replay = Replay {
            http: reqwest::Client::new(),
            base: emu.url(),
        };
        for v in group {
            let id = s(v, "id");
            replay.control("reset", json!({"seed": "demo"})).await;
            replay
                .control(
                    "clock",
                    json!({"unix_seconds": v["timestamp"].as_i64().unwrap()}),
                )
                .await;
            let query = s(v, "query");
            let url = if query.is_empty() {
                format!("{}/", replay.base)
            } else {
                format!("{}/?{query}", replay.base)
            };
            let mut request = match s(v, "method") {
                "GET" => replay.http.get(url),
                _ => replay.http.post(url),
            };
            for (name, value) in v["headers"].as_object().unwrap() {
                request = request.header(name.as_str(), value.as_str().unwrap());
            }
            let payload = s(v, "payload");
            if !payload.is_empty() {
                request = request.body(payload.to_owned());
            }
            let response = request
                .header("authorization", s(v, "authorization"))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            outcomes.insert(id.to_owned(), check(id, status, &text));
        }
        emu.stop().await;
    }
    println!("{outcomes:#?}");
    assert_eq!(outcomes.len(), vectors.len());
    assert_eq!(outcomes["ListUsers-POST"], "OK");
    assert_eq!(outcomes["ListUsers-GET"], "OK");
    assert_eq!(outcomes["AddUser-intl-host-POST"], "OK");
    assert_eq!(
        outcomes["doc-example-cvm-DescribeInstances-EXAMPLE-key"],
        "NoSuchVersion"
    );
}

/// Each kind of wrong TC3 request gets Tencent's code for it.
#[tokio::test]
async fn wrong_tc3_requests_are_refused_with_tencents_codes() {
    let emu = cloud_emulator::start(Config {
        tick_ms: 0,
        ..Config::default()
    })
    .await
    .unwrap();
    let (id, key) = cloud_emulator::DEMO_TENCENT_KEY;
    let http = reqwest::Client::new();
    let now = 1_764_547_200; // 2025-12-01T00:00:00Z
    http.post(format!("{}/_emulator/clock", emu.url()))
        .json(&json!({"unix_seconds": now}))
        .send()
        .await
        .unwrap();
    // Signs ListUsers for `host` at `at` with `secret`; `scope_date`
    // replaces the credential scope's date when given.
    let send =
        async |secret: &str, host: &str, at: i64, payload: &str, scope_date: Option<&str>| {
            let signed: BTreeMap<String, String> = [
                ("content-type".to_owned(), "application/json".to_owned()),
                ("host".to_owned(), host.to_owned()),
            ]
            .into_iter()
            .collect();
            let mut auth = sag_api::sign::v3::tc3(
                sag_api::Method::Post,
                "",
                &signed,
                payload,
                "cam",
                at,
                id,
                secret,
            )
            .authorization;
            if let Some(date) = scope_date {
                auth = auth.replace(&sag_api::sign::v3::utc_date(at), date);
            }
            let response = http
                .post(format!("{}/", emu.url()))
                .header("content-type", "application/json")
                .header("host", host)
                .header("x-tc-action", "ListUsers")
                .header("x-tc-version", "2019-01-16")
                .header("x-tc-timestamp", at.to_string())
                .header("authorization", auth)
                .body(payload.to_owned())
                .send()
                .await
                .unwrap();
            error_code(&response.text().await.unwrap()).unwrap_or_else(|| "OK".into())
        };
    let host = "cam.tencentcloudapi.com";
    assert_eq!(send(key, host, now, "{}", None).await, "OK");
    // TC3 has no nonce and leaves the action unsigned: the same signature
    // again (a read retried within the second) is not a replay.
    assert_eq!(
        send(key, host, now, "{}", None).await,
        "OK",
        "the same signed request again"
    );
    assert_eq!(
        send("not-the-key", host, now, "{ }", None).await,
        "AuthFailure.SignatureFailure"
    );
    assert_eq!(
        send(key, "proxy.example.internal", now, "{  }", None).await,
        "AuthFailure.SignatureFailure",
        "a signed host that is not the upstream"
    );
    assert_eq!(
        send(key, host, now, "{   }", Some("2025-11-30")).await,
        "AuthFailure.SignatureFailure",
        "a wrong date in the credential scope"
    );
    assert_eq!(
        send(key, host, now - 600, "{    }", None).await,
        "AuthFailure.SignatureExpire"
    );
    emu.stop().await;
}
