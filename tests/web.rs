//! Browser tests: components mounted in headless Chromium.

#![cfg(target_arch = "wasm32")]

use leptos::{mount::mount_to, prelude::*, task::tick};
use sag_console::config::RuntimeConfig;
use sag_console::i18n::I18nContextProvider;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn host() -> web_sys::HtmlElement {
    let document = document();
    let host = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    host.unchecked_into()
}

fn config() -> RuntimeConfig {
    RuntimeConfig::parse(include_str!("../config.dev.json")).unwrap()
}

#[wasm_bindgen_test]
async fn settings_page_reports_the_signing_self_check() {
    let host = host();
    let _handle = mount_to(
        host.clone(),
        || view! { <I18nContextProvider><sag_console::Console config=config() /></I18nContextProvider> },
    );
    // "/" redirects to Settings when no credentials are held.
    let mut status = None;
    for _ in 0..100 {
        tick().await;
        status = host.query_selector("#api-status").unwrap();
        if status.is_some() {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
    let status = status.expect("the Settings page with its status line");
    assert!(
        host.query_selector("#fill-demo").unwrap().is_some(),
        "the development configuration offers demo keys"
    );
    assert!(
        status.class_name().contains("status-ok"),
        "class: {}",
        status.class_name()
    );
    assert!(status
        .text_content()
        .unwrap()
        .contains("signed with ACS3-HMAC-SHA256, Tencent Cloud requests with TC3-HMAC-SHA256"));
    host.remove();
}

#[wasm_bindgen_test]
fn hmac_signing_matches_the_documented_examples_in_the_browser() {
    // Both schemes of both vendors, in the browser's wasm.
    assert_eq!(sag_api::sign::documented_examples(), (true, true));
    assert_eq!(sag_api::sign::v3::documented_examples(), (true, true));
}

mod create_form {
    use super::*;
    use sag_api::smartag::NewClientUser;
    use sag_api::{ApiError, ServiceError, Vendor};
    use sag_console::plumbing::CallError;
    use sag_console::sag::create::{CreateUserForm, FormFeedback};

    struct Mounted {
        host: web_sys::HtmlElement,
        submitted: RwSignal<Vec<NewClientUser>>,
        feedback: FormFeedback,
        _handle: Box<dyn std::any::Any>,
    }

    fn mount() -> Mounted {
        let host = host();
        let submitted = RwSignal::new(Vec::new());
        let feedback = FormFeedback::default();
        let handle = mount_to(host.clone(), move || {
            // Components read the language from crate::i18n's context, as
            // under the console's App.
            view! {
                <I18nContextProvider>
                    <CreateUserForm
                        cidr=Some("10.10.0.0/20".to_string())
                        max_bandwidth=2000
                        feedback=feedback
                        on_submit=Callback::new(move |r| submitted.update(|v| v.push(r)))
                    />
                </I18nContextProvider>
            }
        });
        Mounted {
            host,
            submitted,
            feedback,
            _handle: Box::new(handle),
        }
    }

    fn input(host: &web_sys::HtmlElement, id: &str) -> web_sys::HtmlInputElement {
        host.query_selector(&format!("#{id}"))
            .unwrap()
            .expect(id)
            .unchecked_into()
    }

    /// Types a value the way a browser reports it: an `input` event that bubbles.
    async fn type_into(host: &web_sys::HtmlElement, id: &str, text: &str) {
        let el = input(host, id);
        el.set_value(text);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        el.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
            .unwrap();
        tick().await;
    }

    async fn leave(host: &web_sys::HtmlElement, id: &str) {
        input(host, id)
            .dispatch_event(&web_sys::Event::new("blur").unwrap())
            .unwrap();
        tick().await;
    }

    fn error_text(host: &web_sys::HtmlElement, id: &str) -> String {
        host.query_selector(&format!("#{id}-error"))
            .unwrap()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }

    fn focused() -> String {
        document()
            .active_element()
            .map(|e| e.id())
            .unwrap_or_default()
    }

    async fn submit(host: &web_sys::HtmlElement) {
        let button: web_sys::HtmlElement = host
            .query_selector("#create-submit")
            .unwrap()
            .unwrap()
            .unchecked_into();
        button.click();
        tick().await;
    }

    #[wasm_bindgen_test]
    async fn a_field_is_checked_once_visited_then_as_the_admin_types() {
        let m = mount();
        type_into(&m.host, "create-email", "not-an-email").await;
        assert_eq!(
            error_text(&m.host, "create-email"),
            "",
            "no message before the field was left"
        );
        leave(&m.host, "create-email").await;
        assert!(error_text(&m.host, "create-email").contains("name@example.com"));
        assert_eq!(
            input(&m.host, "create-email")
                .get_attribute("aria-invalid")
                .as_deref(),
            Some("true")
        );
        type_into(&m.host, "create-email", "ok@example.com").await;
        assert_eq!(
            error_text(&m.host, "create-email"),
            "",
            "fixed as the admin types"
        );
        assert_eq!(
            input(&m.host, "create-email")
                .get_attribute("aria-invalid")
                .as_deref(),
            Some("false")
        );
        m.host.remove();
    }

    #[wasm_bindgen_test]
    async fn submit_is_refused_with_the_first_invalid_field_focused_and_everything_kept() {
        let m = mount();
        type_into(&m.host, "create-email", "a@example.com").await;
        type_into(&m.host, "create-bandwidth", "3000").await;
        type_into(&m.host, "create-username", "ab").await;
        type_into(&m.host, "create-ip", "10.20.0.1").await;
        submit(&m.host).await;
        assert!(m.submitted.get_untracked().is_empty(), "nothing is sent");
        assert_eq!(focused(), "create-bandwidth");
        assert!(error_text(&m.host, "create-bandwidth").contains("at most 2000"));
        assert!(error_text(&m.host, "create-username").contains("7 to 33"));
        assert!(error_text(&m.host, "create-password").contains("go together"));
        assert!(error_text(&m.host, "create-ip").contains("10.10.0.0/20"));
        assert_eq!(input(&m.host, "create-username").value(), "ab");
        assert_eq!(input(&m.host, "create-ip").value(), "10.20.0.1");
        // The error paragraphs are announced.
        let error = m.host.query_selector("#create-ip-error").unwrap().unwrap();
        assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
        m.host.remove();
    }

    #[wasm_bindgen_test]
    async fn a_valid_form_submits_the_typed_request() {
        let m = mount();
        type_into(&m.host, "create-email", "new@example.com").await;
        type_into(&m.host, "create-bandwidth", "512").await;
        type_into(&m.host, "create-username", "new.user01").await;
        let generate: web_sys::HtmlElement = m
            .host
            .query_selector("#generate-password")
            .unwrap()
            .unwrap()
            .unchecked_into();
        generate.click();
        tick().await;
        let password = input(&m.host, "create-password");
        assert_eq!(password.type_(), "text", "a generated password is shown");
        assert!(sag_api::validate::password(&password.value()).is_ok());
        type_into(&m.host, "create-ip", "10.10.4.4").await;
        submit(&m.host).await;
        let sent = m.submitted.get_untracked();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].email.0, "new@example.com");
        assert_eq!(sent[0].bandwidth.0, 512);
        assert_eq!(
            sent[0].login.as_ref().map(|(name, _)| name.0.as_str()),
            Some("new.user01")
        );
        assert_eq!(
            sent[0].client_ip,
            Some(std::net::Ipv4Addr::new(10, 10, 4, 4))
        );
        m.host.remove();
    }

    fn service_error(code: &str) -> CallError {
        CallError {
            error: ApiError::Service(Box::new(ServiceError {
                vendor: Vendor::Aliyun,
                code: code.into(),
                message: "m".into(),
                request_id: Some("REQ-42".into()),
                http_status: 400,
                host_id: None,
                our_string_to_sign: None,
                our_canonical_request: None,
            })),
            clock_offset: None,
            attempts: 1,
        }
    }

    #[wasm_bindgen_test]
    async fn service_errors_land_on_their_field_or_in_the_banner() {
        let m = mount();
        type_into(&m.host, "create-email", "dup@example.com").await;
        type_into(&m.host, "create-username", "alice.wang00").await;
        type_into(&m.host, "create-password", "Passw0rd_1").await;
        submit(&m.host).await;
        assert_eq!(m.submitted.get_untracked().len(), 1);
        m.feedback.service_error(
            sag_console::i18n::Locale::en,
            service_error("ClientUser.UserExist"),
        );
        tick().await;
        assert!(error_text(&m.host, "create-username").contains("ClientUser.UserExist"));
        assert!(error_text(&m.host, "create-username").contains("already exists"));
        assert_eq!(focused(), "create-username");
        assert_eq!(
            input(&m.host, "create-email").value(),
            "dup@example.com",
            "values are kept"
        );
        // Editing the field clears the service's message.
        type_into(&m.host, "create-username", "alice.wang99").await;
        assert_eq!(error_text(&m.host, "create-username"), "");

        m.feedback.service_error(
            sag_console::i18n::Locale::en,
            service_error("ClientUser.IpInvalid"),
        );
        tick().await;
        assert!(error_text(&m.host, "create-ip").contains("ClientUser.IpInvalid"));

        m.feedback.service_error(
            sag_console::i18n::Locale::en,
            service_error("ClientUser.UserOverLimit"),
        );
        tick().await;
        let banner = m
            .host
            .query_selector("#create-result .error-panel")
            .unwrap()
            .expect("banner");
        let text = banner.text_content().unwrap();
        assert!(text.contains("quota is used up"), "{text}");
        assert!(text.contains("REQ-42"), "{text}");
        m.host.remove();
    }
}

