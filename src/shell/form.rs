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
