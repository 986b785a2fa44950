//! The user list's data: every page of the instance's users loaded (a
//! `LocalResource`, so a superseded load never lands) with its progress,
//! the online counts that follow each load, and the rows a search and a
//! sort show (positions in the list, computed from search keys made once
//! per load).

use std::collections::HashMap;

use leptos::prelude::*;
use sag_api::smartag::{ClientUser, UserState};
use sag_api::Vendor;

use super::list::{filtered, sorted_indices, Bulk, SearchIndex, SortKey};
use super::scope::use_scope;
use super::services::{self, LoadProgress};
use crate::i18n::{td_string, use_i18n};
use crate::list_view::ListView;
use crate::plumbing::{CallError, RetryNotice};
use crate::shell::bulk::{use_bulk, BulkOp, BulkSpec, Progress, StopAsked};
use crate::shell::notices::use_notices;
use crate::shell::use_api;

/// One load of the list; `load_id` changes only when the list is read again
/// (not when a row changes in place), so the online counts follow loads.
#[derive(Debug, Clone, PartialEq)]
pub struct UserList {
    pub users: Vec<ClientUser>,
    /// What the service said the total is, when it disagrees with the list.
    pub disagreement: Option<String>,
    /// Every user was read (see `Listing::complete`): only then is the list
    /// offered for export.
    pub complete: bool,
    pub load_id: u64,
}

/// The list being loaded: the users, whether a load runs, and its progress
/// (pages, and the retry note while a page is retried).
pub struct UserLoad {
    pub users: LocalResource<Result<UserList, CallError>>,
    pub loading: RwSignal<bool>,
    pub progress: RwSignal<(LoadProgress, Option<String>)>,
}

/// Loads the scope's instance's users, again when the keys change.
pub fn use_user_list() -> UserLoad {
    let i18n = use_i18n();
    let scope = use_scope();
    let (region, instance) = (scope.region, scope.instance);
    let api = use_api();
    // Progress of the load in flight; a superseded load's reports are dropped.
    let progress: RwSignal<(LoadProgress, Option<String>)> = RwSignal::new(Default::default());
    let loading = RwSignal::new(true);
    let generation = StoredValue::new(0u64);
    let users: LocalResource<Result<UserList, CallError>> = LocalResource::new(move || {
        let (r, i) = (region.get(), instance.get());
        let client = api.aliyun_tracked();
        let quota = scope.known_quota();
        let load_id = generation.get_value() + 1;
        generation.set_value(load_id);
        async move {
            let Some(client) = client else {
                return Err(CallError::not_connected(Vendor::Aliyun));
            };
            let current = move || generation.get_value() == load_id;
            progress.set(Default::default());
            loading.set(true);
            let report = move |p: LoadProgress| {
                if current() {
                    progress.set((p, None));
                }
            };
            let notify = move |n: Option<RetryNotice>| {
                if current() {
                    progress.update(|x| {
                        x.1 = n.map(|n| crate::text::retry(i18n.get_locale_untracked(), &n))
                    });
                }
            };
            let result = services::all_users(&client, &r, &i, quota, &report, &notify).await;
            if current() {
                loading.set(false);
            }
            result.map(|listing| UserList {
                disagreement: listing.disagreement_in(i18n.get_locale_untracked()),
                complete: listing.complete,
                users: listing.users,
                load_id,
            })
        }
    });
    UserLoad {
        users,
        loading,
        progress,
    }
}

/// How many clients each user has online; `None` until the list is loaded.
pub type OnlineCounts = LocalResource<Option<HashMap<String, u64>>>;

/// Who is online per user (`None` until the list is loaded), read again
/// after each load of the list (not after its in-place changes); and the
/// load's id, which a new load changes.
pub fn use_online_counts(
    users: LocalResource<Result<UserList, CallError>>,
) -> (Memo<Option<u64>>, OnlineCounts) {
    let i18n = use_i18n();
    let notices = use_notices();
    let api = use_api();
    let scope = use_scope();
    let (region, instance) = (scope.region, scope.instance);
    // Online counts follow each load of the list (not its in-place changes).
    let load_id = Memo::new(move |_| {
        users.with(|u| match u {
            Some(Ok(l)) => Some(l.load_id),
            _ => None,
        })
    });
    // `None` until the list is loaded.
    let online: LocalResource<Option<HashMap<String, u64>>> = LocalResource::new(move || {
        let id = load_id.get();
        let names: Vec<String> = users.with_untracked(|u| match u {
            Some(Ok(l)) => l.users.iter().map(|u| u.user_name.clone()).collect(),
            _ => Vec::new(),
        });
        let client = api.aliyun();
        let (r, i) = (region.get_untracked(), instance.get_untracked());
        async move {
            let (Some(_), Some(client)) = (id, client) else {
                return None;
            };
            match services::online_counts(&client, &r, &i, &names, &|_| {}).await {
                Ok(counts) => Some(counts),
                Err(e) => {
                    // The list stands; only the Online column is unknown.
                    let l = i18n.get_locale_untracked();
                    notices.push(
                        td_string!(
                            l,
                            users.online_failed,
                            error = crate::text::call_error(l, &e)
                        )
                        .to_string(),
                    );
                    Some(HashMap::new())
                }
            }
        }
    });
    (load_id, online)
}

