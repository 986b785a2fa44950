//! The one way a page runs a change over many names (delete, enable,
//! disable, bandwidth, kick out): `use_bulk` marks the names busy, runs the
//! service's bulk operation (one name after the other through
//! [`crate::plumbing::bulk::one_by_one`], asking [`RunStop`] before each),
//! puts each name's failure under its row, tells the page each end, and
//! words the summary (what failed, what was not done after **Stop**).

use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::marker::PhantomData;
use std::rc::Rc;

use leptos::prelude::*;
use sag_api::Vendor;

use crate::i18n::{td_string, use_i18n, Locale};
use crate::plumbing::client::LocalFuture;
use crate::plumbing::{ApiClient, Mutation};
use crate::shell::language::tr;
use crate::shell::run::RunStop;

/// Each name of a bulk run with its result: done, or why not.
pub type NameResults = [(String, Result<(), String>)];

/// The end of every bulk summary: " 1 failed: bob (reason)." and, after
/// **Stop**, " Stopped: 2 not done: d; e.", in the chosen language.
pub fn summary_tail(l: Locale, results: &NameResults, not_done: &[String]) -> String {
    let failed: Vec<String> = results
        .iter()
        .filter_map(|(name, r)| r.as_ref().err().map(|why| format!("{name} ({why})")))
        .collect();
    let mut text = String::new();
    if !failed.is_empty() {
        let list = failed.join(td_string!(l, users.failed_separator));
        text.push_str(&td_string!(l, users.failed, count = failed.len(), list).to_string());
    }
    if !not_done.is_empty() {
        let list = not_done.join(td_string!(l, users.failed_separator));
        text.push_str(&td_string!(l, users.not_done, count = not_done.len(), list).to_string());
    }
    text
}

/// The sentences of a bulk run of kind `K` (delete, enable, bandwidth…).
pub struct BulkWords<K> {
    /// "Deleting 2 of 5: alice…": (language, kind, at (from 1), total, name).
    pub progress: fn(Locale, K, usize, usize, &str) -> String,
    /// Why one name did not (certainly) happen; `None`: it did.
    pub reason: fn(Locale, &Mutation<()>) -> Option<String>,
    /// The summary: (language, kind, each name's result, the names not done).
    pub summary: fn(Locale, K, &NameResults, &[String]) -> String,
}

/// How a bulk run hears its progress and asks whether to stop.
pub type Progress = Rc<dyn Fn(usize, &str)>;
pub type StopAsked = Rc<dyn Fn() -> bool>;

/// What a page gives [`use_bulk`].
pub struct BulkSpec<K: 'static, R, E> {
    pub vendor: Vendor,
    pub words: &'static BulkWords<K>,
    /// The service's bulk operation (one name after the other, through
    /// [`crate::plumbing::bulk::one_by_one`]).
    pub run: R,
    /// Each name's end, once the run is over: the page updates its rows.
    pub on_each: E,
    /// Whether a run of one name of this kind shows its progress and
    /// summary on the page too (else only as a notice).
    pub status_for_one: fn(K) -> bool,
}

/// A page's bulk runs. Cheap to copy.
pub struct BulkOp<K: 'static> {
    /// The progress line while running, then the summary.
    pub status: RwSignal<Option<String>>,
    /// Names waiting or being sent: their rows' buttons wait.
    pub busy: RwSignal<HashSet<String>>,
    /// Why a name was not done, under its row.
    pub errors: RwSignal<HashMap<String, String>>,
    pub running: Signal<bool>,
    /// **Stop**; leaving the page and Forget stop a run too.
    pub stop: RunStop,
    action: Action<BulkJob, ()>,
    /// The page's `MakeBulkJob<K>`, kept as `Any` so that one stored type
    /// serves every page.
    job: StoredValue<Rc<dyn Any>, LocalStorage>,
    kind: PhantomData<fn(K)>,
}

impl<K> Clone for BulkOp<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K> Copy for BulkOp<K> {}

impl<K: 'static> BulkOp<K> {
    /// Runs `kind` over `names`, one after the other.
    pub fn dispatch(&self, names: Vec<String>, kind: K) {
        let make = self.job.get_value();
        if let Some(make) = make.downcast_ref::<MakeBulkJob<K>>() {
            self.action.dispatch_local(make(names, kind));
        }
    }
}

/// Each name's result for the summary, worded by `reason`.
pub fn bulk_results(
    l: Locale,
    outcomes: &[(String, Mutation<()>)],
    reason: fn(Locale, &Mutation<()>) -> Option<String>,
) -> Vec<(String, Result<(), String>)> {
    outcomes
        .iter()
        .map(|(name, outcome)| (name.clone(), reason(l, outcome).map_or(Ok(()), Err)))
        .collect()
}

type Outcomes = Vec<(String, Mutation<()>)>;
type MakeBulkJob<K> = Rc<dyn Fn(Vec<String>, K) -> BulkJob>;
type ProgressWords = Rc<dyn Fn(Locale, usize, usize, &str) -> String>;
type EachEnd = Rc<dyn Fn(&str, Result<(), &str>)>;
type SummaryWords = Rc<dyn Fn(Locale, &NameResults, &[String]) -> String>;

