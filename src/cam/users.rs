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

use super::delete::{BulkDeleteCamDialog, DeleteCamUserDialog};
use super::list::{count_line, phone, visible, CamColumn};
use super::services::{self, SUB_USER_QUOTA};
use crate::list_view::Column;
use crate::plumbing::{CallError, RetryNotice};
use crate::shell::bulk::{use_bulk, BulkBar, BulkSpec, BulkWords, Progress, StopAsked};
use crate::shell::errors::ErrorPanel;
use crate::shell::list::{search_box, sort_header, use_list_view};
use crate::shell::notices::use_notices;
use crate::shell::use_api;

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
    let names_shown = move || rows.with(|r| r.iter().map(|u| u.name.clone()).collect::<Vec<_>>());
    let all_shown_selected = move || {
        rows.with(|r| !r.is_empty() && selected.with(|s| r.iter().all(|u| s.contains(&u.name))))
    };
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
    let header_cell = move |key: CamColumn| sort_header(view_state, set_view, key);

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
            <div class="toolbar selection" role="group" aria-labelledby="cam-selection-label">
                <span class="muted" id="cam-selection-label">{tr(|l| td_string!(l, cam.selection_label))}</span>
                <button
                    type="button"
                    class="danger"
                    id="cam-delete-selected"
                    disabled=move || selected.with(HashSet::is_empty) || bulk_delete.running.get()
                    on:click=move |_| {
                        let mut names: Vec<String> = selected.get_untracked().into_iter().collect();
                        names.sort_unstable();
                        confirming_bulk.set(Some(names));
                    }
                >
                    {move || t_string!(i18n, users.delete_selected, count = selected.with(HashSet::len))}
                </button>
            </div>
            <BulkBar status=bulk_delete.status running=bulk_delete.running stop=bulk_delete.stop id="cam-bulk-summary" stop_id="cam-bulk-stop" />
            {move || match users.get() {
                None => view! {
                    <p class="progress">{tr(|l| td_string!(l, cam.loading))}</p>
                    {move || retry_note.get().map(|n| view! { <p class="retry-note">{n}</p> })}
                }.into_any(),
                Some(Err(e)) => view! { <ErrorPanel error=e context=t_string!(i18n, cam.list_failed) /> }.into_any(),
                Some(Ok(_)) => view! {
                    <div class="table-wrap"><table class="data" id="cam-users">
                        <thead>
                            <tr>
                                <th scope="col" class="check">
                                    <input
                                        type="checkbox"
                                        aria-label=tr(|l| td_string!(l, cam.select_all))
                                        prop:checked=all_shown_selected
                                        on:change:target=move |ev| {
                                            let all = ev.target().checked();
                                            let shown = names_shown();
                                            selected.update(|s| for n in shown { if all { s.insert(n); } else { s.remove(&n); } });
                                        }
                                    />
                                </th>
                                {CamColumn::ALL.iter().map(|k| header_cell(*k)).collect_view()}
                                <th scope="col">{tr(|l| td_string!(l, online.actions))}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || rows.get()
                                key=|u| (u.name.clone(), u.uin)
                                children=move |u| {
                                    let name = u.name.clone();
                                    let highlight = just_added.get_untracked().as_deref() == Some(name.as_str());
                                    let (n1, n2, shown, n3) = (name.clone(), name.clone(), name.clone(), name.clone());
                                    let n4 = name.clone();
                                    let select_label = { let name = name.clone(); move || t_string!(i18n, users.select, name = &name) };
                                    let label = { let name = name.clone(); move || t_string!(i18n, users.delete_label, name = &name).to_string() };
                                    view! {
                                        <tr data-user=name.clone() class:row-new=highlight>
                                            <td class="check">
                                                <input
                                                    type="checkbox"
                                                    aria-label=select_label
                                                    prop:checked=move || selected.with(|s| s.contains(&n3))
                                                    on:change:target=move |ev| {
                                                        let on = ev.target().checked();
                                                        let n = n4.clone();
                                                        selected.update(|s| { if on { s.insert(n); } else { s.remove(&n); } });
                                                    }
                                                />
                                            </td>
                                            <td><A href=crate::shell::href(&detail_path(&n1))>{shown}</A></td>
                                            <td class="mono">{u.uin.to_string()}</td>
                                            <td>{u.remark.clone().unwrap_or_default()}</td>
                                            <td>
                                                {if u.console_login != 0 {
                                                    view! { <span class="badge ok">{tr(|l| td_string!(l, cam.yes))}</span> }.into_any()
                                                } else {
                                                    view! { <span class="badge">{tr(|l| td_string!(l, cam.no))}</span> }.into_any()
                                                }}
                                            </td>
                                            <td>{u.email.clone().unwrap_or_default()}</td>
                                            <td class="mono nowrap">{phone(&u)}</td>
                                            <td class="mono small">{u.create_time.clone().unwrap_or_default()}</td>
                                            <td class="row-actions">
                                                <button type="button" class="danger small" aria-label=label on:click=move |_| deleting.set(Some(n2.clone()))>{tr(|l| td_string!(l, users.delete))}</button>
                                            </td>
                                        </tr>
                                    }
                                }
                            />
                        </tbody>
                    </table></div>
                    <Show when=move || rows.with(Vec::is_empty)>
                        <p class="empty">{move || if total.get() == 0 { t_string!(i18n, cam.none_yet) } else { t_string!(i18n, cam.no_match) }}</p>
                    </Show>
                }.into_any(),
            }}
            {move || confirming_bulk.get().map(|names| view! {
                <BulkDeleteCamDialog
                    names=names
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
