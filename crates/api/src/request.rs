//! Turning a typed action into a signed HTTP request (pure data: the caller
//! sends it). A fresh [`RequestStamp`] must be used for every send, retries
//! included, because both vendors reject a reused nonce.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

pub use crate::action::{Action, Product};
use crate::error::Vendor;
use crate::secret::Secret;
use crate::sign::{aliyun, tencent, v3, Method, Params};
use crate::wire::encode_pairs;

/// An AccessKey pair, optionally with an STS token for temporary credentials
/// (`SecurityToken` for Alibaba, `Token` for Tencent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub access_key_secret: Secret,
    pub security_token: Option<Secret>,
}

impl Credentials {
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<Secret>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
        }
    }

    pub fn with_security_token(mut self, token: impl Into<Secret>) -> Self {
        self.security_token = Some(token.into());
        self
    }
}

/// The time and randomness of one send. Build a new one for every attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestStamp {
    pub unix_seconds: i64,
    pub nonce: u128,
}

impl RequestStamp {
    pub fn new(unix_seconds: i64, random: [u8; 16]) -> Self {
        RequestStamp {
            unix_seconds,
            nonce: u128::from_le_bytes(random),
        }
    }

    /// Alibaba's `Timestamp`: UTC `yyyy-MM-ddTHH:mm:ssZ`.
    pub fn aliyun_timestamp(&self) -> String {
        format_aliyun_timestamp(self.unix_seconds)
    }

    /// Alibaba's `SignatureNonce`: 128 random bits as a UUID-shaped string.
    pub fn aliyun_nonce(&self) -> String {
        let hex = format!("{:032x}", self.nonce);
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }

    /// Tencent's `Nonce`: a random positive integer below 2^63.
    pub fn tencent_nonce(&self) -> u64 {
        ((self.nonce as u64) >> 1).max(1)
    }
}

/// Formats Unix seconds as Alibaba's `Timestamp` (out-of-range values clamp
/// to the epoch). The calendar comes from `time`; the layout is written out
/// here, which keeps `time`'s general formatting engine out of the bundle.
pub fn format_aliyun_timestamp(unix_seconds: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(unix_seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses Alibaba's `Timestamp` into Unix seconds; `None` if it is not exactly
/// `yyyy-MM-ddTHH:mm:ssZ` with a real date and time.
pub fn parse_aliyun_timestamp(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let shape_ok = b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    let num = |from: usize, to: usize| text[from..to].parse::<u16>().ok();
    let month = Month::try_from(u8::try_from(num(5, 7)?).ok()?).ok()?;
    let date = Date::from_calendar_date(
        i32::from(num(0, 4)?),
        month,
        u8::try_from(num(8, 10)?).ok()?,
    )
    .ok()?;
    let time = Time::from_hms(
        u8::try_from(num(11, 13)?).ok()?,
        u8::try_from(num(14, 16)?).ok()?,
        u8::try_from(num(17, 19)?).ok()?,
    )
    .ok()?;
    Some(
        PrimitiveDateTime::new(date, time)
            .assume_utc()
            .unix_timestamp(),
    )
}

/// Where an Alibaba request carries its parameters. All four are what an
/// official SDK sends, so the gateway (and the emulator) accept each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Placement {
    /// GET, everything in the query string.
    GetQuery,
    /// POST, everything in the query string, empty body (both Python SDKs).
    PostQuery,
    /// POST, common parameters in the query, business parameters in a form
    /// body (the legacy Python SDK with body parameters).
    PostSplit,
    /// POST, everything in a form body, URL `/` (`@alicloud/pop-core`). The
    /// console's default: nothing but the path reaches a proxy's access log.
    #[default]
    PostForm,
}

impl Placement {
    pub fn method(self) -> Method {
        match self {
            Placement::GetQuery => Method::Get,
            _ => Method::Post,
        }
    }
}

/// Which signature a vendor's requests carry (`"v1"` or `"v3"` in
/// `config.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scheme {
    /// The legacy HMAC-SHA1 signatures: Alibaba RPC v1, Tencent v1
    /// (`HmacSHA1`), everything in form parameters.
    V1,
    /// The current ones: Alibaba `ACS3-HMAC-SHA256` and Tencent
    /// `TC3-HMAC-SHA256`, with the common parameters in headers.
    #[default]
    V3,
}

