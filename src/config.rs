//! Runtime configuration read from `config.json` next to `index.html`, so a
//! static deployment changes its proxy paths without a rebuild.

use sag_api::json::{self, Value};
use sag_api::Scheme;

/// One Alibaba region the admin can pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliyunConfig {
    /// Proxy path per region, with `{region}`: `/api/aliyun/{region}/`.
    pub endpoint: String,
    pub regions: Vec<Region>,
    /// `"v3"` (`ACS3-HMAC-SHA256`, the default) or `"v1"` (HMAC-SHA1).
    pub signature: Scheme,
    /// The host V3 signs, with `{region}`: the upstream the proxy forwards
    /// to and sends as `Host`.
    pub sign_host: String,
}

fn default_aliyun_host() -> String {
    sag_api::request::ALIYUN_DEFAULT_HOST.to_owned()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TencentConfig {
    /// Proxy path for CAM: `/api/tencent/`.
    pub endpoint: String,
    /// The upstream host the proxy forwards to; Tencent signs it.
    pub sign_host: String,
    /// `"v3"` (`TC3-HMAC-SHA256`, the default) or `"v1"` (HmacSHA1).
    pub signature: Scheme,
}

/// A demo key pair (the emulator's), offered by **Fill demo keys**.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCredentials {
    pub access_key_id: String,
    pub access_key_secret: String,
}

/// Demo keys per cloud, honoured only when `allow_demo_credentials` is true
/// (the development configuration).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DemoKeys {
    pub aliyun: Option<DemoCredentials>,
    pub tencent: Option<DemoCredentials>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeConfig {
    pub aliyun: AliyunConfig,
    pub tencent: TencentConfig,
    pub request_timeout_ms: u32,
    /// The largest per-user bandwidth the create form allows (Kbit/s).
    pub max_bandwidth_kbps: u32,
    pub allow_demo_credentials: bool,
    pub demo_credentials: Option<DemoKeys>,
}

fn default_timeout() -> u32 {
    15_000
}

/// One object of `config.json`, read strictly: a value of the wrong type is
/// an error that names its key (`aliyun.regions[1].id: expected a string,
/// got 7`). A key set to `null` counts as absent.
struct Object<'a> {
    path: String,
    map: &'a json::Map,
}

impl<'a> Object<'a> {
    /// `value` must be an object; with `only`, no other keys are allowed
    /// (a misspelt key would otherwise be silently ignored).
    fn of(value: &'a Value, path: String, only: Option<&[&str]>) -> Result<Object<'a>, String> {
        let Value::Object(map) = value else {
            let what = if path.is_empty() {
                "config.json"
            } else {
                &path
            };
            return Err(format!("{what}: expected an object, got {value}"));
        };
        if let Some(known) = only {
            if let Some((key, _)) = map.iter().find(|(k, _)| !known.contains(k)) {
                return Err(format!(
                    "unknown key `{}`; the keys here are {}",
                    Self::name(&path, key),
                    known.join(", ")
                ));
            }
        }
        Ok(Object { path, map })
    }

    fn name(path: &str, key: &str) -> String {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    }

    fn refused(&self, key: &str, expected: &str, got: &Value) -> String {
        format!(
            "{}: expected {expected}, got {got}",
            Self::name(&self.path, key)
        )
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| **v != Value::Null)
    }

    fn required(&self, key: &str) -> Result<&'a Value, String> {
        self.get(key)
            .ok_or_else(|| format!("missing key `{}`", Self::name(&self.path, key)))
    }

    fn string(&self, key: &str) -> Result<String, String> {
        let value = self.required(key)?;
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| self.refused(key, "a string", value))
    }

    fn string_or(&self, key: &str, default: impl FnOnce() -> String) -> Result<String, String> {
        match self.get(key) {
            None => Ok(default()),
            Some(_) => self.string(key),
        }
    }

    fn whole_or(&self, key: &str, default: u32) -> Result<u32, String> {
        let Some(value) = self.get(key) else {
            return Ok(default);
        };
        match value {
            Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
            _ => None,
        }
        .ok_or_else(|| self.refused(key, "a whole number", value))
    }

    fn flag(&self, key: &str) -> Result<bool, String> {
        match self.get(key) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(self.refused(key, "true or false", other)),
        }
    }

    fn scheme(&self, key: &str) -> Result<Scheme, String> {
        match self.get(key) {
            None => Ok(Scheme::default()),
            Some(value) => value
                .as_str()
                .and_then(Scheme::from_config)
                .ok_or_else(|| self.refused(key, "`v1` or `v3`", value)),
        }
    }

    fn object(&self, key: &str, only: Option<&[&str]>) -> Result<Object<'a>, String> {
        Object::of(self.required(key)?, Self::name(&self.path, key), only)
    }

    fn demo(&self, key: &str) -> Result<Option<DemoCredentials>, String> {
        let Some(value) = self.get(key) else {
            return Ok(None);
        };
        let keys = Object::of(value, Self::name(&self.path, key), None)?;
        Ok(Some(DemoCredentials {
            access_key_id: keys.string("access_key_id")?,
            access_key_secret: keys.string("access_key_secret")?,
        }))
    }
}

