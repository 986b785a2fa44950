//! The import page: choose a CSV file, see the preview (every problem with
//! its line and column; nothing is sent while one remains unless the bad rows
//! are skipped), then watch the run: one create at a time at a rate the
//! admin sets, pausable, with done / failed / left and the time to go. The
//! progress is kept in the browser's storage without passwords, so that
//! after a reload choosing the same file again resumes: the console reads
//! the list first and skips every user that exists. At the end, a result
//! CSV (line, user, outcome, reason).

use crate::i18n::{t_string, td_string, use_i18n};
use crate::shell::language::tr;
use std::collections::BTreeMap;

use leptos::prelude::*;
use sag_api::ErrorKind;
use wasm_bindgen::JsCast;

use super::import::{self, Preview, Row, Target};
use super::scope::use_scope;
use super::services;
use crate::csv::field as csv_field;
use crate::plumbing::{platform, Mutation};
use crate::shell::notices::use_notices;
use crate::shell::{use_api, use_config};

/// The default pace: well under the vendor's rate limit.
pub const DEFAULT_PER_SECOND: u32 = 2;
/// Times a create refused for a passing reason (throttled, 5xx) is tried.
const MAX_TRIES: u32 = 6;

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

fn storage_key(region: &str, instance: &str) -> String {
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

fn load_progress(key: &str) -> Option<Progress> {
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

/// The chosen file's name and text.
/// Why a chosen file was not read.
enum NotRead {
    /// Over `MAX_FILE_BYTES`: refused before reading (its size in MB).
    TooBig(String),
    Unreadable,
}

async fn read_file(input: &web_sys::HtmlInputElement) -> Result<(String, String), NotRead> {
    let file = input
        .files()
        .and_then(|f| f.get(0))
        .ok_or(NotRead::Unreadable)?;
    if super::import::too_big_to_read(file.size()) {
        return Err(NotRead::TooBig(super::import::megabytes(file.size())));
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or(NotRead::Unreadable)?;
    Ok((file.name(), text))
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let scope = use_scope();
    let api = use_api();
    let i18n = use_i18n();
    let notices = use_notices();
    let max_bandwidth = use_config().max_bandwidth_kbps;
    let key = Memo::new(move |_| storage_key(&scope.region.get(), &scope.instance.get()));
    // An unfinished run of an earlier visit (or before a reload).
    let earlier =
        RwSignal::new(load_progress(&key.get_untracked()).filter(|p| p.tally().ended() < p.total));
    let file_name = RwSignal::new(String::new());
    let preview: RwSignal<Option<Preview>> = RwSignal::new(None);
    let reading = RwSignal::new(false);
    let read_error = RwSignal::new(None::<String>);
    let skip_bad = RwSignal::new(false);
    let per_second = RwSignal::new(DEFAULT_PER_SECOND.to_string());
    let paused = RwSignal::new(false);
    let running = RwSignal::new(false);
    let progress: RwSignal<Option<Progress>> = RwSignal::new(None);
    let started_ms = StoredValue::new(0.0f64);
    // The measured pace of this run: milliseconds spent on rows (pacing,
    // the request, retries and lookups; pauses left out) and how many.
    let pace = StoredValue::new((0.0f64, 0u32));
    let input = NodeRef::<leptos::html::Input>::new();
    // Leaving the page stops the run before its next row (its progress is
    // kept; choosing the file again resumes), so that no run goes on unseen
    // beside a resumed one.
    let left_flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    on_cleanup({
        let left_flag = left_flag.clone();
        move || left_flag.store(true, std::sync::atomic::Ordering::SeqCst)
    });
    let left_page = StoredValue::new(left_flag);

    let choose = move |_| {
        let Some(el) = input.get() else { return };
        let el: web_sys::HtmlInputElement = el.unchecked_into();
        let Some(client) = api.aliyun() else { return };
        reading.set(true);
        read_error.set(None);
        preview.set(None);
        leptos::task::spawn_local(async move {
            let (name, text) = match read_file(&el).await {
                Ok(file) => file,
                Err(why) => {
                    reading.set(false);
                    let l = i18n.get_locale_untracked();
                    read_error.set(Some(match why {
                        NotRead::TooBig(size) => {
                            let max =
                                super::import::megabytes(super::import::MAX_FILE_BYTES as f64);
                            let rows = super::import::MAX_ROWS;
                            td_string!(l, import.too_big, size, max, rows).to_string()
                        }
                        NotRead::Unreadable => td_string!(l, import.unreadable).to_owned(),
                    }));
                    return;
                }
            };
            let (r, i) = (scope.region.get_untracked(), scope.instance.get_untracked());
            let existing =
                match services::all_users(&client, &r, &i, scope.known_quota(), &|_| {}, &|_| {})
                    .await
                {
                    Ok(l) => l.users,
                    Err(e) => {
                        reading.set(false);
                        let l = i18n.get_locale_untracked();
                        let error = crate::text::with_code(l, &e);
                        read_error.set(Some(
                            td_string!(l, import.users_unreadable, error).to_string(),
                        ));
                        return;
                    }
                };
            // Resuming: the users this file already created are not clashes.
            let resumed = earlier.get_untracked().filter(|p| p.file == name);
            let others: Vec<_> = existing
                .iter()
                .filter(|u| {
                    !resumed
                        .as_ref()
                        .is_some_and(|p| p.lines.values().any(|(n, _)| n == &u.user_name))
                })
                .cloned()
                .collect();
            let cidr = scope.cidr().and_then(|c| sag_api::validate::parse_cidr(&c));
            let p = import::preview(
                &text,
                &Target {
                    existing: &others,
                    cidr: cidr.as_ref(),
                    quota: scope.quota(),
                    max_bandwidth,
                },
            );
            // Rows of a resumed run whose user exists now are done.
            let mut state = Progress {
                file: name.clone(),
                total: p.rows.len(),
                saved_at: platform::now_unix(),
                lines: BTreeMap::new(),
            };
            if let Some(saved) = &resumed {
                for row in &p.rows {
                    let exists = existing.iter().any(|u| u.user_name == row.login_name());
                    if let Some(outcome) = saved.resumed(row.line).filter(|_| exists) {
                        state
                            .lines
                            .insert(row.line, (row.login_name().to_owned(), Some(outcome)));
                    }
                }
            }
            file_name.set(name);
            progress.set(resumed.is_some().then_some(state));
            preview.set(Some(p));
            reading.set(false);
        });
    };

    let start = move |_| {
        let Some(p) = preview.get_untracked() else {
            return;
        };
        let Some(client) = api.aliyun() else { return };
        let rate = per_second
            .get_untracked()
            .trim()
            .parse::<u32>()
            .unwrap_or(DEFAULT_PER_SECOND)
            .clamp(1, 10);
        per_second.set(rate.to_string());
        let skip = skip_bad.get_untracked();
        let rows: Vec<Row> = p.ready(skip).into_iter().cloned().collect();
        let bad = p.bad_lines();
        let mut state = progress.get_untracked().unwrap_or_default();
        state.file = file_name.get_untracked();
        state.total = p.rows.len();
        for row in &p.rows {
            if bad.contains(&row.line) {
                state.lines.insert(
                    row.line,
                    (
                        row.login_name().to_owned(),
                        Some(Outcome::Skipped("a problem in the preview".into())),
                    ),
                );
            }
        }
        let (r, i) = (scope.region.get_untracked(), scope.instance.get_untracked());
        let key = key.get_untracked();
        progress.set(Some(state.clone()));
        platform::storage_set(&key, &state.encode());
        running.set(true);
        paused.set(false);
        started_ms.set_value(platform::now_ms());
        pace.set_value((0.0, 0));
        let left_page = left_page.get_value();
        leptos::task::spawn_local(async move {
            let gone = move || left_page.load(std::sync::atomic::Ordering::SeqCst);
            let gap = 1000 / rate;
            let save = |state: &mut Progress| {
                state.saved_at = platform::now_unix();
                platform::storage_set(&key, &state.encode());
                progress.set(Some(state.clone()));
            };
            for row in rows {
                if state.lines.get(&row.line).is_some_and(|(_, o)| o.is_some()) {
                    continue;
                }
                while !gone() && paused.get_untracked() {
                    platform::sleep_ms(200).await;
                }
                if gone() {
                    return;
                }
                let Some(user) = &row.user else { continue };
                let row_started = platform::now_ms();
                let name = row.login_name().to_owned();
                state.lines.insert(row.line, (name.clone(), None));
                save(&mut state);
                let request = user.action(&r, &i);
                let mut outcome = None;
                for attempt in 1..=MAX_TRIES {
                    platform::sleep_ms(gap).await;
                    if gone() {
                        return;
                    }
                    match services::create_user(&client, &request).await {
                        Mutation::Done(()) => outcome = Some(Outcome::Created),
                        Mutation::Confirmed(_) => outcome = Some(Outcome::Created),
                        Mutation::Failed { error, checked } => {
                            let passing = checked || error.error.is_retryable();
                            if passing && attempt < MAX_TRIES {
                                let throttled = error.error.kind() == ErrorKind::Throttled;
                                platform::sleep_ms(crate::plumbing::client::backoff_ms(
                                    attempt, throttled, 0.5,
                                ))
                                .await;
                                continue;
                            }
                            let l = i18n.get_locale_untracked();
                            outcome = Some(Outcome::Failed(crate::text::with_code(l, &error)));
                        }
                        Mutation::Unknown { error, .. } => {
                            // Check again before anything is sent again.
                            platform::sleep_ms(2_000).await;
                            match services::find_user(&client, &r, &i, &name).await {
                                Ok(Some(_)) => outcome = Some(Outcome::Existed),
                                Ok(None) if attempt < MAX_TRIES => continue,
                                _ => {
                                    let l = i18n.get_locale_untracked();
                                    let error = crate::text::with_code(l, &error);
                                    outcome = Some(Outcome::Failed(
                                        td_string!(l, import.unknown, error, name = &name)
                                            .to_string(),
                                    ))
                                }
                            }
                        }
                    }
                    break;
                }
                state.lines.insert(row.line, (name, outcome));
                let spent = platform::now_ms() - row_started;
                let _ = pace.try_update_value(|(ms, rows)| {
                    *ms += spent;
                    *rows += 1;
                });
                save(&mut state);
            }
            running.set(false);
            // Finished: the result stays on the page (and in its CSV), not
            // in storage.
            platform::storage_remove(&key);
            let Tally { done, failed, .. } = state.tally();
            notices.push(
                td_string!(i18n.get_locale_untracked(), import.finished, done, failed).to_string(),
            );
            earlier.set(None);
        });
    };

    let counts = move || progress.with(|p| p.as_ref().map(Progress::tally));

    view! {
        <h2>{tr(|l| td_string!(l, import.title))}</h2>
        <p class="muted">
            {tr(|l| td_string!(l, import.columns))}" "
            <button type="button" class="secondary small" id="import-template" on:click=move |_| { platform::download("sag-users-template.csv", "text/csv;charset=utf-8", import::TEMPLATE); }>{tr(|l| td_string!(l, import.template))}</button>
        </p>
        {move || earlier.get().map(|p| view! {
            <p class="warning" id="import-resume" role="status">
                {t_string!(i18n, import.resume, file = &p.file, ended = p.tally().ended(), total = p.total).to_string()}
            </p>
        })}
        <div class="form">
            <label for="import-file">{tr(|l| td_string!(l, import.file))}</label>
            <input type="file" id="import-file" accept=".csv,text/csv" node_ref=input on:change=choose disabled=move || running.get() />
        </div>
        {move || reading.get().then(|| view! { <p class="progress">{tr(|l| td_string!(l, import.reading))}</p> })}
        {move || read_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        {move || preview.get().map(|p| {
            let ready_all = p.ready(false).len();
            let ready_skip = p.ready(true).len();
            let bad = p.bad_lines().len();
            let l = i18n.get_locale();
            let problems: Vec<String> = p.problems.iter().map(|x| crate::text::import_problem(l, x)).collect();
            view! {
                <section id="import-preview">
                    <p id="import-summary" role="status">{t_string!(i18n, import.summary, file = file_name.get_untracked(), rows = p.rows.len(), ready = ready_skip, bad).to_string()}</p>
                    {(!problems.is_empty()).then(|| view! {
                        <ul id="import-problems" class="problems">
                            {problems.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                        </ul>
                    })}
                    <div class="form">
                        {(bad > 0).then(|| view! {
                            <div class="field checkbox">
                                <input type="checkbox" id="import-skip-bad" prop:checked=move || skip_bad.get() on:change:target=move |ev| skip_bad.set(ev.target().checked()) />
                                <label for="import-skip-bad">{tr(|l| td_string!(l, import.skip_bad))}</label>
                            </div>
                        })}
                        <div class="field">
                            <label for="import-rate">{tr(|l| td_string!(l, import.rate))}</label>
                            <input id="import-rate" type="number" min="1" max="10" prop:value=move || per_second.get() on:input:target=move |ev| per_second.set(ev.target().value()) />
                        </div>
                    </div>
                    <div class="actions">
                        <button type="button" class="primary" id="import-start"
                            disabled=move || running.get() || (if skip_bad.get() { ready_skip } else { ready_all }) == 0
                            on:click=start>
                            {move || match if skip_bad.get() { ready_skip } else { ready_all } {
                                0 => t_string!(i18n, import.nothing).to_owned(),
                                n => t_string!(i18n, import.start, n).to_string(),
                            }}
                        </button>
                    </div>
                </section>
            }
        })}
        {move || counts().map(|Tally { done, failed, skipped, left }| {
            let rate = per_second.get().parse::<f64>().unwrap_or(1.0).max(1.0);
            let eta = seconds_to_go(left, pace.get_value(), rate);
            view! {
                <section id="import-run">
                    <p id="import-progress" role="status">{move || {
                        let l = i18n.get_locale();
                        let mut text = td_string!(l, import.progress, done, failed, skipped, left).to_string();
                        if running.get() && left > 0 {
                            text.push_str(&td_string!(l, import.eta, time = crate::format::duration_in(l, eta as i64)).to_string());
                        }
                        text
                    }}</p>
                    <progress max=done + failed + skipped + left value=done + failed + skipped></progress>
                    <div class="actions">
                        {move || running.get().then(|| view! {
                            <button type="button" class="secondary" id="import-pause" on:click=move |_| paused.update(|p| *p = !*p)>
                                {move || if paused.get() { t_string!(i18n, import.resume_button) } else { t_string!(i18n, import.pause) }}
                            </button>
                        })}
                        <button type="button" class="secondary" id="import-result" on:click=move |_| {
                            if let Some(p) = progress.get_untracked() {
                                platform::download("sag-import-result.csv", "text/csv;charset=utf-8", &result_csv(&p));
                            }
                        }>{tr(|l| td_string!(l, import.result))}</button>
                    </div>
                </section>
            }
        })}
    }
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
    }

    #[test]
    fn progress_survives_storage_without_secrets_and_gives_the_result_file() {
        let mut p = Progress {
            file: "office\tfixed.csv".into(),
            total: 4,
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
        assert_eq!(back.lines.len(), 4);
        assert_eq!(
            back.tally(),
            Tally {
                done: 1,
                failed: 1,
                skipped: 1,
                left: 1
            },
            "the row still being sent counts as left"
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
            "line,user,outcome,reason\r\n2,a.user01,created,\r\n3,b.user01,failed,\"Throttled, slow (Throttling.User)\"\r\n4,c.user01,not sent,\r\n5,d@example.com,skipped,a problem\r\n"
        );
    }
}
