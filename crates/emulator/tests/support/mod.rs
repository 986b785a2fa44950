//! Starts an emulator in-process on a free loopback port and talks to it with
//! requests signed by the api crate, exactly as the console does.

#![allow(dead_code)]

use cloud_emulator::{Config, KeyPair, Running};
use rand::RngCore;
use sag_api::request::{
    prepare, Action, Credentials, HttpRequest, Placement, Profile, RequestStamp,
};
use sag_api::sign::Method;
use sag_api::ApiError;

pub const ALIYUN: (&str, &str) = ("LTAItestKey", "test-secret");
pub const TENCENT: (&str, &str) = ("AKIDtestKey", "tencent-secret");
pub const STS: (&str, &str, &str) = ("STS.tempKey", "temp-secret", "sts-token-value");

pub fn config() -> Config {
    Config {
        random_seed: Some(7),
        tick_ms: 0,
        aliyun_keys: vec![
            KeyPair {
                id: ALIYUN.0.into(),
                secret: ALIYUN.1.into(),
                token: None,
            },
            KeyPair {
                id: STS.0.into(),
                secret: STS.1.into(),
                token: Some(STS.2.into()),
            },
        ],
        tencent_keys: vec![
            KeyPair {
                id: TENCENT.0.into(),
                secret: TENCENT.1.into(),
                token: None,
            },
            KeyPair {
                id: STS.0.into(),
                secret: STS.1.into(),
                token: Some(STS.2.into()),
            },
        ],
        ..Config::default()
    }
}

pub struct Env {
    pub emu: Running,
    pub http: reqwest::Client,
    pub aliyun: Credentials,
    pub tencent: Credentials,
    pub profile: Profile,
    /// Path prefix, as a proxy that keeps its prefix would send.
    pub prefix: String,
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn stamp_at(unix_seconds: i64) -> RequestStamp {
    let mut random = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut random);
    RequestStamp::new(unix_seconds, random)
}

/// `request` (an Alibaba Cloud form POST signed with `ALIYUN`) with the
/// parameter `key` set to `value` and signed again, as a client sending a
/// value no typed action would send.
pub fn resigned_with(mut request: HttpRequest, key: &str, value: &str) -> HttpRequest {
    let mut params: sag_api::Params = sag_api::wire::parse_pairs(request.body.as_deref().unwrap())
        .unwrap()
        .into_iter()
        .collect();
    params.remove("Signature");
    params.insert(key.into(), value.into());
    let signed = sag_api::sign::aliyun::sign(Method::Post, &params, ALIYUN.1);
    params.insert("Signature".into(), signed.signature);
    request.body = Some(sag_api::wire::encode_pairs(
        params.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    ));
    request
}

pub fn stamp() -> RequestStamp {
    stamp_at(now())
}

impl Env {
    pub async fn start() -> Env {
        Env::with(config()).await
    }

    pub async fn with(config: Config) -> Env {
        let emu = cloud_emulator::start(config)
            .await
            .expect("emulator starts");
        Env {
            emu,
            http: reqwest::Client::new(),
            aliyun: Credentials::new(ALIYUN.0, ALIYUN.1),
            tencent: Credentials::new(TENCENT.0, TENCENT.1),
            profile: Profile::default(),
            prefix: "/".into(),
        }
    }

    /// Sends an already prepared request; returns status and body.
    pub async fn send_raw(&self, request: &HttpRequest) -> (u16, String) {
        let url = format!("{}{}", self.emu.url(), request.url(&self.prefix));
        let builder = match request.method {
            Method::Get => self.http.get(url),
            Method::Post => self.http.post(url),
        };
        // As the console's proxy does: the request's own headers, and the
        // host the signature covers as `Host`.
        let mut builder = builder;
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some(host) = &request.signed_host {
            builder = builder.header("host", host);
        }
        let builder = match &request.body {
            Some(body) => builder.body(body.clone()),
            None => builder,
        };
        let response = builder.send().await.expect("emulator answers");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    pub async fn call_with<A: Action>(
        &self,
        action: &A,
        creds: &Credentials,
        stamp: &RequestStamp,
        profile: &Profile,
    ) -> Result<A::Response, ApiError> {
        let request = prepare(action, creds, stamp, profile);
        let (status, body) = self.send_raw(&request).await;
        sag_api::decode::<A>(&request, status, &body)
    }

    /// Signs with the vendor's test key and a fresh stamp, sends, decodes.
    pub async fn call<A: Action>(&self, action: &A) -> Result<A::Response, ApiError> {
        let creds = match A::PRODUCT {
            sag_api::request::Product::Smartag => &self.aliyun,
            sag_api::request::Product::Cam => &self.tencent,
        };
        self.call_with(action, creds, &stamp(), &self.profile).await
    }

    pub async fn call_placed<A: Action>(
        &self,
        action: &A,
        placement: Placement,
    ) -> Result<A::Response, ApiError> {
        let profile = Profile {
            aliyun_placement: placement,
            ..self.profile.clone()
        };
        self.call_with(action, &self.aliyun, &stamp(), &profile)
            .await
    }

    pub async fn control(
        &self,
        method: &str,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let url = format!("{}/_emulator/{path}", self.emu.url());
        let request = match method {
            "GET" => self.http.get(url),
            "PUT" => self.http.put(url).json(&body),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body),
        };
        let response = request.send().await.expect("control answers");
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }
}

/// The code of an error, for asserts.
pub fn code<T: std::fmt::Debug>(result: Result<T, ApiError>) -> String {
    match result {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e
            .code()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("<{e:?}>")),
    }
}
