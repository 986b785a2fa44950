//! One table for every list (SAG users, CAM sub-users, who is online): rows
//! keyed by their position among the rows shown and drawn in a window once
//! the list is long, the selection column with its select-all box, the
//! sortable headers, the row just added scrolled into view and highlighted,
//! and keyboard use (the scroll box takes focus; ↑ and ↓ move between rows,
//! staying in the same column). The page gives what differs: its columns,
//! the cells of a row, and which rows are dimmed.

use std::collections::HashSet;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{td_string, use_i18n, Locale};
use crate::list_view::{window, VIRTUAL_FROM};

/// A row's height in a windowed table (`table-wrap.virtual` in the CSS).
/// Spacer heights are set through the CSSOM (`style:height`), which the
/// Content-Security-Policy allows, unlike `style` attributes.
const ROW_HEIGHT_PX: usize = 42;

/// The key (a user name) of the row at a position among the rows shown.
/// Reactive: a row reading it follows whichever row is there now.
pub type KeyAt = Arc<dyn Fn(usize) -> Option<String> + Send + Sync>;

/// A row's cells after the selection column, for the key at its position
/// (and the position itself).
pub type Cells = Arc<dyn Fn(Memo<String>, usize) -> AnyView + Send + Sync>;

/// A test on a row's key (whether it is dimmed).
pub type KeyTest = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// The selection column: which rows are ticked, and the name of the box
/// in the header (a row's box is "Select alice" in every list).
#[derive(Clone, Copy)]
pub struct Selection {
    pub selected: RwSignal<HashSet<String>>,
    pub all_label: fn(Locale) -> &'static str,
}

/// What the table says when no row is shown: `none` when there is nothing
/// at all, `no_match` when the search hides everything.
#[derive(Clone, Copy)]
pub struct Empty {
    pub total: Signal<usize>,
    pub none: fn(Locale) -> &'static str,
    pub no_match: fn(Locale) -> &'static str,
    pub id: &'static str,
}

/// The table. `head` is the header cells between the selection column and
/// the row actions (`shell::list::sort_headers`); `columns` counts them.
#[component]
pub fn DataTable(
    id: &'static str,
    /// The scroll box's name for assistive technology.
    label: fn(Locale) -> &'static str,
    len: Signal<usize>,
    key_at: KeyAt,
    head: AnyView,
    columns: usize,
    cells: Cells,
    #[prop(optional)] selection: Option<Selection>,
    /// The row just added: highlighted, and scrolled into view once.
    #[prop(optional)]
    highlight: Option<RwSignal<Option<String>>>,
    #[prop(optional)] dimmed: Option<KeyTest>,
    #[prop(optional)] empty: Option<Empty>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Long lists render only what is on screen.
    let windowed = Memo::new(move |_| len.get() > VIRTUAL_FROM);
    let scroll: RwSignal<(f64, f64)> = RwSignal::new((0.0, 720.0));
    let wrap = NodeRef::<leptos::html::Div>::new();
    let range = Memo::new(move |_| {
        let n = len.get();
        if windowed.get() {
            let (top, height) = scroll.get();
            window(n, top, height, ROW_HEIGHT_PX as f64, 12)
        } else {
            (0, n)
        }
    });
    let key_at = StoredValue::new(key_at);
    let key_of = move |position: usize| key_at.with_value(|k| k(position));
    if let Some(highlight) = highlight {
        scroll_into_view(highlight, len, key_of, windowed, wrap, scroll);
    }
    let colspan = (columns + 1 + usize::from(selection.is_some())).to_string();
    let spacer = move |rows: Signal<usize>| {
        let colspan = colspan.clone();
        view! {
            <Show when=move || windowed.get()>
                <tr class="spacer" aria-hidden="true"><td colspan=colspan.clone() style:height=move || format!("{}px", rows.get() * ROW_HEIGHT_PX)></td></tr>
            </Show>
        }
    };
    let above = Signal::derive(move || range.get().0);
    let below = Signal::derive(move || len.get() - range.get().1);
    let dimmed = StoredValue::new(dimmed);
    // Rows are keyed on their position among the rows shown: a keystroke
    // or a sort rewrites the text of the rows on screen in place (no row is
    // torn down and built again), and scrolling adds and removes only the
    // rows that enter or leave the window.
    let row = move |position: usize| {
        let key = Memo::new(move |_| key_of(position).unwrap_or_default());
        let is_new = move || {
            highlight.is_some_and(|h| h.with(|h| key.with(|k| h.as_deref() == Some(k.as_str()))))
        };
        let dim = move || dimmed.with_value(|d| d.as_ref().is_some_and(|d| key.with(|k| d(k))));
        view! {
            <tr class:row-new=is_new class:row-disabled=dim data-user=key aria-rowindex=position + 2>
                {selection.map(|s| select_cell(s, key))}
                {cells(key, position)}
            </tr>
        }
    };
    view! {
        <div
            class="table-wrap"
            node_ref=wrap
            class:virtual=move || windowed.get()
            role="region"
            aria-label=move || label(i18n.get_locale())
            tabindex=move || windowed.get().then_some("0")
            on:scroll=move |ev| {
                if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                    scroll.set((f64::from(el.scroll_top()), f64::from(el.client_height())));
                }
            }
        ><table class="data" id=id aria-rowcount=move || len.get() + 1>
            <thead>
                <tr aria-rowindex="1">
                    {selection.map(|s| select_all_cell(s, len, key_of))}
                    {head}
                    <th scope="col">{move || td_string!(i18n.get_locale(), online.actions)}</th>
                </tr>
            </thead>
            <tbody on:keydown=move_between_rows>
                {spacer(above)}
                <For each=move || { let (start, end) = range.get(); start..end } key=|position| *position children=row />
                {spacer(below)}
            </tbody>
        </table></div>
        {empty.map(|e| view! {
            <Show when=move || len.get() == 0>
                <p class="empty" id=e.id>{move || if e.total.get() == 0 { (e.none)(i18n.get_locale()) } else { (e.no_match)(i18n.get_locale()) }}</p>
            </Show>
        })}
    }
}

