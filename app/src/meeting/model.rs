//! A cadence's shape (`{name, kind, every, at, timezone, minutes_long, participants}`) with
//! its validation, and the generated agenda (`agenda`).

pub mod agenda;

pub use agenda::AgendaItem;

use crate::auth::model::Person;
use chrono::{DateTime, NaiveTime, Utc};
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
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Weekday => "weekday",
            Self::Week => "week",
        }
    }

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
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standup => "standup",
            Self::Review => "review",
            Self::Workshop => "workshop",
            Self::Urgent => "urgent",
        }
    }

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

/// `POST /api/v1/launches/{id}/cadences`: `participants` are user ids (integers) or
/// `"role:<name>"` (everyone with that role).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CadenceDraft {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub every: Option<String>,
    /// `HH:MM` on the zone's wall clock.
    pub at: Option<String>,
    /// An IANA zone: `Europe/Berlin`.
    pub timezone: Option<String>,
    pub minutes_long: Option<i64>,
    #[serde(default)]
    pub participants: Vec<serde_json::Value>,
}

/// A launch's recurring convening, with its next meeting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Cadence {
    pub id: i64,
    pub launch_id: i64,
    pub name: String,
    pub kind: MeetingKind,
    pub every: Every,
    pub at: String,
    pub timezone: String,
    pub minutes_long: i32,
    pub participants: Vec<serde_json::Value>,
    pub next_at: Option<DateTime<Utc>>,
}

/// A governance review's change to a cadence: `{cadence_id, every?, at?, timezone?,
/// minutes_long?}`, at least one of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadenceChange {
    pub cadence_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes_long: Option<i64>,
}

impl CadenceChange {
    /// "Cadence 3: meet every weekday, at 10:00, for 20 minutes", the change in words.
    pub fn text(&self) -> String {
        let mut parts = Vec::new();
        if let Some(every) = &self.every {
            parts.push(format!("meet every {every}"));
        }
        if let Some(at) = &self.at {
            parts.push(format!("at {at}"));
        }
        if let Some(zone) = &self.timezone {
            parts.push(format!("on {zone} time"));
        }
        if let Some(m) = self.minutes_long {
            parts.push(format!("for {m} minutes"));
        }
        format!("Cadence {}: {}", self.cadence_id, parts.join(", "))
    }
}

/// Where a meeting stands at the time it is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Upcoming,
    InProgress,
    Ended,
}

impl MeetingStatus {
    pub fn at(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        if now < starts_at {
            Self::Upcoming
        } else if now < ends_at {
            Self::InProgress
        } else {
            Self::Ended
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Upcoming => "Upcoming",
            Self::InProgress => "In progress",
            Self::Ended => "Ended",
        }
    }
}

/// A decision recorded in a meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MeetingDecision {
    pub id: i64,
    pub escalation_id: i64,
    pub decision: String,
}

/// A meeting: a cadence's, or an urgent one about a stalled decision. Its agenda is generated
/// afresh until it starts and then kept as it stood.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Meeting {
    pub id: i64,
    pub launch_id: i64,
    pub cadence_id: Option<i64>,
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub agenda: Vec<AgendaItem>,
    pub minutes: String,
    pub status: MeetingStatus,
    pub participants: Vec<Person>,
    pub decisions: Vec<MeetingDecision>,
    pub version: i64,
}

/// `PATCH /api/v1/meetings/{id}`: the minutes, and optionally the version they were written
/// against (409 when someone saved since).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MinutesDraft {
    pub minutes: Option<String>,
    pub version: Option<i64>,
}

/// `GET /api/v1/me/calendar`: the caller's secret feed address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CalendarFeed {
    pub url: String,
}

/// `HH:MM` on a 24-hour clock: `09:00`, `17:30`.
pub fn parse_at(text: &str) -> Option<NaiveTime> {
    let (h, m) = text.split_once(':')?;
    let digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
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
            "9:00", "24:00", "12:60", "12-00", "", "1200", "ab:cd", "09:00:00", "+9:00", "09:+0",
        ] {
            assert_eq!(parse_at(bad), None, "{bad}");
        }
        assert_eq!(Every::parse("weekday"), Some(Every::Weekday));
        assert_eq!(Every::parse("fortnight"), None);
        assert_eq!(MeetingKind::parse("standup"), Some(MeetingKind::Standup));
    }
}
