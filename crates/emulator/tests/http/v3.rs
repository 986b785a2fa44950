//! The console's V3 requests (Alibaba `ACS3-HMAC-SHA256`, Tencent
//! `TC3-HMAC-SHA256`), built by `sag_api::request::prepare` exactly as the
//! browser builds them, against the emulator: every action the console uses
//! works, and a proxy that changes what was signed is named.

use sag_api::cam::*;
use sag_api::request::{prepare, Credentials, Profile, Scheme};
use sag_api::secret::Secret;
use sag_api::smartag::*;
use sag_api::{ApiError, SignatureDiagnosis};

use crate::support::{code, stamp, Env, ALIYUN, STS, TENCENT};

const R: &str = "cn-shanghai";
const HQ: &str = "sag-app-hq01";

async fn v3_env() -> Env {
    let mut env = Env::start().await;
    env.profile = Profile {
        aliyun_scheme: Scheme::V3,
        tencent_scheme: Scheme::V3,
        ..Profile::default()
    };
    env
}

/// Every user of the instance, read page by page.
async fn users(env: &Env) -> Vec<ClientUser> {
    let mut all = Vec::new();
    for page in 1.. {
        let got = env
            .call(&DescribeClientUsers::page(R, HQ, page, 100))
            .await
            .unwrap();
        let done = got.users.is_empty() || all.len() + got.users.len() >= got.total_count as usize;
        all.extend(got.users);
        if done {
            break;
        }
    }
    all
}

fn diagnosis(error: &ApiError) -> Option<SignatureDiagnosis> {
    error.service().and_then(|s| s.signature_diagnosis())
}

#[tokio::test]
async fn every_smartag_action_the_console_uses_works_under_acs3() {
    let env = v3_env().await;
    let created = env
        .call(&CreateClientUser {
            region_id: R.into(),
            smart_ag_id: HQ.into(),
            user_mail: "v3+test@example.com".into(),
            bandwidth_kbps: 1500,
            credentials: Some(("v3.user01".into(), Secret::new("Pass_w0rd@1"))),
            client_ip: None,
        })
        .await
        .unwrap();
    assert_eq!(created.user_name, "v3.user01");
    let listed = users(&env).await;
    let user = listed
        .iter()
        .find(|u| u.user_name == "v3.user01")
        .expect("the new user is listed");
    assert_eq!(
        (user.user_mail.as_str(), user.bandwidth),
        ("v3+test@example.com", 1500)
    );
    let modified = env
        .call(&ModifyClientUser {
            region_id: R.into(),
            smart_ag_id: HQ.into(),
            user_name: "v3.user01".into(),
            bandwidth_kbps: Some(800),
            email: None,
        })
        .await
        .unwrap();
    assert_eq!(modified.bandwidth, 800);
    env.call(&ResetClientUserPassword {
        region_id: R.into(),
        smart_ag_id: HQ.into(),
        user_name: "v3.user01".into(),
        password: Some(Secret::new("N3w_passw0rd@")),
    })
    .await
    .unwrap();
    env.call(&DisableUser::new(R, HQ, "v3.user01"))
        .await
        .unwrap();
    env.call(&EnableUser::new(R, HQ, "v3.user01"))
        .await
        .unwrap();
    let names: Vec<String> = listed.iter().map(|u| u.user_name.clone()).collect();
    let stats = env
        .call(&DescribeUserOnlineClientStatistics::batches(R, HQ, &names)[0])
        .await
        .unwrap();
    assert_eq!(stats.user_statistics.len(), names.len().min(50));
    env.call(&DescribeUserOnlineClients {
        region_id: R.into(),
        smart_ag_id: HQ.into(),
        user_name: names[0].clone(),
    })
    .await
    .unwrap();
    env.call(&DeleteClientUser::new(R, HQ, "v3.user01"))
        .await
        .unwrap();
    let after = users(&env).await;
    assert!(after.iter().all(|u| u.user_name != "v3.user01"));
    // Temporary keys: the token travels as a signed x-acs-security-token.
    let sts = Credentials::new(STS.0, STS.1).with_security_token(STS.2);
    env.call_with(
        &DescribeClientUsers::page(R, HQ, 1, 5),
        &sts,
        &stamp(),
        &env.profile,
    )
    .await
    .unwrap();
    let no_token = Credentials::new(STS.0, STS.1);
    assert_eq!(
        code(
            env.call_with(
                &DescribeClientUsers::page(R, HQ, 1, 5),
                &no_token,
                &stamp(),
                &env.profile
            )
            .await
        ),
        "MissingSecurityToken"
    );
}

