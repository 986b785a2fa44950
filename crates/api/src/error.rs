//! What went wrong, in words an admin understands, with everything a support
//! ticket needs: the vendor's code, message and RequestId, the HTTP status,
//! and the form field an error belongs to.

use std::fmt;

/// Which cloud answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vendor {
    Aliyun,
    Tencent,
}

impl Vendor {
    pub fn display_name(self) -> &'static str {
        match self {
            Vendor::Aliyun => "Alibaba Cloud",
            Vendor::Tencent => "Tencent Cloud",
        }
    }
}

/// A form field an error can be shown under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    AccessKeyId,
    AccessKeySecret,
    SecurityToken,
    Region,
    Instance,
    Email,
    Bandwidth,
    UserName,
    Password,
    ClientIp,
    CamName,
    CamPassword,
    CamPhone,
    CamEmail,
    CamRemark,
}

impl Field {
    /// The label the console shows for this field.
    pub fn label(self) -> &'static str {
        match self {
            Field::AccessKeyId => "AccessKey ID",
            Field::AccessKeySecret => "AccessKey secret",
            Field::SecurityToken => "STS security token",
            Field::Region => "Region",
            Field::Instance => "SAG App instance",
            Field::Email => "Email",
            Field::Bandwidth => "Bandwidth",
            Field::UserName => "Username",
            Field::Password => "Password",
            Field::ClientIp => "Static client IP",
            Field::CamName => "User name",
            Field::CamPassword => "Console password",
            Field::CamPhone => "Phone number",
            Field::CamEmail => "Email",
            Field::CamRemark => "Remark",
        }
    }
}

/// The category of a failure, which decides how the console reacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The signature did not verify: wrong secret, or an encoding bug.
    SignatureMismatch,
    /// The request's timestamp was too far from the server's clock.
    ClockSkew,
    /// The nonce was seen before (a replay, or a retry that was not re-signed).
    NonceReused,
    UnknownAccessKey,
    AccessKeyDisabled,
    InvalidToken,
    PermissionDenied,
    /// Flow control; retry later.
    Throttled,
    NotFound,
    AlreadyExists,
    QuotaExceeded,
    InvalidParameter,
    MissingParameter,
    /// A client user who used data this billing month cannot be deleted.
    InUse,
    /// A CAM user with API keys cannot be deleted without `Force`.
    HasApiKeys,
    UnknownAction,
    /// The service failed (5xx, `InternalError`, `ServiceUnavailable`).
    ServiceFault,
    /// The vendor refused for a reason not listed above.
    Refused,
    /// The proxy answered with its own page instead of the vendor's JSON.
    ProxyPage,
    /// The body was cut off or not the vendor's JSON.
    Malformed,
    /// The request never reached the proxy (network down, proxy not running, CORS).
    Unreachable,
    Timeout,
}

struct CodeInfo {
    vendor: Vendor,
    code: &'static str,
    kind: ErrorKind,
    field: Option<Field>,
}

const fn code(
    vendor: Vendor,
    code: &'static str,
    kind: ErrorKind,
    field: Option<Field>,
) -> CodeInfo {
    CodeInfo {
        vendor,
        code,
        kind,
        field,
    }
}

use ErrorKind as K;
use Field as F;
use Vendor::{Aliyun as A, Tencent as T};

