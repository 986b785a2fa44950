//! Lenient decoding of vendor JSON: numbers that arrive as strings, lists
//! wrapped in an object (`"Users": {"User": [...]}`), a one-element list sent
//! as a bare object, and fields that are missing or `null`.
//!
//! Written by hand over [`crate::json::Value`] rather than derived with serde:
//! the derived decoders were about 48 KB of the wasm (docs/performance.md).
//! Every error names its field and, in a list, the element's place
//! (`Users: [1]: IsStaticIp: expected 0, 1, true or false, got "maybe"`), so
//! a support ticket says which one.

use crate::json::Value;

/// A response type read from the vendor's JSON object.
pub trait FromJson: Sized {
    fn from_json(value: &Value) -> Result<Self, String>;
}

/// The fields of one JSON object, each read leniently; an error names its
/// field.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a>(&'a Value);

impl<'a> Fields<'a> {
    /// `value` must be an object.
    pub fn of(value: &'a Value) -> Result<Fields<'a>, String> {
        match value {
            Value::Object(_) => Ok(Fields(value)),
            other => Err(format!("expected an object, got {}", shown(other))),
        }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key)
    }

    fn named<T>(key: &str, result: Result<T, String>) -> Result<T, String> {
        result.map_err(|e| format!("{key}: {e}"))
    }

    /// A string, or a number or boolean rendered as one; missing or `null` give `""`.
    pub fn string(&self, key: &str) -> Result<String, String> {
        self.opt_string(key).map(Option::unwrap_or_default)
    }

    /// Like [`Fields::string`], but missing, `null` or `""` give `None`.
    pub fn opt_string(&self, key: &str) -> Result<Option<String>, String> {
        Self::named(key, opt_string(self.get(key)))
    }

    /// A whole non-negative number or a numeric string; missing, `null` or `""` give 0.
    pub fn u64(&self, key: &str) -> Result<u64, String> {
        self.opt_u64(key).map(Option::unwrap_or_default)
    }

    /// Like [`Fields::u64`], but missing, `null` or `""` give `None`.
    pub fn opt_u64(&self, key: &str) -> Result<Option<u64>, String> {
        Self::named(key, opt_u64(self.get(key)))
    }

    /// A signed number or a numeric string (epoch seconds); `None` when absent.
    pub fn opt_i64(&self, key: &str) -> Result<Option<i64>, String> {
        Self::named(key, opt_i64(self.get(key)))
    }

    /// A yes/no flag (see [`flag`]).
    pub fn flag(&self, key: &str) -> Result<bool, String> {
        Self::named(key, flag(self.get(key)))
    }

    /// A list that may arrive as one object or nothing.
    pub fn list<T: FromJson>(&self, key: &str) -> Result<Vec<T>, String> {
        Self::named(key, list(self.get(key).unwrap_or(&Value::Null)))
    }

    /// The list under `inner` of a wrapper object such as `{"User": [...]}`
    /// (the list without its wrapper is read too).
    pub fn wrapped<T: FromJson>(&self, key: &str, inner: &str) -> Result<Vec<T>, String> {
        let outer = self.get(key).unwrap_or(&Value::Null);
        Self::named(key, list(outer.get(inner).unwrap_or(outer)))
    }
}

/// A value as an error message shows it (strings quoted).
fn shown(value: &Value) -> String {
    value.to_string()
}

fn opt_u64(value: Option<&Value>) -> Result<Option<u64>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_whole_u64()
            .map(Some)
            .ok_or_else(|| format!("expected a whole non-negative number, got {n}")),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| format!("expected a number, got {s:?}")),
        Some(other) => Err(format!("expected a number, got {}", shown(other))),
    }
}

fn opt_i64(value: Option<&Value>) -> Result<Option<i64>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| format!("expected a whole number, got {n}")),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| format!("expected a number, got {s:?}")),
        Some(other) => Err(format!("expected a number, got {}", shown(other))),
    }
}

fn opt_string(value: Option<&Value>) -> Result<Option<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(other) => Err(format!("expected a string, got {}", shown(other))),
    }
}

/// Reads a list: an array, a single object (a one-element list collapsed by
/// an XML-to-JSON converter), or nothing (`null`, `""`, `{}`). An element
/// that cannot be decoded is named by its place (`[3]: ...`).
pub fn list<T: FromJson>(value: &Value) -> Result<Vec<T>, String> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::String(s) if s.is_empty() => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| T::from_json(v).map_err(|e| format!("[{i}]: {e}")))
            .collect(),
        Value::Object(map) if map.is_empty() => Ok(Vec::new()),
        single => Ok(vec![T::from_json(single)?]),
    }
}

