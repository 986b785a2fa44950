//! Plain text for times, durations and counts, in the chosen language (the
//! unit words come from `locales/*.json`).

use crate::i18n::{td_string, Locale};

/// `3 h 02 min 05 s`, `4 min 05 s`, `12 s` (zh-CN: `3 小时 02 分 05 秒`);
/// never negative.
pub fn duration_in(l: Locale, seconds: i64) -> String {
    let s = seconds.max(0);
    let (d, h, m, sec) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
    let (ud, uh, um, us) = (
        td_string!(l, units.day),
        td_string!(l, units.hour),
        td_string!(l, units.minute),
        td_string!(l, units.second),
    );
    if d > 0 {
        format!("{d} {ud} {h:02} {uh} {m:02} {um}")
    } else if h > 0 {
        format!("{h} {uh} {m:02} {um} {sec:02} {us}")
    } else if m > 0 {
        format!("{m} {um} {sec:02} {us}")
    } else {
        format!("{sec} {us}")
    }
}

/// `updated 8 s ago` / `8 秒前更新`.
pub fn updated_ago(l: Locale, seconds: i64) -> String {
    let s = seconds.max(0);
    if s < 60 {
        td_string!(l, units.updated_s_ago, n = s).to_string()
    } else if s < 3600 {
        td_string!(l, units.updated_min_ago, n = s / 60).to_string()
    } else {
        td_string!(l, units.updated_h_ago, n = s / 3600).to_string()
    }
}

/// `YYYY-MM-DD HH:MM:SS` in local time, given the offset east of UTC in
/// minutes (JavaScript's `-getTimezoneOffset()`).
pub fn local_time(unix_seconds: i64, offset_minutes: i64) -> String {
    let utc = sag_api::request::format_aliyun_timestamp(unix_seconds + offset_minutes * 60);
    utc.replace('T', " ").trim_end_matches('Z').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_follow_the_language() {
        assert_eq!(duration_in(Locale::zh_CN, 245), "4 分 05 秒");
        assert_eq!(
            duration_in(Locale::zh_CN, 3 * 3600 + 125),
            "3 小时 02 分 05 秒"
        );
        assert_eq!(
            duration_in(Locale::zh_CN, 2 * 86_400 + 3600),
            "2 天 01 小时 00 分"
        );
        assert_eq!(updated_ago(Locale::en, 130), "updated 2 min ago");
        assert_eq!(updated_ago(Locale::zh_CN, 8), "8 秒前更新");
        assert_eq!(updated_ago(Locale::zh_CN, 7300), "2 小时前更新");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_in(Locale::en, -5), "0 s");
        assert_eq!(duration_in(Locale::en, 12), "12 s");
        assert_eq!(duration_in(Locale::en, 245), "4 min 05 s");
        assert_eq!(duration_in(Locale::en, 3 * 3600 + 125), "3 h 02 min 05 s");
        assert_eq!(
            duration_in(Locale::en, 2 * 86_400 + 3600),
            "2 d 01 h 00 min"
        );
    }

    #[test]
    fn local_times_apply_the_offset() {
        assert_eq!(local_time(1_700_000_000, 0), "2023-11-14 22:13:20");
        assert_eq!(local_time(1_700_000_000, 480), "2023-11-15 06:13:20");
        assert_eq!(local_time(1_700_000_000, -300), "2023-11-14 17:13:20");
    }
}
