//! The one way a page runs a write (create, add, edit, delete) and shows how
//! it ended. The client decides what an outcome is ([`Mutation`]: done,
//! confirmed by a lookup, refused, unknown); this layer decides, once, what
//! every page shows for it:
//!
//! - while the write runs, its button says so (`pending`); once its answer
//!   is lost and the service looks it up, a note says "Checking…";
//! - done or confirmed: the page's `on_done` (a notice, a list to go to);
//! - refused: the service's message under its field (focused), else a
//!   banner; a lookup that found nothing adds "nothing was done";
//! - unknown: a note, the banner and **Check again**, which asks the
//!   service's own lookup and says what it found.
//!
//! The decision ([`shown`], [`Status::after`], [`Status::rechecked`]) is pure
//! and tested natively; [`use_mutation`] wraps it in `Action::new_local`;
//! the page gives only its service, its words and what to do when done.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use sag_api::{ApiError, Vendor};

use crate::i18n::{td_string, use_i18n, Locale};
use crate::plumbing::client::LocalFuture;
use crate::plumbing::{platform, ApiClient, CallError, Mutation};
use crate::shell::errors::ErrorPanel;
use crate::shell::language::{tr, Words};
use crate::shell::run::RunStop;

/// What a page shows for an outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown<F> {
    /// In place; `confirmed`: its answer was lost and a lookup found it.
    Done { confirmed: bool },
    /// Not done: the service's message goes under `field`. `checked`: a
    /// lookup showed nothing happened after a lost answer.
    Field {
        field: F,
        error: CallError,
        checked: bool,
    },
    /// Not done: the message goes in the banner.
    Banner { error: CallError, checked: bool },
    /// Nobody can tell yet: look again before sending again.
    Unknown { error: CallError },
}

/// The one mapping from an outcome to what is shown. `field_of` says which
/// of the form's fields a service error belongs to, if any.
pub fn shown<T, F>(outcome: &Mutation<T>, field_of: impl Fn(&ApiError) -> Option<F>) -> Shown<F> {
    match outcome {
        Mutation::Done(_) => Shown::Done { confirmed: false },
        Mutation::Confirmed(_) => Shown::Done { confirmed: true },
        Mutation::Failed { error, checked } => match field_of(&error.error) {
            Some(field) => Shown::Field {
                field,
                error: error.clone(),
                checked: *checked,
            },
            None => Shown::Banner {
                error: error.clone(),
                checked: *checked,
            },
        },
        Mutation::Unknown { error, .. } => Shown::Unknown {
            error: error.clone(),
        },
    }
}

/// The sentence above the banner, as what happened (worded by [`OpWords`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// The answer was lost; the service is looking whether it happened.
    Checking(CallError),
    /// A lookup after a lost answer showed nothing happened: send again.
    NothingDone,
    /// Nobody can tell: **Check again**.
    Unknown,
    /// **Check again** found it did not happen.
    Absent,
    /// **Check again** could not look either.
    StillUnknown,
}

/// What the banner frames its error with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Failed,
    FailedChecked,
    Unknown,
}

/// A write's status on its page: the note, the banner, and whether
/// **Check again** is offered. Pure data; words come at rendering, so a
/// switch of language re-words what is shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// The name of what is being written ("alice.w01"), for the words.
    pub name: String,
    pub note: Option<Note>,
    pub banner: Option<(CallError, Context)>,
    /// The answer was lost and could not be checked: **Check again**.
    pub unresolved: bool,
}

impl Status {
    /// The status after `shown` for the write of `name`.
    pub fn after<F>(name: &str, shown: &Shown<F>) -> Status {
        let (note, banner, unresolved) = match shown {
            Shown::Done { .. } => (None, None, false),
            Shown::Field { checked, .. } => (checked.then_some(Note::NothingDone), None, false),
            Shown::Banner { error, checked } => (
                checked.then_some(Note::NothingDone),
                Some((
                    error.clone(),
                    if *checked {
                        Context::FailedChecked
                    } else {
                        Context::Failed
                    },
                )),
                false,
            ),
            Shown::Unknown { error } => (
                Some(Note::Unknown),
                Some((error.clone(), Context::Unknown)),
                true,
            ),
        };
        Status {
            name: name.to_owned(),
            note,
            banner,
            unresolved,
        }
    }

