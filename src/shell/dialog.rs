//! A modal dialog: focus moves into it, Tab stays inside, Escape cancels,
//! and focus returns where it was when it closes.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::plumbing::platform;

#[component]
pub fn Dialog(
    /// Heading, also the dialog's accessible name.
    #[prop(into)]
    title: String,
    /// Called on Escape (and by the caller's Cancel button).
    on_cancel: Callback<()>,
    children: Children,
) -> impl IntoView {
    let previous = platform::active_element().map(send_wrapper::SendWrapper::new);
    let node: NodeRef<leptos::html::Div> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            if let Some(first) = focusables(&el).into_iter().next() {
                let _ = first.focus();
            }
        }
    });
    on_cleanup(move || {
        if let Some(prev) = previous {
            let _ = prev.take().focus();
        }
    });
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            on_cancel.run(());
        } else if ev.key() == "Tab" {
            let Some(el) = node.get() else { return };
            let items = focusables(&el);
            let (Some(first), Some(last)) = (items.first(), items.last()) else {
                return;
            };
            let active = platform::active_element();
            let at = |x: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a == x);
            if ev.shift_key() && at(first) {
                ev.prevent_default();
                let _ = last.focus();
            } else if !ev.shift_key() && at(last) {
                ev.prevent_default();
                let _ = first.focus();
            }
        }
    };
    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" node_ref=node on:keydown=on_keydown>
                <h2 id="dialog-title">{title}</h2>
                {children()}
            </div>
        </div>
    }
}

fn focusables(root: &web_sys::HtmlDivElement) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = root.query_selector_all(
        "button:not([disabled]), input:not([disabled]), select, a[href], [tabindex='0']",
    ) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// The words of a question about several names at once.
pub struct ManyWords {
    pub title: fn(crate::i18n::Locale, usize) -> String,
    /// With the names, comma-separated.
    pub text: fn(crate::i18n::Locale, &str) -> String,
    pub warning: fn(crate::i18n::Locale) -> &'static str,
    pub button: fn(crate::i18n::Locale, usize) -> String,
    pub button_id: &'static str,
}

/// "Delete these 3 users?": names them all, warns, and hands the names to
/// `on_confirm`.
#[component]
pub fn ConfirmMany(
    names: Vec<String>,
    words: &'static ManyWords,
    on_confirm: Callback<Vec<String>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let count = names.len();
    let list = names.join(", ");
    let names = StoredValue::new(names);
    let l = move || i18n.get_locale();
    view! {
        <Dialog title=(words.title)(i18n.get_locale_untracked(), count) on_cancel=on_cancel>
            <p>{move || (words.text)(l(), &list)}</p>
            <p class="warning">{move || (words.warning)(l())}</p>
            <div class="actions">
                <button type="button" class="danger" id=words.button_id on:click=move |_| on_confirm.run(names.get_value())>
                    {move || (words.button)(l(), count)}
                </button>
                <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>{move || crate::i18n::td_string!(l(), online.cancel)}</button>
            </div>
        </Dialog>
    }
}
