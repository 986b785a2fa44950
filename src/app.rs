//! The root component. For now a landing page that says what the console is
//! and shows that the API layer loaded and signs correctly in this browser.

use leptos::prelude::*;

use crate::self_check;

/// The console's root.
#[component]
pub fn App() -> impl IntoView {
    let check = self_check::run();
    let (status_class, status_text) = if check.passed() {
        (
            "status status-ok",
            "API layer loaded: request signing verified against both vendors' documented examples.",
        )
    } else {
        ("status status-error", "API layer loaded, but request signing does not match the vendors' examples in this browser.")
    };
    view! {
        <header class="topbar">
            <span class="brand">"SAG Console"</span>
            <span class="topbar-note">"Alibaba Cloud SAG App · Tencent Cloud CAM"</span>
        </header>
        <main class="landing">
            <h1>"SAG App client users, managed properly"</h1>
            <p class="lead">
                "A browser console for the people who run Alibaba Cloud Smart Access Gateway App instances: "
                "create client users with validation before anything is sent, see every user across every page, "
                "delete and disable them safely, and watch who is online right now. "
                "Tencent Cloud CAM sub-users sit beside them."
            </p>
            <p id="api-status" class=status_class role="status">{status_text}</p>
            <dl class="facts">
                <dt>"Smartag API"</dt>
                <dd>{sag_api::smartag::VERSION}" · RPC signature v1 (HMAC-SHA1)"</dd>
                <dt>"CAM API"</dt>
                <dd>{sag_api::cam::VERSION}" · signature v1 (HmacSHA1)"</dd>
                <dt>"Your keys"</dt>
                <dd>"Signed in this browser, sent through your proxy, never stored unless you ask."</dd>
            </dl>
        </main>
    }
}
