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
use wasm_bindgen::JsCast;

use super::import::{self, Preview, Row, Target};
use super::import_progress::{
    load_progress, result_csv, seconds_to_go, storage_key, Outcome, Progress, Tally,
};
use super::scope::use_scope;
use super::services;
use crate::plumbing::platform;
use crate::shell::notices::use_notices;
use crate::shell::{use_api, use_config};

/// The default pace: well under the vendor's rate limit.
pub const DEFAULT_PER_SECOND: u32 = 2;

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

/// The rate typed in "Users per second": a whole number within
/// [`services::RATE_RANGE`], or the default. (Read as an integer: parsing a
/// float would bring the standard library's float parser, about 7 KB brotli,
/// into the import's part.)
fn chosen_rate(typed: &str) -> u32 {
    typed
        .trim()
        .parse::<u32>()
        .unwrap_or(DEFAULT_PER_SECOND)
        .clamp(services::RATE_RANGE.0, services::RATE_RANGE.1)
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
            let resumed = earlier.get_untracked().filter(|p| p.file == name);
            let cidr = scope.cidr().and_then(|c| sag_api::validate::parse_cidr(&c));
            let target = (&existing[..], cidr.as_ref(), scope.quota(), max_bandwidth);
            let (p, state) = preview_resumed(&name, &text, target, resumed.as_ref());
            file_name.set(name);
            progress.set(resumed.is_some().then_some(state));
            preview.set(Some(p));
            reading.set(false);
        });
    };

    // The run: the service paces, resends by the client's rule and looks up
    // lost answers; the page keeps its progress and shows it.
    let run = Action::new_local(move |job: &ImportJob| {
        let job = job.clone();
        let left_page = left_page.get_value();
        async move {
            let watch = PageWatch {
                key: job.key,
                state: std::cell::RefCell::new(job.state),
                row_started: std::cell::Cell::new(0.0),
                paused,
                progress,
                pace,
                left_page,
                i18n,
            };
            let (r, i) = &job.place;
            if !services::import_rows(&job.client, r, i, &job.rows, job.rate, &watch).await {
                return;
            }
            // Finished: the result stays on the page (and in its CSV), not
            // in storage.
            platform::storage_remove(&watch.key);
            let Tally { done, failed, .. } = watch.state.borrow().tally();
            notices.push(
                td_string!(i18n.get_locale_untracked(), import.finished, done, failed).to_string(),
            );
            earlier.set(None);
        }
    });
    let running = Signal::derive(move || run.pending().get());

    let start = move |_| {
        let Some(p) = preview.get_untracked() else {
            return;
        };
        let Some(client) = api.aliyun() else { return };
        let rate = chosen_rate(&per_second.get_untracked());
        per_second.set(rate.to_string());
        let skip = skip_bad.get_untracked();
        let mut state = progress.get_untracked().unwrap_or_default();
        // Rows a resumed run already ended are not sent again.
        let rows: Vec<Row> = p
            .ready(skip)
            .into_iter()
            .filter(|row| !state.lines.get(&row.line).is_some_and(|(_, o)| o.is_some()))
            .cloned()
            .collect();
        let bad = p.bad_lines();
        state.file = file_name.get_untracked();
        state.total = p.rows.len();
        for row in &p.rows {
            if bad.has(row.line) {
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
        paused.set(false);
        started_ms.set_value(platform::now_ms());
        pace.set_value((0.0, 0));
        run.dispatch_local(ImportJob {
            client,
            place: (r, i),
            rows,
            rate,
            key,
            state,
        });
    };

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
        {move || preview.get().map(|p| view! { <ImportPreview preview=p file_name=file_name skip_bad=skip_bad per_second=per_second running=running start=Callback::new(start) /> })}
        <ImportRunView progress=progress per_second=per_second pace=pace running=running paused=paused />
    }
}

/// The preview of `text` against the instance's users (`existing`, CIDR,
/// quota, bandwidth maximum), and the progress of a resumed run: the users
/// this file already created are not clashes, and its rows whose user
/// exists now are done.
fn preview_resumed(
    name: &str,
    text: &str,
    (existing, cidr, quota, max_bandwidth): (
        &[sag_api::smartag::ClientUser],
        Option<&ipnet::Ipv4Net>,
        Option<u64>,
        u32,
    ),
    resumed: Option<&Progress>,
) -> (Preview, Progress) {
    let others: Vec<_> = existing
        .iter()
        .filter(|u| !resumed.is_some_and(|p| p.lines.values().any(|(n, _)| n == &u.user_name)))
        .cloned()
        .collect();
    let p = import::preview(
        text,
        &Target {
            existing: &others,
            cidr,
            quota,
            max_bandwidth,
        },
    );
    let mut state = Progress {
        file: name.to_owned(),
        total: p.rows.len(),
        saved_at: platform::now_unix(),
        lines: BTreeMap::new(),
    };
    if let Some(saved) = resumed {
        for row in &p.rows {
            let exists = existing.iter().any(|u| u.user_name == row.login_name());
            if let Some(outcome) = saved.resumed(row.line).filter(|_| exists) {
                state
                    .lines
                    .insert(row.line, (row.login_name().to_owned(), Some(outcome)));
            }
        }
    }
    (p, state)
}