/// "Details for support" wraps a long line (a server's string to sign has
/// no spaces) instead of running out of the panel sideways.
#[wasm_bindgen_test]
async fn support_details_wrap_inside_the_panel() {
    let document = document();
    let style = document.create_element("style").unwrap();
    style.set_text_content(Some(include_str!("../style/main.css")));
    document.head().unwrap().append_child(&style).unwrap();
    let host = host();
    host.style().set_property("width", "420px").unwrap();
    let error = sag_console::plumbing::CallError {
        error: sag_api::ApiError::Malformed {
            status: 200,
            detail: "x".repeat(3000),
        },
        clock_offset: None,
        attempts: 1,
    };
    let _handle = mount_to(host.clone(), move || {
        view! {
            <I18nContextProvider>
                <sag_console::shell::errors::ErrorPanel error=error.clone() context="Could not load the users." />
            </I18nContextProvider>
        }
    });
    tick().await;
    let details: web_sys::HtmlElement = host
        .query_selector("details")
        .unwrap()
        .expect("the details")
        .unchecked_into();
    details.set_attribute("open", "").unwrap();
    let pre: web_sys::HtmlElement = host
        .query_selector(".error-details")
        .unwrap()
        .expect("the details text")
        .unchecked_into();
    assert!(
        pre.scroll_width() <= pre.client_width() + 1,
        "the long line wraps: scrollWidth {} > clientWidth {}",
        pre.scroll_width(),
        pre.client_width()
    );
    let panel: web_sys::HtmlElement = host
        .query_selector(".error-panel")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(panel.scroll_width() <= 421, "the panel stays 420 px wide");
    host.remove();
    style.remove();
}

