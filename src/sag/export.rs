//! What leaves the console as text: the user list as CSV, as Terraform
//! (`alicloud_sag_client_user` resources with `import` blocks), and the
//! `aliyun` CLI line for an action. Never a secret: the API never returns
//! passwords, and the CLI lines and Terraform leave them to the admin.

use std::collections::HashSet;
use std::fmt::Write;

use sag_api::smartag::{ClientUser, UserState};

use crate::csv;

/// The columns of the CSV export (and of the import template).
pub const CSV_HEADER: &str = "user_name,email,bandwidth_kbps,static_ip,state";

/// The users as CSV: a header row, one row per user, CRLF line ends.
pub fn users_csv(users: &[&ClientUser]) -> String {
    let mut out = String::with_capacity(64 * (users.len() + 1));
    out.push_str(CSV_HEADER);
    out.push_str("\r\n");
    for u in users {
        let ip = if u.is_static_ip {
            u.client_ip.as_deref().unwrap_or_default()
        } else {
            ""
        };
        let state = match u.state {
            UserState::Enabled => "enabled",
            _ => "disabled",
        };
        let _ = write!(
            out,
            "{},{},{},{},{}\r\n",
            csv::field(&u.user_name),
            csv::field(&u.user_mail),
            u.bandwidth,
            csv::field(ip),
            state
        );
    }
    out
}

/// Characters that are not controls but end a line for some readers (the
/// Unicode line and paragraph separators) or hide or reorder text in an
/// editor (zero-width and bidirectional formatting characters, the BOM):
/// written as `\uXXXX` so the file shows what it does.
fn invisible_or_line_breaking(c: char) -> bool {
    matches!(
        c,
        '\u{2028}' | '\u{2029}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// A Terraform string literal: quotes, backslashes, line breaks, control
/// and invisible characters, and the template sequences `${` and `%{`
/// escaped. The only way a value reaches the Terraform export.
pub fn hcl_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() || invisible_or_line_breaking(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A valid, readable Terraform identifier for a user name: letters, digits,
/// `_` and `-`, starting with a letter or `_`; made unique with `_2`, `_3`…
fn identifier(name: &str, taken: &mut HashSet<String>) -> String {
    let mut id: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        id.insert_str(0, "user_");
    }
    let mut unique = id.clone();
    let mut n = 2;
    while !taken.insert(unique.clone()) {
        unique = format!("{id}_{n}");
        n += 1;
    }
    unique
}

/// The users as Terraform: one `alicloud_sag_client_user` per user with the
/// arguments the provider knows, an `import` block each (Terraform 1.5+),
/// and the equivalent `terraform import` commands for older versions.
/// Passwords are a sensitive variable the admin fills in; the provider
/// cannot read them back, so `ignore_changes` keeps it from replacing users
/// over them.
pub fn terraform(sag_id: &str, users: &[&ClientUser]) -> String {
    let mut taken = HashSet::new();
    let ids: Vec<String> = users
        .iter()
        .map(|u| identifier(&u.user_name, &mut taken))
        .collect();
    // Comments hold only the console's own words and counts: a value from
    // the address or the API (an instance ID, a user name) goes into string
    // literals alone, through hcl_string, so no line break in it can end a
    // comment and start live HCL.
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} client user(s), exported by the SAG Console.\n\
         # Passwords are never exported: the provider cannot read them back, so\n\
         # importing needs none. Set them in sag_client_user_passwords (in a\n\
         # .tfvars file kept out of version control) only for users Terraform\n\
         # may have to create again.\n",
        users.len()
    );
    out.push_str(
        "variable \"sag_client_user_passwords\" {\n  \
         description = \"Passwords of the client users, by user name (only needed if Terraform has to create a user again).\"\n  \
         type        = map(string)\n  \
         default     = {}\n  \
         sensitive   = true\n}\n",
    );
    for (u, id) in users.iter().zip(&ids) {
        let name = hcl_string(&u.user_name);
        let _ = write!(
            out,
            "\nresource \"alicloud_sag_client_user\" \"{id}\" {{\n  \
             sag_id    = {}\n  \
             bandwidth = {}\n  \
             user_mail = {}\n  \
             user_name = {name}\n  \
             password  = lookup(var.sag_client_user_passwords, {name}, null)\n",
            hcl_string(sag_id),
            u.bandwidth,
            hcl_string(&u.user_mail),
        );
        if let (true, Some(ip)) = (u.is_static_ip, u.client_ip.as_deref()) {
            let _ = writeln!(out, "  client_ip = {}", hcl_string(ip));
        }
        out.push_str(
            "\n  lifecycle {\n    \
             # The API never returns a password.\n    \
             ignore_changes = [password]\n  }\n}\n",
        );
        let _ = write!(
            out,
            "\nimport {{\n  to = alicloud_sag_client_user.{id}\n  id = {}\n}}\n",
            hcl_string(&format!("{sag_id}:{}", u.user_name))
        );
    }
    if !users.is_empty() {
        out.push_str(
            "\n# Before Terraform 1.5 (no import blocks): run\n\
             #   terraform import <to> <id>\n\
             # once per import block above, with that block's `to` and `id`.\n",
        );
    }
    out
}

