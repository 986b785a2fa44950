//! The console's router: the address as two signals (path and query), the
//! History API, and one click handler for the console's own links.
//!
//! It replaces leptos_router, whose route tree is generic code that cost
//! about 110 KB of the wasm (docs/performance.md) for eleven routes. What
//! the console relied on is kept: links are plain `<a href>` caught by one
//! listener (modifier keys, `target`, `download` and links leaving the
//! console's base are left to the browser); Back and Forward follow
//! `popstate`; the sub-path from `<base href>` is added and removed here;
//! a navigation scrolls to the top unless told not to; a link to the page
//! shown carries `aria-current="page"`. Matching a path to a page is the
//! `shell::routes` (`Page::of`).

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The address, without the sub-path the console is served under.
#[derive(Debug, Clone, Copy)]
pub struct Location {
    /// `/sag/cn-shanghai/sag-app-hq01`.
    pub pathname: RwSignal<String>,
    /// `?q=alice&sort=email`, or empty.
    pub search: RwSignal<String>,
}

impl Location {
    /// Moves to `path` and `search`, telling only what changed (a keystroke
    /// in a list's search box changes the query, not the page).
    fn set(&self, path: String, search: String) {
        if self.pathname.with_untracked(|p| *p != path) {
            self.pathname.set(path);
        }
        if self.search.with_untracked(|s| *s != search) {
            self.search.set(search);
        }
    }
}

/// What a held [`LeavingGuard`] does with a navigation: it hears where to.
type LeavingQuestion = std::rc::Rc<dyn Fn(String)>;

thread_local! {
    static CURRENT: RefCell<Option<Location>> = const { RefCell::new(None) };
    /// Asked before any navigation inside the console while set.
    static LEAVING: RefCell<Option<LeavingQuestion>> = const { RefCell::new(None) };
}

/// While held, every navigation inside the console (a link, a `navigate`,
/// the browser's Back and Forward) is held back and `ask` hears where it
/// was going (a console path); to go on, drop the guard, then `navigate`.
/// Leaving the console itself is the browser's `beforeunload` question
/// (`platform::LeaveGuard`).
pub struct LeavingGuard(());

impl LeavingGuard {
    pub fn new(ask: impl Fn(String) + 'static) -> LeavingGuard {
        LEAVING.with(|l| *l.borrow_mut() = Some(std::rc::Rc::new(ask)));
        LeavingGuard(())
    }
}

impl Drop for LeavingGuard {
    fn drop(&mut self) {
        LEAVING.with(|l| l.borrow_mut().take());
    }
}

/// The guard's question, if one is held (cloned out, so that `ask` may
/// drop the guard).
fn leaving_question() -> Option<LeavingQuestion> {
    LEAVING.with(|l| l.borrow().clone())
}

/// The router's location (inside [`Router`]).
pub fn use_location() -> Location {
    CURRENT.with(|c| *c.borrow()).expect("inside the Router")
}

/// How [`navigate`] moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NavigateOptions {
    /// Replace the current history entry instead of adding one.
    pub replace: bool,
    /// Scroll to the top afterwards.
    pub scroll: bool,
}

impl Default for NavigateOptions {
    fn default() -> Self {
        NavigateOptions {
            replace: false,
            scroll: true,
        }
    }
}

