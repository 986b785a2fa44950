//! The HTTP face: recognises the vendor from the request itself (on any
//! path, since a proxy may keep or strip its prefix), verifies the signature
//! exactly as the vendor does, runs the action, injects faults, and answers
//! in the vendor's shape.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method as HttpMethod, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use rand::Rng;
use sag_api::sign::{aliyun, signatures_match, tencent, Method, Params};
use sag_api::wire::parse_pairs;
use serde_json::{json, Value};

use crate::smartag::{fail, Fail, Outcome};
use crate::{Inner, KeyPair, LogEntry, Shared};

/// Alibaba accepts timestamps within 15 minutes; Tencent within 5.
const ALIYUN_SKEW: i64 = 15 * 60;
const TENCENT_SKEW: i64 = 5 * 60;

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/_emulator/{*rest}",
            axum::routing::any(crate::control::handle),
        )
        .fallback(handle)
        .with_state(shared)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vendor {
    Aliyun,
    Tencent,
}

/// Tencent requests carry `SecretId` (or a numeric `Nonce`); Alibaba ones
/// `AccessKeyId` or `SignatureNonce`. Anything else is answered as Alibaba.
fn vendor_of(params: &Params) -> Vendor {
    if params.contains_key("AccessKeyId") || params.contains_key("SignatureNonce") {
        Vendor::Aliyun
    } else if params.contains_key("SecretId") || params.contains_key("Nonce") {
        Vendor::Tencent
    } else {
        Vendor::Aliyun
    }
}

/// The answer before faults and latency.
struct Reply {
    status: u16,
    content_type: &'static str,
    body: String,
    action: String,
    outcome: String,
    request_id: String,
}

