//! JSON for the console: a value, a reader and a writer, written for what
//! the console reads (the vendors' answers, `config.json`, the sealed keys)
//! and writes (Tencent's request bodies, the sealed keys).
//!
//! Not serde_json: its reader is built on serde's `Deserialize` machinery
//! and formats floats with a library of its own, together about 34 KB of
//! the wasm's first load for what this file does in a fraction of it
//! (docs/performance.md). Numbers keep the text they were written with, so
//! a number is never rounded through a float on its way through.
//!
//! The reader follows RFC 8259: one value, surrounded by whitespace only;
//! strings with every escape, surrogate pairs joined (a lone surrogate is
//! refused); no control character unescaped; nesting at most
//! [`MAX_DEPTH`] deep. An object that names a key twice keeps the last
//! value, as serde_json does.

use std::fmt;

/// How deep arrays and objects may nest (serde_json's limit too).
pub const MAX_DEPTH: usize = 128;

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// A number as it was written (`12`, `-3`, `1.5e3`): read as an integer
/// only when it is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(String);

/// An object's members in the order they were written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map(Vec<(String, Value)>);

/// Why a text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    message: &'static str,
    eof: bool,
    line: usize,
    column: usize,
}

impl Value {
    /// The member `key` of an object (`None` for anything else).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(map) => map.get(key),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

impl Number {
    /// A whole non-negative number written as one (`12`, not `12.0`).
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }

    /// A whole number written as one (`-12`, not `-12.0`).
    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    /// A whole non-negative number however it is written (`12`, `12.0`,
    /// `1.2e1`), if it fits a `u64`.
    pub fn as_whole_u64(&self) -> Option<u64> {
        if let Some(n) = self.as_u64() {
            return Some(n);
        }
        let text = self.0.strip_prefix('-').map_or(self.0.as_str(), |t| t);
        let negative = text.len() != self.0.len();
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(at) => (&text[..at], text[at + 1..].parse::<i64>().ok()?),
            None => (text, 0),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        // The digits with the point moved `exponent` places to the right.
        let digits: String = [whole, fraction].concat();
        let point = i64::try_from(whole.len()).ok()?.checked_add(exponent)?;
        let cut = usize::try_from(point.clamp(0, i64::try_from(digits.len()).ok()?)).ok()?;
        let (integer, rest) = digits.split_at(cut);
        if !rest.bytes().all(|b| b == b'0') {
            return None;
        }
        let zeros = usize::try_from(point).ok()?.saturating_sub(digits.len());
        let integer = integer.trim_start_matches('0');
        if integer.is_empty() {
            return Some(0);
        }
        if negative || integer.len() + zeros > 20 {
            return None;
        }
        let mut value: u64 = integer.parse().ok()?;
        for _ in 0..zeros {
            value = value.checked_mul(10)?;
        }
        Some(value)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Map {
    /// The value of `key` (its last, if named twice).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The members in the order they were written.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl ParseError {
    /// Whether the text ended before the value did (a cut-off answer).
    pub fn is_eof(&self) -> bool {
        self.eof
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

/// Reads `text` as one JSON value.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let mut reader = Reader {
        text: text.as_bytes(),
        at: 0,
    };
    let value = reader.value(0)?;
    reader.skip_space();
    if reader.at < reader.text.len() {
        return Err(reader.error("trailing characters"));
    }
    Ok(value)
}

/// `text` as a JSON string literal: quoted, with `"`, `\` and control
/// characters escaped (`\n`, `\t`, … or `\u001f`), everything else as it
/// is, UTF-8 included. The same bytes serde_json writes.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_string(&mut out, text);
    out
}

fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xf] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Compact JSON, as serde_json's `to_string` writes it.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_value(&mut out, self);
        f.write_str(&out)
    }
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(&n.0),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.0.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

