//! What every list page shares: its view state (search, sort column,
//! direction) kept in the URL query, and the sortable column headers.

use super::router::{use_location, use_navigate, use_query_map, NavigateOptions};
use crate::i18n::{use_i18n, Locale};
use leptos::prelude::*;

use crate::list_view::{Column, ListView};

/// The list's view state read from the URL, and a setter that writes it
/// back (replacing the history entry, keeping the scroll position), so a
/// bookmark or a shared link shows the same view.
pub fn use_list_view<K>() -> (Memo<ListView<K>>, Callback<ListView<K>>)
where
    K: Column + Send + Sync + std::fmt::Debug,
{
    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    let view_state = Memo::new(move |_| {
        let q = query.read();
        ListView::from_query(q.get_str("q"), q.get_str("sort"), q.get_str("dir"))
    });
    let set_view = Callback::new(move |v: ListView<K>| {
        navigate(
            &format!("{}{}", location.pathname.get_untracked(), v.to_query()),
            NavigateOptions {
                replace: true,
                scroll: false,
            },
        );
    });
    (view_state, set_view)
}

/// A column header that sorts by its column (or flips the direction) and
/// announces the order (`aria-sort`).
pub fn sort_header<K>(
    view_state: Memo<ListView<K>>,
    set_view: Callback<ListView<K>>,
    key: K,
) -> impl IntoView
where
    K: Column + Send + Sync + std::fmt::Debug,
{
    let aria = move || view_state.with(|v| v.aria_sort(key));
    let i18n = use_i18n();
    view! {
        <th scope="col" aria-sort=aria>
            <button type="button" class="sort" on:click=move |_| set_view.run(view_state.get_untracked().toggled(key))>
                {move || key.label(i18n.get_locale())}
                <span aria-hidden="true">{move || match aria() { "ascending" => " ▲", "descending" => " ▼", _ => "" }}</span>
            </button>
        </th>
    }
}

/// Every column's sortable header, in the order the columns are shown.
pub fn sort_headers<K>(view_state: Memo<ListView<K>>, set_view: Callback<ListView<K>>) -> AnyView
where
    K: Column + Send + Sync + std::fmt::Debug,
{
    K::ALL
        .iter()
        .map(|k| sort_header(view_state, set_view, *k))
        .collect_view()
        .into_any()
}

/// The search box: its text lives in the URL (`?q=`), so it survives a reload.
pub fn search_box<K>(
    id: &'static str,
    label: fn(Locale) -> &'static str,
    placeholder: fn(Locale) -> &'static str,
    view_state: Memo<ListView<K>>,
    set_view: Callback<ListView<K>>,
) -> impl IntoView
where
    K: Column + Send + Sync + std::fmt::Debug,
{
    let i18n = use_i18n();
    view! {
        <label for=id class="visually-hidden">{move || label(i18n.get_locale())}</label>
        <input
            id=id
            type="search"
            placeholder=move || placeholder(i18n.get_locale())
            prop:value=move || view_state.with(|v| v.search.clone())
            on:input:target=move |ev| set_view.run(ListView { search: ev.target().value(), ..view_state.get_untracked() })
        />
    }
}