/// A yes/no flag as SDKs disagree on its type: `true`/`false`, `1`/`0`, or
/// those as strings; `null`, `""` or absent give `false`. Any other number
/// than 0 counts as yes (the wire's flags are 0 or 1).
pub fn flag(value: Option<&Value>) -> Result<bool, String> {
    let refused = |got: String| format!("expected 0, 1, true or false, got {got}");
    match value {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(|v| v != 0)
            .ok_or_else(|| refused(n.to_string())),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "" | "0" | "false" => Ok(false),
            "1" | "true" => Ok(true),
            other => other
                .parse::<u64>()
                .map(|v| v != 0)
                .map_err(|_| refused(format!("{s:?}"))),
        },
        Some(other) => Err(refused(shown(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Probe {
        n: u64,
        t: Option<i64>,
        s: Option<String>,
        users: Vec<Item>,
    }

    impl FromJson for Probe {
        fn from_json(value: &Value) -> Result<Self, String> {
            let f = Fields::of(value)?;
            Ok(Probe {
                n: f.u64("n")?,
                t: f.opt_i64("t")?,
                s: f.opt_string("s")?,
                users: f.wrapped("users", "User")?,
            })
        }
    }

    #[derive(Debug, PartialEq)]
    struct Item {
        a: u64,
    }

    impl FromJson for Item {
        fn from_json(value: &Value) -> Result<Self, String> {
            let f = Fields::of(value)?;
            Ok(Item { a: f.u64("a")? })
        }
    }

    fn probe(json: &str) -> Result<Probe, String> {
        Probe::from_json(&crate::json::parse(json).unwrap())
    }

    #[test]
    fn numbers_as_strings_or_numbers() {
        assert_eq!(probe(r#"{"n":"42","t":"1700000000"}"#).unwrap().n, 42);
        assert_eq!(
            probe(r#"{"n":42,"t":1700000000}"#).unwrap().t,
            Some(1_700_000_000)
        );
        assert_eq!(probe(r#"{"n":42.0}"#).unwrap().n, 42);
        assert_eq!(probe(r#"{"n":null,"t":""}"#).unwrap(), probe("{}").unwrap());
        assert_eq!(
            probe(r#"{"n":"forty"}"#).unwrap_err(),
            r#"n: expected a number, got "forty""#
        );
        assert!(probe(r#"{"n":-1}"#).is_err());
        assert!(probe(r#"{"n":[1]}"#).is_err());
        assert!(probe(r#"{"t":1.5}"#).is_err());
    }

    #[test]
    fn strings_from_numbers_and_nulls() {
        assert_eq!(probe(r#"{"s":12}"#).unwrap().s.as_deref(), Some("12"));
        assert_eq!(probe(r#"{"s":true}"#).unwrap().s.as_deref(), Some("true"));
        assert_eq!(probe(r#"{"s":null}"#).unwrap().s, None);
        assert_eq!(probe(r#"{"s":""}"#).unwrap().s, None);
        assert_eq!(
            probe(r#"{"s":{"x":1}}"#).unwrap_err(),
            r#"s: expected a string, got {"x":1}"#
        );
    }

    #[test]
    fn wrapped_lists_in_every_shape() {
        let items = |json: &str| probe(json).unwrap().users;
        assert_eq!(
            items(r#"{"users":{"User":[{"a":1},{"a":2}]}}"#),
            vec![Item { a: 1 }, Item { a: 2 }]
        );
        assert_eq!(items(r#"{"users":{"User":{"a":1}}}"#), vec![Item { a: 1 }]);
        assert_eq!(items(r#"{"users":{"User":[]}}"#), vec![]);
        assert_eq!(items(r#"{"users":{}}"#), vec![]);
        assert_eq!(items(r#"{"users":""}"#), vec![]);
        assert_eq!(items(r#"{"users":null}"#), vec![]);
        assert_eq!(items(r#"{}"#), vec![]);
        assert_eq!(items(r#"{"users":[{"a":3}]}"#), vec![Item { a: 3 }]);
        assert_eq!(
            probe(r#"{"users":{"User":[{"a":1},{"a":"x"}]}}"#).unwrap_err(),
            r#"users: [1]: a: expected a number, got "x""#
        );
        assert_eq!(
            probe(r#"{"users":[7]}"#).unwrap_err(),
            "users: [0]: expected an object, got 7"
        );
        assert!(probe("[]").is_err(), "a response is an object");
    }

    #[test]
    fn flags_in_every_spelling() {
        let f = |json: &str| flag(Some(&crate::json::parse(json).unwrap()));
        for (json, want) in [
            ("true", true),
            ("1", true),
            ("\"1\"", true),
            ("\"TRUE\"", true),
            ("2", true),
            ("false", false),
            ("0", false),
            ("\"\"", false),
            ("null", false),
        ] {
            assert_eq!(f(json), Ok(want), "{json}");
        }
        assert_eq!(flag(None), Ok(false));
        assert_eq!(
            f("\"maybe\"").unwrap_err(),
            r#"expected 0, 1, true or false, got "maybe""#
        );
        assert!(f("-1").is_err());
        assert!(f("[1]").is_err());
    }
}
