//! Field validation: one function per field that returns the parsed, typed
//! value or an [`Invalid`] message saying what is allowed. Every limit lives
//! in [`LIMITS`], because the vendor changed them over the years
//! (feature-survey.md §2.2).

use std::fmt;
use std::net::Ipv4Addr;

use email_address::EmailAddress;
use ipnet::Ipv4Net;

use crate::secret::Secret;

/// What is wrong with a value, and what is allowed: the facts, not the
/// words. The console says it in the admin's language (`locales/*.json`,
/// keys `invalid.*`); [`fmt::Display`] gives the English text, for tests,
/// logs and anything outside the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub Problem);

/// Which field a charset rule speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    UserName,
    Password,
}

/// Why an email is asked for, which the "empty" message says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailUse {
    /// SAG: the client's login details are sent to it.
    LoginDetails,
    /// CAM: optional.
    Optional,
}

/// A character class a CAM default password lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    Upper,
    Lower,
    Digit,
    Special,
}

/// Every problem the validators report, with the numbers and values the
/// message shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    BandwidthEmpty {
        min: u32,
        max: u32,
    },
    BandwidthNotWhole {
        min: u32,
        max: u32,
    },
    BandwidthTooLow {
        min: u32,
    },
    BandwidthTooHigh {
        max: u32,
    },
    EmailEmpty {
        purpose: EmailUse,
    },
    EmailTooLong {
        max: usize,
        count: usize,
    },
    /// An invisible character or unusual space (shown as `U+200B`).
    EmailHiddenChar {
        ch: char,
    },
    EmailMalformed,
    CharsEmpty {
        field: Named,
        min: usize,
        max: usize,
        allowed: &'static str,
    },
    CharsLength {
        field: Named,
        min: usize,
        max: usize,
        count: usize,
    },
    CharsStart {
        field: Named,
    },
    /// `bad` is `None` for a space.
    CharsBad {
        field: Named,
        allowed: &'static str,
        bad: Option<char>,
    },
    PasswordNeedsUserName,
    UserNameNeedsPassword,
    IpMalformed {
        cidr: Option<Ipv4Net>,
        example: Ipv4Addr,
    },
    IpNotPrivate {
        ip: Ipv4Addr,
    },
    IpOutside {
        ip: Ipv4Addr,
        cidr: Ipv4Net,
        first: Ipv4Addr,
        last: Ipv4Addr,
    },
    IpNetwork {
        ip: Ipv4Addr,
        cidr: Ipv4Net,
        first: Ipv4Addr,
        last: Ipv4Addr,
    },
    IpBroadcast {
        ip: Ipv4Addr,
        cidr: Ipv4Net,
        first: Ipv4Addr,
        last: Ipv4Addr,
    },
    CamNameEmpty {
        max: usize,
    },
    CamNameTooLong {
        max: usize,
        count: usize,
    },
    CamNameBad {
        bad: Option<char>,
    },
    CamPasswordLength {
        min: usize,
        max: usize,
        count: usize,
    },
    CamPasswordNotAscii,
    CamPasswordNeeds {
        missing: Vec<Gap>,
    },
    CamRemarkTooLong {
        max: usize,
        count: usize,
    },
    CamFormNameEmpty,
    CamFormPasswordShort {
        min: usize,
        count: usize,
    },
    PhoneCode,
    PhoneDigits,
    PhoneTooLong,
}

impl Problem {
    /// `U+200B`.
    pub fn code_point(c: char) -> String {
        format!("U+{:04X}", u32::from(c))
    }
}

impl Gap {
    pub fn english(self) -> &'static str {
        match self {
            Gap::Upper => "an uppercase letter",
            Gap::Lower => "a lowercase letter",
            Gap::Digit => "a digit",
            Gap::Special => "a special character",
        }
    }
}

