//! `/cam/new`: add a sub-user. The form checks what Tencent documents (and
//! no more), sends `AddUser` once through the `add_user` service, puts
//! service errors under their field, and keeps everything typed. A success
//! that returns a generated password or API keys shows them once, with copy
//! buttons and a CSV download, and asks before the page is left; leaving
//! wipes them.

use std::collections::HashMap;

use crate::shell::router::use_navigate;
use leptos::prelude::*;
use sag_api::cam::AddedUser;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::add_form::{credentials_csv, AddForm, CamField};
use super::services;
use super::users::JustAdded;
use crate::plumbing::{platform, CallError, Mutation};
use crate::shell::dialog::Dialog;
use crate::shell::errors::ErrorPanel;
use crate::shell::field::{CheckField, TextField};
use crate::shell::form::FormState;
use crate::shell::notices::use_notices;
use crate::shell::use_api;

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

#[component]
pub fn AddUserPage() -> impl IntoView {
    let api = use_api();
    let notices = use_notices();
    let just_added = expect_context::<JustAdded>().0;
    let navigate = use_navigate();
    let state = FormState::new(AddForm::default(), RwSignal::new(HashMap::new()));
    let (form, submitted, server_errors) = (state.values, state.submitted, state.server_errors);
    let banner: RwSignal<Option<(CallError, &'static str)>> = RwSignal::new(None);
    let note: RwSignal<Option<String>> = RwSignal::new(None);
    let one_time: RwSignal<Option<OneTime>> = RwSignal::new(None);
    let show_password = RwSignal::new(false);

    let checking = RwSignal::new(false);
    // The sub-user whose add ended without an answer and without a lookup,
    // for "Check again": (name, wanted keys, wanted a generated password).
    let unresolved: RwSignal<Option<(String, bool, bool)>> = RwSignal::new(None);

    // The account shows the sub-user although its answer was lost.
    let confirmed = {
        move |name: String, wanted_keys: bool, wanted_password: bool| {
            just_added.set(Some(name.clone()));
            if wanted_keys || wanted_password {
                one_time.set(Some(OneTime {
                    name,
                    added: None,
                    wanted_keys,
                    wanted_password,
                }));
            } else {
                notices.push(format!(
                    "Added {name}: the answer was lost, but the account shows the user exists."
                ));
                navigate("/cam", crate::shell::after_submit());
            }
        }
    };
    let confirmed_after_check = confirmed;

    let add = Action::new_local(move |request: &sag_api::cam::AddUser| {
        let request = request.clone();
        let client = api.tencent();
        async move {
            let Some(client) = client else { return };
            let name = request.name.clone();
            let wanted_password = request.console_login && request.password.is_none();
            let wanted_keys = request.use_api;
            unresolved.set(None);
            let client = client.on_lookup({
                let name = name.clone();
                move |e| {
                    checking.set(true);
                    note.set(Some(format!(
                        "No clear answer ({e}). Checking the account for {name}…"
                    )));
                }
            });
            let outcome = services::add_user(&client, &request).await;
            checking.set(false);
            note.set(None);
            match outcome {
                Mutation::Done(added) => {
                    just_added.set(Some(name.clone()));
                    let one_time_secrets = added.secret_key.is_some()
                        || added.password.as_ref().is_some_and(|p| !p.is_empty());
                    if one_time_secrets {
                        one_time.set(Some(OneTime {
                            name,
                            added: Some(added),
                            wanted_keys,
                            wanted_password,
                        }));
                    } else {
                        notices.push(format!("Added {name}."));
                        navigate("/cam", crate::shell::after_submit());
                    }
                }
                Mutation::Confirmed(_) => confirmed(name, wanted_keys, wanted_password),
                Mutation::Failed { error, checked } => {
                    if checked {
                        note.set(Some(
                            "Nothing was added (the account was checked). Submit again to retry."
                                .into(),
                        ));
                    }
                    match CamField::for_error(&error.error) {
                        Some(field) => {
                            server_errors.update(|m| {
                                m.insert(field, error.with_code());
                            });
                            platform::focus_id(field.id());
                        }
                        None => banner.set(Some((error, "The sub-user was not added."))),
                    }
                }
                Mutation::Unknown { error, .. } => {
                    note.set(Some(format!(
                        "The answer was lost and the account could not be checked, so it is not known whether {name} was added. Check again before you submit again."
                    )));
                    banner.set(Some((
                        error,
                        "It is not known whether the sub-user was added.",
                    )));
                    unresolved.set(Some((name, wanted_keys, wanted_password)));
                }
            }
        }
    });
    // "Check again": looks the sub-user up; found means added.
    let check_again = move |(name, wanted_keys, wanted_password): (String, bool, bool)| {
        let Some(client) = api.tencent() else { return };
        let confirmed = confirmed_after_check;
        checking.set(true);
        leptos::task::spawn_local(async move {
            let found = services::get_user(&client, &name).await;
            checking.set(false);
            match found {
                Ok(Some(_)) => {
                    unresolved.set(None);
                    banner.set(None);
                    note.set(None);
                    confirmed(name, wanted_keys, wanted_password);
                }
                Ok(None) => {
                    unresolved.set(None);
                    banner.set(None);
                    note.set(Some(format!(
                        "{name} was not added (the account was checked just now). Submit again to add it."
                    )));
                }
                Err(e) => {
                    note.set(Some(format!(
                        "The account still cannot be read, so it is still not known whether {name} was added."
                    )));
                    banner.set(Some((e, "It is not known whether the sub-user was added.")));
                }
            }
        });
    };
    let busy = add.pending();

    let submit = move || {
        if busy.get_untracked() {
            return;
        }
        submitted.set(true);
        server_errors.set(HashMap::new());
        banner.set(None);
        note.set(None);
        match form.with_untracked(AddForm::to_request) {
            Ok(request) => {
                add.dispatch(request);
            }
            Err(errors) => {
                if let Some(first) = errors.keys().next() {
                    platform::focus_id(first.id());
                }
            }
        }
    };

    let error_for = move |field: CamField| state.error(field, |f, field| f.error(field));
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
    let advice = Memo::new(move |_| form.with(AddForm::password_advice));

    let form_view = move || {
        view! {
            <h1>"Add a CAM sub-user"</h1>
            <form id="cam-add-form" class="form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <TextField
                    id=CamField::Name.id() label="User name" kind="text"
                    hint="Required. The name the user signs in with; it cannot be changed later."
                    value=value_of(|f| f.name.clone())
                    on_input=setter(CamField::Name, |f, v| f.name = v)
                    on_blur=blur(CamField::Name)
                    error=error_for(CamField::Name)
                />
                <TextField
                    id=CamField::Remark.id() label="Remark" kind="text"
                    hint="Optional. Who this is, or what it is for."
                    value=value_of(|f| f.remark.clone())
                    on_input=setter(CamField::Remark, |f, v| f.remark = v)
                    on_blur=blur(CamField::Remark)
                    error=error_for(CamField::Remark)
                />
                <fieldset>
                    <legend>"Access"</legend>
                    <CheckField id="cam-console-login" label="Console login (the user can sign in to the Tencent Cloud console)" checked=console_login />
                    <Show when=move || console_login.get()>
                        <TextField
                            id=CamField::Password.id() label="Console password" autocomplete="new-password"
                            kind=Signal::derive(move || if show_password.get() { "text".to_owned() } else { "password".to_owned() })
                            hint="Leave empty to have Tencent Cloud generate a 32-character password, shown once after adding. At least 8 characters; the account's password rule applies (by default upper- and lowercase letters, digits and special characters)."
                            value=value_of(|f| f.password.clone())
                            on_input=setter(CamField::Password, |f, v| f.password = v)
                            on_blur=blur(CamField::Password)
                            error=error_for(CamField::Password)
                        >
                            <button type="button" class="secondary" id="cam-toggle-password" aria-pressed=move || show_password.get().to_string() on:click=move |_| show_password.update(|s| *s = !*s)>
                                {move || if show_password.get() { "Hide" } else { "Show" }}
                            </button>
                        </TextField>
                        {move || advice.get().map(|a| view! { <p class="warning small" id="cam-password-advice">{a}</p> })}
                        <CheckField id="cam-need-reset" label="Must set a new password at next sign-in" checked=need_reset />
                    </Show>
                    <CheckField id="cam-use-api" label="Programmatic access: create an API key (SecretId and SecretKey, shown once)" checked=use_keys />
                </fieldset>
                <fieldset>
                    <legend>"Contact (optional)"</legend>
                    <div class="phone-row">
                        <TextField
                            id=CamField::CountryCode.id() label="Country code" kind="tel"
                            hint="Such as 86 or 1."
                            value=value_of(|f| f.country_code.clone())
                            on_input=setter(CamField::CountryCode, |f, v| f.country_code = v)
                            on_blur=blur(CamField::CountryCode)
                            error=error_for(CamField::CountryCode)
                        />
                        <TextField
                            id=CamField::Phone.id() label="Phone number" kind="tel" autocomplete="tel-national"
                            hint="Digits; spaces and dashes are fine."
                            value=value_of(|f| f.phone.clone())
                            on_input=setter(CamField::Phone, |f, v| f.phone = v)
                            on_blur=blur(CamField::Phone)
                            error=error_for(CamField::Phone)
                        />
                    </div>
                    <TextField
                        id=CamField::Email.id() label="Email" kind="email" autocomplete="email"
                        hint="Tencent Cloud sends notifications here."
                        value=value_of(|f| f.email.clone())
                        on_input=setter(CamField::Email, |f, v| f.email = v)
                        on_blur=blur(CamField::Email)
                        error=error_for(CamField::Email)
                    />
                </fieldset>
                <div id="cam-result" aria-live="polite">
                    {move || note.get().map(|n| view! { <p class="warning">{n}</p> })}
                    {move || banner.get().map(|(e, context)| view! { <ErrorPanel error=e context=context /> })}
                </div>
                <div class="actions">
                    <button type="submit" class="primary" id="cam-submit" disabled=move || busy.get() || checking.get()>
                        {move || match (busy.get(), checking.get()) {
                            (_, true) => "Checking…",
                            (true, false) => "Adding…",
                            _ => "Add sub-user",
                        }}
                    </button>
                    {move || { unresolved.get().map(move |pending| view! {
                        <button type="button" class="secondary" id="cam-check-again" disabled=move || checking.get() on:click=move |_| check_again(pending.clone())>
                            "Check again whether it was added"
                        </button>
                    })}}
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
fn SecretLine(id: &'static str, label: &'static str, value: String) -> impl IntoView {
    let copied: RwSignal<Option<bool>> = RwSignal::new(None);
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
                    Some(true) => "Copied",
                    Some(false) => "Copy failed: select and copy",
                    None => "Copy",
                }}
            </button>
        </dd>
    }
}

/// The one-time result: shown once, never stored, wiped when left.
#[component]
fn OneTimeView(result: OneTime, one_time: RwSignal<Option<OneTime>>) -> impl IntoView {
    let navigate = use_navigate();
    let leaving: RwSignal<Option<String>> = RwSignal::new(None);
    let has_secrets = result.added.is_some();
    let name = result.name.clone();

    // Reloading or closing the tab asks first; links inside the app ask
    // through our own dialog (caught before the router sees the click).
    if has_secrets {
        let guard = StoredValue::new_local(Some(platform::LeaveGuard::new()));
        let on_click =
            Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
                let link = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|e| e.closest("a[href]").ok().flatten());
                if let Some(link) = link {
                    if link.closest(".dialog").ok().flatten().is_none() {
                        ev.prevent_default();
                        ev.stop_propagation();
                        leaving.set(Some(
                            link.get_attribute("href").unwrap_or_else(|| "/cam".into()),
                        ));
                    }
                }
            });
        let _ = document().add_event_listener_with_callback_and_bool(
            "click",
            on_click.as_ref().unchecked_ref(),
            true,
        );
        let listener = StoredValue::new_local(Some(on_click));
        on_cleanup(move || {
            guard.update_value(|g| *g = None);
            if let Some(l) = listener.try_update_value(|l| l.take()).flatten() {
                let _ = document().remove_event_listener_with_callback_and_bool(
                    "click",
                    l.as_ref().unchecked_ref(),
                    true,
                );
            }
        });
    }

    let leave = move |to: String| {
        // Wipes the secrets before anything else happens.
        one_time.set(None);
        // `to` is a link's href, with the sub-path.
        navigate(&crate::shell::app_path(&to), Default::default());
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
                <p class="warning" id="one-time-warning" role="alert">
                    "Save these now. Tencent Cloud shows them only once: they cannot be read again, this console does not keep them, and they are wiped when you leave this page."
                </p>
                <dl class="facts" id="one-time">
                    <dt>"User name"</dt><dd class="mono">{result.name.clone()}</dd>
                    <dt>"UIN"</dt><dd class="mono">{added.uin.to_string()}</dd>
                    {password.map(|p| view! { <SecretLine id="one-time-password" label="Console password (generated)" value=p /> })}
                    {secret_id.map(|s| view! { <SecretLine id="one-time-secret-id" label="SecretId" value=s /> })}
                    {secret_key.map(|s| view! { <SecretLine id="one-time-secret-key" label="SecretKey" value=s /> })}
                </dl>
            }.into_any()
        }
        None => {
            let mut lost = Vec::new();
            if result.wanted_password {
                lost.push("the generated console password");
            }
            if result.wanted_keys {
                lost.push("the new API key's SecretKey");
            }
            view! {
                <p class="warning" id="one-time-lost" role="alert">
                    {format!(
                        "Tencent Cloud's answer was lost on the way, so {} cannot be shown; a lookup shows that {} exists. Reset the user's console password and create a new API key for {} in the Tencent Cloud console (then delete the unseen key).",
                        lost.join(" and "), result.name, result.name
                    )}
                </p>
            }.into_any()
        }
    };

    view! {
        <h1>{format!("Sub-user {name} added")}</h1>
        {body}
        <div class="actions">
            {csv.map(|csv| view! {
                <button type="button" class="secondary" id="download-csv" on:click=move |_| {
                    platform::download(&csv_name, "text/csv;charset=utf-8", &csv);
                }>"Download CSV"</button>
            })}
            <button type="button" class="primary" id="one-time-done" on:click=move |_| {
                if has_secrets {
                    leaving.set(Some("/cam".into()));
                } else {
                    leave_now("/cam".into());
                }
            }>"Done"</button>
        </div>
        {move || leaving.get().map(|to| {
            let go = leave;
            view! {
                <Dialog title="Leave without the credentials?" on_cancel=Callback::new(move |_| leaving.set(None))>
                    <p>"The password and the SecretKey cannot be shown again once you leave this page. Copy them or download the CSV first."</p>
                    <div class="actions">
                        <button type="button" class="secondary" id="stay" on:click=move |_| leaving.set(None)>"Stay"</button>
                        <button type="button" class="danger" id="leave" on:click=move |_| go(to.clone())>"Leave, I saved them"</button>
                    </div>
                </Dialog>
            }
        })}
    }
}