/// A connection cut after the status arrived (mid-body) is ambiguous: the
/// server got the request, so a mutation is looked up, not called failed.
#[wasm_bindgen_test]
fn an_answer_cut_mid_body_is_ambiguous() {
    let e = sag_console::plumbing::transport::cut_mid_body(200, "network error");
    assert!(e.is_ambiguous(), "{e}");
    assert!(
        e.to_string().contains("before the end of the answer"),
        "{e}"
    );
}

/// Remembered keys at rest (`plumbing::vault`), in a real browser's
/// WebCrypto and IndexedDB: sealed text holds nothing of the secret, opens
/// again, refuses a changed byte, and the device key cannot be exported.
#[wasm_bindgen_test]
async fn remembered_keys_are_sealed_under_a_key_that_never_leaves_the_browser() {
    use sag_console::plumbing::vault;
    let secret = r#"{"access_key_id":"LTAIweb","access_key_secret":"s3cret-of-the-admin"}"#;
    let sealed = vault::seal(secret, [7; 12]).await.unwrap();
    assert!(
        !sealed.contains("s3cret") && !sealed.contains("LTAI"),
        "{sealed}"
    );
    assert_eq!(vault::open(&sealed).await.unwrap(), secret);
    // A second seal with another IV differs; both open (one device key).
    let again = vault::seal(secret, [9; 12]).await.unwrap();
    assert_ne!(again, sealed);
    assert_eq!(vault::open(&again).await.unwrap(), secret);
    // A changed byte fails AES-GCM's tag.
    let last = sealed.len() - 1;
    let flipped = if sealed.ends_with('0') { '1' } else { '0' };
    let changed = format!("{}{flipped}", &sealed[..last]);
    assert!(vault::open(&changed).await.is_err());
    assert!(vault::open("not hex !").await.is_err());
    assert!(!vault::device_key_exportable().await.unwrap());
}

