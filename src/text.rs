//! Words built from data, in the chosen language: validation problems
//! (the api crate reports the facts, `locales/*.json` has the words),
//! durations and counts. Plain functions of a [`Locale`], tested natively.

use sag_api::validate::{EmailUse, Gap, Named, Problem};
use sag_api::{ApiError, ErrorKind, SignatureDiagnosis, Vendor};

use crate::i18n::{td_string, Locale};
use crate::plumbing::client::ClockSkew;
use crate::plumbing::CallError;

/// A cloud's name: "Alibaba Cloud" / "阿里云".
pub fn cloud(l: Locale, vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::Aliyun => td_string!(l, shell.alibaba_cloud),
        Vendor::Tencent => td_string!(l, shell.tencent_cloud),
    }
}

/// The headline of a failure, in every language from the locale files
/// (the api crate classifies; it does not word): the signature diagnosis,
/// the clock, the transport failures, every documented vendor code
/// (`codes.*`), and an undocumented code by its category (the vendor's own
/// message is shown beside it, see `ErrorPanel`).
pub fn call_error(l: Locale, e: &CallError) -> String {
    if let Some(skew) = e.clock_skew() {
        return match skew {
            ClockSkew::BehindBy(minutes) => td_string!(l, error.clock_behind, minutes).to_string(),
            ClockSkew::AheadBy(minutes) => td_string!(l, error.clock_ahead, minutes).to_string(),
            ClockSkew::Differs => td_string!(l, error.clock_differs).to_owned(),
        };
    }
    api_error(l, &e.error)
}

/// "<the failure> Retrying in 2 s (attempt 2 of 4)."
pub fn retry(l: Locale, n: &crate::plumbing::RetryNotice) -> String {
    let mut text = call_error(l, &n.error);
    let (seconds, attempt, of) = (n.delay_ms.div_ceil(1000), n.attempt + 1, n.max_attempts);
    text.push_str(&td_string!(l, error.retrying, seconds, attempt, of).to_string());
    text
}

/// `"<words> (<code>)"`, for a row or a summary line.
pub fn with_code(l: Locale, e: &CallError) -> String {
    let words = call_error(l, e);
    match e.error.code() {
        Some(code) => td_string!(l, create.server_error, message = words, code).to_string(),
        None => words,
    }
}

/// Why a change did not happen (or may not have), for a row or a summary:
/// `None` when it did.
pub fn mutation_reason<T>(l: Locale, outcome: &crate::plumbing::Mutation<T>) -> Option<String> {
    use crate::plumbing::Mutation;
    match outcome {
        Mutation::Done(_) | Mutation::Confirmed(_) => None,
        Mutation::Failed { error, .. } => Some(with_code(l, error)),
        Mutation::Unknown { error, .. } => {
            Some(td_string!(l, users.unknown_outcome, error = with_code(l, error)).to_string())
        }
    }
}

