//! The state every form keeps, once: what was typed, which fields were
//! visited, whether a submit was tried, and the service's messages per field.
//! A field shows its message once visited (or after a submit); typing clears
//! the service's message for that field (and for fields checked with it); a
//! submit that finds problems moves the focus to the first one, and a field
//! the service refused gets its message and the focus. Every form uses it:
//! create, edit, reset, bandwidth, and CAM's add and edit.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use leptos::prelude::*;

use crate::plumbing::platform;

/// The service's messages, by the element id of their field. Fields are
/// kept by id inside, whatever type a form names them with: one map type
/// for every form (and one copy of its code in the bundle).
pub type FieldMessages = RwSignal<HashMap<&'static str, String>>;

/// A form's state. Cheap to copy.
pub struct FormState<F: 'static, T: 'static> {
    /// What the admin typed, exactly (nothing is lost on a failed submit).
    pub values: RwSignal<T>,
    /// The fields visited, by id.
    visited: RwSignal<HashSet<&'static str>>,
    pub submitted: RwSignal<bool>,
    /// Messages from the service, under their field.
    pub server_errors: FieldMessages,
    /// A field's element id (where the focus goes).
    id: fn(F) -> &'static str,
}

impl<F, T> Clone for FormState<F, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F, T> Copy for FormState<F, T> {}

