//! Pages and the components they share.

pub mod connect;
pub mod create;
pub mod instances;
pub mod online;
pub mod users;

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use wasm_bindgen::JsCast;

use crate::client::{ApiClient, CallError};
use crate::config::RuntimeConfig;
use crate::platform;
use crate::session::Session;

/// The runtime configuration, shared through context.
#[derive(Clone)]
pub struct AppConfig(pub Arc<RuntimeConfig>);

pub fn use_config() -> Arc<RuntimeConfig> {
    expect_context::<AppConfig>().0
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// A copyable handle to make API clients anywhere, event handlers and
/// spawned tasks included (context is only reachable in component bodies).
#[derive(Clone, Copy)]
pub struct Api {
    config: StoredValue<Arc<RuntimeConfig>>,
    pub session: Session,
}

impl Api {
    /// A client for the current credentials (not tracked).
    pub fn client(&self) -> Option<ApiClient> {
        let config = self.config.get_value();
        self.session
            .credentials
            .get_untracked()
            .map(|credentials| ApiClient {
                config,
                credentials,
            })
    }

    /// Like [`Api::client`], but re-runs the calling effect when the credentials change.
    pub fn client_tracked(&self) -> Option<ApiClient> {
        self.session.credentials.track();
        self.client()
    }

    pub fn connected(&self) -> bool {
        self.session.credentials.with(Option::is_some)
    }
}

/// Call in a component body.
pub fn use_api() -> Api {
    Api {
        config: StoredValue::new(use_config()),
        session: use_session(),
    }
}

/// The `:region` and `:instance` of the current route.
pub fn use_instance_params() -> (Memo<String>, Memo<String>) {
    let params = use_params_map();
    let region = Memo::new(move |_| params.read().get("region").unwrap_or_default());
    let instance = Memo::new(move |_| params.read().get("instance").unwrap_or_default());
    (region, instance)
}

/// Short messages announced politely to screen readers and shown on top.
#[derive(Clone, Copy)]
pub struct Notices(pub RwSignal<Vec<(u64, String)>>);

impl Notices {
    pub fn push(&self, text: impl Into<String>) {
        let id = platform::now_ms() as u64;
        let text = text.into();
        self.0.update(|list| list.push((id, text)));
        let list = self.0;
        set_timeout(
            move || list.update(|l| l.retain(|(i, _)| *i != id)),
            std::time::Duration::from_secs(12),
        );
    }
}

#[component]
pub fn NoticeArea() -> impl IntoView {
    let notices = expect_context::<Notices>();
    view! {
        <div class="notices" role="status" aria-live="polite">
            <For each=move || notices.0.get() key=|(id, _)| *id children=move |(id, text)| view! {
                <div class="notice">
                    <span>{text}</span>
                    <button class="link" aria-label="Dismiss" on:click=move |_| notices.0.update(|l| l.retain(|(i, _)| *i != id))>"×"</button>
                </div>
            } />
        </div>
    }
}

/// The words for a failure, with the vendor's code and RequestId one click
/// away and copyable for a support ticket.
#[component]
pub fn ErrorPanel(
    error: CallError,
    #[prop(optional, into)] context: Option<String>,
) -> impl IntoView {
    let headline = error.to_string();
    let details = error.error.support_details();
    let code = error.error.code().map(str::to_owned);
    let request_id = error.error.request_id().map(str::to_owned);
    let advice = advice_for(&error);
    let copied = RwSignal::new(false);
    let text_for_copy = details.clone();
    view! {
        <div class="error-panel" role="alert">
            {context.map(|c| view! { <p class="error-context">{c}</p> })}
            <p class="error-headline">{headline}</p>
            {advice.map(|a| view! { <p class="error-advice">{a}</p> })}
            <details>
                <summary>
                    "Details for support"
                    {code.map(|c| view! { <span class="code">" · "{c}</span> })}
                    {request_id.map(|r| view! { <span class="code">" · RequestId "{r}</span> })}
                </summary>
                <pre class="error-details">{details}</pre>
                <button
                    type="button"
                    class="secondary"
                    on:click=move |_| {
                        let text = text_for_copy.clone();
                        leptos::task::spawn_local(async move {
                            copied.set(platform::copy_text(&text).await);
                        });
                    }
                >
                    {move || if copied.get() { "Copied" } else { "Copy details" }}
                </button>
            </details>
        </div>
    }
}

fn advice_for(error: &CallError) -> Option<&'static str> {
    use sag_api::ErrorKind as K;
    Some(match error.error.kind() {
        K::Unreachable => "The console talks to the clouds through a proxy. Check the network and the proxy paths in config.json.",
        K::ProxyPage => "The proxy could not reach the cloud API, or returned its own error page. Check the proxy's upstream and its logs.",
        K::Timeout => "The proxy or the cloud is slow or unreachable.",
        K::UnknownAccessKey | K::AccessKeyDisabled => "Check the AccessKey ID in Settings.",
        K::InvalidToken => "Get a fresh STS token and enter it in Settings.",
        K::PermissionDenied => "Grant this AccessKey's RAM user the smartag permissions it needs.",
        K::Throttled => "Too many requests; wait a moment.",
        _ => return None,
    })
}

