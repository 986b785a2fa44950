//! Settings: each cloud's keys side by side (Alibaba AccessKey, Tencent
//! SecretId/SecretKey, each with an optional temporary token), remembered
//! only on request, each with a "test connection" that makes one cheap signed
//! call and says in words what is wrong.

use super::router::{use_navigate, use_query_map};
use leptos::prelude::*;

use super::areas::Areas;
use sag_api::{Credentials, Secret, Vendor};

use super::errors::ErrorPanel;
use super::field::CheckField;
use super::session::Keys;
use super::{self_check, use_api, use_config, use_session};
use crate::i18n::{t_string, td_string, use_i18n, Locale};
use crate::plumbing::platform;
use crate::shell::language::tr;

/// The words (in the chosen language) and element ids of one cloud's key form.
#[derive(Clone, Copy)]
struct KeyFormText {
    title: fn(Locale) -> &'static str,
    id_label: fn(Locale) -> &'static str,
    secret_label: fn(Locale) -> &'static str,
    token_label: fn(Locale) -> &'static str,
    token_hint: fn(Locale) -> &'static str,
    id_field: &'static str,
    secret_field: &'static str,
    token_field: &'static str,
    remember_field: &'static str,
    remember_for: &'static str,
    submit_id: &'static str,
    test_id: &'static str,
    demo_id: &'static str,
    forget_id: &'static str,
    result_id: &'static str,
    warning_id: &'static str,
    /// Where Connect goes unless `?next=` names a page of this cloud.
    area: &'static str,
}