#[wasm_bindgen_test]
async fn a_query_reaches_the_address_once_the_typing_pauses_and_before_the_page_is_left() {
    use gloo_timers::future::TimeoutFuture;
    use sag_console::shell::router::{navigate, NavigateOptions, ADDRESS_QUIET_MS};
    // The console is served with `<base href>` (index.html); the test page is not.
    let base = document().create_element("base").unwrap();
    base.set_attribute("href", "/").unwrap();
    document().head().unwrap().append_child(&base).unwrap();
    let w = window();
    let address = w.location();
    let history = w.history().unwrap();
    let here = address.pathname().unwrap();
    let before = address.search().unwrap();
    let entries = history.length().unwrap();
    let in_place = NavigateOptions {
        replace: true,
        scroll: false,
    };

    // Keystrokes in a list's search box: the address waits for the pause.
    navigate(&format!("{here}?q=a"), in_place);
    navigate(&format!("{here}?q=al"), in_place);
    assert_eq!(
        address.search().unwrap(),
        before,
        "not written on every keystroke"
    );
    TimeoutFuture::new(ADDRESS_QUIET_MS as u32 + 200).await;
    assert_eq!(
        address.search().unwrap(),
        "?q=al",
        "written once the typing paused"
    );
    assert_eq!(
        history.length().unwrap(),
        entries,
        "in place: no history entry per keystroke"
    );

    // Moving on before the pause: the entry left keeps its query, so Back
    // returns to the list as it was searched, and the late write does not
    // land on the entry moved to.
    navigate(&format!("{here}?q=ali"), in_place);
    navigate(
        "/elsewhere-in-the-console",
        NavigateOptions {
            replace: false,
            scroll: false,
        },
    );
    assert_eq!(address.pathname().unwrap(), "/elsewhere-in-the-console");
    assert_eq!(address.search().unwrap(), "");
    TimeoutFuture::new(ADDRESS_QUIET_MS as u32 + 200).await;
    assert_eq!(
        address.search().unwrap(),
        "",
        "nothing written late on the new page"
    );
    history.back().unwrap();
    for _ in 0..100 {
        if address.pathname().unwrap() == here {
            break;
        }
        TimeoutFuture::new(20).await;
    }
    assert_eq!(address.pathname().unwrap(), here);
    assert_eq!(
        address.search().unwrap(),
        "?q=ali",
        "Back shows the list as it was searched"
    );

    history
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{here}{before}")),
        )
        .unwrap();
    base.remove();
}
