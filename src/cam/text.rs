//! The CAM area's words built from data: the bulk delete's summary and why
//! one sub-user was not deleted. Vendor codes are worded once, in
//! `crate::text` from the locale files.

use crate::i18n::{td_string, Locale};
use crate::plumbing::Mutation;
use crate::shell::bulk::{summary_tail, NameResults};

/// "Deleted 3 users. 1 failed: bob (reason)."
pub fn deleted_summary(l: Locale, results: &NameResults, not_done: &[String]) -> String {
    let ok = results.iter().filter(|(_, r)| r.is_ok()).count();
    let done = if ok == 1 {
        td_string!(l, users.deleted_single, count = ok).to_string()
    } else {
        td_string!(l, users.deleted_many, count = ok).to_string()
    };
    done + &summary_tail(l, results, not_done)
}

/// Why a sub-user of a bulk delete was not deleted: one with API keys is
/// left for its own dialog, which can remove the keys first.
pub fn not_deleted(l: Locale, outcome: &Mutation<()>) -> Option<String> {
    match outcome.error() {
        Some(e) if e.error.kind() == sag_api::ErrorKind::HasApiKeys => {
            Some(td_string!(l, cam.bulk_has_keys).to_owned())
        }
        _ => crate::text::mutation_reason(l, outcome),
    }
}