/// The summary of a documented vendor code, in the chosen language (the
/// api crate's table, `sag_api::error`, has the English; `locales/*.json`
/// both, under `codes`).
pub fn code_summary(l: Locale, vendor: Vendor, code: &str) -> Option<&'static str> {
    Some(match (vendor, code) {
        (Vendor::Aliyun, "SignatureDoesNotMatch") => td_string!(l, codes.a_signaturedoesnotmatch),
        (Vendor::Aliyun, "IncompleteSignature") => td_string!(l, codes.a_incompletesignature),
        (Vendor::Aliyun, "InvalidTimeStamp.Expired") => {
            td_string!(l, codes.a_invalidtimestamp_expired)
        }
        (Vendor::Aliyun, "InvalidTimeStamp.Format") => {
            td_string!(l, codes.a_invalidtimestamp_format)
        }
        (Vendor::Aliyun, "SignatureNonceUsed") => td_string!(l, codes.a_signaturenonceused),
        (Vendor::Aliyun, "InvalidAccessKeyId.NotFound") => {
            td_string!(l, codes.a_invalidaccesskeyid_notfound)
        }
        (Vendor::Aliyun, "InvalidAccessKeyId.Inactive") => {
            td_string!(l, codes.a_invalidaccesskeyid_inactive)
        }
        (Vendor::Aliyun, "InvalidSecurityToken.Expired") => {
            td_string!(l, codes.a_invalidsecuritytoken_expired)
        }
        (Vendor::Aliyun, "InvalidSecurityToken.Malformed") => {
            td_string!(l, codes.a_invalidsecuritytoken_malformed)
        }
        (Vendor::Aliyun, "InvalidSecurityToken.MismatchWithAccessKey") => {
            td_string!(l, codes.a_invalidsecuritytoken_mismatchwithaccesskey)
        }
        (Vendor::Aliyun, "Throttling") => td_string!(l, codes.a_throttling),
        (Vendor::Aliyun, "Throttling.User") => td_string!(l, codes.a_throttling_user),
        (Vendor::Aliyun, "Throttling.Api") => td_string!(l, codes.a_throttling_api),
        (Vendor::Aliyun, "MissingParameter") => td_string!(l, codes.a_missingparameter),
        (Vendor::Aliyun, "InvalidApi.NotFound") => td_string!(l, codes.a_invalidapi_notfound),
        (Vendor::Aliyun, "InvalidAction.NotFound") => td_string!(l, codes.a_invalidaction_notfound),
        (Vendor::Aliyun, "Forbidden.RAM") => td_string!(l, codes.a_forbidden_ram),
        (Vendor::Aliyun, "InternalError") => td_string!(l, codes.a_internalerror),
        (Vendor::Aliyun, "ServiceUnavailable") => td_string!(l, codes.a_serviceunavailable),
        (Vendor::Aliyun, "UnknownError") => td_string!(l, codes.a_unknownerror),
        (Vendor::Aliyun, "SAG.InstanceIdEmpty") => td_string!(l, codes.a_sag_instanceidempty),
        (Vendor::Aliyun, "SAG.InstanceNoFound") => td_string!(l, codes.a_sag_instancenofound),
        (Vendor::Aliyun, "InvalidId.SMARTAG") => td_string!(l, codes.a_invalidid_smartag),
        (Vendor::Aliyun, "SAG.CidrEmpty") => td_string!(l, codes.a_sag_cidrempty),
        (Vendor::Aliyun, "ClientUser.NameEmpty") => td_string!(l, codes.a_clientuser_nameempty),
        (Vendor::Aliyun, "ClientUser.NameInvalid") => td_string!(l, codes.a_clientuser_nameinvalid),
        (Vendor::Aliyun, "ParameterSagClientId") => td_string!(l, codes.a_parametersagclientid),
        (Vendor::Aliyun, "ClientUser.UserExist") => td_string!(l, codes.a_clientuser_userexist),
        (Vendor::Aliyun, "ClientUser.UserOverLimit") => {
            td_string!(l, codes.a_clientuser_useroverlimit)
        }
        (Vendor::Aliyun, "ClientUser.BandwidthInvalid") => {
            td_string!(l, codes.a_clientuser_bandwidthinvalid)
        }
        (Vendor::Aliyun, "ClientUser.EmailEmpty") => td_string!(l, codes.a_clientuser_emailempty),
        (Vendor::Aliyun, "ClientUser.EmailInvalid") => {
            td_string!(l, codes.a_clientuser_emailinvalid)
        }
        (Vendor::Aliyun, "ClientUser.InvalidClientIp") => {
            td_string!(l, codes.a_clientuser_invalidclientip)
        }
        (Vendor::Aliyun, "ClientUser.IpEmpty") => td_string!(l, codes.a_clientuser_ipempty),
        (Vendor::Aliyun, "ClientUser.IpInvalid") => td_string!(l, codes.a_clientuser_ipinvalid),
        (Vendor::Aliyun, "ClientUser.UserInUsing") => td_string!(l, codes.a_clientuser_userinusing),
        (Vendor::Aliyun, "ClientUser.PasswordInvalid") => {
            td_string!(l, codes.a_clientuser_passwordinvalid)
        }
        (Vendor::Aliyun, "ClientUser.UserNotExist") => {
            td_string!(l, codes.a_clientuser_usernotexist)
        }
        (Vendor::Tencent, "AuthFailure.SignatureFailure") => {
            td_string!(l, codes.t_authfailure_signaturefailure)
        }
        (Vendor::Tencent, "AuthFailure.SignatureExpire") => {
            td_string!(l, codes.t_authfailure_signatureexpire)
        }
        (Vendor::Tencent, "AuthFailure.SecretIdNotFound") => {
            td_string!(l, codes.t_authfailure_secretidnotfound)
        }
        (Vendor::Tencent, "AuthFailure.InvalidSecretId") => {
            td_string!(l, codes.t_authfailure_invalidsecretid)
        }
        (Vendor::Tencent, "AuthFailure.TokenFailure") => {
            td_string!(l, codes.t_authfailure_tokenfailure)
        }
        (Vendor::Tencent, "AuthFailure.UnauthorizedOperation") => {
            td_string!(l, codes.t_authfailure_unauthorizedoperation)
        }
        (Vendor::Tencent, "UnauthorizedOperation.DeleteApiKey") => {
            td_string!(l, codes.t_unauthorizedoperation_deleteapikey)
        }
        (Vendor::Tencent, "RequestLimitExceeded") => td_string!(l, codes.t_requestlimitexceeded),
        (Vendor::Tencent, "RequestLimitExceeded.CreateUser") => {
            td_string!(l, codes.t_requestlimitexceeded_createuser)
        }
        (Vendor::Tencent, "RequestLimitExceeded.UinLimitExceeded") => {
            td_string!(l, codes.t_requestlimitexceeded_uinlimitexceeded)
        }
        (Vendor::Tencent, "MissingParameter") => td_string!(l, codes.t_missingparameter),
        (Vendor::Tencent, "InvalidParameter") => td_string!(l, codes.t_invalidparameter),
        (Vendor::Tencent, "InvalidParameter.ParamError") => {
            td_string!(l, codes.t_invalidparameter_paramerror)
        }
        (Vendor::Tencent, "InvalidAction") => td_string!(l, codes.t_invalidaction),
        (Vendor::Tencent, "UnsupportedProtocol") => td_string!(l, codes.t_unsupportedprotocol),
        (Vendor::Tencent, "InternalError") => td_string!(l, codes.t_internalerror),
        (Vendor::Tencent, "InvalidParameter.SubUserNameInUse") => {
            td_string!(l, codes.t_invalidparameter_subusernameinuse)
        }
        (Vendor::Tencent, "InvalidParameter.UserNameIllegal") => {
            td_string!(l, codes.t_invalidparameter_usernameillegal)
        }
        (Vendor::Tencent, "InvalidParameter.PasswordViolatedRules") => {
            td_string!(l, codes.t_invalidparameter_passwordviolatedrules)
        }
        (Vendor::Tencent, "InvalidParameter.PasswordRuleError") => {
            td_string!(l, codes.t_invalidparameter_passwordruleerror)
        }
        (Vendor::Tencent, "InvalidParameter.SubUserFull") => {
            td_string!(l, codes.t_invalidparameter_subuserfull)
        }
        (Vendor::Tencent, "InvalidParameter.UserNotExist") => {
            td_string!(l, codes.t_invalidparameter_usernotexist)
        }
        (Vendor::Tencent, "ResourceNotFound.UserNotExist") => {
            td_string!(l, codes.t_resourcenotfound_usernotexist)
        }
        (Vendor::Tencent, "ResourceNotFound.UserNotExists") => {
            td_string!(l, codes.t_resourcenotfound_usernotexists)
        }
        (Vendor::Tencent, "OperationDenied.HaveKeys") => {
            td_string!(l, codes.t_operationdenied_havekeys)
        }
        (Vendor::Tencent, "FailedOperation") => td_string!(l, codes.t_failedoperation),
        (Vendor::Tencent, "FailedOperation.ExistHighRiskOperations") => {
            td_string!(l, codes.t_failedoperation_existhighriskoperations)
        }
        (Vendor::Tencent, "FailedOperation.ForbidAdd") => {
            td_string!(l, codes.t_failedoperation_forbidadd)
        }
        (Vendor::Tencent, "FailedOperation.Unmodifiable") => {
            td_string!(l, codes.t_failedoperation_unmodifiable)
        }
        _ => return None,
    })
}

