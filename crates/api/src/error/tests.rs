//! One test per failure shape: both vendors' error JSON, proxy pages,
//! truncated bodies, transport failures, timeouts, signature diagnosis,
//! clock skew and throttling.

use super::*;
use crate::cam::ListUsers;
use crate::decode::decode;
use crate::request::{prepare, Credentials, HttpRequest, Profile, RequestStamp};
use crate::smartag::{CreateClientUser, DescribeClientUsers};

fn aliyun_request() -> HttpRequest {
    prepare(
        &DescribeClientUsers::page("cn-shanghai", "sag-1", 1, 100),
        &Credentials::new("AKID", "secret"),
        &RequestStamp::new(1_714_552_200, [1; 16]),
        &Profile::default(),
    )
}

fn tencent_request() -> HttpRequest {
    prepare(
        &ListUsers,
        &Credentials::new("AKID", "secret"),
        &RequestStamp::new(1_700_000_000, [1; 16]),
        &Profile::default(),
    )
}

fn aliyun_error(status: u16, body: &str) -> ApiError {
    decode::<DescribeClientUsers>(&aliyun_request(), status, body).unwrap_err()
}

fn tencent_error(status: u16, body: &str) -> ApiError {
    decode::<ListUsers>(&tencent_request(), status, body).unwrap_err()
}

#[test]
fn aliyun_error_json_keeps_code_message_request_id_status_and_host() {
    let e = aliyun_error(
        404,
        r#"{"RequestId":"1DD9FD9A-8E57","HostId":"smartag.cn-shanghai.aliyuncs.com","Code":"SAG.InstanceNoFound","Message":"The specified instance does not exist.","Recommend":"https://api.aliyun.com/troubleshoot?q=SAG.InstanceNoFound"}"#,
    );
    assert_eq!(e.code(), Some("SAG.InstanceNoFound"));
    assert_eq!(e.request_id(), Some("1DD9FD9A-8E57"));
    assert_eq!(e.http_status(), Some(404));
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.field(), Some(Field::Instance));
    assert_eq!(
        e.to_string(),
        "Alibaba Cloud refused the request (SAG.InstanceNoFound): The specified instance does not exist."
    );
    let details = e.support_details();
    assert!(details.contains("RequestId: 1DD9FD9A-8E57"));
    assert!(details.contains("HostId: smartag.cn-shanghai.aliyuncs.com"));
    assert!(details.contains("Message: The specified instance does not exist."));
}

#[test]
fn tencent_error_json_with_http_200_is_an_error() {
    let e = tencent_error(
        200,
        r#"{"Response":{"Error":{"Code":"InvalidParameter.SubUserNameInUse","Message":"name in use"},"RequestId":"ed93f3cb"}}"#,
    );
    assert_eq!(e.code(), Some("InvalidParameter.SubUserNameInUse"));
    assert_eq!(e.request_id(), Some("ed93f3cb"));
    assert_eq!(e.kind(), ErrorKind::AlreadyExists);
    assert_eq!(e.field(), Some(Field::CamName));
    assert!(!e.is_retryable());
}