/// `a space` or `'x'`.
fn shown(bad: Option<char>) -> String {
    match bad {
        None => "a space".to_owned(),
        Some(c) => format!("'{c}'"),
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Problem as P;
        let what = |n: &Named| match n {
            Named::UserName => "Username",
            Named::Password => "Password",
        };
        match self {
            P::BandwidthEmpty { min, max } => write!(f, "Enter the bandwidth: a whole number of Kbit/s from {min} to {max}."),
            P::BandwidthNotWhole { min, max } => write!(f, "Bandwidth must be a whole number of Kbit/s from {min} to {max}, without units or decimals."),
            P::BandwidthTooLow { min } => write!(f, "Bandwidth must be at least {min} Kbit/s."),
            P::BandwidthTooHigh { max } => write!(f, "Bandwidth can be at most {max} Kbit/s on this instance."),
            P::EmailEmpty { purpose: EmailUse::LoginDetails } => f.write_str("Enter an email address; the client's login details are sent to it."),
            P::EmailEmpty { purpose: EmailUse::Optional } => f.write_str("Enter an email address, or leave the field empty."),
            P::EmailTooLong { max, count } => write!(f, "Email can be at most {max} characters (this one has {count})."),
            P::EmailHiddenChar { ch } => write!(f, "The email contains an invisible character or an unusual space ({}), often pasted from a document; type the address again.", Problem::code_point(*ch)),
            P::EmailMalformed => f.write_str("Enter a full email address such as name@example.com."),
            P::CharsEmpty { field, min, max, allowed } => write!(f, "Enter a {}: {min} to {max} letters, digits or {allowed}, starting with a letter or digit.", what(field).to_lowercase()),
            P::CharsLength { field, min, max, count } => write!(f, "{} must be {min} to {max} characters (this one has {count}).", what(field)),
            P::CharsStart { field } => write!(f, "{} must start with a letter or digit.", what(field)),
            P::CharsBad { field, allowed, bad } => write!(f, "{} can contain only letters, digits and {allowed}; {} is not allowed.", what(field), shown(*bad)),
            P::PasswordNeedsUserName => f.write_str("Enter a password too: username and password go together (leave both empty to have the service generate them)."),
            P::UserNameNeedsPassword => f.write_str("Enter a username too: username and password go together (leave both empty to have the service generate them)."),
            P::IpMalformed { cidr: Some(net), example } => write!(f, "Enter an IPv4 address inside {net}, such as {example}."),
            P::IpMalformed { cidr: None, example } => write!(f, "Enter an IPv4 address such as {example}."),
            P::IpNotPrivate { ip } => write!(f, "{ip} is not a private address; use one from 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16."),
            P::IpOutside { ip, cidr, first, last } => write!(f, "{ip} is outside the instance's client CIDR {cidr}; use an address from {first} to {last}."),
            P::IpNetwork { ip, cidr, first, last } => write!(f, "{ip} is the network address of {cidr}; use an address from {first} to {last}."),
            P::IpBroadcast { ip, cidr, first, last } => write!(f, "{ip} is the broadcast address of {cidr}; use an address from {first} to {last}."),
            P::CamNameEmpty { max } => write!(f, "Enter a user name: 1 to {max} letters, digits or + = , . @ _ -."),
            P::CamNameTooLong { max, count } => write!(f, "User name can be at most {max} characters (this one has {count})."),
            P::CamNameBad { bad } => write!(f, "User name can contain only letters, digits and + = , . @ _ -; {} is not allowed.", shown(*bad)),
            P::CamPasswordLength { min, max, count } => write!(f, "Password must be {min} to {max} characters with upper- and lowercase letters, digits and special characters (this one has {count})."),
            P::CamPasswordNotAscii => f.write_str("Password can contain only printable ASCII characters, without spaces."),
            P::CamPasswordNeeds { missing } => write!(f, "Password also needs {}.", missing.iter().map(|g| g.english()).collect::<Vec<_>>().join(", ")),
            P::CamRemarkTooLong { max, count } => write!(f, "Remark can be at most {max} characters (this one has {count})."),
            P::CamFormNameEmpty => f.write_str("Enter a user name."),
            P::CamFormPasswordShort { min, count } => write!(f, "Password must have at least {min} characters (this one has {count}), or leave it empty to have one generated."),
            P::PhoneCode => f.write_str("Enter the country calling code: 1 to 3 digits, such as 86 or 1."),
            P::PhoneDigits => f.write_str("Enter the phone number as digits (spaces and dashes are fine)."),
            P::PhoneTooLong => f.write_str("A phone number has at most 15 digits with the country code."),
        }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Invalid {}

fn invalid<T>(problem: Problem) -> Result<T, Invalid> {
    Err(Invalid(problem))
}

/// Every limit the console checks, in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bandwidth floor, Kbit/s.
    pub bandwidth_min: u32,
    /// The bandwidth maximum used when the instance does not say otherwise:
    /// 2000 Kbit/s (Terraform docs, 2019 API docs).
    pub bandwidth_max_default: u32,
    /// The highest maximum an instance may be given: 20000 Kbit/s (current
    /// create/modify docs and ROS; one doc said 5000).
    pub bandwidth_max_ceiling: u32,
    /// The bandwidth the create form starts with.
    pub bandwidth_default: u32,
    /// Email length (current docs: 2–64; 2019: 2–32).
    pub email_max: usize,
    /// Username length (current docs: 7–33; 2019: 2–32).
    pub user_name_min: usize,
    pub user_name_max: usize,
    /// Password length (8–32).
    pub password_min: usize,
    pub password_max: usize,
    /// CAM sub-user name length; the charset and length are not documented
    /// for CAM (UNCONFIRMED), so this follows Tencent's identity rules.
    pub cam_name_max: usize,
    /// CAM default password rule: 8+ with upper, lower, digit, special;
    /// 32 is Terraform's upper bound.
    pub cam_password_min: usize,
    pub cam_password_max: usize,
    pub cam_email_max: usize,
    pub cam_remark_max: usize,
    /// The most client accounts the console believes one SAG App instance
    /// can hold, whatever a list's `TotalCount` says: a quota is set at
    /// purchase (1–2,000) and can be raised afterwards, so ten times the
    /// purchase ceiling. Bounds how many pages a user list plans to read.
    pub instance_users_max: u64,
}

pub const LIMITS: Limits = Limits {
    bandwidth_min: 1,
    bandwidth_max_default: 2000,
    bandwidth_max_ceiling: 20000,
    bandwidth_default: 2000,
    email_max: 64,
    user_name_min: 7,
    user_name_max: 33,
    password_min: 8,
    password_max: 32,
    cam_name_max: 64,
    cam_password_min: 8,
    cam_password_max: 32,
    cam_email_max: 128,
    cam_remark_max: 255,
    instance_users_max: 20_000,
};

/// A per-user bandwidth cap in Kbit/s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Bandwidth(pub u32);

/// Whole Kbit/s from 1 to `max` (`max` is clamped to the ceiling in [`LIMITS`]).
pub fn bandwidth(input: &str, max: u32) -> Result<Bandwidth, Invalid> {
    let max = max.clamp(LIMITS.bandwidth_min, LIMITS.bandwidth_max_ceiling);
    let min = LIMITS.bandwidth_min;
    let text = input.trim();
    if text.is_empty() {
        return invalid(Problem::BandwidthEmpty { min, max });
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return invalid(Problem::BandwidthNotWhole { min, max });
    }
    match text.parse::<u64>() {
        Ok(n) if n < u64::from(min) => invalid(Problem::BandwidthTooLow { min }),
        Ok(n) if n <= u64::from(max) => Ok(Bandwidth(n as u32)),
        _ => invalid(Problem::BandwidthTooHigh { max }),
    }
}

/// A client user's email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(pub String);

/// Required, at most `LIMITS.email_max` characters, a real address with a
/// dotted domain (parsed by the `email_address` crate).
pub fn email(input: &str) -> Result<Email, Invalid> {
    email_with_limit(input, LIMITS.email_max, EmailUse::LoginDetails)
}

fn email_with_limit(input: &str, max: usize, purpose: EmailUse) -> Result<Email, Invalid> {
    let text = input.trim();
    if text.is_empty() {
        return invalid(Problem::EmailEmpty { purpose });
    }
    let count = text.chars().count();
    if count > max {
        return invalid(Problem::EmailTooLong { max, count });
    }
    if let Some(c) = text.chars().find(|&c| c != ' ' && hidden_char(c)) {
        return invalid(Problem::EmailHiddenChar { ch: c });
    }
    let Ok(parsed) = text.parse::<EmailAddress>() else {
        return invalid(Problem::EmailMalformed);
    };
    let domain = parsed.domain();
    if domain.starts_with('[')
        || !domain.contains('.')
        || domain.ends_with('.')
        || text.contains(' ')
        || text.starts_with('"')
    {
        return invalid(Problem::EmailMalformed);
    }
    Ok(Email(text.to_owned()))
}

/// A character an address must not hide: any space (ASCII or not), a
/// control character, a zero-width character or a bidirectional control.
fn hidden_char(c: char) -> bool {
    // Unicode's white space and control characters, and the invisible
    // format characters (soft hyphen, zero-width, bidirectional marks).
    matches!(c,
        '\u{0000}'..='\u{001F}' | '\u{007F}'..='\u{00A0}' | '\u{00AD}' | '\u{061C}'
        | '\u{1680}' | '\u{180E}' | '\u{2000}'..='\u{200F}' | '\u{2028}'..='\u{202F}'
        | '\u{205F}'..='\u{206F}' | '\u{3000}' | '\u{FEFF}')
}

/// A SAG client username.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct UserName(pub String);

/// 7 to 33 characters; first a letter or digit, then letters, digits, `_ @ . -`.
pub fn user_name(input: &str) -> Result<UserName, Invalid> {
    let text = input.trim();
    let (min, max) = (LIMITS.user_name_min, LIMITS.user_name_max);
    check_charset(text, Named::UserName, min, max, "_ @ . -")?;
    Ok(UserName(text.to_owned()))
}

/// A SAG client password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Password(pub Secret);

/// 8 to 32 characters; first a letter or digit, then letters, digits, `_ @ -`
/// (the API documentation's set; the console documentation also allows `.`).
pub fn password(input: &str) -> Result<Password, Invalid> {
    check_charset(
        input,
        Named::Password,
        LIMITS.password_min,
        LIMITS.password_max,
        "_ @ -",
    )?;
    Ok(Password(Secret::new(input)))
}

fn check_charset(
    text: &str,
    field: Named,
    min: usize,
    max: usize,
    extra: &'static str,
) -> Result<(), Invalid> {
    let count = text.chars().count();
    // `extra` is written as shown: `_ @ . -`.
    let allowed = extra;
    if count == 0 {
        return invalid(Problem::CharsEmpty {
            field,
            min,
            max,
            allowed,
        });
    }
    if count < min || count > max {
        return invalid(Problem::CharsLength {
            field,
            min,
            max,
            count,
        });
    }
    if !text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return invalid(Problem::CharsStart { field });
    }
    if let Some(bad) = text
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && (*c == ' ' || !extra.contains(*c)))
    {
        return invalid(Problem::CharsBad {
            field,
            allowed,
            bad: (bad != ' ').then_some(bad),
        });
    }
    Ok(())
}