impl RuntimeConfig {
    /// The configuration in `value`, before its values are checked.
    fn read(value: &Value) -> Result<RuntimeConfig, String> {
        let top = Object::of(
            value,
            String::new(),
            Some(&[
                "aliyun",
                "tencent",
                "request_timeout_ms",
                "max_bandwidth_kbps",
                "allow_demo_credentials",
                "demo_credentials",
            ]),
        )?;
        let aliyun = top.object("aliyun", None)?;
        let listed = aliyun.required("regions")?;
        let Value::Array(listed) = listed else {
            return Err(aliyun.refused("regions", "a list", listed));
        };
        let mut regions = Vec::with_capacity(listed.len());
        for (i, region) in listed.iter().enumerate() {
            let region = Object::of(region, format!("aliyun.regions[{i}]"), None)?;
            regions.push(Region {
                id: region.string("id")?,
                name: region.string_or("name", String::new)?,
            });
        }
        let tencent = top.object("tencent", None)?;
        let demo_credentials = match top.get("demo_credentials") {
            None => None,
            Some(_) => {
                let demo = top.object("demo_credentials", Some(&["aliyun", "tencent"]))?;
                Some(DemoKeys {
                    aliyun: demo.demo("aliyun")?,
                    tencent: demo.demo("tencent")?,
                })
            }
        };
        Ok(RuntimeConfig {
            aliyun: AliyunConfig {
                endpoint: aliyun.string("endpoint")?,
                regions,
                signature: aliyun.scheme("signature")?,
                sign_host: aliyun.string_or("sign_host", default_aliyun_host)?,
            },
            tencent: TencentConfig {
                endpoint: tencent.string("endpoint")?,
                sign_host: tencent.string("sign_host")?,
                signature: tencent.scheme("signature")?,
            },
            request_timeout_ms: top.whole_or("request_timeout_ms", default_timeout())?,
            max_bandwidth_kbps: top.whole_or("max_bandwidth_kbps", default_max_bandwidth())?,
            allow_demo_credentials: top.flag("allow_demo_credentials")?,
            demo_credentials,
        })
    }
}

fn default_max_bandwidth() -> u32 {
    sag_api::validate::LIMITS.bandwidth_max_default
}

/// Why `config.json` cannot be used; shown on a page of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// Fetching it failed or returned a non-2xx status.
    Unavailable { url: String, detail: String },
    /// It is not valid JSON or has the wrong shape.
    Unreadable { detail: String },
    /// It parsed, but values are not usable.
    Invalid { problems: Vec<String> },
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Unavailable { url, detail } => {
                write!(f, "config.json could not be loaded from {url}: {detail}.")
            }
            ConfigError::Unreadable { detail } => write!(f, "config.json is not valid: {detail}."),
            ConfigError::Invalid { problems } => write!(
                f,
                "config.json has unusable values: {}",
                problems.join("; ")
            ),
        }
    }
}

