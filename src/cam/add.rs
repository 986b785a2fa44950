//! `/cam/new`: add a sub-user. The form checks what Tencent documents (and
//! no more), sends `AddUser` once through the `add_user` service, puts
//! service errors under their field, and keeps everything typed. A success
//! that returns a generated password or API keys shows them once, with copy
//! buttons and a CSV download, and asks before the page is left; leaving
//! wipes them.

use crate::i18n::{t_string, td_string, use_i18n};
use crate::shell::language::tr;

use crate::shell::router::use_navigate;
use leptos::prelude::*;
use sag_api::cam::{AddUser, AddedUser};
use sag_api::Vendor;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::add_form::{credentials_csv, AddForm, CamField};
use super::services;
use super::users::JustAdded;
use crate::plumbing::platform;
use crate::shell::dialog::Dialog;
use crate::shell::field::{CheckField, TextField};
use crate::shell::form::FormState;
use crate::shell::notices::use_notices;
use crate::shell::operation::{use_mutation, CheckAgain, Done, Mutate, OpWords, OperationStatus};

/// What the one-time view shows.
#[derive(Debug, Clone)]
struct OneTime {
    name: String,
    /// `None`: the answer was lost; a lookup showed the user exists.
    added: Option<AddedUser>,
    /// What was asked for, to say what was lost with a lost answer.
    wanted_keys: bool,
    wanted_password: bool,
}

/// The add's words, for the operation layer.
pub static WORDS: OpWords = OpWords {
    checking: |l, error, name| td_string!(l, cam_add.checking_note, error, name).to_string(),
    nothing_done: Some(|l| td_string!(l, cam_add.nothing_added)),
    unknown: Some(|l, name| td_string!(l, cam_add.unknown, name).to_string()),
    absent: |l, name| td_string!(l, cam_add.not_added_checked, name).to_string(),
    still_unknown: |l, name| td_string!(l, cam_add.still_unknown, name).to_string(),
    failed: |l| td_string!(l, cam_add.not_added),
    failed_checked: |l| td_string!(l, cam_add.not_added),
    unknown_context: |l| td_string!(l, cam_add.context_unknown),
};

