//! The words for a failure, with the vendor's code and RequestId one click
//! away and copyable for a support ticket.

use leptos::prelude::*;
use sag_api::{ErrorKind, Vendor};

use crate::i18n::{t_string, td_string, use_i18n, Locale};
use crate::plumbing::{platform, CallError};
use crate::shell::language::tr;
use crate::text;

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
    let i18n = use_i18n();
    let details = error.error.support_details();
    let code = error.error.code().map(str::to_owned);
    let request_id = error.error.request_id().map(str::to_owned);
    // The vendor's own words, as sent, beside ours when ours are not English.
    let vendor_message = error
        .error
        .service()
        .filter(|s| !s.message.trim().is_empty())
        .map(|s| (s.vendor, s.message.clone()));
    let copied = RwSignal::new(false);
    let text_for_copy = details.clone();
    let headline = {
        let error = error.clone();
        move || text::call_error(i18n.get_locale(), &error)
    };
    let advice = {
        let error = error.clone();
        move || {
            advice_for(i18n.get_locale(), &error).map(|a| view! { <p class="error-advice">{a}</p> })
        }
    };
    let vendor_said = move || {
        let l = i18n.get_locale();
        let (vendor, message) = vendor_message.clone()?;
        (l != Locale::en).then(|| view! {
            <p class="vendor-message">
                {td_string!(l, error.vendor_said, cloud = text::cloud(l, vendor)).to_string()}" "
                <span lang="en">{message}</span>
            </p>
        })
    };
    view! {
        <div class="error-panel" role="alert">
            {context.map(|c| view! { <p class="error-context">{c}</p> })}
            <p class="error-headline">{headline}</p>
            {vendor_said}
            {advice}
            <details>
                <summary>
                    {tr(|l| td_string!(l, error.details))}
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
                    {move || if copied.get() { t_string!(i18n, error.copied) } else { t_string!(i18n, error.copy) }}
                </button>
            </details>
        </div>
    }
}

/// What the admin can do about it, by category and cloud.
pub fn advice_for(l: Locale, error: &CallError) -> Option<&'static str> {
    use ErrorKind as K;
    let tencent = error
        .error
        .service()
        .is_some_and(|s| s.vendor == Vendor::Tencent);
    match error.error.code() {
        Some("InvalidParameter.SubUserFull") => return Some(td_string!(l, advice.sub_user_full)),
        Some("RequestLimitExceeded.CreateUser") => return Some(td_string!(l, advice.create_rate)),
        _ => {}
    }
    Some(match error.error.kind() {
        K::Unreachable => td_string!(l, advice.unreachable),
        K::ProxyPage => td_string!(l, advice.proxy_page),
        K::Timeout => td_string!(l, advice.timeout),
        K::UnknownAccessKey | K::AccessKeyDisabled if tencent => td_string!(l, advice.secret_id),
        K::UnknownAccessKey | K::AccessKeyDisabled => td_string!(l, advice.access_key_id),
        K::SignatureMismatch if tencent => td_string!(l, advice.tencent_signature),
        K::InvalidToken => td_string!(l, advice.token),
        K::PermissionDenied if tencent => td_string!(l, advice.cam_permission),
        K::PermissionDenied => td_string!(l, advice.ram_permission),
        K::Throttled => td_string!(l, advice.throttled),
        K::QuotaExceeded => td_string!(l, advice.quota),
        K::ServiceFault => td_string!(l, advice.service_fault),
        K::Malformed => td_string!(l, advice.malformed),
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
        assert!(
            advice_for(Locale::en, &tencent("InvalidParameter.SubUserFull"))
                .unwrap()
                .contains("Delete sub-users that are no longer needed")
        );
        assert!(
            advice_for(Locale::en, &tencent("RequestLimitExceeded.CreateUser"))
                .unwrap()
                .contains("Wait a few seconds")
        );
        assert!(
            advice_for(Locale::en, &tencent("AuthFailure.SignatureFailure"))
                .unwrap()
                .contains("tencent.sign_host")
        );
        assert!(
            advice_for(Locale::en, &tencent("AuthFailure.SecretIdNotFound"))
                .unwrap()
                .contains("SecretId")
        );
    }
}
