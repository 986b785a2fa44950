//! Signature verification as the vendors do it, with their error codes.

use sag_api::cam::ListUsers;
use sag_api::request::{prepare, Credentials};
use sag_api::smartag::DescribeClientUsers;
use sag_api::{ErrorKind, SignatureDiagnosis};

use crate::support::{code, now, stamp, stamp_at, Env, STS};

fn list() -> DescribeClientUsers {
    DescribeClientUsers::page("cn-shanghai", "sag-app-hq01", 1, 5)
}

#[tokio::test]
async fn unknown_access_key_is_not_found() {
    let env = Env::start().await;
    let e = env
        .call_with(
            &list(),
            &Credentials::new("LTAInobody", "x"),
            &stamp(),
            &env.profile,
        )
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.http_status()),
        (Some("InvalidAccessKeyId.NotFound"), Some(404))
    );
}

#[tokio::test]
async fn wrong_secret_is_diagnosed_as_a_wrong_secret() {
    let env = Env::start().await;
    let wrong = Credentials::new(crate::support::ALIYUN.0, "not-the-secret");
    let e = env
        .call_with(&list(), &wrong, &stamp(), &env.profile)
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.http_status()),
        (Some("SignatureDoesNotMatch"), Some(400))
    );
    assert_eq!(
        e.service().unwrap().signature_diagnosis(),
        Some(SignatureDiagnosis::WrongSecret)
    );
}

#[tokio::test]
async fn a_request_altered_after_signing_is_diagnosed_as_an_encoding_problem() {
    let env = Env::start().await;
    let mut request = prepare(&list(), &env.aliyun, &stamp(), &env.profile);
    // A proxy that rewrites the body: PageSize 5 becomes 6.
    request.body = request.body.map(|b| b.replace("PageSize=5", "PageSize=6"));
    let (status, body) = env.send_raw(&request).await;
    let e = sag_api::decode::<DescribeClientUsers>(&request, status, &body).unwrap_err();
    assert_eq!(e.code(), Some("SignatureDoesNotMatch"));
    match e.service().unwrap().signature_diagnosis() {
        Some(SignatureDiagnosis::EncodingMismatch { server, .. }) => {
            assert!(server.contains("PageSize%3D6"))
        }
        other => panic!("expected an encoding mismatch, got {other:?}"),
    }
}