impl Scheme {
    /// The scheme `config.json` names: `"v1"` or `"v3"`.
    pub fn from_config(name: &str) -> Option<Scheme> {
        match name {
            "v1" => Some(Scheme::V1),
            "v3" => Some(Scheme::V3),
            _ => None,
        }
    }

    /// How the console names it for a vendor.
    pub fn name(self, vendor: Vendor) -> &'static str {
        match (self, vendor) {
            (Scheme::V1, Vendor::Aliyun) => "v1 (HMAC-SHA1)",
            (Scheme::V1, Vendor::Tencent) => "v1 (HmacSHA1)",
            (Scheme::V3, Vendor::Aliyun) => v3::ACS3,
            (Scheme::V3, Vendor::Tencent) => v3::TC3,
        }
    }
}

/// The host Alibaba's V3 signature covers for `region`: the regional
/// endpoint the proxy forwards to (`smartag.<region>.aliyuncs.com`).
pub const ALIYUN_DEFAULT_HOST: &str = "smartag.{region}.aliyuncs.com";

/// How requests are put on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub aliyun_scheme: Scheme,
    pub tencent_scheme: Scheme,
    /// Where Alibaba v1 parameters go (V3 always sends a form body).
    pub aliyun_placement: Placement,
    /// The host Alibaba V3 signs, with `{region}`: the upstream the proxy
    /// forwards to, which the proxy must also send as `Host`.
    pub aliyun_host: String,
    /// The host Tencent signs: the upstream the proxy forwards to, never the
    /// proxy's own host.
    pub tencent_host: String,
    pub tencent_method: Method,
    /// Tencent's `Language` (`en-US` or `zh-CN`); messages come back in it.
    pub tencent_language: Option<String>,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            aliyun_scheme: Scheme::V1,
            tencent_scheme: Scheme::V1,
            aliyun_placement: Placement::PostForm,
            aliyun_host: ALIYUN_DEFAULT_HOST.to_owned(),
            tencent_host: crate::action::CAM_DEFAULT_HOST.to_owned(),
            tencent_method: Method::Post,
            tencent_language: Some("en-US".to_owned()),
        }
    }
}

/// A signed request, ready to send to `<base URL>?<query>` with `headers`
/// and `body`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub vendor: Vendor,
    pub action: &'static str,
    pub scheme: Scheme,
    pub method: Method,
    /// Alibaba's `RegionId`, which picks the regional endpoint (and proxy path).
    pub region: Option<String>,
    /// Query string without the leading `?`; empty when everything is in the body.
    pub query: String,
    /// The body, if any; its type is the `content-type` in `headers`.
    pub body: Option<String>,
    /// Headers to send exactly as they are (names lower case): the body's
    /// `content-type`, and V3's signature headers (`authorization`,
    /// `x-acs-*`, `x-tc-*`). `host` is not among them: a browser cannot set
    /// it, so the proxy sends `signed_host`.
    pub headers: Vec<(&'static str, String)>,
    /// The host the signature covers (V3 of both vendors, Tencent v1): the
    /// upstream the proxy must forward to, with this `Host`.
    pub signed_host: Option<String>,
    /// Our string to sign, to compare with a server's on `SignatureDoesNotMatch`.
    pub string_to_sign: String,
    /// V3: our canonical request, to compare with the one a server reports.
    pub canonical_request: Option<String>,
}

impl HttpRequest {
    pub const FORM_CONTENT_TYPE: &'static str = "application/x-www-form-urlencoded";
    /// TC3's JSON body type, exactly as the SDKs send and sign it.
    pub const JSON_CONTENT_TYPE: &'static str = "application/json";

    /// The value of header `name` (lower case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The URL under `base` (a proxy path such as `/api/aliyun/cn-shanghai/`).
    pub fn url(&self, base: &str) -> String {
        if self.query.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", self.query)
        }
    }
}

