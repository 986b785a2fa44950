//! The console's translations: `locales/<language>.json`, compiled by
//! `build.rs` into [`Locale`] and [`keys`] (see `docs/i18n.md`).
//!
//! - `td_string!(locale, group.key)`: a message without parameters, as
//!   `&'static str`;
//! - `td_string!(locale, group.key, name = expr, other)`: a message with
//!   parameters (`other` is short for `other = other`), as `String`; a
//!   parameter missing or one the message does not have fails to compile;
//! - `t_string!(i18n, …)`: the same in the language of the context `i18n`
//!   (reactive: read inside a closure, it re-words on a switch);
//! - [`use_i18n`]: the chosen language, provided by [`I18nContextProvider`].
//!
//! The strings of every language are in the wasm (about 25 KB of UTF-8 for
//! Chinese before compression); a message with parameters is one small
//! struct and a table of pieces, filled by one shared [`fill`].

use std::fmt::{Display, Write as _};

use leptos::prelude::*;

include!(concat!(env!("OUT_DIR"), "/i18n_keys.rs"));

/// One piece of a message with parameters: text, or the parameter at an
/// index (the parameters sorted by name).
#[doc(hidden)]
pub enum Piece {
    Text(&'static str),
    Arg(usize),
}

/// Writes a message's pieces with its parameters' values.
#[doc(hidden)]
pub fn fill(pieces: &[Piece], args: &[&dyn Display]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Arg(i) => {
                let _ = write!(out, "{}", args[*i]);
            }
        }
    }
    out
}

/// The chosen language, shared by every component (a copyable handle).
#[derive(Clone, Copy)]
pub struct I18nContext(RwSignal<Locale>);

impl I18nContext {
    /// The language, tracked: a closure reading it re-runs on a switch.
    pub fn get_locale(self) -> Locale {
        self.0.get()
    }

    pub fn get_locale_untracked(self) -> Locale {
        self.0.get_untracked()
    }

    pub fn set_locale(self, locale: Locale) {
        if self.0.get_untracked() != locale {
            self.0.set(locale);
        }
    }
}

/// The language context [`I18nContextProvider`] provides.
pub fn use_i18n() -> I18nContext {
    use_context::<I18nContext>().expect("inside I18nContextProvider")
}

/// Provides the language to `children`, starting with `initial` (the app
/// gives `shell::language::initial()`: the admin's remembered choice, else
/// the browser's; English when not given), and keeps `<html lang>` equal
/// to it.
#[component]
pub fn I18nContextProvider(
    children: Children,
    #[prop(optional)] initial: Option<Locale>,
) -> impl IntoView {
    let locale = RwSignal::new(initial.unwrap_or(Locale::en));
    provide_context(I18nContext(locale));
    Effect::new(move |_| {
        let tag = locale.get().as_str();
        if let Some(html) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = html.set_attribute("lang", tag);
        }
    });
    children()
}

/// `td_string!(locale, group.key)` or `td_string!(locale, group.key, p = v, q)`.
macro_rules! td_string {
    ($locale:expr, $group:ident . $key:ident $(,)?) => {
        $crate::i18n::keys::$group::$key[($locale) as usize]
    };
    ($locale:expr, $group:ident . $key:ident $(, $param:ident $(= $value:expr)?)+ $(,)?) => {
        $crate::i18n::keys::$group::$key {
            $($param: &$crate::i18n::__arg!($param $(, $value)?),)+
        }
        .render($locale)
    };
}

/// `t_string!(i18n, …)`: `td_string!` in the context's language.
macro_rules! t_string {
    ($i18n:expr, $($rest:tt)+) => {
        $crate::i18n::td_string!(($i18n).get_locale(), $($rest)+)
    };
}

#[doc(hidden)]
macro_rules! __arg {
    ($param:ident) => {
        $param
    };
    ($param:ident, $value:expr) => {
        $value
    };
}

pub(crate) use {__arg, t_string, td_string};

/// The console's language for a browser's preferred languages, in order:
/// the first that is English (`en`, `en-GB`, …) or Chinese (`zh`, `zh-CN`,
/// `zh-Hans`, `zh-TW`, …: the console's only Chinese is Simplified); English
/// when none is.
pub fn preferred_locale<S: AsRef<str>>(languages: &[S]) -> Locale {
    for tag in languages {
        let primary = tag.as_ref().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            return Locale::zh_CN;
        }
        if primary.eq_ignore_ascii_case("en") {
            return Locale::en;
        }
    }
    Locale::en
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn a_message_is_filled_in_each_language() {
        let listed = 1998;
        let en = td_string!(Locale::en, users.disagreement, reported = 2000, listed);
        assert_eq!(
            en,
            keys::users::disagreement {
                reported: &2000,
                listed: &1998
            }
            .render(Locale::en)
        );
        assert!(en.contains("2000") && en.contains("1998"), "{en}");
        let zh = td_string!(Locale::zh_CN, users.disagreement, listed, reported = 2000);
        assert!(
            zh.contains("2000") && zh.contains("1998") && zh != en,
            "{zh}"
        );
        assert_eq!(td_string!(Locale::en, shell.language), "Language");
        assert_ne!(
            td_string!(Locale::zh_CN, shell.language),
            td_string!(Locale::en, shell.language)
        );
    }

    #[test]
    fn locales_read_and_write_their_tags() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_str(locale.as_str()), Ok(locale));
        }
        assert_eq!(Locale::from_str(" zh-CN "), Ok(Locale::zh_CN));
        assert_eq!(Locale::from_str("zh"), Err(()));
        assert_eq!(Locale::default(), Locale::en);
    }

    #[test]
    fn pieces_fill_in_order() {
        let pieces = [
            Piece::Text("a "),
            Piece::Arg(1),
            Piece::Text(" b "),
            Piece::Arg(0),
        ];
        assert_eq!(fill(&pieces, &[&"x", &2]), "a 2 b x");
    }
}

#[cfg(test)]
mod language_tests {
    use super::{preferred_locale, Locale};

    #[test]
    fn a_browser_preferring_any_chinese_gets_simplified_chinese_and_others_english() {
        for prefers in [
            &["zh-CN"][..],
            &["zh"],
            &["zh-Hans"],
            &["zh-Hans-CN", "en"],
            &["fr", "zh-CN"],
            &["zh_TW"],
        ] {
            assert_eq!(preferred_locale(prefers), Locale::zh_CN, "{prefers:?}");
        }
        for prefers in [&["en-US"][..], &["en-GB", "zh-CN"], &["fr"], &[]] {
            assert_eq!(preferred_locale(prefers), Locale::en, "{prefers:?}");
        }
    }
}