    /// The status after **Check again** looked (`Ok(true)`: it is in place,
    /// and the page goes on as after a confirmed write). The second value
    /// says whether it was found.
    pub fn rechecked(&self, found: Result<bool, CallError>) -> (Status, bool) {
        let name = self.name.clone();
        match found {
            Ok(true) => (
                Status {
                    name,
                    ..Status::default()
                },
                true,
            ),
            Ok(false) => (
                Status {
                    name,
                    note: Some(Note::Absent),
                    ..Status::default()
                },
                false,
            ),
            Err(error) => (
                Status {
                    name,
                    note: Some(Note::StillUnknown),
                    banner: Some((error, Context::Unknown)),
                    unresolved: true,
                },
                false,
            ),
        }
    }
}

/// One write's sentences, each a function of the language.
pub struct OpWords {
    /// While the lookup runs: (language, the lost answer's words, name).
    pub checking: fn(Locale, &str, &str) -> String,
    /// The note when a lookup showed nothing happened (`None`: the banner's
    /// context says it).
    pub nothing_done: Option<Words>,
    /// The note when nobody can tell (`None`: the banner's context says it).
    pub unknown: Option<fn(Locale, &str) -> String>,
    /// **Check again** found nothing: (language, name).
    pub absent: fn(Locale, &str) -> String,
    /// **Check again** could not look: (language, name).
    pub still_unknown: fn(Locale, &str) -> String,
    /// The banner's context when refused, refused after a lookup, unknown.
    pub failed: Words,
    pub failed_checked: Words,
    pub unknown_context: Words,
}

impl OpWords {
    /// The note's sentence, if it has one.
    pub fn note(&self, l: Locale, status: &Status) -> Option<String> {
        let name = status.name.as_str();
        match status.note.as_ref()? {
            Note::Checking(error) => {
                Some((self.checking)(l, &crate::text::call_error(l, error), name))
            }
            Note::NothingDone => self.nothing_done.map(|w| w(l).to_owned()),
            Note::Unknown => self.unknown.map(|w| w(l, name)),
            Note::Absent => Some((self.absent)(l, name)),
            Note::StillUnknown => Some((self.still_unknown)(l, name)),
        }
    }

    pub fn context(&self, context: Context) -> Words {
        match context {
            Context::Failed => self.failed,
            Context::FailedChecked => self.failed_checked,
            Context::Unknown => self.unknown_context,
        }
    }
}

/// How a write is known to be in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done<T> {
    /// The service answered.
    Answered(T),
    /// The answer was lost; the service's lookup found it.
    Confirmed,
    /// The answer was lost; **Check again** found it.
    FoundOnCheck,
}

/// A write's lookup for **Check again**, its input bound in.
type Lookup = Rc<dyn Fn(ApiClient) -> LocalFuture<'static, Result<bool, CallError>>>;

/// One write, with its types erased: every page's writes run through the
/// same `Action` (one copy of its code in the wasm).
#[derive(Clone)]
struct Job {
    who: String,
    send: Rc<dyn Fn(ApiClient) -> LocalFuture<'static, Mutation<()>>>,
    look: Option<Lookup>,
    /// Puts a refusal under its field (true), or leaves it to the banner.
    place: Rc<dyn Fn(&CallError) -> bool>,
    done: Rc<dyn Fn(Done<()>)>,
}

/// A running write's handle on its page. Cheap to copy.
pub struct Operation<I: 'static> {
    pub status: RwSignal<Status>,
    /// The write is running.
    pub pending: Signal<bool>,
    /// **Check again** is looking.
    pub rechecking: Signal<bool>,
    /// Its answer was lost and the service is looking (the button says
    /// "Checking…").
    pub checking: RwSignal<bool>,
    pub words: &'static OpWords,
    send: Action<Job, ()>,
    recheck: Action<Job, ()>,
    /// What was sent when the answer was lost, for **Check again**.
    unresolved: StoredValue<Option<Job>, LocalStorage>,
    job: StoredValue<Rc<dyn Fn(I) -> Job>, LocalStorage>,
}

