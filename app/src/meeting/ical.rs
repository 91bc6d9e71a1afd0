//! The iCalendar feed (RFC 5545): one VEVENT per meeting, times in UTC (so every calendar
//! shows them right in its own zone), text escaped, lines folded at 75 octets, CRLF endings.

use chrono::{DateTime, Utc};

/// One meeting in a feed.
#[derive(Clone, Debug)]
pub struct FeedEvent {
    /// Unique and stable for the meeting: `meeting-12@flare` or `cadence-3-20261130T090000Z@flare`.
    pub uid: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub description: String,
    /// The meeting's page (its agenda).
    pub url: String,
}

/// TEXT as RFC 5545 writes it: backslash, semicolon, comma and line breaks escaped.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (never inside a character), ending in CRLF.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The whole feed, named `name`, as of `now`.
pub fn calendar(name: &str, events: &[FeedEvent], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Flare//Escalation meetings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(line, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", text(name)), &mut out);
    for e in events {
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:{}", text(&e.uid)), &mut out);
        fold(&format!("DTSTAMP:{}", stamp(now)), &mut out);
        fold(&format!("DTSTART:{}", stamp(e.starts_at)), &mut out);
        fold(&format!("DTEND:{}", stamp(e.ends_at)), &mut out);
        fold(&format!("SUMMARY:{}", text(&e.title)), &mut out);
        fold(&format!("DESCRIPTION:{}", text(&e.description)), &mut out);
        fold(&format!("URL:{}", e.url), &mut out);
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_escaped_folded_and_in_utc() {
        let at = DateTime::parse_from_rfc3339("2026-11-30T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let feed = calendar(
            "Flare: Ada",
            &[FeedEvent {
                uid: "meeting-1@flare".into(),
                title: "Daily stand-up; Aurora, EU\\rollout".into(),
                starts_at: at,
                ends_at: at + chrono::Duration::minutes(15),
                description: format!("Agenda:\n{}", "é".repeat(60)),
                url: "https://flare.example/meetings/1".into(),
            }],
            at,
        );
        assert!(feed.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(feed.ends_with("END:VCALENDAR\r\n"));
        assert!(feed.contains("DTSTART:20261130T080000Z\r\nDTEND:20261130T081500Z\r\n"));
        assert!(feed.contains("SUMMARY:Daily stand-up\\; Aurora\\, EU\\\\rollout\r\n"));
        for line in feed.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        assert!(feed.contains("DESCRIPTION:Agenda:\\n"));
        // Unfolded, the description reads back whole.
        assert!(feed.replace("\r\n ", "").contains(&"é".repeat(60)));
    }
}
