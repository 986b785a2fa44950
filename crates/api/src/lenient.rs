//! Lenient decoding of vendor JSON: numbers that arrive as strings, lists
//! wrapped in an object (`"Users": {"User": [...]}`), a one-element list sent
//! as a bare object, and fields that are missing or `null`.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A number or a numeric string; `null`, `""` or a missing field give 0.
pub fn u64_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    opt_u64_or_string(d).map(Option::unwrap_or_default)
}

/// A number or a numeric string; `null` or `""` give `None`.
pub fn opt_u64_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| *f >= 0.0 && f.fract() == 0.0)
                    .map(|f| f as u64)
            })
            .map(Some)
            .ok_or_else(|| {
                D::Error::custom(format!("expected a whole non-negative number, got {n}"))
            }),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| D::Error::custom(format!("expected a number, got {s:?}"))),
        Some(other) => Err(D::Error::custom(format!("expected a number, got {other}"))),
    }
}

/// A signed number or a numeric string (epoch seconds); `None` when absent.
pub fn opt_i64_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("expected a whole number, got {n}"))),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| D::Error::custom(format!("expected a number, got {s:?}"))),
        Some(other) => Err(D::Error::custom(format!("expected a number, got {other}"))),
    }
}

/// A string, or a number or boolean rendered as one; `null` gives `""`.
pub fn string_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    opt_string_lenient(d).map(Option::unwrap_or_default)
}

/// Like [`string_lenient`], but `null`, missing or `""` give `None`.
pub fn opt_string_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(other) => Err(D::Error::custom(format!("expected a string, got {other}"))),
    }
}

/// Reads a list from `value`: an array, a single object (a one-element list
/// collapsed by an XML-to-JSON converter), or nothing (`null`, `""`, `{}`).
/// An element that cannot be decoded is named by its place (`[3]: ...`).
pub fn list_from_value<T: DeserializeOwned>(value: Value) -> Result<Vec<T>, ListError> {
    let one = |at: Option<usize>, v: Value| {
        serde_json::from_value::<T>(v).map_err(|e| ListError {
            at,
            message: e.to_string(),
        })
    };
    match value {
        Value::Null => Ok(Vec::new()),
        Value::String(s) if s.is_empty() => Ok(Vec::new()),
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| one(Some(i), v))
            .collect(),
        Value::Object(map) if map.is_empty() => Ok(Vec::new()),
        single => Ok(vec![one(None, single)?]),
    }
}

/// An element of a list that could not be decoded, and where.
#[derive(Debug)]
pub struct ListError {
    at: Option<usize>,
    message: String,
}

impl std::fmt::Display for ListError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.at {
            Some(i) => write!(f, "[{i}]: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

/// Reads the list under `key` of a wrapper object such as `{"User": [...]}`;
/// also accepts the list without its wrapper.
pub fn wrapped_list<'de, D, T>(d: D, key: &str) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Option::<Value>::deserialize(d)?.unwrap_or(Value::Null);
    let inner = match value {
        Value::Object(mut map) if map.contains_key(key) => map.remove(key).unwrap_or(Value::Null),
        other => other,
    };
    list_from_value(inner).map_err(D::Error::custom)
}

/// Declares a `fn name(d) -> Result<Vec<T>, _>` reading the list under `key`.
macro_rules! wrapped_list_fn {
    ($name:ident, $key:literal) => {
        pub fn $name<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
        where
            D: serde::Deserializer<'de>,
            T: serde::de::DeserializeOwned,
        {
            $crate::lenient::wrapped_list(d, $key)
        }
    };
}

wrapped_list_fn!(under_user, "User");
wrapped_list_fn!(under_statistics, "Statistics");
wrapped_list_fn!(under_smart_access_gateway, "SmartAccessGateway");

/// A bare list that may arrive as one object or nothing.
pub fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Option::<Value>::deserialize(d)?.unwrap_or(Value::Null);
    list_from_value(value).map_err(D::Error::custom)
}

/// A yes/no flag as SDKs disagree on its type: `true`/`false`, `1`/`0`, or
/// those as strings; `null`, `""` or absent give `false`. Any other number
/// than 0 counts as yes (the wire's flags are 0 or 1).
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(b),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v) => Ok(v != 0),
            None => Err(D::Error::custom(format!(
                "expected 0, 1, true or false, got {n}"
            ))),
        },
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "" | "0" | "false" => Ok(false),
            "1" | "true" => Ok(true),
            other => other
                .parse::<u64>()
                .map(|v| v != 0)
                .map_err(|_| D::Error::custom(format!("expected 0, 1, true or false, got {s:?}"))),
        },
        Some(other) => Err(D::Error::custom(format!(
            "expected 0, 1, true or false, got {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Probe {
        #[serde(default, deserialize_with = "u64_or_string")]
        n: u64,
        #[serde(default, deserialize_with = "opt_i64_or_string")]
        t: Option<i64>,
        #[serde(default, deserialize_with = "opt_string_lenient")]
        s: Option<String>,
        #[serde(default, deserialize_with = "under_user")]
        users: Vec<Item>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        a: u8,
    }

    fn probe(json: &str) -> Result<Probe, serde_json::Error> {
        serde_json::from_str(json)
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
        assert!(probe(r#"{"n":"forty"}"#).is_err());
        assert!(probe(r#"{"n":-1}"#).is_err());
        assert!(probe(r#"{"n":[1]}"#).is_err());
    }

    #[test]
    fn strings_from_numbers_and_nulls() {
        assert_eq!(probe(r#"{"s":12}"#).unwrap().s.as_deref(), Some("12"));
        assert_eq!(probe(r#"{"s":null}"#).unwrap().s, None);
        assert_eq!(probe(r#"{"s":""}"#).unwrap().s, None);
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
        assert!(probe(r#"{"users":{"User":[{"a":"x"}]}}"#).is_err());
    }
}
