//! End-to-end: the console with its own gateway (`crates/gateway`) in
//! headless Chromium, against real parts: the emulator behind TLS under a
//! throwaway company CA, Debian's tinyproxy as the corporate forward proxy
//! with Basic credentials.
//!
//! - served by the gateway, reaching both clouds through the proxy:
//!   connect both, list, create, delete, the CAM list;
//! - served by a static host on one origin, with the gateway on another:
//!   an allowed origin works end to end; a page of another origin gets
//!   nothing forwarded.

#![cfg(not(target_arch = "wasm32"))]

#[path = "../crates/gateway/tests/support/mod.rs"]
mod gateway_support;
mod support;

use gateway_support::{config_for, egress, Gateway, Pki, Tinyproxy, Vendors};
use serde_json::json;
use support::{dist_dir, Browser, StaticServer, HQ, KEY_ID, KEY_SECRET, TENCENT_ID, TENCENT_KEY};

async fn connect_both(b: &Browser, base: &str) {
    b.client.goto(&format!("{base}/connect")).await.unwrap();
    b.fill("#access-key-id", KEY_ID).await;
    b.fill("#access-key-secret", KEY_SECRET).await;
    b.click("#connect-aliyun").await;
    b.wait_for_url_ending("/sag").await;
    b.wait_text("#instances", "Shanghai HQ").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_served_by_the_gateway_reaches_both_clouds_through_a_corporate_proxy() {
    let pki = Pki::new("Example Corp Inspection Root");
    let dir = tempfile::tempdir().unwrap();
    let vendors = Vendors::start(&pki, &["localhost"], false).await;
    let creds = ("corp", "s3cret-proxy-pw");
    let proxy = Tinyproxy::start(Some(creds)).await;
    let mut config = config_for(&vendors);
    config.dist = Some(dist_dir());
    config.egress = egress(
        Some(&proxy.url(Some(creds))),
        Some(pki.write_ca(dir.path())),
    );
    let gateway = Gateway::start(config).await;
    let b = Browser::start().await;
    let base = format!("http://{}", gateway.addr);

    connect_both(&b, &base).await;
    b.click(&format!("a[href=\"{HQ}\"]")).await;
    b.wait_users(120).await;

    b.click(&format!("a[href=\"{HQ}/new\"]")).await;
    b.wait_for_url_ending(&format!("{HQ}/new")).await;
    b.fill("#create-email", "gateway.user01@example.com").await;
    b.fill("#create-bandwidth", "500").await;
    b.fill("#create-username", "gateway.user01").await;
    b.fill("#create-password", "Passw0rd_1").await;
    b.click("#create-submit").await;
    b.wait_text(".notices", "Created gateway.user01").await;
    b.wait_users(121).await;
    b.fill("#search", "gateway.user01").await;
    b.wait_count("#users tr[data-user]", 1).await;
    b.click("button[aria-label=\"Delete gateway.user01\"]")
        .await;
    b.click("#confirm-delete").await;
    b.wait_count("#users tr[data-user]", 0).await;

    b.click("a[href=\"/cam\"]").await;
    b.click("#needs-connection a").await;
    b.wait_for_url_ending("/connect").await;
    b.fill("#secret-id", TENCENT_ID).await;
    b.fill("#secret-key", TENCENT_KEY).await;
    b.click("#connect-tencent").await;
    b.wait_for_url_ending("/cam").await;
    b.wait_count("#cam-users tbody tr", 12).await;

    // Everything went through the proxy's tunnel, over verified TLS, and
    // the emulator verified the console's V3 signatures.
    assert!(
        !proxy.connects().is_empty(),
        "the proxy's log shows the tunnels"
    );
    let log = vendors.log();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    for action in [
        "DescribeSmartAccessGateways",
        "DescribeSmartAccessGatewayClientUsers",
        "CreateSmartAccessGatewayClientUser",
        "DeleteSmartAccessGatewayClientUser",
        "ListUsers",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    assert!(
        log.iter().all(|e| e.signature != "v1"),
        "V3 signatures: {log:?}"
    );
    b.close().await;
    gateway.stop().await;
}

/// A copy of the built console whose Content-Security-Policy lets it call
/// `gateway_origin`, made by the post-build hook as a deployment would
/// (`SAG_CONSOLE_CONNECT_SRC`).
fn console_allowing(gateway_origin: &str) -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(dist_dir()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
        }
    }
    let hook = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/post-build.mjs");
    let out = std::process::Command::new("node")
        .arg(hook)
        .env("TRUNK_STAGING_DIR", copy.path())
        .env("TRUNK_PROFILE", "release")
        .env("SAG_CONSOLE_CONNECT_SRC", gateway_origin)
        .output()
        .expect("node runs the post-build hook");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(copy.path().join("index.html")).unwrap();
    assert!(
        html.contains(&format!("connect-src 'self' {gateway_origin}")),
        "{html}"
    );
    copy
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_console_on_another_origin_reaches_the_gateway_only_when_allowed() {
    let pki = Pki::new("Example Corp Root");
    let dir = tempfile::tempdir().unwrap();
    let vendors = Vendors::start(&pki, &["localhost"], false).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gateway_origin = format!("http://{}", listener.local_addr().unwrap());
    let site = console_allowing(&gateway_origin);
    let mut config_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.path().join("config.json")).unwrap())
            .unwrap();
    config_json["aliyun"]["endpoint"] = json!(format!("{gateway_origin}/api/aliyun/{{region}}/"));
    config_json["tencent"]["endpoint"] = json!(format!("{gateway_origin}/api/tencent/"));
    let config_json = config_json.to_string();
    let allowed = StaticServer::start_serving(site.path(), None, Some(config_json.clone())).await;
    let other = StaticServer::start_serving(site.path(), None, Some(config_json)).await;
    let allowed_origin = format!("http://{}", allowed.addr);
    let mut config = config_for(&vendors);
    config.egress = egress(None, Some(pki.write_ca(dir.path())));
    config.allow_origins = vec![allowed_origin.clone()];
    let gateway = Gateway::start_on(listener, config).await;
    let b = Browser::start().await;

    connect_both(&b, &allowed_origin).await;
    b.client
        .goto(&format!("{allowed_origin}/connect?next={HQ}"))
        .await
        .unwrap();
    b.fill("#access-key-id", KEY_ID).await;
    b.fill("#access-key-secret", KEY_SECRET).await;
    b.click("#connect-aliyun").await;
    b.wait_for_url_ending(HQ).await;
    b.wait_users(120).await;
    b.client
        .goto(&format!("{allowed_origin}/connect"))
        .await
        .unwrap();
    b.fill("#secret-id", TENCENT_ID).await;
    b.fill("#secret-key", TENCENT_KEY).await;
    b.click("#connect-tencent").await;
    b.wait_for_url_ending("/cam").await;
    b.wait_count("#cam-users tbody tr", 12).await;
    let reached = vendors.log().len();
    assert!(reached > 0);

    // A page of an origin the gateway was not told of: nothing forwarded.
    b.client
        .goto(&format!("http://{}/connect", other.addr))
        .await
        .unwrap();
    b.fill("#access-key-id", KEY_ID).await;
    b.fill("#access-key-secret", KEY_SECRET).await;
    b.click("#connect-aliyun").await;
    b.wait_js(
        "document.querySelector('#connection-result .error-panel') !== null",
        "the connection test fails",
    )
    .await;
    assert_eq!(vendors.log().len(), reached, "nothing reached the vendors");
    b.close().await;
    gateway.stop().await;
    allowed.stop();
    other.stop();
}
