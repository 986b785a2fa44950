//! End-to-end test harness: a static server for `dist/` on a free loopback
//! port, and a headless Chromium driven through Debian's chromedriver. Every
//! process a test starts is stopped when its handle drops.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use tokio::process::{Child, Command};

pub mod nginx;
pub use nginx::Nginx;

/// The console built for the sub-path `/sag-console/` (scripts/test.sh runs
/// `trunk build --release --public-url /sag-console/ --dist target/dist-sub-path`):
/// `$E2E_SUB_PATH_DIST_DIR`, else `target/dist-sub-path` of the project.
pub fn sub_path_dist_dir() -> PathBuf {
    let dir = std::env::var_os("E2E_SUB_PATH_DIST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/dist-sub-path"));
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap_or_else(|_| {
        panic!(
            "no console built for /sag-console/ in {} — run `trunk build --release --public-url /sag-console/ --dist target/dist-sub-path` (scripts/test.sh does)",
            dir.display()
        )
    });
    assert!(
        index.contains("<base href=\"/sag-console/\""),
        "{} is not built for /sag-console/",
        dir.display()
    );
    dir
}

/// The built console: `$E2E_DIST_DIR`, else `dist/` of the project.
pub fn dist_dir() -> PathBuf {
    let dir = std::env::var_os("E2E_DIST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("dist"));
    assert!(
        dir.join("index.html").is_file(),
        "no built console in {} — run `trunk build --release` first (scripts/test.sh does)",
        dir.display()
    );
    dir
}

/// Serves `dir` on 127.0.0.1 with the SPA fallback a deployment uses and, if
/// given an upstream, forwards `/api/aliyun/…` and `/api/tencent/…` to it with
/// the prefix stripped, as a reverse proxy in front of the vendors would.
pub struct StaticServer {
    pub addr: SocketAddr,
    /// API requests that arrived with a `Cookie` or `Authorization` header
    /// (the console sends none: `credentials: omit`).
    pub ambient_credentials_seen: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
struct Upstream {
    url: String,
    ambient_credentials_seen: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

async fn forward(
    axum::extract::State(Upstream {
        url: upstream,
        ambient_credentials_seen,
    }): axum::extract::State<Upstream>,
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    // A V3 signature is the console's own Authorization; anything else
    // (HTTP authentication of this origin) and any cookie is ambient.
    let signature = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("ACS3-HMAC-SHA256 ") || v.starts_with("TC3-HMAC-SHA256 "));
    if headers.contains_key(header::COOKIE)
        || (headers.contains_key(header::AUTHORIZATION) && !signature)
    {
        ambient_credentials_seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
    let url = match uri.query() {
        Some(q) => format!("{upstream}/?{q}"),
        None => format!("{upstream}/"),
    };
    // As deploy/nginx.conf does: the upstream's own host as Host (both
    // vendors' V3 signatures cover it), the region from the path.
    let host = match uri.path().strip_prefix("/api/aliyun/") {
        Some(rest) => format!("smartag.{}.aliyuncs.com", rest.trim_end_matches('/')),
        None => "cam.tencentcloudapi.com".to_owned(),
    };
    let mut request = reqwest::Client::new()
        .request(method, url)
        .header(header::HOST, host)
        .body(body);
    for (name, value) in &headers {
        let hop = [
            header::HOST,
            header::CONNECTION,
            header::CONTENT_LENGTH,
            header::TRANSFER_ENCODING,
            header::COOKIE,
        ];
        if !hop.contains(name) {
            request = request.header(name, value);
        }
    }
    match request.send().await {
        Ok(response) => {
            let status = response.status();
            let mut out_headers = axum::http::HeaderMap::new();
            for name in ["content-type", "date", "x-acs-request-id"] {
                if let Some(v) = response.headers().get(name) {
                    out_headers.insert(name, v.clone());
                }
            }
            let bytes = response.bytes().await.unwrap_or_default();
            (status, out_headers, bytes).into_response()
        }
        Err(_) => (
            axum::http::StatusCode::BAD_GATEWAY,
            "<html><head><title>502 Bad Gateway</title></head></html>",
        )
            .into_response(),
    }
}

impl StaticServer {
    pub async fn start(dir: &Path) -> StaticServer {
        StaticServer::start_with_upstream(dir, None).await
    }

    pub async fn start_with_upstream(dir: &Path, upstream: Option<String>) -> StaticServer {
        StaticServer::start_serving(dir, upstream, None).await
    }

    /// As `start_with_upstream`, answering `/config.json` with `config`
    /// when given (the built file otherwise).
    pub async fn start_serving(
        dir: &Path,
        upstream: Option<String>,
        config: Option<String>,
    ) -> StaticServer {
        use tower_http::services::{ServeDir, ServeFile};
        let service = ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")));
        let mut app = axum::Router::new();
        if let Some(config) = config {
            app = app.route(
                "/config.json",
                axum::routing::get(move || async move {
                    ([("content-type", "application/json")], config)
                }),
            );
        }
        let ambient_credentials_seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        if let Some(upstream) = upstream {
            let upstream = Upstream {
                url: upstream,
                ambient_credentials_seen: ambient_credentials_seen.clone(),
            };
            let api = axum::Router::new()
                .route("/api/aliyun/{*rest}", axum::routing::any(forward))
                .route("/api/tencent/", axum::routing::any(forward))
                .route("/api/tencent/{*rest}", axum::routing::any(forward))
                .with_state(upstream);
            app = app.merge(api);
        }
        let app = app.fallback_service(service);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("static server");
        });
        StaticServer {
            addr,
            ambient_credentials_seen,
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl StaticServer {
    /// Stops serving: the browser then cannot reach the "proxy" at all.
    pub fn stop(&self) {
        self.task.abort();
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Installs one process-wide TLS provider (aws-lc-rs). reqwest brings ring
/// and fantoccini aws-lc-rs, and with both built in rustls will not choose.
pub fn tls_provider() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A headless Chromium session with its own chromedriver and profile.
pub struct Browser {
    pub client: Client,
    /// chromedriver's port (for Chrome DevTools commands in benchmarks).
    pub driver_port: u16,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// Stops chromedriver and any Chromium still running on this session's
/// profile, also when a test panics before `close`: a test run stops what
/// it started.
impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.start_kill();
        let _ = std::process::Command::new("pkill")
            .args(["-f", "--"])
            .arg(format!(
                "--user-data-dir={}",
                self._profile.path().display()
            ))
            .status();
    }
}

impl Browser {
    /// A browser whose preferred language is English (US), whatever the
    /// machine's locale: the console follows `navigator.languages`.
    pub async fn start() -> Browser {
        Browser::start_in("en-US").await
    }

    /// A browser that prefers `language` (`zh-CN`, ...).
    pub async fn start_in(language: &str) -> Browser {
        tls_provider();
        let driver_path =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = free_port();
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {driver_path} ({e}); scripts/setup.sh installs chromium-driver"
                )
            });
        let profile = tempfile::tempdir().expect("a temporary Chromium profile");
        let caps = serde_json::json!({
            // The nginx test serves TLS with a throwaway self-signed certificate.
            "acceptInsecureCerts": true,
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--no-first-run", "--disable-sync", "--window-size=1280,900",
                    // For the benchmarks' heap figures: a forced GC, exact sizes, and
                    // no bytecode flushing (V8 would drop start-up bytecode at a
                    // moment of its choosing; see tests/bench_scale.rs).
                    "--js-flags=--expose-gc --no-flush-bytecode", "--enable-precise-memory-info",
                    format!("--user-data-dir={}", profile.path().display()),
                    format!("--lang={language}"),
                    format!("--accept-lang={language}"),
                ],
                "prefs": { "intl.accept_languages": language }
            }
        });
        let caps: fantoccini::wd::Capabilities =
            caps.as_object().cloned().expect("capabilities object");
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = String::new();
        for _ in 0..100 {
            match ClientBuilder::rustls()
                .expect("rustls")
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Browser {
                        client,
                        driver_port: port,
                        driver,
                        _profile: profile,
                    }
                }
                Err(e) => {
                    last_error = e.to_string();
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        panic!("chromedriver on port {port} did not accept a session: {last_error}");
    }

    /// Runs a Chrome DevTools Protocol command through chromedriver.
    #[allow(dead_code)]
    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> serde_json::Value {
        let session = self
            .client
            .session_id()
            .await
            .ok()
            .flatten()
            .expect("a session");
        reqwest::Client::new()
            .post(format!(
                "http://127.0.0.1:{}/session/{session}/goog/cdp/execute",
                self.driver_port
            ))
            .json(&serde_json::json!({"cmd": cmd, "params": params}))
            .send()
            .await
            .expect("chromedriver answers")
            .json()
            .await
            .expect("a JSON answer")
    }

    /// Waits (up to 20 s) for an element and returns its text.
    pub async fn text_of(&self, css: &str) -> String {
        let element = self
            .client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css:?} appeared: {e}"));
        element.text().await.expect("element text")
    }

    /// Saves a PNG screenshot of the page. The README's pictures (under
    /// `docs/screenshots/`) are rewritten only with `UPDATE_SCREENSHOTS=1`,
    /// so a plain test run leaves the checkout clean.
    pub async fn screenshot(&self, path: &Path) {
        let png = self.client.screenshot().await.expect("screenshot");
        let readme_picture = path.starts_with(screenshot_path(""))
            && !path
                .components()
                .any(|c| c == std::path::Component::ParentDir);
        if readme_picture && std::env::var("UPDATE_SCREENSHOTS").as_deref() != Ok("1") {
            return;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("screenshot folder");
        }
        std::fs::write(path, png).expect("write screenshot");
    }

    pub async fn close(self) {
        // Ends the session (Chromium quits); Drop then stops chromedriver.
        let _ = self.client.clone().close().await;
    }
}