#[test]
fn every_documented_create_error_lands_on_its_field() {
    let cases = [
        ("ClientUser.UserExist", Some(Field::UserName)),
        ("ClientUser.NameInvalid", Some(Field::UserName)),
        ("ClientUser.NameEmpty", Some(Field::UserName)),
        ("ClientUser.IpInvalid", Some(Field::ClientIp)),
        ("ClientUser.InvalidClientIp", Some(Field::ClientIp)),
        ("ClientUser.IpEmpty", Some(Field::ClientIp)),
        ("SAG.CidrEmpty", Some(Field::ClientIp)),
        ("ClientUser.EmailInvalid", Some(Field::Email)),
        ("ClientUser.EmailEmpty", Some(Field::Email)),
        ("ClientUser.BandwidthInvalid", Some(Field::Bandwidth)),
        ("ClientUser.UserOverLimit", None),
    ];
    for (code, field) in cases {
        let body = format!(r#"{{"RequestId":"R","Code":"{code}","Message":"m"}}"#);
        let e = decode::<CreateClientUser>(&aliyun_request(), 400, &body).unwrap_err();
        assert_eq!(e.field(), field, "{code}");
    }
}

#[test]
fn every_tabled_code_is_found_and_has_a_specific_kind() {
    // Its words are the console's (locale files), checked there for every
    // code `documented_codes` lists.
    for info in CODES {
        assert_eq!(
            lookup(info.vendor, info.code).map(|c| c.code),
            Some(info.code),
            "{} is found",
            info.code
        );
    }
}

#[test]
fn unknown_codes_are_classified_by_prefix() {
    let e = aliyun_error(
        400,
        r#"{"Code":"Throttling.Whatever","Message":"slow down","RequestId":"R"}"#,
    );
    assert_eq!(e.kind(), ErrorKind::Throttled);
    assert!(e.is_retryable());
    let e = aliyun_error(
        503,
        r#"{"Code":"Something.New","Message":"m","RequestId":"R"}"#,
    );
    assert_eq!(e.kind(), ErrorKind::ServiceFault);
    assert!(e.is_ambiguous());
    let e = tencent_error(
        200,
        r#"{"Response":{"Error":{"Code":"ResourceNotFound.Other","Message":"m"},"RequestId":"R"}}"#,
    );
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(
        e.to_string(),
        "Tencent Cloud refused the request (ResourceNotFound.Other): m"
    );
}

#[test]
fn html_error_page_from_a_proxy_is_named_with_its_title() {
    let e = aliyun_error(
        502,
        "<html>\n<head><title>502 Bad\n Gateway</title></head><body><center>nginx</center></body></html>",
    );
    assert_eq!(
        e,
        ApiError::Proxy {
            status: 502,
            title: Some("502 Bad Gateway".into())
        }
    );
    assert_eq!(e.kind(), ErrorKind::ProxyPage);
    assert!(e.to_string().contains("HTTP 502"));
    assert!(e.to_string().contains("502 Bad Gateway"));
    assert!(e.is_retryable());
    // Even with status 200 (a captive portal), HTML is not the vendor.
    assert_eq!(
        aliyun_error(200, "<!doctype html><p>login</p>"),
        ApiError::Proxy {
            status: 200,
            title: None
        }
    );
}

#[test]
fn non_vendor_json_with_an_error_status_is_a_proxy_answer() {
    assert_eq!(
        aliyun_error(502, r#"{"error":"upstream connect error"}"#),
        ApiError::Proxy {
            status: 502,
            title: None
        }
    );
    assert_eq!(
        tencent_error(503, r#"{"message":"no healthy upstream"}"#),
        ApiError::Proxy {
            status: 503,
            title: None
        }
    );
    assert_eq!(
        aliyun_error(504, ""),
        ApiError::Proxy {
            status: 504,
            title: None
        }
    );
}

#[test]
fn truncated_or_empty_bodies_are_malformed() {
    let e = aliyun_error(200, r#"{"TotalCount":3,"Users":{"User":[{"UserName":"a""#);
    match &e {
        ApiError::Malformed {
            status: 200,
            detail,
        } => assert!(detail.contains("truncated"), "{detail}"),
        other => panic!("expected Malformed, got {other:?}"),
    }
    assert!(e.is_ambiguous());
    assert!(matches!(aliyun_error(200, ""), ApiError::Malformed { .. }));
    assert!(matches!(
        aliyun_error(200, "garbage"),
        ApiError::Malformed { .. }
    ));
    assert!(matches!(
        tencent_error(200, r#"{"NoResponse":{}}"#),
        ApiError::Malformed { .. }
    ));
    let wrong_shape = aliyun_error(200, r#"{"RequestId":"R","TotalCount":"many"}"#);
    assert!(
        matches!(wrong_shape, ApiError::Malformed { ref detail, .. } if detail.contains("DescribeSmartAccessGatewayClientUsers"))
    );
}

#[test]
fn transport_failure_and_timeout_have_plain_messages() {
    let e = ApiError::Transport {
        detail: "TypeError: Failed to fetch".into(),
    };
    assert_eq!(e.kind(), ErrorKind::Unreachable);
    assert!(e.to_string().starts_with("Cannot reach the proxy"));
    assert!(e.is_retryable());
    assert!(!e.is_ambiguous());
    let t = ApiError::Timeout { after_ms: 15_000 };
    assert_eq!(t.kind(), ErrorKind::Timeout);
    assert_eq!(t.to_string(), "No answer within 15 s.");
    assert!(t.is_ambiguous());
}

#[test]
fn tencent_internal_error_is_ambiguous_although_it_comes_with_http_200() {
    let e = tencent_error(
        200,
        r#"{"Response":{"Error":{"Code":"InternalError","Message":"m"},"RequestId":"R"}}"#,
    );
    assert_eq!(e.kind(), ErrorKind::ServiceFault);
    assert!(e.is_ambiguous(), "AddUser may have run");
    assert!(e.is_retryable(), "a read may be sent again");
    let refused = tencent_error(
        200,
        r#"{"Response":{"Error":{"Code":"InvalidParameter.SubUserNameInUse","Message":"m"},"RequestId":"R"}}"#,
    );
    assert!(!refused.is_ambiguous());
    let aliyun_400 = aliyun_error(
        400,
        r#"{"RequestId":"R","Code":"InternalError","Message":"m"}"#,
    );
    assert!(!aliyun_400.is_ambiguous(), "Alibaba's 4xx means refused");
}

#[test]
fn signature_mismatch_with_the_same_string_to_sign_means_a_wrong_secret() {
    let request = aliyun_request();
    let body = serde_json::json!({
        "RequestId": "R1",
        "HostId": "smartag.cn-shanghai.aliyuncs.com",
        "Code": "SignatureDoesNotMatch",
        "Message": format!("Specified signature is not matched with our calculation. server string to sign is:{}", request.string_to_sign),
    })
    .to_string();
    let e = decode::<DescribeClientUsers>(&request, 400, &body).unwrap_err();
    let service = e.service().unwrap();
    assert_eq!(
        service.server_string_to_sign(),
        Some(request.string_to_sign.as_str())
    );
    assert_eq!(
        service.signature_diagnosis(),
        Some(SignatureDiagnosis::WrongSecret)
    );
    assert!(e.to_string().starts_with("The AccessKey secret is wrong"));
    assert_eq!(e.field(), Some(Field::AccessKeySecret));
    assert!(!e.is_retryable());
}

#[test]
fn signature_mismatch_with_another_string_to_sign_means_an_encoding_problem() {
    let request = aliyun_request();
    let theirs = request.string_to_sign.replace("%2520", "%252B");
    let theirs = if theirs == request.string_to_sign {
        format!("{theirs}X")
    } else {
        theirs
    };
    let body = format!(
        r#"{{"RequestId":"R","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:{theirs}"}}"#
    );
    let e = decode::<DescribeClientUsers>(&request, 400, &body).unwrap_err();
    match e.service().unwrap().signature_diagnosis() {
        Some(SignatureDiagnosis::EncodingMismatch {
            position, server, ..
        }) => {
            assert_eq!(server, theirs);
            assert!(position > 0);
        }
        other => panic!("expected EncodingMismatch, got {other:?}"),
    }
    assert!(e.to_string().contains("differently encoded"));
}

#[test]
fn tencent_signature_failure_cannot_be_told_apart_and_says_so() {
    let e = tencent_error(
        200,
        r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"The provided credentials could not be validated."},"RequestId":"R"}}"#,
    );
    assert_eq!(
        e.service().unwrap().signature_diagnosis(),
        Some(SignatureDiagnosis::Undetermined)
    );
    assert!(e.to_string().contains("different host"));
}

#[test]
fn expired_timestamps_are_clock_skew_for_both_vendors() {
    let a = aliyun_error(
        400,
        r#"{"RequestId":"R","Code":"InvalidTimeStamp.Expired","Message":"Specified time stamp or date value is expired."}"#,
    );
    assert_eq!(a.kind(), ErrorKind::ClockSkew);
    assert!(a.to_string().contains("InvalidTimeStamp.Expired"));
    assert!(!a.is_retryable());
    let t = tencent_error(
        200,
        r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"expired"},"RequestId":"R"}}"#,
    );
    assert_eq!(t.kind(), ErrorKind::ClockSkew);
}

