//! Deleting a sub-user: a confirmation naming the user. Tencent refuses to
//! delete a user who still has API keys (`OperationDenied.HaveKeys`); the
//! dialog then explains it and offers a forced delete (keys first), which
//! the admin confirms by typing the user's name.

use crate::i18n::{t_string, td_string, use_i18n};
use crate::shell::language::tr;
use leptos::prelude::*;
use sag_api::{ErrorKind, Vendor};

use super::services;
use crate::shell::dialog::Dialog;
use crate::shell::operation::{use_mutation, Mutate, NoLook, OpWords, OperationStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Confirm,
    /// The service said the user has API keys.
    Force,
}

/// The delete's words: no **Check again** (the list's Reload shows it).
static WORDS: OpWords = OpWords {
    checking: |l, _, _| td_string!(l, cam.deleting).to_owned(),
    nothing_done: None,
    unknown: None,
    absent: |l, _| td_string!(l, cam.not_deleted).to_owned(),
    still_unknown: |l, _| td_string!(l, cam.delete_unknown).to_owned(),
    failed: |l| td_string!(l, cam.not_deleted),
    failed_checked: |l| td_string!(l, cam.not_deleted),
    unknown_context: |l| td_string!(l, cam.delete_unknown),
};

/// The dialog. `on_done` hears the name once the user is gone.
#[component]
pub fn DeleteCamUserDialog(
    name: String,
    on_done: Callback<String>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let stage = RwSignal::new(Stage::Confirm);
    let typed = RwSignal::new(String::new());
    let target = StoredValue::new(name.clone());
    let delete = use_mutation(Mutate {
        vendor: Vendor::Tencent,
        words: &WORDS,
        name: |(name, _): &(String, bool)| name.clone(),
        send: |client, (name, force): (String, bool)| async move {
            services::delete_user(&client, &name, force).await
        },
        look: None::<NoLook<_>>,
        // Refused because the sub-user has API keys: the dialog asks to
        // force (the keys are removed first).
        field_of: |e| (e.kind() == ErrorKind::HasApiKeys).then_some(Stage::Force),
        on_field: move |next, _| stage.set(next),
        on_done: move |(name, _), _| on_done.run(name),
    });
    let busy = delete.pending;
    let matches = move || typed.with(|t| target.with_value(|n| t.trim() == n.as_str()));
    view! {
        <Dialog title=td_string!(i18n.get_locale_untracked(), users.delete_title, name = &name).to_string() on_cancel=on_cancel>
            {move || match stage.get() {
                Stage::Confirm => view! {
                    <p>{move || t_string!(i18n, cam.delete_text, name = target.get_value()).to_string()}</p>
                    <div class="actions">
                        <button type="button" class="danger" id="confirm-delete" disabled=move || busy.get() on:click=move |_| { delete.dispatch((target.get_value(), false)); }>
                            {move || if busy.get() { t_string!(i18n, cam.deleting) } else { t_string!(i18n, users.delete) }}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>{tr(|l| td_string!(l, online.cancel))}</button>
                    </div>
                }.into_any(),
                Stage::Force => view! {
                    <p class="warning" id="has-keys">
                        {move || t_string!(i18n, cam.has_keys, name = target.get_value()).to_string()}
                    </p>
                    <div class="field">
                        <label for="confirm-name">{move || t_string!(i18n, cam.type_name, name = target.get_value()).to_string()}</label>
                        <input id="confirm-name" spellcheck="false" autocomplete="off" prop:value=move || typed.get() on:input:target=move |ev| typed.set(ev.target().value()) />
                    </div>
                    <div class="actions">
                        <button type="button" class="danger" id="force-delete" disabled=move || busy.get() || !matches() on:click=move |_| { delete.dispatch((target.get_value(), true)); }>
                            {tr(|l| td_string!(l, cam.force_delete))}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>{tr(|l| td_string!(l, online.cancel))}</button>
                    </div>
                }.into_any(),
            }}
            <OperationStatus status=delete.status words=delete.words />
        </Dialog>
    }
}