/// A modal dialog: focus moves into it, Tab stays inside, Escape cancels,
/// and focus returns where it was when it closes.
#[component]
pub fn Dialog(
    /// Heading, also the dialog's accessible name.
    #[prop(into)]
    title: String,
    /// Called on Escape (and by the caller's Cancel button).
    on_cancel: Callback<()>,
    children: Children,
) -> impl IntoView {
    let previous = platform::active_element().map(send_wrapper::SendWrapper::new);
    let node: NodeRef<leptos::html::Div> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            if let Some(first) = focusables(&el).into_iter().next() {
                let _ = first.focus();
            }
        }
    });
    on_cleanup(move || {
        if let Some(prev) = previous {
            let _ = prev.take().focus();
        }
    });
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            on_cancel.run(());
        } else if ev.key() == "Tab" {
            let Some(el) = node.get() else { return };
            let items = focusables(&el);
            let (Some(first), Some(last)) = (items.first(), items.last()) else {
                return;
            };
            let active = platform::active_element();
            let at = |x: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a == x);
            if ev.shift_key() && at(first) {
                ev.prevent_default();
                let _ = last.focus();
            } else if !ev.shift_key() && at(last) {
                ev.prevent_default();
                let _ = first.focus();
            }
        }
    };
    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" node_ref=node on:keydown=on_keydown>
                <h2 id="dialog-title">{title}</h2>
                {children()}
            </div>
        </div>
    }
}

fn focusables(root: &web_sys::HtmlDivElement) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = root.query_selector_all(
        "button:not([disabled]), input:not([disabled]), select, a[href], [tabindex='0']",
    ) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// Shown instead of a page that needs credentials.
#[component]
pub fn NeedsConnection() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let next = move || {
        let here = format!("{}{}", location.pathname.get(), location.search.get());
        format!("/connect?next={}", sag_api::wire::percent_encode(&here))
    };
    view! {
        <section class="page narrow" id="needs-connection">
            <h1>"Connect first"</h1>
            <p>"This page calls Alibaba Cloud with your AccessKey. Enter it in Settings; it stays in this tab's memory unless you choose to remember it. You come back here afterwards."</p>
            <A href=next attr:class="button primary">"Open Settings"</A>
        </section>
    }
}

/// Tabs between the screens of one instance.
#[component]
pub fn InstanceNav(region: Memo<String>, instance: Memo<String>) -> impl IntoView {
    let base = move || format!("/sag/{}/{}", region.get(), instance.get());
    view! {
        <nav class="tabs" aria-label="Instance">
            <A href=base exact=true>"Users"</A>
            <A href=move || format!("{}/new", base()) exact=true>"New user"</A>
            <A href=move || format!("{}/online", base()) exact=true>"Online now"</A>
            <A href=move || format!("/sag?region={}", region.get()) exact=true>"All instances"</A>
        </nav>
    }
}
