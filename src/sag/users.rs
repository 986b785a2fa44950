//! The user list: every page loaded (a `LocalResource`, so a superseded load
//! never lands), searchable and sortable (state in the URL), with
//! enable/disable, delete and bulk delete from the rows (`Action`s whose
//! typed outcomes update the list in place).

use crate::i18n::{t_string, td_string, use_i18n};
use crate::shell::language::tr;
use std::collections::{HashMap, HashSet};

use crate::shell::router::A;
use leptos::prelude::*;
use sag_api::smartag::{ClientUser, UserState};

use super::list::{window, SortKey, VIRTUAL_FROM};
use wasm_bindgen::JsCast;

/// A row's height in a virtualised table (`table-wrap.virtual` in the CSS).
/// Spacer heights are set through the CSSOM (`style:height`), which the
/// Content-Security-Policy allows, unlike `style` attributes.
const ROW_HEIGHT_PX: usize = 42;
use super::list::Bulk;
use super::scope::use_scope;
use super::users_data::{
    use_list_changes, use_online_counts, use_rows, use_user_list, UserList, UserLoad,
};
use super::users_dialogs::{Confirm, SelectionBar, UserDialogs};
use crate::plumbing::CallError;
use crate::shell::bulk::{BulkBar, BulkOp};
use crate::shell::errors::ErrorPanel;
use crate::shell::list::{search_box, sort_header, use_list_view};
use crate::shell::notices::use_notices;

/// The user just created, highlighted when the list shows it.
#[derive(Clone, Copy)]
pub struct JustCreated(pub RwSignal<Option<String>>);

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let scope = use_scope();
    let instance = scope.instance;
    let notices = use_notices();
    let just_created = expect_context::<JustCreated>().0;
    let (view_state, set_view) = use_list_view::<SortKey>();

    let UserLoad {
        users,
        loading,
        progress,
    } = use_user_list();
    let selected: RwSignal<HashSet<String>> = RwSignal::new(HashSet::new());
    let confirm: RwSignal<Option<Confirm>> = RwSignal::new(None);

    let (load_id, online) = use_online_counts(users);
    // A new load starts with a clean slate.
    Effect::new(move |_| {
        load_id.track();
        selected.set(HashSet::new());
    });

    let rows = use_rows(users, online, view_state);
    let total = Memo::new(move |_| {
        users.with(|u| match u {
            Some(Ok(l)) => l.users.len(),
            _ => 0,
        })
    });

    let bulk = use_list_changes(users, online, selected);
    // Loading, failed or listed: the table is drawn again only when this
    // changes, not when a row changes in place (its scroll stays).
    let phase = Memo::new(move |_| users.with(|u| u.as_ref().map(|r| r.as_ref().err().cloned())));
    // A new load starts without the last run's messages.
    Effect::new(move |_| {
        load_id.track();
        bulk.errors.set(HashMap::new());
    });
    // Only a list read completely is exported: not while it loads, not
    // after a failed load, not a list cut short.
    let exportable =
        move || !loading.get() && users.with(|u| matches!(u, Some(Ok(l)) if l.complete));
    // Export what the list shows (every user without a search), in its order.
    let export = move |terraform: bool| {
        if exportable() {
            let shown: Vec<ClientUser> = users.with_untracked(|u| match u {
                Some(Ok(l)) => {
                    rows.with_untracked(|r| r.iter().map(|&i| l.users[i].clone()).collect())
                }
                _ => Vec::new(),
            });
            super::export::download_users(
                &instance.get_untracked(),
                &shown,
                total.get_untracked(),
                terraform,
                i18n.get_locale_untracked(),
                notices,
            );
        }
    };
    // Each row reads its own user, so a change redraws only that row.
    let by_name = Memo::new(move |_| {
        users.with(|u| match u {
            Some(Ok(l)) => l
                .users
                .iter()
                .enumerate()
                .map(|(i, u)| (u.user_name.clone(), i))
                .collect::<HashMap<_, _>>(),
            _ => HashMap::new(),
        })
    });
    let ctx = RowContext {
        by_name,
        users,
        online,
        selected,
        confirm,
        bulk,
        highlight: just_created,
        i18n,
    };

    view! {
        <div class="toolbar">
            {search_box("search", |l| td_string!(l, users.search_label), |l| td_string!(l, users.search_placeholder), view_state, set_view)}
            <span id="user-count" class="muted" aria-live="polite">
                {move || {
                    let total = total.get();
                    let shown = rows.with(Vec::len);
                    let l = i18n.get_locale();
                    let mut text = if shown == total { String::new() } else { td_string!(l, users.shown, shown).to_string() };
                    text.push_str(&td_string!(l, users.count, total).to_string());
                    if let Some(quota) = scope.quota() { text.push_str(&td_string!(l, users.of_allowed, quota).to_string()); }
                    text
                }}
            </span>
            <span class="spacer"></span>
            <button type="button" class="secondary" id="export-csv" disabled=move || !exportable() title=tr(|l| td_string!(l, users.export_csv_title)) on:click=move |_| export(false)>{tr(|l| td_string!(l, users.export_csv))}</button>
            <button type="button" class="secondary" id="export-terraform" disabled=move || !exportable() title=tr(|l| td_string!(l, users.export_tf_title)) on:click=move |_| export(true)>{tr(|l| td_string!(l, users.export_tf))}</button>
            <button type="button" class="secondary" id="reload" on:click=move |_| users.refetch()>{tr(|l| td_string!(l, users.reload))}</button>
            <A href=move || crate::shell::href(&format!("{}/new", scope.base())) attr:class="button primary">{tr(|l| td_string!(l, instance.new_user))}</A>
        </div>
        <SelectionBar selected=selected bulk=bulk confirm=confirm />
        <BulkBar status=bulk.status running=bulk.running stop=bulk.stop id="bulk-summary" stop_id="bulk-stop" />
        {move || {
            users.with(|u| match u {
                Some(Ok(l)) => l.disagreement.clone(),
                _ => None,
            })
            .map(|text| view! { <p class="warning" id="count-mismatch" role="status">{text}</p> })
        }}
        {move || {
            if loading.get() {
                let (p, note) = progress.get();
                return view! {
                    <div class="progress" id="load-progress" role="status">
                        {if p.pages > 1 {
                            td_string!(i18n.get_locale(), users.loading_pages, page = p.page, pages = p.pages, loaded = p.loaded, total = p.total).to_string()
                        } else {
                            td_string!(i18n.get_locale(), users.loading).to_owned()
                        }}
                        {(p.pages > 1).then(|| view! { <progress max=p.pages value=p.page></progress> })}
                        {note.map(|n| view! { <p class="retry-note">{n}</p> })}
                    </div>
                }.into_any();
            }
            match phase.get() {
                None => view! { <p class="progress">{tr(|l| td_string!(l, users.loading))}</p> }.into_any(),
                Some(Some(e)) => view! { <ErrorPanel error=e context=t_string!(i18n, users.load_failed) /> }.into_any(),
                Some(None) => view! { <UsersTable users=users rows=rows selected=selected ctx=ctx view_state=view_state set_view=set_view total=total /> }.into_any(),
            }
        }}
        <UserDialogs confirm=confirm bulk=bulk users=users by_name=by_name />
    }
}