/// One bulk run, with its kind erased (one copy of the run's code).
#[derive(Clone)]
struct BulkJob {
    names: Vec<String>,
    run: Rc<dyn Fn(ApiClient, Progress, StopAsked) -> LocalFuture<'static, Outcomes>>,
    progress: ProgressWords,
    reason: fn(Locale, &Mutation<()>) -> Option<String>,
    summary: SummaryWords,
    on_each: EachEnd,
    shows_one: bool,
}

/// A bulk run through `Action::new_local`: progress, each name's result,
/// **Stop** and the summary, the same on every page.
pub fn use_bulk<K, R, RF, E>(spec: BulkSpec<K, R, E>) -> BulkOp<K>
where
    K: Copy + 'static,
    R: Fn(ApiClient, Vec<String>, K, Progress, StopAsked) -> RF + 'static,
    RF: Future<Output = Outcomes> + 'static,
    E: Fn(&str, K, Result<(), &str>) + Copy + 'static,
{
    let BulkSpec {
        vendor,
        words,
        run,
        on_each,
        status_for_one,
    } = spec;
    let run = Rc::new(run);
    let job = move |names: Vec<String>, kind: K| BulkJob {
        run: Rc::new({
            let (run, names) = (run.clone(), names.clone());
            move |client, progress, stop| {
                Box::pin(run(client, names.clone(), kind, progress, stop))
                    as LocalFuture<'static, _>
            }
        }),
        names,
        progress: Rc::new(move |l, at, total, name| (words.progress)(l, kind, at, total, name)),
        reason: words.reason,
        summary: Rc::new(move |l, results, not_done| (words.summary)(l, kind, results, not_done)),
        on_each: Rc::new(move |name, result| on_each(name, kind, result)),
        shows_one: status_for_one(kind),
    };
    let core = bulk_core(vendor);
    BulkOp {
        status: core.status,
        busy: core.busy,
        errors: core.errors,
        running: core.action.pending().into(),
        stop: core.stop,
        action: core.action,
        job: StoredValue::new_local(Rc::new(Rc::new(job) as MakeBulkJob<K>) as Rc<dyn Any>),
        kind: PhantomData,
    }
}

/// The reactive part every bulk run shares (not generic).
struct BulkCore {
    status: RwSignal<Option<String>>,
    busy: RwSignal<HashSet<String>>,
    errors: RwSignal<HashMap<String, String>>,
    stop: RunStop,
    action: Action<BulkJob, ()>,
}

fn bulk_core(vendor: Vendor) -> BulkCore {
    let api = super::use_api();
    let i18n = use_i18n();
    let notices = super::notices::use_notices();
    let status = RwSignal::new(None::<String>);
    let busy = RwSignal::new(HashSet::<String>::new());
    let errors = RwSignal::new(HashMap::<String, String>::new());
    let stop = super::run::use_run_stop(vendor);
    let action = Action::new_local(move |job: &BulkJob| {
        let job = job.clone();
        let client = api.client(vendor);
        let asked: StopAsked = Rc::new(stop.start());
        async move {
            let Some(client) = client else { return };
            let names = &job.names;
            let total = names.len();
            let shows = total > 1 || job.shows_one;
            busy.update(|b| b.extend(names.iter().cloned()));
            errors.update(|e| {
                for n in names {
                    e.remove(n);
                }
            });
            let words = job.progress.clone();
            let progress: Progress = Rc::new(move |n, name| {
                if shows {
                    let l = i18n.get_locale_untracked();
                    status.set(Some(words(l, n + 1, total, name)));
                }
            });
            let outcomes = (job.run)(client, progress, asked).await;
            let l = i18n.get_locale_untracked();
            let results = bulk_results(l, &outcomes, job.reason);
            for (name, result) in &results {
                if let Err(why) = result {
                    errors.update(|e| {
                        e.insert(name.clone(), why.clone());
                    });
                }
                (job.on_each)(name, result.as_ref().map(|_| ()).map_err(String::as_str));
            }
            busy.update(|b| {
                for n in names {
                    b.remove(n);
                }
            });
            let not_done = crate::plumbing::bulk::not_done(names, &outcomes);
            let summary = (job.summary)(l, &results, &not_done);
            status.set(shows.then(|| summary.clone()));
            notices.push(summary);
        }
    });
    BulkCore {
        status,
        busy,
        errors,
        stop,
        action,
    }
}

/// The bar under a running bulk run: its progress (then its summary), and
/// **Stop** while it runs.
#[component]
pub fn BulkBar(
    /// The run's progress, then its summary.
    status: RwSignal<Option<String>>,
    running: Signal<bool>,
    stop: RunStop,
    /// The summary's id.
    id: &'static str,
    /// **Stop**'s id.
    stop_id: &'static str,
) -> impl IntoView {
    view! {
        {move || status.get().map(|s| view! { <p class="summary" id=id role="status">{s}</p> })}
        {move || running.get().then(|| view! {
            <p class="run-stop">
                <button type="button" class="secondary" id=stop_id title=tr(|l| td_string!(l, users.stop_title)) disabled=move || stop.stopping() on:click=move |_| stop.stop()>{tr(|l| td_string!(l, users.stop))}</button>
                {move || stop.stopping().then(|| view! { " " <span class="muted">{tr(|l| td_string!(l, users.stopping))}</span> })}
            </p>
        })}
    }
}
