//! Importing client users from a CSV file: reading what spreadsheet programs
//! write, and the preview that checks every row before anything is sent,
//! with the form's own validators and what only the whole file shows
//! (duplicates inside the file, clashes with existing users, the instance's
//! CIDR and quota). Every problem names its line and column. Plain logic,
//! tested natively; the page is `import_page.rs`.

use std::collections::HashMap;

use ipnet::Ipv4Net;
use sag_api::smartag::{ClientUser, NewClientUser};
use sag_api::validate;

/// The template a newcomer downloads: the header and two example rows.
pub const TEMPLATE: &str = "email,bandwidth_kbps,user_name,password,static_ip\r\n\
alice.chen@example.com,2000,alice.chen01,Change_me_2026,\r\n\
bob.li@example.com,1000,,,10.10.0.20\r\n";

/// The most rows a file may have: the largest instance quota.
pub const MAX_ROWS: usize = 2000;

/// The largest file read at all, checked before reading it: 2,000 rows of
/// 512 bytes, more than twice the longest valid row (every field at its
/// longest, quoted, with its separator). A bigger file cannot be a valid
/// import and is refused without being read into memory.
pub const MAX_FILE_BYTES: u64 = 512 * MAX_ROWS as u64;

/// Whether a file of `bytes` is refused before it is read.
pub fn too_big_to_read(bytes: f64) -> bool {
    // A size that is not a number is refused too.
    bytes.is_nan() || bytes > MAX_FILE_BYTES as f64
}

/// A size in megabytes with one decimal, for the refusal. Whole numbers
/// only: printing an `f64` would pull float formatting (about 15 KB) into
/// the bundle.
pub fn megabytes(bytes: f64) -> String {
    let tenths = (bytes.max(0.0) as u64)
        .saturating_mul(10)
        .saturating_add(524_288)
        / 1_048_576;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// One record of the file and the (1-based) line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Reads CSV as spreadsheet programs write it: UTF-8 with or without a BOM,
/// comma or semicolon (whichever the header line uses), quoted fields with
/// `""` for a quote and line breaks inside quotes, CRLF or LF, empty lines
/// skipped. Errors name the line.
pub fn read_csv(text: &str) -> Result<Vec<Record>, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header = text.lines().next().unwrap_or_default();
    let delimiter = if header.matches(';').count() > header.matches(',').count() {
        ';'
    } else {
        ','
    };
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut line = 1;
    let mut start = 1;
    let mut chars = text.chars().peekable();
    let mut end_record = |fields: &mut Vec<String>, field: &mut String, start: usize| {
        fields.push(std::mem::take(field));
        let blank = fields.iter().all(|f| f.trim().is_empty());
        let taken = std::mem::take(fields);
        if !blank {
            records.push(Record {
                line: start,
                fields: taken,
            });
        }
    };
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() && !was_quoted => {
                field.clear();
                quoted = true;
                was_quoted = true;
            }
            '"' => return Err(Problem::at(line, Said::QuoteInside)),
            c if c == delimiter => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                end_record(&mut fields, &mut field, start);
                was_quoted = false;
                line += 1;
                start = line;
            }
            c if was_quoted && !c.is_whitespace() => {
                return Err(Problem::at(line, Said::TextAfterQuote))
            }
            _ if was_quoted => {}
            c => field.push(c),
        }
    }
    if quoted {
        return Err(Problem::at(start, Said::QuoteNotClosed));
    }
    if !field.is_empty() || !fields.is_empty() {
        end_record(&mut fields, &mut field, start);
    }
    Ok(records)
}

/// A column the import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Email,
    Bandwidth,
    UserName,
    Password,
    StaticIp,
}

impl Column {
    /// The name problems use: the template's header.
    pub fn name(self) -> &'static str {
        match self {
            Column::Email => "email",
            Column::Bandwidth => "bandwidth_kbps",
            Column::UserName => "user_name",
            Column::Password => "password",
            Column::StaticIp => "static_ip",
        }
    }

    /// A header cell's column: the template's names, the export's, the API's
    /// and a few obvious others, in any case, with spaces or dashes.
    fn from_header(cell: &str) -> Option<Column> {
        let key: String = cell
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        Some(match key.as_str() {
            "email" | "mail" | "usermail" | "emailaddress" => Column::Email,
            "bandwidth" | "bandwidthkbps" | "kbps" => Column::Bandwidth,
            "username" | "user" | "name" | "login" => Column::UserName,
            "password" => Column::Password,
            "staticip" | "clientip" | "ip" => Column::StaticIp,
            _ => return None,
        })
    }
}

