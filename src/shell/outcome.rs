//! What a page shows after a write, decided once for every page: the pure
//! part of the operation layer ([`super::operation`]). The client says how a
//! write ended ([`Mutation`]: done, confirmed by a lookup, refused, unknown);
//! [`shown`] and [`Status::after`] say what is shown for it:
//!
//! - done or confirmed: the page goes on (its `on_done`);
//! - refused: the service's message under its field, else a banner; a
//!   lookup that found nothing adds "nothing was done";
//! - unknown: a note, the banner and **Check again**, whose answer
//!   [`Status::rechecked`] shows.
//!
//! Tested natively with the fake transport.

use sag_api::ApiError;

use crate::i18n::Locale;
use crate::plumbing::{CallError, Mutation};
use crate::shell::language::Words;

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
            // In place: nothing more to show; the page goes on.
            Ok(true) => (Status::default(), true),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::client::fake::*;
    use sag_api::ApiError;
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
        assert_eq!(after.name, "alice.w01", "the words name the user");
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

    static WORDS: OpWords = OpWords {
        checking: |_, error, name| format!("checking {name}: {error}"),
        nothing_done: Some(|_| "nothing done"),
        unknown: Some(|_, name| format!("unknown {name}")),
        absent: |_, name| format!("absent {name}"),
        still_unknown: |_, name| format!("still unknown {name}"),
        failed: |_| "failed",
        failed_checked: |_| "failed, checked",
        unknown_context: |_| "unknown context",
    };

    #[test]
    fn every_note_is_worded_with_the_name_and_the_banner_with_its_context() {
        let l = Locale::en;
        let timeout = CallError {
            error: ApiError::Timeout { after_ms: 15_000 },
            clock_offset: None,
            attempts: 1,
        };
        let with = |note: Note| Status {
            name: "alice.w01".into(),
            note: Some(note),
            ..Status::default()
        };
        let checking = WORDS.note(l, &with(Note::Checking(timeout))).unwrap();
        assert!(checking.starts_with("checking alice.w01: "), "{checking}");
        assert!(
            checking.contains("15 s"),
            "the lost answer in words: {checking}"
        );
        assert_eq!(
            WORDS.note(l, &with(Note::NothingDone)).as_deref(),
            Some("nothing done")
        );
        assert_eq!(
            WORDS.note(l, &with(Note::Unknown)).as_deref(),
            Some("unknown alice.w01")
        );
        assert_eq!(
            WORDS.note(l, &with(Note::Absent)).as_deref(),
            Some("absent alice.w01")
        );
        assert_eq!(
            WORDS.note(l, &with(Note::StillUnknown)).as_deref(),
            Some("still unknown alice.w01")
        );
        assert_eq!(
            WORDS.note(l, &Status::default()),
            None,
            "no note, no sentence"
        );
        // A form whose banner says it has no separate note.
        let quiet = OpWords {
            nothing_done: None,
            unknown: None,
            ..WORDS
        };
        assert_eq!(quiet.note(l, &with(Note::NothingDone)), None);
        assert_eq!(quiet.note(l, &with(Note::Unknown)), None);
        assert_eq!((WORDS.context(Context::Failed))(l), "failed");
        assert_eq!(
            (WORDS.context(Context::FailedChecked))(l),
            "failed, checked"
        );
        assert_eq!((WORDS.context(Context::Unknown))(l), "unknown context");
    }
}
