//! Property tests: the decoders, the error classifier and every validator
//! never panic on arbitrary input, and the rules that matter hold for
//! generated input (issue 9).

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use sag_api::cam::ListUsers;
use sag_api::decode::decode;
use sag_api::request::{prepare, Credentials, Profile, RequestStamp};
use sag_api::smartag::DescribeClientUsers;
use sag_api::validate;

fn aliyun_request() -> sag_api::HttpRequest {
    prepare(
        &DescribeClientUsers::page("cn-shanghai", "sag-1", 1, 100),
        &Credentials::new("AKID", "secret"),
        &RequestStamp::new(1_714_552_200, [1; 16]),
        &Profile::default(),
    )
}

fn tencent_request() -> sag_api::HttpRequest {
    prepare(
        &ListUsers,
        &Credentials::new("AKID", "secret"),
        &RequestStamp::new(1_700_000_000, [1; 16]),
        &Profile::default(),
    )
}

/// Characters an address must never hide: spaces other than ASCII,
/// zero-width characters and bidirectional controls.
const HIDDEN: &[char] = &[
    '\u{00A0}', '\u{1680}', '\u{2000}', '\u{2002}', '\u{2007}', '\u{2009}', '\u{200A}', '\u{202F}',
    '\u{205F}', '\u{3000}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{200E}',
    '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
    '\u{2068}', '\u{2069}', '\u{061C}',
];

/// JSON-ish text: braces, quotes, the vendors' keys, numbers, junk.
fn jsonish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("{".to_owned()),
            Just("}".to_owned()),
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just(",".to_owned()),
            Just(":".to_owned()),
            Just("\"Users\"".to_owned()),
            Just("\"User\"".to_owned()),
            Just("\"TotalCount\"".to_owned()),
            Just("\"State\"".to_owned()),
            Just("\"IsStaticIp\"".to_owned()),
            Just("\"Code\"".to_owned()),
            Just("\"Message\"".to_owned()),
            Just("\"Response\"".to_owned()),
            Just("\"Error\"".to_owned()),
            Just("\"RequestId\"".to_owned()),
            Just("true".to_owned()),
            Just("null".to_owned()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<f64>().prop_map(|n| n.to_string()),
            "\"[^\"\\\\]{0,12}\"".prop_map(|s| s),
            ".{0,3}".prop_map(|s| s),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn decoding_never_panics(body in prop_oneof![jsonish(), any::<String>()], status in 100u16..600) {
        let a = decode::<DescribeClientUsers>(&aliyun_request(), status, &body);
        let t = decode::<ListUsers>(&tencent_request(), status, &body);
        // Whatever came back can be explained and classified.
        for e in [a.err(), t.err()].into_iter().flatten() {
            let _ = (e.to_string(), e.support_details(), e.kind(), e.is_ambiguous(), e.code());
        }
    }

    #[test]
    fn validators_never_panic(text in any::<String>(), cidr in any::<String>()) {
        let net = validate::parse_cidr(&cidr);
        let _ = validate::email(&text);
        let _ = validate::user_name(&text);
        let _ = validate::password(&text);
        let _ = validate::bandwidth(&text, 20_000);
        let _ = validate::client_ip(&text, net.as_ref());
        let _ = validate::optional_client_ip(&text, net.as_ref());
        let _ = validate::cam_user_name(&text);
        let _ = validate::cam_form_name(&text);
        let _ = validate::cam_password(&text);
        let _ = validate::cam_form_password(&text);
        let _ = validate::cam_default_rule_gaps(&text);
        let _ = validate::cam_phone(&cidr, &text);
        let _ = validate::cam_email(&text);
        let _ = validate::cam_form_email(&text);
        let _ = validate::cam_remark(&text);
    }

    #[test]
    fn an_email_with_a_hidden_character_is_refused(
        local in "[a-z][a-z0-9]{0,5}(\\.[a-z0-9]{1,5})?",
        domain in "[a-z]{1,10}\\.[a-z]{2,6}",
        hidden in prop::sample::select(HIDDEN),
        at in any::<prop::sample::Index>(),
    ) {
        let good = format!("{local}@{domain}");
        prop_assert!(validate::email(&good).is_ok(), "{good}");
        // Inside the address (the ends are trimmed as white space, or not).
        let chars: Vec<char> = good.chars().collect();
        let i = 1 + at.index(chars.len() - 1);
        let mut bad: String = chars[..i].iter().collect();
        bad.push(hidden);
        bad.extend(&chars[i..]);
        prop_assert!(validate::email(&bad).is_err(), "{bad:?} was accepted");
        prop_assert!(validate::cam_form_email(&bad).is_err(), "{bad:?} was accepted for CAM");
    }

    #[test]
    fn an_address_inside_the_cidr_is_accepted_and_its_written_forms_are_not(
        host in 1u32..65_534,
        pad in prop_oneof![Just(" "), Just("\u{00A0}"), Just("\u{200E}")],
    ) {
        let net = validate::parse_cidr("10.20.0.0/16").unwrap();
        let ip = std::net::Ipv4Addr::from(u32::from(std::net::Ipv4Addr::new(10, 20, 0, 0)) + host);
        let text = ip.to_string();
        prop_assert!(validate::client_ip(&text, Some(&net)).is_ok(), "{text}");
        let [a, b, c, d] = ip.octets();
        for bad in [
            format!("{a}.{b}.{c}.0{d}"),            // a leading zero
            format!("{a}.{b}.{c}.{}", u16::from(d) + 256), // an octet over 255
            format!("{a}.{b}{pad}.{c}.{d}"),         // a space inside
            format!("::ffff:{text}"),                // IPv6
            format!("{a}.{b}.{c}"),                  // too short
            format!("{text}/16"),                    // a network, not an address
        ] {
            prop_assert!(validate::client_ip(&bad, Some(&net)).is_err(), "{bad:?} was accepted");
        }
        let outside = std::net::Ipv4Addr::new(10, 21, c, d).to_string();
        prop_assert!(validate::client_ip(&outside, Some(&net)).is_err(), "{outside} is outside");
    }

    #[test]
    fn a_cidr_parses_only_as_written(a in 0u8..=255, b in 0u8..=255, len in 0u8..=40) {
        let text = format!("{a}.{b}.0.0/{len}");
        let parsed = validate::parse_cidr(&text);
        prop_assert_eq!(parsed.is_some(), len <= 32, "{}", text);
    }

    #[test]
    fn documented_cam_passwords_and_phones_are_accepted(
        password in "[A-Za-z0-9]{4}[!@#$%^&*()_+=-]{1,4}[A-Za-z0-9]{3,20}",
        number in "1[3-9][0-9]{9}",
    ) {
        prop_assert!(validate::cam_form_password(&password).is_ok(), "{password}");
        prop_assert!(validate::cam_phone("86", &number).is_ok(), "{number}");
    }
}

#[test]
fn the_documentations_own_examples_pass() {
    // Tencent's AddUser example and Alibaba's create example.
    assert!(validate::cam_form_name("Jack").is_ok());
    assert!(validate::cam_form_password("test123456").is_ok());
    assert!(validate::cam_phone("86", "10086").is_ok());
    assert!(validate::email("username@example.com").is_ok());
}
