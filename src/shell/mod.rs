//! The shell around both clouds' areas: the layout (top bar, not-found
//! page), Settings with both clouds' keys, the connection guard, and the
//! pieces every page shares (error panel, notices, dialog, form field).
//!
//! Pages reach a cloud only through their area's services; this module hands
//! them a client for the right cloud ([`Api`]).

pub mod areas;
pub mod bulk;
pub mod dialog;
pub mod errors;
pub mod field;
pub mod form;
pub mod guard;
pub mod language;
pub mod layout;
pub mod list;
pub mod notices;
pub mod operation;
pub mod outcome;
pub mod parts;
pub mod router;
pub mod routes;
pub mod run;
pub mod self_check;
pub mod session;
pub mod settings;
pub mod table;

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use sag_api::Vendor;

use crate::config::RuntimeConfig;
use crate::plumbing::transport::BrowserTransport;
use crate::plumbing::ApiClient;
use session::Session;

/// The runtime configuration, shared through context.
#[derive(Clone)]
pub struct AppConfig(pub Arc<RuntimeConfig>);

pub fn use_config() -> Arc<RuntimeConfig> {
    expect_context::<AppConfig>().0
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// A copyable handle that makes clients for either cloud anywhere, event
/// handlers and resource fetchers included (context is only reachable in
/// component bodies).
#[derive(Clone, Copy)]
pub struct Api {
    config: StoredValue<Arc<RuntimeConfig>>,
    pub session: Session,
}

impl Api {
    fn client_for(&self, vendor: Vendor, tracked: bool) -> Option<ApiClient> {
        let keys = self.session.keys(vendor);
        let credentials = if tracked {
            keys.credentials.get()
        } else {
            keys.credentials.get_untracked()
        }?;
        // Held until the next Forget of this cloud's keys.
        let forgotten = keys.forgotten.get_value();
        Some(
            ApiClient::new(
                self.config.get_value(),
                credentials,
                Rc::new(BrowserTransport),
            )
            .while_held(move || keys.forgotten.try_get_value() == Some(forgotten)),
        )
    }

    /// A client for `vendor`'s current keys (not tracked).
    pub fn client(&self, vendor: Vendor) -> Option<ApiClient> {
        self.client_for(vendor, false)
    }

    /// An Alibaba Cloud client for the current keys (not tracked).
    pub fn aliyun(&self) -> Option<ApiClient> {
        self.client_for(Vendor::Aliyun, false)
    }

    /// Like [`Api::aliyun`], but a resource or effect reading it reloads when the keys change.
    pub fn aliyun_tracked(&self) -> Option<ApiClient> {
        self.client_for(Vendor::Aliyun, true)
    }

    /// A Tencent Cloud client for the current keys (not tracked).
    pub fn tencent(&self) -> Option<ApiClient> {
        self.client_for(Vendor::Tencent, false)
    }

    /// Like [`Api::tencent`], but tracked.
    pub fn tencent_tracked(&self) -> Option<ApiClient> {
        self.client_for(Vendor::Tencent, true)
    }

    /// A client for keys being tried in Settings, not yet held by the session.
    pub fn with_credentials(&self, credentials: sag_api::Credentials) -> ApiClient {
        ApiClient::new(
            self.config.get_value(),
            credentials,
            Rc::new(BrowserTransport),
        )
    }
}

/// Call in a component body.
pub fn use_api() -> Api {
    Api {
        config: StoredValue::new(use_config()),
        session: use_session(),
    }
}

/// The `href` of a link to the console's own `path` ("/sag/…"): with the
/// sub-path the console is deployed under in front. The router's click
/// handler leaves a link outside the base to the browser, which would then
/// load a page of the site that is not the console.
pub fn href(path: &str) -> String {
    thread_local! {
        static BASE: String = crate::shell::routes::base_path();
    }
    BASE.with(|base| format!("{base}{path}"))
}

/// The console's own path for the browser's `pathname` ("/sag/…"), as the
/// router's `navigate` and `<A href>` take it: without the sub-path the
/// console is deployed under (`<base href>`), which the router adds back.
pub fn app_path(pathname: &str) -> String {
    strip_base(&crate::shell::routes::base_path(), pathname)
}

fn strip_base(base: &str, pathname: &str) -> String {
    match pathname.strip_prefix(base) {
        Some(rest) if !base.is_empty() && (rest.is_empty() || rest.starts_with('/')) => {
            if rest.is_empty() {
                "/".into()
            } else {
                rest.into()
            }
        }
        _ => pathname.into(),
    }
}

/// How a page moves on after its form or dialog did its work: the page it
/// leaves is replaced in the history (Back does not return to a submitted
/// form).
pub fn after_submit() -> router::NavigateOptions {
    router::NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_deployment_sub_path_is_not_part_of_the_console_path() {
        use super::strip_base;
        assert_eq!(strip_base("", "/sag/cn-shanghai/x"), "/sag/cn-shanghai/x");
        assert_eq!(
            strip_base("/sag-console", "/sag-console/sag/cn-shanghai/x"),
            "/sag/cn-shanghai/x"
        );
        assert_eq!(strip_base("/sag-console", "/sag-console"), "/");
        assert_eq!(strip_base("/sag-console", "/sag-console/"), "/");
        // Only a whole path segment is the base.
        assert_eq!(strip_base("/sag", "/sag-console/x"), "/sag-console/x");
    }
}