/// Signs `action` with `credentials` and `stamp` and lays it out per `profile`.
pub fn prepare<A: Action>(
    action: &A,
    credentials: &Credentials,
    stamp: &RequestStamp,
    profile: &Profile,
) -> HttpRequest {
    prepare_named(
        A::PRODUCT,
        A::NAME,
        action.params(),
        credentials,
        stamp,
        profile,
    )
}

/// [`prepare`] once the action is its product, name and parameters: not
/// generic, and never inlined, so each action does not carry its own copy.
#[inline(never)]
fn prepare_named(
    product: Product,
    name: &'static str,
    params: Params,
    credentials: &Credentials,
    stamp: &RequestStamp,
    profile: &Profile,
) -> HttpRequest {
    match (product, profile.aliyun_scheme, profile.tencent_scheme) {
        (Product::Smartag, Scheme::V1, _) => {
            prepare_aliyun(name, params, credentials, stamp, profile.aliyun_placement)
        }
        (Product::Smartag, Scheme::V3, _) => {
            prepare_acs3(name, params, credentials, stamp, &profile.aliyun_host)
        }
        (Product::Cam, _, Scheme::V1) => prepare_tencent(name, params, credentials, stamp, profile),
        (Product::Cam, _, Scheme::V3) => prepare_tc3(name, params, credentials, stamp, profile),
    }
}

/// Alibaba V3 (`ACS3-HMAC-SHA256`): the business parameters in a form body
/// (so a password never reaches a URL or an access log), the common ones
/// as signed `x-acs-*` headers, the regional host signed.
fn prepare_acs3(
    name: &'static str,
    business: Params,
    credentials: &Credentials,
    stamp: &RequestStamp,
    host_pattern: &str,
) -> HttpRequest {
    let region = business.get("RegionId").cloned();
    let host = host_pattern.replace("{region}", region.as_deref().unwrap_or_default());
    let body = encode(&business);
    let mut signed = vec![
        ("content-type", HttpRequest::FORM_CONTENT_TYPE.to_owned()),
        ("x-acs-action", name.to_owned()),
        ("x-acs-content-sha256", v3::sha256_hex(body.as_bytes())),
        ("x-acs-date", stamp.aliyun_timestamp()),
        ("x-acs-signature-nonce", stamp.aliyun_nonce()),
        ("x-acs-version", Product::Smartag.version().to_owned()),
    ];
    if let Some(token) = &credentials.security_token {
        signed.push(("x-acs-accesskey-id", credentials.access_key_id.clone()));
        signed.push(("x-acs-security-token", token.expose().to_owned()));
    }
    let mut to_sign = crate::sign::map_of(signed.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    to_sign.insert("host".into(), host.clone());
    let result = v3::acs3(
        Method::Post,
        &Params::new(),
        &to_sign,
        &credentials.access_key_id,
        credentials.access_key_secret.expose(),
    );
    signed.push(("authorization", result.authorization));
    HttpRequest {
        vendor: Vendor::Aliyun,
        action: name,
        scheme: Scheme::V3,
        method: Method::Post,
        region,
        query: String::new(),
        body: Some(body),
        headers: signed,
        signed_host: Some(host),
        string_to_sign: result.string_to_sign,
        canonical_request: Some(result.canonical_request),
    }
}

/// Tencent TC3 (`TC3-HMAC-SHA256`): a JSON body with CAM's integer
/// parameters as JSON numbers, the common parameters as `X-TC-*` headers;
/// `content-type` and `host` are signed, as the official SDKs sign them.
fn prepare_tc3(
    name: &'static str,
    business: Params,
    credentials: &Credentials,
    stamp: &RequestStamp,
    profile: &Profile,
) -> HttpRequest {
    let body = json_body(&business);
    let host = profile.tencent_host.clone();
    let to_sign = crate::sign::map_of([
        (
            "content-type".to_owned(),
            HttpRequest::JSON_CONTENT_TYPE.to_owned(),
        ),
        ("host".to_owned(), host.clone()),
        // TC3 has no nonce: without the action under the signature, a
        // captured GetUser could be replayed as a DeleteUser within the
        // timestamp window. Tencent's own documentation example signs it.
        ("x-tc-action".to_owned(), name.to_owned()),
    ]);
    let result = v3::tc3(
        Method::Post,
        "",
        &to_sign,
        &body,
        "cam",
        stamp.unix_seconds,
        &credentials.access_key_id,
        credentials.access_key_secret.expose(),
    );
    let mut headers = vec![
        ("content-type", HttpRequest::JSON_CONTENT_TYPE.to_owned()),
        ("authorization", result.authorization),
        ("x-tc-action", name.to_owned()),
        ("x-tc-version", Product::Cam.version().to_owned()),
        ("x-tc-timestamp", stamp.unix_seconds.to_string()),
    ];
    if let Some(language) = &profile.tencent_language {
        headers.push(("x-tc-language", language.clone()));
    }
    if let Some(token) = &credentials.security_token {
        headers.push(("x-tc-token", token.expose().to_owned()));
    }
    HttpRequest {
        vendor: Vendor::Tencent,
        action: name,
        scheme: Scheme::V3,
        method: Method::Post,
        region: None,
        query: String::new(),
        body: Some(body),
        headers,
        signed_host: Some(host),
        string_to_sign: result.string_to_sign,
        canonical_request: Some(result.canonical_request),
    }
}

/// A flat JSON object of `params`, keys in byte order, CAM's integer
/// parameters ([`crate::cam::INTEGER_PARAMETERS`]) as numbers and the
/// rest as strings: API 3.0 checks the types.
pub fn json_body(params: &Params) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&json_string(key));
        out.push(':');
        let integer = crate::cam::INTEGER_PARAMETERS.contains(&key.as_str())
            && !value.is_empty()
            && value.bytes().all(|b| b.is_ascii_digit());
        if integer {
            out.push_str(value);
        } else {
            out.push_str(&json_string(value));
        }
    }
    out.push('}');
    out
}