fn text_for(vendor: Vendor) -> KeyFormText {
    match vendor {
        Vendor::Aliyun => KeyFormText {
            title: |l| td_string!(l, settings.aliyun_title),
            id_label: |l| td_string!(l, settings.aliyun_id),
            secret_label: |l| td_string!(l, settings.aliyun_secret),
            token_label: |l| td_string!(l, settings.aliyun_token),
            token_hint: |l| td_string!(l, settings.aliyun_token_hint),
            id_field: "access-key-id",
            secret_field: "access-key-secret",
            token_field: "security-token",
            remember_field: "remember",
            remember_for: "remember-for",
            submit_id: "connect-aliyun",
            test_id: "test-connection",
            demo_id: "fill-demo",
            forget_id: "forget",
            result_id: "connection-result",
            warning_id: "remember-warning",
            area: "/sag",
        },
        Vendor::Tencent => KeyFormText {
            title: |l| td_string!(l, settings.tencent_title),
            id_label: |l| td_string!(l, settings.tencent_id),
            secret_label: |l| td_string!(l, settings.tencent_secret),
            token_label: |l| td_string!(l, settings.tencent_token),
            token_hint: |l| td_string!(l, settings.tencent_token_hint),
            id_field: "secret-id",
            secret_field: "secret-key",
            token_field: "tencent-token",
            remember_field: "tencent-remember",
            remember_for: "tencent-remember-for",
            submit_id: "connect-tencent",
            test_id: "tencent-test",
            demo_id: "tencent-fill-demo",
            forget_id: "tencent-forget",
            result_id: "tencent-result",
            warning_id: "tencent-remember-warning",
            area: "/cam",
        },
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let check = self_check::run(&use_config());
    let passed = check.passed();
    let i18n = use_i18n();
    view! {
        <section class="page narrow">
            <h1>{tr(|l| td_string!(l, settings.title))}</h1>
            <p class="lead">{tr(|l| td_string!(l, settings.lead))}</p>
            <KeyForm vendor=Vendor::Aliyun />
            <KeyForm vendor=Vendor::Tencent />
            <p id="api-status" class=if passed { "status status-ok small" } else { "status status-error small" }>
                {move || check.text_in(i18n.get_locale())}
            </p>
        </section>
    }
}

/// One cloud's keys: typed, tested, connected, remembered or forgotten.
#[component]
fn KeyForm(vendor: Vendor) -> impl IntoView {
    let t = text_for(vendor);
    let i18n = use_i18n();
    let config = use_config();
    let api = use_api();
    let keys: Keys = use_session().keys(vendor);
    let navigate = use_navigate();
    let query = use_query_map();
    let notices = super::notices::use_notices();

    let current = keys.credentials.get_untracked();
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
    let remember = RwSignal::new(keys.remembered.get_untracked());
    // How long, in hours (one of session::REMEMBER_HOURS).
    let remember_hours = RwSignal::new(crate::shell::session::REMEMBER_HOURS[0]);
    // Remembered keys unsealed after this form was drawn fill it then.
    Effect::new(move |_| {
        if let Some(c) = keys.credentials.get() {
            if key_id.get_untracked().is_empty() && secret.get_untracked().is_empty() {
                key_id.set(c.access_key_id.clone());
                secret.set(c.access_key_secret.expose().to_owned());
                token.set(
                    c.security_token
                        .as_ref()
                        .map(|t| t.expose().to_owned())
                        .unwrap_or_default(),
                );
                remember.set(keys.remembered.get_untracked());
            }
        }
    });
    let show_secret = RwSignal::new(false);
    let submitted = RwSignal::new(false);

    let (id_label, secret_label) = (t.id_label, t.secret_label);
    // "Enter the AccessKey ID", once a submit was tried.
    let enter = move |label: fn(Locale) -> &'static str, empty: bool| {
        let what = label(i18n.get_locale());
        (submitted.get() && empty).then(|| t_string!(i18n, settings.enter, what).to_string())
    };
    let key_error = move || enter(id_label, key_id.with(|k| k.trim().is_empty()));
    let secret_error = move || enter(secret_label, secret.with(String::is_empty));
    let credentials = move || {
        credentials_of(
            &key_id.get_untracked(),
            secret.get_untracked(),
            &token.get_untracked(),
        )
    };

    // The test, and on success (when asked) the connection and the way on.
    let area = t.area;
    let area_hooks = expect_context::<Areas>().of(vendor);
    let test = Action::new_local(move |(creds, connect): &(Credentials, bool)| {
        let (creds, connect) = (creds.clone(), *connect);
        // A "Forget" while the test runs wins: the keys are not taken.
        let forgets_before = keys.forgotten.get_value();
        async move {
            let client = api.with_credentials(creds.clone());
            let outcome = area_hooks.test(client, i18n.get_locale_untracked()).await;
            if outcome.is_ok() && connect && keys.forgotten.get_value() == forgets_before {
                let wanted = remember.get_untracked();
                let hours = wanted.then(|| remember_hours.get_untracked());
                if !keys.connect(creds, hours).await && wanted {
                    let l = i18n.get_locale_untracked();
                    notices.push(
                        td_string!(
                            l,
                            settings.not_remembered,
                            cloud = crate::text::cloud(l, vendor)
                        )
                        .to_string(),
                    );
                }
                let next = safe_next(query.get_untracked().get("next").as_deref(), area);
                navigate(&next, Default::default());
            }
            outcome
        }
    });
    let busy = test.pending();
    let (id_field, secret_field) = (t.id_field, t.secret_field);
    let run = move |connect: bool| {
        submitted.set(true);
        match credentials() {
            Some(c) => {
                test.dispatch((c, connect));
            }
            None => platform::focus_id(if key_id.get_untracked().trim().is_empty() {
                id_field
            } else {
                secret_field
            }),
        }
    };
    let demo = config.demo(vendor).cloned();
    // Tencent's keys are signed for a host the proxy must send.
    let sign_hint = (vendor == Vendor::Tencent).then(|| sign_hint(&config));
    let error_of = |id: &str| format!("{id}-error");

    view! {
        <form class="key-form" novalidate on:submit=move |ev| { ev.prevent_default(); run(true); }>
            <h2>{move || (t.title)(i18n.get_locale())}</h2>
            <div class="field">
                <label for=t.id_field>{move || id_label(i18n.get_locale())}</label>
                <input
                    id=t.id_field
                    autocomplete="off"
                    data-1p-ignore=""
                    data-lpignore="true"
                    data-bwignore=""
                    spellcheck="false"
                    aria-invalid=move || key_error().is_some().to_string()
                    aria-describedby=error_of(t.id_field)
                    prop:value=move || key_id.get()
                    on:input:target=move |ev| key_id.set(ev.target().value())
                />
                <p id=error_of(t.id_field) class="field-error" aria-live="polite">{key_error}</p>
            </div>
            <div class="field">
                <label for=t.secret_field>{move || secret_label(i18n.get_locale())}</label>
                <div class="with-button">
                    // Not offered to password managers: a cloud secret is not
                    // a site login, and saving it would copy it out of the
                    // admin's control.
                    <input
                        id=t.secret_field
                        autocomplete="off"
                        data-1p-ignore=""
                        data-lpignore="true"
                        data-bwignore=""
                        spellcheck="false"
                        type=move || if show_secret.get() { "text" } else { "password" }
                        aria-invalid=move || secret_error().is_some().to_string()
                        aria-describedby=error_of(t.secret_field)
                        prop:value=move || secret.get()
                        on:input:target=move |ev| secret.set(ev.target().value())
                    />
                    <button type="button" class="secondary" aria-pressed=move || show_secret.get().to_string() on:click=move |_| show_secret.update(|s| *s = !*s)>
                        {move || if show_secret.get() { t_string!(i18n, create.hide) } else { t_string!(i18n, create.show) }}
                    </button>
                </div>
                <p id=error_of(t.secret_field) class="field-error" aria-live="polite">{secret_error}</p>
                {sign_hint.map(|h| view! { <p class="hint">{h}</p> })}
            </div>
            <div class="field">
                <label for=t.token_field>{move || (t.token_label)(i18n.get_locale())}" "<span class="optional">{tr(|l| td_string!(l, settings.optional))}</span></label>
                <input
                    id=t.token_field
                    spellcheck="false"
                    autocomplete="off"
                    prop:value=move || token.get()
                    on:input:target=move |ev| token.set(ev.target().value())
                />
                <p class="hint">{move || (t.token_hint)(i18n.get_locale())}</p>
            </div>
            <RememberChoice t=t remember=remember remember_hours=remember_hours keys=keys />
            <div class="actions">
                <button type="submit" class="primary" id=t.submit_id disabled=move || busy.get()>{tr(|l| td_string!(l, settings.connect))}</button>
                <button type="button" class="secondary" id=t.test_id disabled=move || busy.get() on:click=move |_| run(false)>{tr(|l| td_string!(l, settings.test))}</button>
                {demo.map(|d| view! {
                    <button type="button" class="secondary" id=t.demo_id on:click=move |_| {
                        key_id.set(d.access_key_id.clone());
                        secret.set(d.access_key_secret.clone());
                    }>{tr(|l| td_string!(l, settings.demo))}</button>
                })}
                <Show when=move || keys.connected()>
                    <button type="button" class="danger" id=t.forget_id on:click=move |_| {
                        keys.forget();
                        key_id.set(String::new());
                        secret.set(String::new());
                        token.set(String::new());
                        remember.set(false);
                        test.value().set(None);
                    }>{tr(|l| td_string!(l, settings.forget))}</button>
                </Show>
            </div>
            <TestResult id=t.result_id busy=busy result=test.value() />
        </form>
    }
}

