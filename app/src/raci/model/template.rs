//! The template a new launch's matrix starts from: the common activities of an escalation,
//! one column per seat of the escalation team.

use super::{Activity, ColumnKey, Letter, Raci};
use crate::team::model::FunctionalRole;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A governance review's change to the template: one activity's row as it should be (by
/// name; a new name adds the activity), or with `remove` the activity taken out. Cells are
/// functional roles (`"role:support"`) with `R`, `A`, `C` or `I`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaciTemplateChange {
    pub activity: String,
    #[serde(default)]
    pub cells: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub remove: bool,
}

impl RaciTemplateChange {
    /// "“Customer communication”: Marketing A, Support R", the change in words.
    pub fn text(&self) -> String {
        if self.remove {
            return format!("remove “{}”", self.activity.trim());
        }
        let cells: Vec<String> = self
            .cells
            .iter()
            .map(|(key, letter)| {
                let who = match ColumnKey::parse(key) {
                    Some(ColumnKey::Role(role)) => role.label().to_string(),
                    _ => key.clone(),
                };
                format!("{who} {}", letter.trim().to_uppercase())
            })
            .collect();
        format!("“{}”: {}", self.activity.trim(), cells.join(", "))
    }
}

impl Activity {
    fn with(name: &str, separate_duties: bool, cells: &[(FunctionalRole, Letter)]) -> Self {
        Self {
            name: name.to_string(),
            cells: cells
                .iter()
                .map(|(role, letter)| (ColumnKey::Role(*role).key(), *letter))
                .collect(),
            separate_duties,
        }
    }
}

impl Raci {
    /// The template a new launch starts from: the common activities of an escalation and one
    /// column per seat of the escalation team.
    pub fn template() -> Self {
        use FunctionalRole::*;
        use Letter::*;
        Self {
            columns: FunctionalRole::ALL
                .into_iter()
                .map(|r| ColumnKey::Role(r).key())
                .collect(),
            activities: vec![
                Activity::with(
                    "Triage and assign an owner",
                    false,
                    &[
                        (EngineeringLead, A),
                        (Support, R),
                        (ProductOwner, C),
                        (Marketing, I),
                        (Sales, I),
                        (CustomerSuccess, I),
                    ],
                ),
                Activity::with(
                    "Go/no-go decision",
                    true,
                    &[
                        (ProductOwner, A),
                        (EngineeringLead, R),
                        (Marketing, C),
                        (Sales, C),
                        (CustomerSuccess, I),
                        (Support, I),
                    ],
                ),
                Activity::with(
                    "Approve workaround",
                    true,
                    &[
                        (EngineeringLead, A),
                        (Support, R),
                        (ProductOwner, C),
                        (CustomerSuccess, I),
                    ],
                ),
                Activity::with(
                    "Hotfix release",
                    false,
                    &[
                        (ProductOwner, A),
                        (EngineeringLead, R),
                        (Support, C),
                        (CustomerSuccess, I),
                        (Marketing, I),
                        (Sales, I),
                    ],
                ),
                Activity::with(
                    "Customer communication",
                    false,
                    &[
                        (Marketing, A),
                        (CustomerSuccess, R),
                        (Support, C),
                        (ProductOwner, C),
                        (Sales, I),
                        (EngineeringLead, I),
                    ],
                ),
                Activity::with(
                    "Executive briefing",
                    false,
                    &[
                        (ProductOwner, A),
                        (Marketing, R),
                        (EngineeringLead, C),
                        (Sales, I),
                        (CustomerSuccess, I),
                    ],
                ),
                Activity::with(
                    "Sales and partner communication",
                    false,
                    &[
                        (Marketing, A),
                        (Sales, R),
                        (CustomerSuccess, C),
                        (ProductOwner, I),
                    ],
                ),
                Activity::with(
                    "Support macros and help centre",
                    false,
                    &[
                        (CustomerSuccess, A),
                        (Support, R),
                        (Marketing, C),
                        (EngineeringLead, I),
                    ],
                ),
            ],
            version: 0,
            warnings: Vec::new(),
            inherited: false,
        }
    }
}