#[test]
fn throttling_codes_are_retryable_for_both_vendors() {
    for code in ["Throttling", "Throttling.User", "Throttling.Api"] {
        let e = aliyun_error(
            400,
            &format!(r#"{{"RequestId":"R","Code":"{code}","Message":"m"}}"#),
        );
        assert_eq!(e.kind(), ErrorKind::Throttled, "{code}");
        assert!(e.is_retryable(), "{code}");
        assert!(!e.is_ambiguous(), "{code}");
    }
    for code in ["RequestLimitExceeded", "RequestLimitExceeded.CreateUser"] {
        let e = tencent_error(
            200,
            &format!(
                r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"m"}},"RequestId":"R"}}}}"#
            ),
        );
        assert_eq!(e.kind(), ErrorKind::Throttled, "{code}");
        assert!(e.is_retryable(), "{code}");
    }
}

#[test]
fn unknown_key_nonce_reuse_and_in_use_are_named() {
    let e = aliyun_error(
        404,
        r#"{"RequestId":"R","Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}"#,
    );
    assert_eq!(e.kind(), ErrorKind::UnknownAccessKey);
    assert_eq!(e.field(), Some(Field::AccessKeyId));
    let e = aliyun_error(
        400,
        r#"{"RequestId":"R","Code":"SignatureNonceUsed","Message":"m"}"#,
    );
    assert_eq!(e.kind(), ErrorKind::NonceReused);
    let e = aliyun_error(
        400,
        r#"{"RequestId":"R","Code":"ClientUser.UserInUsing","Message":"m"}"#,
    );
    assert_eq!(e.kind(), ErrorKind::InUse);
    assert_eq!(
        e.to_string(),
        "Alibaba Cloud refused the request (ClientUser.UserInUsing): m",
        "a plain technical line; the admin's words are the console's"
    );
    let e = tencent_error(
        200,
        r#"{"Response":{"Error":{"Code":"OperationDenied.HaveKeys","Message":"m"},"RequestId":"R"}}"#,
    );
    assert_eq!(e.kind(), ErrorKind::HasApiKeys);
}