/// What every row reads and writes; cheap to copy.
#[derive(Clone, Copy)]
struct RowContext {
    by_name: Memo<HashMap<String, usize>>,
    users: LocalResource<Result<UserList, CallError>>,
    online: LocalResource<Option<HashMap<String, u64>>>,
    selected: RwSignal<HashSet<String>>,
    confirm: RwSignal<Option<Confirm>>,
    bulk: BulkOp<Bulk>,
    highlight: RwSignal<Option<String>>,
    /// The language, looked up once for the page rather than per row.
    i18n: crate::i18n::I18nContext,
}

/// The row at one position among the rows shown; it shows whichever user
/// is there now.
#[component]
fn UserRow(
    /// The name of the user at this position.
    name: Memo<String>,
    /// The row's place among the rows shown (0-based).
    position: usize,
    ctx: RowContext,
) -> impl IntoView {
    let i18n = ctx.i18n;
    let user = Memo::new(move |_| {
        name.with(|name| {
            ctx.by_name
                .with(|m| m.get(name).copied())
                .and_then(|i| {
                    ctx.users
                        .with(|u| u.as_ref()?.as_ref().ok()?.users.get(i).cloned())
                })
                .unwrap_or_default()
        })
    });
    let enabled = move || user.with(|u| u.state == UserState::Enabled);
    let highlight = move || {
        ctx.highlight
            .with(|h| name.with(|n| h.as_deref() == Some(n.as_str())))
    };
    let online = move || {
        name.with(|name| {
            ctx.online.with(|o| {
                o.as_ref()
                    .and_then(Option::as_ref)
                    .map(|m| m.get(name).copied().unwrap_or(0))
            })
        })
    };
    let is_busy = move || name.with(|name| ctx.bulk.busy.with(|b| b.contains(name)));
    view! {
        <tr class:row-new=highlight class:row-disabled=move || !enabled() data-user=name aria-rowindex=position + 2>
            <td class="check">
                <input
                    type="checkbox"
                    aria-label=move || t_string!(i18n, users.select, name = &*name.read()).to_string()
                    prop:checked=move || name.with(|name| ctx.selected.with(|s| s.contains(name)))
                    on:change:target=move |ev| {
                        let on = ev.target().checked();
                        let name = name.get_untracked();
                        ctx.selected.update(|s| { if on { s.insert(name); } else { s.remove(&name); } });
                    }
                />
            </td>
            <td class="mono">{name}</td>
            <td>{move || user.with(|u| u.user_mail.clone())}</td>
            <td class="num">{move || user.with(|u| format!("{} Kbit/s", u.bandwidth))}</td>
            <td class="mono">
                {move || user.with(|u| u.client_ip.clone().unwrap_or_else(|| "—".into()))}
                {move || user.with(|u| u.is_static_ip).then(|| view! { " " <span class="badge">{tr(|l| td_string!(l, users.static_ip))}</span> })}
            </td>
            <td>
                {move || if enabled() {
                    view! { <span class="badge ok">{tr(|l| td_string!(l, users.enabled))}</span> }.into_any()
                } else {
                    view! { <span class="badge off">{tr(|l| td_string!(l, users.disabled))}</span> }.into_any()
                }}
            </td>
            <td class="online-cell">
                {move || match online() {
                    Some(0) => "—".to_owned(),
                    Some(n) => t_string!(i18n, users.online_n, n).to_string(),
                    None => "…".to_owned(),
                }}
            </td>
            <td class="row-actions">
                <button
                    type="button"
                    class="secondary small"
                    disabled=is_busy
                    on:click=move |_| { ctx.bulk.dispatch(vec![name.get_untracked()], if enabled() { Bulk::Disabled } else { Bulk::Enabled }); }
                >
                    {move || if enabled() { t_string!(i18n, users.disable) } else { t_string!(i18n, users.enable) }}
                </button>
                <button
                    type="button"
                    class="secondary small"
                    aria-label=move || t_string!(i18n, users.edit_label, name = &*name.read()).to_string()
                    disabled=is_busy
                    on:click=move |_| ctx.confirm.set(Some(Confirm::Edit(name.get_untracked())))
                >
                    {tr(|l| td_string!(l, users.edit))}
                </button>
                <button
                    type="button"
                    class="danger small"
                    aria-label=move || t_string!(i18n, users.delete_label, name = &*name.read()).to_string()
                    disabled=is_busy
                    on:click=move |_| ctx.confirm.set(Some(Confirm::Delete(name.get_untracked())))
                >
                    {tr(|l| td_string!(l, users.delete))}
                </button>
                {move || name.with(|name| ctx.bulk.errors.with(|m| m.get(name).cloned())).map(|e| view! { <p class="row-error" role="alert">{e}</p> })}
            </td>
        </tr>
    }
}