/// Every error code documented for the actions we call (vendor-apis.md §5
/// and §6, feature-survey.md §2.3), with its category and field. Its words
/// for the admin live in the console's locale files, once per language.
const CODES: &[CodeInfo] = &[
    // Alibaba gateway (POP) codes.
    code(
        A,
        "SignatureDoesNotMatch",
        K::SignatureMismatch,
        Some(F::AccessKeySecret),
    ),
    code(
        A,
        "IncompleteSignature",
        K::SignatureMismatch,
        Some(F::AccessKeySecret),
    ),
    code(A, "InvalidTimeStamp.Expired", K::ClockSkew, None),
    code(A, "InvalidTimeStamp.Format", K::InvalidParameter, None),
    code(A, "SignatureNonceUsed", K::NonceReused, None),
    code(
        A,
        "InvalidAccessKeyId.NotFound",
        K::UnknownAccessKey,
        Some(F::AccessKeyId),
    ),
    code(
        A,
        "InvalidAccessKeyId.Inactive",
        K::AccessKeyDisabled,
        Some(F::AccessKeyId),
    ),
    code(
        A,
        "InvalidSecurityToken.Expired",
        K::InvalidToken,
        Some(F::SecurityToken),
    ),
    code(
        A,
        "InvalidSecurityToken.Malformed",
        K::InvalidToken,
        Some(F::SecurityToken),
    ),
    code(
        A,
        "InvalidSecurityToken.MismatchWithAccessKey",
        K::InvalidToken,
        Some(F::SecurityToken),
    ),
    code(A, "Throttling", K::Throttled, None),
    code(A, "Throttling.User", K::Throttled, None),
    code(A, "Throttling.Api", K::Throttled, None),
    code(A, "MissingParameter", K::MissingParameter, None),
    code(A, "InvalidApi.NotFound", K::UnknownAction, None),
    code(A, "InvalidAction.NotFound", K::UnknownAction, None),
    code(A, "Forbidden.RAM", K::PermissionDenied, None),
    code(A, "InternalError", K::ServiceFault, None),
    code(A, "ServiceUnavailable", K::ServiceFault, None),
    code(A, "UnknownError", K::ServiceFault, None),
    // Smartag codes.
    code(
        A,
        "SAG.InstanceIdEmpty",
        K::MissingParameter,
        Some(F::Instance),
    ),
    code(A, "SAG.InstanceNoFound", K::NotFound, Some(F::Instance)),
    code(A, "InvalidId.SMARTAG", K::NotFound, Some(F::Instance)),
    code(A, "SAG.CidrEmpty", K::InvalidParameter, Some(F::ClientIp)),
    code(
        A,
        "ClientUser.NameEmpty",
        K::MissingParameter,
        Some(F::UserName),
    ),
    code(
        A,
        "ClientUser.NameInvalid",
        K::InvalidParameter,
        Some(F::UserName),
    ),
    code(A, "ParameterSagClientId", K::NotFound, Some(F::UserName)),
    code(
        A,
        "ClientUser.UserExist",
        K::AlreadyExists,
        Some(F::UserName),
    ),
    code(A, "ClientUser.UserOverLimit", K::QuotaExceeded, None),
    code(
        A,
        "ClientUser.BandwidthInvalid",
        K::InvalidParameter,
        Some(F::Bandwidth),
    ),
    code(
        A,
        "ClientUser.EmailEmpty",
        K::MissingParameter,
        Some(F::Email),
    ),
    code(
        A,
        "ClientUser.EmailInvalid",
        K::InvalidParameter,
        Some(F::Email),
    ),
    code(
        A,
        "ClientUser.InvalidClientIp",
        K::InvalidParameter,
        Some(F::ClientIp),
    ),
    code(
        A,
        "ClientUser.IpEmpty",
        K::MissingParameter,
        Some(F::ClientIp),
    ),
    code(
        A,
        "ClientUser.IpInvalid",
        K::InvalidParameter,
        Some(F::ClientIp),
    ),
    code(A, "ClientUser.UserInUsing", K::InUse, None),
    // Not in the vendor's published tables (which are incomplete for Create);
    // the emulator returns them, so the console must word them.
    code(
        A,
        "ClientUser.PasswordInvalid",
        K::InvalidParameter,
        Some(F::Password),
    ),
    code(A, "ClientUser.UserNotExist", K::NotFound, Some(F::UserName)),
    // Tencent common codes.
    code(
        T,
        "AuthFailure.SignatureFailure",
        K::SignatureMismatch,
        Some(F::AccessKeySecret),
    ),
    code(T, "AuthFailure.SignatureExpire", K::ClockSkew, None),
    code(
        T,
        "AuthFailure.SecretIdNotFound",
        K::UnknownAccessKey,
        Some(F::AccessKeyId),
    ),
    code(
        T,
        "AuthFailure.InvalidSecretId",
        K::UnknownAccessKey,
        Some(F::AccessKeyId),
    ),
    code(
        T,
        "AuthFailure.TokenFailure",
        K::InvalidToken,
        Some(F::SecurityToken),
    ),
    code(
        T,
        "AuthFailure.UnauthorizedOperation",
        K::PermissionDenied,
        None,
    ),
    code(
        T,
        "UnauthorizedOperation.DeleteApiKey",
        K::PermissionDenied,
        None,
    ),
    code(T, "RequestLimitExceeded", K::Throttled, None),
    code(T, "RequestLimitExceeded.CreateUser", K::Throttled, None),
    code(
        T,
        "RequestLimitExceeded.UinLimitExceeded",
        K::Throttled,
        None,
    ),
    code(T, "MissingParameter", K::MissingParameter, None),
    code(T, "InvalidParameter", K::InvalidParameter, None),
    code(T, "InvalidParameter.ParamError", K::InvalidParameter, None),
    code(T, "InvalidAction", K::UnknownAction, None),
    code(T, "UnsupportedProtocol", K::Refused, None),
    code(T, "InternalError", K::ServiceFault, None),
    // CAM user codes.
    code(
        T,
        "InvalidParameter.SubUserNameInUse",
        K::AlreadyExists,
        Some(F::CamName),
    ),
    code(
        T,
        "InvalidParameter.UserNameIllegal",
        K::InvalidParameter,
        Some(F::CamName),
    ),
    code(
        T,
        "InvalidParameter.PasswordViolatedRules",
        K::InvalidParameter,
        Some(F::CamPassword),
    ),
    code(
        T,
        "InvalidParameter.PasswordRuleError",
        K::InvalidParameter,
        Some(F::CamPassword),
    ),
    code(T, "InvalidParameter.SubUserFull", K::QuotaExceeded, None),
    code(
        T,
        "InvalidParameter.UserNotExist",
        K::NotFound,
        Some(F::CamName),
    ),
    code(
        T,
        "ResourceNotFound.UserNotExist",
        K::NotFound,
        Some(F::CamName),
    ),
    code(
        T,
        "ResourceNotFound.UserNotExists",
        K::NotFound,
        Some(F::CamName),
    ),
    code(T, "OperationDenied.HaveKeys", K::HasApiKeys, None),
    code(T, "FailedOperation", K::Refused, None),
    code(
        T,
        "FailedOperation.ExistHighRiskOperations",
        K::Refused,
        None,
    ),
    code(T, "FailedOperation.ForbidAdd", K::Refused, None),
    code(T, "FailedOperation.Unmodifiable", K::Refused, None),
];

