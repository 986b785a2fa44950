//! End-to-end tests of the Settings page's safety (issue 9): where Connect
//! may lead, a Forget that wins over a test still running, Forget in one tab
//! forgetting in the others, and a secret field that password managers are
//! told to leave alone.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use serde_json::json;
use support::{Stack, KEY_ID, KEY_SECRET};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_never_leads_off_the_site() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    for next in [
        "//evil.example",
        "/%5Cevil.example",
        "/sagevil",
        "https://evil.example/sag",
    ] {
        stack.goto(&format!("/connect?next={next}")).await;
        b.fill("#access-key-id", KEY_ID).await;
        b.fill("#access-key-secret", KEY_SECRET).await;
        b.click("button[type=submit]").await;
        b.wait_for_url_ending("/sag").await;
        let here = b.js("return location.origin + location.pathname").await;
        assert_eq!(here, json!(stack.url("/sag")), "next={next}");
    }
    // A page of this console under the area is where Connect goes.
    stack
        .goto("/connect?next=/sag/cn-shanghai/sag-app-hq01")
        .await;
    b.fill("#access-key-id", KEY_ID).await;
    b.fill("#access-key-secret", KEY_SECRET).await;
    b.click("button[type=submit]").await;
    b.wait_for_url_ending("/sag/cn-shanghai/sag-app-hq01").await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forget_while_a_test_is_running_leaves_the_console_disconnected() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.connect(false).await;
    stack.navigate("/connect").await;
    b.wait_text("#connection-state", "LTAI").await;
    // Every answer now takes 2 s: Connect again, then Forget before it ends.
    stack
        .control("PUT", "faults", json!({"latency_ms": [2000, 2000]}))
        .await;
    b.fill("#access-key-secret", KEY_SECRET).await;
    b.click("button[type=submit]").await;
    b.wait_text("#connection-result", "Testing the connection")
        .await;
    b.click("#forget").await;
    b.wait_text("#connection-state", "Not connected").await;
    // The test ends after the forget; the keys are not taken.
    b.wait_js(
        "!document.querySelector('#connection-result').textContent.includes('Testing')",
        "the test to end",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(b
        .text_of("#connection-state")
        .await
        .contains("Not connected"));
    assert_eq!(b.js("return location.pathname").await, json!("/connect"));
    stack.control("DELETE", "faults", json!(null)).await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forget_in_one_tab_forgets_in_the_others() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.connect(true).await;
    b.wait_text("#connection-state", "LTAI").await;
    let first = b.client.window().await.expect("this tab");
    let second = b.client.new_window(true).await.expect("a second tab");
    b.client
        .switch_to_window(second.handle)
        .await
        .expect("to the second tab");
    stack.goto("/connect").await;
    b.wait_text("#connection-state", "LTAI").await;
    b.click("#forget").await;
    b.wait_text("#connection-state", "Not connected").await;
    b.client
        .switch_to_window(first)
        .await
        .expect("back to the first tab");
    b.wait_text("#connection-state", "Not connected").await;
    assert_eq!(b.js("return localStorage.length").await, json!(0));
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secret_is_not_offered_to_password_managers() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.goto("/connect").await;
    b.find("#secret-key").await;
    for id in [
        "#access-key-id",
        "#access-key-secret",
        "#secret-id",
        "#secret-key",
    ] {
        let attrs = b
            .js(&format!(
                "const e = document.querySelector({id:?}); return [e.autocomplete, e.hasAttribute('data-1p-ignore'), e.getAttribute('data-lpignore')];"
            ))
            .await;
        assert_eq!(attrs, json!(["off", true, "true"]), "{id}");
    }
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_requests_carry_no_cookies_of_the_site() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.goto("/connect").await;
    // A cookie of the site the console is served from (an SSO session, say).
    b.js("document.cookie = 'corp_session=abc123; path=/'; return document.cookie;")
        .await;
    stack.connect(false).await;
    b.wait_text("#instances", "Shanghai HQ").await;
    assert_eq!(
        stack.server.ambient_credentials_seen(),
        0,
        "no Cookie or Authorization header reached the proxy"
    );
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_follow_the_router_but_leave_the_browser_what_is_its() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.connect(false).await;
    b.wait_text("#instances", "Shanghai HQ").await;
    // The skip link moves focus to the content and stays on the page: it
    // neither reloads (keys held only in memory would be lost) nor leaves.
    b.js("window.__same_document = true; return true;").await;
    // (It is off-screen until focused: focus it and activate it, as Tab
    // then Enter does.)
    b.js("const a = document.querySelector('a.skip'); a.focus(); a.click(); return true;")
        .await;
    b.wait_js(
        "document.activeElement && document.activeElement.id === 'main'",
        "focus on the content",
    )
    .await;
    assert_eq!(b.js("return location.pathname").await, json!("/sag"));
    assert_eq!(
        b.js("return window.__same_document === true").await,
        json!(true)
    );
    b.wait_text("#connection-state", "LTAI").await;
    // A console link is followed without loading a new document, and marks
    // itself as the current page; Back returns.
    b.click("nav a[href='/cam']").await;
    b.wait_for_url_ending("/cam").await;
    b.wait_text("#needs-connection", "Tencent Cloud").await;
    assert_eq!(
        b.js("return window.__same_document === true").await,
        json!(true)
    );
    assert_eq!(
        b.js("return document.querySelector(\"nav a[href='/cam']\").getAttribute('aria-current')")
            .await,
        json!("page")
    );
    assert_eq!(
        b.js("return document.querySelector(\"nav a[href='/sag']\").getAttribute('aria-current')")
            .await,
        json!(null)
    );
    b.js("history.back(); return true;").await;
    b.wait_for_url_ending("/sag").await;
    b.wait_text("#instances", "Shanghai HQ").await;
    assert_eq!(
        b.js("return window.__same_document === true").await,
        json!(true)
    );
    // A Ctrl-click is the browser's (a new tab): the router, listening on
    // the document, leaves it alone (the window, after it, stops the tab).
    let followed = b
        .js("const a = document.querySelector(\"nav a[href='/connect']\"); const e = new MouseEvent('click', {bubbles: true, cancelable: true, ctrlKey: true}); window.addEventListener('click', ev => ev.preventDefault(), {once: true}); a.dispatchEvent(e); return location.pathname;")
        .await;
    assert_eq!(followed, json!("/sag"));
    stack.stop().await;
}
