//! The one way a page runs a write (create, add, edit, delete) and shows how
//! it ended: `use_mutation` wraps the page's service in `Action::new_local`
//! and shows its outcome as [`super::outcome`] decides, the same on every
//! page:
//!
//! - while the write runs, its button says so (`pending`); once its answer
//!   is lost and the service looks it up, a note says "Checking…";
//! - done or confirmed: the page's `on_done` (a notice, a list to go to);
//! - refused: the service's message under its field (focused), else a
//!   banner;
//! - unknown: a note, the banner and **Check again**, which asks the
//!   service's own lookup and says what it found.
//!
//! The page gives only its service, its lookup, its words and what to do
//! when done. Its types are erased before the `Action`, so one copy of the
//! reactive code serves every page.

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::rc::Rc;

use leptos::prelude::*;
use sag_api::{ApiError, Vendor};

use crate::i18n::use_i18n;
use crate::plumbing::client::LocalFuture;
use crate::plumbing::{ApiClient, CallError, Mutation};
use crate::shell::errors::ErrorPanel;
use crate::shell::language::Words;

pub use super::outcome::{shown, Context, Note, OpWords, Shown, Status};

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

/// **Check again** of one page's writes. Cheap to copy; not generic.
#[derive(Clone, Copy)]
pub struct Recheck {
    status: RwSignal<Status>,
    /// **Check again** is looking.
    pub rechecking: Signal<bool>,
    action: Action<Job, ()>,
    /// What was sent when the answer was lost.
    unresolved: StoredValue<Option<Job>, LocalStorage>,
}

impl Recheck {
    /// **Check again**: the service's own lookup for what was sent.
    pub fn check_again(&self) {
        if let Some(job) = self.unresolved.get_value() {
            self.action.dispatch_local(job);
        }
    }

    /// Whether **Check again** is offered.
    pub fn offered(&self) -> bool {
        self.status.with(|s| s.unresolved)
            && self
                .unresolved
                .with_value(|j| j.as_ref().is_some_and(|j| j.look.is_some()))
    }
}

/// A running write's handle on its page. Cheap to copy.
pub struct Operation<I: 'static> {
    pub status: RwSignal<Status>,
    /// The write is running.
    pub pending: Signal<bool>,
    /// Its answer was lost and the service is looking (the button says
    /// "Checking…").
    pub checking: RwSignal<bool>,
    pub words: &'static OpWords,
    pub again: Recheck,
    send: Action<Job, ()>,
    /// The page's `Rc<dyn Fn(I) -> Job>`, kept as `Any` so that one stored
    /// type serves every page.
    job: StoredValue<Rc<dyn Any>, LocalStorage>,
    input: PhantomData<fn(I)>,
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
        let make = self.job.get_value();
        let Some(make) = make.downcast_ref::<Rc<dyn Fn(I) -> Job>>() else {
            return;
        };
        dispatch(self.send, self.again, make(input));
    }

    /// Clears what the last write showed (a new submit, a changed form).
    pub fn clear(&self) {
        self.status.set(Status::default());
    }
}

fn dispatch(send: Action<Job, ()>, again: Recheck, job: Job) {
    if send.pending().get_untracked() || again.rechecking.get_untracked() {
        return;
    }
    again.status.set(Status::default());
    send.dispatch_local(job);
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
    let job: Rc<dyn Fn(I) -> Job> = Rc::new(job);
    Operation {
        status: core.status,
        pending: core.send.pending().into(),
        checking: core.checking,
        words,
        again: Recheck {
            status: core.status,
            rechecking: core.recheck.pending().into(),
            action: core.recheck,
            unresolved: core.unresolved,
        },
        send: core.send,
        job: StoredValue::new_local(Rc::new(job) as Rc<dyn Any>),
        input: PhantomData,
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
pub fn CheckAgain(
    op: Recheck,
    id: &'static str,
    label: Words,
    /// The label while it looks.
    busy_label: Words,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        op.offered().then(|| {
            view! {
                <button type="button" class="secondary" id=id disabled=move || op.rechecking.get() on:click=move |_| op.check_again()>
                    {move || if op.rechecking.get() { busy_label(i18n.get_locale()) } else { label(i18n.get_locale()) }}
                </button>
            }
        })
    }
}
