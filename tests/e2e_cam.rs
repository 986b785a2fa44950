//! End-to-end: the CAM sub-user screens of the release build in headless
//! Chromium, through a proxy with the console's API paths, against the cloud
//! emulator: Tencent keys good and bad, add with every kind of bad input and
//! valid ones, the one-time credentials view and its CSV, names in use,
//! delete with and without API keys, and an ambiguous `AddUser`.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use serde_json::json;
use support::{screenshot_path, Stack, TENCENT_ID, TENCENT_KEY};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn row(name: &str) -> String {
    format!("#cam-users tr[data-user=\"{name}\"]")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_with_good_and_wrong_tencent_keys() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.goto("/cam").await;
    b.wait_text("#needs-connection", "Tencent Cloud").await;
    b.click("#needs-connection a").await;
    b.wait_for_url_ending("/connect").await;
    assert!(b
        .js("return location.search")
        .await
        .as_str()
        .unwrap()
        .contains("next=%2Fcam"));

    b.fill("#secret-id", "AKIDnobody").await;
    b.fill("#secret-key", "whatever").await;
    b.click("#connect-tencent").await;
    b.wait_text("#tencent-result", "This SecretId does not exist.")
        .await;
    b.wait_text("#tencent-result", "AuthFailure.SecretIdNotFound")
        .await;

    b.fill("#secret-id", TENCENT_ID).await;
    b.fill("#secret-key", "not-the-key").await;
    b.click("#connect-tencent").await;
    let text = b
        .wait_text("#tencent-result", "The signature was rejected")
        .await;
    assert!(text.contains("AuthFailure.SignatureFailure"), "{text}");
    assert!(
        text.contains("tencent.sign_host"),
        "names the signed host: {text}"
    );
    assert_eq!(b.value_of("#secret-key").await, "not-the-key");

    // The browser clock 9 minutes ahead of the server's.
    stack
        .control("PUT", "clock", json!({"unix_seconds": now() - 9 * 60}))
        .await;
    b.fill("#secret-key", TENCENT_KEY).await;
    b.click("#tencent-test").await;
    b.wait_text("#tencent-result", "9 minutes ahead of").await;
    stack
        .control("PUT", "clock", json!({"unix_seconds": null}))
        .await;

    // Both clouds' keys are held side by side; Alibaba is still unset.
    b.click("#tencent-test").await;
    let text = b
        .wait_text("#tencent-result", "the account has 12 sub-users")
        .await;
    let scheme = support::scheme_name("tencent");
    assert!(
        text.contains(&format!("accepted the request signed with {scheme}")),
        "{text}"
    );
    b.wait_text(
        "#api-status",
        &format!("Tencent Cloud requests with {scheme}"),
    )
    .await;
    b.click("#connect-tencent").await;
    b.wait_for_url_ending("/cam").await;
    b.wait_text("#tencent-state", "AKID").await;
    b.wait_text("#connection-state", "Alibaba: Not connected")
        .await;
    b.wait_text("#cam-count", "12 sub-users of 1000 allowed")
        .await;
    assert_eq!(
        b.js("return localStorage.length").await,
        json!(0),
        "nothing stored without opting in"
    );
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_host_that_is_not_the_proxys_upstream_is_named() {
    // The proxy forwards to a "cloud" that verifies a different host than
    // the one config.json makes the console sign.
    let stack = Stack::start_with(cloud_emulator::Config {
        tencent_host: "cam.intl.tencentcloudapi.com".into(),
        ..cloud_emulator::Config::default()
    })
    .await;
    let b = &stack.browser;
    stack.goto("/connect").await;
    b.fill("#secret-id", TENCENT_ID).await;
    b.fill("#secret-key", TENCENT_KEY).await;
    b.click("#tencent-test").await;
    let text = b
        .wait_text("#tencent-result", "forwards to a different host")
        .await;
    assert!(text.contains("cam.intl.tencentcloudapi.com"), "{text}");
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_search_sort_detail_and_bookmarks() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.connect_tencent(true).await;
    b.wait_count("#cam-users tbody tr", 12).await;
    let ops = b.text_of(&row("ops-admin")).await;
    assert!(
        ops.contains("Operations lead") && ops.contains("+86 13800138000") && ops.contains("yes"),
        "{ops}"
    );
    b.screenshot(&screenshot_path("cam-users.png")).await;

    // The list is the SAG list's table: rows announced by position, and
    // ↓ moves to the same control in the next row.
    b.press(
        "#cam-users tbody tr[aria-rowindex=\"2\"] td.check input",
        "\u{E015}",
    )
    .await;
    assert_eq!(
        b.js("return document.activeElement.closest('tr').getAttribute('aria-rowindex') + '|' + document.activeElement.type")
            .await,
        json!("3|checkbox")
    );
    b.press(
        "#cam-users tbody tr[aria-rowindex=\"3\"] .row-actions button",
        "\u{E013}",
    )
    .await;
    assert_eq!(
        b.js("return document.activeElement.closest('tr').getAttribute('aria-rowindex') + '|' + document.activeElement.textContent")
            .await,
        json!("2|Delete")
    );

    b.fill("#cam-search", "bot").await;
    b.wait_count("#cam-users tbody tr", 1).await;
    b.wait_js("location.search.includes('q=bot')", "search in the URL")
        .await;
    b.fill("#cam-search", "").await;
    b.wait_count("#cam-users tbody tr", 12).await;
    b.click("#cam-users th:nth-child(3) button").await; // UIN
    b.click("#cam-users th:nth-child(3) button").await; // descending
    b.wait_js(
        "location.search.includes('sort=uin') && location.search.includes('dir=desc')",
        "sort in the URL",
    )
    .await;
    let url = b
        .js("return location.pathname + location.search")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    stack.goto(&url).await;
    b.wait_count("#cam-users tbody tr", 12).await;
    assert_eq!(
        b.text_of("#cam-users tbody tr:first-child td:nth-child(2)")
            .await,
        "henry-contractor",
        "the bookmark keeps the sort"
    );

    // The detail: what the list lacks.
    b.click(&format!("{} a", row("ops-admin"))).await;
    b.wait_for_url_ending("/cam/users/ops-admin").await;
    b.wait_text("#last-login-ip", "203.0.113.10").await;
    b.wait_text("#last-login-time", "2026-11-20 08:15:00").await;
    stack.goto("/cam/users/nobody-here").await;
    b.wait_text("#cam-user-missing", "There is no sub-user nobody-here")
        .await;

    // Remembered on request, under a key of its own; Forget wipes it.
    let stored = b
        .js("return localStorage.getItem('sag-console.tencent-credentials.v2') || ''")
        .await;
    let stored = stored.as_str().unwrap();
    assert!(
        stored.starts_with("v2 ") && !stored.contains(TENCENT_ID) && !stored.contains(TENCENT_KEY),
        "{stored}"
    );
    assert_eq!(
        b.js("return localStorage.getItem('sag-console.credentials.v2')")
            .await,
        json!(null),
        "the Alibaba key was never entered"
    );
    stack.navigate("/connect").await;
    b.click("#tencent-forget").await;
    b.wait_text("#tencent-state", "Tencent: Not connected")
        .await;
    assert_eq!(b.js("return localStorage.length").await, json!(0));
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_with_every_kind_of_invalid_input_then_valid_ones() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.connect_tencent(false).await;
    stack.navigate("/cam/new").await;

    // Nothing typed: the name is required, and gets focus.
    b.click("#cam-submit").await;
    b.wait_text("#cam-name-error", "Enter a user name").await;
    assert_eq!(
        b.js("return document.activeElement.id").await,
        json!("cam-name")
    );

    b.fill("#cam-name", "e2e.bad").await;
    b.fill("#cam-password", "short").await;
    b.fill("#cam-country-code", "0").await;
    b.fill("#cam-phone", "10086").await;
    b.fill("#cam-email", "12340qq.com").await;
    b.click("#cam-submit").await;
    b.wait_text("#cam-password-error", "at least 8 characters")
        .await;
    b.wait_text("#cam-country-code-error", "country calling code")
        .await;
    b.wait_text("#cam-email-error", "name@example.com").await;
    assert_eq!(
        b.js("return document.activeElement.id").await,
        json!("cam-password")
    );
    b.fill("#cam-country-code", "86").await;
    b.fill("#cam-phone", "10o86").await;
    b.click("#cam-submit").await;
    b.wait_text("#cam-phone-error", "as digits").await;
    assert_eq!(b.count("#cam-country-code-error:not(:empty)").await, 0);
    b.js("window.scrollTo(0, 0); return true;").await;
    b.screenshot(&screenshot_path("cam-add.png")).await;

    // The documented example password passes the browser (the account may
    // have its own rule), with advice; the service's default rule refuses it.
    b.fill("#cam-phone", "10086").await; // Tencent's own example number
    b.fill("#cam-email", "12340@qq.com").await;
    b.fill("#cam-password", "test123456").await;
    b.wait_text(
        "#cam-password-advice",
        "an uppercase letter, a special character",
    )
    .await;
    b.click("#cam-submit").await;
    b.wait_text("#cam-password-error", "PasswordViolatedRules")
        .await;
    assert_eq!(
        b.js("return document.activeElement.id").await,
        json!("cam-password")
    );

    // A name the service refuses lands on the name. A remark too long is
    // refused in the browser with the limit, as the edit form does, and
    // nothing is sent (a ParamError naming Remark, should the service send
    // one, still lands on the remark: add_form's native tests).
    b.fill("#cam-password", "Passw0rd!2024").await;
    b.fill("#cam-name", "bad name").await;
    b.click("#cam-submit").await;
    b.wait_text("#cam-name-error", "UserNameIllegal").await;
    b.fill("#cam-name", "e2e.typed").await;
    let adds = |log: Vec<(String, String, Option<String>)>| {
        log.iter().filter(|r| r.0 == "AddUser").count()
    };
    let sent_before = adds(stack.requests().await);
    b.fill("#cam-remark", &"r".repeat(256)).await;
    b.click("#cam-submit").await;
    b.wait_text(
        "#cam-remark-error",
        "Remark can be at most 255 characters (this one has 256)",
    )
    .await;
    assert_eq!(
        b.js("return document.activeElement.id").await,
        json!("cam-remark")
    );
    assert_eq!(adds(stack.requests().await), sent_before, "nothing sent");
    assert_eq!(
        b.value_of("#cam-email").await,
        "12340@qq.com",
        "values are kept"
    );

    // Valid, with a typed password and no keys: nothing one-time to show.
    b.fill("#cam-remark", "Typed password").await;
    b.fill("#cam-phone", "13800138001").await;
    b.click("#cam-submit").await;
    b.wait_for_url_ending("/cam").await;
    b.wait_text(".notices", "Added e2e.typed.").await;
    b.wait_text(&row("e2e.typed"), "Typed password").await;

    // The same name again: refused, on the name field, everything kept.
    stack.navigate("/cam/new").await;
    b.fill("#cam-name", "e2e.typed").await;
    b.fill("#cam-email", "again@example.com").await;
    b.click("#cam-submit").await;
    b.wait_text("#cam-name-error", "SubUserNameInUse").await;
    b.wait_text("#cam-name-error", "already exists").await;
    assert_eq!(b.value_of("#cam-email").await, "again@example.com");

    // Valid, password generated by the service and an API key: shown once.
    b.fill("#cam-name", "e2e.keys").await;
    b.click("#cam-use-api").await;
    b.click("#cam-submit").await;
    b.wait_text("#one-time-warning", "only once").await;
    let password = b.text_of("#one-time-password").await;
    let secret_id = b.text_of("#one-time-secret-id").await;
    let secret_key = b.text_of("#one-time-secret-key").await;
    assert_eq!(password.len(), 32, "{password}");
    assert!(secret_id.starts_with("AKID"), "{secret_id}");
    assert!(!secret_key.is_empty());
    b.screenshot(&screenshot_path("cam-one-time.png")).await;

    // The CSV has the CAM console's columns and exactly these values.
    b.js("window.__blobs = []; const make = URL.createObjectURL; URL.createObjectURL = (blob) => { window.__blobs.push(blob); return make(blob); }; return true;").await;
    b.click("#download-csv").await;
    let csv = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; window.__blobs[0].text().then(done);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        csv.as_str().unwrap(),
        format!("Username,Password,SecretId,SecretKey\r\ne2e.keys,{password},{secret_id},{secret_key}\r\n")
    );

    // Leaving asks first; staying keeps them.
    b.click("nav[aria-label=Main] a[href='/cam']").await;
    b.wait_text(".dialog", "Leave without the credentials?")
        .await;
    b.click("#stay").await;
    b.wait_count(".dialog", 0).await;
    assert_eq!(b.text_of("#one-time-secret-key").await, secret_key);
    assert!(b.js("return location.pathname").await == json!("/cam/new"));
    // The browser's Back inside the console asks too; staying keeps the
    // page, its address and the credentials.
    b.js("history.back(); return true").await;
    b.wait_text(".dialog", "Leave without the credentials?")
        .await;
    assert_eq!(b.js("return location.pathname").await, json!("/cam/new"));
    b.click("#stay").await;
    b.wait_count(".dialog", 0).await;
    assert_eq!(b.text_of("#one-time-secret-key").await, secret_key);
    // Secrets are nowhere but on the screen.
    let stored = b
        .js("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + location.href + document.cookie")
        .await;
    let stored = stored.as_str().unwrap();
    assert!(!stored.contains(&secret_key) && !stored.contains(&password));

    b.click("#one-time-done").await;
    b.click("#leave").await;
    b.wait_for_url_ending("/cam").await;
    b.wait_text(&row("e2e.keys"), "e2e.keys").await;
    // Gone from the page once left: coming back shows an empty form.
    stack.navigate("/cam/new").await;
    b.wait_count("#one-time", 0).await;
    assert_eq!(b.value_of("#cam-name").await, "");
    let body = b.js("return document.body.innerText").await;
    assert!(!body.as_str().unwrap().contains(&secret_key));

    // Hiding the page (leaving for another site, which may keep it in the
    // back/forward cache for Back) wipes the credentials from it at once.
    b.fill("#cam-name", "e2e.keys2").await;
    b.click("#cam-use-api").await;
    b.click("#cam-submit").await;
    b.wait_text("#one-time-warning", "only once").await;
    let second_key = b.text_of("#one-time-secret-key").await;
    assert!(!second_key.is_empty());
    let left = b
        .js("window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted: true})); return document.body.innerText")
        .await;
    assert!(
        !left.as_str().unwrap().contains(&second_key),
        "the secret is gone before the page is frozen"
    );
    b.wait_count("#one-time", 0).await;
    assert_eq!(b.count(".dialog").await, 0);
    stack.assert_signed_as_configured().await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_with_and_without_keys() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.connect_tencent(false).await;
    b.wait_count("#cam-users tbody tr", 12).await;

    // No keys: a confirmation naming the user, then gone.
    b.click("button[aria-label=\"Delete alice01\"]").await;
    b.wait_text(".dialog", "Delete alice01?").await;
    b.click("#confirm-delete").await;
    b.wait_count(&row("alice01"), 0).await;
    b.wait_text(".notices", "Deleted alice01.").await;
    b.wait_text("#cam-count", "11 sub-users").await;

    // With keys: refused by the service, explained, and a forced delete
    // that needs the name typed.
    b.click("button[aria-label=\"Delete deploy-bot\"]").await;
    b.click("#confirm-delete").await;
    b.wait_text("#has-keys", "still has API keys").await;
    b.wait_text("#has-keys", "OperationDenied.HaveKeys").await;
    assert_eq!(
        b.js("return document.querySelector('#force-delete').disabled")
            .await,
        json!(true)
    );
    b.fill("#confirm-name", "deploy-bo").await;
    assert_eq!(
        b.js("return document.querySelector('#force-delete').disabled")
            .await,
        json!(true)
    );
    b.fill("#confirm-name", "deploy-bot").await;
    b.click("#force-delete").await;
    b.wait_count(&row("deploy-bot"), 0).await;
    let state = stack.control("GET", "state", json!(null)).await;
    assert!(
        !state.to_string().contains("\"deploy-bot\""),
        "the emulator removed the user"
    );

    // From the detail page.
    stack.navigate("/cam/users/erin").await;
    b.click("#cam-delete").await;
    b.click("#confirm-delete").await;
    b.wait_for_url_ending("/cam").await;
    b.wait_count(&row("erin"), 0).await;

    // A selection: deleted one by one, never forced; a sub-user with API
    // keys is refused, named with the reason, and kept.
    assert_eq!(
        b.js("return document.querySelector('#cam-delete-selected').disabled")
            .await,
        json!(true),
        "nothing selected, nothing to delete"
    );
    for name in ["carol_ops", "backup-agent"] {
        b.click(&format!("input[aria-label=\"Select {name}\"]"))
            .await;
    }
    b.wait_text("#cam-delete-selected", "(2)").await;
    b.click("#cam-delete-selected").await;
    b.wait_text(".dialog", "Delete 2 sub-users?").await;
    b.wait_text(".dialog", "backup-agent, carol_ops").await;
    b.click("#confirm-bulk-delete").await;
    let summary = b.wait_text("#cam-bulk-summary", "Deleted 1 user.").await;
    assert!(
        summary.contains("backup-agent (still has API keys"),
        "{summary}"
    );
    b.wait_count(&row("carol_ops"), 0).await;
    assert_eq!(b.count(&row("backup-agent")).await, 1, "kept");
    let state = stack.control("GET", "state", json!(null)).await.to_string();
    assert!(!state.contains("\"carol_ops\""), "carol_ops deleted");
    assert!(
        state.contains("\"backup-agent\""),
        "backup-agent and its keys kept"
    );
    let deletes = stack
        .requests()
        .await
        .into_iter()
        .filter(|r| r.0 == "DeleteUser")
        .count();
    assert_eq!(
        deletes, 6,
        "alice01, deploy-bot twice, erin, and one per selected sub-user"
    );
    stack.assert_signed_as_configured().await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ambiguous_add_user_is_looked_up_before_anything_is_said() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.connect_tencent(false).await;

    // The answer is cut off after the user was created: the lookup finds
    // it, and the console says what was lost with the answer.
    stack
        .control(
            "PUT",
            "faults",
            json!({"malformed_rate": 1.0, "actions": ["AddUser"], "count": 1}),
        )
        .await;
    stack.control("DELETE", "requests", json!(null)).await;
    stack.navigate("/cam/new").await;
    b.fill("#cam-name", "e2e.lost").await;
    b.click("#cam-use-api").await;
    b.click("#cam-submit").await;
    let lost = b
        .wait_text("#one-time-lost", "answer was lost on the way")
        .await;
    assert!(
        lost.contains("the generated console password and the new API key's SecretKey"),
        "{lost}"
    );
    let actions: Vec<String> = stack.requests().await.into_iter().map(|r| r.0).collect();
    assert_eq!(
        actions.iter().filter(|a| *a == "AddUser").count(),
        1,
        "AddUser is never sent twice: {actions:?}"
    );
    assert!(actions.iter().any(|a| a == "GetUser"), "{actions:?}");
    b.click("#one-time-done").await;
    b.wait_for_url_ending("/cam").await;
    b.wait_count(&row("e2e.lost"), 1).await;

    // The answer is cut off and the lookup fails too: the page says it is
    // checking, then that it cannot tell, and offers to check again.
    stack
        .control(
            "PUT",
            "faults",
            json!({"malformed_rate": 1.0, "actions": ["AddUser", "GetUser"], "count": 10}),
        )
        .await;
    stack.control("DELETE", "requests", json!(null)).await;
    stack.navigate("/cam/new").await;
    b.fill("#cam-name", "e2e.unsure").await;
    b.click("#cam-submit").await;
    b.wait_text("#cam-result", "Checking the account for e2e.unsure")
        .await;
    assert_eq!(b.text_of("#cam-submit").await, "Checking…");
    b.wait_text(
        "#cam-result",
        "it is not known whether e2e.unsure was added",
    )
    .await;
    assert_eq!(
        b.value_of("#cam-name").await,
        "e2e.unsure",
        "nothing typed is lost"
    );
    stack.control("DELETE", "faults", json!(null)).await;
    b.click("#cam-check-again").await;
    // Found: added, and what was lost with the answer (the generated console
    // password) is said, as after a lookup that succeeded the first time.
    b.wait_text("#one-time-lost", "a lookup shows that e2e.unsure exists")
        .await;
    b.click("#one-time-done").await;
    b.wait_for_url_ending("/cam").await;
    b.wait_count(&row("e2e.unsure"), 1).await;
    let actions: Vec<String> = stack.requests().await.into_iter().map(|r| r.0).collect();
    assert_eq!(
        actions.iter().filter(|a| *a == "AddUser").count(),
        1,
        "AddUser is never sent twice: {actions:?}"
    );

    // An InternalError (with HTTP 200, as Tencent sends it) before anything
    // ran: the lookup finds nothing, and the admin may submit again.
    stack
        .control(
            "PUT",
            "faults",
            json!({"error_rate": 1.0, "actions": ["AddUser"], "count": 1}),
        )
        .await;
    stack.navigate("/cam/new").await;
    b.fill("#cam-name", "e2e.retry").await;
    b.fill("#cam-password", "Passw0rd!2024").await;
    b.click("#cam-submit").await;
    b.wait_text("#cam-result", "Nothing was added (the account was checked)")
        .await;
    b.wait_text("#cam-result", "InternalError").await;
    assert_eq!(b.value_of("#cam-name").await, "e2e.retry");
    b.click("#cam-submit").await;
    b.wait_for_url_ending("/cam").await;
    b.wait_text(".notices", "Added e2e.retry.").await;

    // Throttled: a banner that says what to do, nothing lost.
    stack
        .control(
            "PUT",
            "faults",
            json!({"throttle_rate": 1.0, "actions": ["AddUser"], "count": 1}),
        )
        .await;
    stack.navigate("/cam/new").await;
    b.fill("#cam-name", "e2e.slow").await;
    b.click("#cam-submit").await;
    b.wait_text("#cam-result", "RequestLimitExceeded.CreateUser")
        .await;
    b.wait_text("#cam-result", "at most 20 sub-user creations per second")
        .await;
    assert_eq!(b.value_of("#cam-name").await, "e2e.slow");
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_address_follows_the_page_after_back_and_forward() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.connect_tencent(false).await;
    b.wait_count("#cam-users tbody tr", 12).await;
    b.click("#cam-add").await;
    b.wait_for_url_ending("/cam/new").await;
    b.client.back().await.unwrap();
    b.wait_count("#cam-users tbody tr", 12).await;
    b.client.forward().await.unwrap();
    b.wait_for_url_ending("/cam/new").await;
    b.fill("#cam-name", "e2e.nav").await;
    b.fill("#cam-password", "Passw0rd!2024").await;
    b.click("#cam-submit").await;
    b.wait_text(&row("e2e.nav"), "e2e.nav").await;
    b.wait_for_url_ending("/cam").await;
    // Back does not return to the submitted form.
    b.client.back().await.unwrap();
    b.wait_for_url_ending("/cam").await;
    b.wait_count("#cam-users tbody tr", 13).await;
    assert_eq!(b.count("#cam-add-form").await, 0);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_a_sub_users_remark_login_phone_and_email() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.connect_tencent(true).await;
    stack.goto("/cam/users/ops-admin").await;
    b.wait_text("#cam-user", "Operations lead").await;
    b.click("#cam-edit").await;
    assert_eq!(b.value_of("#cam-edit-remark").await, "Operations lead");
    b.fill("#cam-edit-remark", "Network team lead").await;
    b.fill("#cam-edit-email", "not-an-email").await;
    b.fill("#cam-edit-phone", "12ab").await;
    // The form model every form shares: a field left says its problem
    // before any submit; a submit moves the focus to the first problem.
    b.wait_text("#cam-edit-email-error", "name@example.com")
        .await;
    b.click("#cam-edit-save").await;
    b.wait_text("#cam-edit-phone-error", "digits").await;
    b.wait_js(
        "document.activeElement.id === 'cam-edit-phone'",
        "the focus on the first problem",
    )
    .await;
    assert_eq!(
        b.value_of("#cam-edit-remark").await,
        "Network team lead",
        "values are kept"
    );
    b.fill("#cam-edit-email", "ops.lead@example.com").await;
    b.fill("#cam-edit-phone", "139 0000 0000").await;
    b.click("#cam-edit-save").await;
    b.wait_text(".notices", "Saved ops-admin.").await;
    let facts = b.text_of("#cam-user").await;
    assert!(
        facts.contains("Network team lead")
            && facts.contains("ops.lead@example.com")
            && facts.contains("13900000000"),
        "{facts}"
    );
    let (remark, email, phone) = {
        let inner = stack.emulator.shared.lock();
        let u = inner
            .world
            .cam_users
            .iter()
            .find(|u| u.name == "ops-admin")
            .unwrap();
        (u.remark.clone(), u.email.clone(), u.phone_num.clone())
    };
    assert_eq!(remark.as_deref(), Some("Network team lead"));
    assert_eq!(email.as_deref(), Some("ops.lead@example.com"));
    assert_eq!(phone.as_deref(), Some("13900000000"));
    stack.assert_signed_as_configured().await;
    stack.stop().await;
}
