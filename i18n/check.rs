// The translation files' own check, shared by `build.rs` (a problem fails
// the build) and `tests/i18n.rs` (the same check as a native test).
//
// `locales/en.json` is the reference. Every other locale must have exactly
// its keys (nested objects are namespaces), and every message must use the
// same `{{ parameters }}` as the English one, so no English leaks into
// another language unnoticed.

use std::collections::{BTreeMap, BTreeSet};

/// Flattens `{"a": {"b": "x"}}` to `a.b -> x`.
fn flatten(prefix: &str, value: &serde_json::Value, out: &mut BTreeMap<String, String>) -> Result<(), String> {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flatten(&path, v, out)?;
            }
            Ok(())
        }
        serde_json::Value::String(s) => {
            out.insert(prefix.to_owned(), s.clone());
            Ok(())
        }
        other => Err(format!("{prefix}: a message must be a string, found {other}")),
    }
}

/// The `{{ name }}` parameters a message uses.
fn parameters(message: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = message;
    while let Some(at) = rest.find("{{") {
        let after = &rest[at + 2..];
        let Some(end) = after.find("}}") else { break };
        found.insert(after[..end].trim().to_owned());
        rest = &after[end + 2..];
    }
    found
}

/// Reads a locale file into its flat keys.
fn read_locale(path: &std::path::Path) -> Result<BTreeMap<String, String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    let mut out = BTreeMap::new();
    flatten("", &value, &mut out).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(out)
}

/// Every problem found comparing each locale in `dir` with `en.json`;
/// empty when the translations are complete.
pub fn check_locales(dir: &std::path::Path, locales: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    let reference = match read_locale(&dir.join("en.json")) {
        Ok(r) => r,
        Err(e) => return vec![e],
    };
    for locale in locales.iter().filter(|l| **l != "en") {
        let other = match read_locale(&dir.join(format!("{locale}.json"))) {
            Ok(o) => o,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        for (key, english) in &reference {
            match other.get(key) {
                None => problems.push(format!("{locale}.json lacks the key {key} (en: {english:?})")),
                Some(text) => {
                    let (want, got) = (parameters(english), parameters(text));
                    if want != got {
                        problems.push(format!(
                            "{locale}.json: {key} uses the parameters {got:?}, en.json uses {want:?}"
                        ));
                    }
                    if text.trim().is_empty() {
                        problems.push(format!("{locale}.json: {key} is empty"));
                    }
                }
            }
        }
        for key in other.keys().filter(|k| !reference.contains_key(*k)) {
            problems.push(format!("{locale}.json has the key {key}, which en.json does not"));
        }
    }
    problems
}

/// The languages the console ships, the first being the default.
pub const LOCALES: &[&str] = &["en", "zh-CN"];
