//! The root: loads `config.json`, then mounts the console with its routes.
//! A missing or broken configuration gets a page saying what is wrong.

use crate::i18n::td_string;
use crate::shell::language::tr;
use std::sync::Arc;

use leptos::prelude::*;
use sag_api::Vendor;

use crate::config::{ConfigError, RuntimeConfig};
use crate::sag::users::JustCreated;
use crate::shell::guard::RequireKeys;
use crate::shell::layout::{Home, NotFound, TopBar};
use crate::shell::notices::{NoticeArea, Notices};
use crate::shell::parts::Part;
use crate::shell::router::{use_location, Router};
use crate::shell::routes::{InstanceTab, Page};
use crate::shell::session::Session;
use crate::shell::AppConfig;
use crate::{cam, sag, shell};

/// Fetches and checks `config.json` (relative to `<base href>`).
pub async fn load_config() -> Result<RuntimeConfig, ConfigError> {
    let url = "config.json";
    let unavailable = |detail: String| ConfigError::Unavailable {
        url: url.into(),
        detail,
    };
    let response = gloo_net::http::Request::get(url)
        .cache(web_sys::RequestCache::NoStore)
        .send()
        .await
        .map_err(|e| unavailable(e.to_string()))?;
    if !response.ok() {
        return Err(unavailable(format!(
            "HTTP {} {}",
            response.status(),
            response.status_text()
        )));
    }
    let text = response
        .text()
        .await
        .map_err(|e| unavailable(e.to_string()))?;
    RuntimeConfig::parse(&text)
}

/// The application: configuration first, then the console.
#[component]
pub fn App() -> impl IntoView {
    let config = LocalResource::new(load_config);
    // The language (crate::i18n) covers every page, the configuration
    // error page too.
    view! {
        <crate::i18n::I18nContextProvider initial=crate::shell::language::initial()>
            <crate::shell::language::RememberedLanguage />
            {move || match config.get() {
                None => view! { <p class="boot">{tr(|l| td_string!(l, shell.loading))}</p> }.into_any(),
                Some(Ok(c)) => view! { <Console config=c /> }.into_any(),
                Some(Err(e)) => view! { <ConfigErrorPage error=e /> }.into_any(),
            }}
        </crate::i18n::I18nContextProvider>
    }
}

#[component]
fn ConfigErrorPage(error: ConfigError) -> impl IntoView {
    let problems = match &error {
        ConfigError::Invalid { problems } => problems.clone(),
        _ => Vec::new(),
    };
    let headline = match &error {
        ConfigError::Invalid { .. } => None,
        other => Some(other.to_string()),
    };
    // The problems name config.json's keys and values, which are English.
    view! {
        <main class="page narrow" id="config-error">
            <h1>{tr(|l| td_string!(l, shell.config_title))}</h1>
            <p class="error-headline" role="alert">
                {match headline {
                    Some(h) => view! { <span lang="en">{h}</span> }.into_any(),
                    None => tr(|l| td_string!(l, shell.config_invalid)).into_any(),
                }}
            </p>
            <ul lang="en">{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            <p>{tr(|l| td_string!(l, shell.config_help))}</p>
        </main>
    }
}

/// The parts of the console that share a layout: switching pages inside one
/// keeps it (and what it loaded) in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Area {
    Home,
    Connect,
    Instances,
    Instance,
    Cam,
    NotFound,
}

/// The layout a page renders in.
fn area_of(page: &Page) -> Area {
    match page {
        Page::Home => Area::Home,
        Page::Connect => Area::Connect,
        Page::Instances => Area::Instances,
        Page::Instance { .. } => Area::Instance,
        Page::CamUsers | Page::CamAdd | Page::CamUser { .. } => Area::Cam,
        Page::NotFound => Area::NotFound,
    }
}

/// The console, once configured. `/sag/…` needs Alibaba Cloud keys and
/// `/cam/…` Tencent Cloud keys (the `RequireKeys` guards); an instance's
/// pages render inside its layout, which loads the instance once.
#[component]
pub fn Console(config: RuntimeConfig) -> impl IntoView {
    provide_context(AppConfig(Arc::new(config)));
    // Each area's part in the shell: Settings' key test, what Forget wipes.
    let areas = crate::shell::areas::Areas {
        aliyun: sag::area(),
        tencent: cam::area(),
    };
    provide_context(areas);
    provide_context(Session::load(&areas));
    // Progress of imports left unfinished more than a week ago goes.
    crate::sag::import_progress::sweep_progress(crate::plumbing::platform::now_unix());
    provide_context(Notices(RwSignal::new(Vec::new())));
    provide_context(JustCreated(RwSignal::new(None)));
    provide_context(cam::users::JustAdded(RwSignal::new(None)));
    view! {
        <Router>
            <Pages />
        </Router>
    }
}

#[component]
fn Pages() -> impl IntoView {
    let location = use_location();
    let config = crate::shell::use_config();
    let page = Memo::new(move |_| location.pathname.with(|p| Page::of(p, &config)));
    provide_context(page);
    let area = Memo::new(move |_| page.with(area_of));
    let tab = Memo::new(move |_| match page.get() {
        Page::Instance { tab, .. } => Some(tab),
        _ => None,
    });
    let cam_page = Memo::new(move |_| match page.get() {
        p @ (Page::CamUsers | Page::CamAdd | Page::CamUser { .. }) => {
            Some(std::mem::discriminant(&p))
        }
        _ => None,
    });
    view! {
        <TopBar />
        <NoticeArea />
        <main id="main" tabindex="-1">
            {move || match area.get() {
                Area::Home => view! { <Home /> }.into_any(),
                Area::Connect => view! { <shell::settings::SettingsPage /> }.into_any(),
                Area::Instances => view! {
                    <RequireKeys vendor=Vendor::Aliyun>
                        <Part load=|| Box::pin(sag::parts::instances()) />
                    </RequireKeys>
                }
                .into_any(),
                Area::Instance => view! {
                    <RequireKeys vendor=Vendor::Aliyun>
                        <sag::scope::InstanceLayout>
                            {move || match tab.get() {
                                Some(InstanceTab::New) => view! { <Part load=|| Box::pin(sag::parts::create()) /> }.into_any(),
                                Some(InstanceTab::Online) => view! { <Part load=|| Box::pin(sag::parts::online()) /> }.into_any(),
                                Some(InstanceTab::Import) => view! { <Part load=|| Box::pin(sag::parts::import()) /> }.into_any(),
                                _ => view! { <Part load=|| Box::pin(sag::parts::users()) /> }.into_any(),
                            }}
                        </sag::scope::InstanceLayout>
                    </RequireKeys>
                }
                .into_any(),
                Area::Cam => view! {
                    <RequireKeys vendor=Vendor::Tencent>
                        {move || {
                            // Re-rendered when the CAM page changes, not
                            // when only its user name does.
                            let _ = cam_page.get();
                            match page.get_untracked() {
                                Page::CamAdd => view! { <Part load=|| Box::pin(cam::parts::add()) /> }.into_any(),
                                Page::CamUser { .. } => view! { <Part load=|| Box::pin(cam::parts::detail()) /> }.into_any(),
                                _ => view! { <Part load=|| Box::pin(cam::parts::users()) /> }.into_any(),
                            }
                        }}
                    </RequireKeys>
                }
                .into_any(),
                Area::NotFound => view! { <NotFound /> }.into_any(),
            }}
        </main>
    }
}
