//! The region's SAG App instances, one instance, and the search for a user
//! across the instances of a region or of every region.

use sag_api::smartag::{ClientUser, DescribeSmartAccessGateways, SagInstance};

use crate::plumbing::{ApiClient, CallError, RetryNotice};

use super::all_users;

/// The instance's details, or `None` if the region has no such SAG App instance.
pub async fn instance(
    client: &ApiClient,
    region: &str,
    id: &str,
) -> Result<Option<SagInstance>, CallError> {
    let request = DescribeSmartAccessGateways {
        region_id: region.into(),
        instance_type: Some("software".into()),
        smart_ag_id: Some(id.into()),
        page_number: Some(1),
        page_size: Some(10),
    };
    let page = client.read(&request, &|_| {}).await?;
    Ok(page
        .smart_access_gateways
        .into_iter()
        .find(|i| i.smart_ag_id == id))
}

/// Every SAG App instance of a region, across pages.
pub async fn instances(
    client: &ApiClient,
    region: &str,
    notify: &dyn Fn(Option<RetryNotice>),
) -> Result<Vec<SagInstance>, CallError> {
    let mut all = Vec::new();
    let mut page = 1;
    loop {
        let response = client
            .read(&DescribeSmartAccessGateways::software(region, page), notify)
            .await?;
        let got = response.smart_access_gateways.len();
        all.extend(response.smart_access_gateways);
        if got == 0 || all.len() as u64 >= response.total_count {
            return Ok(all);
        }
        page += 1;
    }
}

/// A user found by [`find_everywhere`], and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub region: String,
    pub instance: String,
    pub instance_name: String,
    pub user: ClientUser,
}

/// What a search across instances found, and the instances it could not read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FoundEverywhere {
    pub found: Vec<Found>,
    pub instances_searched: usize,
    /// "region/instance": why it could not be read.
    pub failed: Vec<(String, CallError)>,
}

/// Users whose name, email or IP contains `query` (any case), in every SAG
/// App instance of `regions`: every user of every instance is read (the API
/// filters only on exact names), two instances at a time. An instance that
/// cannot be read is reported, not fatal. `progress` hears (searched, known).
pub async fn find_everywhere(
    client: &ApiClient,
    regions: &[String],
    query: &str,
    progress: &dyn Fn(usize, usize),
) -> FoundEverywhere {
    use futures_util::stream::{self, StreamExt};

    let needle = query.trim().to_lowercase();
    let mut out = FoundEverywhere::default();
    let mut targets = Vec::new();
    for region in regions {
        match instances(client, region, &|_| {}).await {
            Ok(list) => targets.extend(list.into_iter().map(|i| (region.clone(), i))),
            Err(e) => out.failed.push((region.clone(), e)),
        }
    }
    let known = targets.len();
    progress(0, known);
    let searched = std::cell::Cell::new(0);
    let results: Vec<_> = stream::iter(targets)
        .map(|(region, instance)| {
            let searched = &searched;
            async move {
                let listing = all_users(
                    client,
                    &region,
                    &instance.smart_ag_id,
                    instance.user_count,
                    &|_| {},
                    &|_| {},
                )
                .await;
                searched.set(searched.get() + 1);
                progress(searched.get(), known);
                (region, instance, listing)
            }
        })
        .buffer_unordered(2)
        .collect()
        .await;
    for (region, instance, listing) in results {
        match listing {
            Ok(listing) => {
                out.instances_searched += 1;
                out.found.extend(
                    listing
                        .users
                        .into_iter()
                        .filter(|u| {
                            u.user_name.to_lowercase().contains(&needle)
                                || u.user_mail.to_lowercase().contains(&needle)
                                || u.client_ip
                                    .as_deref()
                                    .is_some_and(|ip| ip.contains(&needle))
                        })
                        .map(|user| Found {
                            region: region.clone(),
                            instance: instance.smart_ag_id.clone(),
                            instance_name: instance.name.clone(),
                            user,
                        }),
                )
            }
            Err(e) => out
                .failed
                .push((format!("{region}/{}", instance.smart_ag_id), e)),
        }
    }
    crate::list_view::sort_items(&mut out.found, &|a, b| {
        (&a.user.user_name, &a.region, &a.instance).cmp(&(
            &b.user.user_name,
            &b.region,
            &b.instance,
        ))
    });
    out
}
