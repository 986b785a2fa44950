//! Plain text for times, durations and counts.

/// `3 h 02 min`, `4 min 05 s`, `12 s`; never negative.
pub fn duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (d, h, m, sec) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
    if d > 0 {
        format!("{d} d {h:02} h {m:02} min")
    } else if h > 0 {
        format!("{h} h {m:02} min {sec:02} s")
    } else if m > 0 {
        format!("{m} min {sec:02} s")
    } else {
        format!("{sec} s")
    }
}

/// `YYYY-MM-DD HH:MM:SS` in local time, given the offset east of UTC in
/// minutes (JavaScript's `-getTimezoneOffset()`).
pub fn local_time(unix_seconds: i64, offset_minutes: i64) -> String {
    let utc = sag_api::request::format_aliyun_timestamp(unix_seconds + offset_minutes * 60);
    utc.replace('T', " ").trim_end_matches('Z').to_owned()
}

/// `updated 8 s ago`, `updated 3 min ago`.
pub fn ago(seconds: i64) -> String {
    let s = seconds.max(0);
    if s < 60 {
        format!("{s} s ago")
    } else if s < 3600 {
        format!("{} min ago", s / 60)
    } else {
        format!("{} h ago", s / 3600)
    }
}

/// `1 user`, `3 users`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(-5), "0 s");
        assert_eq!(duration(12), "12 s");
        assert_eq!(duration(245), "4 min 05 s");
        assert_eq!(duration(3 * 3600 + 125), "3 h 02 min 05 s");
        assert_eq!(duration(2 * 86_400 + 3600), "2 d 01 h 00 min");
    }

    #[test]
    fn local_times_apply_the_offset() {
        assert_eq!(local_time(1_700_000_000, 0), "2023-11-14 22:13:20");
        assert_eq!(local_time(1_700_000_000, 480), "2023-11-15 06:13:20");
        assert_eq!(local_time(1_700_000_000, -300), "2023-11-14 17:13:20");
    }

    #[test]
    fn ago_and_plural() {
        assert_eq!(ago(8), "8 s ago");
        assert_eq!(ago(130), "2 min ago");
        assert_eq!(ago(7300), "2 h ago");
        assert_eq!(plural(1, "user", "users"), "1 user");
        assert_eq!(plural(0, "user", "users"), "0 users");
    }
}
