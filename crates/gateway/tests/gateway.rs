//! The gateway against real parts: the emulator behind TLS under a
//! throwaway CA, Debian's tinyproxy as the corporate forward proxy (with
//! Basic credentials), requests signed by the console's own code.

mod support;

use std::time::Duration;

use sag_api::cam::ListUsers;
use sag_api::smartag::DescribeClientUsers;
use sag_api::Scheme;
use support::*;

const HQ: &str = "sag-app-hq01";

fn list() -> DescribeClientUsers {
    DescribeClientUsers::page("cn-shanghai", HQ, 1, 10)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_requests_pass_through_an_authenticating_proxy_over_verified_tls() {
    let pki = Pki::new("Example Corp Inspection Root");
    let dir = tempfile::tempdir().unwrap();
    let vendors = Vendors::start(&pki, &["localhost"], false).await;
    let creds = ("corp", "s3cret-proxy-pw");
    let proxy = Tinyproxy::start(Some(creds)).await;
    let mut config = config_for(&vendors);
    config.egress = egress(
        Some(&proxy.url(Some(creds))),
        Some(pki.write_ca(dir.path())),
    );
    let gateway = Gateway::start(config).await;
    let http = reqwest::Client::new();
    for scheme in [Scheme::V3, Scheme::V1] {
        let (status, body, _) = send_signed(
            &http,
            &gateway.url("/api/aliyun/cn-shanghai/"),
            &list(),
            scheme,
        )
        .await;
        assert_eq!(status, 200, "{scheme:?}: {body}");
        assert!(body.contains("\"TotalCount\""), "{body}");
        let (status, body, _) =
            send_signed(&http, &gateway.url("/api/tencent/"), &ListUsers, scheme).await;
        assert_eq!(status, 200, "{scheme:?}: {body}");
        assert!(body.contains("\"Data\""), "{body}");
    }
    let log = vendors.log();
    let signatures: Vec<&str> = log.iter().map(|e| e.signature.as_str()).collect();
    assert_eq!(
        signatures,
        ["ACS3-HMAC-SHA256", "TC3-HMAC-SHA256", "v1", "v1"],
        "the emulator verified each scheme"
    );
    assert!(log.iter().all(|e| e.outcome == "OK"), "{log:?}");
    let connects = proxy.connects();
    assert!(
        connects
            .iter()
            .any(|l| l.contains(&format!("CONNECT localhost:{}", vendors.front.addr.port()))),
        "the proxy's log shows the tunnel: {connects:?}"
    );
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_proxy_credentials_are_explained_and_never_shown() {
    let pki = Pki::new("Example Corp Root");
    let dir = tempfile::tempdir().unwrap();
    let vendors = Vendors::start(&pki, &["localhost"], false).await;
    let proxy = Tinyproxy::start(Some(("corp", "right-password"))).await;
    let mut config = config_for(&vendors);
    config.egress = egress(
        Some(&proxy.url(Some(("corp", "wrong-password")))),
        Some(pki.write_ca(dir.path())),
    );
    let summary = config.describe();
    assert!(!summary.contains("wrong-password"), "{summary}");
    let gateway = Gateway::start(config).await;
    let http = reqwest::Client::new();
    let (status, body, request) = send_signed(
        &http,
        &gateway.url("/api/aliyun/cn-shanghai/"),
        &list(),
        Scheme::V3,
    )
    .await;
    assert_eq!(status, 502, "{body}");
    // tinyproxy answers a wrong password with 401 (none at all: 407).
    assert!(
        body.contains("proxy login failed (401 Unauthorized)")
            && body.contains("check the user and password of the proxy URL"),
        "{body}"
    );
    assert!(!body.contains("wrong-password"), "{body}");
    // The console names it: a proxy error page, with the gateway's words.
    let error = sag_api::decode::<DescribeClientUsers>(&request, status, &body).unwrap_err();
    match &error {
        sag_api::ApiError::Proxy {
            status: 502,
            title: Some(title),
        } => {
            assert!(
                title.contains("smartag.cn-shanghai.aliyuncs.com")
                    && title.contains(
                        "proxy login failed (401 Unauthorized), check the user and password"
                    ),
                "{title}"
            )
        }
        other => panic!("{other:?}"),
    }
    assert!(vendors.log().is_empty(), "nothing reached the vendor");
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_proxy_hosts_are_reached_directly() {
    let pki = Pki::new("Example Corp Root");
    let dir = tempfile::tempdir().unwrap();
    let vendors = Vendors::start(&pki, &["localhost"], false).await;
    let proxy = Tinyproxy::start(None).await;
    let mut config = config_for(&vendors);
    config.egress = sag_console_gateway::egress::Egress::from_settings(
        Some(&proxy.url(None)),
        Some("localhost"),
        vec![pki.write_ca(dir.path())],
    )
    .unwrap();
    let gateway = Gateway::start(config).await;
    let (status, body, _) = send_signed(
        &reqwest::Client::new(),
        &gateway.url("/api/tencent/"),
        &ListUsers,
        Scheme::V3,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(proxy.connects().is_empty(), "{:?}", proxy.connects());
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_is_always_verified_and_a_company_ca_can_be_added() {
    let pki = Pki::new("Example Corp Inspection Root");
    let dir = tempfile::tempdir().unwrap();
    let http = reqwest::Client::new();
    // Unknown issuer: refused, named; trusted once --ca-file names the root.
    let vendors = Vendors::start(&pki, &["localhost"], false).await;
    let gateway = Gateway::start(config_for(&vendors)).await;
    let (status, body, _) =
        send_signed(&http, &gateway.url("/api/tencent/"), &ListUsers, Scheme::V3).await;
    assert_eq!(status, 502, "{body}");
    assert!(
        body.contains("cam.tencentcloudapi.com") && body.contains("unknown issuer"),
        "{body}"
    );
    gateway.stop().await;
    let mut trusted = config_for(&vendors);
    trusted.egress.ca_files = vec![pki.write_ca(dir.path())];
    let gateway = Gateway::start(trusted.clone()).await;
    let (status, body, _) =
        send_signed(&http, &gateway.url("/api/tencent/"), &ListUsers, Scheme::V3).await;
    assert_eq!(status, 200, "{body}");
    gateway.stop().await;
    // A certificate for another name, and an expired one: refused, named.
    for (names, expired, reason) in [
        (&["other.example"][..], false, "wrong name"),
        (&["localhost"][..], true, "expired"),
    ] {
        let vendors = Vendors::start(&pki, names, expired).await;
        let mut config = config_for(&vendors);
        config.egress.ca_files = trusted.egress.ca_files.clone();
        let gateway = Gateway::start(config).await;
        let (status, body, _) =
            send_signed(&http, &gateway.url("/api/tencent/"), &ListUsers, Scheme::V3).await;
        assert_eq!(status, 502, "{body}");
        assert!(body.contains(reason), "{reason}: {body}");
        assert!(vendors.log().is_empty());
        gateway.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_requests_are_refused_and_reach_nothing() {
    let pki = Pki::new("Example Corp Root");
    let dir = tempfile::tempdir().unwrap();
    let vendors = Vendors::start(&pki, &["localhost"], false).await;
    let mut config = config_for(&vendors);
    config.egress.ca_files = vec![pki.write_ca(dir.path())];
    let gateway = Gateway::start(config).await;
    let body = "Action=DescribeRegions";
    let post = |target: &str, host: &str, extra: &str| {
        format!(
            "POST {target} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let own = gateway.addr.to_string();
    for (request, what) in [
        (post("/api/aliyun/evil.example%2F/", &own, ""), "an encoded slash"),
        (post("/api/aliyun/cn-shanghai%2F..%2F..%2Fapi%2Ftencent/", &own, ""), "an encoded traversal"),
        (post("/api/aliyun/cn-shanghai/../../api/tencent/", &own, ""), "a raw traversal"),
        (post("/api/aliyun/cn-shanghai@evil.example/", &own, ""), "an @ in the region"),
        (post("/api/aliyun/us-east-1/", &own, ""), "a region not in the list"),
        (post("/api/aliyun/cn-shanghai/x", &own, ""), "a deeper path"),
        (post("http://evil.example/api/aliyun/cn-shanghai/", "evil.example", ""), "an absolute-form target"),
        (post("//evil.example/api/tencent/", &own, ""), "a scheme-relative target"),
        (
            format!("POST /api/tencent/ HTTP/1.1\r\nHost: {own}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n"),
            "Content-Length and Transfer-Encoding together",
        ),
        (
            format!("GET /api/tencent/ HTTP/1.1\r\nHost: {own}\r\nConnection: close\r\n\r\n"),
            "a GET",
        ),
    ] {
        let answer = raw(gateway.addr, &request).await;
        let status: u16 = answer
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        assert!((400..500).contains(&status), "{what}: {answer}");
    }
    // A Host header chooses nothing: the request goes to the configured
    // upstream (the emulator), never to the host named.
    let answer = raw(gateway.addr, &post("/api/tencent/", "evil.example", "")).await;
    assert!(answer.starts_with("HTTP/1.1 "), "{answer}");
    let log = vendors.log();
    assert_eq!(
        log.len(),
        1,
        "only the request with a foreign Host reached the (configured) upstream: {log:?}"
    );
    // The body limit.
    let big = "x".repeat(70 * 1024);
    let answer = reqwest::Client::new()
        .post(gateway.url("/api/tencent/"))
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 413);
    assert_eq!(vendors.log().len(), 1);
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_origin_pages_are_allowed_only_when_named() {
    let pki = Pki::new("Example Corp Root");
    let dir = tempfile::tempdir().unwrap();
    let vendors = Vendors::start(&pki, &["localhost"], false).await;
    let mut config = config_for(&vendors);
    config.egress.ca_files = vec![pki.write_ca(dir.path())];
    config.allow_origins = vec!["https://console.example.com".into()];
    let gateway = Gateway::start(config).await;
    let http = reqwest::Client::new();
    let preflight = |origin: &'static str| {
        http.request(reqwest::Method::OPTIONS, gateway.url("/api/aliyun/cn-shanghai/"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization,content-type,x-acs-action,x-acs-date,x-acs-signature-nonce,x-acs-version,x-acs-content-sha256")
            .send()
    };
    let ok = preflight("https://console.example.com").await.unwrap();
    assert_eq!(ok.status(), 204);
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "https://console.example.com"
    );
    assert_eq!(ok.headers()["access-control-allow-methods"], "POST");
    let refused = preflight("https://evil.example").await.unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    // The POST itself: forwarded for the named origin, not for another.
    let mut request = http
        .post(gateway.url("/api/tencent/"))
        .header("origin", "https://evil.example");
    request = request
        .header("content-type", "application/json")
        .body("{}");
    assert_eq!(request.send().await.unwrap().status(), 403);
    assert!(
        vendors.log().is_empty(),
        "nothing forwarded for a foreign origin"
    );
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_in_flight_finishes_when_the_gateway_stops() {
    let pki = Pki::new("Example Corp Root");
    let dir = tempfile::tempdir().unwrap();
    let vendors = Vendors::start(&pki, &["localhost"], false).await;
    vendors.emulator.shared.lock().faults.latency_ms = (800, 800);
    let mut config = config_for(&vendors);
    config.egress.ca_files = vec![pki.write_ca(dir.path())];
    let mut gateway = Gateway::start(config).await;
    let url = gateway.url("/api/tencent/");
    let call = tokio::spawn(async move {
        send_signed(&reqwest::Client::new(), &url, &ListUsers, Scheme::V3).await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    gateway.begin_stop();
    let (status, body, _) = call.await.unwrap();
    assert_eq!(status, 200, "{body}");
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_vendor_and_a_full_gateway_get_their_own_answers() {
    let pki = Pki::new("Example Corp Root");
    let dir = tempfile::tempdir().unwrap();
    let vendors = Vendors::start(&pki, &["localhost"], false).await;
    vendors.emulator.shared.lock().faults.latency_ms = (3000, 3000);
    let mut config = config_for(&vendors);
    config.egress.ca_files = vec![pki.write_ca(dir.path())];
    config.upstream_timeout = Duration::from_millis(600);
    config.max_concurrent = 1;
    let gateway = Gateway::start(config).await;
    let url = gateway.url("/api/tencent/");
    // One slot, a vendor slower than the 600 ms the gateway waits. The
    // first call holds the slot 600 ms and gets 504; the second waits for
    // it, then holds it 600 ms more (504); the third waits 600 ms for a
    // slot that stays taken and hears that the gateway is busy (503).
    let mut calls = Vec::new();
    for delay in [0u64, 100, 200] {
        let url = url.clone();
        calls.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(delay)).await;
            send_signed(&reqwest::Client::new(), &url, &ListUsers, Scheme::V3).await
        }));
    }
    let mut answers = Vec::new();
    for call in calls {
        let (status, body, _) = call.await.unwrap();
        answers.push((status, body));
    }
    assert_eq!(answers[0].0, 504, "{}", answers[0].1);
    assert!(
        answers[0]
            .1
            .contains("cam.tencentcloudapi.com unreachable: no answer in time"),
        "{}",
        answers[0].1
    );
    assert_eq!(answers[1].0, 504, "{}", answers[1].1);
    assert_eq!(answers[2].0, 503, "{}", answers[2].1);
    assert!(answers[2].1.contains("busy"), "{}", answers[2].1);
    gateway.stop().await;
}