/// Moves to `to`, a console path (`/cam?q=x`, without the sub-path the
/// console is served under, which is added here).
pub fn navigate(to: &str, options: NavigateOptions) {
    if let Some(ask) = leaving_question() {
        ask(to.to_owned());
        return;
    }
    let (path, search) = match to.find('?') {
        Some(at) => (&to[..at], &to[at..]),
        None => (to, ""),
    };
    let path = if path.is_empty() { "/" } else { path }.to_owned();
    let url = format!("{}{path}{search}", crate::shell::routes::base_path());
    let same_page = read_address().0 == path;
    if options.replace && same_page {
        write_address_soon(url);
    } else {
        write_address(&url, options.replace);
    }
    if let Some(location) = CURRENT.with(|c| *c.borrow()) {
        location.set(path, search.to_owned());
    }
    if options.scroll {
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// How long the address waits for the query to settle: a query-only
/// change (a keystroke in a list's search box, a sort click) is written to
/// the browser's history once the typing pauses, not on every keystroke.
/// Chromium's `history.replaceState` costs 2–4 ms of the keystroke's task
/// at 2,000 users (a CPU profile of the scale benchmark), a quarter of the
/// 16 ms budget, and the browser throttles a page that calls it too often.
/// The console reads its state from the router's signals, which change at
/// once; only the address bar waits.
pub const ADDRESS_QUIET_MS: i32 = 300;

thread_local! {
    /// The query-only address waiting to be written, and its timer.
    static PENDING: RefCell<Option<(String, i32)>> = const { RefCell::new(None) };
    static WRITE_PENDING: Closure<dyn Fn()> = Closure::new(flush_address);
}

/// Writes `url` to the history: a new entry, or in place of this one. A
/// query waiting to be written goes first, so the entry being left keeps
/// the view it showed (Back returns to the list as it was searched).
fn write_address(url: &str, replace: bool) {
    flush_address();
    if let Ok(history) = window().history() {
        let _ = if replace {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        } else {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        };
    }
}

/// Writes `url` in place of this entry once [`ADDRESS_QUIET_MS`] pass
/// without another query change.
fn write_address_soon(url: String) {
    take_pending_address();
    let w = window();
    let timer = WRITE_PENDING.with(|f| {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(
            f.as_ref().unchecked_ref(),
            ADDRESS_QUIET_MS,
        )
    });
    match timer {
        Ok(timer) => PENDING.with(|p| *p.borrow_mut() = Some((url, timer))),
        Err(_) => write_address(&url, true),
    }
}

/// Writes the query waiting for its pause now: before the console moves on,
/// reloads, or is left.
pub fn flush_address() {
    if let Some(url) = take_pending_address() {
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// The query waiting to be written, if any, with its timer stopped. Alone,
/// it forgets the query: after Back or Forward the browser is on another
/// entry, which the write must not overwrite.
fn take_pending_address() -> Option<String> {
    let (url, timer) = PENDING.with(|p| p.borrow_mut().take())?;
    window().clear_timeout_with_handle(timer);
    Some(url)
}

/// For call sites written against a router hook: [`navigate`] itself.
pub fn use_navigate() -> fn(&str, NavigateOptions) {
    navigate
}

/// The query string as pairs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueryMap(Vec<(String, String)>);

impl QueryMap {
    pub fn parse(search: &str) -> QueryMap {
        QueryMap(sag_api::wire::parse_pairs(search.trim_start_matches('?')).unwrap_or_default())
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.get_str(key).map(str::to_owned)
    }
}

/// The query string, parsed again only when it changes.
pub fn use_query_map() -> Memo<QueryMap> {
    let location = use_location();
    Memo::new(move |_| location.search.with(|s| QueryMap::parse(s)))
}

/// The browser's address as the console's path and query.
fn read_address() -> (String, String) {
    let location = window().location();
    let path = super::app_path(&location.pathname().unwrap_or_else(|_| "/".into()));
    (path, location.search().unwrap_or_default())
}

/// What a click on a link asks of the router.
enum Follow {
    /// A page of the console (path and query, with the sub-path).
    Page(String),
    /// An element of this page (`href="#main"`, the skip link): with
    /// `<base href>` the browser would resolve it against the base and load
    /// the start page, losing keys held only in memory.
    InPage(String),
}

/// The `<a>` a click landed in, when the router should handle it: a plain
/// left click on a link into the console's own pages.
fn link_to_follow(ev: &web_sys::MouseEvent) -> Option<Follow> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.alt_key()
        || ev.ctrl_key()
        || ev.shift_key()
    {
        return None;
    }
    let link = ev
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("a[href]")
        .ok()??;
    if link.has_attribute("download")
        || link
            .get_attribute("target")
            .is_some_and(|t| !t.is_empty() && t != "_self")
        || link
            .get_attribute("rel")
            .is_some_and(|r| r.split_whitespace().any(|r| r == "external"))
    {
        return None;
    }
    if let Some(id) = link
        .get_attribute("href")
        .and_then(|h| h.strip_prefix('#').map(str::to_owned))
    {
        return Some(Follow::InPage(id));
    }
    let href = link.dyn_into::<web_sys::HtmlAnchorElement>().ok()?.href();
    let url = web_sys::Url::new(&href).ok()?;
    let here = window().location();
    if Some(url.origin()) != here.origin().ok() || !url.hash().is_empty() {
        return None;
    }
    // Inside the console's base: the console path is what follows it.
    let base = crate::shell::routes::base_path();
    let pathname = url.pathname();
    let path = match pathname.strip_prefix(&base)? {
        "" => "/",
        p if p.starts_with('/') => p,
        _ => return None,
    };
    Some(Follow::Page(format!("{path}{}", url.search())))
}

/// Holds the address for everything inside it and follows the console's
/// own links and the browser's Back and Forward.
#[component]
pub fn Router(children: Children) -> impl IntoView {
    let (path, search) = read_address();
    let location = Location {
        pathname: RwSignal::new(path),
        search: RwSignal::new(search),
    };
    CURRENT.with(|c| *c.borrow_mut() = Some(location));

    let on_pop = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
        take_pending_address();
        let (path, search) = read_address();
        if let Some(ask) = leaving_question() {
            // The browser has moved already: put the page's address back
            // and ask (going on then navigates there anew).
            let here = format!(
                "{}{}{}",
                crate::shell::routes::base_path(),
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            if let Ok(history) = window().history() {
                let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&here));
            }
            ask(format!("{path}{search}"));
            return;
        }
        location.set(path, search);
    });
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        match link_to_follow(&ev) {
            Some(Follow::Page(to)) => {
                ev.prevent_default();
                navigate(&to, NavigateOptions::default());
            }
            Some(Follow::InPage(id)) => {
                ev.prevent_default();
                if let Some(target) = document()
                    .get_element_by_id(&id)
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    target.scroll_into_view();
                    let _ = target.focus();
                }
            }
            None => {}
        }
    });
    let _ = window().add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    let _ = document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    // Leaving or reloading the page writes a query still waiting.
    WRITE_PENDING.with(|f| {
        let _ = window().add_event_listener_with_callback("pagehide", f.as_ref().unchecked_ref());
    });
    let listeners = StoredValue::new_local(Some((on_pop, on_click)));
    on_cleanup(move || {
        flush_address();
        WRITE_PENDING.with(|f| {
            let _ = window()
                .remove_event_listener_with_callback("pagehide", f.as_ref().unchecked_ref());
        });
        if let Some((pop, click)) = listeners.try_update_value(|l| l.take()).flatten() {
            let _ = window()
                .remove_event_listener_with_callback("popstate", pop.as_ref().unchecked_ref());
            let _ = document()
                .remove_event_listener_with_callback("click", click.as_ref().unchecked_ref());
        }
        CURRENT.with(|c| c.borrow_mut().take());
    });
    children()
}

