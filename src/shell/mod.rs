//! The shell around both clouds' areas: the layout (top bar, not-found
//! page), Settings with both clouds' keys, the connection guard, and the
//! pieces every page shares (error panel, notices, dialog, form field).
//!
//! Pages reach a cloud only through their area's services; this module hands
//! them a client for the right cloud ([`Api`]).

pub mod dialog;
pub mod errors;
pub mod field;
pub mod form;
pub mod guard;
pub mod layout;
pub mod list;
pub mod notices;
pub mod self_check;
pub mod session;
pub mod settings;

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
        Some(ApiClient::new(
            self.config.get_value(),
            credentials,
            Rc::new(BrowserTransport),
        ))
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

/// How a page moves on after its form or dialog did its work: the page it
/// leaves is replaced in the history (Back does not return to a submitted
/// form). Replacing also keeps the address bar right where pushing would not:
/// after Back then Forward, leptos_router 0.8 believes it is already at the
/// list's address and leaves the old one showing.
pub fn after_submit() -> leptos_router::NavigateOptions {
    leptos_router::NavigateOptions {
        replace: true,
        ..Default::default()
    }
}
