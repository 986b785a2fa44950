//! Editing one client user from its row: bandwidth and email
//! (`ModifySmartAccessGatewayClientUser`, validated as the create form
//! validates them, the row updated in place), and a password reset, typed or
//! generated in the browser and then shown once.

use leptos::prelude::*;
use sag_api::smartag::ClientUser;
use sag_api::{validate, Field, Secret, Vendor};

use super::services;
use crate::i18n::{t_string, td_string, use_i18n};
use crate::plumbing::{platform, Mutation};
use crate::shell::dialog::Dialog;
use crate::shell::field::TextField;
use crate::shell::language::tr;
use crate::shell::operation::{use_mutation, Mutate, NoLook, OpWords, OperationStatus};
use crate::text;

/// What a field shows: the validator's message once the admin submitted,
/// or the service's message for that field.
fn field_error(
    submitted: RwSignal<bool>,
    server: RwSignal<Option<(Field, String)>>,
    field: Field,
    check: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        if let Some((f, text)) = server.get() {
            if f == field {
                return Some(text);
            }
        }
        submitted.get().then(&check).flatten()
    })
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
    let email = RwSignal::new(user.user_mail.clone());
    let bandwidth = RwSignal::new(user.bandwidth.to_string());
    let submitted = RwSignal::new(false);
    let server: RwSignal<Option<(Field, String)>> = RwSignal::new(None);
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
        on_field: move |f: Field, message| {
            server.set(Some((f, message)));
            platform::focus_id(if f == Field::Email {
                "edit-email"
            } else {
                "edit-bandwidth"
            });
        },
        on_done: move |(_, kbps, mail): (String, u32, String), _| {
            on_saved.run((u64::from(kbps), mail))
        },
    });
    let busy = save.pending;

    let email_error = field_error(submitted, server, Field::Email, move || {
        email.with(|e| {
            validate::email(e)
                .err()
                .map(|e| text::invalid(i18n.get_locale(), &e.0))
        })
    });
    let bandwidth_error = field_error(submitted, server, Field::Bandwidth, move || {
        bandwidth.with(|b| {
            validate::bandwidth(b, max_bandwidth)
                .err()
                .map(|e| text::invalid(i18n.get_locale(), &e.0))
        })
    });
    let submit = move || {
        if busy.get_untracked() {
            return;
        }
        submitted.set(true);
        server.set(None);
        save.clear();
        let mail = email.with_untracked(|e| validate::email(e));
        let kbps = bandwidth.with_untracked(|b| validate::bandwidth(b, max_bandwidth));
        match (mail, kbps) {
            (Ok(mail), Ok(kbps)) => save.dispatch((name.get_value(), kbps.0, mail.0)),
            (Err(_), _) => platform::focus_id("edit-email"),
            (_, Err(_)) => platform::focus_id("edit-bandwidth"),
        }
    };

    view! {
        <Dialog title=td_string!(i18n.get_locale_untracked(), edit.title, name = name.get_value()).to_string() on_cancel=on_cancel>
            <form id="edit-form" class="form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <TextField
                    id="edit-email" label=tr(|l| td_string!(l, create.email)) kind="email"
                    hint=tr(|l| td_string!(l, edit.email_hint))
                    value=email
                    on_input=Callback::new(move |v: String| { email.set(v); server.set(None); })
                    error=email_error
                />
                <TextField
                    id="edit-bandwidth" label=tr(|l| td_string!(l, create.bandwidth)) kind="text"
                    hint=Signal::derive(move || t_string!(i18n, edit.bandwidth_hint, max = max_bandwidth).to_string())
                    value=bandwidth
                    on_input=Callback::new(move |v: String| { bandwidth.set(v); server.set(None); })
                    error=bandwidth_error
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
                        let line = super::export::cli_modify(&r, &i, &name.get_value(), bandwidth.get_untracked().trim().parse().unwrap_or(0), email.get_untracked().trim());
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
    let typed = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let server: RwSignal<Option<(Field, String)>> = RwSignal::new(None);
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
        on_field: move |f: Field, message| {
            server.set(Some((f, message)));
            platform::focus_id("reset-password");
        },
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
    let password_error = field_error(submitted, server, Field::Password, move || {
        (!generate.get())
            .then(|| {
                typed.with(|p| {
                    validate::password(p)
                        .err()
                        .map(|e| text::invalid(i18n.get_locale(), &e.0))
                })
            })
            .flatten()
    });
    let submit = move || {
        if busy.get_untracked() {
            return;
        }
        submitted.set(true);
        server.set(None);
        reset.clear();
        if generate.get_untracked() {
            let password = validate::generate_password(platform::random16());
            reset.dispatch((name.get_value(), password.0));
        } else {
            match typed.with_untracked(|p| validate::password(p)) {
                Ok(password) => reset.dispatch((name.get_value(), password.0)),
                Err(_) => platform::focus_id("reset-password"),
            }
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
                                value=typed
                                on_input=Callback::new(move |v: String| { typed.set(v); server.set(None); })
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
    let bandwidth = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let error = Signal::derive(move || {
        if !submitted.get() {
            return None;
        }
        bandwidth.with(|b| {
            validate::bandwidth(b, max_bandwidth)
                .err()
                .map(|e| text::invalid(i18n.get_locale(), &e.0))
        })
    });
    let submit = move || {
        submitted.set(true);
        match bandwidth.with_untracked(|b| validate::bandwidth(b, max_bandwidth)) {
            Ok(kbps) => on_submit.run(kbps.0),
            Err(_) => platform::focus_id("bulk-bandwidth"),
        }
    };
    view! {
        <Dialog title=td_string!(i18n.get_locale_untracked(), users.bulk_bandwidth_title, count) on_cancel=on_cancel>
            <form id="bulk-bandwidth-form" class="form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <p>{move || t_string!(i18n, users.bulk_bandwidth_text, list = &list)}</p>
                <TextField
                    id="bulk-bandwidth" label=tr(|l| td_string!(l, create.bandwidth)) kind="text"
                    hint=Signal::derive(move || t_string!(i18n, edit.bandwidth_hint, max = max_bandwidth))
                    value=bandwidth
                    on_input=Callback::new(move |v: String| bandwidth.set(v))
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
