//! An import's progress: how each row ended, kept in the browser's storage
//! without passwords (one entry per instance, a week at most, wiped at the
//! end and on Forget), the tally, the result file and the time to go.

use std::collections::BTreeMap;

use crate::csv::field as csv_field;
use crate::plumbing::platform;

/// How one row ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created,
    /// Found on the list when the run resumed, or by a lookup.
    Existed,
    Failed(String),
    Skipped(String),
}

/// What survives a reload: no password; only each row's login name (the
/// email for a row without a username) and its outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub file: String,
    pub total: usize,
    /// When it was last saved (Unix seconds): kept a week at most.
    pub saved_at: i64,
    /// Line → (login name, outcome); a name without an outcome was being sent.
    pub lines: BTreeMap<usize, (String, Option<Outcome>)>,
}

/// Where every import's progress is kept, one key per instance.
const STORAGE_PREFIX: &str = "sag-console.import.";

/// How long an unfinished import's progress is kept: a week.
pub const PROGRESS_MAX_AGE_S: i64 = 7 * 86_400;

pub fn storage_key(region: &str, instance: &str) -> String {
    format!("{STORAGE_PREFIX}{region}.{instance}")
}

/// Wipes every import's progress (Forget of the Alibaba Cloud keys).
pub fn forget_progress() {
    for key in platform::storage_keys(STORAGE_PREFIX) {
        platform::storage_remove(&key);
    }
}

/// At start: wipes the progress of imports last saved more than a week
/// ago, or that cannot be read.
pub fn sweep_progress(now: i64) {
    for key in platform::storage_keys(STORAGE_PREFIX) {
        let stale = platform::storage_get(&key)
            .and_then(|text| Progress::decode(&text))
            .is_none_or(|p| p.expired(now));
        if stale {
            platform::storage_remove(&key);
        }
    }
}

/// One field of the stored progress: tabs and line breaks become spaces.
fn flat(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

/// How far a run has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Created, or found existing.
    pub done: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Not sent yet, or sent without an answer.
    pub left: usize,
}

impl Tally {
    /// Rows with an outcome.
    pub fn ended(&self) -> usize {
        self.done + self.failed + self.skipped
    }
}

impl Progress {
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for (_, outcome) in self.lines.values() {
            match outcome {
                Some(Outcome::Created | Outcome::Existed) => t.done += 1,
                Some(Outcome::Failed(_)) => t.failed += 1,
                Some(Outcome::Skipped(_)) => t.skipped += 1,
                None => {}
            }
        }
        t.left = self.total.saturating_sub(t.ended());
        t
    }

    /// What a resumed run records for `line` when its user exists now:
    /// a row this import created, or was sending when the page went, was
    /// created by it; any other row it had reached, existed. `None` for a
    /// row it had not reached.
    pub fn resumed(&self, line: usize) -> Option<Outcome> {
        match self.lines.get(&line)? {
            (_, Some(Outcome::Created) | None) => Some(Outcome::Created),
            _ => Some(Outcome::Existed),
        }
    }

    /// Whether it was saved more than [`PROGRESS_MAX_AGE_S`] before `now`.
    pub fn expired(&self, now: i64) -> bool {
        now - self.saved_at > PROGRESS_MAX_AGE_S
    }

    /// A few lines of text: the file, the total, when it was saved, then
    /// `line TAB name TAB outcome TAB reason` per row sent (a plain format
    /// keeps serde's generated code for one more type out of the bundle).
    pub fn encode(&self) -> String {
        let mut out = format!("{}\n{}\n{}\n", flat(&self.file), self.total, self.saved_at);
        for (line, (name, outcome)) in &self.lines {
            let (code, why) = match outcome {
                None => ("-", ""),
                Some(Outcome::Created) => ("c", ""),
                Some(Outcome::Existed) => ("e", ""),
                Some(Outcome::Failed(w)) => ("f", w.as_str()),
                Some(Outcome::Skipped(w)) => ("s", w.as_str()),
            };
            out.push_str(&format!("{line}\t{}\t{code}\t{}\n", flat(name), flat(why)));
        }
        out
    }

    pub fn decode(text: &str) -> Option<Progress> {
        let mut lines = text.lines();
        let file = lines.next()?.to_owned();
        let total = lines.next()?.parse().ok()?;
        let saved_at = lines.next()?.parse().ok()?;
        let mut rows = BTreeMap::new();
        for row in lines {
            let mut parts = row.splitn(4, '\t');
            let line = parts.next()?.parse().ok()?;
            let name = parts.next()?.to_owned();
            let code = parts.next()?;
            let mut why = || parts.next().unwrap_or_default().to_owned();
            let outcome = match code {
                "-" => None,
                "c" => Some(Outcome::Created),
                "e" => Some(Outcome::Existed),
                "f" => Some(Outcome::Failed(why())),
                "s" => Some(Outcome::Skipped(why())),
                _ => return None,
            };
            rows.insert(line, (name, outcome));
        }
        Some(Progress {
            file,
            total,
            saved_at,
            lines: rows,
        })
    }
}

