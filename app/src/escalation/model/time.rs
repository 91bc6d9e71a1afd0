//! Times as people read and type them: "5 min ago", and a form's local date and time as
//! a UTC instant.

use chrono::{DateTime, Utc};

/// "a moment ago", "5 min ago", "3 h ago", "2 days ago".
pub fn time_ago(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds().max(0);
    match secs {
        0..60 => "a moment ago".to_string(),
        60..3_600 => format!("{} min ago", secs / 60),
        3_600..86_400 => format!("{} h ago", secs / 3_600),
        _ => match secs / 86_400 {
            1 => "1 day ago".to_string(),
            days => format!("{days} days ago"),
        },
    }
}

/// A `datetime-local` value ("2026-11-27T14:30") at `offset_minutes` (JavaScript's sign:
/// minutes to add to local time to get UTC) as RFC 3339 UTC.
pub fn local_to_rfc3339(local: &str, offset_minutes: i64) -> Option<String> {
    let local = local.trim();
    if local.is_empty() {
        return None;
    }
    let naive = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    let utc = naive + chrono::Duration::minutes(offset_minutes);
    Some(
        utc.and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_naturally() {
        let now = DateTime::UNIX_EPOCH + chrono::Duration::days(10);
        let ago = |s| time_ago(now - chrono::Duration::seconds(s), now);
        assert_eq!(ago(5), "a moment ago");
        assert_eq!(ago(125), "2 min ago");
        assert_eq!(ago(7_300), "2 h ago");
        assert_eq!(ago(86_400), "1 day ago");
        assert_eq!(ago(3 * 86_400), "3 days ago");
    }

    #[test]
    fn local_times_become_utc() {
        // 14:30 in UTC+1 (offset -60) is 13:30 UTC.
        assert_eq!(
            local_to_rfc3339("2026-11-27T14:30", -60).as_deref(),
            Some("2026-11-27T13:30:00Z")
        );
        assert_eq!(local_to_rfc3339("", 0), None);
        assert_eq!(local_to_rfc3339("tomorrow", 0), None);
    }
}
