//! End-to-end: the shipped nginx examples, run by a real nginx (Debian's,
//! unpacked by scripts/setup.sh), with only their listen addresses,
//! certificate paths, static root and upstreams swapped for the test's:
//! `deploy/nginx.conf` serving the console at the root and
//! `deploy/nginx-sub-path.conf` serving a build made with
//! `--public-url /sag-console/`. Each checks the headers on every kind of
//! answer, the methods the API paths accept, and walks through connecting,
//! listing, creating and deleting a client user and listing CAM sub-users in
//! headless Chromium over TLS.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use reqwest::header::HeaderMap;
use support::{dist_dir, sub_path_dist_dir, Front, Stack, HQ};

fn nginx(stack: &Stack) -> &support::Nginx {
    match &stack.server {
        Front::Nginx(nginx) => nginx,
        Front::Static(_) => unreachable!("these tests run behind nginx"),
    }
}

/// The headers every answer carries, static file, fallback, proxied answer
/// or refusal alike.
fn assert_security_headers(what: &str, headers: &HeaderMap, site: &str) {
    for (name, expected) in [
        (
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        ),
        ("content-security-policy", "frame-ancestors 'none'"),
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
    ] {
        let got = headers.get(name).and_then(|v| v.to_str().ok());
        assert_eq!(
            got,
            Some(expected),
            "{what}: header {name} (nginx drops a server's add_header in a location with its own)\n--- as run:\n{site}"
        );
    }
    assert!(
        !headers
            .get("server")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .contains('/'),
        "{what}: the Server header names no version"
    );
}

