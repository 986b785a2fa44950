//! Editing one client user from its row: bandwidth and email
//! (`ModifySmartAccessGatewayClientUser`, validated as the create form
//! validates them, the row updated in place), and a password reset, typed or
//! generated in the browser and then shown once.

use leptos::prelude::*;
use sag_api::smartag::ClientUser;
use sag_api::{validate, Field, Secret, Vendor};

use super::services;
use crate::i18n::{t_string, td_string, use_i18n, I18nContext};
use crate::plumbing::{platform, Mutation};
use crate::shell::dialog::Dialog;
use crate::shell::field::TextField;
use crate::shell::form::FormState;
use crate::shell::language::tr;
use crate::shell::operation::{use_mutation, Mutate, NoLook, OpWords, OperationStatus};
use crate::text;

/// What the edit form holds, as typed.
#[derive(Clone)]
struct Edit {
    email: String,
    bandwidth: String,
}

fn edit_id(field: Field) -> &'static str {
    if field == Field::Email {
        "edit-email"
    } else {
        "edit-bandwidth"
    }
}

/// The message of a check, in the chosen language.
fn message_of<T>(i18n: I18nContext, result: Result<T, validate::Invalid>) -> Option<String> {
    result.err().map(|e| text::invalid(i18n.get_locale(), &e.0))
}

/// The edit's words, for the operation layer: no **Check again** (the
/// list's Reload shows the user as it is).
static EDIT_WORDS: OpWords = OpWords {
    checking: |l, _, _| td_string!(l, edit.checking).to_owned(),
    nothing_done: None,
    unknown: None,
    absent: |l, _| td_string!(l, edit.unchanged_checked).to_owned(),
    still_unknown: |l, _| td_string!(l, edit.unknown).to_owned(),
    failed: |l| td_string!(l, edit.unchanged),
    failed_checked: |l| td_string!(l, edit.unchanged_checked),
    unknown_context: |l| td_string!(l, edit.unknown),
};

/// Bandwidth and email of `user`; `on_saved` gets the new values once the
/// service took them (or a lookup shows them in place).
#[component]
pub fn EditUserDialog(
    user: ClientUser,
    region: String,
    instance: String,
    max_bandwidth: u32,
    on_saved: Callback<(u64, String)>,
    on_reset: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let name = StoredValue::new(user.user_name.clone());
    let state = FormState::new(
        Edit {
            email: user.user_mail.clone(),
            bandwidth: user.bandwidth.to_string(),
        },
        edit_id,
    );
    let cli_copied = RwSignal::new(false);
    let where_ = StoredValue::new((region, instance));
    let i18n = use_i18n();

    let save = use_mutation(Mutate {
        vendor: Vendor::Aliyun,
        words: &EDIT_WORDS,
        name: |(name, _, _): &(String, u32, String)| name.clone(),
        send: move |client, (name, kbps, mail): (String, u32, String)| {
            let (r, i) = where_.get_value();
            async move { services::modify_user(&client, &r, &i, &name, kbps, &mail).await }
        },
        look: None::<NoLook<_>>,
        field_of: |e| {
            e.field()
                .filter(|f| matches!(f, Field::Email | Field::Bandwidth))
        },
        on_field: move |f: Field, message| state.refused(f, message),
        on_done: move |(_, kbps, mail): (String, u32, String), _| {
            on_saved.run((u64::from(kbps), mail))
        },
    });
    let busy = save.pending;

    let error_of = move |field: Field| {
        state.error(field, move |e: &Edit, field| match field {
            Field::Email => message_of(i18n, validate::email(&e.email)),
            _ => message_of(i18n, validate::bandwidth(&e.bandwidth, max_bandwidth)),
        })
    };
    let submit = move || {
        if busy.get_untracked() {
            return;
        }
        save.clear();
        let checked = state.submit(|e| {
            match (
                validate::email(&e.email),
                validate::bandwidth(&e.bandwidth, max_bandwidth),
            ) {
                (Ok(mail), Ok(kbps)) => Ok((kbps.0, mail.0)),
                (Err(_), _) => Err(Some(Field::Email)),
                (_, Err(_)) => Err(Some(Field::Bandwidth)),
            }
        });
        if let Some((kbps, mail)) = checked {
            save.dispatch((name.get_value(), kbps, mail));
        }
    };

    view! {
        <Dialog title=td_string!(i18n.get_locale_untracked(), edit.title, name = name.get_value()).to_string() on_cancel=on_cancel>
            <form id="edit-form" class="form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <TextField
                    id="edit-email" label=tr(|l| td_string!(l, create.email)) kind="email"
                    hint=tr(|l| td_string!(l, edit.email_hint))
                    value=state.value(|e| e.email.clone())
                    on_input=state.setter(Field::Email, |e, v| e.email = v, &[])
                    on_blur=state.blur(Field::Email)
                    error=error_of(Field::Email)
                />
                <TextField
                    id="edit-bandwidth" label=tr(|l| td_string!(l, create.bandwidth)) kind="text"
                    hint=Signal::derive(move || t_string!(i18n, edit.bandwidth_hint, max = max_bandwidth).to_string())
                    value=state.value(|e| e.bandwidth.clone())
                    on_input=state.setter(Field::Bandwidth, |e, v| e.bandwidth = v, &[])
                    on_blur=state.blur(Field::Bandwidth)
                    error=error_of(Field::Bandwidth)
                />
                <div id="edit-result" aria-live="polite">
                    <OperationStatus status=save.status words=save.words />
                </div>
                <div class="actions">
                    <button type="submit" class="primary" id="edit-save" disabled=move || busy.get()>
                        {move || if busy.get() { t_string!(i18n, edit.saving) } else { t_string!(i18n, edit.save) }}
                    </button>
                    <button type="button" class="secondary" id="edit-reset-password" on:click=move |_| on_reset.run(())>{tr(|l| td_string!(l, edit.reset))}</button>
                    <button type="button" class="secondary" id="edit-copy-cli" title=tr(|l| td_string!(l, edit.cli_title)) on:click=move |_| {
                        let (r, i) = where_.get_value();
                        let line = state.values.with_untracked(|e| super::export::cli_modify(&r, &i, &name.get_value(), e.bandwidth.trim().parse().unwrap_or(0), e.email.trim()));
                        leptos::task::spawn_local(async move { cli_copied.set(platform::copy_text(&line).await); });
                    }>{move || if cli_copied.get() { t_string!(i18n, reset.copied) } else { t_string!(i18n, create.copy_cli) }}</button>
                    <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>{tr(|l| td_string!(l, online.cancel))}</button>
                </div>
            </form>
        </Dialog>
    }
}