/// Per-field errors of the username/password pair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CredentialErrors {
    pub user_name: Option<Invalid>,
    pub password: Option<Invalid>,
}

/// Username and password: both or neither. Neither means the service uses
/// the email as the username and generates the password.
pub fn credentials(
    user_name_input: &str,
    password_input: &str,
) -> Result<Option<(UserName, Password)>, CredentialErrors> {
    let name_given = !user_name_input.trim().is_empty();
    let password_given = !password_input.is_empty();
    match (name_given, password_given) {
        (false, false) => Ok(None),
        (true, false) => Err(CredentialErrors {
            user_name: user_name(user_name_input).err(),
            password: Some(Invalid(Problem::PasswordNeedsUserName)),
        }),
        (false, true) => Err(CredentialErrors {
            user_name: Some(Invalid(Problem::UserNameNeedsPassword)),
            password: password(password_input).err(),
        }),
        (true, true) => match (user_name(user_name_input), password(password_input)) {
            (Ok(n), Ok(p)) => Ok(Some((n, p))),
            (n, p) => Err(CredentialErrors {
                user_name: n.err(),
                password: p.err(),
            }),
        },
    }
}

/// Parses an instance's client CIDR (`10.10.0.0/20`); host bits are dropped.
pub fn parse_cidr(text: &str) -> Option<Ipv4Net> {
    text.trim().parse::<Ipv4Net>().ok().map(|net| net.trunc())
}