impl<I> Clone for Operation<I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I> Copy for Operation<I> {}

impl<I: 'static> Operation<I> {
    /// Sends `input` unless a write is running; clears what the last one showed.
    pub fn dispatch(&self, input: I) {
        if self.pending.get_untracked() || self.rechecking.get_untracked() {
            return;
        }
        self.status.set(Status::default());
        let job = self.job.with_value(|make| make(input));
        self.send.dispatch_local(job);
    }

    /// Clears what the last write showed (a new submit, a changed form).
    pub fn clear(&self) {
        self.status.set(Status::default());
    }

    /// **Check again**: the service's own lookup for what was sent.
    pub fn check_again(&self) {
        if let Some(job) = self.unresolved.get_value() {
            self.recheck.dispatch_local(job);
        }
    }

    /// Whether **Check again** is offered.
    pub fn can_check_again(&self) -> bool {
        self.status.with(|s| s.unresolved)
            && self
                .unresolved
                .with_value(|j| j.as_ref().is_some_and(|j| j.look.is_some()))
    }
}

/// The `look` of a write without **Check again**: `look: None::<NoLook<_>>`.
pub type NoLook<I> = fn(ApiClient, I) -> std::future::Ready<Result<bool, CallError>>;

/// What a page gives [`use_mutation`].
pub struct Mutate<I, S, L, F, D, E> {
    pub vendor: Vendor,
    pub words: &'static OpWords,
    /// The name shown in the words ("alice.w01").
    pub name: fn(&I) -> String,
    /// The service operation.
    pub send: S,
    /// The service's lookup for **Check again** (`None`: not offered; the
    /// page's list has Reload).
    pub look: Option<L>,
    /// Which of the form's fields a service error belongs to.
    pub field_of: fn(&ApiError) -> Option<F>,
    /// The service's message for `field` (already worded), to show under it.
    pub on_field: E,
    /// In place.
    pub on_done: D,
}

/// A write through `Action::new_local`, shown the one way.
pub fn use_mutation<I, T, F, S, SF, L, LF, D, E>(m: Mutate<I, S, L, F, D, E>) -> Operation<I>
where
    I: Clone + 'static,
    T: 'static,
    F: Copy + 'static,
    S: Fn(ApiClient, I) -> SF + 'static,
    SF: Future<Output = Mutation<T>> + 'static,
    L: Fn(ApiClient, I) -> LF + 'static,
    LF: Future<Output = Result<bool, CallError>> + 'static,
    D: Fn(I, Done<T>) + Copy + 'static,
    E: Fn(F, String) + Copy + 'static,
{
    let i18n = use_i18n();
    let Mutate {
        vendor,
        words,
        name,
        send,
        look,
        field_of,
        on_field,
        on_done,
    } = m;
    let (send, look) = (Rc::new(send), look.map(Rc::new));
    // The typed part: what this page sends, looks up and does when done.
    let job = move |input: I| {
        let answer: Rc<std::cell::Cell<Option<T>>> = Rc::new(std::cell::Cell::new(None));
        Job {
            who: name(&input),
            send: Rc::new({
                let (send, input, answer) = (send.clone(), input.clone(), answer.clone());
                move |client| {
                    let (send, input, answer) = (send.clone(), input.clone(), answer.clone());
                    Box::pin(async move {
                        match send(client, input).await {
                            Mutation::Done(value) => {
                                answer.set(Some(value));
                                Mutation::Done(())
                            }
                            other => other.discard(),
                        }
                    })
                }
            }),
            look: look.clone().map(|look| {
                let input = input.clone();
                Rc::new(move |client| {
                    let (look, input) = (look.clone(), input.clone());
                    Box::pin(async move { look(client, input).await }) as LocalFuture<'static, _>
                })
                    as Rc<dyn Fn(ApiClient) -> LocalFuture<'static, Result<bool, CallError>>>
            }),
            place: Rc::new(move |error: &CallError| match field_of(&error.error) {
                Some(field) => {
                    on_field(
                        field,
                        crate::text::with_code(i18n.get_locale_untracked(), error),
                    );
                    true
                }
                None => false,
            }),
            done: Rc::new(move |how| {
                let how = match how {
                    Done::Answered(()) => match answer.take() {
                        Some(value) => Done::Answered(value),
                        None => Done::Confirmed,
                    },
                    Done::Confirmed => Done::Confirmed,
                    Done::FoundOnCheck => Done::FoundOnCheck,
                };
                on_done(input.clone(), how)
            }),
        }
    };
    let core = core(vendor);
    Operation {
        status: core.status,
        pending: core.send.pending().into(),
        rechecking: core.recheck.pending().into(),
        checking: core.checking,
        words,
        send: core.send,
        recheck: core.recheck,
        unresolved: core.unresolved,
        job: StoredValue::new_local(Rc::new(job)),
    }
}

