//! Stopping a run of many writes (a bulk delete, enable, disable or
//! bandwidth change): **Stop**, leaving the page and **Forget** for that
//! cloud all end it before its next write. What was sent before stays done;
//! the rest is named in the summary as not done.

use leptos::prelude::*;
use sag_api::Vendor;

use super::session::Keys;

/// The stop switch of one page's runs. Cheap to copy.
#[derive(Clone, Copy)]
pub struct RunStop {
    pressed: RwSignal<bool>,
    keys: Keys,
    /// The keys' forget count when the current run started.
    started_with: StoredValue<u64>,
}

impl RunStop {
    /// Call when a run starts: clears an earlier **Stop** and returns the
    /// check the run asks before each write. The check says stop once
    /// **Stop** is pressed, once the page is gone (its signals are disposed
    /// with it) or once the cloud's keys were forgotten.
    pub fn start(&self) -> impl Fn() -> bool + Clone + 'static {
        self.pressed.set(false);
        self.started_with.set_value(self.keys.forgotten.get_value());
        let (pressed, keys, started_with) = (self.pressed, self.keys, self.started_with);
        move || {
            let forgotten = keys.forgotten.try_get_value();
            pressed.try_get_untracked().unwrap_or(true)
                || forgotten.is_none()
                || forgotten != started_with.try_get_value()
        }
    }

    /// **Stop**: the run ends before its next write.
    pub fn stop(&self) {
        self.pressed.set(true);
    }

    /// Whether **Stop** was pressed for the current run (tracked).
    pub fn stopping(&self) -> bool {
        self.pressed.get()
    }
}

/// A stop switch for runs holding `vendor`'s keys, owned by the calling
/// page: leaving the page stops them.
pub fn use_run_stop(vendor: Vendor) -> RunStop {
    RunStop {
        pressed: RwSignal::new(false),
        keys: super::use_session().keys(vendor),
        started_with: StoredValue::new(0),
    }
}
