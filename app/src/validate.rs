//! Field checks shared by every feature's validation (limits from DESIGN.md's REST contract).

use crate::error::FieldErrors;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// Names and titles: 1–200 characters after trimming.
pub const MAX_NAME: usize = 200;
/// Long text (descriptions, updates, decisions): at most 10,000 characters.
pub const MAX_TEXT: usize = 10_000;
/// Lists of people in a request body (participants, reviewers, a rotation's seat): at most
/// 200 ids. Every id costs a lookup inside the write transaction, so the list is bounded.
pub const MAX_IDS: usize = 200;
/// Other lists in a request body (root causes, segments, remediation items, notes): at most
/// 200 entries.
pub const MAX_ITEMS: usize = 200;
/// The earliest and latest years a date or instant may fall in: PostgreSQL cannot store
/// years before 4713 BC or after 294276 AD, and nothing Flare plans lies outside these.
pub const MIN_YEAR: i32 = 1970;
pub const MAX_YEAR: i32 = 9999;

const LINE_CONTROL: &str = "must not contain control characters or line breaks";
const TEXT_CONTROL: &str = "must not contain control characters (tabs and line breaks are fine)";

/// Whether one-line text (a name, a title, an email, a filter) is free of control
/// characters: NUL and the other C0/C1 controls, including tabs and line breaks.
pub fn is_clean_line(value: &str) -> bool {
    !value.chars().any(char::is_control)
}

/// Whether long text is free of control characters other than tab, line feed and carriage
/// return (browsers post a textarea's line breaks as CRLF).
pub fn is_clean_text(value: &str) -> bool {
    !value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Whether a calendar date lies in the years Flare accepts (1970–9999).
pub fn date_in_range(date: NaiveDate) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&date.year())
}

fn range_message() -> String {
    format!("must be between the years {MIN_YEAR} and {MAX_YEAR}")
}

/// Collects per-field errors while a draft is checked, so one response names them all.
#[derive(Debug, Default)]
pub struct Checker {
    errors: FieldErrors,
}

impl Checker {
    pub fn fail(&mut self, field: &str, why: impl Into<String>) {
        self.errors
            .entry(field.to_string())
            .or_insert_with(|| why.into());
    }

    /// Whether any field has been refused so far.
    pub fn has_failed(&self) -> bool {
        !self.errors.is_empty()
    }

    /// A required name or title: trimmed, 1–200 characters, one line without control
    /// characters.
    pub fn name(&mut self, field: &str, value: Option<&str>) -> String {
        let value = value.unwrap_or_default().trim();
        if value.is_empty() {
            self.fail(field, "is required");
        } else if value.chars().count() > MAX_NAME {
            self.fail(field, format!("must be at most {MAX_NAME} characters"));
        }
        self.line(field, value);
        value.to_string()
    }

    /// Any one-line value (a label, a filter, an email): refused when it holds a control
    /// character or a line break. Returns whether it was clean.
    pub fn line(&mut self, field: &str, value: &str) -> bool {
        let clean = is_clean_line(value);
        if !clean {
            self.fail(field, LINE_CONTROL);
        }
        clean
    }

    /// Optional long text: at most 10,000 characters (empty is fine), without control
    /// characters other than tabs and line breaks.
    pub fn text(&mut self, field: &str, value: Option<&str>) -> String {
        let value = value.unwrap_or_default().trim();
        if value.chars().count() > MAX_TEXT {
            self.fail(field, format!("must be at most {MAX_TEXT} characters"));
        }
        if !is_clean_text(value) {
            self.fail(field, TEXT_CONTROL);
        }
        value.to_string()
    }

    /// Required long text: 1–10,000 characters.
    pub fn required_text(&mut self, field: &str, value: Option<&str>) -> String {
        let text = self.text(field, value);
        if text.is_empty() {
            self.fail(field, "is required");
        }
        text
    }

    /// A required integer within `range`.
    pub fn int_in(
        &mut self,
        field: &str,
        value: Option<i64>,
        range: std::ops::RangeInclusive<i64>,
    ) -> i64 {
        match value {
            None => {
                self.fail(field, "is required");
                *range.start()
            }
            Some(v) if !range.contains(&v) => {
                self.fail(
                    field,
                    format!("must be between {} and {}", range.start(), range.end()),
                );
                *range.start()
            }
            Some(v) => v,
        }
    }