enum Fault {
    Throttle,
    ServerError,
    Malformed,
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: HttpMethod,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let method_name = method.as_str().to_owned();
    let mut params = Params::new();
    let mut bad_encoding = None;
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    let body_text = std::str::from_utf8(&body).unwrap_or("");
    for part in [uri.query().unwrap_or(""), if form { body_text } else { "" }] {
        match parse_pairs(part) {
            Ok(pairs) => params.extend(pairs),
            Err(e) => bad_encoding = Some(e.to_string()),
        }
    }
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    // ACS3 (Alibaba V3): common parameters travel as x-acs-* headers; the
    // action and version join the parameters for dispatch and the log.
    let acs3 = authorization
        .starts_with(sag_api::sign::v3::ACS3)
        .then(|| Acs3Request {
            authorization: authorization.clone(),
            headers: header_map(&headers),
            query: uri
                .query()
                .and_then(|q| parse_pairs(q).ok())
                .map(|pairs| pairs.into_iter().collect())
                .unwrap_or_default(),
            body_sha256: sag_api::sign::v3::sha256_hex(&body),
        });
    if let Some(v3) = &acs3 {
        for (param, header) in [("Action", "x-acs-action"), ("Version", "x-acs-version")] {
            if let Some(value) = v3.headers.get(header) {
                params.insert(param.into(), value.clone());
            }
        }
    }
    // TC3 (Tencent API 3.0): a JSON body, the action, version and timestamp
    // as X-TC-* headers.
    let mut tc3 = authorization
        .starts_with(sag_api::sign::v3::TC3)
        .then(|| Tc3Request {
            authorization: authorization.clone(),
            headers: header_map(&headers),
            query: uri.query().unwrap_or_default().to_owned(),
            payload: String::from_utf8_lossy(&body).into_owned(),
            strings_for_integers: Vec::new(),
        });
    if let Some(v3) = &mut tc3 {
        if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&body) {
            v3.strings_for_integers = sag_api::cam::INTEGER_PARAMETERS
                .iter()
                .filter(|name| map.get(**name).is_some_and(Value::is_string))
                .map(|name| (*name).to_owned())
                .collect();
            flatten_json(&mut params, "", &Value::Object(map));
        }
        for (param, header) in [("Action", "x-tc-action"), ("Version", "x-tc-version")] {
            if let Some(value) = v3.headers.get(header) {
                params.insert(param.into(), value.clone());
            }
        }
    }
    let vendor = if acs3.is_some() {
        Vendor::Aliyun
    } else if tc3.is_some() {
        Vendor::Tencent
    } else {
        vendor_of(&params)
    };
    let method = Method::parse(method.as_str());

    let action_name = params.get("Action").cloned().unwrap_or_default();
    let mut header_names: Vec<String> = headers.keys().map(|k| k.as_str().to_owned()).collect();
    header_names.sort_unstable();
    header_names.dedup();
    let (fault, latency, server_now) = {
        let mut inner = shared.lock();
        let faults = inner.faults.clone();
        let applies = (faults.actions.is_empty() || faults.actions.contains(&action_name))
            && faults.count != Some(0);
        let roll: f64 = if applies { inner.fault_rng.gen() } else { 1.0 };
        let fault = if roll < faults.throttle_rate {
            Some(Fault::Throttle)
        } else if roll < faults.throttle_rate + faults.error_rate {
            Some(Fault::ServerError)
        } else if roll < faults.throttle_rate + faults.error_rate + faults.malformed_rate {
            Some(Fault::Malformed)
        } else {
            None
        };
        if fault.is_some() {
            if let Some(n) = inner.faults.count.as_mut() {
                *n = n.saturating_sub(1);
            }
        }
        let (lo, hi) = faults.latency_ms;
        let latency = if hi > 0 && applies {
            inner.fault_rng.gen_range(lo..=hi)
        } else {
            0
        };
        (fault, latency, inner.now())
    };

    let mut reply = match (vendor, &fault) {
        (_, Some(Fault::Throttle)) | (_, Some(Fault::ServerError)) => {
            refuse_for_fault(&shared, vendor, &params, fault.as_ref())
        }
        _ => match (method, bad_encoding) {
            (None, _) => refuse(
                &shared,
                vendor,
                &params,
                fail_for(
                    vendor,
                    405,
                    "UnsupportedProtocol",
                    "Only GET and POST are supported.",
                ),
            ),
            (_, Some(e)) => refuse(
                &shared,
                vendor,
                &params,
                fail_for(
                    vendor,
                    400,
                    "InvalidParameter",
                    format!("The request is not valid URL encoding: {e}."),
                ),
            ),
            (Some(m), None) => match vendor {
                Vendor::Aliyun => aliyun_request(&shared, m, &params, acs3.as_ref()),
                Vendor::Tencent => tencent_request(&shared, m, &params, tc3.as_ref()),
            },
        },
    };
    let mut fault_name = match fault {
        Some(Fault::Throttle) => Some("throttle".to_owned()),
        Some(Fault::ServerError) => Some("5xx".to_owned()),
        _ => None,
    };
    if let Some(Fault::Malformed) = fault {
        let mut inner = shared.lock();
        if inner.fault_rng.gen_bool(0.5) {
            let cut = reply.body.len() / 2;
            reply.body.truncate(reply.body.floor_char_boundary(cut));
            fault_name = Some("truncated".into());
        } else {
            reply.status = 502;
            reply.content_type = "text/html";
            reply.body = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n".into();
            fault_name = Some("html-502".into());
        }
    }
    // Recorded before the injected delay: a client that gives up during
    // the delay drops this future at the sleep, and the action it ran must
    // still be in the log.
    let elapsed = started.elapsed().as_millis() as u64 + latency;
    let entry = {
        let mut inner = shared.lock();
        let now = inner.now();
        inner.record(LogEntry {
            seq: 0,
            unix_seconds: now,
            vendor: match vendor {
                Vendor::Aliyun => "aliyun".into(),
                Vendor::Tencent => "tencent".into(),
            },
            signature: if acs3.is_some() {
                sag_api::sign::v3::ACS3.into()
            } else if tc3.is_some() {
                sag_api::sign::v3::TC3.into()
            } else {
                "v1".into()
            },
            method: method_name,
            action: reply.action.clone(),
            status: reply.status,
            outcome: reply.outcome.clone(),
            fault: fault_name,
            latency_ms: elapsed,
            headers: header_names,
        })
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    if shared.config.log_requests {
        println!(
            "#{} {} {} {} -> {} {}{} ({} ms)",
            entry.seq,
            entry.vendor,
            entry.method,
            if entry.action.is_empty() {
                "-"
            } else {
                &entry.action
            },
            entry.status,
            entry.outcome,
            entry
                .fault
                .as_deref()
                .map(|f| format!(" [fault: {f}]"))
                .unwrap_or_default(),
            entry.latency_ms
        );
    }
    let mut response = (
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK),
        reply.body,
    )
        .into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(reply.content_type),
    );
    if let Ok(v) = HeaderValue::from_str(&reply.request_id) {
        h.insert("x-acs-request-id", v);
    }
    // The Date header follows the emulator's clock (which a test may pin), so
    // clients can measure their clock skew against it as against the vendor.
    // httpdate cannot write years past 9999: clamp (the control API refuses
    // such a clock anyway).
    let date = std::time::UNIX_EPOCH
        + Duration::from_secs(server_now.clamp(0, crate::LAST_HTTP_DATE) as u64);
    if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(date)) {
        h.insert(header::DATE, v);
    }
    response
}

