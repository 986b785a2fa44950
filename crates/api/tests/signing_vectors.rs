//! Checks the signers against the vendors' official-SDK vectors.
//!
//! Loads every `*.json` in `$SIGNING_VECTORS_DIR` (default `../shared/vectors`,
//! relative paths taken from the project root) and, for every vector, checks
//! the canonical query, the string to sign and the signature; where the vector
//! records the SDK's exact wire bytes, it also checks that decoding them gives
//! back the signed parameters and the signature. Prints a count per file and
//! fails on any mismatch, on a file it does not recognise, on a scheme the
//! signer does not support, or when there are no vectors at all.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sag_api::sign::{aliyun, tencent, Method, Params};
use sag_api::wire::parse_pairs;
use serde_json::Value;

#[derive(Clone, Copy, Debug)]
enum Scheme {
    Aliyun,
    Tencent,
    /// Alibaba `ACS3-HMAC-SHA256` (files `aliyun_acs3*.json`).
    AliyunAcs3,
    /// Tencent `TC3-HMAC-SHA256` (files `tencent_tc3*.json`).
    TencentTc3,
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn vectors_dir() -> PathBuf {
    match std::env::var_os("SIGNING_VECTORS_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                project_root().join(dir)
            }
        }
        None => project_root().join("../shared/vectors"),
    }
}

fn scheme_of(file_name: &str) -> Option<Scheme> {
    if file_name.starts_with("aliyun_acs3") {
        Some(Scheme::AliyunAcs3)
    } else if file_name.starts_with("tencent_tc3") {
        Some(Scheme::TencentTc3)
    } else if file_name.starts_with("aliyun") {
        Some(Scheme::Aliyun)
    } else if file_name.starts_with("tencent") {
        Some(Scheme::Tencent)
    } else {
        None
    }
}

fn string_field<'a>(v: &'a Value, key: &str) -> Result<&'a str, String> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing string field {key:?}"))
}

fn params_of(v: &Value) -> Result<Params, String> {
    let map = v
        .get("params")
        .and_then(Value::as_object)
        .ok_or("missing object field \"params\"")?;
    map.iter()
        .map(|(k, val)| {
            val.as_str()
                .map(|s| (k.clone(), s.to_owned()))
                .ok_or(format!("param {k} is not a string"))
        })
        .collect()
}

fn expect(what: &str, ours: &str, theirs: &str) -> Result<(), String> {
    if ours == theirs {
        Ok(())
    } else {
        Err(format!(
            "{what} differs\n      ours:   {ours}\n      vector: {theirs}"
        ))
    }
}

/// Checks the three signature stages against the vector.
fn expect_stages(signed: &sag_api::sign::Signed, v: &Value) -> Result<(), String> {
    expect(
        "canonical query",
        &signed.canonical_query,
        string_field(v, "canonicalized_query")?,
    )?;
    expect(
        "string to sign",
        &signed.string_to_sign,
        string_field(v, "string_to_sign")?,
    )?;
    expect(
        "signature",
        &signed.signature,
        string_field(v, "signature")?,
    )
}

/// Decodes wire parts into parameters, with `Signature` taken out.
fn decode_wire(parts: &[&str]) -> Result<(Params, Option<String>), String> {
    let mut params = Params::new();
    for part in parts {
        for (k, v) in parse_pairs(part).map_err(|e| format!("wire bytes do not decode: {e}"))? {
            params.insert(k, v);
        }
    }
    let signature = params.remove("Signature");
    Ok((params, signature))
}

fn check_wire(parts: &[&str], params: &Params, signature: &str) -> Result<(), String> {
    let (decoded, wire_signature) = decode_wire(parts)?;
    if &decoded != params {
        return Err(format!(
            "decoded wire parameters differ from the signed ones: {decoded:?}"
        ));
    }
    expect(
        "signature on the wire",
        wire_signature.as_deref().unwrap_or("<none>"),
        signature,
    )
}