#[test]
fn lower_case_aliyun_error_keys_are_read_too() {
    let e = aliyun_error(
        403,
        r#"{"requestId":"r1","code":"Forbidden.RAM","message":"denied"}"#,
    );
    assert_eq!(e.code(), Some("Forbidden.RAM"));
    assert_eq!(e.request_id(), Some("r1"));
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
}

#[test]
fn support_details_never_contain_the_secret() {
    let request = prepare(
        &DescribeClientUsers::page("cn-shanghai", "sag-1", 1, 10),
        &Credentials::new("AKID", "TopSecretValue123").with_security_token("TokenValue456"),
        &RequestStamp::new(1_714_552_200, [1; 16]),
        &Profile::default(),
    );
    let body = format!(
        r#"{{"RequestId":"R","Code":"SignatureDoesNotMatch","Message":"server string to sign is:{}"}}"#,
        request.string_to_sign
    );
    let e = decode::<DescribeClientUsers>(&request, 400, &body).unwrap_err();
    let shown = format!("{e}\n{}\n{e:?}", e.support_details());
    assert!(!shown.contains("TopSecretValue123"));
    assert!(!shown.contains("TokenValue456"), "{shown}");
    // The comparison still works on the redacted strings.
    assert_eq!(
        e.service().unwrap().signature_diagnosis(),
        Some(SignatureDiagnosis::WrongSecret)
    );
}

