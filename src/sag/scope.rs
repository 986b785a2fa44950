//! `/sag/:region/:instance`: the parent route of one SAG App instance. It
//! loads the instance once, renders its header and tabs once, and its pages
//! (users, new user, online now) render in the `<Outlet/>` below, reading the
//! instance from context.

use crate::i18n::{t_string, td_string, use_i18n};
use crate::shell::language::tr;
use crate::shell::router::A;
use leptos::prelude::*;
use sag_api::smartag::SagInstance;

use super::services;
use crate::plumbing::CallError;
use crate::shell::errors::ErrorPanel;
use crate::shell::use_api;

/// The instance the pages below work on, shared through context.
#[derive(Clone, Copy)]
pub struct InstanceScope {
    pub region: Memo<String>,
    pub instance: Memo<String>,
    /// `Ok(None)`: the region has no such SAG App instance.
    pub info: LocalResource<Result<Option<SagInstance>, CallError>>,
}

impl InstanceScope {
    /// The instance's client CIDR, once known.
    pub fn cidr(&self) -> Option<String> {
        self.info.with(|i| match i {
            Some(Ok(Some(i))) => i.cidr_block.clone(),
            _ => None,
        })
    }

    /// The instance's client-account quota, once known.
    pub fn quota(&self) -> Option<u64> {
        self.info.with(|i| match i {
            Some(Ok(Some(i))) => i.user_count,
            _ => None,
        })
    }

    /// The quota if the instance has been read already, without tracking it
    /// (a list load bounded by it does not start again when it lands).
    pub fn known_quota(&self) -> Option<u64> {
        self.info.with_untracked(|i| match i {
            Some(Ok(Some(i))) => i.user_count,
            _ => None,
        })
    }

    /// `/sag/<region>/<instance>`, the users page (segments encoded).
    pub fn base(&self) -> String {
        crate::shell::routes::Page::instance(&self.region.get(), &self.instance.get()).href()
    }
}

pub fn use_scope() -> InstanceScope {
    expect_context::<InstanceScope>()
}

/// The parent route's view: loads the instance, shows its header and tabs.
#[component]
pub fn InstanceLayout(children: ChildrenFn) -> impl IntoView {
    let page = crate::shell::routes::use_page();
    let param = move |which: fn(&str, &str) -> String| match page.get() {
        crate::shell::routes::Page::Instance {
            region, instance, ..
        } => which(&region, &instance),
        _ => String::new(),
    };
    let region = Memo::new(move |_| param(|r, _| r.to_owned()));
    let instance = Memo::new(move |_| param(|_, i| i.to_owned()));
    let api = use_api();
    let info = LocalResource::new(move || {
        let (r, i) = (region.get(), instance.get());
        let client = api.aliyun_tracked();
        async move {
            match client {
                Some(client) => services::instance(&client, &r, &i).await,
                // The connection guard above shows Settings instead.
                None => Err(CallError::not_connected(sag_api::Vendor::Aliyun)),
            }
        }
    });
    let scope = InstanceScope {
        region,
        instance,
        info,
    };
    provide_context(scope);
    view! {
        <section class="page">
            <InstanceHeader />
            <InstanceTabs />
            {children()}
        </section>
    }
}

/// Header facts about the instance: name, quota, CIDR.
#[component]
fn InstanceHeader() -> impl IntoView {
    let scope = use_scope();
    let i18n = use_i18n();
    let (region, instance) = (scope.region, scope.instance);
    view! {
        <header class="instance-header">
            {move || match scope.info.get() {
                Some(Ok(Some(i))) => view! {
                    <h1>{i.name.clone()} " " <span class="mono muted small">{i.smart_ag_id.clone()}</span></h1>
                    <p class="muted">{move || {
                        let cidr = i.cidr_block.clone().unwrap_or_else(|| t_string!(i18n, instance.not_set).to_owned());
                        let quota = i.user_count.map(|c| c.to_string()).unwrap_or_else(|| t_string!(i18n, instance.unknown).to_owned());
                        t_string!(i18n, instance.facts, region = region.get(), cidr, quota).to_string()
                    }}</p>
                }.into_any(),
                Some(Ok(None)) => view! {
                    <h1 class="mono">{instance.get()}</h1>
                    <p class="warning" role="alert">{move || t_string!(i18n, instance.not_found, instance = instance.get(), region = region.get()).to_string()}</p>
                }.into_any(),
                Some(Err(e)) => view! { <h1 class="mono">{instance.get()}</h1><ErrorPanel error=e context=t_string!(i18n, instance.read_failed) /> }.into_any(),
                None => view! { <h1 class="mono">{instance.get()}</h1><p class="muted">{region.get()}</p> }.into_any(),
            }}
        </header>
    }
}

/// Tabs between the screens of one instance.
#[component]
fn InstanceTabs() -> impl IntoView {
    let scope = use_scope();
    let base = move || scope.base();
    view! {
        <nav class="tabs" aria-label=tr(|l| td_string!(l, instance.tabs))>
            <A href=move || crate::shell::href(&base()) exact=true>{tr(|l| td_string!(l, instance.users))}</A>
            <A href=move || crate::shell::href(&format!("{}/new", base())) exact=true>{tr(|l| td_string!(l, instance.new_user))}</A>
            <A href=move || crate::shell::href(&format!("{}/online", base())) exact=true>{tr(|l| td_string!(l, online.title))}</A>
            <A href=move || crate::shell::href(&format!("{}/import", base())) exact=true>{tr(|l| td_string!(l, instance.import))}</A>
            <A href=move || crate::shell::href(&format!("/sag?region={}", scope.region.get())) exact=true>{tr(|l| td_string!(l, instance.all))}</A>
        </nav>
    }
}
