//! The connection guard: a parent route that renders its child routes only
//! while the session holds keys for its cloud, and otherwise says where to
//! enter them (coming back afterwards).

use super::router::A;
use crate::i18n::{t_string, td_string, use_i18n};
use crate::shell::language::tr;
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
        } else if keys.restoring.get() {
            view! { <p class="progress" id="restoring-keys">{tr(|l| td_string!(l, guard.restoring))}</p> }.into_any()
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
    let i18n = use_i18n();
    let what = move || match vendor {
        Vendor::Aliyun => t_string!(i18n, guard.aliyun),
        Vendor::Tencent => t_string!(i18n, guard.tencent),
    };
    view! {
        <section class="page narrow" id="needs-connection">
            <h1>{tr(|l| td_string!(l, guard.title))}</h1>
            <p>{what}" "{tr(|l| td_string!(l, guard.text))}</p>
            <A href=next attr:class="button primary">{tr(|l| td_string!(l, guard.open_settings))}</A>
        </section>
    }
}
