//! The SAG area's words built from data, in the chosen language: an import
//! file's problems and the list's bulk summaries. Each vendor code and each
//! failure is worded once, in `crate::text` from the locale files; this
//! module words only what is the SAG area's own.

use sag_api::ErrorKind;

use crate::i18n::{td_string, Locale};
use crate::plumbing::Mutation;
use crate::shell::bulk::{summary_tail, BulkWords};
use crate::text::invalid;

use super::list::Bulk;

/// One problem of an import file, in the chosen language: "Line 3, email:
/// …" / "第 3 行，email：…" (column names are the file's own).
pub fn import_problem(l: Locale, p: &super::import::Problem) -> String {
    use super::import::Said as S;
    let said = match &p.message {
        S::Invalid(problem) => invalid(l, problem),
        S::QuoteInside => td_string!(l, import.quote_inside).to_owned(),
        S::TextAfterQuote => td_string!(l, import.text_after_quote).to_owned(),
        S::QuoteNotClosed => td_string!(l, import.quote_not_closed).to_owned(),
        S::Empty => {
            let header = super::import::TEMPLATE.lines().next().unwrap_or_default();
            td_string!(l, import.empty, header).to_string()
        }
        S::HeaderTwice { column } => {
            td_string!(l, import.header_twice, column = column.name()).to_string()
        }
        S::UnknownColumn { line, name } => {
            let said = td_string!(l, import.unknown_column, name).to_string();
            td_string!(l, import.at_line, line, said).to_string()
        }
        S::NoEmailColumn { line } => {
            let said = td_string!(l, import.no_email_column);
            td_string!(l, import.at_line, line, said).to_string()
        }
        S::HeaderOnly => td_string!(l, import.header_only).to_owned(),
        S::TooMany { rows, max } => td_string!(l, import.too_many, rows, max).to_string(),
        S::FieldCount { fields, header } => {
            td_string!(l, import.field_count, fields, header).to_string()
        }
        S::NameTwice { name, first } => td_string!(l, import.name_twice, name, first).to_string(),
        S::NameExists { name } => td_string!(l, import.name_exists, name).to_string(),
        S::EmailTwice { email, first } => {
            td_string!(l, import.email_twice, email, first).to_string()
        }
        S::IpTwice { ip, first } => td_string!(l, import.ip_twice, ip, first).to_string(),
        S::IpTaken { ip, owner } => td_string!(l, import.ip_taken, ip, owner).to_string(),
        S::Quota {
            quota,
            have,
            room,
            adding,
            remove,
        } => td_string!(l, import.quota, quota, have, room, adding, remove).to_string(),
    };
    match (p.line, p.column) {
        (0, _) => said,
        (line, Some(c)) => {
            td_string!(l, import.at_line_column, line, column = c.name(), said).to_string()
        }
        (line, None) => td_string!(l, import.at_line, line, said).to_string(),
    }
}

/// "Deleted 3 users. 1 failed: bob (reason)." in the chosen language.
pub fn bulk_summary(
    l: Locale,
    done: Bulk,
    results: &crate::shell::bulk::NameResults,
    not_done: &[String],
) -> String {
    let ok = results.iter().filter(|(_, r)| r.is_ok()).count();
    let text = match (done, ok == 1) {
        (Bulk::Deleted, true) => td_string!(l, users.deleted_single, count = ok).to_string(),
        (Bulk::Deleted, false) => td_string!(l, users.deleted_many, count = ok).to_string(),
        (Bulk::Enabled, true) => td_string!(l, users.enabled_single, count = ok).to_string(),
        (Bulk::Enabled, false) => td_string!(l, users.enabled_many, count = ok).to_string(),
        (Bulk::Disabled, true) => td_string!(l, users.disabled_single, count = ok).to_string(),
        (Bulk::Disabled, false) => td_string!(l, users.disabled_many, count = ok).to_string(),
        (Bulk::Bandwidth(kbps), true) => {
            td_string!(l, users.bandwidth_set_single, count = ok, kbps)
        }
        (Bulk::Bandwidth(kbps), false) => td_string!(l, users.bandwidth_set_many, count = ok, kbps),
    };
    text + &summary_tail(l, results, not_done)
}

