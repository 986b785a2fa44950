//! Who is online now (the `online_rows` service, a `LocalResource` refetched
//! on a timer the admin picks, remembered), never stacked, paused while the
//! tab is hidden, backing off after errors, with kick-out through the operation layer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::online_list::{self, OnlineColumn};
use super::scope::use_scope;
use super::services::{self, OnlineRow};
use crate::format;
use crate::i18n::{t_string, td_string, use_i18n, Locale};
use crate::list_view::Column;
use crate::plumbing::bulk::one_by_one;
use crate::plumbing::{platform, CallError};
use crate::shell::bulk::{use_bulk, BulkOp, BulkSpec, BulkWords, Progress, StopAsked};
use crate::shell::dialog::Dialog;
use crate::shell::errors::ErrorPanel;
use crate::shell::language::tr;
use crate::shell::list::{search_box, sort_headers, use_list_view};
use crate::shell::table::{Cells, DataTable, Empty, KeyAt};
use crate::shell::use_api;
use sag_api::Vendor;

const INTERVAL_KEY: &str = "sag-console.online-interval";
/// Refresh intervals in seconds; 0 is paused.
const CHOICES: [u32; 5] = [5, 10, 30, 60, 0];
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
fn cost_line(l: Locale, calls: usize, interval_s: u32) -> String {
    let mut line = if calls == 1 {
        td_string!(l, online.calls_single, count = calls).to_string()
    } else {
        td_string!(l, online.calls_many, count = calls).to_string()
    };
    if interval_s > 0 {
        let per_minute = calls * 60 / interval_s as usize;
        line.push_str(
            &td_string!(
                l,
                online.calls_per_minute,
                per_minute,
                interval = interval_s
            )
            .to_string(),
        );
    }
    line
}

/// "updated 2 s ago · refreshing…": how fresh the view is, and why it
/// may not be.
fn updated_line(
    l: Locale,
    age_s: Option<i64>,
    refreshing: bool,
    hidden: bool,
    paused: bool,
) -> String {
    let mut text = match age_s {
        Some(age) => format::updated_ago(l, age),
        None => td_string!(l, online.not_loaded).to_owned(),
    };
    for (on, words) in [
        (refreshing, td_string!(l, online.refreshing)),
        (hidden, td_string!(l, online.hidden)),
        (paused, td_string!(l, online.auto_paused)),
    ] {
        if on {
            text.push_str(words);
        }
    }
    text
}

/// The delay before the next refresh after `failures` failures in a row.
fn next_delay_s(interval_s: u32, failures: u32) -> i64 {
    let base = i64::from(interval_s.max(5));
    (base * 2i64.pow(failures.min(10))).min(MAX_BACKOFF_S)
}

/// A kick-out's words: the notice names the user.
static KICK_WORDS: BulkWords<()> = BulkWords {
    progress: |l, (), _, _, user| td_string!(l, online.kick_title, user).to_string(),
    reason: crate::text::mutation_reason,
    summary: |l, (), results, _| {
        let each = results.iter().map(|(user, result)| match result {
            Ok(()) => td_string!(l, online.kicked, user).to_string(),
            Err(why) => td_string!(l, online.kick_failed, user, why).to_string(),
        });
        each.collect::<Vec<_>>().join(" ")
    },
};