#[tokio::test]
async fn every_cam_action_the_console_uses_works_under_tc3() {
    let env = v3_env().await;
    let added = env
        .call(&AddUser {
            name: "tc3.user".into(),
            remark: Some("办公室 \"north\"".into()),
            console_login: true,
            use_api: true,
            need_reset_password: true,
            ..AddUser::default()
        })
        .await
        .unwrap();
    assert!(added.secret_id.is_some() && added.password.is_some());
    let got = env
        .call(&GetUser {
            name: "tc3.user".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        (got.remark.as_deref(), got.console_login),
        (Some("办公室 \"north\""), 1)
    );
    env.call(&UpdateUser {
        name: "tc3.user".into(),
        console_login: Some(false),
        email: Some("ops@example.com".into()),
        ..UpdateUser::default()
    })
    .await
    .unwrap();
    let list = env.call(&ListUsers).await.unwrap();
    let listed = list.data.iter().find(|u| u.name == "tc3.user").unwrap();
    assert_eq!(listed.console_login, 0);
    // The same signed read twice in one second (a retry) is no replay.
    let again = stamp();
    for _ in 0..2 {
        env.call_with(&ListUsers, &env.tencent, &again, &env.profile)
            .await
            .unwrap();
    }
    assert_eq!(
        code(
            env.call(&DeleteUser {
                name: "tc3.user".into(),
                force: false,
            })
            .await
        ),
        "OperationDenied.HaveKeys"
    );
    env.call(&DeleteUser {
        name: "tc3.user".into(),
        force: true,
    })
    .await
    .unwrap();
    assert_eq!(
        code(
            env.call(&GetUser {
                name: "tc3.user".into(),
            })
            .await
        ),
        "ResourceNotFound.UserNotExist"
    );
}

#[tokio::test]
async fn a_proxy_that_changes_a_signed_header_is_named() {
    let env = v3_env().await;
    let list = DescribeClientUsers::page(R, HQ, 1, 5);
    let creds = Credentials::new(ALIYUN.0, ALIYUN.1);
    let send = async |request: &sag_api::HttpRequest| {
        let (status, body) = env.send_raw(request).await;
        sag_api::decode::<DescribeClientUsers>(request, status, &body).unwrap_err()
    };

    // The proxy forwards with its own Host instead of the signed one.
    let mut request = prepare(&list, &creds, &stamp(), &env.profile);
    request.signed_host = Some("console.example.internal".into());
    let error = send(&request).await;
    assert_eq!(error.code(), Some("SignatureDoesNotMatch"));
    match diagnosis(&error) {
        Some(SignatureDiagnosis::HeaderChanged { name, ours, server }) => {
            assert_eq!(name, "host");
            assert_eq!(ours, "smartag.cn-shanghai.aliyuncs.com");
            assert_eq!(server.as_deref(), Some("console.example.internal"));
        }
        other => panic!("expected the host to be named, got {other:?}"),
    }
    assert!(error.to_string().contains("different Host"), "{error}");
    assert!(error
        .support_details()
        .contains("Signed header host: the console signed \"smartag.cn-shanghai.aliyuncs.com\""));

    // The proxy adds a charset to the content type.
    let mut request = prepare(&list, &creds, &stamp(), &env.profile);
    request.headers.retain(|(n, _)| *n != "content-type");
    request.headers.push((
        "content-type",
        "application/x-www-form-urlencoded; charset=UTF-8".into(),
    ));
    let error = send(&request).await;
    match diagnosis(&error) {
        Some(SignatureDiagnosis::HeaderChanged { name, .. }) => assert_eq!(name, "content-type"),
        other => panic!("expected content-type to be named, got {other:?}"),
    }
    assert!(
        error.to_string().contains("signed header content-type"),
        "{error}"
    );

    // The proxy drops a signed header.
    let mut request = prepare(&list, &creds, &stamp(), &env.profile);
    request
        .headers
        .retain(|(n, _)| *n != "x-acs-signature-nonce");
    let error = send(&request).await;
    assert_eq!(error.code(), Some("IncompleteSignature"));
    match diagnosis(&error) {
        Some(SignatureDiagnosis::HeaderChanged { name, server, .. }) => {
            assert_eq!((name.as_str(), server), ("x-acs-signature-nonce", None));
        }
        other => panic!("expected the dropped header to be named, got {other:?}"),
    }
    assert!(
        error.to_string().contains("did not reach the cloud"),
        "{error}"
    );

    // A wrong secret: the canonical requests agree, only the key differs.
    let wrong = Credentials::new(ALIYUN.0, "not-the-secret");
    let request = prepare(&list, &wrong, &stamp(), &env.profile);
    let error = send(&request).await;
    assert_eq!(diagnosis(&error), Some(SignatureDiagnosis::WrongSecret));

    // Tencent reports no canonical request: the explanation names both causes.
    let request = prepare(
        &ListUsers,
        &Credentials::new(TENCENT.0, "not-the-key"),
        &stamp(),
        &env.profile,
    );
    let (status, body) = env.send_raw(&request).await;
    let error = sag_api::decode::<ListUsers>(&request, status, &body).unwrap_err();
    assert_eq!(error.code(), Some("AuthFailure.SignatureFailure"));
    assert_eq!(diagnosis(&error), Some(SignatureDiagnosis::Undetermined));
}

#[tokio::test]
async fn tc3_integers_must_be_json_numbers() {
    let env = v3_env().await;
    let add = AddUser {
        name: "typed".into(),
        console_login: true,
        password: Some(Secret::new("Passw0rd!x")),
        ..AddUser::default()
    };
    let mut request = prepare(&add, &env.tencent, &stamp(), &env.profile);
    let body = request.body.clone().unwrap();
    assert!(body.contains("\"ConsoleLogin\":1"), "{body}");
    // The same request with the Integer as a string, signed again.
    let stringly = body.replace("\"ConsoleLogin\":1", "\"ConsoleLogin\":\"1\"");
    let headers = [
        ("content-type".to_owned(), "application/json".to_owned()),
        ("host".to_owned(), env.profile.tencent_host.clone()),
    ]
    .into();
    let stamp_seconds: i64 = request.header("x-tc-timestamp").unwrap().parse().unwrap();
    let signed = sag_api::sign::v3::tc3(
        sag_api::Method::Post,
        "",
        &headers,
        &stringly,
        "cam",
        stamp_seconds,
        TENCENT.0,
        TENCENT.1,
    );
    request.body = Some(stringly);
    for (name, value) in &mut request.headers {
        if *name == "authorization" {
            *value = signed.authorization.clone();
        }
    }
    let (status, text) = env.send_raw(&request).await;
    let error = sag_api::decode::<AddUser>(&request, status, &text).unwrap_err();
    assert_eq!(error.code(), Some("InvalidParameter"), "{error:?}");
    assert!(error.service().unwrap().message.contains("ConsoleLogin"));
}

#[tokio::test]
async fn a_captured_tc3_request_cannot_be_replayed_as_another_action() {
    let env = v3_env().await;
    env.call(&AddUser {
        name: "replay01".into(),
        ..AddUser::default()
    })
    .await
    .unwrap();
    // A GetUser as the console signs it (x-tc-action under the signature),
    // captured and sent again with the action swapped for DeleteUser.
    let read = GetUser {
        name: "replay01".into(),
    };
    let mut request = prepare(&read, &env.tencent, &stamp(), &env.profile);
    assert!(request
        .header("authorization")
        .unwrap()
        .contains("SignedHeaders=content-type;host;x-tc-action,"));
    for (name, value) in &mut request.headers {
        if *name == "x-tc-action" {
            *value = "DeleteUser".into();
        }
    }
    let (status, body) = env.send_raw(&request).await;
    let error = sag_api::decode::<DeleteUser>(&request, status, &body).unwrap_err();
    assert_eq!(
        error.code(),
        Some("AuthFailure.SignatureFailure"),
        "{error:?}"
    );
    // replay01 (no API keys: a DeleteUser would have removed it) is still
    // there, and the genuine request still works.
    let got = env.call(&read).await.unwrap();
    assert_eq!(got.name, "replay01");
}