/// The first and last assignable addresses of `net`.
pub fn usable_range(net: &Ipv4Net) -> (Ipv4Addr, Ipv4Addr) {
    if net.prefix_len() >= 31 {
        (net.network(), net.broadcast())
    } else {
        let first = u32::from(net.network()) + 1;
        let last = u32::from(net.broadcast()) - 1;
        (Ipv4Addr::from(first), Ipv4Addr::from(last))
    }
}

/// A static client IP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClientIp(pub Ipv4Addr);

/// An IPv4 address, private, inside `cidr` (when the instance's CIDR is
/// known), not its network or broadcast address.
pub fn client_ip(input: &str, cidr: Option<&Ipv4Net>) -> Result<ClientIp, Invalid> {
    let text = input.trim();
    let Ok(ip) = text.parse::<Ipv4Addr>() else {
        return invalid(Problem::IpMalformed {
            cidr: cidr.copied(),
            example: cidr.map_or(Ipv4Addr::new(10, 0, 0, 25), |n| usable_range(n).0),
        });
    };
    if !ip.is_private() {
        return invalid(Problem::IpNotPrivate { ip });
    }
    if let Some(net) = cidr {
        let (first, last) = usable_range(net);
        let cidr = *net;
        if !net.contains(&ip) {
            return invalid(Problem::IpOutside {
                ip,
                cidr,
                first,
                last,
            });
        }
        if net.prefix_len() < 31 && ip == net.network() {
            return invalid(Problem::IpNetwork {
                ip,
                cidr,
                first,
                last,
            });
        }
        if net.prefix_len() < 31 && ip == net.broadcast() {
            return invalid(Problem::IpBroadcast {
                ip,
                cidr,
                first,
                last,
            });
        }
    }
    Ok(ClientIp(ip))
}

