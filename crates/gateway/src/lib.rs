//! `sag-console-gateway`: serves the console's `dist/` and forwards its two
//! API paths to the vendors, applying the rules of `deploy/nginx.conf`:
//!
//! - `{base}api/aliyun/<region>/` to `https://smartag.<region>.aliyuncs.com/`
//!   for a region in the list only, `{base}api/tencent/` to
//!   `https://cam.tencentcloudapi.com/` (or the international host);
//! - POST only, a body limit, an allow-list of request headers, an
//!   `Authorization` only when it is that vendor's signature scheme, the
//!   upstream `Host` the signatures cover, no `Set-Cookie` back;
//! - the upstream is built from the configuration alone: nothing in a
//!   request (its path, `Host`, an absolute-form target) chooses where the
//!   gateway connects;
//! - egress through a corporate forward proxy (`egress`), TLS always
//!   verified;
//! - CORS for a console served from another origin (`--allow-origin`);
//! - one JSON access-log line per request, never a body or a credential.

pub mod egress;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;

/// The regions SAG serves (the endpoint lists of Alibaba's SDKs), as in
/// `deploy/nginx.conf`.
pub const SAG_REGIONS: &[&str] = &[
    "cn-shanghai",
    "cn-hongkong",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-5",
    "eu-central-1",
    "cn-hangzhou",
    "cn-shanghai-finance-1",
    "ap-northeast-1",
];

/// The request headers a vendor gets, besides `Authorization` (checked per
/// vendor) and `Host` (set to the signed host): what the two signature
/// schemes and the API need, nothing else.
const ALIYUN_HEADERS: &[&str] = &[
    "content-type",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
    "x-acs-accesskey-id",
    "x-acs-security-token",
];
const TENCENT_HEADERS: &[&str] = &[
    "content-type",
    "x-tc-action",
    "x-tc-version",
    "x-tc-timestamp",
    "x-tc-token",
    "x-tc-language",
];
/// The response headers the console gets back (no `Set-Cookie`, no
/// vendor-internal headers).
const RESPONSE_HEADERS: &[&str] = &["content-type", "date", "x-acs-request-id"];

/// The vendor an API path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    Aliyun,
    Tencent,
}

impl Vendor {
    fn name(self) -> &'static str {
        match self {
            Vendor::Aliyun => "aliyun",
            Vendor::Tencent => "tencent",
        }
    }

    fn scheme(self) -> &'static str {
        match self {
            Vendor::Aliyun => "ACS3-HMAC-SHA256 ",
            Vendor::Tencent => "TC3-HMAC-SHA256 ",
        }
    }

    fn headers(self) -> &'static [&'static str] {
        match self {
            Vendor::Aliyun => ALIYUN_HEADERS,
            Vendor::Tencent => TENCENT_HEADERS,
        }
    }
}

/// Everything the gateway does, set by flags or environment (`main.rs`).
#[derive(Clone, Debug)]
pub struct Config {
    pub listen: SocketAddr,
    /// The built console; `None`: the API paths only (the console is
    /// served elsewhere, cross-origin).
    pub dist: Option<PathBuf>,
    /// The path the console is served under: `/` or `/sag-console/`.
    pub base: String,
    pub regions: Vec<String>,
    /// Where Alibaba requests go, with `{region}`.
    pub aliyun_upstream: String,
    /// The `Host` Alibaba requests carry (the one ACS3 signs), with `{region}`.
    pub aliyun_host: String,
    pub tencent_upstream: String,
    /// The `Host` Tencent requests carry (TC3 signs it).
    pub tencent_host: String,
    pub egress: egress::Egress,
    /// Origins whose pages may call the API paths (CORS).
    pub allow_origins: Vec<String>,
    pub body_limit: usize,
    pub upstream_timeout: Duration,
    pub max_concurrent: usize,
    pub access_log: bool,
}