fn fail_for(vendor: Vendor, status: u16, code: &str, message: impl Into<String>) -> Fail {
    // Tencent answers API errors with HTTP 200.
    fail(
        if vendor == Vendor::Tencent {
            200
        } else {
            status
        },
        code,
        message,
    )
}

fn refuse_for_fault(
    shared: &Shared,
    vendor: Vendor,
    params: &Params,
    fault: Option<&Fault>,
) -> Reply {
    let f = match (vendor, fault) {
        (Vendor::Aliyun, Some(Fault::Throttle)) => fail(400, "Throttling.User", "Request was denied due to user flow control."),
        // AddUser has a limit of its own (20 per second), with its own code.
        (Vendor::Tencent, Some(Fault::Throttle)) if params.get("Action").map(String::as_str) == Some("AddUser") => fail(200, "RequestLimitExceeded.CreateUser", "The rate of creating sub-users exceeds the limit of 20 per second."),
        (Vendor::Tencent, Some(Fault::Throttle)) => fail(200, "RequestLimitExceeded", "Your current request times equals to `20` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls."),
        (Vendor::Aliyun, _) => fail(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."),
        (Vendor::Tencent, _) => fail(200, "InternalError", "An internal error has occurred. Retry your request."),
    };
    refuse(shared, vendor, params, f)
}

fn refuse(shared: &Shared, vendor: Vendor, params: &Params, f: Fail) -> Reply {
    let action = params.get("Action").cloned().unwrap_or_default();
    let request_id = shared.lock().request_id();
    match vendor {
        Vendor::Aliyun => aliyun_error(params, &action, request_id, f),
        Vendor::Tencent => tencent_reply(&action, request_id, Err(f)),
    }
}

// ------------------------------------------------------------------ Alibaba

fn wants_xml(params: &Params) -> bool {
    params
        .get("Format")
        .is_some_and(|f| f.eq_ignore_ascii_case("xml"))
}

fn aliyun_error(params: &Params, action: &str, request_id: String, f: Fail) -> Reply {
    let region = params
        .get("RegionId")
        .map(String::as_str)
        .unwrap_or("cn-shanghai");
    let body = json!({
        "RequestId": request_id,
        "HostId": format!("smartag.{region}.aliyuncs.com"),
        "Code": f.code,
        "Message": f.message,
        "Recommend": format!("https://api.aliyun.com/troubleshoot?q={}&product=Smartag&requestId={request_id}", f.code),
    });
    let (content_type, text) = if wants_xml(params) {
        (
            "application/xml;charset=utf-8",
            crate::xml::to_xml("Error", &body),
        )
    } else {
        ("application/json;charset=utf-8", body.to_string())
    };
    Reply {
        status: f.status,
        content_type,
        body: text,
        action: action.into(),
        outcome: f.code,
        request_id,
    }
}

/// The three parts of a V3 `Authorization` header after its scheme name.
struct V3Authorization<'a> {
    credential: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

/// `SCHEME Credential=…,SignedHeaders=…,Signature=…` (Alibaba separates the
/// parts with `,`, Tencent with `, `); `None` when a part is missing.
fn v3_authorization<'a>(authorization: &'a str, scheme: &str) -> Option<V3Authorization<'a>> {
    let rest = authorization.strip_prefix(scheme)?.trim();
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed_headers = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => {}
        }
    }
    Some(V3Authorization {
        credential: credential?,
        signed_headers: signed_headers?,
        signature: signature?,
    })
}

