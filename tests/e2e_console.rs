//! End-to-end: the release build in headless Chromium, through a proxy with
//! the console's API paths, against the cloud emulator.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use support::{screenshot_path, Stack, HQ};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smoke() {
    let stack = Stack::start().await;
    stack.connect(false).await;
    stack.browser.wait_text("#instances", "Shanghai HQ").await;
    stack.navigate(HQ).await;
    stack.browser.wait_count("#users tbody tr", 120).await;
    stack
        .browser
        .screenshot(&screenshot_path("debug.png"))
        .await;
    stack.stop().await;
}
