//! Short messages ("Created alice01.") announced politely to screen readers.
//! They sit in the page's flow under the top bar, so they never cover a
//! control, and leave by themselves after 12 s or when dismissed.

use leptos::prelude::*;

use crate::plumbing::platform;

/// The notices on screen, shared through context.
#[derive(Clone, Copy)]
pub struct Notices(pub RwSignal<Vec<(u64, String)>>);

impl Notices {
    pub fn push(&self, text: impl Into<String>) {
        let id = platform::now_ms() as u64;
        let text = text.into();
        self.0.update(|list| list.push((id, text)));
        let list = self.0;
        set_timeout(
            move || {
                list.try_update(|l| l.retain(|(i, _)| *i != id));
            },
            std::time::Duration::from_secs(12),
        );
    }
}

pub fn use_notices() -> Notices {
    expect_context::<Notices>()
}

/// Where notices appear: between the top bar and the page.
#[component]
pub fn NoticeArea() -> impl IntoView {
    let notices = use_notices();
    view! {
        <div class="notices" role="status" aria-live="polite">
            <For each=move || notices.0.get() key=|(id, _)| *id children=move |(id, text)| view! {
                <div class="notice">
                    <span>{text}</span>
                    <button class="link" aria-label=crate::shell::language::tr(|l| crate::i18n::td_string!(l, shell.dismiss)) on:click=move |_| notices.0.update(|l| l.retain(|(i, _)| *i != id))>"×"</button>
                </div>
            } />
        </div>
    }
}
