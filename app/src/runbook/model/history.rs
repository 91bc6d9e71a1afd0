//! A runbook's history: the list of its versions, and two versions side by side.

use super::{Runbook, TierPolicy, span_text};
use crate::auth::model::Person;
use crate::escalation::Tier;
use crate::launch::LaunchId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One saved version as the history lists it: who saved it, when and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VersionEntry {
    pub version: i64,
    /// When it was saved (none: the built-in defaults).
    pub at: Option<DateTime<Utc>>,
    /// Who saved it (none: the built-in defaults).
    pub author: Option<Person>,
    pub reason: String,
    /// The pilot launch whose own runbook it belongs to; none: the default runbook.
    pub launch_id: Option<LaunchId>,
}

impl From<&Runbook> for VersionEntry {
    fn from(book: &Runbook) -> Self {
        Self {
            version: book.version,
            at: book.at,
            author: book.author.clone(),
            reason: book.reason.clone(),
            launch_id: book.launch_id,
        }
    }
}

/// One line of a side-by-side comparison: what one field of one tier reads in each version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub tier: Tier,
    pub field: String,
    pub before: String,
    pub after: String,
}

impl Line {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// Two versions side by side, and the lines that compare them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    pub before: VersionEntry,
    pub after: VersionEntry,
    pub lines: Vec<Line>,
}

/// Every field of every tier of two versions, line by line; each step is a line of its own,
/// so a changed step shows as that step changing.
pub fn compare(before: &Runbook, after: &Runbook) -> Vec<Line> {
    let mut lines = Vec::new();
    for tier in Tier::ALL {
        let (old, new) = (fields(&before.policy(tier)), fields(&after.policy(tier)));
        let steps = old.len().max(new.len());
        for i in 0..steps {
            let pick = |list: &[(String, String)]| list.get(i).cloned();
            let (a, b) = (pick(&old), pick(&new));
            let field = a.as_ref().or(b.as_ref()).map(|(f, _)| f.clone());
            lines.push(Line {
                tier,
                field: field.unwrap_or_default(),
                before: a.map(|(_, v)| v).unwrap_or_else(|| "—".into()),
                after: b.map(|(_, v)| v).unwrap_or_else(|| "—".into()),
            });
        }
    }
    lines
}

/// A tier's fields as (label, text), the steps last, one each.
fn fields(policy: &TierPolicy) -> Vec<(String, String)> {
    let mut out = vec![
        ("Red flags".to_string(), policy.red_flags.clone()),
        (
            "Acknowledge within".into(),
            span_text(policy.acknowledge_within()),
        ),
        ("Update every".into(), span_text(policy.update_every())),
        ("Decide within".into(), span_text(policy.decide_within())),
        (
            "Executives told".into(),
            if policy.notify_executives {
                "Yes"
            } else {
                "No"
            }
            .into(),
        ),
    ];
    out.extend(
        policy
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| (format!("Step {}", i + 1), step.clone())),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comparison_marks_exactly_what_changed() {
        let before = Runbook::default();
        let mut after = before.clone();
        after.version = 2;
        after.tiers[1].update_minutes = 120;
        after.tiers[1].steps[0] = "Page the owner".into();
        after.tiers[3]
            .steps
            .push("Close the loop with support".into());
        let lines = compare(&before, &after);
        let changed: Vec<_> = lines
            .iter()
            .filter(|l| l.changed())
            .map(|l| {
                (
                    l.tier.get(),
                    l.field.as_str(),
                    l.before.as_str(),
                    l.after.as_str(),
                )
            })
            .collect();
        assert_eq!(
            changed,
            [
                (2, "Update every", "4 h 00 min", "2 h 00 min"),
                (
                    2,
                    "Step 1",
                    "Acknowledge and assign an owner with authority and a deadline",
                    "Page the owner"
                ),
                (4, "Step 3", "—", "Close the loop with support"),
            ]
        );
        assert!(compare(&before, &before).iter().all(|l| !l.changed()));
    }
}