#[test]
fn flags_decode_from_booleans_numbers_and_strings() {
    let body = r#"{"TotalCount":3,"PageSize":100,"PageNumber":1,"RequestId":"R","Users":{"User":[
        {"UserName":"a","UserMail":"a@example.com","Bandwidth":512,"State":true,"IsStaticIp":true},
        {"UserName":"b","UserMail":"b@example.com","Bandwidth":512,"State":"false","IsStaticIp":"1"},
        {"UserName":"c","UserMail":"c@example.com","Bandwidth":512,"State":1,"IsStaticIp":false}]}}"#;
    let page = decode::<DescribeClientUsers>(&aliyun_request(), 200, body).unwrap();
    let states: Vec<_> = page
        .users
        .iter()
        .map(|u| (u.state, u.is_static_ip))
        .collect();
    use crate::smartag::UserState::{Disabled, Enabled};
    assert_eq!(
        states,
        [(Disabled, true), (Enabled, true), (Disabled, false)]
    );
}

#[test]
fn a_field_that_cannot_be_decoded_is_named() {
    let body = r#"{"TotalCount":2,"PageSize":100,"PageNumber":1,"RequestId":"R","Users":{"User":[
        {"UserName":"a","UserMail":"a@example.com","Bandwidth":512,"State":0,"IsStaticIp":0},
        {"UserName":"b","UserMail":"b@example.com","Bandwidth":512,"State":0,"IsStaticIp":"maybe"}]}}"#;
    let e = decode::<DescribeClientUsers>(&aliyun_request(), 200, body).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("IsStaticIp"), "{text}");
    assert!(text.contains("\"maybe\""), "{text}");
    assert!(
        text.contains("[1]: IsStaticIp: "),
        "the second user: {text}"
    );
}

#[test]
fn a_new_users_password_in_the_servers_string_to_sign_is_masked() {
    let create = CreateClientUser {
        region_id: "cn-shanghai".into(),
        smart_ag_id: "sag-1".into(),
        user_mail: "new@example.com".into(),
        bandwidth_kbps: 2000,
        credentials: Some((
            "new.user01".into(),
            crate::secret::Secret::new("Secr3t_pass"),
        )),
        client_ip: None,
    };
    let request = prepare(
        &create,
        &Credentials::new("AKID", "TopSecretValue123"),
        &RequestStamp::new(1_714_552_200, [1; 16]),
        &Profile::default(),
    );
    assert!(
        request.string_to_sign.contains("Secr3t_pass"),
        "the test is meaningful"
    );
    let body = format!(
        r#"{{"RequestId":"R","Code":"SignatureDoesNotMatch","Message":"The request signature does not conform to Aliyun standards. server string to sign is:{}"}}"#,
        request.string_to_sign
    );
    let e = decode::<CreateClientUser>(&request, 400, &body).unwrap_err();
    let shown = format!("{e}\n{}\n{e:?}", e.support_details());
    assert!(!shown.contains("Secr3t_pass"), "{shown}");
    assert!(
        shown.contains("Password%3D***"),
        "the parameter is still named: {shown}"
    );
    assert_eq!(
        e.service().unwrap().signature_diagnosis(),
        Some(SignatureDiagnosis::WrongSecret)
    );
}

#[test]
fn masking_names_only_whole_parameters() {
    let text = "POST&%2F&OldPassword%3Dkeep%26Password%3Dhide%26SecurityToken%3Dtok";
    assert_eq!(
        redact_string_to_sign(text),
        "POST&%2F&OldPassword%3Dkeep%26Password%3D***%26SecurityToken%3D***"
    );
    assert_eq!(redact_string_to_sign("Password=a&b=c"), "Password=***&b=c");
}

