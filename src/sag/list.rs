//! The user list's decisions, kept out of the view: search, sort (the URL
//! query that holds them is [`crate::list_view`]), and the summary of a bulk delete.

use crate::i18n::{td_string, Locale};
use std::cmp::Ordering;
use std::net::Ipv4Addr;

use sag_api::smartag::{ClientUser, UserState};

pub use crate::list_view::Column;

/// The column a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Name,
    Email,
    Bandwidth,
    Ip,
    State,
    Online,
}

impl Column for SortKey {
    const ALL: &'static [SortKey] = &[
        SortKey::Name,
        SortKey::Email,
        SortKey::Bandwidth,
        SortKey::Ip,
        SortKey::State,
        SortKey::Online,
    ];

    fn as_str(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Email => "email",
            SortKey::Bandwidth => "bandwidth",
            SortKey::Ip => "ip",
            SortKey::State => "state",
            SortKey::Online => "online",
        }
    }

    fn label(self, l: Locale) -> &'static str {
        match self {
            SortKey::Name => td_string!(l, users.col_name),
            SortKey::Email => td_string!(l, users.col_email),
            SortKey::Bandwidth => td_string!(l, users.col_bandwidth),
            SortKey::Ip => td_string!(l, users.col_ip),
            SortKey::State => td_string!(l, users.col_state),
            SortKey::Online => td_string!(l, users.col_online),
        }
    }
}

/// The list's view state, as it lives in the URL query.
pub type ListView = crate::list_view::ListView<SortKey>;

/// The address shown for a user (static or current).
pub fn shown_ip(user: &ClientUser) -> &str {
    user.client_ip.as_deref().unwrap_or("")
}

/// A list's search and sort keys, lower-cased and parsed once per load, so a
/// keystroke or a click on a header at 10,000 users allocates nothing per user.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchIndex {
    names: Vec<String>,
    mails: Vec<String>,
    /// Name, email and address, lower-cased, one line each: what the search
    /// box looks in, in one pass (a search box holds no line break).
    haystacks: Vec<String>,
    ips: Vec<Option<u32>>,
    /// The positions in name order (lower-cased, then as written), and each
    /// position's place in it: a sort by name is this order itself, and the
    /// ties of every other key are broken by comparing two numbers.
    by_name: Vec<usize>,
    name_rank: Vec<usize>,
}

impl SearchIndex {
    pub fn new(users: &[ClientUser]) -> SearchIndex {
        let names: Vec<String> = users.iter().map(|u| u.user_name.to_lowercase()).collect();
        let mut by_name: Vec<usize> = (0..users.len()).collect();
        crate::list_view::sort_positions(&mut by_name, &|a, b| {
            names[a]
                .cmp(&names[b])
                .then_with(|| users[a].user_name.cmp(&users[b].user_name))
                .then(a.cmp(&b))
        });
        let mut name_rank = vec![0; users.len()];
        for (rank, &i) in by_name.iter().enumerate() {
            name_rank[i] = rank;
        }
        SearchIndex {
            by_name,
            name_rank,
            names,
            mails: users.iter().map(|u| u.user_mail.to_lowercase()).collect(),
            haystacks: users
                .iter()
                .map(|u| {
                    format!("{}\n{}\n{}", u.user_name, u.user_mail, shown_ip(u)).to_lowercase()
                })
                .collect(),
            ips: users
                .iter()
                .map(|u| shown_ip(u).parse::<Ipv4Addr>().ok().map(u32::from))
                .collect(),
        }
    }
}

/// The rows to show, as positions in `users`: filtered by the search, sorted
/// by the key (ties by name). `index` is `SearchIndex::new(users)`.
pub fn visible_indices(
    users: &[ClientUser],
    index: &SearchIndex,
    online: &dyn Fn(&str) -> Option<u64>,
    view: &ListView,
) -> Vec<usize> {
    let order = sorted_indices(users, index, online, view.sort, view.descending);
    filtered(&order, index, &view.search)
}