struct Reader<'a> {
    text: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn error(&self, message: &'static str) -> ParseError {
        let eof = self.at >= self.text.len();
        let before = &self.text[..self.at.min(self.text.len())];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = 1 + before.iter().rev().take_while(|&&b| b != b'\n').count();
        ParseError {
            message: if eof && !message.starts_with("EOF") {
                "EOF while parsing a value"
            } else {
                message
            },
            eof,
            line,
            column,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &'static [u8], value: Value) -> Result<Value, ParseError> {
        for &expected in word {
            match self.peek() {
                Some(b) if b == expected => self.at += 1,
                _ => return Err(self.error("expected ident")),
            }
        }
        Ok(value)
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.skip_space();
        match self.peek() {
            None => Err(self.error("EOF while parsing a value")),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(b'[') => {
                let depth = self.deeper(depth)?;
                self.at += 1;
                let mut items = Vec::new();
                self.skip_space();
                if self.peek() == Some(b']') {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.value(depth)?);
                    self.skip_space();
                    match self.peek() {
                        Some(b',') => self.at += 1,
                        Some(b']') => {
                            self.at += 1;
                            return Ok(Value::Array(items));
                        }
                        _ => return Err(self.error("expected `,` or `]`")),
                    }
                }
            }
            Some(b'{') => {
                let depth = self.deeper(depth)?;
                self.at += 1;
                let mut map = Map::default();
                self.skip_space();
                if self.peek() == Some(b'}') {
                    self.at += 1;
                    return Ok(Value::Object(map));
                }
                loop {
                    self.skip_space();
                    if self.peek() != Some(b'"') {
                        return Err(self.error("key must be a string"));
                    }
                    let key = self.string()?;
                    self.skip_space();
                    if self.peek() != Some(b':') {
                        return Err(self.error("expected `:`"));
                    }
                    self.at += 1;
                    let item = self.value(depth)?;
                    map.0.push((key, item));
                    self.skip_space();
                    match self.peek() {
                        Some(b',') => self.at += 1,
                        Some(b'}') => {
                            self.at += 1;
                            return Ok(Value::Object(map));
                        }
                        _ => return Err(self.error("expected `,` or `}`")),
                    }
                }
            }
            Some(_) => Err(self.error("expected value")),
        }
    }

    fn deeper(&self, depth: usize) -> Result<usize, ParseError> {
        if depth >= MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        Ok(depth + 1)
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Number, ParseError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        // Only ASCII was consumed, so this is a whole UTF-8 slice.
        let text = String::from_utf8_lossy(&self.text[start..self.at]).into_owned();
        Ok(Number(text))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.error("invalid escape")),
            };
            code = code * 16 + u32::from(digit);
            self.at += 1;
        }
        Ok(code)
    }

    /// A string literal; `self.at` is on its opening quote.
    fn string(&mut self) -> Result<String, ParseError> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let start = self.at;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.at += 1;
            }
            out.extend_from_slice(&self.text[start..self.at]);
            match self.peek() {
                None => return Err(self.error("EOF while parsing a string")),
                Some(b'"') => {
                    self.at += 1;
                    // The input is a `str` and escapes add whole characters.
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            let c = self.unicode_escape()?;
                            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                            continue;
                        }
                        _ => return Err(self.error("invalid escape")),
                    };
                    self.at += 1;
                    out.extend_from_slice(escaped.encode_utf8(&mut [0; 4]).as_bytes());
                }
                Some(_) => {
                    return Err(self
                        .error("control character (\\u0000-\\u001F) found while parsing a string"))
                }
            }
        }
    }

    /// The character of a `\uXXXX` escape (after its `\u`), joining a
    /// surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.text.get(self.at..self.at + 2) != Some(b"\\u") {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("lone trailing surrogate in hex escape")),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json (the reference) makes of `text`.
    fn reference(text: &str) -> Option<serde_json::Value> {
        serde_json::from_str(text).ok()
    }

    #[test]
    fn reads_and_writes_what_serde_json_reads_and_writes() {
        for text in [
            "null",
            " true ",
            "false",
            "0",
            "-12",
            "18446744073709551615",
            r#""""#,
            r#""a\"b\\c\/d\b\f\n\r\t""#,
            r#""\u00e9\u4e2d\ud83d\ude00 é 中 😀""#,
            r#""\u0001\u001f\u007f""#,
            "[]",
            "[1,[2,[3]],{}]",
            r#"{"RequestId":"4C4","Users":{"User":[{"UserName":"a","Bandwidth":"2000","IsStaticIp":false,"ClientIp":null}]},"TotalCount":1}"#,
            "\n{ \"a\" :\t[ 1 , 2 ] ,\r\n \"b\" : { } }\n",
        ] {
            let ours = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            // What we read and write back, read by serde_json, is what
            // serde_json reads (serde_json orders an object's keys).
            assert_eq!(reference(&ours.to_string()), reference(text), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_json_and_says_when_it_was_cut_off() {
        for (text, eof) in [
            ("", true),
            ("{\"Users\": [1, 2", true),
            ("{\"a\": \"unterminated", true),
            ("[1,", true),
            ("{\"a\" 1}", false),
            ("{a: 1}", false),
            ("[1 2]", false),
            ("[1,]", false),
            ("01", false),
            ("1.", true),
            ("-", true),
            ("1e", true),
            ("tru", true),
            ("nul!", false),
            ("\"tab\there\"", false),
            ("\"\\x\"", false),
            ("\"\\ud800\"", false),
            ("\"\\udc00\"", false),
            ("\"\\ud800\\u0041\"", false),
            ("1 2", false),
            ("<html><title>502 Bad Gateway</title></html>", false),
        ] {
            let e = parse(text).expect_err(text);
            assert_eq!(e.is_eof(), eof, "{text}: {e}");
            assert!(reference(text).is_none(), "serde_json reads {text}");
        }
        assert_eq!(
            parse("{\n  \"a\": ]").unwrap_err().to_string(),
            "expected value at line 2 column 8"
        );
        assert!(parse("{ \"aliyun\": ")
            .unwrap_err()
            .to_string()
            .starts_with("EOF while parsing"));
        let deep = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&deep).is_ok());
        let deeper = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(parse(&deeper).is_err());
    }

    #[test]
    fn numbers_keep_their_text_and_are_whole_only_when_they_are() {
        let n = |text: &str| match parse(text).unwrap() {
            Value::Number(n) => n,
            other => panic!("{other:?}"),
        };
        assert_eq!(n("42").as_u64(), Some(42));
        assert_eq!(n("-42").as_u64(), None);
        assert_eq!(n("-42").as_i64(), Some(-42));
        assert_eq!(n("4.0").as_u64(), None);
        assert_eq!(n("1.5e3").to_string(), "1.5e3");
        for (text, whole) in [
            ("42", Some(42)),
            ("4.0", Some(4)),
            ("4.50e1", Some(45)),
            ("45E0", Some(45)),
            ("1e3", Some(1000)),
            ("120e-1", Some(12)),
            ("0.0", Some(0)),
            ("-0.0", Some(0)),
            ("0e5", Some(0)),
            ("4.5", None),
            ("1e-3", None),
            ("-1", None),
            ("-1.0", None),
            ("18446744073709551615", Some(u64::MAX)),
            ("18446744073709551616", None),
            ("1.8446744073709551615e19", Some(u64::MAX)),
            ("1e20", None),
            ("1e999999999999999999999", None),
        ] {
            assert_eq!(n(text).as_whole_u64(), whole, "{text}");
        }
    }

    #[test]
    fn an_object_keeps_its_order_and_a_repeated_key_its_last_value() {
        let v = parse(r#"{"b":1,"a":2,"b":3}"#).unwrap();
        assert_eq!(v.get("b"), Some(&Value::Number(Number("3".into()))));
        assert_eq!(v.get("c"), None);
        let Value::Object(map) = &v else { panic!() };
        assert_eq!(
            map.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            ["b", "a", "b"]
        );
        assert_eq!(Value::Null.get("a"), None);
    }

    #[test]
    fn quoted_strings_are_the_bytes_serde_json_writes() {
        for text in [
            "",
            "plain",
            "a\"b\\c",
            "line\nbreak\ttab\r",
            "\u{1}\u{1f}\u{7f}",
            "é中😀",
            "/</script>",
        ] {
            assert_eq!(
                quote(text),
                serde_json::Value::from(text).to_string(),
                "{text:?}"
            );
            assert_eq!(parse(&quote(text)).unwrap().as_str(), Some(text));
        }
    }
}