#[component]
pub fn OnlinePage() -> impl IntoView {
    let scope = use_scope();
    let (region, instance) = (scope.region, scope.instance);
    let api = use_api();
    let i18n = use_i18n();
    let rows: RwSignal<Vec<OnlineRow>> = RwSignal::new(Vec::new());
    let loaded = RwSignal::new(false);
    let now = RwSignal::new(platform::now_unix());
    let last_ok: RwSignal<Option<i64>> = RwSignal::new(None);
    let stored = platform::storage_get(INTERVAL_KEY)
        .and_then(|v| v.parse::<u32>().ok())
        .filter(|v| CHOICES.contains(v));
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
                None => match services::all_users(
                    &client,
                    &r,
                    &i,
                    scope.known_quota(),
                    &|_| {},
                    &|_| {},
                )
                .await
                {
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

    let kick_out = use_kick_out(rows, next_at);

    view! {
        <div class="toolbar">
            <h2 class="inline">{tr(|l| td_string!(l, online.title))}</h2>
            <label for="refresh-interval">{tr(|l| td_string!(l, online.refresh))}</label>
            <select id="refresh-interval" on:change:target=move |ev| choose(ev.target().value().parse().unwrap_or(10))>
                {CHOICES.iter().map(|&v| {
                    let label = move || if v == 0 {
                        t_string!(i18n, online.paused).to_owned()
                    } else {
                        format!("{v} {}", t_string!(i18n, units.second))
                    };
                    view! { <option value=v.to_string() selected=move || interval.get() == v>{label}</option> }
                }).collect_view()}
            </select>
            <button type="button" class="secondary" id="refresh-now" disabled=move || refreshing.get() on:click=move |_| { reread_list.set_value(true); next_at.set(0); }>{tr(|l| td_string!(l, online.refresh_now))}</button>
            <span class="spacer"></span>
            <span id="updated" class="muted" aria-live="off">
                {move || updated_line(i18n.get_locale(), last_ok.get().map(|t| now.get() - t), refreshing.get(), hidden.get(), interval.get() == 0)}
            </span>
        </div>
        {move || calls.get().map(|n| view! {
            <p class="muted small" id="refresh-cost" title=tr(|l| td_string!(l, online.cost_title))>
                {move || cost_line(i18n.get_locale(), n, interval.get())}
            </p>
        })}
        {move || error.get().map(|e| {
            let wait = (next_at.get() - now.get()).max(0);
            view! {
                <ErrorPanel error=e context=t_string!(i18n, online.retrying, wait).to_string() />
            }
        })}
        <Show when=move || loaded.get()>
            <OnlineTable rows=rows now=now kick=kick offset=offset />
        </Show>
        <Show when=move || !loaded.get() && error.with(Option::is_none)>
            <p class="progress">{tr(|l| td_string!(l, online.loading))}</p>
        </Show>
        <KickDialog kick=kick kick_out=kick_out />
    }
}

/// A kick-out is a run of one: the operation layer words its outcome; a
/// kicked row leaves and the list is read again at once.
fn use_kick_out(rows: RwSignal<Vec<OnlineRow>>, next_at: RwSignal<i64>) -> BulkOp<()> {
    let scope = use_scope();
    let (region, instance) = (scope.region, scope.instance);
    use_bulk(BulkSpec {
        vendor: Vendor::Aliyun,
        words: &KICK_WORDS,
        run: move |client, users: Vec<String>, (), progress: Progress, stop: StopAsked| {
            let (r, i) = (region.get_untracked(), instance.get_untracked());
            async move {
                one_by_one(&users, &*progress, &*stop, async |user: &str| {
                    services::kick_out(&client, &r, &i, user).await
                })
                .await
            }
        },
        on_each: move |user: &str, (), result: Result<(), &str>| {
            if result.is_ok() {
                rows.update(|list| list.retain(|x| x.user != user));
            }
            next_at.set(0);
        },
        status_for_one: |()| false,
    })
}

/// Who is online (`shell::table`), a row per client, searchable and
/// sortable (in the URL).
#[component]
fn OnlineTable(
    rows: RwSignal<Vec<OnlineRow>>,
    now: RwSignal<i64>,
    kick: RwSignal<Option<OnlineRow>>,
    /// This computer's offset from UTC, in minutes.
    offset: i64,
) -> impl IntoView {
    let (view_state, set_view) = use_list_view::<OnlineColumn>();
    let shown = Memo::new(move |_| view_state.with(|v| rows.with(|r| online_list::visible(r, v))));
    let row_at = move |p: usize| {
        shown
            .with(|s| s.get(p).copied())
            .and_then(|i| rows.with(|r| r.get(i).cloned()))
    };
    let key_at: KeyAt = Arc::new(move |p| row_at(p).map(|r| r.user));
    let cells: Cells = Arc::new(move |user, position| {
        let i18n = use_i18n();
        let row = Memo::new(move |_| row_at(position).unwrap_or_default());
        let since = move || row.with(|r| r.since);
        view! {
            <td class="mono">{user}</td>
            <td class="mono">{move || row.with(|r| r.ip.clone())}</td>
            <td>{move || since().map(|s| format::local_time(s, offset)).unwrap_or_else(|| "—".into())}</td>
            <td class="num">{move || since().map(|s| format::duration_in(i18n.get_locale(), now.get() - s)).unwrap_or_default()}</td>
            <td class="row-actions">
                <button type="button" class="danger small" aria-label=move || t_string!(i18n, online.kick_label, user = &*user.read()).to_string() on:click=move |_| kick.set(Some(row.get_untracked()))>{tr(|l| td_string!(l, online.kick))}</button>
            </td>
        }
        .into_any()
    });
    view! {
        <div class="toolbar">
            {search_box("online-search", |l| td_string!(l, online.search_label), |l| td_string!(l, online.search_placeholder), view_state, set_view)}
        </div>
        <DataTable
            id="online"
            label=|l| td_string!(l, online.table_label)
            len=Signal::derive(move || shown.with(Vec::len))
            key_at=key_at
            head=sort_headers(view_state, set_view)
            columns=OnlineColumn::ALL.len()
            cells=cells
            empty=Empty {
                total: Signal::derive(move || rows.with(Vec::len)),
                none: |l| td_string!(l, online.nobody),
                no_match: |l| td_string!(l, online.no_match),
                id: "nobody-online",
            }
        />
    }
}

/// The question before a kick-out.
#[component]
fn KickDialog(kick: RwSignal<Option<OnlineRow>>, kick_out: BulkOp<()>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        kick.get().map(|row| {
            let target = row.clone();
            view! {
                <Dialog title=t_string!(i18n, online.kick_title, user = &row.user).to_string() on_cancel=Callback::new(move |_| kick.set(None))>
                    <p>{t_string!(i18n, online.kick_text, user = &row.user, ip = &row.ip).to_string()}</p>
                    <div class="actions">
                        <button type="button" class="danger" id="confirm-kick" on:click=move |_| { kick.set(None); kick_out.dispatch(vec![target.user.clone()], ()); }>{tr(|l| td_string!(l, online.kick))}</button>
                        <button type="button" class="secondary" on:click=move |_| kick.set(None)>{tr(|l| td_string!(l, online.cancel))}</button>
                    </div>
                </Dialog>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::Locale;

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
    fn the_freshness_line_says_why_the_view_may_be_old() {
        assert_eq!(
            super::updated_line(Locale::en, None, true, false, false),
            format!(
                "{}{}",
                crate::i18n::td_string!(Locale::en, online.not_loaded),
                crate::i18n::td_string!(Locale::en, online.refreshing)
            )
        );
        let all = super::updated_line(Locale::en, Some(2), true, true, true);
        assert!(
            all.starts_with(&crate::format::updated_ago(Locale::en, 2)),
            "{all}"
        );
        for words in [
            crate::i18n::td_string!(Locale::en, online.refreshing),
            crate::i18n::td_string!(Locale::en, online.hidden),
            crate::i18n::td_string!(Locale::en, online.auto_paused),
        ] {
            assert!(all.contains(words), "{all}");
        }
        assert_eq!(
            super::updated_line(Locale::en, Some(2), false, false, false),
            crate::format::updated_ago(Locale::en, 2)
        );
    }

    #[test]
    fn the_cost_of_a_refresh_reads_naturally() {
        assert_eq!(
            super::cost_line(Locale::en, 140, 10),
            "140 calls per refresh, 840 a minute at every 10 s"
        );
        assert_eq!(super::cost_line(Locale::en, 1, 0), "1 call per refresh");
        assert_eq!(
            super::cost_line(Locale::zh_CN, 140, 10),
            "每次刷新 140 次调用，每 10 秒刷新时每分钟 840 次"
        );
    }
}
