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

/// Addresses whose region or instance is not of the vendor's form (path
/// traversal, an encoded line break) show the not-found page and send
/// nothing, even with remembered keys; the fetches a page makes all stay
/// under `/api/aliyun/<a configured region>/`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_regions_and_instances_in_the_address_send_nothing() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.connect(true).await;
    b.wait_text("#instances", "Shanghai HQ").await;
    let fetched_outside = "return performance.getEntriesByType('resource')\
        .filter(e => e.initiatorType === 'fetch')\
        .map(e => new URL(e.name).pathname)\
        .filter(p => p !== '/config.json' && !/^\\/api\\/aliyun\\/(cn-shanghai|cn-hongkong|ap-southeast-[1235]|eu-central-1)\\/$/.test(p))\
        .filter(p => !/^\\/(split|chunk)_[a-z0-9_]+-[0-9a-f]{16}\\.wasm$/.test(p))"; // the console's own parts (src/shell/parts.rs)
    for address in [
        "/sag?region=..%2F..%2Fapi%2Ftencent",
        "/sag?region=..%2F..%2F..%2Fother-app%2Fhook",
        "/sag?region=cn-shanghai%2F..%2F..%2Fapi%2Ftencent",
        "/sag?region=%2E%2E",
        "/sag/..%2F..%2Fapi%2Ftencent/sag-app-hq01",
        "/sag/cn-shanghai%2F..%2F..%2Fapi%2Ftencent/sag-app-hq01/new",
        "/sag/%2E%2E/sag-app-hq01/online",
        "/sag/CN-SHANGHAI/sag-app-hq01",
        "/sag/cn-shanghai/sag-x%0Aresource%20%22terraform_data%22%20%22x%22%20%7B%7D",
        "/sag/cn-shanghai/..%2F..%2Fapi%2Ftencent",
        "/sag/cn-shanghai/sag-app-hq01%2F..%2F..%2Fx/import",
    ] {
        stack.control("DELETE", "requests", json!(null)).await;
        stack.goto(address).await;
        b.wait_text("main h1", "Page not found").await;
        // Give a stray request time to leave.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(b.js(fetched_outside).await, json!([]), "{address}");
        assert_eq!(
            stack.requests().await.len(),
            0,
            "{address}: nothing reached the emulator"
        );
        assert_eq!(b.count("#export-terraform").await, 0, "{address}");
    }
    // A region of the vendor's form that config.json does not list may be
    // typed by hand; the configured ones work as before.
    stack.goto("/sag?region=cn-beijing").await;
    b.wait_text("main", "cn-beijing").await;
    assert_eq!(
        b.count("#region").await,
        1,
        "the instance picker, not the not-found page"
    );
    stack.goto(support::HQ).await;
    b.wait_users(120).await;
    assert_eq!(b.js(fetched_outside).await, json!([]));
    stack.stop().await;
}

/// Remembered keys are sealed, last as long as the admin chose, and are
/// wiped unread once that time is over, once changed, or when an earlier
/// version left them in plain text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remembered_keys_are_sealed_and_end_when_the_admin_chose() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    let entry = "return localStorage.getItem('sag-console.credentials.v2')";
    // An earlier version's plain-text keys are wiped at start.
    stack.goto("/connect").await;
    b.js("localStorage.setItem('sag-console.credentials.v1', JSON.stringify({access_key_id: 'LTAIold', access_key_secret: 'old-secret'})); return true").await;
    stack.goto("/connect").await;
    b.wait_js(
        "localStorage.getItem('sag-console.credentials.v1') === null",
        "the plain-text keys wiped",
    )
    .await;
    b.wait_text("#connection-state", "Not connected").await;

    // Remembered for 7 days: sealed, and unsealed again after a reload.
    b.fill("#access-key-id", KEY_ID).await;
    b.fill("#access-key-secret", KEY_SECRET).await;
    b.click("#remember").await;
    b.wait_text("#remember-warning", "stored encrypted").await;
    assert_eq!(
        b.count("#remember-shared-origin").await,
        0,
        "served at the root"
    );
    b.js("const s = document.querySelector('#remember-for'); s.value = '168'; s.dispatchEvent(new Event('change')); return true").await;
    b.click("button[type=submit]").await;
    b.wait_for_url_ending("/sag").await;
    let stored = b.js(entry).await;
    let stored = stored.as_str().expect("remembered").to_owned();
    assert!(
        !stored.contains(KEY_ID) && !stored.contains(KEY_SECRET),
        "{stored}"
    );
    let left = b
        .js("return parseInt(localStorage.getItem('sag-console.credentials.v2').split(' ')[1]) - Date.now() / 1000")
        .await;
    let left = left.as_f64().unwrap();
    assert!(
        (7.0 * 86_400.0 - left).abs() < 120.0,
        "about 7 days: {left} s"
    );
    stack.goto(support::HQ).await;
    b.wait_users(120).await;
    stack.navigate("/connect").await;
    b.wait_text("#remember-until", "Remembered on this device until")
        .await;
    assert_eq!(b.value_of("#access-key-id").await, KEY_ID);

    // A changed byte: of no use, wiped, nothing sent.
    b.js("const e = localStorage.getItem('sag-console.credentials.v2').split(' '); const c = e[2][40] === 'a' ? 'b' : 'a'; e[2] = e[2].slice(0, 40) + c + e[2].slice(41); localStorage.setItem('sag-console.credentials.v2', e.join(' ')); return true").await;
    stack.control("DELETE", "requests", json!(null)).await;
    stack.goto(support::HQ).await;
    b.wait_text("#needs-connection", "Connect first").await;
    assert_eq!(b.js(entry).await, json!(null));

    // Past its end: wiped at start, unread. (The instance list Connect
    // leads to has asked for its instances before the log is cleared.)
    stack.connect(true).await;
    b.wait_text("#instances", "Shanghai HQ").await;
    b.js("const e = localStorage.getItem('sag-console.credentials.v2').split(' '); e[1] = String(Math.floor(Date.now() / 1000) - 1); localStorage.setItem('sag-console.credentials.v2', e.join(' ')); return true").await;
    stack.control("DELETE", "requests", json!(null)).await;
    stack.goto(support::HQ).await;
    b.wait_text("#needs-connection", "Connect first").await;
    assert_eq!(b.js(entry).await, json!(null));
    assert_eq!(stack.requests().await.len(), 0, "nothing was sent");
    stack.stop().await;
}