    /// A required calendar date, `YYYY-MM-DD`.
    pub fn date(&mut self, field: &str, value: Option<&str>) -> NaiveDate {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => {
                self.fail(field, "is required");
                NaiveDate::default()
            }
            Some(v) => match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                Ok(date) if date_in_range(date) => date,
                Ok(_) => {
                    self.fail(field, range_message());
                    NaiveDate::default()
                }
                Err(_) => {
                    self.fail(field, "must be a real date written YYYY-MM-DD");
                    NaiveDate::default()
                }
            },
        }
    }

    /// An instant already read (a filter's bound, a rotation's start): refused outside the
    /// years 1970–9999. Returns whether it was in range.
    pub fn in_range(&mut self, field: &str, at: DateTime<Utc>) -> bool {
        let ok = date_in_range(at.date_naive());
        if !ok {
            self.fail(field, range_message());
        }
        ok
    }

    /// A list of user ids: at most `max`, duplicates dropped (first occurrence kept, in
    /// order) so each person is looked up and written once.
    pub fn ids(&mut self, field: &str, ids: &[i64], max: usize) -> Vec<i64> {
        if ids.len() > max {
            self.fail(field, format!("must list at most {max} people"));
            return Vec::new();
        }
        let mut seen = std::collections::HashSet::with_capacity(ids.len());
        ids.iter().copied().filter(|id| seen.insert(*id)).collect()
    }

    /// Any other list: refused when it holds more than `max` entries. Returns whether it fit.
    pub fn at_most(&mut self, field: &str, len: usize, max: usize) -> bool {
        let fits = len <= max;
        if !fits {
            self.fail(field, format!("must have at most {max} entries"));
        }
        fits
    }

    /// An optional instant (RFC 3339); when `not_before` is given it must not be earlier.
    pub fn instant(
        &mut self,
        field: &str,
        value: Option<&str>,
        not_before: Option<DateTime<Utc>>,
    ) -> Option<DateTime<Utc>> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        match DateTime::parse_from_rfc3339(value) {
            Ok(at) => {
                let at = at.with_timezone(&Utc);
                if !self.in_range(field, at) {
                    return None;
                }
                if not_before.is_some_and(|now| at < now) {
                    self.fail(field, "must not be in the past");
                }
                Some(at)
            }
            Err(_) => {
                self.fail(
                    field,
                    "must be a date and time such as 2026-12-01T17:00:00Z",
                );
                None
            }
        }
    }

    /// A due time: an RFC 3339 instant, or a `YYYY-MM-DD` date (DESIGN.md's form for `due`),
    /// meaning the end of that day in UTC. Never before `now`.
    pub fn due(
        &mut self,
        field: &str,
        value: Option<&str>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let trimmed = value.map(str::trim).filter(|v| !v.is_empty())?;
        match chrono::NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
            Ok(day) => {
                let end = day.and_hms_opt(23, 59, 59)?.and_utc();
                if !self.in_range(field, end) {
                    return None;
                }
                if end < now {
                    self.fail(field, "must not be in the past");
                }
                Some(end)
            }
            Err(_) => self.instant(field, value, Some(now)),
        }
    }

    /// Parses a number typed into a form field; a non-number is this field's error.
    pub fn parse_int(&mut self, field: &str, raw: &str) -> Option<i64> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        raw.parse().map_or_else(
            |_| {
                self.fail(field, "must be a whole number");
                None
            },
            Some,
        )
    }

    pub fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_limited() {
        let mut c = Checker::default();
        assert_eq!(c.name("name", Some("  Aurora  ")), "Aurora");
        c.name("empty", Some("   "));
        c.name("long", Some(&"x".repeat(201)));
        c.name("just_right", Some(&"é".repeat(200)));
        let errors = c.finish(()).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors["empty"], "is required");
        assert!(errors["long"].contains("200"));
    }

    #[test]
    fn impossible_dates_are_refused() {
        let mut c = Checker::default();
        assert_eq!(
            c.date("d", Some("2028-02-29")),
            NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()
        );
        c.date("feb30", Some("2026-02-30"));
        c.date("words", Some("next tuesday"));
        let errors = c.finish(()).unwrap_err();
        assert!(errors.contains_key("feb30") && errors.contains_key("words"));
    }

    #[test]
    fn due_times_are_instants_or_whole_days() {
        let now = DateTime::parse_from_rfc3339("2026-11-26T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let mut c = Checker::default();
        let end_of_today = c.due("today", Some("2026-11-26"), now).unwrap();
        assert_eq!(end_of_today.to_rfc3339(), "2026-11-26T23:59:59+00:00");
        assert!(
            c.due("instant", Some("2026-11-26T13:00:00Z"), now)
                .is_some()
        );
        c.due("yesterday", Some("2026-11-25"), now);
        c.due("nonsense", Some("2026-13-45"), now);
        let errors = c.finish(()).unwrap_err();
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["nonsense", "yesterday"]);
    }

    #[test]
    fn instants_must_be_rfc3339_and_not_past_when_asked() {
        let now = DateTime::parse_from_rfc3339("2026-11-26T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let mut c = Checker::default();
        assert!(
            c.instant("ok", Some("2026-11-27T09:00:00+01:00"), Some(now))
                .is_some()
        );
        c.instant("past", Some("2026-11-26T11:59:59Z"), Some(now));
        c.instant("garbage", Some("tomorrow"), None);
        assert_eq!(c.instant("absent", Some(""), Some(now)), None);
        let errors = c.finish(()).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors["past"], "must not be in the past");
    }

    #[test]
    fn control_characters_are_refused_but_tabs_and_line_breaks_in_long_text_are_not() {
        let mut c = Checker::default();
        assert_eq!(
            c.text("ok", Some("line one\r\nline two\tcolumn")),
            "line one\r\nline two\tcolumn"
        );
        c.text("nul", Some("a\u{0}b"));
        c.text("escape", Some("a\u{1b}[31mred"));
        c.text("c1", Some("a\u{85}b"));
        c.text("delete", Some("a\u{7f}b"));
        c.required_text("required_nul", Some("\u{0}"));
        c.name("name_nul", Some("Aurora\u{0}"));
        c.name("name_newline", Some("Aurora\nGA"));
        c.name("name_tab", Some("Aurora\tGA"));
        c.name("name_ok", Some("Aurora – GA ✓"));
        assert!(c.line("line_ok", "ada@example.com"));
        assert!(!c.line("line_nul", "ada\u{0}@example.com"));
        let errors = c.finish(()).unwrap_err();
        assert_eq!(
            errors.keys().map(String::as_str).collect::<Vec<_>>(),
            [
                "c1",
                "delete",
                "escape",
                "line_nul",
                "name_newline",
                "name_nul",
                "name_tab",
                "nul",
                "required_nul"
            ]
        );
        assert!(errors["nul"].contains("control characters"));
    }

    #[test]
    fn dates_and_instants_outside_1970_to_9999_are_refused() {
        let now = DateTime::parse_from_rfc3339("2026-11-26T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let mut c = Checker::default();
        assert_eq!(
            c.date("first", Some("1970-01-01")),
            NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()
        );
        assert_eq!(
            c.date("last", Some("9999-12-31")),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()
        );
        c.date("julian", Some("-4714-11-24"));
        c.date("far", Some("+10000-01-01"));
        c.date("before_epoch", Some("1969-12-31"));
        assert!(
            c.instant("late_ok", Some("9999-12-31T23:59:59Z"), None)
                .is_some()
        );
        assert_eq!(
            c.instant("instant_far", Some("9999-12-31T23:00:00-05:00"), None),
            None
        );
        assert_eq!(
            c.instant("instant_old", Some("0001-01-01T00:00:00Z"), None),
            None
        );
        assert_eq!(c.due("due_far", Some("+10000-01-01"), now), None);
        assert!(c.in_range("read_ok", now));
        assert!(!c.in_range("read_old", DateTime::<Utc>::MIN_UTC));
        let errors = c.finish(()).unwrap_err();
        for field in [
            "julian",
            "far",
            "before_epoch",
            "instant_far",
            "instant_old",
            "due_far",
            "read_old",
        ] {
            assert!(
                errors.get(field).is_some_and(|why| why.contains("1970")),
                "{field}: {errors:?}"
            );
        }
        assert_eq!(errors.len(), 7);
    }

    #[test]
    fn id_lists_are_bounded_and_deduplicated_in_order() {
        let mut c = Checker::default();
        assert_eq!(c.ids("people", &[3, 1, 3, 2, 1], MAX_IDS), [3, 1, 2]);
        assert_eq!(
            c.ids("flood", &vec![7; MAX_IDS + 1], MAX_IDS),
            Vec::<i64>::new()
        );
        assert!(c.at_most("items", MAX_ITEMS, MAX_ITEMS));
        assert!(!c.at_most("too_many", MAX_ITEMS + 1, MAX_ITEMS));
        let errors = c.finish(()).unwrap_err();
        assert_eq!(
            errors.keys().map(String::as_str).collect::<Vec<_>>(),
            ["flood", "too_many"]
        );
    }

    #[test]
    fn integers_are_range_checked() {
        let mut c = Checker::default();
        assert_eq!(c.int_in("tier", Some(2), 1..=4), 2);
        c.int_in("low", Some(0), 1..=4);
        c.int_in("missing", None, 0..=5);
        assert_eq!(c.parse_int("n", "x7"), None);
        let errors = c.finish(()).unwrap_err();
        assert_eq!(errors.len(), 3);
    }
}
