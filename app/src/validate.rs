//! Field checks shared by every feature's validation (limits from DESIGN.md's REST contract).

use crate::error::FieldErrors;
use chrono::{DateTime, NaiveDate, Utc};

/// Names and titles: 1–200 characters after trimming.
pub const MAX_NAME: usize = 200;
/// Long text (descriptions, updates, decisions): at most 10,000 characters.
pub const MAX_TEXT: usize = 10_000;

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

    /// A required name or title: trimmed, 1–200 characters.
    pub fn name(&mut self, field: &str, value: Option<&str>) -> String {
        let value = value.unwrap_or_default().trim();
        if value.is_empty() {
            self.fail(field, "is required");
        } else if value.chars().count() > MAX_NAME {
            self.fail(field, format!("must be at most {MAX_NAME} characters"));
        }
        value.to_string()
    }

    /// Optional long text: at most 10,000 characters (empty is fine).
    pub fn text(&mut self, field: &str, value: Option<&str>) -> String {
        let value = value.unwrap_or_default().trim();
        if value.chars().count() > MAX_TEXT {
            self.fail(field, format!("must be at most {MAX_TEXT} characters"));
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
            Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d").unwrap_or_else(|_| {
                self.fail(field, "must be a real date written YYYY-MM-DD");
                NaiveDate::default()
            }),
        }
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
