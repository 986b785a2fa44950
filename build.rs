//! Compiles the translations in `locales/` into the `i18n` module's keys
//! (`$OUT_DIR/i18n_keys.rs`, included by `src/i18n.rs`).
//!
//! `i18n/check.rs` first fails the build when another language lacks a key,
//! has one `en.json` does not, has an empty message, or uses other
//! `{{ parameters }}` than the English message. Then every key becomes a
//! typed item, so a key the code uses but `en.json` lacks, a missing
//! parameter or a parameter the message does not have fails to compile:
//! - a message without parameters: `keys::<group>::<key>: [&str; N]`, one
//!   entry per language (`td_string!(l, group.key)` indexes it);
//! - a message with parameters: a struct `keys::<group>::<key>` with one
//!   `&dyn Display` field per parameter, whose `render(locale)` fills the
//!   message's pieces (`td_string!(l, group.key, name = …)` builds it).
use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

include!("i18n/check.rs");

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=i18n/check.rs");
    println!("cargo::rerun-if-changed=locales");
    for locale in LOCALES {
        println!("cargo::rerun-if-changed=locales/{locale}.json");
    }
    let dir = Path::new("locales");
    let problems = check_locales(dir, LOCALES);
    if !problems.is_empty() {
        return Err(format!(
            "the translations are incomplete:\n  {}",
            problems.join("\n  ")
        )
        .into());
    }
    let mut messages = Vec::new();
    for locale in LOCALES {
        messages.push(read_locale(&dir.join(format!("{locale}.json")))?);
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?)
        .join("i18n_keys.rs");
    std::fs::write(out, generate(LOCALES, &messages)?)?;
    Ok(())
}

/// The Rust name of a locale: `zh-CN` -> `zh_CN`.
fn variant(locale: &str) -> String {
    locale.replace('-', "_")
}

/// A message split at its `{{ parameters }}`: text and parameter names.
fn pieces(message: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut rest = message;
    while let Some(at) = rest.find("{{") {
        let after = &rest[at + 2..];
        let Some(end) = after.find("}}") else { break };
        if at > 0 {
            out.push((false, rest[..at].to_owned()));
        }
        out.push((true, after[..end].trim().to_owned()));
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        out.push((false, rest.to_owned()));
    }
    out
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn generate(locales: &[&str], messages: &[BTreeMap<String, String>]) -> Result<String, String> {
    let mut code = String::new();
    let n = locales.len();
    let w = &mut code;
    let _ = writeln!(w, "/// A language the console speaks; `en` is the default.");
    let _ = writeln!(
        w,
        "#[allow(non_camel_case_types)]\n#[derive(Clone, Copy, Debug, Default, Hash, PartialEq, Eq)]\npub enum Locale {{"
    );
    for (i, locale) in locales.iter().enumerate() {
        let default = if i == 0 { "#[default] " } else { "" };
        let _ = writeln!(w, "    {default}{},", variant(locale));
    }
    let _ = writeln!(w, "}}\n\nimpl Locale {{");
    let _ = writeln!(w, "    /// Every language, the default first.");
    let all: Vec<String> = locales
        .iter()
        .map(|l| format!("Locale::{}", variant(l)))
        .collect();
    let _ = writeln!(
        w,
        "    pub const ALL: [Locale; {n}] = [{}];",
        all.join(", ")
    );
    let _ = writeln!(w, "    /// The BCP 47 tag (`<html lang>`, storage).");
    let _ = writeln!(
        w,
        "    pub const fn as_str(self) -> &'static str {{\n        match self {{"
    );
    for locale in locales {
        let _ = writeln!(w, "            Locale::{} => {locale:?},", variant(locale));
    }
    let _ = writeln!(w, "        }}\n    }}\n}}\n");
    let _ = writeln!(
        w,
        "impl core::str::FromStr for Locale {{\n    type Err = ();\n    fn from_str(s: &str) -> Result<Self, ()> {{\n        match s.trim() {{"
    );
    for locale in locales {
        let _ = writeln!(
            w,
            "            {locale:?} => Ok(Locale::{}),",
            variant(locale)
        );
    }
    let _ = writeln!(w, "            _ => Err(()),\n        }}\n    }}\n}}\n");

    // Keys, grouped by their first part.
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for key in messages[0].keys() {
        let (group, name) = key
            .split_once('.')
            .filter(|(_, name)| !name.contains('.'))
            .ok_or_else(|| format!("en.json: {key}: keys are group.key, two levels"))?;
        for part in [group, name] {
            if !is_ident(part) {
                return Err(format!(
                    "en.json: {key}: {part:?} must be lower-case letters, digits and _"
                ));
            }
        }
        groups.entry(group).or_default().push(name);
    }
    let _ = writeln!(w, "/// Every message, `keys::<group>::<key>`.");
    let _ = writeln!(
        w,
        "#[allow(non_upper_case_globals, non_camel_case_types, clippy::all)]\npub mod keys {{"
    );
    for (group, names) in &groups {
        let _ = writeln!(w, "    pub mod {group} {{");
        let _ = writeln!(
            w,
            "        #[allow(unused_imports)]\n        use crate::i18n::{{Locale, Piece}};"
        );
        for name in names {
            let key = format!("{group}.{name}");
            let texts: Vec<&String> = messages.iter().map(|m| &m[&key]).collect();
            let params: BTreeSet<String> = pieces(texts[0])
                .into_iter()
                .filter(|(param, _)| *param)
                .map(|(_, p)| p)
                .collect();
            let _ = writeln!(w, "        /// en: {:?}", texts[0]);
            if params.is_empty() {
                let list: Vec<String> = texts.iter().map(|t| format!("{t:?}")).collect();
                let _ = writeln!(
                    w,
                    "        pub const {name}: [&str; {n}] = [{}];",
                    list.join(", ")
                );
                continue;
            }
            let index: BTreeMap<&String, usize> =
                params.iter().enumerate().map(|(i, p)| (p, i)).collect();
            for p in &params {
                if !is_ident(p) {
                    return Err(format!("{key}: the parameter {p:?} is not a Rust name"));
                }
            }
            let _ = writeln!(w, "        pub struct {name}<'a> {{");
            for p in &params {
                let _ = writeln!(w, "            pub {p}: &'a dyn core::fmt::Display,");
            }
            let _ = writeln!(w, "        }}");
            let _ = writeln!(w, "        impl {name}<'_> {{");
            let _ = writeln!(
                w,
                "            pub fn render(&self, locale: Locale) -> String {{"
            );
            let _ = writeln!(w, "                static PIECES: [&[Piece]; {n}] = [");
            for text in &texts {
                let list: Vec<String> = pieces(text)
                    .iter()
                    .map(|(param, s)| match param {
                        true => format!("Piece::Arg({})", index[s]),
                        false => format!("Piece::Text({s:?})"),
                    })
                    .collect();
                let _ = writeln!(w, "                    &[{}],", list.join(", "));
            }
            let _ = writeln!(w, "                ];");
            let args: Vec<String> = params.iter().map(|p| format!("self.{p}")).collect();
            let _ = writeln!(
                w,
                "                crate::i18n::fill(PIECES[locale as usize], &[{}])",
                args.join(", ")
            );
            let _ = writeln!(w, "            }}\n        }}");
        }
        let _ = writeln!(w, "    }}");
    }
    let _ = writeln!(w, "}}");
    Ok(code)
}
