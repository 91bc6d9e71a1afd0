//! The matrix's rules: which activities cannot be saved (a name of their own, exactly one A
//! and at least one R) and its gaps and overlaps, which are warned about and never refused.

use super::{Activity, ColumnKey, Letter, Raci, Warning};
use std::collections::BTreeMap;

impl Activity {
    fn count(&self, letter: Letter) -> usize {
        self.cells.values().filter(|l| **l == letter).count()
    }

    /// Why this activity cannot be saved, if it cannot.
    pub fn problem(&self) -> Option<String> {
        let accountable = self.count(Letter::A);
        let responsible = self.count(Letter::R);
        let mut why = Vec::new();
        match accountable {
            1 => {}
            0 => why.push("needs one A (accountable)".to_string()),
            n => why.push(format!("has {n} A's; exactly one person is accountable")),
        }
        if responsible == 0 {
            why.push("needs at least one R (responsible)".to_string());
        }
        (!why.is_empty()).then(|| why.join(" and "))
    }
}

impl Raci {
    /// Activities that cannot be saved, by row index, with the reason.
    pub fn problems(&self) -> BTreeMap<usize, String> {
        let mut problems = BTreeMap::new();
        for (i, activity) in self.activities.iter().enumerate() {
            let mut why = Vec::new();
            if activity.name.trim().is_empty() {
                why.push("needs a name".to_string());
            } else if self.activities[..i]
                .iter()
                .any(|a| a.name.trim().eq_ignore_ascii_case(activity.name.trim()))
            {
                why.push("has the same name as another activity".to_string());
            }
            why.extend(activity.problem());
            if !why.is_empty() {
                problems.insert(i, why.join("; "));
            }
        }
        problems
    }

    /// Gaps and overlaps. `resolve` turns a column into the person it means now (a role's
    /// on-duty member); `label` names a column for people.
    pub fn warnings(
        &self,
        resolve: impl Fn(ColumnKey) -> Option<i64>,
        label: impl Fn(&str) -> String,
    ) -> Vec<Warning> {
        let mut out = Vec::new();
        for column in &self.columns {
            let used = self.activities.iter().any(|a| a.cells.contains_key(column));
            if !used {
                out.push(Warning {
                    kind: "gap".into(),
                    message: format!("{} has no role in any activity.", label(column)),
                    activity: None,
                    column: Some(column.clone()),
                });
            }
        }
        for activity in &self.activities {
            if activity.count(Letter::I) == 0 {
                out.push(Warning {
                    kind: "gap".into(),
                    message: format!(
                        "No one is informed about \u{201c}{}\u{201d}.",
                        activity.name
                    ),
                    activity: Some(activity.name.clone()),
                    column: None,
                });
            }
        }
        let person = |key: &str| ColumnKey::parse(key).and_then(&resolve);
        for activity in self.activities.iter().filter(|a| a.separate_duties) {
            let Some(accountable) = activity.accountable() else {
                continue;
            };
            let Some(who) = person(accountable) else {
                continue;
            };
            let also_responsible = activity
                .cells
                .iter()
                .any(|(key, letter)| *letter == Letter::R && person(key) == Some(who));
            if also_responsible {
                out.push(Warning {
                    kind: "overlap".into(),
                    message: format!(
                        "{} is both responsible and accountable for \u{201c}{}\u{201d}, which wants them separate.",
                        label(accountable),
                        activity.name
                    ),
                    activity: Some(activity.name.clone()),
                    column: Some(accountable.to_string()),
                });
            }
        }
        let total = self.activities.len();
        if total >= 3 {
            let mut load: BTreeMap<i64, (usize, String)> = BTreeMap::new();
            for key in self.activities.iter().filter_map(Activity::accountable) {
                if let Some(who) = person(key) {
                    load.entry(who).or_insert_with(|| (0, key.to_string())).0 += 1;
                }
            }
            for (count, key) in load.into_values() {
                if count * 2 > total {
                    out.push(Warning {
                        kind: "overlap".into(),
                        message: format!(
                            "{} is accountable for {count} of {total} activities.",
                            label(&key)
                        ),
                        activity: None,
                        column: Some(key),
                    });
                }
            }
        }
        out
    }
}