fn check_aliyun(v: &Value) -> Result<(), String> {
    let params = params_of(v)?;
    let method_name = string_field(v, "method")?;
    let method = Method::parse(method_name).ok_or(format!("unknown method {method_name}"))?;
    match (
        params.get("SignatureMethod").map(String::as_str),
        params.get("SignatureVersion").map(String::as_str),
    ) {
        (Some(aliyun::SIGNATURE_METHOD), Some(aliyun::SIGNATURE_VERSION)) => {}
        other => {
            return Err(format!(
                "unsupported Alibaba scheme {other:?}: the signer does only HMAC-SHA1 1.0"
            ))
        }
    }
    let secret = string_field(v, "access_key_secret")?;
    if let Some(key) = v.get("hmac_key").and_then(Value::as_str) {
        expect("HMAC key", &format!("{secret}&"), key)?;
    }
    let signed = aliyun::sign(method, &params, secret);
    expect_stages(&signed, v)?;
    let path_and_query = v.get("sdk_request_path_and_query").and_then(Value::as_str);
    let form_body = v.get("sdk_form_body").and_then(Value::as_str);
    if path_and_query.is_some() || form_body.is_some() {
        let query = match path_and_query {
            Some(p) => p.split_once('?').map_or("", |(_, q)| q).to_owned(),
            // The Tea capture records the form body but only the query's
            // parameters: lay them out with our encoder, as we would send them.
            None => {
                let map = v
                    .get("query_params")
                    .and_then(Value::as_object)
                    .ok_or("missing query_params")?;
                let pairs = map
                    .iter()
                    .filter_map(|(k, val)| val.as_str().map(|s| (k.as_str(), s)));
                let signature = [("Signature", signed.signature.as_str())];
                sag_api::wire::encode_pairs(pairs.chain(signature))
            }
        };
        check_wire(
            &[&query, form_body.unwrap_or("")],
            &params,
            &signed.signature,
        )?;
    }
    Ok(())
}

fn check_tencent(v: &Value) -> Result<(), String> {
    let params = params_of(v)?;
    let method_name = string_field(v, "method")?;
    let method = Method::parse(method_name).ok_or(format!("unknown method {method_name}"))?;
    let host = string_field(v, "host")?;
    let path = string_field(v, "path")?;
    let secret = string_field(v, "access_key_secret")?;
    let signed = tencent::sign(method, host, path, &params, secret).map_err(|e| e.to_string())?;
    expect_stages(&signed, v)?;
    if let Some(wire) = v.get("sdk_wire").and_then(Value::as_str) {
        // "GET https://host/?q" or "POST https://host/ (Content-Type: ...) body: b"
        let part = match wire.split_once(" body: ") {
            Some((_, body)) => body,
            None => wire
                .split_once('?')
                .map(|(_, q)| q)
                .ok_or("sdk_wire has neither query nor body")?,
        };
        expect("wire host", wire.split('/').nth(2).unwrap_or(""), host)?;
        check_wire(&[part], &params, &signed.signature)?;
    }
    Ok(())
}

/// Every stage of a V3 signature against the vector's.
fn expect_v3(signed: &sag_api::sign::v3::SignedV3, v: &Value) -> Result<(), String> {
    expect(
        "canonical request",
        &signed.canonical_request,
        string_field(v, "canonical_request")?,
    )?;
    expect(
        "hashed canonical request",
        &signed.hashed_canonical_request,
        string_field(v, "hashed_canonical_request")?,
    )?;
    expect(
        "string to sign",
        &signed.string_to_sign,
        string_field(v, "string_to_sign")?,
    )?;
    expect(
        "signed headers",
        &signed.signed_headers,
        string_field(v, "signed_headers")?,
    )?;
    expect(
        "signature",
        &signed.signature,
        string_field(v, "signature")?,
    )?;
    expect(
        "Authorization",
        &signed.authorization,
        string_field(v, "authorization")?,
    )
}

fn method_of(v: &Value) -> Result<sag_api::Method, String> {
    let m = string_field(v, "method")?;
    sag_api::Method::parse(m).ok_or_else(|| format!("unsupported method {m}"))
}

fn string_map(v: &Value, key: &str) -> Result<std::collections::BTreeMap<String, String>, String> {
    v.get(key)
        .and_then(Value::as_object)
        .ok_or_else(|| format!("no {key} object"))?
        .iter()
        .map(|(k, x)| {
            x.as_str()
                .map(|x| (k.clone(), x.to_owned()))
                .ok_or_else(|| format!("{key}.{k} is not a string"))
        })
        .collect()
}