/// The reactive part every write shares (not generic: once in the wasm).
struct Core {
    status: RwSignal<Status>,
    checking: RwSignal<bool>,
    send: Action<Job, ()>,
    recheck: Action<Job, ()>,
    unresolved: StoredValue<Option<Job>, LocalStorage>,
}

fn core(vendor: Vendor) -> Core {
    let api = super::use_api();
    let status = RwSignal::new(Status::default());
    let checking = RwSignal::new(false);
    let unresolved: StoredValue<Option<Job>, LocalStorage> = StoredValue::new_local(None);
    let send = Action::new_local(move |job: &Job| {
        let job = job.clone();
        let client = api.client(vendor);
        async move {
            // Without keys the connection guard shows Settings instead.
            let Some(client) = client else { return };
            unresolved.set_value(None);
            let who = job.who.clone();
            let client = client.on_lookup(move |e| {
                checking.set(true);
                status.set(Status {
                    name: who.clone(),
                    note: Some(Note::Checking(e.clone())),
                    ..Status::default()
                });
            });
            let outcome = (job.send)(client).await;
            checking.set(false);
            let place = job.place.clone();
            let shown = shown(&outcome, |_| Some(()));
            let shown = match shown {
                Shown::Field { error, checked, .. } if !place(&error) => {
                    Shown::Banner { error, checked }
                }
                other => other,
            };
            status.set(Status::after(&job.who, &shown));
            match shown {
                Shown::Done { confirmed: false } => (job.done)(Done::Answered(())),
                Shown::Done { confirmed: true } => (job.done)(Done::Confirmed),
                Shown::Unknown { .. } => unresolved.set_value(Some(job)),
                Shown::Field { .. } | Shown::Banner { .. } => {}
            }
        }
    });
    let recheck = Action::new_local(move |job: &Job| {
        let job = job.clone();
        let client = api.client(vendor);
        async move {
            let (Some(client), Some(look)) = (client, job.look.clone()) else {
                return;
            };
            let found = look(client).await;
            let (next, in_place) = status.with_untracked(|s| s.rechecked(found));
            let still = next.unresolved;
            status.set(next);
            if !still {
                unresolved.set_value(None);
            }
            if in_place {
                (job.done)(Done::FoundOnCheck);
            }
        }
    });
    Core {
        status,
        checking,
        send,
        recheck,
        unresolved,
    }
}

/// A write's note and banner, in the page's live region.
#[component]
pub fn OperationStatus(status: RwSignal<Status>, words: &'static OpWords) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {move || status.with(|s| words.note(i18n.get_locale(), s)).map(|n| view! { <p class="warning">{n}</p> })}
        {move || status.with(|s| s.banner.clone()).map(|(e, context)| {
            view! { <ErrorPanel error=e context=words.context(context)(i18n.get_locale()) /> }
        })}
    }
}

