//! Table-driven: each row is an input and what the admin must see.

use super::*;

/// Asserts that every `good` input parses and every `(bad, fragment)` input is
/// refused with a message containing `fragment`.
fn check<T: std::fmt::Debug>(
    f: impl Fn(&str) -> Result<T, Invalid>,
    good: &[&str],
    bad: &[(&str, &str)],
) {
    for input in good {
        assert!(
            f(input).is_ok(),
            "{input:?} should be accepted, got {:?}",
            f(input)
        );
    }
    for (input, fragment) in bad {
        match f(input) {
            Ok(v) => panic!("{input:?} should be refused, got {v:?}"),
            Err(Invalid(problem)) => assert!(
                problem.to_string().contains(fragment),
                "{input:?}: {problem} lacks {fragment:?}"
            ),
        }
    }
}

#[test]
fn bandwidth_default_maximum() {
    check(
        |s| bandwidth(s, LIMITS.bandwidth_max_default),
        &["1", "2000", " 512 ", "0002000"],
        &[
            ("", "from 1 to 2000"),
            ("0", "at least 1"),
            ("2001", "at most 2000"),
            ("99999999999999999999999", "at most 2000"),
            ("1.5", "without units or decimals"),
            ("2 Mbit", "without units"),
            ("-5", "whole number"),
            ("abc", "whole number"),
        ],
    );
    assert_eq!(bandwidth("2000", 2000), Ok(Bandwidth(2000)));
}

#[test]
fn bandwidth_maximum_follows_the_instance_up_to_the_ceiling() {
    assert_eq!(bandwidth("20000", 20000), Ok(Bandwidth(20000)));
    assert!(bandwidth("20001", 50000)
        .unwrap_err()
        .to_string()
        .contains("at most 20000"));
    assert!(bandwidth("5001", 5000).is_err());
    assert_eq!(
        bandwidth("1", 0),
        Ok(Bandwidth(1)),
        "a zero maximum is clamped to the floor"
    );
}

#[test]
fn email_addresses() {
    let long = format!("{}@example.com", "a".repeat(53));
    assert_eq!(long.chars().count(), 65);
    check(
        email,
        &[
            "alice@example.com",
            "j.o+h_n~x@example.com",
            " bob@sub.example.co.uk ",
            "x@ex-ample.com",
        ],
        &[
            ("", "Enter an email address"),
            ("   ", "Enter an email address"),
            ("alice", "such as name@example.com"),
            ("alice@", "such as name@example.com"),
            ("a@b", "such as name@example.com"),
            ("user@localhost", "such as name@example.com"),
            ("a b@c.d", "such as name@example.com"),
            ("a@b..c", "such as name@example.com"),
            ("a@[127.0.0.1]", "such as name@example.com"),
            ("\"x y\"@c.de", "such as name@example.com"),
            (&long, "at most 64 characters (this one has 65)"),
        ],
    );
}

#[test]
fn usernames() {
    check(
        user_name,
        &[
            "alice01",
            "alice.wang01",
            "a_b@c.d-e",
            "1234567",
            &"x".repeat(33),
        ],
        &[
            ("", "Enter a username"),
            ("alice", "7 to 33 characters (this one has 5)"),
            (&"x".repeat(34), "this one has 34"),
            ("_alice01", "start with a letter or digit"),
            (".alice01", "start with a letter or digit"),
            ("alice wang", "a space is not allowed"),
            ("alice#wang", "'#' is not allowed"),
            ("alice+wang", "'+' is not allowed"),
            ("аlice01x", "start with a letter or digit"),
            ("alice0ü1", "'ü' is not allowed"),
        ],
    );
}

#[test]
fn passwords() {
    check(
        password,
        &["Passw0rd", "a_b@c-d1", &"P".repeat(32)],
        &[
            ("", "Enter a password"),
            ("short1", "8 to 32 characters (this one has 6)"),
            (&"P".repeat(33), "this one has 33"),
            ("-Passw0rd", "start with a letter or digit"),
            ("Pass word1", "a space is not allowed"),
            ("Passw0rd!", "'!' is not allowed"),
            ("Passw0rd.x", "'.' is not allowed"),
        ],
    );
}

#[test]
fn username_and_password_go_together() {
    assert_eq!(credentials("", ""), Ok(None));
    assert_eq!(credentials("   ", ""), Ok(None));
    let ok = credentials("alice01", "Passw0rd").unwrap().unwrap();
    assert_eq!(ok.0, UserName("alice01".into()));
    let only_name = credentials("alice01", "").unwrap_err();
    assert_eq!(only_name.user_name, None);
    assert!(only_name
        .password
        .unwrap()
        .to_string()
        .contains("go together"));
    let only_password = credentials("", "Passw0rd").unwrap_err();
    assert!(only_password
        .user_name
        .unwrap()
        .to_string()
        .contains("go together"));
    assert_eq!(only_password.password, None);
    let both_bad = credentials("al", "x").unwrap_err();
    assert!(both_bad.user_name.is_some() && both_bad.password.is_some());
    let short_name_no_password = credentials("al", "").unwrap_err();
    assert!(short_name_no_password
        .user_name
        .unwrap()
        .to_string()
        .contains("7 to 33"));
}

