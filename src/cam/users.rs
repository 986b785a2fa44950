//! `/cam`: every sub-user of the Tencent Cloud account (one `ListUsers`, a
//! `LocalResource`), with instant search and sort kept in the URL, the count
//! against the 1,000 sub-user quota, delete from the row, and delete of a
//! selection (never forced: a sub-user with API keys is left to its row).

use crate::i18n::{t_string, td_string, use_i18n};
use crate::shell::language::tr;
use crate::shell::router::A;
use leptos::prelude::*;
use sag_api::cam::CamUser;

use std::collections::HashSet;

use super::delete::DeleteCamUserDialog;
use super::list::{count_line, phone, visible, CamColumn};
use super::services::{self, SUB_USER_QUOTA};
use crate::list_view::{Column, ListView};
use crate::plumbing::{CallError, RetryNotice};
use crate::shell::bulk::{use_bulk, BulkBar, BulkSpec, BulkWords, Progress, StopAsked};
use crate::shell::dialog::{ConfirmMany, ManyWords};
use crate::shell::errors::ErrorPanel;
use crate::shell::list::{search_box, sort_headers, use_list_view};
use crate::shell::notices::use_notices;
use crate::shell::table::{DataTable, Empty, KeyAt, Selection, SelectionBar};
use crate::shell::use_api;
use std::sync::Arc;

/// The sub-user just added, highlighted when the list shows it.
#[derive(Clone, Copy)]
pub struct JustAdded(pub RwSignal<Option<String>>);

/// `/cam/users/<name>`, the user's detail page.
pub fn detail_path(name: &str) -> String {
    crate::shell::routes::Page::CamUser {
        name: name.to_owned(),
    }
    .href()
}

/// A bulk delete's words. A sub-user with API keys is left for its own
/// dialog, which can remove the keys first.
static BULK_WORDS: BulkWords<()> = BulkWords {
    progress: |l, (), at, total, name| {
        td_string!(l, cam.bulk_deleting, at, total, name).to_string()
    },
    reason: super::text::not_deleted,
    summary: |l, (), results, not_done| super::text::deleted_summary(l, results, not_done),
};

/// The question before a bulk delete: keys are never removed by it.
static BULK_DELETE: ManyWords = ManyWords {
    title: |l, count| td_string!(l, cam.bulk_delete_title, count).to_string(),
    text: |l, list| td_string!(l, cam.bulk_delete_text, list).to_string(),
    warning: |l| td_string!(l, cam.bulk_delete_keys),
    button: |l, count| td_string!(l, cam.bulk_delete_button, count).to_string(),
    button_id: "confirm-bulk-delete",
};