/// Whether a link to `target` (a console path, query ignored) is the page at
/// `current`: the same path, or (unless `exact`) a page under it.
pub fn is_current(current: &str, target: &str, exact: bool) -> bool {
    let target = target.split('?').next().unwrap_or_default();
    let trim = |p: &str| {
        let t = p.trim_end_matches('/');
        if t.is_empty() {
            "/".to_owned()
        } else {
            t.to_owned()
        }
    };
    let (current, target) = (trim(current), trim(target));
    current == target || (!exact && target != "/" && current.starts_with(&format!("{target}/")))
}

/// A link to one of the console's pages (`href` as made by `shell::href`),
/// marked `aria-current="page"` while that page is shown.
#[component]
pub fn A(
    #[prop(into)] href: Signal<String>,
    /// Current only on exactly this path, not on the pages under it.
    #[prop(optional)]
    exact: bool,
    children: Children,
) -> impl IntoView {
    let location = use_location();
    let current = move || {
        let target = super::app_path(&href.get());
        location
            .pathname
            .with(|p| is_current(p, &target, exact))
            .then_some("page")
    };
    view! { <a href=href aria-current=current>{children()}</a> }
}

/// Moves to `path` as soon as it is shown, replacing the history entry.
#[component]
pub fn Redirect(#[prop(into)] path: String) -> impl IntoView {
    Effect::new(move |_| {
        navigate(
            &path,
            NavigateOptions {
                replace: true,
                ..NavigateOptions::default()
            },
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_current_on_its_page_and_below_unless_exact() {
        assert!(is_current("/sag", "/sag", true));
        assert!(is_current("/sag/", "/sag", true));
        assert!(is_current("/sag/cn-shanghai/x", "/sag", false));
        assert!(!is_current("/sag/cn-shanghai/x", "/sag", true));
        assert!(!is_current("/sagx", "/sag", false));
        assert!(is_current("/sag", "/sag?region=cn-shanghai", true));
        assert!(
            !is_current("/cam", "/", false),
            "the start is not every page"
        );
        assert!(is_current("/", "/", true));
    }

    #[test]
    fn the_query_is_read_as_decoded_pairs() {
        let q = QueryMap::parse("?q=alice%20w&sort=email&next=%2Fcam%3Fq%3Dx");
        assert_eq!(q.get_str("q"), Some("alice w"));
        assert_eq!(q.get("next").as_deref(), Some("/cam?q=x"));
        assert_eq!(q.get_str("dir"), None);
        assert_eq!(QueryMap::parse(""), QueryMap::default());
    }
}