/// The words of the list's changes. One user enabled or disabled from its
/// row is named in the notice.
pub static BULK_WORDS: BulkWords<Bulk> = BulkWords {
    progress: |l, change, at, total, name| match change {
        Bulk::Deleted => td_string!(l, users.deleting, at, total, name).to_string(),
        Bulk::Enabled => td_string!(l, users.enabling, at, total, name).to_string(),
        Bulk::Disabled => td_string!(l, users.disabling, at, total, name).to_string(),
        Bulk::Bandwidth(_) => td_string!(l, users.setting_bandwidth, at, total, name).to_string(),
    },
    reason,
    summary: |l, change, results, not_done| match (change, results) {
        (Bulk::Enabled, [(name, Ok(()))]) if not_done.is_empty() => {
            td_string!(l, users.enabled_one, name).to_string()
        }
        (Bulk::Disabled, [(name, Ok(()))]) if not_done.is_empty() => {
            td_string!(l, users.disabled_one, name).to_string()
        }
        _ => bulk_summary(l, change, results, not_done),
    },
};

/// A reason for a row, in words, with the code for support.
pub fn reason(l: Locale, outcome: &Mutation<()>) -> Option<String> {
    match outcome.error() {
        Some(e) if e.error.kind() == ErrorKind::InUse => {
            Some(td_string!(l, users.in_use).to_owned())
        }
        _ => crate::text::mutation_reason(l, outcome),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sag_api::validate;

    #[test]
    fn bulk_summaries_name_failures_and_reasons() {
        let results = vec![
            ("a".to_owned(), Ok(())),
            ("b".to_owned(), Err("used data this month".to_owned())),
            ("c".to_owned(), Ok(())),
        ];
        assert_eq!(
            bulk_summary(Locale::en, Bulk::Deleted, &results, &[]),
            "Deleted 2 users. 1 failed: b (used data this month)."
        );
        assert_eq!(
            bulk_summary(Locale::en, Bulk::Deleted, &results[..1], &[]),
            "Deleted 1 user."
        );
        assert_eq!(
            bulk_summary(Locale::zh_CN, Bulk::Disabled, &results, &[]),
            "已禁用 2 个用户。1 个失败：b (used data this month)。"
        );
        assert_eq!(
            bulk_summary(Locale::en, Bulk::Bandwidth(512), &results, &[]),
            "Set the bandwidth of 2 users to 512 Kbit/s. 1 failed: b (used data this month)."
        );
        assert_eq!(
            bulk_summary(Locale::en, Bulk::Bandwidth(512), &results[..1], &[]),
            "Set the bandwidth of 1 user to 512 Kbit/s."
        );
        assert_eq!(
            bulk_summary(Locale::zh_CN, Bulk::Bandwidth(512), &results[2..], &[]),
            "已将 1 个用户的带宽设为 512 Kbit/s。"
        );
        // A stopped run says what was done and what was not.
        let left = ["d".to_owned(), "e".to_owned()];
        assert_eq!(
            bulk_summary(Locale::en, Bulk::Deleted, &results, &left),
            "Deleted 2 users. 1 failed: b (used data this month). Stopped: 2 not done: d; e."
        );
        assert_eq!(
            bulk_summary(Locale::zh_CN, Bulk::Enabled, &results[..1], &left[..1]),
            "已启用 1 个用户。已停止：1 个未处理：d。"
        );
    }

    #[test]
    fn import_problems_read_the_same_in_english_and_carry_their_facts_in_chinese() {
        use crate::sag::import::{preview, Target};
        let cidr = validate::parse_cidr("10.10.0.0/20").unwrap();
        let files = [
            "",
            "email\n",
            "email,department\na@example.com,x\n",
            "user_name\nbob0001\n",
            "email\nab\"c\n",
            "email,bandwidth_kbps,user_name,password,static_ip\nnot-an-email,9000,ab,,10.20.0.1\nb@example.com,1,,,10.10.0.9\nb@example.com,1,,,10.10.0.9\n",
        ];
        let mut seen = 0;
        for file in files {
            let p = preview(
                file,
                &Target {
                    existing: &[],
                    cidr: Some(&cidr),
                    quota: Some(1),
                    max_bandwidth: 2000,
                },
            );
            for problem in &p.problems {
                assert_eq!(import_problem(Locale::en, problem), problem.to_string());
                let zh = import_problem(Locale::zh_CN, problem);
                assert!(!zh.is_ascii(), "{zh}");
                seen += 1;
            }
        }
        assert!(seen >= 10, "{seen}");
        let p = preview(
            "email,static_ip\na@example.com,10.20.0.1\n",
            &Target {
                existing: &[],
                cidr: Some(&cidr),
                quota: None,
                max_bandwidth: 2000,
            },
        );
        assert_eq!(
            import_problem(Locale::zh_CN, &p.problems[0]),
            "第 2 行，static_ip：10.20.0.1 不在实例的客户端网段 10.10.0.0/20 内；请使用 10.10.0.1 到 10.10.15.254 之间的地址。"
        );
    }
}