/// The table: a row per user shown, drawn in a window when the list is
/// long; the select-all box and the sortable headers.
#[component]
fn UsersTable(
    users: LocalResource<Result<UserList, CallError>>,
    rows: Memo<Vec<usize>>,
    selected: RwSignal<HashSet<String>>,
    ctx: RowContext,
    view_state: Memo<crate::list_view::ListView<SortKey>>,
    set_view: Callback<crate::list_view::ListView<SortKey>>,
    total: Memo<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let just_created = ctx.highlight;
    // Long lists render only what is on screen.
    let virtual_rows = Memo::new(move |_| rows.with(Vec::len) > VIRTUAL_FROM);
    let scroll: RwSignal<(f64, f64)> = RwSignal::new((0.0, 720.0));
    let table_wrap = NodeRef::<leptos::html::Div>::new();
    let range = Memo::new(move |_| {
        let n = rows.with(Vec::len);
        if virtual_rows.get() {
            let (top, height) = scroll.get();
            window(n, top, height, ROW_HEIGHT_PX as f64, 12)
        } else {
            (0, n)
        }
    });
    let name_at = move |i: usize| {
        users.with(|u| match u {
            Some(Ok(l)) => l.users.get(i).map(|u| u.user_name.clone()),
            _ => None,
        })
    };
    // A user just created is scrolled into view once, when it is first
    // listed (a long list draws only the rows on screen).
    let scrolled_to: StoredValue<Option<String>> = StoredValue::new(None);
    Effect::new(move |_| {
        let Some(name) = just_created.get() else {
            return;
        };
        if scrolled_to.with_value(|s| s.as_deref() == Some(name.as_str())) {
            return;
        }
        let position = users.with(|u| match u {
            Some(Ok(l)) => rows.with(|r| r.iter().position(|&i| l.users[i].user_name == name)),
            _ => None,
        });
        let (Some(position), Some(wrap)) = (position, table_wrap.get()) else {
            return;
        };
        scrolled_to.set_value(Some(name));
        if virtual_rows.get_untracked() {
            let top = position.saturating_sub(2) * ROW_HEIGHT_PX;
            wrap.set_scroll_top(top as i32);
            scroll.set((top as f64, f64::from(wrap.client_height())));
        }
    });
    // Rows are keyed on their position among the rows shown: a keystroke
    // or a sort rewrites the text of the rows on screen in place (no row is
    // torn down and built again), and scrolling adds and removes only the
    // rows that enter or leave the window. Each row reads which user is at
    // its position.
    let shown_positions = move || {
        let (start, end) = range.get();
        start..end
    };
    let name_at_position = move |position: usize| {
        rows.with(|r| r.get(position).and_then(|&i| name_at(i)))
            .unwrap_or_default()
    };
    // Whether every row shown is selected (no copy of the names).
    let all_shown_selected = move || {
        selected.with(|s| {
            users.with(|u| match u {
                Some(Ok(l)) => rows.with(|r| {
                    !r.is_empty() && r.iter().all(|&i| s.contains(&l.users[i].user_name))
                }),
                _ => false,
            })
        })
    };
    let names_of_rows = move || {
        users.with_untracked(|u| match u {
            Some(Ok(l)) => rows.with_untracked(|r| {
                r.iter()
                    .map(|&i| l.users[i].user_name.clone())
                    .collect::<Vec<_>>()
            }),
            _ => Vec::new(),
        })
    };
    let header_cell = move |key: SortKey| sort_header(view_state, set_view, key);
    view! {
                    <div
                        class="table-wrap"
                        node_ref=table_wrap
                        class:virtual=move || virtual_rows.get()
                        on:scroll=move |ev| {
                            if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                                scroll.set((f64::from(el.scroll_top()), f64::from(el.client_height())));
                            }
                        }
                    ><table
                        class="data"
                        id="users"
                        aria-rowcount=move || rows.with(Vec::len) + 1
                    >
                        <thead>
                            <tr aria-rowindex="1">
                                <th scope="col" class="check">
                                    <input
                                        type="checkbox"
                                        aria-label=tr(|l| td_string!(l, users.select_all))
                                        prop:checked=all_shown_selected
                                        on:change:target=move |ev| {
                                            let all = ev.target().checked();
                                            let shown: Vec<String> = names_of_rows();
                                            selected.update(|s| for n in shown { if all { s.insert(n); } else { s.remove(&n); } });
                                        }
                                    />
                                </th>
                                {header_cell(SortKey::Name)}
                                {header_cell(SortKey::Email)}
                                {header_cell(SortKey::Bandwidth)}
                                {header_cell(SortKey::Ip)}
                                {header_cell(SortKey::State)}
                                {header_cell(SortKey::Online)}
                                <th scope="col">{tr(|l| td_string!(l, online.actions))}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <Show when=move || virtual_rows.get()>
                                <tr class="spacer" aria-hidden="true"><td colspan="8" style:height=move || format!("{}px", range.get().0 * ROW_HEIGHT_PX)></td></tr>
                            </Show>
                            <For
                                each=shown_positions
                                key=|position| *position
                                children=move |position| {
                                    let name = Memo::new(move |_| name_at_position(position));
                                    view! { <UserRow name=name position=position ctx=ctx /> }
                                }
                            />
                            <Show when=move || virtual_rows.get()>
                                <tr class="spacer" aria-hidden="true"><td colspan="8" style:height=move || format!("{}px", (rows.with(Vec::len) - range.get().1) * ROW_HEIGHT_PX)></td></tr>
                            </Show>
                        </tbody>
                    </table></div>
                    <Show when=move || rows.with(Vec::is_empty)>
                        <p class="empty">{move || if total.get() == 0 { t_string!(i18n, users.none_yet) } else { t_string!(i18n, users.no_match) }}</p>
                    </Show>
    }
}