impl RuntimeConfig {
    /// Parses and checks the text of `config.json`.
    pub fn parse(text: &str) -> Result<RuntimeConfig, ConfigError> {
        let unreadable = |detail: String| ConfigError::Unreadable { detail };
        let value = json::parse(text).map_err(|e| unreadable(e.to_string()))?;
        let config = RuntimeConfig::read(&value).map_err(unreadable)?;
        let problems = config.problems();
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(ConfigError::Invalid { problems })
        }
    }

    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let endpoint = &self.aliyun.endpoint;
        if endpoint.matches("{region}").count() != 1 {
            problems.push(format!(
                "aliyun.endpoint must contain {{region}} exactly once (for example \"api/aliyun/{{region}}/\"), got {endpoint:?}"
            ));
        }
        for (key, value) in [
            ("aliyun.endpoint", endpoint),
            ("tencent.endpoint", &self.tencent.endpoint),
        ] {
            let lower = value.to_ascii_lowercase();
            if lower.split(['/', '\\']).any(|s| s == "." || s == "..") || lower.contains("%2e") {
                problems.push(format!(
                    "{key} must not contain a . or .. path segment, got {value:?}"
                ));
            }
        }
        if self.aliyun.regions.is_empty() {
            problems.push("aliyun.regions must list at least one region".into());
        }
        for region in &self.aliyun.regions {
            let ok = !region.id.is_empty()
                && region
                    .id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !ok {
                problems.push(format!("aliyun.regions has an invalid id {:?}", region.id));
            }
        }
        let aliyun_host = self.aliyun.sign_host.replace("{region}", "cn-shanghai");
        let bare = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':');
        if aliyun_host.is_empty() || !aliyun_host.chars().all(bare) {
            problems.push(format!("aliyun.sign_host must be a host name, with {{region}} for the region, such as smartag.{{region}}.aliyuncs.com, got {:?}", self.aliyun.sign_host));
        }
        if self.tencent.endpoint.is_empty() {
            problems.push("tencent.endpoint must not be empty".into());
        }
        let host = &self.tencent.sign_host;
        if host.is_empty() || host.contains('/') || host.contains(':') {
            problems.push(format!("tencent.sign_host must be a bare host name such as cam.tencentcloudapi.com, got {host:?}"));
        }
        if !(1_000..=120_000).contains(&self.request_timeout_ms) {
            problems.push(format!(
                "request_timeout_ms must be 1000 to 120000, got {}",
                self.request_timeout_ms
            ));
        }
        let ceiling = sag_api::validate::LIMITS.bandwidth_max_ceiling;
        if !(1..=ceiling).contains(&self.max_bandwidth_kbps) {
            problems.push(format!(
                "max_bandwidth_kbps must be 1 to {ceiling}, got {}",
                self.max_bandwidth_kbps
            ));
        }
        problems
    }

    /// Whether `region` may be used: one of `config.json`'s regions, or
    /// one of the vendor's form typed by hand (`sag_api::validate::is_region_id`).
    pub fn usable_region(&self, region: &str) -> bool {
        self.aliyun.regions.iter().any(|r| r.id == region)
            || sag_api::validate::is_region_id(region)
    }

    /// The proxy URL for `region`, its one path segment percent-encoded;
    /// `None` for a region that may not be used, so nothing is sent.
    pub fn aliyun_url(&self, region: &str) -> Option<String> {
        if !self.usable_region(region) {
            return None;
        }
        let segment = sag_api::wire::path_segment(region)?;
        Some(self.aliyun.endpoint.replace("{region}", &segment))
    }

    /// The signature scheme requests to `vendor` carry.
    pub fn scheme(&self, vendor: sag_api::Vendor) -> Scheme {
        match vendor {
            sag_api::Vendor::Aliyun => self.aliyun.signature,
            sag_api::Vendor::Tencent => self.tencent.signature,
        }
    }

    /// A cloud's demo credentials, if this configuration allows them.
    pub fn demo(&self, vendor: sag_api::Vendor) -> Option<&DemoCredentials> {
        let keys = self
            .demo_credentials
            .as_ref()
            .filter(|_| self.allow_demo_credentials)?;
        match vendor {
            sag_api::Vendor::Aliyun => keys.aliyun.as_ref(),
            sag_api::Vendor::Tencent => keys.tencent.as_ref(),
        }
    }

    pub fn region_name(&self, id: &str) -> String {
        self.aliyun
            .regions
            .iter()
            .find(|r| r.id == id)
            .map(|r| {
                if r.name.is_empty() {
                    r.id.clone()
                } else {
                    format!("{} ({})", r.name, r.id)
                }
            })
            .unwrap_or_else(|| id.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../config.json");
    const DEV: &str = include_str!("../config.dev.json");

    #[test]
    fn shipped_configurations_parse_and_only_dev_allows_demo_keys() {
        use sag_api::Vendor;
        let prod = RuntimeConfig::parse(SHIPPED).unwrap();
        assert!(prod.demo(Vendor::Aliyun).is_none());
        assert!(prod.demo(Vendor::Tencent).is_none());
        assert_eq!(
            prod.aliyun_url("cn-shanghai").as_deref(),
            Some("api/aliyun/cn-shanghai/")
        );
        // A region of the vendor's form that config.json does not list
        // (typed by hand) is used; anything else never becomes a path.
        assert_eq!(
            prod.aliyun_url("cn-beijing").as_deref(),
            Some("api/aliyun/cn-beijing/")
        );
        for hostile in [
            "../../api/tencent",
            "..",
            "..%2F..%2F..%2Fother-app%2Fhook",
            "cn-shanghai/../../x",
            "",
            "CN-Shanghai",
        ] {
            assert_eq!(prod.aliyun_url(hostile), None, "{hostile:?}");
            assert!(!prod.usable_region(hostile));
        }
        let dev = RuntimeConfig::parse(DEV).unwrap();
        assert_eq!(
            dev.demo(Vendor::Aliyun).unwrap().access_key_id,
            "LTAIdemoConsoleKey01"
        );
        assert_eq!(
            dev.demo(Vendor::Tencent).unwrap().access_key_id,
            "AKIDdemoConsoleKey0000000001"
        );
        assert_eq!(prod.aliyun, dev.aliyun);
        assert_eq!(prod.tencent, dev.tencent);
        // New deployments sign with the current schemes.
        assert_eq!(prod.scheme(Vendor::Aliyun), Scheme::V3);
        assert_eq!(prod.scheme(Vendor::Tencent), Scheme::V3);
        assert_eq!(prod.aliyun.sign_host, "smartag.{region}.aliyuncs.com");
    }

    #[test]
    fn the_signature_scheme_is_chosen_per_vendor_and_defaults_to_v3() {
        let v1 = SHIPPED.replacen(r#""signature": "v3""#, r#""signature": "v1""#, 1);
        let config = RuntimeConfig::parse(&v1).unwrap();
        assert_eq!(config.scheme(sag_api::Vendor::Aliyun), Scheme::V1);
        assert_eq!(config.scheme(sag_api::Vendor::Tencent), Scheme::V3);
        let unset = SHIPPED.replace(r#""signature": "v3","#, "");
        assert!(!unset.contains("signature"), "{unset}");
        let config = RuntimeConfig::parse(&unset).unwrap();
        assert_eq!(config.scheme(sag_api::Vendor::Aliyun), Scheme::V3);
        assert_eq!(config.scheme(sag_api::Vendor::Tencent), Scheme::V3);
        match RuntimeConfig::parse(&SHIPPED.replacen(
            r#""signature": "v3""#,
            r#""signature": "v2""#,
            1,
        )) {
            Err(ConfigError::Unreadable { detail }) => {
                assert!(detail.contains("expected `v1` or `v3`"), "{detail}")
            }
            other => panic!("{other:?}"),
        }
        match RuntimeConfig::parse(
            &SHIPPED.replace("smartag.{region}.aliyuncs.com", "https://smartag/"),
        ) {
            Err(ConfigError::Invalid { problems }) => {
                assert!(problems[0].contains("aliyun.sign_host"), "{problems:?}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn demo_keys_are_ignored_unless_allowed() {
        let text = SHIPPED.replacen(
            '{',
            r#"{"demo_credentials": {"aliyun": {"access_key_id": "a", "access_key_secret": "b"}},"#,
            1,
        );
        let config = RuntimeConfig::parse(&text).unwrap();
        assert!(config.demo_credentials.is_some());
        assert!(config.demo(sag_api::Vendor::Aliyun).is_none());
    }

    #[test]
    fn broken_and_invalid_configurations_say_what_is_wrong() {
        match RuntimeConfig::parse("{ \"aliyun\": ") {
            Err(ConfigError::Unreadable { detail }) => assert!(detail.contains("EOF"), "{detail}"),
            other => panic!("{other:?}"),
        }
        let bad = SHIPPED
            .replace("api/aliyun/{region}/", "api/aliyun/")
            .replace(
                "cam.tencentcloudapi.com",
                "https://cam.tencentcloudapi.com/",
            )
            .replace("15000", "5");
        match RuntimeConfig::parse(&bad) {
            Err(ConfigError::Invalid { problems }) => {
                assert_eq!(problems.len(), 3, "{problems:?}");
                assert!(problems[0].contains("{region}"));
            }
            other => panic!("{other:?}"),
        }
        for (endpoint, what) in [
            ("api/aliyun/{region}/{region}/", "exactly once"),
            ("api/../aliyun/{region}/", "path segment"),
            ("api/%2e%2e/aliyun/{region}/", "path segment"),
            ("./{region}/", "path segment"),
        ] {
            match RuntimeConfig::parse(&SHIPPED.replace("api/aliyun/{region}/", endpoint)) {
                Err(ConfigError::Invalid { problems }) => {
                    assert!(
                        problems.iter().any(|p| p.contains(what)),
                        "{endpoint}: {problems:?}"
                    )
                }
                other => panic!("{endpoint}: {other:?}"),
            }
        }
        match RuntimeConfig::parse(&SHIPPED.replace("\"api/tencent/\"", "\"api/../tencent/\"")) {
            Err(ConfigError::Invalid { problems }) => {
                assert!(problems[0].contains("tencent.endpoint"), "{problems:?}")
            }
            other => panic!("{other:?}"),
        }
        let unknown = SHIPPED.replacen('{', "{\"endpiont\": 1,", 1);
        assert!(matches!(
            RuntimeConfig::parse(&unknown),
            Err(ConfigError::Unreadable { detail })
                if detail.starts_with("unknown key `endpiont`; the keys here are aliyun, tencent,")
        ));
        // What the reader refuses names its key, and what it wanted.
        for (from, to, said) in [
            (
                "\"cn-shanghai\"",
                "7",
                "aliyun.regions[0].id: expected a string, got 7",
            ),
            (
                "15000",
                "\"15s\"",
                "request_timeout_ms: expected a whole number, got \"15s\"",
            ),
            (
                "15000",
                "-1",
                "request_timeout_ms: expected a whole number, got -1",
            ),
            (
                "15000",
                "4294967296",
                "request_timeout_ms: expected a whole number, got 4294967296",
            ),
            (
                "\"endpoint\": \"api/tencent/\"",
                "\"endpoint\": [\"api/tencent/\"]",
                "tencent.endpoint: expected a string, got [\"api/tencent/\"]",
            ),
            (
                "\"endpoint\": \"api/tencent/\"",
                "\"endpoint\": null",
                "missing key `tencent.endpoint`",
            ),
            (
                "\"regions\": [",
                "\"regions\": \"none\", \"r\": [",
                "aliyun.regions: expected a list, got \"none\"",
            ),
            (
                "\"allow_demo_credentials\": false",
                "\"allow_demo_credentials\": \"no\"",
                "allow_demo_credentials: expected true or false, got \"no\"",
            ),
        ] {
            assert!(SHIPPED.contains(from), "{from}");
            match RuntimeConfig::parse(&SHIPPED.replacen(from, to, 1)) {
                Err(ConfigError::Unreadable { detail }) => {
                    assert!(detail.starts_with(said), "{to}: {detail}")
                }
                other => panic!("{to}: {other:?}"),
            }
        }
        let demo = |keys: &str| {
            RuntimeConfig::parse(&SHIPPED.replacen(
                '{',
                &format!("{{\"demo_credentials\": {keys},"),
                1,
            ))
        };
        assert!(matches!(
            demo(r#"{"alyun": {}}"#),
            Err(ConfigError::Unreadable { detail })
                if detail.starts_with("unknown key `demo_credentials.alyun`")
        ));
        assert!(matches!(
            demo(r#"{"aliyun": {"access_key_id": "a"}}"#),
            Err(ConfigError::Unreadable { detail })
                if detail == "missing key `demo_credentials.aliyun.access_key_secret`"
        ));
        match RuntimeConfig::parse("[]") {
            Err(ConfigError::Unreadable { detail }) => {
                assert_eq!(detail, "config.json: expected an object, got []")
            }
            other => panic!("{other:?}"),
        }
        // A key set to null is as good as absent.
        assert_eq!(demo("null").unwrap().demo_credentials, None);
        let nulls = SHIPPED
            .replacen(
                "\"request_timeout_ms\": 15000,",
                "\"request_timeout_ms\": null,",
                1,
            )
            .replacen(
                "\"allow_demo_credentials\": false",
                "\"allow_demo_credentials\": null",
                1,
            );
        let config = RuntimeConfig::parse(&nulls).unwrap();
        assert_eq!(config.request_timeout_ms, 15_000);
        assert!(!config.allow_demo_credentials);
        let e = ConfigError::Unavailable {
            url: "/config.json".into(),
            detail: "HTTP 404".into(),
        };
        assert_eq!(
            e.to_string(),
            "config.json could not be loaded from /config.json: HTTP 404."
        );
    }
}