#[test]
fn static_ips_against_the_instance_cidr() {
    let net = parse_cidr("10.10.0.0/20").unwrap();
    check(
        |s| client_ip(s, Some(&net)),
        &["10.10.0.1", "10.10.15.254", " 10.10.3.7 "],
        &[
            ("", "inside 10.10.0.0/20, such as 10.10.0.1"),
            ("10.10.0", "IPv4 address inside 10.10.0.0/20"),
            ("fe80::1", "IPv4 address"),
            ("10.10.16.1", "outside the instance's client CIDR 10.10.0.0/20; use an address from 10.10.0.1 to 10.10.15.254"),
            ("8.8.8.8", "not a private address"),
            ("10.10.0.0", "network address of 10.10.0.0/20"),
            ("10.10.15.255", "broadcast address of 10.10.0.0/20"),
            ("192.168.1.10", "outside the instance's client CIDR 10.10.0.0/20"),
        ],
    );
    check(
        |s| client_ip(s, None),
        &["172.16.4.4", "192.168.0.9"],
        &[("1.1.1.1", "not a private"), ("x", "such as 10.0.0.25")],
    );
}

#[test]
fn cidr_parsing_and_ranges() {
    assert_eq!(
        parse_cidr("10.10.3.4/20").unwrap().to_string(),
        "10.10.0.0/20"
    );
    assert_eq!(parse_cidr("10.10.0.0"), None);
    assert_eq!(parse_cidr("banana"), None);
    let net = parse_cidr("192.168.7.0/24").unwrap();
    assert_eq!(
        usable_range(&net),
        (
            "192.168.7.1".parse().unwrap(),
            "192.168.7.254".parse().unwrap()
        )
    );
    let tiny = parse_cidr("192.168.7.4/31").unwrap();
    assert_eq!(usable_range(&tiny).0.to_string(), "192.168.7.4");
    assert!(client_ip("192.168.7.4", Some(&tiny)).is_ok());
}

#[test]
fn optional_static_ip_is_none_when_empty() {
    let net = parse_cidr("10.0.0.0/24").unwrap();
    assert_eq!(optional_client_ip("  ", Some(&net)), Ok(None));
    assert_eq!(
        optional_client_ip("10.0.0.5", Some(&net)),
        Ok(Some(ClientIp("10.0.0.5".parse().unwrap())))
    );
    assert!(optional_client_ip("10.0.1.5", Some(&net)).is_err());
}

#[test]
fn generated_passwords_always_meet_the_rules() {
    for seed in 0..=255u8 {
        let mut random = [0u8; 16];
        for (i, b) in random.iter_mut().enumerate() {
            *b = seed
                .wrapping_mul(31)
                .wrapping_add((i as u8).wrapping_mul(97));
        }
        let Password(generated) = generate_password(random);
        let text = generated.expose();
        assert!(password(text).is_ok(), "{text}");
        assert_eq!(text.len(), 16);
        assert!(text.chars().any(|c| c.is_ascii_uppercase()));
        assert!(text.chars().any(|c| c.is_ascii_lowercase()));
        assert!(text.chars().any(|c| c.is_ascii_digit()));
        assert!(text.chars().any(|c| "_@-".contains(c)));
    }
    assert_ne!(generate_password([1; 16]), generate_password([2; 16]));
}

#[test]
fn cam_user_names() {
    check(
        cam_user_name,
        &["alice01", "a", "ops+bot=1,x.y@z_w-v", &"n".repeat(64)],
        &[
            ("", "Enter a user name"),
            (&"n".repeat(65), "at most 64 characters"),
            ("alice smith", "a space is not allowed"),
            ("alice/smith", "'/' is not allowed"),
            ("张三", "'张' is not allowed"),
        ],
    );
}

#[test]
fn cam_passwords_follow_the_default_rule() {
    check(
        cam_password,
        &["Passw0rd!", "Aa1!Aa1!", &format!("Aa1!{}", "x".repeat(28))],
        &[
            ("", "8 to 32 characters"),
            ("Aa1!", "this one has 4"),
            (&format!("Aa1!{}", "x".repeat(29)), "this one has 33"),
            ("password1!", "an uppercase letter"),
            ("PASSWORD1!", "a lowercase letter"),
            ("Password!!", "a digit"),
            ("Password11", "a special character"),
            (
                "passwordxx",
                "an uppercase letter, a digit, a special character",
            ),
            ("Pass word1!", "without spaces"),
            ("Pässword1!", "printable ASCII"),
        ],
    );
}

