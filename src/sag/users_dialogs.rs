//! The user list's dialogs (delete one or a selection, edit, reset the
//! password, one bandwidth for a selection) and its selection bar: what they
//! change runs through the list's bulk runs (`shell::bulk`), so the rows
//! update the one way.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use sag_api::smartag::{ClientUser, UserState};

use super::edit::{BulkBandwidthDialog, EditUserDialog, ResetPasswordDialog};
use super::list::Bulk;
use super::scope::use_scope;
use super::users_data::UserList;
use crate::i18n::{t_string, td_string, use_i18n};
use crate::plumbing::CallError;
use crate::shell::bulk::BulkOp;
use crate::shell::dialog::{ConfirmMany, Dialog, ManyWords};
use crate::shell::language::tr;
use crate::shell::notices::use_notices;
use crate::shell::table::SelectionBar;

/// The question before deleting a selection.
static BULK_DELETE: ManyWords = ManyWords {
    title: |l, count| td_string!(l, users.bulk_delete_title, count).to_string(),
    text: |l, list| td_string!(l, users.bulk_delete_text, list).to_string(),
    warning: |l| td_string!(l, users.bulk_delete_warning),
    button: |l, count| td_string!(l, users.bulk_delete_button, count).to_string(),
    button_id: "confirm-delete",
};

/// The dialog the list asks for.
#[derive(Clone)]
pub enum Confirm {
    Delete(String),
    BulkDelete(Vec<String>),
    BulkBandwidth(Vec<String>),
    Edit(String),
    ResetPassword(String),
}

/// The selection's changes: enable, disable, one bandwidth, delete.
#[component]
pub fn ListChanges(
    selected: RwSignal<HashSet<String>>,
    bulk: BulkOp<Bulk>,
    confirm: RwSignal<Option<Confirm>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let selected_names = move || {
        let mut names: Vec<String> = selected.get_untracked().into_iter().collect();
        crate::list_view::sort_names(&mut names);
        names
    };
    // Enable, disable and bandwidth wait for a selection and for the run
    // before them.
    let no_bulk_change = move || selected.with(HashSet::is_empty) || bulk.running.get();
    view! {
        <SelectionBar label_id="selection-label" label=|l| td_string!(l, users.selection_label)>
            <button
                type="button"
                class="secondary"
                id="enable-selected"
                disabled=no_bulk_change
                on:click=move |_| { bulk.dispatch(selected_names(), Bulk::Enabled); }
            >
                {tr(|l| td_string!(l, users.enable_selected))}
            </button>
            <button
                type="button"
                class="secondary"
                id="disable-selected"
                disabled=no_bulk_change
                on:click=move |_| { bulk.dispatch(selected_names(), Bulk::Disabled); }
            >
                {tr(|l| td_string!(l, users.disable_selected))}
            </button>
            <button
                type="button"
                class="secondary"
                id="bandwidth-selected"
                title=tr(|l| td_string!(l, users.bandwidth_selected_title))
                disabled=no_bulk_change
                on:click=move |_| confirm.set(Some(Confirm::BulkBandwidth(selected_names())))
            >
                {tr(|l| td_string!(l, users.bandwidth_selected))}
            </button>
            <button
                type="button"
                class="danger"
                id="delete-selected"
                disabled=move || selected.with(HashSet::is_empty)
                on:click=move |_| confirm.set(Some(Confirm::BulkDelete(selected_names())))
            >
                {move || t_string!(i18n, users.delete_selected, count = selected.with(HashSet::len)).to_string()}
            </button>
        </SelectionBar>
    }
}

