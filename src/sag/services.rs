//! The SAG area's named operations: the only way its pages reach Alibaba
//! Cloud. Reads go through [`ApiClient::read`] (retried), changes through
//! [`ApiClient::mutate`] (sent once, looked up after an ambiguous failure);
//! each operation says what "in place" means for it.

mod import;
mod instances;
mod online;
pub use import::{import_rows, pace_ms, ImportWatch, RowEnd, RATE_RANGE};
pub use instances::*;
pub use online::*;

use std::collections::HashSet;

use sag_api::smartag::{
    ClientUser, CreateClientUser, DeleteClientUser, DescribeClientUsers, DisableUser, EnableUser,
    ModifyClientUser, ResetClientUserPassword, UserState, MAX_USER_PAGE_SIZE,
};
use sag_api::{ErrorKind, Field};

use crate::plumbing::bulk::one_by_one;
use crate::plumbing::{ApiClient, CallError, Mutation, RetryNotice};

/// How far a multi-page load has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoadProgress {
    pub page: u64,
    pub pages: u64,
    pub loaded: usize,
    pub total: u64,
}

/// Checks a key with one cheap signed call: the SAG App instances of `region`.
pub async fn test_connection(client: &ApiClient, region: &str) -> Result<usize, CallError> {
    instances(client, region, &|_| {}).await.map(|l| l.len())
}

/// How many pages of users are read at once after the first: a few, well
/// under the vendor's rate limit.
pub const PAGE_CONCURRENCY: usize = 4;

/// Every user of an instance, and how many the service said there are.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Listing {
    pub users: Vec<ClientUser>,
    /// `TotalCount` of the first answer.
    pub total: u64,
    /// Reading ended because the service ran out of users (every user the
    /// total names was read, or a page came back empty or added nobody),
    /// not because the page budget did. Only a complete list is exported.
    pub complete: bool,
}

impl Listing {
    /// "The service reported 2,000 users but listed 1,998" when the two
    /// disagree (users added or deleted while paging, or a service that
    /// pages differently than it says).
    pub fn disagreement_in(&self, l: crate::i18n::Locale) -> Option<String> {
        let listed = self.users.len() as u64;
        (listed != self.total).then(|| {
            crate::i18n::td_string!(l, users.disagreement, reported = self.total, listed)
                .to_string()
        })
    }
}

/// How many pages past the expected last one are read while users are
/// still missing (a list that grew while paging), before giving up.
const EXTRA_PAGES: u64 = 10;