/// The rows shown, as positions in the list: searched and sorted as
/// `view_state` says.
pub fn use_rows(
    users: LocalResource<Result<UserList, CallError>>,
    online: LocalResource<Option<HashMap<String, u64>>>,
    view_state: Memo<ListView<SortKey>>,
) -> Memo<Vec<usize>> {
    let online_of =
        move |name: &str| online.with(|o| o.as_ref().and_then(|m| m.as_ref()?.get(name).copied()));
    // Search and sort keys once per change of the list; then a keystroke or
    // a click on a header only compares them.
    let index = Memo::new(move |_| {
        users.with(|u| match u {
            Some(Ok(l)) => SearchIndex::new(&l.users),
            _ => SearchIndex::default(),
        })
    });
    // Every user in the order of the sort column: sorted again only when
    // the column, the direction, the list (or, sorting by it, who is
    // online) changes, not on a keystroke.
    let sort_by = Memo::new(move |_| view_state.with(|v| (v.sort, v.descending)));
    let order = Memo::new(move |_| {
        let (sort, descending) = sort_by.get();
        if sort == SortKey::Online {
            online.track();
        }
        index.with(|index| {
            users.with(|u| match u {
                Some(Ok(l)) => {
                    sorted_indices(&l.users, index, &|n: &str| online_of(n), sort, descending)
                }
                _ => Vec::new(),
            })
        })
    });
    let search = Memo::new(move |_| view_state.with(|v| v.search.clone()));
    // The rows shown, as positions in the list: one pass over `order`.
    Memo::new(move |_| {
        search.with(|q| {
            order.with(|order| {
                index.with(|index| {
                    users.with(|u| match u {
                        Some(Ok(_)) => filtered(order, index, q),
                        _ => Vec::new(),
                    })
                })
            })
        })
    })
}

/// Every change of the list's users, one or many: deleting, enabling,
/// disabling, a bandwidth. One name after the other; a run ends before its
/// next write on Stop, on leaving the page and on Forget. Each change that
/// lands updates the list in place.
pub fn use_list_changes(
    users: LocalResource<Result<UserList, CallError>>,
    online: LocalResource<Option<HashMap<String, u64>>>,
    selected: RwSignal<std::collections::HashSet<String>>,
) -> BulkOp<Bulk> {
    let scope = use_scope();
    let (region, instance) = (scope.region, scope.instance);
    use_bulk(BulkSpec {
        vendor: Vendor::Aliyun,
        words: &super::text::BULK_WORDS,
        run: move |client,
                   names: Vec<String>,
                   change: Bulk,
                   progress: Progress,
                   stop: StopAsked| {
            let (r, i) = (region.get_untracked(), instance.get_untracked());
            async move {
                let (progress, stop) = (&*progress, &*stop);
                match change {
                    Bulk::Deleted => {
                        services::delete_users(&client, &r, &i, &names, progress, stop).await
                    }
                    Bulk::Bandwidth(kbps) => {
                        services::set_users_bandwidth(&client, &r, &i, &names, kbps, progress, stop)
                            .await
                    }
                    Bulk::Enabled | Bulk::Disabled => {
                        let enable = change == Bulk::Enabled;
                        services::set_users_state(&client, &r, &i, &names, enable, progress, stop)
                            .await
                    }
                }
            }
        },
        on_each: move |name: &str, change: Bulk, result: Result<(), &str>| {
            if result.is_err() {
                return;
            }
            if change == Bulk::Deleted {
                selected.update(|s| {
                    s.remove(name);
                });
            }
            if change == Bulk::Disabled {
                // A disabled user's clients are disconnected.
                online.update(|o| {
                    if let Some(Some(m)) = o {
                        m.insert(name.to_owned(), 0);
                    }
                });
            }
            users.update(|u| {
                let Some(Ok(l)) = u else { return };
                if change == Bulk::Deleted {
                    l.users.retain(|u| u.user_name != name);
                } else if let Some(u) = l.users.iter_mut().find(|u| u.user_name == name) {
                    match change {
                        Bulk::Enabled => u.state = UserState::Enabled,
                        Bulk::Disabled => u.state = UserState::Disabled,
                        Bulk::Bandwidth(kbps) => u.bandwidth = u64::from(kbps),
                        Bulk::Deleted => {}
                    }
                }
            });
        },
        status_for_one: |change| matches!(change, Bulk::Bandwidth(_)),
    })
}