/// Every header received, names lower case (for V3 verification).
fn header_map(headers: &HeaderMap) -> BTreeMap<String, String> {
    headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect()
}

/// The received values of the headers `signed_headers` names (`a;b;c`), or
/// the name of the first one that did not arrive.
fn signed_values<'a>(
    signed_headers: &'a str,
    received: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, &'a str> {
    signed_headers
        .split(';')
        .map(|name| {
            received
                .get(name)
                .map(|value| (name.to_owned(), value.clone()))
                .ok_or(name)
        })
        .collect()
}

// The Alibaba checks v1 and ACS3 share, in the order both make them.

fn aliyun_key<'k>(shared: &'k Shared, id: &str) -> Result<&'k KeyPair, Fail> {
    shared
        .config
        .aliyun_keys
        .iter()
        .find(|k| k.id == id)
        .ok_or_else(|| {
            fail(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            )
        })
}

/// `Timestamp` (v1) or `x-acs-date` (ACS3): well formed and within 15 minutes.
fn aliyun_time(text: &str, now: i64) -> Result<(), Fail> {
    let sent_at = sag_api::request::parse_aliyun_timestamp(text).ok_or_else(|| {
        fail(
            400,
            "InvalidTimeStamp.Format",
            "Specified time stamp or date value is not well formatted.",
        )
    })?;
    if now.abs_diff(sent_at) > ALIYUN_SKEW.unsigned_abs() {
        return Err(fail(
            400,
            "InvalidTimeStamp.Expired",
            format!(
                "Specified time stamp or date value is expired. The server time is {}.",
                sag_api::request::format_aliyun_timestamp(now)
            ),
        ));
    }
    Ok(())
}

/// `SecurityToken` (v1) or `x-acs-security-token` (ACS3) against the key's.
fn aliyun_token(key: &KeyPair, given: Option<&str>) -> Result<(), Fail> {
    match (&key.token, given) {
        (Some(_), None) => Err(fail(
            400,
            "MissingSecurityToken",
            "SecurityToken is mandatory for temporary credentials.",
        )),
        (Some(expected), Some(given)) if expected != given => Err(fail(
            400,
            "InvalidSecurityToken.MismatchWithAccessKey",
            "The security token does not match the access key.",
        )),
        (None, Some(_)) => Err(fail(
            400,
            "InvalidSecurityToken.Malformed",
            "A security token was given for a permanent access key.",
        )),
        _ => Ok(()),
    }
}

fn aliyun_nonce(inner: &mut Inner, key_id: &str, nonce: &str, now: i64) -> Result<(), Fail> {
    if inner.use_nonce(format!("{key_id}\n{nonce}"), now, 2 * ALIYUN_SKEW) {
        Ok(())
    } else {
        Err(fail(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        ))
    }
}

/// What an ACS3-signed request brings besides its parameters.
struct Acs3Request {
    authorization: String,
    /// Every header received, names lower case.
    headers: BTreeMap<String, String>,
    query: BTreeMap<String, String>,
    body_sha256: String,
}