/// Every documented code, for checks that each is explained (the console's
/// translations).
pub fn documented_codes() -> impl Iterator<Item = (Vendor, &'static str)> {
    CODES.iter().map(|c| (c.vendor, c.code))
}

fn lookup(vendor: Vendor, code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.vendor == vendor && c.code == code)
}

/// The category of a code not in the table, from its prefix.
fn kind_by_prefix(vendor: Vendor, code: &str, http_status: u16) -> ErrorKind {
    let starts = |p: &str| code.starts_with(p);
    match vendor {
        Vendor::Aliyun if starts("Throttling") => K::Throttled,
        Vendor::Aliyun if starts("Missing") => K::MissingParameter,
        Vendor::Aliyun if starts("Forbidden") => K::PermissionDenied,
        Vendor::Aliyun if starts("InvalidAccessKeyId") => K::UnknownAccessKey,
        Vendor::Aliyun if starts("InvalidSecurityToken") => K::InvalidToken,
        Vendor::Tencent if starts("RequestLimitExceeded") => K::Throttled,
        Vendor::Tencent if starts("MissingParameter") => K::MissingParameter,
        Vendor::Tencent if starts("InvalidParameter") => K::InvalidParameter,
        Vendor::Tencent if starts("ResourceNotFound") => K::NotFound,
        Vendor::Tencent
            if starts("UnauthorizedOperation") || starts("AuthFailure.Unauthorized") =>
        {
            K::PermissionDenied
        }
        _ if starts("InternalError") || starts("ServiceUnavailable") || http_status >= 500 => {
            K::ServiceFault
        }
        _ if code.contains("NotFound") || code.contains("NotExist") => K::NotFound,
        _ if code.contains("Invalid") => K::InvalidParameter,
        _ => K::Refused,
    }
}

