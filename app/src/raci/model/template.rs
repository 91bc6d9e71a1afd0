//! The template a new launch's matrix starts from: the common activities of an escalation,
//! one column per seat of the escalation team.

use super::{Activity, ColumnKey, Letter, Raci};
use crate::team::model::FunctionalRole;

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