#[component]
pub fn AddUserPage() -> impl IntoView {
    let notices = use_notices();
    let just_added = expect_context::<JustAdded>().0;
    let navigate = use_navigate();
    let state = FormState::new(AddForm::default(), CamField::id);
    let form = state.values;
    let i18n = use_i18n();
    let one_time: RwSignal<Option<OneTime>> = RwSignal::new(None);
    let show_password = RwSignal::new(false);

    // In place. A generated password or API keys are shown once; a lost
    // answer lost them, which the one-time view says.
    let added = move |request: AddUser, how: Done<AddedUser>| {
        let name = request.name.clone();
        let wanted_password = request.console_login && request.password.is_none();
        let wanted_keys = request.use_api;
        just_added.set(Some(name.clone()));
        let (added, secrets) = match how {
            Done::Answered(added) => {
                let secrets = added.secret_key.is_some()
                    || added.password.as_ref().is_some_and(|p| !p.is_empty());
                (Some(added), secrets)
            }
            Done::Confirmed | Done::FoundOnCheck => (None, wanted_keys || wanted_password),
        };
        if secrets {
            one_time.set(Some(OneTime {
                name,
                added,
                wanted_keys,
                wanted_password,
            }));
        } else {
            let l = i18n.get_locale_untracked();
            notices.push(match added {
                Some(_) => td_string!(l, cam_add.added, name = &name).to_string(),
                None => td_string!(l, cam_add.added_confirmed, name = &name).to_string(),
            });
            navigate("/cam", crate::shell::after_submit());
        }
    };
    let add = use_mutation(Mutate {
        vendor: Vendor::Tencent,
        words: &WORDS,
        name: |request: &AddUser| request.name.clone(),
        send: |client, request: AddUser| async move { services::add_user(&client, &request).await },
        look: Some(|client, request: AddUser| async move {
            services::get_user(&client, &request.name)
                .await
                .map(|u| u.is_some())
        }),
        field_of: CamField::for_error,
        on_field: move |field: CamField, message| state.refused(field, message),
        on_done: added,
    });
    let (busy, checking) = (add.pending, add.checking);

    let submit = move || {
        if busy.get_untracked() {
            return;
        }
        add.clear();
        if let Some(request) =
            state.submit(|f| f.to_request().map_err(|e| e.keys().next().copied()))
        {
            add.dispatch(request);
        }
    };

    let error_for = move |field: CamField| {
        state.error(field, move |f, field| f.error(field, i18n.get_locale()))
    };
    let value_of = move |get: fn(&AddForm) -> String| state.value(get);
    // The phone number and its country code are checked together.
    const PHONE: &[CamField] = &[CamField::CountryCode, CamField::Phone];
    let setter =
        move |field: CamField, set: fn(&mut AddForm, String)| state.setter(field, set, PHONE);
    let blur = move |field: CamField| state.blur(field);
    // Checkboxes write through to the form.
    let flag = move |get: fn(&AddForm) -> bool, set: fn(&mut AddForm, bool)| {
        let signal = RwSignal::new(form.with_untracked(get));
        Effect::new(move |_| {
            let v = signal.get();
            form.update(|f| set(f, v));
        });
        signal
    };
    let console_login = flag(|f| f.console_login, |f, v| f.console_login = v);
    let need_reset = flag(|f| f.need_reset_password, |f, v| f.need_reset_password = v);
    let use_keys = flag(|f| f.use_api, |f, v| f.use_api = v);
    let advice = Memo::new(move |_| form.with(|f| f.password_advice(i18n.get_locale())));

    let form_view = move || {
        view! {
            <h1>{tr(|l| td_string!(l, cam_add.title))}</h1>
            <form id="cam-add-form" class="form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <TextField
                    id=CamField::Name.id() label=tr(|l| td_string!(l, cam_add.name)) kind="text"
                    hint=tr(|l| td_string!(l, cam_add.name_hint))
                    value=value_of(|f| f.name.clone())
                    on_input=setter(CamField::Name, |f, v| f.name = v)
                    on_blur=blur(CamField::Name)
                    error=error_for(CamField::Name)
                />
                <TextField
                    id=CamField::Remark.id() label=tr(|l| td_string!(l, cam.col_remark)) kind="text"
                    hint=tr(|l| td_string!(l, cam_add.remark_hint))
                    value=value_of(|f| f.remark.clone())
                    on_input=setter(CamField::Remark, |f, v| f.remark = v)
                    on_blur=blur(CamField::Remark)
                    error=error_for(CamField::Remark)
                />
                <fieldset>
                    <legend>{tr(|l| td_string!(l, cam_add.access))}</legend>
                    <CheckField id="cam-console-login" label=tr(|l| td_string!(l, cam_add.console_login)) checked=console_login />
                    <Show when=move || console_login.get()>
                        <TextField
                            id=CamField::Password.id() label=tr(|l| td_string!(l, cam_add.password)) autocomplete="new-password"
                            kind=Signal::derive(move || if show_password.get() { "text".to_owned() } else { "password".to_owned() })
                            hint=tr(|l| td_string!(l, cam_add.password_hint))
                            value=value_of(|f| f.password.clone())
                            on_input=setter(CamField::Password, |f, v| f.password = v)
                            on_blur=blur(CamField::Password)
                            error=error_for(CamField::Password)
                        >
                            <button type="button" class="secondary" id="cam-toggle-password" aria-pressed=move || show_password.get().to_string() on:click=move |_| show_password.update(|s| *s = !*s)>
                                {move || if show_password.get() { t_string!(i18n, create.hide) } else { t_string!(i18n, create.show) }}
                            </button>
                        </TextField>
                        {move || advice.get().map(|a| view! { <p class="warning small" id="cam-password-advice">{a}</p> })}
                        <CheckField id="cam-need-reset" label=tr(|l| td_string!(l, cam_add.need_reset)) checked=need_reset />
                    </Show>
                    <CheckField id="cam-use-api" label=tr(|l| td_string!(l, cam_add.use_api)) checked=use_keys />
                </fieldset>
                <fieldset>
                    <legend>{tr(|l| td_string!(l, cam_add.contact))}</legend>
                    <div class="phone-row">
                        <TextField
                            id=CamField::CountryCode.id() label=tr(|l| td_string!(l, cam_add.country_code)) kind="tel"
                            hint=tr(|l| td_string!(l, cam_add.country_code_hint))
                            value=value_of(|f| f.country_code.clone())
                            on_input=setter(CamField::CountryCode, |f, v| f.country_code = v)
                            on_blur=blur(CamField::CountryCode)
                            error=error_for(CamField::CountryCode)
                        />
                        <TextField
                            id=CamField::Phone.id() label=tr(|l| td_string!(l, cam_add.phone)) kind="tel" autocomplete="tel-national"
                            hint=tr(|l| td_string!(l, cam_add.phone_hint))
                            value=value_of(|f| f.phone.clone())
                            on_input=setter(CamField::Phone, |f, v| f.phone = v)
                            on_blur=blur(CamField::Phone)
                            error=error_for(CamField::Phone)
                        />
                    </div>
                    <TextField
                        id=CamField::Email.id() label=tr(|l| td_string!(l, create.email)) kind="email" autocomplete="email"
                        hint=tr(|l| td_string!(l, cam_add.email_hint))
                        value=value_of(|f| f.email.clone())
                        on_input=setter(CamField::Email, |f, v| f.email = v)
                        on_blur=blur(CamField::Email)
                        error=error_for(CamField::Email)
                    />
                </fieldset>
                <div id="cam-result" aria-live="polite">
                    <OperationStatus status=add.status words=add.words />
                </div>
                <div class="actions">
                    <button type="submit" class="primary" id="cam-submit" disabled=move || busy.get() || add.again.rechecking.get()>
                        {move || match (busy.get(), checking.get() || add.again.rechecking.get()) {
                            (_, true) => t_string!(i18n, create.checking),
                            (true, false) => t_string!(i18n, cam_add.adding),
                            _ => t_string!(i18n, cam_add.submit),
                        }}
                    </button>
                    <CheckAgain op=add.again id="cam-check-again" label=|l| td_string!(l, cam_add.check_again) busy_label=|l| td_string!(l, cam_add.check_again) />
                </div>
            </form>
        }
    };

    view! {
        <section class="page narrow">
            {move || match one_time.get() {
                Some(result) => view! { <OneTimeView result=result one_time=one_time /> }.into_any(),
                None => form_view().into_any(),
            }}
        </section>
    }
}

