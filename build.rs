//! Compiles the translations in `locales/` into the `i18n` module
//! (leptos_i18n): every key becomes a typed accessor, so a key the code
//! uses but `en.json` lacks fails to compile. `i18n/check.rs` then fails the
//! build when another language lacks a key or a message's parameters differ
//! from the English ones.
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

include!("i18n/check.rs");

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=i18n/check.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let problems = check_locales(std::path::Path::new("locales"), LOCALES);
    if !problems.is_empty() {
        return Err(format!(
            "the translations are incomplete:\n  {}",
            problems.join("\n  ")
        )
        .into());
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("i18n");
    // `interpolate_display`: messages with parameters can also be plain
    // strings (`t_string!`), for titles, attributes and status lines.
    let mut cfg =
        Config::new(LOCALES[0])?.parse_options(ParseOptions::default().interpolate_display(true));
    for locale in &LOCALES[1..] {
        cfg = cfg.add_locale(locale)?;
    }
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    Ok(())
}