impl<F, T> FormState<F, T>
where
    F: Copy + Eq + Hash + Send + Sync + 'static,
    T: Send + Sync + 'static,
{
    pub fn new(values: T, id: fn(F) -> &'static str) -> Self {
        Self::sharing(values, RwSignal::new(HashMap::new()), id)
    }

    /// A form whose service messages live in `server_errors`, kept by the
    /// page that sends it.
    pub fn sharing(values: T, server_errors: FieldMessages, id: fn(F) -> &'static str) -> Self {
        FormState {
            values: RwSignal::new(values),
            visited: RwSignal::new(HashSet::new()),
            submitted: RwSignal::new(false),
            server_errors,
            id,
        }
    }

    /// A submit: every message shows from now on, the service's last ones
    /// go, and `check` turns what was typed into the request, or names the
    /// first field with a problem, which gets the focus.
    pub fn submit<R>(self, check: impl FnOnce(&T) -> Result<R, Option<F>>) -> Option<R> {
        self.submitted.set(true);
        self.server_errors.set(HashMap::new());
        match self.values.with_untracked(check) {
            Ok(request) => Some(request),
            Err(first) => {
                if let Some(field) = first {
                    platform::focus_id((self.id)(field));
                }
                None
            }
        }
    }

    /// The service refused `field`: its message goes under it, with the focus.
    pub fn refused(self, field: F, message: String) {
        let id = (self.id)(field);
        self.server_errors.update(|m| {
            m.insert(id, message);
        });
        platform::focus_id(id);
    }

    /// The message under `field`: the service's, else the form's own check
    /// once the field was visited or a submit was tried.
    pub fn error(
        self,
        field: F,
        check: impl Fn(&T, F) -> Option<String> + Send + Sync + 'static,
    ) -> Signal<Option<String>> {
        let id = (self.id)(field);
        Signal::derive(move || {
            self.server_errors.with(|m| m.get(id).cloned()).or_else(|| {
                let shown = self.submitted.get() || self.visited.with(|v| v.contains(id));
                shown
                    .then(|| self.values.with(|v| check(v, field)))
                    .flatten()
            })
        })
    }

    /// One field's text, for the input.
    pub fn value(self, get: fn(&T) -> String) -> Signal<String> {
        Signal::derive(move || self.values.with(get))
    }

    /// Writes what is typed into `field`; clears the service's message for
    /// it and for the fields in `with` (checked together with it).
    pub fn setter(self, field: F, set: fn(&mut T, String), with: &'static [F]) -> Callback<String> {
        Callback::new(move |v: String| {
            self.values.update(|f| set(f, v));
            self.server_errors.update(|m| {
                m.remove((self.id)(field));
                if with.contains(&field) {
                    for other in with {
                        m.remove((self.id)(*other));
                    }
                }
            });
        })
    }

    /// Marks `field` visited when it loses focus.
    pub fn blur(self, field: F) -> Callback<()> {
        Callback::new(move |_| {
            let id = (self.id)(field);
            self.visited.update(|v| {
                v.insert(id);
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    enum F {
        Name,
        Password,
        Email,
    }

    fn id(f: F) -> &'static str {
        match f {
            F::Name => "name",
            F::Password => "password",
            F::Email => "email",
        }
    }

    #[derive(Default)]
    struct Typed {
        name: String,
        email: String,
    }

    /// "required" when the field is empty.
    fn check(t: &Typed, f: F) -> Option<String> {
        let v = match f {
            F::Name => &t.name,
            _ => &t.email,
        };
        v.is_empty().then(|| format!("{f:?} required"))
    }

    #[test]
    fn a_problem_shows_once_its_field_is_left_or_a_submit_was_tried() {
        let state = FormState::new(Typed::default(), id);
        let (name, email) = (state.error(F::Name, check), state.error(F::Email, check));
        assert_eq!((name.get(), email.get()), (None, None), "nothing said yet");
        state.blur(F::Name).run(());
        assert_eq!(name.get().as_deref(), Some("Name required"));
        assert_eq!(email.get(), None, "only the field left");
        state
            .setter(F::Name, |t, v| t.name = v, &[])
            .run("alice".into());
        assert_eq!(name.get(), None, "mended as typed");
        assert_eq!(state.value(|t| t.name.clone()).get(), "alice");

        // A submit shows every problem; a field without one says nothing.
        assert_eq!(state.submit(|_| Err::<(), _>(None)), None, "refused");
        assert_eq!(email.get().as_deref(), Some("Email required"));
        assert_eq!(name.get(), None);
        assert_eq!(
            state.values.with(|t| t.name.clone()),
            "alice",
            "nothing typed is lost"
        );
    }

    #[test]
    fn the_services_message_comes_first_and_typing_clears_it_with_its_group() {
        let state = FormState::new(
            Typed {
                name: "alice".into(),
                email: "a@example.com".into(),
            },
            id,
        );
        let (name, password, email) = (
            state.error(F::Name, check),
            state.error(F::Password, check),
            state.error(F::Email, check),
        );
        state.server_errors.update(|m| {
            m.insert("name", "taken".into());
            m.insert("password", "too close to the name".into());
            m.insert("email", "refused".into());
        });
        assert_eq!(name.get().as_deref(), Some("taken"));
        // The name and password are checked together: typing in one clears
        // the service's message of both, and of nothing else.
        const PAIR: &[F] = &[F::Name, F::Password];
        state
            .setter(F::Name, |t, v| t.name = v, PAIR)
            .run("alice2".into());
        assert_eq!((name.get(), password.get()), (None, None));
        assert_eq!(email.get().as_deref(), Some("refused"));
        // A field outside the group clears only its own.
        state.server_errors.update(|m| {
            m.insert("name", "taken".into());
        });
        state
            .setter(F::Email, |t, v| t.email = v, PAIR)
            .run("b@example.com".into());
        assert_eq!((name.get().as_deref(), email.get()), (Some("taken"), None));

        // A submit that passes hands over the request and forgets the
        // service's last messages.
        assert_eq!(
            state
                .submit(|t| Ok::<_, Option<F>>(t.name.clone()))
                .as_deref(),
            Some("alice2")
        );
        assert_eq!(name.get(), None);
        assert!(state.submitted.get());

        // A refusal of the service goes under its field.
        state.refused(F::Email, "in use".into());
        assert_eq!(email.get().as_deref(), Some("in use"));
        assert_eq!(name.get(), None);
    }
}
