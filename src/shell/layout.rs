//! The frame around every page: the top bar (areas, Settings, which keys are
//! held), the start page's redirect and the not-found page.

use super::router::{Redirect, A};
use leptos::prelude::*;

use super::session::Keys;
use super::use_session;

#[component]
pub fn TopBar() -> impl IntoView {
    let session = use_session();
    view! {
        <header class="topbar">
            <a class="skip" href="#main">"Skip to content"</a>
            <A href=crate::shell::href("/") attr:class="brand">"SAG Console"</A>
            <nav aria-label="Main">
                <A href=crate::shell::href("/sag")>"SAG instances"</A>
                <A href=crate::shell::href("/cam")>"CAM users"</A>
                <A href=crate::shell::href("/connect")>"Settings"</A>
            </nav>
            <span class="spacer"></span>
            <span class="connection" id="connection-state" title="Alibaba Cloud">
                {move || key_state("Alibaba", session.aliyun)}
            </span>
            <span class="connection" id="tencent-state" title="Tencent Cloud">
                {move || key_state("Tencent", session.tencent)}
            </span>
        </header>
    }
}

/// "Alibaba: Key LTAI…ey01 (STS) · remembered" or "Alibaba: Not connected".
fn key_state(cloud: &str, keys: Keys) -> String {
    match keys.credentials.get() {
        Some(c) => format!(
            "{cloud}: Key {}{}{}",
            mask(&c.access_key_id),
            if c.security_token.is_some() {
                " (temporary)"
            } else {
                ""
            },
            if keys.remembered.get() {
                " · remembered"
            } else {
                ""
            }
        ),
        None => format!("{cloud}: Not connected"),
    }
}

/// Shows the start and end of a key ID, never the whole.
pub fn mask(id: &str) -> String {
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

/// `/`: the SAG instances with Alibaba keys, else the CAM users with Tencent
/// keys, else Settings.
#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    move || {
        let to = if session.aliyun.connected() {
            "/sag"
        } else if session.tencent.connected() {
            "/cam"
        } else {
            "/connect"
        };
        view! { <Redirect path=to /> }
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page narrow">
            <h1>"Page not found"</h1>
            <p>"This address is not a page of the console."</p>
            <A href=crate::shell::href("/")>"Go to the start"</A>
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn key_ids_are_masked() {
        assert_eq!(super::mask("LTAIdemoConsoleKey01"), "LTAI…ey01");
        assert_eq!(super::mask("short"), "…");
    }
}
