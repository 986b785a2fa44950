//! The sub-user list's decisions, kept out of the view: its columns, search
//! over name, remark, email, phone and UIN, and sorting (ties by name).

use crate::i18n::{td_string, Locale};
use sag_api::cam::CamUser;

use crate::list_view::Column;

/// A column of the sub-user list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CamColumn {
    #[default]
    Name,
    Uin,
    Remark,
    ConsoleLogin,
    Email,
    Phone,
    Created,
}

impl Column for CamColumn {
    const ALL: &'static [CamColumn] = &[
        CamColumn::Name,
        CamColumn::Uin,
        CamColumn::Remark,
        CamColumn::ConsoleLogin,
        CamColumn::Email,
        CamColumn::Phone,
        CamColumn::Created,
    ];

    fn as_str(self) -> &'static str {
        match self {
            CamColumn::Name => "name",
            CamColumn::Uin => "uin",
            CamColumn::Remark => "remark",
            CamColumn::ConsoleLogin => "login",
            CamColumn::Email => "email",
            CamColumn::Phone => "phone",
            CamColumn::Created => "created",
        }
    }

    fn label(self, l: Locale) -> &'static str {
        match self {
            CamColumn::Name => td_string!(l, cam.col_name),
            CamColumn::Uin => "UIN",
            CamColumn::Remark => td_string!(l, cam.col_remark),
            CamColumn::ConsoleLogin => td_string!(l, cam.col_login),
            CamColumn::Email => td_string!(l, cam.col_email),
            CamColumn::Phone => td_string!(l, cam.col_phone),
            CamColumn::Created => td_string!(l, cam.col_created),
        }
    }
}

pub type CamListView = crate::list_view::ListView<CamColumn>;

/// `+86 13800138000`, or empty.
pub fn phone(user: &CamUser) -> String {
    match (user.country_code.as_deref(), user.phone_num.as_deref()) {
        (_, None | Some("")) => String::new(),
        (Some(code), Some(number)) if !code.is_empty() => format!("+{code} {number}"),
        (_, Some(number)) => number.to_owned(),
    }
}

/// Whether `user` matches the search text (any case).
pub fn matches(user: &CamUser, search: &str) -> bool {
    let needle = search.trim().to_lowercase();
    let has = |s: &str| s.to_lowercase().contains(&needle);
    needle.is_empty()
        || has(&user.name)
        || user.remark.as_deref().is_some_and(has)
        || user.email.as_deref().is_some_and(has)
        || phone(user)
            .replace(' ', "")
            .contains(&needle.replace(' ', ""))
        || user.uin.to_string().contains(&needle)
}

/// The rows to show: filtered by the search, sorted by the column (ties by name).
pub fn visible<'a>(users: &'a [CamUser], view: &CamListView) -> Vec<&'a CamUser> {
    let mut rows: Vec<&CamUser> = users.iter().filter(|u| matches(u, &view.search)).collect();
    let text = |s: &Option<String>| s.as_deref().unwrap_or("").to_lowercase();
    // The console's one shared sort; the exact name breaks the last ties,
    // so the order is one order.
    crate::list_view::sort_items(&mut rows, &|a, b| {
        let by_name = a.name.to_lowercase().cmp(&b.name.to_lowercase());
        let primary = match view.sort {
            CamColumn::Name => by_name,
            CamColumn::Uin => a.uin.cmp(&b.uin),
            CamColumn::Remark => text(&a.remark).cmp(&text(&b.remark)),
            CamColumn::ConsoleLogin => b.console_login.cmp(&a.console_login),
            CamColumn::Email => text(&a.email).cmp(&text(&b.email)),
            CamColumn::Phone => phone(a).cmp(&phone(b)),
            CamColumn::Created => a.create_time.cmp(&b.create_time),
        };
        let primary = if view.descending {
            primary.reverse()
        } else {
            primary
        };
        primary.then(by_name).then_with(|| a.name.cmp(&b.name))
    });
    rows
}

