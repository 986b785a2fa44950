//! The state every form keeps, once: what was typed, which fields were
//! visited, whether a submit was tried, and the service's messages per field.
//! A field shows its message once visited (or after a submit); typing clears
//! the service's message for that field (and for fields checked with it).

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use leptos::prelude::*;

/// A form's state. Cheap to copy.
pub struct FormState<F: 'static, T: 'static> {
    /// What the admin typed, exactly (nothing is lost on a failed submit).
    pub values: RwSignal<T>,
    pub visited: RwSignal<HashSet<F>>,
    pub submitted: RwSignal<bool>,
    /// Messages from the service, under their field.
    pub server_errors: RwSignal<HashMap<F, String>>,
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
    pub fn new(values: T, server_errors: RwSignal<HashMap<F, String>>) -> Self {
        FormState {
            values: RwSignal::new(values),
            visited: RwSignal::new(HashSet::new()),
            submitted: RwSignal::new(false),
            server_errors,
        }
    }

    /// The message under `field`: the service's, else the form's own check
    /// once the field was visited or a submit was tried.
    pub fn error(
        self,
        field: F,
        check: impl Fn(&T, F) -> Option<String> + Send + Sync + 'static,
    ) -> Signal<Option<String>> {
        Signal::derive(move || {
            self.server_errors
                .with(|m| m.get(&field).cloned())
                .or_else(|| {
                    let shown = self.submitted.get() || self.visited.with(|v| v.contains(&field));
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
                m.remove(&field);
                if with.contains(&field) {
                    for other in with {
                        m.remove(other);
                    }
                }
            });
        })
    }

    /// Marks `field` visited when it loses focus.
    pub fn blur(self, field: F) -> Callback<()> {
        Callback::new(move |_| {
            self.visited.update(|v| {
                v.insert(field);
            })
        })
    }
}
