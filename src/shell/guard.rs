//! The connection guard: a parent route that renders its child routes only
//! while the session holds keys for its cloud, and otherwise says where to
//! enter them (coming back afterwards).

use super::router::A;
use leptos::prelude::*;
use sag_api::Vendor;

use super::use_session;

/// Guards the pages inside it: `/sag/…` needs Alibaba Cloud keys, `/cam/…` Tencent Cloud keys.
#[component]
pub fn RequireKeys(
    /// The cloud whose keys the pages inside need.
    vendor: Vendor,
    children: ChildrenFn,
) -> impl IntoView {
    let keys = use_session().keys(vendor);
    move || {
        if keys.connected() {
            children().into_any()
        } else {
            view! { <NeedsConnection vendor=vendor /> }.into_any()
        }
    }
}

/// Shown instead of a page that needs keys.
#[component]
fn NeedsConnection(vendor: Vendor) -> impl IntoView {
    let location = super::router::use_location();
    let next = move || {
        let here = format!("{}{}", location.pathname.get(), location.search.get());
        crate::shell::href(&format!(
            "/connect?next={}",
            sag_api::wire::percent_encode(&here)
        ))
    };
    let what = match vendor {
        Vendor::Aliyun => "This page calls Alibaba Cloud with your AccessKey.",
        Vendor::Tencent => "This page calls Tencent Cloud with your SecretId and SecretKey.",
    };
    view! {
        <section class="page narrow" id="needs-connection">
            <h1>"Connect first"</h1>
            <p>{what} " Enter it in Settings; it stays in this tab's memory unless you choose to remember it. You come back here afterwards."</p>
            <A href=next attr:class="button primary">"Open Settings"</A>
        </section>
    }
}