/// The sub-user quota line: `12 sub-users of 1000 allowed`.
pub fn count_line(l: Locale, shown: usize, total: usize, quota: usize) -> String {
    let all = td_string!(l, cam.count, total, quota).to_string();
    if shown == total {
        all
    } else {
        format!("{}{all}", td_string!(l, users.shown, shown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(
        name: &str,
        uin: u64,
        remark: Option<&str>,
        login: u64,
        phone: Option<&str>,
    ) -> CamUser {
        CamUser {
            uin,
            name: name.into(),
            remark: remark.map(Into::into),
            console_login: login,
            phone_num: phone.map(Into::into),
            country_code: phone.map(|_| "86".into()),
            email: Some(format!("{name}@example.com")),
            create_time: Some(format!("2024-01-0{} 10:00:00", uin % 9 + 1)),
            ..CamUser::default()
        }
    }

    fn sample() -> Vec<CamUser> {
        vec![
            user("ops-bot", 100003, Some("CI deploys"), 0, None),
            user("Alice", 100001, Some("运维"), 1, Some("13800138000")),
            user("bob", 100002, None, 1, None),
        ]
    }

    fn names(rows: Vec<&CamUser>) -> Vec<&str> {
        rows.into_iter().map(|u| u.name.as_str()).collect()
    }

    #[test]
    fn search_covers_name_remark_email_phone_and_uin() {
        let users = sample();
        let find = |q: &str| {
            names(visible(
                &users,
                &CamListView {
                    search: q.into(),
                    ..CamListView::default()
                },
            ))
        };
        assert_eq!(find("ALICE"), ["Alice"]);
        assert_eq!(find("deploys"), ["ops-bot"]);
        assert_eq!(find("运维"), ["Alice"]);
        assert_eq!(find("+86 138"), ["Alice"]);
        assert_eq!(find("100002"), ["bob"]);
        assert_eq!(find(""), ["Alice", "bob", "ops-bot"]);
    }

    #[test]
    fn sorts_by_columns_with_ties_by_name() {
        let users = sample();
        let sorted = |sort: CamColumn, descending: bool| {
            names(visible(
                &users,
                &CamListView {
                    search: String::new(),
                    sort,
                    descending,
                },
            ))
        };
        assert_eq!(sorted(CamColumn::Uin, false), ["Alice", "bob", "ops-bot"]);
        assert_eq!(sorted(CamColumn::Uin, true), ["ops-bot", "bob", "Alice"]);
        assert_eq!(
            sorted(CamColumn::ConsoleLogin, false),
            ["Alice", "bob", "ops-bot"],
            "console login first, ties by name"
        );
        assert_eq!(
            sorted(CamColumn::Remark, false),
            ["bob", "ops-bot", "Alice"]
        );
        let view = CamListView::from_query(Some("a b"), Some("created"), Some("desc"));
        assert_eq!(view.to_query(), "?q=a%20b&sort=created&dir=desc");
        assert_eq!(
            CamListView::from_query(None, Some("nope"), None),
            CamListView::default()
        );
    }

    #[test]
    fn every_column_has_its_own_heading_in_both_languages() {
        crate::list_view::assert_distinct_labels::<CamColumn>();
    }

    #[test]
    fn a_name_alone_is_found() {
        let lone = CamUser {
            name: "svc-backup".into(),
            uin: 7,
            ..CamUser::default()
        };
        assert!(matches(&lone, "backup"));
        assert!(!matches(&lone, "restore"));
    }

    #[test]
    fn phones_and_counts_read_naturally() {
        assert_eq!(phone(&sample()[1]), "+86 13800138000");
        assert_eq!(phone(&sample()[0]), "");
        let no_code = CamUser {
            phone_num: Some("13800138000".into()),
            country_code: Some(String::new()),
            ..CamUser::default()
        };
        assert_eq!(phone(&no_code), "13800138000");
        assert_eq!(
            count_line(Locale::en, 3, 3, 1000),
            "3 sub-users of 1000 allowed"
        );
        assert_eq!(
            count_line(Locale::en, 1, 3, 1000),
            "1 shown · 3 sub-users of 1000 allowed"
        );
    }
}