#[test]
fn cam_phone_numbers_need_a_country_code() {
    assert_eq!(
        cam_phone("+86", "138 0013 8000"),
        Ok(Phone {
            country_code: "86".into(),
            number: "13800138000".into()
        })
    );
    assert!(cam_phone("1", "415-555-0100").is_ok());
    let refuse = |code: &str, number: &str, fragment: &str| {
        let message = cam_phone(code, number).unwrap_err().to_string();
        assert!(message.contains(fragment), "{code} {number}: {message}");
    };
    refuse("", "13800138000", "country calling code");
    refuse("0086", "13800138000", "country calling code");
    refuse("8a", "13800138000", "country calling code");
    refuse("86", "", "as digits");
    refuse("86", "1380013800x", "as digits");
    refuse("44", "1234567890123456", "at most 15");
    // No national rule: Tencent's own example is 10086 with code 86.
    assert!(cam_phone("86", "10086").is_ok());
}

#[test]
fn cam_email_and_remark() {
    assert!(cam_email("dev@example.com").is_ok());
    assert!(cam_email("dev")
        .unwrap_err()
        .to_string()
        .contains("name@example.com"));
    assert!(cam_email(&format!("{}@example.com", "a".repeat(120)))
        .unwrap_err()
        .to_string()
        .contains("at most 128"));
    assert_eq!(cam_remark(" ops team "), Ok("ops team".into()));
    assert!(cam_remark(&"r".repeat(256))
        .unwrap_err()
        .to_string()
        .contains("at most 255"));
}

#[test]
fn the_cam_form_checks_only_what_tencent_documents() {
    // The documentation's own example (AddUser, 示例值): it must pass.
    assert_eq!(cam_form_name(" Jack ").unwrap().0, "Jack");
    assert!(cam_form_password("test123456").is_ok());
    assert_eq!(
        cam_phone("86", "10086").unwrap(),
        Phone {
            country_code: "86".into(),
            number: "10086".into()
        }
    );
    assert!(cam_form_email("12340@qq.com").is_ok());
    // ... even where the emulator's default rules would refuse it.
    assert!(cam_password("test123456").is_err());
    assert!(cam_form_name("张三").is_ok(), "the service decides");

    assert!(cam_form_name("  ")
        .unwrap_err()
        .to_string()
        .contains("Enter a user name"));
    assert!(cam_form_password("Aa1!")
        .unwrap_err()
        .to_string()
        .contains("at least 8 characters (this one has 4)"));
    assert_eq!(
        cam_default_rule_gaps("test123456"),
        [Gap::Upper, Gap::Special]
    );
    assert!(cam_default_rule_gaps("Passw0rd!").is_empty());
    assert!(cam_phone("", "10086")
        .unwrap_err()
        .to_string()
        .contains("country calling code"));
    assert!(cam_phone("86", "10o86")
        .unwrap_err()
        .to_string()
        .contains("as digits"));
    assert!(cam_phone("44", "1234567890123456")
        .unwrap_err()
        .to_string()
        .contains("at most 15"));
    assert!(cam_form_email("12340qq.com")
        .unwrap_err()
        .to_string()
        .contains("name@example.com"));
}

#[test]
fn region_and_instance_ids_of_the_vendors_form_and_nothing_else() {
    for good in [
        "cn-shanghai",
        "ap-southeast-1",
        "cn-shanghai-finance-1",
        "eu-central-1",
        "us-west-1",
    ] {
        assert!(is_region_id(good), "{good}");
    }
    for bad in [
        "",
        "cn",
        "shanghai",
        "CN-shanghai",
        "cn-",
        "-cn",
        "cn--x",
        "cn_shanghai",
        "cn-shanghai/",
        "..",
        "../../api/tencent",
        "..%2F..%2Fapi",
        "cn-shanghai\n",
        "cn-上海",
        "a-b",
        "cn-a-b-c-d-e",
        &format!("cn-{}", "a".repeat(40)),
    ] {
        assert!(!is_region_id(bad), "{bad:?}");
    }
    for good in ["sag-app-hq01", "sag-gnhe6sywtare5xxxx", "sag-1"] {
        assert!(is_sag_instance_id(good), "{good}");
    }
    for bad in [
        "",
        "sag-",
        "sag",
        "SAG-x",
        "sag-X",
        "sag-x\nresource",
        "sag-x%0A",
        "sag-x/../y",
        "sag-x y",
        "sag-x.y",
        "vpn-x",
        &format!("sag-{}", "a".repeat(61)),
    ] {
        assert!(!is_sag_instance_id(bad), "{bad:?}");
    }
}