/// [`client_ip`] for an optional field: empty means "assign one dynamically".
pub fn optional_client_ip(
    input: &str,
    cidr: Option<&Ipv4Net>,
) -> Result<Option<ClientIp>, Invalid> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        client_ip(input, cidr).map(Some)
    }
}

/// Makes a SAG password that meets [`password`]'s rules from 16 random bytes
/// (the caller supplies them from a CSPRNG such as `crypto.getRandomValues`).
pub fn generate_password(random: [u8; 16]) -> Password {
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGIT: &[u8] = b"23456789";
    const SYMBOL: &[u8] = b"_@-";
    const ALL: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789_@-";
    let pick = |set: &[u8], byte: u8| set[usize::from(byte) % set.len()] as char;
    let mut chars: Vec<char> = vec![
        pick(UPPER, random[0]),
        pick(LOWER, random[1]),
        pick(DIGIT, random[2]),
        pick(SYMBOL, random[3]),
    ];
    chars.extend(random[4..].iter().map(|&b| pick(ALL, b)));
    // Deterministic shuffle of everything after the first character, which
    // stays a letter as the rules demand.
    for i in (2..chars.len()).rev() {
        let j = 1 + usize::from(random[i]) % i;
        chars.swap(i, j);
    }
    Password(Secret::new(chars.into_iter().collect::<String>()))
}

// ------------------------------------------------------------------- CAM

/// A CAM sub-user name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CamUserName(pub String);

/// 1 to 64 characters: letters, digits and `+ = , . @ _ -`.
pub fn cam_user_name(input: &str) -> Result<CamUserName, Invalid> {
    let text = input.trim();
    let max = LIMITS.cam_name_max;
    let count = text.chars().count();
    if count == 0 {
        return invalid(Problem::CamNameEmpty { max });
    }
    if count > max {
        return invalid(Problem::CamNameTooLong { max, count });
    }
    if let Some(bad) = text
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && !"+=,.@_-".contains(*c))
    {
        return invalid(Problem::CamNameBad {
            bad: (bad != ' ').then_some(bad),
        });
    }
    Ok(CamUserName(text.to_owned()))
}

/// A CAM console password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CamPassword(pub Secret);

/// The default CAM rule: 8 to 32 printable ASCII characters, without spaces,
/// with at least one uppercase letter, lowercase letter, digit and special character.
pub fn cam_password(input: &str) -> Result<CamPassword, Invalid> {
    let (min, max) = (LIMITS.cam_password_min, LIMITS.cam_password_max);
    let count = input.chars().count();
    if count < min || count > max {
        return invalid(Problem::CamPasswordLength { min, max, count });
    }
    if input.chars().any(|c| !c.is_ascii_graphic()) {
        return invalid(Problem::CamPasswordNotAscii);
    }
    let missing = cam_default_rule_gaps(input);
    if !missing.is_empty() {
        return invalid(Problem::CamPasswordNeeds { missing });
    }
    Ok(CamPassword(Secret::new(input)))
}

/// A phone number with its country calling code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    pub country_code: String,
    pub number: String,
}

/// A CAM user's email (optional in CAM; check it only when one is given).
pub fn cam_email(input: &str) -> Result<Email, Invalid> {
    email_with_limit(input, LIMITS.cam_email_max, EmailUse::Optional)
}

/// A CAM remark of at most `LIMITS.cam_remark_max` characters.
pub fn cam_remark(input: &str) -> Result<String, Invalid> {
    let max = LIMITS.cam_remark_max;
    let count = input.chars().count();
    if count > max {
        return invalid(Problem::CamRemarkTooLong { max, count });
    }
    Ok(input.trim().to_owned())
}