/// The reset's words: it is done or refused (never unknown: it is resent).
static RESET_WORDS: OpWords = OpWords {
    checking: |l, _, _| td_string!(l, reset.resetting).to_owned(),
    nothing_done: None,
    unknown: None,
    absent: |l, _| td_string!(l, reset.not_changed).to_owned(),
    still_unknown: |l, _| td_string!(l, reset.not_changed).to_owned(),
    failed: |l| td_string!(l, reset.not_changed),
    failed_checked: |l| td_string!(l, reset.not_changed),
    unknown_context: |l| td_string!(l, reset.not_changed),
};

/// A new password for `name`: typed, or generated here and shown once.
#[component]
pub fn ResetPasswordDialog(
    name: String,
    region: String,
    instance: String,
    on_done: Callback<String>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = StoredValue::new(name);
    let where_ = StoredValue::new((region, instance));
    let generate = RwSignal::new(true);
    // What was typed, when not generated.
    let state = FormState::new(String::new(), |_: Field| "reset-password");
    // The generated password, once set: shown once, wiped on close.
    let shown_once: RwSignal<Option<Secret>> = RwSignal::new(None);
    let copied = RwSignal::new(false);

    // Setting a password twice sets the same password: the service retries
    // it like a read, so its outcome is done or refused.
    let reset = use_mutation(Mutate {
        vendor: Vendor::Aliyun,
        words: &RESET_WORDS,
        name: |(name, _): &(String, Secret)| name.clone(),
        send: move |client, (name, password): (String, Secret)| {
            let (r, i) = where_.get_value();
            async move {
                match services::reset_password(&client, &r, &i, &name, &password).await {
                    Ok(()) => Mutation::Done(()),
                    Err(error) => Mutation::Failed {
                        error,
                        checked: false,
                    },
                }
            }
        },
        look: None::<NoLook<_>>,
        field_of: |e| e.field().filter(|f| *f == Field::Password),
        on_field: move |f: Field, message| state.refused(f, message),
        on_done: move |(name, password): (String, Secret), _| {
            if generate.get_untracked() {
                shown_once.set(Some(password));
            } else {
                let l = i18n.get_locale_untracked();
                on_done.run(td_string!(l, reset.done_notice, name).to_string());
            }
        },
    });
    let busy = reset.pending;
    let password_error = state.error(Field::Password, move |typed: &String, _| {
        if generate.get() {
            None
        } else {
            message_of(i18n, validate::password(typed))
        }
    });
    let submit = move || {
        if busy.get_untracked() {
            return;
        }
        reset.clear();
        let password = state.submit(|typed| {
            if generate.get_untracked() {
                Ok(validate::generate_password(platform::random16()).0)
            } else {
                validate::password(typed)
                    .map(|p| p.0)
                    .map_err(|_| Some(Field::Password))
            }
        });
        if let Some(password) = password {
            reset.dispatch((name.get_value(), password));
        }
    };
    let close = move |notice: bool| {
        let had = shown_once.get_untracked().is_some();
        shown_once.set(None);
        if notice && had {
            on_done.run(
                td_string!(
                    i18n.get_locale_untracked(),
                    reset.done_notice,
                    name = name.get_value()
                )
                .to_string(),
            );
        } else {
            on_cancel.run(());
        }
    };

    view! {
        <Dialog title=td_string!(i18n.get_locale_untracked(), reset.title, name = name.get_value()).to_string() on_cancel=Callback::new(move |_| close(true))>
            {move || match shown_once.get() {
                Some(password) => {
                    let text = password.expose().to_owned();
                    view! {
                        <div id="reset-one-time">
                            <p>{move || t_string!(i18n, reset.shown_once, name = name.get_value()).to_string()}</p>
                            <p><code class="secret" id="reset-new-password">{text.clone()}</code></p>
                            <div class="actions">
                                <button type="button" class="secondary" id="reset-copy" on:click=move |_| {
                                    let text = text.clone();
                                    leptos::task::spawn_local(async move { copied.set(platform::copy_text(&text).await); });
                                }>{move || if copied.get() { t_string!(i18n, reset.copied) } else { t_string!(i18n, reset.copy) }}</button>
                                <button type="button" class="primary" id="reset-done" on:click=move |_| close(true)>{tr(|l| td_string!(l, reset.done))}</button>
                            </div>
                        </div>
                    }.into_any()
                }
                None => view! {
                    <form id="reset-form" class="form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                        <fieldset>
                            <legend>{tr(|l| td_string!(l, reset.new_password))}</legend>
                            <label class="check"><input type="radio" name="reset-how" id="reset-generate" prop:checked=move || generate.get() on:change=move |_| generate.set(true) />" "{tr(|l| td_string!(l, reset.generate))}</label>
                            <label class="check"><input type="radio" name="reset-how" id="reset-type" prop:checked=move || !generate.get() on:change=move |_| generate.set(false) />" "{tr(|l| td_string!(l, reset.type_one))}</label>
                        </fieldset>
                        <Show when=move || !generate.get()>
                            <TextField
                                id="reset-password" label=Signal::derive(move || t_string!(i18n, reset.password).to_owned()) kind="password" autocomplete="new-password"
                                hint=Signal::derive(move || t_string!(i18n, reset.password_hint).to_owned())
                                value=state.value(String::clone)
                                on_input=state.setter(Field::Password, |typed, v| *typed = v, &[])
                                on_blur=state.blur(Field::Password)
                                error=password_error
                            />
                        </Show>
                        <div aria-live="polite">
                            <OperationStatus status=reset.status words=reset.words />
                        </div>
                        <div class="actions">
                            <button type="submit" class="primary" id="reset-submit" disabled=move || busy.get()>
                                {move || if busy.get() { t_string!(i18n, reset.resetting) } else { t_string!(i18n, reset.submit) }}
                            </button>
                            <button type="button" class="secondary" on:click=move |_| close(false)>{tr(|l| td_string!(l, reset.cancel))}</button>
                        </div>
                    </form>
                }.into_any(),
            }}
        </Dialog>
    }
}

