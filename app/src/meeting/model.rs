//! A cadence's shape (`{name, kind, every, at, timezone, minutes_long, participants}`) with
//! its validation, and the generated agenda (`agenda`).

pub mod agenda;

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

/// How often a cadence meets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Every {
    /// Every day.
    Day,
    /// Monday to Friday.
    Weekday,
    /// Once a week, on the weekday of its first meeting.
    Week,
}

impl Every {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "day" => Some(Self::Day),
            "weekday" => Some(Self::Weekday),
            "week" => Some(Self::Week),
            _ => None,
        }
    }
}

/// What a meeting is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    Standup,
    Review,
    Workshop,
    /// Called about a stalled decision.
    Urgent,
}

impl MeetingKind {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "standup" => Some(Self::Standup),
            "review" => Some(Self::Review),
            "workshop" => Some(Self::Workshop),
            "urgent" => Some(Self::Urgent),
            _ => None,
        }
    }
}

/// `HH:MM` on a 24-hour clock: `09:00`, `17:30`.
pub fn parse_at(text: &str) -> Option<NaiveTime> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meeting_times_are_hh_mm() {
        assert_eq!(parse_at("09:00"), NaiveTime::from_hms_opt(9, 0, 0));
        assert_eq!(parse_at("23:59"), NaiveTime::from_hms_opt(23, 59, 0));
        for bad in [
            "9:00", "24:00", "12:60", "12-00", "", "1200", "ab:cd", "09:00:00",
        ] {
            assert_eq!(parse_at(bad), None, "{bad}");
        }
        assert_eq!(Every::parse("weekday"), Some(Every::Weekday));
        assert_eq!(Every::parse("fortnight"), None);
        assert_eq!(MeetingKind::parse("standup"), Some(MeetingKind::Standup));
    }
}