/// A problem with the file, a line, or one of its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 0 for the file as a whole.
    pub line: usize,
    pub column: Option<Column>,
    /// What is wrong: the facts; `text::import_problem` words them in the
    /// chosen language, `Display` in English.
    pub message: Said,
}

/// Every problem the import reports, with the values its message shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    /// A field's value, as the create form would say it.
    Invalid(validate::Problem),
    QuoteInside,
    TextAfterQuote,
    QuoteNotClosed,
    Empty,
    HeaderTwice {
        column: Column,
    },
    /// On the header's line; a file problem (it stops the import).
    UnknownColumn {
        line: usize,
        name: String,
    },
    NoEmailColumn {
        line: usize,
    },
    HeaderOnly,
    TooMany {
        rows: usize,
        max: usize,
    },
    FieldCount {
        fields: usize,
        header: usize,
    },
    NameTwice {
        name: String,
        first: usize,
    },
    NameExists {
        name: String,
    },
    EmailTwice {
        email: String,
        first: usize,
    },
    IpTwice {
        ip: String,
        first: usize,
    },
    IpTaken {
        ip: String,
        owner: String,
    },
    Quota {
        quota: u64,
        have: u64,
        room: u64,
        adding: u64,
        remove: u64,
    },
}

impl Problem {
    fn at(line: usize, message: Said) -> Problem {
        Problem {
            line,
            column: None,
            message,
        }
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Said::Invalid(p) => write!(f, "{p}"),
            Said::QuoteInside => f.write_str("a quote inside a field that does not start with one. Put the whole field in quotes and double the quote (\"\")."),
            Said::TextAfterQuote => f.write_str("text after a closing quote. Put the whole field in quotes and double any quote inside (\"\")."),
            Said::QuoteNotClosed => f.write_str("a quoted field is never closed (a missing \")."),
            Said::Empty => write!(f, "The file is empty. It needs a header row ({}) and a row per user.", TEMPLATE.lines().next().unwrap_or_default()),
            Said::HeaderTwice { column } => write!(f, "the header names {} twice.", column.name()),
            Said::UnknownColumn { line, name } => write!(f, "Line {line}: the header has a column \"{name}\" the import does not know; the columns are email, bandwidth_kbps, user_name, password and static_ip. Rename or remove it."),
            Said::NoEmailColumn { line } => write!(f, "Line {line}: the header has no email column. The first row must name the columns, as in the template: email,bandwidth_kbps,user_name,password,static_ip."),
            Said::HeaderOnly => f.write_str("The file has a header but no users."),
            Said::TooMany { rows, max } => write!(f, "The file has {rows} users; an import takes at most {max} (the largest instance quota)."),
            Said::FieldCount { fields, header } => write!(f, "{fields} fields, the header has {header}: is a comma or semicolon inside a field not quoted?"),
            Said::NameTwice { name, first } => write!(f, "{name} is also on line {first}; each user once."),
            Said::NameExists { name } => write!(f, "a user named {name} already exists on this instance."),
            Said::EmailTwice { email, first } => write!(f, "{email} is also on line {first}."),
            Said::IpTwice { ip, first } => write!(f, "{ip} is also on line {first}; each static IP once."),
            Said::IpTaken { ip, owner } => write!(f, "{ip} is already the static IP of {owner}."),
            Said::Quota { quota, have, room, adding, remove } => write!(f, "The instance allows {quota} users and has {have}: room for {room}, but the file adds {adding}. Remove {remove} rows, or delete users first."),
        }
    }
}

#[cfg(test)]
impl Said {
    /// Contains `needle` when written in English.
    fn contains(&self, needle: &str) -> bool {
        self.to_string().contains(needle)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}", self.message),
            (line, Some(c)) => write!(f, "Line {line}, {}: {}", c.name(), self.message),
            (line, None) => write!(f, "Line {line}: {}", self.message),
        }
    }
}

