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

use super::list::Bulk;
use super::list::SortKey;
use super::scope::use_scope;
use super::users_data::{
    use_list_changes, use_online_counts, use_rows, use_user_list, UserList, UserLoad,
};
use super::users_dialogs::{Confirm, ListChanges, UserDialogs};
use crate::list_view::Column;
use crate::plumbing::CallError;
use crate::shell::bulk::{BulkBar, BulkOp};
use crate::shell::errors::ErrorPanel;
use crate::shell::list::{search_box, sort_headers, use_list_view};
use crate::shell::notices::use_notices;
use crate::shell::table::{DataTable, Empty, KeyAt, Selection};
use std::sync::Arc;

/// The user just created, highlighted when the list shows it.
#[derive(Clone, Copy)]
pub struct JustCreated(pub RwSignal<Option<String>>);

#[component]
pub fn UsersPage() -> impl IntoView {
    // The tabs beside the list: New user and Online now share a part.
    crate::shell::parts::prefetch_when_idle(|| {
        Box::pin(async {
            let _ = super::parts::preload_create().await;
        })
    });
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
        <ListChanges selected=selected bulk=bulk confirm=confirm />
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
                Some(None) => view! { <UsersTable rows=rows ctx=ctx view_state=view_state set_view=set_view total=total /> }.into_any(),
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

impl RowContext {
    /// The user named `name`, as listed now.
    fn user(self, name: &str) -> Option<ClientUser> {
        self.by_name.with(|m| m.get(name).copied()).and_then(|i| {
            self.users
                .with(|u| u.as_ref()?.as_ref().ok()?.users.get(i).cloned())
        })
    }
}

/// A row's cells after its selection box, for whichever user is at its
/// position now.
fn user_cells(ctx: RowContext, name: Memo<String>) -> AnyView {
    let i18n = ctx.i18n;
    let user = Memo::new(move |_| name.with(|name| ctx.user(name)).unwrap_or_default());
    let enabled = move || user.with(|u| u.state == UserState::Enabled);
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
    }
    .into_any()
}

/// The table (`shell::table`): a row per user shown, its selection box,
/// the sortable headers; a disabled user's row is dimmed.
#[component]
fn UsersTable(
    rows: Memo<Vec<usize>>,
    ctx: RowContext,
    view_state: Memo<crate::list_view::ListView<SortKey>>,
    set_view: Callback<crate::list_view::ListView<SortKey>>,
    total: Memo<usize>,
) -> impl IntoView {
    let users = ctx.users;
    let key_at: KeyAt = Arc::new(move |position| {
        rows.with(|r| r.get(position).copied()).and_then(|i| {
            users.with(|u| match u {
                Some(Ok(l)) => l.users.get(i).map(|u| u.user_name.clone()),
                _ => None,
            })
        })
    });
    view! {
        <DataTable
            id="users"
            label=|l| td_string!(l, users.table_label)
            len=Signal::derive(move || rows.with(Vec::len))
            key_at=key_at
            head=sort_headers(view_state, set_view)
            columns=SortKey::ALL.len()
            cells=Arc::new(move |name, _| user_cells(ctx, name))
            selection=Selection {
                selected: ctx.selected,
                all_label: |l| td_string!(l, users.select_all),
            }
            highlight=ctx.highlight
            dimmed=Arc::new(move |name: &str| ctx.user(name).is_some_and(|u| u.state != UserState::Enabled))
            empty=Empty {
                total: total.into(),
                none: |l| td_string!(l, users.none_yet),
                no_match: |l| td_string!(l, users.no_match),
                id: "users-empty",
            }
        />
    }
}