impl Config {
    /// The defaults of the flags, for the vendors' real hosts.
    pub fn new(listen: SocketAddr) -> Config {
        Config {
            listen,
            dist: None,
            base: "/".into(),
            regions: SAG_REGIONS.iter().map(|r| (*r).to_owned()).collect(),
            aliyun_upstream: "https://smartag.{region}.aliyuncs.com".into(),
            aliyun_host: "smartag.{region}.aliyuncs.com".into(),
            tencent_upstream: "https://cam.tencentcloudapi.com".into(),
            tencent_host: "cam.tencentcloudapi.com".into(),
            egress: egress::Egress::default(),
            allow_origins: Vec::new(),
            body_limit: 64 * 1024,
            upstream_timeout: Duration::from_secs(30),
            max_concurrent: 256,
            access_log: true,
        }
    }

    /// What is wrong with the settings, each in words.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !self.base.starts_with('/') || !self.base.ends_with('/') || self.base.contains("//") {
            problems.push(format!(
                "--base must start and end with / (such as /sag-console/), got {:?}",
                self.base
            ));
        }
        for r in &self.regions {
            let ok = !r.is_empty()
                && r.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !ok {
                problems.push(format!(
                    "--regions has an invalid region {r:?} (lower-case letters, digits and -)"
                ));
            }
        }
        for (flag, value) in [
            ("--aliyun-upstream", &self.aliyun_upstream),
            ("--tencent-upstream", &self.tencent_upstream),
        ] {
            let probe = value.replace("{region}", "cn-shanghai");
            match reqwest::Url::parse(&probe) {
                Ok(u)
                    if matches!(u.scheme(), "https" | "http")
                        && u.path() == "/"
                        && u.query().is_none() => {}
                _ => problems.push(format!(
                    "{flag} must be an https://HOST[:PORT] URL without a path, got {value:?}"
                )),
            }
        }
        if !self.aliyun_upstream.contains("{region}") && !self.aliyun_host.contains("{region}") {
            problems.push("--aliyun-host must contain {region}".into());
        }
        for origin in &self.allow_origins {
            match reqwest::Url::parse(origin) {
                Ok(u) if u.path() == "/" && !origin.ends_with('/') && u.host_str().is_some() => {}
                _ => problems.push(format!(
                    "--allow-origin must be an origin such as https://console.example.com (no path), got {origin:?}"
                )),
            }
        }
        if let Some(dist) = &self.dist {
            if !dist.join("index.html").is_file() {
                problems.push(format!(
                    "--dist {} has no index.html (build with trunk build --release)",
                    dist.display()
                ));
            }
        }
        problems
    }

    /// The effective settings, as `--check` prints them (no credentials).
    pub fn describe(&self) -> String {
        let origins = if self.allow_origins.is_empty() {
            "none (same origin only)".to_owned()
        } else {
            self.allow_origins.join(", ")
        };
        format!(
            "listen:            {}\n\
             console (dist):    {}\n\
             base path:         {}\n\
             Alibaba Cloud:     {}api/aliyun/<region>/ -> {} (Host {})\n\
             regions:           {}\n\
             Tencent Cloud:     {}api/tencent/ -> {} (Host {})\n\
             egress:            {}\n\
             allowed origins:   {}\n\
             limits:            body {} bytes, upstream {} ms, {} requests at once",
            self.listen,
            self.dist
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|| "not served (API only)".into()),
            self.base,
            self.base,
            self.aliyun_upstream,
            self.aliyun_host,
            self.regions.join(", "),
            self.base,
            self.tencent_upstream,
            self.tencent_host,
            self.egress.summary(),
            origins,
            self.body_limit,
            self.upstream_timeout.as_millis(),
            self.max_concurrent,
        )
    }
}