/// Every position in `users`, in the order of the sort key (ties by name).
/// The console keeps this between keystrokes: only a click on a header (or
/// a new list) sorts again.
pub fn sorted_indices(
    users: &[ClientUser],
    index: &SearchIndex,
    online: &dyn Fn(&str) -> Option<u64>,
    sort: SortKey,
    descending: bool,
) -> Vec<usize> {
    let n = users.len().min(index.names.len());
    if sort == SortKey::Name {
        // The index's own order: a click on the name header sorts nothing.
        let mut rows: Vec<usize> = index.by_name.iter().copied().filter(|&i| i < n).collect();
        if descending {
            rows.reverse();
        }
        return rows;
    }
    let mut rows: Vec<usize> = (0..n).collect();
    let counts: Vec<u64> = if sort == SortKey::Online {
        users
            .iter()
            .map(|u| online(&u.user_name).unwrap_or(0))
            .collect()
    } else {
        Vec::new()
    };
    // Ties by the name order, which is one order: so is the result.
    crate::list_view::sort_positions(&mut rows, &|a, b| {
        let primary = match sort {
            SortKey::Name => Ordering::Equal,
            SortKey::Email => index.mails[a].cmp(&index.mails[b]),
            SortKey::Bandwidth => users[a].bandwidth.cmp(&users[b].bandwidth),
            // Users without an address sort after those with one.
            SortKey::Ip => match (index.ips[a], index.ips[b]) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            SortKey::State => state_rank(users[a].state).cmp(&state_rank(users[b].state)),
            SortKey::Online => counts[a].cmp(&counts[b]),
        };
        let primary = if descending {
            primary.reverse()
        } else {
            primary
        };
        // The direction applies to the column; ties stay in name order.
        primary.then(index.name_rank[a].cmp(&index.name_rank[b]))
    });
    rows
}

/// The positions of `order` whose user matches the search (name, email or
/// address, ignoring case), in `order`'s order: one pass, no sorting.
pub fn filtered(order: &[usize], index: &SearchIndex, search: &str) -> Vec<usize> {
    let needle = search.trim().to_lowercase();
    if needle.is_empty() {
        return order.to_vec();
    }
    order
        .iter()
        .copied()
        .filter(|&i| index.haystacks.get(i).is_some_and(|h| h.contains(&needle)))
        .collect()
}

/// The rows to show: filtered by the search, sorted by the key (ties by name).
pub fn visible<'a>(
    users: &'a [ClientUser],
    online: &dyn Fn(&str) -> Option<u64>,
    view: &ListView,
) -> Vec<&'a ClientUser> {
    let index = SearchIndex::new(users);
    visible_indices(users, &index, online, view)
        .into_iter()
        .map(|i| &users[i])
        .collect()
}

fn state_rank(state: UserState) -> u8 {
    match state {
        UserState::Enabled => 0,
        UserState::Disabled => 1,
    }
}