/// **Check again**, while it is offered.
#[component]
pub fn CheckAgain<I: 'static>(
    op: Operation<I>,
    id: &'static str,
    label: Words,
    /// The label while it looks.
    busy_label: Words,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        op.can_check_again().then(|| {
            view! {
                <button type="button" class="secondary" id=id disabled=move || op.rechecking.get() on:click=move |_| op.check_again()>
                    {move || if op.rechecking.get() { busy_label(i18n.get_locale()) } else { label(i18n.get_locale()) }}
                </button>
            }
        })
    }
}

/// Each name of a bulk run with its result: done, or why not.
pub type NameResults = [(String, Result<(), String>)];

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
    job: StoredValue<MakeBulkJob<K>, LocalStorage>,
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
        let job = self.job.with_value(|make| make(names, kind));
        self.action.dispatch_local(job);
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
        job: StoredValue::new_local(Rc::new(job)),
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
pub fn BulkBar<K: 'static>(
    bulk: BulkOp<K>,
    /// The summary's id.
    id: &'static str,
    /// **Stop**'s id.
    stop_id: &'static str,
) -> impl IntoView {
    let stop = bulk.stop;
    view! {
        {move || bulk.status.get().map(|s| view! { <p class="summary" id=id role="status">{s}</p> })}
        {move || bulk.running.get().then(|| view! {
            <p class="run-stop">
                <button type="button" class="secondary" id=stop_id title=tr(|l| td_string!(l, users.stop_title)) disabled=move || stop.stopping() on:click=move |_| stop.stop()>{tr(|l| td_string!(l, users.stop))}</button>
                {move || stop.stopping().then(|| view! { " " <span class="muted">{tr(|l| td_string!(l, users.stopping))}</span> })}
            </p>
        })}
    }
}