/// One bandwidth for several users (the list's "Set bandwidth…"): checked
/// like the edit form's, then handed to the list, which sets it user by
/// user and reports each outcome. Emails and passwords are not touched.
#[component]
pub fn BulkBandwidthDialog(
    names: Vec<String>,
    max_bandwidth: u32,
    on_submit: Callback<u32>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = names.len();
    let list = names.join(", ");
    let state = FormState::new(String::new(), |_: Field| "bulk-bandwidth");
    let error = state.error(Field::Bandwidth, move |typed: &String, _| {
        message_of(i18n, validate::bandwidth(typed, max_bandwidth))
    });
    let submit = move || {
        let checked = state.submit(|typed| {
            validate::bandwidth(typed, max_bandwidth).map_err(|_| Some(Field::Bandwidth))
        });
        if let Some(kbps) = checked {
            on_submit.run(kbps.0);
        }
    };
    view! {
        <Dialog title=td_string!(i18n.get_locale_untracked(), users.bulk_bandwidth_title, count) on_cancel=on_cancel>
            <form id="bulk-bandwidth-form" class="form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <p>{move || t_string!(i18n, users.bulk_bandwidth_text, list = &list)}</p>
                <TextField
                    id="bulk-bandwidth" label=tr(|l| td_string!(l, create.bandwidth)) kind="text"
                    hint=Signal::derive(move || t_string!(i18n, edit.bandwidth_hint, max = max_bandwidth))
                    value=state.value(String::clone)
                    on_input=state.setter(Field::Bandwidth, |typed, v| *typed = v, &[])
                    on_blur=state.blur(Field::Bandwidth)
                    error=error
                />
                <div class="actions">
                    <button type="submit" class="primary" id="confirm-bandwidth">{move || t_string!(i18n, users.bulk_bandwidth_button, count)}</button>
                    <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>{tr(|l| td_string!(l, online.cancel))}</button>
                </div>
            </form>
        </Dialog>
    }
}
