//! The few browser facilities the console needs, behind plain functions:
//! the clock, randomness, local storage, the clipboard and focus.

use wasm_bindgen::JsCast;

/// Unix seconds from the browser clock.
pub fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

/// Milliseconds from the browser clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Offset of local time east of UTC, in minutes.
pub fn local_offset_minutes() -> i64 {
    -(js_sys::Date::new_0().get_timezone_offset() as i64)
}

/// 16 bytes from `crypto.getRandomValues`; falls back to `Math.random` only
/// if the Web Crypto API is missing (nonces need uniqueness, not secrecy).
pub fn random16() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

pub fn storage_get(key: &str) -> Option<String> {
    local_storage().and_then(|s| s.get_item(key).ok().flatten())
}

/// The keys of this origin's local storage that start with `prefix`.
pub fn storage_keys(prefix: &str) -> Vec<String> {
    let Some(s) = local_storage() else {
        return Vec::new();
    };
    let count = s.length().unwrap_or(0);
    (0..count)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect()
}

pub fn storage_set(key: &str, value: &str) -> bool {
    local_storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Calls `f(key, new value)` for every change another tab makes to this
/// origin's local storage (the `storage` event), for the page's lifetime.
pub fn on_storage(f: impl Fn(String, Option<String>) + 'static) {
    use wasm_bindgen::closure::Closure;
    let Some(window) = web_sys::window() else {
        return;
    };
    let listener =
        Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |e: web_sys::StorageEvent| {
            if let Some(key) = e.key() {
                f(key, e.new_value());
            }
        });
    let _ = window.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
    listener.forget();
}

pub fn storage_remove(key: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(key);
    }
    if let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = s.remove_item(key);
    }
}

/// Copies text with the async Clipboard API (called dynamically: web-sys
/// marks it unstable). Returns false where the browser refuses.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = window.navigator();
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &"clipboard".into()) else {
        return false;
    };
    if clipboard.is_undefined() {
        return false;
    }
    let Ok(write) = js_sys::Reflect::get(&clipboard, &"writeText".into()) else {
        return false;
    };
    let Ok(write) = write.dyn_into::<js_sys::Function>() else {
        return false;
    };
    let Ok(promise) = write.call1(&clipboard, &text.into()) else {
        return false;
    };
    let Ok(promise) = promise.dyn_into::<js_sys::Promise>() else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Moves keyboard focus to the element with `id`, if it exists. Outside
/// a browser (the native tests of the form model) there is none.
pub fn focus_id(id: &str) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The element that has focus now, to give focus back after a dialog.
pub fn active_element() -> Option<web_sys::HtmlElement> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

/// Whether the page is visible (polling stops while it is hidden).
pub fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// Sleeps `ms` milliseconds.
pub async fn sleep_ms(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// Offers `text` as a file download named `filename` (a Blob and a
/// temporary link; nothing leaves the browser). Returns false if the browser refuses.
pub fn download(filename: &str, mime: &str, text: &str) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let done = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .map(|a| {
            a.set_href(&url);
            a.set_download(filename);
            a.click();
        })
        .is_some();
    let _ = web_sys::Url::revoke_object_url(&url);
    done
}

/// Empties, at once, the text of every element `selector` matches (what a
/// page shows of a secret, before the browser may keep the page in its
/// back/forward cache).
pub fn wipe_text(selector: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(found) = document.query_selector_all(selector) {
        for i in 0..found.length() {
            if let Some(node) = found.item(i) {
                node.set_text_content(None);
            }
        }
    }
}

/// While held, leaving or reloading the page asks the browser's "Leave
/// site?" question; dropping it removes the question.
pub struct LeaveGuard {
    listener: Option<wasm_bindgen::closure::Closure<dyn Fn(web_sys::BeforeUnloadEvent)>>,
}

impl LeaveGuard {
    pub fn new() -> LeaveGuard {
        let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::BeforeUnloadEvent)>::new(
            |ev: web_sys::BeforeUnloadEvent| {
                ev.prevent_default();
                ev.set_return_value("The one-time credentials cannot be shown again.");
            },
        );
        if let Some(w) = web_sys::window() {
            let _ = w.add_event_listener_with_callback(
                "beforeunload",
                listener.as_ref().unchecked_ref(),
            );
        }
        LeaveGuard {
            listener: Some(listener),
        }
    }
}

impl Default for LeaveGuard {
    fn default() -> Self {
        LeaveGuard::new()
    }
}

impl Drop for LeaveGuard {
    fn drop(&mut self) {
        if let (Some(w), Some(listener)) = (web_sys::window(), self.listener.take()) {
            let _ = w.remove_event_listener_with_callback(
                "beforeunload",
                listener.as_ref().unchecked_ref(),
            );
        }
    }
}
