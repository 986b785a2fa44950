//! The user list: every page loaded, searchable and sortable (state in the
//! URL), with enable/disable, delete and bulk delete from the rows.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use sag_api::smartag::{
    ClientUser, DeleteClientUser, DescribeClientUsers, DisableUser, EnableUser, SagInstance,
    UserState,
};
use sag_api::ErrorKind;

use super::{
    use_api, use_instance_params, Api, Dialog, ErrorPanel, InstanceNav, NeedsConnection, Notices,
};
use crate::client::{ApiClient, CallError};
use crate::services::LoadProgress;
use crate::users::{bulk_summary, visible, ListView, SortKey};

/// The user just created, highlighted when the list shows it.
#[derive(Clone, Copy)]
pub struct JustCreated(pub RwSignal<Option<String>>);

#[derive(Clone)]
enum Load {
    Loading(LoadProgress, Option<String>),
    Ready,
    Failed(CallError),
}

#[derive(Clone)]
enum Confirm {
    Delete(String),
    BulkDelete(Vec<String>),
}

/// Header facts about the instance: name, quota, CIDR.
#[component]
pub fn InstanceHeader(
    region: Memo<String>,
    instance: Memo<String>,
    info: RwSignal<Option<Result<Option<SagInstance>, CallError>>>,
) -> impl IntoView {
    view! {
        <header class="instance-header">
            {move || match info.get() {
                Some(Ok(Some(i))) => view! {
                    <h1>{i.name.clone()} " " <span class="mono muted small">{i.smart_ag_id.clone()}</span></h1>
                    <p class="muted">{format!("{} · client CIDR {} · quota {} users", region.get(), i.cidr_block.clone().unwrap_or_else(|| "not set".into()), i.user_count.map(|c| c.to_string()).unwrap_or_else(|| "unknown".into()))}</p>
                }.into_any(),
                Some(Ok(None)) => view! {
                    <h1 class="mono">{instance.get()}</h1>
                    <p class="warning" role="alert">{format!("No SAG App instance {} was found in {}. Check the ID and the region.", instance.get(), region.get())}</p>
                }.into_any(),
                Some(Err(e)) => view! { <h1 class="mono">{instance.get()}</h1><ErrorPanel error=e context="Could not read the instance's details." /> }.into_any(),
                None => view! { <h1 class="mono">{instance.get()}</h1><p class="muted">{region.get()}</p> }.into_any(),
            }}
        </header>
    }
}

/// Loads the instance's details into `info` whenever the route changes.
pub fn load_instance_info(
    api: Api,
    region: Memo<String>,
    instance: Memo<String>,
) -> RwSignal<Option<Result<Option<SagInstance>, CallError>>> {
    let info = RwSignal::new(None);
    Effect::new(move |_| {
        let (r, i) = (region.get(), instance.get());
        let Some(client) = api.client_tracked() else {
            return;
        };
        info.set(None);
        spawn_local(async move {
            info.set(Some(crate::services::instance(&client, &r, &i).await));
        });
    });
    info
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let (region, instance) = use_instance_params();
    let api = use_api();
    let connected = move || api.connected();
    view! {
        <Show when=connected fallback=|| view! { <NeedsConnection /> }>
            <UsersList region=region instance=instance />
        </Show>
    }
}