/// What a run over the list's users (one or a selection) does to each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bulk {
    Deleted,
    Enabled,
    Disabled,
    /// The bandwidth set, in Kbit/s.
    Bandwidth(u32),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(
        name: &str,
        mail: &str,
        bandwidth: u64,
        ip: Option<&str>,
        disabled: bool,
    ) -> ClientUser {
        ClientUser {
            user_name: name.into(),
            user_mail: mail.into(),
            bandwidth,
            client_ip: ip.map(Into::into),
            state: if disabled {
                UserState::Disabled
            } else {
                UserState::Enabled
            },
            is_static_ip: ip.is_some(),
            accelerate_bandwidth: None,
        }
    }

    fn sample() -> Vec<ClientUser> {
        vec![
            user("carol01", "c@example.com", 512, Some("10.0.0.10"), false),
            user("alice01", "z@example.com", 2000, Some("10.0.0.9"), true),
            user("Bob0001", "b@corp.example", 1000, None, false),
        ]
    }

    fn names(rows: Vec<&ClientUser>) -> Vec<&str> {
        rows.into_iter().map(|u| u.user_name.as_str()).collect()
    }

    #[test]
    fn search_covers_name_email_and_ip() {
        let users = sample();
        let none = |_: &str| None;
        let find = |q: &str| {
            names(visible(
                &users,
                &none,
                &ListView {
                    search: q.into(),
                    ..ListView::default()
                },
            ))
        };
        assert_eq!(find("ALICE"), ["alice01"]);
        assert_eq!(find("corp"), ["Bob0001"]);
        assert_eq!(find("10.0.0.1"), ["carol01"]);
        assert_eq!(find("  "), ["alice01", "Bob0001", "carol01"]);
        assert!(find("nobody").is_empty());
    }

    #[test]
    fn sorts_by_every_column_both_ways() {
        let users = sample();
        let online = |name: &str| (name == "carol01").then_some(2);
        let sorted = |sort: SortKey, descending: bool| {
            names(visible(
                &users,
                &online,
                &ListView {
                    search: String::new(),
                    sort,
                    descending,
                },
            ))
        };
        assert_eq!(
            sorted(SortKey::Name, false),
            ["alice01", "Bob0001", "carol01"]
        );
        assert_eq!(
            sorted(SortKey::Name, true),
            ["carol01", "Bob0001", "alice01"]
        );
        assert_eq!(
            sorted(SortKey::Email, false),
            ["Bob0001", "carol01", "alice01"]
        );
        assert_eq!(
            sorted(SortKey::Bandwidth, true),
            ["alice01", "Bob0001", "carol01"]
        );
        assert_eq!(
            sorted(SortKey::Ip, false),
            ["alice01", "carol01", "Bob0001"],
            "10.0.0.9 < 10.0.0.10, none last"
        );
        assert_eq!(
            sorted(SortKey::State, false),
            ["Bob0001", "carol01", "alice01"]
        );
        assert_eq!(
            sorted(SortKey::Online, true),
            ["carol01", "alice01", "Bob0001"],
            "ties stay in name order when a column is descending"
        );
    }

    #[test]
    fn the_name_order_is_one_order_and_breaks_every_other_columns_ties() {
        let users = vec![
            user("bob", "x@example.com", 100, None, false),
            user("Bob", "x@example.com", 100, None, false),
            user("amy", "x@example.com", 200, None, false),
            user("BOB", "x@example.com", 100, None, false),
        ];
        let index = SearchIndex::new(&users);
        let none = |_: &str| None;
        let order = |sort: SortKey, descending: bool| -> Vec<&str> {
            sorted_indices(&users, &index, &none, sort, descending)
                .into_iter()
                .map(|i| users[i].user_name.as_str())
                .collect()
        };
        // Lower-cased first, then as written: "BOB" < "Bob" < "bob".
        assert_eq!(order(SortKey::Name, false), ["amy", "BOB", "Bob", "bob"]);
        assert_eq!(order(SortKey::Name, true), ["bob", "Bob", "BOB", "amy"]);
        assert_eq!(order(SortKey::Email, true), ["amy", "BOB", "Bob", "bob"]);
        assert_eq!(
            order(SortKey::Bandwidth, true),
            ["amy", "BOB", "Bob", "bob"]
        );
        assert_eq!(
            order(SortKey::Bandwidth, false),
            ["BOB", "Bob", "bob", "amy"]
        );
        // A list longer than its index (a refresh between the two) is cut
        // to the index, whichever the column.
        let more = [
            users.clone(),
            vec![user("zed", "z@example.com", 1, None, false)],
        ]
        .concat();
        for sort in [SortKey::Name, SortKey::Bandwidth] {
            assert_eq!(sorted_indices(&more, &index, &none, sort, false).len(), 4);
        }
    }

    #[test]
    fn view_state_round_trips_through_the_url_query() {
        let view = ListView {
            search: "a b&c".into(),
            sort: SortKey::Bandwidth,
            descending: true,
        };
        let query = view.to_query();
        assert_eq!(query, "?q=a%20b%26c&sort=bandwidth&dir=desc");
        let pairs: std::collections::HashMap<String, String> =
            sag_api::wire::parse_pairs(&query[1..])
                .unwrap()
                .into_iter()
                .collect();
        let back = ListView::from_query(
            pairs.get("q").map(String::as_str),
            pairs.get("sort").map(String::as_str),
            pairs.get("dir").map(String::as_str),
        );
        assert_eq!(back, view);
        assert_eq!(ListView::default().to_query(), "");
        assert_eq!(
            ListView::from_query(None, Some("bogus"), Some("up")),
            ListView::default()
        );
        let toggled = ListView::default().toggled(SortKey::Name);
        assert!(toggled.descending);
        assert!(!toggled.toggled(SortKey::Email).descending);
    }

    #[test]
    fn the_index_gives_the_same_rows_at_scale() {
        let users: Vec<ClientUser> = (0..10_000)
            .map(|i| {
                user(
                    &format!("User{:05}", 9_999 - i),
                    &format!("u{i}@example.com"),
                    [512, 1000, 2000][i % 3],
                    (i % 7 == 3)
                        .then(|| format!("10.20.{}.{}", i / 250, i % 250))
                        .as_deref(),
                    i % 11 == 5,
                )
            })
            .collect();
        let index = SearchIndex::new(&users);
        let none = |_: &str| None;
        let view = ListView {
            search: "user0012".into(),
            sort: SortKey::Bandwidth,
            descending: true,
        };
        let rows = visible_indices(&users, &index, &none, &view);
        assert_eq!(rows.len(), 10);
        assert_eq!(users[rows[0]].bandwidth, 2000);
        let all = visible_indices(&users, &index, &none, &ListView::default());
        assert_eq!(users[all[0]].user_name, "User00000");
        assert_eq!(all.len(), 10_000);
    }
}
