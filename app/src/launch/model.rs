//! Launch wire types and their validation.

use crate::auth::model::Person;
use crate::error::FieldErrors;
use crate::validate::Checker;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct LaunchId(pub i64);

impl std::fmt::Display for LaunchId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LaunchStatus {
    Planning,
    Live,
    Done,
    Archived,
}

impl LaunchStatus {
    pub const ALL: [LaunchStatus; 4] = [Self::Planning, Self::Live, Self::Done, Self::Archived];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planning => "planning",
            Self::Live => "live",
            Self::Done => "done",
            Self::Archived => "archived",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Planning => "Planning",
            Self::Live => "Live",
            Self::Done => "Done",
            Self::Archived => "Archived",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// A launch as clients see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Launch {
    pub id: LaunchId,
    pub name: String,
    /// The calendar date the launch is planned for (`YYYY-MM-DD`).
    pub target_date: NaiveDate,
    pub description: String,
    pub status: LaunchStatus,
    /// The executive who sponsors it; urgent meetings about stalled decisions include them.
    pub sponsor: Option<Person>,
    /// The facilitator who leads its escalations.
    pub lead: Option<Person>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A launch as typed into the form or posted to `POST /api/v1/launches`; every field is
/// optional here so that a missing one is reported by name rather than as unreadable JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LaunchDraft {
    pub name: Option<String>,
    pub target_date: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
    pub sponsor_id: Option<i64>,
    pub lead_id: Option<i64>,
}

/// A draft that passed validation.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidLaunch {
    pub name: String,
    pub target_date: NaiveDate,
    pub description: String,
    pub status: LaunchStatus,
    pub sponsor_id: Option<i64>,
    pub lead_id: Option<i64>,
}

impl LaunchDraft {
    /// Checks a new launch: `POST /api/v1/launches` takes `{name, target_date, description?}`
    /// and a new launch always starts in `planning`, so a `status` sent along is ignored
    /// (unknown fields are ignored), never stored.
    pub fn validate_new(&self) -> Result<ValidLaunch, FieldErrors> {
        let mut valid = Self {
            status: None,
            ..self.clone()
        }
        .validate()?;
        valid.status = LaunchStatus::Planning;
        Ok(valid)
    }

    /// Checks every field and names each one refused (an edit may set any status).
    pub fn validate(&self) -> Result<ValidLaunch, FieldErrors> {
        let mut check = Checker::default();
        let name = check.name("name", self.name.as_deref());
        let target_date = check.date("target_date", self.target_date.as_deref());
        let description = check.text("description", self.description.as_deref());
        let status = match self.status.as_deref().map(str::trim) {
            None | Some("") => LaunchStatus::Planning,
            Some(s) => LaunchStatus::parse(s).unwrap_or_else(|| {
                check.fail("status", "must be planning, live, done or archived");
                LaunchStatus::Planning
            }),
        };
        check.finish(ValidLaunch {
            name,
            target_date,
            description,
            status,
            sponsor_id: self.sponsor_id,
            lead_id: self.lead_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str, date: &str) -> LaunchDraft {
        LaunchDraft {
            name: Some(name.into()),
            target_date: Some(date.into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_new_launch_starts_in_planning() {
        let valid = draft("Aurora GA", "2027-03-01").validate().unwrap();
        assert_eq!(valid.status, LaunchStatus::Planning);
        assert_eq!(valid.name, "Aurora GA");
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = LaunchDraft {
            name: Some(" ".into()),
            target_date: Some("2027-02-30".into()),
            description: Some("d".repeat(10_001)),
            status: Some("paused".into()),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let named: Vec<_> = errors.keys().map(String::as_str).collect();
        assert_eq!(named, ["description", "name", "status", "target_date"]);
    }

    #[test]
    fn a_status_sent_with_a_new_launch_is_ignored() {
        for status in ["archived", "live", "paused"] {
            let new = LaunchDraft {
                status: Some(status.into()),
                ..draft("Aurora GA", "2027-03-01")
            };
            assert_eq!(new.validate_new().unwrap().status, LaunchStatus::Planning);
        }
    }

    #[test]
    fn hostile_text_and_dates_out_of_range_are_named() {
        for date in ["-4714-11-24", "+10000-01-01", "1969-12-31"] {
            let errors = LaunchDraft {
                name: Some("Aurora\u{0}GA".into()),
                description: Some("a\u{0}b".into()),
                ..draft("x", date)
            }
            .validate()
            .unwrap_err();
            let named: Vec<_> = errors.keys().map(String::as_str).collect();
            assert_eq!(named, ["description", "name", "target_date"], "{date}");
        }
    }

    #[test]
    fn statuses_round_trip() {
        for s in LaunchStatus::ALL {
            assert_eq!(LaunchStatus::parse(s.as_str()), Some(s));
        }
    }
}

/// A launch with what its home-page tile shows at a glance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LaunchHealth {
    pub launch: Launch,
    /// Escalations not yet closed.
    pub open: u32,
    /// Open escalations of tier 1 or 2.
    pub major: u32,
    /// Open escalations past their deadline.
    pub overdue: u32,
    /// Open escalations whose decision request is past due (stalled).
    #[serde(default)]
    pub stalled: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Health {
    OnTrack,
    AtRisk,
    Critical,
}

impl LaunchHealth {
    /// Critical when a major escalation is open past its deadline; at risk while any major
    /// escalation, any overdue one or a stalled decision is open; otherwise on track.
    pub fn health(&self) -> Health {
        if self.major > 0 && self.overdue > 0 {
            Health::Critical
        } else if self.major > 0 || self.overdue > 0 || self.stalled > 0 {
            Health::AtRisk
        } else {
            Health::OnTrack
        }
    }
}

impl Health {
    pub fn label(self) -> &'static str {
        match self {
            Self::OnTrack => "On track",
            Self::AtRisk => "At risk",
            Self::Critical => "Critical",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Self::OnTrack => "health-ok",
            Self::AtRisk => "health-risk",
            Self::Critical => "health-critical",
        }
    }
}

/// `PUT /api/v1/launches/{id}/authority`: the members who may commit resources for it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuthorityList {
    pub user_ids: Vec<i64>,
}