/// One copyable secret.
#[component]
fn SecretLine(id: &'static str, label: Signal<&'static str>, value: String) -> impl IntoView {
    let copied: RwSignal<Option<bool>> = RwSignal::new(None);
    let i18n = use_i18n();
    let text = StoredValue::new(value.clone());
    view! {
        <dt>{label}</dt>
        <dd>
            <code id=id class="secret">{value}</code>
            " "
            <button type="button" class="secondary small" id=format!("copy-{id}") on:click=move |_| {
                let text = text.get_value();
                leptos::task::spawn_local(async move {
                    copied.set(Some(platform::copy_text(&text).await));
                });
            }>
                {move || match copied.get() {
                    Some(true) => t_string!(i18n, reset.copied),
                    Some(false) => t_string!(i18n, cam_add.copy_failed),
                    None => t_string!(i18n, reset.copy),
                }}
            </button>
        </dd>
    }
}

/// The one-time result: shown once, never stored, wiped when left.
#[component]
fn OneTimeView(result: OneTime, one_time: RwSignal<Option<OneTime>>) -> impl IntoView {
    let navigate = use_navigate();
    let i18n = use_i18n();
    let leaving: RwSignal<Option<String>> = RwSignal::new(None);
    let has_secrets = result.added.is_some();
    let name = result.name.clone();

    // Reloading or closing the tab asks first (the browser's question);
    // any navigation inside the console (a link, Back, Forward) asks
    // through our own dialog. Hiding the page (leaving it for another site,
    // which may keep it in the back/forward cache) wipes the secrets from
    // the page at once, so Back never shows them again.
    let guard = StoredValue::new_local(None);
    if has_secrets {
        guard.set_value(Some((
            platform::LeaveGuard::new(),
            crate::shell::router::LeavingGuard::new(move |to| leaving.set(Some(to))),
        )));
        let on_hide = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
            platform::wipe_text("#one-time .secret");
            let _ = one_time.try_set(None);
            let _ = guard.try_update_value(|g| *g = None);
        });
        let _ =
            window().add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
        let listener = StoredValue::new_local(Some(on_hide));
        on_cleanup(move || {
            guard.try_update_value(|g| *g = None);
            if let Some(l) = listener.try_update_value(|l| l.take()).flatten() {
                let _ = window()
                    .remove_event_listener_with_callback("pagehide", l.as_ref().unchecked_ref());
            }
        });
    }

    let leave = move |to: String| {
        // Wipes the secrets (and with the view, its guards) before
        // anything else happens; `to` is a console path.
        one_time.set(None);
        guard.try_update_value(|g| *g = None);
        navigate(&to, Default::default());
    };
    let leave_now = leave;
    let csv = result
        .added
        .as_ref()
        .map(|a| credentials_csv(a, &result.name));
    let csv_name = format!("{}_credentials.csv", result.name);

    let body = match &result.added {
        Some(added) => {
            let password = added
                .password
                .as_ref()
                .filter(|p| !p.is_empty())
                .map(|p| p.expose().to_owned());
            let secret_id = added.secret_id.clone().filter(|s| !s.is_empty());
            let secret_key = added
                .secret_key
                .as_ref()
                .filter(|k| !k.is_empty())
                .map(|k| k.expose().to_owned());
            view! {
                <p class="warning" id="one-time-warning" role="alert">{tr(|l| td_string!(l, cam_add.save_now))}</p>
                <dl class="facts" id="one-time">
                    <dt>{tr(|l| td_string!(l, cam_add.name))}</dt><dd class="mono">{result.name.clone()}</dd>
                    <dt>"UIN"</dt><dd class="mono">{added.uin.to_string()}</dd>
                    {password.map(|p| view! { <SecretLine id="one-time-password" label=tr(|l| td_string!(l, cam_add.generated_password)) value=p /> })}
                    {secret_id.map(|s| view! { <SecretLine id="one-time-secret-id" label=Signal::stored("SecretId") value=s /> })}
                    {secret_key.map(|s| view! { <SecretLine id="one-time-secret-key" label=Signal::stored("SecretKey") value=s /> })}
                </dl>
            }.into_any()
        }
        None => {
            let (wanted_password, wanted_keys, name) = (
                result.wanted_password,
                result.wanted_keys,
                result.name.clone(),
            );
            let lost_text = move || {
                let l = i18n.get_locale();
                let mut lost = Vec::new();
                if wanted_password {
                    lost.push(td_string!(l, cam_add.lost_password));
                }
                if wanted_keys {
                    lost.push(td_string!(l, cam_add.lost_key));
                }
                let what = lost.join(td_string!(l, settings.and));
                td_string!(l, cam_add.lost, what, name = &name).to_string()
            };
            view! {
                <p class="warning" id="one-time-lost" role="alert">{lost_text}</p>
            }
            .into_any()
        }
    };

    view! {
        <h1>{move || t_string!(i18n, cam_add.added_title, name = &name).to_string()}</h1>
        {body}
        <div class="actions">
            {csv.map(|csv| view! {
                <button type="button" class="secondary" id="download-csv" on:click=move |_| {
                    platform::download(&csv_name, "text/csv;charset=utf-8", &csv);
                }>{tr(|l| td_string!(l, cam_add.download_csv))}</button>
            })}
            <button type="button" class="primary" id="one-time-done" on:click=move |_| {
                if has_secrets {
                    leaving.set(Some("/cam".into()));
                } else {
                    leave_now("/cam".into());
                }
            }>{tr(|l| td_string!(l, reset.done))}</button>
        </div>
        {move || leaving.get().map(|to| {
            let go = leave;
            view! {
                <Dialog title=td_string!(i18n.get_locale_untracked(), cam_add.leave_title) on_cancel=Callback::new(move |_| leaving.set(None))>
                    <p>{tr(|l| td_string!(l, cam_add.leave_text))}</p>
                    <div class="actions">
                        <button type="button" class="secondary" id="stay" on:click=move |_| leaving.set(None)>{tr(|l| td_string!(l, cam_add.stay))}</button>
                        <button type="button" class="danger" id="leave" on:click=move |_| go(to.clone())>{tr(|l| td_string!(l, cam_add.leave))}</button>
                    </div>
                </Dialog>
            }
        })}
    }
}