fn check_acs3(v: &Value) -> Result<(), String> {
    let headers = string_map(v, "headers")?;
    // The payload hash: SHA-256 of the exact body bytes, or of nothing.
    let body = v.get("body").and_then(Value::as_str).unwrap_or_default();
    let ours = sag_api::sign::v3::sha256_hex(body.as_bytes());
    expect(
        "x-acs-content-sha256",
        &ours,
        headers
            .get("x-acs-content-sha256")
            .map(String::as_str)
            .unwrap_or_default(),
    )?;
    let signed = sag_api::sign::v3::acs3(
        method_of(v)?,
        &string_map(v, "query")?,
        &headers,
        string_field(v, "access_key_id")?,
        string_field(v, "access_key_secret")?,
    );
    expect_v3(&signed, v)
}

fn check_tc3(v: &Value) -> Result<(), String> {
    let headers = string_map(v, "headers")?;
    let names = string_field(v, "signed_headers")?;
    let mut signed = std::collections::BTreeMap::new();
    for name in names.split(';') {
        let (k, x) = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .ok_or_else(|| format!("signed header {name} is not among the headers"))?;
        signed.insert(k.clone(), x.clone());
    }
    let payload = string_field(v, "payload")?;
    expect(
        "hashed payload",
        &sag_api::sign::v3::sha256_hex(payload.as_bytes()),
        string_field(v, "hashed_payload")?,
    )?;
    let timestamp = v
        .get("timestamp")
        .and_then(Value::as_i64)
        .ok_or("no timestamp")?;
    expect(
        "date",
        &sag_api::sign::v3::utc_date(timestamp),
        string_field(v, "date")?,
    )?;
    let signed = sag_api::sign::v3::tc3(
        method_of(v)?,
        string_field(v, "query")?,
        &signed,
        payload,
        string_field(v, "service")?,
        timestamp,
        string_field(v, "secret_id")?,
        string_field(v, "secret_key")?,
    );
    expect(
        "credential scope",
        signed.string_to_sign.lines().nth(2).unwrap_or_default(),
        string_field(v, "credential_scope")?,
    )?;
    expect_v3(&signed, v)
}

/// The `*.json` files of `dir` (none if it does not exist).
fn json_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    Ok(std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect())
}

fn main() -> ExitCode {
    let dir = vectors_dir();
    println!("signing vectors from {}", dir.display());
    let mut files: Vec<PathBuf> = match json_files(&dir) {
        Ok(files) => files,
        Err(e) => {
            println!("FAILED: cannot read {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    // The V3 vectors sit in a folder of their own.
    let v3 = dir.join("v3");
    if v3.is_dir() {
        match json_files(&v3) {
            Ok(more) => files.extend(more),
            Err(e) => {
                println!("FAILED: cannot read {}: {e}", v3.display());
                return ExitCode::FAILURE;
            }
        }
    }
    files.sort();
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut problems = Vec::new();
    for file in &files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let Some(scheme) = scheme_of(&name) else {
            problems.push(format!(
                "{name}: unrecognised vector file (expected aliyun*.json or tencent*.json)"
            ));
            failed += 1;
            continue;
        };
        let vectors: Vec<Value> = match std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
        {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{name}: not a JSON array of vectors: {e}"));
                failed += 1;
                continue;
            }
        };
        let (mut file_passed, mut file_failed) = (0, 0);
        for vector in &vectors {
            let id = vector
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("<no id>");
            let result = match scheme {
                Scheme::Aliyun => check_aliyun(vector),
                Scheme::Tencent => check_tencent(vector),
                Scheme::AliyunAcs3 => check_acs3(vector),
                Scheme::TencentTc3 => check_tc3(vector),
            };
            match result {
                Ok(()) => file_passed += 1,
                Err(why) => {
                    file_failed += 1;
                    problems.push(format!("{name} / {id}: {why}"));
                }
            }
        }
        println!(
            "  {name} ({scheme:?}): {file_passed} checked ok, {file_failed} failed, of {}",
            vectors.len()
        );
        passed += file_passed;
        failed += file_failed;
    }
    for p in &problems {
        println!("FAILED {p}");
    }
    if passed + failed == 0 {
        println!("FAILED: no vectors found in {}", dir.display());
        failed += 1;
    }
    println!("signing vectors: {passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
