//! Turning a typed action into a signed HTTP request (pure data: the caller
//! sends it). A fresh [`RequestStamp`] must be used for every send, retries
//! included, because both vendors reject a reused nonce.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

pub use crate::action::{Action, Product};
use crate::error::Vendor;
use crate::secret::Secret;
use crate::sign::{aliyun, tencent, Method, Params};
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

/// How requests are put on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub aliyun_placement: Placement,
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
            aliyun_placement: Placement::PostForm,
            tencent_host: crate::action::CAM_DEFAULT_HOST.to_owned(),
            tencent_method: Method::Post,
            tencent_language: Some("en-US".to_owned()),
        }
    }
}

/// A signed request, ready to send to `<base URL>?<query>` with `body`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub vendor: Vendor,
    pub action: &'static str,
    pub method: Method,
    /// Alibaba's `RegionId`, which picks the regional endpoint (and proxy path).
    pub region: Option<String>,
    /// Query string without the leading `?`; empty when everything is in the body.
    pub query: String,
    /// `application/x-www-form-urlencoded` body, if any.
    pub body: Option<String>,
    /// Our string to sign, to compare with a server's on `SignatureDoesNotMatch`.
    pub string_to_sign: String,
}

impl HttpRequest {
    pub const FORM_CONTENT_TYPE: &'static str = "application/x-www-form-urlencoded";

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
    match A::PRODUCT {
        Product::Smartag => prepare_aliyun::<A>(
            action.params(),
            credentials,
            stamp,
            profile.aliyun_placement,
        ),
        Product::Cam => prepare_tencent::<A>(action.params(), credentials, stamp, profile),
    }
}

fn prepare_aliyun<A: Action>(
    business: Params,
    credentials: &Credentials,
    stamp: &RequestStamp,
    placement: Placement,
) -> HttpRequest {
    let mut common = Params::new();
    common.insert("Action".into(), A::NAME.into());
    common.insert("Version".into(), A::PRODUCT.version().into());
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
    HttpRequest {
        vendor: Vendor::Aliyun,
        action: A::NAME,
        method,
        region,
        query,
        body,
        string_to_sign: signed.string_to_sign,
    }
}

fn prepare_tencent<A: Action>(
    business: Params,
    credentials: &Credentials,
    stamp: &RequestStamp,
    profile: &Profile,
) -> HttpRequest {
    let mut all = business;
    all.insert("Action".into(), A::NAME.into());
    all.insert("Version".into(), A::PRODUCT.version().into());
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
    HttpRequest {
        vendor: Vendor::Tencent,
        action: A::NAME,
        method,
        region: None,
        query,
        body,
        string_to_sign: signed.string_to_sign,
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
