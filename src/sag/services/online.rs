//! Who is online: the counts per user, the rows of the online view (paced
//! to stay under the vendor's rate), and kicking a user's clients out.

use std::collections::HashMap;

use sag_api::smartag::{
    DescribeUserOnlineClientStatistics, DescribeUserOnlineClients, KickOutClients,
};

use crate::plumbing::{ApiClient, CallError, Mutation, RetryNotice};

use super::{is_unknown_user, PAGE_CONCURRENCY};

/// One online client, as the online view shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnlineRow {
    pub user: String,
    pub ip: String,
    /// When it connected, Unix seconds.
    pub since: Option<i64>,
}

/// Online client counts for `names`, 50 names per call, a few calls at once.
pub async fn online_counts(
    client: &ApiClient,
    region: &str,
    instance: &str,
    names: &[String],
    notify: &dyn Fn(Option<RetryNotice>),
) -> Result<HashMap<String, u64>, CallError> {
    use futures_util::stream::{self, StreamExt, TryStreamExt};

    let batches = DescribeUserOnlineClientStatistics::batches(region, instance, names);
    stream::iter(batches)
        .map(|batch| async move { client.read(&batch, notify).await })
        .buffer_unordered(PAGE_CONCURRENCY)
        .try_fold(HashMap::new(), |mut counts, answer| async move {
            for stat in answer.user_statistics {
                counts.insert(stat.user_name, stat.online_count);
            }
            Ok(counts)
        })
        .await
}

/// One refresh of the online view: its rows, and what it cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineSnapshot {
    pub rows: Vec<OnlineRow>,
    /// API calls made (retries not counted): one per 50 names, one per user online.
    pub calls: usize,
}

/// The number of calls a refresh of `users` names costs with `online` of them online.
pub fn refresh_calls(users: usize, online: usize) -> usize {
    users.div_ceil(sag_api::smartag::MAX_STATISTICS_NAMES) + online
}

/// Who is online among `names` (the instance's users, read separately and
/// not on every refresh): their online counts, then the clients of each
/// user who has any, a few calls at once, sorted by user name.
pub async fn online_rows(
    client: &ApiClient,
    region: &str,
    instance: &str,
    names: &[String],
) -> Result<OnlineSnapshot, CallError> {
    use futures_util::stream::{self, StreamExt, TryStreamExt};

    let counts = online_counts(client, region, instance, names, &|_| {}).await?;
    let mut online: Vec<&String> = names
        .iter()
        .filter(|n| counts.get(*n).copied().unwrap_or(0) > 0)
        .collect();
    crate::list_view::sort_items(&mut online, &|a, b| a.cmp(b));
    let calls = refresh_calls(names.len(), online.len());
    let mut per_user: Vec<(usize, Vec<OnlineRow>)> = stream::iter(online.into_iter().enumerate())
        .map(|(at, name)| async move {
            // A user deleted since the statistics call has no clients.
            let clients = match online_clients(client, region, instance, name).await {
                Err(e) if is_unknown_user(&e) => return Ok::<_, CallError>((at, Vec::new())),
                other => other?,
            };
            let rows = clients
                .users
                .into_iter()
                .map(|c| OnlineRow {
                    user: name.clone(),
                    ip: c.client_ip,
                    since: c.online_time,
                })
                .collect();
            Ok::<_, CallError>((at, rows))
        })
        .buffer_unordered(PAGE_CONCURRENCY)
        .try_collect()
        .await?;
    crate::list_view::sort_items(&mut per_user, &|a, b| a.0.cmp(&b.0));
    Ok(OnlineSnapshot {
        rows: per_user.into_iter().flat_map(|(_, rows)| rows).collect(),
        calls,
    })
}

async fn online_clients(
    client: &ApiClient,
    region: &str,
    instance: &str,
    name: &str,
) -> Result<sag_api::smartag::OnlineClients, CallError> {
    let request = DescribeUserOnlineClients {
        region_id: region.into(),
        smart_ag_id: instance.into(),
        user_name: name.into(),
    };
    client.read(&request, &|_| {}).await
}

/// Disconnects every client of a user. In place: the user has no client online.
pub async fn kick_out(
    client: &ApiClient,
    region: &str,
    instance: &str,
    name: &str,
) -> Mutation<()> {
    client
        .mutate(&KickOutClients::new(region, instance, name), async || {
            online_clients(client, region, instance, name)
                .await
                .map(|c| c.users.is_empty())
        })
        .await
        .discard()
}