/// Checks an ACS3 signature as Alibaba does.
fn verify_acs3(
    shared: &Shared,
    inner: &mut Inner,
    now: i64,
    method: Method,
    v3: &Acs3Request,
) -> Result<(), Fail> {
    let incomplete = |what: &str| {
        fail(
            400,
            "IncompleteSignature",
            format!("The request signature does not conform to Aliyun standards. {what}"),
        )
    };
    let Some(auth) = v3_authorization(&v3.authorization, sag_api::sign::v3::ACS3) else {
        return Err(incomplete(
            "Authorization needs Credential, SignedHeaders and Signature.",
        ));
    };
    let header = |name: &str| v3.headers.get(name).map(String::as_str);
    for required in [
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
        "host",
    ] {
        if header(required).is_none() {
            return Err(incomplete(&format!("The {required} header is missing.")));
        }
        if !auth.signed_headers.split(';').any(|h| h == required) {
            return Err(incomplete(&format!("The {required} header is not signed.")));
        }
    }
    let key = aliyun_key(shared, auth.credential)?;
    aliyun_time(header("x-acs-date").unwrap_or_default(), now)?;
    if header("x-acs-content-sha256") != Some(v3.body_sha256.as_str()) {
        return Err(fail(
            400,
            "SignatureDoesNotMatch",
            "The x-acs-content-sha256 header is not the SHA-256 of the request body.",
        ));
    }
    let signed = signed_values(auth.signed_headers, &v3.headers)
        .map_err(|name| incomplete(&format!("The signed header {name} was not received.")))?;
    let ours = sag_api::sign::v3::acs3(method, &v3.query, &signed, auth.credential, &key.secret);
    if !signatures_match(&ours.signature, auth.signature) {
        return Err(fail(400, "SignatureDoesNotMatch", format!("Specified signature is not matched with our calculation. server string to sign is:{} canonical request is:{}", ours.string_to_sign, ours.canonical_request)));
    }
    aliyun_token(key, header("x-acs-security-token"))?;
    aliyun_nonce(
        inner,
        auth.credential,
        header("x-acs-signature-nonce").unwrap_or_default(),
        now,
    )
}

/// Checks a v1 (HMAC-SHA1) signature as Alibaba does.
fn verify_aliyun_v1(
    shared: &Shared,
    inner: &mut Inner,
    now: i64,
    method: Method,
    params: &Params,
) -> Result<(), Fail> {
    let get = |key: &str| crate::smartag::get(params, key);
    let required = |key: &str| {
        get(key).ok_or_else(|| {
            fail(
                400,
                &format!("Missing{key}"),
                format!("{key} is mandatory for this action."),
            )
        })
    };
    let key_id = required("AccessKeyId")?;
    let signature = get("Signature").ok_or_else(|| {
        fail(
            400,
            "IncompleteSignature",
            "The request signature does not conform to Aliyun standards. Signature is missing.",
        )
    })?;
    let signature_method = required("SignatureMethod")?;
    if signature_method != aliyun::SIGNATURE_METHOD {
        return Err(fail(
            400,
            "InvalidSignatureMethod",
            format!(
                "Specified signature method {signature_method} is not supported; use HMAC-SHA1."
            ),
        ));
    }
    let signature_version = required("SignatureVersion")?;
    if signature_version != aliyun::SIGNATURE_VERSION {
        return Err(fail(
            400,
            "InvalidSignatureVersion",
            format!("Specified signature version {signature_version} is not supported; use 1.0."),
        ));
    }
    let nonce = required("SignatureNonce")?;
    let timestamp = get("Timestamp")
        .or_else(|| get("TimeStamp"))
        .ok_or_else(|| {
            fail(
                400,
                "MissingTimestamp",
                "Timestamp is mandatory for this action.",
            )
        })?;
    required("Version")?;
    required("Action")?;
    let key = aliyun_key(shared, key_id)?;
    aliyun_time(timestamp, now)?;
    let mut signed_params = params.clone();
    signed_params.remove("Signature");
    let ours = aliyun::sign(method, &signed_params, &key.secret);
    if !signatures_match(&ours.signature, signature) {
        return Err(fail(400, "SignatureDoesNotMatch", format!("Specified signature is not matched with our calculation. server string to sign is:{}", ours.string_to_sign)));
    }
    aliyun_token(key, get("SecurityToken"))?;
    aliyun_nonce(inner, key_id, nonce, now)
}

