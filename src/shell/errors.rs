//! The words for a failure, with the vendor's code and RequestId one click
//! away and copyable for a support ticket.

use leptos::prelude::*;
use sag_api::{ErrorKind, Vendor};

use crate::plumbing::{platform, CallError};

/// A failure explained: a headline, advice where we have some, and the
/// details a support ticket needs behind "Details for support".
#[component]
pub fn ErrorPanel(
    /// The failure to explain.
    error: CallError,
    /// What the console was doing, e.g. "Could not load the users."
    #[prop(optional, into)]
    context: Option<String>,
) -> impl IntoView {
    let headline = error.to_string();
    let details = error.error.support_details();
    let code = error.error.code().map(str::to_owned);
    let request_id = error.error.request_id().map(str::to_owned);
    let advice = advice_for(&error);
    let copied = RwSignal::new(false);
    let text_for_copy = details.clone();
    view! {
        <div class="error-panel" role="alert">
            {context.map(|c| view! { <p class="error-context">{c}</p> })}
            <p class="error-headline">{headline}</p>
            {advice.map(|a| view! { <p class="error-advice">{a}</p> })}
            <details>
                <summary>
                    "Details for support"
                    {code.map(|c| view! { <span class="code">" · "{c}</span> })}
                    {request_id.map(|r| view! { <span class="code">" · RequestId "{r}</span> })}
                </summary>
                <pre class="error-details">{details}</pre>
                <button
                    type="button"
                    class="secondary"
                    on:click=move |_| {
                        let text = text_for_copy.clone();
                        leptos::task::spawn_local(async move {
                            copied.set(platform::copy_text(&text).await);
                        });
                    }
                >
                    {move || if copied.get() { "Copied" } else { "Copy details" }}
                </button>
            </details>
        </div>
    }
}

/// What the admin can do about it, by category and cloud.
pub fn advice_for(error: &CallError) -> Option<&'static str> {
    use ErrorKind as K;
    let tencent = error
        .error
        .service()
        .is_some_and(|s| s.vendor == Vendor::Tencent);
    match error.error.code() {
        Some("InvalidParameter.SubUserFull") => {
            return Some("The account has reached its sub-user quota (1,000 by default). Delete sub-users that are no longer needed, or ask Tencent Cloud to raise the quota, then submit again.")
        }
        Some("RequestLimitExceeded.CreateUser") => {
            return Some("Tencent Cloud allows at most 20 sub-user creations per second for an account. Wait a few seconds and submit again; nothing typed is lost.")
        }
        _ => {}
    }
    Some(match error.error.kind() {
        K::Unreachable => "The console talks to the clouds through a proxy. Check the network and the proxy paths in config.json.",
        K::ProxyPage => "The proxy could not reach the cloud API, or returned its own error page. Check the proxy's upstream and its logs.",
        K::Timeout => "The proxy or the cloud is slow or unreachable.",
        K::UnknownAccessKey | K::AccessKeyDisabled if tencent => "Check the SecretId in Settings (Tencent Cloud).",
        K::UnknownAccessKey | K::AccessKeyDisabled => "Check the AccessKey ID in Settings.",
        K::SignatureMismatch if tencent => "Tencent Cloud signs the API host: tencent.sign_host in config.json must be the host the proxy forwards /api/tencent/ to (cam.tencentcloudapi.com, or cam.intl.tencentcloudapi.com for international accounts). If it is, the SecretKey is wrong.",
        K::InvalidToken => "Get a fresh temporary token and enter it in Settings.",
        K::PermissionDenied if tencent => "Grant this key's CAM user the cam permissions it needs (for example cam:AddUser, cam:ListUsers, cam:DeleteUser).",
        K::PermissionDenied => "Grant this AccessKey's RAM user the smartag permissions it needs.",
        K::Throttled => "Too many requests; wait a moment.",
        K::QuotaExceeded => "The instance has reached its client-user quota. Delete users who no longer need access, or raise the instance's quota in the Alibaba Cloud console, then submit again.",
        K::ServiceFault => "The cloud failed for a moment. Try again shortly; a change whose answer was lost is looked up before the console says whether it happened.",
        K::Malformed => "The answer was damaged on the way (cut off by the network or a proxy). A change whose answer was damaged is looked up before the console says whether it happened.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sag_api::{ApiError, ServiceError};

    fn tencent(code: &str) -> CallError {
        CallError {
            error: ApiError::Service(Box::new(ServiceError {
                vendor: Vendor::Tencent,
                code: code.into(),
                message: "m".into(),
                request_id: Some("R".into()),
                http_status: 200,
                host_id: None,
                our_string_to_sign: None,
                our_canonical_request: None,
            })),
            clock_offset: None,
            attempts: 1,
        }
    }

    #[test]
    fn quota_and_creation_rate_banners_say_what_to_do() {
        assert!(advice_for(&tencent("InvalidParameter.SubUserFull"))
            .unwrap()
            .contains("Delete sub-users that are no longer needed"));
        assert!(advice_for(&tencent("RequestLimitExceeded.CreateUser"))
            .unwrap()
            .contains("Wait a few seconds"));
        assert!(advice_for(&tencent("AuthFailure.SignatureFailure"))
            .unwrap()
            .contains("tencent.sign_host"));
        assert!(advice_for(&tencent("AuthFailure.SecretIdNotFound"))
            .unwrap()
            .contains("SecretId"));
    }
}