/// "Remember on this computer", for how long, its warnings, and until when
/// the remembered keys last.
#[component]
fn RememberChoice(
    t: KeyFormText,
    remember: RwSignal<bool>,
    remember_hours: RwSignal<i64>,
    keys: Keys,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
            <CheckField id=t.remember_field label=Signal::derive(move || t_string!(i18n, settings.remember).to_owned()) checked=remember />
            <Show when=move || remember.get()>
                <div class="field">
                    <label for=t.remember_for>{tr(|l| td_string!(l, settings.remember_for))}</label>
                    <select id=t.remember_for on:change:target=move |ev| {
                        if let Ok(h) = ev.target().value().parse::<i64>() {
                            remember_hours.set(h);
                        }
                    }>
                        {crate::shell::session::REMEMBER_HOURS.iter().map(|&h| {
                            let label = move || remember_label(i18n.get_locale(), h);
                            view! { <option value=h.to_string() selected=move || remember_hours.get() == h>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <p class="warning" id=t.warning_id>{tr(|l| td_string!(l, settings.remember_warning))}</p>
                {(!crate::shell::routes::base_path().is_empty()).then(|| view! {
                    <p class="warning" id=format!("{}-shared-origin", t.remember_field)>{move || t_string!(i18n, settings.shared_origin, base = crate::shell::routes::base_path()).to_string()}</p>
                })}
            </Show>
            {move || keys.remembered_until.get().map(|until| {
                let offset = platform::local_offset_minutes();
                let time = crate::format::local_time(until, offset);
                view! { <p class="hint" id=format!("{}-until", t.remember_field)>{move || t_string!(i18n, settings.remembered_until, time = &time).to_string()}</p> }
            })}
    }
}

/// The test's progress and its answer, in words.
#[component]
fn TestResult(
    id: &'static str,
    busy: Memo<bool>,
    result: MappedSignal<Option<Result<String, crate::plumbing::CallError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
            <div id=id aria-live="polite">
                <Show when=move || busy.get()>
                    <p class="progress">{tr(|l| td_string!(l, settings.testing))}</p>
                </Show>
                {move || result.get().filter(|_| !busy.get()).map(|r| match r {
                    Ok(text) => view! { <p class="status status-ok">{text}</p> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e context=t_string!(i18n, settings.test_failed) /> }.into_any(),
                })}
            </div>
    }
}

/// The keys typed: none until both the ID and the secret are there; the
/// STS token when one is typed.
fn credentials_of(key_id: &str, secret: String, token: &str) -> Option<Credentials> {
    let id = key_id.trim();
    if id.is_empty() || secret.is_empty() {
        return None;
    }
    let credentials = Credentials::new(id.to_owned(), Secret::new(secret));
    Some(match token.trim() {
        "" => credentials,
        token => credentials.with_security_token(Secret::new(token.to_owned())),
    })
}

/// "Requests are signed for cam.tencentcloudapi.com and sent to …".
fn sign_hint(config: &crate::config::RuntimeConfig) -> impl Fn() -> String + use<> {
    let i18n = use_i18n();
    let (host, endpoint) = (
        config.tencent.sign_host.clone(),
        config.tencent.endpoint.clone(),
    );
    move || t_string!(i18n, settings.sign_hint, host = &host, endpoint = &endpoint).to_string()
}

/// "8 hours", "1 day", "7 days", "30 days".
fn remember_label(l: Locale, hours: i64) -> String {
    if hours % 24 == 0 {
        td_string!(l, settings.remember_days, days = hours / 24).to_string()
    } else {
        td_string!(l, settings.remember_hours, hours).to_string()
    }
}

/// Where Connect goes: `next` when it is a path of this console under `area`
/// (`/sag`, `/cam`), else `area`. Anything that could leave the site
/// (`//evil.example`, `/\evil.example`, `https://…`) or is not under the area
/// (`/sagevil`) is refused.
pub fn safe_next(next: Option<&str>, area: &str) -> String {
    // Only what follows the area is the caller's: it must stay a path of
    // this site (no `//host`, no backslash, no control or space characters).
    let Some((next, rest)) = next.and_then(|n| Some((n, n.strip_prefix(area)?))) else {
        return area.to_owned();
    };
    let under_area = rest.is_empty() || rest.starts_with('/') || rest.starts_with('?');
    let plain = !rest.starts_with("//")
        && !rest.contains('\\')
        && !rest.chars().any(|c| c.is_control() || c.is_whitespace());
    if under_area && plain {
        next.to_owned()
    } else {
        area.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_accepts_only_paths_of_this_console_under_the_area() {
        assert_eq!(safe_next(None, "/sag"), "/sag");
        assert_eq!(
            safe_next(Some("/sag/cn-shanghai/sag-1?q=a"), "/sag"),
            "/sag/cn-shanghai/sag-1?q=a"
        );
        assert_eq!(safe_next(Some("/sag"), "/sag"), "/sag");
        assert_eq!(
            safe_next(Some("/cam/users/jack"), "/cam"),
            "/cam/users/jack"
        );
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/sag",
            "/sagevil",
            "/sag//evil.example",
            "/sag/\\evil.example",
            "/sag/x\nLocation: evil",
            "/cam/users",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(Some(bad), "/sag"), "/sag", "{bad:?}");
        }
    }
}