/// A coded error from the vendor (or the emulator standing in for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    pub vendor: Vendor,
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    pub http_status: u16,
    /// Alibaba's `HostId`, useful in a ticket.
    pub host_id: Option<String>,
    /// Our string to sign for the failed request, kept for diagnosis.
    pub our_string_to_sign: Option<String>,
    /// V3: our canonical request, compared with the one the server reports.
    pub our_canonical_request: Option<String>,
}

/// What a `SignatureDoesNotMatch` tells about its cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureDiagnosis {
    /// The server built the same string to sign: only the secret can differ.
    WrongSecret,
    /// The strings to sign differ from `position` (a byte index): the request
    /// was encoded differently from what the server saw (a console bug or a
    /// proxy that rewrites requests).
    EncodingMismatch {
        position: usize,
        ours: String,
        server: String,
    },
    /// V3: the canonical requests differ in a signed header: a proxy between
    /// the console and the cloud dropped it (`server` is `None`) or sent
    /// another value (`host` when it does not forward with the signed host).
    HeaderChanged {
        name: String,
        ours: String,
        server: Option<String>,
    },
    /// The server gave no string to sign (Tencent): a wrong secret, or the
    /// signed host differs from the one the proxy forwards to.
    Undetermined,
}

const SERVER_STRING_MARKER: &str = "server string to sign is:";
const SERVER_CANONICAL_MARKER: &str = "canonical request is:";

/// The header lines (`name:value`) of a V3 canonical request, in order:
/// the lines between the canonical query and the blank line.
fn canonical_header_lines(canonical: &str) -> Vec<(&str, &str)> {
    canonical
        .split('\n')
        .skip(3)
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_once(':'))
        .collect()
}

/// The first signed header whose line differs between two canonical
/// requests (ours names the headers the console signed).
fn changed_header(ours: &str, server: &str) -> Option<SignatureDiagnosis> {
    let theirs = canonical_header_lines(server);
    canonical_header_lines(ours)
        .into_iter()
        .find_map(|(name, value)| {
            let seen = theirs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
            (seen != Some(value)).then(|| SignatureDiagnosis::HeaderChanged {
                name: name.to_owned(),
                ours: value.to_owned(),
                server: seen.map(str::to_owned),
            })
        })
}

/// The request parameters whose values are secrets: the STS token and a new
/// user's password (Alibaba's `Password`, Tencent's `Password`).
pub const SECRET_PARAMETERS: [&str; 2] = ["SecurityToken", "Password"];

/// The signed headers whose values are secrets (Alibaba V3's STS token).
pub const SECRET_HEADERS: [&str; 1] = ["x-acs-security-token"];