struct Shared {
    config: Config,
    client: reqwest::Client,
    slots: tokio::sync::Semaphore,
    /// Each region's upstream URL and signed Host, and Tencent's, made once.
    aliyun: std::collections::HashMap<String, (reqwest::Url, HeaderValue)>,
    tencent: (reqwest::Url, HeaderValue),
}

fn upstream(url: &str, host: &str) -> Result<(reqwest::Url, HeaderValue), String> {
    let url = reqwest::Url::parse(&format!("{url}/"))
        .map_err(|e| format!("the upstream {url} is not a URL: {e}"))?;
    let host = HeaderValue::from_str(host)
        .map_err(|_| format!("the host {host:?} is not a header value"))?;
    Ok((url, host))
}

/// The gateway's routes, ready to serve.
pub fn app(config: Config) -> Result<Router, String> {
    let problems = config.problems();
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    let client = config.egress.client(config.upstream_timeout)?;
    let mut aliyun = std::collections::HashMap::new();
    for r in &config.regions {
        aliyun.insert(
            r.clone(),
            upstream(
                &config.aliyun_upstream.replace("{region}", r),
                &config.aliyun_host.replace("{region}", r),
            )?,
        );
    }
    let tencent = upstream(&config.tencent_upstream, &config.tencent_host)?;
    let shared = Arc::new(Shared {
        slots: tokio::sync::Semaphore::new(config.max_concurrent.max(1)),
        client,
        aliyun,
        tencent,
        config,
    });
    let router = Router::new()
        .fallback(handle)
        .layer(DefaultBodyLimit::max(shared.config.body_limit))
        .with_state(shared);
    Ok(router)
}

/// What a request is, by its path.
enum Route {
    Health,
    Api(Vendor, Option<String>),
    /// Under `/api/` of the base but not a proxy path (an unknown region,
    /// a deeper path): 404, sent nowhere.
    NotAProxyPath,
    /// `/sag-console` without its slash.
    BaseWithoutSlash,
    Static(String),
    Outside,
}

fn route(base: &str, regions: &[String], path: &str) -> Route {
    if path == "/healthz" {
        return Route::Health;
    }
    if base != "/" && path == base.trim_end_matches('/') {
        return Route::BaseWithoutSlash;
    }
    let Some(rest) = path.strip_prefix(base) else {
        return Route::Outside;
    };
    // The raw path: a percent-encoded slash, dot or anything else in a
    // region never matches the list.
    if let Some(api) = rest.strip_prefix("api/") {
        if api == "tencent/" {
            return Route::Api(Vendor::Tencent, None);
        }
        if let Some(region) = api
            .strip_prefix("aliyun/")
            .and_then(|r| r.strip_suffix('/'))
        {
            if regions.iter().any(|known| known == region) {
                return Route::Api(Vendor::Aliyun, Some(region.to_owned()));
            }
        }
        return Route::NotAProxyPath;
    }
    Route::Static(rest.to_owned())
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let (response, vendor) = respond(&shared, request).await;
    let mut response = response;
    security_headers(response.headers_mut(), &shared.config.base, &path);
    if shared.config.access_log {
        let bytes = axum::body::HttpBody::size_hint(response.body())
            .exact()
            .or_else(|| {
                response
                    .headers()
                    .get(header::CONTENT_LENGTH)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok())
            })
            .unwrap_or(0);
        let line = serde_json::json!({
            "method": method.as_str(),
            "path": path,
            "status": response.status().as_u16(),
            "vendor": vendor.map(Vendor::name),
            "bytes": bytes,
            "ms": started.elapsed().as_millis() as u64,
        });
        println!("{line}");
    }
    response
}