/// A JSON string literal (RFC 8259 escapes; non-ASCII kept as UTF-8), as
/// serde_json writes one.
fn json_string(text: &str) -> String {
    crate::json::quote(text)
}

fn prepare_aliyun(
    name: &'static str,
    business: Params,
    credentials: &Credentials,
    stamp: &RequestStamp,
    placement: Placement,
) -> HttpRequest {
    let mut common = Params::new();
    common.insert("Action".into(), name.into());
    common.insert("Version".into(), Product::Smartag.version().into());
    common.insert("Format".into(), "JSON".into());
    common.insert("AccessKeyId".into(), credentials.access_key_id.clone());
    common.insert("SignatureMethod".into(), aliyun::SIGNATURE_METHOD.into());
    common.insert("SignatureVersion".into(), aliyun::SIGNATURE_VERSION.into());
    common.insert("SignatureNonce".into(), stamp.aliyun_nonce());
    common.insert("Timestamp".into(), stamp.aliyun_timestamp());
    if let Some(token) = &credentials.security_token {
        common.insert("SecurityToken".into(), token.expose().to_owned());
    }
    let region = business.get("RegionId").cloned();
    let mut all = common.clone();
    all.extend(business.iter().map(|(k, v)| (k.clone(), v.clone())));

    let method = placement.method();
    let signed = aliyun::sign(method, &all, credentials.access_key_secret.expose());
    let with_signature = |params: &Params| {
        let mut text = encode(params);
        if !text.is_empty() {
            text.push('&');
        }
        text.push_str(&encode_pairs([("Signature", signed.signature.as_str())]));
        text
    };
    let (query, body) = match placement {
        Placement::GetQuery | Placement::PostQuery => (with_signature(&all), None),
        Placement::PostSplit => (with_signature(&common), Some(encode(&business))),
        Placement::PostForm => (String::new(), Some(with_signature(&all))),
    };
    let headers = match body {
        Some(_) => vec![("content-type", HttpRequest::FORM_CONTENT_TYPE.to_owned())],
        None => Vec::new(),
    };
    HttpRequest {
        vendor: Vendor::Aliyun,
        action: name,
        scheme: Scheme::V1,
        method,
        region,
        query,
        body,
        headers,
        signed_host: None,
        string_to_sign: signed.string_to_sign,
        canonical_request: None,
    }
}

