//! End-to-end: the release build in headless Chromium, through a proxy with
//! the console's API paths (as a deployment has), against the cloud emulator.
//! The README's screenshots are taken here.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::time::Duration;

use sag_api::smartag::{CreateClientUser, DescribeUserOnlineClients};
use serde_json::json;
use support::{screenshot_path, Stack, HQ, KEY_ID, KEY_SECRET};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn fresh_user(name: &str) -> CreateClientUser {
    CreateClientUser {
        region_id: "cn-shanghai".into(),
        smart_ag_id: "sag-app-hq01".into(),
        user_mail: format!("{name}@example.com"),
        bandwidth_kbps: 1000,
        credentials: Some((name.into(), sag_api::Secret::new("Passw0rd_1"))),
        client_ip: None,
    }
}

fn row(name: &str) -> String {
    format!("tr[data-user=\"{name}\"]")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_with_good_and_wrong_credentials() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.goto("/").await;
    b.wait_for_url_ending("/connect").await;
    assert_eq!(b.text_of("h1").await, "Settings");

    b.fill("#access-key-id", "LTAInobody").await;
    b.fill("#access-key-secret", "whatever").await;
    b.click("button[type=submit]").await;
    b.wait_text("#connection-result", "This AccessKey ID does not exist.")
        .await;
    b.wait_text("#connection-result", "InvalidAccessKeyId.NotFound")
        .await;

    b.fill("#access-key-id", KEY_ID).await;
    b.fill("#access-key-secret", "not-the-secret").await;
    b.click("button[type=submit]").await;
    let text = b
        .wait_text("#connection-result", "The AccessKey secret is wrong")
        .await;
    assert!(text.contains("SignatureDoesNotMatch"), "{text}");
    assert_eq!(
        b.value_of("#access-key-secret").await,
        "not-the-secret",
        "nothing typed is lost"
    );
    assert!(b.js("return location.pathname").await == json!("/connect"));

    // The browser clock 20 minutes behind the server's.
    stack
        .control("PUT", "clock", json!({"unix_seconds": now() + 20 * 60}))
        .await;
    b.fill("#access-key-secret", KEY_SECRET).await;
    b.click("#test-connection").await;
    b.wait_text("#connection-result", "20 minutes behind").await;
    stack
        .control("PUT", "clock", json!({"unix_seconds": null}))
        .await;
    b.click("#test-connection").await;
    let scheme = support::scheme_name("aliyun");
    b.wait_text(
        "#connection-result",
        &format!("accepted the request signed with {scheme}"),
    )
    .await;
    b.wait_text(
        "#api-status",
        &format!("Alibaba Cloud requests are signed with {scheme}"),
    )
    .await;

    b.click("button[type=submit]").await;
    b.wait_for_url_ending("/sag").await;
    b.wait_text("#connection-state", "LTAI").await;
    b.wait_text("#instances", "Shanghai HQ").await;
    assert_eq!(
        b.js("return localStorage.length").await,
        json!(0),
        "nothing stored without opting in"
    );

    stack.navigate("/connect").await;
    b.click("#forget").await;
    b.wait_text("#connection-state", "Not connected").await;
    assert_eq!(b.value_of("#access-key-secret").await, "");
    stack.stop().await;
}