/// One row as the admin wrote it, and the user it makes when it is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub email: String,
    pub bandwidth: String,
    pub user_name: String,
    pub password: String,
    pub static_ip: String,
    pub user: Option<NewClientUser>,
}

impl Row {
    /// The name the user gets: the username, or the email without one.
    pub fn login_name(&self) -> &str {
        if self.user_name.trim().is_empty() {
            self.email.trim()
        } else {
            self.user_name.trim()
        }
    }
}

/// The preview: every row, and every problem, in line order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preview {
    pub rows: Vec<Row>,
    pub problems: Vec<Problem>,
}

impl Preview {
    /// Lines with at least one problem, in order, each once (look one up
    /// with [`BadLines::has`]).
    pub fn bad_lines(&self) -> BadLines {
        let mut lines: Vec<usize> = self
            .problems
            .iter()
            .map(|p| p.line)
            .filter(|&l| l > 0)
            .collect();
        crate::list_view::sort_positions(&mut lines, &|a, b| a.cmp(&b));
        lines.dedup();
        BadLines(lines)
    }

    /// Problems of the file as a whole (no row to skip): nothing can be sent.
    pub fn file_problems(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.line == 0)
    }

    /// The users to create: every valid row, or none while a problem remains
    /// unless `skip_bad` (then the rows without problems).
    pub fn ready(&self, skip_bad: bool) -> Vec<&Row> {
        if self.file_problems().next().is_some() {
            return Vec::new();
        }
        let bad = self.bad_lines();
        if !skip_bad && !bad.is_empty() {
            return Vec::new();
        }
        self.rows
            .iter()
            .filter(|r| r.user.is_some() && !bad.has(r.line))
            .collect()
    }
}

/// The lines of a file with a problem, in order, each once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BadLines(pub Vec<usize>);