// ------------------------------------------------ CAM, as the browser checks it

// The add-user form checks only what Tencent documents for `AddUser`, and no
// more: the service applies the account's own rules (which the console
// cannot read) and answers with a code that lands on the field. The stricter
// functions above are the default rules as the emulator enforces them.

/// A sub-user name: required. Tencent documents no charset or length for CAM
/// names; the service answers `UserNameIllegal` for one it refuses.
pub fn cam_form_name(input: &str) -> Result<CamUserName, Invalid> {
    let text = input.trim();
    if text.is_empty() {
        return invalid(Problem::CamFormNameEmpty);
    }
    Ok(CamUserName(text.to_owned()))
}

/// A console password typed by the admin: at least 8 characters, the floor
/// of every CAM password rule. Whether it meets the account's rule only the
/// service can say (`PasswordViolatedRules`); see [`cam_default_rule_gaps`].
pub fn cam_form_password(input: &str) -> Result<CamPassword, Invalid> {
    let min = LIMITS.cam_password_min;
    let count = input.chars().count();
    if count < min {
        return invalid(Problem::CamFormPasswordShort { min, count });
    }
    Ok(CamPassword(Secret::new(input)))
}

/// What `password` lacks for Tencent's default rule (upper- and lowercase
/// letters, digits, special characters); empty when it meets it. Advice, not
/// a refusal: the account may have its own rule.
pub fn cam_default_rule_gaps(password: &str) -> Vec<Gap> {
    let mut missing = Vec::new();
    if !password.chars().any(|c| c.is_ascii_uppercase()) {
        missing.push(Gap::Upper);
    }
    if !password.chars().any(|c| c.is_ascii_lowercase()) {
        missing.push(Gap::Lower);
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        missing.push(Gap::Digit);
    }
    if !password.chars().any(|c| c.is_ascii_punctuation()) {
        missing.push(Gap::Special);
    }
    missing
}

/// A phone number with its country calling code: the code 1 to 3 digits (a
/// leading `+` allowed), the number digits (spaces and dashes ignored), at
/// most 15 digits together (E.164). No national rule: Tencent's own example
/// is `10086` with code `86`.
pub fn cam_phone(country_code: &str, number: &str) -> Result<Phone, Invalid> {
    let code = country_code.trim().trim_start_matches('+');
    if code.is_empty()
        || code.len() > 3
        || !code.bytes().all(|b| b.is_ascii_digit())
        || code.starts_with('0')
    {
        return invalid(Problem::PhoneCode);
    }
    let digits: String = number.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return invalid(Problem::PhoneDigits);
    }
    if code.len() + digits.len() > 15 {
        return invalid(Problem::PhoneTooLong);
    }
    Ok(Phone {
        country_code: code.to_owned(),
        number: digits,
    })
}

/// A sub-user's email: a full address (RFC 5321 allows 254 characters).
pub fn cam_form_email(input: &str) -> Result<Email, Invalid> {
    email_with_limit(input, 254, EmailUse::Optional)
}

/// An Alibaba Cloud region ID as the vendor writes them: a lowercase
/// two-or-more-letter prefix and one to four lowercase words or numbers,
/// joined by `-` (`cn-shanghai`, `ap-southeast-1`,
/// `cn-shanghai-finance-1`). At most 40 characters. Used for a region typed
/// by hand or taken from an address; `config.json`'s own regions are
/// trusted as listed.
pub fn is_region_id(value: &str) -> bool {
    let mut parts = value.split('-');
    let prefix_ok = parts
        .next()
        .is_some_and(|p| p.len() >= 2 && p.chars().all(|c| c.is_ascii_lowercase()));
    let rest: Vec<&str> = parts.collect();
    value.len() <= 40
        && prefix_ok
        && (1..=4).contains(&rest.len())
        && rest.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// A SAG instance ID: `sag-` and 1 to 60 lowercase letters, digits and
/// `-` (`sag-gnhe6sywtare5xxxx`; the emulator's `sag-app-hq01`).
pub fn is_sag_instance_id(value: &str) -> bool {
    value.strip_prefix("sag-").is_some_and(|rest| {
        (1..=60).contains(&rest.len())
            && rest
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    })
}

#[cfg(test)]
mod tests;
