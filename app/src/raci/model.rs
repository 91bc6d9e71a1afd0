//! The RACI matrix: activities (rows) × columns (a person, `"<user_id>"`, or a functional
//! role, `"role:<name>"`), each cell R, A, C or I. The rules — exactly one A and at least one
//! R per activity (refused otherwise), gaps and overlaps (warned, never refused) — are pure
//! functions shared by the editor, which shows them live, and the server, which enforces them.

mod checks;
mod csv;
mod draft;
mod template;
#[cfg(test)]
mod tests;

pub use self::csv::to_csv;
pub use draft::{ActivityDraft, RaciDraft};
pub use template::RaciTemplateChange;

use crate::auth::Person;
use crate::escalation::EscalationId;
use crate::launch::LaunchId;
use crate::team::model::FunctionalRole;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// At most this many activities and columns: a matrix a person can read.
pub const MAX_ACTIVITIES: usize = 100;
pub const MAX_COLUMNS: usize = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Letter {
    R,
    A,
    C,
    I,
}

impl Letter {
    pub const ALL: [Self; 4] = [Self::R, Self::A, Self::C, Self::I];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::R => "R",
            Self::A => "A",
            Self::C => "C",
            Self::I => "I",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Self::R => "Responsible",
            Self::A => "Accountable",
            Self::C => "Consulted",
            Self::I => "Informed",
        }
    }

    /// A typed letter, either case.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim() {
            "R" | "r" => Some(Self::R),
            "A" | "a" => Some(Self::A),
            "C" | "c" => Some(Self::C),
            "I" | "i" => Some(Self::I),
            _ => None,
        }
    }
}

/// A column: one person, or a functional role resolved to whoever is on duty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ColumnKey {
    Person(i64),
    Role(FunctionalRole),
}

impl ColumnKey {
    pub fn parse(key: &str) -> Option<Self> {
        match key.strip_prefix("role:") {
            Some(role) => FunctionalRole::parse(role).map(Self::Role),
            None => key.parse().ok().filter(|id| *id > 0).map(Self::Person),
        }
    }

    pub fn key(self) -> String {
        match self {
            Self::Person(id) => id.to_string(),
            Self::Role(role) => format!("role:{}", role.as_str()),
        }
    }
}

/// One row: the activity and its letters by column key.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Activity {
    pub name: String,
    pub cells: BTreeMap<String, Letter>,
    /// Responsible and accountable should be different people (approvals, go/no-go).
    #[serde(default)]
    pub separate_duties: bool,
}

impl Activity {
    /// The column accountable for it, when there is exactly one.
    pub fn accountable(&self) -> Option<&str> {
        let mut a = self.cells.iter().filter(|(_, l)| **l == Letter::A);
        match (a.next(), a.next()) {
            (Some((key, _)), None) => Some(key),
            _ => None,
        }
    }

    /// Whether this is the activity where decisions are made (requests go to its A).
    pub fn is_decision(&self) -> bool {
        let name = self.name.to_lowercase();
        name.contains("decision") || name.contains("decide")
    }
}

/// A launch's (or an escalation's) matrix, as stored, read and saved.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Raci {
    pub activities: Vec<Activity>,
    /// Column keys in display order (`"<user_id>"` or `"role:<name>"`).
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub version: i64,
    /// Gaps and overlaps: shown, returned with a save, never refused.
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// An escalation's matrix that is still the launch's (not yet adjusted).
    #[serde(default)]
    pub inherited: bool,
}

/// A gap or an overlap.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Warning {
    /// `gap` or `overlap`.
    pub kind: String,
    pub message: String,
    pub activity: Option<String>,
    pub column: Option<String>,
}

impl Raci {
    /// The activity decisions are made in, if the matrix has one.
    pub fn decision_activity(&self) -> Option<&Activity> {
        self.activities.iter().find(|a| a.is_decision())
    }
}

/// Whose matrix: a launch's, or one escalation's adjusted copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    Launch(LaunchId),
    Escalation(EscalationId),
}

impl Scope {
    pub fn key(self) -> String {
        match self {
            Self::Launch(id) => format!("launch:{id}"),
            Self::Escalation(id) => format!("escalation:{id}"),
        }
    }
}

/// Who the roles mean and what to call every column, for one scope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    pub launch_id: LaunchId,
    pub escalation_id: Option<EscalationId>,
    /// Each role's person: the escalation's team, or whoever is on duty now.
    pub on_duty: BTreeMap<FunctionalRole, Person>,
    /// Every active person (columns that can be added, names for person columns).
    pub people: Vec<Person>,
}

impl Resolution {
    pub fn resolve(&self, key: ColumnKey) -> Option<i64> {
        match key {
            ColumnKey::Person(id) => Some(id),
            ColumnKey::Role(role) => self.on_duty.get(&role).map(|p| p.id.0),
        }
    }

    /// "Priya Natarajan", or "Engineering lead (Sam Okafor)" for a role on duty.
    pub fn label(&self, key: &str) -> String {
        match ColumnKey::parse(key) {
            Some(ColumnKey::Person(id)) => self
                .people
                .iter()
                .find(|p| p.id.0 == id)
                .map_or_else(|| format!("User {id}"), |p| p.name.clone()),
            Some(ColumnKey::Role(role)) => match self.on_duty.get(&role) {
                Some(p) => format!("{} ({})", role.label(), p.name),
                None => role.label().to_string(),
            },
            None => key.to_string(),
        }
    }

    pub fn warnings(&self, raci: &Raci) -> Vec<Warning> {
        raci.warnings(|k| self.resolve(k), |k| self.label(k))
    }
}

/// One row of "who does what" on the escalation page: the activity and the people per
/// letter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Duty {
    pub activity: String,
    pub responsible: Vec<String>,
    pub accountable: Vec<String>,
    pub consulted: Vec<String>,
    pub informed: Vec<String>,
}
