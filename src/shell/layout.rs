//! The frame around every page: the top bar (areas, Settings, which keys are
//! held), the start page's redirect and the not-found page.

use super::router::{Redirect, A};
use leptos::prelude::*;

use super::language::LanguageSwitch;
use super::session::Keys;
use super::use_session;
use crate::i18n::{t_string, td_string, use_i18n};
use crate::shell::language::tr;

#[component]
pub fn TopBar() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <a class="skip" href="#main">{tr(|l| td_string!(l, shell.skip_to_content))}</a>
            <A href=crate::shell::href("/") attr:class="brand">{tr(|l| td_string!(l, shell.brand))}</A>
            <nav aria-label=tr(|l| td_string!(l, shell.main_nav))>
                <A href=crate::shell::href("/sag")>{tr(|l| td_string!(l, shell.nav_sag))}</A>
                <A href=crate::shell::href("/cam")>{tr(|l| td_string!(l, shell.nav_cam))}</A>
                <A href=crate::shell::href("/connect")>{tr(|l| td_string!(l, shell.nav_settings))}</A>
            </nav>
            <span class="spacer"></span>
            <span class="connection" id="connection-state" title=tr(|l| td_string!(l, shell.alibaba_cloud))>
                {move || key_state(t_string!(i18n, shell.alibaba), session.aliyun)}
            </span>
            <span class="connection" id="tencent-state" title=tr(|l| td_string!(l, shell.tencent_cloud))>
                {move || key_state(t_string!(i18n, shell.tencent), session.tencent)}
            </span>
            <LanguageSwitch />
        </header>
    }
}

/// "Alibaba: Key LTAI…ey01 (temporary) · remembered" or "Alibaba: Not
/// connected", in the chosen language.
fn key_state(cloud: &str, keys: Keys) -> String {
    let i18n = use_i18n();
    match keys.credentials.get() {
        Some(c) => {
            let mut text =
                t_string!(i18n, shell.key_state, cloud, key = mask(&c.access_key_id)).to_string();
            if c.security_token.is_some() {
                text.push_str(t_string!(i18n, shell.key_temporary));
            }
            if keys.remembered.get() {
                text.push_str(t_string!(i18n, shell.key_remembered));
            }
            text
        }
        None => t_string!(i18n, shell.not_connected, cloud).to_string(),
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
            <h1>{tr(|l| td_string!(l, shell.not_found_title))}</h1>
            <p>{tr(|l| td_string!(l, shell.not_found_text))}</p>
            <A href=crate::shell::href("/")>{tr(|l| td_string!(l, shell.go_to_start))}</A>
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