#[component]
pub fn CamUsersPage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let notices = use_notices();
    let just_added = expect_context::<JustAdded>().0;
    let (view_state, set_view) = use_list_view::<CamColumn>();

    let retry_note: RwSignal<Option<String>> = RwSignal::new(None);
    let users: LocalResource<Result<Vec<CamUser>, CallError>> = LocalResource::new(move || {
        let client = api.tencent_tracked();
        async move {
            let Some(client) = client else {
                return Err(CallError::not_connected(sag_api::Vendor::Tencent));
            };
            let notify = move |n: Option<RetryNotice>| {
                retry_note.set(n.map(|n| crate::text::retry(i18n.get_locale_untracked(), &n)))
            };
            services::list_users(&client, &notify).await
        }
    });
    let rows = Memo::new(move |_| {
        let v = view_state.get();
        users.with(|u| match u {
            Some(Ok(list)) => visible(list, &v).into_iter().cloned().collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    });
    let total = Memo::new(move |_| {
        users.with(|u| u.as_ref().and_then(|r| r.as_ref().ok()).map_or(0, Vec::len))
    });
    // A selection of sub-users, deleted one after the other.
    let selected: RwSignal<HashSet<String>> = RwSignal::new(HashSet::new());
    let deleting: RwSignal<Option<String>> = RwSignal::new(None);
    let on_deleted = Callback::new(move |name: String| {
        deleting.set(None);
        selected.update(|s| {
            s.remove(&name);
        });
        users.update(|u| {
            if let Some(Ok(list)) = u {
                list.retain(|x| x.name != name);
            }
        });
        notices
            .push(td_string!(i18n.get_locale_untracked(), cam.deleted, name = &name).to_string());
    });

    let confirming_bulk: RwSignal<Option<Vec<String>>> = RwSignal::new(None);
    // A bulk delete ends before its next write on Stop, on leaving the page
    // and on Forget (crate::shell::run).
    let bulk_delete = use_bulk(BulkSpec {
        vendor: sag_api::Vendor::Tencent,
        words: &BULK_WORDS,
        run: |client, names: Vec<String>, (), progress: Progress, stop: StopAsked| async move {
            services::delete_users(&client, &names, &*progress, &*stop).await
        },
        on_each: move |name: &str, (), result: Result<(), &str>| {
            if result.is_ok() {
                users.update(|u| {
                    if let Some(Ok(list)) = u {
                        list.retain(|x| x.name != name);
                    }
                });
                selected.update(|s| {
                    s.remove(name);
                });
            }
        },
        status_for_one: |()| true,
    });
    view! {
        <section class="page">
            <h1>{tr(|l| td_string!(l, cam.title))}</h1>
            <p class="muted">{tr(|l| td_string!(l, cam.lead))}</p>
            <div class="toolbar">
                {search_box("cam-search", |l| td_string!(l, cam.search_label), |l| td_string!(l, cam.search_placeholder), view_state, set_view)}
                <span id="cam-count" class="muted" aria-live="polite">
                    {move || count_line(i18n.get_locale(), rows.with(Vec::len), total.get(), SUB_USER_QUOTA)}
                </span>
                <span class="spacer"></span>
                <button type="button" class="secondary" id="cam-reload" on:click=move |_| users.refetch()>{tr(|l| td_string!(l, users.reload))}</button>
                <A href=crate::shell::href("/cam/new") attr:class="button primary" attr:id="cam-add">{tr(|l| td_string!(l, cam_add.submit))}</A>
            </div>
            <SelectionBar label_id="cam-selection-label" label=|l| td_string!(l, cam.selection_label)>
                <button
                    type="button"
                    class="danger"
                    id="cam-delete-selected"
                    disabled=move || selected.with(HashSet::is_empty) || bulk_delete.running.get()
                    on:click=move |_| {
                        let mut names: Vec<String> = selected.get_untracked().into_iter().collect();
                        crate::list_view::sort_names(&mut names);
                        confirming_bulk.set(Some(names));
                    }
                >
                    {move || t_string!(i18n, users.delete_selected, count = selected.with(HashSet::len))}
                </button>
            </SelectionBar>
            <BulkBar status=bulk_delete.status running=bulk_delete.running stop=bulk_delete.stop id="cam-bulk-summary" stop_id="cam-bulk-stop" />
            {move || match users.get() {
                None => view! {
                    <p class="progress">{tr(|l| td_string!(l, cam.loading))}</p>
                    {move || retry_note.get().map(|n| view! { <p class="retry-note">{n}</p> })}
                }.into_any(),
                Some(Err(e)) => view! { <ErrorPanel error=e context=t_string!(i18n, cam.list_failed) /> }.into_any(),
                Some(Ok(_)) => view! { <CamTable rows=rows total=total selected=selected deleting=deleting highlight=just_added view_state=view_state set_view=set_view /> }.into_any(),
            }}
            {move || confirming_bulk.get().map(|names| view! {
                <ConfirmMany
                    names=names
                    words=&BULK_DELETE
                    on_confirm=Callback::new(move |names: Vec<String>| { confirming_bulk.set(None); bulk_delete.dispatch(names, ()); })
                    on_cancel=Callback::new(move |_| confirming_bulk.set(None))
                />
            })}
            {move || deleting.get().map(|name| view! {
                <DeleteCamUserDialog name=name on_done=on_deleted on_cancel=Callback::new(move |_| deleting.set(None)) />
            })}
        </section>
    }
}

/// The sub-users shown (`shell::table`): a row per sub-user, its selection
/// box, the sortable headers; its name links to its page.
#[component]
fn CamTable(
    rows: Memo<Vec<CamUser>>,
    total: Memo<usize>,
    selected: RwSignal<HashSet<String>>,
    deleting: RwSignal<Option<String>>,
    highlight: RwSignal<Option<String>>,
    view_state: Memo<ListView<CamColumn>>,
    set_view: Callback<ListView<CamColumn>>,
) -> impl IntoView {
    let key_at: KeyAt = Arc::new(move |p| rows.with(|r| r.get(p).map(|u| u.name.clone())));
    view! {
        <DataTable
            id="cam-users"
            label=|l| td_string!(l, cam.table_label)
            len=Signal::derive(move || rows.with(Vec::len))
            key_at=key_at
            head=sort_headers(view_state, set_view)
            columns=CamColumn::ALL.len()
            cells=Arc::new(move |name, position| cam_cells(rows, name, position, deleting))
            selection=Selection {
                selected,
                all_label: |l| td_string!(l, cam.select_all),
            }
            highlight=highlight
            empty=Empty {
                total: total.into(),
                none: |l| td_string!(l, cam.none_yet),
                no_match: |l| td_string!(l, cam.no_match),
                id: "cam-empty",
            }
        />
    }
}

/// A sub-user's cells, for whichever sub-user is at `position` now.
fn cam_cells(
    rows: Memo<Vec<CamUser>>,
    name: Memo<String>,
    position: usize,
    deleting: RwSignal<Option<String>>,
) -> AnyView {
    let i18n = use_i18n();
    let user = Memo::new(move |_| rows.with(|r| r.get(position).cloned()).unwrap_or_default());
    let text =
        move |f: fn(&CamUser) -> Option<String>| move || user.with(|u| f(u).unwrap_or_default());
    view! {
        <td><A href=move || crate::shell::href(&detail_path(&name.read()))>{name}</A></td>
        <td class="mono">{move || user.with(|u| u.uin.to_string())}</td>
        <td>{text(|u| u.remark.clone())}</td>
        <td>
            {move || if user.with(|u| u.console_login != 0) {
                view! { <span class="badge ok">{tr(|l| td_string!(l, cam.yes))}</span> }.into_any()
            } else {
                view! { <span class="badge">{tr(|l| td_string!(l, cam.no))}</span> }.into_any()
            }}
        </td>
        <td>{text(|u| u.email.clone())}</td>
        <td class="mono nowrap">{move || user.with(phone)}</td>
        <td class="mono small">{text(|u| u.create_time.clone())}</td>
        <td class="row-actions">
            <button
                type="button"
                class="danger small"
                aria-label=move || t_string!(i18n, users.delete_label, name = &*name.read()).to_string()
                on:click=move |_| deleting.set(Some(name.get_untracked()))
            >
                {tr(|l| td_string!(l, users.delete))}
            </button>
        </td>
    }
    .into_any()
}