fn api_error(l: Locale, e: &ApiError) -> String {
    use ErrorKind as K;
    match e {
        ApiError::Service(s) => {
            if let Some(d) = s.signature_diagnosis() {
                return match d {
                    SignatureDiagnosis::WrongSecret => td_string!(l, error.wrong_secret).to_owned(),
                    SignatureDiagnosis::EncodingMismatch { position, .. } => {
                        td_string!(l, error.encoding_mismatch, position).to_string()
                    }
                    SignatureDiagnosis::HeaderChanged {
                        name, server: None, ..
                    } => td_string!(l, error.header_dropped, name).to_string(),
                    SignatureDiagnosis::HeaderChanged { name, .. } if name == "host" => {
                        td_string!(l, error.host_changed).to_owned()
                    }
                    SignatureDiagnosis::HeaderChanged { name, .. } => {
                        td_string!(l, error.header_changed, name).to_string()
                    }
                    SignatureDiagnosis::Undetermined => {
                        td_string!(l, error.undetermined).to_owned()
                    }
                };
            }
            if let Some(summary) = code_summary(l, s.vendor, &s.code) {
                return summary.to_owned();
            }
            let cloud = cloud(l, s.vendor);
            match s.kind() {
                K::SignatureMismatch => td_string!(l, error.signature_mismatch, cloud).to_string(),
                K::ClockSkew => td_string!(l, error.clock_skew).to_owned(),
                K::NonceReused => td_string!(l, error.nonce_reused).to_owned(),
                K::UnknownAccessKey => td_string!(l, error.unknown_access_key, cloud).to_string(),
                K::AccessKeyDisabled => td_string!(l, error.access_key_disabled).to_owned(),
                K::InvalidToken => td_string!(l, error.invalid_token).to_owned(),
                K::PermissionDenied => td_string!(l, error.permission_denied).to_owned(),
                K::Throttled => td_string!(l, error.throttled, cloud).to_string(),
                K::NotFound => td_string!(l, error.not_found, cloud).to_string(),
                K::AlreadyExists => td_string!(l, error.already_exists).to_owned(),
                K::QuotaExceeded => td_string!(l, error.quota_exceeded).to_owned(),
                K::InvalidParameter => td_string!(l, error.invalid_parameter, cloud).to_string(),
                K::MissingParameter => td_string!(l, error.missing_parameter, cloud).to_string(),
                K::InUse => td_string!(l, error.in_use).to_owned(),
                K::HasApiKeys => td_string!(l, error.has_api_keys).to_owned(),
                K::UnknownAction => td_string!(l, error.unknown_action, cloud).to_string(),
                K::ServiceFault => td_string!(l, error.service_fault, cloud).to_string(),
                _ => td_string!(l, error.refused, cloud).to_string(),
            }
        }
        ApiError::Proxy {
            status,
            title: Some(title),
        } => td_string!(l, error.proxy_page_titled, status, title).to_string(),
        ApiError::Proxy { status, .. } => td_string!(l, error.proxy_page, status).to_string(),
        ApiError::Malformed { status, .. } => td_string!(l, error.malformed, status).to_string(),
        ApiError::Transport { .. } => td_string!(l, error.unreachable).to_owned(),
        ApiError::Timeout { after_ms } => {
            let seconds = sag_api::error::whole_seconds(*after_ms);
            td_string!(l, error.timeout, seconds).to_string()
        }
    }
}

