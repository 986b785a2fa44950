//! A list's view state as it lives in the URL query (`?q=…&sort=…&dir=desc`):
//! the search text, the sort column and its direction. Shared by the SAG and
//! CAM lists, each with its own columns.

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
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), labels.len(), "{labels:?}");
        assert!(labels.iter().all(|t| !t.is_empty()), "{labels:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