/// Masks every secret parameter's value (`SECRET_PARAMETERS`) inside a string
/// to sign, where it appears as `Password%3D<value>%26` (or, in a plain
/// query, `Password=<value>&`), so that neither a server's echo nor ours
/// carries it into a message, a log or a support ticket. Only whole
/// parameter names are matched (`OldPassword` is not `Password`).
pub fn redact_string_to_sign(text: &str) -> String {
    let mut out = text.to_owned();
    // A V3 canonical request carries signed headers as `name:value` lines.
    for name in SECRET_HEADERS {
        let needle = format!("{name}:");
        let mut from = 0;
        while let Some(found) = out[from..].find(&needle) {
            let start = from + found + needle.len();
            let end = out[start..]
                .find(['\n', ' '])
                .map_or(out.len(), |e| start + e);
            out.replace_range(start..end, "***");
            from = start + 3;
        }
    }
    for (eq, amp) in [("%3D", "%26"), ("=", "&")] {
        for key in SECRET_PARAMETERS {
            let needle = format!("{key}{eq}");
            let mut from = 0;
            while let Some(found) = out[from..].find(&needle) {
                let at = from + found;
                let start = at + needle.len();
                let whole = at == 0
                    || out[..at].ends_with(amp)
                    || out[..at].ends_with('&')
                    || out[..at].ends_with('?');
                if !whole {
                    from = start;
                    continue;
                }
                let end = out[start..].find(amp).map_or(out.len(), |e| start + e);
                out.replace_range(start..end, "***");
                from = start + 3;
            }
        }
    }
    out
}

impl ServiceError {
    pub fn kind(&self) -> ErrorKind {
        lookup(self.vendor, &self.code)
            .map(|c| c.kind)
            .unwrap_or_else(|| kind_by_prefix(self.vendor, &self.code, self.http_status))
    }

    /// The form field this error belongs to, if any.
    pub fn field(&self) -> Option<Field> {
        lookup(self.vendor, &self.code).and_then(|c| c.field)
    }

    /// A plain technical line: the vendor, its code and its own message.
    /// The admin's words for each code are in the console's locale files
    /// (`codes.*`), written once per language; this crate only classifies.
    pub fn summary(&self) -> String {
        let refused = format!(
            "{} refused the request ({})",
            self.vendor.display_name(),
            self.code
        );
        match self.message.trim() {
            "" => format!("{refused}."),
            message => format!("{refused}: {message}"),
        }
    }

    /// Alibaba's `SignatureDoesNotMatch` carries the server's string to sign
    /// (and, for V3, its canonical request after it).
    pub fn server_string_to_sign(&self) -> Option<&str> {
        let at = self.message.find(SERVER_STRING_MARKER)? + SERVER_STRING_MARKER.len();
        let end = self.message[at..]
            .find(SERVER_CANONICAL_MARKER)
            .map_or(self.message.len(), |e| at + e);
        Some(self.message[at..end].trim())
    }

    /// The canonical request a V3 `SignatureDoesNotMatch` reports.
    pub fn server_canonical_request(&self) -> Option<&str> {
        let at = self.message.find(SERVER_CANONICAL_MARKER)?;
        Some(&self.message[at + SERVER_CANONICAL_MARKER.len()..])
    }

    /// The signed header a server says it did not receive (a proxy that
    /// drops it): `"... signed header <name> ..."` in the message.
    /// (Also `"The <name> header is missing"`.)
    pub fn missing_signed_header(&self) -> Option<&str> {
        let name = match self.message.find("signed header ") {
            Some(at) => self.message[at + "signed header ".len()..]
                .split([' ', ',', ':'])
                .next()?,
            None => {
                let end = self.message.find(" header is missing")?;
                self.message[..end].rsplit(' ').next()?
            }
        };
        let name = name.trim_end_matches('.');
        (!name.is_empty()).then_some(name)
    }

