//! Who is online now (the `online_rows` service, a `LocalResource` refetched
//! on a timer the admin picks, remembered), never stacked, paused while the
//! tab is hidden, backing off after errors, with kick-out as an `Action`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::scope::use_scope;
use super::services::{self, OnlineRow};
use crate::format;
use crate::plumbing::{platform, CallError};
use crate::shell::dialog::Dialog;
use crate::shell::errors::ErrorPanel;
use crate::shell::notices::use_notices;
use crate::shell::use_api;

const INTERVAL_KEY: &str = "sag-console.online-interval";
const CHOICES: [(u32, &str); 5] = [
    (5, "5 s"),
    (10, "10 s"),
    (30, "30 s"),
    (60, "60 s"),
    (0, "Paused"),
];
const MAX_BACKOFF_S: i64 = 300;
/// How old the user list may get before a refresh reads it again.
const LIST_MAX_AGE_S: i64 = 300;

/// The instance's user names, as last read.
struct NamesCache {
    key: (String, String),
    names: Vec<String>,
    read_at: i64,
}

/// "140 calls per refresh, 840 a minute at every 10 s".
fn cost_line(calls: usize, interval_s: u32) -> String {
    let per = crate::format::plural(calls, "call", "calls");
    if interval_s == 0 {
        format!("{per} per refresh")
    } else {
        format!(
            "{per} per refresh, {} a minute at every {interval_s} s",
            calls * 60 / interval_s as usize
        )
    }
}

/// The delay before the next refresh after `failures` failures in a row.
fn next_delay_s(interval_s: u32, failures: u32) -> i64 {
    let base = i64::from(interval_s.max(5));
    (base * 2i64.pow(failures.min(10))).min(MAX_BACKOFF_S)
}