async fn respond(shared: &Shared, request: Request) -> (Response, Option<Vendor>) {
    let config = &shared.config;
    // An absolute-form target (`POST http://elsewhere/...`) is a proxy
    // request: this is no forward proxy.
    if request.uri().authority().is_some() || request.uri().scheme().is_some() {
        return (
            refusal(
                StatusCode::BAD_REQUEST,
                "an absolute-form request target is not accepted",
            ),
            None,
        );
    }
    match route(&config.base, &config.regions, request.uri().path()) {
        Route::Health => (
            ([(header::CONTENT_TYPE, "text/plain")], "ok\n").into_response(),
            None,
        ),
        Route::Outside | Route::NotAProxyPath => {
            (refusal(StatusCode::NOT_FOUND, "not found"), None)
        }
        Route::BaseWithoutSlash => (
            (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, config.base.clone())],
            )
                .into_response(),
            None,
        ),
        Route::Static(rest) => (serve_static(config, request, &rest).await, None),
        Route::Api(vendor, region) => {
            (forward(shared, request, vendor, region).await, Some(vendor))
        }
    }
}

/// A plain refusal, with a page title the console shows as the reason.
fn refusal(status: StatusCode, why: &str) -> Response {
    let body = format!(
        "<html><head><title>{}</title></head><body><p>{}</p></body></html>\n",
        html_text(why),
        html_text(why)
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

fn html_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The CORS decision for a request that carries `Origin`.
enum Cors {
    /// No `Origin`, or the gateway's own: no CORS headers.
    SameOrigin,
    Allowed(HeaderValue),
    Refused,
}

fn cors(config: &Config, headers: &HeaderMap) -> Cors {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Cors::SameOrigin;
    };
    let text = origin.to_str().unwrap_or_default();
    if config.allow_origins.iter().any(|o| o == text) {
        return Cors::Allowed(origin.clone());
    }
    // The gateway's own pages: the origin's authority is the Host asked for.
    let own = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|host| {
            text.strip_prefix("https://")
                .or_else(|| text.strip_prefix("http://"))
                .is_some_and(|authority| authority.eq_ignore_ascii_case(host))
        });
    if own {
        Cors::SameOrigin
    } else {
        Cors::Refused
    }
}

/// The request headers a preflight may ask for: the allow-lists of both
/// vendors and `authorization`.
fn allowed_request_headers() -> String {
    let mut all: Vec<&str> = vec!["authorization"];
    for h in ALIYUN_HEADERS.iter().chain(TENCENT_HEADERS) {
        if !all.contains(h) {
            all.push(h);
        }
    }
    all.join(", ")
}

