//! One labelled form field for every form: the input, a hint under it, and
//! its message (announced), wired with `aria-invalid` and `aria-describedby`.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A text input with its label, hint and message.
#[component]
pub fn TextField(
    /// The input's element id (also its name); hint and message ids derive from it.
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] hint: Signal<String>,
    /// The input type: `text`, `email`, `password`, `tel`.
    #[prop(into)]
    kind: Signal<String>,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    /// Called when the field loses focus (fields are checked once visited).
    #[prop(optional)]
    on_blur: Option<Callback<()>>,
    /// The message to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    #[prop(optional)] autocomplete: &'static str,
    /// Buttons beside the input (Show, Generate, …).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id>{move || label.get()}</label>
            <div class="with-button">
                <input
                    id=id
                    name=id
                    type=move || kind.get()
                    spellcheck="false"
                    autocomplete=if autocomplete.is_empty() { "off" } else { autocomplete }
                    aria-invalid=move || error.get().is_some().to_string()
                    aria-describedby=format!("{hint_id} {error_id}")
                    prop:value=move || value.get()
                    on:input:target=move |ev| on_input.run(ev.target().value())
                    on:blur=move |ev| {
                        // Not when the focus goes to a button (Save, Cancel,
                        // Generate): a message appearing then would move the
                        // button away from under the pointer, and the click
                        // would be lost. A submit shows every message anyway.
                        let to_button = ev
                            .related_target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                            .is_some_and(|t| t.tag_name() == "BUTTON");
                        if let (Some(blur), false) = (on_blur, to_button) {
                            blur.run(());
                        }
                    }
                />
                {children.map(|c| c())}
            </div>
            <p id=hint_id class="hint">{move || hint.get()}</p>
            <p id=error_id class="field-error" role="alert" aria-live="assertive">{move || error.get()}</p>
        </div>
    }
}

/// A checkbox with its label and an optional hint.
#[component]
pub fn CheckField(
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Option<String>,
    checked: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <div class="field checkbox">
            <input id=id type="checkbox" prop:checked=move || checked.get() on:change:target=move |ev| checked.set(ev.target().checked()) />
            <label for=id>{move || label.get()}</label>
            {hint.map(|h| view! { <span class="hint">{h}</span> })}
        </div>
    }
}