fn aliyun_request(
    shared: &Shared,
    method: Method,
    params: &Params,
    acs3: Option<&Acs3Request>,
) -> Reply {
    let action = params.get("Action").cloned().unwrap_or_default();
    let mut inner = shared.lock();
    let request_id = inner.request_id();
    let now = inner.now();
    let result = (|| -> Result<Outcome, Fail> {
        match acs3 {
            Some(v3) => verify_acs3(shared, &mut inner, now, method, v3)?,
            None => verify_aliyun_v1(shared, &mut inner, now, method, params)?,
        }
        let version = crate::smartag::get(params, "Version").unwrap_or_default();
        if version != sag_api::smartag::VERSION {
            return Err(fail(
                400,
                "InvalidVersion",
                format!("Specified parameter Version {version} is not valid for Smartag."),
            ));
        }
        crate::smartag::handle(
            &mut inner.world,
            &action,
            params,
            shared.config.user_page_cap,
        )
    })();
    match result {
        Ok(outcome) => {
            drop(inner);
            if outcome.mutated {
                shared.persist();
            }
            let mut body = outcome.body;
            if let Some(map) = body.as_object_mut() {
                map.insert("RequestId".into(), Value::String(request_id.clone()));
            }
            let (content_type, text) = if wants_xml(params) {
                (
                    "application/xml;charset=utf-8",
                    crate::xml::to_xml(&format!("{action}Response"), &body),
                )
            } else {
                ("application/json;charset=utf-8", body.to_string())
            };
            Reply {
                status: 200,
                content_type,
                body: text,
                action,
                outcome: "OK".into(),
                request_id,
            }
        }
        Err(f) => {
            drop(inner);
            aliyun_error(params, &action, request_id, f)
        }
    }
}

// ------------------------------------------------------------------ Tencent

fn tencent_reply(action: &str, request_id: String, result: Result<Value, Fail>) -> Reply {
    let (status, outcome, body) = match result {
        Ok(mut body) => {
            if let Some(map) = body.as_object_mut() {
                map.insert("RequestId".into(), Value::String(request_id.to_lowercase()));
            }
            (200, "OK".to_owned(), json!({ "Response": body }))
        }
        Err(f) => (
            f.status,
            f.code.clone(),
            json!({ "Response": { "Error": { "Code": f.code, "Message": f.message }, "RequestId": request_id.to_lowercase() } }),
        ),
    };
    Reply {
        status,
        content_type: "application/json",
        body: body.to_string(),
        action: action.into(),
        outcome,
        request_id,
    }
}

/// What a TC3-signed request brings besides its parameters.
struct Tc3Request {
    authorization: String,
    /// Every header received, names lower case.
    headers: BTreeMap<String, String>,
    query: String,
    payload: String,
    /// CAM Integer parameters that came as JSON strings.
    strings_for_integers: Vec<String>,
}

/// A TC3 JSON body as parameters: scalars as text (`true`/`false` as 1/0),
/// lists and objects flattened with 0-based indexes (`Key.0.Sub`).
fn flatten_json(params: &mut Params, prefix: &str, value: &Value) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten_json(params, &key(k), v);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten_json(params, &key(&i.to_string()), v);
            }
        }
        Value::String(text) => {
            params.insert(prefix.to_owned(), text.clone());
        }
        Value::Bool(b) => {
            params.insert(prefix.to_owned(), if *b { "1" } else { "0" }.to_owned());
        }
        Value::Number(n) => {
            params.insert(prefix.to_owned(), n.to_string());
        }
        Value::Null => {}
    }
}

// The Tencent checks v1 and TC3 share.

fn tencent_key<'k>(shared: &'k Shared, id: &str) -> Result<&'k KeyPair, Fail> {
    shared
        .config
        .tencent_keys
        .iter()
        .find(|k| k.id == id)
        .ok_or_else(|| {
            fail(
                200,
                "AuthFailure.SecretIdNotFound",
                "The SecretId is not found, please ensure that your SecretId is correct.",
            )
        })
}