/// What the admin reads under a field for a [`Problem`].
pub fn invalid(l: Locale, problem: &Problem) -> String {
    use Problem as P;
    let named = |n: &Named| match n {
        Named::UserName => td_string!(l, invalid.user_name),
        Named::Password => td_string!(l, invalid.password),
    };
    let titled = |n: &Named| match n {
        Named::UserName => td_string!(l, invalid.user_name_title),
        Named::Password => td_string!(l, invalid.password_title),
    };
    let shown = |bad: &Option<char>| match bad {
        None => td_string!(l, invalid.a_space).to_owned(),
        Some(c) => format!("'{c}'"),
    };
    match problem {
        P::BandwidthEmpty { min, max } => {
            td_string!(l, invalid.bandwidth_empty, min, max).to_string()
        }
        P::BandwidthNotWhole { min, max } => {
            td_string!(l, invalid.bandwidth_not_whole, min, max).to_string()
        }
        P::BandwidthTooLow { min } => td_string!(l, invalid.bandwidth_too_low, min).to_string(),
        P::BandwidthTooHigh { max } => td_string!(l, invalid.bandwidth_too_high, max).to_string(),
        P::EmailEmpty {
            purpose: EmailUse::LoginDetails,
        } => td_string!(l, invalid.email_empty_login).to_owned(),
        P::EmailEmpty {
            purpose: EmailUse::Optional,
        } => td_string!(l, invalid.email_empty_optional).to_owned(),
        P::EmailTooLong { max, count } => {
            td_string!(l, invalid.email_too_long, max, count).to_string()
        }
        P::EmailHiddenChar { ch } => td_string!(
            l,
            invalid.email_hidden_char,
            code = Problem::code_point(*ch)
        )
        .to_string(),
        P::EmailMalformed => td_string!(l, invalid.email_malformed).to_owned(),
        P::CharsEmpty {
            field,
            min,
            max,
            allowed,
        } => td_string!(
            l,
            invalid.chars_empty,
            field = named(field),
            min,
            max,
            allowed
        )
        .to_string(),
        P::CharsLength {
            field,
            min,
            max,
            count,
        } => td_string!(
            l,
            invalid.chars_length,
            field = titled(field),
            min,
            max,
            count
        )
        .to_string(),
        P::CharsStart { field } => {
            td_string!(l, invalid.chars_start, field = titled(field)).to_string()
        }
        P::CharsBad {
            field,
            allowed,
            bad,
        } => td_string!(
            l,
            invalid.chars_bad,
            field = titled(field),
            allowed,
            bad = shown(bad)
        )
        .to_string(),
        P::PasswordNeedsUserName => td_string!(l, invalid.password_needs_user_name).to_owned(),
        P::UserNameNeedsPassword => td_string!(l, invalid.user_name_needs_password).to_owned(),
        P::IpMalformed {
            cidr: Some(cidr),
            example,
        } => td_string!(l, invalid.ip_malformed_in, cidr, example).to_string(),
        P::IpMalformed {
            cidr: None,
            example,
        } => td_string!(l, invalid.ip_malformed, example).to_string(),
        P::IpNotPrivate { ip } => td_string!(l, invalid.ip_not_private, ip).to_string(),
        P::IpOutside {
            ip,
            cidr,
            first,
            last,
        } => td_string!(l, invalid.ip_outside, ip, cidr, first, last).to_string(),
        P::IpNetwork {
            ip,
            cidr,
            first,
            last,
        } => td_string!(l, invalid.ip_network, ip, cidr, first, last).to_string(),
        P::IpBroadcast {
            ip,
            cidr,
            first,
            last,
        } => td_string!(l, invalid.ip_broadcast, ip, cidr, first, last).to_string(),
        P::CamNameEmpty { max } => td_string!(l, invalid.cam_name_empty, max).to_string(),
        P::CamNameTooLong { max, count } => {
            td_string!(l, invalid.cam_name_too_long, max, count).to_string()
        }
        P::CamNameBad { bad } => td_string!(l, invalid.cam_name_bad, bad = shown(bad)).to_string(),
        P::CamPasswordLength { min, max, count } => {
            td_string!(l, invalid.cam_password_length, min, max, count).to_string()
        }
        P::CamPasswordNotAscii => td_string!(l, invalid.cam_password_not_ascii).to_owned(),
        P::CamPasswordNeeds { missing } => {
            let missing = gaps(l, missing);
            td_string!(l, invalid.cam_password_needs, missing).to_string()
        }
        P::CamRemarkTooLong { max, count } => {
            td_string!(l, invalid.cam_remark_too_long, max, count).to_string()
        }
        P::CamFormNameEmpty => td_string!(l, invalid.cam_form_name_empty).to_owned(),
        P::CamFormPasswordShort { min, count } => {
            td_string!(l, invalid.cam_form_password_short, min, count).to_string()
        }
        P::PhoneCode => td_string!(l, invalid.phone_code).to_owned(),
        P::PhoneDigits => td_string!(l, invalid.phone_digits).to_owned(),
        P::PhoneTooLong => td_string!(l, invalid.phone_too_long).to_owned(),
    }
}

