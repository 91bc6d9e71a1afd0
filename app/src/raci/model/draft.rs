//! A matrix as sent to be saved (`PUT …/raci`), and its check into a [`Raci`]: every part
//! optional until checked, each broken activity named under `activities[<row>]`.

use super::{Activity, ColumnKey, Letter, MAX_ACTIVITIES, MAX_COLUMNS, Raci};
use crate::error::FieldErrors;
use crate::validate::{Checker, MAX_NAME, is_clean_line};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `PUT …/raci`: every part optional until checked; letters and keys as sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RaciDraft {
    pub activities: Option<Vec<ActivityDraft>>,
    /// Column order; columns used by cells but not listed are added in order of use.
    pub columns: Option<Vec<String>>,
    pub version: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActivityDraft {
    pub name: Option<String>,
    #[serde(default)]
    pub cells: BTreeMap<String, String>,
    #[serde(default)]
    pub separate_duties: bool,
}

impl From<&Raci> for RaciDraft {
    fn from(raci: &Raci) -> Self {
        Self {
            activities: Some(
                raci.activities
                    .iter()
                    .map(|a| ActivityDraft {
                        name: Some(a.name.clone()),
                        cells: a
                            .cells
                            .iter()
                            .map(|(k, l)| (k.clone(), l.as_str().to_string()))
                            .collect(),
                        separate_duties: a.separate_duties,
                    })
                    .collect(),
            ),
            columns: Some(raci.columns.clone()),
            version: Some(raci.version),
        }
    }
}

impl RaciDraft {
    /// Checks a draft into a matrix. Each broken activity is named under
    /// `activities[<row>]`; `known` says whether a person column is an active user.
    pub fn validate(&self, known: impl Fn(i64) -> bool) -> Result<Raci, FieldErrors> {
        let mut check = Checker::default();
        let drafts = self.activities.clone().unwrap_or_default();
        if drafts.is_empty() {
            check.fail("activities", "needs at least one activity");
        }
        if drafts.len() > MAX_ACTIVITIES {
            check.fail(
                "activities",
                format!("must be at most {MAX_ACTIVITIES} activities"),
            );
        }
        // Bound the work before looking at any cell: a flood of activities, columns or
        // cells is refused whole.
        if self.columns.as_ref().is_some_and(|c| c.len() > MAX_COLUMNS) {
            check.fail("columns", format!("must be at most {MAX_COLUMNS} columns"));
        }
        for (i, draft) in drafts.iter().enumerate().take(MAX_ACTIVITIES) {
            if draft.cells.len() > MAX_COLUMNS {
                check.fail(
                    &format!("activities[{i}]"),
                    format!("Activity {}: must have at most {MAX_COLUMNS} cells", i + 1),
                );
            }
        }
        if check.has_failed() {
            return check.finish(Raci::default());
        }
        let mut columns: Vec<String> = Vec::new();
        let mut add_column = |key: &str, check: &mut Checker, field: &str| -> bool {
            match ColumnKey::parse(key) {
                Some(ColumnKey::Person(id)) if !known(id) => {
                    check.fail(field, format!("{key} is not an active user"));
                    false
                }
                Some(parsed) => {
                    let canonical = parsed.key();
                    if !columns.contains(&canonical) {
                        columns.push(canonical);
                    }
                    true
                }
                None => {
                    check.fail(
                        field,
                        format!("\u{201c}{key}\u{201d} is neither a user id nor role:<name>"),
                    );
                    false
                }
            }
        };
        for key in self.columns.iter().flatten() {
            add_column(key, &mut check, "columns");
        }
        let mut activities = Vec::new();
        for (i, draft) in drafts.iter().enumerate() {
            let field = format!("activities[{i}]");
            let name = draft.name.clone().unwrap_or_default().trim().to_string();
            let title = if name.is_empty() {
                format!("Activity {}", i + 1)
            } else {
                name.clone()
            };
            if name.chars().count() > MAX_NAME {
                check.fail(
                    &field,
                    format!("{title}: the name must be at most {MAX_NAME} characters"),
                );
            }
            if !is_clean_line(&name) {
                check.fail(
                    &field,
                    format!(
                        "Activity {}: the name must not contain control characters or line breaks",
                        i + 1
                    ),
                );
            }
            let mut cells = BTreeMap::new();
            for (key, letter) in &draft.cells {
                if letter.trim().is_empty() {
                    continue;
                }
                let Some(letter) = Letter::parse(letter) else {
                    check.fail(
                        &field,
                        format!("{title}: \u{201c}{letter}\u{201d} is not R, A, C or I"),
                    );
                    continue;
                };
                if add_column(key, &mut check, &field)
                    && let Some(parsed) = ColumnKey::parse(key)
                {
                    cells.insert(parsed.key(), letter);
                }
            }
            activities.push(Activity {
                name,
                cells,
                separate_duties: draft.separate_duties,
            });
        }
        if columns.len() > MAX_COLUMNS {
            check.fail("columns", format!("must be at most {MAX_COLUMNS} columns"));
        }
        let raci = Raci {
            activities,
            columns,
            version: self.version.unwrap_or_default(),
            warnings: Vec::new(),
            inherited: false,
        };
        for (i, why) in raci.problems() {
            let name = &raci.activities[i].name;
            let title = if name.is_empty() {
                format!("Activity {}", i + 1)
            } else {
                name.clone()
            };
            check.fail(&format!("activities[{i}]"), format!("{title}: {why}"));
        }
        check.finish(raci)
    }
}
