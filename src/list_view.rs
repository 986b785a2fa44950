//! A list's view state as it lives in the URL query (`?q=…&sort=…&dir=desc`):
//! the search text, the sort column and its direction. Shared by the SAG and
//! CAM lists, each with its own columns.

use std::cmp::Ordering;

/// Puts `positions` in the order of `cmp`. Every sort of the console goes
/// through this one function: each `sort_by` with a closure of its own is
/// a copy of the standard library's sort in the bundle (2 to 4 KB of code
/// each; there were 17), while this one is shared by all. Not stable:
/// callers break their ties.
#[inline(never)]
pub fn sort_positions(positions: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    positions.sort_unstable_by(|&a, &b| cmp(a, b));
}

/// Sorts `items` by `cmp`, keeping the order of equal items (stable), with
/// [`sort_positions`].
pub fn sort_items<T>(items: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &|a, b| {
        cmp(&items[a], &items[b]).then(a.cmp(&b))
    });
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts names in byte order, with [`sort_positions`].
pub fn sort_names(names: &mut Vec<String>) {
    sort_items(names, &|a, b| a.cmp(b));
}

/// Tables longer than this render only the rows on screen.
pub const VIRTUAL_FROM: usize = 60;

/// Which rows of a virtualised table to render: `(first, end)` for a
/// viewport `height` px tall scrolled `scroll_top` px down, rows `row_height`
/// px tall, with `overscan` rows beyond each edge.
pub fn window(
    rows: usize,
    scroll_top: f64,
    height: f64,
    row_height: f64,
    overscan: usize,
) -> (usize, usize) {
    if rows == 0 || row_height <= 0.0 {
        return (0, 0);
    }
    let first = (scroll_top.max(0.0) / row_height) as usize;
    let shown = (height.max(0.0) / row_height).ceil() as usize + 1;
    let start = first.saturating_sub(overscan).min(rows);
    let end = (first + shown + overscan).min(rows);
    (start, end.max(start))
}

/// A column a list can be sorted by.
pub trait Column: Copy + Eq + Default + 'static {
    /// Every column, in the order they are shown.
    const ALL: &'static [Self];
    /// Its name in the URL.
    fn as_str(self) -> &'static str;
    /// Its heading, in the chosen language.
    fn label(self, l: crate::i18n::Locale) -> &'static str;
}

/// Search, sort column and direction.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListView<K> {
    pub search: String,
    pub sort: K,
    pub descending: bool,
}

impl<K: Column> ListView<K> {
    pub fn from_query(q: Option<&str>, sort: Option<&str>, dir: Option<&str>) -> Self {
        let sort = sort.unwrap_or_default();
        ListView {
            search: q.unwrap_or_default().to_owned(),
            sort: K::ALL
                .iter()
                .copied()
                .find(|k| k.as_str() == sort)
                .unwrap_or_default(),
            descending: dir == Some("desc"),
        }
    }

    /// `?q=...&sort=...&dir=...`, leaving out defaults; empty when all are default.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if !self.search.is_empty() {
            parts.push(format!("q={}", sag_api::wire::percent_encode(&self.search)));
        }
        if self.sort != K::default() {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        if self.descending {
            parts.push("dir=desc".to_owned());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// Clicking a column header: sort by it, or flip the direction.
    pub fn toggled(&self, key: K) -> Self {
        ListView {
            search: self.search.clone(),
            sort: key,
            descending: if self.sort == key {
                !self.descending
            } else {
                false
            },
        }
    }

    /// `aria-sort` of a column header.
    pub fn aria_sort(&self, key: K) -> &'static str {
        if self.sort != key {
            "none"
        } else if self.descending {
            "descending"
        } else {
            "ascending"
        }
    }
}

/// Test help: every column of `K` has a heading of its own, in both
/// languages.
#[cfg(test)]
pub fn assert_distinct_labels<K: Column>() {
    for l in [crate::i18n::Locale::en, crate::i18n::Locale::zh_CN] {
        let labels: Vec<&str> = K::ALL.iter().map(|c| c.label(l)).collect();
        let mut distinct = labels.clone();
        sort_items(&mut distinct, &|a, b| a.cmp(b));
        distinct.dedup();
        assert_eq!(distinct.len(), labels.len(), "{labels:?}");
        assert!(labels.iter().all(|t| !t.is_empty()), "{labels:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_sort_orders_every_item_once_and_keeps_ties_in_order() {
        let mut rows = vec![(3, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (3, 'e'), (0, 'f')];
        sort_items(&mut rows, &|a, b| a.0.cmp(&b.0));
        assert_eq!(
            rows,
            [(0, 'f'), (1, 'b'), (1, 'd'), (2, 'c'), (3, 'a'), (3, 'e')]
        );
        let mut descending = rows.clone();
        sort_items(&mut descending, &|a, b| b.0.cmp(&a.0));
        assert_eq!(
            descending,
            [(3, 'a'), (3, 'e'), (2, 'c'), (1, 'b'), (1, 'd'), (0, 'f')]
        );
        let mut names: Vec<String> = ["UserNames.2", "b", "UserNames.10", "B", ""]
            .map(String::from)
            .to_vec();
        sort_names(&mut names);
        assert_eq!(names, ["", "B", "UserNames.10", "UserNames.2", "b"]);
        let mut positions: Vec<usize> = (0..1000).rev().collect();
        sort_positions(&mut positions, &|a, b| (a % 7, a).cmp(&(b % 7, b)));
        assert_eq!(positions.len(), 1000);
        assert!(positions
            .windows(2)
            .all(|w| (w[0] % 7, w[0]) < (w[1] % 7, w[1])));
        let mut empty: Vec<u8> = Vec::new();
        sort_items(&mut empty, &|a, b| a.cmp(b));
        assert!(empty.is_empty());
    }

    #[test]
    fn a_virtual_window_covers_the_viewport_and_its_edges() {
        assert_eq!(window(10_000, 0.0, 600.0, 40.0, 10), (0, 26));
        assert_eq!(window(10_000, 4000.0, 600.0, 40.0, 10), (90, 126));
        assert_eq!(
            window(100, 3900.0, 600.0, 40.0, 10),
            (87, 100),
            "clamped at the end"
        );
        assert_eq!(window(0, 0.0, 600.0, 40.0, 10), (0, 0));
        assert_eq!(window(50, 1e9, 600.0, 40.0, 10), (50, 50));
        assert_eq!(
            window(50, 0.0, 600.0, 0.0, 10),
            (0, 0),
            "no height, no rows"
        );
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    enum K {
        #[default]
        A,
        B,
    }

    impl Column for K {
        const ALL: &'static [K] = &[K::A, K::B];
        fn as_str(self) -> &'static str {
            match self {
                K::A => "a",
                K::B => "b",
            }
        }
        fn label(self, _: crate::i18n::Locale) -> &'static str {
            self.as_str()
        }
    }

    #[test]
    fn headers_announce_the_order_and_a_click_sorts_or_flips() {
        let v = ListView::<K>::default();
        assert_eq!(
            (v.aria_sort(K::A), v.aria_sort(K::B)),
            ("ascending", "none")
        );
        let v = v.toggled(K::A);
        assert_eq!(
            (v.aria_sort(K::A), v.aria_sort(K::B)),
            ("descending", "none")
        );
        let v = v.toggled(K::B);
        assert_eq!(
            (v.aria_sort(K::A), v.aria_sort(K::B)),
            ("none", "ascending")
        );
        assert_eq!(v.to_query(), "?sort=b");
    }
}