    /// Tells a wrong secret from an encoding problem or a changed header by
    /// comparing what was signed: V3's canonical requests where the server
    /// reports one, else the strings to sign.
    pub fn signature_diagnosis(&self) -> Option<SignatureDiagnosis> {
        if self.kind() != ErrorKind::SignatureMismatch {
            return None;
        }
        if let Some(name) = self.missing_signed_header() {
            return Some(SignatureDiagnosis::HeaderChanged {
                name: name.to_owned(),
                ours: String::new(),
                server: None,
            });
        }
        let pair = match (
            self.server_canonical_request(),
            self.our_canonical_request.as_deref(),
        ) {
            (Some(server), Some(ours)) => {
                if let Some(changed) = changed_header(ours, server) {
                    return Some(changed);
                }
                Some((server, ours))
            }
            _ => self
                .server_string_to_sign()
                .zip(self.our_string_to_sign.as_deref()),
        };
        let Some((server, ours)) = pair else {
            return Some(SignatureDiagnosis::Undetermined);
        };
        if server == ours {
            return Some(SignatureDiagnosis::WrongSecret);
        }
        let position = server
            .bytes()
            .zip(ours.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        Some(SignatureDiagnosis::EncodingMismatch {
            position,
            ours: ours.to_owned(),
            server: server.to_owned(),
        })
    }
}

/// Everything that can go wrong between building a request and reading its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The vendor answered with a coded error.
    Service(Box<ServiceError>),
    /// Something between us and the vendor (the proxy, a gateway, a captive
    /// portal) answered with an HTML page or non-vendor JSON.
    Proxy { status: u16, title: Option<String> },
    /// The body was cut off or is not what the action returns.
    Malformed { status: u16, detail: String },
    /// The request did not reach the proxy at all.
    Transport { detail: String },
    /// No answer in time. For a mutation it is unknown whether it took effect.
    Timeout { after_ms: u32 },
}