/// What serves `dist/` and forwards the API paths: the test's own static
/// server, or a real nginx running a shipped `deploy/*.conf`.
pub enum Front {
    Static(StaticServer),
    Nginx(Box<Nginx>),
}

impl Front {
    pub fn url(&self, path: &str) -> String {
        match self {
            Front::Static(server) => server.url(path),
            Front::Nginx(nginx) => nginx.url(path),
        }
    }

    /// The path the console is deployed under: "" or "/sag-console".
    pub fn base(&self) -> &str {
        match self {
            Front::Static(_) => "",
            Front::Nginx(nginx) => &nginx.base,
        }
    }

    /// Stops serving: the browser then cannot reach the proxy at all.
    pub fn stop(&self) {
        match self {
            Front::Static(server) => server.stop(),
            Front::Nginx(nginx) => nginx.stop(),
        }
    }

    /// API requests that reached the proxy with a `Cookie` or `Authorization`.
    pub fn ambient_credentials_seen(&self) -> usize {
        match self {
            Front::Static(server) => server
                .ambient_credentials_seen
                .load(std::sync::atomic::Ordering::SeqCst),
            Front::Nginx(_) => panic!("only the test's static server counts ambient credentials"),
        }
    }
}

/// Sends a request the console prepared to a proxy URL as `fetch` does:
/// its own headers, no Host (the proxy must supply the signed one).
pub async fn send_through_proxy(
    http: &reqwest::Client,
    url: &str,
    request: &sag_api::HttpRequest,
) -> (u16, String) {
    let mut post = http.post(request.url(url));
    for (name, value) in &request.headers {
        post = post.header(*name, value);
    }
    let response = post
        .body(request.body.clone().unwrap_or_default())
        .send()
        .await
        .expect("the proxy answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// Sends a read of each vendor under V3 and under v1, prepared by the
/// console's code, through a proxy's two API paths (`aliyun_url` for
/// `region`), and checks that the cloud (the emulator) accepted all four.
pub async fn assert_proxy_passes_every_scheme(
    http: &reqwest::Client,
    aliyun_url: &str,
    tencent_url: &str,
    region: &str,
) {
    use sag_api::request::{prepare, Profile, RequestStamp};
    use sag_api::Scheme;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let instances = sag_api::smartag::DescribeSmartAccessGateways {
        region_id: region.into(),
        instance_type: Some("software".into()),
        smart_ag_id: None,
        page_number: Some(1),
        page_size: Some(10),
    };
    for scheme in [Scheme::V3, Scheme::V1] {
        let profile = Profile {
            aliyun_scheme: scheme,
            tencent_scheme: scheme,
            ..Profile::default()
        };
        let stamp = || RequestStamp::new(now, rand::random());
        let aliyun = prepare(
            &instances,
            &sag_api::Credentials::new(KEY_ID, KEY_SECRET),
            &stamp(),
            &profile,
        );
        let (status, body) = send_through_proxy(http, aliyun_url, &aliyun).await;
        let answer = sag_api::decode::<sag_api::smartag::DescribeSmartAccessGateways>(
            &aliyun, status, &body,
        );
        assert!(
            answer.is_ok(),
            "{scheme:?} Alibaba request through {aliyun_url}: {answer:?}"
        );
        let tencent = prepare(
            &sag_api::cam::ListUsers,
            &sag_api::Credentials::new(TENCENT_ID, TENCENT_KEY),
            &stamp(),
            &profile,
        );
        let (status, body) = send_through_proxy(http, tencent_url, &tencent).await;
        let answer = sag_api::decode::<sag_api::cam::ListUsers>(&tencent, status, &body);
        assert!(
            answer.is_ok(),
            "{scheme:?} Tencent request through {tencent_url}: {answer:?}"
        );
    }
}

/// The signature scheme the end-to-end tests run under: `v3` (the shipped
/// default) unless `SAG_E2E_SIGNATURE` says `v1`; scripts/test.sh runs a
/// part of the suites again under v1.
pub fn e2e_signature() -> String {
    match std::env::var("SAG_E2E_SIGNATURE") {
        Ok(scheme) if scheme == "v1" || scheme == "v3" => scheme,
        Ok(other) => panic!("SAG_E2E_SIGNATURE must be v1 or v3, got {other:?}"),
        Err(_) => "v3".to_owned(),
    }
}

/// How the console names the scheme the run is under, for `vendor`
/// (`"aliyun"` or `"tencent"`).
pub fn scheme_name(vendor: &str) -> &'static str {
    match (e2e_signature().as_str(), vendor) {
        ("v1", "aliyun") => "v1 (HMAC-SHA1)",
        ("v1", _) => "v1 (HmacSHA1)",
        (_, "aliyun") => "ACS3-HMAC-SHA256",
        _ => "TC3-HMAC-SHA256",
    }
}

/// The built config.json with both vendors' `"signature"` set to
/// [`e2e_signature`] and `change` applied, when that differs from the file.
fn run_config(change: impl FnOnce(&mut serde_json::Value)) -> Option<String> {
    let scheme = e2e_signature();
    let text = std::fs::read_to_string(dist_dir().join("config.json")).expect("dist/config.json");
    let original: serde_json::Value = serde_json::from_str(&text).expect("config.json is JSON");
    let mut config = original.clone();
    for vendor in ["aliyun", "tencent"] {
        config[vendor]["signature"] = serde_json::Value::String(scheme.clone());
    }
    change(&mut config);
    (config != original).then(|| config.to_string())
}

/// The console as a user meets it: the built `dist/` behind a proxy that
/// forwards the API paths to an in-process cloud emulator, and a browser.
pub struct Stack {
    pub emulator: cloud_emulator::Running,
    pub server: Front,
    pub browser: Browser,
    pub http: reqwest::Client,
}

pub const KEY_ID: &str = cloud_emulator::DEMO_ALIYUN_KEY.0;
pub const KEY_SECRET: &str = cloud_emulator::DEMO_ALIYUN_KEY.1;
pub const TENCENT_ID: &str = cloud_emulator::DEMO_TENCENT_KEY.0;
pub const TENCENT_KEY: &str = cloud_emulator::DEMO_TENCENT_KEY.1;
pub const HQ: &str = "/sag/cn-shanghai/sag-app-hq01";

impl Stack {
    pub async fn start() -> Stack {
        Stack::start_with(cloud_emulator::Config::default()).await
    }

    /// With emulator options of the test's own (the random seed and the
    /// simulation clock are always pinned).
    pub async fn start_with(config: cloud_emulator::Config) -> Stack {
        Stack::start_configured(config, |_| {}).await
    }

    /// With emulator options and a change to the console's config.json.
    pub async fn start_configured(
        config: cloud_emulator::Config,
        change: impl FnOnce(&mut serde_json::Value),
    ) -> Stack {
        Stack::start_in_language(config, change, "en-US").await
    }

    /// With a browser that prefers `language`.
    pub async fn start_in_language(
        config: cloud_emulator::Config,
        change: impl FnOnce(&mut serde_json::Value),
        language: &str,
    ) -> Stack {
        let config = cloud_emulator::Config {
            random_seed: Some(11),
            tick_ms: 0,
            ..config
        };
        let emulator = cloud_emulator::start(config)
            .await
            .expect("emulator starts");
        let server = Front::Static(
            StaticServer::start_serving(&dist_dir(), Some(emulator.url()), run_config(change))
                .await,
        );
        let browser = Browser::start_in(language).await;
        Stack {
            emulator,
            server,
            browser,
            http: reqwest::Client::new(),
        }
    }

    /// The console served by a real nginx running `deploy/<file>` over
    /// `dist` (built for `base`, "" or "/sag-console"), in front of the emulator.
    pub async fn behind_nginx(file: &str, dist: &Path, base: &str) -> Stack {
        let emulator = cloud_emulator::start(cloud_emulator::Config {
            random_seed: Some(11),
            tick_ms: 0,
            ..cloud_emulator::Config::default()
        })
        .await
        .expect("emulator starts");
        let nginx = Nginx::start(file, dist, base, &emulator.url()).await;
        let browser = Browser::start().await;
        Stack {
            emulator,
            server: Front::Nginx(Box::new(nginx)),
            browser,
            http: reqwest::Client::builder()
                .danger_accept_invalid_certs(true)
                .build()
                .expect("an HTTP client"),
        }
    }

    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// Loads `path` afresh (as a bookmark or a reload would).
    pub async fn goto(&self, path: &str) {
        self.browser
            .client
            .goto(&self.url(path))
            .await
            .expect("navigate");
    }

    /// Moves to `path` inside the running app (as a click on a link would).
    pub async fn navigate(&self, path: &str) {
        let path = format!("{}{path}", self.server.base());
        self.browser
            // A click on a link, handled by the router like any other.
            .js(&format!("const a = document.createElement('a'); a.href = {path:?}; document.body.appendChild(a); a.click(); a.remove(); return true;"))
            .await;
        self.browser
            .wait_js(
                &format!("location.pathname + location.search === {path:?}"),
                &path,
            )
            .await;
    }

    /// A control endpoint of the emulator.
    pub async fn control(
        &self,
        method: &str,
        path: &str,
        body: serde_json::Value,
    ) -> serde_json::Value {
        let url = format!("{}/_emulator/{path}", self.emulator.url());
        let request = match method {
            "GET" => self.http.get(url),
            "PUT" => self.http.put(url).json(&body),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body),
        };
        let response = request.send().await.expect("control answers");
        assert!(
            response.status().is_success(),
            "control {path} failed: {}",
            response.status()
        );
        response.json().await.unwrap_or(serde_json::Value::Null)
    }

    /// Calls the emulator directly, signed like the console does (test setup).
    pub async fn api<A: sag_api::Action>(
        &self,
        action: &A,
    ) -> Result<A::Response, sag_api::ApiError> {
        use rand::RngCore;
        let mut random = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut random);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let creds = match A::PRODUCT {
            sag_api::Product::Smartag => sag_api::Credentials::new(KEY_ID, KEY_SECRET),
            sag_api::Product::Cam => sag_api::Credentials::new(TENCENT_ID, TENCENT_KEY),
        };
        let scheme = if e2e_signature() == "v1" {
            sag_api::Scheme::V1
        } else {
            sag_api::Scheme::V3
        };
        let request = sag_api::request::prepare(
            action,
            &creds,
            &sag_api::RequestStamp::new(now, random),
            &sag_api::request::Profile {
                aliyun_scheme: scheme,
                tencent_scheme: scheme,
                ..Default::default()
            },
        );
        let mut post = self.http.post(format!("{}/", self.emulator.url()));
        for (name, value) in &request.headers {
            post = post.header(*name, value);
        }
        if let Some(host) = &request.signed_host {
            post = post.header("host", host);
        }
        let response = post
            .body(request.body.clone().unwrap_or_default())
            .send()
            .await
            .expect("emulator answers");
        let status = response.status().as_u16();
        let body = response.text().await.unwrap_or_default();
        sag_api::decode::<A>(&request, status, &body)
    }

    /// The request log: (action, outcome, fault) per request.
    /// Checks that every request the emulator logged carried the signature
    /// the run is under ([`e2e_signature`]): ACS3 / TC3, or v1 for both.
    pub async fn assert_signed_as_configured(&self) {
        let log = self
            .control("GET", "requests", serde_json::json!(null))
            .await;
        let entries = log.as_array().expect("a request log");
        assert!(!entries.is_empty(), "no request was logged");
        let v1 = e2e_signature() == "v1";
        for e in entries {
            let expected = match (e["vendor"].as_str(), v1) {
                (_, true) => "v1",
                (Some("aliyun"), false) => "ACS3-HMAC-SHA256",
                (_, false) => "TC3-HMAC-SHA256",
            };
            assert_eq!(e["signature"].as_str(), Some(expected), "{e}");
        }
    }

    pub async fn requests(&self) -> Vec<(String, String, Option<String>)> {
        let log = self
            .control("GET", "requests", serde_json::json!(null))
            .await;
        log.as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| {
                        (
                            e["action"].as_str().unwrap_or_default().to_owned(),
                            e["outcome"].as_str().unwrap_or_default().to_owned(),
                            e["fault"].as_str().map(str::to_owned),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Opens Settings and connects with the demo key (optionally remembered).
    pub async fn connect(&self, remember: bool) {
        self.goto("/connect").await;
        self.browser.fill("#access-key-id", KEY_ID).await;
        self.browser.fill("#access-key-secret", KEY_SECRET).await;
        if remember {
            self.browser.click("#remember").await;
        }
        self.browser.click("button[type=submit]").await;
        self.browser.wait_for_url_ending("/sag").await;
    }

    /// Opens Settings and connects with the demo Tencent Cloud keys
    /// (optionally remembered).
    pub async fn connect_tencent(&self, remember: bool) {
        self.goto("/connect").await;
        self.browser.fill("#secret-id", TENCENT_ID).await;
        self.browser.fill("#secret-key", TENCENT_KEY).await;
        if remember {
            self.browser.click("#tencent-remember").await;
        }
        self.browser.click("#connect-tencent").await;
        self.browser.wait_for_url_ending("/cam").await;
    }

    pub async fn stop(self) {
        self.browser.close().await;
        self.emulator.stop().await;
    }
}

impl Browser {
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css:?} appeared: {e}"))
    }

    /// Replaces an input's value by typing, as a person would.
    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        el.click().await.expect("focus the input");
        // Ctrl+A, release, Backspace: clears with real input events.
        el.send_keys("\u{E009}a\u{E000}\u{E003}")
            .await
            .expect("clear");
        if !text.is_empty() {
            el.send_keys(text).await.expect("type");
        }
    }

    /// Focuses an element and presses keys there (WebDriver key codes:
    /// `\u{E015}` is ↓, `\u{E013}` is ↑); each key goes to whatever has
    /// the focus by then.
    pub async fn press(&self, css: &str, keys: &str) {
        self.find(css)
            .await
            .send_keys(keys)
            .await
            .unwrap_or_else(|e| panic!("cannot press keys in {css:?}: {e}"));
    }

    /// Clicks an element after scrolling it to the middle of the viewport
    /// (clear of the sticky table header).
    pub async fn click(&self, css: &str) {
        let el = self.find(css).await;
        self.js(&format!(
            "document.querySelector({css:?}).scrollIntoView({{block: 'center'}}); return true;"
        ))
        .await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {css:?}: {e}"));
    }

    /// Evaluates a JavaScript expression (`return ...`) in the page.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Waits (up to 25 s) until the JavaScript expression is truthy.
    pub async fn wait_js(&self, expression: &str, what: &str) {
        self.wait_js_within(expression, what, 25).await;
    }

    /// Waits up to `seconds` until the JavaScript expression is truthy (for
    /// long runs such as an import).
    pub async fn wait_js_within(&self, expression: &str, what: &str, seconds: u64) {
        let script = format!("return !!({expression});");
        for _ in 0..seconds * 10 {
            if self.js(&script).await == serde_json::Value::Bool(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let body = self
            .js("return location.href + '\\n' + document.body.innerText.slice(0, 3000);")
            .await;
        panic!(
            "timed out waiting for {what} ({expression}); page text:\n{}",
            body.as_str().unwrap_or_default()
        );
    }

    /// Waits until the element's text contains `needle`; returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let expr = format!(
            "document.querySelector({css:?}) && document.querySelector({css:?}).innerText.includes({needle:?})",
            css = css,
            needle = needle
        );
        self.wait_js(&expr, &format!("{css} to contain {needle:?}"))
            .await;
        self.text_of(css).await
    }

    pub async fn count(&self, css: &str) -> usize {
        self.js(&format!(
            "return document.querySelectorAll({css:?}).length;"
        ))
        .await
        .as_u64()
        .unwrap_or(0) as usize
    }

    pub async fn wait_count(&self, css: &str, n: usize) {
        self.wait_js(
            &format!("document.querySelectorAll({css:?}).length === {n}"),
            &format!("{n} × {css}"),
        )
        .await;
    }

    /// Waits until the SAG users table lists `n` users (`aria-rowcount`
    /// counts the header row too): long lists draw only the rows on screen,
    /// so counting `<tr>`s would not tell.
    pub async fn wait_users(&self, n: usize) {
        self.wait_js(
            &format!("document.querySelector('#users') && document.querySelector('#users').getAttribute('aria-rowcount') === '{}'", n + 1),
            &format!("{n} users listed"),
        )
        .await;
    }

    /// Scrolls the SAG users table until `name`'s row is drawn, as a person
    /// looking for it would (long lists draw only the rows on screen).
    #[allow(dead_code)]
    pub async fn show_user(&self, name: &str) {
        let script = format!(
            "const done = arguments[arguments.length - 1];
             const wrap = document.querySelector('#users').closest('.table-wrap');
             const row = () => document.querySelector('#users tr[data-user={name:?}]');
             (async () => {{
               wrap.scrollTop = 0; wrap.dispatchEvent(new Event('scroll'));
               for (let i = 0; i < 400 && !row(); i++) {{
                 await new Promise(r => requestAnimationFrame(r));
                 if (row()) break;
                 wrap.scrollTop += Math.max(100, wrap.clientHeight / 2); wrap.dispatchEvent(new Event('scroll'));
               }}
               done(!!row());
             }})();"
        );
        let found = self
            .client
            .execute_async(&script, vec![])
            .await
            .expect("scrolling the table");
        assert_eq!(found, serde_json::json!(true), "{name} is in the table");
    }

    pub async fn value_of(&self, css: &str) -> String {
        self.js(&format!("return document.querySelector({css:?}).value;"))
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub async fn wait_for_url_ending(&self, suffix: &str) {
        self.wait_js(
            &format!("location.pathname.endsWith({suffix:?})"),
            &format!("URL ending {suffix}"),
        )
        .await;
    }
}

/// Where the README's screenshots go.
pub fn screenshot_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/screenshots")
        .join(name)
}