/// One word for a POSIX shell: as it is when plain, else single-quoted. A
/// value that begins with `-` or `=` is quoted too, so that a reader (or a
/// tool that splits the line) never takes it for an option or an
/// assignment. The only way a value reaches a CLI line.
pub fn shell_word(value: &str) -> String {
    let plain = !value.is_empty()
        && !value.starts_with(['-', '='])
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c));
    if plain {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

fn cli(action: &str, region: &str, args: &[(&str, &str)]) -> String {
    let mut line = format!("aliyun smartag {action} --RegionId {}", shell_word(region));
    for (key, value) in args {
        let _ = write!(line, " --{key} {}", shell_word(value));
    }
    line
}

/// The `aliyun` CLI line that creates `user` (its password left to the
/// admin as `$SAG_PASSWORD` when it has a user name).
pub fn cli_create(region: &str, instance: &str, user: &ClientUser, with_name: bool) -> String {
    let bandwidth = user.bandwidth.to_string();
    let mut args = vec![
        ("SmartAGId", instance),
        ("UserMail", user.user_mail.as_str()),
        ("Bandwidth", bandwidth.as_str()),
    ];
    if with_name {
        args.push(("UserName", user.user_name.as_str()));
    }
    if let (true, Some(ip)) = (user.is_static_ip, user.client_ip.as_deref()) {
        args.push(("ClientIp", ip));
    }
    let mut line = cli("CreateSmartAccessGatewayClientUser", region, &args);
    if with_name {
        line.push_str(" --Password \"$SAG_PASSWORD\"");
    }
    line
}

/// The `aliyun` CLI line that sets `name`'s bandwidth and email.
pub fn cli_modify(region: &str, instance: &str, name: &str, bandwidth: u64, email: &str) -> String {
    let bandwidth = bandwidth.to_string();
    cli(
        "ModifySmartAccessGatewayClientUser",
        region,
        &[
            ("SmartAGId", instance),
            ("UserName", name),
            ("Bandwidth", &bandwidth),
            ("Email", email),
        ],
    )
}

/// The `aliyun` CLI line that deletes `name`.
pub fn cli_delete(region: &str, instance: &str, name: &str) -> String {
    cli(
        "DeleteSmartAccessGatewayClientUser",
        region,
        &[("SmartAGId", instance), ("UserName", name)],
    )
}

/// Downloads `shown` (of `total` users) as CSV or Terraform and says so.
pub fn download_users(
    instance: &str,
    shown: &[ClientUser],
    total: usize,
    as_terraform: bool,
    l: crate::i18n::Locale,
    notices: crate::shell::notices::Notices,
) {
    let refs: Vec<&ClientUser> = shown.iter().collect();
    let (file, mime, text, what) = if as_terraform {
        (
            "tf",
            "text/plain;charset=utf-8",
            terraform(instance, &refs),
            "Terraform",
        )
    } else {
        ("csv", "text/csv;charset=utf-8", users_csv(&refs), "CSV")
    };
    if crate::plumbing::platform::download(&format!("{instance}-users.{file}"), mime, &text) {
        let (shown, of) = (refs.len(), total);
        notices.push(if shown == of {
            crate::i18n::td_string!(l, users.exported_all, of, what).to_string()
        } else {
            crate::i18n::td_string!(l, users.exported_shown, shown, of, what).to_string()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str, mail: &str, ip: Option<&str>, enabled: bool) -> ClientUser {
        ClientUser {
            user_name: name.into(),
            user_mail: mail.into(),
            bandwidth: 512,
            client_ip: ip.map(Into::into),
            is_static_ip: ip.is_some(),
            state: if enabled {
                UserState::Enabled
            } else {
                UserState::Disabled
            },
            ..Default::default()
        }
    }

    #[test]
    fn the_csv_has_a_header_a_row_per_user_and_no_secret() {
        let a = user(
            "alice.wang00",
            "alice@example.com",
            Some("10.10.1.13"),
            true,
        );
        let b = user("bob.li21", "o'brien,bob@example.com", None, false);
        let csv = users_csv(&[&a, &b]);
        assert_eq!(
            csv,
            "user_name,email,bandwidth_kbps,static_ip,state\r\n\
             alice.wang00,alice@example.com,512,10.10.1.13,enabled\r\n\
             bob.li21,\"o'brien,bob@example.com\",512,,disabled\r\n"
        );
        // A user with a dynamic IP has no static_ip, whatever the API says.
        let dynamic = ClientUser {
            is_static_ip: false,
            ..user("c.user01", "c@example.com", Some("10.10.9.9"), true)
        };
        assert!(users_csv(&[&dynamic]).ends_with("c@example.com,512,,enabled\r\n"));
        // 2,000 users: one line each.
        let many: Vec<ClientUser> = (0..2000)
            .map(|i| {
                user(
                    &format!("u{i:04}.user"),
                    &format!("u{i}@example.com"),
                    None,
                    true,
                )
            })
            .collect();
        let refs: Vec<&ClientUser> = many.iter().collect();
        assert_eq!(users_csv(&refs).lines().count(), 2001);
    }

    #[test]
    fn hcl_strings_escape_quotes_backslashes_controls_and_templates() {
        assert_eq!(hcl_string("plain"), "\"plain\"");
        assert_eq!(hcl_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(hcl_string("x${var.y}%{if}"), "\"x$${var.y}%%{if}\"");
        assert_eq!(hcl_string("$5 and 100%"), "\"$5 and 100%\"");
        assert_eq!(hcl_string("tab\there\n"), "\"tab\\there\\n\"");
        assert_eq!(hcl_string("bell\u{7}"), "\"bell\\u0007\"");
        assert_eq!(hcl_string("张三@example.com"), "\"张三@example.com\"");
    }

    #[test]
    fn resource_names_are_valid_unique_identifiers() {
        let mut taken = HashSet::new();
        assert_eq!(identifier("alice.wang00", &mut taken), "alice_wang00");
        assert_eq!(identifier("alice_wang00", &mut taken), "alice_wang00_2");
        assert_eq!(identifier("alice-wang00", &mut taken), "alice-wang00");
        assert_eq!(identifier("007bond.x", &mut taken), "user_007bond_x");
        assert_eq!(identifier("a@b.example.com", &mut taken), "a_b_example_com");
        assert_eq!(identifier("张三", &mut taken), "__");
        let valid = |id: &str| {
            id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        for name in ["x", "9", "-x", "a b", "a\"b", "${x}"] {
            let id = identifier(name, &mut taken);
            assert!(valid(&id), "{name} -> {id}");
        }
    }

    #[test]
    fn terraform_has_a_resource_and_an_import_per_user_and_no_password() {
        let a = user(
            "alice.wang00",
            "alice@example.com",
            Some("10.10.1.13"),
            true,
        );
        let b = user("bob.li21", "bob\"x@example.com", None, true);
        let tf = terraform("sag-app-hq01", &[&a, &b]);
        assert!(
            tf.contains(
                "resource \"alicloud_sag_client_user\" \"alice_wang00\" {\n  \
             sag_id    = \"sag-app-hq01\"\n  \
             bandwidth = 512\n  \
             user_mail = \"alice@example.com\"\n  \
             user_name = \"alice.wang00\"\n  \
             password  = lookup(var.sag_client_user_passwords, \"alice.wang00\", null)\n  \
             client_ip = \"10.10.1.13\"\n"
            ),
            "{tf}"
        );
        assert!(tf.contains("import {\n  to = alicloud_sag_client_user.alice_wang00\n  id = \"sag-app-hq01:alice.wang00\"\n}"), "{tf}");
        assert!(tf.contains("user_mail = \"bob\\\"x@example.com\""), "{tf}");
        // No value in a comment: the instance and user names appear only in
        // string literals.
        for line in tf.lines().filter(|l| l.trim_start().starts_with('#')) {
            assert!(
                !line.contains("sag-app-hq01") && !line.contains("bob.li21"),
                "{line:?}"
            );
        }
        assert_eq!(
            tf.matches("resource \"alicloud_sag_client_user\"").count(),
            2
        );
        assert_eq!(tf.matches("\nimport {").count(), 2);
        assert!(
            !tf.contains("client_ip = \"\""),
            "no client_ip for a dynamic user"
        );
        // terraform fmt style: two-space indents, no tabs, no trailing spaces.
        for line in tf.lines() {
            assert!(!line.contains('\t') && !line.ends_with(' '), "{line:?}");
            let indent = line.len() - line.trim_start().len();
            assert_eq!(indent % 2, 0, "{line:?}");
        }
        // Braces balance (outside strings and comments).
        let code: String = tf
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .collect();
        assert_eq!(code.matches('{').count(), code.matches('}').count());
    }

    #[test]
    fn cli_lines_name_the_action_and_leave_secrets_out() {
        let a = user(
            "alice.wang00",
            "alice@example.com",
            Some("10.10.1.13"),
            true,
        );
        assert_eq!(
            cli_create("cn-shanghai", "sag-app-hq01", &a, true),
            "aliyun smartag CreateSmartAccessGatewayClientUser --RegionId cn-shanghai --SmartAGId sag-app-hq01 --UserMail alice@example.com --Bandwidth 512 --UserName alice.wang00 --ClientIp 10.10.1.13 --Password \"$SAG_PASSWORD\""
        );
        assert_eq!(
            cli_modify("cn-shanghai", "sag-app-hq01", "alice.wang00", 1000, "o'neil x@example.com"),
            "aliyun smartag ModifySmartAccessGatewayClientUser --RegionId cn-shanghai --SmartAGId sag-app-hq01 --UserName alice.wang00 --Bandwidth 1000 --Email 'o'\\''neil x@example.com'"
        );
        assert_eq!(
            cli_delete("cn-shanghai", "sag-app-hq01", "alice.wang00"),
            "aliyun smartag DeleteSmartAccessGatewayClientUser --RegionId cn-shanghai --SmartAGId sag-app-hq01 --UserName alice.wang00"
        );
        assert_eq!(shell_word("$(rm -rf /)"), "'$(rm -rf /)'");
        // Never mistaken for an option or an assignment.
        assert_eq!(shell_word("-rf"), "'-rf'");
        assert_eq!(shell_word("--Password"), "'--Password'");
        assert_eq!(shell_word("=x"), "'=x'");
        assert_eq!(shell_word("a-b=c"), "a-b=c");
        assert_eq!(shell_word("two\nlines"), "'two\nlines'");
        assert_eq!(
            cli_delete("cn-shanghai", "sag-app-hq01", "-x.user01"),
            "aliyun smartag DeleteSmartAccessGatewayClientUser --RegionId cn-shanghai --SmartAGId sag-app-hq01 --UserName '-x.user01'"
        );
    }
}

/// The Terraform export read back by a real HCL parser: hostile instance IDs
/// and user names never add a block, an attribute or a template, and every
/// value comes back as it was.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod hcl_parsed {
    use super::*;
    use hcl::eval::{Context, Evaluate};

    const HOSTILE: &[&str] = &[
        "plain",
        "a\nresource \"terraform_data\" \"x\" {\n  provisioner \"local-exec\" { command = \"id\" }\n}\n#",
        "cr\rcarriage",
        "crlf\r\nimport { to = x\r\n id = \"y\" }",
        "${file(\"/etc/passwd\")}",
        "%{ for x in [1] }x%{ endfor }",
        "$${already} %%{escaped}",
        "quote\" = 1 #",
        "back\\slash\\",
        "line\u{2028}sep\u{2029}para\u{85}nel",
        "bidi\u{202E}gnp.exe\u{FEFF}",
        "张三@例子.公司",
        "*/ /* // #",
    ];

    fn string_of(expr: &hcl::Expression) -> String {
        match expr.evaluate(&Context::new()) {
            Ok(hcl::Value::String(s)) => s,
            other => panic!("not a plain string: {expr:?} -> {other:?}"),
        }
    }

    fn attr<'a>(body: &'a hcl::Body, key: &str) -> &'a hcl::Expression {
        let found: Vec<_> = body
            .attributes()
            .filter(|a| a.key.as_str() == key)
            .collect();
        assert_eq!(found.len(), 1, "one {key} in {body:?}");
        &found[0].expr
    }

    #[test]
    fn hostile_ids_and_names_stay_string_values() {
        for sag_id in HOSTILE {
            let users: Vec<ClientUser> = HOSTILE
                .iter()
                .enumerate()
                .map(|(n, name)| ClientUser {
                    user_name: (*name).to_owned(),
                    user_mail: format!("{name}@example.com"),
                    bandwidth: 100 + n as u64,
                    client_ip: Some(format!("10.0.0.{n}\n}}")),
                    is_static_ip: n % 2 == 0,
                    ..Default::default()
                })
                .collect();
            let refs: Vec<&ClientUser> = users.iter().collect();
            let tf = terraform(sag_id, &refs);
            let body = hcl::parse(&tf).unwrap_or_else(|e| panic!("{e}\n{tf}"));
            assert_eq!(body.attributes().count(), 0, "{tf}");
            let blocks: Vec<&hcl::Block> = body.blocks().collect();
            assert_eq!(blocks.len(), 1 + 2 * users.len(), "{tf}");
            assert_eq!(blocks[0].identifier.as_str(), "variable");
            for (i, u) in users.iter().enumerate() {
                let (resource, import) = (blocks[1 + 2 * i], blocks[2 + 2 * i]);
                assert_eq!(resource.identifier.as_str(), "resource");
                assert_eq!(
                    resource.labels[0],
                    hcl::BlockLabel::from("alicloud_sag_client_user")
                );
                let b = &resource.body;
                assert_eq!(string_of(attr(b, "sag_id")), *sag_id);
                assert_eq!(string_of(attr(b, "user_name")), u.user_name);
                assert_eq!(string_of(attr(b, "user_mail")), u.user_mail);
                match (
                    u.is_static_ip,
                    b.attributes().any(|a| a.key.as_str() == "client_ip"),
                ) {
                    (true, true) => assert_eq!(Some(string_of(attr(b, "client_ip"))), u.client_ip),
                    (false, false) => {}
                    other => panic!("client_ip {other:?}"),
                }
                // sag_id, bandwidth, user_mail, user_name, password,
                // client_ip for a static IP; a lifecycle block, nothing else.
                let expected = 5 + usize::from(u.is_static_ip);
                assert_eq!(b.attributes().count(), expected, "{b:?}");
                let inner: Vec<_> = b.blocks().map(|x| x.identifier.as_str()).collect();
                assert_eq!(inner, ["lifecycle"]);
                assert_eq!(import.identifier.as_str(), "import");
                assert_eq!(
                    string_of(attr(&import.body, "id")),
                    format!("{sag_id}:{}", u.user_name)
                );
                assert_eq!(import.body.attributes().count(), 2);
            }
        }
    }
}