pub fn load_progress(key: &str) -> Option<Progress> {
    Progress::decode(&platform::storage_get(key)?).filter(|p| !p.expired(platform::now_unix()))
}

/// The result file: line, user, outcome, reason.
pub fn result_csv(progress: &Progress) -> String {
    let mut out = String::from("line,user,outcome,reason\r\n");
    for (line, (name, outcome)) in &progress.lines {
        let (what, why) = match outcome {
            Some(Outcome::Created) => ("created", String::new()),
            Some(Outcome::Existed) => ("existed", "already on the instance".to_owned()),
            Some(Outcome::Failed(why)) => ("failed", why.clone()),
            Some(Outcome::Skipped(why)) => ("skipped", why.clone()),
            None => ("not sent", String::new()),
        };
        out.push_str(&format!(
            "{line},{},{what},{}\r\n",
            csv_field(name),
            csv_field(&why)
        ));
    }
    out
}

/// How long the rows `left` will take: at the pace this run has shown
/// (`(milliseconds, rows)`: pacing, requests, retries and lookups
/// included), or at the set rate before any row has ended.
pub fn seconds_to_go(left: usize, pace: (f64, u32), rate: f64) -> u64 {
    let total_ms = match pace {
        (ms, rows) if rows > 0 && ms > 0.0 => left as f64 * ms / f64::from(rows),
        _ => left as f64 * 1000.0 / rate.max(0.1),
    };
    (total_ms / 1000.0).ceil() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_to_go_follows_the_measured_pace() {
        // Before any row: the set rate.
        assert_eq!(seconds_to_go(150, (0.0, 0), 10.0), 15);
        // At 2 per second each row took about 1.1 s: 100 rows, 110 s.
        assert_eq!(seconds_to_go(100, (11_000.0, 10), 2.0), 110);
        // 150 rows at a set 10 per second that really took 0.8 s each
        // (throttling and retries): 120 s, not 15.
        assert_eq!(seconds_to_go(150, (8_000.0, 10), 10.0), 120);
        assert_eq!(seconds_to_go(0, (8_000.0, 10), 10.0), 0);
        // A pace with no time or no rows yet is no pace: the set rate.
        assert_eq!(seconds_to_go(10, (0.0, 10), 2.0), 5);
        assert_eq!(seconds_to_go(10, (1_000.0, 0), 2.0), 5);
    }

    #[test]
    fn progress_survives_storage_without_secrets_and_gives_the_result_file() {
        let mut p = Progress {
            file: "office\tfixed.csv".into(),
            total: 5,
            saved_at: 1_700_000_000,
            lines: BTreeMap::new(),
        };
        p.lines
            .insert(2, ("a.user01".into(), Some(Outcome::Created)));
        p.lines.insert(
            3,
            (
                "b.user01".into(),
                Some(Outcome::Failed("Throttled,\nslow (Throttling.User)".into())),
            ),
        );
        p.lines.insert(4, ("c.user01".into(), None));
        p.lines
            .insert(6, ("e.user01".into(), Some(Outcome::Existed)));
        p.lines.insert(
            5,
            (
                "d@example.com".into(),
                Some(Outcome::Skipped("a problem".into())),
            ),
        );
        let back = Progress::decode(&p.encode()).unwrap();
        assert_eq!(back.file, "office fixed.csv");
        assert_eq!(
            back.lines[&3].1,
            Some(Outcome::Failed("Throttled, slow (Throttling.User)".into()))
        );
        assert_eq!(back.lines[&4].1, None);
        assert_eq!(back.lines.len(), 5);
        assert_eq!(back.lines[&6].1, Some(Outcome::Existed));
        assert_eq!(
            back.tally(),
            Tally {
                done: 2,
                failed: 1,
                skipped: 1,
                left: 1
            },
            "existed counts as done; the row still being sent counts as left"
        );
        assert!(Progress::decode("junk").is_none());
        // Kept a week from its last save, not a second more; a progress
        // saved before saving times were kept is not read.
        assert_eq!(back.saved_at, 1_700_000_000);
        assert!(!back.expired(1_700_000_000 + PROGRESS_MAX_AGE_S));
        assert!(back.expired(1_700_000_000 + PROGRESS_MAX_AGE_S + 1));
        let older_format = p.encode().replacen("1700000000\n", "", 1);
        assert!(Progress::decode(&older_format).is_none());
        // Resumed after a reload: what this import created (or was sending)
        // stays "created" in the result, not "existed".
        assert_eq!(back.resumed(2), Some(Outcome::Created));
        assert_eq!(back.resumed(4), Some(Outcome::Created));
        assert_eq!(back.resumed(5), Some(Outcome::Existed));
        assert_eq!(back.resumed(99), None);
        assert_eq!(
            result_csv(&back),
            "line,user,outcome,reason\r\n2,a.user01,created,\r\n3,b.user01,failed,\"Throttled, slow (Throttling.User)\"\r\n4,c.user01,not sent,\r\n5,d@example.com,skipped,a problem\r\n6,e.user01,existed,already on the instance\r\n"
        );
    }
}
