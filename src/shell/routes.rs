//! The console's addresses: which page a path shows (`Page::of`), the path
//! of a page (`Page::href`, its segments percent-encoded), and the sub-path
//! the console is served under. Every module that needs an address asks
//! here; none imports the app root.

use leptos::prelude::*;

use crate::config::RuntimeConfig;

/// The path the app is served under (from `<base href>`), for the router.
pub fn base_path() -> String {
    let href = document().base_uri().ok().flatten().unwrap_or_default();
    let path = web_sys::Url::new(&href)
        .map(|u| u.pathname())
        .unwrap_or_else(|_| "/".into());
    path.trim_end_matches('/').to_owned()
}

/// The page an address shows. Each instance page and the CAM user page carry
/// their path parameters, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Home,
    Connect,
    Instances,
    Instance {
        region: String,
        instance: String,
        tab: InstanceTab,
    },
    CamUsers,
    CamAdd,
    CamUser {
        name: String,
    },
    NotFound,
}

/// The pages of one SAG App instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceTab {
    Users,
    New,
    Online,
    Import,
}

impl Page {
    /// The page at a console path (`/sag/cn-shanghai/sag-app-hq01/online`).
    /// An instance page whose region `config` may not use, or whose
    /// instance ID is not of the SAG form, is not found: nothing from such
    /// an address reaches a request or an export.
    pub fn of(path: &str, config: &RuntimeConfig) -> Page {
        let decode = |s: &str| {
            js_sys::decode_uri_component(s)
                .ok()
                .and_then(|d| d.as_string())
                .unwrap_or_else(|| s.to_owned())
        };
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let instance = |region: &str, instance: &str, tab| {
            let (region, instance) = (decode(region), decode(instance));
            if config.usable_region(&region) && sag_api::validate::is_sag_instance_id(&instance) {
                Page::Instance {
                    region,
                    instance,
                    tab,
                }
            } else {
                Page::NotFound
            }
        };
        match parts.as_slice() {
            [] => Page::Home,
            ["connect"] => Page::Connect,
            ["sag"] => Page::Instances,
            ["sag", r, i] => instance(r, i, InstanceTab::Users),
            ["sag", r, i, "new"] => instance(r, i, InstanceTab::New),
            ["sag", r, i, "online"] => instance(r, i, InstanceTab::Online),
            ["sag", r, i, "import"] => instance(r, i, InstanceTab::Import),
            ["cam"] => Page::CamUsers,
            ["cam", "new"] => Page::CamAdd,
            ["cam", "users", name] => Page::CamUser { name: decode(name) },
            _ => Page::NotFound,
        }
    }

    /// The console path of this page (without the sub-path; `shell::href`
    /// adds it for a link), each segment from data percent-encoded.
    pub fn href(&self) -> String {
        let seg = |s: &str| sag_api::wire::percent_encode(s);
        match self {
            Page::Home => "/".into(),
            Page::Connect => "/connect".into(),
            Page::Instances => "/sag".into(),
            Page::Instance {
                region,
                instance,
                tab,
            } => {
                let base = format!("/sag/{}/{}", seg(region), seg(instance));
                match tab {
                    InstanceTab::Users => base,
                    InstanceTab::New => format!("{base}/new"),
                    InstanceTab::Online => format!("{base}/online"),
                    InstanceTab::Import => format!("{base}/import"),
                }
            }
            Page::CamUsers => "/cam".into(),
            Page::CamAdd => "/cam/new".into(),
            Page::CamUser { name } => format!("/cam/users/{}", seg(name)),
            Page::NotFound => "/".into(),
        }
    }

    /// The users page of one SAG instance.
    pub fn instance(region: &str, instance: &str) -> Page {
        Page::Instance {
            region: region.to_owned(),
            instance: instance.to_owned(),
            tab: InstanceTab::Users,
        }
    }
}

/// The page shown now (inside the console).
pub fn use_page() -> Memo<Page> {
    expect_context::<Memo<Page>>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_s_path_encodes_what_came_from_data() {
        assert_eq!(
            Page::instance("cn-shanghai", "sag-app-hq01").href(),
            "/sag/cn-shanghai/sag-app-hq01"
        );
        let tab = |tab| Page::Instance {
            region: "cn-shanghai".into(),
            instance: "sag-x".into(),
            tab,
        };
        assert_eq!(tab(InstanceTab::New).href(), "/sag/cn-shanghai/sag-x/new");
        assert_eq!(
            tab(InstanceTab::Online).href(),
            "/sag/cn-shanghai/sag-x/online"
        );
        assert_eq!(
            tab(InstanceTab::Import).href(),
            "/sag/cn-shanghai/sag-x/import"
        );
        // A value with a slash, a query or a line break stays one segment.
        assert_eq!(
            Page::instance("cn/../x", "sag-a?b#c\n").href(),
            "/sag/cn%2F..%2Fx/sag-a%3Fb%23c%0A"
        );
        assert_eq!(
            Page::CamUser {
                name: "ops/admin x".into()
            }
            .href(),
            "/cam/users/ops%2Fadmin%20x"
        );
        assert_eq!(Page::CamAdd.href(), "/cam/new");
    }
}
