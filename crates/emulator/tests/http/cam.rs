//! CAM sub-user actions and their error codes.

use sag_api::cam::*;
use sag_api::secret::Secret;
use sag_api::ErrorKind;

use crate::support::{code, Env};

#[tokio::test]
async fn add_user_returns_one_time_keys_and_a_generated_password() {
    let env = Env::start().await;
    let added = env
        .call(&AddUser {
            name: "new.bot".into(),
            use_api: true,
            console_login: true,
            remark: Some("CI".into()),
            ..AddUser::default()
        })
        .await
        .unwrap();
    assert!(added.uin > 0 && added.uid > 0);
    assert!(added.secret_id.as_deref().unwrap().starts_with("AKID"));
    assert_eq!(added.secret_key.as_ref().unwrap().expose().len(), 32);
    let password = added.password.as_ref().unwrap().expose().to_owned();
    assert_eq!(password.len(), 32);
    sag_api::validate::cam_password(&password).unwrap();
    // With a chosen password nothing is generated; without API use no keys.
    let quiet = env
        .call(&AddUser {
            name: "quiet1".into(),
            console_login: true,
            password: Some(Secret::new("Passw0rd!x")),
            ..AddUser::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (quiet.password, quiet.secret_id, quiet.secret_key),
        (None, None, None)
    );
    let list = env.call(&ListUsers).await.unwrap();
    assert_eq!(list.data.len(), 14);
    let got = env
        .call(&GetUser {
            name: "new.bot".into(),
        })
        .await
        .unwrap();
    assert_eq!((got.remark.as_deref(), got.console_login), (Some("CI"), 1));
}

#[tokio::test]
async fn add_user_refuses_with_the_documented_codes() {
    let env = Env::start().await;
    let cases = [
        (
            AddUser {
                name: "ops-admin".into(),
                ..AddUser::default()
            },
            "InvalidParameter.SubUserNameInUse",
            ErrorKind::AlreadyExists,
        ),
        (
            AddUser {
                name: "bad name".into(),
                ..AddUser::default()
            },
            "InvalidParameter.UserNameIllegal",
            ErrorKind::InvalidParameter,
        ),
        (
            AddUser {
                name: "weakpw".into(),
                console_login: true,
                password: Some(Secret::new("password")),
                ..AddUser::default()
            },
            "InvalidParameter.PasswordViolatedRules",
            ErrorKind::InvalidParameter,
        ),
        (
            AddUser {
                name: "".into(),
                ..AddUser::default()
            },
            "MissingParameter",
            ErrorKind::MissingParameter,
        ),
        (
            AddUser {
                name: "phone1".into(),
                phone_num: Some("12a3".into()),
                country_code: Some("86".into()),
                ..AddUser::default()
            },
            "InvalidParameter.ParamError",
            ErrorKind::InvalidParameter,
        ),
    ];
    for (request, expected, kind) in cases {
        let e = env.call(&request).await.unwrap_err();
        assert_eq!((e.code(), e.kind()), (Some(expected), kind), "{request:?}");
    }
}

#[tokio::test]
async fn update_get_and_delete_with_force() {
    let env = Env::start().await;
    env.call(&UpdateUser {
        name: "erin".into(),
        remark: Some("promoted".into()),
        email: Some("erin@example.com".into()),
        ..UpdateUser::default()
    })
    .await
    .unwrap();
    let erin = env
        .call(&GetUser {
            name: "erin".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        (erin.remark.as_deref(), erin.email.as_deref()),
        (Some("promoted"), Some("erin@example.com"))
    );
    assert_eq!(
        code(
            env.call(&GetUser {
                name: "ghost".into()
            })
            .await
        ),
        "ResourceNotFound.UserNotExist"
    );
    assert_eq!(
        code(
            env.call(&UpdateUser {
                name: "ghost".into(),
                ..UpdateUser::default()
            })
            .await
        ),
        "ResourceNotFound.UserNotExist"
    );

    let e = env
        .call(&DeleteUser {
            name: "deploy-bot".into(),
            force: false,
        })
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.kind()),
        (Some("OperationDenied.HaveKeys"), ErrorKind::HasApiKeys)
    );
    env.call(&DeleteUser {
        name: "deploy-bot".into(),
        force: true,
    })
    .await
    .unwrap();
    env.call(&DeleteUser {
        name: "erin".into(),
        force: false,
    })
    .await
    .unwrap();
    assert_eq!(
        code(
            env.call(&DeleteUser {
                name: "erin".into(),
                force: false
            })
            .await
        ),
        "ResourceNotFound.UserNotExist"
    );
    assert_eq!(env.call(&ListUsers).await.unwrap().data.len(), 10);
}