#[component]
pub fn OnlinePage() -> impl IntoView {
    let scope = use_scope();
    let (region, instance) = (scope.region, scope.instance);
    let notices = use_notices();
    let api = use_api();
    let rows: RwSignal<Vec<OnlineRow>> = RwSignal::new(Vec::new());
    let loaded = RwSignal::new(false);
    let now = RwSignal::new(platform::now_unix());
    let last_ok: RwSignal<Option<i64>> = RwSignal::new(None);
    let stored = platform::storage_get(INTERVAL_KEY)
        .and_then(|v| v.parse::<u32>().ok())
        .filter(|v| CHOICES.iter().any(|(c, _)| c == v));
    let interval = RwSignal::new(stored.unwrap_or(10));
    let refreshing = RwSignal::new(true);
    let error: RwSignal<Option<CallError>> = RwSignal::new(None);
    let failures = RwSignal::new(0u32);
    let next_at = RwSignal::new(i64::MAX);
    let hidden = RwSignal::new(false);
    let kick: RwSignal<Option<OnlineRow>> = RwSignal::new(None);
    let offset = platform::local_offset_minutes();

    // One read at a time: the timer below asks for the next only when none
    // is in flight; a read for an instance left behind never lands. The
    // user list is read on the first refresh, on "Refresh now", and when it
    // is older than LIST_MAX_AGE_S; other refreshes only ask who is online.
    let refresh = RwSignal::new(0u64);
    let reread_list = StoredValue::new(false);
    let names: StoredValue<Option<NamesCache>> = StoredValue::new(None);
    let calls: RwSignal<Option<usize>> = RwSignal::new(None);
    let fetched = LocalResource::new(move || {
        refresh.track();
        let (r, i) = (region.get(), instance.get());
        let client = api.aliyun_tracked();
        async move {
            let Some(client) = client else {
                return (
                    Err(CallError::not_connected(sag_api::Vendor::Aliyun)),
                    platform::now_unix(),
                );
            };
            refreshing.set(true);
            let key = (r.clone(), i.clone());
            let now = platform::now_unix();
            let fresh = names.with_value(|c| {
                c.as_ref()
                    .filter(|c| c.key == key && now - c.read_at < LIST_MAX_AGE_S)
                    .map(|c| c.names.clone())
            });
            let (list, list_calls) = match fresh.filter(|_| !reread_list.get_value()) {
                Some(list) => (list, 0),
                None => match services::all_users(&client, &r, &i, &|_| {}, &|_| {}).await {
                    Ok(users) => {
                        let list: Vec<String> =
                            users.users.into_iter().map(|u| u.user_name).collect();
                        let pages = list
                            .len()
                            .div_ceil(sag_api::smartag::MAX_USER_PAGE_SIZE as usize)
                            .max(1);
                        reread_list.set_value(false);
                        names.set_value(Some(NamesCache {
                            key,
                            names: list.clone(),
                            read_at: now,
                        }));
                        (list, pages)
                    }
                    Err(e) => return (Err(e), platform::now_unix()),
                },
            };
            let result = services::online_rows(&client, &r, &i, &list)
                .await
                .map(|snapshot| (snapshot, list_calls));
            (result, platform::now_unix())
        }
    });
    Effect::new(move |_| {
        let Some((result, t)) = fetched.get() else {
            return;
        };
        refreshing.set(false);
        let every = interval.get_untracked();
        match result {
            Ok((snapshot, list_calls)) => {
                calls.set(Some(snapshot.calls + list_calls));
                if rows.with_untracked(|old| old != &snapshot.rows) {
                    rows.set(snapshot.rows);
                }
                loaded.set(true);
                last_ok.set(Some(t));
                error.set(None);
                failures.set(0);
                next_at.set(if every > 0 {
                    t + i64::from(every)
                } else {
                    i64::MAX
                });
            }
            Err(e) => {
                let n = failures.get_untracked() + 1;
                failures.set(n);
                error.set(Some(e));
                next_at.set(t + next_delay_s(every, n));
            }
        }
    });

    // The clock: ticks every second, notices a hidden tab, starts a due refresh.
    let alive = Arc::new(AtomicBool::new(true));
    {
        let alive = alive.clone();
        spawn_local(async move {
            while alive.load(Ordering::Relaxed) {
                let t = platform::now_unix();
                now.set(t);
                let visible = platform::page_visible();
                hidden.set(!visible);
                if visible && !refreshing.get_untracked() && next_at.get_untracked() <= t {
                    refreshing.set(true);
                    refresh.update(|n| *n += 1);
                }
                platform::sleep_ms(1000).await;
            }
        });
    }
    on_cleanup(move || alive.store(false, Ordering::Relaxed));

    let choose = move |value: u32| {
        interval.set(value);
        platform::storage_set(INTERVAL_KEY, &value.to_string());
        let t = platform::now_unix();
        next_at.set(if value == 0 {
            i64::MAX
        } else {
            last_ok
                .get_untracked()
                .map_or(0, |l| (l + i64::from(value)).max(t))
        });
    };

    let kick_out = Action::new_local(move |row: &OnlineRow| {
        let row = row.clone();
        let client = api.aliyun();
        let (r, i) = (region.get_untracked(), instance.get_untracked());
        kick.set(None);
        async move {
            let Some(client) = client else { return };
            let outcome = services::kick_out(&client, &r, &i, &row.user).await;
            match outcome.reason() {
                None => {
                    rows.update(|list| list.retain(|x| x.user != row.user));
                    notices.push(format!("Kicked out {}'s clients.", row.user));
                }
                Some(why) => notices.push(format!("Could not kick out {}: {why}", row.user)),
            }
            next_at.set(0);
        }
    });

    view! {
        <div class="toolbar">
            <h2 class="inline">"Online now"</h2>
            <label for="refresh-interval">"Refresh"</label>
            <select id="refresh-interval" on:change:target=move |ev| choose(ev.target().value().parse().unwrap_or(10))>
                {CHOICES.iter().map(|(v, label)| {
                    let v = *v;
                    view! { <option value=v.to_string() selected=move || interval.get() == v>{*label}</option> }
                }).collect_view()}
            </select>
            <button type="button" class="secondary" id="refresh-now" disabled=move || refreshing.get() on:click=move |_| { reread_list.set_value(true); next_at.set(0); }>"Refresh now"</button>
            <span class="spacer"></span>
            <span id="updated" class="muted" aria-live="off">
                {move || {
                    let mut text = match last_ok.get() {
                        Some(t) => format!("updated {}", format::ago(now.get() - t)),
                        None => "not loaded yet".to_owned(),
                    };
                    if refreshing.get() { text.push_str(" · refreshing…"); }
                    if hidden.get() { text.push_str(" · paused while the tab is hidden"); }
                    if interval.get() == 0 { text.push_str(" · auto-refresh paused"); }
                    text
                }}
            </span>
        </div>
        {move || calls.get().map(|n| view! {
            <p class="muted small" id="refresh-cost" title="Statistics calls (one per 50 users), one call per user online, and the user list when it is read again (every 5 minutes or on Refresh now).">
                {cost_line(n, interval.get())}
            </p>
        })}
        {move || error.get().map(|e| {
            let wait = (next_at.get() - now.get()).max(0);
            view! {
                <ErrorPanel error=e context=format!("Refresh failed. Retrying in {wait} s (showing the last good data).") />
            }
        })}
        <div class="table-wrap"><table class="data" id="online">
            <thead>
                <tr><th scope="col">"User"</th><th scope="col">"Client IP"</th><th scope="col">"Online since"</th><th scope="col">"For"</th><th scope="col">"Actions"</th></tr>
            </thead>
            <tbody>
                <For
                    each=move || rows.get()
                    key=|r| (r.user.clone(), r.ip.clone(), r.since)
                    children=move |r| {
                        let since = r.since;
                        let row = r.clone();
                        view! {
                            <tr data-user=r.user.clone()>
                                <td class="mono">{r.user.clone()}</td>
                                <td class="mono">{r.ip.clone()}</td>
                                <td>{since.map(|s| format::local_time(s, offset)).unwrap_or_else(|| "—".into())}</td>
                                <td class="num">{move || since.map(|s| format::duration(now.get() - s)).unwrap_or_default()}</td>
                                <td class="row-actions">
                                    <button type="button" class="danger small" aria-label=format!("Kick out {}", r.user) on:click=move |_| kick.set(Some(row.clone()))>"Kick out"</button>
                                </td>
                            </tr>
                        }
                    }
                />
            </tbody>
        </table></div>
        <Show when=move || loaded.get() && rows.with(Vec::is_empty)>
            <p class="empty" id="nobody-online">"Nobody is online on this instance right now."</p>
        </Show>
        <Show when=move || !loaded.get() && error.with(Option::is_none)>
            <p class="progress">"Loading who is online…"</p>
        </Show>
        {move || kick.get().map(|row| {
            let target = row.clone();
            view! {
                <Dialog title=format!("Kick out {}?", row.user) on_cancel=Callback::new(move |_| kick.set(None))>
                    <p>{format!("Every client of {} (including {}) is disconnected now. The user can connect again unless you disable the account.", row.user, row.ip)}</p>
                    <div class="actions">
                        <button type="button" class="danger" id="confirm-kick" on:click=move |_| { kick_out.dispatch(target.clone()); }>"Kick out"</button>
                        <button type="button" class="secondary" on:click=move |_| kick.set(None)>"Cancel"</button>
                    </div>
                </Dialog>
            }
        })}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_from_the_interval_and_caps_at_five_minutes() {
        assert_eq!(super::next_delay_s(10, 0), 10);
        assert_eq!(super::next_delay_s(10, 1), 20);
        assert_eq!(super::next_delay_s(10, 3), 80);
        assert_eq!(super::next_delay_s(60, 4), 300);
        assert_eq!(
            super::next_delay_s(0, 1),
            10,
            "paused still retries a manual refresh"
        );
    }

    #[test]
    fn the_cost_of_a_refresh_reads_naturally() {
        assert_eq!(
            super::cost_line(140, 10),
            "140 calls per refresh, 840 a minute at every 10 s"
        );
        assert_eq!(super::cost_line(1, 0), "1 call per refresh");
    }
}