/// Every user of the instance, across all pages (the Terraform provider reads
/// only the first page and loses users; we never do). The first page gives
/// the total; the rest are read a few at a time. Pages are counted with the
/// page size the service answers, in case it serves fewer than asked for.
/// While fewer users than the total are collected, the next pages are read
/// one by one until one comes back empty. A user seen on two pages (the list
/// shifted while paging) is kept once, in page order.
///
/// The service's total is not trusted with the number of requests: pages
/// are planned for at most what the instance can hold (`capacity`, its
/// quota when known, and never more than the documented ceiling), reading
/// stops at the first empty page or one that adds nobody, and a total
/// beyond what the instance can hold is an error that says so.
pub async fn all_users(
    client: &ApiClient,
    region: &str,
    instance: &str,
    capacity: Option<u64>,
    progress: &dyn Fn(LoadProgress),
    notify: &dyn Fn(Option<RetryNotice>),
) -> Result<Listing, CallError> {
    use futures_util::stream::{self, StreamExt, TryStreamExt};
    use std::cell::Cell;

    let read_page = |page: u32| async move {
        let request = DescribeClientUsers::page(region, instance, page, MAX_USER_PAGE_SIZE);
        client.read(&request, notify).await.map(|r| (page, r))
    };
    let ceiling = sag_api::validate::LIMITS.instance_users_max;
    let capacity = capacity.unwrap_or(ceiling).min(ceiling);
    let (_, first) = read_page(1).await?;
    let total = first.total_count;
    let expected = total.min(capacity);
    let size = match first.page_size {
        n if n > 0 && n < u64::from(MAX_USER_PAGE_SIZE) => n,
        _ => u64::from(MAX_USER_PAGE_SIZE),
    };
    let pages = expected.div_ceil(size).max(1);
    let mut loaded = first.users.len();
    let mut done = 1u64;
    progress(LoadProgress {
        page: done,
        pages,
        loaded,
        total: expected,
    });
    let mut ran_out = first.users.is_empty();
    let mut by_page = vec![first.users];
    if !ran_out && pages > 1 {
        // Pages are asked for a few at a time; after an empty one no new
        // page is asked for (the few already under way still land).
        let empty_seen = Cell::new(false);
        let pages_u32 = u32::try_from(pages).unwrap_or(u32::MAX);
        let mut rest: Vec<(u32, Vec<ClientUser>)> = stream::iter(2..=pages_u32)
            .take_while(|_| std::future::ready(!empty_seen.get()))
            .map(read_page)
            .buffer_unordered(PAGE_CONCURRENCY)
            .map_ok(|(page, r)| {
                done += 1;
                loaded += r.users.len();
                if r.users.is_empty() {
                    empty_seen.set(true);
                }
                progress(LoadProgress {
                    page: done,
                    pages,
                    loaded,
                    total: expected,
                });
                (page, r.users)
            })
            .try_collect()
            .await?;
        crate::list_view::sort_items(&mut rest, &|a, b| a.0.cmp(&b.0));
        ran_out = empty_seen.get();
        by_page.extend(rest.into_iter().map(|(_, users)| users));
    }
    let mut seen = HashSet::new();
    let mut users: Vec<ClientUser> = by_page
        .into_iter()
        .flatten()
        .filter(|u| seen.insert(u.user_name.clone()))
        .collect();
    let mut page = pages;
    while !ran_out && (users.len() as u64) < expected && page < pages + EXTRA_PAGES {
        page += 1;
        let (_, more) = read_page(u32::try_from(page).unwrap_or(u32::MAX)).await?;
        let before = users.len();
        users.extend(
            more.users
                .into_iter()
                .filter(|u| seen.insert(u.user_name.clone())),
        );
        ran_out = users.len() == before;
        progress(LoadProgress {
            page,
            pages: pages.max(page),
            loaded: users.len(),
            total: expected,
        });
    }
    if total > capacity {
        return Err(CallError {
            error: sag_api::ApiError::Malformed {
                status: 200,
                detail: format!(
                    "DescribeSmartAccessGatewayClientUsers reported {total} users, more than \
                     the instance can hold ({capacity}); {} were read before its pages stopped \
                     adding users, and the list stops there",
                    users.len()
                ),
            },
            clock_offset: None,
            attempts: 1,
        });
    }
    let complete = ran_out || users.len() as u64 >= total;
    Ok(Listing {
        users,
        total,
        complete,
    })
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

/// Changes a user's bandwidth and email. In place: the user has both.
pub async fn modify_user(
    client: &ApiClient,
    region: &str,
    instance: &str,
    name: &str,
    bandwidth_kbps: u32,
    email: &str,
) -> Mutation<()> {
    modify(client, region, instance, name, bandwidth_kbps, Some(email)).await
}

/// Sets several users' bandwidth one after the other, sending only the
/// bandwidth (each keeps its email); every outcome, in order.
pub async fn set_users_bandwidth(
    client: &ApiClient,
    region: &str,
    instance: &str,
    names: &[String],
    bandwidth_kbps: u32,
    progress: &dyn Fn(usize, &str),
    stop: &dyn Fn() -> bool,
) -> Vec<(String, Mutation<()>)> {
    one_by_one(names, progress, stop, async |name: &str| {
        modify(client, region, instance, name, bandwidth_kbps, None).await
    })
    .await
}

/// `ModifySmartAccessGatewayClientUser` with the bandwidth and, if given,
/// the email. In place: the user has what was sent.
async fn modify(
    client: &ApiClient,
    region: &str,
    instance: &str,
    name: &str,
    bandwidth_kbps: u32,
    email: Option<&str>,
) -> Mutation<()> {
    let action = ModifyClientUser {
        region_id: region.into(),
        smart_ag_id: instance.into(),
        user_name: name.into(),
        bandwidth_kbps: Some(bandwidth_kbps),
        email: email.map(str::to_owned),
    };
    client
        .mutate(&action, async || {
            find_user(client, region, instance, name).await.map(|u| {
                u.is_some_and(|u| {
                    u.bandwidth == u64::from(bandwidth_kbps)
                        && email.is_none_or(|e| u.user_mail == e)
                })
            })
        })
        .await
        .discard()
}

/// Sets a user's password. The console always sends the password (typed,
/// or generated in the browser so it can be shown once): the service's own
/// generated password is only mailed, never answered. Setting the same
/// password twice is harmless and a password cannot be looked up, so a
/// reset is retried like a read after a passing failure (throttled, 5xx, an
/// answer lost) instead of being looked up.
pub async fn reset_password(
    client: &ApiClient,
    region: &str,
    instance: &str,
    name: &str,
    password: &sag_api::Secret,
) -> Result<(), CallError> {
    let action = ResetClientUserPassword {
        region_id: region.into(),
        smart_ag_id: instance.into(),
        user_name: name.into(),
        password: Some(password.clone()),
    };
    client.read(&action, &|_| {}).await.map(|_| ())
}

/// Enables or disables several users one after the other; every outcome, in order.
pub async fn set_users_state(
    client: &ApiClient,
    region: &str,
    instance: &str,
    names: &[String],
    enabled: bool,
    progress: &dyn Fn(usize, &str),
    stop: &dyn Fn() -> bool,
) -> Vec<(String, Mutation<()>)> {
    one_by_one(names, progress, stop, async |name: &str| {
        set_user_state(client, region, instance, name, enabled).await
    })
    .await
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
/// taken from the list), `ParameterSagClientId` (what the Terraform provider
/// treats as already gone), or a not-found code on the username.
fn is_unknown_user(error: &CallError) -> bool {
    matches!(
        error.error.code(),
        Some("ClientUser.NameInvalid" | "ParameterSagClientId")
    ) || (error.error.kind() == ErrorKind::NotFound && error.error.field() == Some(Field::UserName))
}

/// Deletes several users one after the other; every outcome, in order.
pub async fn delete_users(
    client: &ApiClient,
    region: &str,
    instance: &str,
    names: &[String],
    progress: &dyn Fn(usize, &str),
    stop: &dyn Fn() -> bool,
) -> Vec<(String, Mutation<()>)> {
    one_by_one(names, progress, stop, async |name: &str| {
        delete_user(client, region, instance, name).await
    })
    .await
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
    fn a_create_that_timed_out_waits_before_it_looks_up_the_user() {
        let t = FakeTransport::new();
        t.fail(sag_api::ApiError::Timeout { after_ms: 15_000 })
            .ok(&page(1, &["alice.w01"]));
        let outcome = run(create_user(&client(&t, false), &request()));
        assert!(matches!(outcome, Mutation::Confirmed(_)), "{outcome:?}");
        assert_eq!(
            *t.slept_ms.borrow(),
            [crate::plumbing::client::LOOKUP_DELAY_AFTER_TIMEOUT_MS],
            "one wait, before the lookup, for a request still running on the server"
        );
        // A cut-off answer (the server answered) needs no wait.
        let t = FakeTransport::new();
        t.ok(CUT_OFF).ok(&page(1, &["alice.w01"]));
        run(create_user(&client(&t, false), &request()));
        assert!(t.slept_ms.borrow().is_empty());
    }

    #[test]
    fn a_create_whose_answer_is_cut_off_is_looked_up_by_its_login_name() {
        let t = FakeTransport::new();
        t.ok(CUT_OFF).ok(&page(1, &["alice.w01"]));
        let outcome = run(create_user(&client(&t, false), &request()));
        assert!(matches!(outcome, Mutation::Confirmed(_)), "{outcome:?}");
        let lookup = t.bodies()[1].clone();
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
    fn a_modify_whose_answer_is_lost_is_in_place_only_with_both_values() {
        let user = |bandwidth: u32, mail: &str| {
            format!(
                r#"{{"RequestId":"R","TotalCount":1,"PageNumber":1,"PageSize":10,"Users":{{"User":[{{"UserName":"alice.w01","UserMail":"{mail}","Bandwidth":{bandwidth},"State":0}}]}}}}"#
            )
        };
        let modify = |t: &std::rc::Rc<FakeTransport>| {
            run(modify_user(
                &client(t, false),
                "cn-shanghai",
                "sag-1",
                "alice.w01",
                512,
                "new@example.com",
            ))
        };
        let t = FakeTransport::new();
        t.ok(CUT_OFF).ok(&user(512, "new@example.com"));
        assert!(matches!(modify(&t), Mutation::Confirmed(_)));
        let sent = t.bodies()[0].clone();
        assert!(
            sent.contains("Bandwidth=512") && sent.contains("Email=new%40example.com"),
            "{sent}"
        );
        // Only the bandwidth changed: not in place, the admin may send again.
        let t = FakeTransport::new();
        t.ok(CUT_OFF).ok(&user(512, "old@example.com"));
        assert!(matches!(modify(&t), Mutation::Failed { checked: true, .. }));
    }

    #[test]
    fn a_bulk_bandwidth_change_sends_only_the_bandwidth_and_goes_on_after_a_failure() {
        let listed = |bandwidth: u32| {
            format!(
                r#"{{"RequestId":"R","TotalCount":1,"PageNumber":1,"PageSize":10,"Users":{{"User":[{{"UserName":"bob.w02","UserMail":"bob@example.com","Bandwidth":{bandwidth},"State":0}}]}}}}"#
            )
        };
        let t = FakeTransport::new();
        t.ok(r#"{"RequestId":"R","UserName":"alice.w01","Bandwidth":512}"#)
            // bob's answer is lost; the lookup shows the new bandwidth.
            .ok(CUT_OFF)
            .ok(&listed(512))
            .answer(
                400,
                r#"{"RequestId":"R","Code":"ClientUser.NameInvalid","Message":"The specified UserName is invalid."}"#,
            );
        let names = ["alice.w01".to_owned(), "bob.w02".into(), "carol.w03".into()];
        let seen = std::cell::RefCell::new(Vec::new());
        let outcomes = run(set_users_bandwidth(
            &client(&t, false),
            "cn-shanghai",
            "sag-1",
            &names,
            512,
            &|n, name| seen.borrow_mut().push(format!("{n}:{name}")),
            &|| false,
        ));
        assert_eq!(*seen.borrow(), ["0:alice.w01", "1:bob.w02", "2:carol.w03"]);
        assert_eq!(outcomes[0].0, "alice.w01");
        assert!(matches!(outcomes[0].1, Mutation::Done(())));
        assert!(matches!(outcomes[1].1, Mutation::Confirmed(_)));
        assert!(matches!(outcomes[2].1, Mutation::Failed { .. }));
        let sent = t.bodies()[0].clone();
        assert!(
            sent.contains("Bandwidth=512") && !sent.contains("Email"),
            "only the bandwidth is sent: {sent}"
        );
        // The lookup after the lost answer is satisfied by the bandwidth alone.
        let t = FakeTransport::new();
        t.ok(CUT_OFF).ok(&listed(2000));
        let outcomes = run(set_users_bandwidth(
            &client(&t, false),
            "cn-shanghai",
            "sag-1",
            &names[1..2],
            512,
            &|_, _| {},
            &|| false,
        ));
        assert!(matches!(
            outcomes[0].1,
            Mutation::Failed { checked: true, .. }
        ));
    }

    #[test]
    fn a_password_reset_is_sent_again_after_a_passing_failure_never_looked_up() {
        let t = FakeTransport::new();
        t.ok(CUT_OFF)
            .answer(
                400,
                r#"{"RequestId":"R","Code":"Throttling.User","Message":"slow down"}"#,
            )
            .ok(r#"{"RequestId":"R"}"#);
        let password = sag_api::Secret::new("Passw0rd_9");
        run(reset_password(
            &client(&t, false),
            "cn-shanghai",
            "sag-1",
            "alice.w01",
            &password,
        ))
        .expect("reset");
        assert_eq!(
            t.actions(),
            ["ResetSmartAccessGatewayClientUserPassword"; 3],
            "the same password each time, no lookup"
        );
        assert!(t.bodies().iter().all(|b| b.contains("Password=Passw0rd_9")));
        // A refusal is not retried.
        let t = FakeTransport::new();
        t.answer(
            400,
            r#"{"RequestId":"R","Code":"ClientUser.PasswordInvalid","Message":"bad"}"#,
        );
        let e = run(reset_password(
            &client(&t, false),
            "cn-shanghai",
            "sag-1",
            "alice.w01",
            &password,
        ))
        .unwrap_err();
        assert_eq!(e.error.code(), Some("ClientUser.PasswordInvalid"));
        assert_eq!(t.sent.borrow().len(), 1);
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
    fn a_delete_answered_with_parameter_sag_client_id_is_done() {
        // What the Terraform provider treats as "already deleted".
        let t = FakeTransport::new();
        t.answer(
            400,
            r#"{"RequestId":"R","Code":"ParameterSagClientId","Message":"The specified SagClientId is invalid."}"#,
        );
        let outcome = run(delete_user(
            &client(&t, false),
            "cn-shanghai",
            "sag-1",
            "gone02",
        ));
        assert_eq!(outcome, Mutation::Done(()));
    }

    #[test]
    fn a_user_who_left_between_the_statistics_and_the_clients_is_skipped() {
        let t = FakeTransport::new();
        t.ok(r#"{"RequestId":"S","UserStatistics":{"Statistics":[{"UserName":"a","OnlineCount":"1"},{"UserName":"b","OnlineCount":"1"}]}}"#)
            .answer(
                400,
                r#"{"RequestId":"R","Code":"ClientUser.NameInvalid","Message":"The specified UserName is invalid."}"#,
            )
            .ok(r#"{"RequestId":"C","Users":{"User":[{"ClientIp":"10.0.0.2","OnlineTime":"100"}]}}"#);
        let names = ["a".to_owned(), "b".to_owned()];
        let snapshot =
            run(online_rows(&client(&t, false), "cn-shanghai", "s", &names)).expect("a snapshot");
        let users: Vec<&str> = snapshot.rows.iter().map(|r| r.user.as_str()).collect();
        assert_eq!(users, ["b"], "a was deleted after the statistics call");
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
        let results = run(delete_users(
            &client(&t, false),
            "cn-shanghai",
            "s",
            &names,
            &|_, _| {},
            &|| false,
        ));
        let ok: Vec<bool> = results.iter().map(|(_, m)| m.succeeded()).collect();
        assert_eq!(ok, [true, false, true]);
        assert_eq!(results[1].1.error().unwrap().error.kind(), ErrorKind::InUse);
    }

    #[test]
    fn a_stopped_bulk_run_sends_nothing_more_and_leaves_the_rest_without_an_outcome() {
        let t = FakeTransport::new();
        t.ok(r#"{"RequestId":"R1"}"#).ok(r#"{"RequestId":"R2"}"#);
        let names = [
            "a".to_owned(),
            "b".to_owned(),
            "c".to_owned(),
            "d".to_owned(),
        ];
        // Stop is pressed while b is being deleted.
        let asked = std::cell::Cell::new(0);
        let stop = || {
            asked.set(asked.get() + 1);
            asked.get() > 2
        };
        let results = run(delete_users(
            &client(&t, false),
            "cn-shanghai",
            "s",
            &names,
            &|_, _| {},
            &stop,
        ));
        let done: Vec<&str> = results.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(done, ["a", "b"]);
        assert_eq!(t.bodies().len(), 2, "nothing sent after the stop");
        assert_eq!(
            crate::plumbing::bulk::not_done(&names, &results),
            ["c", "d"]
        );
        // Stopped before the first: nothing at all is sent.
        let t = FakeTransport::new();
        let results = run(set_users_state(
            &client(&t, false),
            "cn-shanghai",
            "s",
            &names,
            false,
            &|_, _| {},
            &|| true,
        ));
        assert!(results.is_empty() && t.bodies().is_empty());
    }

    #[test]
    fn a_state_change_lost_on_the_way_is_checked_against_the_wanted_state() {
        let t = FakeTransport::new();
        t.fail(sag_api::ApiError::Timeout { after_ms: 15_000 }).ok(
            r#"{"RequestId":"R","TotalCount":1,"Users":{"User":[{"UserName":"bob0001","State":1}]}}"#,
        );
        let outcome = run(set_user_state(
            &client(&t, false),
            "cn-shanghai",
            "s",
            "bob0001",
            false,
        ));
        assert!(matches!(outcome, Mutation::Confirmed(_)));
        assert_eq!(t.actions()[0], "DisableSmartAccessGatewayUser");
    }

    fn page_of(total: u64, page_size: u64, names: &[String]) -> String {
        page(total, &names.iter().map(String::as_str).collect::<Vec<_>>())
            .replace("\"PageSize\":100", &format!("\"PageSize\":{page_size}"))
    }

    #[test]
    fn pages_after_the_first_are_all_read_and_kept_in_page_order() {
        let t = FakeTransport::new();
        let names: Vec<String> = (0..1000).map(|i| format!("u{i:04}")).collect();
        for chunk in names.chunks(100) {
            t.ok(&page_of(1000, 100, chunk));
        }
        let users = run(all_users(
            &client(&t, false),
            "cn-shanghai",
            "s",
            None,
            &|_| {},
            &|_| {},
        ))
        .unwrap()
        .users;
        assert_eq!(users.len(), 1000);
        assert_eq!(users[0].user_name, "u0000");
        assert_eq!(users[999].user_name, "u0999");
        let asked = t.bodies();
        assert_eq!(asked.len(), 10);
        assert!(asked.iter().all(|b| b.contains("PageSize=100")));
    }

    #[test]
    fn a_total_beyond_what_the_instance_can_hold_costs_few_requests_and_says_so() {
        // TotalCount 100,000,000 with pages of 1: five real users, then
        // empty pages. Pages are planned for the quota at most (2,000
        // users: 2,000 pages), and reading stops at the first empty page.
        let t = FakeTransport::new();
        let names: Vec<String> = (0..5).map(|i| format!("u{i}")).collect();
        for name in &names {
            t.ok(&page_of(100_000_000, 1, std::slice::from_ref(name)));
        }
        for _ in 0..20 {
            t.ok(&page_of(100_000_000, 1, &[]));
        }
        let seen = std::cell::RefCell::new(Vec::new());
        let error = run(all_users(
            &client(&t, false),
            "cn-shanghai",
            "s",
            Some(2_000),
            &|p| seen.borrow_mut().push(p.pages),
            &|_| {},
        ))
        .unwrap_err();
        let asked = t.bodies().len();
        assert!(
            (6..=6 + PAGE_CONCURRENCY).contains(&asked),
            "{asked} requests: five pages, the empty one, and those already under way"
        );
        assert_eq!(seen.borrow()[0], 2_000, "pages planned for the quota");
        assert_eq!(error.error.kind(), ErrorKind::Malformed);
        let said = format!("{:?}", error.error);
        assert!(
            said.contains("reported 100000000 users, more than the instance can hold (2000)")
                && said.contains("5 were read"),
            "{said}"
        );
        // Without a known quota the documented ceiling bounds the plan.
        let t = FakeTransport::new();
        t.ok(&page_of(100_000_000, 1, &names[..1]));
        t.ok(&page_of(100_000_000, 1, &[]));
        for _ in 0..PAGE_CONCURRENCY {
            t.ok(&page_of(100_000_000, 1, &[]));
        }
        let seen = std::cell::RefCell::new(Vec::new());
        let _ = run(all_users(
            &client(&t, false),
            "cn-shanghai",
            "s",
            None,
            &|p| seen.borrow_mut().push(p.pages),
            &|_| {},
        ));
        assert_eq!(
            seen.borrow()[0],
            sag_api::validate::LIMITS.instance_users_max
        );
    }

    #[test]
    fn a_list_whose_pages_stop_adding_users_is_complete_and_one_cut_short_is_not() {
        // Every user read: complete.
        let t = FakeTransport::new();
        let names: Vec<String> = (0..3).map(|i| format!("u{i}")).collect();
        t.ok(&page_of(3, 100, &names));
        let listing = run(all_users(
            &client(&t, false),
            "cn-shanghai",
            "s",
            None,
            &|_| {},
            &|_| {},
        ))
        .unwrap();
        assert!(listing.complete);
        // Pages that shifted (each user twice), then extra pages that
        // still add users when the extra pages run out: cut short, so not
        // offered for export.
        let t = FakeTransport::new();
        for p in 0..30 {
            t.ok(&page_of(30, 1, &[format!("d{}", p / 2)]));
        }
        for p in 0..10 {
            t.ok(&page_of(30, 1, &[format!("e{p}")]));
        }
        let listing = run(all_users(
            &client(&t, false),
            "cn-shanghai",
            "s",
            None,
            &|_| {},
            &|_| {},
        ))
        .unwrap();
        assert_eq!(listing.users.len(), 25);
        assert!(!listing.complete);
        assert_eq!(t.left(), 0);
    }

    #[test]
    fn a_service_that_caps_the_page_size_loses_nobody() {
        let t = FakeTransport::new();
        let names: Vec<String> = (0..120).map(|i| format!("u{i:03}")).collect();
        for chunk in names.chunks(50) {
            t.ok(&page_of(120, 50, chunk));
        }
        let users = run(all_users(
            &client(&t, false),
            "cn-shanghai",
            "s",
            None,
            &|_| {},
            &|_| {},
        ))
        .unwrap()
        .users;
        assert_eq!(users.len(), 120);
        assert_eq!(
            t.sent.borrow().len(),
            3,
            "pages counted with the size answered"
        );
    }

    #[test]
    fn a_list_shorter_than_its_total_is_read_to_an_empty_page_and_the_gap_named() {
        let t = FakeTransport::new();
        let names: Vec<String> = (0..115).map(|i| format!("u{i:03}")).collect();
        for chunk in names.chunks(50) {
            t.ok(&page_of(120, 50, chunk));
        }
        t.ok(&page_of(120, 50, &[]));
        let listing = run(all_users(
            &client(&t, false),
            "cn-shanghai",
            "s",
            None,
            &|_| {},
            &|_| {},
        ))
        .unwrap();
        assert_eq!(listing.users.len(), 115);
        assert_eq!(
            t.sent.borrow().len(),
            4,
            "three planned pages, then one that is empty"
        );
        let said = listing
            .disagreement_in(crate::i18n::Locale::en)
            .expect("the gap is named");
        assert!(said.contains("reported 120 users but listed 115"), "{said}");
    }

    #[test]
    fn a_list_that_grew_while_paging_is_read_on_until_every_user_is_in() {
        let t = FakeTransport::new();
        // A user was added at the front while page 2 was read: page 2 starts
        // with the last user of page 1, and the last user moved to page 3.
        let names: Vec<String> = (0..100).map(|i| format!("u{i:03}")).collect();
        t.ok(&page_of(100, 50, &names[..50]));
        t.ok(&page_of(101, 50, &names[49..99]));
        t.ok(&page_of(101, 50, &names[99..]));
        let listing = run(all_users(
            &client(&t, false),
            "cn-shanghai",
            "s",
            None,
            &|_| {},
            &|_| {},
        ))
        .unwrap();
        assert_eq!(listing.users.len(), 100);
        assert_eq!(listing.disagreement_in(crate::i18n::Locale::en), None);
        assert_eq!(t.left(), 0, "page 3 was read");
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
            "cn-shanghai",
            "s",
            None,
            &|p| seen.borrow_mut().push(p),
            &|_| {},
        ))
        .unwrap()
        .users;
        assert_eq!(users.len(), 102);
        assert_eq!(seen.borrow().last().unwrap().pages, 2);
    }

    #[test]
    fn a_refresh_reads_clients_only_for_users_who_are_online() {
        let t = FakeTransport::new();
        let names: Vec<String> = (0..120).map(|i| format!("u{i:03}")).collect();
        let stats = |from: usize, to: usize| {
            let items: Vec<String> = (from..to)
                .map(|i| {
                    format!(
                        r#"{{"UserName":"u{i:03}","OnlineCount":{}}}"#,
                        u64::from(i % 50 == 7)
                    )
                })
                .collect();
            format!(
                r#"{{"RequestId":"R","UserStatistics":{{"Statistics":[{}]}}}}"#,
                items.join(",")
            )
        };
        t.ok(&stats(0, 50)).ok(&stats(50, 100)).ok(&stats(100, 120));
        for (n, name) in ["u007", "u057", "u107"].iter().enumerate() {
            t.ok(&format!(
                r#"{{"RequestId":"R","Users":{{"User":[{{"ClientIp":"10.0.0.{n}","OnlineTime":1700000000}}]}}}}"#
            ));
            let _ = name;
        }
        let snapshot = run(online_rows(&client(&t, false), "cn-shanghai", "s", &names)).unwrap();
        let users: Vec<&str> = snapshot.rows.iter().map(|r| r.user.as_str()).collect();
        assert_eq!(users, ["u007", "u057", "u107"]);
        assert_eq!(snapshot.calls, 6, "3 statistics calls, 3 client calls");
        assert_eq!(t.left(), 0);
        assert!(
            !t.actions()
                .contains(&"DescribeSmartAccessGatewayClientUsers"),
            "the list is not re-read"
        );
        assert_eq!(refresh_calls(2000, 100), 140);
    }

    #[test]
    fn a_kick_whose_answer_is_lost_checks_who_is_still_online() {
        let t = FakeTransport::new();
        t.answer(503, UNAVAILABLE)
            .ok(r#"{"RequestId":"R","Users":{"User":[]}}"#);
        let outcome = run(kick_out(&client(&t, false), "cn-shanghai", "s", "irene"));
        assert!(matches!(outcome, Mutation::Confirmed(_)));
    }
}