#[tokio::test]
async fn stale_or_future_timestamps_are_clock_skew() {
    let env = Env::start().await;
    let stale = env
        .call_with(
            &list(),
            &env.aliyun,
            &stamp_at(now() - 16 * 60),
            &env.profile,
        )
        .await
        .unwrap_err();
    assert_eq!(stale.code(), Some("InvalidTimeStamp.Expired"));
    assert_eq!(stale.kind(), ErrorKind::ClockSkew);
    let future = env
        .call_with(
            &list(),
            &env.aliyun,
            &stamp_at(now() + 16 * 60),
            &env.profile,
        )
        .await
        .unwrap_err();
    assert_eq!(future.code(), Some("InvalidTimeStamp.Expired"));
    // 14 minutes off is still accepted.
    env.call_with(
        &list(),
        &env.aliyun,
        &stamp_at(now() - 14 * 60),
        &env.profile,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn a_reused_nonce_is_refused_but_a_fresh_stamp_passes() {
    let env = Env::start().await;
    let once = stamp();
    env.call_with(&list(), &env.aliyun, &once, &env.profile)
        .await
        .unwrap();
    assert_eq!(
        code(
            env.call_with(&list(), &env.aliyun, &once, &env.profile)
                .await
        ),
        "SignatureNonceUsed"
    );
    env.call_with(&list(), &env.aliyun, &stamp(), &env.profile)
        .await
        .unwrap();
}

#[tokio::test]
async fn missing_or_malformed_common_parameters_get_the_vendor_codes() {
    let env = Env::start().await;
    let request = prepare(&list(), &env.aliyun, &stamp(), &env.profile);
    let body = request.body.clone().unwrap();
    let strip = |key: &str| {
        body.split('&')
            .filter(|p| !p.starts_with(&format!("{key}=")))
            .collect::<Vec<_>>()
            .join("&")
    };
    for (key, expected) in [
        ("AccessKeyId", "MissingAccessKeyId"),
        ("Signature", "IncompleteSignature"),
        ("SignatureNonce", "MissingSignatureNonce"),
        ("Timestamp", "MissingTimestamp"),
        ("SignatureMethod", "MissingSignatureMethod"),
        ("Version", "MissingVersion"),
    ] {
        let mut broken = request.clone();
        broken.body = Some(strip(key));
        let (status, text) = env.send_raw(&broken).await;
        let e = sag_api::decode::<DescribeClientUsers>(&broken, status, &text).unwrap_err();
        assert_eq!(e.code(), Some(expected), "without {key}");
        assert_eq!(e.http_status(), Some(400));
    }
    let mut bad_time = request.clone();
    bad_time.body = Some(body.replace("Timestamp=", "Timestamp=yesterday"));
    let (status, text) = env.send_raw(&bad_time).await;
    assert_eq!(
        sag_api::decode::<DescribeClientUsers>(&bad_time, status, &text)
            .unwrap_err()
            .code(),
        Some("InvalidTimeStamp.Format")
    );
}

#[tokio::test]
async fn temporary_credentials_need_their_security_token() {
    let env = Env::start().await;
    let temp = Credentials::new(STS.0, STS.1);
    assert_eq!(
        code(env.call_with(&list(), &temp, &stamp(), &env.profile).await),
        "MissingSecurityToken"
    );
    let wrong = temp.clone().with_security_token("other-token");
    assert_eq!(
        code(env.call_with(&list(), &wrong, &stamp(), &env.profile).await),
        "InvalidSecurityToken.MismatchWithAccessKey"
    );
    let right = temp.with_security_token(STS.2);
    env.call_with(&list(), &right, &stamp(), &env.profile)
        .await
        .unwrap();
}

#[tokio::test]
async fn tencent_signatures_hosts_timestamps_and_tokens() {
    let env = Env::start().await;
    env.call(&ListUsers).await.unwrap();
    let unknown = Credentials::new("AKIDnobody", "x");
    let e = env
        .call_with(&ListUsers, &unknown, &stamp(), &env.profile)
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.http_status()),
        (Some("AuthFailure.SecretIdNotFound"), Some(200))
    );
    let wrong = Credentials::new(crate::support::TENCENT.0, "wrong");
    assert_eq!(
        code(
            env.call_with(&ListUsers, &wrong, &stamp(), &env.profile)
                .await
        ),
        "AuthFailure.SignatureFailure"
    );
    // Signing for another host than the one the emulator stands in for fails.
    let intl = sag_api::request::Profile {
        tencent_host: sag_api::cam::INTL_HOST.into(),
        ..env.profile.clone()
    };
    assert_eq!(
        code(
            env.call_with(&ListUsers, &env.tencent, &stamp(), &intl)
                .await
        ),
        "AuthFailure.SignatureFailure"
    );
    let stale = env
        .call_with(
            &ListUsers,
            &env.tencent,
            &stamp_at(now() - 6 * 60),
            &env.profile,
        )
        .await
        .unwrap_err();
    assert_eq!(
        (stale.code(), stale.kind()),
        (Some("AuthFailure.SignatureExpire"), ErrorKind::ClockSkew)
    );
    let once = stamp();
    env.call_with(&ListUsers, &env.tencent, &once, &env.profile)
        .await
        .unwrap();
    assert_eq!(
        code(
            env.call_with(&ListUsers, &env.tencent, &once, &env.profile)
                .await
        ),
        "AuthFailure.SignatureFailure"
    );
    let temp = Credentials::new(STS.0, STS.1);
    assert_eq!(
        code(
            env.call_with(&ListUsers, &temp, &stamp(), &env.profile)
                .await
        ),
        "AuthFailure.TokenFailure"
    );
    env.call_with(
        &ListUsers,
        &temp.with_security_token(STS.2),
        &stamp(),
        &env.profile,
    )
    .await
    .unwrap();
    // GET works as well as POST.
    let get = sag_api::request::Profile {
        tencent_method: sag_api::Method::Get,
        ..env.profile.clone()
    };
    env.call_with(&ListUsers, &env.tencent, &stamp(), &get)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_emulator_verifies_against_its_configured_tencent_host() {
    let config = cloud_emulator::Config {
        tencent_host: sag_api::cam::INTL_HOST.into(),
        ..crate::support::config()
    };
    let env = Env::with(config).await;
    assert_eq!(
        code(env.call(&ListUsers).await),
        "AuthFailure.SignatureFailure"
    );
    let intl = sag_api::request::Profile {
        tencent_host: sag_api::cam::INTL_HOST.into(),
        ..env.profile.clone()
    };
    env.call_with(&ListUsers, &env.tencent, &stamp(), &intl)
        .await
        .unwrap();
}
