//! The console's language: English or Simplified Chinese (`locales/*.json`,
//! compiled by `build.rs` into `crate::i18n`). It follows the browser's
//! languages (`navigator.languages`, the first English or Chinese one, see
//! `i18n::preferred_locale`) until the admin picks one in the top bar; that
//! choice is remembered in this browser (localStorage, not a secret).
//! The app gives it to `i18n::I18nContextProvider`, which sets `<html lang>`.

use std::str::FromStr;

use leptos::prelude::*;

use crate::i18n::{td_string, use_i18n, Locale};
use crate::plumbing::platform;

/// Where the admin's choice is kept.
pub const STORAGE_KEY: &str = "sag-console.language";

/// The remembered choice, if the admin made one.
pub fn remembered() -> Option<Locale> {
    platform::storage_get(STORAGE_KEY).and_then(|s| Locale::from_str(&s).ok())
}

/// The browser's preferred languages, most preferred first.
fn browser_languages() -> Vec<String> {
    web_sys::window()
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .filter_map(|l| l.as_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The language to start with: the remembered choice, else the browser's
/// first English or Chinese language, else English.
pub fn initial() -> Locale {
    remembered().unwrap_or_else(|| crate::i18n::preferred_locale(&browser_languages()))
}

/// Keeps other tabs of the console in step with a choice made in one.
#[component]
pub fn RememberedLanguage() -> impl IntoView {
    let i18n = use_i18n();
    platform::on_storage(move |key, value| {
        if key == STORAGE_KEY {
            if let Some(locale) = value.and_then(|v| Locale::from_str(&v).ok()) {
                i18n.set_locale(locale);
            }
        }
    });
}

/// The top bar's language menu. Each language is named in itself, so an
/// admin who cannot read the current one still finds theirs.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="language">
            <span class="visually-hidden">{tr(|l| td_string!(l, shell.language))}</span>
            <select
                id="language"
                prop:value=move || i18n.get_locale().as_str()
                on:change=move |ev| {
                    if let Ok(locale) = Locale::from_str(&event_target_value(&ev)) {
                        platform::storage_set(STORAGE_KEY, locale.as_str());
                        i18n.set_locale(locale);
                    }
                }
            >
                <option value="en" lang="en">"English"</option>
                <option value="zh-CN" lang="zh-CN">"简体中文"</option>
            </select>
        </label>
    }
}

/// A fixed sentence as a function of the language, kept in a signal so a
/// switch of language re-words it (`|l| td_string!(l, edit.unchanged)`).
pub type Words = fn(Locale) -> &'static str;

/// A fixed text in the chosen language, as one concrete reactive type:
/// `{tr(|l| td_string!(l, users.edit))}`. Rendering `t!`'s view closures
/// instead costs a monomorphised renderer per call site (about 30 KB of
/// wasm for the first screens translated); a `Signal<&'static str>` is
/// rendered by one shared copy.
pub fn tr(text: fn(Locale) -> &'static str) -> Signal<&'static str> {
    let i18n = use_i18n();
    Signal::derive(move || text(i18n.get_locale()))
}
