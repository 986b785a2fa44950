//! Loading each part of the console when it is needed.
//!
//! A release build is split by area (docs/performance.md): the first load
//! holds the shell, the router and Settings; each area's pages are a part of
//! their own, fetched on the first visit to one of them. `part!` declares a
//! page's entry point: in a release build a split point of
//! `wasm_split_helpers` (the split itself is done after cargo by
//! `scripts/split-wasm.mjs`, from Trunk's `post_build` hook), in a debug
//! build (`trunk serve`, the browser tests) a plain function, so nothing
//! there depends on the split. `Part` shows a page once its part is loaded,
//! and a page with **Reload** when it cannot be (the network cut, or a new
//! deployment that replaced the files).

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use crate::i18n::td_string;
use crate::shell::language::tr;

/// A page's view, built in the part that holds its code.
pub type PageFn = fn() -> AnyView;

/// A part could not be loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartError;

impl From<leptos::wasm_split::SplitLoaderError> for PartError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        PartError
    }
}

/// A part's entry point, as `Part` calls it.
pub type Loader = fn() -> Pin<Box<dyn Future<Output = Result<PageFn, PartError>>>>;

/// Declares a page's entry point `$name` in the part `$part` (entry points
/// naming the same part share it), and `$preload`, which fetches the part
/// without showing the page.
#[macro_export]
macro_rules! part {
    ($(#[$meta:meta])* $vis:vis fn $name:ident, $preload:ident in $part:ident = $view:expr) => {
        $(#[$meta])*
        #[cfg(not(debug_assertions))]
        #[::leptos::wasm_split::wasm_split(
            $part,
            wasm_split_path = ::leptos::wasm_split,
            fallible,
            preload(#[allow(dead_code)] $preload)
        )]
        #[allow(improper_ctypes_definitions)]
        $vis fn $name() -> ::core::result::Result<$crate::shell::parts::PageFn, $crate::shell::parts::PartError> {
            ::core::result::Result::Ok($view)
        }

        $(#[$meta])*
        #[cfg(debug_assertions)]
        $vis async fn $name() -> ::core::result::Result<$crate::shell::parts::PageFn, $crate::shell::parts::PartError> {
            ::core::result::Result::Ok($view)
        }

        /// Fetches the part without showing the page (a debug build has
        /// nothing to fetch).
        #[cfg(debug_assertions)]
        #[allow(dead_code)]
        $vis async fn $preload() -> ::core::result::Result<(), ::leptos::wasm_split::SplitLoaderError> {
            ::core::result::Result::Ok(())
        }
    };
}

/// The page `load` gives, once its part is loaded: "Loading…" until then,
/// and a page with **Reload** if it cannot be loaded.
#[component]
pub fn Part(load: Loader) -> impl IntoView {
    let loaded: RwSignal<Option<Result<PageFn, PartError>>> = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        let result = load().await;
        loaded.try_set(Some(result));
    });
    move || {
        match loaded.get() {
        None => view! { <p class="progress" id="part-loading">{tr(|l| td_string!(l, shell.part_loading))}</p> }.into_any(),
        Some(Ok(page)) => page(),
        Some(Err(PartError)) => view! { <PartFailed /> }.into_any(),
    }
    }
}

/// A part that cannot be loaded: say so, and offer a reload (which fetches
/// the page anew, and with it the files of a newer deployment).
#[component]
fn PartFailed() -> impl IntoView {
    view! {
        <section class="page narrow" id="part-error" role="alert">
            <h1>{tr(|l| td_string!(l, shell.part_failed))}</h1>
            <p>{tr(|l| td_string!(l, shell.part_failed_text))}</p>
            <div class="actions">
                <button type="button" class="primary" id="part-reload" on:click=move |_| {
                    if let Some(w) = web_sys::window() {
                        // The address reloaded is the one written: a query still waiting goes first.
                        crate::shell::router::flush_address();
                        let _ = w.location().reload();
                    }
                }>{tr(|l| td_string!(l, shell.part_reload))}</button>
            </div>
        </section>
    }
}

/// A part's preload, as `prefetch_when_idle` runs it.
pub type Preload = fn() -> Pin<Box<dyn Future<Output = ()>>>;

/// How long a prefetch waits for the browser to be idle before it goes
/// anyway: a page kept busy (a long list, a slow machine) still gets its
/// next part before the admin clicks.
pub const PREFETCH_AT_MOST_AFTER_MS: u32 = 2_000;

/// Fetches a part when the browser is next idle (`requestIdleCallback`,
/// at most [`PREFETCH_AT_MOST_AFTER_MS`] later; where there is none, on the
/// next task): the likely next page.
pub fn prefetch_when_idle(preload: Preload) {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    let run = wasm_bindgen::closure::Closure::once_into_js(move || {
        leptos::task::spawn_local(preload());
    });
    let idle = js_sys::Reflect::get(&window, &"requestIdleCallback".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let _ = match idle {
        Some(idle) => {
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(
                &options,
                &"timeout".into(),
                &PREFETCH_AT_MOST_AFTER_MS.into(),
            );
            idle.call2(&window, &run, &options).map(drop)
        }
        None => window
            .set_timeout_with_callback(run.unchecked_ref())
            .map(drop),
    };
}

/// A key test's answer; when the keys passed, the page Connect leads to is
/// fetched while the admin reads.
pub fn prefetch_if_passed<T, E>(answer: Result<T, E>, first_page: Preload) -> Result<T, E> {
    if answer.is_ok() {
        prefetch_when_idle(first_page);
    }
    answer
}
