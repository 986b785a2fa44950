//! CSV fields (RFC 4180) for every CSV the console writes: the user list,
//! the import result, the CAM one-time credentials. The one escaper a value
//! passes through on its way into a CSV file.

/// Characters that make a spreadsheet run a cell as a formula (or split
/// it) when a field starts with them.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One CSV field: quoted when it holds a comma, a semicolon, a quote, a line
/// break or outer spaces. A field a spreadsheet would run as a formula (one
/// that starts, after any spaces, with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a leading `'` so that it stays text.
pub fn field(value: &str) -> String {
    let formula = value.trim_start_matches(' ').starts_with(FORMULA_STARTS);
    let guarded = if formula {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    let needs_quotes = guarded.contains([',', ';', '"', '\n', '\r'])
        || guarded.starts_with(' ')
        || guarded.ends_with(' ');
    if needs_quotes {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_where_needed_and_formulas_stay_text() {
        assert_eq!(field("alice"), "alice");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("a;b"), "\"a;b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field(" padded"), "\" padded\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1+2"), "'-1+2");
        assert_eq!(field("@evil"), "'@evil");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("\tx"), "'\tx");
        assert_eq!(field(""), "");
        // After spaces, a formula character still starts a formula.
        assert_eq!(field("  =1+1"), "'  =1+1");
        assert_eq!(field(" @SUM(A1)"), "' @SUM(A1)");
        assert_eq!(field("a=b"), "a=b");
    }
}