/// What the run tells the page: each row's progress is saved as it goes
/// (so a reload resumes), and the pace is measured for the time to go.
/// One run of the import, as the page starts it.
#[derive(Clone)]
struct ImportJob {
    client: crate::plumbing::ApiClient,
    /// Region and instance.
    place: (String, String),
    rows: Vec<Row>,
    /// Rows a second.
    rate: u32,
    /// Where its progress is kept.
    key: String,
    state: Progress,
}

struct PageWatch {
    key: String,
    state: std::cell::RefCell<Progress>,
    row_started: std::cell::Cell<f64>,
    paused: RwSignal<bool>,
    progress: RwSignal<Option<Progress>>,
    pace: StoredValue<(f64, u32)>,
    left_page: std::sync::Arc<std::sync::atomic::AtomicBool>,
    i18n: crate::i18n::I18nContext,
}

impl PageWatch {
    fn save(&self) {
        let mut state = self.state.borrow_mut();
        state.saved_at = platform::now_unix();
        platform::storage_set(&self.key, &state.encode());
        self.progress.set(Some(state.clone()));
    }
}

impl services::ImportWatch for PageWatch {
    fn paused(&self) -> bool {
        self.paused.try_get_untracked().unwrap_or(false)
    }

    fn stopped(&self) -> bool {
        self.left_page.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn sending(&self, line: usize, name: &str) {
        self.row_started.set(platform::now_ms());
        self.state
            .borrow_mut()
            .lines
            .insert(line, (name.to_owned(), None));
        self.save();
    }

    fn ended(&self, line: usize, name: &str, end: services::RowEnd) {
        let l = self.i18n.get_locale_untracked();
        let outcome = match end {
            services::RowEnd::Created => Outcome::Created,
            services::RowEnd::Failed(error) => Outcome::Failed(crate::text::with_code(l, &error)),
            services::RowEnd::Unknown(error) => {
                let error = crate::text::with_code(l, &error);
                Outcome::Failed(td_string!(l, import.unknown, error, name).to_string())
            }
        };
        self.state
            .borrow_mut()
            .lines
            .insert(line, (name.to_owned(), Some(outcome)));
        let spent = platform::now_ms() - self.row_started.get();
        let _ = self.pace.try_update_value(|(ms, rows)| {
            *ms += spent;
            *rows += 1;
        });
        self.save();
    }
}

/// The preview of the chosen file: its rows, every problem, and **Start**.
#[component]
fn ImportPreview(
    preview: Preview,
    file_name: RwSignal<String>,
    skip_bad: RwSignal<bool>,
    per_second: RwSignal<String>,
    running: Signal<bool>,
    start: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let p = preview;
    let ready_all = p.ready(false).len();
    let ready_skip = p.ready(true).len();
    let bad = p.bad_lines().len();
    let l = i18n.get_locale();
    let problems: Vec<String> = p
        .problems
        .iter()
        .map(|x| super::text::import_problem(l, x))
        .collect();
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
                    on:click=move |_| start.run(())>
                    {move || match if skip_bad.get() { ready_skip } else { ready_all } {
                        0 => t_string!(i18n, import.nothing).to_owned(),
                        n => t_string!(i18n, import.start, n).to_string(),
                    }}
                </button>
            </div>
        </section>
    }
}

/// The run: done, failed, skipped and left, the time to go, **Pause** and
/// the result file.
#[component]
fn ImportRunView(
    progress: RwSignal<Option<Progress>>,
    per_second: RwSignal<String>,
    pace: StoredValue<(f64, u32)>,
    running: Signal<bool>,
    paused: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        progress.with(|p| p.as_ref().map(Progress::tally)).map(|Tally { done, failed, skipped, left }| {
            let rate = f64::from(chosen_rate(&per_second.get()));
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
    })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_a_whole_number_within_its_range_or_the_default() {
        assert_eq!(chosen_rate("5"), 5);
        assert_eq!(chosen_rate(" 10 "), 10);
        assert_eq!(chosen_rate("0"), 1);
        assert_eq!(chosen_rate("99"), 10);
        assert_eq!(chosen_rate(""), DEFAULT_PER_SECOND);
        assert_eq!(chosen_rate("2.5"), DEFAULT_PER_SECOND);
        assert_eq!(chosen_rate("-3"), DEFAULT_PER_SECOND);
    }
}
