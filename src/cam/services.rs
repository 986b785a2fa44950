//! The CAM area's named operations: the only way its pages reach Tencent
//! Cloud. Reads retry; `AddUser` and `DeleteUser` are sent once and, after
//! an ambiguous failure (Tencent's `InternalError` comes with HTTP 200), the
//! user is looked up (`GetUser`) before anything is said.

use sag_api::cam::{
    AddUser, AddedUser, CamUser, DeleteUser, GetUser, ListUsers, UpdateUser, UserDetail,
};
use sag_api::ErrorKind;

use crate::plumbing::{ApiClient, CallError, Mutation, RetryNotice};

/// The sub-user quota of a Tencent Cloud account.
pub const SUB_USER_QUOTA: usize = 1000;

/// Checks a key with one cheap signed call; the number of sub-users.
pub async fn test_connection(client: &ApiClient) -> Result<usize, CallError> {
    list_users(client, &|_| {}).await.map(|l| l.len())
}

/// Every sub-user (the API has no paging).
pub async fn list_users(
    client: &ApiClient,
    notify: &dyn Fn(Option<RetryNotice>),
) -> Result<Vec<CamUser>, CallError> {
    client.read(&ListUsers, notify).await.map(|l| l.data)
}

/// One sub-user's details, or `None` if there is no such user.
pub async fn get_user(client: &ApiClient, name: &str) -> Result<Option<UserDetail>, CallError> {
    match client.read(&GetUser { name: name.into() }, &|_| {}).await {
        Ok(user) => Ok(Some(user)),
        Err(e) if e.error.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Changes a sub-user's remark, console login, phone and email (only the
/// fields set in `request` are sent). In place: `GetUser` shows every one.
pub async fn update_user(client: &ApiClient, request: &UpdateUser) -> Mutation<()> {
    let shows = |u: &UserDetail| {
        let same = |want: &Option<String>, have: &Option<String>| {
            want.as_ref()
                .is_none_or(|w| have.as_deref().unwrap_or_default() == w)
        };
        same(&request.remark, &u.remark)
            && same(&request.phone_num, &u.phone_num)
            && same(&request.country_code, &u.country_code)
            && same(&request.email, &u.email)
            && request
                .console_login
                .is_none_or(|c| (u.console_login != 0) == c)
    };
    client
        .mutate(request, async || {
            get_user(client, &request.name)
                .await
                .map(|u| u.as_ref().is_some_and(&shows))
        })
        .await
        .discard()
}

/// Adds a sub-user. In place: `GetUser` finds it. When only the lookup
/// confirms it, the one-time password and keys in the lost answer are gone.
pub async fn add_user(client: &ApiClient, request: &AddUser) -> Mutation<AddedUser> {
    client
        .mutate(request, async || {
            get_user(client, &request.name).await.map(|u| u.is_some())
        })
        .await
}

/// Deletes a sub-user; with `force` its API keys go first. In place: no such
/// user. A user already gone counts as done.
pub async fn delete_user(client: &ApiClient, name: &str, force: bool) -> Mutation<()> {
    let request = DeleteUser {
        name: name.into(),
        force,
    };
    let outcome = client
        .mutate(&request, async || {
            get_user(client, name).await.map(|u| u.is_none())
        })
        .await
        .discard();
    match outcome {
        Mutation::Failed { error, .. } if error.error.kind() == ErrorKind::NotFound => {
            Mutation::Done(())
        }
        other => other,
    }
}

/// Deletes several sub-users one after the other, never forced: Tencent
/// refuses one that still has API keys (`OperationDenied.HaveKeys`), and
/// that one is left for its own dialog, which can remove the keys first.
/// `progress` hears each before it is sent; every outcome, in order, until
/// `stop` says stop.
pub async fn delete_users(
    client: &ApiClient,
    names: &[String],
    progress: &dyn Fn(usize, &str),
    stop: &dyn Fn() -> bool,
) -> Vec<(String, Mutation<()>)> {
    crate::plumbing::bulk::one_by_one(names, progress, stop, async |name: &str| {
        delete_user(client, name, false).await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::client::fake::*;

    fn add() -> AddUser {
        AddUser {
            name: "bot01".into(),
            use_api: true,
            ..AddUser::default()
        }
    }

    const INTERNAL: &str = r#"{"Response":{"Error":{"Code":"InternalError","Message":"An internal error has occurred."},"RequestId":"T-1"}}"#;
    const NOT_FOUND: &str = r#"{"Response":{"Error":{"Code":"ResourceNotFound.UserNotExist","Message":"no"},"RequestId":"T-2"}}"#;
    const FOUND: &str =
        r#"{"Response":{"Uin":1,"Name":"bot01","Uid":2,"ConsoleLogin":0,"RequestId":"T-3"}}"#;

    #[test]
    fn an_add_answered_with_internal_error_and_http_200_is_looked_up() {
        let t = FakeTransport::new();
        t.ok(INTERNAL).ok(FOUND);
        let outcome = run(add_user(&client(&t, true), &add()));
        assert!(matches!(outcome, Mutation::Confirmed(_)), "{outcome:?}");
        assert_eq!(t.actions(), ["AddUser", "GetUser"]);

        let t = FakeTransport::new();
        t.ok(INTERNAL).ok(NOT_FOUND);
        let outcome = run(add_user(&client(&t, true), &add()));
        assert!(matches!(outcome, Mutation::Failed { checked: true, .. }));
    }

    #[test]
    fn a_name_in_use_is_refused_without_a_lookup() {
        let t = FakeTransport::new();
        t.ok(r#"{"Response":{"Error":{"Code":"InvalidParameter.SubUserNameInUse","Message":"in use"},"RequestId":"T"}}"#);
        let outcome = run(add_user(&client(&t, true), &add()));
        match outcome {
            Mutation::Failed { error, checked } => {
                assert!(!checked);
                assert_eq!(error.error.field(), Some(sag_api::Field::CamName));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(t.actions(), ["AddUser"]);
    }

    #[test]
    fn the_answer_of_an_add_carries_the_one_time_secrets() {
        let t = FakeTransport::new();
        t.ok(r#"{"Response":{"Uin":10,"Uid":20,"Name":"bot01","Password":"","SecretId":"AKIDx","SecretKey":"sk","RequestId":"T"}}"#);
        match run(add_user(&client(&t, true), &add())) {
            Mutation::Done(added) => {
                assert_eq!(added.secret_id.as_deref(), Some("AKIDx"));
                assert_eq!(added.secret_key.as_ref().map(|s| s.expose()), Some("sk"));
                assert_eq!(added.password, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn deleting_a_user_with_keys_is_refused_and_a_gone_user_is_done() {
        let t = FakeTransport::new();
        t.ok(r#"{"Response":{"Error":{"Code":"OperationDenied.HaveKeys","Message":"keys"},"RequestId":"T"}}"#)
            .ok(NOT_FOUND);
        let c = client(&t, true);
        let refused = run(delete_user(&c, "bot01", false));
        assert_eq!(refused.error().unwrap().error.kind(), ErrorKind::HasApiKeys);
        assert_eq!(run(delete_user(&c, "bot01", true)), Mutation::Done(()));
        let bodies = t.bodies();
        // TC3 (the shipped default): a JSON body with Force as a number.
        assert!(!bodies[0].contains("Force"), "{}", bodies[0]);
        assert!(bodies[1].contains(r#""Force":1"#), "{}", bodies[1]);
    }

    #[test]
    fn a_bulk_delete_is_never_forced_and_goes_on_past_a_user_with_keys() {
        let t = FakeTransport::new();
        t.ok(r#"{"Response":{"RequestId":"T"}}"#)
            .ok(r#"{"Response":{"Error":{"Code":"OperationDenied.HaveKeys","Message":"keys"},"RequestId":"T"}}"#)
            .ok(NOT_FOUND);
        let names = ["a".to_owned(), "b".into(), "c".into()];
        let seen = std::cell::RefCell::new(Vec::new());
        let outcomes = run(delete_users(
            &client(&t, true),
            &names,
            &|n, name| seen.borrow_mut().push(format!("{n}:{name}")),
            &|| false,
        ));
        assert_eq!(*seen.borrow(), ["0:a", "1:b", "2:c"]);
        assert_eq!(outcomes[0].1, Mutation::Done(()));
        assert_eq!(
            outcomes[1].1.error().unwrap().error.kind(),
            ErrorKind::HasApiKeys
        );
        assert_eq!(outcomes[2].1, Mutation::Done(()), "already gone is done");
        assert!(t.bodies().iter().all(|b| !b.contains("Force")));
        // Stopped after the first: b and c are never sent.
        let t = FakeTransport::new();
        t.ok(r#"{"Response":{"RequestId":"T"}}"#);
        let asked = std::cell::Cell::new(false);
        let outcomes = run(delete_users(&client(&t, true), &names, &|_, _| {}, &|| {
            asked.replace(true)
        }));
        assert_eq!(outcomes.len(), 1);
        assert_eq!(t.bodies().len(), 1);
    }
}
