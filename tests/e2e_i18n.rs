//! The console in Simplified Chinese, end to end in headless Chromium: a
//! browser that prefers `zh-CN` gets Chinese (with `<html lang>`), the create
//! form's validation messages and an error explanation are Chinese with the
//! vendor's own message beside it, the online view's durations follow the
//! language, the one-time password view is Chinese, and switching language
//! in the top bar keeps what was typed and is remembered.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::json;
use support::{screenshot_path, Stack, HQ};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

async fn chinese_stack() -> Stack {
    Stack::start_in_language(cloud_emulator::Config::default(), |_| {}, "zh-CN").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_that_prefers_chinese_gets_chinese_forms_and_errors() {
    let stack = chinese_stack().await;
    let b = &stack.browser;
    stack.connect(false).await;
    b.wait_js(
        "document.documentElement.lang === 'zh-CN'",
        "<html lang=\"zh-CN\">",
    )
    .await;
    b.wait_text("header nav", "智能接入网关实例").await;
    b.wait_text("#connection-state", "阿里云：密钥 ").await;
    assert_eq!(b.value_of("#language").await, "zh-CN");

    // Validation messages, labels and hints.
    stack.navigate(&format!("{HQ}/new")).await;
    b.wait_text("#create-ip-hint", "实例客户端网段 10.10.0.0/20")
        .await;
    b.wait_text("label[for=create-bandwidth]", "带宽（Kbit/s）")
        .await;
    b.click("#create-submit").await;
    b.wait_text("#create-email-error", "请输入邮箱地址").await;
    b.fill("#create-email", "not-an-email").await;
    b.fill("#create-bandwidth", "2001").await;
    b.fill("#create-username", "ab").await;
    b.fill("#create-ip", "10.20.0.1").await;
    b.click("#create-submit").await;
    b.wait_text("#create-email-error", "请输入完整的邮箱地址")
        .await;
    b.wait_text(
        "#create-bandwidth-error",
        "此实例的带宽最大为 2000 Kbit/s。",
    )
    .await;
    b.wait_text(
        "#create-username-error",
        "用户名长度须为 7 到 33 个字符（当前 2 个）",
    )
    .await;
    b.wait_text("#create-password-error", "请同时输入密码")
        .await;
    b.wait_text(
        "#create-ip-error",
        "10.20.0.1 不在实例的客户端网段 10.10.0.0/20 内",
    )
    .await;
    b.js("window.scrollTo(0, 0); return true;").await;
    b.screenshot(&screenshot_path("create-zh-CN.png")).await;

    // Switching language keeps every typed value and re-words the messages.
    b.js("const s = document.querySelector('#language'); s.value = 'en'; s.dispatchEvent(new Event('change', {bubbles: true})); return true;").await;
    b.wait_js(
        "document.documentElement.lang === 'en'",
        "<html lang=\"en\">",
    )
    .await;
    b.wait_text(
        "#create-bandwidth-error",
        "Bandwidth can be at most 2000 Kbit/s on this instance.",
    )
    .await;
    b.wait_text("header nav", "SAG instances").await;
    assert_eq!(b.value_of("#create-email").await, "not-an-email");
    assert_eq!(b.value_of("#create-bandwidth").await, "2001");
    assert_eq!(b.value_of("#create-username").await, "ab");
    assert_eq!(b.value_of("#create-ip").await, "10.20.0.1");
    assert_eq!(
        b.js("return localStorage.getItem('sag-console.language')")
            .await,
        json!("en"),
        "the choice is remembered"
    );
    // Remembered over a reload, although the browser prefers Chinese.
    stack.connect(false).await;
    b.wait_text("header nav", "SAG instances").await;
    b.js("const s = document.querySelector('#language'); s.value = 'zh-CN'; s.dispatchEvent(new Event('change', {bubbles: true})); return true;").await;
    b.wait_text("header nav", "智能接入网关实例").await;

    // A vendor error under its field: our words, then its code.
    stack.navigate(&format!("{HQ}/new")).await;
    b.fill("#create-email", "e2e.zh01@example.com").await;
    b.fill("#create-username", "alice.wang00").await;
    b.fill("#create-password", "Passw0rd_1").await;
    b.click("#create-submit").await;
    b.wait_text(
        "#create-username-error",
        "实例上已存在同名的客户端用户。（ClientUser.UserExist）",
    )
    .await;

    // An error explanation in the banner: the clock, in Chinese, with the
    // vendor's message as sent beside it.
    stack
        .control("PUT", "clock", json!({"unix_seconds": now() + 20 * 60}))
        .await;
    b.fill("#create-username", "zh.user.01").await;
    b.click("#create-submit").await;
    let panel = b
        .wait_text("#create-result .error-panel", "本机时钟比服务器慢 20 分钟")
        .await;
    assert!(panel.contains("未创建该用户"), "{panel}");
    assert!(panel.contains("阿里云返回的原始信息："), "{panel}");
    assert!(panel.contains("技术支持所需详情"), "{panel}");
    let vendor = b
        .text_of("#create-result .vendor-message span[lang=en]")
        .await;
    assert!(
        !vendor.trim().is_empty(),
        "the vendor's own message is shown as sent"
    );
    stack
        .control("PUT", "clock", json!({"unix_seconds": null}))
        .await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_durations_and_the_one_time_password_follow_the_language() {
    let stack = chinese_stack().await;
    let b = &stack.browser;
    stack.control("POST", "online", json!({"smart_ag_id": "sag-app-hq01", "user_name": "irene.wang08", "client_ip": "10.10.5.5", "online_time": now() - 3725})).await;
    stack.connect(false).await;
    stack.navigate(&format!("{HQ}/online")).await;
    let irene = b
        .wait_text("tr[data-user=\"irene.wang08\"]", "10.10.5.5")
        .await;
    assert!(irene.contains("1 小时 02 分"), "{irene}");
    b.wait_text("#updated", "秒前更新").await;
    b.wait_text("#refresh-cost", "每次刷新").await;
    b.wait_text("#online thead", "在线时长").await;
    b.screenshot(&screenshot_path("online-zh-CN.png")).await;

    // The one-time password view.
    stack.navigate(HQ).await;
    b.wait_js(
        "document.querySelector('#users tr[data-user]') !== null",
        "the users table",
    )
    .await;
    b.wait_text("#user-count", "个用户").await;
    b.wait_text("#users thead", "用户名").await;
    b.wait_text("nav.tabs", "当前在线").await;
    b.show_user("grace.wang06").await;
    b.click("button[aria-label=\"编辑 grace.wang06\"]").await;
    b.click("#edit-reset-password").await;
    b.wait_text(".dialog", "重置 grace.wang06 的密码").await;
    b.click("#reset-submit").await;
    let view = b.wait_text("#reset-one-time", "仅此一次显示").await;
    assert!(view.contains("复制"), "{view}");
    let password = b.text_of("#reset-new-password").await;
    assert!(sag_api::validate::password(&password).is_ok(), "{password}");
    b.click("#reset-done").await;
    b.wait_text(".notices", "已为 grace.wang06 设置新密码。")
        .await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cam_one_time_credentials_view_is_chinese() {
    let stack = chinese_stack().await;
    let b = &stack.browser;
    stack.connect_tencent(false).await;
    b.wait_text("#cam-count", "个子用户").await;
    b.wait_text("#cam-users thead", "控制台登录").await;
    stack.navigate("/cam/new").await;
    b.wait_text("label[for=cam-name]", "用户名").await;
    b.click("#cam-submit").await;
    b.wait_text("#cam-name-error", "请输入用户名。").await;
    b.fill("#cam-name", "e2e.zh.keys").await;
    b.click("#cam-use-api").await;
    b.click("#cam-submit").await;
    b.wait_text("#one-time-warning", "腾讯云只显示一次").await;
    let facts = b.text_of("#one-time").await;
    assert!(facts.contains("控制台密码（自动生成）"), "{facts}");
    assert!(facts.contains("SecretKey"), "{facts}");
    b.wait_text("h1", "已添加子用户 e2e.zh.keys").await;
    b.screenshot(&screenshot_path("cam-one-time-zh-CN.png"))
        .await;
    b.click("#one-time-done").await;
    b.wait_text(".dialog", "不保存凭证就离开？").await;
    b.click("#leave").await;
    b.wait_for_url_ending("/cam").await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bare_zh_preference_gets_chinese_and_settings_speak_it() {
    let stack = Stack::start_in_language(cloud_emulator::Config::default(), |_| {}, "zh").await;
    let b = &stack.browser;
    stack.goto("/").await;
    b.wait_js(
        "document.documentElement.lang === 'zh-CN'",
        "<html lang=\"zh-CN\">",
    )
    .await;
    b.wait_text("h1", "设置").await;
    b.wait_text("#api-status", "签名自检通过").await;
    b.wait_text("label[for=access-key-id]", "AccessKey ID")
        .await;
    // A wrong secret: the signature diagnosis in Chinese.
    b.fill("#access-key-id", support::KEY_ID).await;
    b.fill("#access-key-secret", "not-the-secret").await;
    b.click("#test-connection").await;
    let panel = b
        .wait_text("#connection-result .error-panel", "连接测试失败。")
        .await;
    assert!(panel.contains("AccessKey Secret 错误"), "{panel}");
    stack.stop().await;
}