impl ApiError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            ApiError::Service(e) => e.kind(),
            ApiError::Proxy { .. } => ErrorKind::ProxyPage,
            ApiError::Malformed { .. } => ErrorKind::Malformed,
            ApiError::Transport { .. } => ErrorKind::Unreachable,
            ApiError::Timeout { .. } => ErrorKind::Timeout,
        }
    }

    pub fn service(&self) -> Option<&ServiceError> {
        match self {
            ApiError::Service(e) => Some(e),
            _ => None,
        }
    }

    pub fn code(&self) -> Option<&str> {
        self.service().map(|e| e.code.as_str())
    }

    pub fn request_id(&self) -> Option<&str> {
        self.service().and_then(|e| e.request_id.as_deref())
    }

    pub fn http_status(&self) -> Option<u16> {
        match self {
            ApiError::Service(e) => Some(e.http_status),
            ApiError::Proxy { status, .. } | ApiError::Malformed { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn field(&self) -> Option<Field> {
        self.service().and_then(ServiceError::field)
    }

    /// Whether a read may be sent again (re-signed) after this error.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Service(e) => {
                matches!(
                    e.kind(),
                    ErrorKind::Throttled | ErrorKind::ServiceFault | ErrorKind::NonceReused
                )
            }
            ApiError::Proxy { status, .. } => matches!(status, 502..=504),
            ApiError::Malformed { .. } | ApiError::Transport { .. } | ApiError::Timeout { .. } => {
                true
            }
        }
    }

    /// Whether a mutation that failed this way may nevertheless have taken
    /// effect, so that the console must look before offering to retry.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            ApiError::Timeout { .. } | ApiError::Malformed { .. } => true,
            ApiError::Proxy { status, .. } => matches!(status, 502 | 504),
            // Tencent answers every API error, `InternalError` included, with
            // HTTP 200: its status says nothing about whether the action ran.
            ApiError::Service(e) => {
                e.kind() == ErrorKind::ServiceFault
                    && (e.http_status >= 500 || e.vendor == Vendor::Tencent)
            }
            ApiError::Transport { .. } => false,
        }
    }

    /// The lines a support ticket needs; never contains a secret.
    pub fn support_details(&self) -> String {
        let mut lines = vec![format!("Problem: {self}")];
        match self {
            ApiError::Service(e) => {
                lines.push(format!("Vendor: {}", e.vendor.display_name()));
                lines.push(format!("Code: {}", e.code));
                lines.push(format!("Message: {}", e.message));
                lines.push(format!(
                    "RequestId: {}",
                    e.request_id.as_deref().unwrap_or("(none)")
                ));
                lines.push(format!("HTTP status: {}", e.http_status));
                if let Some(host) = &e.host_id {
                    lines.push(format!("HostId: {host}"));
                }
                if let Some(SignatureDiagnosis::HeaderChanged { name, ours, server }) =
                    e.signature_diagnosis()
                {
                    lines.push(match server {
                        Some(server) => format!(
                            "Signed header {name}: the console signed {ours:?}, the server received {server:?}"
                        ),
                        None => format!("Signed header {name}: not received by the server"),
                    });
                }
            }
            ApiError::Proxy { status, title } => {
                lines.push(format!("HTTP status: {status}"));
                if let Some(t) = title {
                    lines.push(format!("Page title: {t}"));
                }
            }
            ApiError::Malformed { status, detail } => {
                lines.push(format!("HTTP status: {status}"));
                lines.push(format!("Detail: {detail}"));
            }
            ApiError::Transport { detail } => lines.push(format!("Detail: {detail}")),
            ApiError::Timeout { after_ms } => lines.push(format!("Waited: {after_ms} ms")),
        }
        lines.join("\n")
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Service(e) => match e.signature_diagnosis() {
                Some(SignatureDiagnosis::WrongSecret) => f.write_str(
                    "The AccessKey secret is wrong: the server built the same string to sign as the console, so only the secret can differ.",
                ),
                Some(SignatureDiagnosis::EncodingMismatch { position, .. }) => write!(
                    f,
                    "The signature was rejected because the server saw a differently encoded request (strings to sign differ from character {position}). The secret may be right: a proxy may be rewriting requests, or this is a console bug."
                ),
                Some(SignatureDiagnosis::HeaderChanged { name, server: None, .. }) => write!(
                    f,
                    "The signature was rejected because the signed header {name} did not reach the cloud: a proxy between the console and the cloud drops it. Configure the proxy to pass it unchanged."
                ),
                Some(SignatureDiagnosis::HeaderChanged { name, .. }) if name == "host" => f.write_str(
                    "The signature was rejected because the proxy forwards with a different Host than the one the console signs: the proxy must send the cloud's API host (see the sign_host settings in config.json) as Host.",
                ),
                Some(SignatureDiagnosis::HeaderChanged { name, .. }) => write!(
                    f,
                    "The signature was rejected because the signed header {name} reached the cloud with another value: a proxy between the console and the cloud rewrites it. Configure the proxy to pass it unchanged."
                ),
                Some(SignatureDiagnosis::Undetermined) => f.write_str(
                    "The signature was rejected: the secret is wrong, or the proxy forwards to a different host than the one the console signs for.",
                ),
                None => f.write_str(&e.summary()),
            },
            ApiError::Proxy { status, title } => {
                write!(f, "The proxy answered HTTP {status} with its own page instead of the cloud's API response")?;
                match title {
                    Some(t) => write!(f, " (\"{t}\")."),
                    None => f.write_str("."),
                }
            }
            ApiError::Malformed { status, detail } => {
                write!(f, "The answer (HTTP {status}) was cut off or is not the cloud's JSON: {detail}.")
            }
            ApiError::Transport { detail } => write!(
                f,
                "Cannot reach the proxy ({detail}). Check the network, the proxy paths in config.json, and that the proxy is running."
            ),
            ApiError::Timeout { after_ms } => {
                write!(f, "No answer within {} s.", whole_seconds(*after_ms))
            }
        }
    }
}

impl std::error::Error for ApiError {}

/// Milliseconds as whole seconds, rounded, for a message (integer arithmetic
/// keeps float formatting out of the bundle).
pub fn whole_seconds(ms: u32) -> u64 {
    (u64::from(ms) + 500) / 1000
}

#[cfg(test)]
mod tests;
