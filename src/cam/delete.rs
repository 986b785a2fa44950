//! Deleting a sub-user: a confirmation naming the user. Tencent refuses to
//! delete a user who still has API keys (`OperationDenied.HaveKeys`); the
//! dialog then explains it and offers a forced delete (keys first), which
//! the admin confirms by typing the user's name.

use leptos::prelude::*;
use sag_api::ErrorKind;

use super::services;
use crate::plumbing::{CallError, Mutation};
use crate::shell::dialog::Dialog;
use crate::shell::errors::ErrorPanel;
use crate::shell::use_api;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Confirm,
    /// The service said the user has API keys.
    Force,
}

/// The dialog. `on_done` hears the name once the user is gone.
#[component]
pub fn DeleteCamUserDialog(
    name: String,
    on_done: Callback<String>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let api = use_api();
    let stage = RwSignal::new(Stage::Confirm);
    let typed = RwSignal::new(String::new());
    let failure: RwSignal<Option<(CallError, bool)>> = RwSignal::new(None);
    let target = StoredValue::new(name.clone());
    let delete = Action::new_local(move |force: &bool| {
        let force = *force;
        let client = api.tencent();
        let name = target.get_value();
        failure.set(None);
        async move {
            let Some(client) = client else { return };
            match services::delete_user(&client, &name, force).await {
                Mutation::Done(()) | Mutation::Confirmed(_) => on_done.run(name),
                Mutation::Failed { error, .. } if error.error.kind() == ErrorKind::HasApiKeys => {
                    stage.set(Stage::Force)
                }
                Mutation::Failed { error, .. } => failure.set(Some((error, false))),
                Mutation::Unknown { error, .. } => failure.set(Some((error, true))),
            }
        }
    });
    let busy = delete.pending();
    let matches = move || typed.with(|t| target.with_value(|n| t.trim() == n.as_str()));
    view! {
        <Dialog title=format!("Delete {name}?") on_cancel=on_cancel>
            {move || match stage.get() {
                Stage::Confirm => view! {
                    <p>{format!("The sub-user {} is removed from the Tencent Cloud account: it can no longer sign in to the console or call APIs.", target.get_value())}</p>
                    <div class="actions">
                        <button type="button" class="danger" id="confirm-delete" disabled=move || busy.get() on:click=move |_| { delete.dispatch(false); }>
                            {move || if busy.get() { "Deleting…" } else { "Delete" }}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                    </div>
                }.into_any(),
                Stage::Force => view! {
                    <p class="warning" id="has-keys">
                        {format!("Tencent Cloud refused: {} still has API keys (OperationDenied.HaveKeys). A forced delete removes the keys first; programs that sign with them stop working at once. It needs the cam:DeleteApiKey permission.", target.get_value())}
                    </p>
                    <div class="field">
                        <label for="confirm-name">{format!("Type {} to delete the user and its keys", target.get_value())}</label>
                        <input id="confirm-name" spellcheck="false" autocomplete="off" prop:value=move || typed.get() on:input:target=move |ev| typed.set(ev.target().value()) />
                    </div>
                    <div class="actions">
                        <button type="button" class="danger" id="force-delete" disabled=move || busy.get() || !matches() on:click=move |_| { delete.dispatch(true); }>
                            "Delete user and keys"
                        </button>
                        <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                    </div>
                }.into_any(),
            }}
            {move || failure.get().map(|(e, unknown)| {
                let context = if unknown {
                    "The answer was lost and the account could not be checked: it is not known whether the user was deleted. Reload the list before trying again."
                } else {
                    "The user was not deleted."
                };
                view! { <ErrorPanel error=e context=context /> }
            })}
        </Dialog>
    }
}
