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
    let status = browser.text_of("#api-status.status-ok").await;
    assert!(status.contains("signing verified"), "status line: {status}");
    let title = browser.client.title().await.expect("title");
    assert_eq!(title, "SAG Console");
    let heading = browser.text_of("h1").await;
    assert!(
        heading.contains("SAG App client users"),
        "heading: {heading}"
    );
    browser.close().await;
}