#[component]
fn UsersList(region: Memo<String>, instance: Memo<String>) -> impl IntoView {
    let notices = expect_context::<Notices>();
    let just_created = expect_context::<JustCreated>().0;
    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    let view_state = Memo::new(move |_| {
        let q = query.read();
        ListView::from_query(q.get_str("q"), q.get_str("sort"), q.get_str("dir"))
    });
    let set_view = Callback::new(move |v: ListView| {
        navigate(
            &format!("{}{}", location.pathname.get_untracked(), v.to_query()),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });

    let api = use_api();
    let info = load_instance_info(api, region, instance);
    let users: RwSignal<Vec<ClientUser>> = RwSignal::new(Vec::new());
    let load = RwSignal::new(Load::Loading(LoadProgress::default(), None));
    let online: RwSignal<Option<HashMap<String, u64>>> = RwSignal::new(None);
    let selected: RwSignal<HashSet<String>> = RwSignal::new(HashSet::new());
    let row_errors: RwSignal<HashMap<String, String>> = RwSignal::new(HashMap::new());
    let busy: RwSignal<HashSet<String>> = RwSignal::new(HashSet::new());
    let confirm: RwSignal<Option<Confirm>> = RwSignal::new(None);
    let bulk_status: RwSignal<Option<String>> = RwSignal::new(None);
    let reload = RwSignal::new(0u32);

    Effect::new(move |_| {
        reload.track();
        let (r, i) = (region.get(), instance.get());
        let Some(client) = api.client_tracked() else {
            return;
        };
        load.set(Load::Loading(LoadProgress::default(), None));
        online.set(None);
        spawn_local(async move {
            let progress = move |p: LoadProgress| load.set(Load::Loading(p, None));
            let notify = move |n: Option<crate::client::RetryNotice>| {
                if let Some(n) = n {
                    load.update(|l| {
                        if let Load::Loading(p, _) = l {
                            *l = Load::Loading(*p, Some(n.text()));
                        }
                    });
                }
            };
            match crate::services::all_users(&client, &r, &i, &progress, &notify).await {
                Ok(list) => {
                    let names: Vec<String> = list.iter().map(|u| u.user_name.clone()).collect();
                    users.set(list);
                    selected.set(HashSet::new());
                    row_errors.set(HashMap::new());
                    load.set(Load::Ready);
                    match crate::services::online_counts(&client, &r, &i, &names, &|_| {}).await {
                        Ok(counts) => online.set(Some(counts)),
                        Err(e) => {
                            // The list stands; only the Online column is unknown.
                            online.set(Some(HashMap::new()));
                            notices.push(format!("Could not read who is online: {e}"));
                        }
                    }
                }
                Err(e) => load.set(Load::Failed(e)),
            }
        });
    });

    let online_of =
        move |name: &str| online.with(|o| o.as_ref().and_then(|m| m.get(name).copied()));
    let rows = Memo::new(move |_| {
        let v = view_state.get();
        online.track();
        users.with(|list| {
            visible(list, &|n: &str| online_of(n), &v)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    });

    let client = move || api.client();
    let set_state = Callback::new(move |(name, enable): (String, bool)| {
        let Some(client) = client() else { return };
        let (r, i) = (region.get_untracked(), instance.get_untracked());
        busy.update(|b| {
            b.insert(name.clone());
        });
        row_errors.update(|e| {
            e.remove(&name);
        });
        spawn_local(async move {
            let result = if enable {
                client
                    .send(&EnableUser::new(&r, &i, &name))
                    .await
                    .map(|_| ())
            } else {
                client
                    .send(&DisableUser::new(&r, &i, &name))
                    .await
                    .map(|_| ())
            };
            let wanted = if enable {
                UserState::Enabled
            } else {
                UserState::Disabled
            };
            let outcome = match result {
                Ok(()) => Ok(()),
                // The answer was lost: look before saying anything.
                Err(e) if e.error.is_ambiguous() => {
                    match current_user(&client, &r, &i, &name).await {
                        Ok(Some(u)) if u.state == wanted => Ok(()),
                        _ => Err(e),
                    }
                }
                Err(e) => Err(e),
            };
            busy.update(|b| {
                b.remove(&name);
            });
            match outcome {
                Ok(()) => {
                    users.update(|list| {
                        if let Some(u) = list.iter_mut().find(|u| u.user_name == name) {
                            u.state = wanted;
                        }
                    });
                    if !enable {
                        online.update(|o| {
                            if let Some(m) = o {
                                m.insert(name.clone(), 0);
                            }
                        });
                    }
                    notices.push(format!(
                        "{} {name}.",
                        if enable { "Enabled" } else { "Disabled" }
                    ));
                }
                Err(e) => row_errors.update(|m| {
                    m.insert(name.clone(), reason(&e));
                }),
            }
        });
    });

    let delete_users = Callback::new(move |names: Vec<String>| {
        let Some(client) = client() else { return };
        let (r, i) = (region.get_untracked(), instance.get_untracked());
        confirm.set(None);
        spawn_local(async move {
            let total = names.len();
            let mut results = Vec::new();
            for (n, name) in names.into_iter().enumerate() {
                if total > 1 {
                    bulk_status.set(Some(format!("Deleting {} of {total}: {name}…", n + 1)));
                }
                busy.update(|b| {
                    b.insert(name.clone());
                });
                row_errors.update(|e| {
                    e.remove(&name);
                });
                let outcome = delete_one(&client, &r, &i, &name).await;
                busy.update(|b| {
                    b.remove(&name);
                });
                match &outcome {
                    Ok(()) => {
                        users.update(|list| list.retain(|u| u.user_name != name));
                        selected.update(|s| {
                            s.remove(&name);
                        });
                    }
                    Err(e) => row_errors.update(|m| {
                        m.insert(name.clone(), reason(e));
                    }),
                }
                results.push((name, outcome.map_err(|e| reason(&e))));
            }
            let summary = bulk_summary("Deleted", &results);
            bulk_status.set((total > 1).then(|| summary.clone()));
            notices.push(summary);
        });
    });

    let quota = move || {
        info.with(|i| match i {
            Some(Ok(Some(i))) => i.user_count,
            _ => None,
        })
    };
    let header_cell = move |key: SortKey| {
        let aria = move || {
            let v = view_state.get();
            if v.sort != key {
                "none"
            } else if v.descending {
                "descending"
            } else {
                "ascending"
            }
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button type="button" class="sort" on:click=move |_| set_view.run(view_state.get_untracked().toggled(key))>
                    {key.label()}
                    <span aria-hidden="true">{move || match aria() { "ascending" => " ▲", "descending" => " ▼", _ => "" }}</span>
                </button>
            </th>
        }
    };

    view! {
        <section class="page">
            <InstanceHeader region=region instance=instance info=info />
            <InstanceNav region=region instance=instance />
            <div class="toolbar">
                <label for="search" class="visually-hidden">"Search users"</label>
                <input
                    id="search"
                    type="search"
                    placeholder="Search name, email or IP"
                    prop:value=move || view_state.get().search
                    on:input:target=move |ev| set_view.run(ListView { search: ev.target().value(), ..view_state.get_untracked() })
                />
                <span id="user-count" class="muted" aria-live="polite">
                    {move || {
                        let total = users.with(Vec::len);
                        let shown = rows.with(Vec::len);
                        let q = quota().map(|q| format!(" of {q} allowed")).unwrap_or_default();
                        if shown == total { format!("{total} users{q}") } else { format!("{shown} shown · {total} users{q}") }
                    }}
                </span>
                <span class="spacer"></span>
                <button
                    type="button"
                    class="danger"
                    id="delete-selected"
                    disabled=move || selected.with(HashSet::is_empty)
                    on:click=move |_| {
                        let mut names: Vec<String> = selected.get_untracked().into_iter().collect();
                        names.sort();
                        confirm.set(Some(Confirm::BulkDelete(names)));
                    }
                >
                    {move || format!("Delete selected ({})", selected.with(HashSet::len))}
                </button>
                <button type="button" class="secondary" id="reload" on:click=move |_| reload.update(|n| *n += 1)>"Reload"</button>
                <A href=move || format!("/sag/{}/{}/new", region.get(), instance.get()) attr:class="button primary">"New user"</A>
            </div>
            {move || bulk_status.get().map(|s| view! { <p class="summary" id="bulk-summary" role="status">{s}</p> })}
            {move || match load.get() {
                Load::Loading(p, note) => view! {
                    <div class="progress" id="load-progress" role="status">
                        {if p.pages > 1 {
                            format!("Loading users: page {} of {} ({} of {} users)…", p.page, p.pages, p.loaded, p.total)
                        } else {
                            "Loading users…".to_owned()
                        }}
                        {(p.pages > 1).then(|| view! { <progress max=p.pages value=p.page></progress> })}
                        {note.map(|n| view! { <p class="retry-note">{n}</p> })}
                    </div>
                }.into_any(),
                Load::Failed(e) => view! { <ErrorPanel error=e context="Could not load the users." /> }.into_any(),
                Load::Ready => view! {
                    <div class="table-wrap"><table class="data" id="users">
                        <thead>
                            <tr>
                                <th scope="col" class="check">
                                    <input
                                        type="checkbox"
                                        aria-label="Select all shown users"
                                        prop:checked=move || { let r = rows.get(); !r.is_empty() && selected.with(|s| r.iter().all(|u| s.contains(&u.user_name))) }
                                        on:change:target=move |ev| {
                                            let all = ev.target().checked();
                                            let shown: Vec<String> = rows.get_untracked().into_iter().map(|u| u.user_name).collect();
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
                                <th scope="col">"Actions"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || rows.get()
                                key=|u| format!("{}|{:?}|{}|{}|{:?}", u.user_name, u.state, u.bandwidth, u.user_mail, u.client_ip)
                                children=move |u| {
                                    let name = u.user_name.clone();
                                    let (n1, n2, n3, n4, n5, n6, n7) = (name.clone(), name.clone(), name.clone(), name.clone(), name.clone(), name.clone(), name.clone());
                                    let enabled = u.state == UserState::Enabled;
                                    let highlight = just_created.get_untracked().as_deref() == Some(name.as_str());
                                    view! {
                                        <tr class:row-new=highlight class:row-disabled=!enabled data-user=name.clone()>
                                            <td class="check">
                                                <input
                                                    type="checkbox"
                                                    aria-label=format!("Select {name}")
                                                    prop:checked=move || selected.with(|s| s.contains(&n1))
                                                    on:change:target=move |ev| {
                                                        let on = ev.target().checked();
                                                        selected.update(|s| { if on { s.insert(n2.clone()); } else { s.remove(&n2); } });
                                                    }
                                                />
                                            </td>
                                            <td class="mono">{name.clone()}</td>
                                            <td>{u.user_mail.clone()}</td>
                                            <td class="num">{format!("{} Kbit/s", u.bandwidth)}</td>
                                            <td class="mono">
                                                {u.client_ip.clone().unwrap_or_else(|| "—".into())}
                                                {u.is_static_ip.then(|| view! { " " <span class="badge">"static"</span> })}
                                            </td>
                                            <td>
                                                {if enabled {
                                                    view! { <span class="badge ok">"enabled"</span> }.into_any()
                                                } else {
                                                    view! { <span class="badge off">"disabled"</span> }.into_any()
                                                }}
                                            </td>
                                            <td class="online-cell">
                                                {move || match online_of(&n3) {
                                                    Some(0) => "—".to_owned(),
                                                    Some(n) => format!("{n} online"),
                                                    None => if online.with(Option::is_none) { "…".to_owned() } else { "—".to_owned() },
                                                }}
                                            </td>
                                            <td class="row-actions">
                                                <button
                                                    type="button"
                                                    class="secondary small"
                                                    disabled=move || busy.with(|b| b.contains(&n4))
                                                    on:click=move |_| set_state.run((n5.clone(), !enabled))
                                                >
                                                    {if enabled { "Disable" } else { "Enable" }}
                                                </button>
                                                <button
                                                    type="button"
                                                    class="danger small"
                                                    aria-label=format!("Delete {name}")
                                                    disabled=move || busy.with(|b| b.contains(&n6))
                                                    on:click=move |_| confirm.set(Some(Confirm::Delete(n7.clone())))
                                                >
                                                    "Delete"
                                                </button>
                                                {
                                                    let name = name.clone();
                                                    move || row_errors.with(|m| m.get(&name).cloned()).map(|e| view! { <p class="row-error" role="alert">{e}</p> })
                                                }
                                            </td>
                                        </tr>
                                    }
                                }
                            />
                        </tbody>
                    </table></div>
                    <Show when=move || rows.with(Vec::is_empty)>
                        <p class="empty">{move || if users.with(Vec::is_empty) { "This instance has no client users yet." } else { "No user matches the search." }}</p>
                    </Show>
                }.into_any(),
            }}
            {move || confirm.get().map(|c| match c {
                Confirm::Delete(name) => {
                    let enabled = users.with(|l| l.iter().any(|u| u.user_name == name && u.state == UserState::Enabled));
                    let (d, s) = (name.clone(), name.clone());
                    view! {
                        <Dialog title=format!("Delete {name}?") on_cancel=Callback::new(move |_| confirm.set(None))>
                            <p>{format!("{name} will be removed from this SAG App instance and can no longer connect.")}</p>
                            <p class="warning">"Alibaba Cloud refuses to delete a user who used data in the current billing month. Such a user can be disabled now and deleted next month."</p>
                            <div class="actions">
                                <button type="button" class="danger" id="confirm-delete" on:click=move |_| delete_users.run(vec![d.clone()])>"Delete"</button>
                                {enabled.then(|| view! {
                                    <button type="button" class="secondary" id="disable-instead" on:click=move |_| { confirm.set(None); set_state.run((s.clone(), false)); }>"Disable instead"</button>
                                })}
                                <button type="button" class="secondary" on:click=move |_| confirm.set(None)>"Cancel"</button>
                            </div>
                        </Dialog>
                    }.into_any()
                }
                Confirm::BulkDelete(names) => {
                    let list = names.join(", ");
                    let count = names.len();
                    view! {
                        <Dialog title=format!("Delete {count} users?") on_cancel=Callback::new(move |_| confirm.set(None))>
                            <p>{format!("These users will be removed: {list}.")}</p>
                            <p class="warning">"Users who used data in the current billing month cannot be deleted; they will be listed as failed, and you can disable them instead."</p>
                            <div class="actions">
                                <button type="button" class="danger" id="confirm-delete" on:click=move |_| delete_users.run(names.clone())>{format!("Delete {count} users")}</button>
                                <button type="button" class="secondary" on:click=move |_| confirm.set(None)>"Cancel"</button>
                            </div>
                        </Dialog>
                    }.into_any()
                }
            })}
        </section>
    }
}

/// A reason for a row, in words, with the code for support.
fn reason(e: &CallError) -> String {
    match e.error.kind() {
        ErrorKind::InUse => {
            "Used data this billing month: cannot be deleted until next month. Disable instead."
                .into()
        }
        _ => match e.error.code() {
            Some(code) => format!("{} ({code})", e),
            None => e.to_string(),
        },
    }
}

/// Looks a user up by name (after an ambiguous failure).
async fn current_user(
    client: &ApiClient,
    region: &str,
    instance: &str,
    name: &str,
) -> Result<Option<ClientUser>, CallError> {
    let mut request = DescribeClientUsers::page(region, instance, 1, 10);
    request.user_name = Some(name.into());
    let page = client.read(&request, &|_| {}).await?;
    Ok(page.users.into_iter().find(|u| u.user_name == name))
}

/// Deletes once; after an ambiguous failure, checks whether the user is gone.
async fn delete_one(
    client: &ApiClient,
    region: &str,
    instance: &str,
    name: &str,
) -> Result<(), CallError> {
    match client
        .send(&DeleteClientUser::new(region, instance, name))
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if e.error.is_ambiguous() => {
            match current_user(client, region, instance, name).await {
                Ok(None) => Ok(()),
                _ => Err(e),
            }
        }
        // Already gone (deleted elsewhere): what the admin wanted.
        Err(e)
            if e.error.kind() == ErrorKind::NotFound
                && e.error.field() == Some(sag_api::Field::UserName) =>
        {
            Ok(())
        }
        Err(e) => Err(e),
    }
}