async fn forward(
    shared: &Shared,
    request: Request,
    vendor: Vendor,
    region: Option<String>,
) -> Response {
    let config = &shared.config;
    let cors = cors(config, request.headers());
    let allow_origin = match &cors {
        Cors::Refused => {
            return refusal(
                StatusCode::FORBIDDEN,
                "this origin may not use the gateway (--allow-origin)",
            )
        }
        Cors::Allowed(origin) => Some(origin.clone()),
        Cors::SameOrigin => None,
    };
    if request.method() == Method::OPTIONS {
        return preflight(request.headers(), allow_origin);
    }
    if request.method() != Method::POST {
        let mut r = refusal(
            StatusCode::METHOD_NOT_ALLOWED,
            "the API paths accept POST only",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return r;
    }
    // The console's calls always carry Content-Length; a chunked body (and
    // so any request with both headers, whose Content-Length the server
    // layer drops) is refused rather than re-framed for the vendor.
    if request.headers().contains_key(header::TRANSFER_ENCODING) {
        return refusal(
            StatusCode::LENGTH_REQUIRED,
            "a chunked request body is not accepted: send Content-Length",
        );
    }
    let found = match (vendor, &region) {
        (Vendor::Aliyun, Some(r)) => shared.aliyun.get(r),
        _ => Some(&shared.tencent),
    };
    let Some((url, host)) = found else {
        return refusal(StatusCode::NOT_FOUND, "not found");
    };
    let (parts, body) = request.into_parts();
    // A v1 signature may travel in the query: kept byte for byte (the
    // upstream host is the configuration's, whatever the query says).
    let mut url = url.clone();
    if let Some(q) = parts.uri.query() {
        url.set_query(Some(q));
    }
    let host_text = host.to_str().unwrap_or_default().to_owned();
    let body = match axum::body::to_bytes(body, config.body_limit).await {
        Ok(b) => b,
        Err(_) => {
            return refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the request body is over the gateway's limit",
            )
        }
    };
    // A free slot is taken at once; otherwise the call waits for one as
    // long as it would wait for the vendor.
    let slot = match shared.slots.try_acquire() {
        Ok(slot) => Ok(slot),
        Err(_) => tokio::time::timeout(config.upstream_timeout, shared.slots.acquire())
            .await
            .map_err(|_| ())
            .and_then(|r| r.map_err(|_| ())),
    };
    let Ok(_slot) = slot else {
        return refusal(
            StatusCode::SERVICE_UNAVAILABLE,
            "the gateway is busy: too many requests at once",
        );
    };
    let mut upstream = shared
        .client
        .post(url.clone())
        .header(header::HOST, host.clone())
        .body(body);
    for name in vendor.headers() {
        if let Some(v) = parts.headers.get(*name) {
            upstream = upstream.header(*name, v);
        }
    }
    if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
        if auth.to_str().is_ok_and(|a| a.starts_with(vendor.scheme())) {
            upstream = upstream.header(header::AUTHORIZATION, auth);
        }
    }
    let mut response = match upstream.send().await {
        Ok(answer) => {
            let status =
                StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
            let mut headers = HeaderMap::new();
            for name in RESPONSE_HEADERS {
                if let Some(v) = answer.headers().get(*name) {
                    headers.insert(HeaderName::from_static(name), v.clone());
                }
            }
            match answer.bytes().await {
                Ok(bytes) => (status, headers, Body::from(bytes)).into_response(),
                Err(e) => upstream_failure(config, &host_text, &url, &e).await,
            }
        }
        Err(e) => upstream_failure(config, &host_text, &url, &e).await,
    };
    if let Some(origin) = allow_origin {
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("date, x-acs-request-id"),
        );
    }
    response
}

/// A gateway error the console explains: 504 for no answer in time, else
/// 502, with the host and the reason as the page title (and in the log).
async fn upstream_failure(
    config: &Config,
    host: &str,
    url: &reqwest::Url,
    error: &reqwest::Error,
) -> Response {
    let authority = url
        .host_str()
        .zip(url.port_or_known_default())
        .map(|(h, p)| format!("{h}:{p}"))
        .unwrap_or_default();
    let reason = config.egress.explain(error, &authority).await;
    eprintln!(
        "{}",
        serde_json::json!({"error": "upstream", "host": host, "reason": reason})
    );
    let status = if error.is_timeout() {
        StatusCode::GATEWAY_TIMEOUT
    } else {
        StatusCode::BAD_GATEWAY
    };
    // The console shows the page title (its first 120 characters): the host
    // and the reason come first.
    refusal(status, &format!("{host} unreachable: {reason}"))
}

fn preflight(headers: &HeaderMap, allow_origin: Option<HeaderValue>) -> Response {
    let Some(origin) = allow_origin else {
        // A preflight without an allowed cross origin is nobody's.
        return refusal(
            StatusCode::FORBIDDEN,
            "no cross-origin access for this origin",
        );
    };
    let method_ok = headers
        .get(header::ACCESS_CONTROL_REQUEST_METHOD)
        .is_some_and(|m| m == "POST");
    let allowed = allowed_request_headers();
    let headers_ok = headers
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .split(',')
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .all(|h| allowed.split(", ").any(|a| a == h));
    if !method_ok || !headers_ok {
        return refusal(
            StatusCode::FORBIDDEN,
            "only POST with the signature headers is allowed",
        );
    }
    let mut r = StatusCode::NO_CONTENT.into_response();
    let h = r.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST"),
    );
    if let Ok(v) = HeaderValue::from_str(&allowed) {
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, v);
    }
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    r
}