fn prepare_tencent(
    name: &'static str,
    business: Params,
    credentials: &Credentials,
    stamp: &RequestStamp,
    profile: &Profile,
) -> HttpRequest {
    let mut all = business;
    all.insert("Action".into(), name.into());
    all.insert("Version".into(), Product::Cam.version().into());
    all.insert("Timestamp".into(), stamp.unix_seconds.to_string());
    all.insert("Nonce".into(), stamp.tencent_nonce().to_string());
    all.insert("SecretId".into(), credentials.access_key_id.clone());
    all.insert("SignatureMethod".into(), tencent::SIGNATURE_METHOD.into());
    if let Some(token) = &credentials.security_token {
        all.insert("Token".into(), token.expose().to_owned());
    }
    if let Some(language) = &profile.tencent_language {
        all.insert("Language".into(), language.clone());
    }
    let method = profile.tencent_method;
    // We always set SignatureMethod=HmacSHA1 above, so signing cannot refuse.
    let signed = tencent::sign(
        method,
        &profile.tencent_host,
        "/",
        &all,
        credentials.access_key_secret.expose(),
    )
    .expect("HmacSHA1 is always supported");
    let mut encoded = encode(&all);
    encoded.push('&');
    encoded.push_str(&encode_pairs([("Signature", signed.signature.as_str())]));
    let (query, body) = match method {
        Method::Get => (encoded, None),
        Method::Post => (String::new(), Some(encoded)),
    };
    let headers = match body {
        Some(_) => vec![("content-type", HttpRequest::FORM_CONTENT_TYPE.to_owned())],
        None => Vec::new(),
    };
    HttpRequest {
        vendor: Vendor::Tencent,
        action: name,
        scheme: Scheme::V1,
        method,
        region: None,
        query,
        body,
        headers,
        signed_host: Some(profile.tencent_host.clone()),
        string_to_sign: signed.string_to_sign,
        canonical_request: None,
    }
}

