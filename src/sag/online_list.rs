//! The online view's decisions, kept out of the view: its columns, search
//! over user and IP, and sorting (ties by user, then IP).

use crate::i18n::{td_string, Locale};
use crate::list_view::{Column, ListView};

use super::services::OnlineRow;

/// A column of the online view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnlineColumn {
    #[default]
    User,
    Ip,
    /// When it connected.
    Since,
    /// How long it has been online: the reverse of `Since`.
    For,
}

impl Column for OnlineColumn {
    const ALL: &'static [OnlineColumn] = &[
        OnlineColumn::User,
        OnlineColumn::Ip,
        OnlineColumn::Since,
        OnlineColumn::For,
    ];

    fn as_str(self) -> &'static str {
        match self {
            OnlineColumn::User => "user",
            OnlineColumn::Ip => "ip",
            OnlineColumn::Since => "since",
            OnlineColumn::For => "for",
        }
    }

    fn label(self, l: Locale) -> &'static str {
        match self {
            OnlineColumn::User => td_string!(l, online.user),
            OnlineColumn::Ip => td_string!(l, online.client_ip),
            OnlineColumn::Since => td_string!(l, online.since),
            OnlineColumn::For => td_string!(l, online.online_for),
        }
    }
}

/// The positions in `rows` to show, in order: filtered by the search (user
/// or IP, any case), sorted by the column. A client whose start is unknown
/// sorts as the newest.
pub fn visible(rows: &[OnlineRow], view: &ListView<OnlineColumn>) -> Vec<usize> {
    let needle = view.search.trim().to_lowercase();
    let mut shown: Vec<usize> = (0..rows.len())
        .filter(|&i| {
            let r = &rows[i];
            needle.is_empty() || r.user.to_lowercase().contains(&needle) || r.ip.contains(&needle)
        })
        .collect();
    let since = |r: &OnlineRow| r.since.unwrap_or(i64::MAX);
    crate::list_view::sort_positions(&mut shown, &|a, b| {
        let (a, b) = (&rows[a], &rows[b]);
        let primary = match view.sort {
            OnlineColumn::User => a.user.cmp(&b.user),
            OnlineColumn::Ip => a.ip.cmp(&b.ip),
            OnlineColumn::Since => since(a).cmp(&since(b)),
            OnlineColumn::For => since(b).cmp(&since(a)),
        };
        let primary = if view.descending {
            primary.reverse()
        } else {
            primary
        };
        primary
            .then_with(|| a.user.cmp(&b.user))
            .then_with(|| a.ip.cmp(&b.ip))
    });
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(user: &str, ip: &str, since: Option<i64>) -> OnlineRow {
        OnlineRow {
            user: user.into(),
            ip: ip.into(),
            since,
        }
    }

    fn sample() -> Vec<OnlineRow> {
        vec![
            row("irene", "10.0.0.9", Some(300)),
            row("Bob", "10.0.0.2", None),
            row("alice", "10.0.0.3", Some(100)),
            row("alice", "10.0.0.1", Some(200)),
        ]
    }

    fn shown(rows: &[OnlineRow], q: &str, sort: Option<&str>, dir: Option<&str>) -> Vec<String> {
        visible(rows, &ListView::from_query(Some(q), sort, dir))
            .into_iter()
            .map(|i| format!("{} {}", rows[i].user, rows[i].ip))
            .collect()
    }

    #[test]
    fn every_column_has_its_own_heading_in_both_languages() {
        crate::list_view::assert_distinct_labels::<OnlineColumn>();
    }

    #[test]
    fn search_finds_a_user_or_an_address() {
        let rows = sample();
        assert_eq!(
            shown(&rows, "ALI", None, None),
            ["alice 10.0.0.1", "alice 10.0.0.3"]
        );
        assert_eq!(shown(&rows, " 10.0.0.9 ", None, None), ["irene 10.0.0.9"]);
        assert_eq!(shown(&rows, "nobody", None, None), Vec::<String>::new());
        assert_eq!(shown(&rows, "", None, None).len(), 4);
    }

    #[test]
    fn sorts_by_each_column_with_ties_by_user_then_ip() {
        let rows = sample();
        assert_eq!(
            shown(&rows, "", None, None),
            [
                "Bob 10.0.0.2",
                "alice 10.0.0.1",
                "alice 10.0.0.3",
                "irene 10.0.0.9"
            ]
        );
        assert_eq!(
            shown(&rows, "", None, Some("desc")),
            [
                "irene 10.0.0.9",
                "alice 10.0.0.1",
                "alice 10.0.0.3",
                "Bob 10.0.0.2"
            ],
            "a user's clients stay in address order"
        );
        assert_eq!(
            shown(&rows, "", Some("ip"), None),
            [
                "alice 10.0.0.1",
                "Bob 10.0.0.2",
                "alice 10.0.0.3",
                "irene 10.0.0.9"
            ]
        );
        assert_eq!(
            shown(&rows, "", Some("since"), None),
            [
                "alice 10.0.0.3",
                "alice 10.0.0.1",
                "irene 10.0.0.9",
                "Bob 10.0.0.2"
            ],
            "oldest first; unknown starts last"
        );
        assert_eq!(
            shown(&rows, "", Some("for"), None),
            [
                "Bob 10.0.0.2",
                "irene 10.0.0.9",
                "alice 10.0.0.1",
                "alice 10.0.0.3"
            ],
            "shortest first"
        );
        assert_eq!(
            shown(&rows, "", Some("for"), Some("desc")),
            [
                "alice 10.0.0.3",
                "alice 10.0.0.1",
                "irene 10.0.0.9",
                "Bob 10.0.0.2"
            ]
        );
    }
}