/// A row's selection box.
fn select_cell(s: Selection, key: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <td class="check">
            <input
                type="checkbox"
                aria-label=move || key.with(|name| td_string!(i18n.get_locale(), users.select, name).to_string())
                prop:checked=move || key.with(|k| s.selected.with(|s| s.contains(k)))
                on:change:target=move |ev| {
                    let on = ev.target().checked();
                    let key = key.get_untracked();
                    s.selected.update(|s| { if on { s.insert(key); } else { s.remove(&key); } });
                }
            />
        </td>
    }
}

/// The header's box: ticks (or clears) every row shown.
fn select_all_cell(
    s: Selection,
    len: Signal<usize>,
    key_of: impl Fn(usize) -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let all_shown_selected = move || {
        let n = len.get();
        n > 0
            && s.selected
                .with(|sel| (0..n).all(|p| key_of(p).is_some_and(|k| sel.contains(&k))))
    };
    view! {
        <th scope="col" class="check">
            <input
                type="checkbox"
                aria-label=move || (s.all_label)(i18n.get_locale())
                prop:checked=all_shown_selected
                on:change:target=move |ev| {
                    let all = ev.target().checked();
                    let shown: Vec<String> = (0..len.get_untracked()).filter_map(key_of).collect();
                    s.selected.update(|sel| for k in shown { if all { sel.insert(k); } else { sel.remove(&k); } });
                }
            />
        </th>
    }
}

/// Scrolls the highlighted row into view once, when it is first listed (a
/// long list draws only the rows on screen).
fn scroll_into_view(
    highlight: RwSignal<Option<String>>,
    len: Signal<usize>,
    key_of: impl Fn(usize) -> Option<String> + Copy + Send + Sync + 'static,
    windowed: Memo<bool>,
    wrap: NodeRef<leptos::html::Div>,
    scroll: RwSignal<(f64, f64)>,
) {
    let scrolled_to: StoredValue<Option<String>> = StoredValue::new(None);
    Effect::new(move |_| {
        let Some(key) = highlight.get() else {
            return;
        };
        if scrolled_to.with_value(|s| s.as_deref() == Some(key.as_str())) {
            return;
        }
        let position = (0..len.get()).position(|p| key_of(p).as_deref() == Some(key.as_str()));
        let (Some(position), Some(wrap)) = (position, wrap.get()) else {
            return;
        };
        scrolled_to.set_value(Some(key));
        if windowed.get_untracked() {
            let top = position.saturating_sub(2) * ROW_HEIGHT_PX;
            wrap.set_scroll_top(top as i32);
            scroll.set((top as f64, f64::from(wrap.client_height())));
        }
    });
}

/// ↑ and ↓ on a control in a row move focus to the same column's control
/// in the row above or below (the window keeps a dozen rows drawn beyond
/// each edge, so the next row is always there; focusing it scrolls it in).
fn move_between_rows(ev: web_sys::KeyboardEvent) {
    let down = match ev.key().as_str() {
        "ArrowDown" => true,
        "ArrowUp" => false,
        _ => return,
    };
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let (Ok(Some(cell)), Ok(Some(row))) = (target.closest("td"), target.closest("tr")) else {
        return;
    };
    let mut column = 1;
    let mut before = cell.previous_element_sibling();
    while let Some(c) = before {
        column += 1;
        before = c.previous_element_sibling();
    }
    let mut next = if down {
        row.next_element_sibling()
    } else {
        row.previous_element_sibling()
    };
    while let Some(r) = next.as_ref().filter(|r| r.has_attribute("aria-hidden")) {
        next = if down {
            r.next_element_sibling()
        } else {
            r.previous_element_sibling()
        };
    }
    let focusable = format!("td:nth-child({column}) :is(input, button, a[href])");
    let Some(control) = next
        .and_then(|r| r.query_selector(&focusable).ok().flatten())
        .and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    ev.prevent_default();
    let _ = control.focus();
}

/// The bar over a list that acts on its selection; the page gives the
/// buttons.
#[component]
pub fn SelectionBar(
    label_id: &'static str,
    label: fn(Locale) -> &'static str,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="toolbar selection" role="group" aria-labelledby=label_id>
            <span class="muted" id=label_id>{move || label(i18n.get_locale())}</span>
            {children()}
        </div>
    }
}
