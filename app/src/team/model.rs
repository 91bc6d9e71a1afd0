//! The escalation team's functional roles and the rotation that decides who is on duty: pure
//! rules over an injected instant, so the boundary is exact and testable.

use crate::auth::model::{Person, UserId};
use crate::error::FieldErrors;
use crate::validate::{Checker, MAX_IDS};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The seats of the escalation team (the seed's cross-functional team).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FunctionalRole {
    ProductOwner,
    EngineeringLead,
    Marketing,
    CustomerSuccess,
    Sales,
    Support,
}

impl FunctionalRole {
    pub const ALL: [Self; 6] = [
        Self::ProductOwner,
        Self::EngineeringLead,
        Self::Marketing,
        Self::CustomerSuccess,
        Self::Sales,
        Self::Support,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProductOwner => "product_owner",
            Self::EngineeringLead => "engineering_lead",
            Self::Marketing => "marketing",
            Self::CustomerSuccess => "customer_success",
            Self::Sales => "sales",
            Self::Support => "support",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ProductOwner => "Product owner",
            Self::EngineeringLead => "Engineering lead",
            Self::Marketing => "Marketing",
            Self::CustomerSuccess => "Customer success",
            Self::Sales => "Sales",
            Self::Support => "Support",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// Who fills each seat, in turn: the rotation advances every `period_days`, counted from
/// `starts_at`. Each seat's list is its own cycle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Rotation {
    pub period_days: i64,
    pub starts_at: DateTime<Utc>,
    /// Per functional role (`"engineering_lead"` …), the user ids in turn.
    pub roles: BTreeMap<FunctionalRole, Vec<i64>>,
    pub version: i64,
}

impl Rotation {
    /// Weekly, from `starts_at`, with nobody on any seat yet.
    pub fn weekly_from(starts_at: DateTime<Utc>) -> Self {
        Self {
            period_days: 7,
            starts_at,
            roles: BTreeMap::new(),
            version: 0,
        }
    }

    fn period(&self) -> Duration {
        Duration::days(self.period_days.max(1))
    }

    /// Which turn it is at `at` (before `starts_at` it is the first).
    pub fn turn(&self, at: DateTime<Utc>) -> i64 {
        let elapsed = (at - self.starts_at).num_seconds().max(0);
        elapsed / self.period().num_seconds()
    }

    /// When the turn running at `at` ends.
    pub fn next_change(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        self.starts_at + self.period() * (self.turn(at) as i32 + 1)
    }

    /// Who is on duty in `role` at `at`.
    pub fn on_duty(&self, role: FunctionalRole, at: DateTime<Utc>) -> Option<i64> {
        let people = self.roles.get(&role).filter(|p| !p.is_empty())?;
        let turn = self.turn(at);
        Some(people[turn.rem_euclid(people.len() as i64) as usize])
    }

    /// The whole team on duty at `at`: one entry per seat that someone fills.
    pub fn team_at(&self, at: DateTime<Utc>) -> BTreeMap<FunctionalRole, i64> {
        FunctionalRole::ALL
            .into_iter()
            .filter_map(|role| self.on_duty(role, at).map(|id| (role, id)))
            .collect()
    }

    /// Checks the shape; `known` says whether a user id is an active user.
    pub fn validate(&self, known: impl Fn(i64) -> bool) -> Result<(), FieldErrors> {
        let mut check = Checker::default();
        if !(1..=90).contains(&self.period_days) {
            check.fail("period_days", "must be between 1 and 90 days");
        }
        check.in_range("starts_at", self.starts_at);
        for (role, people) in &self.roles {
            let field = format!("roles.{}", role.as_str());
            if people.len() > MAX_IDS {
                check.fail(&field, format!("must list at most {MAX_IDS} people"));
                continue;
            }
            if let Some(id) = people.iter().find(|id| !known(**id)) {
                check.fail(&field, format!("{id} is not an active user"));
            }
            let mut seen = people.clone();
            seen.sort_unstable();
            seen.dedup();
            if seen.len() != people.len() {
                check.fail(&field, "lists someone twice");
            }
        }
        check.finish(())
    }
}

/// Who is on duty now and who comes next, per seat (the team page and `GET …/team`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Seat {
    pub role: FunctionalRole,
    pub label: String,
    pub now: Option<Person>,
    pub next: Option<Person>,
}

/// The team page's data: the rotation, every seat now and next, and when the turn changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TeamView {
    pub rotation: Rotation,
    pub seats: Vec<Seat>,
    pub changes_at: DateTime<Utc>,
    pub now: DateTime<Utc>,
}

impl TeamView {
    pub fn build(rotation: Rotation, people: &[Person], now: DateTime<Utc>) -> Self {
        let person =
            |id: Option<i64>| id.and_then(|id| people.iter().find(|p| p.id == UserId(id)).cloned());
        let changes_at = rotation.next_change(now);
        let seats = FunctionalRole::ALL
            .into_iter()
            .map(|role| Seat {
                role,
                label: role.label().to_string(),
                now: person(rotation.on_duty(role, now)),
                next: person(rotation.on_duty(role, changes_at)),
            })
            .collect();
        Self {
            rotation,
            seats,
            changes_at,
            now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn rotation() -> Rotation {
        let mut r = Rotation::weekly_from(at("2026-11-02T09:00:00Z"));
        r.roles
            .insert(FunctionalRole::EngineeringLead, vec![10, 11, 12]);
        r.roles.insert(FunctionalRole::Support, vec![20]);
        r
    }

    #[test]
    fn the_turn_changes_exactly_at_the_boundary() {
        let r = rotation();
        let boundary = at("2026-11-09T09:00:00Z");
        let just_before = boundary - Duration::seconds(1);
        assert_eq!(
            r.on_duty(FunctionalRole::EngineeringLead, just_before),
            Some(10)
        );
        assert_eq!(
            r.on_duty(FunctionalRole::EngineeringLead, boundary),
            Some(11)
        );
        assert_eq!(r.next_change(just_before), boundary);
        assert_eq!(r.next_change(boundary), at("2026-11-16T09:00:00Z"));
        // The cycle wraps, and a seat of one is always that person.
        assert_eq!(
            r.on_duty(FunctionalRole::EngineeringLead, at("2026-11-23T09:00:00Z")),
            Some(10)
        );
        assert_eq!(r.on_duty(FunctionalRole::Support, boundary), Some(20));
        assert_eq!(r.on_duty(FunctionalRole::Sales, boundary), None);
    }

    #[test]
    fn before_the_start_the_first_turn_holds_and_periods_are_configurable() {
        let mut r = rotation();
        assert_eq!(
            r.on_duty(FunctionalRole::EngineeringLead, at("2026-10-01T00:00:00Z")),
            Some(10)
        );
        r.period_days = 1;
        assert_eq!(
            r.on_duty(FunctionalRole::EngineeringLead, at("2026-11-04T09:00:00Z")),
            Some(12)
        );
        let team = r.team_at(at("2026-11-03T10:00:00Z"));
        assert_eq!(team[&FunctionalRole::EngineeringLead], 11);
        assert_eq!(team.len(), 2);
    }

    #[test]
    fn a_rotation_names_unknown_people_duplicates_and_bad_periods() {
        let mut r = rotation();
        r.period_days = 0;
        r.roles.insert(FunctionalRole::Sales, vec![30, 30]);
        let errors = r.validate(|id| id != 12).unwrap_err();
        assert_eq!(
            errors.keys().map(String::as_str).collect::<Vec<_>>(),
            ["period_days", "roles.engineering_lead", "roles.sales"]
        );
    }
}