/// config.json makes the console sign a host the proxy does not forward
/// with: V3 covers the host, so the refusal names it (v1 does not sign it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_host_the_proxy_does_not_send_is_named() {
    let stack = Stack::start_configured(cloud_emulator::Config::default(), |config| {
        config["aliyun"]["signature"] = json!("v3");
        config["aliyun"]["sign_host"] = json!("smartag.{region}.example.internal");
    })
    .await;
    let b = &stack.browser;
    stack.goto("/connect").await;
    b.fill("#access-key-id", KEY_ID).await;
    b.fill("#access-key-secret", KEY_SECRET).await;
    b.click("#test-connection").await;
    let text = b
        .wait_text(
            "#connection-result",
            "the proxy forwards with a different Host",
        )
        .await;
    assert!(text.contains("SignatureDoesNotMatch"), "{text}");
    let details = b
        .js("return document.querySelector('#connection-result .error-details').textContent")
        .await;
    assert!(
        details.as_str().unwrap().contains(
            "Signed header host: the console signed \"smartag.cn-shanghai.example.internal\", the server received \"smartag.cn-shanghai.aliyuncs.com\""
        ),
        "{details}"
    );
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_list_search_sort_and_bookmarks() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.connect(true).await;
    let table = b.wait_text("#instances", "Shanghai Lab").await;
    assert!(
        table.contains("10.10.0.0/20") && table.contains("200"),
        "{table}"
    );
    b.js("const s = document.querySelector('#region'); s.value = 'ap-southeast-1'; s.dispatchEvent(new Event('change', {bubbles: true})); return true;").await;
    b.wait_text("#instances", "Singapore Office").await;
    assert!(b
        .js("return location.search")
        .await
        .as_str()
        .unwrap()
        .contains("region=ap-southeast-1"));
    b.client.back().await.unwrap();
    b.wait_text("#instances", "Shanghai HQ").await;

    stack.navigate(HQ).await;
    b.wait_users(120).await;
    b.wait_text("#user-count", "120 users of 200 allowed").await;
    b.wait_js(
        "[...document.querySelectorAll('.online-cell')].some(c => c.innerText.includes('online'))",
        "online counts",
    )
    .await;
    // Who is online first, for the README's picture.
    b.click("th:nth-child(7) button").await;
    b.click("th:nth-child(7) button").await;
    b.wait_js(
        "location.search.includes('sort=online')",
        "sorted by online",
    )
    .await;
    b.wait_js("document.querySelector('#users tbody tr[data-user] .online-cell').innerText.includes('online')", "online users first").await;
    b.screenshot(&screenshot_path("users.png")).await;

    b.fill("#search", "grace").await;
    b.wait_users(6).await;
    b.wait_js("location.search.includes('q=grace')", "search in the URL")
        .await;
    b.click("th:nth-child(4) button").await; // Bandwidth
    b.click("th:nth-child(4) button").await; // descending
    b.wait_js(
        "location.search.includes('sort=bandwidth') && location.search.includes('dir=desc')",
        "sort in the URL",
    )
    .await;
    let first = b
        .text_of("#users tbody tr[data-user] td:nth-child(4)")
        .await;
    assert_eq!(first, "4000 Kbit/s");
    assert_eq!(
        b.js("return document.querySelector('th:nth-child(4)').getAttribute('aria-sort')")
            .await,
        json!("descending")
    );

    // A bookmark (a fresh load of the URL) shows the same view.
    let url = b
        .js("return location.pathname + location.search")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    stack.goto(&url).await;
    b.wait_users(6).await;
    assert_eq!(b.value_of("#search").await, "grace");
    assert_eq!(
        b.text_of("#users tbody tr[data-user] td:nth-child(4)")
            .await,
        "4000 Kbit/s"
    );
    // Search by IP.
    b.fill("#search", "10.10.1.13").await;
    b.wait_users(1).await;

    // 768 px wide: the page does not overflow sideways.
    b.fill("#search", "").await;
    b.wait_users(120).await;
    b.client.set_window_size(768, 900).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let overflow = b
        .js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        .await;
    assert!(
        overflow.as_i64().unwrap_or(1) <= 0,
        "the page is wider than 768 px by {overflow}"
    );
    b.screenshot(&screenshot_path("../../target/users-768.png"))
        .await;

    // Remembered credentials are in local storage, sealed: neither the key
    // ID nor the secret can be read there; "Forget" wipes them.
    let stored = b
        .js("return localStorage.getItem('sag-console.credentials.v2') || ''")
        .await;
    let stored = stored.as_str().unwrap();
    assert!(stored.starts_with("v2 "), "remembered on request: {stored}");
    assert!(
        !stored.contains(KEY_ID) && !stored.contains(KEY_SECRET),
        "{stored}"
    );
    stack.navigate("/connect").await;
    b.click("#forget").await;
    b.wait_text("#connection-state", "Not connected").await;
    assert_eq!(
        b.js("return localStorage.getItem('sag-console.credentials.v2')")
            .await,
        json!(null)
    );
    stack.goto(HQ).await;
    b.wait_text("#needs-connection", "Connect first").await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_with_every_kind_of_invalid_input_then_a_valid_one() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.connect(false).await;
    stack.navigate(&format!("{HQ}/new")).await;
    b.wait_text("#create-ip-hint", "10.10.0.0/20").await;

    b.click("#create-submit").await;
    b.wait_text("#create-email-error", "Enter an email address")
        .await;
    assert_eq!(
        b.js("return document.activeElement.id").await,
        json!("create-email")
    );

    b.fill("#create-email", "not-an-email").await;
    b.fill("#create-bandwidth", "2001").await;
    b.fill("#create-username", "ab").await;
    b.fill("#create-ip", "10.20.0.1").await;
    b.click("#create-submit").await;
    b.wait_text("#create-email-error", "name@example.com").await;
    b.wait_text("#create-bandwidth-error", "at most 2000").await;
    b.wait_text("#create-username-error", "7 to 33 characters")
        .await;
    b.wait_text("#create-password-error", "go together").await;
    b.wait_text(
        "#create-ip-error",
        "outside the instance's client CIDR 10.10.0.0/20",
    )
    .await;
    assert_eq!(
        b.js("return document.activeElement.id").await,
        json!("create-email")
    );
    b.js("window.scrollTo(0, 0); return true;").await;
    b.screenshot(&screenshot_path("create.png")).await;

    b.fill("#create-email", "e2e.user01@example.com").await;
    b.fill("#create-bandwidth", "1000").await;
    b.fill("#create-username", "alice.wang00").await;
    b.fill("#create-password", "Passw0rd_1").await;
    b.fill("#create-ip", "").await;
    b.click("#create-submit").await;
    b.wait_text("#create-username-error", "ClientUser.UserExist")
        .await;
    assert_eq!(
        b.js("return document.activeElement.id").await,
        json!("create-username")
    );
    assert_eq!(
        b.value_of("#create-email").await,
        "e2e.user01@example.com",
        "values are kept"
    );
    assert_eq!(b.value_of("#create-password").await, "Passw0rd_1");

    b.fill("#create-username", "e2e.user01").await;
    b.fill("#create-ip", "10.10.1.13").await; // a demo user's static IP
    b.click("#create-submit").await;
    b.wait_text("#create-ip-error", "ClientUser.IpInvalid")
        .await;

    b.fill("#create-ip", "10.10.9.9").await;
    b.click("#create-submit").await;
    b.wait_for_url_ending("/sag/cn-shanghai/sag-app-hq01").await;
    b.wait_text(".notices", "Created e2e.user01").await;
    b.wait_users(121).await;
    // The notice never covers a control: not the new row's buttons, not any other.
    b.click(&format!("{} .row-actions button.danger", row("e2e.user01")))
        .await;
    b.wait_text(".dialog", "Delete e2e.user01?").await;
    b.find(".dialog button.secondary:last-child")
        .await
        .click()
        .await
        .unwrap();
    b.wait_count(".dialog", 0).await;
    b.wait_text(".notices", "Created e2e.user01").await;
    for scroll in [
        "0",
        "document.body.scrollHeight / 2",
        "document.body.scrollHeight",
    ] {
        let covered = b
            .js(&format!(
                "window.scrollTo(0, {scroll});
                 const controls = [...document.querySelectorAll('button, a[href], input, select')].filter(e => {{
                   const r = e.getBoundingClientRect();
                   // Rows scrolled out of the table's own box are clipped, not covered.
                   const wrap = e.closest('.table-wrap');
                   const w = wrap ? wrap.getBoundingClientRect() : {{top: 0, bottom: innerHeight}};
                   return r.width > 0 && r.height > 0 && r.top >= Math.max(0, w.top) && r.bottom <= Math.min(innerHeight, w.bottom) && !e.closest('.notices');
                 }});
                 return controls.filter(e => {{
                   const r = e.getBoundingClientRect();
                   const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                   return top && top.closest('.notices');
                 }}).map(e => e.outerHTML.slice(0, 80));"
            ))
            .await;
        assert_eq!(covered, json!([]), "controls under a notice");
    }
    let created = b.text_of(&row("e2e.user01")).await;
    assert!(
        created.contains("10.10.9.9")
            && created.contains("static")
            && created.contains("1000 Kbit/s"),
        "{created}"
    );
    stack.assert_signed_as_configured().await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_one_and_several_disable_and_enable() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    for name in ["e2e.del01", "e2e.del02", "e2e.del03"] {
        stack.api(&fresh_user(name)).await.unwrap();
    }
    stack.connect(false).await;
    stack.navigate(HQ).await;
    b.wait_users(123).await;

    let grace = row("grace.wang06");
    b.show_user("grace.wang06").await;
    b.click(&format!("{grace} .row-actions button:first-child"))
        .await;
    b.wait_text(&grace, "disabled").await;
    b.click(&format!("{grace} .row-actions button:first-child"))
        .await;
    b.wait_text(&grace, "enabled").await;

    // The dialog: focus inside, Escape closes and gives focus back.
    b.show_user("e2e.del01").await;
    b.click("button[aria-label=\"Delete e2e.del01\"]").await;
    b.wait_text(".dialog", "Delete e2e.del01?").await;
    b.wait_text(".dialog", "billing month").await;
    assert_eq!(
        b.js("return document.activeElement.id").await,
        json!("confirm-delete")
    );
    b.find("#confirm-delete")
        .await
        .send_keys("\u{E00C}")
        .await
        .unwrap(); // Escape
    b.wait_count(".dialog", 0).await;
    assert_eq!(
        b.js("return document.activeElement.getAttribute('aria-label')")
            .await,
        json!("Delete e2e.del01")
    );
    b.click("button[aria-label=\"Delete e2e.del01\"]").await;
    b.click("#confirm-delete").await;
    b.wait_count(&row("e2e.del01"), 0).await;
    b.wait_users(122).await;

    // A user who used data this month stays, with the reason on its row.
    b.show_user("alice.wang00").await;
    b.click("button[aria-label=\"Delete alice.wang00\"]").await;
    b.click("#confirm-delete").await;
    b.wait_text(
        &format!("{} .row-error", row("alice.wang00")),
        "Used data this billing month",
    )
    .await;

    for name in ["e2e.del02", "e2e.del03", "alice.wang00"] {
        b.show_user(name).await;
        b.click(&format!("{} input[type=checkbox]", row(name)))
            .await;
    }
    b.wait_text("#delete-selected", "Delete selected (3)").await;
    b.click("#delete-selected").await;
    b.wait_text(".dialog", "Delete 3 users?").await;
    b.click("#confirm-delete").await;
    let summary = b.wait_text("#bulk-summary", "Deleted 2 users").await;
    assert!(
        summary.contains("1 failed: alice.wang00 (Used data this billing month"),
        "{summary}"
    );
    b.wait_users(120).await;

    // A bulk run can be stopped: the user being deleted finishes, nothing
    // more is sent, and the summary names the users not done.
    for i in 1..=5 {
        stack
            .api(&fresh_user(&format!("e2e.stop0{i}")))
            .await
            .unwrap();
    }
    b.click("#reload").await;
    b.wait_users(125).await;
    stack
        .control(
            "PUT",
            "faults",
            json!({"latency_ms": [800, 800], "actions": ["DeleteSmartAccessGatewayClientUser"]}),
        )
        .await;
    b.fill("#search", "e2e.stop").await;
    b.wait_count("#users tr[data-user]", 5).await;
    b.click("#users thead input[type=checkbox]").await;
    b.wait_text("#delete-selected", "Delete selected (5)").await;
    b.click("#delete-selected").await;
    b.click("#confirm-delete").await;
    b.wait_text("#bulk-summary", "Deleting 2 of 5").await;
    b.click("#bulk-stop").await;
    let summary = b.wait_text("#bulk-summary", "Stopped:").await;
    assert!(summary.contains("Deleted 2 users."), "{summary}");
    assert!(
        summary.contains("3 not done: e2e.stop03; e2e.stop04; e2e.stop05"),
        "{summary}"
    );
    assert_eq!(b.count("#bulk-stop").await, 0, "the run is over");
    stack.control("DELETE", "faults", json!(null)).await;
    let deletes = stack
        .requests()
        .await
        .into_iter()
        .filter(|r| r.0 == "DeleteSmartAccessGatewayClientUser")
        .count();
    let left: Vec<String> = {
        let inner = stack.emulator.shared.lock();
        let hq = inner
            .world
            .instances
            .iter()
            .find(|i| i.id == "sag-app-hq01")
            .unwrap();
        hq.users
            .iter()
            .map(|u| u.user_name.clone())
            .filter(|n| n.starts_with("e2e.stop"))
            .collect()
    };
    assert_eq!(
        left,
        ["e2e.stop03", "e2e.stop04", "e2e.stop05"],
        "{deletes} deletes in the log"
    );
    b.fill("#search", "").await;
    b.wait_users(123).await;

    // "Disable instead", offered right in the dialog.
    b.show_user("alice.wang00").await;
    b.click("button[aria-label=\"Delete alice.wang00\"]").await;
    b.click("#disable-instead").await;
    b.wait_text(&row("alice.wang00"), "disabled").await;
    stack.assert_signed_as_configured().await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_view_follows_clients_and_kicks_them_out() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.control("POST", "online", json!({"smart_ag_id": "sag-app-hq01", "user_name": "irene.wang08", "client_ip": "10.10.5.5", "online_time": now() - 3725})).await;
    stack.connect(false).await;
    stack.navigate(&format!("{HQ}/online")).await;
    let irene = b.wait_text(&row("irene.wang08"), "10.10.5.5").await;
    assert!(irene.contains("1 h 02 min"), "{irene}");
    b.wait_text("#updated", "updated").await;
    b.screenshot(&screenshot_path("online.png")).await;

    b.js("const s = document.querySelector('#refresh-interval'); s.value = '5'; s.dispatchEvent(new Event('change', {bubbles: true})); return true;").await;
    assert_eq!(
        b.js("return localStorage.getItem('sag-console.online-interval')")
            .await,
        json!("5")
    );

    // A client that connects shows up by itself.
    stack.control("POST", "online", json!({"smart_ag_id": "sag-app-hq01", "user_name": "liam.wang11", "client_ip": "10.10.5.6"})).await;
    b.wait_text(&row("liam.wang11"), "10.10.5.6").await;

    // Search and sort, kept in the URL like the other lists.
    let everyone = b.count("#online tbody tr[data-user]").await;
    assert!(everyone > 2, "{everyone} clients online");
    b.fill("#online-search", "liam").await;
    b.wait_count("#online tbody tr[data-user]", 1).await;
    b.wait_count(&row("liam.wang11"), 1).await;
    b.fill("#online-search", "nobody-here").await;
    b.wait_text("#nobody-online", "No client online matches the search")
        .await;
    b.fill("#online-search", "").await;
    b.wait_count("#online tbody tr[data-user]", everyone).await;
    b.click("#online th:nth-child(4) button").await; // For: shortest first
    b.wait_js("location.search.includes('sort=for')", "sort in the URL")
        .await;
    assert_eq!(
        b.text_of("#online tbody tr:first-child td:first-child")
            .await,
        "liam.wang11",
        "the client that just connected has been online the shortest"
    );

    b.click("button[aria-label=\"Kick out irene.wang08\"]")
        .await;
    b.wait_text(".dialog", "Kick out irene.wang08?").await;
    b.click("#confirm-kick").await;
    b.wait_count(&row("irene.wang08"), 0).await;
    let left = stack
        .api(&DescribeUserOnlineClients {
            region_id: "cn-shanghai".into(),
            smart_ag_id: "sag-app-hq01".into(),
            user_name: "irene.wang08".into(),
        })
        .await
        .unwrap();
    assert!(
        left.users.is_empty(),
        "the emulator took irene's clients offline"
    );

    // A client that goes offline drops out by itself.
    stack
        .control(
            "POST",
            "offline",
            json!({"smart_ag_id": "sag-app-hq01", "user_name": "liam.wang11"}),
        )
        .await;
    b.wait_count(&row("liam.wang11"), 0).await;

    // Hidden tab: polling stops.
    b.js("Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true}); return true;").await;
    b.wait_text("#updated", "paused while the tab is hidden")
        .await;
    // A refresh already under way may finish; then nothing more is sent.
    b.wait_js(
        "!document.querySelector('#updated').innerText.includes('refreshing')",
        "the last refresh to end",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    stack.control("DELETE", "requests", json!(null)).await;
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert!(stack.requests().await.is_empty(), "no request while hidden");
    b.js("Object.defineProperty(document, 'visibilityState', {value: 'visible', configurable: true}); return true;").await;
    b.wait_js("document.querySelector('#updated').innerText.includes('updated') && !document.querySelector('#updated').innerText.includes('hidden')", "polling resumes").await;

    // Errors: the last good rows stay, the page says when it retries, and it recovers.
    stack.control("POST", "online", json!({"smart_ag_id": "sag-app-hq01", "user_name": "mia.wang12", "client_ip": "10.10.5.7"})).await;
    b.wait_text(&row("mia.wang12"), "10.10.5.7").await;
    stack.control("PUT", "faults", json!({"error_rate": 1.0, "actions": ["DescribeSmartAccessGatewayClientUsers"], "count": 4})).await;
    b.click("#refresh-now").await;
    let panel = b
        .wait_text(".error-panel", "Refresh failed. Retrying in")
        .await;
    assert!(panel.contains("ServiceUnavailable"), "{panel}");
    assert_eq!(
        b.count(&row("mia.wang12")).await,
        1,
        "the last good data stays on screen"
    );
    b.wait_count(".error-panel", 0).await;
    b.wait_text(&row("mia.wang12"), "10.10.5.7").await;
    stack.assert_signed_as_configured().await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_end_in_a_correct_state_or_a_clear_message() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.api(&fresh_user("e2e.fault1")).await.unwrap();
    stack.connect(false).await;

    // Throttled reads are retried (re-signed) until they pass.
    stack.control("PUT", "faults", json!({"throttle_rate": 1.0, "actions": ["DescribeSmartAccessGatewayClientUsers"], "count": 2})).await;
    stack.control("DELETE", "requests", json!(null)).await;
    stack.navigate(HQ).await;
    b.wait_users(121).await;
    let throttled = stack
        .requests()
        .await
        .iter()
        .filter(|(a, o, _)| a == "DescribeSmartAccessGatewayClientUsers" && o == "Throttling.User")
        .count();
    assert_eq!(throttled, 2);

    // Latency everywhere: slower, still right.
    stack
        .control("PUT", "faults", json!({"latency_ms": [200, 400]}))
        .await;
    b.click("#reload").await;
    b.wait_users(121).await;

    // A 5xx on a delete: not retried behind the admin's back; the row stays with the reason.
    stack.control("PUT", "faults", json!({"error_rate": 1.0, "actions": ["DeleteSmartAccessGatewayClientUser"], "count": 1})).await;
    stack.control("DELETE", "requests", json!(null)).await;
    b.click("button[aria-label=\"Delete e2e.fault1\"]").await;
    b.click("#confirm-delete").await;
    b.wait_text(
        &format!("{} .row-error", row("e2e.fault1")),
        "ServiceUnavailable",
    )
    .await;
    let deletes = stack
        .requests()
        .await
        .iter()
        .filter(|(a, _, _)| a == "DeleteSmartAccessGatewayClientUser")
        .count();
    assert_eq!(deletes, 1, "a delete is sent once");
    b.click("button[aria-label=\"Delete e2e.fault1\"]").await;
    b.click("#confirm-delete").await;
    b.wait_count(&row("e2e.fault1"), 0).await;

    // A create whose answer is lost: the console looks before saying anything.
    stack.control("PUT", "faults", json!({"malformed_rate": 1.0, "actions": ["CreateSmartAccessGatewayClientUser"], "count": 1})).await;
    stack.control("DELETE", "requests", json!(null)).await;
    stack.navigate(&format!("{HQ}/new")).await;
    b.fill("#create-email", "e2e.fault2@example.com").await;
    b.fill("#create-username", "e2e.fault2").await;
    b.fill("#create-password", "Passw0rd_1").await;
    b.click("#create-submit").await;
    b.wait_text(
        ".notices",
        "the answer was lost, but the list shows the user exists",
    )
    .await;
    b.wait_count(&row("e2e.fault2"), 1).await;
    let creates = stack
        .requests()
        .await
        .iter()
        .filter(|(a, _, _)| a == "CreateSmartAccessGatewayClientUser")
        .count();
    assert_eq!(creates, 1, "a create is never sent twice");

    // A 5xx on a create: a clear message, every typed value kept, then a retry by the admin.
    stack.control("PUT", "faults", json!({"error_rate": 1.0, "actions": ["CreateSmartAccessGatewayClientUser"], "count": 1})).await;
    stack.navigate(&format!("{HQ}/new")).await;
    b.fill("#create-email", "e2e.fault3@example.com").await;
    b.fill("#create-bandwidth", "777").await;
    b.click("#create-submit").await;
    b.wait_text("#create-result", "temporarily unavailable")
        .await;
    b.wait_text("#create-result", "ServiceUnavailable").await;
    assert_eq!(b.value_of("#create-email").await, "e2e.fault3@example.com");
    assert_eq!(b.value_of("#create-bandwidth").await, "777");
    b.click("#create-submit").await;
    b.wait_text(".notices", "Created e2e.fault3@example.com")
        .await;

    // A create whose answer is lost and whose lookup fails too: the console
    // says it cannot tell, and offers to check again.
    stack.control("PUT", "faults", json!({"malformed_rate": 1.0, "actions": ["CreateSmartAccessGatewayClientUser", "DescribeSmartAccessGatewayClientUsers"], "count": 10})).await;
    stack.navigate(&format!("{HQ}/new")).await;
    b.fill("#create-email", "e2e.fault4@example.com").await;
    b.fill("#create-username", "e2e.fault4").await;
    b.fill("#create-password", "Passw0rd_1").await;
    b.click("#create-submit").await;
    // While the lookup runs (its reads retried), the page says it is checking.
    b.wait_text(
        "#create-result",
        "Checking in the list whether e2e.fault4 was created",
    )
    .await;
    assert_eq!(b.text_of("#create-submit").await, "Checking…");
    b.wait_text(
        "#create-result",
        "it is not known whether e2e.fault4 was created",
    )
    .await;
    b.wait_text(
        "#create-result",
        "It is not known whether the user was created",
    )
    .await;
    stack.control("DELETE", "faults", json!(null)).await;
    b.click("#check-again").await;
    b.wait_text(
        ".notices",
        "Created e2e.fault4 (e2e.fault4@example.com): checked in the list",
    )
    .await;
    b.wait_count(&row("e2e.fault4"), 1).await;

    // Reads failing past every retry (HTML error pages and cut-off bodies): a clear message, then recovery.
    stack.control("PUT", "faults", json!({"malformed_rate": 1.0, "actions": ["DescribeSmartAccessGatewayClientUsers"], "count": 20})).await;
    b.click("#reload").await;
    b.wait_js(
        "document.querySelector('.error-panel') && /proxy answered HTTP 502|cut off/.test(document.querySelector('.error-panel').innerText)",
        "a clear message for the broken answers",
    )
    .await;
    assert!(b
        .text_of(".error-panel")
        .await
        .contains("Could not load the users"));
    stack.control("DELETE", "faults", json!(null)).await;
    b.click("#reload").await;
    b.wait_users(123).await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_cloud_or_proxy_is_named() {
    let mut stack = Stack::start().await;
    stack.connect(false).await;
    stack.navigate(HQ).await;
    stack.browser.wait_users(120).await;

    // The cloud is gone: the proxy answers with its own 502 page (after the retries).
    stack.emulator.shutdown_now();
    stack.browser.click("#reload").await;
    let text = stack
        .browser
        .wait_text(
            ".error-panel",
            "The proxy answered HTTP 502 with its own page",
        )
        .await;
    assert!(text.contains("502 Bad Gateway"), "{text}");

    // The proxy is gone too: the request never gets anywhere.
    stack.server.stop();
    tokio::time::sleep(Duration::from_millis(200)).await;
    stack.browser.click("#reload").await;
    stack
        .browser
        .wait_text(".error-panel", "Cannot reach the proxy")
        .await;
    stack.browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_big_instance_is_listed_whole_but_only_the_rows_on_screen_are_drawn() {
    // A service that serves 50 users a page whatever is asked (and says so).
    let stack = Stack::start_with(cloud_emulator::Config {
        seed: cloud_emulator::Seed::Big(2000),
        user_page_cap: Some(50),
        ..cloud_emulator::Config::default()
    })
    .await;
    let b = &stack.browser;
    stack.connect(false).await;
    stack.control("DELETE", "requests", json!(null)).await;
    stack.navigate("/sag/cn-shanghai/sag-app-big01").await;
    b.wait_text("#user-count", "2000 users of 2000 allowed")
        .await;
    let pages = stack
        .requests()
        .await
        .iter()
        .filter(|(a, _, _)| a == "DescribeSmartAccessGatewayClientUsers")
        .count();
    assert_eq!(pages, 40, "every page once, 50 users a page");
    assert_eq!(
        b.count("#count-mismatch").await,
        0,
        "nothing lost, nothing to say"
    );
    assert_eq!(
        b.js("return document.querySelector('#users').getAttribute('aria-rowcount')")
            .await,
        json!("2001")
    );
    let drawn = b.count("#users tbody tr[data-user]").await;
    assert!((10..100).contains(&drawn), "{drawn} rows drawn");
    // The first user sits right under the header: no blank band above it.
    let gap = b
        .js("const h = document.querySelector('#users thead').getBoundingClientRect(); \
             const r = document.querySelector('#users tbody tr[data-user]').getBoundingClientRect(); \
             return r.top - h.bottom;")
        .await;
    assert!(
        gap.as_f64().unwrap().abs() < 2.0,
        "gap above the first row: {gap}"
    );

    // Keyboard: the scroll box takes focus, and ↓ walks down the rows in
    // the same column, the window following (30 rows is past the screen).
    assert_eq!(
        b.js("const w = document.querySelector('.table-wrap'); return [w.getAttribute('tabindex'), w.getAttribute('role'), w.getAttribute('aria-label')].join('|')")
            .await,
        json!("0|region|Client users")
    );
    b.press(
        "#users tbody tr[aria-rowindex=\"2\"] td.check input",
        &"\u{E015}".repeat(30),
    )
    .await;
    let focused = "const a = document.activeElement; return a.closest('tr').getAttribute('aria-rowindex') + '|' + a.type + '|' + (document.querySelector('.table-wrap').scrollTop > 0)";
    assert_eq!(b.js(focused).await, json!("32|checkbox|true"));
    b.press(
        "#users tbody tr[aria-rowindex=\"32\"] td.check input",
        "\u{E013}\u{E013}",
    )
    .await;
    assert_eq!(b.js(focused).await, json!("30|checkbox|true"));

    // Scrolled to the end, the last row is drawn and announced as such.
    b.js("const w = document.querySelector('.table-wrap'); w.scrollTop = w.scrollHeight; w.dispatchEvent(new Event('scroll')); return true;").await;
    b.wait_js(
        "[...document.querySelectorAll('#users tbody tr[data-user]')].some(r => r.getAttribute('aria-rowindex') === '2001')",
        "the last row",
    )
    .await;
    assert!(b.count("#users tbody tr[data-user]").await < 100);
    // ... at the very bottom of the box, with no blank band below it.
    let below = b
        .js(
            "const w = document.querySelector('.table-wrap').getBoundingClientRect(); \
             const rows = document.querySelectorAll('#users tbody tr[data-user]'); \
             return w.bottom - rows[rows.length - 1].getBoundingClientRect().bottom;",
        )
        .await;
    assert!(
        below.as_f64().unwrap().abs() < 3.0,
        "space below the last row: {below}"
    );

    // A search narrows to its matches; a short result is drawn in full.
    b.fill("#search", "00123").await;
    b.wait_count("#users tbody tr[data-user]", 1).await;
    b.wait_text("#user-count", "1 shown · 2000 users").await;
    b.fill("#search", "tina").await;
    b.wait_users(100).await;
    b.wait_text("#user-count", "100 shown · 2000 users").await;
    assert!(b.count("#users tbody tr[data-user]").await < 100);
    stack.stop().await;
}

/// The emulator's record of one user of the demo instance: (email, bandwidth, disabled).
fn stored(stack: &Stack, name: &str) -> Option<(String, u32, bool)> {
    let inner = stack.emulator.shared.lock();
    inner
        .world
        .instances
        .iter()
        .find(|i| i.id == "sag-app-hq01")?
        .users
        .iter()
        .find(|u| u.user_name == name)
        .map(|u| (u.user_mail.clone(), u.bandwidth, u.disabled))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_reset_password_and_bulk_enable_disable_and_bandwidth() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.connect(false).await;
    stack.navigate(HQ).await;
    b.wait_users(120).await;

    // Edit: validated like the create form, values kept, the row updated in place.
    b.fill("#search", "grace.wang06").await;
    b.wait_count("#users tr[data-user]", 1).await;
    b.click("button[aria-label=\"Edit grace.wang06\"]").await;
    b.wait_text(".dialog", "Edit grace.wang06").await;
    assert_eq!(b.value_of("#edit-email").await, "grace.wang06@example.com");
    b.fill("#edit-email", "not-an-email").await;
    b.fill("#edit-bandwidth", "99999").await;
    b.click("#edit-save").await;
    b.wait_text("#edit-email-error", "name@example.com").await;
    b.wait_text("#edit-bandwidth-error", "at most 2000").await;
    assert_eq!(
        b.value_of("#edit-email").await,
        "not-an-email",
        "values are kept"
    );
    assert_eq!(
        stored(&stack, "grace.wang06").unwrap().0,
        "grace.wang06@example.com",
        "nothing was sent"
    );
    b.fill("#edit-email", "grace.new@example.com").await;
    b.fill("#edit-bandwidth", "512").await;
    b.click("#edit-save").await;
    b.wait_count(".dialog", 0).await;
    b.wait_text(
        ".notices",
        "Saved grace.wang06: 512 Kbit/s, grace.new@example.com.",
    )
    .await;
    let row = b.text_of("tr[data-user=\"grace.wang06\"]").await;
    assert!(
        row.contains("grace.new@example.com") && row.contains("512 Kbit/s"),
        "{row}"
    );
    let (mail, bandwidth, _) = stored(&stack, "grace.wang06").unwrap();
    assert_eq!((mail.as_str(), bandwidth), ("grace.new@example.com", 512));

    // Reset, generated: shown once, then gone.
    b.click("button[aria-label=\"Edit grace.wang06\"]").await;
    b.click("#edit-reset-password").await;
    b.wait_text(".dialog", "Reset the password of grace.wang06")
        .await;
    b.click("#reset-submit").await;
    let password = b.text_of("#reset-new-password").await;
    assert!(
        sag_api::validate::password(&password).is_ok(),
        "a valid SAG password: {password}"
    );
    b.click("#reset-done").await;
    b.wait_count(".dialog", 0).await;
    b.wait_text(".notices", "Set a new password for grace.wang06.")
        .await;
    assert!(
        !b.js("return document.body.innerHTML")
            .await
            .as_str()
            .unwrap()
            .contains(&password),
        "the password is gone from the page"
    );

    // Reset, typed: the same rules as the create form.
    b.click("button[aria-label=\"Edit grace.wang06\"]").await;
    b.click("#edit-reset-password").await;
    b.click("#reset-type").await;
    b.fill("#reset-password", "ab").await;
    b.click("#reset-submit").await;
    b.wait_text("#reset-password-error", "8 to 32").await;
    b.fill("#reset-password", "Typed_pw_2026").await;
    b.click("#reset-submit").await;
    b.wait_count(".dialog", 0).await;
    let resets = stack
        .requests()
        .await
        .into_iter()
        .filter(|r| r.0 == "ResetSmartAccessGatewayClientUserPassword" && r.1 == "OK")
        .count();
    assert_eq!(resets, 2);

    // Bulk disable and enable over a selection.
    b.fill("#search", "wang0").await;
    b.wait_js(
        "document.querySelectorAll('#users tr[data-user]').length > 2",
        "a few matches",
    )
    .await;
    for name in ["alice.wang00", "grace.wang06"] {
        b.click(&format!("input[aria-label=\"Select {name}\"]"))
            .await;
    }
    b.click("#disable-selected").await;
    b.wait_text("#bulk-summary", "Disabled 2 users.").await;
    assert!(stored(&stack, "alice.wang00").unwrap().2);
    assert!(stored(&stack, "grace.wang06").unwrap().2);
    b.wait_text("tr[data-user=\"alice.wang00\"]", "disabled")
        .await;
    b.click("#enable-selected").await;
    b.wait_text("#bulk-summary", "Enabled 2 users.").await;
    assert!(!stored(&stack, "alice.wang00").unwrap().2);
    b.wait_text("tr[data-user=\"grace.wang06\"]", "enabled")
        .await;

    // One bandwidth for the same selection: checked first, emails untouched.
    let before = stored(&stack, "alice.wang00").unwrap().1;
    b.click("#bandwidth-selected").await;
    b.wait_text(".dialog", "Set the bandwidth of 2 users").await;
    b.wait_text(".dialog", "alice.wang00, grace.wang06").await;
    b.fill("#bulk-bandwidth", "0").await;
    b.click("#confirm-bandwidth").await;
    b.wait_text("#bulk-bandwidth-error", "at least 1 Kbit/s")
        .await;
    assert_eq!(
        b.value_of("#bulk-bandwidth").await,
        "0",
        "the value is kept"
    );
    assert_eq!(
        stored(&stack, "alice.wang00").unwrap().1,
        before,
        "nothing was sent"
    );
    b.fill("#bulk-bandwidth", "768").await;
    b.click("#confirm-bandwidth").await;
    b.wait_count(".dialog", 0).await;
    b.wait_text(
        "#bulk-summary",
        "Set the bandwidth of 2 users to 768 Kbit/s.",
    )
    .await;
    let (mail, bandwidth, _) = stored(&stack, "grace.wang06").unwrap();
    assert_eq!((mail.as_str(), bandwidth), ("grace.new@example.com", 768));
    let (mail, bandwidth, _) = stored(&stack, "alice.wang00").unwrap();
    assert_eq!(
        (mail.as_str(), bandwidth),
        ("alice.wang00@example.com", 768)
    );
    b.wait_text("tr[data-user=\"alice.wang00\"]", "768 Kbit/s")
        .await;
    let modifies = stack
        .requests()
        .await
        .into_iter()
        .filter(|r| r.0 == "ModifySmartAccessGatewayClientUser")
        .count();
    assert_eq!(modifies, 3, "the edit above and one per selected user");
    stack.assert_signed_as_configured().await;
    stack.stop().await;
}

/// Keeps what the page downloads and copies, instead of saving or copying it.
const CAPTURE_FILES: &str = "window.__files = []; window.__blobs = {};
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (b) => { const u = create(b); window.__blobs[u] = b; return u; };
    URL.revokeObjectURL = () => {};
    HTMLAnchorElement.prototype.click = function () { if (this.download) window.__files.push({name: this.download, href: this.href}); };
    navigator.clipboard.writeText = (t) => { window.__clip = t; return Promise.resolve(); };
    return true;";

/// The `n`th file the page downloaded: (name, text).
async fn downloaded(b: &support::Browser, n: usize) -> (String, String) {
    b.wait_js(&format!("window.__files.length > {n}"), "a download")
        .await;
    let got = b
        .client
        .execute_async(
            &format!("const done = arguments[arguments.length - 1]; const f = window.__files[{n}]; window.__blobs[f.href].text().then(t => done([f.name, t]));"),
            vec![],
        )
        .await
        .expect("the file's text");
    (
        got[0].as_str().unwrap().to_owned(),
        got[1].as_str().unwrap().to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_csv_terraform_and_cli_lines_match_the_cloud() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.connect(false).await;
    stack.navigate(HQ).await;
    b.wait_users(120).await;
    b.js(CAPTURE_FILES).await;

    // CSV of every user: one line each, as the cloud has them, no secret.
    b.click("#export-csv").await;
    b.wait_text(".notices", "Exported all 120 users as CSV.")
        .await;
    let (name, csv) = downloaded(b, 0).await;
    assert_eq!(name, "sag-app-hq01-users.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "user_name,email,bandwidth_kbps,static_ip,state");
    assert_eq!(lines.len(), 121);
    let world: Vec<(String, String, u32, Option<String>, bool)> = {
        let inner = stack.emulator.shared.lock();
        inner
            .world
            .instances
            .iter()
            .find(|i| i.id == "sag-app-hq01")
            .unwrap()
            .users
            .iter()
            .map(|u| {
                (
                    u.user_name.clone(),
                    u.user_mail.clone(),
                    u.bandwidth,
                    u.static_ip.clone(),
                    u.disabled,
                )
            })
            .collect()
    };
    for (user, mail, bandwidth, ip, disabled) in &world {
        let line = format!(
            "{user},{mail},{bandwidth},{},{}",
            ip.as_deref().unwrap_or_default(),
            if *disabled { "disabled" } else { "enabled" }
        );
        assert!(lines.contains(&line.as_str()), "{line} in the CSV");
    }
    assert!(!csv.to_lowercase().contains("password"));

    // Terraform of what the search shows.
    b.fill("#search", "wang0").await;
    b.wait_js(
        "document.querySelectorAll('#users tr[data-user]').length > 2",
        "a few matches",
    )
    .await;
    let shown = b.count("#users tr[data-user]").await;
    b.click("#export-terraform").await;
    b.wait_text(
        ".notices",
        &format!("Exported the {shown} users the search shows (of 120) as Terraform."),
    )
    .await;
    let (name, tf) = downloaded(b, 1).await;
    assert_eq!(name, "sag-app-hq01-users.tf");
    assert_eq!(
        tf.matches("resource \"alicloud_sag_client_user\"").count(),
        shown
    );
    assert_eq!(tf.matches("\nimport {").count(), shown);
    assert!(tf.contains("id = \"sag-app-hq01:alice.wang00\""), "{tf}");
    // Terraform before 1.5 is told how to import; no value stands in a
    // comment (a line break in one would end it and start live HCL).
    assert!(tf.contains("#   terraform import <to> <id>"), "{tf}");
    for line in tf.lines().filter(|l| l.trim_start().starts_with('#')) {
        assert!(
            !line.contains("sag-app-hq01") && !line.contains("wang0"),
            "{line}"
        );
    }

    // A list that failed to load exports nothing: both exports are off
    // until the list is read again completely.
    stack
        .control(
            "PUT",
            "faults",
            json!({"error_rate": 1.0, "actions": ["DescribeSmartAccessGatewayClientUsers"]}),
        )
        .await;
    b.click("#reload").await;
    b.wait_text(".error-panel", "ServiceUnavailable").await;
    assert_eq!(b.js("return document.querySelector('#export-terraform').disabled && document.querySelector('#export-csv').disabled").await, json!(true));
    stack.control("DELETE", "faults", json!(null)).await;
    b.click("#reload").await;
    b.wait_count("#users tr[data-user]", shown).await;
    b.wait_js(
        "!document.querySelector('#export-terraform').disabled",
        "export offered again",
    )
    .await;

    // The CLI line of an edit, secrets left out.
    b.click("button[aria-label=\"Edit alice.wang00\"]").await;
    b.fill("#edit-bandwidth", "700").await;
    b.click("#edit-copy-cli").await;
    b.wait_js("window.__clip", "a copied line").await;
    assert_eq!(
        b.js("return window.__clip").await,
        json!("aliyun smartag ModifySmartAccessGatewayClientUser --RegionId cn-shanghai --SmartAGId sag-app-hq01 --UserName alice.wang00 --Bandwidth 700 --Email alice.wang00@example.com")
    );

    // The CLI line of a create: the password left to the shell.
    b.click(".dialog button.secondary:last-child").await;
    // A real click (the capture replaced the anchors' click method).
    b.click(&format!("nav.tabs a[href=\"{HQ}/new\"]")).await;
    b.wait_for_url_ending("/new").await;
    b.fill("#create-email", "cli.user01@example.com").await;
    b.fill("#create-bandwidth", "800").await;
    b.fill("#create-username", "cli.user01").await;
    b.fill("#create-password", "Secret_pw_1").await;
    b.fill("#create-ip", "10.10.9.10").await;
    b.click("#create-copy-cli").await;
    b.wait_js(
        "window.__clip && window.__clip.includes('CreateSmartAccessGatewayClientUser')",
        "a copied create line",
    )
    .await;
    let line = b.js("return window.__clip").await;
    assert_eq!(
        line,
        json!("aliyun smartag CreateSmartAccessGatewayClientUser --RegionId cn-shanghai --SmartAGId sag-app-hq01 --UserMail cli.user01@example.com --Bandwidth 800 --UserName cli.user01 --ClientIp 10.10.9.10 --Password \"$SAG_PASSWORD\"")
    );
    assert!(
        stored(&stack, "cli.user01").is_none(),
        "copying sends nothing"
    );
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_a_file_fix_it_then_200_users_under_faults_with_a_reload_halfway() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack
        .control(
            "POST",
            "instances",
            json!({"id": "sag-app-import", "region": "cn-shanghai", "name": "Import office", "cidr": "10.50.0.0/16", "user_quota": 300}),
        )
        .await;
    stack.connect(true).await;
    let page = "/sag/cn-shanghai/sag-app-import/import";
    stack.goto(page).await;
    let dir = tempfile::tempdir().unwrap();
    let choose = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };

    // A file with mistakes: the preview names each, and nothing can be sent.
    let bad = choose(
        "office.csv",
        "email;bandwidth_kbps;user_name;password;static_ip\n\
         ok.user@example.com;1000;ok.user01;Passw0rd_1;\n\
         not-an-email;99999;ab;;10.20.0.1\n\
         ok.user@example.com;;ok.user01;Passw0rd_1;\n"
            .into(),
    );
    b.find("#import-file")
        .await
        .send_keys(bad.to_str().unwrap())
        .await
        .unwrap();
    let problems = b.text_of("#import-problems").await;
    for needle in [
        "Line 3, email:",
        "Line 3, bandwidth_kbps: Bandwidth can be at most 2000",
        "Line 3, user_name:",
        "Line 3, password:",
        "Line 3, static_ip: 10.20.0.1 is outside the instance's client CIDR 10.50.0.0/16",
        "Line 4, email: ok.user@example.com is also on line 2",
        "Line 4, user_name: ok.user01 is also on line 2",
    ] {
        assert!(problems.contains(needle), "{needle} in {problems}");
    }
    assert_eq!(
        b.js("return document.querySelector('#import-start').disabled")
            .await,
        json!(true),
        "nothing is sent while a problem remains"
    );
    b.screenshot(&screenshot_path("import-preview.png")).await;

    // The fixed file: 200 users, under throttling and cut-off answers.
    let mut text = String::from("email,bandwidth_kbps,user_name,password,static_ip\n");
    for i in 0..200 {
        text.push_str(&format!(
            "imp{i:03}@example.com,1000,import.u{i:03},Passw0rd_{i},\n"
        ));
    }
    let good = choose("office-fixed.csv", text);
    b.find("#import-file")
        .await
        .send_keys(good.to_str().unwrap())
        .await
        .unwrap();
    b.wait_text("#import-summary", "200 rows, 200 ready, 0 with problems")
        .await;
    stack
        .control(
            "PUT",
            "faults",
            json!({"throttle_rate": 0.08, "malformed_rate": 0.06, "actions": ["CreateSmartAccessGatewayClientUser"]}),
        )
        .await;
    b.fill("#import-rate", "10").await;
    b.click("#import-start").await;
    b.wait_js(
        "/^([4-9][0-9]|1[0-9][0-9]) done/.test(document.querySelector('#import-progress').innerText)",
        "40 or more users created",
    )
    .await;

    // Leaving the page stops the run (before its next row).
    b.click("nav.tabs a[href=\"/sag/cn-shanghai/sag-app-import\"]")
        .await;
    b.wait_for_url_ending("/sag-app-import").await;
    let creates = || async {
        stack
            .requests()
            .await
            .iter()
            .filter(|r| r.0 == "CreateSmartAccessGatewayClientUser")
            .count()
    };
    tokio::time::sleep(Duration::from_secs(2)).await;
    let settled = creates().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(creates().await, settled, "no create after leaving the page");

    // A reload halfway: the progress is kept (no passwords), the same file resumes.
    stack.goto(page).await;
    let resume = b.text_of("#import-resume").await;
    assert!(resume.contains("office-fixed.csv"), "{resume}");
    let stored = b
        .js("return localStorage.getItem('sag-console.import.cn-shanghai.sag-app-import')")
        .await;
    assert!(
        !stored.as_str().unwrap().contains("Passw0rd"),
        "no password in storage"
    );
    b.find("#import-file")
        .await
        .send_keys(good.to_str().unwrap())
        .await
        .unwrap();
    b.wait_text("#import-summary", "200 rows").await;
    b.fill("#import-rate", "10").await;
    b.click("#import-start").await;
    b.wait_js_within(
        "document.querySelector('.notices') && document.querySelector('.notices').innerText.includes('Import finished')",
        "the import to finish",
        180,
    )
    .await;
    let finished = b.text_of(".notices").await;
    assert!(
        finished.contains("Import finished: 200 created, 0 failed."),
        "{finished}"
    );

    // None lost, none twice.
    let names: Vec<String> = {
        let inner = stack.emulator.shared.lock();
        let instance = inner
            .world
            .instances
            .iter()
            .find(|i| i.id == "sag-app-import")
            .unwrap();
        instance.users.iter().map(|u| u.user_name.clone()).collect()
    };
    assert_eq!(names.len(), 200);
    for i in 0..200 {
        assert!(names.contains(&format!("import.u{i:03}")));
    }
    let log = stack.requests().await;
    assert_eq!(
        log.iter()
            .filter(|r| r.0 == "CreateSmartAccessGatewayClientUser" && r.1 == "OK")
            .count(),
        200,
        "each user created once"
    );
    assert_eq!(
        log.iter().filter(|r| r.1 == "ClientUser.UserExist").count(),
        0
    );

    // The result file: a line per row.
    b.js(CAPTURE_FILES).await;
    b.click("#import-result").await;
    let (name, result) = downloaded(b, 0).await;
    assert_eq!(name, "sag-import-result.csv");
    assert_eq!(result.lines().count(), 201);
    assert!(
        result
            .lines()
            .skip(1)
            .all(|l| l.contains(",created,") || l.contains(",existed,")),
        "{result}"
    );
    // A finished import leaves nothing in storage (the result stays on the
    // page and in its file).
    assert_eq!(
        b.js("return localStorage.getItem('sag-console.import.cn-shanghai.sag-app-import')")
            .await,
        json!(null)
    );
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_a_user_in_every_instance_of_a_region_or_of_all() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack
        .control(
            "POST",
            "instances",
            json!({"id": "sag-app-hk01", "region": "cn-hongkong", "name": "Hong Kong office", "cidr": "10.60.0.0/16"}),
        )
        .await;
    let mut far = fresh_user("roam.user01");
    far.region_id = "cn-hongkong".into();
    far.smart_ag_id = "sag-app-hk01".into();
    stack.api(&far).await.unwrap();
    stack.api(&fresh_user("roam.user02")).await.unwrap();
    stack.connect(true).await;
    stack.goto("/sag?region=cn-shanghai").await;

    b.fill("#find-user", "ROAM.user").await;
    b.click("#find-user-go").await;
    let text = b.text_of("#found-everywhere").await;
    assert!(text.contains("1 user found for \"ROAM.user\""), "{text}");
    assert_eq!(
        b.count("#found-users tr[data-user=\"roam.user02\"]").await,
        1
    );

    b.click("#find-all-regions").await;
    b.click("#find-user-go").await;
    b.wait_text("#found-everywhere", "2 users found").await;
    let row = b
        .text_of("#found-users tr[data-user=\"roam.user01\"]")
        .await;
    assert!(
        row.contains("Hong Kong office (sag-app-hk01, cn-hongkong)"),
        "{row}"
    );
    // By email and by IP too.
    b.fill("#find-user", "10.10.1.13").await;
    b.click("#find-user-go").await;
    b.wait_text("#found-everywhere", "1 user found for \"10.10.1.13\"")
        .await;

    b.fill("#find-user", "roam.user01").await;
    b.click("#find-user-go").await;
    b.wait_text("#found-everywhere", "1 user found").await;
    b.click("#found-users tr[data-user=\"roam.user01\"] a")
        .await;
    b.wait_for_url_ending("/sag/cn-hongkong/sag-app-hk01").await;
    b.wait_count("#users tr[data-user=\"roam.user01\"]", 1)
        .await;
    assert_eq!(b.value_of("#search").await, "roam.user01");
    stack.stop().await;
}

/// The console is loaded in parts (issue 22, src/shell/parts.rs): a first
/// visit to Settings fetches no part of an area; keys that pass a test fetch
/// the instance list's part while the admin reads; a cold deep link to every
/// page of a part works; a part that cannot be fetched is a page that says
/// so, with Reload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_part_loads_when_needed_and_a_lost_part_is_a_page() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    let parts_fetched = "return performance.getEntriesByType('resource')\
        .map(e => new URL(e.name).pathname).filter(p => /^\\/(split|chunk)_/.test(p))";
    stack.goto("/connect").await;
    b.wait_text("#api-status", "self-check passed").await;
    // Idle time, in which nothing may be fetched unasked.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(b.js(parts_fetched).await, json!([]), "Settings alone");
    let first_load = b
        .js("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => p.endsWith('.wasm'))")
        .await;
    assert_eq!(first_load.as_array().map(Vec::len), Some(1), "{first_load}");

    b.fill("#access-key-id", KEY_ID).await;
    b.fill("#access-key-secret", KEY_SECRET).await;
    b.click("#test-connection").await;
    b.wait_text("#connection-result", "accepted the request")
        .await;
    b.wait_js(
        "performance.getEntriesByType('resource').some(e => e.name.includes('/split_sag_instances')) \
         && performance.getEntriesByType('resource').some(e => e.name.includes('/chunk_shared-'))",
        "the instance list's part and the shared module, fetched after the test",
    )
    .await;
    // The instance list's part (one module with the user list's) and the
    // code the parts share (one module): two files beside the first load.
    let wasm_fetched = b
        .js("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => p.endsWith('.wasm'))")
        .await;
    assert_eq!(
        wasm_fetched.as_array().map(Vec::len),
        Some(3),
        "{wasm_fetched}"
    );
    b.wait_for_url_ending("/connect").await;

    stack.connect(true).await;
    stack.connect_tencent(true).await;
    for (path, marker) in [
        ("/sag".to_owned(), "#instances"),
        (HQ.to_owned(), "#users"),
        (format!("{HQ}/new"), "#create-form"),
        (format!("{HQ}/online"), "#refresh-interval"),
        (format!("{HQ}/import"), "#import-file"),
        ("/cam".to_owned(), "#cam-users"),
        ("/cam/new".to_owned(), "#cam-add-form"),
        ("/cam/users/ops-admin".to_owned(), "#cam-user"),
    ] {
        stack.goto(&path).await;
        b.find(marker).await;
        assert_eq!(b.count("#part-error").await, 0, "{path}");
    }

    // The network cut (or a deployment that replaced the files) under the
    // New user tab's part: a page with Reload, which works once it is back.
    b.cdp("Network.enable", json!({})).await;
    b.cdp(
        "Network.setBlockedURLs",
        json!({"urls": ["*split_sag_create_online*"]}),
    )
    .await;
    stack.goto(HQ).await;
    b.wait_text("#user-count", "users").await;
    b.click(&format!("a[href=\"{HQ}/new\"]")).await;
    b.wait_text("#part-error", "This page could not be loaded")
        .await;
    assert_eq!(b.count("#create-form").await, 0);
    b.cdp("Network.setBlockedURLs", json!({"urls": []})).await;
    b.click("#part-reload").await;
    b.find("#create-form").await;
    assert_eq!(b.count("#part-error").await, 0);
    stack.stop().await;
}