/// Within 5 minutes of the server's clock.
fn tencent_fresh(sent_at: i64, now: i64) -> Result<(), Fail> {
    if now.abs_diff(sent_at) > TENCENT_SKEW.unsigned_abs() {
        return Err(fail(200, "AuthFailure.SignatureExpire", format!("Signature expired. Timestamp is {sent_at}, server time is {now}; the difference must be within 300 seconds.")));
    }
    Ok(())
}

/// `Token` (v1) or `X-TC-Token` (TC3) against the key's.
fn tencent_token(key: &KeyPair, given: Option<&str>) -> Result<(), Fail> {
    match (&key.token, given) {
        (Some(expected), given) if given != Some(expected.as_str()) => Err(fail(
            200,
            "AuthFailure.TokenFailure",
            "The token is invalid or has expired.",
        )),
        (None, Some(_)) => Err(fail(
            200,
            "AuthFailure.TokenFailure",
            "A token was given for a permanent key.",
        )),
        _ => Ok(()),
    }
}

/// The same signed request twice is a replay.
fn tencent_replay(
    inner: &mut Inner,
    secret_id: &str,
    signature: &str,
    now: i64,
) -> Result<(), Fail> {
    if inner.use_nonce(format!("{secret_id}\n{signature}"), now, 2 * TENCENT_SKEW) {
        Ok(())
    } else {
        Err(fail(
            200,
            "AuthFailure.SignatureFailure",
            "The request was already received (the same signed request twice).",
        ))
    }
}

/// Checks a TC3 signature as Tencent does.
fn verify_tc3(shared: &Shared, now: i64, method: Method, v3: &Tc3Request) -> Result<(), Fail> {
    let failure = |why: &str| fail(200, "AuthFailure.SignatureFailure", why.to_owned());
    let Some(auth) = v3_authorization(&v3.authorization, sag_api::sign::v3::TC3) else {
        return Err(failure(
            "Authorization needs Credential, SignedHeaders and Signature.",
        ));
    };
    let mut scope = auth.credential.split('/');
    let (Some(secret_id), Some(date), Some(service), Some("tc3_request")) =
        (scope.next(), scope.next(), scope.next(), scope.next())
    else {
        return Err(failure(
            "The credential scope must be SecretId/Date/Service/tc3_request.",
        ));
    };
    let header = |name: &str| v3.headers.get(name).map(String::as_str);
    let key = tencent_key(shared, secret_id)?;
    let sent_at = header("x-tc-timestamp")
        .and_then(|t| t.parse::<i64>().ok())
        .ok_or_else(|| {
            fail(
                200,
                "MissingParameter",
                "The request is missing a required parameter `X-TC-Timestamp`.",
            )
        })?;
    tencent_fresh(sent_at, now)?;
    if date != sag_api::sign::v3::utc_date(sent_at) {
        return Err(failure(
            "The date in the credential scope is not the UTC date of X-TC-Timestamp.",
        ));
    }
    if header("host") != Some(shared.config.tencent_host.as_str()) {
        return Err(failure("The signed host is not the host this service answers for; sign for the host the proxy forwards to."));
    }
    let signed = signed_values(auth.signed_headers, &v3.headers)
        .map_err(|name| failure(&format!("The signed header {name} was not received.")))?;
    let ours = sag_api::sign::v3::tc3(
        method,
        &v3.query,
        &signed,
        &v3.payload,
        service,
        sent_at,
        secret_id,
        &key.secret,
    );
    if !signatures_match(&ours.signature, auth.signature) {
        return Err(failure("The provided credentials could not be validated. Please check your signature is correct."));
    }
    // TC3 has no nonce, and the SDKs sign only content-type and host (the
    // console signs x-tc-action too, as Tencent's documentation example
    // does): two different calls in the same second can carry the same
    // signature, so a repeated signature is not a replay here (only the
    // timestamp window counts). Exactly the headers SignedHeaders names are
    // verified, so a request that signs the action cannot be replayed as
    // another action.
    tencent_token(key, header("x-tc-token"))
}

