//! The release build in `dist/` loads and renders in headless Chromium.
//! This catches a broken wasm-opt (Debian's binaryen 108 produces a wasm
//! that dies at load with an empty page) and a Content-Security-Policy that
//! blocks the loader.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use support::{dist_dir, Browser, StaticServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn release_build_renders_and_signs_in_chromium() {
    let server = StaticServer::start(&dist_dir()).await;
    let browser = Browser::start().await;
    browser
        .client
        .goto(&server.url("/"))
        .await
        .expect("open the console");
    // Without credentials the console opens Settings, which runs the signing self-check.
    let status = browser.text_of("#api-status.status-ok").await;
    assert!(
        status.contains("Alibaba Cloud requests are signed with ACS3-HMAC-SHA256, Tencent Cloud requests with TC3-HMAC-SHA256"),
        "status line: {status}"
    );
    let title = browser.client.title().await.expect("title");
    assert_eq!(title, "SAG Console");
    assert_eq!(browser.text_of("h1").await, "Settings");
    // The release configuration does not offer the emulator's demo keys.
    assert_eq!(browser.count("#fill-demo").await, 0);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_or_broken_config_gets_a_clear_page() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(dist_dir()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let browser = Browser::start().await;

    std::fs::remove_file(dir.path().join("config.json")).unwrap();
    let server = StaticServer::start(dir.path()).await;
    browser.client.goto(&server.url("/")).await.unwrap();
    let text = browser.text_of("#config-error").await;
    assert!(text.contains("The console is not configured"), "{text}");
    assert!(text.contains("config.json"), "{text}");

    std::fs::write(dir.path().join("config.json"), r#"{"aliyun": {"endpoint": "/api/", "regions": []}, "tencent": {"endpoint": "/t/", "sign_host": "cam.tencentcloudapi.com"}}"#).unwrap();
    browser.client.goto(&server.url("/")).await.unwrap();
    let text = browser.text_of("#config-error").await;
    assert!(text.contains("must contain {region}"), "{text}");
    assert!(text.contains("at least one region"), "{text}");

    std::fs::write(dir.path().join("config.json"), "{ not json").unwrap();
    browser.client.goto(&server.url("/")).await.unwrap();
    let text = browser.text_of("#config-error").await;
    assert!(text.contains("config.json is not valid"), "{text}");
    browser.close().await;
}