/// The dialog `confirm` asks for, if any.
#[component]
pub fn UserDialogs(
    confirm: RwSignal<Option<Confirm>>,
    bulk: BulkOp<Bulk>,
    users: LocalResource<Result<UserList, CallError>>,
    /// Each user's place in the list, by name.
    by_name: Memo<HashMap<String, usize>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notices = use_notices();
    let scope = use_scope();
    let (region, instance) = (scope.region, scope.instance);
    let max_bandwidth = crate::shell::use_config().max_bandwidth_kbps;
    let user_named = move |name: &str| -> Option<ClientUser> {
        by_name
            .with(|m| m.get(name).copied())
            .and_then(|i| users.with(|u| u.as_ref()?.as_ref().ok()?.users.get(i).cloned()))
    };
    view! {
        {move || confirm.get().map(|c| match c {
            Confirm::Delete(name) => {
                let enabled = user_named(&name).is_some_and(|u| u.state == UserState::Enabled);
                let (d, s, c) = (name.clone(), name.clone(), name.clone());
                view! {
                    <Dialog title=t_string!(i18n, users.delete_title, name = &name).to_string() on_cancel=Callback::new(move |_| confirm.set(None))>
                        <p>{t_string!(i18n, users.delete_text, name = &name).to_string()}</p>
                        <p class="warning">{tr(|l| td_string!(l, users.delete_warning))}</p>
                        <div class="actions">
                            <button type="button" class="danger" id="confirm-delete" on:click=move |_| { confirm.set(None); bulk.dispatch(vec![d.clone()], Bulk::Deleted); }>{tr(|l| td_string!(l, users.delete))}</button>
                            {enabled.then(|| view! {
                                <button type="button" class="secondary" id="disable-instead" on:click=move |_| { confirm.set(None); bulk.dispatch(vec![s.clone()], Bulk::Disabled); }>{tr(|l| td_string!(l, users.disable_instead))}</button>
                            })}
                            <button type="button" class="secondary" id="delete-copy-cli" title=tr(|l| td_string!(l, users.delete_cli_title)) on:click=move |_| {
                                let line = super::export::cli_delete(&region.get_untracked(), &instance.get_untracked(), &c.clone());
                                leptos::task::spawn_local(async move { crate::plumbing::platform::copy_text(&line).await; });
                            }>{tr(|l| td_string!(l, create.copy_cli))}</button>
                            <button type="button" class="secondary" on:click=move |_| confirm.set(None)>{tr(|l| td_string!(l, online.cancel))}</button>
                        </div>
                    </Dialog>
                }.into_any()
            }
            Confirm::Edit(name) => match user_named(&name) {
                Some(user) => {
                    let (saved, reset) = (name.clone(), name.clone());
                    view! {
                        <EditUserDialog
                            user=user
                            region=region.get_untracked()
                            instance=instance.get_untracked()
                            max_bandwidth=max_bandwidth
                            on_saved=Callback::new(move |(kbps, mail): (u64, String)| {
                                users.update(|u| {
                                    if let Some(Ok(l)) = u {
                                        if let Some(u) = l.users.iter_mut().find(|u| u.user_name == saved) {
                                            u.bandwidth = kbps;
                                            u.user_mail = mail.clone();
                                        }
                                    }
                                });
                                confirm.set(None);
                                notices.push(td_string!(i18n.get_locale_untracked(), users.saved, name = &saved, kbps, mail = &mail).to_string());
                            })
                            on_reset=Callback::new(move |_| confirm.set(Some(Confirm::ResetPassword(reset.clone()))))
                            on_cancel=Callback::new(move |_| confirm.set(None))
                        />
                    }.into_any()
                }
                None => ().into_any(),
            },
            Confirm::ResetPassword(name) => view! {
                <ResetPasswordDialog
                    name=name
                    region=region.get_untracked()
                    instance=instance.get_untracked()
                    on_done=Callback::new(move |text: String| { confirm.set(None); notices.push(text); })
                    on_cancel=Callback::new(move |_| confirm.set(None))
                />
            }.into_any(),
            Confirm::BulkBandwidth(names) => view! {
                <BulkBandwidthDialog
                    names=names.clone()
                    max_bandwidth=max_bandwidth
                    on_submit=Callback::new(move |kbps: u32| {
                        confirm.set(None);
                        bulk.dispatch(names.clone(), Bulk::Bandwidth(kbps));
                    })
                    on_cancel=Callback::new(move |_| confirm.set(None))
                />
            }.into_any(),
            Confirm::BulkDelete(names) => view! {
                <ConfirmMany
                    names=names
                    words=&BULK_DELETE
                    on_confirm=Callback::new(move |names: Vec<String>| { confirm.set(None); bulk.dispatch(names, Bulk::Deleted); })
                    on_cancel=Callback::new(move |_| confirm.set(None))
                />
            }.into_any(),
        })}
    }
}
