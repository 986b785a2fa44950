//! The root: loads `config.json`, then mounts the console with its routes.
//! A missing or broken configuration gets a page saying what is wrong.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;
use sag_api::Vendor;

use crate::config::{ConfigError, RuntimeConfig};
use crate::sag::users::JustCreated;
use crate::shell::guard::RequireKeys;
use crate::shell::layout::{Home, NotFound, TopBar};
use crate::shell::notices::{NoticeArea, Notices};
use crate::shell::session::Session;
use crate::shell::AppConfig;
use crate::{cam, sag, shell};

/// The path the app is served under (from `<base href>`), for the router.
pub(crate) fn base_path() -> String {
    let href = document().base_uri().ok().flatten().unwrap_or_default();
    let path = web_sys::Url::new(&href)
        .map(|u| u.pathname())
        .unwrap_or_else(|_| "/".into());
    path.trim_end_matches('/').to_owned()
}

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
    view! {
        {move || match config.get() {
            None => view! { <p class="boot">"Loading the console…"</p> }.into_any(),
            Some(Ok(c)) => view! { <Console config=c /> }.into_any(),
            Some(Err(e)) => view! { <ConfigErrorPage error=e /> }.into_any(),
        }}
    }
}

#[component]
fn ConfigErrorPage(error: ConfigError) -> impl IntoView {
    let problems = match &error {
        ConfigError::Invalid { problems } => problems.clone(),
        _ => Vec::new(),
    };
    let headline = match &error {
        ConfigError::Invalid { .. } => "config.json has values the console cannot use.".to_owned(),
        other => other.to_string(),
    };
    view! {
        <main class="page narrow" id="config-error">
            <h1>"The console is not configured"</h1>
            <p class="error-headline" role="alert">{headline}</p>
            <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            <p>
                "The console reads config.json from the folder it is served from (next to index.html). "
                "It names the proxy paths for Alibaba Cloud (with {region}) and Tencent Cloud, and the regions to offer. "
                "See the project's docs/deploy.md for an example."
            </p>
        </main>
    }
}

/// The console, once configured. `/sag/…` needs Alibaba Cloud keys and
/// `/cam/…` Tencent Cloud keys (the `RequireKeys` guards); an instance's
/// pages render inside its parent route, which loads the instance once.
#[component]
pub fn Console(config: RuntimeConfig) -> impl IntoView {
    provide_context(AppConfig(Arc::new(config)));
    provide_context(Session::load());
    provide_context(Notices(RwSignal::new(Vec::new())));
    provide_context(JustCreated(RwSignal::new(None)));
    provide_context(cam::users::JustAdded(RwSignal::new(None)));
    let base = base_path();
    view! {
        <Router base=base>
            <TopBar />
            <NoticeArea />
            <main id="main">
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/connect") view=shell::settings::SettingsPage />
                    <ParentRoute path=path!("/sag") view=|| view! { <RequireKeys vendor=Vendor::Aliyun /> }>
                        <Route path=path!("") view=sag::instances::InstancesPage />
                        <ParentRoute path=path!(":region/:instance") view=sag::scope::InstanceLayout>
                            <Route path=path!("") view=sag::users::UsersPage />
                            <Route path=path!("new") view=sag::create::CreatePage />
                            <Route path=path!("online") view=sag::online::OnlinePage />
                            <Route path=path!("import") view=sag::import_page::ImportPage />
                        </ParentRoute>
                    </ParentRoute>
                    <ParentRoute path=path!("/cam") view=|| view! { <RequireKeys vendor=Vendor::Tencent /> }>
                        <Route path=path!("") view=cam::users::CamUsersPage />
                        <Route path=path!("new") view=cam::add::AddUserPage />
                        <Route path=path!("users/:name") view=cam::detail::CamUserPage />
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}