async fn serve_static(config: &Config, request: Request, rest: &str) -> Response {
    use tower::ServiceExt;
    let Some(dist) = &config.dist else {
        return refusal(StatusCode::NOT_FOUND, "not found");
    };
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut r = refusal(
            StatusCode::METHOD_NOT_ALLOWED,
            "the console's files are read with GET only",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    // The file under dist/ (the base stripped); a console route that is no
    // file gets index.html.
    let (mut parts, body) = request.into_parts();
    let query = parts
        .uri
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    parts.uri = format!("/{rest}{query}")
        .parse::<Uri>()
        .unwrap_or_else(|_| Uri::from_static("/"));
    let request = Request::from_parts(parts, body);
    let files = tower_http::services::ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(tower_http::services::ServeFile::new(
            dist.join("index.html"),
        ));
    match files.oneshot(request).await {
        Ok(r) => r.map(Body::new),
        Err(e) => match e {},
    }
}

/// The headers of `deploy/nginx.conf`, on every answer.
fn security_headers(h: &mut HeaderMap, base: &str, path: &str) {
    let fixed: [(&str, &str); 6] = [
        (
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        ),
        ("content-security-policy", "frame-ancestors 'none'"),
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        (
            "permissions-policy",
            "camera=(), microphone=(), geolocation=()",
        ),
    ];
    for (name, value) in fixed {
        h.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    let rest = path.strip_prefix(base).unwrap_or(path);
    let cache = if rest.starts_with("api/") || rest == "config.json" {
        "no-store"
    } else if [".wasm", ".js", ".css"].iter().any(|e| rest.ends_with(e)) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.remove(header::SET_COOKIE);
}

/// Serves `app` on `listener` until `shutdown` resolves; requests in
/// flight finish first. HTTP/1.1 with keep-alive (what browsers and the
/// console use to reach it), without protocol detection per connection.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::TokioIo;
    use tower::ServiceExt;
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (tcp, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait, go on.
                    eprintln!("{}", serde_json::json!({"error": "accept", "reason": e.to_string()}));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Small answers go out at once, not after a delayed ACK.
        let _ = tcp.set_nodelay(true);
        let app = app.clone();
        let service =
            hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                app.clone().oneshot(request.map(Body::new))
            });
        let connection = hyper::server::conn::http1::Builder::new()
            .keep_alive(true)
            .header_read_timeout(Duration::from_secs(30))
            .timer(hyper_util::rt::TokioTimer::new())
            .serve_connection(TokioIo::new(tcp), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Reaches each vendor host through the configured egress and says how it
/// went, one line each; `Ok` only if every host answered over verified TLS.
pub async fn check(config: &Config) -> Result<Vec<String>, Vec<String>> {
    let client = match config
        .egress
        .client(config.upstream_timeout.min(Duration::from_secs(15)))
    {
        Ok(c) => c,
        Err(e) => return Err(vec![e]),
    };
    let mut targets: Vec<(String, String)> = config
        .regions
        .iter()
        .take(1)
        .map(|r| {
            (
                config.aliyun_upstream.replace("{region}", r),
                config.aliyun_host.replace("{region}", r),
            )
        })
        .collect();
    targets.push((config.tencent_upstream.clone(), config.tencent_host.clone()));
    let mut lines = Vec::new();
    let mut ok = true;
    for (url, host) in targets {
        let started = Instant::now();
        match client
            .post(format!("{url}/"))
            .header(header::HOST, host.as_str())
            .send()
            .await
        {
            Ok(r) => lines.push(format!(
                "ok    {host}: answered HTTP {} in {} ms over verified TLS ({})",
                r.status().as_u16(),
                started.elapsed().as_millis(),
                config.egress.summary()
            )),
            Err(e) => {
                ok = false;
                lines.push(format!("FAIL  {host}: {}", egress::describe(&e)));
            }
        }
    }
    if ok {
        Ok(lines)
    } else {
        Err(lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions() -> Vec<String> {
        SAG_REGIONS.iter().map(|r| (*r).to_owned()).collect()
    }

    #[test]
    fn only_listed_regions_and_the_two_paths_are_proxy_paths() {
        let r = regions();
        assert!(
            matches!(route("/", &r, "/api/aliyun/cn-shanghai/"), Route::Api(Vendor::Aliyun, Some(x)) if x == "cn-shanghai")
        );
        assert!(matches!(
            route("/", &r, "/api/tencent/"),
            Route::Api(Vendor::Tencent, None)
        ));
        for path in [
            "/api/aliyun/us-east-1/",
            "/api/aliyun/cn-shanghai",
            "/api/aliyun/cn-shanghai/x/",
            "/api/aliyun/cn-shanghai%2F/",
            "/api/aliyun/..%2Fcn-shanghai/",
            "/api/aliyun/cn-shanghai@evil.example/",
            "/api/aliyun/evil.example%23/",
            "/api/tencent/x",
            "/api/tencent",
            "/api/",
        ] {
            assert!(
                matches!(route("/", &r, path), Route::NotAProxyPath),
                "{path}"
            );
        }
        assert!(matches!(
            route("/sag-console/", &r, "/sag-console/api/tencent/"),
            Route::Api(..)
        ));
        assert!(matches!(
            route("/sag-console/", &r, "/api/tencent/"),
            Route::Outside
        ));
        assert!(matches!(
            route("/sag-console/", &r, "/sag-console"),
            Route::BaseWithoutSlash
        ));
        assert!(
            matches!(route("/sag-console/", &r, "/sag-console/sag/x"), Route::Static(p) if p == "sag/x")
        );
        assert!(matches!(route("/", &r, "/healthz"), Route::Health));
    }

    #[test]
    fn settings_are_checked_in_words() {
        let mut c = Config::new("127.0.0.1:0".parse().unwrap());
        assert!(c.problems().is_empty(), "{:?}", c.problems());
        c.base = "sag".into();
        c.regions.push("../x".into());
        c.allow_origins.push("https://console.example.com/".into());
        c.tencent_upstream = "https://cam.example.com/path".into();
        let p = c.problems().join("\n");
        assert!(p.contains("--base"), "{p}");
        assert!(p.contains("invalid region \"../x\""), "{p}");
        assert!(p.contains("--allow-origin"), "{p}");
        assert!(p.contains("--tencent-upstream"), "{p}");
    }

    #[test]
    fn a_preflight_allows_exactly_post_and_the_signature_headers() {
        let origin = HeaderValue::from_static("https://console.example.com");
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCESS_CONTROL_REQUEST_METHOD,
            HeaderValue::from_static("POST"),
        );
        h.insert(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            HeaderValue::from_static("authorization, content-type, x-acs-date, x-tc-action"),
        );
        let ok = preflight(&h, Some(origin.clone()));
        assert_eq!(ok.status(), StatusCode::NO_CONTENT);
        assert_eq!(ok.headers()[header::ACCESS_CONTROL_ALLOW_METHODS], "POST");
        h.insert(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            HeaderValue::from_static("cookie"),
        );
        assert_eq!(
            preflight(&h, Some(origin.clone())).status(),
            StatusCode::FORBIDDEN
        );
        h.insert(
            header::ACCESS_CONTROL_REQUEST_METHOD,
            HeaderValue::from_static("DELETE"),
        );
        h.remove(header::ACCESS_CONTROL_REQUEST_HEADERS);
        assert_eq!(preflight(&h, Some(origin)).status(), StatusCode::FORBIDDEN);
        assert_eq!(
            preflight(&HeaderMap::new(), None).status(),
            StatusCode::FORBIDDEN
        );
    }
}
