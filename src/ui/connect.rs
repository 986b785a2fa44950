//! Settings: the AccessKey (and optional STS token), remembered only on
//! request, with a "test connection" that makes one cheap signed call.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use sag_api::{Credentials, Secret};

use super::{use_config, use_session, ErrorPanel};
use crate::client::{ApiClient, CallError};
use crate::self_check;

/// What a connection test found.
#[derive(Clone)]
enum TestResult {
    Ok(String),
    Failed(CallError),
}

#[component]
pub fn ConnectPage() -> impl IntoView {
    let config = use_config();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();

    let current = session.credentials.get_untracked();
    let key_id = RwSignal::new(
        current
            .as_ref()
            .map(|c| c.access_key_id.clone())
            .unwrap_or_default(),
    );
    let secret = RwSignal::new(
        current
            .as_ref()
            .map(|c| c.access_key_secret.expose().to_owned())
            .unwrap_or_default(),
    );
    let token = RwSignal::new(
        current
            .as_ref()
            .and_then(|c| c.security_token.as_ref())
            .map(|t| t.expose().to_owned())
            .unwrap_or_default(),
    );
    let remember = RwSignal::new(session.remembered.get_untracked());
    let show_secret = RwSignal::new(false);
    let submitted = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let result: RwSignal<Option<TestResult>> = RwSignal::new(None);

    let key_error = move || {
        (submitted.get() && key_id.get().trim().is_empty()).then_some("Enter the AccessKey ID.")
    };
    let secret_error = move || {
        (submitted.get() && secret.get().is_empty()).then_some("Enter the AccessKey secret.")
    };

    let credentials = move || {
        let id = key_id.get_untracked().trim().to_owned();
        let sec = secret.get_untracked();
        if id.is_empty() || sec.is_empty() {
            return None;
        }
        let mut c = Credentials::new(id, Secret::new(sec));
        let t = token.get_untracked().trim().to_owned();
        if !t.is_empty() {
            c = c.with_security_token(Secret::new(t));
        }
        Some(c)
    };

    let first_region = config
        .aliyun
        .regions
        .first()
        .map(|r| r.id.clone())
        .unwrap_or_default();
    let test = {
        let config = config.clone();
        move |then_connect: bool| {
            submitted.set(true);
            let Some(creds) = credentials() else {
                let field = if key_id.get_untracked().trim().is_empty() {
                    "access-key-id"
                } else {
                    "access-key-secret"
                };
                crate::platform::focus_id(field);
                return;
            };
            let client = ApiClient {
                config: config.clone(),
                credentials: creds.clone(),
            };
            let region = first_region.clone();
            let navigate = navigate.clone();
            let next = query
                .get_untracked()
                .get("next")
                .filter(|n| n.starts_with('/'))
                .unwrap_or_else(|| "/sag".into());
            busy.set(true);
            result.set(None);
            spawn_local(async move {
                let outcome = crate::services::instances(&client, &region, &|_| {}).await;
                busy.set(false);
                match outcome {
                    Ok(list) => {
                        result.set(Some(TestResult::Ok(format!(
                            "Connected: Alibaba Cloud accepted the signed request ({} has {} SAG App instance{}).",
                            region,
                            list.len(),
                            if list.len() == 1 { "" } else { "s" }
                        ))));
                        if then_connect {
                            session.connect(creds, remember.get_untracked());
                            navigate(&next, Default::default());
                        }
                    }
                    Err(e) => result.set(Some(TestResult::Failed(e))),
                }
            });
        }
    };
    let test_only = test.clone();
    let demo = config.demo().cloned();
    let check = self_check::run();

    view! {
        <section class="page narrow">
            <h1>"Settings"</h1>
            <p class="lead">
                "The console signs every request in this browser with your AccessKey and sends it through the proxy configured in config.json. "
                "Prefer a temporary STS token: it expires on its own."
            </p>
            <form
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    test(true);
                }
            >
                <div class="field">
                    <label for="access-key-id">"AccessKey ID"</label>
                    <input
                        id="access-key-id"
                        autocomplete="username"
                        spellcheck="false"
                        aria-invalid=move || key_error().is_some().to_string()
                        aria-describedby="access-key-id-error"
                        prop:value=move || key_id.get()
                        on:input:target=move |ev| key_id.set(ev.target().value())
                    />
                    <p id="access-key-id-error" class="field-error" aria-live="polite">{key_error}</p>
                </div>
                <div class="field">
                    <label for="access-key-secret">"AccessKey secret"</label>
                    <div class="with-button">
                        <input
                            id="access-key-secret"
                            autocomplete="current-password"
                            spellcheck="false"
                            type=move || if show_secret.get() { "text" } else { "password" }
                            aria-invalid=move || secret_error().is_some().to_string()
                            aria-describedby="access-key-secret-error"
                            prop:value=move || secret.get()
                            on:input:target=move |ev| secret.set(ev.target().value())
                        />
                        <button type="button" class="secondary" aria-pressed=move || show_secret.get().to_string() on:click=move |_| show_secret.update(|s| *s = !*s)>
                            {move || if show_secret.get() { "Hide" } else { "Show" }}
                        </button>
                    </div>
                    <p id="access-key-secret-error" class="field-error" aria-live="polite">{secret_error}</p>
                </div>
                <div class="field">
                    <label for="security-token">"STS security token " <span class="optional">"(optional, recommended)"</span></label>
                    <input
                        id="security-token"
                        spellcheck="false"
                        autocomplete="off"
                        prop:value=move || token.get()
                        on:input:target=move |ev| token.set(ev.target().value())
                    />
                    <p class="hint">"With temporary credentials from STS AssumeRole, a leaked key expires by itself."</p>
                </div>
                <div class="field checkbox">
                    <input id="remember" type="checkbox" prop:checked=move || remember.get() on:change:target=move |ev| remember.set(ev.target().checked()) />
                    <label for="remember">"Remember on this device"</label>
                </div>
                <Show when=move || remember.get()>
                    <p class="warning" id="remember-warning">
                        "The secret will be stored unencrypted in this browser's local storage, where anyone using this browser profile, and any script running on this site, can read it. Use it only on a device that is yours alone."
                    </p>
                </Show>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || busy.get()>"Connect"</button>
                    <button type="button" class="secondary" id="test-connection" disabled=move || busy.get() on:click=move |_| test_only(false)>"Test connection"</button>
                    {demo.map(|d| view! {
                        <button type="button" class="secondary" id="fill-demo" on:click=move |_| {
                            key_id.set(d.access_key_id.clone());
                            secret.set(d.access_key_secret.clone());
                        }>"Fill demo keys"</button>
                    })}
                    <Show when=move || session.credentials.get().is_some()>
                        <button type="button" class="danger" id="forget" on:click=move |_| {
                            session.forget();
                            key_id.set(String::new());
                            secret.set(String::new());
                            token.set(String::new());
                            remember.set(false);
                            result.set(None);
                        }>"Forget credentials"</button>
                    </Show>
                </div>
            </form>
            <div id="connection-result" aria-live="polite">
                <Show when=move || busy.get()>
                    <p class="progress">"Testing the connection…"</p>
                </Show>
                {move || result.get().map(|r| match r {
                    TestResult::Ok(text) => view! { <p class="status status-ok">{text}</p> }.into_any(),
                    TestResult::Failed(e) => view! { <ErrorPanel error=e context="The connection test failed." /> }.into_any(),
                })}
            </div>
            <p id="api-status" class=if check.passed() { "status status-ok small" } else { "status status-error small" }>
                {if check.passed() {
                    "Signing self-check: signatures verified against both vendors' documented examples."
                } else {
                    "Signing self-check failed in this browser: requests would be rejected."
                }}
            </p>
        </section>
    }
}
