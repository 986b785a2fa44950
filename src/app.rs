//! The root: loads `config.json`, then mounts the console with its routes.
//! A missing or broken configuration gets a page saying what is wrong.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes, A};
use leptos_router::path;

use crate::config::{ConfigError, RuntimeConfig};
use crate::session::Session;
use crate::ui::users::JustCreated;
use crate::ui::{self, AppConfig, Notices};

/// The path the app is served under (from `<base href>`), for the router.
fn base_path() -> String {
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

/// The console, once configured.
#[component]
pub fn Console(config: RuntimeConfig) -> impl IntoView {
    provide_context(AppConfig(Arc::new(config)));
    provide_context(Session::load());
    provide_context(Notices(RwSignal::new(Vec::new())));
    provide_context(JustCreated(RwSignal::new(None)));
    let base = base_path();
    view! {
        <Router base=base>
            <TopBar />
            <main id="main">
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/connect") view=ui::connect::ConnectPage />
                    <Route path=path!("/sag") view=ui::instances::InstancesPage />
                    <Route path=path!("/sag/:region/:instance") view=ui::users::UsersPage />
                    <Route path=path!("/sag/:region/:instance/new") view=ui::create::CreatePage />
                    <Route path=path!("/sag/:region/:instance/online") view=ui::online::OnlinePage />
                </Routes>
            </main>
            <ui::NoticeArea />
        </Router>
    }
}

#[component]
fn TopBar() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <header class="topbar">
            <a class="skip" href="#main">"Skip to content"</a>
            <A href="/" attr:class="brand">"SAG Console"</A>
            <nav aria-label="Main">
                <A href="/sag">"Instances"</A>
                <A href="/connect">"Settings"</A>
            </nav>
            <span class="spacer"></span>
            <span class="connection" id="connection-state">
                {move || match session.credentials.get() {
                    Some(c) => format!(
                        "Key {}{}{}",
                        mask(&c.access_key_id),
                        if c.security_token.is_some() { " (STS)" } else { "" },
                        if session.remembered.get() { " · remembered" } else { "" }
                    ),
                    None => "Not connected".to_owned(),
                }}
            </span>
        </header>
    }
}

/// Shows the start and end of a key ID, never the whole.
fn mask(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        "…".to_owned()
    } else {
        format!(
            "{}…{}",
            chars[..4].iter().collect::<String>(),
            chars[chars.len() - 4..].iter().collect::<String>()
        )
    }
}

#[component]
fn Home() -> impl IntoView {
    let session = expect_context::<Session>();
    move || {
        if session.credentials.get().is_some() {
            view! { <Redirect path="/sag" /> }.into_any()
        } else {
            view! { <Redirect path="/connect" /> }.into_any()
        }
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="page narrow">
            <h1>"Page not found"</h1>
            <p>"This address is not a page of the console."</p>
            <A href="/">"Go to the start"</A>
        </section>
    }
}