/// Focuses a field's input: where a service error landed.
pub fn focus(id: &str) {
    platform::focus_id(id);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::client::fake::*;
    use sag_api::Field;

    fn field_of(e: &ApiError) -> Option<Field> {
        e.field()
    }

    const INVALID_MAIL: &str = r#"{"RequestId":"M1","Code":"ClientUser.EmailInvalid","Message":"The email is not valid."}"#;

    fn create() -> sag_api::smartag::CreateClientUser {
        sag_api::smartag::CreateClientUser {
            region_id: "cn-shanghai".into(),
            smart_ag_id: "sag-1".into(),
            user_mail: "alice@example.com".into(),
            bandwidth_kbps: 2000,
            credentials: Some(("alice.w01".into(), sag_api::Secret::new("Passw0rd_1"))),
            client_ip: None,
        }
    }

    fn found(name: &str) -> String {
        format!(
            r#"{{"RequestId":"R","TotalCount":1,"PageNumber":1,"PageSize":10,"Users":{{"User":[{{"UserName":"{name}","UserMail":"a@example.com","Bandwidth":2000,"State":0}}]}}}}"#
        )
    }

    const EMPTY: &str =
        r#"{"RequestId":"R","TotalCount":0,"PageNumber":1,"PageSize":10,"Users":{"User":[]}}"#;

    fn outcome_of(t: &std::rc::Rc<FakeTransport>) -> Mutation<()> {
        run(crate::sag::services::create_user(
            &client(t, false),
            &create(),
        ))
    }

    #[test]
    fn a_lost_answer_then_found_is_done_and_shows_nothing_more() {
        let t = FakeTransport::new();
        t.ok(CUT_OFF).ok(&found("alice.w01"));
        let shown = super::shown(&outcome_of(&t), field_of);
        assert_eq!(shown, Shown::Done { confirmed: true });
        let status = Status::after("alice.w01", &shown);
        assert_eq!(status.note, None);
        assert_eq!(status.banner, None);
        assert!(!status.unresolved);
    }

    #[test]
    fn a_lost_answer_then_nothing_found_says_nothing_was_done() {
        let t = FakeTransport::new();
        t.ok(CUT_OFF).ok(EMPTY);
        let shown = super::shown(&outcome_of(&t), field_of);
        assert!(matches!(shown, Shown::Banner { checked: true, .. }));
        let status = Status::after("alice.w01", &shown);
        assert_eq!(status.note, Some(Note::NothingDone));
        assert_eq!(status.banner.as_ref().unwrap().1, Context::FailedChecked);
        assert!(
            !status.unresolved,
            "nothing happened: submitting again is safe"
        );
    }

    #[test]
    fn a_lost_answer_whose_lookup_failed_offers_check_again_and_its_answers() {
        let t = FakeTransport::new();
        t.ok(CUT_OFF);
        for _ in 0..crate::plumbing::client::MAX_READ_ATTEMPTS {
            t.answer(503, UNAVAILABLE);
        }
        let shown = super::shown(&outcome_of(&t), field_of);
        assert!(
            matches!(&shown, Shown::Unknown { error } if error.error.kind() == sag_api::ErrorKind::Malformed)
        );
        let status = Status::after("alice.w01", &shown);
        assert_eq!(status.note, Some(Note::Unknown));
        assert_eq!(status.banner.as_ref().unwrap().1, Context::Unknown);
        assert!(status.unresolved);

        // Check again, with the service's own lookup.
        let c = client(&t, false);
        t.ok(&found("alice.w01"));
        let look = run(crate::sag::services::find_user(
            &c,
            "cn-shanghai",
            "sag-1",
            "alice.w01",
        ));
        let (after, in_place) = status.rechecked(look.map(|u| u.is_some()));
        assert!(in_place);
        assert_eq!(
            (after.note, after.banner, after.unresolved),
            (None, None, false)
        );

        t.ok(EMPTY);
        let look = run(crate::sag::services::find_user(
            &c,
            "cn-shanghai",
            "sag-1",
            "alice.w01",
        ));
        let (after, in_place) = status.rechecked(look.map(|u| u.is_some()));
        assert!(!in_place);
        assert_eq!(after.note, Some(Note::Absent));
        assert!(!after.unresolved && after.banner.is_none());

        for _ in 0..crate::plumbing::client::MAX_READ_ATTEMPTS {
            t.answer(503, UNAVAILABLE);
        }
        let look = run(crate::sag::services::find_user(
            &c,
            "cn-shanghai",
            "sag-1",
            "alice.w01",
        ));
        let (after, in_place) = status.rechecked(look.map(|u| u.is_some()));
        assert!(!in_place);
        assert_eq!(after.note, Some(Note::StillUnknown));
        assert!(after.unresolved, "still offered");
        assert_eq!(after.name, "alice.w01");
    }

    #[test]
    fn a_refusal_lands_on_its_field_or_in_the_banner_and_is_not_looked_up() {
        let t = FakeTransport::new();
        t.answer(400, INVALID_MAIL);
        let shown = super::shown(&outcome_of(&t), field_of);
        assert!(
            matches!(
                shown,
                Shown::Field {
                    field: Field::Email,
                    checked: false,
                    ..
                }
            ),
            "{shown:?}"
        );
        assert_eq!(
            Status::after("a", &shown),
            Status {
                name: "a".into(),
                ..Status::default()
            }
        );

        let t = FakeTransport::new();
        t.answer(400, THROTTLED);
        let throttled = super::shown(&outcome_of(&t), field_of);
        assert!(
            matches!(&throttled, Shown::Banner { checked: false, error } if error.error.code() == Some("Throttling.User"))
        );
        let status = Status::after("a", &throttled);
        assert_eq!(
            (status.note, status.banner.unwrap().1),
            (None, Context::Failed)
        );
        assert_eq!(
            t.actions(),
            ["CreateSmartAccessGatewayClientUser"],
            "sent once; throttled is not retried from a form"
        );
    }

    #[test]
    fn a_field_error_after_a_lookup_also_says_nothing_was_done() {
        let after_lookup = super::shown(
            &Mutation::<()>::Failed {
                error: CallError {
                    error: ApiError::Timeout { after_ms: 1 },
                    clock_offset: None,
                    attempts: 1,
                },
                checked: true,
            },
            |_| Some(Field::Email),
        );
        assert_eq!(
            Status::after("a", &after_lookup).note,
            Some(Note::NothingDone)
        );
    }
}