fn cache_control(headers: &HeaderMap) -> &str {
    headers
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// What a browser and an attacker can ask of the deployment, header by header.
async fn check_http(stack: &Stack) {
    let site = &nginx(stack).site;
    let http = &stack.http;

    let index = http.get(stack.url("/")).send().await.unwrap();
    assert_eq!(index.status(), 200);
    assert_security_headers("index.html", index.headers(), site);
    assert_eq!(cache_control(index.headers()), "no-cache");
    let html = index.text().await.unwrap();

    // A client-side route, as a bookmark or a reload asks for it.
    let deep = http
        .get(stack.url(&format!("{HQ}/users?q=alice")))
        .send()
        .await
        .unwrap();
    assert_eq!(deep.status(), 200);
    assert_security_headers("a client-side route", deep.headers(), site);
    assert_eq!(
        deep.text().await.unwrap(),
        html,
        "the route gets index.html"
    );

    let config = http.get(stack.url("/config.json")).send().await.unwrap();
    assert_eq!(config.status(), 200);
    assert_security_headers("config.json", config.headers(), site);
    assert_eq!(cache_control(config.headers()), "no-store");

    // The hashed wasm: cached for ever, with the type streaming compilation needs.
    let wasm = html
        .split('"')
        .find(|s| s.ends_with(".wasm"))
        .expect("index.html names the wasm");
    let wasm = wasm.rsplit('/').next().unwrap();
    let wasm = http
        .get(stack.url(&format!("/{wasm}")))
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.status(), 200);
    assert_security_headers("the wasm", wasm.headers(), site);
    assert_eq!(
        cache_control(wasm.headers()),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(wasm.headers()["content-type"], "application/wasm");

    // The API paths: POST only, refused before anything reaches the vendor.
    let before = stack.requests().await.len();
    for (method, path) in [
        ("GET", "/api/aliyun/cn-shanghai/"),
        ("PUT", "/api/aliyun/cn-shanghai/"),
        ("DELETE", "/api/tencent/"),
        ("GET", "/api/tencent/"),
    ] {
        let refused = http
            .request(method.parse().unwrap(), stack.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403, "{method} {path}");
        assert_security_headers(&format!("{method} {path}"), refused.headers(), site);
    }
    // Only the regions the file lists are proxy paths: not a host name, not
    // a region of the right form that SAG does not serve, not a path trick.
    for path in [
        "/api/aliyun/evil.example%2F/",
        "/api/aliyun/us-east-1/",
        "/api/aliyun/cn-shanghai.evil.example/",
        "/api/aliyun/cn-shanghai/x/",
        "/api/aliyun/cn-shanghai/..%2F..%2Fapi/tencent/",
        "/api/aliyun/",
    ] {
        let odd = http
            .post(stack.url(path))
            .body("Action=DescribeRegions")
            .send()
            .await
            .unwrap();
        // 404 from the region list; a path that nginx normalises out of
        // /api/aliyun/ lands on the static site, which takes no POST (403).
        assert!(
            [403, 404].contains(&odd.status().as_u16()),
            "{path}: not forwarded ({})",
            odd.status()
        );
    }
    assert_eq!(
        stack.requests().await.len(),
        before,
        "nothing refused reached the emulator"
    );
    // The static site takes no POST either.
    let post = http.post(stack.url("/")).send().await.unwrap();
    assert_eq!(post.status(), 403);

    // A POST is forwarded, and its answer carries the headers too (an
    // unsigned request: the emulator answers with its error).
    let forwarded = http
        .post(stack.url("/api/aliyun/cn-shanghai/"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", "corp_session=abc123")
        .body("Action=DescribeRegions")
        .send()
        .await
        .unwrap();
    assert!(
        forwarded.status().is_client_error(),
        "the emulator's refusal"
    );
    assert_security_headers("a proxied answer", forwarded.headers(), site);
    assert_eq!(cache_control(forwarded.headers()), "no-store");
    let refusal = forwarded.text().await.unwrap();
    assert!(refusal.contains("RequestId"), "{refusal}");
    assert_eq!(
        stack.requests().await.len(),
        before + 1,
        "it reached the emulator"
    );

    // Only the headers the signatures and the API need reach the vendor:
    // none that a single-sign-on proxy in front of the site adds, and no
    // Authorization that is the other vendor's scheme (or no signature).
    let identity = [
        ("cookie", "corp_session=abc123"),
        ("x-forwarded-access-token", "eyJhbGciOi.sso.token"),
        ("x-auth-request-email", "admin@corp.example"),
        ("x-auth-request-user", "admin"),
        ("proxy-authorization", "Basic Y29ycDpzM2NyZXQ="),
        ("x-amzn-oidc-data", "eyJ0eXAiOi.oidc"),
        ("cf-access-jwt-assertion", "eyJraWQiOi.cf"),
        ("x-forwarded-for", "10.1.2.3"),
        ("x-real-ip", "10.1.2.3"),
    ];
    for (path, foreign) in [
        (
            "/api/aliyun/cn-shanghai/",
            "TC3-HMAC-SHA256 Credential=AKIDx/2024-05-01/cam/tc3_request, SignedHeaders=content-type;host, Signature=00",
        ),
        (
            "/api/tencent/",
            "ACS3-HMAC-SHA256 Credential=LTAIx,SignedHeaders=host,Signature=00",
        ),
        ("/api/tencent/", "Basic YWRtaW46c2VjcmV0"),
    ] {
        let mut request = http
            .post(stack.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("authorization", foreign);
        for (name, value) in identity {
            request = request.header(name, value);
        }
        request.body("Action=DescribeRegions").send().await.unwrap();
        let log = stack
            .control("GET", "requests", serde_json::json!(null))
            .await;
        let last = log.as_array().unwrap().last().unwrap().clone();
        let received: Vec<&str> = last["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap())
            .collect();
        for (name, _) in identity.iter().chain([&("authorization", "")]) {
            assert!(
                !received.contains(name),
                "{path} with {foreign:?}: {name} reached the upstream: {received:?}"
            );
        }
        assert!(received.contains(&"content-type"), "{received:?}");
    }

    // The current signatures pass the proxy: Authorization and the x-acs-* /
    // X-TC-* headers reach the vendor unchanged, with the upstream's Host;
    // v1 still passes too.
    support::assert_proxy_passes_every_scheme(
        http,
        &stack.url("/api/aliyun/cn-shanghai/"),
        &stack.url("/api/tencent/"),
        "cn-shanghai",
    )
    .await;
    let log = stack
        .control("GET", "requests", serde_json::json!(null))
        .await;
    let signatures: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .take(4)
        .filter_map(|e| e["signature"].as_str())
        .collect();
    assert_eq!(
        signatures,
        ["v1", "v1", "TC3-HMAC-SHA256", "ACS3-HMAC-SHA256"],
        "the emulator saw each scheme"
    );
}

/// Connect, list, create, delete; then CAM. Moves by clicking the console's
/// own links, whose addresses must carry the sub-path.
async fn walkthrough(stack: &Stack) {
    let b = &stack.browser;
    let base = stack.server.base();
    let link = |path: &str| format!("a[href=\"{base}{path}\"]");
    stack.connect(true).await; // remembered: the deep link below reloads
    b.wait_text("#instances", "Shanghai HQ").await;
    b.click(&link(HQ)).await;
    b.wait_users(120).await;
    stack.goto(HQ).await; // a deep link, loaded afresh
    b.wait_users(120).await;

    b.click(&link(&format!("{HQ}/new"))).await;
    b.wait_for_url_ending(&format!("{base}{HQ}/new")).await;
    b.fill("#create-email", "nginx.user01@example.com").await;
    b.fill("#create-bandwidth", "500").await;
    b.fill("#create-username", "nginx.user01").await;
    b.fill("#create-password", "Passw0rd_1").await;
    b.click("#create-submit").await;
    b.wait_text(".notices", "Created nginx.user01").await;
    b.wait_users(121).await;

    b.fill("#search", "nginx.user01").await;
    b.wait_count("#users tr[data-user]", 1).await;
    b.click("button[aria-label=\"Delete nginx.user01\"]").await;
    b.click("#confirm-delete").await;
    b.wait_count("#users tr[data-user]", 0).await;
    b.fill("#search", "").await;
    b.wait_users(120).await;
    assert_eq!(
        b.js("return location.pathname").await,
        serde_json::json!(format!("{base}{HQ}")),
        "the address stays the console's own"
    );

    b.click(&link("/cam")).await;
    b.wait_text("#needs-connection", "Tencent Cloud").await;
    b.click("#needs-connection a").await;
    b.wait_for_url_ending(&format!("{base}/connect")).await;
    b.fill("#secret-id", support::TENCENT_ID).await;
    b.fill("#secret-key", support::TENCENT_KEY).await;
    b.click("#connect-tencent").await;
    b.wait_for_url_ending(&format!("{base}/cam")).await;
    b.wait_count("#cam-users tbody tr", 12).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shipped_nginx_example_serves_the_console_at_the_root() {
    let stack = Stack::behind_nginx("nginx.conf", &dist_dir(), "").await;
    check_http(&stack).await;

    // Plain HTTP only redirects to HTTPS.
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("http://{}/connect", nginx(&stack).plain_addr))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 301);
    assert!(plain.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("https://"));

    walkthrough(&stack).await;
    let errors = nginx(&stack).error_log();
    assert!(
        !errors.contains("[emerg]") && !errors.contains("[crit]"),
        "{errors}"
    );
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shipped_sub_path_example_serves_the_console_under_sag_console() {
    let stack =
        Stack::behind_nginx("nginx-sub-path.conf", &sub_path_dist_dir(), "/sag-console").await;
    check_http(&stack).await;

    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let bare = no_redirects
        .get(format!("https://{}/sag-console", nginx(&stack).addr))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 301);
    assert_eq!(
        bare.headers()["location"]
            .to_str()
            .unwrap()
            .rsplit_once("/sag-console")
            .map(|(_, rest)| rest),
        Some("/")
    );
    // The rest of the site is not the console's.
    let outside = no_redirects
        .get(format!("https://{}/config.json", nginx(&stack).addr))
        .send()
        .await
        .unwrap();
    assert_eq!(outside.status(), 404);

    // A bookmarked page without keys: Settings, then back to that page,
    // still under the sub-path.
    let b = &stack.browser;
    stack.goto(&format!("{HQ}/online")).await;
    b.click("#needs-connection a").await;
    b.wait_for_url_ending("/sag-console/connect").await;
    b.fill("#access-key-id", support::KEY_ID).await;
    b.fill("#access-key-secret", support::KEY_SECRET).await;
    b.click("button[type=submit]").await;
    b.wait_for_url_ending(&format!("/sag-console{HQ}/online"))
        .await;

    // Remembering keys under a shared origin is warned about.
    stack.goto("/connect").await;
    b.click("#remember").await;
    b.wait_text("#remember-shared-origin", "/sag-console/")
        .await;
    b.wait_text("#remember-shared-origin", "origin of its own")
        .await;

    walkthrough(&stack).await;
    // Every request the console made stayed under its path.
    let outside_requests = stack
        .browser
        .js("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => !p.startsWith('/sag-console/'))")
        .await;
    assert_eq!(outside_requests, serde_json::json!([]));
    stack.stop().await;
}