/// "an uppercase letter, a digit" / "大写字母、数字".
pub fn gaps(l: Locale, missing: &[Gap]) -> String {
    missing
        .iter()
        .map(|g| match g {
            Gap::Upper => td_string!(l, invalid.gap_upper),
            Gap::Lower => td_string!(l, invalid.gap_lower),
            Gap::Digit => td_string!(l, invalid.gap_digit),
            Gap::Special => td_string!(l, invalid.gap_special),
        })
        .collect::<Vec<_>>()
        .join(td_string!(l, invalid.list_separator))
}

#[cfg(test)]
mod tests {

    use super::*;
    use sag_api::validate;

    fn both(problem: &Problem) -> (String, String) {
        (
            invalid(Locale::en, problem),
            invalid(Locale::zh_CN, problem),
        )
    }

    #[test]
    fn english_matches_the_api_crates_own_words() {
        // The api crate's Display is the English reference outside the
        // browser; en.json must say the same.
        let cidr = validate::parse_cidr("10.10.0.0/20");
        let problems = [
            validate::bandwidth("", 2000).unwrap_err(),
            validate::bandwidth("5 kbps", 2000).unwrap_err(),
            validate::bandwidth("0", 2000).unwrap_err(),
            validate::bandwidth("9000", 2000).unwrap_err(),
            validate::email("").unwrap_err(),
            validate::email("a\u{200b}@example.com").unwrap_err(),
            validate::email("nope").unwrap_err(),
            validate::user_name("").unwrap_err(),
            validate::user_name("abc").unwrap_err(),
            validate::user_name("_abcdefgh").unwrap_err(),
            validate::user_name("abc defgh").unwrap_err(),
            validate::password("abcdefg!h").unwrap_err(),
            validate::credentials("alice01", "")
                .unwrap_err()
                .password
                .unwrap(),
            validate::credentials("", "secret12")
                .unwrap_err()
                .user_name
                .unwrap(),
            validate::client_ip("x", cidr.as_ref()).unwrap_err(),
            validate::client_ip("x", None).unwrap_err(),
            validate::client_ip("8.8.8.8", None).unwrap_err(),
            validate::client_ip("10.20.0.1", cidr.as_ref()).unwrap_err(),
            validate::client_ip("10.10.0.0", cidr.as_ref()).unwrap_err(),
            validate::client_ip("10.10.15.255", cidr.as_ref()).unwrap_err(),
            validate::cam_user_name("").unwrap_err(),
            validate::cam_user_name("a b").unwrap_err(),
            validate::cam_password("short").unwrap_err(),
            validate::cam_password("abcdefgh1").unwrap_err(),
            validate::cam_remark(&"x".repeat(300)).unwrap_err(),
            validate::cam_form_name(" ").unwrap_err(),
            validate::cam_form_password("Aa1!").unwrap_err(),
            validate::cam_phone("", "1").unwrap_err(),
            validate::cam_phone("86", "x").unwrap_err(),
            validate::cam_phone("86", "1234567890123456").unwrap_err(),
        ];
        for problem in problems {
            assert_eq!(invalid(Locale::en, &problem.0), problem.to_string());
        }
    }