fn encode(params: &Params) -> String {
    encode_pairs(params.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::Params;
    use crate::smartag::{CreateClientUser, DescribeClientUsers};
    use crate::wire::parse_pairs;
    use std::collections::BTreeMap;

    fn stamp() -> RequestStamp {
        RequestStamp::new(1_714_552_200, [7; 16])
    }

    fn decoded(request: &HttpRequest) -> Params {
        let mut params = Params::new();
        for part in [Some(request.query.as_str()), request.body.as_deref()]
            .into_iter()
            .flatten()
        {
            params.extend(parse_pairs(part).unwrap());
        }
        params
    }

    fn create() -> CreateClientUser {
        CreateClientUser {
            region_id: "cn-shanghai".into(),
            smart_ag_id: "sag-abc".into(),
            user_mail: "a+b@example.com".into(),
            bandwidth_kbps: 2000,
            credentials: Some(("alice.w01".into(), Secret::new("Pass_w0rd!"))),
            client_ip: None,
        }
    }

    #[test]
    fn formats_timestamps_and_nonces_like_the_sdks() {
        assert_eq!(
            format_aliyun_timestamp(1_714_552_200),
            "2024-05-01T08:30:00Z"
        );
        assert_eq!(
            parse_aliyun_timestamp("2024-05-01T08:30:00Z"),
            Some(1_714_552_200)
        );
        assert_eq!(parse_aliyun_timestamp("2024-05-01 08:30:00"), None);
        assert_eq!(parse_aliyun_timestamp("2024-05-01T08:30:00.123Z"), None);
        assert_eq!(
            parse_aliyun_timestamp("2024-02-30T08:30:00Z"),
            None,
            "no such day"
        );
        assert_eq!(parse_aliyun_timestamp("2024-05-01T24:00:00Z"), None);
        assert_eq!(parse_aliyun_timestamp("2024-05-01T08:30:0aZ"), None);
        assert_eq!(format_aliyun_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_aliyun_timestamp(i64::MAX), "1970-01-01T00:00:00Z");
        for t in [0, 951_782_400, 1_709_164_800, 1_714_552_200, 4_102_444_799] {
            assert_eq!(parse_aliyun_timestamp(&format_aliyun_timestamp(t)), Some(t));
        }
        let nonce = stamp().aliyun_nonce();
        assert_eq!(nonce.len(), 36);
        assert_eq!(nonce.matches('-').count(), 4);
        assert!(stamp().tencent_nonce() >= 1);
        assert!(RequestStamp::new(0, [0; 16]).tencent_nonce() >= 1);
        assert!(RequestStamp::new(0, [0xff; 16]).tencent_nonce() <= i64::MAX as u64);
        // The nonce is the randomness (its low 64 bits, halved to stay
        // below 2^63), not a constant.
        let with = |first: u8| {
            let mut r = [0u8; 16];
            r[0] = first;
            RequestStamp::new(0, r).tencent_nonce()
        };
        assert_eq!(with(2), 1);
        assert_eq!(with(0x10), 8);
        assert_eq!(with(0xfe), 127);
        assert_eq!(with(0), 1, "never zero");
        assert_eq!(
            RequestStamp::new(0, [0xff; 16]).tencent_nonce(),
            i64::MAX as u64
        );
        // A shape that is 20 characters long but not Alibaba's is refused.
        for wrong in [
            "2024/05/01T08:30:00Z",
            "2024-05-01 08:30:00Z",
            "2024-05-01T08-30-00Z",
            "2024-05-01T08:30:00+",
            "20240-5-01T08:30:00Z",
        ] {
            assert_eq!(wrong.len(), 20, "{wrong}");
            assert_eq!(parse_aliyun_timestamp(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn every_placement_carries_the_same_verifiable_parameters() {
        let creds = Credentials::new("AKID", "secret");
        for placement in [
            Placement::GetQuery,
            Placement::PostQuery,
            Placement::PostSplit,
            Placement::PostForm,
        ] {
            let profile = Profile {
                aliyun_placement: placement,
                ..Profile::default()
            };
            let request = prepare(&create(), &creds, &stamp(), &profile);
            assert_eq!(request.method, placement.method());
            // Only the query placement is a GET, and it is signed as one.
            let get = placement == Placement::GetQuery;
            assert_eq!(request.method == Method::Get, get, "{placement:?}");
            let verb = if get { "GET&" } else { "POST&" };
            assert!(request.string_to_sign.starts_with(verb), "{placement:?}");
            assert_eq!(request.region.as_deref(), Some("cn-shanghai"));
            let mut params = decoded(&request);
            let signature = params.remove("Signature").expect("signature on the wire");
            let again = aliyun::sign(request.method, &params, "secret");
            assert_eq!(again.signature, signature, "{placement:?}");
            assert_eq!(again.string_to_sign, request.string_to_sign);
            assert_eq!(params["UserMail"], "a+b@example.com");
            assert_eq!(params["Password"], "Pass_w0rd!");
            match placement {
                Placement::PostForm => assert!(request.query.is_empty()),
                Placement::PostSplit => {
                    assert!(!request.query.contains("Password"));
                    assert!(request.query.contains("Signature="));
                }
                _ => assert!(request.body.is_none()),
            }
        }
    }

    #[test]
    fn secrets_stay_out_of_the_url_by_default() {
        let creds = Credentials::new("AKID", "secret").with_security_token("sts-token");
        let request = prepare(&create(), &creds, &stamp(), &Profile::default());
        assert_eq!(
            request.url("/api/aliyun/cn-shanghai/"),
            "/api/aliyun/cn-shanghai/"
        );
        let params = decoded(&request);
        assert_eq!(params["SecurityToken"], "sts-token");
        assert!(!request.body.as_deref().unwrap_or("").contains("secret&"));
    }

    #[test]
    fn tencent_requests_sign_the_configured_host_and_carry_the_token() {
        let creds = Credentials::new("AKIDx", "tsecret").with_security_token("tmp");
        let profile = Profile {
            tencent_host: "cam.intl.tencentcloudapi.com".into(),
            ..Profile::default()
        };
        let request = prepare(&crate::cam::ListUsers, &creds, &stamp(), &profile);
        assert!(request
            .string_to_sign
            .starts_with("POSTcam.intl.tencentcloudapi.com/?Action=ListUsers&"));
        let mut params = decoded(&request);
        let signature = params.remove("Signature").unwrap();
        assert_eq!(params["Token"], "tmp");
        assert_eq!(params["Version"], "2019-01-16");
        let again = tencent::sign(
            Method::Post,
            "cam.intl.tencentcloudapi.com",
            "/",
            &params,
            "tsecret",
        )
        .unwrap();
        assert_eq!(again.signature, signature);
    }

    fn v3_profile() -> Profile {
        Profile {
            aliyun_scheme: Scheme::V3,
            tencent_scheme: Scheme::V3,
            ..Profile::default()
        }
    }

    fn signed_headers(request: &HttpRequest, host: &str) -> BTreeMap<String, String> {
        let auth = request
            .header("authorization")
            .expect("an Authorization header");
        let names = auth
            .split("SignedHeaders=")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap();
        names
            .split(';')
            .map(|name| {
                let value = match name {
                    "host" => host.to_owned(),
                    _ => request.header(name).expect(name).to_owned(),
                };
                (name.to_owned(), value)
            })
            .collect()
    }

    #[test]
    fn acs3_requests_put_everything_secret_in_the_body_and_sign_the_regional_host() {
        let creds = Credentials::new("AKID", "secret").with_security_token("sts-token");
        let request = prepare(&create(), &creds, &stamp(), &v3_profile());
        assert_eq!(request.scheme, Scheme::V3);
        assert_eq!(request.method, Method::Post);
        assert!(request.query.is_empty(), "nothing in the URL");
        assert_eq!(
            request.signed_host.as_deref(),
            Some("smartag.cn-shanghai.aliyuncs.com")
        );
        let body = request.body.as_deref().unwrap();
        let params: Params = parse_pairs(body).unwrap().into_iter().collect();
        assert_eq!(params["Password"], "Pass_w0rd!");
        assert_eq!(params["UserMail"], "a+b@example.com");
        assert!(!params.contains_key("Signature") && !params.contains_key("Action"));
        assert_eq!(
            request.header("x-acs-action"),
            Some("CreateSmartAccessGatewayClientUser")
        );
        assert_eq!(request.header("x-acs-version"), Some("2018-03-13"));
        assert_eq!(request.header("x-acs-date"), Some("2024-05-01T08:30:00Z"));
        assert_eq!(request.header("x-acs-security-token"), Some("sts-token"));
        assert_eq!(request.header("x-acs-accesskey-id"), Some("AKID"));
        assert_eq!(
            request.header("x-acs-content-sha256"),
            Some(v3::sha256_hex(body.as_bytes()).as_str())
        );
        assert_eq!(
            request.header("content-type"),
            Some(HttpRequest::FORM_CONTENT_TYPE)
        );
        // The server's side: the same signature from what arrives.
        let headers = signed_headers(&request, "smartag.cn-shanghai.aliyuncs.com");
        assert!(headers.contains_key("host") && headers.contains_key("x-acs-security-token"));
        let again = v3::acs3(Method::Post, &Params::new(), &headers, "AKID", "secret");
        assert_eq!(
            request.header("authorization"),
            Some(again.authorization.as_str())
        );
        assert_eq!(
            request.canonical_request.as_deref(),
            Some(again.canonical_request.as_str())
        );
        // Another host (a proxy that does not forward with it) breaks it.
        let elsewhere = signed_headers(&request, "127.0.0.1:8080");
        let wrong = v3::acs3(Method::Post, &Params::new(), &elsewhere, "AKID", "secret");
        assert_ne!(wrong.signature, again.signature);
    }

    #[test]
    fn tc3_requests_send_typed_json_and_sign_content_type_and_host() {
        let creds = Credentials::new("AKIDx", "tsecret").with_security_token("tmp");
        let add = crate::cam::AddUser {
            name: "dev-\"quoted\"\\".into(),
            remark: Some("办公室 1\n2".into()),
            console_login: true,
            use_api: false,
            password: Some(Secret::new("S3cret!pass")),
            need_reset_password: true,
            ..Default::default()
        };
        let request = prepare(&add, &creds, &stamp(), &v3_profile());
        let body = request.body.as_deref().unwrap();
        assert_eq!(
            body,
            r#"{"ConsoleLogin":1,"Name":"dev-\"quoted\"\\","NeedResetPassword":1,"Password":"S3cret!pass","Remark":"办公室 1\n2","UseApi":0}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(parsed["Name"], "dev-\"quoted\"\\");
        assert_eq!(parsed["ConsoleLogin"], 1);
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(request.header("x-tc-action"), Some("AddUser"));
        assert_eq!(request.header("x-tc-version"), Some("2019-01-16"));
        assert_eq!(request.header("x-tc-timestamp"), Some("1714552200"));
        assert_eq!(request.header("x-tc-token"), Some("tmp"));
        assert_eq!(request.header("x-tc-language"), Some("en-US"));
        assert!(request.query.is_empty());
        let headers = signed_headers(&request, "cam.tencentcloudapi.com");
        assert_eq!(
            headers.keys().collect::<Vec<_>>(),
            ["content-type", "host", "x-tc-action"]
        );
        assert!(request
            .header("authorization")
            .unwrap()
            .contains("SignedHeaders=content-type;host;x-tc-action,"));
        let again = v3::tc3(
            Method::Post,
            "",
            &headers,
            body,
            "cam",
            1_714_552_200,
            "AKIDx",
            "tsecret",
        );
        assert_eq!(
            request.header("authorization"),
            Some(again.authorization.as_str())
        );
        assert!(again
            .authorization
            .contains("Credential=AKIDx/2024-05-01/cam/tc3_request"));
        // ListUsers has no parameters: the body is `{}`, not empty.
        let list = prepare(&crate::cam::ListUsers, &creds, &stamp(), &v3_profile());
        assert_eq!(list.body.as_deref(), Some("{}"));
    }

    #[test]
    fn json_bodies_escape_control_characters() {
        let params: Params = [("Remark".to_owned(), "a\u{1}b\tc".to_owned())].into();
        assert_eq!(json_body(&params), r#"{"Remark":"a\u0001b\tc"}"#);
        let not_a_number: Params = [("Force".to_owned(), "yes".to_owned())].into();
        assert_eq!(json_body(&not_a_number), r#"{"Force":"yes"}"#);
    }

    #[test]
    fn v1_stays_available_and_names_its_scheme() {
        let request = prepare(
            &create(),
            &Credentials::new("AKID", "secret"),
            &stamp(),
            &Profile::default(),
        );
        assert_eq!(request.scheme, Scheme::V1);
        assert!(request.header("authorization").is_none());
        assert_eq!(
            request.header("content-type"),
            Some(HttpRequest::FORM_CONTENT_TYPE)
        );
        assert_eq!(Scheme::V3.name(Vendor::Aliyun), "ACS3-HMAC-SHA256");
        assert_eq!(Scheme::V3.name(Vendor::Tencent), "TC3-HMAC-SHA256");
    }

    #[test]
    fn each_send_with_a_new_stamp_gets_a_new_nonce_and_signature() {
        let creds = Credentials::new("AKID", "secret");
        let a = prepare(
            &DescribeClientUsers::page("cn-shanghai", "sag-1", 1, 100),
            &creds,
            &stamp(),
            &Profile::default(),
        );
        let b = prepare(
            &DescribeClientUsers::page("cn-shanghai", "sag-1", 1, 100),
            &creds,
            &RequestStamp::new(1_714_552_200, [8; 16]),
            &Profile::default(),
        );
        assert_ne!(decoded(&a)["SignatureNonce"], decoded(&b)["SignatureNonce"]);
        assert_ne!(decoded(&a)["Signature"], decoded(&b)["Signature"]);
    }
}