impl BadLines {
    pub fn has(&self, line: usize) -> bool {
        self.0.binary_search(&line).is_ok()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What the preview checks the file against.
pub struct Target<'a> {
    pub existing: &'a [ClientUser],
    pub cidr: Option<&'a Ipv4Net>,
    pub quota: Option<u64>,
    pub max_bandwidth: u32,
}

/// Checks every row and the file as a whole.
pub fn preview(text: &str, target: &Target<'_>) -> Preview {
    let mut out = Preview::default();
    let file = |message: Said| Problem::at(0, message);
    let records = match read_csv(text) {
        Ok(r) => r,
        Err(e) => {
            out.problems.push(e);
            return out;
        }
    };
    let Some((header, body)) = records.split_first() else {
        out.problems.push(file(Said::Empty));
        return out;
    };
    let mut columns: HashMap<Column, usize> = HashMap::new();
    for (at, cell) in header.fields.iter().enumerate() {
        match Column::from_header(cell) {
            Some(c) if columns.contains_key(&c) => out.problems.push(Problem {
                line: header.line,
                column: Some(c),
                message: Said::HeaderTwice { column: c },
            }),
            Some(c) => {
                columns.insert(c, at);
            }
            None if cell.trim().is_empty() => {}
            None => out.problems.push(file(Said::UnknownColumn {
                line: header.line,
                name: cell.trim().to_owned(),
            })),
        }
    }
    if !columns.contains_key(&Column::Email) {
        out.problems
            .push(file(Said::NoEmailColumn { line: header.line }));
        return out;
    }
    if body.is_empty() {
        out.problems.push(file(Said::HeaderOnly));
        return out;
    }
    if body.len() > MAX_ROWS {
        out.problems.push(file(Said::TooMany {
            rows: body.len(),
            max: MAX_ROWS,
        }));
        return out;
    }

    let existing_names: HashMap<&str, ()> = target
        .existing
        .iter()
        .map(|u| (u.user_name.as_str(), ()))
        .collect();
    let existing_ips: HashMap<&str, &str> = target
        .existing
        .iter()
        .filter(|u| u.is_static_ip)
        .filter_map(|u| Some((u.client_ip.as_deref()?, u.user_name.as_str())))
        .collect();
    let mut seen_names: HashMap<String, usize> = HashMap::new();
    let mut seen_emails: HashMap<String, usize> = HashMap::new();
    let mut seen_ips: HashMap<String, usize> = HashMap::new();
    let default_bandwidth = validate::LIMITS.bandwidth_default.min(target.max_bandwidth);

    for record in body {
        let get = |c: Column| {
            columns
                .get(&c)
                .and_then(|&at| record.fields.get(at))
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        let mut row = Row {
            line: record.line,
            email: get(Column::Email),
            bandwidth: get(Column::Bandwidth),
            user_name: get(Column::UserName),
            // Passwords keep their spaces: the validator says what is wrong.
            password: columns
                .get(&Column::Password)
                .and_then(|&at| record.fields.get(at))
                .cloned()
                .unwrap_or_default(),
            static_ip: get(Column::StaticIp),
            user: None,
        };
        let line = record.line;
        let found = std::cell::RefCell::new(Vec::new());
        let problem = |column: Column, message: Said| {
            found.borrow_mut().push(Problem {
                line,
                column: Some(column),
                message,
            })
        };
        if record.fields.len() > header.fields.len() {
            found.borrow_mut().push(Problem {
                line,
                column: None,
                message: Said::FieldCount {
                    fields: record.fields.len(),
                    header: header.fields.len(),
                },
            });
        }
        let email =
            validate::email(&row.email).map_err(|e| problem(Column::Email, Said::Invalid(e.0)));
        let bandwidth = if row.bandwidth.is_empty() {
            Ok(validate::Bandwidth(default_bandwidth))
        } else {
            validate::bandwidth(&row.bandwidth, target.max_bandwidth)
                .map_err(|e| problem(Column::Bandwidth, Said::Invalid(e.0)))
        };
        let login = validate::credentials(&row.user_name, &row.password).map_err(|e| {
            if let Some(e) = e.user_name {
                problem(Column::UserName, Said::Invalid(e.0));
            }
            if let Some(e) = e.password {
                problem(Column::Password, Said::Invalid(e.0));
            }
        });
        let ip = validate::optional_client_ip(&row.static_ip, target.cidr)
            .map_err(|e| problem(Column::StaticIp, Said::Invalid(e.0)));

        // What only the whole file (and the instance) shows.
        let name = row.login_name().to_owned();
        let name_column = if row.user_name.is_empty() {
            Column::Email
        } else {
            Column::UserName
        };
        if !name.is_empty() {
            if let Some(first) = seen_names.get(&name.to_lowercase()) {
                problem(
                    name_column,
                    Said::NameTwice {
                        name: name.clone(),
                        first: *first,
                    },
                );
            } else {
                seen_names.insert(name.to_lowercase(), line);
            }
            if existing_names.contains_key(name.as_str()) {
                problem(name_column, Said::NameExists { name: name.clone() });
            }
        }
        if !row.email.is_empty() {
            if let Some(first) = seen_emails.get(&row.email.to_lowercase()) {
                problem(
                    Column::Email,
                    Said::EmailTwice {
                        email: row.email.clone(),
                        first: *first,
                    },
                );
            } else {
                seen_emails.insert(row.email.to_lowercase(), line);
            }
        }
        if let Ok(Some(ip)) = &ip {
            let text = ip.0.to_string();
            if let Some(first) = seen_ips.get(&text) {
                problem(
                    Column::StaticIp,
                    Said::IpTwice {
                        ip: text.clone(),
                        first: *first,
                    },
                );
            } else {
                seen_ips.insert(text.clone(), line);
            }
            if let Some(owner) = existing_ips.get(text.as_str()) {
                problem(
                    Column::StaticIp,
                    Said::IpTaken {
                        ip: text.clone(),
                        owner: owner.to_string(),
                    },
                );
            }
        }
        if let (Ok(email), Ok(bandwidth), Ok(login), Ok(ip)) = (email, bandwidth, login, ip) {
            row.user = Some(NewClientUser {
                email,
                bandwidth,
                login,
                client_ip: ip.map(|ip| ip.0),
            });
        }
        out.problems.extend(found.into_inner());
        out.rows.push(row);
    }

    if let Some(quota) = target.quota {
        let have = target.existing.len() as u64;
        let adding = out.rows.len() as u64;
        if have + adding > quota {
            let room = quota.saturating_sub(have);
            out.problems.push(file(Said::Quota {
                quota,
                have,
                room,
                adding,
                remove: have + adding - quota,
            }));
        }
    }
    crate::list_view::sort_items(&mut out.problems, &|a, b| {
        (a.line, a.column).cmp(&(b.line, b.column))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target<'a>(existing: &'a [ClientUser], cidr: &'a Ipv4Net) -> Target<'a> {
        Target {
            existing,
            cidr: Some(cidr),
            quota: Some(200),
            max_bandwidth: 2000,
        }
    }

    #[test]
    fn reads_what_spreadsheets_write() {
        // BOM, CRLF, quotes with commas, doubled quotes and a line break, an empty line.
        let text = "\u{feff}email,user_name\r\n\"a,b@example.com\",x\r\n\r\n\"say \"\"hi\"\"\",\"two\nlines\"\r\nlast@example.com,\r\n";
        let records = read_csv(text).unwrap();
        assert_eq!(records.len(), 4);
        assert_eq!(records[0].fields, ["email", "user_name"]);
        assert_eq!(records[1].fields, ["a,b@example.com", "x"]);
        assert_eq!(records[2].line, 4);
        assert_eq!(records[2].fields, ["say \"hi\"", "two\nlines"]);
        assert_eq!(records[3].line, 6, "lines count the break inside quotes");
        assert_eq!(records[3].fields, ["last@example.com", ""]);
        // Semicolons, as European spreadsheet programs write, and no final line break.
        let records = read_csv("email;bandwidth_kbps\na@example.com;1000").unwrap();
        assert_eq!(records[1].fields, ["a@example.com", "1000"]);
        // Broken quoting names its line.
        assert!(read_csv("email\n\"open@example.com\n")
            .unwrap_err()
            .to_string()
            .contains("Line 2"));
        assert!(read_csv("email\nab\"c\n")
            .unwrap_err()
            .to_string()
            .contains("Line 2"));
        assert!(read_csv("email\n\"a\"b\n")
            .unwrap_err()
            .to_string()
            .contains("Line 2"));
        assert_eq!(read_csv("").unwrap(), []);
    }

    #[test]
    fn a_file_bigger_than_2000_valid_rows_is_refused_before_reading() {
        // The longest valid row, every field at its limit and quoted.
        let longest = format!(
            "\"{}@{}.example.com\",\"20000\",\"{}\",\"{}\",\"255.255.255.255\"\r\n",
            "a".repeat(40),
            "b".repeat(8),
            "u".repeat(33),
            "p".repeat(32)
        );
        assert!(longest.len() * 2 <= 512, "{}", longest.len());
        let whole = longest.len() * MAX_ROWS + 100;
        assert!(!too_big_to_read(whole as f64));
        assert!(!too_big_to_read(MAX_FILE_BYTES as f64));
        assert!(too_big_to_read(MAX_FILE_BYTES as f64 + 1.0));
        assert!(too_big_to_read(48.0 * 1_048_576.0));
        assert!(too_big_to_read(f64::NAN));
        assert_eq!(megabytes(48.0 * 1_048_576.0), "48.0");
    }

    #[test]
    fn a_2000_line_file_is_read_and_checked() {
        let mut text = String::from("email,bandwidth_kbps,user_name,password,static_ip\n");
        for i in 0..2000 {
            text.push_str(&format!("u{i}@example.com,1000,user{i:05},Passw0rd_{i},\n"));
        }
        let cidr = validate::parse_cidr("10.10.0.0/20").unwrap();
        let p = preview(
            &text,
            &Target {
                quota: Some(2000),
                ..target(&[], &cidr)
            },
        );
        assert_eq!(p.problems, []);
        assert_eq!(p.ready(false).len(), 2000);
        assert_eq!(p.rows[1999].line, 2001);
    }

    #[test]
    fn every_problem_names_its_line_and_column() {
        let existing = [ClientUser {
            user_name: "taken.user1".into(),
            user_mail: "taken@example.com".into(),
            client_ip: Some("10.10.1.13".into()),
            is_static_ip: true,
            ..Default::default()
        }];
        let cidr = validate::parse_cidr("10.10.0.0/20").unwrap();
        let text = "Email;Bandwidth_kbps;User Name;Password;Static IP\n\
            good@example.com;1000;good.user1;Passw0rd_1;10.10.0.20\n\
            not-an-email;99999;ab;;10.20.0.1\n\
            dup@example.com;;taken.user1;Passw0rd_1;10.10.1.13\n\
            dup@example.com;500;good.user1;Passw0rd_1;10.10.0.20\n\
            plain@example.com;;;;\n";
        let p = preview(text, &target(&existing, &cidr));
        let said: Vec<String> = p.problems.iter().map(ToString::to_string).collect();
        let has = |needle: &str| said.iter().any(|s| s.contains(needle));
        assert!(has("Line 3, email:"), "{said:#?}");
        assert!(
            has("Line 3, bandwidth_kbps: Bandwidth can be at most 2000"),
            "{said:#?}"
        );
        assert!(has("Line 3, user_name:"), "{said:#?}");
        assert!(has("Line 3, password: Enter a password too"), "{said:#?}");
        assert!(
            has("Line 3, static_ip: 10.20.0.1 is outside the instance's client CIDR"),
            "{said:#?}"
        );
        assert!(
            has("Line 4, user_name: a user named taken.user1 already exists"),
            "{said:#?}"
        );
        assert!(
            has("Line 4, static_ip: 10.10.1.13 is already the static IP of taken.user1"),
            "{said:#?}"
        );
        assert!(
            has("Line 5, email: dup@example.com is also on line 4"),
            "{said:#?}"
        );
        assert!(
            has("Line 5, user_name: good.user1 is also on line 2"),
            "{said:#?}"
        );
        assert!(
            has("Line 5, static_ip: 10.10.0.20 is also on line 2"),
            "{said:#?}"
        );
        assert_eq!(p.bad_lines().0, [3, 4, 5]);
        assert!(p.bad_lines().has(4) && !p.bad_lines().has(2) && !p.bad_lines().has(6));
        // Nothing goes while a problem remains, unless the bad rows are skipped.
        assert!(p.ready(false).is_empty());
        let ready: Vec<&str> = p.ready(true).iter().map(|r| r.login_name()).collect();
        assert_eq!(ready, ["good.user1", "plain@example.com"]);
        // A row without bandwidth gets the default.
        let plain = p.rows.iter().find(|r| r.line == 6).unwrap();
        assert_eq!(plain.user.as_ref().unwrap().bandwidth.0, 2000);
    }

    #[test]
    fn the_file_as_a_whole_header_and_quota() {
        let cidr = validate::parse_cidr("10.10.0.0/20").unwrap();
        let no_email = preview("name,bandwidth\nx,1\n", &target(&[], &cidr));
        assert!(
            no_email.problems[0].message.contains("no email column"),
            "{no_email:?}"
        );
        let unknown = preview("email,department\na@example.com,x\n", &target(&[], &cidr));
        assert!(
            unknown.problems[0].message.contains("\"department\""),
            "{unknown:?}"
        );
        assert!(
            unknown.ready(true).is_empty(),
            "a file problem stops everything"
        );
        assert!(preview("", &target(&[], &cidr)).problems[0]
            .message
            .contains("empty"));
        assert!(preview("email\n", &target(&[], &cidr)).problems[0]
            .message
            .contains("no users"));
        // Quota: 199 exist, two more do not fit.
        let existing: Vec<ClientUser> = (0..199)
            .map(|i| ClientUser {
                user_name: format!("old{i:05}.u"),
                ..Default::default()
            })
            .collect();
        let p = preview(
            "email\na@example.com\nb@example.com\n",
            &target(&existing, &cidr),
        );
        let quota = p.file_problems().next().unwrap().to_string();
        assert!(
            quota.contains("room for 1, but the file adds 2. Remove 1 rows"),
            "{quota}"
        );
        // Too many fields on a row: probably an unquoted comma.
        let p = preview("email,user_name\na@example.com,x,y\n", &target(&[], &cidr));
        assert!(p
            .problems
            .iter()
            .any(|x| x.line == 2 && x.message.contains("not quoted")));
    }

    #[test]
    fn the_template_passes_its_own_preview() {
        let cidr = validate::parse_cidr("10.10.0.0/20").unwrap();
        let p = preview(TEMPLATE, &target(&[], &cidr));
        assert_eq!(p.problems, []);
        assert_eq!(p.ready(false).len(), 2);
    }
}
