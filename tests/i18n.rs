//! The translation files, checked as `build.rs` checks them: every key of
//! `locales/en.json` exists in every other language, none is empty, none is
//! extra, and every message uses the same `{{ parameters }}` as the English.
//! Then the check itself is shown to catch each kind of mistake.

#![cfg(not(target_arch = "wasm32"))]

include!("../i18n/check.rs");

use std::path::Path;

#[test]
fn every_language_has_every_key_with_the_same_parameters() {
    let problems = check_locales(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .as_path(),
        LOCALES,
    );
    assert!(
        problems.is_empty(),
        "the translations are incomplete:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_shipped_languages_are_english_and_simplified_chinese() {
    assert_eq!(LOCALES, ["en", "zh-CN"]);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    for locale in LOCALES {
        assert!(
            dir.join(format!("{locale}.json")).is_file(),
            "{locale}.json is missing"
        );
    }
}

#[test]
fn a_missing_key_an_extra_key_and_a_changed_parameter_are_each_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("en.json"),
        r#"{"a": {"hello": "Hello {{ name }}", "bye": "Bye"}, "count": "{{ n }} users"}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("zh-CN.json"),
        r#"{"a": {"hello": "你好 {{ user }}", "extra": "多余"}, "count": " "}"#,
    )
    .unwrap();
    let problems = check_locales(dir.path(), &["en", "zh-CN"]);
    let all = problems.join("\n");
    assert!(all.contains("lacks the key a.bye"), "{all}");
    assert!(all.contains("has the key a.extra"), "{all}");
    assert!(
        all.contains("a.hello uses the parameters {\"user\"}"),
        "{all}"
    );
    assert!(all.contains("count uses the parameters {}"), "{all}");
    assert!(all.contains("count is empty"), "{all}");
    assert_eq!(problems.len(), 5, "{all}");
}
