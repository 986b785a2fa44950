//! Multi-call operations the pages share: every page of the user list, the
//! online counts in batches of 50, one instance's details.

use std::collections::HashMap;

use sag_api::smartag::{
    ClientUser, DescribeClientUsers, DescribeSmartAccessGateways,
    DescribeUserOnlineClientStatistics, SagInstance, MAX_USER_PAGE_SIZE,
};

use crate::client::{ApiClient, CallError, RetryNotice};

/// How far a multi-page load has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoadProgress {
    pub page: u64,
    pub pages: u64,
    pub loaded: usize,
    pub total: u64,
}

/// Every user of the instance, across all pages (the Terraform provider reads
/// only the first page and loses users; we never do). A user seen on two
/// pages (the list shifted while paging) is kept once.
pub async fn all_users(
    client: &ApiClient,
    region: &str,
    instance: &str,
    progress: &dyn Fn(LoadProgress),
    notify: &dyn Fn(Option<RetryNotice>),
) -> Result<Vec<ClientUser>, CallError> {
    let mut users: Vec<ClientUser> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut page = 1u32;
    loop {
        let request = DescribeClientUsers::page(region, instance, page, MAX_USER_PAGE_SIZE);
        let response = client.read(&request, notify).await?;
        let got = response.users.len();
        for user in response.users {
            if seen.insert(user.user_name.clone()) {
                users.push(user);
            }
        }
        let size = u64::from(MAX_USER_PAGE_SIZE);
        let pages = response.total_count.div_ceil(size).max(1);
        progress(LoadProgress {
            page: u64::from(page),
            pages,
            loaded: users.len(),
            total: response.total_count,
        });
        if got == 0 || u64::from(page) >= pages {
            return Ok(users);
        }
        page += 1;
    }
}

/// Online client counts for `names`, 50 names per call.
pub async fn online_counts(
    client: &ApiClient,
    region: &str,
    instance: &str,
    names: &[String],
    notify: &dyn Fn(Option<RetryNotice>),
) -> Result<HashMap<String, u64>, CallError> {
    let mut counts = HashMap::new();
    for batch in DescribeUserOnlineClientStatistics::batches(region, instance, names) {
        for stat in client.read(&batch, notify).await?.user_statistics {
            counts.insert(stat.user_name, stat.online_count);
        }
    }
    Ok(counts)
}

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
