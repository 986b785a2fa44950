//! Percent-encoding as the vendors' gateways expect it, and parsing of
//! query strings and `application/x-www-form-urlencoded` bodies.

/// RFC 3986 encoding used by Alibaba RPC v1 for both the canonical query and
/// the wire: `A-Z a-z 0-9 - _ . ~` stay, every other UTF-8 byte becomes
/// `%XX` with uppercase hex. Unlike JavaScript's `encodeURIComponent`, it
/// also encodes `! ' ( ) *`.
pub fn percent_encode(input: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(input.len() * 3 / 2);
    for &byte in input.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[(byte >> 4) as usize] as char);
            out.push(HEX[(byte & 0x0f) as usize] as char);
        }
    }
    out
}

/// One path segment of a URL: percent-encoded ([`percent_encode`], so no
/// `/`, `?`, `#` or `%` survives), and `None` for an empty segment or a dot
/// segment (`.`, `..`), which a URL parser would resolve against its
/// neighbours however it is encoded. The only way a value becomes part of
/// a path the console sends to.
pub fn path_segment(value: &str) -> Option<String> {
    if value.is_empty() || value.chars().all(|c| c == '.') {
        return None;
    }
    Some(percent_encode(value))
}

/// Encodes pairs as `k=v&k=v` with [`percent_encode`] on keys and values.
pub fn encode_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (key, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&percent_encode(key));
        out.push('=');
        out.push_str(&percent_encode(value));
    }
    out
}

/// Why a query string or form body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("bad percent escape near byte {0}")]
    BadEscape(usize),
    #[error("percent-decoded bytes are not UTF-8")]
    NotUtf8,
}

/// Decodes one component of a query or form body: `%XX` escapes (either hex
/// case) and `+` as a space, as browsers, the SDKs and the gateways do.
pub fn form_decode(input: &str) -> Result<String, WireError> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or(WireError::BadEscape(i))?;
                let text = std::str::from_utf8(hex).map_err(|_| WireError::BadEscape(i))?;
                let value = u8::from_str_radix(text, 16).map_err(|_| WireError::BadEscape(i))?;
                out.push(value);
                i += 3;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| WireError::NotUtf8)
}

/// Splits `k=v&k=v` (a query without its `?`, or a form body) into decoded
/// pairs, in wire order. Empty segments are skipped; a key without `=` has an
/// empty value.
pub fn parse_pairs(input: &str) -> Result<Vec<(String, String)>, WireError> {
    input
        .split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            let (key, value) = segment.split_once('=').unwrap_or((segment, ""));
            Ok((form_decode(key)?, form_decode(value)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_segment_never_climbs_or_splits_the_path() {
        assert_eq!(path_segment("cn-shanghai").as_deref(), Some("cn-shanghai"));
        assert_eq!(
            path_segment("../../api/tencent").as_deref(),
            Some("..%2F..%2Fapi%2Ftencent")
        );
        assert_eq!(path_segment("a?b#c%d").as_deref(), Some("a%3Fb%23c%25d"));
        for dots in ["", ".", "..", "..."] {
            assert_eq!(path_segment(dots), None, "{dots:?}");
        }
    }

    #[test]
    fn encodes_exactly_the_rfc3986_reserved_set() {
        assert_eq!(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(percent_encode(" "), "%20");
        assert_eq!(percent_encode("+*/@=&%:"), "%2B%2A%2F%40%3D%26%25%3A");
        assert_eq!(percent_encode("!'()"), "%21%27%28%29");
        assert_eq!(percent_encode("Ü"), "%C3%9C");
        assert_eq!(percent_encode("😀"), "%F0%9F%98%80");
    }

    #[test]
    fn decodes_plus_as_space_and_either_hex_case() {
        assert_eq!(form_decode("Frank+%C3%9C%2b1").unwrap(), "Frank Ü+1");
        assert_eq!(form_decode("a%2Ab~c").unwrap(), "a*b~c");
        assert_eq!(form_decode("%zz"), Err(WireError::BadEscape(0)));
        assert_eq!(form_decode("abc%4"), Err(WireError::BadEscape(3)));
        assert_eq!(form_decode("%FF"), Err(WireError::NotUtf8));
    }

    #[test]
    fn parses_pairs_in_wire_order_and_round_trips() {
        let pairs = parse_pairs("b=2&a=x%20y&SignatureType=&flag").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("b".into(), "2".into()),
                ("a".into(), "x y".into()),
                ("SignatureType".into(), "".into()),
                ("flag".into(), "".into()),
            ]
        );
        let encoded = encode_pairs([("k", "v w+x/y")]);
        assert_eq!(encoded, "k=v%20w%2Bx%2Fy");
        assert_eq!(
            parse_pairs(&encoded).unwrap(),
            vec![("k".into(), "v w+x/y".into())]
        );
    }
}
