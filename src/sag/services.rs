//! The SAG area's named operations: the only way its pages reach Alibaba
//! Cloud. Reads go through [`ApiClient::read`] (retried), changes through
//! [`ApiClient::mutate`] (sent once, looked up after an ambiguous failure);
//! each operation says what "in place" means for it.

use std::collections::{HashMap, HashSet};

use sag_api::smartag::{
    ClientUser, CreateClientUser, DeleteClientUser, DescribeClientUsers,
    DescribeSmartAccessGateways, DescribeUserOnlineClientStatistics, DescribeUserOnlineClients,
    DisableUser, EnableUser, KickOutClients, SagInstance, UserState, MAX_USER_PAGE_SIZE,
};
use sag_api::{ErrorKind, Field};

use crate::plumbing::{ApiClient, CallError, Mutation, RetryNotice};

/// How far a multi-page load has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoadProgress {
    pub page: u64,
    pub pages: u64,
    pub loaded: usize,
    pub total: u64,
}

/// One online client, as the online view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineRow {
    pub user: String,
    pub ip: String,
    /// When it connected, Unix seconds.
    pub since: Option<i64>,
}

/// Checks a key with one cheap signed call: the SAG App instances of `region`.
pub async fn test_connection(client: &ApiClient, region: &str) -> Result<usize, CallError> {
    instances(client, region, &|_| {}).await.map(|l| l.len())
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
    let mut seen = HashSet::new();
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

/// Who is online: the online counts of every user, then the clients of each
/// user who has any, sorted by user name.
pub async fn online_rows(
    client: &ApiClient,
    region: &str,
    instance: &str,
) -> Result<Vec<OnlineRow>, CallError> {
    let users = all_users(client, region, instance, &|_| {}, &|_| {}).await?;
    let names: Vec<String> = users.into_iter().map(|u| u.user_name).collect();
    let counts = online_counts(client, region, instance, &names, &|_| {}).await?;
    let mut online: Vec<&String> = names
        .iter()
        .filter(|n| counts.get(*n).copied().unwrap_or(0) > 0)
        .collect();
    online.sort();
    let mut rows = Vec::new();
    for name in online {
        for c in online_clients(client, region, instance, name).await?.users {
            rows.push(OnlineRow {
                user: name.clone(),
                ip: c.client_ip,
                since: c.online_time,
            });
        }
    }
    Ok(rows)
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

/// Looks one user up by name.
pub async fn find_user(
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

/// Creates a user. In place: a user with the login name exists.
pub async fn create_user(client: &ApiClient, request: &CreateClientUser) -> Mutation<()> {
    let name = request.login_name();
    client
        .mutate(request, async || {
            find_user(client, &request.region_id, &request.smart_ag_id, name)
                .await
                .map(|u| u.is_some())
        })
        .await
        .discard()
}

/// Enables or disables a user. In place: the user has the wanted state.
pub async fn set_user_state(
    client: &ApiClient,
    region: &str,
    instance: &str,
    name: &str,
    enabled: bool,
) -> Mutation<()> {
    let wanted = if enabled {
        UserState::Enabled
    } else {
        UserState::Disabled
    };
    let in_place = async || {
        find_user(client, region, instance, name)
            .await
            .map(|u| u.is_some_and(|u| u.state == wanted))
    };
    if enabled {
        let action = EnableUser::new(region, instance, name);
        client.mutate(&action, in_place).await.discard()
    } else {
        let action = DisableUser::new(region, instance, name);
        client.mutate(&action, in_place).await.discard()
    }
}

/// Deletes a user. In place: no such user. A user already gone (deleted
/// elsewhere) is what the admin wanted, so it counts as done.
pub async fn delete_user(
    client: &ApiClient,
    region: &str,
    instance: &str,
    name: &str,
) -> Mutation<()> {
    let outcome = client
        .mutate(&DeleteClientUser::new(region, instance, name), async || {
            find_user(client, region, instance, name)
                .await
                .map(|u| u.is_none())
        })
        .await
        .discard();
    match outcome {
        Mutation::Failed { error, .. } if is_unknown_user(&error) => Mutation::Done(()),
        other => other,
    }
}

/// The codes a name that does not exist gets: the documented
/// `ClientUser.NameInvalid` ("the specified UserName is invalid", for a name
/// taken from the list), or a not-found code on the username.
fn is_unknown_user(error: &CallError) -> bool {
    error.error.code() == Some("ClientUser.NameInvalid")
        || (error.error.kind() == ErrorKind::NotFound
            && error.error.field() == Some(Field::UserName))
}

/// Deletes several users one after the other; every outcome, in order.
pub async fn delete_users(
    client: &ApiClient,
    region: &str,
    instance: &str,
    names: &[String],
) -> Vec<(String, Mutation<()>)> {
    let mut results = Vec::with_capacity(names.len());
    for name in names {
        results.push((
            name.clone(),
            delete_user(client, region, instance, name).await,
        ));
    }
    results
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::client::fake::*;

    fn page(total: u64, names: &[&str]) -> String {
        let users: Vec<String> = names
            .iter()
            .map(|n| format!(r#"{{"UserName":"{n}","UserMail":"{n}@example.com","Bandwidth":2000,"State":0}}"#))
            .collect();
        format!(
            r#"{{"RequestId":"R","TotalCount":{total},"PageNumber":1,"PageSize":100,"Users":{{"User":[{}]}}}}"#,
            users.join(",")
        )
    }

    fn request() -> CreateClientUser {
        CreateClientUser {
            region_id: "cn-shanghai".into(),
            smart_ag_id: "sag-1".into(),
            user_mail: "alice@example.com".into(),
            bandwidth_kbps: 2000,
            credentials: Some(("alice.w01".into(), sag_api::Secret::new("Passw0rd_1"))),
            client_ip: None,
        }
    }

    #[test]
    fn a_create_whose_answer_is_cut_off_is_looked_up_by_its_login_name() {
        let t = FakeTransport::new();
        t.ok(CUT_OFF).ok(&page(1, &["alice.w01"]));
        let outcome = run(create_user(&client(&t, false), &request()));
        assert!(matches!(outcome, Mutation::Confirmed(_)), "{outcome:?}");
        let lookup = t.sent.borrow()[1].body.clone().unwrap();
        assert!(lookup.contains("UserName=alice.w01"), "{lookup}");
        assert_eq!(
            t.actions(),
            [
                "CreateSmartAccessGatewayClientUser",
                "DescribeSmartAccessGatewayClientUsers"
            ]
        );

        let t = FakeTransport::new();
        t.ok(CUT_OFF).ok(&page(0, &[]));
        let outcome = run(create_user(&client(&t, false), &request()));
        assert!(matches!(outcome, Mutation::Failed { checked: true, .. }));
    }

    #[test]
    fn a_delete_of_a_user_already_gone_is_done() {
        let t = FakeTransport::new();
        t.answer(
            400,
            r#"{"RequestId":"R","Code":"ClientUser.NameInvalid","Message":"The specified UserName is invalid."}"#,
        );
        let outcome = run(delete_user(
            &client(&t, false),
            "cn-shanghai",
            "sag-1",
            "gone01",
        ));
        assert_eq!(outcome, Mutation::Done(()));
    }

    #[test]
    fn bulk_delete_reports_each_user() {
        let t = FakeTransport::new();
        t.ok(r#"{"RequestId":"R1"}"#)
            .answer(
                400,
                r#"{"RequestId":"R2","Code":"ClientUser.UserInUsing","Message":"in use"}"#,
            )
            .ok(r#"{"RequestId":"R3"}"#);
        let names = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let results = run(delete_users(&client(&t, false), "r", "s", &names));
        let ok: Vec<bool> = results.iter().map(|(_, m)| m.succeeded()).collect();
        assert_eq!(ok, [true, false, true]);
        assert_eq!(results[1].1.error().unwrap().error.kind(), ErrorKind::InUse);
    }

    #[test]
    fn a_state_change_lost_on_the_way_is_checked_against_the_wanted_state() {
        let t = FakeTransport::new();
        t.fail(sag_api::ApiError::Timeout { after_ms: 15_000 }).ok(
            r#"{"RequestId":"R","TotalCount":1,"Users":{"User":[{"UserName":"bob0001","State":1}]}}"#,
        );
        let outcome = run(set_user_state(
            &client(&t, false),
            "r",
            "s",
            "bob0001",
            false,
        ));
        assert!(matches!(outcome, Mutation::Confirmed(_)));
        assert_eq!(t.actions()[0], "DisableSmartAccessGatewayUser");
    }

    #[test]
    fn every_page_is_read_and_duplicates_are_kept_once() {
        let t = FakeTransport::new();
        let first: Vec<String> = (0..100).map(|i| format!("user{i:03}")).collect();
        let first: Vec<&str> = first.iter().map(String::as_str).collect();
        t.ok(&page(102, &first))
            .ok(&page(102, &["user099", "user100", "user101"]));
        let seen = std::cell::RefCell::new(Vec::new());
        let users = run(all_users(
            &client(&t, false),
            "r",
            "s",
            &|p| seen.borrow_mut().push(p),
            &|_| {},
        ))
        .unwrap();
        assert_eq!(users.len(), 102);
        assert_eq!(seen.borrow().last().unwrap().pages, 2);
    }

    #[test]
    fn a_kick_whose_answer_is_lost_checks_who_is_still_online() {
        let t = FakeTransport::new();
        t.answer(503, UNAVAILABLE)
            .ok(r#"{"RequestId":"R","Users":{"User":[]}}"#);
        let outcome = run(kick_out(&client(&t, false), "r", "s", "irene"));
        assert!(matches!(outcome, Mutation::Confirmed(_)));
    }
}