/// Checks a v1 (HmacSHA1) signature as Tencent does.
fn verify_tencent_v1(
    shared: &Shared,
    inner: &mut Inner,
    now: i64,
    method: Method,
    params: &Params,
) -> Result<(), Fail> {
    let get = |key: &str| crate::smartag::get(params, key);
    let required = |key: &str| {
        get(key).ok_or_else(|| {
            fail(
                200,
                "MissingParameter",
                format!("The request is missing a required parameter `{key}`."),
            )
        })
    };
    let secret_id = required("SecretId")?;
    let timestamp = required("Timestamp")?;
    let nonce = required("Nonce")?;
    let signature = required("Signature")?;
    if nonce.parse::<u64>().is_err() {
        return Err(fail(
            200,
            "InvalidParameterValue",
            format!("The value `{nonce}` of parameter `Nonce` is not a positive integer."),
        ));
    }
    let key = tencent_key(shared, secret_id)?;
    let sent_at = timestamp.parse::<i64>().map_err(|_| {
        fail(
            200,
            "InvalidParameterValue",
            format!("The value `{timestamp}` of parameter `Timestamp` is not an integer."),
        )
    })?;
    tencent_fresh(sent_at, now)?;
    if params
        .get("SignatureMethod")
        .is_some_and(|m| m == "HmacSHA256")
    {
        return Err(fail(
            200,
            "AuthFailure.SignatureFailure",
            "The emulator verifies HmacSHA1 signatures only.",
        ));
    }
    let mut signed_params = params.clone();
    signed_params.remove("Signature");
    let ours = tencent::sign(
        method,
        &shared.config.tencent_host,
        "/",
        &signed_params,
        &key.secret,
    )
    .map_err(|e| fail(200, "AuthFailure.SignatureFailure", e.to_string()))?;
    if !signatures_match(&ours.signature, signature) {
        return Err(fail(200, "AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct."));
    }
    tencent_token(key, get("Token"))?;
    tencent_replay(inner, secret_id, signature, now)
}

fn tencent_request(
    shared: &Shared,
    method: Method,
    params: &Params,
    tc3: Option<&Tc3Request>,
) -> Reply {
    let action = params.get("Action").cloned().unwrap_or_default();
    let mut inner = shared.lock();
    let request_id = inner.request_id();
    let now = inner.now();
    let result = (|| -> Result<Outcome, Fail> {
        let required = |key: &str| {
            crate::smartag::get(params, key).ok_or_else(|| {
                fail(
                    200,
                    "MissingParameter",
                    format!("The request is missing a required parameter `{key}`."),
                )
            })
        };
        // v1 names the missing parameter in this order; TC3 carries both
        // in headers.
        let action = required("Action")?;
        if tc3.is_none() {
            for key in ["SecretId", "Timestamp", "Nonce", "Signature"] {
                required(key)?;
            }
        }
        let version = required("Version")?;
        match tc3 {
            Some(v3) => verify_tc3(shared, now, method, v3)?,
            None => verify_tencent_v1(shared, &mut inner, now, method, params)?,
        }
        if version != sag_api::cam::VERSION {
            return Err(fail(
                200,
                "NoSuchVersion",
                format!("The API version `{version}` does not exist for CAM."),
            ));
        }
        // API 3.0 checks JSON types: an Integer parameter sent as a string
        // is refused.
        if let Some(name) = tc3.and_then(|v3| v3.strings_for_integers.first()) {
            return Err(fail(
                200,
                "InvalidParameter",
                format!("The parameter `{name}` must be an Integer, not a string."),
            ));
        }
        let crate::Inner { world, sim_rng, .. } = &mut *inner;
        crate::cam::handle(world, action, params, now, sim_rng)
    })();
    let mutated = matches!(&result, Ok(outcome) if outcome.mutated);
    drop(inner);
    if mutated {
        shared.persist();
    }
    tencent_reply(&action, request_id, result.map(|o| o.body))
}