    #[test]
    fn every_documented_vendor_code_has_its_summary_in_both_languages() {
        // The api crate classifies each code; only the locale files word it.
        let mut seen = 0;
        for (vendor, code) in sag_api::error::documented_codes() {
            let en = code_summary(Locale::en, vendor, code);
            assert!(en.is_some_and(|s| s.ends_with('.')), "{code}: {en:?}");
            assert!(
                code_summary(Locale::zh_CN, vendor, code).is_some_and(|z| !z.is_ascii()),
                "{code}"
            );
            seen += 1;
        }
        assert!(seen > 60, "{seen}");
        assert_eq!(
            code_summary(Locale::zh_CN, Vendor::Aliyun, "ClientUser.UserExist"),
            Some("实例上已存在同名的客户端用户。")
        );
    }

    #[test]
    fn chinese_messages_carry_the_same_facts() {
        let (en, zh) = both(&Problem::BandwidthTooHigh { max: 2000 });
        assert_eq!(en, "Bandwidth can be at most 2000 Kbit/s on this instance.");
        assert_eq!(zh, "此实例的带宽最大为 2000 Kbit/s。");
        let (_, zh) = both(&validate::user_name("abc defgh").unwrap_err().0);
        assert_eq!(zh, "用户名只能包含字母、数字和 _ @ . -；不允许使用空格。");
        let (_, zh) = both(&Problem::CamPasswordNeeds {
            missing: vec![Gap::Upper, Gap::Special],
        });
        assert_eq!(zh, "密码还需要包含大写字母、特殊字符。");
    }
}
