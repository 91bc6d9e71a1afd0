//! When a cadence meets: its `at` on its own wall clock in its IANA time zone, so a 09:00
//! Berlin stand-up stays at 09:00 in Berlin when the clocks change. A time that does not exist
//! that day (the hour skipped in spring) moves an hour later; one that happens twice (the
//! hour repeated in autumn) is the first.

use super::model::Every;
use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

/// An IANA time zone by name (`Europe/Berlin`), or `None`.
pub fn zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// The instant a wall-clock time falls at in `tz` that day.
fn instant(tz: Tz, date: NaiveDate, at: NaiveTime) -> Option<DateTime<Utc>> {
    let local = date.and_time(at);
    let found = match tz.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t),
        // In the spring gap: an hour later is the same wall clock the day had meant.
        LocalResult::None => tz
            .from_local_datetime(&(local + Duration::hours(1)))
            .earliest(),
    };
    found.map(|t| t.with_timezone(&Utc))
}

/// Whether the cadence meets on `date` (weekly ones on `anchor`'s weekday).
fn meets_on(every: Every, date: NaiveDate, anchor: NaiveDate) -> bool {
    match every {
        Every::Day => true,
        Every::Weekday => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        Every::Week => date.weekday() == anchor.weekday(),
    }
}

/// The first meeting strictly after `after`.
pub fn next_start(
    every: Every,
    at: NaiveTime,
    tz: Tz,
    anchor: NaiveDate,
    after: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let today = after.with_timezone(&tz).date_naive();
    (0..9)
        .filter_map(|d| today.checked_add_signed(Duration::days(d)))
        .filter(|date| meets_on(every, *date, anchor))
        .filter_map(|date| instant(tz, date, at))
        .find(|start| *start > after)
}

/// The meetings from `after` on, at most `count`.
pub fn upcoming(
    every: Every,
    at: NaiveTime,
    tz: Tz,
    anchor: NaiveDate,
    after: DateTime<Utc>,
    count: usize,
) -> Vec<DateTime<Utc>> {
    let mut out = Vec::with_capacity(count);
    let mut from = after;
    while out.len() < count {
        let Some(next) = next_start(every, at, tz, anchor, from) else {
            break;
        };
        out.push(next);
        from = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn nine() -> NaiveTime {
        NaiveTime::from_hms_opt(9, 0, 0).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_berlin_stand_up_stays_at_nine_across_the_autumn_change() {
        let berlin = zone("Europe/Berlin").unwrap();
        // Clocks go back on Sunday 25 October 2026: 09:00 is 07:00 UTC before, 08:00 after.
        let starts = upcoming(
            Every::Day,
            nine(),
            berlin,
            day("2026-10-01"),
            utc("2026-10-23T12:00:00Z"),
            4,
        );
        assert_eq!(
            starts,
            [
                utc("2026-10-24T07:00:00Z"),
                utc("2026-10-25T08:00:00Z"),
                utc("2026-10-26T08:00:00Z"),
                utc("2026-10-27T08:00:00Z"),
            ]
        );
    }

    #[test]
    fn the_skipped_spring_hour_moves_an_hour_later_and_the_repeated_one_is_the_first() {
        let new_york = zone("America/New_York").unwrap();
        let half_two = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        // 8 March 2026: 02:00–03:00 does not exist in New York; 02:30 becomes 03:30 EDT.
        let spring = next_start(
            Every::Day,
            half_two,
            new_york,
            day("2026-03-01"),
            utc("2026-03-08T00:00:00Z"),
        );
        assert_eq!(spring, Some(utc("2026-03-08T07:30:00Z")));
        // 1 November 2026: 01:30 happens twice; the first is 01:30 EDT = 05:30 UTC.
        let half_one = NaiveTime::from_hms_opt(1, 30, 0).unwrap();
        let autumn = next_start(
            Every::Day,
            half_one,
            new_york,
            day("2026-10-01"),
            utc("2026-11-01T00:00:00Z"),
        );
        assert_eq!(autumn, Some(utc("2026-11-01T05:30:00Z")));
    }

    #[test]
    fn weekdays_skip_the_weekend_and_weekly_keeps_its_weekday() {
        let utc_zone = zone("UTC").unwrap();
        // Friday 27 November 2026, after nine: next weekday meeting is Monday.
        let after = utc("2026-11-27T10:00:00Z");
        assert_eq!(
            next_start(Every::Weekday, nine(), utc_zone, day("2026-11-02"), after),
            Some(utc("2026-11-30T09:00:00Z"))
        );
        // Weekly from a Wednesday anchor: the next Wednesday.
        assert_eq!(
            next_start(Every::Week, nine(), utc_zone, day("2026-11-04"), after),
            Some(utc("2026-12-02T09:00:00Z"))
        );
        // Tokyo has no daylight saving: nine is always midnight UTC.
        let tokyo = zone("Asia/Tokyo").unwrap();
        assert_eq!(
            next_start(Every::Day, nine(), tokyo, day("2026-11-01"), after),
            Some(utc("2026-11-28T00:00:00Z"))
        );
        assert!(zone("Mars/Olympus_Mons").is_none());
    }
}
