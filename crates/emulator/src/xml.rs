//! JSON to the vendor's XML shape, for `Format=XML`.

use serde_json::Value;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn write(out: &mut String, key: &str, value: &Value) {
    match value {
        // A list repeats its element: {"User": [a, b]} -> <User>a</User><User>b</User>.
        Value::Array(items) => items.iter().for_each(|item| write(out, key, item)),
        Value::Object(map) => {
            out.push_str(&format!("<{key}>"));
            for (k, v) in map {
                write(out, k, v);
            }
            out.push_str(&format!("</{key}>"));
        }
        Value::Null => out.push_str(&format!("<{key}/>")),
        Value::String(s) => out.push_str(&format!("<{key}>{}</{key}>", escape(s))),
        other => out.push_str(&format!("<{key}>{other}</{key}>")),
    }
}

/// `<?xml ...?><root>...</root>` for a JSON object.
pub fn to_xml(root: &str, value: &Value) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    write(&mut out, root, value);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_repeat_their_element_and_text_is_escaped() {
        let v = serde_json::json!({"RequestId": "R", "Users": {"User": [{"UserName": "a<b"}, {"UserName": "c"}]}, "TotalCount": 2});
        let xml = super::to_xml("DescribeResponse", &v);
        assert!(xml.contains("<Users><User><UserName>a&lt;b</UserName></User><User><UserName>c</UserName></User></Users>"), "{xml}");
        assert!(xml.contains("<TotalCount>2</TotalCount>"));
    }
}