/// An ACS3 request with temporary keys, and the emulator-shaped refusal
/// that reports the server's canonical request (`server_host` as received).
fn acs3_refusal(server_canonical: impl Fn(&str) -> String) -> (HttpRequest, ApiError) {
    let request = prepare(
        &DescribeClientUsers::page("cn-shanghai", "sag-1", 1, 100),
        &Credentials::new("STS.key", "secret").with_security_token("sts-token-value"),
        &RequestStamp::new(1_714_552_200, [1; 16]),
        &Profile {
            aliyun_scheme: crate::Scheme::V3,
            ..Profile::default()
        },
    );
    let ours = request.canonical_request.clone().unwrap();
    let body = serde_json::json!({
        "Code": "SignatureDoesNotMatch",
        "Message": format!(
            "Specified signature is not matched with our calculation. server string to sign is:ACS3-HMAC-SHA256\nabc canonical request is:{}",
            server_canonical(&ours)
        ),
        "RequestId": "R-1",
    })
    .to_string();
    let error = decode::<DescribeClientUsers>(&request, 400, &body).unwrap_err();
    (request, error)
}

#[test]
fn a_v3_refusal_names_the_signed_header_that_changed_and_masks_the_token() {
    let (request, same) = acs3_refusal(|ours| ours.to_owned());
    assert!(request
        .canonical_request
        .as_deref()
        .unwrap()
        .contains("x-acs-security-token:sts-token-value"));
    assert_eq!(
        same.service().unwrap().signature_diagnosis(),
        Some(SignatureDiagnosis::WrongSecret)
    );
    let (_, host) = acs3_refusal(|ours| {
        ours.replace(
            "host:smartag.cn-shanghai.aliyuncs.com",
            "host:127.0.0.1:8080",
        )
    });
    assert_eq!(
        host.service().unwrap().signature_diagnosis(),
        Some(SignatureDiagnosis::HeaderChanged {
            name: "host".into(),
            ours: "smartag.cn-shanghai.aliyuncs.com".into(),
            server: Some("127.0.0.1:8080".into()),
        })
    );
    assert!(host.to_string().contains("different Host"), "{host}");
    let (_, dropped) = acs3_refusal(|ours| {
        ours.lines()
            .filter(|l| !l.starts_with("x-acs-date:"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    assert!(matches!(
        dropped.service().unwrap().signature_diagnosis(),
        Some(SignatureDiagnosis::HeaderChanged { name, server: None, .. }) if name == "x-acs-date"
    ));
    // A difference outside the headers (the payload hash) is an encoding problem.
    let (_, payload) = acs3_refusal(|ours| {
        let (head, _) = ours.rsplit_once('\n').unwrap();
        format!("{head}\n{}", crate::sign::v3::EMPTY_SHA256)
    });
    assert!(matches!(
        payload.service().unwrap().signature_diagnosis(),
        Some(SignatureDiagnosis::EncodingMismatch { .. })
    ));
    // Neither the error, its details nor the kept canonical request carry the token.
    for e in [&same, &host, &dropped, &payload] {
        let service = e.service().unwrap();
        for text in [
            e.to_string(),
            e.support_details(),
            service.message.clone(),
            service.our_canonical_request.clone().unwrap(),
        ] {
            assert!(!text.contains("sts-token-value"), "{text}");
        }
    }
}

#[test]
fn a_missing_signed_header_is_read_from_either_wording() {
    for (message, name) in [
        ("The request signature does not conform to Aliyun standards. The x-acs-date header is missing.", "x-acs-date"),
        ("The signed header content-type was not received.", "content-type"),
    ] {
        let e = ServiceError {
            vendor: Vendor::Aliyun,
            code: "IncompleteSignature".into(),
            message: message.into(),
            request_id: None,
            http_status: 400,
            host_id: None,
            our_string_to_sign: None,
            our_canonical_request: None,
        };
        assert_eq!(e.missing_signed_header(), Some(name));
    }
}
